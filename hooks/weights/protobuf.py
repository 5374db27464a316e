"""Protocol buffers without a magic, walked field by field over the bytes
at hand: ONNX's ModelProto and TensorFlow's GraphDef and SavedModel.

Whether a graph holds weights is read from it: ONNX initializers, or
Constant nodes whose tensors hold values (in subgraphs too); TensorFlow
Const nodes with tensor values.  A graph longer than the bytes at hand is
taken to hold weights (the long ones do)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from .evidence import Evidence

MAX_DEPTH = 32  # nested messages walked, at most (subgraphs of subgraphs)
_PRINTABLE = re.compile(rb'^[\x20-\x7e]*$')


class Truncated(ValueError):
    """The message goes on past the bytes at hand."""


def varint(data: bytes, pos: int) -> tuple[int, int]:
    """(value, position after it); ValueError when truncated or too long."""
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise Truncated('truncated varint') if pos >= len(data) else ValueError('varint')
        b = data[pos]
        result |= (b & 0x7f) << shift
        pos += 1
        shift += 7
        if not b & 0x80:
            return result, pos


def messages(data: bytes, wanted: tuple[int, ...]) -> Iterator[tuple[int, bytes]]:
    """(field, bytes) of the length-delimited fields of a message among
    `wanted`."""
    for field, wire, value in fields(data):
        if wire == 2 and field in wanted and isinstance(value, bytes):
            yield field, value


def fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) of each field of a message: an int
    for varints and fixed values, bytes for length-delimited ones.  Raises
    Truncated where the data ends inside a field, ValueError on garbage."""
    pos = 0
    while pos < len(data):
        key, pos = varint(data, pos)
        field, wire = key >> 3, key & 7
        if field == 0:
            raise ValueError('field 0')
        if wire == 0:
            value, pos = varint(data, pos)
            yield field, wire, value
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            if pos + width > len(data):
                raise Truncated('truncated fixed field')
            yield field, wire, int.from_bytes(data[pos:pos + width], 'little')
            pos += width
        elif wire == 2:
            length, pos = varint(data, pos)
            if pos + length > len(data):
                raise Truncated('truncated length-delimited field')
            yield field, wire, data[pos:pos + length]
            pos += length
        else:
            raise ValueError(f'wire type {wire}')


# ModelProto fields: number -> wire type.
_ONNX_FIELDS = {1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2}


def onnx(data: bytes) -> Evidence | None:
    """An ONNX ModelProto, its fields in any order: an IR version, printable
    producer strings, and a graph.  `data` is the file's first bytes; a
    graph that goes on past them counts as holding weights."""
    if not data[:1] in (b'\x08', b'\x12', b'\x1a', b'\x22', b'\x28', b'\x32', b'\x3a'):
        return None
    version = graph = None
    truncated = False
    try:
        for field, wire, value in fields(data):
            if _ONNX_FIELDS.get(field) != wire:
                return None
            if field == 1 and isinstance(value, int):
                version = value
            elif field in (2, 3, 4) and isinstance(value, bytes) and not _PRINTABLE.match(value):
                return None
            elif field == 7 and isinstance(value, bytes):
                graph = value
    except Truncated:
        truncated = True
    except ValueError:
        return None
    if not isinstance(version, int) or not 1 <= version <= 30:
        return None
    if graph is None and not truncated:
        return None
    what = f'ONNX ModelProto (IR version {version})'
    if graph is None:
        return Evidence('onnx', f'{what} with a graph', True)
    if _onnx_graph_has_weights(graph):
        return Evidence('onnx', f'{what} with a graph holding weights', True)
    return Evidence('onnx', f'{what}, a graph with no initializers or constants', False, model=True)


def _onnx_graph_has_weights(graph: bytes, depth: int = 0) -> bool:
    """Initializers, or constant tensors with values, in a GraphProto or
    its subgraphs; True where the walk cannot finish (fail closed)."""
    if depth > MAX_DEPTH:
        return True
    try:
        for field, value in messages(graph, (1, 5, 15)):
            if field == 15:  # sparse_initializer
                return True
            if field == 5 and _tensor_has_values(value):  # initializer
                return True
            if field == 1 and _onnx_node_has_weights(value, depth):
                return True
    except ValueError:  # Truncated included
        return True
    return False


def _onnx_node_has_weights(node: bytes, depth: int) -> bool:
    parts = list(messages(node, (5, 7)))
    learned = any(f == 7 and v.startswith(b'ai.onnx.ml') for f, v in parts)
    for _, attribute in (p for p in parts if p[0] == 5):
        for field, _, value in fields(attribute):
            if field in (5, 10) and isinstance(value, bytes) and _tensor_has_values(value):
                return True  # t, tensors
            if field in (6, 11) and isinstance(value, bytes) and _onnx_graph_has_weights(
                    value, depth + 1):  # g, graphs
                return True
            if field == 22:  # sparse_tensor
                return True
        if learned and _floats(attribute) >= 2:
            return True
    return False


def _floats(attribute: bytes) -> int:
    """How many values an attribute's `floats` holds, packed or not: the
    learned values of ai.onnx.ml operators (trees, linear models)."""
    count = 0
    for field, _, value in fields(attribute):
        if field == 7:
            count += len(value) // 4 if isinstance(value, bytes) else 1
    return count


# TensorProto data types that hold shapes, indices, flags or text, never
# learned values: INT32, INT64, STRING, BOOL, UINT32, UINT64.
_NOT_WEIGHT_TYPES = frozenset((6, 7, 8, 9, 12, 13))


# Value fields of a TensorProto: float, int32, string, int64, raw, double,
# uint64 data.
_ONNX_VALUE_FIELDS = (4, 5, 6, 7, 9, 10, 11)
_WIDEST_SCALAR = 16  # bytes: a complex128


