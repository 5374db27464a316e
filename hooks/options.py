"""Options every hook shares, and the error handling around a hook's run."""
from __future__ import annotations

import argparse
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


def run(func: Callable[..., int], *args: Any, **kwargs: Any) -> int:
    """Run a hook; a git failure or a user error is one line and exit 2."""
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
