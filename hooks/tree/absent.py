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
from .listing import Entry
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
    `paths`, answers for.  Only the files around and between its own are
    parsed and looked at on disk: chunked runs share the work."""
    if not paths:
        return []
    listing = index.listing()
    keys = listing.paths
    mine = {encoded(p) for p in paths}

    def state(i: int) -> str:
        """'absent', 'present', or '' for what is not a regular file."""
        entry = listing.at(i)
        if entry is None or entry.mode not in REGULAR_MODES:
            return ''
        if entry.tag in 'Ss' or not _on_disk(index.root, entry.path):
            return 'absent'
        return 'present'
    start = bisect.bisect_left(keys, min(mine))
    end = bisect.bisect_right(keys, max(mine))
    found = []
    # Before the first: back to the file the previous run could have held.
    i = start - 1
    while i >= 0 and (kind := state(i)) != 'present':
        if kind:
            found.append(i)
        i -= 1
    found.reverse()
    found += [i for i in range(start, end) if keys[i] not in mine and state(i) == 'absent']
    # After the last: the next run's, unless no run can come after this one.
    after = []
    i = end
    while i < len(keys) and (kind := state(i)) != 'present':
        if kind:
            after.append(i)
        i += 1
    chosen = found + (after if i >= len(keys) else [])
    return [path for i in chosen if (path := _path(listing.at(i)))]


def _path(entry: Entry | None) -> str:
    return entry.path if entry is not None else ''


def absent_note(absent: list[str]) -> tuple[str, str]:
    more = f' (and {len(absent) - 1} more)' if len(absent) > 1 else ''
    return absent[0], (
        f'judged from git\'s objects{more}: not in the working tree (a sparse '
        f'checkout, deleted but not staged, or skip-worktree), so pre-commit '
        f'does not pass it'
    )
