"""Whether an ordinary file is what its magic says: a structure check of
its first (and last) bytes.  A file named like weights that only starts
like a PNG is weights; a PNG that parses, named anything, is a PNG."""
from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

from ..tree.sample import Sample


def _png(s: Sample) -> bool:
    # The first chunk is IHDR, 13 bytes, with a CRC that matches.
    head = s.head
    if len(head) < 33 or head[8:16] != b'\x00\x00\x00\x0dIHDR':
        return False
    (crc,) = struct.unpack('>I', head[29:33])
    return zlib.crc32(head[12:29]) & 0xFFFFFFFF == crc


def _jpeg(s: Sample) -> bool:
    # SOI, then a marker segment (APPn, DQT, SOF, ...) with a sane length.
    head = s.head
    if len(head) < 6 or head[3] not in (0xC0, 0xC2, 0xC4, 0xDB, 0xDD, 0xFE, *range(0xE0, 0xF0)):
        return False
    (length,) = struct.unpack('>H', head[4:6])
    return 2 <= length <= s.size - 4


def _gif(s: Sample) -> bool:
    # The logical screen descriptor: a width and height, then the trailer.
    head, end = s.head, (s.tail or s.head)
    return len(head) >= 13 and head[6:10] != b'\0\0\0\0' and end.rstrip(b'\0')[-1:] == b';'


def _pdf(s: Sample) -> bool:
    # %PDF-d.d, and an end-of-file marker near the end.
    end = s.tail or s.head
    return s.head[5:6].isdigit() and b'%%EOF' in end[-2048:]


def _elf(s: Sample) -> bool:
    h = s.head
    return len(h) >= 20 and h[4] in (1, 2) and h[5] in (1, 2) and h[6] == 1


def _pe(s: Sample) -> bool:
    h = s.head
    if len(h) < 64:
        return False
    (offset,) = struct.unpack('<I', h[60:64])
    return h[offset:offset + 4] == b'PE\0\0'


def _sqlite(s: Sample) -> bool:
    # The page size: a power of two from 512 to 65536 (1 meaning 65536).
    h = s.head
    if len(h) < 18:
        return False
    (page,) = struct.unpack('>H', h[16:18])
    return page == 1 or (512 <= page <= 32768 and page & (page - 1) == 0)


def _riff(s: Sample) -> bool:
    # The chunk size is the file's, less 8; the form type is printable.
    h = s.head
    if len(h) < 12:
        return False
    (size,) = struct.unpack('<I', h[4:8])
    return abs(size + 8 - s.size) <= 1 and h[8:12].isalnum()


def _mp4(s: Sample) -> bool:
    h = s.head
    if len(h) < 12:
        return False
    (size,) = struct.unpack('>I', h[:4])
    return 8 <= size <= s.size and h[8:12].replace(b' ', b'').isalnum()


def _wasm(s: Sample) -> bool:
    return s.head[4:8] == b'\x01\x00\x00\x00'


def _parquet(s: Sample) -> bool:
    return (s.tail or s.head)[-4:] == b'PAR1'


# Formats with no check here are taken at their magic's word.
VALIDATORS: dict[str, Callable[[Sample], bool]] = {
    'png': _png, 'jpeg': _jpeg, 'gif': _gif, 'pdf': _pdf, 'elf': _elf,
    'pe': _pe, 'sqlite': _sqlite, 'riff': _riff, 'mp4': _mp4, 'wasm': _wasm,
    'parquet': _parquet,
}


def valid(fmt: str, sample: Sample) -> bool:
    check = VALIDATORS.get(fmt)
    return check is None or check(sample)
