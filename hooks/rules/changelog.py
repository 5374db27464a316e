"""The changelog rule: weights added or changed come with an entry that
states the modification (Duix.Avatar 2.5, Apache-2.0 4(b), OpenRAIL-M 4)."""
from __future__ import annotations

import shlex

from ..card import changelog
from ..card.changelog import Entry
from ..card.changelog import NAMES_HELP
from ..tree.changes import Change
from ..tree.distribution import Distribution
from ..tree.git import resolve_commit
from ..tree.listing import REGULAR_MODES
from ..tree.trees import GitTree
from ..tree.trees import Tree
from ..weights.classify import Verdict
from .findings import described
from .findings import Finding
from .findings import GENERAL_CLAUSES
from .judge import Judge
from .settings import Settings

RULE = 'changelog'


def companion(path: str, settings: Settings) -> bool:
    return changelog.is_source(path, settings.changelogs)


def weakened(change: Change, tree: Tree, settings: Settings) -> str | None:
    return None  # a changelog judges the change itself: nothing to re-check


def _clause(judge: Judge, tree: Tree, path: str) -> str:
    # The declared profile (--profile or the card's) names the clause; the
    # copy is not read for a citation.
    profile, _ = judge.declared_profile(tree, path)
    return (profile.clause('modifications') if profile else '') or (
        GENERAL_CLAUSES['modifications']
    )


def check(dist: Distribution, judge: Judge) -> list[Finding]:
    if dist.mode in ('files', 'audit'):
        return _check_tree(dist, judge)
    return _check_changes(dist, judge)


def _changed_weights(dist: Distribution, judge: Judge) -> list[Verdict]:
    wanted = {t.path for t in dist.targets}
    changed = [
        c.path for c in dist.changes
        if c.status != 'D' and c.content_changed and c.new_mode in REGULAR_MODES and
        (dist.mode == 'push' or c.path in wanted)
    ]
    verdicts = judge.weights(dist.tree, changed)
    deleted = [c.path for c in dist.changes if c.status == 'D']
    if judge.settings.deletions and deleted and dist.base and isinstance(dist.tree, GitTree):
        before = dist.tree.repo.commit(resolve_commit(dist.base))
        verdicts += [
            v._replace(evidence='deleted') for v in judge.weights(before, deleted)
        ]
    return verdicts


def _check_changes(dist: Distribution, judge: Judge) -> list[Finding]:
    weights = _changed_weights(dist, judge)
    if not weights:
        return []
    names = judge.settings.changelogs
    entries = [
        e for e in (changelog.entry_for(c, dist.tree, names) for c in dist.changes)
        if e is not None
    ]
    where = 'commit' if dist.mode == 'commit' else 'push'
    findings = []
    for verdict in weights:
        message = _missing_entry(verdict, entries, dist.tree, judge)
        if message is None:
            continue
        target = changelog.expected_changelog(dist.tree, verdict.path, names)
        findings.append(Finding(
            RULE, verdict.path, message,
            fix=(
                f'describe the modification in the same {where}, in the changelog '
                f'that covers the weights ({NAMES_HELP}), for example "- Fine-tuned '
                f'{verdict.path.rpartition("/")[2]} on 2k more clips; learning rate '
                f'1e-5", then: git add {shlex.quote(target)}'
            ),
            clause=_clause(judge, dist.tree, verdict.path),
            weights=(verdict.path,),
        ))
    return findings


def _missing_entry(
        verdict: Verdict,
        entries: list[Entry],
        tree: Tree,
        judge: Judge,
) -> str | None:
    """What is wrong with the entries for one changed weight file, if anything."""
    covering = [e for e in entries if e.covers(verdict.path)]
    lines = [line for e in covering for line in e.lines]
    what = 'deleted' if verdict.evidence == 'deleted' else 'changed'
    head = f'{described(verdict)} {what} without'
    if lines and judge.settings.require_mention and not changelog.mentions(
            lines, verdict.path,
    ):
        sources = ', '.join(e.source for e in covering if e.lines)
        return (
            f'{head} an entry that names it: {sources} must mention '
            f'{verdict.path.rpartition("/")[2]} (--require-mention)'
        )
    if lines:
        return None
    broken = [e for e in covering if e.problem]
    if broken:
        return f'{head} a readable changelog entry: {broken[0].source}: {broken[0].problem}'
    if covering:
        return (
            f'{head} a changelog entry: the lines added to {covering[0].source} '
            f'describe nothing (only blank lines, headings, dates or versions)'
        )
    expected = changelog.expected_changelog(tree, verdict.path, judge.settings.changelogs)
    return f'{head} a changelog entry: add one to {expected}'


def _check_tree(dist: Distribution, judge: Judge) -> list[Finding]:
    """--all-files and `check`: no diff to judge, so every weight file
    needs a changelog with an entry in its folder or above."""
    names = judge.settings.changelogs
    cache: dict[str, tuple[str, str] | None] = {}
    findings = []
    for tree, paths in dist.by_tree():
        for verdict in judge.weights(tree, paths):
            if changelog.latest_entry(tree, verdict.path, names, cache) is not None:
                continue
            expected = changelog.expected_changelog(tree, verdict.path, names)
            findings.append(Finding(
                RULE, verdict.path,
                f'{described(verdict)} without a changelog: no '
                f'non-empty changelog in its folder or above; add {expected}',
                fix=(
                    f'add {expected} with an entry describing how the weights '
                    f'differ from the base model'
                ),
                clause=_clause(judge, tree, verdict.path),
                weights=(verdict.path,),
            ))
    return findings
