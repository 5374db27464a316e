"""What a commit or a push distributes, as git sees it.

Every hook reads companion files (licence, changelog, model card) and the
bytes it classifies from here: the index at commit time, the pushed commit
at push time.  The working tree is used only as a faster copy of a blob, and
only where git says it holds the same content.
"""
from __future__ import annotations

import errno
import functools
import os
import re
import stat
import subprocess
from collections.abc import Iterable
from collections.abc import Iterator
from typing import NamedTuple

from hooks.util import CalledProcessError
from hooks.util import cmd_output
from hooks.util import cmd_output_bytes
from hooks.util import UserError
from hooks.util import zsplit

# The most bytes read from any one file: a head, a tail and a few probes.
HEAD_BYTES = 32 * 1024
TAIL_BYTES = 30 * 1024
PROBE_BYTES = 8
MAX_PROBES = 24

# Up to this many paths are looked up in git by name; more, and the whole
# tree is listed once.
LOOKUP_MAX_PATHS = 512
LOOKUP_MAX_FOLDERS = 64


def _pathspecs(literal: bool) -> dict[str, str]:
    """The environment for git, with pathspec magic off (names) or on."""
    return {**os.environ, 'GIT_LITERAL_PATHSPECS': '1' if literal else '0'}


REGULAR_MODES = frozenset(('100644', '100755'))
SYMLINK_MODE = '120000'


class Entry(NamedTuple):
    mode: str
    oid: str
    path: str


class Change(NamedTuple):
    status: str  # one letter: A, C, D, M, R, T
    old_path: str | None  # for renames and copies
    path: str
    old_oid: str = ''
    new_oid: str = ''
    new_mode: str = ''

    @property
    def content_changed(self) -> bool:
        """False for a pure rename, a mode change, a type-only change."""
        return self.old_oid != self.new_oid


def enter_repo_root(filenames: Iterable[str] = ()) -> list[str]:
    """chdir to the repository root, as pre-commit does; rebase filenames."""
    root = repo_root()
    here = os.getcwd()
    if os.path.realpath(here) == os.path.realpath(root):
        return list(filenames)
    rebased = [
        os.path.relpath(os.path.join(here, f), root).replace(os.sep, '/')
        for f in filenames
    ]
    os.chdir(root)
    return rebased


@functools.lru_cache(maxsize=None)
def _toplevel(cwd: str) -> str:
    return cmd_output('git', 'rev-parse', '--show-toplevel', cwd=cwd)


def repo_root() -> str:
    try:
        out = _toplevel(os.getcwd())
    except CalledProcessError:
        raise UserError(
            'not inside a git repository: run this in a git work tree '
            '(git init, or cd into one)',
        )
    return out.rstrip('\n')


def resolve_commit(ref: str) -> str:
    try:
        out = cmd_output('git', 'rev-parse', '--verify', '-q', f'{ref}^{{commit}}')
    except CalledProcessError:
        raise UserError(f'{ref}: not a commit in this repository')
    return out.strip()


def _parse_raw(tokens: list[str]) -> Iterator[Change | str]:
    """Parse `--raw -z --no-abbrev` output; yields commit ids where git gives them."""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.startswith(':'):
            yield token  # diff-tree --stdin: the commit the changes belong to
            i += 1
            continue
        _, new_mode, old_oid, new_oid, status = token[1:].split(' ')
        if status[:1] in 'RC':
            yield Change(status[0], tokens[i + 1], tokens[i + 2], old_oid, new_oid, new_mode)
            i += 3
        else:
            yield Change(status[0], None, tokens[i + 1], old_oid, new_oid, new_mode)
            i += 2


def _changes(*cmd: str) -> list[Change]:
    out = cmd_output(*cmd, '--raw', '-z', '--no-abbrev', '--no-ext-diff', '-M')
    return [c for c in _parse_raw(zsplit(out)) if isinstance(c, Change)]


def staged_changes() -> list[Change]:
    """What `git commit` would record: the index against HEAD."""
    # Without a HEAD (the first commit), git compares with the empty tree.
    return _changes('git', 'diff', '--cached')


def range_changes(from_ref: str, to_ref: str) -> list[Change]:
    """The range as a whole: FROM's tree against TO's tree."""
    return _changes(
        'git', 'diff', resolve_commit(from_ref), resolve_commit(to_ref),
    )


