"""What one run must judge: the tree distributed and the paths in it.

Three ways a hook runs (pre-commit sets the environment):
- at push: PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF; the pushed commit's
  tree, and every file any pushed commit adds or changes;
- with explicit files (`pre-commit run --all-files` or `--files`): those
  files as the index holds them;
- at commit: the staged tree, and the staged files.
`check` adds a fourth: every file of a tree (the index, or a folder).
Companion files always come from the same tree, never from the disk.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Container
from collections.abc import Sequence
from typing import NamedTuple

from ..errors import GitError
from ..errors import UserError
from . import changes as git_changes
from .absent import absent_in_span
from .absent import absent_note
from .changes import Change
from .listing import ancestors
from .push import net_changes
from .push import push_refs
from .push import pushed
from .push import targets as push_targets
from .trees import GitRepo
from .trees import GitTree
from .trees import Tree

# The folder a change may leave uncovered (a licence copy deleted, moved
# or emptied), or None: every tracked path under it is judged again.
Weakened = Callable[[Change], 'str | None']
# Files whose changes a run reads besides those it judges.
Companion = Callable[[str], bool]


class Target(NamedTuple):
    tree: Tree
    path: str


class Distribution(NamedTuple):
    mode: str  # 'commit', 'push', 'files' or 'audit'
    tree: Tree  # the tree that is distributed
    targets: list[Target]
    changes: list[Change]  # staged changes, or the push range as a whole
    repo: GitRepo | None  # None for a folder that is not a repository
    base: str | None = None  # the commit the changes are against, if any
    notes: tuple[tuple[str, str], ...] = ()  # (path, message) the run should say

    def by_tree(self) -> list[tuple[Tree, list[str]]]:
        groups: dict[int, tuple[Tree, list[str]]] = {}
        for target in self.targets:
            groups.setdefault(id(target.tree), (target.tree, []))[1].append(target.path)
        return list(groups.values())


def distributed_tree(repo: GitRepo) -> GitTree:
    """The tree a run distributes: the pushed commit, or the index."""
    push = pushed()
    return repo.commit(push.tip) if push is not None else repo.index


def of_run(
        repo: GitRepo,
        filenames: Sequence[str],
        weakened: Weakened = lambda change: None,
        companion: Companion = lambda path: False,
        deletions: bool = False,
) -> Distribution:
    """What a hook run distributes (see the module's docstring); the
    filenames are relative to the repository root.

    `companion(path)` says which files' changes the run reads besides those
    it judges; at commit time `changes` holds only those, the judged files'
    own and, with `deletions`, every deletion; `weakened` is asked of those.
    """
    push = pushed()
    if push is not None:
        tip = repo.commit(push.tip)
        found = [Target(t, p) for t, p in push_targets(repo, push, weakened)]
        seen = {t.path for t in found}
        net = net_changes(push)
        found += [Target(tip, p) for p in _dependents(tip, net, weakened) if p not in seen]
        return Distribution('push', tip, found, net, repo, push.base)
    wanted = set(filenames)
    # Every path the commit adds or changes, whichever run it is given to.
    committed: set[str] = set()

    # pre-commit splits a long list of files over several runs: each reads
    # the changes of its own files and of companion files, not all of them.
    def keep(path: str, status: str) -> bool:
        if status != 'D':
            committed.add(path)
        return path in wanted or companion(path) or (deletions and status == 'D')

    changes = git_changes.staged_changes(keep if wanted else None)
    staged = {c.path for c in changes if c.status != 'D'}
    if not wanted:
        committed = staged
    index = repo.index
    if filenames and not wanted <= staged:
        # pre-commit run --all-files / --files: judge what was named, and
        # the tracked files pre-commit cannot name (absent from the disk).
        paths = list(dict.fromkeys(filenames))
        tracked = index.lookup(paths)
        for path in paths:
            if path not in tracked and not os.path.lexists(path):
                raise UserError(f'{path}: no such file')
        absent = absent_in_span(index, paths)
        notes = [absent_note(absent)] if absent else []
        return Distribution(
            'files', index, _targets(index, paths + absent), changes, repo,
            notes=tuple(notes),
        )
    if filenames or os.environ.get('PRE_COMMIT'):
        # pre-commit passes staged files, less those the user excluded.
        paths = list(dict.fromkeys(filenames))
    else:
        paths = sorted(staged)  # run by hand: the whole staged change
    # A file the commit itself adds or changes is judged by the run
    # pre-commit gives it to: the first commit of a large import, with its
    # licence and settings, must not judge every file in every run.
    paths += _dependents(index, changes, weakened, skip=committed)
    return Distribution(
        'commit', index, _targets(index, list(dict.fromkeys(paths))), changes,
        repo, 'HEAD',
    )


def of_tree(tree: Tree, repo: GitRepo | None) -> Distribution:
    """Every file of a tree, as `check` audits it."""
    return Distribution('audit', tree, _targets(tree, tree.paths()), [], repo)


def _targets(tree: Tree, paths: list[str]) -> list[Target]:
    return [Target(tree, p) for p in paths]


def _dependents(
        tree: Tree, changes: list[Change], weakened: Weakened,
        skip: Container[str] = frozenset(),
) -> list[str]:
    """Tracked paths in folders a change may have left uncovered (but those
    in `skip`)."""
    folders = {f for f in map(weakened, changes) if f is not None}
    # A folder inside another adds nothing: its files are under both.
    outermost = [
        f for f in folders
        if not f or not any(a in folders for a in ancestors(f))
    ]
    return sorted(p for f in outermost for p in tree.under(f, skip))


def candidate_paths(given: list[str]) -> set[str]:
    """The paths pre-commit may pass this run, which was surely given
    `given`: at push, those the range changes (pre-commit's `FROM...TO`);
    at commit (all of `given` staged) the staged ones; else (--all-files,
    --files, a first push) the tracked ones and the staged."""
    from .git import cmd_output
    from .git import repo_root
    from .git import zsplit
    root = repo_root()
    refs = push_refs()
    if refs is not None:
        try:
            out = cmd_output(
                'git', 'diff', '--name-only', '-z', '--no-ext-diff',
                f'{refs[0]}...{refs[1]}', cwd=root,
            )
        except GitError:
            out = cmd_output(
                'git', 'diff', '--name-only', '-z', '--no-ext-diff',
                f'{refs[0]}..{refs[1]}', cwd=root,
            )
        return set(zsplit(out))
    staged = set(zsplit(cmd_output('git', 'diff', '--cached', '--name-only', '-z', cwd=root)))
    if set(given) <= staged and not os.environ.get('PRE_COMMIT_REMOTE_BRANCH'):
        return staged
    return staged | set(zsplit(cmd_output('git', 'ls-files', '-z', cwd=root)))
