"""Protocol buffers without a magic: ONNX's ModelProto, walked field by
field over the bytes at hand."""
from __future__ import annotations

import re

from ..tree.sample import Sample
from .evidence import Evidence


def varint(data: bytes, pos: int) -> tuple[int, int]:
    """(value, position after it); ValueError when truncated or too long."""
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


def onnx(sample: Sample) -> Evidence | None:
    """A protobuf ModelProto: ir_version first, known fields in order, a graph."""
    data = sample.head
    if data[:1] != b'\x08':
        return None
    try:
        ir_version, pos = varint(data, 1)
        if not 1 <= ir_version <= 30:
            return None
        last = 1
        while pos < len(data):
            key, pos = varint(data, pos)
            field, wire = key >> 3, key & 7
            if _ONNX_FIELDS.get(field) != wire or field <= last:
                return None
            last = field
            if wire == 0:
                _, pos = varint(data, pos)
                continue
            length, pos = varint(data, pos)
            if pos + length > sample.size:
                return None
            if field in (2, 3, 4) and not _PRINTABLE.match(data[pos:pos + length]):
                return None
            if field == 7:
                return Evidence(
                    'onnx', f'ONNX ModelProto (IR version {ir_version}) with a graph',
                    True,
                )
            pos += length
    except ValueError:
        return None
    return None