def commits_in_range(from_ref: str, to_ref: str) -> list[str]:
    """Commits TO has that FROM has not, oldest first."""
    out = cmd_output(
        'git', 'rev-list', '--reverse',
        f'{resolve_commit(from_ref)}..{resolve_commit(to_ref)}',
    )
    return out.split()


def changes_per_commit(commits: list[str]) -> Iterator[tuple[str, Change]]:
    """(commit, change) for every file each commit changes against its parent."""
    if not commits:
        return
    out = cmd_output(
        'git', 'diff-tree', '--stdin', '-r', '--root', '--raw', '-z',
        '--no-abbrev', '--no-ext-diff', '-M',
        input=('\n'.join(commits) + '\n').encode(),
    )
    commit = ''
    for item in _parse_raw(zsplit(out)):
        if isinstance(item, str):
            commit = item
        else:
            yield commit, item


def _ls_files(*args: str, env: dict[str, str]) -> Iterator[tuple[str, Entry]]:
    # <mode> SP <oid> SP <stage> TAB <path>
    for record in zsplit(cmd_output('git', 'ls-files', '-s', '-z', *args, env=env)):
        meta, path = record.split('\t', 1)
        mode, oid, _ = meta.split(' ')
        yield path, Entry(mode, oid, path)


def _ls_tree(*args: str, env: dict[str, str]) -> Iterator[tuple[str, Entry]]:
    # <mode> SP <type> SP <oid> TAB <path>
    out = cmd_output('git', 'ls-tree', '-z', '--full-tree', *args, env=env)
    for record in zsplit(out):
        meta, path = record.split('\t', 1)
        mode, kind, oid = meta.split(' ')
        if kind == 'blob':
            yield path, Entry(mode, oid, path)


class Snapshot:
    """One tree: the index (`rev=None`) or a commit's tree."""

    def __init__(self, rev: str | None = None) -> None:
        self.rev = rev
        self._entries: dict[str, Entry] | None = None
        self._folders: dict[str, dict[str, Entry]] | None = None
        self._looked_up: dict[str, Entry | None] = {}
        self._listed: dict[str, dict[str, Entry]] = {}

    @property
    def label(self) -> str:
        if self.rev is None:
            return 'the staged tree'
        return f'commit {self.rev[:12]}'

    @property
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            self._entries = dict(self._load())
        return self._entries

    def lookup(self, paths: Iterable[str]) -> dict[str, Entry]:
        """The entries of these paths, without listing the whole tree when
        they are few: a small commit in a large repository stays cheap."""
        paths = list(dict.fromkeys(paths))
        if self._entries is None:
            wanted = [p for p in paths if p not in self._looked_up]
            if len(wanted) > LOOKUP_MAX_PATHS:
                return self.lookup_all(paths)
            if wanted:
                found = dict(self._load(wanted))
                for path in wanted:
                    self._looked_up[path] = found.get(path)
            return {
                p: e for p in paths
                if (e := self._looked_up.get(p)) is not None
            }
        return self.lookup_all(paths)

    def lookup_all(self, paths: list[str]) -> dict[str, Entry]:
        return {p: self.entries[p] for p in paths if p in self.entries}

    def _load(self, paths: list[str] | None = None) -> Iterator[tuple[str, Entry]]:
        """The tree, or the named paths in it."""
        pathspec = ('--', *paths) if paths else ()
        if self.rev is None:
            return _ls_files(*pathspec, env=_pathspecs(True))
        return _ls_tree('-r', self.rev, *pathspec, env=_pathspecs(True))

    @property
    def folders(self) -> dict[str, dict[str, Entry]]:
        """folder ('' for the root) -> {file name: entry}."""
        if self._folders is None:
            self._folders = {}
            for path, entry in self.entries.items():
                folder, _, name = path.rpartition('/')
                self._folders.setdefault(folder, {})[name] = entry
        return self._folders

    def folder(self, folder: str) -> dict[str, Entry]:
        """{file name: entry} of one folder ('' for the root), listing only
        that folder while few have been asked for."""
        if self._entries is not None:
            return self.folders.get(folder, {})
        if folder not in self._listed:
            if len(self._listed) >= LOOKUP_MAX_FOLDERS:
                return self.folders.get(folder, {})
            self._listed[folder] = {
                path.rpartition('/')[2]: entry
                for path, entry in self._load_folder(folder)
            }
        return self._listed[folder]

    def _load_folder(self, folder: str) -> Iterator[tuple[str, Entry]]:
        """The files directly in one folder."""
        prefix = f'{folder}/' if folder else ''
        if self.rev is None:
            # A glob '*' does not cross '/': the folder's own files only.
            escaped = re.sub(r'([*?[\]\\])', r'\\\1', prefix)
            return _ls_files('--', f':(glob){escaped}*', env=_pathspecs(False))
        # Without -r, ls-tree lists one level: the folder's own entries.
        pathspec = ('--', prefix) if prefix else ()
        return _ls_tree(self.rev, *pathspec, env=_pathspecs(True))

    def siblings(self, path: str) -> dict[str, Entry]:
        return self.folder(path.rpartition('/')[0])


