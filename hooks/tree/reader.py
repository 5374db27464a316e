"""Bounded reads of git blobs, in as few git processes as possible.

The checkout is read instead of git's objects where it holds the same
bytes: a file of up to VERIFY_BYTES is read whole and compared with the
blob by its git id; of a larger file only a sample is read, so git's stat
cache must say the file is unchanged, and no filter (Git LFS, git-crypt)
may stand between them.
"""
from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import weakref
from collections.abc import Iterable
from typing import Protocol

from ..errors import ContentError
from . import lfs
from .blob import Blob
from .blob import BytesBlob
from .blob import FileBlob
from .blob import StreamBlob
from .git import cmd_output
from .git import cmd_output_bytes
from .git import pathspec_env
from .git import zsplit
from .listing import Entry
from .listing import REGULAR_MODES
from .sample import HEAD_BYTES
from .sample import read_file
from .sample import Sample
from .sample import sample_file
from .sample import small_sample

# A file in the checkout up to this size is read whole and compared with
# the blob by its git id; a larger one, git's stat cache must vouch for.
VERIFY_BYTES = 1024 * 1024
# git's stat check as git itself would make it, whatever the configuration
# says: no file-system monitor answering for it, ctime and all stat fields
# compared.
TRUSTED_STAT = (
    '-c', 'core.fsmonitor=false', '-c', 'core.trustctime=true',
    '-c', 'core.checkStat=default',
)
# Files asked about in git's stat cache by name; more, and it is asked
# about all of them (it stats every tracked file: cheap next to P pathspecs).
STAT_MAX_PATHS = 64


class Index(Protocol):
    def lookup(self, paths: Iterable[str]) -> dict[str, Entry]: ...


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


def missing(entry: Entry) -> ContentError:
    return ContentError(
        entry.path,
        f'git has no object {entry.oid[:12]} for it (a partial clone, an '
        f'index entry made by hand, or a damaged repository)',
    )


