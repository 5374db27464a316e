from __future__ import annotations

import struct

import pytest

from hooks.gitview import Sample
from hooks.gitview import sample_file
from hooks.weights import classify
from hooks.weights import name_format
from hooks.weights import Rules
from tests import samples

# Formats whose content alone gives them away, whatever the file is called.
CONTENT_DETECTED = sorted(
    set(samples.WEIGHT_WRITERS) - {
        'coreml', 'flax-msgpack', 'ncnn-bin', 'openvino-bin', 'openvino-xml',
        'paddle-pdiparams', 'safetensors-index', 'tf-index', 'lfs-pointer',
    },
)


def _classify_file(path, siblings=()):
    return classify(path.name, sample_file(str(path)), siblings)


@pytest.mark.parametrize('kind', sorted(samples.WEIGHT_WRITERS))
def test_weights_under_their_usual_name(tmp_path, kind):
    folder = tmp_path / kind
    path = samples.WEIGHT_WRITERS[kind](folder / samples.FILE_NAMES[kind])
    siblings = [p.name for p in folder.iterdir()]
    if kind == 'openvino-bin':
        siblings.append('openvino_model.xml')
    if kind == 'ncnn-bin':
        siblings.append('ncnn_model.param')
    verdict = classify(path.name, sample_file(str(path)), siblings)
    assert verdict.weights, verdict


@pytest.mark.parametrize('kind', CONTENT_DETECTED)
def test_weights_recognised_by_content_alone(tmp_path, kind):
    path = samples.WEIGHT_WRITERS[kind](tmp_path / 'blob')
    verdict = _classify_file(path)
    assert verdict.weights, verdict
    assert 'name' not in verdict.evidence


@pytest.mark.parametrize('kind', sorted(samples.NON_WEIGHT_WRITERS))
def test_ordinary_files_are_not_weights(tmp_path, kind):
    path = samples.NON_WEIGHT_WRITERS[kind](tmp_path / samples.FILE_NAMES[kind])
    verdict = _classify_file(path)
    assert not verdict.weights, verdict


@pytest.mark.parametrize(
    ('kind', 'name'),
    (
        ('png', 'model.bin'), ('jpeg', 'model.safetensors'),
        ('pdf', 'weights.pt'), ('elf', 'model.onnx'), ('text-pt', 'model.pth'),
        ('zip-text', 'bundle.zip'), ('sqlite', 'model.ckpt'),
    ),
)
def test_content_of_an_ordinary_file_beats_a_weight_name(tmp_path, kind, name):
    path = samples.NON_WEIGHT_WRITERS[kind](tmp_path / name)
    assert not _classify_file(path).weights


def test_headerless_weights_need_their_descriptor(tmp_path):
    path = samples.write_ncnn_bin(tmp_path / 'unet.bin')
    assert not _classify_file(path).weights
    verdict = _classify_file(path, ['unet.bin', 'unet.param'])
    assert verdict.weights
    assert verdict.format == 'ncnn'
    assert 'beside unet.param' in verdict.evidence


@pytest.mark.parametrize(
    ('name', 'siblings', 'fmt'),
    (
        ('model-00001-of-00003.safetensors', (), 'safetensors'),
        ('pytorch_model-00001-of-00002.bin', (), 'pytorch'),
        ('variables.data-00000-of-00001', (), 'tf-checkpoint'),
        ('group1-shard1of4.bin', (), 'tfjs-weights'),
        ('yolov4.weights', ('yolov4.cfg',), 'darknet'),
        ('resnet-0000.params', ('resnet-symbol.json',), 'mxnet'),
        ('dh_model.b', (), 'duix-model'),
        ('weights.pb', ('model.onnx',), 'onnx-external-data'),
        ('wenet.onnx_ov.bin', ('wenet.onnx_ov.xml',), 'openvino'),
    ),
)
def test_name_rules(name, siblings, fmt):
    found = name_format(name, siblings)
    assert found is not None
    assert found[0] == fmt


@pytest.mark.parametrize('name', ('firmware.bin', 'data.dat', 'weights.pb', 'x.o'))
def test_weak_names_alone_are_not_weights(name):
    assert name_format(name) is None


def test_model_folders(tmp_path):
    sample = Sample(4, b'\x01\x02\x03\x04', b'', {})
    verdict = classify('Foo.mlpackage/Data/com.apple.CoreML/weights/weight.bin', sample)
    assert verdict.weights
    assert verdict.format == 'coreml-package'


def test_safetensors_header_claims_more_than_the_file():
    head = struct.pack('<Q', 10_000) + b'{"a":1}' + b' ' * 8
    verdict = classify('blob', Sample(len(head), head, b'', {}))
    assert verdict.format != 'safetensors'


def test_safetensors_header_too_large():
    head = struct.pack('<Q', 2 ** 64 - 1) + b'{"a":1}'
    verdict = classify('blob', Sample(2 ** 40, head, b'', {}))
    assert verdict.format != 'safetensors'


def test_truncated_safetensors_still_recognised_from_its_head():
    # A multi-GiB file: only the head is read, the header is cut off there.
    header = b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}' + b' ' * 100000
    head = struct.pack('<Q', len(header)) + header
    sample = Sample(2 ** 33, head[:32768], b'', {})
    assert classify('x.bin', sample).format == 'safetensors'


def test_lfs_pointer_with_smudged_content(tmp_path):
    pointer = samples.write_lfs_pointer(tmp_path / 'pointer')
    real = samples.write_gguf(tmp_path / 'real.gguf')
    verdict = classify(
        'weights.dat', sample_file(str(pointer)), smudged=sample_file(str(real)),
    )
    assert verdict.weights
    assert verdict.lfs
    assert verdict.format == 'gguf'
    assert verdict.size == 123456789


def test_rules_force_and_ignore(tmp_path):
    path = samples.write_safetensors(tmp_path / 'model.safetensors')
    sample = sample_file(str(path))
    ignore = Rules(ignore_patterns=('fixtures/*',))
    assert not classify('fixtures/model.safetensors', sample, rules=ignore).weights
    raw = Sample(3, b'\x01\x02\x03', b'', {})
    assert classify('w.raw', raw, rules=Rules(weights_patterns=('*.raw',))).weights
    assert not classify('w.raw', raw).weights


@pytest.mark.parametrize(
    'head',
    (
        b'', b'\x00', b'PK\x03\x04', b'PK\x03\x04' + b'\xff' * 40,
        b'\x80\x05\x95' + b'\xff' * 20, b'\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff',
        b'\x1f\x8b' + b'\x00' * 30, b'\x78\x9c' + b'\x00' * 10,
        b'\x89HDF\r\n\x1a\n', b'GGUF\xff\xff\xff\xff', b'(dp0\n' * 50,
        b'ustar'.rjust(262, b'\x00'),
    ),
)
def test_broken_input_gets_a_verdict(head):
    verdict = classify('model.bin', Sample(len(head), head, b'', {}))
    assert verdict.path == 'model.bin'
