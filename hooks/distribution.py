"""What one run of a hook must check: the tree distributed and the paths in it.

Three ways a hook runs (pre-commit sets the environment):
- at push: PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF; the pushed commit's
  tree, and every file any pushed commit adds or changes;
- with explicit files (`pre-commit run --all-files` or `--files`): those
  files as the index holds them;
- at commit: the staged tree, and the staged files.
Companion files always come from the same tree, never from the disk.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Sequence
from typing import NamedTuple

from hooks import gitview
from hooks.gitview import Change
from hooks.gitview import Snapshot
from hooks.util import UserError


class Target(NamedTuple):
    snapshot: Snapshot
    path: str


class Distribution(NamedTuple):
    mode: str  # 'commit', 'push' or 'files'
    snapshot: Snapshot  # the tree that is distributed
    targets: list[Target]
    changes: list[Change]  # staged changes, or the push range as a whole
    commits: list[str]  # at push: the pushed commits, oldest first


def push_refs() -> tuple[str, str] | None:
    from_ref = os.environ.get('PRE_COMMIT_FROM_REF')
    to_ref = os.environ.get('PRE_COMMIT_TO_REF')
    if from_ref and to_ref:
        return from_ref, to_ref
    return None


def find(
        filenames: Sequence[str],
        weakened: Callable[[Change], str | None] = lambda change: None,
        index: Snapshot | None = None,
        companion: Callable[[str], bool] = lambda path: False,
        deletions: bool = False,
) -> Distribution:
    """Work out what to check.

    `weakened(change)` gives the folder whose files a change may leave
    uncovered (a licence copy deleted, moved or emptied), or None: every
    tracked path under that folder is checked again.  `companion(path)`
    says which files' changes the hook reads besides those it checks (its
    licence copies, changelogs, cards); at commit time, `changes` holds only
    those, the checked files' own and, with `deletions`, every deletion;
    `weakened` is asked of those only.
    `index` is the caller's snapshot of the index, to share one listing.
    """
    filenames = gitview.enter_repo_root(filenames)
    refs = push_refs()
    if refs is not None:
        return _push(*refs, weakened=weakened)
    wanted = set(filenames)

    # pre-commit splits a long list of files over several runs: each reads
    # the changes of its own files and of companion files, not all of them.
    def keep(path: str, status: str) -> bool:
        return path in wanted or companion(path) or (deletions and status == 'D')

    changes = gitview.staged_changes(keep if wanted else None)
    staged = {c.path for c in changes if c.status != 'D'}
    snapshot = index if index is not None else Snapshot(None)
    if filenames and not wanted <= staged:
        # pre-commit run --all-files / --files: check what was named.
        paths = list(dict.fromkeys(filenames))
        tracked = snapshot.lookup(paths)
        for path in paths:
            if path not in tracked and not os.path.lexists(path):
                raise UserError(f'{path}: no such file')
        return Distribution('files', snapshot, _targets(snapshot, paths), changes, [])
    if filenames or os.environ.get('PRE_COMMIT'):
        # pre-commit passes staged files, less those the user excluded.
        paths = list(dict.fromkeys(filenames))
    else:
        paths = sorted(staged)  # run by hand: the whole staged change
    paths += _dependents(snapshot, changes, weakened)
    return Distribution(
        'commit', snapshot, _targets(snapshot, list(dict.fromkeys(paths))),
        changes, [],
    )


def _targets(snapshot: Snapshot, paths: list[str]) -> list[Target]:
    return [Target(snapshot, p) for p in paths]


def _dependents(
        snapshot: Snapshot,
        changes: list[Change],
        weakened: Callable[[Change], str | None],
) -> list[str]:
    """Tracked paths in folders a change may have left uncovered."""
    folders = {f for f in map(weakened, changes) if f is not None}
    # A folder inside another adds nothing: its files are under both.
    outermost = [
        f for f in folders
        if not f or not any(a in folders for a in gitview.ancestors(f))
    ]
    return sorted(p for f in outermost for p in snapshot.under(f))


def _push(
        from_ref: str,
        to_ref: str,
        *,
        weakened: Callable[[Change], str | None],
) -> Distribution:
    tip = gitview.resolve_commit(to_ref)
    snapshot = Snapshot(tip)
    commits = gitview.commits_in_range(from_ref, to_ref)
    net = gitview.range_changes(from_ref, to_ref)
    # Files a pushed commit adds or changes: checked in the pushed tree, or,
    # if a later commit removed them, in the last commit that had them.
    last_seen: dict[str, str] = {}
    for commit, change in gitview.changes_per_commit(commits):
        if change.status != 'D':
            last_seen[change.path] = commit
    targets = []
    older: dict[str, Snapshot] = {}
    present = snapshot.lookup(last_seen)
    for path, commit in last_seen.items():
        if path in present:
            targets.append(Target(snapshot, path))
        else:
            older.setdefault(commit, Snapshot(commit))
            targets.append(Target(older[commit], path))
    seen = {t.path for t in targets}
    targets += [
        Target(snapshot, p) for p in _dependents(snapshot, net, weakened)
        if p not in seen
    ]
    return Distribution('push', snapshot, targets, net, commits)


def by_snapshot(targets: list[Target]) -> list[tuple[Snapshot, list[str]]]:
    groups: dict[int, tuple[Snapshot, list[str]]] = {}
    for target in targets:
        groups.setdefault(id(target.snapshot), (target.snapshot, []))[1].append(
            target.path,
        )
    return list(groups.values())
