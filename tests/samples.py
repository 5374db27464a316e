from __future__ import annotations

# Writers of small sample files for the test suite.
#
# Each ``write_<name>(path)`` creates the parent folders, writes one small
# file at ``path`` and returns the path of the file it wrote.  Two tables map
# a format id to its writer:
#
# * ``WEIGHT_WRITERS``: files that hold (or point to) ML model weights;
# * ``NON_WEIGHT_WRITERS``: ordinary binaries and text that are not weights,
#   including some that look close to weights (``notes.pt``, a scientific
#   HDF5 file, a protocol 0 pickle of strings, a ``.pth`` path file).
#
# ``FILE_NAMES`` suggests a typical file name for every format id; the names
# are all distinct, so every sample can be written into one folder.
#
# Where a real library writes the format (safetensors, numpy, h5py, onnx,
# gguf, msgpack, joblib, protobuf) it is used, imported inside the writer so
# importing this module stays cheap.  PyTorch formats are laid out by hand
# with the standard library; their pickles are built from opcodes.  Nothing
# here ever loads or unpickles anything.

import gzip
import hashlib
import importlib
import io
import json
import random
import sqlite3
import struct
import tarfile
import wave
import zipfile
import zlib
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import onnx

Writer = Callable[[Path], Path]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# six little-endian float32 values: the storage every torch sample refers to
_TENSOR_FLOATS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5)
_TENSOR_BYTES = struct.pack('<6f', *_TENSOR_FLOATS)


