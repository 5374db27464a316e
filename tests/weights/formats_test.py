"""Formats and archives that real repositories hold (issue 12), each
written by its real library or byte-exact from its spec (tests/formats.py)."""
from __future__ import annotations

import json
import struct

import pytest

from model_license_hooks.tree.blob import FileBlob
from model_license_hooks.tree.sample import sample_file
from model_license_hooks.tree.sample import HEAD_BYTES
from model_license_hooks.tree.sample import Sample
from model_license_hooks.tree.sample import TAIL_BYTES
from model_license_hooks.weights import archives
from model_license_hooks.weights import streams
from model_license_hooks.weights.classify import classify
from model_license_hooks.weights.classify import Verdict
from model_license_hooks.weights.signatures import WALK_BYTES
from tests import formats
from tests import samples


def _classify(path, siblings=None) -> Verdict:
    if siblings is None:
        siblings = [p.name for p in path.parent.iterdir()]
    return classify(
        path.name, sample_file(str(path)), siblings, open=lambda: FileBlob(str(path)),
    )


@pytest.mark.parametrize('kind', sorted(formats.WEIGHTS))
def test_weights_that_were_missed(tmp_path, kind):
    writer, name = formats.WEIGHTS[kind]
    verdict = _classify(writer(tmp_path / name))
    assert verdict.weights, verdict
    assert not verdict.uninspected, verdict


@pytest.mark.parametrize('kind', sorted(formats.MODELS))
def test_model_files_without_weights(tmp_path, kind):
    writer, name = formats.MODELS[kind]
    verdict = _classify(writer(tmp_path / name))
    assert (verdict.weights, verdict.model) == (False, True), verdict


@pytest.mark.parametrize(
    ('kind', 'evidence'),
    (
        ('gguf-vocab', 'no tensors'),
        ('onnx-graph-only', 'no initializers'),
        ('whisper-ggml-vocab', 'no tensors'),
        ('tflite-graph', 'no constant tensors'),
        ('traineddata-langdata', 'no LSTM'),
    ),
)
def test_model_files_say_why(tmp_path, kind, evidence):
    writer, name = formats.MODELS[kind]
    assert evidence in _classify(writer(tmp_path / name)).evidence


def test_archive_members_past_the_head_are_seen(tmp_path):
    path = formats.write_hub_snapshot_tgz(tmp_path / 'model.tar.gz')
    # The tokenizer alone is longer than a head and a tail, compressed.
    assert path.stat().st_size > 2 * (HEAD_BYTES + TAIL_BYTES)
    verdict = _classify(path)
    assert verdict.weights
    assert 'model.safetensors' in verdict.evidence


@pytest.mark.parametrize(
    'writer', (formats.write_tar_gnu_long_name, formats.write_tar_pax_long_name),
)
def test_tar_long_names_are_read(tmp_path, writer):
    verdict = _classify(writer(tmp_path / 'snapshot.tar'))
    assert verdict.weights
    assert '@LongLink' not in verdict.evidence
    assert 'models--example-org--example-model/snapshots/' in verdict.evidence


def test_zstd_tar(tmp_path):
    pytest.importorskip('zstandard')
    assert _classify(formats.write_tar_zst(tmp_path / 'm.tar.zst')).weights
    text = _classify(formats.write_tar_zst_text(tmp_path / 'docs.tar.zst'))
    assert (text.weights, text.uninspected) == (False, '')


def test_zstd_without_a_decoder_fails_closed(tmp_path, monkeypatch):
    pytest.importorskip('zstandard')
    path = formats.write_tar_zst_text(tmp_path / 'docs.tar.zst')
    monkeypatch.setattr(streams, '_zstd', lambda source: None)
    verdict = _classify(path)
    assert verdict.weights
    assert 'zstandard' in verdict.uninspected


