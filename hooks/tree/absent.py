"""Tracked files pre-commit cannot name: absent from the working tree.

`pre-commit run --all-files` passes `git ls-files` less what is not on
disk (a sparse checkout, a file deleted but not staged, skip-worktree), so
those files would never be judged; the hooks judge them from git's objects.

With `require_serial`, pre-commit splits a long file list into runs of
contiguous stretches of that list, in its order.  Each run takes the absent
files that sort after the last file the previous run could have been given
and up to its own last file; the first run also those before, the last run
those after.  (An `exclude:` in the user's config that hides the file just
before a run's first can hide absent files from every run: `check` in CI
judges them all.)
"""
from __future__ import annotations

import bisect
import os
import stat

from .listing import encoded
from .listing import REGULAR_MODES
from .trees import GitTree


def _on_disk(root: str, path: str) -> bool:
    """Whether pre-commit could pass the path: on disk, not a folder, a
    symlink or a socket (its lexists and `types: [file]`)."""
    try:
        mode = os.lstat(os.path.join(root, path)).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISDIR(mode) or stat.S_ISLNK(mode) or stat.S_ISSOCK(mode))


def absent_in_span(index: GitTree, paths: list[str]) -> list[str]:
    """The regular tracked files absent from the disk that this run, given
    `paths`, answers for."""
    entries = [e for e in index.entries() if e.mode in REGULAR_MODES]
    present = [e.path for e in entries if e.tag not in 'Ss' and _on_disk(index.root, e.path)]
    absent = [e.path for e in entries if e.tag in 'Ss' or not _on_disk(index.root, e.path)]
    if not absent or not paths:
        return []
    keys = [encoded(p) for p in present]
    mine = sorted(encoded(p) for p in paths)
    first, last = mine[0], mine[-1]
    # The file before this run's first, that the previous run could hold.
    before = bisect.bisect_left(keys, first)
    low = keys[before - 1] if before else None
    after = bisect.bisect_right(keys, last)
    high = None if after >= len(keys) else last
    return [
        p for p in absent
        if (low is None or encoded(p) > low) and (high is None or encoded(p) <= high)
    ]


def absent_note(absent: list[str]) -> tuple[str, str]:
    more = f' (and {len(absent) - 1} more)' if len(absent) > 1 else ''
    return absent[0], (
        f'judged from git\'s objects{more}: not in the working tree (a sparse '
        f'checkout, deleted but not staged, or skip-worktree), so pre-commit '
        f'does not pass it'
    )
