from __future__ import annotations

import json

import pytest

from model_license_hooks.cli import main

NEW = {
    'llama-2': ('Llama 2 Community License Agreement', 'license: llama2',
                'Llama 2 is licensed under the LLAMA 2 Community License, Copyright (c) '
                'Meta Platforms, Inc. All Rights Reserved.', None),
    'llama-3.2': ('Llama 3.2 Community License Agreement', 'license: llama3.2',
                  'Llama 3.2 is licensed under the Llama 3.2 Community License, Copyright '
                  '© Meta Platforms, Inc. All Rights Reserved.', 'Built with Llama'),
    'llama-3.3': ('Llama 3.3 Community License Agreement', 'license: llama3.3',
                  'Llama 3.3 is licensed under the Llama 3.3 Community License, Copyright '
                  '© Meta Platforms, Inc. All Rights Reserved.', 'Built with Llama'),
    'llama-4': ('Llama 4 Community License Agreement', 'license: llama4',
                'Llama 4 is licensed under the Llama 4 Community License, Copyright © '
                'Meta Platforms, Inc. All Rights Reserved.', 'Built with Llama'),
    'tongyi-qianwen': ('Tongyi Qianwen License Agreement',
                       'license: other; license_name: tongyi-qianwen-license-agreement, '
                       'tongyi-qianwen',
                       'Tongyi Qianwen is licensed under the Tongyi Qianwen LICENSE '
                       'AGREEMENT, Copyright (c) Alibaba Cloud. All Rights Reserved.', None),
}


def _sections(out: str) -> dict[str, str]:
    found, current = {}, None
    for line in out.splitlines():
        if not line.startswith(' '):
            current = line.partition(':')[0]
            found[current] = line + '\n'
        elif current:
            found[current] += line + '\n'
    return found


@pytest.mark.parametrize('pid', NEW)
def test_the_new_profiles_are_listed_with_their_duties(capsys, pid):
    assert main(['profiles']) == 0
    listed = _sections(capsys.readouterr().out)[pid]
    name, card, notice, display = NEW[pid]
    assert listed.startswith(f'{pid}: {name}\n')
    assert f'  model card: {card}\n' in listed
    assert '  a copy is recognised by its text (English): a fingerprint' in listed
    assert f'  enforces: 1.b.iii: a NOTICE file holds the sentence "{notice}"' in listed or (
        f'  enforces: 3.c: a NOTICE file holds the sentence "{notice}"' in listed)
    if display:
        assert f'  enforces: 1.b.i: "{display}" is shown prominently in the model card' in listed
    assert '  cannot check: ' in listed


def test_each_llama_version_is_told_apart(capsys):
    assert main(['profiles']) == 0
    listed = _sections(capsys.readouterr().out)['llama-3.1']
    assert ('told apart from Llama 2 Community License Agreement, Llama 3.2 Community '
            'License Agreement') in listed


def test_profiles_as_json(capsys):
    assert main(['profiles', '--json']) == 0
    data = json.loads(capsys.readouterr().out)
    assert {'llama-2', 'llama-3', 'llama-3.1', 'llama-3.2', 'llama-3.3', 'llama-4',
            'tongyi-qianwen'} <= set(data)
    assert data['llama-3.1']['hf_license'] == ['llama3.1']  # 3.2 and later: their own
    assert data['creativeml-openrail-m']['hf_license'] == ['creativeml-openrail-m']
    assert data['apache-2.0']['fingerprints'] == 1
    assert data['duix-avatar']['fingerprints'] == 2
    assert data['gemma']['recognised'].startswith('by phrases')
