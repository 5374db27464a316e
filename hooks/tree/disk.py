"""A plain folder (a downloaded model snapshot) seen as a Tree.

`model-license-hooks check` audits folders that are not git repositories,
and `init` plans its changes on disk: the files are read where they are.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Container
from collections.abc import Iterable

from ..errors import ContentError
from .blob import Blob
from .blob import FileBlob
from .listing import Entry
from .listing import join
from .listing import SYMLINK_MODE
from .sample import read_whole_file
from .sample import Sample
from .sample import sample_file
from .sample import small_sample
from .trees import Tree

DISK_PREFIX = 'disk:'  # an Entry's oid on disk: this prefix and the path


class DiskTree(Tree):
    """Every file under a folder (its .git excluded), as found on disk."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._folders: dict[str, dict[str, Entry]] = {}

    @property
    def label(self) -> str:
        return f'the folder {self.root}'

    def lookup(self, paths: Iterable[str]) -> dict[str, Entry]:
        return {p: e for p in paths if (e := self._entry(p)) is not None}

    def under(self, folder: str, skip: Container[str] = frozenset()) -> list[str]:
        found = []
        top = os.path.join(self.root, folder) if folder else self.root
        for where, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != '.git')
            for name in sorted(files):
                full = os.path.join(where, name)
                path = os.path.relpath(full, self.root).replace(os.sep, '/')
                if path not in skip and self._entry(path) is not None:
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
            entry = self._entry(join(folder, name))
            if entry is not None:
                found[name] = entry
        return found

    def _entry(self, path: str) -> Entry | None:
        if not path or path.startswith('/') or '..' in path.split('/'):
            return None
        try:
            st = os.lstat(os.path.join(self.root, path))
        except (OSError, ValueError):
            return None
        if stat.S_ISLNK(st.st_mode):
            return Entry(SYMLINK_MODE, DISK_PREFIX + path, path)
        if stat.S_ISREG(st.st_mode):
            mode = '100755' if st.st_mode & 0o111 else '100644'
            return Entry(mode, DISK_PREFIX + path, path)
        return None

    def _full(self, entry: Entry) -> str:
        return os.path.join(self.root, entry.path)

    def sample(self, entry: Entry) -> Sample:
        full = self._full(entry)
        try:
            if entry.mode == SYMLINK_MODE:  # as git stores it: the link's text
                return small_sample(os.fsencode(os.readlink(full)))
            return sample_file(full)
        except OSError as exc:
            raise ContentError(entry.path, f'cannot read it: {exc.strerror or exc}')

    def open(self, entry: Entry, lfs: tuple[str, int] | None = None) -> Blob | None:
        if lfs is not None or entry.mode == SYMLINK_MODE:
            return None  # a pointer on disk has no object behind it
        try:
            return FileBlob(self._full(entry))
        except OSError as exc:
            raise ContentError(entry.path, f'cannot read it: {exc.strerror or exc}')

    def read(self, entry: Entry, limit: int) -> tuple[bytes, int]:
        full = self._full(entry)
        try:
            if entry.mode == SYMLINK_MODE:
                target = os.fsencode(os.readlink(full))
                return target, len(target)
            return read_whole_file(full, limit)
        except OSError as exc:
            raise ContentError(entry.path, f'cannot read it: {exc.strerror or exc}')
