from __future__ import annotations

# Sanity checks of the sample writers, done independently of them.
#
# Nothing here loads a pickle: hand-built pickles are only parsed with
# ``pickletools.dis``, which reads opcodes and runs none of them.

import gzip
import importlib
import io
import json
import pickletools
import random
import re
import sqlite3
import struct
import subprocess
import sys
import tarfile
import wave
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path
from typing import Any

import gguf
import numpy as np
import onnx
import pytest

from tests import formats
from tests import samples

# libraries without type hints
h5py: Any = importlib.import_module('h5py')
msgpack: Any = importlib.import_module('msgpack')
descriptor_pb2: Any = importlib.import_module('google.protobuf.descriptor_pb2')

ALL_WRITERS = {**samples.WEIGHT_WRITERS, **samples.MODEL_WRITERS, **samples.NON_WEIGHT_WRITERS}
ROOT = Path(__file__).resolve().parent.parent


def write(fmt: str, tmp_path: Path) -> Path:
    path = tmp_path / samples.FILE_NAMES[fmt]
    ret = ALL_WRITERS[fmt](path)
    assert ret == path
    return path


def dis(data: bytes | io.BytesIO) -> str:
    out = io.StringIO()
    pickletools.dis(data, out=out)
    return out.getvalue()


def data_offset(path: Path, info: zipfile.ZipInfo) -> int:
    """Where an entry's data starts, from its local header."""
    with open(path, 'rb') as f:
        f.seek(info.header_offset)
        header = f.read(30)
    assert header[:4] == b'PK\x03\x04'
    name_len: int
    extra_len: int
    name_len, extra_len = struct.unpack('<HH', header[26:30])
    return info.header_offset + 30 + name_len + extra_len


def varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos


