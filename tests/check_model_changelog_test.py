from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from model_license_hooks.check_model_changelog import main
from tests import samples
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import write

REPO_ROOT = Path(__file__).resolve().parents[1]
CHANGELOG = '# Changelog\n\n## [1.0.0] - 2026-11-01\n\n- First release\n'


@pytest.fixture
def model_repo(temp_git_dir):
    """A repository with committed weights and a changelog."""
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    write(temp_git_dir / 'CHANGELOG.md', CHANGELOG)
    write(temp_git_dir / 'README.md', '# tiny model\n')
    add('.')
    git_commit('-m', 'first release')
    return temp_git_dir


def _change_weights(repo, path='model.safetensors'):
    data = (repo / path).read_bytes()
    (repo / path).write_bytes(data[:-4] + b'\x01\x02\x03\x04')
    git('add', '--', path, cwd=repo)


def _append(repo, path, text):
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, 'a') as f:
        f.write(text)
    add(path)


def test_c1_changed_weights_without_entry(model_repo, capsys):
    _change_weights(model_repo)
    assert main([]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        'model.safetensors: model weights (safetensors) changed without a '
        'changelog entry: add one to CHANGELOG.md [model licences ask for '
        'modifications to be stated: Duix.Avatar 2.5, Apache-2.0 4(b)]\n',
    )
    assert 'To fix:' in out
    assert 'git add CHANGELOG.md' in out


def test_c2_entry_in_the_same_commit(model_repo):
    _change_weights(model_repo)
    _append(
        model_repo, 'CHANGELOG.md',
        '\n## [Unreleased]\n\n- Fine-tuned on 2k more clips; lr 1e-5\n',
    )
    assert main([]) == 0


@pytest.mark.parametrize(
    'addition',
    (
        '\n\n\n',
        '\n## [1.1.0] - 2026-11-30\n',
        '\n### Changed\n\n',
        '\n[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0\n',
    ),
)
def test_c3_lines_that_describe_nothing(model_repo, capsys, addition):
    _change_weights(model_repo)
    _append(model_repo, 'CHANGELOG.md', addition)
    assert main([]) == 1
    assert 'describe nothing' in capsys.readouterr().out


def test_c3_whitespace_only_change(model_repo, capsys):
    _change_weights(model_repo)
    write(model_repo / 'CHANGELOG.md', CHANGELOG.replace('- First release', '-   First  release  '))
    add('CHANGELOG.md')
    assert main([]) == 1


@pytest.mark.parametrize(
    ('changelog', 'expected'),
    (
        ('models/b/CHANGELOG.md', 1), ('models/a/CHANGELOG.md', 0),
        ('models/CHANGES.rst', 0), ('HISTORY.txt', 0),
    ),
)
def test_c4_changelog_must_cover_the_weights(temp_git_dir, capsys, changelog, expected):
    samples.write_safetensors(temp_git_dir / 'models/a/model.safetensors')
    write(temp_git_dir / 'README.md', '# models\n')
    add('.')
    git_commit('-m', 'weights')
    _change_weights(temp_git_dir, 'models/a/model.safetensors')
    _append(temp_git_dir, changelog, '- Quantized models/a to int8\n')
    assert main([]) == expected
    if expected:
        assert 'models/a/model.safetensors: model weights' in capsys.readouterr().out


def test_c5_first_weights_with_a_new_changelog(temp_git_dir):
    samples.write_gguf(temp_git_dir / 'model.gguf')
    write(temp_git_dir / 'CHANGELOG.md', '# Changelog\n\n- Converted the base model to GGUF\n')
    add('.')
    assert main([]) == 0


def test_c5_first_weights_without_a_changelog(temp_git_dir, capsys):
    samples.write_gguf(temp_git_dir / 'model.gguf')
    add('.')
    assert main([]) == 1
    assert 'model.gguf: model weights (gguf) changed without' in capsys.readouterr().out


def test_c6_pure_rename_mode_change_deletion(model_repo):
    git('mv', 'model.safetensors', 'renamed.safetensors')
    assert main([]) == 0
    git_commit('-m', 'rename')
    os.chmod(model_repo / 'renamed.safetensors', 0o755)
    add('renamed.safetensors')
    assert main([]) == 0
    git_commit('-m', 'mode')
    git('rm', '-q', 'renamed.safetensors')
    assert main([]) == 0
    assert main(['--deletions']) == 1


def test_c6_deletion_beside_a_split_run(model_repo, monkeypatch):
    # pre-commit never passes a deleted file; a run given others sees it.
    git('rm', '-q', 'model.safetensors')
    _append(model_repo, 'notes.txt', 'unrelated\n')
    monkeypatch.setenv('PRE_COMMIT', '1')
    assert main(['--deletions', 'notes.txt']) == 1
    _append(model_repo, 'CHANGELOG.md', '- Removed the fp32 weights\n')
    assert main(['--deletions', 'notes.txt']) == 0


@pytest.mark.parametrize('changelog', ('CHANGELOG.md', 'changelog.d/3.changed.md'))
def test_c2_entry_passed_to_another_split_run(model_repo, monkeypatch, changelog):
    # pre-commit splits long file lists: the weights and their changelog
    # entry may reach different runs of the hook.
    _change_weights(model_repo)
    monkeypatch.setenv('PRE_COMMIT', '1')
    assert main(['model.safetensors']) == 1
    _append(model_repo, changelog, '- Fine-tuned on more clips\n')
    assert main(['model.safetensors']) == 0


