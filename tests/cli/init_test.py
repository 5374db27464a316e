from __future__ import annotations

import shutil
import subprocess

import pytest

from model_license_hooks.cli import main
from model_license_hooks.card.modelcard import parse
from tests import samples
from tests.util import add
from tests.util import git
from tests.util import write


def _weights_only(repo):
    samples.write_safetensors(repo / 'model.safetensors')
    add('.')


def test_r5_init_leaves_only_the_licence_copy_missing(temp_git_dir, capsys):
    _weights_only(temp_git_dir)
    assert main(['init', '--profile', 'duix-avatar']) == 0
    out = capsys.readouterr().out
    assert 'CHANGELOG.md: created' in out
    assert 'README.md: created' in out
    assert '.pre-commit-config.yaml: created' in out
    assert 'licence copy missing: get the official' in out
    assert 'https://github.com/duixcom/Duix-Avatar' in out
    add('.')
    assert main(['check', '--profile', 'duix-avatar']) == 1
    report = capsys.readouterr().out
    assert 'without a copy of the Duix.Avatar:0.0.7_sdk_slim model community licence' in report
    assert report.count('      fix: ') == 1  # the only remaining failure
    # A second init changes nothing.
    before = git('status', '--porcelain')
    assert main(['init', '--profile', 'duix-avatar']) == 0
    assert 'nothing to change' in capsys.readouterr().out
    assert git('status', '--porcelain') == before


def test_r5_llama_notice(temp_git_dir, capsys):
    _weights_only(temp_git_dir)
    assert main(['init', '--profile', 'llama-3.1']) == 0
    notice = (temp_git_dir / 'NOTICE').read_text()
    assert notice.startswith('Llama 3.1 is licensed under the Llama 3.1 Community License')
    assert 'Built with Llama' in (temp_git_dir / 'README.md').read_text()


CARD = (
    '---\n'
    '# our card\n'
    'language: en\n'
    'tags:\n'
    '  - avatar\n'
    'base_model: duixcom/Duix-Avatar\n'
    '---\n'
    '# Talking head\n'
    '\n'
    'Our fine-tune.\n'
)
CONFIG = (
    '# our hooks\n'
    'repos:\n'
    '-   repo: https://github.com/pre-commit/pre-commit-hooks\n'
    '    rev: v6.0.0\n'
    '    hooks:\n'
    '    -   id: check-added-large-files\n'
    '\n'
    'default_stages: [pre-commit]\n'
)


def test_r6_merge_keeps_existing_keys_comments_and_order(temp_git_dir, capsys):
    _weights_only(temp_git_dir)
    write(temp_git_dir / 'README.md', CARD)
    write(temp_git_dir / '.pre-commit-config.yaml', CONFIG)
    assert main(['init', '--profile', 'duix-avatar']) == 0
    card = (temp_git_dir / 'README.md').read_text()
    # every original line is still there, in the same order
    merged = card.splitlines()
    position = -1
    for line in CARD.splitlines():
        position = merged.index(line, position + 1)  # raises if lost or moved
    meta = parse(card).meta
    assert meta['language'] == 'en'
    assert meta['base_model'] == 'duixcom/Duix-Avatar'  # not duplicated
    assert card.count('base_model:') == 1
    assert meta['license'] == 'other'
    assert meta['license_name'] == 'duix-avatar-model-community-license'
    config = (temp_git_dir / '.pre-commit-config.yaml').read_text()
    assert config.startswith(CONFIG.split('\ndefault_stages')[0])
    assert config.rstrip().endswith('default_stages: [pre-commit]')
    assert 'id: check-model-compliance' in config
    assert 'id: check-added-large-files' in config


def test_r7_dry_run_writes_nothing(temp_git_dir, capsys):
    _weights_only(temp_git_dir)
    write(temp_git_dir / 'README.md', CARD)
    assert main(['init', '--profile', 'duix-avatar', '--dry-run']) == 0
    out = capsys.readouterr().out
    assert '+++ b/CHANGELOG.md' in out
    assert '+license: other' in out
    assert '(dry run: nothing written)' in out
    assert not (temp_git_dir / 'CHANGELOG.md').exists()
    assert (temp_git_dir / 'README.md').read_text() == CARD


def _validate_config(path):
    if shutil.which('pre-commit') is None:
        pytest.skip('needs pre-commit')
    proc = subprocess.run(
        ('pre-commit', 'validate-config', str(path)), capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


TWO_SPACE_CONFIG = (
    'repos:\n'
    '  - repo: https://github.com/pre-commit/pre-commit-hooks\n'
    '    rev: v6.0.0\n'
    '    hooks:\n'
    '      - id: check-added-large-files  # keep this\n'
)


@pytest.mark.parametrize('config', (
    'repos: []\n', TWO_SPACE_CONFIG, CONFIG, '# only a comment\n', None,
))
def test_r8_init_writes_a_config_pre_commit_accepts(temp_git_dir, capsys, config):
    _weights_only(temp_git_dir)
    if config is not None:
        write(temp_git_dir / '.pre-commit-config.yaml', config)
    assert main(['init', '--profile', 'duix-avatar']) == 0
    out = capsys.readouterr().out
    assert 'run `pre-commit autoupdate`' in out
    written = (temp_git_dir / '.pre-commit-config.yaml').read_text()
    _validate_config(temp_git_dir / '.pre-commit-config.yaml')
    assert 'id: check-model-compliance\n        args: [--profile, duix-avatar]' in written
    if config == TWO_SPACE_CONFIG:
        assert written.startswith(TWO_SPACE_CONFIG)  # its indentation and comment kept
        assert '\n  - repo: https://example.com/your-mirror/model-license-hooks\n' in written
    # a second run adds nothing
    assert main(['init', '--profile', 'duix-avatar']) == 0
    assert (temp_git_dir / '.pre-commit-config.yaml').read_text() == written


def test_r8_init_leaves_the_three_single_hooks_alone(temp_git_dir, capsys):
    _weights_only(temp_git_dir)
    three = 'repos:\n-   repo: local-mirror\n    rev: v0.1.0\n    hooks:\n' + ''.join(
        f'    -   id: {hook}\n'
        for hook in ('check-model-license', 'check-model-changelog', 'check-model-attribution')
    )
    write(temp_git_dir / '.pre-commit-config.yaml', three)
    assert main(['init', '--profile', 'duix-avatar']) == 0
    assert (temp_git_dir / '.pre-commit-config.yaml').read_text() == three


def test_r8_init_pins_the_given_repository(temp_git_dir, capsys):
    _weights_only(temp_git_dir)
    assert main([
        'init', '--repo', 'https://git.example.com/ml/model-license-hooks', '--rev', 'v0.2.0',
    ]) == 0
    out = capsys.readouterr().out
    assert 'autoupdate' not in out
    written = (temp_git_dir / '.pre-commit-config.yaml').read_text()
    assert 'repo: https://git.example.com/ml/model-license-hooks\n' in written
    assert 'rev: v0.2.0\n' in written
    _validate_config(temp_git_dir / '.pre-commit-config.yaml')
