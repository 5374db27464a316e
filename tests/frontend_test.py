from __future__ import annotations

import pytest

from model_license_hooks import check_model_compliance
from model_license_hooks.tree import trees
from tests.samples import write_safetensors
from tests.util import add
from tests.util import git_commit
from tests.util import MIT_TEXT
from tests.util import write


@pytest.fixture
def listings(monkeypatch):
    """The git ls-files calls a run makes."""
    calls: list[tuple[str, ...]] = []
    real = trees.cmd_records

    def counted(*cmd, **kwargs):
        if cmd[1] == 'ls-files':
            calls.append(cmd)
        return real(*cmd, **kwargs)

    monkeypatch.setattr(trees, 'cmd_records', counted)
    return calls


@pytest.mark.parametrize('licensed', (True, False))
def test_a_small_commit_lists_the_index_once(temp_git_dir, capsys, listings, licensed):
    for i in range(30):
        write(temp_git_dir / f'src/p{i}/m.py', f'{i}\n')
    write(temp_git_dir / 'CHANGELOG.md', '# Changelog\n')
    if licensed:
        write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('.')
    git_commit('-m', 'base')
    write_safetensors(temp_git_dir / 'models/a/model.safetensors')
    write(temp_git_dir / 'CHANGELOG.md', '# Changelog\n\n- models/a: fine-tuned on our data\n')
    write(temp_git_dir / 'src/p3/m.py', 'changed\n')
    add('.')
    files = ['CHANGELOG.md', 'models/a/model.safetensors', 'src/p3/m.py']
    code = check_model_compliance.main(['--no-cache', *files])
    out = capsys.readouterr().out
    assert (code, 'models/a/model.safetensors' in out) == ((0, False) if licensed else (1, True))
    assert len(listings) == 1, listings


def test_a_run_leaves_the_commits_other_files_to_their_runs(temp_git_dir, capsys, monkeypatch):
    # The first commit of an import: settings, a licence and weights staged
    # together.  The settings change re-judges tracked weights, but a file
    # the commit adds is judged by the run pre-commit gives it to.
    write_safetensors(temp_git_dir / 'old/model.safetensors')
    add('.')
    git_commit('-m', 'an unlicensed weight, tracked before')
    write(temp_git_dir / 'pyproject.toml', '[tool.model-license-hooks]\nignore = ["docs/*"]\n')
    for name in ('a', 'b'):
        write_safetensors(temp_git_dir / f'new/{name}/model.safetensors')
    add('.')
    monkeypatch.setenv('PRE_COMMIT', '1')
    assert check_model_compliance.main(['--rules', 'licence', 'new/a/model.safetensors']) == 1
    out = capsys.readouterr().out
    assert 'new/a/model.safetensors' in out  # its own file
    assert 'old/model.safetensors' in out  # tracked: judged again for the settings
    assert 'new/b/model.safetensors' not in out  # another run's
