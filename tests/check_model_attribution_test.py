from __future__ import annotations

import json

import pytest

from model_license_hooks.check_model_attribution import main
from tests import samples
from tests.util import add
from tests.util import write

DUIX = '--profile=duix-avatar'
FRONT = (
    '---\n'
    'license: other\n'
    'license_name: duix-avatar-model-community-license\n'
    'license_link: LICENSE\n'
    'base_model: duixcom/Duix-Avatar\n'
    '---\n'
)
OPENING = (
    '# talking-head-v2\n\n'
    'A fine-tune built on Duix.Avatar:0.0.7_sdk_slim '
    '(https://github.com/duixcom/Duix-Avatar). Duix.Avatar/guiji.cn\n\n'
)
FILLER = ''.join(f'## Section {i}\n\nSome text about usage {i}.\n\n' for i in range(30))


@pytest.fixture
def duix_repo(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'LICENSE', 'licence text stands here\n' * 10)
    return temp_git_dir


def _card(repo, text, path='README.md'):
    write(repo / path, text)
    add('.')


def test_p5_card_lacks_the_attribution(duix_repo, capsys):
    _card(duix_repo, FRONT + OPENING.replace(' Duix.Avatar/guiji.cn', '') + FILLER)
    assert main([DUIX]) == 1
    out = capsys.readouterr().out
    assert "README.md: lacks 'Duix.Avatar/guiji.cn'" in out
    assert 'put it in the title, the opening paragraph' in out


def test_p6_prominent_statement_passes(duix_repo, capsys):
    _card(duix_repo, FRONT + OPENING + FILLER)
    assert main([DUIX]) == 0, capsys.readouterr().out


def test_p6_buried_statement_fails(duix_repo, capsys):
    buried = '# talking-head-v2\n\nA fine-tune.\n\n' + FILLER + (
        'Built on Duix.Avatar:0.0.7_sdk_slim. Duix.Avatar/guiji.cn\n'
    )
    _card(duix_repo, FRONT + buried)
    assert main([DUIX]) == 1
    out = capsys.readouterr().out
    assert 'it is there, but not prominent' in out
    assert 'built on Duix.Avatar:0.0.7_sdk_slim' in out


@pytest.mark.parametrize(
    ('front', 'message'),
    (
        (FRONT.replace('license: other', 'license: mit'), 'the front matter says license: mit'),
        (FRONT.replace('license_link: LICENSE', 'license_link: LICENSE-missing.txt'),
         'license_link points to LICENSE-missing.txt, which is not a file in the commit'),
        (FRONT.replace('license_link: LICENSE\n', ''), 'set license_link'),
        (FRONT.replace('base_model: duixcom/Duix-Avatar', 'base_model: meta-llama/Llama-3.1-8B'),
         'set base_model to the upstream model'),
    ),
)
def test_p7_front_matter_contradictions(duix_repo, capsys, front, message):
    _card(duix_repo, front + OPENING)
    assert main([DUIX]) == 1
    assert message in capsys.readouterr().out


MODEL_INDEX = (
    'model-index:\n'
    '- name: talking-head-v2\n'
    '  results:\n'
    '  - task:\n'
    '      type: video-generation\n'
    '    metrics:\n'
    '    - type: fid\n'
    '      value: 12.3\n'
)


def test_p8_ranked_card_needs_the_statement_in_its_description(duix_repo, capsys):
    front = FRONT.replace('base_model', MODEL_INDEX + 'base_model')
    card = front + (
        '# talking-head-v2\n\nDuix.Avatar/guiji.cn\n\n'
        '## Model description\n\nA talking-head model fine-tuned on our clips.\n\n'
        '## Base model\n\nBuilt on Duix.Avatar:0.0.7_sdk_slim.\n'
    )
    _card(duix_repo, card)
    assert main([DUIX]) == 1
    assert 'reports evaluation results (model-index)' in capsys.readouterr().out
    _card(duix_repo, card.replace(
        'A talking-head model fine-tuned on our clips.',
        'A talking-head model built on Duix.Avatar:0.0.7_sdk_slim.',
    ))
    assert main([DUIX]) == 0


