"""Bounded views of a file's bytes: what recognition may look at.

A head, a tail and a few probes: never more than about 64 KiB of any
file, whatever its size, read with pread (no read-ahead).
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from typing import NamedTuple

HEAD_BYTES = 32 * 1024
TAIL_BYTES = 30 * 1024
PROBE_BYTES = 8
MAX_PROBES = 24


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


def take_sample(size: int, read: Callable[[int, int], bytes]) -> Sample:
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
    return take_sample(len(data), lambda offset, length: data[offset:offset + length])


def small_sample(data: bytes) -> Sample:
    """A sample of content that is known to be whole."""
    return Sample(len(data), data, b'', {})


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
        return take_sample(
            st.st_size, lambda offset, length: os.pread(fd, length, offset),
        ), None
    finally:
        os.close(fd)


def sample_file(path: str) -> Sample:
    """A bounded sample of a regular file on disk.  Raises OSError."""
    return read_file(path)[0]


def read_whole_file(path: str, limit: int) -> tuple[bytes, int]:
    """(content, size) of a regular file of at most `limit` bytes, else
    (b'', size).  Raises OSError; never follows a symlink or opens a FIFO."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, 'not a regular file', path)
        if st.st_size > limit:
            return b'', st.st_size
        data = os.pread(fd, limit + 1, 0)
    finally:
        os.close(fd)
    return (data, len(data)) if len(data) <= limit else (b'', len(data))
