"""One `Tree` interface for what is distributed: git's index, a commit,
or a folder on disk (see `disk.DiskTree`).

Every layer above reads files only through a Tree: names and entries
(`lookup`, `folder`, `under`) and bounded content (`sample`, `read`).
"""
from __future__ import annotations

import os
import re
from collections.abc import Container
from collections.abc import Iterable
from collections.abc import Sequence

from .git import cmd_output
from .git import cmd_records
from .git import pathspec_env
from .git import repo_root
from .listing import ancestors
from .listing import Entry
from .listing import index_entry
from .listing import join
from .listing import Listing
from .listing import tree_entry
from .reader import GitReader
from .blob import Blob
from .sample import Sample

# Up to this many paths are looked up in git by name; more, and the whole
# tree is listed once.  git matches every entry against every pathspec, so
# naming P paths costs about what listing P/256 of the whole tree does.
LOOKUP_MAX_PATHS = 256
# Lookups and folder listings by name, one git call each, before the whole
# tree is listed instead (each call reads the index: at 100,000 files, 8
# calls cost about what one whole listing does).
LOOKUP_MAX_CALLS = 8


class Tree:
    """The files of one tree, by path, and bounded reads of their content."""

    root = ''  # where the files are on disk, for messages and writers

    @property
    def label(self) -> str:
        """The tree in messages: 'the staged tree', 'commit 1234abcd'."""
        return 'the tree'

    def lookup(self, paths: Iterable[str]) -> dict[str, Entry]:
        """The entries of these paths (those the tree has)."""
        raise NotImplementedError

    def folder(self, folder: str) -> dict[str, Entry]:
        """{file name: entry} of the files directly in a folder ('' the root)."""
        raise NotImplementedError

    def under(self, folder: str, skip: Container[str] = frozenset()) -> list[str]:
        """The paths in a folder ('' for the root) and its subfolders, but
        those in `skip`."""
        raise NotImplementedError

    def paths(self) -> list[str]:
        return self.under('')

    def siblings(self, path: str) -> dict[str, Entry]:
        return self.folder(path.rpartition('/')[0])

    def entry(self, path: str) -> Entry | None:
        return self.lookup([path]).get(path)

    def prefetch(self, entries: Iterable[Entry]) -> None:
        """Prepare to read these entries with as few calls as possible."""

    def sample(self, entry: Entry) -> Sample:
        """A bounded sample of the file.  Raises ContentError."""
        raise NotImplementedError

    def read(self, entry: Entry, limit: int) -> tuple[bytes, int]:
        """(content, size) of a file of at most `limit` bytes, else
        (b'', size).  Raises ContentError."""
        raise NotImplementedError

    def smudged(self, entry: Entry, oid: str, size: int) -> Sample | None:
        """A sample of the content a Git LFS pointer (oid, size) stands for,
        when it is at hand."""
        return None

    def lfs_content(self, entry: Entry, oid: str, size: int, limit: int) -> bytes | None:
        """All the content a Git LFS pointer stands for (up to `limit`
        bytes), when it is at hand and verified against its SHA-256."""
        return None

    def open(self, entry: Entry, lfs: tuple[str, int] | None = None) -> Blob | None:
        """Random access to the file, within a budget (for archives); with
        `lfs` (oid, size), to the Git LFS object it stands for.  None when
        there is no such access."""
        return None