def _tensor_has_values(tensor: bytes) -> bool:
    """An ONNX TensorProto of a numeric type with two values or more (a
    scalar constant is an operator's argument, an int64 tensor a shape).
    A tensor without dims is a scalar; one that stores more than a scalar
    anyway counts as values."""
    dims: int | None = None
    stored = 0  # bytes of values, about
    for field, wire, value in fields(tensor):
        if field == 2 and isinstance(value, int) and value in _NOT_WEIGHT_TYPES:
            return False
        if field == 13:  # external_data: the values are elsewhere
            return True
        if field == 1:
            dims = 1 if dims is None else dims
            if isinstance(value, int):
                dims *= value
            else:  # packed
                pos = 0
                while pos < len(value):
                    dim, pos = varint(value, pos)
                    dims *= dim
        elif field in _ONNX_VALUE_FIELDS:
            stored += len(value) if isinstance(value, bytes) else 8 if wire == 1 else 4
    if dims is None:
        return stored > _WIDEST_SCALAR
    return dims >= 2


# TensorFlow DataType values that hold shapes, indices, flags or text:
# DT_INT32, DT_STRING, DT_INT64, DT_BOOL.
_TF_NOT_WEIGHT_TYPES = frozenset((3, 7, 9, 10))
_OP_NAME = re.compile(rb'[A-Z][A-Za-z0-9_>]*')


def tensorflow_name(name: str) -> bool:
    """Whether a file of this name may be a TensorFlow protobuf (they have
    no magic: the name comes first, before reading more of the file)."""
    return name.lower().endswith(('.pb', '.graphdef', '.meta'))


def tensorflow(name: str, data: bytes) -> Evidence | None:
    """A TensorFlow SavedModel (`saved_model.pb`) or a GraphDef (`*.pb`):
    weights when a Const node holds a tensor of values (a frozen graph),
    else the graph of a model.  `data` is the file's first bytes."""
    lowered = name.lower()
    # schema_version 1 (or omitted, as TF1 Hub modules do), then meta_graphs
    if lowered == 'saved_model.pb' and (data[:3] == b'\x08\x01\x12' or data[:1] == b'\x12'):
        if _savedmodel_has_weights(data):
            return Evidence('tf-savedmodel', 'SavedModel whose graph holds constant tensors', True)
        return Evidence(
            'tf-savedmodel', 'SavedModel (the graph; its weights are in variables/)', False,
            model=True,
        )
    if lowered.endswith('.meta') and data[:1] == b'\x0a':
        return _metagraph(data)
    if not lowered.endswith(('.pb', '.graphdef')) or data[:1] != b'\x0a':
        return None
    if not _starts_with_node(data):
        return None
    if _tf_graph_has_weights(data):
        return Evidence('tf-graphdef', 'TensorFlow GraphDef with constant tensors (frozen)', True)
    return Evidence('tf-graphdef', 'TensorFlow GraphDef (a graph, no constant values)', False,
                    model=True)


def _starts_with_node(data: bytes) -> bool:
    """A GraphDef's first field is a NodeDef whose name and op (its first
    fields) are printable, the op a TensorFlow operation name."""
    name_op: dict[int, int | bytes] = {}
    try:
        length, pos = varint(data, 1)  # after the key of field 1
        for field, _, value in fields(data[pos:pos + length]):
            if field not in (1, 2):
                break
            name_op[field] = value
    except ValueError:  # the node goes on past the bytes at hand
        pass
    name, op = name_op.get(1), name_op.get(2)
    return (
        isinstance(name, bytes) and bool(_PRINTABLE.match(name)) and
        isinstance(op, bytes) and bool(_OP_NAME.fullmatch(op))
    )


def _metagraph(data: bytes) -> Evidence | None:
    """A TF1 checkpoint's MetaGraphDef: meta_info_def (1), graph_def (2)."""
    try:
        parts = dict(messages(data, (1, 2)))
    except ValueError:
        return None
    graph = parts.get(2)
    if graph is None or not _starts_with_node(graph):
        return None
    if _tf_graph_has_weights(graph):
        return Evidence('tf-metagraph', 'TensorFlow MetaGraphDef with constant tensors', True)
    return Evidence('tf-metagraph', 'TensorFlow MetaGraphDef (the graph of a checkpoint)', False,
                    model=True)


def _savedmodel_has_weights(data: bytes) -> bool:
    try:
        graphs = [g for _, meta in messages(data, (2,)) for _, g in messages(meta, (2,))]
    except ValueError:
        return True
    return any(_tf_graph_has_weights(g) for g in graphs)


def _tf_graph_has_weights(graph: bytes) -> bool:
    """Const nodes (in the graph or its function library) whose tensor
    holds two values or more; True where the walk cannot finish."""
    try:
        nodes = [n for _, n in messages(graph, (1,))]
        for _, library in messages(graph, (2,)):
            for _, function in messages(library, (1,)):
                nodes += [n for _, n in messages(function, (3,))]
        for node in nodes:
            for _, entry in messages(node, (5,)):
                for _, value in messages(entry, (2,)):
                    for _, tensor in messages(value, (8,)):
                        if _tf_tensor_has_values(tensor):
                            return True
    except ValueError:
        return True
    return False


def _tf_tensor_has_values(tensor: bytes) -> bool:
    count = 0
    for field, _, value in fields(tensor):
        if field == 1 and isinstance(value, int) and value in _TF_NOT_WEIGHT_TYPES:
            return False
        if field == 4 and isinstance(value, bytes) and len(value) >= 8:
            return True  # tensor_content
        if field in (5, 6, 13):  # float_val, double_val, half_val
            count += len(value) // 4 if isinstance(value, bytes) else 1
    return count >= 2
