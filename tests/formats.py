from __future__ import annotations

# Writers of the formats and archives that real repositories hold and that
# recognition once missed (issue 12).  As in samples.py: each writer makes
# one small file at `path` and returns it; real libraries write where they
# are light (numpy, onnx, gguf, tflite's flatbuffers, tarfile, zipfile,
# zstandard), the rest is laid out byte by byte from the format's spec.
# Nothing here loads or unpickles anything.

import io
import json
import random
import struct
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests import samples
from tests.samples import _pb_bytes
from tests.samples import _pb_varint

Writer = Callable[[Path], Path]


def _write(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _incompressible_text(n: int, seed: int = 7) -> bytes:
    """Text that gzip cannot shrink much: a tokenizer's vocabulary."""
    rng = random.Random(seed)
    words = [
        ''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(8))
        for _ in range(n // 10 + 1)
    ]
    return json.dumps({'model': {'vocab': {w: i for i, w in enumerate(words)}}}).encode()[:n]


# --- archives -------------------------------------------------------------

def _tar_bytes(members: list[tuple[str, bytes]], fmt: int = tarfile.GNU_FORMAT,
               mode: str = 'w') -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode, format=fmt) as tar:  # type: ignore[call-overload]
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _safetensors_bytes(tmp: Path) -> bytes:
    return samples.write_safetensors(tmp / '.st' / 'model.safetensors').read_bytes()


def write_hub_snapshot_tgz(path: Path) -> Path:
    """`tar czf model.tar.gz config.json tokenizer.json model.safetensors`:
    the tokenizer alone is past the first 64 KiB of the stream."""
    members = [
        ('config.json', b'{"model_type": "llama"}\n'),
        ('tokenizer.json', _incompressible_text(400_000)),
        ('model.safetensors', _safetensors_bytes(Path(path).parent)),
    ]
    return _write(path, _tar_bytes(members, mode='w:gz'))


def write_tar_large_member_first(path: Path) -> Path:
    """A plain tar: a 3 MiB data file, then the weights."""
    members = [
        ('data/frames.raw', bytes(3 * 1024 * 1024)),
        ('model.safetensors', _safetensors_bytes(Path(path).parent)),
    ]
    return _write(path, _tar_bytes(members))


SNAPSHOT_NAME = (
    'models--example-org--example-model/snapshots/'
    '0123456789abcdef0123456789abcdef01234567/unet/diffusion_pytorch_model.safetensors'
)


def write_tar_gnu_long_name(path: Path) -> Path:
    """A Hub cache path (more than 100 bytes) as a GNU long name."""
    members = [(SNAPSHOT_NAME, _safetensors_bytes(Path(path).parent))]
    return _write(path, _tar_bytes(members, tarfile.GNU_FORMAT))


def write_tar_pax_long_name(path: Path) -> Path:
    members = [(SNAPSHOT_NAME, _safetensors_bytes(Path(path).parent))]
    return _write(path, _tar_bytes(members, tarfile.PAX_FORMAT))


def write_tar_zst(path: Path) -> Path:
    """A zstd-compressed tar (zstandard writes the frame)."""
    import zstandard  # type: ignore[import-not-found,import-untyped,unused-ignore]

    members = [
        ('README.md', b'# model\n'),
        ('model.safetensors', _safetensors_bytes(Path(path).parent)),
    ]
    raw = _tar_bytes(members)
    return _write(path, zstandard.ZstdCompressor().compress(raw))


def write_tar_zst_text(path: Path) -> Path:
    import zstandard  # type: ignore[import-not-found,import-untyped,unused-ignore]

    raw = _tar_bytes([('README.md', b'# notes\n'), ('notes.txt', b'hello\n')])
    return _write(path, zstandard.ZstdCompressor().compress(raw))


def write_7z_empty(path: Path) -> Path:
    """A 7z signature header (7zFormat.txt): 6-byte signature, version
    0.4, the start header CRC, then next-header offset, size and CRC."""
    import zlib

    start = struct.pack('<QQI', 0, 0, 0)
    header = b'7z\xbc\xaf\x27\x1c' + b'\x00\x04' + struct.pack('<I', zlib.crc32(start)) + start
    return _write(path, header)


