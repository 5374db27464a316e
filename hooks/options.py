"""Options every hook shares, and the error handling around a hook's run."""
from __future__ import annotations

import argparse
import codecs
import io
import sys
from collections.abc import Callable
from typing import Any

from hooks.util import CalledProcessError
from hooks.util import UserError
from hooks.weights import Rules


def add_hook_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        'filenames', nargs='*',
        help='files to check (pre-commit passes them; by hand: default '
        'is the staged change)',
    )
    add_rules(parser)


def add_rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--weights-pattern', action='append', default=[], metavar='GLOB',
        help='treat paths matching GLOB as model weights (repeatable)',
    )
    parser.add_argument(
        '--ignore', action='append', default=[], metavar='GLOB',
        help='never treat paths matching GLOB as model weights (repeatable)',
    )


def rules(args: argparse.Namespace) -> Rules:
    return Rules(tuple(args.weights_pattern), tuple(args.ignore))


def _show_undecodable(exc: UnicodeError) -> tuple[str, int]:
    """Print a file name git gave as raw bytes the way git quotes them."""
    assert isinstance(exc, UnicodeEncodeError)
    shown = []
    for char in exc.object[exc.start:exc.end]:
        code = ord(char)
        shown.append(
            f'\\x{code - 0xdc00:02x}' if 0xdc80 <= code <= 0xdcff
            else char.encode('ascii', 'backslashreplace').decode(),
        )
    return ''.join(shown), exc.end


codecs.register_error('model-license-hooks-path', _show_undecodable)


def _safe_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors='model-license-hooks-path')


def run(func: Callable[..., int], *args: Any, **kwargs: Any) -> int:
    """Run a hook; a git failure or a user error is one line and exit 2."""
    _safe_output()
    try:
        return func(*args, **kwargs)
    except UserError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    except CalledProcessError as exc:
        cmd, _, code, _, stderr = exc.args
        detail = stderr.decode('utf-8', 'replace').strip().splitlines()
        last = detail[-1] if detail else f'exit code {code}'
        print(f'error: {" ".join(cmd[:3])} failed: {last}', file=sys.stderr)
        return 2
