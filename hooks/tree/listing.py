"""A tree's entries, kept as git's own records and searched by path."""
from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable
from collections.abc import Container
from typing import NamedTuple

REGULAR_MODES = frozenset(('100644', '100755'))
SYMLINK_MODE = '120000'


class Entry(NamedTuple):
    mode: str
    oid: str
    path: str
    # The index's tag (git ls-files -v): 'H' cached; lower case for
    # assume-unchanged, 'S'/'s' skip-worktree, 'M' unmerged.  '' elsewhere.
    tag: str = ''

    @property
    def stat_trusted(self) -> bool:
        """May git's stat cache vouch for the checkout of this entry?
        Not when git was told not to look (assume-unchanged, skip-worktree)."""
        return self.tag == 'H'


def ancestors(path: str) -> list[str]:
    """The folders a path is in, nearest first, ending with '' (the root)."""
    parts = path.split('/')[:-1]
    return ['/'.join(parts[:i]) for i in range(len(parts), -1, -1)]


def join(folder: str, name: str) -> str:
    return f'{folder}/{name}' if folder else name


def index_entry(record: bytes) -> Entry | None:
    # <tag> SP <mode> SP <oid> SP <stage> TAB <path> (ls-files -s -v)
    meta, _, path = record.partition(b'\t')
    tag, mode, oid, _ = meta.decode().split(' ')
    return Entry(mode, oid, path.decode('utf-8', 'surrogateescape'), tag)


def tree_entry(record: bytes) -> Entry | None:
    # <mode> SP <type> SP <oid> TAB <path>; submodules (commits) are skipped
    meta, _, path = record.partition(b'\t')
    mode, kind, oid = meta.decode().split(' ')
    if kind != 'blob':
        return None
    return Entry(mode, oid, path.decode('utf-8', 'surrogateescape'))


def encoded(path: str) -> bytes:
    return path.encode('utf-8', 'surrogateescape')


class Listing:
    """Every entry of one tree, kept as git's records sorted by path.

    About 100 bytes a file and no parsing until an entry is asked for: a
    hook run on a few thousand of a repository's 100,000 files (pre-commit
    splits long argument lists) must not build 100,000 objects to find
    them.  Paths are compared as bytes, the order git itself sorts in.
    """

    def __init__(
            self,
            records: list[bytes],
            parse: Callable[[bytes], Entry | None],
    ) -> None:
        paths = [r.partition(b'\t')[2] for r in records]
        if any(map(operator.gt, paths, itertools.islice(paths, 1, None))):
            order = sorted(range(len(paths)), key=paths.__getitem__)
            records = [records[i] for i in order]
            paths = [paths[i] for i in order]
        self._records = records
        self._paths = paths
        self._parse = parse

    @property
    def paths(self) -> list[bytes]:
        """Every path, encoded, in git's (byte) order."""
        return self._paths

    def at(self, i: int) -> Entry | None:
        """The entry of the i-th path (parsed only now)."""
        return self._parse(self._records[i])

    def get(self, path: str) -> Entry | None:
        key = encoded(path)
        # bisect_right: of a conflict's stages, the last one, as git ls-files
        # lists them.
        i = bisect.bisect_right(self._paths, key)
        if i and self._paths[i - 1] == key:
            return self._parse(self._records[i - 1])
        return None

    def _span(self, folder: str) -> tuple[bytes, int, int]:
        """(prefix, first, end): the records under a folder."""
        if not folder:
            return b'', 0, len(self._paths)
        prefix = encoded(folder) + b'/'
        first = bisect.bisect_left(self._paths, prefix)
        # b'0' sorts right after b'/': the end of everything under the folder.
        end = bisect.bisect_left(self._paths, prefix[:-1] + b'0', first)
        return prefix, first, end

    def folder(self, folder: str) -> dict[str, Entry]:
        """{file name: entry} of the files directly in a folder."""
        prefix, i, end = self._span(folder)
        found: dict[str, Entry] = {}
        while i < end:
            rest = self._paths[i][len(prefix):]
            slash = rest.find(b'/')
            if slash >= 0:  # a subfolder: jump past it
                i = bisect.bisect_left(self._paths, prefix + rest[:slash] + b'0', i, end)
                continue
            entry = self._parse(self._records[i])
            if entry is not None:
                found[entry.path.rpartition('/')[2]] = entry
            i += 1
        return found

    def entries(self) -> list[Entry]:
        return [e for e in map(self._parse, self._records) if e is not None]

    def under(self, folder: str, skip: Container[str] = frozenset()) -> list[str]:
        """The paths of the files in a folder and its subfolders, but those
        in `skip` (never held as a list: a large tree's paths are many)."""
        _, first, end = self._span(folder)
        found = []
        for i in range(first, end):
            if skip and self._paths[i].decode('utf-8', 'surrogateescape') in skip:
                continue  # not parsed: most of a large import's paths
            entry = self._parse(self._records[i])
            if entry is not None:
                found.append(entry.path)
        return found