def test_c6_deletion_with_entry(model_repo, capsys):
    git('rm', '-q', 'model.safetensors')
    _append(model_repo, 'CHANGELOG.md', '- Removed the fp32 weights\n')
    assert main(['--deletions']) == 0


def test_c6_rename_with_changed_content_needs_an_entry(model_repo):
    git('mv', 'model.safetensors', 'v2.safetensors')
    _change_weights(model_repo, 'v2.safetensors')
    assert main([]) == 1


@pytest.mark.parametrize(
    ('path', 'text'),
    (
        ('changelog.d/42.changed.md', 'Pruned 10% of the attention heads.\n'),
        ('newsfragments/7.feature', 'Distilled into a smaller student.\n'),
        ('README.md', '# tiny model\n\n## Modifications\n\n- Merged with a LoRA adapter\n'),
        ('README.md', '# tiny model\n\n## Changes from base model\n\nFine-tuned on clips.\n'),
    ),
)
def test_c7_fragments_and_model_card(model_repo, path, text):
    _change_weights(model_repo)
    write(model_repo / path, text)
    add(path)
    assert main([]) == 0


def test_c7_model_card_lines_outside_the_section(model_repo):
    _change_weights(model_repo)
    write(model_repo / 'README.md', '# tiny model\n\nNow faster.\n\n## Modifications\n\n')
    add('README.md')
    assert main([]) == 1


def test_c7_custom_fragment_folder(model_repo):
    _change_weights(model_repo)
    write(model_repo / 'changes/1.md', 'Retrained the vocoder.\n')
    add('changes/1.md')
    assert main([]) == 1
    assert main(['--fragment-dir', 'changes']) == 0


def test_c8_require_mention(model_repo, capsys):
    _change_weights(model_repo)
    _append(model_repo, 'CHANGELOG.md', '- Fine-tuned on 2k more clips\n')
    assert main([]) == 0
    assert main(['--require-mention']) == 1
    assert 'must mention model.safetensors' in capsys.readouterr().out
    _append(model_repo, 'CHANGELOG.md', '- model.safetensors: lr 1e-5\n')
    assert main(['--require-mention']) == 0


def test_c9_push_range(model_repo, monkeypatch):
    base = git('rev-parse', 'HEAD').strip()
    _change_weights(model_repo)
    git_commit('-m', 'one: weights')
    _append(model_repo, 'src.py', 'x = 1\n')
    git_commit('-m', 'two')
    monkeypatch.setenv('PRE_COMMIT_FROM_REF', base)
    monkeypatch.setenv('PRE_COMMIT_TO_REF', 'HEAD')
    assert main([]) == 1
    _append(model_repo, 'CHANGELOG.md', '- Fine-tuned on 2k more clips\n')
    git_commit('-m', 'three: entry')
    assert main([]) == 0


def test_c10_all_files(temp_git_dir, monkeypatch, capsys):
    samples.write_safetensors(temp_git_dir / 'a/model.safetensors')
    samples.write_gguf(temp_git_dir / 'b/model.gguf')
    write(temp_git_dir / 'a/CHANGELOG.md', CHANGELOG)
    write(temp_git_dir / 'b/CHANGELOG.md', '# Changelog\n\n## [Unreleased]\n')
    add('.')
    git_commit('-m', 'x')
    monkeypatch.setenv('PRE_COMMIT', '1')
    files = git('ls-files').split()
    assert main(files) == 1
    out = capsys.readouterr().out
    assert 'b/model.gguf: model weights (gguf) without a changelog' in out
    assert 'a/model.safetensors' not in out
    _append(temp_git_dir, 'b/CHANGELOG.md', '- Converted to GGUF q4\n')
    git_commit('-m', 'y')
    assert main(files) == 0


@pytest.mark.parametrize(
    ('content', 'problem'),
    (
        (b'version https://git-lfs.github.com/spec/v1\noid sha256:' + b'a' * 64 + b'\nsize 10\n',
         'it is stored in Git LFS'),
        (b'\x00\x01binary\x00', 'it is not a text file'),
        ('- Entrée modifiée\n'.encode('latin-1'), 'it is not UTF-8'),
    ),
)
def test_c11_unreadable_changelog(model_repo, capsys, content, problem):
    _change_weights(model_repo)
    write(model_repo / 'CHANGELOG.md', content)
    add('CHANGELOG.md')
    assert main([]) == 1
    out, err = capsys.readouterr()
    assert f'CHANGELOG.md: {problem}' in out
    assert 'Traceback' not in out + err


@pytest.mark.skipif(shutil.which('pre-commit') is None, reason='needs pre-commit')
def test_through_pre_commit_try_repo(tmp_path):
    env = {**os.environ, 'PRE_COMMIT_HOME': str(tmp_path / 'cache')}
    env.pop('PRE_COMMIT', None)
    sample = tmp_path / 'sample'
    git('init', '-q', '-b', 'main', str(sample))
    samples.write_safetensors(sample / 'model.safetensors')
    git('add', '.', cwd=sample)
    git_commit('-m', 'weights', cwd=sample)
    _change_weights(sample)

    def try_repo():
        return subprocess.run(
            ('pre-commit', 'try-repo', str(REPO_ROOT), 'check-model-changelog'),
            cwd=sample, capture_output=True, text=True, env=env,
        )

    blocked = try_repo()
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert 'model.safetensors: model weights (safetensors) changed' in blocked.stdout
    write(sample / 'CHANGELOG.md', '- Fine-tuned on 2k more clips; lr 1e-5\n')
    git('add', 'CHANGELOG.md', cwd=sample)
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
