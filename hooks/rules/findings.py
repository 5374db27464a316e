"""A Finding: one thing a check found, with the path, the fix and the
licence clause that asks for it."""
from __future__ import annotations

import shlex
from collections.abc import Iterable
from typing import NamedTuple

from ..tree.changes import Change
from ..tree.listing import ancestors
from ..weights.classify import Verdict

RULES = {
    'licence': 'Model weights travel with a copy of their licence',
    'changelog': 'Modified weights have a changelog entry describing the modification',
    'attribution': 'The model card and NOTICE carry what the licence requires',
}

# The duties a rule enforces, as licences in general state them; a
# profile names its own clause for each (its "clauses").
GENERAL_CLAUSES = {
    'copy': 'model licences ask for a copy with the weights: Duix.Avatar 2.4, '
            'Apache-2.0 4(a), Llama 1.b.i',
    'modifications': 'model licences ask for modifications to be stated: '
                     'Duix.Avatar 2.5, Apache-2.0 4(b)',
}


class Finding(NamedTuple):
    rule: str  # a key of RULES
    path: str  # the file the message is about
    message: str
    fix: str = ''
    clause: str = ''  # the licence and clause that ask for it
    weights: tuple[str, ...] = ()  # the weight files it concerns
    tree: str = ''  # the tree, when it is not the one distributed
    level: str = 'error'  # 'note': said, but not a failure

    @property
    def failed(self) -> bool:
        return self.level == 'error'

    def line(self) -> str:
        where = f' (in {self.tree})' if self.tree else ''
        clause = f' [{self.clause}]' if self.clause else ''
        return f'{self.path}{where}: {self.message}{clause}'


def described(verdict: Verdict) -> str:
    """How a finding names what it is about: weights, or a model file."""
    lfs = ', in Git LFS' if verdict.lfs else ''
    if verdict.uninspected:
        # Counted as weights because it could not be looked into: say so,
        # and how to say otherwise.
        return (
            f'possible model weights ({verdict.format}{lfs}, not fully inspected: '
            f'{verdict.uninspected.removeprefix("not fully inspected: ")}; if it holds '
            f'none, pass --ignore {shlex.quote(verdict.path)})'
        )
    if verdict.weights:
        return f'model weights ({verdict.format}{lfs})'
    return f'model file without weights ({verdict.format}{lfs})'


def note(rule: str, path: str, message: str) -> Finding:
    return Finding(rule, path, message, level='note')


def failed(findings: Iterable[Finding]) -> bool:
    return any(f.failed for f in findings)


def merged(findings: Iterable[Finding]) -> list[Finding]:
    """The same finding about the same file once, with every weight file
    it concerns (a root card missing a line, for 2,000 model folders)."""
    seen: dict[tuple[str, str, str, str, str], Finding] = {}
    for finding in findings:
        key = (finding.rule, finding.path, finding.message, finding.tree, finding.level)
        if key in seen:
            kept = seen[key]
            seen[key] = kept._replace(
                weights=tuple(dict.fromkeys(kept.weights + finding.weights)),
            )
        else:
            seen[key] = finding
    return list(seen.values())


def changed_folder(change: Change) -> str:
    """The folder a change of a companion file concerns: its folder, or
    for a move, the folder both places are in."""
    folder = change.path.rpartition('/')[0]
    if change.old_path is None:
        return folder
    mine = set(ancestors(change.path))
    return next(a for a in ancestors(change.old_path) if a in mine)