LLAMA_NOTICE = (
    'Llama 3.1 is licensed under the Llama 3.1 Community License, '
    'Copyright \u00a9 Meta Platforms, Inc. All Rights Reserved.\n'
)


@pytest.fixture
def llama_repo(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'README.md', (
        '---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n'
        '# Llama-3.1-8B-talk\n\nBuilt with Llama.\n'
    ))
    write(temp_git_dir / 'NOTICE', LLAMA_NOTICE)
    add('.')
    return temp_git_dir


def test_p9_llama_complete(llama_repo, capsys):
    assert main(['--profile', 'llama-3.1']) == 0, capsys.readouterr().out


def test_p9_llama_notice_missing(llama_repo, capsys):
    write(llama_repo / 'NOTICE', 'Thanks to everyone.\n')
    add('NOTICE')
    assert main(['--profile', 'llama-3.1']) == 1
    out = capsys.readouterr().out
    assert (
        'model.safetensors: no NOTICE file with the sentence the llama-3.1 '
        'licence requires'
    ) in out
    assert '(NOTICE lacks it)' in out


@pytest.mark.parametrize(('profile', 'card', 'notice'), (
    # Llama 3.1 writes "©", copies write "(c)"; Qwen writes "(c)"
    ('llama-3.1', '---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n'
     '# Llama-x\n\nBuilt with Llama.\n',
     LLAMA_NOTICE.replace('\u00a9', '(c)')),
    ('llama-3.1', '# Llama-x\n\nBuilt with Llama.\n', LLAMA_NOTICE.replace('\u00a9', '(C)')),
    ('tongyi-qianwen', '# Qwen-x\n',
     'Tongyi Qianwen is licensed under the Tongyi Qianwen LICENSE AGREEMENT, Copyright '
     '\u00a9 Alibaba Cloud. All Rights Reserved.\n'),
    ('llama-2', '# My model\n',
     'Llama 2 is licensed under the LLAMA 2 Community License, Copyright \u00a9 Meta '
     'Platforms, Inc. All Rights Reserved.\n'),
))
def test_notice_sentence_with_either_copyright_sign(temp_git_dir, capsys, profile, card, notice):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'README.md', card)
    write(temp_git_dir / 'NOTICE', notice)
    add('.')
    assert main(['--profile', profile]) == 0, capsys.readouterr().out
    write(temp_git_dir / 'NOTICE', notice.replace('Copyright', 'Copyleft'))
    add('.')
    assert main(['--profile', profile]) == 1


@pytest.mark.parametrize(('version', 'other'), (('3.2', '3.1'), ('3.3', '4'), ('4', '3.2')))
def test_each_llama_version_asks_for_its_own_notice(temp_git_dir, capsys, version, other):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'README.md', f'# Llama-{version}-talk\n\nBuilt with Llama.\n')
    write(temp_git_dir / 'NOTICE', LLAMA_NOTICE.replace('3.1', other))
    add('.')
    assert main(['--profile', f'llama-{version}']) == 1
    assert (
        f'add NOTICE containing "Llama {version} is licensed under the Llama {version} '
        f'Community License'
    ) in capsys.readouterr().out
    write(temp_git_dir / 'NOTICE', LLAMA_NOTICE.replace('3.1', version))
    add('.')
    assert main(['--profile', f'llama-{version}']) == 0


def test_p9_llama_name_prefix(llama_repo, capsys):
    card = (llama_repo / 'README.md').read_text()
    card = card.replace('# Llama-3.1-8B-talk', '# TalkBot-8B')
    _card(llama_repo, card)
    assert main(['--profile', 'llama-3.1']) == 1
    assert "the model name 'TalkBot-8B' must begin with 'Llama'" in capsys.readouterr().out


