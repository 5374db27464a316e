"""Small helpers shared by every hook: running git, splitting its output."""
from __future__ import annotations

import os
import selectors
import subprocess
import sys
from collections.abc import Iterator
from typing import Any


class CalledProcessError(RuntimeError):
    pass


class UserError(RuntimeError):
    """A problem the user can fix (no repository, bad option): one line, exit 2."""


def cmd_output_bytes(
        *cmd: str,
        retcode: int | None = 0,
        **kwargs: Any,
) -> bytes:
    stdin_bytes = kwargs.pop('input', None)
    if stdin_bytes is not None:
        kwargs['stdin'] = subprocess.PIPE
    kwargs.setdefault('stdout', subprocess.PIPE)
    kwargs.setdefault('stderr', subprocess.PIPE)
    try:
        proc = subprocess.Popen(cmd, **kwargs)
    except OSError as exc:
        raise CalledProcessError(cmd, retcode, None, b'', str(exc).encode())
    stdout, stderr = proc.communicate(stdin_bytes)
    if retcode is not None and proc.returncode != retcode:
        raise CalledProcessError(cmd, retcode, proc.returncode, stdout, stderr)
    return stdout


def cmd_records(*cmd: str, **kwargs: Any) -> Iterator[bytes]:
    """The NUL-terminated records a command prints, as they come: a listing
    of 100,000 files is never held whole, nor copied to be split."""
    try:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,
        )
    except OSError as exc:
        raise CalledProcessError(cmd, 0, None, b'', str(exc).encode())
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
        raise CalledProcessError(cmd, 0, returncode, b'', b''.join(errors))
    if rest:
        yield rest


def cmd_output(*cmd: str, retcode: int | None = 0, **kwargs: Any) -> str:
    return cmd_output_bytes(*cmd, retcode=retcode, **kwargs).decode(
        'utf-8', 'surrogateescape',
    )


def zsplit(s: str) -> list[str]:
    s = s.strip('\0')
    if s:
        return s.split('\0')
    else:
        return []


MAX_TOML_BYTES = 2 * 1024 * 1024


def load_toml(data: bytes, where: str) -> dict[str, Any]:
    """Parse TOML (pyproject.toml, REUSE.toml); a malformed file is a UserError."""
    if sys.version_info >= (3, 11):  # pragma: >=3.11 cover
        import tomllib
    else:  # pragma: <3.11 cover
        import tomli as tomllib
    if len(data) > MAX_TOML_BYTES:
        raise UserError(f'{where}: larger than {MAX_TOML_BYTES // 1024} KiB')
    try:
        return tomllib.loads(data.decode('utf-8'))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f'{where}: cannot read it: {exc}')
    except RecursionError:
        raise UserError(f'{where}: cannot read it: nested too deeply')
