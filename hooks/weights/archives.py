"""Archives and compressed streams, judged from their directories and
headers over the bytes at hand: nothing is extracted, a compressed stream
yields at most DECOMPRESS_BYTES."""
from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import NamedTuple

from ..tree.sample import Sample
from . import signatures
from .evidence import magic_matcher

_compressed_magic = magic_matcher(signatures.COMPRESSED_MAGICS)
# xz -9 needs 65 MiB to decode; a hostile header may ask for gigabytes.
LZMA_MEMLIMIT = 100 * 1024 * 1024


# --- zip -------------------------------------------------------------------

class ZipMember(NamedTuple):
    name: str
    method: int
    data: bytes  # the start of a member's data, where the sample holds it


def _zip64_sizes(extra: bytes) -> tuple[int, int] | None:
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack('<HH', extra[pos:pos + 4])
        if tag == 1 and size >= 16 and pos + 20 <= len(extra):
            usize, csize = struct.unpack('<QQ', extra[pos + 4:pos + 20])
            return usize, csize
        pos += 4 + size
    return None


def zip_local_members(head: bytes) -> Iterator[ZipMember]:
    """Walk local file headers from the start, while sizes are known."""
    pos = 0
    while head[pos:pos + 4] == signatures.ZIP_LOCAL and pos + 30 <= len(head):
        flags, method = struct.unpack('<HH', head[pos + 6:pos + 10])
        csize, usize, nlen, xlen = struct.unpack('<IIHH', head[pos + 18:pos + 30])
        name = head[pos + 30:pos + 30 + nlen].decode('utf-8', 'replace')
        extra = head[pos + 30 + nlen:pos + 30 + nlen + xlen]
        data_start = pos + 30 + nlen + xlen
        if csize == 0xFFFFFFFF:
            sizes = _zip64_sizes(extra)
            csize = sizes[1] if sizes else 0
        yield ZipMember(name, method, head[data_start:data_start + 4096])
        if flags & 0x08 and csize == 0:
            return  # sizes follow the data: cannot skip without reading it
        pos = data_start + csize


def zip_central_names(sample: Sample) -> list[str]:
    """Member names from the central directory, as far as the sample holds it."""
    region = sample.tail if sample.tail else sample.head
    end = region.rfind(signatures.ZIP_END)
    if end < 0:
        return []
    # Entries sit before the end record; parse those the sample holds.
    pos = region.find(signatures.ZIP_CENTRAL)
    names = []
    while 0 <= pos < end and region[pos:pos + 4] == signatures.ZIP_CENTRAL:
        if pos + 46 > len(region):
            break
        nlen, xlen, clen = struct.unpack('<HHH', region[pos + 28:pos + 34])
        names.append(region[pos + 46:pos + 46 + nlen].decode('utf-8', 'replace'))
        pos += 46 + nlen + xlen + clen
    return names


def is_zip(sample: Sample) -> bool:
    if sample.head[:4] == signatures.ZIP_LOCAL:
        return True
    region = sample.tail if sample.tail else sample.head
    return signatures.ZIP_END in region[-(65535 + 22):]


def _has_suffix(names: list[str], suffix: str) -> bool:
    return any(n == suffix or n.endswith('/' + suffix) for n in names)


def zip_layout(names: list[str]) -> str | None:
    for fmt, required in signatures.ZIP_LAYOUTS:
        if all(_has_suffix(names, r) for r in required):
            return fmt
    if names and all(n.endswith('.npy') for n in names if not n.endswith('/')):
        return 'numpy-npz'
    return None


# --- tar -------------------------------------------------------------------

def _header_checksum_ok(block: bytes) -> bool:
    field = block[148:156].split(b'\0')[0].strip()
    try:
        checksum = int(field, 8)
    except ValueError:
        return False
    return checksum == sum(block[:148]) + 256 + sum(block[156:])


def tar_names(data: bytes) -> list[str] | None:
    """Member names from the tar headers the data holds (GNU long names and
    PAX paths included, as tarfile reads them); None if it is not a tar."""
    if len(data) < 512 or not _header_checksum_ok(data[:512]):
        return None
    import io
    import tarfile  # only for a tar: start-up time
    names: list[str] = []
    last = -1
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode='r:') as archive:
            # Each header lies after the one before: a hostile size (tarfile
            # takes '-1') must not send it back to read the same one again.
            while (member := archive.next()) is not None and member.offset > last:
                last = member.offset
                names.append(member.name)
    except (tarfile.TarError, EOFError, OSError, ValueError, UnicodeError, OverflowError):
        pass  # the data ends, or a header is broken: the names read so far
    return names or None


# --- compressed prefixes ---------------------------------------------------

def decompress_prefix(data: bytes) -> tuple[str, bytes] | None:
    m = _compressed_magic(data)
    if m is None:
        return None
    import bz2
    import lzma
    import zlib
    limit = signatures.DECOMPRESS_BYTES
    try:
        if m.format == 'gzip':
            out = zlib.decompressobj(47).decompress(data, limit)
        elif m.format == 'zlib':
            out = zlib.decompressobj().decompress(data, limit)
        elif m.format == 'bz2':
            out = bz2.BZ2Decompressor().decompress(data, limit)
        else:
            # A header may declare a huge dictionary: cap what liblzma allocates.
            out = lzma.LZMADecompressor(memlimit=LZMA_MEMLIMIT).decompress(data, limit)
    except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError, MemoryError):
        return None
    return (m.what, out) if out else None
