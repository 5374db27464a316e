"""A plain folder (a downloaded model snapshot) seen the way git trees are.

`model-license-hooks check` audits folders that are not git repositories:
these classes give the same interface as `gitview.Snapshot` and
`gitview.BlobReader`, reading the files on disk instead.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable

from hooks.gitview import BlobReader
from hooks.gitview import Entry
from hooks.gitview import Sample
from hooks.gitview import sample_file
from hooks.gitview import Snapshot
from hooks.gitview import SYMLINK_MODE
from hooks.util import UserError

DISK_PREFIX = 'disk:'  # an Entry's oid on disk: this prefix and the path


class DiskSnapshot(Snapshot):
    """Every file under a folder (its .git excluded), as found on disk."""

    def __init__(self, root: str) -> None:
        super().__init__(None)
        self.root = root
        self._folders: dict[str, dict[str, Entry]] = {}

    @property
    def label(self) -> str:
        return f'the folder {self.root}'

    def lookup(self, paths: Iterable[str]) -> dict[str, Entry]:
        return {p: e for p in paths if (e := self._entry(p)) is not None}

    def under(self, folder: str) -> list[str]:
        found = []
        top = os.path.join(self.root, folder) if folder else self.root
        for where, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != '.git')
            for name in sorted(files):
                full = os.path.join(where, name)
                path = os.path.relpath(full, self.root).replace(os.sep, '/')
                if self._entry(path) is not None:
                    found.append(path)
        return found

    def folder(self, folder: str) -> dict[str, Entry]:
        if folder in self._folders:
            return self._folders[folder]
        base = os.path.join(self.root, folder) if folder else self.root
        try:
            names = sorted(os.listdir(base))
        except OSError:
            names = []
        found = self._folders[folder] = {}
        for name in names:
            entry = self._entry(f'{folder}/{name}' if folder else name)
            if entry is not None:
                found[name] = entry
        return found

    def _entry(self, path: str) -> Entry | None:
        try:
            st = os.lstat(os.path.join(self.root, path))
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            return Entry(SYMLINK_MODE, DISK_PREFIX + path, path)
        if stat.S_ISREG(st.st_mode):
            mode = '100755' if st.st_mode & 0o111 else '100644'
            return Entry(mode, DISK_PREFIX + path, path)
        return None


class DiskReader(BlobReader):
    """Bounded reads of the files of a DiskSnapshot."""

    def __init__(self, root: str) -> None:  # no git: nothing of the parent's
        self.root = root

    def _full(self, oid: str) -> str:
        return os.path.join(self.root, oid[len(DISK_PREFIX):])

    def prefetch(self, entries: Iterable[Entry]) -> None:
        pass  # every read goes to the disk

    def size(self, oid: str) -> int:
        return os.lstat(self._full(oid)).st_size

    def sample(self, entry: Entry) -> Sample:
        full = self._full(entry.oid)
        if entry.mode == SYMLINK_MODE:  # as git stores it: the link's text
            target = os.fsencode(os.readlink(full))
            return Sample(len(target), target, b'', {})
        return sample_file(full)

    def worktree_sample(self, entry: Entry) -> Sample | None:
        return None  # a pointer on disk has no checkout behind it

    def read_whole(self, oid: str, limit: int) -> tuple[bytes, int]:
        full = self._full(oid)
        st = os.lstat(full)
        if stat.S_ISLNK(st.st_mode):  # as git stores it: the link's text
            target = os.fsencode(os.readlink(full))
            return target, len(target)
        if st.st_size > limit:
            return b'', st.st_size
        # Non-blocking and checked after opening: a FIFO must not hang us.
        fd = os.open(full, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        with os.fdopen(fd, 'rb') as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise UserError(f'{oid[len(DISK_PREFIX):]}: not a regular file')
            data = f.read(limit + 1)
        return data[:limit], len(data)