def write_zip_in_zip(path: Path) -> Path:
    """A deflated zip holding a zip that holds a .safetensors file (the
    inner one's name says nothing)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('README.md', '# inner\n')
        z.writestr('model.safetensors', _safetensors_bytes(Path(path).parent))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('release/notes.txt', 'release\n')
        z.writestr('release/payload.bin', inner.getvalue())
    return _write(path, outer.getvalue())


def write_zip_of_npy(path: Path) -> Path:
    """A zip of .npy arrays and a README (not named .npz)."""
    import numpy as np

    outer = io.BytesIO()
    with zipfile.ZipFile(outer, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('README.md', '# conv weights\n')
        for name in ('conv1_W', 'conv1_b'):
            buf = io.BytesIO()
            np.save(buf, np.arange(6, dtype=np.float32))
            z.writestr(f'{name}.npy', buf.getvalue())
    return _write(path, outer.getvalue())


# --- formats --------------------------------------------------------------

def write_traineddata(path: Path, lstm: bool = True) -> Path:
    """A Tesseract traineddata (tessdatamanager.h): an int32 count of 24
    entries, 24 int64 offsets (-1 absent), then the entries' bytes."""
    present = {17: b'\x01' * 64, 23: b'4.00.00alpha\0'} if lstm else {
        1: b'3\nNULL 0 Common 0\n', 6: b'\x00' * 16, 23: b'4.00.00alpha\0'}
    offsets, body, pos = [], b'', 4 + 24 * 8
    for index in range(24):
        if index in present:
            offsets.append(pos + len(body))
            body += present[index]
        else:
            offsets.append(-1)
    return _write(path, struct.pack('<i24q', 24, *offsets) + body)


def write_traineddata_langdata(path: Path) -> Path:
    return write_traineddata(path, lstm=False)


def _dlib_int(value: int) -> bytes:
    width = max(1, (value.bit_length() + 7) // 8)
    return bytes([width]) + value.to_bytes(width, 'little')


def write_dlib_net(path: Path) -> Path:
    """A dlib network as serialize() writes it: a version (an int), the
    loss layer's name (a string: length, characters), then its layers."""
    out = _dlib_int(1) + _dlib_int(len(b'loss_mmod_')) + b'loss_mmod_'
    out += _dlib_int(80) + _dlib_int(80) + struct.pack('<32f', *range(32))
    return _write(path, out)


def write_npy_weights(path: Path) -> Path:
    import numpy as np

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, np.linspace(-1, 1, 64, dtype=np.float32).reshape(8, 8))
    return path


write_npy_data = write_npy_weights  # the same bytes: the name decides


def write_npy_pickled_dict(path: Path) -> Path:
    """`np.save('vgg16.npy', {layer: [W, b]})`: a 0-d object array holding
    a pickled dict of arrays, after 40 KiB of another layer's weights."""
    import numpy as np

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    layers = {'conv1_1': [np.ones((3, 3), np.float32), np.zeros(3, np.float32)]}
    np.save(path, np.array(layers, dtype=object), allow_pickle=True)
    return path


def write_late_pickle(path: Path, padding: int = 40_000) -> Path:
    """A protocol 2 pickle whose first global, torch's tensor rebuild,
    comes after `padding` bytes of plain data (built from opcodes)."""
    text = b'x' * padding
    out = b'\x80\x02'  # PROTO 2
    out += b'X' + struct.pack('<I', len(text)) + text  # BINUNICODE
    out += b'ctorch._utils\n_rebuild_tensor_v2\n'  # GLOBAL
    out += b')R'  # EMPTY_TUPLE, REDUCE
    out += b'\x86.'  # TUPLE2, STOP
    return _write(path, out)


def write_onnx_reordered(path: Path) -> Path:
    """An ONNX ModelProto with its graph first and the IR version last:
    protobuf allows any field order, and onnx loads it."""
    import onnx

    model = onnx.load_from_string(
        samples.write_onnx(Path(path).parent / '.o' / 'm.onnx').read_bytes(),
    )
    graph = _pb_bytes(7, model.graph.SerializeToString())
    opsets = b''.join(_pb_bytes(8, o.SerializeToString()) for o in model.opset_import)
    return _write(path, graph + opsets + _pb_bytes(2, b'pytorch') + _pb_varint(1, model.ir_version))


