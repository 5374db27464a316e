"""Recognise a file's format from a bounded sample of its bytes.

Parsers here only look: nothing is loaded, unpickled, imported or run, a
compressed stream yields at most `DECOMPRESS_BYTES`, and every length read
from the file is checked against what was actually read.
"""
from __future__ import annotations

import bz2
import io
import json
import lzma
import pickletools
import re
import struct
import zlib
from collections.abc import Callable
from collections.abc import Iterator
from typing import NamedTuple

from hooks import formats
from hooks.gitview import Sample


class Finding(NamedTuple):
    format: str
    evidence: str
    weights: bool


def magic_matcher(
        table: tuple[formats.Magic, ...],
) -> Callable[[bytes], formats.Magic | None]:
    """One regex for a whole table of magics: one C call per lookup."""
    pattern = re.compile(
        b'|'.join(
            b'(' + b'.' * m.offset + re.escape(m.magic) + b')' for m in table
        ),
        re.DOTALL,
    )

    def match(head: bytes) -> formats.Magic | None:
        found = pattern.match(head)
        if found is None or found.lastindex is None:
            return None
        return table[found.lastindex - 1]
    return match


weight_magic = magic_matcher(formats.WEIGHT_MAGICS)
other_magic = magic_matcher(formats.OTHER_MAGICS)
_compressed_magic = magic_matcher(formats.COMPRESSED_MAGICS)


def is_text(data: bytes) -> bool:
    """Whether every byte of `data` is a text byte (libmagic's rule)."""
    return not data.translate(None, formats.TEXT_BYTES)


# --- safetensors -----------------------------------------------------------

def safetensors(sample: Sample) -> Finding | None:
    head = sample.head
    if len(head) < 10 or head[8:9] != b'{':
        return None
    (length,) = struct.unpack('<Q', head[:8])
    if length < 2 or length > formats.SAFETENSORS_MAX_HEADER:
        return None
    if 8 + length > sample.size:
        return None
    header = head[8:8 + length]
    if not header.rstrip(b' ').endswith(b'}') and len(header) == length:
        return None
    if not re.match(rb'\{\s*["}]', header):
        return None
    detail = ''
    if len(header) == length:
        try:
            parsed = json.loads(header)
        except (ValueError, RecursionError):  # deep nesting is hostile too
            return None
        if not isinstance(parsed, dict):
            return None
        meta = parsed.get('__metadata__')
        tensors = len(parsed) - (meta is not None)
        detail = f', {tensors} tensor{"s" if tensors != 1 else ""}'
        if isinstance(meta, dict) and isinstance(meta.get('format'), str):
            detail += f', format {meta["format"][:20]!r}'
    return Finding(
        'safetensors', f'safetensors header ({length} bytes of JSON{detail})',
        True,
    )


# --- GGUF ------------------------------------------------------------------

def gguf(sample: Sample) -> Finding | None:
    head = sample.head
    if head[:4] != b'GGUF' or len(head) < 8:
        return None
    (le,) = struct.unpack('<I', head[4:8])
    (be,) = struct.unpack('>I', head[4:8])
    version = le if 1 <= le <= 3 else be if 1 <= be <= 3 else None
    if version is None:
        return None
    return Finding('gguf', f'GGUF magic, version {version}', True)


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
    while head[pos:pos + 4] == formats.ZIP_LOCAL and pos + 30 <= len(head):
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
    end = region.rfind(formats.ZIP_END)
    if end < 0:
        return []
    # Entries sit before the end record; parse those the sample holds.
    start = region.find(formats.ZIP_CENTRAL)
    names = []
    pos = start
    while 0 <= pos < end and region[pos:pos + 4] == formats.ZIP_CENTRAL:
        if pos + 46 > len(region):
            break
        nlen, xlen, clen = struct.unpack('<HHH', region[pos + 28:pos + 34])
        names.append(
            region[pos + 46:pos + 46 + nlen].decode('utf-8', 'replace'),
        )
        pos += 46 + nlen + xlen + clen
    return names


def is_zip(sample: Sample) -> bool:
    if sample.head[:4] == formats.ZIP_LOCAL:
        return True
    region = sample.tail if sample.tail else sample.head
    return formats.ZIP_END in region[-(65535 + 22):]


def _has_suffix(names: list[str], suffix: str) -> bool:
    return any(n == suffix or n.endswith('/' + suffix) for n in names)