class _CatFile:
    """`git cat-file --batch-check` and `--batch`, each started once and
    asked one object at a time: a run that reads a model card or a
    changelog in every model folder pays a round trip on a pipe for each,
    not two git processes."""

    def __init__(self, root: str) -> None:
        self._root = root
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        weakref.finalize(self, _CatFile._close, self._procs)

    def _ask(self, option: str, oid: str) -> tuple[subprocess.Popen[bytes], list[bytes]]:
        proc = self._procs.get(option)
        if proc is None:
            proc = self._procs[option] = subprocess.Popen(
                ('git', 'cat-file', option), cwd=self._root,
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


class GitReader:
    """Reads the blobs of every tree of one repository, sharing one pair of
    cat-file processes and what git's stat cache has said."""

    def __init__(self, root: str, index: Index) -> None:
        self._root = root
        self._index = index
        self._sizes: dict[str, int] = {}
        self._small: dict[str, bytes] = {}
        self._dirty: set[str] = set()
        self._stat_checked: set[str] = set()
        # Files whose checkout was read whole and found to be the blob.
        self._verified: set[tuple[str, str]] = set()
        self._stat_all = False
        self._filtered: dict[str, bool] = {}
        self._cat_file = _CatFile(root)

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
            input=('\n'.join(wanted) + '\n').encode(), cwd=self._root,
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
            input=('\n'.join(oids) + '\n').encode(), cwd=self._root,
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
            cwd=self._root,
        )
        tokens = zsplit(out)
        for i in range(0, len(tokens) - 2, 3):
            self._filtered[tokens[i]] = tokens[i + 2] not in ('unspecified', 'unset')

    def size(self, entry: Entry) -> int:
        """The blob's size.  Raises ContentError if git has no such object."""
        self._prefetch_oids((entry.oid,))
        if entry.oid not in self._sizes:
            raise missing(entry)
        return self._sizes[entry.oid]

    def read_whole(self, entry: Entry, limit: int) -> tuple[bytes, int]:
        """(content, size) of a blob of at most `limit` bytes; else (b'', size)."""
        size = self.size(entry)
        if entry.oid in self._small:
            return self._small[entry.oid], size
        if size > limit:
            return b'', size
        data = self._cat_file.content(entry.oid)
        if data is None:
            raise missing(entry)
        return data, size

    def _learn_dirty(self, paths: list[str]) -> None:
        """Ask git's stat cache which of these files differ from the index."""
        wanted = [p for p in paths if p not in self._stat_checked]
        if self._stat_all or not wanted:
            return
        whole = len(wanted) > STAT_MAX_PATHS
        out = cmd_output(
            'git', *TRUSTED_STAT, 'diff-files', '--name-only', '-z',
            *(() if whole else ('--', *wanted)), env=pathspec_env(), cwd=self._root,
        )
        self._dirty.update(zsplit(out))
        self._stat_all = whole
        self._stat_checked.update(wanted)

    def _worktree_matches(self, entry: Entry) -> bool:
        """Does the file on disk hold this blob, or its smudged content?
        Asks git's stat cache."""
        indexed = self._index.lookup([entry.path]).get(entry.path)
        if indexed is None or indexed.oid != entry.oid or not indexed.stat_trusted:
            return False
        self._learn_dirty([entry.path])
        return entry.path not in self._dirty

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
        """A bounded sample of the blob.  Raises ContentError if it can't be read."""
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
                        self._verified.add((entry.path, entry.oid))
                        return sample
                elif self._worktree_holds(entry):
                    return sample
        size = self.size(entry)
        if entry.oid in self._small:
            return Sample(size, self._small[entry.oid], b'', {})
        if size <= HEAD_BYTES:
            data = self._cat_file.content(entry.oid)
            if data is not None:
                self._small[entry.oid] = data  # read_whole may want it too
                return small_sample(data)
        head = self._stream_head(entry)
        if len(head) < min(size, HEAD_BYTES):  # git could not inflate it
            raise ContentError(
                entry.path,
                f'git cannot read its object {entry.oid[:12]} (a damaged '
                f'repository: see git fsck)',
            )
        return Sample(size, head, b'', {})

    def smudged(self, entry: Entry, oid: str, size: int) -> Sample | None:
        """A sample of the content a Git LFS pointer stands for: the object
        in the LFS store, else the checkout when git says it is this
        entry's (smudged) checkout."""
        found = lfs.sample(self._root, oid, size)
        if found is not None or not self._worktree_matches(entry):
            return found
        try:
            return sample_file(os.path.join(self._root, entry.path))
        except OSError:
            return None

    def lfs_content(self, entry: Entry, oid: str, size: int, limit: int) -> bytes | None:
        return lfs.content(self._root, oid, size, entry.path, limit)

    def open(self, entry: Entry) -> Blob:
        """Random access to the blob: the checkout where it holds the same
        bytes, else git's object, streamed."""
        verified = (entry.path, entry.oid) in self._verified
        if verified or entry.oid in self._small or self._worktree_holds(entry):
            if entry.oid in self._small:
                return BytesBlob(self._small[entry.oid])
            try:
                return FileBlob(os.path.join(self._root, entry.path))
            except OSError:
                pass
        size = self.size(entry)

        def start() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                ('git', 'cat-file', 'blob', entry.oid), cwd=self._root,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        return StreamBlob(size, start)

    def open_lfs(self, oid: str, size: int) -> Blob | None:
        """The Git LFS object, when the store holds it whole."""
        path = lfs.object_path(self._root, oid)
        try:
            blob = FileBlob(path)
        except OSError:
            return None
        return blob if blob.size == size else None

    def _stream_head(self, entry: Entry) -> bytes:
        # Only the head is wanted: stop git once it has been read.
        proc = subprocess.Popen(
            ('git', 'cat-file', 'blob', entry.oid), cwd=self._root,
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
