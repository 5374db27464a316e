"""Random access to a file's bytes, within a budget.

Recognition samples every file (a head, a tail, probes: `sample.py`).
Archives need more: a zip's central directory, every header of a tar,
the stream of a compressed tar.  A Blob gives that, counting what it
reads: past its budget it raises BudgetSpent, and the archive is "not
fully inspected" (which the hooks treat as weights: they fail closed).
"""
from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
from collections.abc import Callable

# What one file may cost beyond its sample: the central directory of a zip
# of 100,000 members is a few MiB; a tar's headers are 512 bytes a member.
READ_BUDGET = 16 * 1024 * 1024
# A compressed tar is read as a stream, its members' data included: this
# much compressed input at most (a few hundred MiB of output, 1-2 s).
STREAM_BUDGET = 64 * 1024 * 1024


class BudgetSpent(Exception):
    """Reading more would pass the budget: the file is not fully inspected."""


class Blob:
    """A file's bytes: `read(offset, length)`, counted against a budget."""

    def __init__(self, size: int, budget: int = READ_BUDGET) -> None:
        self.size = size
        self.budget = budget
        self.spent = 0

    def _charge(self, length: int) -> None:
        self.spent += length
        if self.spent > self.budget:
            raise BudgetSpent(f'more than {self.budget // (1 << 20)} MiB to read')

    def read(self, offset: int, length: int) -> bytes:
        length = max(0, min(length, self.size - offset))
        if offset < 0 or not length:
            return b''
        self._charge(length)
        return self._read(offset, length)

    def _read(self, offset: int, length: int) -> bytes:
        raise NotImplementedError

    def file(self) -> BlobFile:
        """A seekable, read-only file object over the blob (for zipfile,
        tarfile), sharing its budget."""
        return BlobFile(self)


class BytesBlob(Blob):
    def __init__(self, data: bytes, budget: int = READ_BUDGET) -> None:
        super().__init__(len(data), budget)
        self._data = data

    def _read(self, offset: int, length: int) -> bytes:
        return self._data[offset:offset + length]


class FileBlob(Blob):
    """A regular file on disk, read with pread (no read-ahead)."""

    def __init__(self, path: str, budget: int = READ_BUDGET) -> None:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, 'not a regular file', path)
        super().__init__(st.st_size, budget)
        self._fd = fd

    def _read(self, offset: int, length: int) -> bytes:
        return os.pread(self._fd, length, offset)

    def __del__(self) -> None:
        try:
            os.close(self._fd)
        except (OSError, AttributeError):
            pass


class StreamBlob(Blob):
    """A blob git streams (`git cat-file blob`): forward reads only; going
    back, or skipping ahead, reads what lies between (and pays for it)."""

    def __init__(self, size: int, start: Callable[[], subprocess.Popen[bytes]],
                 budget: int = READ_BUDGET) -> None:
        super().__init__(size, budget)
        self._start = start
        self._proc: subprocess.Popen[bytes] | None = None
        self._position = 0

    def _read(self, offset: int, length: int) -> bytes:
        if self._proc is None or offset < self._position:
            self.close()
            self._proc = self._start()
            self._position = 0
        assert self._proc.stdout is not None
        while self._position < offset:  # skipped bytes are read, and paid for
            step = min(offset - self._position, 1 << 20)
            self._charge(step)
            got = self._proc.stdout.read(step)
            if not got:
                return b''
            self._position += len(got)
        data = self._proc.stdout.read(length)
        self._position += len(data)
        return data

    def close(self) -> None:
        if self._proc is not None:
            assert self._proc.stdout is not None
            self._proc.stdout.close()
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def __del__(self) -> None:
        self.close()


class BlobFile(io.RawIOBase):
    """A Blob as a seekable binary file object."""

    def __init__(self, blob: Blob) -> None:
        super().__init__()
        self._blob = blob
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._blob.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self._blob.read(self._position, len(buffer))
        buffer[:len(data)] = data
        self._position += len(data)
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = self._blob.size - self._position
        data = self._blob.read(self._position, size)
        self._position += len(data)
        return data
