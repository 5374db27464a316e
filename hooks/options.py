"""Options every hook shares, and the error handling around a hook's run."""
from __future__ import annotations

import argparse
import codecs
import io
import os
import sys
from collections.abc import Callable
from typing import Any

from hooks.util import CalledProcessError
from hooks.util import cmd_output_bytes
from hooks.util import load_toml
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


def add_license_name_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--license-name', action='append', default=[], metavar='GLOB',
        help='another file name that holds a licence copy (repeatable)',
    )


def add_profile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--profile', metavar='NAME',
        help='the licence the weights are under (see `model-license-hooks '
        'profiles`); default: inferred where it can be',
    )
    parser.add_argument(
        '--profile-file', action='append', default=[], metavar='PATH',
        help='a licence profile of your own, as JSON (repeatable)',
    )


# [tool.model-license-hooks] in the repository's pyproject.toml: one place
# for what every hook would otherwise repeat in `args:`.
CONFIG_FILE = 'pyproject.toml'
CONFIG_TABLE = 'model-license-hooks'
CONFIG_KEYS: dict[str, type] = {
    'profile': str, 'profile-files': list, 'license-names': list,
    'weights-patterns': list, 'ignore': list, 'changelog-names': list,
    'fragment-dirs': list, 'deletions': bool, 'require-mention': bool,
}
MAX_SETTING_ITEMS = 1000  # globs are matched against every path
# setting -> the argparse destination it fills
CONFIG_DEST = {
    'profile-files': 'profile_file', 'license-names': 'license_name',
    'weights-patterns': 'weights_pattern', 'changelog-names': 'changelog_name',
    'fragment-dirs': 'fragment_dir',
}


def repo_config() -> dict[str, Any]:
    """The settings table, as the index holds pyproject.toml."""
    try:
        data = cmd_output_bytes('git', 'show', f':{CONFIG_FILE}')
    except CalledProcessError:
        return {}  # no pyproject.toml staged or tracked
    parsed = load_toml(data, CONFIG_FILE)
    tool = parsed.get('tool', {})
    table = tool.get(CONFIG_TABLE, {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise UserError(f'{CONFIG_FILE}: [tool.{CONFIG_TABLE}] must be a table')
    for key, value in table.items():
        kind = CONFIG_KEYS.get(key)
        if kind is None:
            raise UserError(
                f'{CONFIG_FILE}: [tool.{CONFIG_TABLE}] has an unknown setting '
                f'{key!r}; known: {", ".join(sorted(CONFIG_KEYS))}',
            )
        if isinstance(value, list):
            ok = kind is list and all(isinstance(v, str) for v in value)
            too_long = any(isinstance(v, str) and len(v) > 4096 for v in value)
            if ok and (len(value) > MAX_SETTING_ITEMS or too_long):
                raise UserError(
                    f'{CONFIG_FILE}: [tool.{CONFIG_TABLE}] {key} has more than '
                    f'{MAX_SETTING_ITEMS} items, or one longer than 4096 characters',
                )
        else:
            ok = isinstance(value, kind)
        if not ok:
            what = 'a list of strings' if kind is list else kind.__name__
            raise UserError(
                f'{CONFIG_FILE}: [tool.{CONFIG_TABLE}] {key} must be {what}',
            )
    return table


def configured(args: argparse.Namespace) -> argparse.Namespace:
    """Fill the options not given on the command line from the settings."""
    for key, value in repo_config().items():
        dest = CONFIG_DEST.get(key, key.replace('-', '_'))
        if hasattr(args, dest) and getattr(args, dest) in (None, [], False):
            setattr(args, dest, value)
    return args


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
    except BrokenPipeError:  # `... | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except UserError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    except CalledProcessError as exc:
        cmd, _, code, _, stderr = exc.args
        detail = stderr.decode('utf-8', 'replace').strip().splitlines()
        last = detail[-1] if detail else f'exit code {code}'
        print(f'error: {" ".join(cmd[:3])} failed: {last}', file=sys.stderr)
        return 2