def write_onnx_graph_only(path: Path) -> Path:
    """An operator test graph: one Add node, no initializer."""
    import onnx
    from onnx import helper
    from onnx import TensorProto

    graph = helper.make_graph(
        [helper.make_node('Add', ['X', 'Y'], ['Z'])], 'test_add',
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, [3]) for n in 'XY'],
        [helper.make_tensor_value_info('Z', TensorProto.FLOAT, [3])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


def write_gguf_vocab(path: Path) -> Path:
    """`ggml-vocab-*.gguf`: a tokenizer, no tensor."""
    import gguf

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(path, 'llama')
    writer.add_tokenizer_model('llama')
    writer.add_token_list(['<unk>', '<s>', '</s>', 'a'])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def write_whisper_ggml_vocab(path: Path) -> Path:
    """whisper.cpp's for-tests GGML layout: magic, 11 int32
    hyperparameters, 2x3 mel filters, a 3-token vocabulary, no tensor."""
    out = struct.pack('<I', 0x67676D6C)
    out += struct.pack('<11i', 3, 1500, 384, 6, 4, 448, 384, 6, 4, 2, 1)
    out += struct.pack('<2i', 2, 3) + struct.pack('<6f', *range(6))
    out += struct.pack('<i', 3)
    for token in (b'a', b'bc', b'<|endoftext|>'):
        out += struct.pack('<I', len(token)) + token
    return _write(path, out)


def _tflite(constant: bool) -> bytes:
    """A TFLite model (schema.fbs) with one ADD: input + a tensor that is a
    constant of six floats (its buffer holds data) or a second input."""
    import importlib

    import flatbuffers  # type: ignore[import-untyped,unused-ignore]

    # The package's names are its classes; the builder functions are in
    # the modules of the same names.
    Buffer, Model, Operator, OperatorCode, SubGraph, Tensor = (
        importlib.import_module(f'tflite.{name}') for name in
        ('Buffer', 'Model', 'Operator', 'OperatorCode', 'SubGraph', 'Tensor')
    )

    b = flatbuffers.Builder(1024)
    data = b.CreateByteVector(struct.pack('<6f', *range(6)))
    buffers = []
    for holds in (False, constant):
        Buffer.Start(b)
        if holds:
            Buffer.AddData(b, data)
        buffers.append(Buffer.End(b))
    tensors = []
    for name, buffer in ((b'x', 0), (b'w', 1 if constant else 0), (b'y', 0)):
        tname = b.CreateString(name)
        Tensor.StartShapeVector(b, 1)
        b.PrependInt32(6)
        shape = b.EndVector()
        Tensor.Start(b)
        Tensor.AddShape(b, shape)
        Tensor.AddType(b, 0)  # FLOAT32
        Tensor.AddBuffer(b, buffer)
        Tensor.AddName(b, tname)
        tensors.append(Tensor.End(b))

    def ints(start: Any, values: list[int]) -> int:
        start(b, len(values))
        for v in reversed(values):
            b.PrependInt32(v)
        return int(b.EndVector())

    op_inputs = ints(Operator.StartInputsVector, [0, 1])
    op_outputs = ints(Operator.StartOutputsVector, [2])
    Operator.Start(b)
    Operator.AddOpcodeIndex(b, 0)
    Operator.AddInputs(b, op_inputs)
    Operator.AddOutputs(b, op_outputs)
    op = Operator.End(b)
    SubGraph.StartTensorsVector(b, len(tensors))
    for t in reversed(tensors):
        b.PrependUOffsetTRelative(t)
    tensor_vec = b.EndVector()
    SubGraph.StartOperatorsVector(b, 1)
    b.PrependUOffsetTRelative(op)
    op_vec = b.EndVector()
    sg_inputs = ints(SubGraph.StartInputsVector, [0] if constant else [0, 1])
    sg_outputs = ints(SubGraph.StartOutputsVector, [2])
    SubGraph.Start(b)
    SubGraph.AddTensors(b, tensor_vec)
    SubGraph.AddInputs(b, sg_inputs)
    SubGraph.AddOutputs(b, sg_outputs)
    SubGraph.AddOperators(b, op_vec)
    subgraph = SubGraph.End(b)
    OperatorCode.Start(b)
    OperatorCode.AddBuiltinCode(b, 0)  # ADD
    OperatorCode.AddDeprecatedBuiltinCode(b, 0)
    OperatorCode.AddVersion(b, 1)
    code = OperatorCode.End(b)
    Model.StartOperatorCodesVector(b, 1)
    b.PrependUOffsetTRelative(code)
    codes = b.EndVector()
    Model.StartSubgraphsVector(b, 1)
    b.PrependUOffsetTRelative(subgraph)
    subgraphs = b.EndVector()
    Model.StartBuffersVector(b, len(buffers))
    for buf in reversed(buffers):
        b.PrependUOffsetTRelative(buf)
    buffer_vec = b.EndVector()
    description = b.CreateString('test model')
    Model.Start(b)
    Model.AddVersion(b, 3)
    Model.AddOperatorCodes(b, codes)
    Model.AddSubgraphs(b, subgraphs)
    Model.AddDescription(b, description)
    Model.AddBuffers(b, buffer_vec)
    b.Finish(Model.End(b), file_identifier=b'TFL3')
    return bytes(b.Output())


def write_tflite(path: Path) -> Path:
    return _write(path, _tflite(constant=True))


def write_tflite_graph(path: Path) -> Path:
    return _write(path, _tflite(constant=False))


def _tf_node(name: bytes, op: bytes, attrs: dict[bytes, bytes] = {}) -> bytes:
    """A NodeDef (graph.proto): name 1, op 2, attr 5 (map entries)."""
    out = _pb_bytes(1, name) + _pb_bytes(2, op)
    for key, value in attrs.items():
        out += _pb_bytes(5, _pb_bytes(1, key) + _pb_bytes(2, value))
    return out


def write_tf_frozen_graph(path: Path) -> Path:
    """A frozen GraphDef: a Const node whose AttrValue.tensor (field 8) is
    a float TensorProto (dtype 1, shape 2, tensor_content 4) of 6 values."""
    shape = _pb_bytes(2, _pb_varint(1, 6))  # TensorShapeProto.dim.size
    tensor = _pb_varint(1, 1) + _pb_bytes(2, shape) + _pb_bytes(4, struct.pack('<6f', *range(6)))
    nodes = [
        _tf_node(b'input', b'Placeholder', {b'dtype': _pb_varint(6, 1)}),
        _tf_node(b'w', b'Const', {b'dtype': _pb_varint(6, 1), b'value': _pb_bytes(8, tensor)}),
        _tf_node(b'y', b'MatMul'),
    ]
    return _write(path, b''.join(_pb_bytes(1, n) for n in nodes) + _pb_bytes(4, _pb_varint(1, 27)))


def write_tf_graph(path: Path) -> Path:
    """A GraphDef with no constant values (its Const is an int32 shape)."""
    shape = _pb_varint(1, 3) + _pb_bytes(4, struct.pack('<2i', 1, -1))  # DT_INT32
    nodes = [
        _tf_node(b'input', b'Placeholder', {b'dtype': _pb_varint(6, 1)}),
        _tf_node(b'shape', b'Const', {b'value': _pb_bytes(8, shape)}),
        _tf_node(b'y', b'Reshape'),
    ]
    return _write(path, b''.join(_pb_bytes(1, n) for n in nodes))


def write_tf_saved_model(path: Path) -> Path:
    """saved_model.pb: schema version 1, one MetaGraphDef whose graph_def
    (field 2) has variables, not constants."""
    graph = b''.join(_pb_bytes(1, n) for n in (
        _tf_node(b'x', b'Placeholder'), _tf_node(b'w', b'VarHandleOp'),
        _tf_node(b'y', b'MatMul'),
    ))
    meta = _pb_bytes(1, _pb_bytes(4, b'serve')) + _pb_bytes(2, graph)
    return _write(path, _pb_varint(1, 1) + _pb_bytes(2, meta))


def write_tf_metagraph(path: Path) -> Path:
    """A TF1 checkpoint's `.meta`: MetaGraphDef with meta_info_def (1,
    its tags) and graph_def (2) of variables, not constants."""
    graph = b''.join(_pb_bytes(1, n) for n in (
        _tf_node(b'w', b'VariableV2'), _tf_node(b'w/Assign', b'Assign'),
    ))
    return _write(path, _pb_bytes(1, _pb_bytes(4, b'serve')) + _pb_bytes(2, graph))


def write_onnx_scalar_constant(path: Path) -> Path:
    """An operator test: x + a double scalar Constant (8 bytes of raw_data,
    no dims), as pytorch exports `x + 1`."""
    import onnx
    from onnx import helper
    from onnx import TensorProto

    one = helper.make_tensor('one', TensorProto.DOUBLE, [], struct.pack('<d', 1.0), raw=True)
    graph = helper.make_graph(
        [helper.make_node('Constant', [], ['c'], value=one),
         helper.make_node('Add', ['x', 'c'], ['y'])], 'test_addconstant',
        [helper.make_tensor_value_info('x', TensorProto.DOUBLE, [2, 3])],
        [helper.make_tensor_value_info('y', TensorProto.DOUBLE, [2, 3])],
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)]), str(path))
    return path


