"""What a commit or a push distributes, as git sees it.

Every hook reads companion files (licence, changelog, model card) and the
bytes it classifies from here: the index at commit time, the pushed commit
at push time.  The working tree is used only as a faster copy of a blob, and
only where git says it holds the same content.
"""
from __future__ import annotations

import bisect
import errno
import functools
import hashlib
import itertools
import operator
import os
import re
import stat
import subprocess
import weakref
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from typing import NamedTuple

from hooks.util import CalledProcessError
from hooks.util import cmd_output
from hooks.util import cmd_output_bytes
from hooks.util import cmd_records
from hooks.util import UserError
from hooks.util import zsplit

# The most bytes read from any one file: a head, a tail and a few probes.
HEAD_BYTES = 32 * 1024
TAIL_BYTES = 30 * 1024
PROBE_BYTES = 8
MAX_PROBES = 24

# A file in the checkout up to this size is read whole and compared with
# the blob by its git id; a larger one, git's stat cache must vouch for.
VERIFY_BYTES = 1024 * 1024

# Up to this many paths are looked up in git by name; more, and the whole
# tree is listed once.  git matches every entry against every pathspec, so
# naming P paths costs about what listing P/256 of the whole tree does.
LOOKUP_MAX_PATHS = 256
# Lookups and folder listings by name, one git call each, before the whole
# tree is listed instead (each call reads the index: at 100,000 files, 8
# calls cost about what one whole listing does).
LOOKUP_MAX_CALLS = 8
# Files asked about in git's stat cache by name; more, and it is asked
# about all of them (it stats every tracked file: cheap next to P pathspecs).
STAT_MAX_PATHS = 64


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


# The first field of a record of `--raw -z --no-abbrev`; the path (two for a
# rename or a copy) follows.  `diff-tree --stdin` puts commit ids between.
_RAW_META = re.compile(rb':[0-7]+ ([0-7]+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])[0-9]*')


def _parse_raw(
        tokens: Iterable[bytes],
        keep: Callable[[str, str], bool] | None = None,
) -> Iterator[Change | str]:
    """Parse `--raw -z --no-abbrev` output, split at NULs; yields commit ids
    where git gives them.  With `keep(path, status)`, only the changes it
    keeps a path of: a large commit need not become one object per file."""
    tokens = iter(tokens)
    for token in tokens:
        if not token.startswith(b':'):
            yield token.decode()  # diff-tree --stdin: the commit that follows
            continue
        # Only the status (the last field) before `keep` has its say: a
        # large commit's records are mostly skipped, and quickly.
        status = token.rpartition(b' ')[2][:1]
        renamed = status == b'R' or status == b'C'
        old = next(tokens, None) if renamed else b''
        new = next(tokens, None)
        if old is None or new is None:
            raise UserError(f'git gave a diff this cannot read: {token[:120]!r}')
        letter = status.decode()
        new_path = new.decode('utf-8', 'surrogateescape')
        old_path = old.decode('utf-8', 'surrogateescape') if renamed else None
        if keep is not None and not keep(new_path, letter) and (
                old_path is None or not keep(old_path, letter)
        ):
            continue
        m = _RAW_META.fullmatch(token)
        if m is None:
            raise UserError(f'git gave a diff this cannot read: {token[:120]!r}')
        yield Change(
            letter, old_path, new_path, m[2].decode(), m[3].decode(), m[1].decode(),
        )


def _changes(*cmd: str, keep: Callable[[str, str], bool] | None = None) -> list[Change]:
    tokens = cmd_records(*cmd, '--raw', '-z', '--no-abbrev', '--no-ext-diff', '-M')
    return [c for c in _parse_raw(tokens, keep) if isinstance(c, Change)]


def staged_changes(keep: Callable[[str, str], bool] | None = None) -> list[Change]:
    """What `git commit` would record: the index against HEAD; with `keep`,
    only the changes of the paths it keeps."""
    # Without a HEAD (the first commit), git compares with the empty tree.
    return _changes('git', 'diff', '--cached', keep=keep)


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
    out = cmd_output_bytes(
        'git', 'diff-tree', '--stdin', '-r', '--root', '--raw', '-z',
        '--no-abbrev', '--no-ext-diff', '-M',
        input=('\n'.join(commits) + '\n').encode(),
    )
    commit = ''
    for item in _parse_raw(_records(out)):
        if isinstance(item, str):
            commit = item
        else:
            yield commit, item


