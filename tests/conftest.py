from __future__ import annotations

import subprocess

import pytest

GIT_ENV = {
    'GIT_AUTHOR_NAME': 'test', 'GIT_AUTHOR_EMAIL': 'test@example.invalid',
    'GIT_COMMITTER_NAME': 'test', 'GIT_COMMITTER_EMAIL': 'test@example.invalid',
    'GIT_CONFIG_NOSYSTEM': '1',
}


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch, tmp_path_factory):
    # Tests must not see the developer's git config or a pre-commit run.
    home = tmp_path_factory.mktemp('home')
    monkeypatch.setenv('HOME', str(home))
    monkeypatch.setenv('XDG_CONFIG_HOME', str(home / '.config'))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    for key in (
            'PRE_COMMIT', 'PRE_COMMIT_FROM_REF', 'PRE_COMMIT_TO_REF',
            'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE',
    ):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def temp_git_dir(tmp_path, monkeypatch):
    repo = tmp_path / 'repo'
    subprocess.run(
        ('git', 'init', '-q', '-b', 'main', str(repo)), check=True,
    )
    monkeypatch.chdir(repo)
    yield repo