def zip_layout(names: list[str]) -> str | None:
    for fmt, required in formats.ZIP_LAYOUTS:
        if all(_has_suffix(names, r) for r in required):
            return fmt
    if names and all(n.endswith('.npy') for n in names if not n.endswith('/')):
        return 'numpy-npz'
    return None


# --- HDF5 ------------------------------------------------------------------

def hdf5(sample: Sample) -> tuple[int, bool] | None:
    """(offset of the signature, whether Keras markers were seen)."""
    offset = 0
    while offset + 8 <= sample.size:
        got = sample.at(offset, 8)
        if got == formats.HDF5_SIGNATURE:
            keras = any(m in sample.head for m in formats.KERAS_H5_MARKERS)
            return offset, keras
        offset = max(512, offset * 2)
    return None


# --- compressed prefixes ---------------------------------------------------

# xz -9 needs 65 MiB to decode; a hostile header may ask for gigabytes.
LZMA_MEMLIMIT = 100 * 1024 * 1024


def decompress_prefix(data: bytes) -> tuple[str, bytes] | None:
    m = _compressed_magic(data)
    if m is None:
        return None
    limit = formats.DECOMPRESS_BYTES
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


# --- tar -------------------------------------------------------------------

def tar_names(data: bytes) -> list[str] | None:
    """Member names from the tar headers the data holds; None if not tar."""
    names: list[str] = []
    pos = 0
    while pos + 512 <= len(data):
        block = data[pos:pos + 512]
        if block == b'\0' * 512:
            break
        checksum_field = block[148:156].split(b'\0')[0].strip()
        try:
            checksum = int(checksum_field, 8)
        except ValueError:
            return names or None
        computed = sum(block[:148]) + 256 + sum(block[156:])
        if checksum != computed:
            return names or None
        name = block[:100].split(b'\0')[0].decode('utf-8', 'replace')
        prefix = block[345:500].split(b'\0')[0].decode('utf-8', 'replace')
        if block[257:262] == b'ustar' and prefix:
            name = f'{prefix}/{name}'
        names.append(name)
        try:
            size = int(block[124:136].split(b'\0')[0].strip() or b'0', 8)
        except ValueError:
            break
        if size < 0:  # int() takes '-'; a size must only move forward
            break
        pos += 512 + (size + 511) // 512 * 512
    return names or None


# --- pickle ----------------------------------------------------------------

_PICKLE_TEXT_START = re.compile(rb'^(\(d|\(l|\(i|\}q|\]q|c[A-Za-z_][\w.]*\n)')


def looks_like_pickle(data: bytes) -> bool:
    return (
        (data[:1] == b'\x80' and data[1:2] in b'\x02\x03\x04\x05' and
         len(data) > 2) or
        bool(_PICKLE_TEXT_START.match(data))
    )


def pickle_globals(data: bytes) -> tuple[list[str], bool]:
    """GLOBAL names a pickle stream refers to, and whether it parsed.

    pickletools only decodes opcodes; nothing is constructed or called.
    """
    found: list[str] = []
    strings: list[str] = []
    parsed = False
    try:
        for opcode, arg, _ in pickletools.genops(io.BytesIO(data)):
            if opcode.name in ('GLOBAL', 'INST') and isinstance(arg, str):
                found.append(arg)
            elif opcode.name == 'STACK_GLOBAL' and len(strings) >= 2:
                found.append(f'{strings[-2]} {strings[-1]}')
            elif isinstance(arg, str):
                strings.append(arg)
                del strings[:-2]
            if opcode.name == 'STOP':
                parsed = True
                break
            if len(found) > 200:
                break
        else:
            parsed = True
    except Exception:  # truncated or not a pickle: keep what was decoded
        parsed = bool(found)
    return found, parsed


def _model_global(name: str) -> bool:
    module = name.split(' ')[0]
    return name in formats.PICKLE_MODEL_GLOBALS or any(
        module == m or module.startswith(m + '.') or module.startswith(m + '._')
        for m in formats.PICKLE_MODEL_MODULES
    )


