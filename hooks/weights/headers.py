"""Formats with a header that proves them: safetensors, GGUF, HDF5, Git
LFS pointers, TF tensor bundle indexes, msgpack maps, and the text model
formats (sharded indexes, TF.js, OpenVINO IR)."""
from __future__ import annotations

import re
import struct
from typing import NamedTuple

from ..tree.sample import Sample
from . import signatures
from .evidence import Evidence
from .evidence import magic_matcher

weight_magic = magic_matcher(signatures.WEIGHT_MAGICS)
model_magic = magic_matcher(signatures.MODEL_MAGICS)
opaque_magic = magic_matcher(signatures.OPAQUE_ARCHIVES)
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
            import json  # only for a whole safetensors header: start-up time
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
    order = '<' if version == le else '>'
    # The tensor count follows: u32 in version 1, u64 since.
    width = 'I' if version == 1 else 'Q'
    count_bytes = head[8:8 + struct.calcsize(width)]
    if len(count_bytes) == struct.calcsize(width):
        (tensors,) = struct.unpack(order + width, count_bytes)
        if tensors == 0:  # a vocabulary, or metadata: no tensor at all
            return Evidence('gguf', f'GGUF version {version} with no tensors', False, model=True)
    return Evidence('gguf', f'GGUF magic, version {version}', True)


def tensorrt_with_metadata(sample: Sample) -> Evidence | None:
    """An Ultralytics `.engine`: a u32 LE length, that much JSON metadata,
    then the TensorRT engine and its magic."""
    head = sample.head
    if len(head) < 9 or head[4:5] != b'{':
        return None
    (length,) = struct.unpack('<I', head[:4])
    magic = sample.at(4 + length, 4)
    if magic not in (b'ptrt', b'ftrt'):
        return None
    return Evidence('tensorrt', f'TensorRT engine after {length} bytes of JSON metadata', True)


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
    """Text files that describe a model whose weights lie beside them:
    graphs, shard indexes, manifests.  Model files, not weights."""
    head = sample.head
    lowered = name.lower()
    for suffix, marker, fmt, what in _TEXT_MODELS:
        if lowered.endswith(suffix) and re.search(marker, head[:_TEXT_MODEL_WINDOW]):
            return Evidence(fmt, what, False, model=True)
    if lowered.startswith('saved_model.pbtxt'):
        return Evidence('tf-savedmodel', 'SavedModel graph (text)', False, model=True)
    return None


_TEXT_MODEL_WINDOW = 32 * 1024
# (name suffix, a marker in the first bytes, format, evidence)
_TEXT_MODELS = (
    ('.index.json', rb'"weight_map"', 'sharded-index', 'index of sharded weights (weight_map)'),
    ('.json', rb'"weightsManifest"', 'tfjs', 'TF.js model (graph and weights manifest)'),
    ('.weights.json', rb'"sharded"', 'keras', 'Keras sharded weights index'),
    ('.xml', rb'<net\s[^>]*version=', 'openvino', 'OpenVINO IR graph (<net> root)'),
    ('.prototxt', rb'(?m)^\s*layers?\s*\{', 'caffe-graph', 'Caffe network definition (layers)'),
)


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
