"""Helpers for tests that build throw-away git repositories."""
from __future__ import annotations

import subprocess
from pathlib import Path

MIT_TEXT = (
    'MIT License\n\nCopyright (c) 2026 Example Models\n\n'
    'Permission is hereby granted, free of charge, to any person obtaining '
    'a copy of this software and associated documentation files, to deal '
    'in the Software without restriction, subject to the following '
    'conditions: the above copyright notice and this permission notice '
    'shall be included in all copies or substantial portions.\n'
)


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
