"""The real pre-commit client, for tests: a hook repository made from this
checkout (tracked and new files), installed once per test session, and a
config that uses it.

Tests that use it run the hooks the way users do: `git commit` and `git
push` with pre-commit's git hooks installed, or `pre-commit run`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV
from tests.util import git

ROOT = Path(__file__).resolve().parents[1]
HOOK_IDS = ('check-model-license', 'check-model-changelog', 'check-model-attribution')


def pre_commit_command() -> list[str]:
    return [sys.executable, '-m', 'pre_commit']


def _snapshot(dest: Path, source_root: Path) -> str:
    """A git repository holding a checkout's files as they are on disk."""
    names = git(
        'ls-files', '-z', '--cached', '--others', '--exclude-standard', cwd=source_root,
    ).split('\0')
    for name in filter(None, names):
        source = source_root / name
        if source.is_file() and not source.is_symlink():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    env = {**os.environ, **GIT_ENV}
    for cmd in (('init', '-q', '-b', 'main'), ('add', '.'),
                ('commit', '-q', '--no-verify', '--no-gpg-sign', '-m', 'snapshot')):
        subprocess.run(('git', *cmd), cwd=dest, env=env, check=True, capture_output=True)
    return subprocess.run(
        ('git', 'rev-parse', 'HEAD'), cwd=dest, env=env, check=True,
        capture_output=True, text=True,
    ).stdout.strip()


@pytest.fixture(scope='session')
def hooks_repo(tmp_path_factory) -> tuple[Path, str, Path]:
    """(hook repository, its commit, the PRE_COMMIT_HOME where it is installed)."""
    if shutil.which('git') is None:
        pytest.skip('needs git')
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip('needs pre-commit')
    repo = tmp_path_factory.mktemp('hooks-repo')
    # MLH_HOOKS_SOURCE: another checkout to test instead (an older commit,
    # to see a new test fail on the code before a fix).
    source = Path(os.environ.get('MLH_HOOKS_SOURCE') or ROOT)
    return repo, _snapshot(repo, source), tmp_path_factory.mktemp('pre-commit-home')


def write_config(
        repo: Path,
        hooks_repo: tuple[Path, str, Path],
        args: dict[str, Sequence[str]] | None = None,
        extra: dict[str, str] | None = None,
        hooks: Sequence[str] = HOOK_IDS,
) -> None:
    """A .pre-commit-config.yaml with these hooks (default: the three
    single-rule ones; `args` for some), committed only if the caller adds it."""
    path, rev, _ = hooks_repo
    lines = ['repos:', f'-   repo: {path}', f'    rev: {rev}', '    hooks:']
    for hook in hooks:
        lines.append(f'    -   id: {hook}')
        if args and hook in args:
            lines.append(f'        args: {list(args[hook])!r}'.replace("'", '"'))
        for key, value in (extra or {}).items():
            lines.append(f'        {key}: {value}')
    (repo / '.pre-commit-config.yaml').write_text('\n'.join(lines) + '\n')


def pre_commit(
        repo: Path,
        hooks_repo: tuple[Path, str, Path],
        *args: str,
) -> subprocess.CompletedProcess[str]:
    """`pre-commit ARGS` in the repository, with the session's install."""
    env = {**os.environ, 'PRE_COMMIT_HOME': str(hooks_repo[2])}
    for key in [k for k in env if k.startswith('PRE_COMMIT_') and k != 'PRE_COMMIT_HOME']:
        del env[key]
    env.pop('PRE_COMMIT', None)
    return subprocess.run(
        (*pre_commit_command(), *args), cwd=repo, env=env,
        capture_output=True, text=True,
    )


def run_git(
        repo: Path,
        hooks_repo: tuple[Path, str, Path],
        *args: str,
) -> subprocess.CompletedProcess[str]:
    """A git command whose hooks run pre-commit with the session's install;
    the hooks' output (on git's stderr) is in stdout."""
    env = {**os.environ, 'PRE_COMMIT_HOME': str(hooks_repo[2])}
    env.pop('PRE_COMMIT', None)
    return subprocess.run(
        ('git', *args), cwd=repo, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def install(repo: Path, hooks_repo: tuple[Path, str, Path], *hook_types: str) -> None:
    for hook_type in hook_types or ('pre-commit',):
        proc = pre_commit(repo, hooks_repo, 'install', '--hook-type', hook_type)
        assert proc.returncode == 0, proc.stdout + proc.stderr