def _prepare(path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    path = _prepare(path)
    path.write_bytes(data)
    return path


def _untyped(module: str) -> Any:
    """Imports a library that ships no type hints (h5py, joblib, ...)."""
    return importlib.import_module(module)


def _noise(seed: int, n: int) -> bytes:
    """Deterministic random-looking bytes."""
    return random.Random(seed).randbytes(n)


# --------------------------------------------------------------------------
# hand-built pickles


class _PickleBuilder:
    """Emits pickle opcodes one by one; it never runs them.

    Strings and globals are memoized with BINPUT (as CPython's pickler does
    for protocol 2), and a global named twice is fetched back with BINGET.
    """

    def __init__(self, protocol: int = 2) -> None:
        self._out = bytearray(b'\x80' + bytes([protocol]))
        self._memo = 0
        self._globals: dict[str, int] = {}

    def op(self, opcodes: bytes) -> _PickleBuilder:
        self._out += opcodes
        return self

    def put(self) -> int:
        idx = self._memo
        if idx < 256:
            self._out += b'q' + bytes([idx])  # BINPUT
        else:
            self._out += b'r' + struct.pack('<I', idx)  # LONG_BINPUT
        self._memo += 1
        return idx

    def get(self, idx: int) -> _PickleBuilder:
        if idx < 256:
            self._out += b'h' + bytes([idx])  # BINGET
        else:
            self._out += b'j' + struct.pack('<I', idx)  # LONG_BINGET
        return self

    def global_(self, module: str, name: str) -> _PickleBuilder:
        key = f'{module}\n{name}\n'
        if key in self._globals:
            return self.get(self._globals[key])
        self._out += b'c' + key.encode('ascii')  # GLOBAL
        self._globals[key] = self.put()
        return self

    def str_(self, s: str) -> _PickleBuilder:
        data = s.encode('utf-8')
        self._out += b'X' + struct.pack('<I', len(data)) + data  # BINUNICODE
        self.put()
        return self

    def int_(self, n: int) -> _PickleBuilder:
        if 0 <= n < 0x100:
            self._out += b'K' + bytes([n])  # BININT1
        elif 0 <= n < 0x10000:
            self._out += b'M' + struct.pack('<H', n)  # BININT2
        else:
            self._out += b'J' + struct.pack('<i', n)  # BININT
        return self

    def float_(self, x: float) -> _PickleBuilder:
        self._out += b'G' + struct.pack('>d', x)  # BINFLOAT
        return self

    def tuple_(self, n: int) -> _PickleBuilder:
        """Closes a tuple of n items pushed before (n > 3: after a MARK)."""
        self._out += {0: b')', 1: b'\x85', 2: b'\x86', 3: b'\x87'}.get(n, b't')
        if n:
            self.put()
        return self

    def tensor(
            self,
            storage_key: str,
            shape: tuple[int, int],
            *,
            legacy: bool = False,
    ) -> _PickleBuilder:
        """A float32 tensor as torch pickles it: _rebuild_tensor_v2(...)."""
        numel = shape[0] * shape[1]
        self.global_('torch._utils', '_rebuild_tensor_v2')
        self.op(b'(')  # MARK: the argument tuple
        # persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
        self.op(b'(').str_('storage').global_('torch', 'FloatStorage')
        self.str_(storage_key).str_('cpu').int_(numel)
        if legacy:
            self.op(b'N')  # view_metadata
        self.tuple_(6 if legacy else 5)
        self.op(b'Q')  # BINPERSID
        self.int_(0)  # storage_offset
        self.int_(shape[0]).int_(shape[1]).tuple_(2)  # size
        self.int_(shape[1]).int_(1).tuple_(2)  # stride
        self.op(b'\x89')  # requires_grad=False
        # backward_hooks=collections.OrderedDict()
        self.global_('collections', 'OrderedDict').op(b')R')
        self.put()
        self.op(b't')  # TUPLE (from the MARK)
        self.put()
        self.op(b'R')  # REDUCE
        self.put()
        return self

    def state_dict(
            self,
            storage_key: str = '0',
            *,
            legacy: bool = False,
    ) -> _PickleBuilder:
        """OrderedDict({'weight': <2x3 float32 tensor>})."""
        self.global_('collections', 'OrderedDict').op(b')R')
        self.put()
        self.op(b'(').str_('weight')
        self.tensor(storage_key, (2, 3), legacy=legacy)
        self.op(b'u')  # SETITEMS
        return self

    def stop(self) -> bytes:
        return bytes(self._out + b'.')


def _torch_state_dict_pickle() -> bytes:
    return _PickleBuilder(2).state_dict().stop()


def _lightning_pickle() -> bytes:
    p = _PickleBuilder(2)
    p.op(b'}')  # EMPTY_DICT
    p.put()
    p.op(b'(')
    p.str_('epoch').int_(2)
    p.str_('global_step').int_(30)
    p.str_('pytorch-lightning_version').str_('2.4.0')
    p.str_('state_dict').state_dict()
    # [{'state': {}, 'param_groups': [{'lr': 0.001, 'params': [0]}]}]
    p.str_('optimizer_states').op(b']')
    p.put()
    p.op(b'}')
    p.put()
    p.op(b'(').str_('state').op(b'}')
    p.put()
    p.str_('param_groups').op(b']')
    p.put()
    p.op(b'}')
    p.put()
    p.op(b'(').str_('lr').float_(0.001).str_('params').op(b']')
    p.put()
    p.int_(0).op(b'a')  # APPEND
    p.op(b'u')  # param group SETITEMS
    p.op(b'a')  # param_groups APPEND
    p.op(b'u')  # optimizer state SETITEMS
    p.op(b'a')  # optimizer_states APPEND
    p.str_('lr_schedulers').op(b']')
    p.put()
    p.op(b'u')
    return p.stop()


def _torchscript_data_pickle() -> bytes:
    # __torch__.m.M object: NEWOBJ, then BUILD with its attributes
    p = _PickleBuilder(2)
    p.global_('__torch__.m', 'M').op(b')\x81')
    p.put()
    p.op(b'}')
    p.put()
    p.op(b'(').str_('training').op(b'\x88')
    p.str_('weight').tensor('0', (2, 3))
    p.op(b'ub')  # SETITEMS, BUILD
    return p.stop()


def _torchscript_debug_pickle() -> bytes:
    # ((0, ('', 0, 0)),): one debug record, no source text
    p = _PickleBuilder(2)
    p.int_(0).str_('').int_(0).int_(0).tuple_(3).tuple_(2).tuple_(1)
    return p.stop()


# --------------------------------------------------------------------------
# zips


def _write_zip(
        path: Path,
        entries: Sequence[tuple[str, bytes]],
        *,
        deflated: Sequence[str] = (),
        align: int = 0,
        default: int = zipfile.ZIP_STORED,
) -> Path:
    """Writes the entries in order, with a fixed date (deterministic bytes).

    With ``align``, each stored entry's data starts at a multiple of
    ``align`` in the file, padded with an extra field of id ``FB`` as
    PyTorch's writer does.
    """
    path = _prepare(path)
    with open(path, 'wb') as f, zipfile.ZipFile(f, 'w') as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = default
            if name in deflated:
                info.compress_type = zipfile.ZIP_DEFLATED
            if align and info.compress_type == zipfile.ZIP_STORED:
                start = f.tell() + 30 + len(name.encode('utf-8')) + 4
                pad = -start % align
                info.extra = struct.pack('<2sH', b'FB', pad) + b'Z' * pad
            zf.writestr(info, data)
    return path


def _serialization_id(seed: int) -> bytes:
    return ''.join(
        str(d) for d in random.Random(seed).choices(range(10), k=40)
    ).encode('ascii')


def _torch_zip(path: Path, data_pkl: bytes) -> Path:
    path = Path(path)
    d = path.stem
    return _write_zip(
        path,
        [
            (f'{d}/data.pkl', data_pkl),
            (f'{d}/.format_version', b'1'),
            (f'{d}/.storage_alignment', b'64'),
            (f'{d}/byteorder', b'little'),
            (f'{d}/data/0', _TENSOR_BYTES),
            (f'{d}/version', b'3\n'),
            (f'{d}/.data/serialization_id', _serialization_id(0)),
        ],
        align=64,
    )


# --------------------------------------------------------------------------
# protobuf by hand


def _varint(n: int) -> bytes:
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _pb_varint(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _pb_bytes(field: int, value: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(value)) + value


def _pb_fixed32(field: int, value: int) -> bytes:
    return _varint(field << 3 | 5) + struct.pack('<I', value)


def _crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def _masked_crc32c(data: bytes) -> int:
    crc = _crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


# --------------------------------------------------------------------------
# weight formats


def write_safetensors(path: Path) -> Path:
    import numpy as np
    from safetensors.numpy import save_file

    path = _prepare(path)
    save_file(
        {'w': np.zeros((2, 3), np.float32), 'b': np.ones(3, np.float32)},
        str(path),
        metadata={'format': 'pt'},
    )
    return path


def write_safetensors_index(path: Path) -> Path:
    """Content of a sharded checkpoint's ``model.safetensors.index.json``."""
    index = {
        'metadata': {'total_size': 36},
        'weight_map': {
            'w': 'model-00001-of-00002.safetensors',
            'b': 'model-00002-of-00002.safetensors',
        },
    }
    return _write_bytes(path, (json.dumps(index, indent=2) + '\n').encode())


def write_torch_zip(path: Path) -> Path:
    """``torch.save({'weight': tensor}, path)``: zip under ``<stem>/``."""
    return _torch_zip(path, _torch_state_dict_pickle())


def write_torch_legacy(path: Path) -> Path:
    """``torch.save(..., _use_new_zipfile_serialization=False)``."""
    import pickle

    storage_key = '94371522345200'
    sys_info = {
        'protocol_version': 1001,
        'little_endian': True,
        'type_sizes': {'short': 2, 'int': 4, 'long': 4},
    }
    keys = _PickleBuilder(2).op(b']')
    keys.put()
    keys.str_(storage_key).op(b'a')
    data = b''.join((
        # magic number 0x1950a86a20f9469cfc6c as a pickled LONG1
        bytes.fromhex('80028a0a6cfc9c46f9206aa850192e'),
        # protocol version 1001
        bytes.fromhex('80024de9032e'),
        pickle.dumps(sys_info, protocol=2),
        _PickleBuilder(2).state_dict(storage_key, legacy=True).stop(),
        keys.stop(),
        # each storage: u64 element count, then its raw bytes
        struct.pack('<Q', len(_TENSOR_FLOATS)),
        _TENSOR_BYTES,
    ))
    return _write_bytes(path, data)


def write_lightning_ckpt(path: Path) -> Path:
    """A PyTorch Lightning ``.ckpt``: torch zip of the trainer's dict."""
    return _torch_zip(path, _lightning_pickle())


_TORCHSCRIPT_CODE = '''\
class M(Module):
  __parameters__ = ["weight", ]
  __buffers__ = []
  weight : Tensor
  training : bool
  def forward(self: __torch__.m.M,
    x: Tensor) -> Tensor:
    return torch.add(x, self.weight)
'''


def write_torchscript(path: Path) -> Path:
    """``torch.jit.save``: zip under ``<stem>/`` with code/ and constants."""
    path = Path(path)
    d = path.stem
    return _write_zip(
        path,
        [
            (f'{d}/data/0', _TENSOR_BYTES),
            (f'{d}/data.pkl', _torchscript_data_pickle()),
            (f'{d}/code/__torch__/m.py', _TORCHSCRIPT_CODE.encode()),
            (
                f'{d}/code/__torch__/m.py.debug_pkl',
                _torchscript_debug_pickle(),
            ),
            (f'{d}/constants.pkl', _PickleBuilder(2).tuple_(0).stop()),
            (f'{d}/version', b'8\n'),
            (f'{d}/byteorder', b'little'),
            (f'{d}/.data/serialization_id', _serialization_id(1)),
        ],
        deflated=(f'{d}/code/__torch__/m.py',),
        align=64,
    )


def write_torch_export_pt2(path: Path) -> Path:
    """``torch.export.save`` (.pt2 archive) under ``<stem>/``."""
    path = Path(path)
    d = path.stem
    weights_config = {
        'config': {
            'weight': {
                'path_name': 'weight_0',
                'is_param': True,
                'use_pickle': False,
                'tensor_meta': {
                    'dtype': 7,
                    'sizes': [{'as_int': 2}, {'as_int': 3}],
                    'requires_grad': True,
                    'device': {'type': 'cpu', 'index': None},
                    'strides': [{'as_int': 3}, {'as_int': 1}],
                    'storage_offset': {'as_int': 0},
                    'layout': 5,
                },
            },
        },
    }
    model = {
        'graph_module': {
            'graph': {
                'inputs': [],
                'outputs': [],
                'nodes': [],
            },
            'signature': {'input_specs': [], 'output_specs': []},
        },
        'opset_version': {'aten': 10},
        'schema_version': {'major': 8, 'minor': 3},
    }
    return _write_zip(
        path,
        [
            (f'{d}/data/weights/weight_0', _TENSOR_BYTES),
            (
                f'{d}/data/weights/model_weights_config.json',
                json.dumps(weights_config).encode(),
            ),
            (f'{d}/models/model.json', json.dumps(model).encode()),
            (f'{d}/archive_format', b'pt2'),
            (f'{d}/archive_version', b'0'),
            (f'{d}/.data/version', b'1'),
            (f'{d}/byteorder', b'little'),
        ],
        align=64,
    )


def write_gguf(path: Path, license: str = 'apache-2.0') -> Path:
    """A GGUF with one tensor, whose metadata says this licence (as
    llama.cpp's converters write the card's)."""
    import gguf
    import numpy as np

    path = _prepare(path)
    writer = gguf.GGUFWriter(path, 'llama')
    writer.add_name('tiny')
    writer.add_license(license)
    writer.add_tensor('weight', np.zeros((4, 4), np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def write_ggml_legacy(path: Path) -> Path:
    """A pre-GGUF llama.cpp file: ``ggjt`` v3, hparams, vocab, one tensor."""
    n_vocab, n_embd = 3, 4
    out = bytearray()
    out += struct.pack('<II', 0x67676A74, 3)  # magic 'ggjt' (bytes 'tjgg')
    # n_vocab, n_embd, n_mult, n_head, n_layer, n_rot, ftype
    out += struct.pack('<7i', n_vocab, n_embd, 4, 1, 1, 4, 0)
    for i, token in enumerate((b'<unk>', b'<s>', b'</s>')):
        out += struct.pack('<I', len(token)) + token + struct.pack('<f', -i)
    name = b'tok_embeddings.weight'
    # n_dims, name length, ftype (0: f32), dims, name, pad to 32, data
    out += struct.pack('<3i', 2, len(name), 0)
    out += struct.pack('<2i', n_embd, n_vocab) + name
    out += b'\0' * (-len(out) % 32)
    out += struct.pack(f'<{n_embd * n_vocab}f', *range(n_embd * n_vocab))
    return _write_bytes(path, bytes(out))


def _onnx_model(producer: str | None) -> onnx.ModelProto:
    import numpy as np
    from onnx import helper
    from onnx import numpy_helper
    from onnx import TensorProto

    # from_array stores raw_data, which save_as_external_data can move out
    w = numpy_helper.from_array(np.arange(4, dtype=np.float32), 'W')
    graph = helper.make_graph(
        [helper.make_node('Add', ['X', 'W'], ['Y'])],
        'tiny',
        [helper.make_tensor_value_info('X', TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info('Y', TensorProto.FLOAT, [4])],
        initializer=[w],
    )
    opsets = [helper.make_opsetid('', 13)]
    if producer is None:
        return helper.make_model(graph, opset_imports=opsets)
    return helper.make_model(
        graph,
        opset_imports=opsets,
        producer_name=producer,
        producer_version='2.4.0',
    )


def write_onnx(path: Path) -> Path:
    import onnx

    path = _prepare(path)
    onnx.save(_onnx_model('pytorch'), str(path))
    return path


def write_onnx_noproducer(path: Path) -> Path:
    import onnx

    path = _prepare(path)
    onnx.save(_onnx_model(None), str(path))
    return path


def onnx_external_data_path(path: Path) -> Path:
    """Where ``write_onnx_external_data(path)`` puts the tensor data.

    It is the model file's full name plus ``.data``, beside it:
    ``model.onnx`` -> ``model.onnx.data``.
    """
    path = Path(path)
    return path.with_name(path.name + '.data')


def write_onnx_external_data(path: Path) -> Path:
    """An ONNX model whose initializer lives in a sibling file.

    Writes ``path`` and ``onnx_external_data_path(path)``; returns ``path``.
    """
    import onnx

    path = _prepare(path)
    onnx.save_model(
        _onnx_model('pytorch'),
        str(path),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=onnx_external_data_path(path).name,
        size_threshold=0,
    )
    return path


_KERAS2_CONFIG = {
    'class_name': 'Sequential',
    'config': {
        'name': 'sequential',
        'layers': [
            {
                'class_name': 'InputLayer',
                'config': {
                    'batch_input_shape': [None, 3],
                    'dtype': 'float32',
                    'name': 'input_1',
                },
            },
            {
                'class_name': 'Dense',
                'config': {
                    'name': 'dense',
                    'trainable': True,
                    'dtype': 'float32',
                    'units': 2,
                    'activation': 'linear',
                    'use_bias': True,
                },
            },
        ],
    },
}


def _fill_keras2_h5(f: Any) -> None:
    """What Keras 2's ``model.save('m.h5')`` puts in an open h5py file."""
    import numpy as np

    f.attrs['keras_version'] = '2.15.0'
    f.attrs['backend'] = 'tensorflow'
    f.attrs['model_config'] = json.dumps(_KERAS2_CONFIG).encode('utf-8')
    weights = f.create_group('model_weights')
    weights.attrs['layer_names'] = np.array([b'input_1', b'dense'])
    weights.attrs['backend'] = b'tensorflow'
    weights.attrs['keras_version'] = b'2.15.0'
    g = weights.create_group('input_1')
    g.attrs['weight_names'] = np.array([], dtype='S1')
    g = weights.create_group('dense')
    g.attrs['weight_names'] = np.array([b'dense/kernel:0', b'dense/bias:0'])
    g.create_dataset('dense/kernel:0', data=np.zeros((3, 2), np.float32))
    g.create_dataset('dense/bias:0', data=np.zeros(2, np.float32))


def write_hdf5_keras(path: Path) -> Path:
    h5py = _untyped('h5py')

    path = _prepare(path)
    with h5py.File(path, 'w') as f:
        _fill_keras2_h5(f)
    return path


def write_hdf5_userblock(path: Path) -> Path:
    """The Keras 2 file above with a 512-byte user block (signature at 512)."""
    h5py = _untyped('h5py')

    path = _prepare(path)
    with h5py.File(path, 'w', userblock_size=512) as f:
        _fill_keras2_h5(f)
    return path


def write_keras_v3(path: Path) -> Path:
    """A Keras 3 ``.keras`` zip: metadata, config, weights (HDF5)."""
    h5py = _untyped('h5py')
    import numpy as np

    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        f.create_group('vars')
        layer_vars = f.create_group('layers/dense/vars')
        layer_vars.create_dataset('0', data=np.zeros((3, 2), np.float32))
        layer_vars.create_dataset('1', data=np.zeros(2, np.float32))
    metadata = {'keras_version': '3.15.1', 'date_saved': '2026-11-30@00:00:00'}
    config = {
        'module': 'keras',
        'class_name': 'Sequential',
        'config': {
            'name': 'sequential',
            'layers': [
                {
                    'module': 'keras.layers',
                    'class_name': 'Dense',
                    'config': {'name': 'dense', 'units': 2},
                    'registered_name': None,
                },
            ],
        },
        'registered_name': None,
    }
    return _write_zip(
        path,
        [
            ('metadata.json', json.dumps(metadata).encode()),
            ('config.json', json.dumps(config).encode()),
            ('model.weights.h5', buf.getvalue()),
        ],
    )


def write_tflite(path: Path) -> Path:
    """A TFLite model with one constant tensor (tests/formats.py builds it
    with tflite's flatbuffers code)."""
    from tests import formats

    return formats.write_tflite(path)


def write_npz(path: Path) -> Path:
    """``np.savez``; written through a file object so no ``.npz`` is added."""
    import numpy as np

    path = _prepare(path)
    with open(path, 'wb') as f:
        np.savez(f, w=np.zeros((3, 3), np.float32), b=np.ones(3, np.float32))
    return path


def write_npz_compressed(path: Path) -> Path:
    import numpy as np

    path = _prepare(path)
    with open(path, 'wb') as f:
        np.savez_compressed(
            f, w=np.zeros((3, 3), np.float32), b=np.ones(3, np.float32),
        )
    return path


def _short_str(s: str) -> bytes:
    data = s.encode('utf-8')
    return b'\x8c' + bytes([len(data)]) + data + b'\x94'  # + MEMOIZE


def write_pickle_sklearn(path: Path) -> Path:
    """A protocol 4 pickle of a scikit-learn LinearRegression (no arrays)."""
    body = b''.join((
        _short_str('sklearn.linear_model._base'),
        _short_str('LinearRegression'),
        b'\x93\x94',  # STACK_GLOBAL, MEMOIZE
        b')\x81\x94',  # EMPTY_TUPLE, NEWOBJ, MEMOIZE
        b'}\x94(',  # EMPTY_DICT, MEMOIZE, MARK
        _short_str('fit_intercept'), b'\x88',
        _short_str('copy_X'), b'\x88',
        _short_str('tol'), b'G' + struct.pack('>d', 1e-06),
        _short_str('n_jobs'), b'N',
        _short_str('positive'), b'\x89',
        _short_str('n_features_in_'), b'K\x03',
        _short_str('_sklearn_version'), _short_str('1.5.2'),
        b'ub.',  # SETITEMS, BUILD, STOP
    ))
    data = b'\x80\x04\x95' + struct.pack('<Q', len(body)) + body
    return _write_bytes(path, data)


def write_joblib_numpy(path: Path) -> Path:
    joblib = _untyped('joblib')
    import numpy as np

    path = _prepare(path)
    with open(path, 'wb') as f:
        joblib.dump({'coef': np.zeros(3)}, f)
    return path


def write_joblib_compressed(path: Path) -> Path:
    """``joblib.dump(..., compress=3)``: one zlib stream (first byte 0x78)."""
    joblib = _untyped('joblib')
    import numpy as np

    path = _prepare(path)
    with open(path, 'wb') as f:
        joblib.dump({'coef': np.zeros(3)}, f, compress=('zlib', 3))
    return path


def write_flax_msgpack(path: Path) -> Path:
    msgpack = _untyped('msgpack')

    data = msgpack.packb({'params': {'Dense_0': {'kernel': b'\x00' * 16}}})
    return _write_bytes(path, data)


def write_coreml(path: Path) -> Path:
    """A CoreML ``Model`` protobuf: spec 4, x -> y, a GLM regressor."""
    double_type = _pb_bytes(3, _pb_bytes(2, b''))  # FeatureType.doubleType
    description = b''.join((
        _pb_bytes(1, _pb_bytes(1, b'x') + double_type),  # input
        _pb_bytes(10, _pb_bytes(1, b'y') + double_type),  # output
        _pb_bytes(11, b'y'),  # predictedFeatureName
    ))
    glm = b''.join((
        _pb_bytes(1, _pb_bytes(1, struct.pack('<d', 0.5))),  # weights
        _pb_bytes(2, struct.pack('<d', 0.25)),  # offset
    ))
    data = b''.join((
        _pb_varint(1, 4),  # specificationVersion
        _pb_bytes(2, description),
        _pb_bytes(300, glm),  # glmRegressor
    ))
    return _write_bytes(path, data)


_OPENVINO_PORT = (
    '<port id="{}" precision="FP32"><dim>1</dim><dim>4</dim></port>'
)


def write_openvino_xml(path: Path) -> Path:
    """OpenVINO IR v11 topology; its Const reads 16 bytes of the .bin."""
    p = _OPENVINO_PORT.format
    xml = f'''\
<?xml version="1.0"?>
<net name="m" version="11">
<layers>
<layer id="0" name="x" type="Parameter" version="opset1">
<data shape="1,4" element_type="f32"/>
<output>{p(0)}</output>
</layer>
<layer id="1" name="w" type="Const" version="opset1">
<data element_type="f32" shape="1,4" offset="0" size="16"/>
<output>{p(0)}</output>
</layer>
<layer id="2" name="y" type="Add" version="opset1">
<data auto_broadcast="numpy"/>
<input>{p(0)}{p(1)}</input>
<output>{p(2)}</output>
</layer>
<layer id="3" name="y/sink_port_0" type="Result" version="opset1">
<input>{p(0)}</input>
</layer>
</layers>
<edges>
<edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
<edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
<edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
</edges>
</net>
'''
    return _write_bytes(path, xml.encode())


def write_openvino_bin(path: Path) -> Path:
    """Headerless float32 data; only the same-stem ``.xml`` identifies it."""
    return _write_bytes(path, struct.pack('<4f', 0.0, 1.0, 2.0, 3.0))


def write_ncnn_param(path: Path) -> Path:
    text = (
        '7767517\n'
        '3 3\n'
        'Input            data             0 1 data 0=4\n'
        'InnerProduct     fc               1 1 data fc 0=2 1=1 2=8\n'
        'Softmax          prob             1 1 fc prob\n'
    )
    return _write_bytes(path, text.encode())


def write_ncnn_bin(path: Path) -> Path:
    """fp16-tagged weights (tag 0x01306B47) then float32 bias."""
    data = b''.join((
        struct.pack('<I', 0x01306B47),
        struct.pack('<8e', *(i / 8 for i in range(8))),
        struct.pack('<2f', 0.0, 0.0),
    ))
    return _write_bytes(path, data)


def _duix_encrypted(size: int, seed: int) -> bytes:
    return (
        b'gjdigits' + struct.pack('<QQQ', size, size, size) + _noise(seed, 64)
    )


def write_duix_encrypted(path: Path) -> Path:
    """Duix SDK encrypted model: ``gjdigits``, sizes, AES-CBC-like blocks."""
    return _write_bytes(path, _duix_encrypted(50, 7))


def write_paddle_pdiparams(path: Path) -> Path:
    """One Paddle LoDTensor as ``paddle.save``/``save_inference_model`` do."""
    desc = _pb_varint(1, 5) + _pb_varint(2, 2) + _pb_varint(2, 2)  # FP32 [2,2]
    data = b''.join((
        struct.pack('<I', 0),  # version
        struct.pack('<Q', 0),  # LoD level
        struct.pack('<I', 0),  # tensor version
        struct.pack('<i', len(desc)),
        desc,
        struct.pack('<4f', 0.0, 1.0, 2.0, 3.0),
    ))
    return _write_bytes(path, data)


def write_mxnet_params(path: Path) -> Path:
    """``mx.nd.save``: list magic 0x112, one dense float32 NDArray, its key."""
    ndarray = b''.join((
        struct.pack('<I', 0xF993FAC9),  # NDARRAY_V2_MAGIC
        struct.pack('<i', 0),  # dense storage
        struct.pack('<I', 2) + struct.pack('<2q', 2, 2),  # shape
        struct.pack('<ii', 1, 0),  # context: cpu(0)
        struct.pack('<i', 0),  # float32
        struct.pack('<4f', 0.0, 1.0, 2.0, 3.0),
    ))
    key = b'arg:fc_weight'
    data = b''.join((
        struct.pack('<QQ', 0x112, 0),
        struct.pack('<Q', 1),
        ndarray,
        struct.pack('<Q', 1),
        struct.pack('<Q', len(key)) + key,
    ))
    return _write_bytes(path, data)


def write_tensorrt_engine(path: Path) -> Path:
    return _write_bytes(path, b'ptrt' + _noise(11, 252))


def write_executorch_pte(path: Path) -> Path:
    """ExecuTorch program: flatbuffer id ``ET12`` and extended header."""
    out = bytearray()
    out += struct.pack('<I', 32) + b'ET12'
    # extended header: magic, its length, program size, segment base offset
    out += b'eh00' + struct.pack('<IQQ', 24, 64, 0)
    out += _noise(13, 32)
    return _write_bytes(path, bytes(out))


def _leveldb_block(entries: Sequence[tuple[bytes, bytes]]) -> bytes:
    """A table block (all keys unshared, one restart) plus its trailer."""
    out = bytearray()
    for key, value in entries:
        out += _varint(0) + _varint(len(key)) + _varint(len(value))
        out += key + value
    out += struct.pack('<II', 0, 1)  # restarts [0], count 1
    out += b'\0'  # no compression
    return bytes(out) + struct.pack('<I', _masked_crc32c(bytes(out)))


def write_tf_index(path: Path) -> Path:
    """A TensorFlow tensor-bundle ``.index`` (a LevelDB-format table).

    Keys: ``''`` (BundleHeaderProto) and ``w`` (BundleEntryProto of a float32
    [4] tensor).  Ends in the 48-byte footer with magic 0xdb4775248b80fb57.
    """
    header = _pb_varint(1, 1) + _pb_bytes(3, _pb_varint(1, 1))
    tensor = struct.pack('<4f', 0.0, 1.0, 2.0, 3.0)
    entry = b''.join((
        _pb_varint(1, 1),  # DT_FLOAT
        _pb_bytes(2, _pb_bytes(2, _pb_varint(1, 4))),  # shape [4]
        _pb_varint(5, len(tensor)),  # size (shard 0, offset 0 are defaults)
        _pb_fixed32(6, _masked_crc32c(tensor)),
    ))
    data_block = _leveldb_block([(b'', header), (b'w', entry)])
    meta_block = _leveldb_block([])
    data_size = len(data_block) - 5
    index_block = _leveldb_block([
        (b'x', _varint(0) + _varint(data_size)),
    ])
    meta_off = len(data_block)
    index_off = meta_off + len(meta_block)
    handles = (
        _varint(meta_off) + _varint(len(meta_block) - 5)
        + _varint(index_off) + _varint(len(index_block) - 5)
    )
    footer = handles.ljust(40, b'\0') + struct.pack('<Q', 0xDB4775248B80FB57)
    return _write_bytes(path, data_block + meta_block + index_block + footer)


_DUIX_CONFIG = b'{"width": 540, "height": 960, "fps": 25, "frames": 1}\n'


def write_duix_zip(path: Path) -> Path:
    """A Duix SDK resource zip (DEFLATE): encrypted models, a face folder."""
    return _write_zip(
        path,
        [
            ('gj_dh_res/alpha_model.b', _duix_encrypted(50, 21)),
            ('gj_dh_res/alpha_model.p', _duix_encrypted(40, 22)),
            ('gj_dh_res/cacert.p', _duix_encrypted(30, 23)),
            ('bendi3/raw_jpgs/1.sij', _jpeg_bytes()),
            ('bendi3/config.j', _DUIX_CONFIG),
        ],
        default=zipfile.ZIP_DEFLATED,
    )


def write_lfs_pointer(path: Path) -> Path:
    oid = hashlib.sha256(b'tiny model weights\n').hexdigest()
    text = (
        'version https://git-lfs.github.com/spec/v1\n'
        f'oid sha256:{oid}\n'
        'size 123456789\n'
    )
    return _write_bytes(path, text.encode())


# --------------------------------------------------------------------------
# non-weight files


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', crc)


def png_bytes() -> bytes:
    """A 1x1 RGB PNG."""
    ihdr = struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)
    return b''.join((
        b'\x89PNG\r\n\x1a\n',
        _png_chunk(b'IHDR', ihdr),
        _png_chunk(b'IDAT', zlib.compress(b'\x00\xff\x80\x00')),
        _png_chunk(b'IEND', b''),
    ))


def write_png(path: Path) -> Path:
    """A 1x1 RGB PNG."""
    return _write_bytes(path, png_bytes())


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return struct.pack('>HH', 0xFF00 | marker, len(payload) + 2) + payload


def _jpeg_bytes() -> bytes:
    """A decodable 1x1 grey baseline JFIF."""
    one_code = bytes([1] + [0] * 15) + b'\x00'  # one 1-bit code for symbol 0
    return b''.join((
        b'\xff\xd8',  # SOI
        _jpeg_segment(0xE0, b'JFIF\0\x01\x01\x00' + struct.pack('>HH', 1, 1)
                      + b'\0\0'),
        _jpeg_segment(0xDB, b'\x00' + b'\x01' * 64),  # quantization table 0
        _jpeg_segment(0xC0, b'\x08' + struct.pack('>HH', 1, 1)
                      + b'\x01\x01\x11\x00'),  # 8-bit, 1x1, one component
        _jpeg_segment(0xC4, b'\x00' + one_code),  # DC table 0
        _jpeg_segment(0xC4, b'\x10' + one_code),  # AC table 0 (EOB only)
        _jpeg_segment(0xDA, b'\x01\x01\x00\x00\x3f\x00'),  # start of scan
        b'\x3f',  # DC diff 0 ('0'), EOB ('0'), padded with 1 bits
        b'\xff\xd9',  # EOI
    ))


def write_jpeg(path: Path) -> Path:
    return _write_bytes(path, _jpeg_bytes())


def _pdf_page(content: bytes, media_box: bytes) -> bytes:
    """A one-page PDF 1.4 of this content stream (Helvetica as /F1), with
    a correct xref table."""
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [%s] '
        b'/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>' % media_box,
        b'<< /Length %d >>\nstream\n%s\nendstream' % (len(content), content),
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]
    out = bytearray(b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b'%d 0 obj\n%s\nendobj\n' % (i, obj)
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    for off in offsets:
        out += b'%010d 00000 n \n' % off
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\n' % (len(objects) + 1)
    out += b'startxref\n%d\n%%%%EOF\n' % xref
    return bytes(out)


def write_pdf(path: Path) -> Path:
    """A one-page PDF 1.4 with a correct xref table."""
    return _write_bytes(path, _pdf_page(b'BT /F1 12 Tf 10 30 Td (Hello) Tj ET', b'0 0 72 72'))


def pdf_of_text(text: str) -> bytes:
    """A PDF 1.4 page showing `text`, one line of it per text line (a
    Helvetica content stream, a correct xref table): pypdf reads it back."""
    def escaped(line: str) -> bytes:
        return line.replace('\\', '\\\\').replace('(', '\\(').replace(')', '\\)').encode(
            'latin-1', 'replace')
    shown = b''.join(b'(%s) Tj T* ' % escaped(line) for line in text.splitlines())
    return _pdf_page(b'BT /F1 8 Tf 10 TL 20 780 Td ' + shown + b'ET', b'0 0 612 792')


def write_zip_text(path: Path) -> Path:
    return _write_zip(
        path,
        [
            ('README.txt', b'Sample archive.\n'),
            ('docs/guide.md', b'# Guide\n\nNothing to see here.\n'),
        ],
        default=zipfile.ZIP_DEFLATED,
    )


def write_sqlite(path: Path) -> Path:
    path = _prepare(path)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute('CREATE TABLE city (name TEXT, population INTEGER)')
            conn.executemany(
                'INSERT INTO city VALUES (?, ?)',
                [('Oslo', 709000), ('Lima', 10000000), ('Perth', 2100000)],
            )
    finally:
        conn.close()
    return path


def write_wav(path: Path) -> Path:
    """0.1 s of 16-bit mono silence at 8 kHz."""
    path = _prepare(path)
    with wave.open(str(path), 'wb') as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b'\0\0' * 800)
    return path


def write_elf(path: Path) -> Path:
    """A 129-byte x86-64 ELF executable that calls exit(0)."""
    base = 0x400000
    code = b'\xb8\x3c\x00\x00\x00\x31\xff\x0f\x05'  # mov eax,60; xor edi,edi
    size = 64 + 56 + len(code)
    ident = b'\x7fELF\x02\x01\x01' + b'\0' * 9
    ehdr = ident + struct.pack(
        '<HHIQQQIHHHHHH',
        2,  # ET_EXEC
        0x3E,  # x86-64
        1,  # version
        base + 64 + 56,  # entry
        64,  # program headers offset
        0,  # no section headers
        0,  # flags
        64, 56, 1,  # ehsize, phentsize, phnum
        64, 0, 0,  # shentsize, shnum, shstrndx
    )
    phdr = struct.pack(
        '<IIQQQQQQ',
        1,  # PT_LOAD
        5,  # R + X
        0, base, base, size, size, 0x1000,
    )
    return _write_bytes(path, ehdr + phdr + code)


def write_firmware_bin(path: Path) -> Path:
    return _write_bytes(path, random.Random(1234).randbytes(4096))


def write_text_pt(path: Path) -> Path:
    """Plain UTF-8 notes, meant to be named ``notes.pt`` (Portuguese notes)."""
    text = (
        'Notas da reunião\n'
        '================\n\n'
        '- revisar o orçamento\n'
        '- enviar o relatório até sexta\n'
    )
    return _write_bytes(path, text.encode('utf-8'))


def write_hdf5_data(path: Path) -> Path:
    """Scientific HDF5: a float dataset with units, no Keras markers."""
    h5py = _untyped('h5py')
    import numpy as np

    path = _prepare(path)
    with h5py.File(path, 'w') as f:
        f.attrs['title'] = 'weather station 7'
        ds = f.create_dataset(
            'temperature', data=np.linspace(270.0, 280.0, 10),
        )
        ds.attrs['units'] = 'K'
    return path


def write_tar_text(path: Path) -> Path:
    path = _prepare(path)
    with tarfile.open(path, 'w') as tar:
        for name, data in (
                ('docs/README.txt', b'Sample tarball.\n'),
                ('docs/CHANGES.txt', b'1.0: first release\n'),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return path


def write_gzip_text(path: Path) -> Path:
    data = gzip.compress(b'Plain text, gzipped.\n' * 4, mtime=0)
    return _write_bytes(path, data)


def write_pth_path_file(path: Path) -> Path:
    """A site-packages ``.pth`` file, as virtualenv writes."""
    return _write_bytes(path, b'import _virtualenv\n')


def write_protobuf_descriptor(path: Path) -> Path:
    """A serialized ``FileDescriptorSet`` for ``foo.proto`` (not ONNX)."""
    descriptor_pb2 = _untyped('google.protobuf.descriptor_pb2')

    fds = descriptor_pb2.FileDescriptorSet()
    proto = fds.file.add(name='foo.proto', package='foo', syntax='proto3')
    msg = proto.message_type.add(name='Bar')
    msg.field.add(
        name='id',
        number=1,
        label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL,
        type=descriptor_pb2.FieldDescriptorProto.TYPE_INT32,
        json_name='id',
    )
    return _write_bytes(path, fds.SerializeToString())


def write_pickle_data(path: Path) -> Path:
    """A protocol 0 (text) pickle of a dict of strings; not a model."""
    data = (
        b'(dp0\n'
        b'Vmodel_type\np1\nVsvr\np2\n'
        b'sVnorm_type\np3\nVclip_0to1\np4\n'
        b'sVfeature_names\np5\nVadm2 motion2 vif\np6\ns.'
    )
    return _write_bytes(path, data)


# --------------------------------------------------------------------------
# tables

WEIGHT_WRITERS: dict[str, Writer] = {
    'safetensors': write_safetensors,
    'torch-zip': write_torch_zip,
    'torch-legacy': write_torch_legacy,
    'lightning-ckpt': write_lightning_ckpt,
    'torchscript': write_torchscript,
    'torch-export-pt2': write_torch_export_pt2,
    'gguf': write_gguf,
    'ggml-legacy': write_ggml_legacy,
    'onnx': write_onnx,
    'onnx-noproducer': write_onnx_noproducer,
    'onnx-external-data': write_onnx_external_data,
    'hdf5-keras': write_hdf5_keras,
    'hdf5-userblock': write_hdf5_userblock,
    'keras-v3': write_keras_v3,
    'tflite': write_tflite,
    'npz': write_npz,
    'npz-compressed': write_npz_compressed,
    'pickle-sklearn': write_pickle_sklearn,
    'joblib-numpy': write_joblib_numpy,
    'joblib-compressed': write_joblib_compressed,
    'flax-msgpack': write_flax_msgpack,
    'coreml': write_coreml,
    'openvino-bin': write_openvino_bin,
    'ncnn-bin': write_ncnn_bin,
    'duix-encrypted': write_duix_encrypted,
    'paddle-pdiparams': write_paddle_pdiparams,
    'mxnet-params': write_mxnet_params,
    'tensorrt-engine': write_tensorrt_engine,
    'executorch-pte': write_executorch_pte,
    'duix-zip': write_duix_zip,
    'lfs-pointer': write_lfs_pointer,
}

# Model files without learned weights: graphs, indexes of weights.  They
# travel under the model's licence; they are not modified weights.
MODEL_WRITERS: dict[str, Writer] = {
    'safetensors-index': write_safetensors_index,
    'openvino-xml': write_openvino_xml,
    'ncnn-param': write_ncnn_param,
    'tf-index': write_tf_index,
}

NON_WEIGHT_WRITERS: dict[str, Writer] = {
    'png': write_png,
    'jpeg': write_jpeg,
    'pdf': write_pdf,
    'zip-text': write_zip_text,
    'sqlite': write_sqlite,
    'wav': write_wav,
    'elf': write_elf,
    'firmware-bin': write_firmware_bin,
    'text-pt': write_text_pt,
    'hdf5-data': write_hdf5_data,
    'tar-text': write_tar_text,
    'gzip-text': write_gzip_text,
    'pth-path-file': write_pth_path_file,
    'protobuf-descriptor': write_protobuf_descriptor,
    'pickle-data': write_pickle_data,
}

# a typical name for each sample; all distinct, so they can share one folder
# (the openvino pair shares a stem on purpose, as the .bin needs its .xml)
FILE_NAMES: dict[str, str] = {
    'safetensors': 'model.safetensors',
    'safetensors-index': 'model.safetensors.index.json',
    'torch-zip': 'model.pt',
    'torch-legacy': 'legacy.pth',
    'lightning-ckpt': 'last.ckpt',
    'torchscript': 'scripted.pt',
    'torch-export-pt2': 'm.pt2',
    'gguf': 'tiny.gguf',
    'ggml-legacy': 'ggml-model-f32.bin',
    'onnx': 'model.onnx',
    'onnx-noproducer': 'noproducer.onnx',
    'onnx-external-data': 'external.onnx',
    'hdf5-keras': 'model.h5',
    'hdf5-userblock': 'userblock.h5',
    'keras-v3': 'model.keras',
    'tflite': 'model.tflite',
    'npz': 'weights.npz',
    'npz-compressed': 'weights_compressed.npz',
    'pickle-sklearn': 'model.pkl',
    'joblib-numpy': 'model.joblib',
    'joblib-compressed': 'model_compressed.joblib',
    'flax-msgpack': 'flax_model.msgpack',
    'coreml': 'model.mlmodel',
    'openvino-xml': 'openvino_model.xml',
    'openvino-bin': 'openvino_model.bin',
    'ncnn-param': 'ncnn_model.param',
    'ncnn-bin': 'ncnn_model.bin',
    'duix-encrypted': 'alpha_model.b',
    'paddle-pdiparams': 'inference.pdiparams',
    'mxnet-params': 'model-0000.params',
    'tensorrt-engine': 'model.engine',
    'executorch-pte': 'model.pte',
    'tf-index': 'variables.index',
    'duix-zip': 'gj_dh_res.zip',
    'lfs-pointer': 'pytorch_model.bin',
    'png': 'image.png',
    'jpeg': 'photo.jpg',
    'pdf': 'paper.pdf',
    'zip-text': 'docs.zip',
    'sqlite': 'cities.sqlite',
    'wav': 'silence.wav',
    'elf': 'exit0',
    'firmware-bin': 'firmware.bin',
    'text-pt': 'notes.pt',
    'hdf5-data': 'measurements.h5',
    'tar-text': 'docs.tar',
    'gzip-text': 'notes.txt.gz',
    'pth-path-file': '_virtualenv.pth',
    'protobuf-descriptor': 'descriptor.pb',
    'pickle-data': 'vmaf_params.pkl',
}
