"""Helpers for tests that build throw-away git repositories."""
from __future__ import annotations

import subprocess
from pathlib import Path

# A real MIT licence, as a licence copy: this project's own LICENSE file.
MIT_TEXT = (Path(__file__).resolve().parents[1] / 'LICENSE').read_text(encoding='utf-8')


def git(*args: str, cwd: Path | str | None = None) -> str:
    return subprocess.run(
        ('git', *args), check=True, capture_output=True, text=True, cwd=cwd,
    ).stdout


def git_commit(*args: str, cwd: Path | str | None = None) -> str:
    git('commit', '--no-gpg-sign', '--no-verify', '--no-edit', '-q', *args, cwd=cwd)
    return git('rev-parse', 'HEAD', cwd=cwd).strip()


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content)
    else:
        path.write_bytes(content)
    return path


def add(*paths: str | Path) -> None:
    git('add', '--', *(str(p) for p in paths))
