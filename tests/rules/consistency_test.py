"""One judgement: `check` fails exactly when one of the hooks, run over
every tracked file (as with --all-files), fails, and names the same paths;
`check PATH` judges PATH within its repository; `scan` honours the settings.
"""
from __future__ import annotations

import json
import re

import pytest

from model_license_hooks import check_model_attribution
from model_license_hooks import check_model_changelog
from model_license_hooks import check_model_compliance
from model_license_hooks import check_model_license
from model_license_hooks import cli
from tests import samples
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import MIT_TEXT
from tests.util import write

HOOKS = (check_model_license.main, check_model_changelog.main, check_model_attribution.main)
DUIX_CARD = (
    '---\nlicense: other\nlicense_name: duix-avatar-model-community-license\n'
    'license_link: LICENSE\nbase_model: duixcom/Duix-Avatar\n---\n'
    '# m\n\nBuilt on Duix.Avatar:0.0.7_sdk_slim. Duix.Avatar/guiji.cn\n'
)
LLAMA_CARD = '---\nlicense: llama3.1\n---\n# Llama-m\n\nBuilt with Llama\n'


def _compliant(repo):
    samples.write_safetensors(repo / 'models/a/model.safetensors')
    write(repo / 'LICENSE', MIT_TEXT)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')


def _no_licence(repo):
    _compliant(repo)
    (repo / 'LICENSE').unlink()


def _duix_card_over_mit(repo):
    _compliant(repo)
    write(repo / 'README.md', DUIX_CARD)


def _link_to_a_missing_file(repo):
    _compliant(repo)
    write(repo / 'README.md', DUIX_CARD.replace('license_link: LICENSE', 'license_link: GONE.md'))


def _ignored_fixtures(repo):
    _compliant(repo)
    samples.write_safetensors(repo / 'tests/fixtures/tiny.safetensors')
    write(repo / 'pyproject.toml', '[tool.model-license-hooks]\nignore = ["tests/fixtures/*"]\n')
    (repo / 'LICENSE').rename(repo / 'models/a/LICENSE')


def _no_changelog(repo):
    _compliant(repo)
    (repo / 'CHANGELOG.md').unlink()


def _llama_without_notice(repo):
    _compliant(repo)
    write(repo / 'README.md', LLAMA_CARD)


def _root_card_for_two_folders(repo):
    _compliant(repo)
    samples.write_gguf(repo / 'models/b/model.gguf')
    write(repo / 'README.md', DUIX_CARD.replace(' Duix.Avatar/guiji.cn', ''))


PASSING = {'compliant', 'ignored-fixtures'}
SCENARIOS = {
    'compliant': _compliant,
    'no-licence': _no_licence,
    'duix-card-over-mit': _duix_card_over_mit,
    'link-to-a-missing-file': _link_to_a_missing_file,
    'ignored-fixtures': _ignored_fixtures,
    'no-changelog': _no_changelog,
    'llama-without-notice': _llama_without_notice,
    'root-card-for-two-folders': _root_card_for_two_folders,
}


def _failure_paths(out: str) -> set[str]:
    """The paths of a hook's failure lines (notes and the fix block aside)."""
    body = out.split('\nTo fix:')[0]
    return {
        line.split(': ')[0] for line in body.splitlines()
        if line and not re.search(r': licence profile \S+ \(inferred from', line)
    }


@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_check_fails_exactly_when_a_hook_does(temp_git_dir, capsys, scenario):
    SCENARIOS[scenario](temp_git_dir)
    add('.')
    git_commit('-m', scenario)
    tracked = git('ls-files').splitlines()
    codes, paths = [], set()
    for main in HOOKS:
        codes.append(main(tracked))  # what pre-commit run --all-files passes
        paths |= _failure_paths(capsys.readouterr().out)
    code = cli.main(['check', '--format', 'json'])
    report = json.loads(capsys.readouterr().out)
    assert code == int(1 in codes), (codes, report)
    assert report['ok'] is (1 not in codes)
    assert {f['path'] for f in report['findings']} == paths
    assert bool(paths) is (scenario not in PASSING)