def ancestors(path: str) -> list[str]:
    """The folders a path is in, nearest first, ending with '' (the root)."""
    parts = path.split('/')[:-1]
    return ['/'.join(parts[:i]) for i in range(len(parts), -1, -1)]


class Sample(NamedTuple):
    """A bounded view of one file's bytes."""
    size: int
    head: bytes
    tail: bytes  # empty when the head holds the whole file
    probes: dict[int, bytes]  # offset -> PROBE_BYTES, for signatures at 2**k

    @property
    def whole(self) -> bool:
        return len(self.head) >= self.size

    def at(self, offset: int, length: int) -> bytes | None:
        if offset + length <= len(self.head):
            return self.head[offset:offset + length]
        if offset in self.probes and length <= len(self.probes[offset]):
            return self.probes[offset][:length]
        tail_start = self.size - len(self.tail)
        if self.tail and offset >= tail_start:
            return self.tail[offset - tail_start:offset - tail_start + length]
        return None


def probe_offsets(size: int) -> list[int]:
    """512, 1024, 2048, ...: where an HDF5 signature may follow a user block."""
    offsets: list[int] = []
    offset = 512
    while offset + PROBE_BYTES <= size and len(offsets) < MAX_PROBES:
        offsets.append(offset)
        offset *= 2
    return offsets