def pickle_finding(data: bytes, what: str = 'pickle') -> Finding | None:
    if not looks_like_pickle(data):
        return None
    names, parsed = pickle_globals(data)
    if not names and not parsed:
        return None
    model = [n for n in names if _model_global(n)]
    if model:
        shown = ', '.join(dict.fromkeys(model[:3]))
        fmt = 'joblib' if any('joblib' in n for n in model) else 'pickle'
        return Finding(fmt, f'{what} referring to {shown}', True)
    return Finding('pickle', f'{what} of plain data (no model classes)', False)


# --- protobuf (ONNX, Core ML) ----------------------------------------------

def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError('truncated varint')
        b = data[pos]
        result |= (b & 0x7f) << shift
        pos += 1
        shift += 7
        if not b & 0x80:
            return result, pos


# ModelProto fields: number -> wire type (0 varint, 2 length-delimited).
_ONNX_FIELDS = {1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2}
_PRINTABLE = re.compile(rb'^[\x20-\x7e]*$')


def onnx(sample: Sample) -> Finding | None:
    """A protobuf ModelProto: ir_version first, known fields in order, a graph."""
    data = sample.head
    if data[:1] != b'\x08':
        return None
    try:
        ir_version, pos = _varint(data, 1)
        if not 1 <= ir_version <= 30:
            return None
        last = 1
        while pos < len(data):
            key, pos = _varint(data, pos)
            field, wire = key >> 3, key & 7
            if _ONNX_FIELDS.get(field) != wire or field <= last:
                return None
            last = field
            if wire == 0:
                _, pos = _varint(data, pos)
                continue
            length, pos = _varint(data, pos)
            if pos + length > sample.size:
                return None
            if field in (2, 3, 4) and not _PRINTABLE.match(data[pos:pos + length]):
                return None
            if field == 7:
                return Finding(
                    'onnx', f'ONNX ModelProto (IR version {ir_version}) with a graph',
                    True,
                )
            pos += length
    except ValueError:
        return None
    return None


def coreml(sample: Sample) -> Finding | None:
    data = sample.head
    if data[:1] != b'\x08' or len(data) < 4:
        return None
    version = data[1]
    if 1 <= version <= 12 and data[2:3] == b'\x12':
        return Finding('coreml', f'Core ML spec version {version}', True)
    return None


# --- text formats ----------------------------------------------------------

def _json_object_keys(data: bytes) -> str:
    return data[:4096].decode('utf-8', 'replace')


def text_model(name: str, sample: Sample) -> Finding | None:
    head = sample.head
    lowered = name.lower()
    if lowered.endswith('.index.json') and b'"weight_map"' in head:
        return Finding('sharded-index', 'index of sharded weights (weight_map)', True)
    if lowered.endswith('.json') and b'"weightsManifest"' in head:
        return Finding('tfjs', 'TensorFlow.js model (weightsManifest)', True)
    if lowered.endswith('.weights.json') and b'"sharded"' in head:
        return Finding('keras', 'Keras sharded weights index', True)
    if lowered.endswith('.xml') and re.search(rb'<net\s[^>]*version=', head[:4096]):
        return Finding('openvino', 'OpenVINO IR (<net> root)', True)
    if lowered.startswith('saved_model.pbtxt'):
        return Finding('tf-savedmodel', 'SavedModel (text)', True)
    return None


_LFS_POINTER = re.compile(
    rb'\Aversion (?:https://git-lfs\.github\.com/spec/v1|'
    rb'https://hawser\.github\.com/spec/v1|http://git-media\.io/v/2)\n'
    rb'(?:ext-\d-\w+ \S+\n)*'
    rb'oid sha256:([0-9a-f]{64})\nsize (\d{1,20})\n\Z',
)
LFS_POINTER_MAX = 1024  # git-lfs: pointers are smaller than this


class LfsPointer(NamedTuple):
    oid: str
    size: int


def lfs_pointer(sample: Sample) -> LfsPointer | None:
    if sample.size >= LFS_POINTER_MAX or not sample.whole:
        return None
    match = _LFS_POINTER.match(sample.head)
    if match is None:
        return None
    return LfsPointer(match[1].decode(), int(match[2]))


def tf_index(sample: Sample) -> bool:
    end = sample.tail if sample.tail else sample.head
    return end[-8:] == formats.TF_TABLE_MAGIC


def msgpack_map(sample: Sample) -> bool:
    first = sample.head[:1]
    return bool(first) and (0x80 <= first[0] <= 0x8f or first[0] in (0xde, 0xdf))
