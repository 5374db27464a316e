"""Base-model inheritance: a derivative is under its base model's licence,
whatever its card says; the card, the copy and the checks all follow it."""
from __future__ import annotations

import json

import pytest

from model_license_hooks import check_model_attribution
from model_license_hooks import check_model_compliance
from model_license_hooks import check_model_license
from model_license_hooks.cli import main as cli
from model_license_hooks.license import lineage
from model_license_hooks.license import profiles
from model_license_hooks.rules.settings import Settings
from model_license_hooks.rules.judge import Judge
from model_license_hooks.tree.trees import GitRepo
from tests import samples
from tests.license import references as refs
from tests.util import add
from tests.util import write

LLAMA_NOTICE = (
    'Llama 3.1 is licensed under the Llama 3.1 Community License, '
    'Copyright \u00a9 Meta Platforms, Inc. All Rights Reserved.\n'
)


def _card(meta: str, body: str = '# Llama-3.1-8B-talk\n\nBuilt with Llama.\n') -> str:
    return f'---\n{meta}---\n{body}'


@pytest.fixture
def table():
    return lineage.load_table(profiles.available())


@pytest.mark.parametrize(('model', 'licence'), [
    ('meta-llama/Llama-3.1-8B', 'llama-3.1'),
    ('meta-llama/Meta-Llama-3.1-70B-Instruct', 'llama-3.1'),
    ('https://huggingface.co/meta-llama/Llama-3.2-1B/tree/main', 'llama-3.2'),
    ('meta-llama/Meta-Llama-3-8B', 'llama-3'),
    ('meta-llama/Llama-2-7b-hf', 'llama-2'),
    ('meta-llama/llama-3.3-70b-instruct', 'llama-3.3'),
    ('meta-llama/Llama-4-Scout-17B-16E', 'llama-4'),
    ('google/gemma-2-9b', 'gemma'),
    ('google/gemma-4-31b', 'apache-2.0'),
    ('duixcom/Duix.Avatar', 'duix-avatar'),
    ('runwayml/stable-diffusion-v1-5', 'creativeml-openrail-m'),
    ('bigscience/bloom-560m', 'bigscience-bloom-rail-1.0'),
    ('Qwen/Qwen2.5-7B-Instruct', 'apache-2.0'),
    ('Qwen/Qwen2.5-3B', 'qwen-research'),
    ('Qwen/Qwen2.5-72B-Instruct', 'qwen'),
    ('Qwen/Qwen2-72B', 'tongyi-qianwen'),
    ('Qwen/Qwen2-7B', 'apache-2.0'),
    ('Qwen/Qwen1.5-14B-Chat', 'tongyi-qianwen'),
    ('Qwen/Qwen-1_8B-Chat', 'tongyi-qianwen-research'),
    ('Qwen/Qwen3-8B', 'apache-2.0'),
])
def test_the_table_maps_base_models_to_their_licence(table, model, licence):
    assert lineage.base_model_profile(model, table)[0] == licence


def test_every_entry_names_a_licence_and_a_source(table):
    assert len(table.entries) >= 50
    for entry in table.entries:
        assert entry.licence in table.licences, entry
        assert entry.source.strip(), entry


def test_the_settings_come_first_and_must_name_a_licence():
    known = profiles.available()
    table = lineage.load_table(known, (('Qwen/Qwen2.5-7B*', 'tongyi-qianwen'),))
    assert lineage.base_model_profile('Qwen/Qwen2.5-7B', table) == (
        'tongyi-qianwen', 'base-models in pyproject.toml')
    with pytest.raises(Exception, match="'no-such', which is neither a profile"):
        lineage.load_table(known, (('x/*', 'no-such'),))


def test_an_unknown_base_model_is_none(table):
    assert lineage.base_model_profile('someone/their-model', table) is None


@pytest.fixture
def llama_derivative(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('MIT'))
    write(temp_git_dir / 'NOTICE', LLAMA_NOTICE)
    write(temp_git_dir / 'CHANGELOG.md', '# Changelog\n\n## [1.0]\n- Fine-tuned on talk.\n')
    write(temp_git_dir / 'README.md', _card(
        'license: mit\nbase_model: meta-llama/Llama-3.1-8B\n'))
    add('.')
    return temp_git_dir


def test_a_card_contradicting_its_base_model_fails(llama_derivative, capsys):
    assert check_model_license.main([]) == 1
    out = capsys.readouterr().out
    assert (
        'README.md: base_model meta-llama/Llama-3.1-8B is under the Llama 3.1 Community '
        "License Agreement; license: mit cannot be its derivative's licence "
        '[Llama 3.1 Community License Agreement 1.b.i]'
    ) in out
    # the copy must be the inherited licence's, not the card's
    assert 'without a copy of the Llama 3.1 Community License Agreement' in out
    assert 'licence profile llama-3.1 (inferred from base_model meta-llama/Llama-3.1-8B)' in out


def test_the_inherited_profile_feeds_every_rule(llama_derivative, capsys):
    assert check_model_attribution.main([]) == 1
    out = capsys.readouterr().out
    assert 'license: mit, but the weights are under the Llama 3.1' in out
    assert check_model_compliance.main([]) == 1
    capsys.readouterr()
    assert cli(['check', '--format', 'json']) == 1
    report = json.loads(capsys.readouterr().out)
    assert report['models'][0]['attribution']['profile'] == 'llama-3.1'


