"""A plain folder (a downloaded model snapshot) seen the way git trees are.

`model-license-hooks check` audits folders that are not git repositories:
these classes give the same interface as `gitview.Snapshot` and
`gitview.BlobReader`, reading the files on disk instead.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from collections.abc import Iterator

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

    @property
    def label(self) -> str:
        return f'the folder {self.root}'

    def _load(self, paths: list[str] | None = None) -> Iterator[tuple[str, Entry]]:
        if paths is not None:
            for path in paths:
                entry = self._entry(path)
                if entry is not None:
                    yield path, entry
            return
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if d != '.git')
            for name in sorted(files):
                full = os.path.join(folder, name)
                path = os.path.relpath(full, self.root).replace(os.sep, '/')
                entry = self._entry(path)
                if entry is not None:
                    yield path, entry

    def _load_folder(self, folder: str) -> Iterator[tuple[str, Entry]]:
        base = os.path.join(self.root, folder) if folder else self.root
        try:
            names = sorted(os.listdir(base))
        except OSError:
            return
        for name in names:
            path = f'{folder}/{name}' if folder else name
            entry = self._entry(path)
            if entry is not None:
                yield path, entry

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
