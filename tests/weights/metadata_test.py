"""Licence metadata inside weight files, from the bounded sample: files
written by the gguf, safetensors and onnx libraries."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from model_license_hooks import check_model_license
from model_license_hooks.cli import main as cli
from model_license_hooks.tree.sample import sample_bytes
from model_license_hooks.tree.sample import sample_file
from model_license_hooks.weights.metadata import base_model_values
from model_license_hooks.weights.metadata import licence_metadata
from model_license_hooks.weights.metadata import licence_values
from tests.license import references as refs
from tests.util import add
from tests.util import write


def write_gguf(path: Path, strings: dict[str, str], vocabulary: int = 3) -> Path:
    import gguf
    import numpy as np
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(path), 'llama')
    writer.add_name('tiny')
    writer.add_uint32('general.base_model.count', 1)
    writer.add_array('tokenizer.ggml.tokens', [f'tok{i}' for i in range(vocabulary)])
    for key, value in strings.items():
        writer.add_string(key, value)
    writer.add_tensor('weight', np.zeros((4, 4), np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def write_safetensors(path: Path, metadata: dict[str, str], tensors: int = 2) -> Path:
    import numpy as np
    from safetensors.numpy import save_file
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({f't{i}': np.zeros(2, np.float32) for i in range(tensors)}, str(path),
              metadata=metadata)
    return path


def write_onnx(path: Path, props: dict[str, str], weights: int = 4) -> Path:
    import numpy as np
    import onnx
    from onnx import helper
    from onnx import numpy_helper
    from onnx import TensorProto
    w = numpy_helper.from_array(np.arange(weights, dtype=np.float32), 'W')
    graph = helper.make_graph(
        [helper.make_node('Add', ['X', 'W'], ['Y'])], 'tiny',
        [helper.make_tensor_value_info('X', TensorProto.FLOAT, [weights])],
        [helper.make_tensor_value_info('Y', TensorProto.FLOAT, [weights])],
        initializer=[w],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    helper.set_model_props(model, props)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


GGUF_KEYS = {
    'general.license': 'llama3.1',
    'general.license.name': 'Llama 3.1 Community License Agreement',
    'general.license.link': 'https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/LICENSE',
    'general.base_model.0.name': 'Llama 3.1 8B',
    'general.base_model.0.organization': 'Meta Llama',
    'general.base_model.0.repo_url': 'https://huggingface.co/meta-llama/Llama-3.1-8B',
    'general.description': 'not a licence key',
}


def test_gguf_licence_and_base_model_keys(tmp_path):
    path = write_gguf(tmp_path / 'm.gguf', GGUF_KEYS)
    found = licence_metadata('gguf', sample_file(str(path)))
    assert dict(found) == {k: v for k, v in GGUF_KEYS.items() if k != 'general.description'}
    assert licence_values(found) == [
        ('general.license', 'llama3.1'),
        ('general.license.name', 'Llama 3.1 Community License Agreement')]
    assert base_model_values(found) == [
        ('general.base_model.0.repo_url', 'https://huggingface.co/meta-llama/Llama-3.1-8B')]


def test_gguf_keys_past_the_sample_are_not_known(tmp_path):
    # a vocabulary of 20,000 tokens written before the licence: past the head
    path = write_gguf(tmp_path / 'm.gguf', {'general.license': 'mit'}, vocabulary=20_000)
    assert licence_metadata('gguf', sample_file(str(path))) == ()


def test_gguf_without_licence_keys(tmp_path):
    path = write_gguf(tmp_path / 'm.gguf', {})
    assert licence_metadata('gguf', sample_file(str(path))) == ()


def test_safetensors_metadata(tmp_path):
    path = write_safetensors(tmp_path / 'm.safetensors', {
        'format': 'pt', 'license': 'apache-2.0', 'modelspec.license': 'apache-2.0',
        'base_model': 'Qwen/Qwen2.5-3B',
    })
    found = dict(licence_metadata('safetensors', sample_file(str(path))))
    assert found == {'license': 'apache-2.0', 'modelspec.license': 'apache-2.0',
                     'base_model': 'Qwen/Qwen2.5-3B'}


def test_safetensors_metadata_of_a_header_longer_than_the_sample(tmp_path):
    path = write_safetensors(tmp_path / 'm.safetensors', {'license': 'mit'}, tensors=3000)
    sample = sample_file(str(path))
    assert not sample.whole and len(sample.head) < 8 + int.from_bytes(
        path.read_bytes()[:8], 'little')
    assert licence_metadata('safetensors', sample) == (('license', 'mit'),)


def test_onnx_metadata_props_in_the_head_and_in_the_tail(tmp_path):
    small = write_onnx(tmp_path / 'small.onnx', {'license': 'mit', 'author': 'me'})
    assert licence_metadata('onnx', sample_file(str(small))) == (('license', 'mit'),)
    # 100,000 floats of initializer: the props follow the graph, in the tail
    large = write_onnx(tmp_path / 'large.onnx', {'license': 'gemma'}, weights=100_000)
    sample = sample_file(str(large))
    assert not sample.whole
    assert licence_metadata('onnx', sample) == (('license', 'gemma'),)


@pytest.mark.parametrize('data', [b'GGUF\x03\x00\x00\x00' + b'\xff' * 40, b'\x08\x07\x3a\xff\xff',
                                  b'\xff\xff\xff\xff\xff\xff\xff\x7f{"__metadata__":{'])
def test_hostile_heads_give_nothing(data):
    for fmt in ('gguf', 'onnx', 'safetensors'):
        assert licence_metadata(fmt, sample_bytes(data)) == ()


@pytest.fixture
def gguf_repo(temp_git_dir):
    write_gguf(temp_git_dir / 'model.gguf', GGUF_KEYS)
    write(temp_git_dir / 'LICENSE', refs.vendored('MIT'))
    add('.')
    return temp_git_dir


def test_metadata_contradicting_the_copy_fails(gguf_repo, capsys):
    assert check_model_license.main([]) == 1
    out = capsys.readouterr().out
    assert ("model.gguf: its metadata general.license = 'llama3.1' names another licence "
            'than the one that applies: the licence copy LICENSE is the MIT licence') in out


def test_metadata_contradicting_the_card_fails(gguf_repo, capsys):
    write(gguf_repo / 'LICENSE', refs.reference('llama-3.1'))
    write(gguf_repo / 'README.md', '---\nlicense: mit\n---\n# Llama-x\n')
    add('.')
    assert check_model_license.main([]) == 1
    out = capsys.readouterr().out
    assert ("model.gguf: its metadata general.license = 'llama3.1' names another licence "
            'than the one that applies: the model card says license: mit') in out
    assert ("model.gguf: its metadata general.base_model.0.repo_url = "
            "'https://huggingface.co/meta-llama/Llama-3.1-8B': base_model "
            'https://huggingface.co/meta-llama/Llama-3.1-8B is under the Llama 3.1 Community '
            "License Agreement; license: mit cannot be its derivative's licence") in out


def test_metadata_that_agrees_passes(gguf_repo, capsys):
    write(gguf_repo / 'LICENSE', refs.reference('llama-3.1'))
    write(gguf_repo / 'README.md', '---\nlicense: llama3.1\n---\n# Llama-x\n')
    add('.')
    assert check_model_license.main([]) == 0, capsys.readouterr().out


def test_metadata_against_a_declared_profile(temp_git_dir, capsys):
    write_safetensors(temp_git_dir / 'model.safetensors', {'license': 'mit'})
    write(temp_git_dir / 'LICENSE', refs.reference('llama-3.1'))
    add('.')
    assert check_model_license.main(['--profile', 'llama-3.1']) == 1
    assert ("model.safetensors: its metadata license = 'mit' names another licence than "
            'the one that applies: the weights are under the Llama 3.1 Community License '
            'Agreement') in capsys.readouterr().out


def test_scan_json_shows_the_metadata(gguf_repo, capsys):
    assert cli(['scan', '--json']) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item['licence_metadata']['general.license'] == 'llama3.1'
    assert item['licence_metadata']['general.base_model.0.organization'] == 'Meta Llama'
    assert cli(['scan', '--json', 'model.gguf']) == 0  # a file on disk
    (item,) = json.loads(capsys.readouterr().out)
    assert item['licence_metadata']['general.license.name'] == (
        'Llama 3.1 Community License Agreement')


def test_a_free_form_licence_name_is_not_a_contradiction(temp_git_dir, capsys):
    write_gguf(temp_git_dir / 'model.gguf', {
        'general.license': 'llama3.1',
        'general.license.name': 'Meta Llama 3.1 Community License (our wording)'})
    write(temp_git_dir / 'LICENSE', refs.reference('llama-3.1'))
    add('.')
    assert check_model_license.main([]) == 0, capsys.readouterr().out


def test_a_card_against_its_base_model_is_said_once(gguf_repo, capsys):
    # the metadata agrees with the base model; the card contradicts both
    write(gguf_repo / 'README.md',
          '---\nlicense: mit\nbase_model: meta-llama/Llama-3.1-8B\n---\n# Llama-x\n')
    add('.')
    assert check_model_license.main([]) == 1
    out = capsys.readouterr().out
    assert "README.md: base_model meta-llama/Llama-3.1-8B is under the Llama 3.1" in out
    assert 'its metadata' not in out
