"""The Hub's licence ids, offline: a snapshot of the list the Hub
documents, the nearest id for a wrong one, and license: other's name and
link."""
from __future__ import annotations

import json

import pytest

from model_license_hooks import check_model_attribution
from model_license_hooks.card import hub
from model_license_hooks.card.modelcard import parse
from tests import samples
from tests.license import references as refs
from tests.util import add
from tests.util import write


def test_the_snapshot_holds_the_hubs_ids_and_its_source():
    data = json.loads(open(hub.DATA_FILE, encoding='utf-8').read())
    ids = hub.hub_license_ids()
    assert len(ids) == len(set(ids)) == len(data['licenses']) > 80
    for known in ('apache-2.0', 'mit', 'llama3.1', 'llama4', 'gemma', 'openrail++',
                  'creativeml-openrail-m', 'bigscience-bloom-rail-1.0', 'other', 'unknown'):
        assert known in ids
    assert data['source']['path'] == 'docs/hub/repositories-licenses.md'
    assert len(data['source']['commit']) == 40


@pytest.mark.parametrize(('value', 'nearest'), [
    ('llama-3.1', 'llama3.1'),
    ('Apache-2.0', 'apache-2.0'),
    ('apache2.0', 'apache-2.0'),
    ('creativeml-openrail', 'creativeml-openrail-m'),
    ('bsd3-clause', 'bsd-3-clause'),
    ('MIT License', 'mit'),
    ('Llama 3.1', 'llama3.1'),
    ('GNU General Public License v3.0', 'gpl-3.0'),
])
def test_the_nearest_valid_id(value, nearest):
    assert hub.nearest_license_id(value) == nearest


def _problems(front: str, **kw):
    return hub.hub_license_problems(parse(f'---\n{front}---\n# M\n'), **kw)


def test_a_valid_id_passes_and_others_fail_with_the_nearest():
    assert _problems('license: llama3.2\n') == []
    assert _problems('license:\n- mit\n- apache-2.0\n') == []
    problems = _problems('license: llama-3.2\n')
    assert problems == [
        'license: llama-3.2 is not a licence id of the Hugging Face Hub: did you mean '
        'license: llama3.2? (the ids: https://huggingface.co/docs/hub/repositories-licenses)'
    ]
    assert 'use license: other with license_name and license_link' in _problems(
        'license: my-own-terms-of-everything\n')[0]


def test_other_needs_a_name_and_a_link():
    assert _problems('license: other\nlicense_name: x\nlicense_link: LICENSE\n') == []
    assert 'license: other needs license_name and license_link' in _problems(
        'license: other\n')[0]
    assert 'needs license_link:' in _problems('license: other\nlicense_name: x\n')[0]
    assert _problems('license: other\nlicense_name: x\n', link_asked=True) == []


def test_the_attribution_rule_checks_every_hub_card(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('MIT'))
    write(temp_git_dir / 'README.md', '---\nlicense: MIT License\ntags: [x]\n---\n# M\n')
    add('.')
    assert check_model_attribution.main([]) == 1  # no profile, still the Hub's ids
    out = capsys.readouterr().out
    assert 'README.md: license: MIT License is not a licence id of the Hugging Face Hub: ' \
           'did you mean license: mit?' in out
    write(temp_git_dir / 'README.md', '---\nlicense: other\ntags: [x]\n---\n# M\n')
    add('.')
    assert check_model_attribution.main([]) == 1
    assert 'license: other needs license_name and license_link' in capsys.readouterr().out
    write(temp_git_dir / 'README.md', '---\nlicense: mit\ntags: [x]\n---\n# M\n')
    add('.')
    assert check_model_attribution.main([]) == 0


def test_a_card_without_front_matter_is_not_asked(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('MIT'))
    write(temp_git_dir / 'README.md', '# M\n\nLicense: MIT License.\n')
    add('.')
    assert check_model_attribution.main([]) == 0