class GitTree(Tree):
    """One tree of a repository: the index (`rev=None`) or a commit's tree."""

    def __init__(self, repo: GitRepo, rev: str | None) -> None:
        self.repo = repo
        self.rev = rev
        self.root = repo.root
        self._listing: Listing | None = None
        self._looked_up: dict[str, Entry | None] = {}
        self._listed: dict[str, dict[str, Entry]] = {}
        self._calls = 0  # git calls by name so far

    @property
    def label(self) -> str:
        return 'the staged tree' if self.rev is None else f'commit {self.rev[:12]}'

    def _by_name(self) -> bool:
        """May one more git call ask by name, or is the whole tree due?"""
        if self._listing is not None or self._calls >= LOOKUP_MAX_CALLS:
            return False
        self._calls += 1
        return True

    def _whole(self) -> Listing:
        if self._listing is None:
            self._listing = self._list()
        return self._listing

    def _list(self, *pathspecs: str, literal: bool = True) -> Listing:
        """The tree, or the part of it the pathspecs name."""
        env = pathspec_env(literal)
        tail = ('--', *pathspecs) if pathspecs else ()
        if self.rev is None:
            records = cmd_records(
                'git', 'ls-files', '-s', '-v', '-z', *tail, env=env, cwd=self.root,
            )
            return Listing(list(records), index_entry)
        records = cmd_records(
            'git', 'ls-tree', '-z', '--full-tree', '-r', self.rev, *tail,
            env=env, cwd=self.root,
        )
        return Listing(list(records), tree_entry)

    def preload(self, paths: Sequence[str], subfolders: Sequence[str]) -> None:
        """Ask git once for what a small run will ask of the index: these
        paths, and the files directly in every folder they are in and in
        those folders' `subfolders` (where companion files live).  Later
        lookups and folder listings there need no git call."""
        if self.rev is not None or self._listing is not None:
            return
        paths = list(dict.fromkeys(paths))
        if not paths or len(paths) > LOOKUP_MAX_PATHS:
            return  # the whole tree is listed once anyway
        # Each path is in its folder's listing: one pathspec per folder
        # (git matches every entry against every pathspec).
        folders = list(dict.fromkeys(a for p in paths for a in ancestors(p)))
        folders += [join(f, sub) for f in list(folders) for sub in subfolders]
        specs = [f':(glob){_glob_escaped(f"{f}/" if f else "")}*' for f in folders]
        self._calls += 1
        found = self._list(*specs, literal=False)
        for folder in folders:
            self._listed[folder] = found.folder(folder)

    def lookup(self, paths: Iterable[str]) -> dict[str, Entry]:
        """The entries of these paths, without listing the whole tree when
        they are few: a small commit in a large repository stays cheap."""
        paths = list(dict.fromkeys(paths))
        for path in paths:
            # A folder listed already answers for its files.
            folder, _, name = path.rpartition('/')
            if path not in self._looked_up and folder in self._listed:
                self._looked_up[path] = self._listed[folder].get(name)
        wanted = [p for p in paths if p not in self._looked_up]
        if wanted:
            if len(wanted) <= LOOKUP_MAX_PATHS and self._by_name():
                found = self._list(*wanted)
            else:
                found = self._whole()
            for path in wanted:
                self._looked_up[path] = found.get(path)
        return {p: e for p in paths if (e := self._looked_up[p]) is not None}

    def under(self, folder: str, skip: Container[str] = frozenset()) -> list[str]:
        return self._whole().under(folder, skip)

    def entries(self) -> list[Entry]:
        """Every entry of the tree, in git's order."""
        return self._whole().entries()

    def listing(self) -> Listing:
        """The whole tree, as git's records, parsed only where asked."""
        return self._whole()

    def folder(self, folder: str) -> dict[str, Entry]:
        """Lists only that folder while few have been asked for."""
        if self._listing is not None:
            return self._listing.folder(folder)
        if folder not in self._listed:
            if not self._by_name():
                return self._whole().folder(folder)
            self._listed[folder] = self._list_folder(folder)
        return self._listed[folder]

    def _list_folder(self, folder: str) -> dict[str, Entry]:
        """The files directly in one folder."""
        prefix = f'{folder}/' if folder else ''
        if self.rev is None:
            # A glob '*' does not cross '/': the folder's own files only.
            return self._list(f':(glob){_glob_escaped(prefix)}*', literal=False).folder(folder)
        # Without -r, ls-tree lists one level: the folder's own entries.
        pathspec = ('--', prefix) if prefix else ()
        records = cmd_records(
            'git', 'ls-tree', '-z', '--full-tree', self.rev, *pathspec,
            env=pathspec_env(), cwd=self.root,
        )
        return Listing(list(records), tree_entry).folder(folder)

    def prefetch(self, entries: Iterable[Entry]) -> None:
        self.repo.reader.prefetch(entries)

    def sample(self, entry: Entry) -> Sample:
        return self.repo.reader.sample(entry)

    def read(self, entry: Entry, limit: int) -> tuple[bytes, int]:
        return self.repo.reader.read_whole(entry, limit)

    def smudged(self, entry: Entry, oid: str, size: int) -> Sample | None:
        return self.repo.reader.smudged(entry, oid, size)

    def lfs_content(self, entry: Entry, oid: str, size: int, limit: int) -> bytes | None:
        return self.repo.reader.lfs_content(entry, oid, size, limit)

    def open(self, entry: Entry, lfs: tuple[str, int] | None = None) -> Blob | None:
        if lfs is not None:
            return self.repo.reader.open_lfs(*lfs)
        return self.repo.reader.open(entry)


def _glob_escaped(path: str) -> str:
    """A path as a glob pathspec that matches only itself."""
    return re.sub(r'([*?[\]\\])', r'\\\1', path)


class GitRepo:
    """A repository: its index, its commits, one reader shared by them."""

    def __init__(self, root: str | None = None) -> None:
        self.root = root or repo_root()
        self.index = GitTree(self, None)
        self.reader = GitReader(self.root, self.index)
        self._commits: dict[str, GitTree] = {}
        self._common_dir: str | None = None

    def common_dir(self) -> str:
        """The git directory shared by the repository's worktrees."""
        if self._common_dir is None:
            found = cmd_output('git', 'rev-parse', '--git-common-dir', cwd=self.root).strip()
            self._common_dir = os.path.join(self.root, found)
        return self._common_dir

    def commit(self, rev: str) -> GitTree:
        if rev not in self._commits:
            self._commits[rev] = GitTree(self, rev)
        return self._commits[rev]
