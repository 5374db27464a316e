"""The licence rule: distributed weights travel with a copy of their licence
(Duix.Avatar 2.4, Apache-2.0 4(a), Llama 1.b.i, ...)."""
from __future__ import annotations

import shlex

from ..license.names import covered_folder
from ..license.names import describe_folders
from ..license.names import is_companion
from ..license.names import is_reuse_file
from ..license.names import NAMES_HELP
from ..tree.changes import Change
from ..tree.distribution import Distribution
from ..card.modelcard import CARD_NAME
from ..card.modelcard import MAX_CARD_BYTES
from ..tree.listing import Entry
from ..tree.listing import join
from ..tree.trees import Tree
from .findings import changed_folder
from .findings import described
from .findings import Finding
from .findings import GENERAL_CLAUSES
from .findings import note
from .judge import Judge
from .settings import changed as settings_changed
from .settings import CONFIG_FILE
from .settings import Settings

RULE = 'licence'
HINT = (
    'If a file is not model weights, say so with --ignore GLOB '
    '(see `model-license-hooks scan`).'
)


def companion(path: str, settings: Settings) -> bool:
    """A file whose change can change which copy covers what, or which
    licence it must be: copies, REUSE files, model cards, the settings."""
    name = path.rpartition('/')[2]
    return (
        is_companion(path, settings.license_names) or name == CARD_NAME or
        path == CONFIG_FILE
    )


def weakened(change: Change, tree: Tree, settings: Settings) -> str | None:
    """The folder whose weights a change may leave without their licence."""
    folder = changed_folder(change)
    name = change.path.rpartition('/')[2]
    if change.path == CONFIG_FILE or change.old_path == CONFIG_FILE:
        return '' if settings_changed(change, tree) else None
    if is_reuse_file(name):
        return folder  # a REUSE association, even a new one, decides alone
    if name == CARD_NAME:
        return folder if _card_may_tighten(change, tree, settings) else None
    path = change.old_path if change.status == 'R' else change.path
    assert path is not None
    covered = covered_folder(path, settings.license_names)
    if covered is None or change.status in 'AC':
        return None  # a new copy covers more, never less
    return covered  # changed, moved or removed: judged again, as --all-files would


def _card_may_tighten(change: Change, tree: Tree, settings: Settings) -> bool:
    """Whether a card change can leave weights without their licence: it
    can only by naming a licence (the copy must then be that licence's)
    or by uncovering a card above it; not with --profile, which decides."""
    if settings.profile:
        return False
    if change.status in 'DR':
        return True  # the card above, if any, now covers the weights
    from ..card.modelcard import parse
    from ..card.reading import read_text
    from ..license import profiles
    from .judge import infer_from_card
    text = read_text(tree, Entry(change.new_mode or '100644', change.new_oid, change.path),
                     MAX_CARD_BYTES)
    card = parse(text) if text is not None else None
    known = profiles.available(settings.profile_files).values()
    return card is None or infer_from_card(card, known)[0] is not None or bool(
        card.strings('base_model'))


def wanted_copy(weights_path: str) -> str:
    """The licence copy the fix asks for: LICENSE beside the weights."""
    return join(weights_path.rpartition('/')[0], 'LICENSE')


def check(dist: Distribution, judge: Judge) -> list[Finding]:
    findings: list[Finding] = []
    for tree, paths in dist.by_tree():
        where = '' if tree is dist.tree else tree.label
        for verdict in judge.models(tree, paths):
            profile, how = judge.declared_profile(tree, verdict.path)
            if how:
                card_path, _ = judge.card(tree, verdict.path)
                findings.append(note(
                    RULE, card_path or verdict.path,
                    f'licence profile {profile.id if profile else "?"} (inferred from {how})',
                ))
            from .inheritance import card_findings  # only with weights: start-up time
            from .inheritance import metadata_findings
            lineage = card_findings(tree, verdict, judge, audit=dist.mode == 'audit')
            lineage += metadata_findings(tree, verdict, judge)
            findings += [f._replace(tree=where) for f in lineage]
            copy, rejected = judge.licence(tree, verdict.path)
            if copy is not None:
                continue
            if rejected:
                why = '; '.join(f'{c.path}: {c.problem}' for c in rejected[:2])
                reason = f'its licence candidates are not copies ({why})'
            else:
                reason = f'no licence copy in {describe_folders(verdict.path)}'
            wanted = f'a copy of the {profile.name}' if profile else 'a licence'
            folder = verdict.path.rpartition('/')[0]
            example = wanted_copy(verdict.path)
            obtain = f'; get it from {profile.obtain}' if profile and profile.obtain else ''
            place = f'{folder}/ or a folder above it' if folder else 'the repository root'
            findings.append(Finding(
                RULE, verdict.path,
                f'{described(verdict)} without {wanted}: {reason}',
                fix=(
                    f'put {wanted.replace("a licence", "a copy of the licence")} '
                    f'({NAMES_HELP}) in {place}{obtain}, and stage it: '
                    f'git add {shlex.quote(example)}'
                ),
                clause=(profile.clause('copy') if profile else '') or GENERAL_CLAUSES['copy'],
                weights=(verdict.path,),
                tree=where,
            ))
    return findings
