"""check-model-attribution: weights carry the attribution their licence asks for.

When weights are distributed, the model card (the README.md nearest the
weights, else the repository root's) and NOTICE files must carry what the
licence profile requires: the statement of the base model, attribution
strings, a NOTICE sentence, "Built with" text, a name prefix, and front
matter (license, license_name, license_link, base_model) that agrees.
"""
from __future__ import annotations

import argparse
import posixpath
import re
from collections.abc import Sequence
from typing import NamedTuple

from hooks import distribution
from hooks import licenses
from hooks import modelcard
from hooks import options
from hooks import profiles
from hooks.gitview import ancestors
from hooks.gitview import BlobReader
from hooks.gitview import Change
from hooks.gitview import Snapshot
from hooks.profiles import Profile
from hooks.util import UserError
from hooks.weights import classify_entries
from hooks.weights import Rules

CARD_NAME = 'README.md'
NOTICE_NAME = re.compile(r'^notice(\.(txt|md))?$', re.I)
URL = re.compile(r'^[a-z][a-z0-9+.-]*://', re.I)


class Settings(NamedTuple):
    rules: Rules = Rules()
    profile: str | None = None
    profile_files: tuple[str, ...] = ()
    license_names: tuple[str, ...] = ()


def find_card(snapshot: Snapshot, path: str) -> str | None:
    """The README.md nearest the weights, else the repository root's."""
    for folder in ancestors(path):
        if CARD_NAME in snapshot.folder(folder):
            return f'{folder}/{CARD_NAME}' if folder else CARD_NAME
    return None


def card_text(snapshot: Snapshot, reader: BlobReader, path: str) -> str | None:
    entry = snapshot.lookup([path]).get(path)
    if entry is None:
        return None
    data, size = reader.read_whole(entry.oid, modelcard.MAX_CARD_BYTES)
    if size > modelcard.MAX_CARD_BYTES:
        raise UserError(
            f'{path}: larger than {modelcard.MAX_CARD_BYTES // 1024 // 1024} '
            f'MiB, too large to read as a model card',
        )
    return data.decode('utf-8', 'replace')


def notices(snapshot: Snapshot, reader: BlobReader, path: str) -> list[tuple[str, str]]:
    """(path, normalised text) of the NOTICE files in a folder or above."""
    found = []
    for folder in ancestors(path):
        for name in sorted(snapshot.folder(folder)):
            if NOTICE_NAME.match(name):
                full = f'{folder}/{name}' if folder else name
                found.append((full, modelcard.normal(card_text(snapshot, reader, full) or '')))
    return found


def infer(
        card: modelcard.Card | None,
        known: dict[str, Profile],
) -> tuple[Profile | None, str]:
    """The profile the card's metadata names, when exactly one fits."""
    if card is None:
        return None, ''
    license_id = card.meta.get('license')
    license_name = card.meta.get('license_name')
    hits = []
    for profile in known.values():
        names = {n.lower() for n in profile.hf_license_name + profile.aliases}
        if isinstance(license_name, str) and license_name.lower() in names:
            hits.append((profile, f'license_name: {license_name}'))
        elif (
                isinstance(license_id, str) and license_id != 'other' and
                license_id in profile.hf_license
        ):
            hits.append((profile, f'license: {license_id}'))
    if len(hits) == 1:
        return hits[0]
    return None, ''


