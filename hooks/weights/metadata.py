"""Licence metadata inside weight files, read from the bounded sample the
recogniser reads: GGUF's `general.license*` and `general.base_model.*`
keys, the safetensors header's `__metadata__`, ONNX's `metadata_props`.

Only keys that name a licence or a base model are returned, as (key,
value) strings; what lies past the sample (a GGUF whose vocabulary comes
first, an ONNX graph longer than the head and tail) is not known."""
from __future__ import annotations

import re
import struct
from collections.abc import Iterator

from ..lazy import lazy
from ..tree.sample import Sample
from . import protobuf

FORMATS = frozenset(('gguf', 'safetensors', 'onnx'))
MAX_VALUE_CHARS = 512  # a licence name or URL; more is not a name
MAX_ITEMS = 100_000  # GGUF key-value pairs or ONNX fields walked, at most
_WANTED = lazy(r'licen[cs]e|base_model', re.I)

Metadata = tuple[tuple[str, str], ...]


def licence_metadata(fmt: str, sample: Sample) -> Metadata:
    """The licence and base-model keys a file of this format carries in
    the sample; () when it has none, or they lie past the sample."""
    reader = _READERS.get(fmt)
    if reader is None:
        return ()
    try:
        pairs = list(reader(sample))
    except (ValueError, struct.error, UnicodeError, RecursionError):
        return ()  # hostile or cut short: what was read before is lost
    return tuple((k, v[:MAX_VALUE_CHARS]) for k, v in pairs if _WANTED.search(k))


def licence_values(metadata: Metadata) -> list[tuple[str, str]]:
    """The (key, value) pairs that name a licence: an id or a name."""
    return [(k, v) for k, v in metadata if re.search(r'licen[cs]e(?:\.name)?$', k, re.I)
            and not k.lower().endswith(('link', 'url'))]


def base_model_values(metadata: Metadata) -> list[tuple[str, str]]:
    """(key, Hub id or URL) of each base model the metadata names: GGUF's
    general.base_model.N.repo_url, else its organization/name."""
    found: dict[str, tuple[str, str]] = {}
    parts: dict[str, dict[str, str]] = {}
    for key, value in metadata:
        match = re.fullmatch(r'general\.base_model\.(\d+)\.(name|organization|repo_url)', key)
        if match:
            parts.setdefault(match[1], {})[match[2]] = value
        elif re.search(r'base_model$', key, re.I) and value:
            found[key] = (key, value)
    for n, got in parts.items():
        if 'repo_url' in got:
            found[n] = (f'general.base_model.{n}.repo_url', got['repo_url'])
        elif 'organization' in got and 'name' in got:
            found[n] = (f'general.base_model.{n}.organization/name',
                        f'{got["organization"]}/{got["name"]}')
    return list(found.values())


# --- GGUF: magic, version, tensor count, key-value count, key-value pairs ---

_GGUF_SCALARS = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_GGUF_STRING, _GGUF_ARRAY = 8, 9


class _Cursor:
    def __init__(self, data: bytes, order: str, width: str) -> None:
        self.data, self.pos, self.order, self.width = data, 0, order, width

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError('past the sample')
        got = self.data[self.pos:self.pos + n]
        self.pos += n
        return got

    def number(self, fmt: str) -> int:
        (value,) = struct.unpack(self.order + fmt, self.take(struct.calcsize(fmt)))
        return int(value)

    def length(self) -> int:
        return self.number(self.width)

    def string(self) -> str:
        return self.take(self.length()).decode('utf-8', 'replace')


def _gguf(sample: Sample) -> Iterator[tuple[str, str]]:
    head = sample.head
    if head[:4] != b'GGUF' or len(head) < 8:
        return
    (le,) = struct.unpack('<I', head[4:8])
    order = '<' if 1 <= le <= 3 else '>'
    version = struct.unpack(order + 'I', head[4:8])[0]
    cursor = _Cursor(head, order, 'I' if version == 1 else 'Q')
    cursor.take(8)
    cursor.length()  # tensors
    count = cursor.length()
    for _ in range(min(count, MAX_ITEMS)):
        key = cursor.string()
        kind = cursor.number('I')
        if kind == _GGUF_STRING:
            value = cursor.string()
            yield key, value
        else:
            _skip_gguf_value(cursor, kind)


def _skip_gguf_value(cursor: _Cursor, kind: int) -> None:
    if kind in _GGUF_SCALARS:
        cursor.take(_GGUF_SCALARS[kind])
    elif kind == _GGUF_STRING:
        cursor.take(cursor.length())
    elif kind == _GGUF_ARRAY:
        inner = cursor.number('I')
        n = cursor.length()
        if inner in _GGUF_SCALARS:
            cursor.take(n * _GGUF_SCALARS[inner])
        elif inner == _GGUF_STRING:
            for _ in range(n):
                cursor.take(cursor.length())
        else:
            raise ValueError('nested GGUF arrays are not read')
    else:
        raise ValueError(f'GGUF value type {kind}')


# --- safetensors: u64 header length, then the JSON header -------------------

def _safetensors(sample: Sample) -> Iterator[tuple[str, str]]:
    head = sample.head
    if len(head) < 10:
        return
    (length,) = struct.unpack('<Q', head[:8])
    header = head[8:8 + length]
    import json  # only for weights: start-up time
    where = header.find(b'"__metadata__"')
    if where < 0:
        return
    start = header.find(b'{', where)
    if start < 0:
        return
    # The header may go on past the sample: decode just the metadata object.
    # (a character cut at the sample's end is replaced: it is past the object)
    meta, _ = json.JSONDecoder().raw_decode(header[start:].decode('utf-8', 'replace'))
    if isinstance(meta, dict):
        yield from ((str(k), v) for k, v in meta.items() if isinstance(v, str))


# --- ONNX: ModelProto field 14, metadata_props (key 1, value 2) -------------

def _onnx(sample: Sample) -> Iterator[tuple[str, str]]:
    pos = 0
    for _ in range(MAX_ITEMS):
        if pos >= sample.size:
            return
        window = sample.at(pos, min(20, sample.size - pos))
        if not window:
            return  # past the head, before the tail: not known
        key, after = protobuf.varint(window, 0)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, after = protobuf.varint(window, after)
            pos += after
        elif wire in (1, 5):
            pos += after + (8 if wire == 1 else 4)
        elif wire == 2:
            length, after = protobuf.varint(window, after)
            if field == 14:
                entry = sample.at(pos + after, length)
                if entry is not None:
                    yield _onnx_entry(entry)
            pos += after + length
        else:
            return


def _onnx_entry(entry: bytes) -> tuple[str, str]:
    values = {f: v for f, w, v in protobuf.fields(entry) if w == 2 and isinstance(v, bytes)}
    return (values.get(1, b'').decode('utf-8', 'replace'),
            values.get(2, b'').decode('utf-8', 'replace'))


_READERS = {'gguf': _gguf, 'safetensors': _safetensors, 'onnx': _onnx}
