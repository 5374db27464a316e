"""check-model-license: weights may only be distributed with their licence.

Fails when a commit (or push) distributes model weights and the distributed
tree holds no copy of a licence in the weights' folder or a folder above it.
"""
from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hooks import distribution
from hooks import licenses
from hooks import options
from hooks.weights import classify_entries
from hooks.weights import Rules
from hooks.gitview import BlobReader
from hooks.gitview import Change
from hooks.gitview import Entry
from hooks.gitview import Snapshot

if TYPE_CHECKING:
    from hooks.profiles import Profile


def find_unlicensed_weights(
        filenames: Sequence[str],
        *,
        rules: Rules = Rules(),
        license_names: tuple[str, ...] = (),
        profile_name: str | None = None,
        profile_files: tuple[str, ...] = (),
) -> int:
    profile = None
    if profile_name:
        from hooks import profiles  # only with a profile: start-up time
        profile = profiles.select(profile_name, profile_files)
    index = Snapshot(None)
    reader = BlobReader(index)

    def weakened(change: Change) -> str | None:
        """The folder a licence change may leave without a licence."""
        path = change.old_path if change.status == 'R' else change.path
        assert path is not None
        folder, _, name = path.rpartition('/')
        if name == licenses.REUSE_TOML or name.endswith('.license'):
            return folder  # a REUSE association, even a new one, decides alone
        if change.status in 'AC':
            return None  # a new copy covers more, never less
        covered = licenses.covered_folder(path, license_names)
        if covered is None or change.status in 'DRT':
            return covered
        new = Entry(change.new_mode, change.new_oid, change.path)
        sample = reader.sample(new)
        problem = licenses.judge_copy(name, sample.head, sample.size)
        return None if problem is None else covered

    dist = distribution.find(
        filenames, weakened, index,
        lambda path: licenses.is_companion(path, license_names),
    )
    indexes: dict[tuple[int, str], licenses.LicenseIndex] = {}
    inferred: dict[tuple[int, str | None], Profile | None] = {}
    known: dict[str, Profile] = {}  # the profiles, read once a card names one

    def profile_for(snapshot: Snapshot, path: str) -> Profile | None:
        """--profile, else the one the model card names, if exactly one."""
        if profile is not None:
            return profile
        from hooks import check_model_attribution as attribution
        from hooks import modelcard
        from hooks import profiles
        card_path = attribution.find_card(snapshot, path)
        key = (id(snapshot), card_path)
        if key not in inferred:
            text = attribution.card_text(snapshot, reader, card_path) if card_path else None
            card = modelcard.parse(text) if text is not None else None
            if card is not None and not known:
                known.update(profiles.available(profile_files))
            found, how = attribution.infer(card, known)
            if found is not None:
                print(f'{card_path}: licence profile {found.id} (inferred from {how})')
            inferred[key] = found
        return inferred[key]

    missing: list[str] = []
    for snapshot, paths in distribution.by_snapshot(dist.targets):
        for verdict in classify_entries(snapshot, reader, paths, rules):
            if not verdict.weights:
                continue
            wanted_profile = profile_for(snapshot, verdict.path)
            copies = indexes.setdefault(
                (id(snapshot), wanted_profile.id if wanted_profile else ''),
                licenses.LicenseIndex(snapshot, reader, license_names, wanted_profile),
            )
            copy, rejected = copies.covering(verdict.path)
            if copy is not None:
                continue
            where = '' if snapshot is dist.snapshot else f' (in {snapshot.label})'
            lfs = ', in Git LFS' if verdict.lfs else ''
            if rejected:
                why = '; '.join(f'{c.path}: {c.problem}' for c in rejected[:2])
                reason = f'its licence candidates are not copies ({why})'
            else:
                reason = (
                    f'no licence copy in '
                    f'{licenses.describe_folders(verdict.path)}'
                )
            wanted = (
                f'a copy of the {wanted_profile.name}' if wanted_profile
                else 'a licence'
            )
            print(
                f'{verdict.path}{where}: model weights ({verdict.format}{lfs}) '
                f'without {wanted}: {reason}',
            )
            missing.append(verdict.path)
    if missing:
        folder = missing[0].rpartition('/')[0]
        example = f'{folder}/LICENSE' if folder else 'LICENSE'
        print(
            f'\nTo fix: put a copy of the model\'s licence ({licenses.NAMES_HELP}) '
            f'in the weights\' folder or a folder above it, and stage it, '
            f'for example:\n  git add {shlex.quote(example)}\n'
            f'If a file is not model weights, say so with '
            f'--ignore GLOB (see `model-license-hooks scan`).',
        )
    return int(bool(missing))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    options.add_hook_arguments(parser)
    options.add_profile_arguments(parser)
    options.add_license_name_argument(parser)
    return options.run(_run, parser.parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    args = options.configured(args)
    return find_unlicensed_weights(
        args.filenames,
        rules=options.rules(args),
        license_names=tuple(args.license_name),
        profile_name=args.profile,
        profile_files=tuple(args.profile_file),
    )


if __name__ == '__main__':
    raise SystemExit(main())