def _index_entry(record: bytes) -> Entry | None:
    # <mode> SP <oid> SP <stage> TAB <path>
    meta, _, path = record.partition(b'\t')
    mode, oid, _ = meta.decode().split(' ')
    return Entry(mode, oid, path.decode('utf-8', 'surrogateescape'))


def _tree_entry(record: bytes) -> Entry | None:
    # <mode> SP <type> SP <oid> TAB <path>; submodules (commits) are skipped
    meta, _, path = record.partition(b'\t')
    mode, kind, oid = meta.decode().split(' ')
    if kind != 'blob':
        return None
    return Entry(mode, oid, path.decode('utf-8', 'surrogateescape'))


def _records(out: bytes) -> list[bytes]:
    records = out.split(b'\0')
    records.pop()  # what follows the last NUL: nothing
    return records


def _encoded(path: str) -> bytes:
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

    def get(self, path: str) -> Entry | None:
        key = _encoded(path)
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
        prefix = _encoded(folder) + b'/'
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

    def under(self, folder: str) -> list[str]:
        """The paths of the files in a folder and its subfolders."""
        _, first, end = self._span(folder)
        return [
            e.path for e in map(self._parse, self._records[first:end])
            if e is not None
        ]


class Snapshot:
    """One tree: the index (`rev=None`) or a commit's tree."""

    def __init__(self, rev: str | None = None) -> None:
        self.rev = rev
        self._listing: Listing | None = None
        self._looked_up: dict[str, Entry | None] = {}
        self._listed: dict[str, dict[str, Entry]] = {}
        self._calls = 0  # git calls by name so far

    def _by_name(self) -> bool:
        """May one more git call ask by name, or is the whole tree due?"""
        if self._listing is not None or self._calls >= LOOKUP_MAX_CALLS:
            return False
        self._calls += 1
        return True

    @property
    def label(self) -> str:
        if self.rev is None:
            return 'the staged tree'
        return f'commit {self.rev[:12]}'

    def _whole(self) -> Listing:
        if self._listing is None:
            self._listing = self._list()
        return self._listing

    def _list(self, *pathspecs: str, literal: bool = True) -> Listing:
        """The tree, or the part of it the pathspecs name."""
        env = _pathspecs(literal)
        tail = ('--', *pathspecs) if pathspecs else ()
        if self.rev is None:
            records = cmd_records('git', 'ls-files', '-s', '-z', *tail, env=env)
            return Listing(list(records), _index_entry)
        records = cmd_records(
            'git', 'ls-tree', '-z', '--full-tree', '-r', self.rev, *tail, env=env,
        )
        return Listing(list(records), _tree_entry)

    def lookup(self, paths: Iterable[str]) -> dict[str, Entry]:
        """The entries of these paths, without listing the whole tree when
        they are few: a small commit in a large repository stays cheap."""
        paths = list(dict.fromkeys(paths))
        wanted = [p for p in paths if p not in self._looked_up]
        if wanted:
            if len(wanted) <= LOOKUP_MAX_PATHS and self._by_name():
                found = self._list(*wanted)
            else:
                found = self._whole()
            for path in wanted:
                self._looked_up[path] = found.get(path)
        return {p: e for p in paths if (e := self._looked_up[p]) is not None}

    def paths(self) -> list[str]:
        """Every path in the tree."""
        return self.under('')

    def under(self, folder: str) -> list[str]:
        """The paths in a folder ('' for the root) and its subfolders."""
        return self._whole().under(folder)

    def folder(self, folder: str) -> dict[str, Entry]:
        """{file name: entry} of one folder ('' for the root), listing only
        that folder while few have been asked for."""
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
            escaped = re.sub(r'([*?[\]\\])', r'\\\1', prefix)
            return self._list(f':(glob){escaped}*', literal=False).folder(folder)
        # Without -r, ls-tree lists one level: the folder's own entries.
        pathspec = ('--', prefix) if prefix else ()
        records = cmd_records(
            'git', 'ls-tree', '-z', '--full-tree', self.rev, *pathspec,
            env=_pathspecs(True),
        )
        return Listing(list(records), _tree_entry).folder(folder)

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


