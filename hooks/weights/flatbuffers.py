"""TFLite flatbuffers, walked table by table (offsets checked against the
bytes at hand): whether a graph carries constant tensors, or only
operators.  Field numbers are those of the TFLite schema (schema.fbs)."""
from __future__ import annotations

import struct

MAX_VISITS = 200_000  # vector elements walked, at most: beyond, say weights
# An operator's custom options this long are compiled accelerator code
# (an Edge TPU executable), which carries the parameters.
CUSTOM_OPTIONS_WEIGHTS = 1024

# Model table: subgraphs 2, buffers 4.  SubGraph: tensors 0, operators 3.
# Tensor: shape 0, buffer 2.  Buffer: data 0, offset 1, size 2.
# Operator: custom_options 5.


class _Walk:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.visits = 0

    def u32(self, pos: int) -> int:
        if not 0 <= pos <= len(self.data) - 4:
            raise ValueError('offset out of range')
        return int(struct.unpack_from('<I', self.data, pos)[0])

    def u64(self, pos: int) -> int:
        if not 0 <= pos <= len(self.data) - 8:
            raise ValueError('offset out of range')
        return int(struct.unpack_from('<Q', self.data, pos)[0])

    def field(self, table: int, index: int) -> int | None:
        """Where a table's field lies, or None when it is absent."""
        vtable = table - struct.unpack('<i', self.data[table:table + 4])[0]
        if not 0 <= vtable <= len(self.data) - 4:
            raise ValueError('vtable out of range')
        (size,) = struct.unpack_from('<H', self.data, vtable)
        slot = 4 + 2 * index
        if slot + 2 > size or vtable + slot + 2 > len(self.data):
            return None
        (offset,) = struct.unpack_from('<H', self.data, vtable + slot)
        return table + offset if offset else None

    def ref(self, table: int, index: int) -> int | None:
        """The table, vector or string a reference field points to."""
        pos = self.field(table, index)
        return None if pos is None else pos + self.u32(pos)

    def vector(self, pos: int | None) -> tuple[int, int]:
        """(first element, length) of a vector; (0, 0) when absent."""
        if pos is None:
            return 0, 0
        length = self.u32(pos)
        if pos + 4 + length > len(self.data):
            raise ValueError('vector out of range')
        return pos + 4, length

    def visit(self, count: int) -> None:
        self.visits += count
        if self.visits > MAX_VISITS:
            raise ValueError('too many elements')

    def tables(self, pos: int | None) -> list[int]:
        start, length = self.vector(pos)
        if start + 4 * length > len(self.data):
            raise ValueError('vector out of range')
        self.visit(length)
        return [start + 4 * i + self.u32(start + 4 * i) for i in range(length)]


def tflite_has_weights(data: bytes) -> bool:
    """Whether a whole TFLite model holds constant tensors of two or more
    elements, or compiled operators; True when the walk cannot finish."""
    walk = _Walk(data)
    try:
        model = walk.u32(0)
        buffers = [_buffer_holds_data(walk, b) for b in walk.tables(walk.ref(model, 4))]
        for subgraph in walk.tables(walk.ref(model, 2)):
            for tensor in walk.tables(walk.ref(subgraph, 0)):
                pos = walk.field(tensor, 2)
                index = walk.u32(pos) if pos is not None else 0
                if 0 < index < len(buffers) and buffers[index] and _elements(walk, tensor) >= 2:
                    return True
            for operator in walk.tables(walk.ref(subgraph, 3)):
                _, options = walk.vector(walk.ref(operator, 5))
                if options >= CUSTOM_OPTIONS_WEIGHTS:
                    return True
    except (ValueError, struct.error):
        return True
    return False


def _buffer_holds_data(walk: _Walk, buffer: int) -> bool:
    _, length = walk.vector(walk.ref(buffer, 0))
    size = walk.field(buffer, 2)  # data stored after the flatbuffer
    return length > 0 or (size is not None and walk.u64(size) > 0)


def _elements(walk: _Walk, tensor: int) -> int:
    start, length = walk.vector(walk.ref(tensor, 0))
    walk.visit(length)
    count = 1
    for i in range(length):
        count *= struct.unpack('<i', walk.data[start + 4 * i:start + 4 * i + 4])[0]
    return count