def sample_file(path: str, size: int | None = None) -> Sample:
    """Read a bounded sample of a regular file on disk.  Raises OSError.

    Opened non-blocking and checked after opening, so a FIFO or a device
    put in a file's place is refused instead of hanging the hook.  Reads
    are unbuffered (pread), so no more than the sample is read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, 'not a regular file', path)
        if size is None:
            size = st.st_size
        head = os.pread(fd, HEAD_BYTES, 0)
        if len(head) < HEAD_BYTES:
            return Sample(len(head), head, b'', {})
        tail_start = max(HEAD_BYTES, size - TAIL_BYTES)
        tail = os.pread(fd, TAIL_BYTES, tail_start) if size > HEAD_BYTES else b''
        probes = {
            offset: os.pread(fd, PROBE_BYTES, offset)
            for offset in probe_offsets(size)
            if HEAD_BYTES <= offset < tail_start
        }
        return Sample(size, head, tail, probes)
    finally:
        os.close(fd)


class BlobReader:
    """Bounded reads of blobs, in as few git processes as possible.

    Where git's stat cache says the checkout holds a blob unchanged and no
    filter (Git LFS, git-crypt) stands between them, the file on disk is
    read instead: the same bytes, without inflating a loose object.
    """

    def __init__(self, index: Snapshot | None = None) -> None:
        self._sizes: dict[str, int] = {}
        self._small: dict[str, bytes] = {}
        self._dirty: set[str] = set()
        self._stat_checked: set[str] = set()
        self._stat_all = False
        self._filtered: dict[str, bool] = {}
        self._index = index if index is not None else Snapshot(None)
        self._root = repo_root()

    def prefetch(self, entries: Iterable[Entry]) -> None:
        """Prepare to sample these entries with as few git calls as possible."""
        entries = list(entries)
        paths = [e.path for e in entries]
        self._index.lookup(paths)
        self._learn_dirty(paths)
        self._learn_filters([e.path for e in entries if e.path not in self._filtered])
        self._prefetch_oids(e.oid for e in entries if not self._from_checkout(e))

    def _prefetch_oids(self, oids: Iterable[str]) -> None:
        """Learn the size of each blob, and read the small ones whole."""
        wanted = sorted({o for o in oids if o not in self._sizes})
        if not wanted:
            return
        out = cmd_output(
            'git', 'cat-file', '--batch-check=%(objectname) %(objectsize)',
            input=('\n'.join(wanted) + '\n').encode(),
        )
        small = []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                self._sizes[parts[0]] = int(parts[1])
                if int(parts[1]) <= HEAD_BYTES:
                    small.append(parts[0])
        if small:
            self._read_small(small)

    def _read_small(self, oids: list[str]) -> None:
        out = cmd_output_bytes(
            'git', 'cat-file', '--batch',
            input=('\n'.join(oids) + '\n').encode(),
        )
        pos = 0
        while pos < len(out):
            eol = out.index(b'\n', pos)
            header = out[pos:eol].split()
            size = int(header[2])
            self._small[header[0].decode()] = out[eol + 1:eol + 1 + size]
            pos = eol + 1 + size + 1

    def _learn_filters(self, paths: list[str]) -> None:
        if not paths:
            return
        out = cmd_output(
            'git', 'check-attr', '--cached', '-z', '--stdin', 'filter',
            input='\0'.join(paths).encode('utf-8', 'surrogateescape'),
        )
        tokens = zsplit(out)
        for i in range(0, len(tokens) - 2, 3):
            self._filtered[tokens[i]] = tokens[i + 2] not in ('unspecified', 'unset')

    def read_whole(self, oid: str, limit: int) -> tuple[bytes, int]:
        """(content, size) of a blob of at most `limit` bytes; else (b'', size)."""
        size = self.size(oid)
        if oid in self._small:
            return self._small[oid], size
        if size > limit:
            return b'', size
        return cmd_output_bytes('git', 'cat-file', 'blob', oid), size

    def size(self, oid: str) -> int:
        self._prefetch_oids((oid,))
        if oid not in self._sizes:
            # A partial clone, or an index entry made by hand.
            raise OSError(errno.ENOENT, 'git has no object', oid)
        return self._sizes[oid]

    def _learn_dirty(self, paths: list[str]) -> None:
        """Ask git's stat cache which of these files differ from the index."""
        wanted = [p for p in paths if p not in self._stat_checked]
        if self._stat_all or not wanted:
            return
        whole = len(wanted) > LOOKUP_MAX_PATHS
        out = cmd_output(
            'git', 'diff-files', '--name-only', '-z',
            *(() if whole else ('--', *wanted)), env=_pathspecs(True),
        )
        self._dirty.update(zsplit(out))
        self._stat_all = whole
        self._stat_checked.update(wanted)

    def _worktree_matches(self, entry: Entry) -> bool:
        """Does the file on disk hold this blob?  Asks git's stat cache."""
        self._learn_dirty([entry.path])
        indexed = self._index.lookup([entry.path]).get(entry.path)
        return (
            indexed is not None and indexed.oid == entry.oid and
            entry.path not in self._dirty
        )

    def _from_checkout(self, entry: Entry) -> bool:
        if entry.path not in self._filtered:
            self._learn_filters([entry.path])
        return (
            entry.mode in REGULAR_MODES and
            not self._filtered.get(entry.path, True) and
            self._worktree_matches(entry)
        )

    def sample(self, entry: Entry) -> Sample:
        """A bounded sample of the blob.  Raises OSError if it can't be read."""
        if entry.oid not in self._small and self._from_checkout(entry):
            try:
                return sample_file(os.path.join(self._root, entry.path))
            except OSError:
                pass  # changed or gone since git looked: ask git
        size = self.size(entry.oid)
        if entry.oid in self._small:
            return Sample(size, self._small[entry.oid], b'', {})
        return Sample(size, self._stream_head(entry.oid), b'', {})

    def worktree_sample(self, entry: Entry) -> Sample | None:
        """The file on disk, when git says it is this entry's checkout.

        For a Git LFS pointer this is the smudged content: the weights.
        """
        if not self._worktree_matches(entry):
            return None
        try:
            return sample_file(os.path.join(self._root, entry.path))
        except OSError:
            return None

    @staticmethod
    def _stream_head(oid: str) -> bytes:
        # Only the head is wanted: stop git once it has been read.
        proc = subprocess.Popen(
            ('git', 'cat-file', 'blob', oid),
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        try:
            chunks = []
            remaining = HEAD_BYTES
            while remaining:
                chunk = proc.stdout.read(remaining)
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
            return b''.join(chunks)
        finally:
            proc.stdout.close()
            proc.kill()
            proc.wait()
