"""What a push distributes: every pushed commit, merges included.

pre-commit gives a range push PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF.
The first push of a branch whose history reaches a root commit (or a new
branch pushed by URL) it runs as --all-files, over the index; it does set
PRE_COMMIT_LOCAL_BRANCH and PRE_COMMIT_REMOTE_NAME, so the hooks judge the
pushed commit and the commits the remote does not have instead.

pre-commit checks only the first ref of a push that names several: the
others never reach a hook (see the README for the CI recipe).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Iterator
from typing import NamedTuple

from ..errors import UserError
from .changes import Change
from .changes import parse_raw
from .changes import tree_changes
from .git import cmd_output
from .git import cmd_output_bytes
from .git import resolve_commit
from .trees import GitRepo
from .trees import GitTree


class Push(NamedTuple):
    base: str | None  # the commit the remote has; None: it has nothing of it
    tip: str
    commits: list[str]  # the pushed commits, oldest first


def push_refs() -> tuple[str, str] | None:
    from_ref = os.environ.get('PRE_COMMIT_FROM_REF')
    to_ref = os.environ.get('PRE_COMMIT_TO_REF')
    if from_ref and to_ref:
        return from_ref, to_ref
    return None


def pushed() -> Push | None:
    """The push this run judges, from pre-commit's environment; None when
    the run is not a push."""
    refs = push_refs()
    if refs is not None:
        base, tip = resolve_commit(refs[0]), resolve_commit(refs[1])
        out = cmd_output('git', 'rev-list', '--reverse', f'{base}..{tip}')
        return Push(base, tip, out.split())
    local = os.environ.get('PRE_COMMIT_LOCAL_BRANCH')
    remote = os.environ.get('PRE_COMMIT_REMOTE_NAME')
    if not (local and remote and os.environ.get('PRE_COMMIT_REMOTE_BRANCH')):
        return None
    # A first push: pre-commit would judge the index; judge what is pushed.
    try:
        tip = resolve_commit(local)
    except UserError:
        raise UserError(
            f'{local}: the ref being pushed (PRE_COMMIT_LOCAL_BRANCH) is not a '
            f'commit here',
        )
    out = cmd_output(
        'git', 'rev-list', '--reverse', tip, '--not', f'--remotes={remote}',
    )
    return Push(None, tip, out.split())


def empty_tree() -> str:
    """The id of the empty tree (what a first push is compared with)."""
    return cmd_output('git', 'hash-object', '-t', 'tree', '/dev/null').strip()


def net_changes(push: Push) -> list[Change]:
    """The push as a whole: what the remote had against what it receives."""
    return tree_changes(push.base or empty_tree(), push.tip)


def changes_per_commit(commits: list[str]) -> Iterator[tuple[str, Change]]:
    """(commit, change) for every file each commit changes against its
    first parent: a merge's changes are all it brings to its first parent
    (what an evil merge adds, and what the merged branch brings), each
    judged in the merge's own tree."""
    if not commits:
        return
    out = cmd_output_bytes(
        'git', 'diff-tree', '--stdin', '-r', '--root', '--raw', '-z',
        '--no-abbrev', '--no-ext-diff', '-M', '--diff-merges=first-parent',
        input=('\n'.join(commits) + '\n').encode(),
    )
    records = out.split(b'\0')
    records.pop()  # what follows the last NUL: nothing
    commit = ''
    for item in parse_raw(records):
        if isinstance(item, str):
            commit = item
        else:
            yield commit, item


Weakened = Callable[[Change], 'str | None']


def targets(repo: GitRepo, push: Push, weakened: Weakened) -> list[tuple[GitTree, str]]:
    """(tree, path) to judge: every file a pushed commit adds or changes,
    and every file under a folder whose companion (licence, card) a pushed
    commit weakens; each in the pushed tree, or, if a later commit removed
    it, in the last commit that had it (the commit that weakened it)."""
    tip = repo.commit(push.tip)
    last_seen: dict[str, str] = {}
    weakened_in: dict[str, str] = {}  # folder -> the last commit weakening it
    for commit, change in changes_per_commit(push.commits):
        if change.status != 'D':
            last_seen[change.path] = commit
        folder = weakened(change)
        if folder is not None:
            weakened_in[folder] = commit
    for folder in _outermost(weakened_in):
        commit = weakened_in[folder]
        for path in repo.commit(commit).under(folder):
            last_seen.setdefault(path, commit)
    present = tip.lookup(last_seen)
    return [
        (tip if path in present else repo.commit(commit), path)
        for path, commit in last_seen.items()
    ]


def _outermost(folders: dict[str, str]) -> list[str]:
    """The folders not inside another of them (theirs are listed anyway)."""
    from .listing import ancestors
    return [f for f in folders if not f or not any(a in folders for a in ancestors(f))]
