"""Running git: argument lists only, both pipes drained, errors kept."""
from __future__ import annotations

import functools
import os
import selectors
import subprocess
from collections.abc import Iterable
from collections.abc import Iterator
from typing import Any

from ..errors import GitError
from ..errors import UserError


def cmd_output_bytes(*cmd: str, retcode: int | None = 0, **kwargs: Any) -> bytes:
    stdin_bytes = kwargs.pop('input', None)
    if stdin_bytes is not None:
        kwargs['stdin'] = subprocess.PIPE
    kwargs.setdefault('stdout', subprocess.PIPE)
    kwargs.setdefault('stderr', subprocess.PIPE)
    try:
        proc = subprocess.Popen(cmd, **kwargs)
    except OSError as exc:
        raise GitError(cmd, retcode, None, b'', str(exc).encode())
    stdout, stderr = proc.communicate(stdin_bytes)
    if retcode is not None and proc.returncode != retcode:
        raise GitError(cmd, retcode, proc.returncode, stdout, stderr)
    return stdout


def cmd_output(*cmd: str, retcode: int | None = 0, **kwargs: Any) -> str:
    return cmd_output_bytes(*cmd, retcode=retcode, **kwargs).decode(
        'utf-8', 'surrogateescape',
    )


def cmd_records(*cmd: str, **kwargs: Any) -> Iterator[bytes]:
    """The NUL-terminated records a command prints, as they come: a listing
    of 100,000 files is never held whole, nor copied to be split."""
    try:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,
        )
    except OSError as exc:
        raise GitError(cmd, 0, None, b'', str(exc).encode())
    assert proc.stdout is not None and proc.stderr is not None
    errors = []
    rest = b''
    # Both pipes are drained as they fill: one left unread could stall git.
    with selectors.DefaultSelector() as pipes:
        pipes.register(proc.stdout, selectors.EVENT_READ)
        pipes.register(proc.stderr, selectors.EVENT_READ)
        try:
            while pipes.get_map():
                for key, _ in pipes.select():
                    chunk = os.read(key.fd, 256 * 1024)
                    if not chunk:
                        pipes.unregister(key.fileobj)
                    elif key.fileobj is proc.stderr:
                        errors.append(chunk)
                    else:
                        records = (rest + chunk).split(b'\0')
                        rest = records.pop()
                        yield from records
        finally:
            proc.stdout.close()
            proc.stderr.close()
            returncode = proc.wait()
    if returncode:
        raise GitError(cmd, 0, returncode, b'', b''.join(errors))
    if rest:
        yield rest


def zsplit(s: str) -> list[str]:
    s = s.strip('\0')
    return s.split('\0') if s else []


def pathspec_env(literal: bool = True) -> dict[str, str]:
    """The environment for git, with pathspec magic off (names) or on."""
    return {**os.environ, 'GIT_LITERAL_PATHSPECS': '1' if literal else '0'}


@functools.lru_cache(maxsize=None)
def _toplevel(cwd: str) -> str:
    return cmd_output('git', 'rev-parse', '--show-toplevel', cwd=cwd)


def repo_root(cwd: str | None = None) -> str:
    try:
        out = _toplevel(os.path.abspath(cwd or os.getcwd()))
    except GitError:
        raise UserError(
            'not inside a git repository: run this in a git work tree '
            '(git init, or cd into one)',
        )
    return out.rstrip('\n')


def git_root_of(folder: str) -> str | None:
    """The work tree a folder is in, or None outside any."""
    try:
        return repo_root(folder)
    except UserError:
        return None


def enter_repo_root(filenames: Iterable[str] = ()) -> list[str]:
    """chdir to the repository root, as pre-commit does; rebase filenames."""
    root = repo_root()
    here = os.getcwd()
    if os.path.realpath(here) == os.path.realpath(root):
        return list(filenames)
    rebased = [
        os.path.relpath(os.path.join(here, f), root).replace(os.sep, '/')
        for f in filenames
    ]
    os.chdir(root)
    return rebased


def resolve_commit(ref: str) -> str:
    try:
        out = cmd_output('git', 'rev-parse', '--verify', '-q', f'{ref}^{{commit}}')
    except GitError:
        raise UserError(f'{ref}: not a commit in this repository')
    return out.strip()
