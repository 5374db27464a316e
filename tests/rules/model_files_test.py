"""Model files without weights, bundles and archives that could not be
looked into, as the three hooks and `check` treat them."""
from __future__ import annotations

import json

from model_license_hooks import check_model_attribution
from model_license_hooks import check_model_changelog
from model_license_hooks import check_model_license
from model_license_hooks.cli import main as cli_main
from tests import formats
from tests import samples
from tests.util import add
from tests.util import git_commit
from tests.util import MIT_TEXT
from tests.util import write

CHANGELOG = '# Changelog\n\n- First release\n'


def test_a_model_file_needs_the_licence_copy(temp_git_dir, capsys):
    samples.write_ncnn_param(temp_git_dir / 'bench' / 'alexnet.param')
    add('.')
    assert check_model_license.main([]) == 1
    out = capsys.readouterr().out
    assert out.startswith('bench/alexnet.param: model file without weights (ncnn-param)')
    assert 'git add bench/LICENSE' in out


def test_a_model_file_needs_no_changelog_entry(temp_git_dir, capsys):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('.')
    git_commit('-m', 'licence')
    formats.write_gguf_vocab(temp_git_dir / 'models' / 'ggml-vocab-llama.gguf')
    samples.write_ncnn_param(temp_git_dir / 'models' / 'alexnet.param')
    add('.')
    assert check_model_changelog.main([]) == 0
    git_commit('-m', 'graphs')
    # As with --all-files: every file named, no diff to judge.
    listed = ['LICENSE', 'models/ggml-vocab-llama.gguf', 'models/alexnet.param']
    assert check_model_changelog.main(listed) == 0
    assert check_model_license.main(listed) == 0


def test_changed_weights_still_need_their_entry(temp_git_dir, capsys):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    samples.write_ncnn_param(temp_git_dir / 'm' / 'net.param')
    samples.write_ncnn_bin(temp_git_dir / 'm' / 'net.bin')
    add('.')
    assert check_model_changelog.main([]) == 1
    out = capsys.readouterr().out
    assert 'm/net.bin: model weights (ncnn)' in out
    assert 'net.param' not in out


def _bundle(repo, with_weights):
    root = repo / 'models' / 'add_model.mlmodelc'
    write(root / 'model.mil', 'program(1.0)\n{ func main() { } }\n')
    write(root / 'metadata.json', '[{"shortDescription": "add"}]\n')
    write(root / 'coremldata.bin', bytes(range(64)))
    write(root / 'analytics' / 'coremldata.bin', bytes(range(64)))
    if with_weights:
        write(root / 'weights' / 'weight.bin', bytes(range(200)))
    return root


def test_a_bundle_is_one_model_and_its_changelog_is_outside(temp_git_dir, capsys):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    _bundle(temp_git_dir, with_weights=True)
    add('.')
    assert check_model_changelog.main([]) == 1
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if 'without a changelog entry' in ln]
    assert len(lines) == 1, out  # the bundle once, not each of its files
    assert lines[0].startswith('models/add_model.mlmodelc: model weights (coreml-compiled)')
    assert 'add one to models/CHANGELOG.md' in lines[0]
    assert 'mlmodelc/CHANGELOG' not in out


def test_a_bundle_without_weights_needs_a_licence_not_a_changelog(temp_git_dir, capsys):
    _bundle(temp_git_dir, with_weights=False)
    add('.')
    assert check_model_changelog.main([]) == 0
    assert check_model_license.main([]) == 1
    out = capsys.readouterr().out
    assert out.count('without a licence') == 1, out
    assert 'models/add_model.mlmodelc: model file without weights' in out
    assert 'git add models/LICENSE' in out


def test_check_reports_model_files_apart(temp_git_dir, capsys):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    write(temp_git_dir / 'CHANGELOG.md', CHANGELOG)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    formats.write_gguf_vocab(temp_git_dir / 'ggml-vocab-llama.gguf')
    add('.')
    assert cli_main(['check', '--format', 'json', '.']) == 0
    report = json.loads(capsys.readouterr().out)
    (model,) = report['models']
    flags = {w['path']: w['model_only'] for w in model['weights']}
    assert flags == {'model.safetensors': False, 'ggml-vocab-llama.gguf': True}
    assert cli_main(['check', '.']) == 0
    assert '1 weight file and 1 model file without weights' in capsys.readouterr().out


def test_an_archive_not_looked_into_blocks_and_says_how_to_pass(temp_git_dir, capsys):
    formats.write_7z_empty(temp_git_dir / 'models.7z')
    add('.')
    assert check_model_license.main([]) == 1
    out = capsys.readouterr().out
    assert out.startswith('models.7z: possible model weights (7z, not fully inspected:')
    assert '--ignore models.7z' in out
    assert check_model_license.main(['--ignore', 'models.7z']) == 0


def test_scan_json_says_weights_and_model(temp_git_dir, capsys):
    formats.write_gguf_vocab(temp_git_dir / 'ggml-vocab-llama.gguf')
    formats.write_7z_empty(temp_git_dir / 'models.7z')
    add('.')
    assert cli_main(['scan', '--json']) == 0
    verdicts = {v['path']: v for v in json.loads(capsys.readouterr().out)}
    vocab = verdicts['ggml-vocab-llama.gguf']
    assert (vocab['weights'], vocab['model']) == (False, True)
    assert 'no tensors' in vocab['evidence']
    assert verdicts['models.7z']['uninspected']


def test_attribution_covers_model_files(temp_git_dir, capsys):
    write(temp_git_dir / 'README.md', '---\nlicense: other\nlicense_name: duix-avatar\n---\n# m\n')
    samples.write_ncnn_param(temp_git_dir / 'alexnet.param')
    add('.')
    assert check_model_attribution.main([]) == 1
    assert 'Duix.Avatar/guiji.cn' in capsys.readouterr().out
