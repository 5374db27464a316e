"""The Judge reads and judges each licence blob once a run, whatever the
number of folders, rules and profiles that ask; profile files are read
once a process."""
from __future__ import annotations

import json

import pytest

from model_license_hooks import check_model_attribution
from model_license_hooks.cli import main as cli
from model_license_hooks.license import copies
from model_license_hooks.license import pdf
from model_license_hooks.license import profiles
from tests import samples
from tests.hostile.helpers import pdf_with_page
from tests.license import references as refs
from tests.util import add
from tests.util import write


def _counting(monkeypatch, owner, name):
    calls = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.fixture
def many_folders(temp_git_dir):
    for i in range(40):
        samples.write_safetensors(temp_git_dir / f'models/m{i:02}/model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('Apache-2.0'))
    write(temp_git_dir / 'models/m07/LICENSE', refs.vendored('MIT'))
    write(temp_git_dir / 'models/m08/MODEL_LICENSE.pdf',
          pdf_with_page(b'BT /F1 12 Tf 72 712 Td (Licence terms) Tj ET\n'))
    add('.')
    return temp_git_dir


def test_each_licence_blob_is_read_and_judged_once(many_folders, capsys, monkeypatch):
    made = _counting(monkeypatch, copies.Candidate, '__init__')
    texts = _counting(monkeypatch, pdf, 'pdf_text')
    assert cli(['check']) == 1  # no changelogs
    assert len(made) == 3  # LICENSE, models/m07/LICENSE, the PDF
    assert len(texts) <= 1
    out = capsys.readouterr().out
    assert out.count('licence:     LICENSE (the Apache License 2.0)') == 39  # not m07


def test_attribution_without_a_profile_reads_a_pdf_once(temp_git_dir, capsys, monkeypatch):
    # (it asked every profile, and each read the PDF's text again)
    pytest.importorskip('pypdf')
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'Model Licence.pdf',
          pdf_with_page(b'BT /F1 12 Tf 72 712 Td (Licence terms) Tj ET\n'))
    add('.')
    texts = _counting(monkeypatch, pdf, 'pdf_text')
    assert check_model_attribution.main([]) == 0
    assert len(texts) == 1


def test_a_profile_file_is_read_once(tmp_path, monkeypatch):
    profile = json.loads((refs.PROFILES / 'llama-3.1.json').read_text())
    profile['id'] = 'my-llama'
    profile['copy']['fingerprint'] = str(refs.PROFILES / 'llama-3.1.fingerprint.json')
    path = tmp_path / 'my-llama.json'
    path.write_text(json.dumps(profile))
    reads = _counting(monkeypatch, profiles, 'read_json')
    for _ in range(3):
        found = profiles.available([str(path)])['my-llama']
        assert found.fingerprints and found.name == profile['name']
    assert [args[1] for args in reads] == ['profile', 'fingerprint']
    profile['name'] = 'My Llama'
    path.write_text(json.dumps(profile))  # changed: read again
    assert profiles.available([str(path)])['my-llama'].name == 'My Llama'