def _sample(size: int, read: Callable[[int, int], bytes]) -> Sample:
    """A head, a tail and probes of `size` bytes, `read(offset, length)`."""
    head = read(0, HEAD_BYTES)
    if len(head) < HEAD_BYTES:
        return Sample(len(head), head, b'', {})
    tail_start = max(HEAD_BYTES, size - TAIL_BYTES)
    tail = read(tail_start, TAIL_BYTES) if size > HEAD_BYTES else b''
    probes = {
        offset: read(offset, PROBE_BYTES)
        for offset in probe_offsets(size)
        if HEAD_BYTES <= offset < tail_start
    }
    return Sample(size, head, tail, probes)


def sample_bytes(data: bytes) -> Sample:
    """The sample `sample_file` takes of a file holding `data`."""
    return _sample(len(data), lambda offset, length: data[offset:offset + length])


def read_file(path: str, whole_up_to: int = 0) -> tuple[Sample, bytes | None]:
    """A bounded sample of a regular file on disk, and all its bytes if it
    holds no more than `whole_up_to`.  Raises OSError.

    Opened non-blocking and checked after opening, so a FIFO or a device
    put in a file's place is refused instead of hanging the hook.  Reads
    are unbuffered (pread), so no more than the sample is read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, 'not a regular file', path)
        if st.st_size <= whole_up_to:
            data = os.pread(fd, st.st_size + 1, 0)
            if len(data) <= st.st_size:  # else it grew since: sample it
                return sample_bytes(data), data
        return _sample(st.st_size, lambda offset, length: os.pread(fd, length, offset)), None
    finally:
        os.close(fd)


def sample_file(path: str) -> Sample:
    """A bounded sample of a regular file on disk.  Raises OSError."""
    return read_file(path)[0]


def blob_id(data: bytes, like: str) -> str:
    """The id git gives a blob of this content (SHA-1, or SHA-256 where
    `like`, an id of the same repository, is that long)."""
    digest = hashlib.sha256() if len(like) == 64 else hashlib.sha1()
    digest.update(b'blob %d\0' % len(data))
    digest.update(data)
    return digest.hexdigest()


def _disk_size(path: str) -> int | None:
    """The size of a regular file on disk; None for anything else."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


