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
