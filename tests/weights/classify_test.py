from __future__ import annotations

import os
import struct
import time

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from model_license_hooks.tree.sample import sample_file
from model_license_hooks.tree.sample import Sample
from model_license_hooks.weights.classify import classify
from model_license_hooks.weights.names import Overrides
from tests import samples


# Formats whose content alone gives them away, whatever the file is called.
CONTENT_DETECTED = sorted(
    set(samples.WEIGHT_WRITERS) - {
        'coreml', 'flax-msgpack', 'ncnn-bin', 'openvino-bin', 'paddle-pdiparams',
        'lfs-pointer',
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


@pytest.mark.parametrize('kind', sorted(samples.MODEL_WRITERS))
def test_model_files_without_weights(tmp_path, kind):
    path = samples.MODEL_WRITERS[kind](tmp_path / samples.FILE_NAMES[kind])
    verdict = _classify_file(path)
    assert (verdict.weights, verdict.model) == (False, True), verdict


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


def test_overrides_force_and_ignore(tmp_path):
    path = samples.write_safetensors(tmp_path / 'model.safetensors')
    sample = sample_file(str(path))
    ignore = Overrides(ignore_patterns=('fixtures/*',))
    assert not classify('fixtures/model.safetensors', sample, overrides=ignore).weights
    raw = Sample(3, b'\x01\x02\x03', b'', {})
    assert classify('w.raw', raw, overrides=Overrides(weights_patterns=('*.raw',))).weights
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


def _sample(data: bytes, size: int | None = None) -> Sample:
    return Sample(len(data) if size is None else size, data, b'', {})


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=2048),
    st.sampled_from(
        ('blob', 'model.bin', 'm.safetensors', 'x.pkl', 'a.index', 'm.mlmodel'),
    ),
)
def test_classify_survives_any_bytes(data, name):
    verdict = classify(name, _sample(data))
    assert verdict.path == name


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_prefixed_magics_survive_any_tail(data):
    for prefix in (b'PK\x03\x04', b'\x80\x04\x95', b'\x1f\x8b', b'GGUF', b'\x08\x07'):
        classify('blob', _sample(prefix + data))


def test_zip_claiming_billions_of_entries():
    # An archive that cannot be read could hold anything: it counts as
    # weights, and says why (the hooks fail closed).
    end = b'PK\x05\x06' + struct.pack('<HHHHIIH', 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFF0, 0, 0)
    verdict = classify('x.zip', _sample(end))
    assert verdict.weights is True
    assert verdict.uninspected.startswith('not a zip that can be read (BadZipFile')


def test_pickle_is_never_loaded(tmp_path):
    marker = tmp_path / 'marker'
    # GLOBAL os system, the argument, REDUCE: would run a command if loaded.
    payload = (
        b'cos\nsystem\n(V' + f'touch {marker}'.encode() + b'\ntR.'
    )
    for name in ('model.pkl', 'pytorch_model.bin', 'blob'):
        classify(name, _sample(payload))
    assert not os.path.exists(marker)


@pytest.mark.parametrize('kind', sorted(samples.WEIGHT_WRITERS))
def test_truncated_files_of_every_format(tmp_path, kind):
    path = samples.WEIGHT_WRITERS[kind](tmp_path / samples.FILE_NAMES[kind])
    data = path.read_bytes()
    for cut in sorted({0, 1, 7, 8, 9, 16, 31, 64, len(data) // 2, len(data) - 1}):
        if 0 <= cut < len(data):
            start = time.process_time()
            verdict = classify(path.name, _sample(data[:cut]))
            assert time.process_time() - start < 1
            assert verdict.path == path.name


def test_a_parser_that_raises_is_a_bug_not_a_verdict(tmp_path, monkeypatch):
    from model_license_hooks.errors import ParserBug
    from model_license_hooks.weights import content as module

    def broken(content):
        raise KeyError('a coding mistake')

    sniffers = list(module.SNIFFERS)
    sniffers[sniffers.index(module._gguf)] = broken
    monkeypatch.setattr(module, 'SNIFFERS', tuple(sniffers))
    path = samples.write_gguf(tmp_path / 'model.gguf')
    with pytest.raises(ParserBug) as raised:
        classify('models/model.gguf', sample_file(str(path)))
    assert raised.value.path == 'models/model.gguf'
    assert raised.value.parser == 'broken'
    assert "KeyError: 'a coding mistake'" in str(raised.value)