def pb_fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """A tiny protobuf wire-format reader: [(field number, value)]."""
    fields: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = varint(data, pos)
        field, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = varint(data, pos)
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = varint(data, pos)
            value, pos = data[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise AssertionError(f'wire type {wire}')
        fields.append((field, value))
    assert pos == len(data)
    return fields


def crc32c(data: bytes) -> int:
    # bytewise table variant, independent of the bitwise one in samples
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    crc = 0xFFFFFFFF
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def test_crc32c_check_value() -> None:
    assert crc32c(b'123456789') == 0xE3069283
    assert samples._crc32c(b'123456789') == 0xE3069283


# --------------------------------------------------------------------------
# the tables


def test_tables() -> None:
    tables = (samples.WEIGHT_WRITERS, samples.MODEL_WRITERS, samples.NON_WEIGHT_WRITERS)
    assert sum(len(t) for t in tables) == len(ALL_WRITERS)  # no kind in two
    assert set(samples.FILE_NAMES) == set(ALL_WRITERS)
    names = list(samples.FILE_NAMES.values())
    assert len(set(names)) == len(names)
    for fmt, writer in ALL_WRITERS.items():
        assert writer.__name__ == 'write_' + fmt.replace('-', '_')
    assert 'hdf5-data' in samples.NON_WEIGHT_WRITERS


def test_import_is_cheap() -> None:
    code = (
        'import sys; import tests.samples; '
        'heavy = {"numpy", "h5py", "onnx", "gguf", "safetensors", "joblib", '
        '"msgpack", "google.protobuf"} & set(sys.modules); '
        'assert not heavy, heavy'
    )
    subprocess.run([sys.executable, '-c', code], cwd=ROOT, check=True)


@pytest.mark.parametrize('fmt', sorted(ALL_WRITERS))
def test_writer_basics(fmt: str, tmp_path: Path) -> None:
    path = ALL_WRITERS[fmt](tmp_path / 'a' / 'b' / samples.FILE_NAMES[fmt])
    assert path == tmp_path / 'a' / 'b' / samples.FILE_NAMES[fmt]
    assert path.is_file()
    assert 0 < path.stat().st_size <= 16 * 1024
    # deterministic: the same bytes again
    again = ALL_WRITERS[fmt](tmp_path / 'again' / samples.FILE_NAMES[fmt])
    assert again.read_bytes() == path.read_bytes()


def test_all_in_one_folder(tmp_path: Path) -> None:
    for fmt in ALL_WRITERS:
        write(fmt, tmp_path)
    written = {p.name for p in tmp_path.iterdir()}
    expected = set(samples.FILE_NAMES.values()) | {'external.onnx.data'}
    assert written == expected


# --------------------------------------------------------------------------
# weight formats


def test_safetensors(tmp_path: Path) -> None:
    data = write('safetensors', tmp_path).read_bytes()
    (n,) = struct.unpack('<Q', data[:8])
    assert data[8:9] == b'{'
    header = json.loads(data[8:8 + n])
    assert header['__metadata__'] == {'format': 'pt'}
    assert header['w']['shape'] == [2, 3]
    assert header['b']['dtype'] == 'F32'
    assert len(data) == 8 + n + 4 * (6 + 3)


def test_safetensors_index(tmp_path: Path) -> None:
    path = write('safetensors-index', tmp_path)
    assert path.name == 'model.safetensors.index.json'
    index = json.loads(path.read_text())
    assert index['metadata'] == {'total_size': 36}
    assert set(index['weight_map']) == {'w', 'b'}


TORCH_ZIP_RECORDS = [
    'data.pkl', '.format_version', '.storage_alignment', 'byteorder',
    'data/0', 'version', '.data/serialization_id',
]


@pytest.mark.parametrize('fmt', ['torch-zip', 'lightning-ckpt'])
def test_torch_zip(fmt: str, tmp_path: Path) -> None:
    path = write(fmt, tmp_path)
    with zipfile.ZipFile(path) as zf:
        stem = path.stem
        assert zf.namelist() == [f'{stem}/{n}' for n in TORCH_ZIP_RECORDS]
        infos = zf.infolist()
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        for info in infos:
            assert data_offset(path, info) % 64 == 0
        assert zf.read(f'{stem}/.format_version') == b'1'
        assert zf.read(f'{stem}/.storage_alignment') == b'64'
        assert zf.read(f'{stem}/byteorder') == b'little'
        assert zf.read(f'{stem}/version') == b'3\n'
        assert zf.read(f'{stem}/.data/serialization_id').isdigit()
        assert len(zf.read(f'{stem}/data/0')) == 6 * 4
        pkl = zf.read(f'{stem}/data.pkl')
    assert pkl.startswith(b'\x80\x02')
    text = dis(pkl)
    assert "GLOBAL     'collections OrderedDict'" in text
    assert "GLOBAL     'torch._utils _rebuild_tensor_v2'" in text
    assert "GLOBAL     'torch FloatStorage'" in text
    assert 'BINPERSID' in text
    if fmt == 'lightning-ckpt':
        head = pkl[:512]
        for key in (
                b'epoch', b'global_step', b'pytorch-lightning_version',
                b'state_dict', b'optimizer_states', b'lr_schedulers',
        ):
            assert key in head


def test_torch_legacy(tmp_path: Path) -> None:
    data = write('torch-legacy', tmp_path).read_bytes()
    assert data.startswith(bytes.fromhex('80028a0a6cfc9c46f9206aa850192e'))
    assert data[15:21] == bytes.fromhex('80024de9032e')
    f = io.BytesIO(data)
    texts = [dis(f) for _ in range(5)]  # magic, version, sys info, data, keys
    assert 'protocol_version' in texts[2]
    assert '_rebuild_tensor_v2' in texts[3]
    assert 'BINPERSID' in texts[3]
    rest = f.read()
    assert struct.unpack('<Q', rest[:8]) == (6,)
    assert len(rest) == 8 + 6 * 4


def test_torchscript(tmp_path: Path) -> None:
    path = write('torchscript', tmp_path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names[0] == 'scripted/data/0'
        assert names[1] == 'scripted/data.pkl'
        assert 'scripted/constants.pkl' in names
        code = zf.getinfo('scripted/code/__torch__/m.py')
        assert code.compress_type == zipfile.ZIP_DEFLATED
        assert b'def forward' in zf.read(code)
        for name in names:
            if name.endswith(('.pkl', '.debug_pkl')):
                dis(zf.read(name))
        assert '__torch__.m M' in dis(zf.read('scripted/data.pkl'))


def test_torch_export_pt2(tmp_path: Path) -> None:
    with zipfile.ZipFile(write('torch-export-pt2', tmp_path)) as zf:
        names = zf.namelist()
        assert names[0] == 'm/data/weights/weight_0'
        assert zf.read('m/archive_format') == b'pt2'
        json.loads(zf.read('m/models/model.json'))
        config = json.loads(
            zf.read('m/data/weights/model_weights_config.json'),
        )
        assert config['config']['weight']['path_name'] == 'weight_0'
        assert {'m/archive_version', 'm/.data/version', 'm/byteorder'} <= set(
            names,
        )


def test_gguf(tmp_path: Path) -> None:
    path = write('gguf', tmp_path)
    assert path.read_bytes()[:4] == b'GGUF'
    reader = gguf.GGUFReader(path)
    assert [t.name for t in reader.tensors] == ['weight']
    assert reader.fields['general.license'].contents() == 'apache-2.0'
    assert reader.fields['general.name'].contents() == 'tiny'


def test_ggml_legacy(tmp_path: Path) -> None:
    data = write('ggml-legacy', tmp_path).read_bytes()
    assert data[:4] == b'tjgg'
    assert struct.unpack('<II', data[:8]) == (0x67676A74, 3)


def test_onnx(tmp_path: Path) -> None:
    model = onnx.load(str(write('onnx', tmp_path)))
    onnx.checker.check_model(model)
    assert model.producer_name == 'pytorch'
    assert [n.op_type for n in model.graph.node] == ['Add']
    model = onnx.load(str(write('onnx-noproducer', tmp_path)))
    onnx.checker.check_model(model)
    assert model.producer_name == ''


def test_onnx_external_data(tmp_path: Path) -> None:
    path = write('onnx-external-data', tmp_path)
    data_file = tmp_path / 'external.onnx.data'
    assert samples.onnx_external_data_path(path) == data_file
    assert data_file.stat().st_size == 16
    bare = onnx.load(str(path), load_external_data=False)
    (init,) = bare.graph.initializer
    assert init.data_location == onnx.TensorProto.EXTERNAL
    assert {e.key: e.value for e in init.external_data}['location'] == (
        'external.onnx.data'
    )
    onnx.checker.check_model(onnx.load(str(path)))


def check_keras2(f: Any) -> None:
    attrs = f.attrs
    assert attrs['keras_version'] == '2.15.0'
    assert attrs['backend'] == 'tensorflow'
    config = json.loads(attrs['model_config'])
    assert config['class_name'] == 'Sequential'
    weights = f['model_weights']
    assert list(weights.attrs['layer_names']) == [b'input_1', b'dense']
    assert weights['dense/dense/kernel:0'].shape == (3, 2)


def test_hdf5_keras(tmp_path: Path) -> None:
    path = write('hdf5-keras', tmp_path)
    assert path.read_bytes()[:8] == b'\x89HDF\r\n\x1a\n'
    with h5py.File(path, 'r') as f:
        check_keras2(f)


def test_hdf5_userblock(tmp_path: Path) -> None:
    path = write('hdf5-userblock', tmp_path)
    data = path.read_bytes()
    assert data[:512] == b'\0' * 512
    assert data[512:520] == b'\x89HDF\r\n\x1a\n'
    with h5py.File(path, 'r') as f:
        assert f.userblock_size == 512
        check_keras2(f)


def test_keras_v3(tmp_path: Path) -> None:
    with zipfile.ZipFile(write('keras-v3', tmp_path)) as zf:
        assert zf.namelist() == [
            'metadata.json', 'config.json', 'model.weights.h5',
        ]
        assert all(
            i.compress_type == zipfile.ZIP_STORED for i in zf.infolist()
        )
        meta = json.loads(zf.read('metadata.json'))
        assert meta['keras_version'] == '3.15.1'
        json.loads(zf.read('config.json'))
        weights = zf.read('model.weights.h5')
    with h5py.File(io.BytesIO(weights), 'r') as f:
        assert {'layers', 'vars'} <= set(f)
        assert f['layers/dense/vars/0'].shape == (3, 2)


@pytest.mark.parametrize(('fmt', 'constant'), (('tflite', True), ('tflite-graph', False)))
def test_tflite(tmp_path: Path, fmt: str, constant: bool) -> None:
    """tflite's own reader sees the ADD, its tensors, and whether the
    second operand's buffer holds six floats."""
    writer = formats.write_tflite if constant else formats.write_tflite_graph
    data = writer(tmp_path / 'm.tflite').read_bytes()
    assert data[4:8] == b'TFL3'
    model = importlib.import_module('tflite').Model.GetRootAsModel(data, 0)
    assert model.Version() == 3 and model.SubgraphsLength() == 1
    graph = model.Subgraphs(0)
    assert graph.OperatorsLength() == 1 and graph.TensorsLength() == 3
    w = graph.Tensors(1)
    assert w.ShapeAsNumpy().tolist() == [6]
    held = model.Buffers(w.Buffer()).DataLength()
    assert held == (24 if constant else 0)


@pytest.mark.parametrize(
    ('fmt', 'compress_type'),
    [
        ('npz', zipfile.ZIP_STORED),
        ('npz-compressed', zipfile.ZIP_DEFLATED),
    ],
)
def test_npz(fmt: str, compress_type: int, tmp_path: Path) -> None:
    path = write(fmt, tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ['b.npy', 'w.npy']
        assert all(i.compress_type == compress_type for i in zf.infolist())
    with np.load(path, allow_pickle=False) as npz:
        assert npz['w'].shape == (3, 3)
    # no '.npz' is added to a name without it
    bare = samples.WEIGHT_WRITERS[fmt](tmp_path / 'bare' / 'weights')
    assert bare.is_file()
    assert [p.name for p in bare.parent.iterdir()] == ['weights']


def test_pickle_sklearn(tmp_path: Path) -> None:
    data = write('pickle-sklearn', tmp_path).read_bytes()
    assert data[:3] == b'\x80\x04\x95'
    (frame,) = struct.unpack_from('<Q', data, 3)
    assert frame == len(data) - 11
    text = dis(data)
    assert "'sklearn.linear_model._base'" in text
    assert "'LinearRegression'" in text
    assert 'STACK_GLOBAL' in text
    assert 'BUILD' in text


def test_joblib(tmp_path: Path) -> None:
    data = write('joblib-numpy', tmp_path).read_bytes()
    assert data[:1] == b'\x80'
    assert b'joblib.numpy_pickle' in data
    assert b'NumpyArrayWrapper' in data
    compressed = write('joblib-compressed', tmp_path).read_bytes()
    assert compressed[0] == 0x78
    inner = zlib.decompress(compressed)  # decompressing only, no unpickling
    assert inner[:1] == b'\x80'
    assert b'NumpyArrayWrapper' in inner


def test_flax_msgpack(tmp_path: Path) -> None:
    data = write('flax-msgpack', tmp_path).read_bytes()
    value = msgpack.unpackb(data)
    assert value == {'params': {'Dense_0': {'kernel': b'\0' * 16}}}


def test_coreml(tmp_path: Path) -> None:
    data = write('coreml', tmp_path).read_bytes()
    assert data[:2] == b'\x08\x04'
    fields = dict(pb_fields(data))
    assert fields[1] == 4
    description = fields[2]
    assert isinstance(description, bytes)
    assert description[0] == 0x0A
    first_input = dict(pb_fields(description))[1]
    assert isinstance(first_input, bytes)
    assert dict(pb_fields(first_input))[1] == b'x'
    assert 300 in fields  # glmRegressor


def test_openvino(tmp_path: Path) -> None:
    xml = write('openvino-xml', tmp_path)
    binary = write('openvino-bin', tmp_path)
    assert xml.stem == binary.stem
    text = xml.read_text()
    assert text.startswith(
        '<?xml version="1.0"?>\n<net name="m" version="11">\n<layers>\n',
    )
    root = ET.fromstring(text)
    assert root.tag == 'net'
    types = [layer.get('type') for layer in root.iter('layer')]
    assert types == ['Parameter', 'Const', 'Add', 'Result']
    (const_data,) = [
        layer.find('data') for layer in root.iter('layer')
        if layer.get('type') == 'Const'
    ]
    assert const_data is not None
    assert int(const_data.get('size', '')) == binary.stat().st_size


def test_ncnn(tmp_path: Path) -> None:
    lines = write('ncnn-param', tmp_path).read_text().splitlines()
    assert lines[0] == '7767517'
    assert lines[1] == '3 3'
    assert len(lines) == 2 + 3
    assert lines[2].split()[:2] == ['Input', 'data']
    data = write('ncnn-bin', tmp_path).read_bytes()
    assert struct.unpack_from('<I', data) == (0x01306B47,)


def test_duix_encrypted(tmp_path: Path) -> None:
    data = write('duix-encrypted', tmp_path).read_bytes()
    assert data[:8] == b'gjdigits'
    a, b, c = struct.unpack_from('<QQQ', data, 8)
    assert a == b == c
    assert len(data) == 8 + 24 + 64


def test_paddle_pdiparams(tmp_path: Path) -> None:
    data = write('paddle-pdiparams', tmp_path).read_bytes()
    assert data[:16] == b'\0' * 16
    (n,) = struct.unpack_from('<i', data, 16)
    desc = pb_fields(data[20:20 + n])
    assert desc == [(1, 5), (2, 2), (2, 2)]  # FP32, dims [2, 2]
    assert len(data) == 20 + n + 4 * 4


def test_mxnet_params(tmp_path: Path) -> None:
    data = write('mxnet-params', tmp_path).read_bytes()
    assert struct.unpack_from('<QQQ', data) == (0x112, 0, 1)
    assert struct.unpack_from('<I', data, 24) == (0xF993FAC9,)
    assert data.endswith(b'arg:fc_weight')


def test_tensorrt_and_executorch(tmp_path: Path) -> None:
    assert write('tensorrt-engine', tmp_path).read_bytes()[:4] == b'ptrt'
    pte = write('executorch-pte', tmp_path).read_bytes()
    assert pte[4:8] == b'ET12'
    assert pte[8:12] == b'eh00'


def read_block(
        data: bytes, offset: int, size: int,
) -> list[tuple[bytes, bytes]]:
    """Reads a LevelDB table block and checks its trailer."""
    block = data[offset:offset + size]
    kind, masked = struct.unpack_from('<BI', data, offset + size)
    assert kind == 0
    crc = crc32c(block + bytes([kind]))
    assert masked == (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF
    (restarts,) = struct.unpack_from('<I', block, len(block) - 4)
    end = len(block) - 4 - 4 * restarts
    entries, pos, last = [], 0, b''
    while pos < end:
        shared, pos = varint(block, pos)
        unshared, pos = varint(block, pos)
        value_len, pos = varint(block, pos)
        key = last[:shared] + block[pos:pos + unshared]
        pos += unshared
        entries.append((key, block[pos:pos + value_len]))
        pos += value_len
        last = key
    return entries


def test_tf_index(tmp_path: Path) -> None:
    data = write('tf-index', tmp_path).read_bytes()
    assert data[-8:] == bytes.fromhex('57fb808b247547db')
    footer = data[-48:]
    meta_off, pos = varint(footer, 0)
    meta_size, pos = varint(footer, pos)
    index_off, pos = varint(footer, pos)
    index_size, pos = varint(footer, pos)
    assert read_block(data, meta_off, meta_size) == []
    ((_, handle),) = read_block(data, index_off, index_size)
    data_off, pos = varint(handle, 0)
    data_size, _ = varint(handle, pos)
    entries = read_block(data, data_off, data_size)
    assert [k for k, _ in entries] == [b'', b'w']
    header = dict(pb_fields(entries[0][1]))
    assert header[1] == 1  # num_shards
    entry = dict(pb_fields(entries[1][1]))
    assert entry[1] == 1  # DT_FLOAT
    assert entry[5] == 16  # size


def test_duix_zip(tmp_path: Path) -> None:
    with zipfile.ZipFile(write('duix-zip', tmp_path)) as zf:
        names = zf.namelist()
        assert {
            'gj_dh_res/alpha_model.b', 'gj_dh_res/alpha_model.p',
            'gj_dh_res/cacert.p', 'bendi3/raw_jpgs/1.sij', 'bendi3/config.j',
        } == set(names)
        assert all(
            i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist()
        )
        assert zf.read('gj_dh_res/alpha_model.b')[:8] == b'gjdigits'
        assert zf.read('gj_dh_res/alpha_model.p')[:8] == b'gjdigits'
        assert zf.read('bendi3/raw_jpgs/1.sij')[:3] == b'\xff\xd8\xff'


def test_lfs_pointer(tmp_path: Path) -> None:
    text = write('lfs-pointer', tmp_path).read_text()
    assert re.fullmatch(
        r'version https://git-lfs\.github\.com/spec/v1\n'
        r'oid sha256:[0-9a-f]{64}\n'
        r'size 123456789\n',
        text,
    )


# --------------------------------------------------------------------------
# non-weight files


def test_png(tmp_path: Path) -> None:
    data = write('png', tmp_path).read_bytes()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, kinds, idat = 8, [], b''
    while pos < len(data):
        (n,) = struct.unpack_from('>I', data, pos)
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack_from('>I', data, pos + 8 + n)
        assert crc == zlib.crc32(kind + body)
        kinds.append(kind)
        if kind == b'IDAT':
            idat += body
        pos += 12 + n
    assert kinds == [b'IHDR', b'IDAT', b'IEND']
    assert len(zlib.decompress(idat)) == 1 + 3  # filter byte + one RGB pixel


def test_jpeg(tmp_path: Path) -> None:
    data = write('jpeg', tmp_path).read_bytes()
    assert data[:4] == b'\xff\xd8\xff\xe0'
    assert data[6:11] == b'JFIF\0'
    assert data[-2:] == b'\xff\xd9'
    pos, markers = 2, []
    while True:
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        (n,) = struct.unpack_from('>H', data, pos + 2)
        pos += 2 + n
        if marker == 0xDA:
            break
    assert markers == [0xE0, 0xDB, 0xC0, 0xC4, 0xC4, 0xDA]


def test_pdf(tmp_path: Path) -> None:
    data = write('pdf', tmp_path).read_bytes()
    assert data.startswith(b'%PDF-1.4\n')
    assert data.endswith(b'%%EOF\n')
    startxref = int(data.rsplit(b'startxref\n', 1)[1].split(b'\n')[0])
    assert data[startxref:startxref + 5] == b'xref\n'
    rows = data[startxref:].split(b'\n')[3:8]
    for i, row in enumerate(rows, 1):
        off = int(row[:10])
        assert data[off:].startswith(b'%d 0 obj' % i)


def test_zip_and_tar_and_gzip(tmp_path: Path) -> None:
    with zipfile.ZipFile(write('zip-text', tmp_path)) as zf:
        assert zf.namelist() == ['README.txt', 'docs/guide.md']
    with tarfile.open(write('tar-text', tmp_path)) as tar:
        assert len(tar.getnames()) == 2
    text = gzip.decompress(write('gzip-text', tmp_path).read_bytes())
    assert text.startswith(b'Plain text')


def test_sqlite(tmp_path: Path) -> None:
    path = write('sqlite', tmp_path)
    assert path.read_bytes()[:16] == b'SQLite format 3\0'
    conn = sqlite3.connect(path)
    try:
        (count,) = conn.execute('SELECT count(*) FROM city').fetchone()
    finally:
        conn.close()
    assert count == 3
    write('sqlite', tmp_path)  # writing over it again starts afresh


def test_wav(tmp_path: Path) -> None:
    with wave.open(str(write('wav', tmp_path))) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(0.1)


def test_elf(tmp_path: Path) -> None:
    data = write('elf', tmp_path).read_bytes()
    assert data[:7] == b'\x7fELF\x02\x01\x01'
    e_type, e_machine = struct.unpack_from('<HH', data, 16)
    assert (e_type, e_machine) == (2, 0x3E)
    (ehsize, phentsize, phnum) = struct.unpack_from('<HHH', data, 52)
    assert (ehsize, phentsize, phnum) == (64, 56, 1)
    (filesz,) = struct.unpack_from('<Q', data, 64 + 32)
    assert filesz == len(data)


def test_small_non_weights(tmp_path: Path) -> None:
    firmware = write('firmware-bin', tmp_path).read_bytes()
    assert firmware == random.Random(1234).randbytes(4096)
    notes = write('text-pt', tmp_path)
    assert notes.name == 'notes.pt'
    notes.read_bytes().decode('utf-8')
    pth = write('pth-path-file', tmp_path).read_text()
    assert pth == 'import _virtualenv\n'


def test_hdf5_data(tmp_path: Path) -> None:
    with h5py.File(write('hdf5-data', tmp_path), 'r') as f:
        assert 'keras_version' not in f.attrs
        assert 'model_weights' not in f
        assert f['temperature'].attrs['units'] == 'K'


def test_protobuf_descriptor(tmp_path: Path) -> None:
    data = write('protobuf-descriptor', tmp_path).read_bytes()
    fds = descriptor_pb2.FileDescriptorSet.FromString(data)
    assert fds.file[0].name == 'foo.proto'


def test_pickle_data(tmp_path: Path) -> None:
    data = write('pickle-data', tmp_path).read_bytes()
    assert data.startswith(b'(dp0\n')
    assert data.endswith(b's.')
    text = dis(data)
    assert 'highest protocol among opcodes = 0' in text
    assert 'GLOBAL' not in text
