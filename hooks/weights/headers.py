"""Formats with a header that proves them: safetensors, GGUF, HDF5, Git
LFS pointers, TF tensor bundle indexes, msgpack maps, and the text model
formats (sharded indexes, TF.js, OpenVINO IR)."""
from __future__ import annotations

import json
import re
import struct
from typing import NamedTuple

from ..tree.sample import Sample
from . import signatures
from .evidence import Evidence
from .evidence import magic_matcher

weight_magic = magic_matcher(signatures.WEIGHT_MAGICS)
other_magic = magic_matcher(signatures.OTHER_MAGICS)


def safetensors(sample: Sample) -> Evidence | None:
    head = sample.head
    if len(head) < 10 or head[8:9] != b'{':
        return None
    (length,) = struct.unpack('<Q', head[:8])
    if length < 2 or length > signatures.SAFETENSORS_MAX_HEADER:
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
    return Evidence(
        'safetensors', f'safetensors header ({length} bytes of JSON{detail})', True,
    )


def gguf(sample: Sample) -> Evidence | None:
    head = sample.head
    if head[:4] != b'GGUF' or len(head) < 8:
        return None
    (le,) = struct.unpack('<I', head[4:8])
    (be,) = struct.unpack('>I', head[4:8])
    version = le if 1 <= le <= 3 else be if 1 <= be <= 3 else None
    if version is None:
        return None
    return Evidence('gguf', f'GGUF magic, version {version}', True)


def is_zip(sample: Sample) -> bool:
    """A zip: a local header first, or an end record near the end (a zip
    after other data, as self-extracting archives are)."""
    if sample.head[:4] == signatures.ZIP_LOCAL:
        return True
    region = sample.tail if sample.tail else sample.head
    return signatures.ZIP_END in region[-(65535 + 22):]


def hdf5(sample: Sample) -> tuple[int, bool] | None:
    """(offset of the signature, whether Keras markers were seen)."""
    offset = 0
    while offset + 8 <= sample.size:
        got = sample.at(offset, 8)
        if got == signatures.HDF5_SIGNATURE:
            keras = any(m in sample.head for m in signatures.KERAS_H5_MARKERS)
            return offset, keras
        offset = max(512, offset * 2)
    return None


def coreml(sample: Sample) -> Evidence | None:
    data = sample.head
    if data[:1] != b'\x08' or len(data) < 4:
        return None
    version = data[1]
    if 1 <= version <= 12 and data[2:3] == b'\x12':
        return Evidence('coreml', f'Core ML spec version {version}', True)
    return None


def text_model(name: str, sample: Sample) -> Evidence | None:
    head = sample.head
    lowered = name.lower()
    if lowered.endswith('.index.json') and b'"weight_map"' in head:
        return Evidence('sharded-index', 'index of sharded weights (weight_map)', True)
    if lowered.endswith('.json') and b'"weightsManifest"' in head:
        return Evidence('tfjs', 'TensorFlow.js model (weightsManifest)', True)
    if lowered.endswith('.weights.json') and b'"sharded"' in head:
        return Evidence('keras', 'Keras sharded weights index', True)
    if lowered.endswith('.xml') and re.search(rb'<net\s[^>]*version=', head[:4096]):
        return Evidence('openvino', 'OpenVINO IR (<net> root)', True)
    if lowered.startswith('saved_model.pbtxt'):
        return Evidence('tf-savedmodel', 'SavedModel (text)', True)
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
    return end[-8:] == signatures.TF_TABLE_MAGIC


def msgpack_map(sample: Sample) -> bool:
    first = sample.head[:1]
    return bool(first) and (0x80 <= first[0] <= 0x8f or first[0] in (0xde, 0xdf))