def test_a_derivative_that_carries_its_base_licence_passes(llama_derivative, capsys):
    write(llama_derivative / 'LICENSE', refs.reference('llama-3.1'))
    write(llama_derivative / 'README.md', _card(
        'license: llama3.1\nbase_model:\n- meta-llama/Llama-3.1-8B\n'))
    add('.')
    assert check_model_compliance.main([]) == 0, capsys.readouterr().out


def test_a_permissive_base_lets_the_card_choose(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('MIT'))
    write(temp_git_dir / 'README.md', _card(
        'license: mit\nbase_model: Qwen/Qwen2.5-7B\n', '# Talk\n'))
    add('.')
    assert check_model_license.main([]) == 0, capsys.readouterr().out
    # with no licence of its own, the card's weights are under Apache-2.0
    write(temp_git_dir / 'README.md', _card('base_model: Qwen/Qwen2.5-7B\n', '# Talk\n'))
    add('.')
    assert check_model_license.main([]) == 1
    assert 'without a copy of the Apache License 2.0' in capsys.readouterr().out


def test_a_licence_without_a_profile_is_still_inherited(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('Apache-2.0'))
    write(temp_git_dir / 'README.md', _card(
        'license: apache-2.0\nbase_model: Qwen/Qwen2.5-3B-Instruct\n', '# Talk\n'))
    add('.')
    assert check_model_license.main([]) == 1
    out = capsys.readouterr().out
    assert ('base_model Qwen/Qwen2.5-3B-Instruct is under the Qwen RESEARCH LICENSE '
            "AGREEMENT; license: apache-2.0 cannot be its derivative's licence") in out
    assert 'set license: other and license_name: qwen-research' in out


def test_a_base_model_in_a_folder_follows_its_card(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'base/model.safetensors')
    samples.write_safetensors(temp_git_dir / 'tuned/model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('MIT'))
    write(temp_git_dir / 'base/README.md', _card(
        'license: other\nbase_model: ../tuned\n', '# Base\n'))
    write(temp_git_dir / 'tuned/README.md', _card(
        'license: mit\nbase_model:\n- ../base\n', '# Tuned\n'))
    add('.')
    # a cycle of folders, neither naming a known licence: nothing inherited
    assert check_model_license.main([]) == 0, capsys.readouterr().out
    write(temp_git_dir / 'base/README.md', _card(
        'license: other\nbase_model: meta-llama/Llama-3.1-8B\n', '# Base\n'))
    add('.')
    assert check_model_license.main(['tuned/model.safetensors']) == 1
    out = capsys.readouterr().out
    assert ("tuned/README.md: base_model ../base (built on meta-llama/Llama-3.1-8B) is "
            "under the Llama 3.1 Community License Agreement; license: mit cannot") in out


def test_the_judge_follows_a_folder_by_its_card(temp_git_dir):
    write(temp_git_dir / 'upstream/README.md', _card('license: llama3.2\n', '# Up\n'))
    write(temp_git_dir / 'mine/README.md', _card('base_model: upstream\n', '# Mine\n'))
    add('.')
    judge = Judge(Settings())
    tree = GitRepo().index
    bases, unknown = judge.lineage(tree, 'mine/model.gguf')
    assert [(b.base_model, b.licence.id, b.source) for b in bases] == [
        ('upstream', 'llama-3.2', 'the card upstream/README.md')]
    assert unknown == []
    assert judge.declared_profile(tree, 'mine/model.gguf')[0].id == 'llama-3.2'


def test_an_unknown_base_model_is_a_note_from_check_only(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('MIT'))
    write(temp_git_dir / 'CHANGELOG.md', '# Changelog\n\n## [1.0]\n- First.\n')
    write(temp_git_dir / 'README.md', _card(
        'license: mit\nbase_model: someone/their-model\n', '# Talk\n'))
    add('.')
    assert check_model_license.main([]) == 0
    assert 'someone/their-model' not in capsys.readouterr().out
    assert cli(['check']) == 0
    out = capsys.readouterr().out
    assert ('base_model someone/their-model is not in the table of base models') in out
    assert 'base-models = {"someone/their-model*" = "<profile id>"}' in out


def test_the_setting_extends_the_table(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'LICENSE', refs.vendored('MIT'))
    write(temp_git_dir / 'README.md', _card(
        'license: mit\nbase_model: acme/base-7b\n', '# Talk\n'))
    write(temp_git_dir / 'pyproject.toml',
          '[tool.model-license-hooks]\nbase-models = {"acme/*" = "llama-3.1"}\n')
    add('.')
    assert check_model_license.main([]) == 1
    assert "base_model acme/base-7b is under the Llama 3.1" in capsys.readouterr().out
    write(temp_git_dir / 'pyproject.toml',
          '[tool.model-license-hooks]\nbase-models = ["acme/*"]\n')
    add('.')
    assert check_model_license.main([]) == 2
    assert 'base-models must be a table of strings' in capsys.readouterr().err


def test_a_long_chain_of_folders_is_bounded(temp_git_dir, capsys):
    for i in range(60):
        write(temp_git_dir / f'm{i}/README.md',
              _card(f'license: other\nbase_model: ../m{i + 1}\n', f'# M{i}\n'))
    write(temp_git_dir / 'm60/README.md', _card('license: llama3.1\n', '# Up\n'))
    add('.')
    judge = Judge(Settings())
    tree = GitRepo().index
    assert judge.lineage(tree, 'm0/x.gguf') == ([], [])  # past 32 folders: not followed
    bases, _ = judge.lineage(tree, 'm40/x.gguf')
    assert [b.licence.id for b in bases] == ['llama-3.1']