def test_7z_is_not_fully_inspected(tmp_path):
    verdict = _classify(formats.write_7z_empty(tmp_path / 'models.7z'))
    assert verdict.weights
    assert 'not fully inspected' in verdict.evidence
    assert verdict.uninspected


def test_a_budget_that_stops_a_stream_fails_closed(tmp_path, monkeypatch):
    path = formats.write_hub_snapshot_tgz(tmp_path / 'model.tar.gz')
    monkeypatch.setattr(archives, 'STREAM_BUDGET', 64 * 1024)
    verdict = classify(
        path.name, sample_file(str(path)), open=lambda: FileBlob(str(path), budget=64 * 1024),
    )
    assert verdict.weights
    assert 'not fully inspected' in verdict.evidence
    assert 'MiB' in verdict.uninspected


def test_decompression_past_its_budget_fails_closed(tmp_path, monkeypatch):
    path = formats.write_hub_snapshot_tgz(tmp_path / 'model.tar.gz')
    monkeypatch.setattr(archives, 'DECODE_BUDGET', 100_000)  # the tokenizer is 400 KB
    verdict = _classify(path)
    assert verdict.weights
    assert 'to decompress' in verdict.uninspected


def test_xz_and_bzip2_tars_are_streamed(tmp_path):
    import tarfile
    weights = samples.write_safetensors(tmp_path / 'm' / 'model.safetensors')
    for mode in ('w:xz', 'w:bz2'):
        path = tmp_path / f'model.tar.{mode[2:]}'
        with tarfile.open(path, mode) as tar:
            tar.add(weights, 'snapshot/model.safetensors')
        verdict = _classify(path)
        assert verdict.weights and verdict.format == 'tar-with-weights', verdict


def test_zip_of_text_stays_ordinary(tmp_path):
    path = samples.write_zip_text(tmp_path / 'docs.zip')
    verdict = _classify(path)
    assert (verdict.weights, verdict.uninspected) == (False, '')


def test_tfjs_shard_by_its_manifest(tmp_path):
    shard = formats.write_tfjs_model(tmp_path / 'weights')
    assert min(shard.read_bytes()) >= 0x5e  # every byte a text byte
    verdict = _classify(shard)
    assert verdict.weights
    assert verdict.format == 'tfjs-weights'
    assert not _classify(shard, [shard.name]).weights  # no manifest, no rule
    manifest = _classify(shard.parent / 'age_model-weights_manifest.json')
    assert (manifest.weights, manifest.model) == (False, True)


@pytest.mark.parametrize(
    ('name', 'siblings', 'weights'),
    (
        ('conv1_weights.npy', (), True),
        ('lfw_face_bboxes.npy', (), False),
        ('layer3.npy', ('model.safetensors',), True),
    ),
)
def test_numeric_npy_by_name_or_neighbours(tmp_path, name, siblings, weights):
    path = formats.write_npy_weights(tmp_path / name)
    verdict = _classify(path, [name, *siblings])
    assert verdict.weights is weights, verdict
    assert verdict.format == 'numpy'


def test_pickle_model_global_after_the_head(tmp_path):
    path = formats.write_late_pickle(tmp_path / 'state.bin')
    data = path.read_bytes()
    assert data.index(b'torch._utils') > 32 * 1024
    verdict = _classify(path)
    assert verdict.weights and 'torch._utils' in verdict.evidence


def test_pickle_named_so_with_no_model_class_in_the_window(tmp_path):
    path = formats.write_late_pickle(tmp_path / 'state.pkl', padding=WALK_BYTES + 1)
    verdict = _classify(path)
    assert verdict.weights and 'not read' in verdict.uninspected


def test_onnx_fields_in_any_order_load_in_onnx(tmp_path):
    onnx = pytest.importorskip('onnx')
    path = formats.write_onnx_reordered(tmp_path / 'exported.bin')  # no ONNX name
    model = onnx.load(str(path))  # the real reader takes it
    assert len(model.graph.initializer) == 1
    assert path.read_bytes()[:1] == b'\x3a'  # the graph first
    assert _classify(path, []).format == 'onnx'