def test_the_scenarios_fail_where_expected(temp_git_dir, capsys):
    # The comparison above is only worth as much as its scenarios.
    _duix_card_over_mit(temp_git_dir)
    add('.')
    assert check_model_license.main([]) == 1
    assert 'LICENSE: not a copy of the duix-avatar licence' in capsys.readouterr().out
    assert cli.main(['check']) == 1


def test_check_of_a_folder_judges_it_within_its_repository(temp_git_dir, capsys):
    _compliant(temp_git_dir)
    samples.write_gguf(temp_git_dir / 'models/b/model.gguf')
    add('.')
    # The licence copy and changelog at the root cover models/a.
    assert cli.main(['check', 'models/a']) == 0
    out = capsys.readouterr().out
    assert 'licence:     LICENSE (the MIT licence)' in out
    assert 'models/b' not in out
    (temp_git_dir / 'CHANGELOG.md').unlink()
    git('rm', '-q', '--cached', 'CHANGELOG.md')
    assert cli.main(['check', str(temp_git_dir / 'models' / 'a')]) == 1
    assert 'models/a/model.safetensors: model weights (safetensors) without a changelog' in (
        capsys.readouterr().out
    )


def test_scan_honours_the_settings(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'tests/fixtures/tiny.safetensors')
    write(temp_git_dir / 'data/w.raw', b'\x01\x02\x03\x04')
    write(temp_git_dir / 'pyproject.toml', (
        '[tool.model-license-hooks]\nignore = ["tests/fixtures/*"]\n'
        'weights-patterns = ["*.raw"]\n'
    ))
    add('.')
    assert cli.main(['scan', '--json']) == 0
    found = {v['path']: v['weights'] for v in json.loads(capsys.readouterr().out)}
    assert found == {'data/w.raw': True}
    assert cli.main(['scan', '--json', 'tests', 'data']) == 0  # files on disk too
    found = {v['path']: v['weights'] for v in json.loads(capsys.readouterr().out)}
    assert found == {'data/w.raw': True}


def _failure_lines(out: str) -> list[str]:
    """A run's finding lines, rule headings and the fix block aside."""
    body = out.split('\nTo fix:')[0]
    return sorted(line for line in body.splitlines() if line and not line.startswith('['))


@pytest.mark.parametrize('staged', (False, True), ids=('all-files', 'staged'))
@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_combined_hook_finds_what_the_three_find(temp_git_dir, capsys, scenario, staged):
    SCENARIOS[scenario](temp_git_dir)
    add('.')
    if not staged:
        git_commit('-m', scenario)
    argv = [] if staged else git('ls-files').splitlines()
    codes, lines = [], []
    for main in HOOKS:
        codes.append(main(argv))
        lines += _failure_lines(capsys.readouterr().out)
    code = check_model_compliance.main(argv)
    assert code == max(codes)
    assert _failure_lines(capsys.readouterr().out) == sorted(lines)
    # Each rule alone, through the combined hook, is that rule's hook.
    for name, main in zip(('licence', 'changelog', 'attribution'), HOOKS):
        code = check_model_compliance.main(['--rules', name, *argv])
        through_combined = capsys.readouterr().out
        assert code == main(argv)
        assert through_combined == capsys.readouterr().out


def test_combined_hook_prints_each_rule_under_its_heading(temp_git_dir, capsys):
    _no_licence(temp_git_dir)
    (temp_git_dir / 'CHANGELOG.md').unlink()
    add('.')
    assert check_model_compliance.main([]) == 1
    out = capsys.readouterr().out.splitlines()
    licence = out.index('[licence: a copy of the licence travels with the model]')
    changelog = out.index('[changelog: modified weights are described]')
    assert licence < changelog
    assert 'without a licence' in out[licence + 1]
    assert 'without a changelog entry' in out[changelog + 1]
    assert check_model_compliance.main(['--rules', 'license']) == 1  # the US spelling too
    assert 'changelog' not in capsys.readouterr().out.split('To fix:')[0]


def test_combined_hook_takes_every_option_of_the_three(capsys):
    for hook in (check_model_license, check_model_changelog, check_model_attribution):
        with pytest.raises(SystemExit):
            hook.main(['--help'])
        options = set(re.findall(r'(--[a-z-]+)', capsys.readouterr().out))
        with pytest.raises(SystemExit):
            check_model_compliance.main(['--help'])
        assert options <= set(re.findall(r'(--[a-z-]+)', capsys.readouterr().out))