def test_p10_profile_inferred_from_the_card(duix_repo, capsys):
    _card(duix_repo, FRONT + OPENING.replace(' Duix.Avatar/guiji.cn', ''))
    assert main([]) == 1
    out = capsys.readouterr().out
    assert (
        'README.md: licence profile duix-avatar (inferred from license_name: '
        'duix-avatar-model-community-license)'
    ) in out
    assert "lacks 'Duix.Avatar/guiji.cn'" in out
    _card(duix_repo, FRONT + OPENING)
    assert main([]) == 0
    assert 'inferred' in capsys.readouterr().out


def test_no_profile_known_means_nothing_to_enforce(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'README.md', '# a model\n')
    add('.')
    assert main([]) == 0


def test_p11_user_profile(temp_git_dir, tmp_path, capsys):
    profile = {
        'id': 'acme-model', 'name': 'ACME model licence',
        'aliases': ['acme'], 'hf': {'license': ['other'], 'license_name': ['acme']},
        'copy': {'phrases': [['acme model licence']]},
        'attribution': {'strings': ['Powered by ACME']},
    }
    path = tmp_path / 'acme.json'
    path.write_text(json.dumps(profile))
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    _card(temp_git_dir, '---\nlicense: other\nlicense_name: acme\nlicense_link: LICENSE\n---\n'
                        '# m\n\nhello\n')
    assert main(['--profile', 'acme', '--profile-file', str(path)]) == 1
    assert "lacks 'Powered by ACME'" in capsys.readouterr().out
    _card(temp_git_dir, '---\nlicense: other\nlicense_name: acme\nlicense_link: LICENSE\n---\n'
                        '# m\n\nPowered by ACME\n')
    assert main(['--profile', 'acme', '--profile-file', str(path)]) == 0


@pytest.mark.parametrize(
    ('content', 'message'),
    (
        ('{not json', 'the profile is not valid JSON'),
        ('[]', 'a profile must be a JSON object'),
        ('{"id": "Bad Id"}', '"id" must be a lower-case name'),
        ('{"id": "x", "copy": {"sha256": []}, "aliases": "a"}',
         '"aliases" must be a list of strings'),
        ('{"id": "x"}', '"copy" must say how to recognise the licence'),
    ),
)
def test_p11_malformed_profile(temp_git_dir, tmp_path, capsys, content, message):
    path = tmp_path / 'bad.json'
    path.write_text(content)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main(['--profile-file', str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert 'Traceback' not in err


def test_unknown_profile(temp_git_dir, capsys):
    assert main(['--profile', 'nope']) == 2
    assert "unknown profile 'nope'" in capsys.readouterr().err


def test_removing_the_attribution_beside_a_split_run(duix_repo, capsys, monkeypatch):
    from tests.util import git_commit
    _card(duix_repo, FRONT + OPENING)
    git_commit('-m', 'model')
    _card(duix_repo, FRONT + '# talking-head-v2\n\nA model.\n')
    write(duix_repo / 'notes.txt', 'unrelated\n')
    add('notes.txt')
    monkeypatch.setenv('PRE_COMMIT', '1')
    assert main([DUIX, 'notes.txt']) == 1
    assert 'README.md: does not state prominently' in capsys.readouterr().out


def test_removing_the_attribution_fails_without_staged_weights(duix_repo, capsys):
    from tests.util import git_commit
    _card(duix_repo, FRONT + OPENING)
    git_commit('-m', 'model')
    _card(duix_repo, FRONT + '# talking-head-v2\n\nA model.\n')
    assert main([DUIX]) == 1


def test_front_matter_as_yaml_writes_it(duix_repo, capsys):
    # A folded scalar (as editors and the Hub write long values) and a
    # flow list with a comma inside quotes.
    front = FRONT.replace(
        'license_name: duix-avatar-model-community-license\n',
        'license_name: >-\n  duix-avatar-model-community-license\n',
    ).replace('base_model: duixcom/Duix-Avatar\n', 'base_model: ["duixcom/Duix-Avatar", "x, y"]\n')
    _card(duix_repo, front + OPENING)
    assert main([DUIX]) == 0, capsys.readouterr().out