@pytest.mark.parametrize(
    ('magic', 'what'),
    ((b'\x89PNG\r\n\x1a\n', 'PNG'), (b'7z\xbc\xaf\x27\x1c', '7-Zip')),
)
def test_a_weight_name_over_a_foreign_magic(tmp_path, magic, what):
    path = tmp_path / 'model.safetensors'
    path.write_bytes(magic + bytes(range(256)) * 64)
    verdict = _classify(path)
    assert verdict.weights, verdict


def test_a_valid_png_named_like_weights_is_a_png(tmp_path):
    path = samples.write_png(tmp_path / 'model.safetensors')
    assert not _classify(path).weights


def test_headerless_weights_that_read_like_text(tmp_path):
    # Two float32 values and two newlines: all text bytes, and TF's name.
    path = tmp_path / 'variables' / 'variables.data-00000-of-00001'
    path.parent.mkdir()
    path.write_bytes(bytes.fromhex('f8ccfbbee2ecc2bf0a0a'))
    assert _classify(path).weights


def test_a_large_file_without_lines_is_not_text(tmp_path):
    path = tmp_path / 'blob.dat'
    path.write_bytes(bytes(range(0x5e, 0x7f)) * 4000)
    verdict = classify(path.name, sample_file(str(path)))
    assert verdict.format != 'text'


def test_ncnn_param_without_its_bin_is_a_model_file(tmp_path):
    path = samples.write_ncnn_param(tmp_path / 'alexnet.param')
    verdict = _classify(path)
    assert (verdict.weights, verdict.model) == (False, True)


def test_lfs_pointer_to_an_archive_without_its_object(tmp_path):
    pointer = samples.write_lfs_pointer(tmp_path / 'resnet18-v1-7.tar.gz')
    verdict = classify(pointer.name, sample_file(str(pointer)))
    assert verdict.weights and verdict.lfs
    assert 'git lfs' in verdict.uninspected


@pytest.mark.parametrize(
    ('inner', 'data', 'weights'),
    (
        ('model.mil', b'program(1.0)\n{ func main() { } }\n', False),
        ('metadata.json', b'[{"shortDescription": "add"}]\n', False),
        ('coremldata.bin', bytes(range(40)), False),
        ('weights/weight.bin', bytes(range(40)), True),
    ),
)
def test_files_of_a_compiled_bundle(inner, data, weights):
    verdict = classify(f'm/add_model.mlmodelc/{inner}', Sample(len(data), data, b'', {}))
    assert (verdict.weights, verdict.model) == (weights, not weights), verdict
    assert verdict.format == 'coreml-compiled'


META = json.dumps({'stride': 32, 'task': 'detect', 'batch': 1}).encode()


@pytest.mark.parametrize(
    ('name', 'data', 'fmt'),
    (
        # Ultralytics .engine: u32 LE length, JSON metadata, the engine
        ('yolo.engine', struct.pack('<I', len(META)) + META + b'ptrt' + bytes(64), 'tensorrt'),
        ('gemma.bin', b'LITERTLM' + bytes(64), 'tflite'),
        ('npu.bin', b'\x00\x00\x00\x00RKNN' + bytes(64), 'rknn'),
    ),
)
def test_magics_of_the_format_survey(tmp_path, name, data, fmt):
    path = tmp_path / name
    path.write_bytes(data)
    verdict = _classify(path, [])
    assert verdict.weights and verdict.format == fmt, verdict


@pytest.mark.parametrize(
    ('name', 'weights'),
    (('init_net.pb', True), ('predict_net.pb', False), ('__params__', True), ('__model__', False)),
)
def test_caffe2_and_legacy_paddle_names(tmp_path, name, weights):
    path = tmp_path / name
    path.write_bytes(bytes(range(1, 200)))
    verdict = _classify(path)
    assert (verdict.weights, verdict.model) == (weights, not weights), verdict