class _CatFile:
    """`git cat-file --batch-check` and `--batch`, each started once and
    asked one object at a time: a run that reads a model card or a
    changelog in every model folder pays a round trip on a pipe for each,
    not two git processes."""

    def __init__(self) -> None:
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        weakref.finalize(self, _CatFile._close, self._procs)

    def _ask(self, option: str, oid: str) -> tuple[subprocess.Popen[bytes], list[bytes]]:
        proc = self._procs.get(option)
        if proc is None:
            proc = self._procs[option] = subprocess.Popen(
                ('git', 'cat-file', option),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(oid.encode() + b'\n')
            proc.stdin.flush()
        except OSError:  # git is gone: the answer below is empty
            pass
        return proc, proc.stdout.readline().split()

    def size(self, oid: str) -> int | None:
        """The object's size; None if git has no such object."""
        _, answer = self._ask('--batch-check=%(objectname) %(objectsize)', oid)
        if len(answer) == 2 and answer[1].isdigit():
            return int(answer[1])
        return None

    def content(self, oid: str) -> bytes | None:
        """The object's bytes (ask only for a size known to be bounded)."""
        proc, answer = self._ask('--batch', oid)
        if len(answer) != 3 or not answer[2].isdigit():
            return None
        assert proc.stdout is not None
        data = proc.stdout.read(int(answer[2]))
        proc.stdout.read(1)  # the newline after the content
        return data

    @staticmethod
    def _close(procs: dict[str, subprocess.Popen[bytes]]) -> None:
        for proc in procs.values():
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.close()  # git stops at the end of its input
            except OSError:
                pass  # it had stopped already
            proc.stdout.close()
            proc.wait()


class BlobReader:
    """Bounded reads of blobs, in as few git processes as possible.

    The checkout is read instead of git's objects where it holds the same
    bytes: a file of up to VERIFY_BYTES is read whole and compared with the
    blob by its git id; of a larger file only a sample is read, so git's
    stat cache must say the file is unchanged, and no filter (Git LFS,
    git-crypt) may stand between them.
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
        self._cat_file = _CatFile()

    def prefetch(self, entries: Iterable[Entry]) -> None:
        """Prepare to sample these entries with as few git calls as possible."""
        entries = list(entries)
        sizes = {
            e.path: _disk_size(os.path.join(self._root, e.path))
            for e in entries if e.mode in REGULAR_MODES
        }
        # A file read whole is compared with its blob by id; one larger than
        # that, or behind a filter (whose checkout is not the blob: Git LFS
        # keeps weights there), needs git's word on it.
        beyond_head = {
            p: size for p, size in sizes.items()
            if size is not None and size > HEAD_BYTES
        }
        self._learn_filters([p for p in beyond_head if p not in self._filtered])
        large = [
            p for p, size in beyond_head.items()
            if size > VERIFY_BYTES or self._filtered.get(p, True)
        ]
        if large:
            self._index.lookup(large)
            self._learn_dirty(large)
        self._prefetch_oids(
            e.oid for e in entries
            if sizes.get(e.path) is None or (
                e.path in large and not self._worktree_holds(e)
            )
        )

    def _prefetch_oids(self, oids: Iterable[str]) -> None:
        """Learn the size of each blob, and read the small ones whole."""
        wanted = sorted({o for o in oids if o not in self._sizes})
        if len(wanted) == 1:  # one object: ask the processes kept open
            size = self._cat_file.size(wanted[0])
            if size is not None:
                self._sizes[wanted[0]] = size
            return
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
        data = self._cat_file.content(oid)
        if data is None:
            raise OSError(errno.ENOENT, 'git has no object', oid)
        return data, size

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
        whole = len(wanted) > STAT_MAX_PATHS
        out = cmd_output(
            'git', 'diff-files', '--name-only', '-z',
            *(() if whole else ('--', *wanted)), env=_pathspecs(True),
        )
        self._dirty.update(zsplit(out))
        self._stat_all = whole
        self._stat_checked.update(wanted)

    def _worktree_matches(self, entry: Entry) -> bool:
        """Does the file on disk hold this blob, or its smudged content?
        Asks git's stat cache."""
        self._learn_dirty([entry.path])
        indexed = self._index.lookup([entry.path]).get(entry.path)
        return (
            indexed is not None and indexed.oid == entry.oid and
            entry.path not in self._dirty
        )

    def _worktree_holds(self, entry: Entry) -> bool:
        """Does the file on disk hold this blob, byte for byte?"""
        if entry.path not in self._filtered:
            self._learn_filters([entry.path])
        return (
            entry.mode in REGULAR_MODES and
            not self._filtered.get(entry.path, True) and
            self._worktree_matches(entry)
        )

    def sample(self, entry: Entry) -> Sample:
        """A bounded sample of the blob.  Raises OSError if it can't be read."""
        if entry.oid not in self._small and entry.mode in REGULAR_MODES:
            filtered = self._filtered.get(entry.path, False)
            try:
                sample, data = read_file(
                    os.path.join(self._root, entry.path),
                    HEAD_BYTES if filtered else VERIFY_BYTES,
                )
            except OSError:
                pass  # changed or gone since git looked: ask git
            else:
                if data is not None:
                    if blob_id(data, entry.oid) == entry.oid:
                        return sample
                elif self._worktree_holds(entry):
                    return sample
        size = self.size(entry.oid)
        if entry.oid in self._small:
            return Sample(size, self._small[entry.oid], b'', {})
        if size <= HEAD_BYTES:
            data = self._cat_file.content(entry.oid)
            if data is not None:
                self._small[entry.oid] = data  # read_whole may want it too
                return Sample(len(data), data, b'', {})
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