def check_card(
        profile: Profile,
        card_path: str | None,
        card: modelcard.Card | None,
        weights_path: str,
        snapshot: Snapshot,
        reader: BlobReader,
) -> list[str]:
    """What the card and NOTICE files lack for this profile."""
    where = card_path or weights_path
    if card is None:
        folder = weights_path.rpartition('/')[0]
        wanted = f'{folder}/{CARD_NAME}' if folder else CARD_NAME
        needs = [*profile.statement, *profile.strings, *profile.display]
        if not needs and profile.notice is None and not profile.license_link_required:
            return []
        return [
            f'{weights_path}: no model card: add {wanted} stating '
            f'{", ".join(repr(n) for n in needs) or "the licence"} ({profile.id})',
        ]
    problems = []
    if card.problem:
        problems.append(f'{where}: cannot read the front matter: {card.problem}')
    problems += _front_matter(profile, card_path or '', card, snapshot)
    shown = modelcard.prominent(card)
    whole = modelcard.normal('\n'.join(card.body))
    notice_texts = notices(snapshot, reader, weights_path)
    for statement in profile.statement[:1]:
        if not any(modelcard.normal(s) in shown for s in profile.statement):
            buried = (
                ' (it is there, but not prominent)'
                if modelcard.normal(statement) in whole else ''
            )
            problems.append(
                f'{where}: does not state prominently that the model is built on '
                f'{statement}{buried}: say so in the title, the opening '
                f'paragraph or the front matter',
            )
    for text in profile.strings + profile.display:
        wanted = modelcard.normal(text)
        if wanted in shown or any(wanted in t for _, t in notice_texts):
            continue
        buried = ' (it is there, but not prominent)' if wanted in whole else ''
        problems.append(
            f'{where}: lacks {text!r}{buried}: put it in the title, the opening '
            f'paragraph or the front matter of the card, or in a NOTICE file',
        )
    if profile.ranking and ('model-index' in card.meta or 'eval_results' in card.meta):
        description = modelcard.description(card)
        if profile.statement and not any(
                modelcard.normal(s) in description for s in profile.statement
        ):
            problems.append(
                f'{where}: reports evaluation results (model-index), so its '
                f'model description must also state that the model is built on '
                f'{profile.statement[0]}',
            )
    if profile.notice is not None:
        problems += _notice(profile, weights_path, notice_texts)
    if profile.name_prefix:
        names = modelcard.model_names(card)
        wrong = [n for n in names if not n.startswith(profile.name_prefix)]
        if wrong:
            problems.append(
                f'{where}: the model name {wrong[0]!r} must begin with '
                f'{profile.name_prefix!r} ({profile.id})',
            )
    return problems


def _notice(
        profile: Profile,
        weights_path: str,
        notice_texts: list[tuple[str, str]],
) -> list[str]:
    assert profile.notice is not None
    wanted = modelcard.normal(profile.notice.text)
    pattern = profile.notice.pattern
    for _, text in notice_texts:
        # The text is normalised (case, width, white space); the regex is
        # the profile's own, so it is matched without regard to case.
        if wanted in text or (pattern and re.search(pattern, text, re.I)):
            return []
    folder = weights_path.rpartition('/')[0]
    target = f'{folder}/NOTICE' if folder else 'NOTICE'
    found = f' ({notice_texts[0][0]} lacks it)' if notice_texts else ''
    return [
        f'{weights_path}: no NOTICE file with the sentence the {profile.id} '
        f'licence requires{found}: add {target} containing '
        f'"{profile.notice.text}"',
    ]


def _front_matter(
        profile: Profile,
        card_path: str,
        card: modelcard.Card,
        snapshot: Snapshot,
) -> list[str]:
    meta = card.meta
    problems = []
    value = meta.get('license')
    if profile.hf_license:
        if value is None:
            problems.append(
                f'{card_path}: the front matter has no license: set '
                f'license: {profile.hf_license[0]} ({profile.name})',
            )
        elif value not in profile.hf_license:
            problems.append(
                f'{card_path}: the front matter says license: {value}, but the '
                f'weights are under the {profile.name}: set license: '
                f'{profile.hf_license[0]}',
            )
    if 'other' in profile.hf_license and profile.hf_license_name:
        name = meta.get('license_name')
        if not isinstance(name, str) or name.lower() not in profile.hf_license_name:
            problems.append(
                f'{card_path}: set license_name: {profile.hf_license_name[0]} '
                f'(found {name!r})',
            )
    link = meta.get('license_link')
    if isinstance(link, str) and link and not URL.match(link):
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(card_path), link.split('#')[0]),
        )
        if target.startswith('..') or target not in snapshot.lookup([target]):
            problems.append(
                f'{card_path}: license_link points to {link}, which is not a '
                f'file in the commit: link the tracked licence copy',
            )
    elif not link and profile.license_link_required:
        problems.append(
            f'{card_path}: set license_link to the licence copy in the '
            f'repository (e.g. license_link: LICENSE)',
        )
    if profile.base_model:
        base = meta.get('base_model')
        values = [base] if isinstance(base, str) else list(base or [])
        if not any(p.lower() in v.lower() for v in values for p in profile.base_model):
            problems.append(
                f'{card_path}: set base_model to the upstream model '
                f'({" or ".join(profile.base_model)}...; found {base!r})',
            )
    return problems