def write_caffe_prototxt(path: Path) -> Path:
    """A Caffe deploy definition (protobuf text format): the graph whose
    weights are the .caffemodel."""
    text = (
        'name: "tiny"\ninput: "data"\ninput_dim: 1\ninput_dim: 3\n'
        'layer {\n  name: "conv1"\n  type: "Convolution"\n  bottom: "data"\n'
        '  top: "conv1"\n  convolution_param { num_output: 8 kernel_size: 3 }\n}\n'
    )
    return _write(path, text.encode())


def write_tfjs_model(folder: Path) -> Path:
    """face-api.js layout: `<model>-weights_manifest.json` (a JSON list of
    groups: shard paths and the weights they hold) and the shard, raw
    uint8-quantised values, none below 0x5e (text-like bytes)."""
    folder = Path(folder)
    manifest = [{
        'weights': [{'name': 'conv0/filters', 'shape': [3, 3, 3, 32], 'dtype': 'float32',
                     'quantization': {'dtype': 'uint8', 'scale': 0.01, 'min': -1.2}}],
        'paths': ['age_model-shard1'],
    }]
    _write(folder / 'age_model-weights_manifest.json', json.dumps(manifest).encode())
    rng = random.Random(3)
    return _write(folder / 'age_model-shard1', bytes(rng.randrange(0x5e, 0x7f) for _ in range(864)))


