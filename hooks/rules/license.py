"""The licence rule: distributed weights travel with a copy of their licence
(Duix.Avatar 2.4, Apache-2.0 4(a), Llama 1.b.i, ...)."""
from __future__ import annotations

import shlex

from ..license.copies import judge_copy
from ..license.names import covered_folder
from ..license.names import describe_folders
from ..license.names import is_companion
from ..license.names import is_reuse_file
from ..license.names import NAMES_HELP
from ..tree.changes import Change
from ..tree.distribution import Distribution
from ..tree.listing import Entry
from ..tree.listing import join
from ..tree.trees import Tree
from .findings import Finding
from .findings import GENERAL_CLAUSES
from .findings import note
from .judge import Judge
from .settings import Settings

RULE = 'licence'
HINT = (
    'If a file is not model weights, say so with --ignore GLOB '
    '(see `model-license-hooks scan`).'
)


def companion(path: str, settings: Settings) -> bool:
    """A file whose change can change which copies cover what."""
    return is_companion(path, settings.license_names)


def weakened(change: Change, tree: Tree, settings: Settings) -> str | None:
    """The folder a licence change may leave without a licence."""
    path = change.old_path if change.status == 'R' else change.path
    assert path is not None
    folder, _, name = path.rpartition('/')
    if is_reuse_file(name):
        return folder  # a REUSE association, even a new one, decides alone
    if change.status in 'AC':
        return None  # a new copy covers more, never less
    covered = covered_folder(path, settings.license_names)
    if covered is None or change.status in 'DRT':
        return covered
    sample = tree.sample(Entry(change.new_mode, change.new_oid, change.path))
    return None if judge_copy(name, sample.head, sample.size) is None else covered


def wanted_copy(weights_path: str) -> str:
    """The licence copy the fix asks for: LICENSE beside the weights."""
    return join(weights_path.rpartition('/')[0], 'LICENSE')


def check(dist: Distribution, judge: Judge) -> list[Finding]:
    findings: list[Finding] = []
    for tree, paths in dist.by_tree():
        where = '' if tree is dist.tree else tree.label
        for verdict in judge.weights(tree, paths):
            profile, how = judge.declared_profile(tree, verdict.path)
            if how:
                card_path, _ = judge.card(tree, verdict.path)
                findings.append(note(
                    RULE, card_path or verdict.path,
                    f'licence profile {profile.id if profile else "?"} (inferred from {how})',
                ))
            copy, rejected = judge.licence(tree, verdict.path)
            if copy is not None:
                continue
            lfs = ', in Git LFS' if verdict.lfs else ''
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
                f'model weights ({verdict.format}{lfs}) without {wanted}: {reason}',
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