def find_missing_attribution(
        filenames: Sequence[str],
        settings: Settings = Settings(),
) -> int:
    known = profiles.available(settings.profile_files)
    explicit = (
        profiles.select(settings.profile, settings.profile_files)
        if settings.profile else None
    )
    index = Snapshot(None)
    reader = BlobReader(index)

    def weakened(change: Change) -> str | None:
        # A card or NOTICE edited, moved or removed: re-check what it covered.
        path = change.old_path if change.status == 'R' else change.path
        assert path is not None
        folder, _, name = path.rpartition('/')
        companion = name == CARD_NAME or NOTICE_NAME.match(name)
        if change.status in 'AC' or not companion:
            return None
        return folder

    def companion(path: str) -> bool:
        name = path.rpartition('/')[2]
        return name == CARD_NAME or bool(NOTICE_NAME.match(name))

    dist = distribution.find(filenames, weakened, index, companion)
    failed = False
    for snapshot, paths in distribution.by_snapshot(dist.targets):
        groups: dict[str | None, list[str]] = {}
        for verdict in classify_entries(snapshot, reader, paths, settings.rules):
            if verdict.weights:
                card_path = find_card(snapshot, verdict.path)
                groups.setdefault(card_path, []).append(verdict.path)
        for card_path, weights in groups.items():
            text = card_text(snapshot, reader, card_path) if card_path else None
            card = modelcard.parse(text) if text is not None else None
            profile, how = (explicit, '') if explicit else infer(card, known)
            if profile is None:
                profile, how = infer_from_copy(snapshot, reader, weights[0], known, settings)
            if profile is None:
                continue  # no licence known to enforce
            if how:
                print(
                    f'{card_path or weights[0]}: licence profile {profile.id} '
                    f'(inferred from {how})',
                )
            problems = check_card(profile, card_path, card, weights[0], snapshot, reader)
            for problem in dict.fromkeys(problems):
                print(problem)
            failed = failed or bool(problems)
    if failed:
        print(
            '\nTo fix: add what the licence asks for to the model card or '
            'NOTICE; `model-license-hooks profiles` lists each profile\'s duties.',
        )
    return int(failed)


def infer_from_copy(
        snapshot: Snapshot,
        reader: BlobReader,
        weights_path: str,
        known: dict[str, Profile],
        settings: Settings,
) -> tuple[Profile | None, str]:
    copies = licenses.LicenseIndex(snapshot, reader, settings.license_names)
    copy, _ = copies.covering(weights_path)
    if copy is None:
        return None, ''
    entry = snapshot.lookup([copy.path]).get(copy.path)
    if entry is None:
        return None, ''
    data, _ = reader.read_whole(entry.oid, licenses.MAX_COPY_BYTES)
    matches = [p for p in known.values() if licenses.genuine(p, copy.path, data)[0]]
    if len(matches) == 1:
        return matches[0], f'the licence copy {copy.path}'
    return None, ''


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    options.add_hook_arguments(parser)
    options.add_profile_arguments(parser)
    options.add_license_name_argument(parser)
    return options.run(_run, parser.parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    args = options.configured(args)
    settings = Settings(
        rules=options.rules(args), profile=args.profile,
        profile_files=tuple(args.profile_file),
        license_names=tuple(args.license_name),
    )
    return find_missing_attribution(args.filenames, settings)


if __name__ == '__main__':
    raise SystemExit(main())