# The formats whose content proves weights, whatever the file's name.
WEIGHTS: dict[str, tuple[Writer, str]] = {
    'traineddata': (write_traineddata, 'eng.traineddata'),
    'dlib-net': (write_dlib_net, 'mmod_human_face_detector.dat'),
    'npy-pickled-dict': (write_npy_pickled_dict, 'vgg16.npy'),
    'late-pickle': (write_late_pickle, 'state.bin'),
    'onnx-reordered': (write_onnx_reordered, 'exported.bin'),
    'tflite': (write_tflite, 'model.tflite'),
    'tf-frozen-graph': (write_tf_frozen_graph, 'frozen_inference_graph.pb'),
    'hub-snapshot-tgz': (write_hub_snapshot_tgz, 'model.tar.gz'),
    'tar-large-first': (write_tar_large_member_first, 'bundle.tar'),
    'tar-gnu-long-name': (write_tar_gnu_long_name, 'cache.tar'),
    'tar-pax-long-name': (write_tar_pax_long_name, 'cache-pax.tar'),
    'zip-in-zip': (write_zip_in_zip, 'release.zip'),
    'zip-of-npy': (write_zip_of_npy, 'arrays.zip'),
}
# Model files without learned weights: graphs, vocabularies, manifests.
MODELS: dict[str, tuple[Writer, str]] = {
    'traineddata-langdata': (write_traineddata_langdata, 'osd.traineddata'),
    'onnx-graph-only': (write_onnx_graph_only, 'test_add.onnx'),
    'gguf-vocab': (write_gguf_vocab, 'ggml-vocab-llama.gguf'),
    'whisper-ggml-vocab': (write_whisper_ggml_vocab, 'for-tests-ggml-tiny.bin'),
    'tflite-graph': (write_tflite_graph, 'add.tflite'),
    'tf-graph': (write_tf_graph, 'graph.pb'),
    'tf-saved-model': (write_tf_saved_model, 'saved_model.pb'),
    'tf-metagraph': (write_tf_metagraph, 'export.meta'),
    'onnx-scalar-constant': (write_onnx_scalar_constant, 'test_addconstant.onnx'),
    'caffe-prototxt': (write_caffe_prototxt, 'deploy.prototxt'),
}
