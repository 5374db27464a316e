"""A hook's command line: its options, and the file names pre-commit
appends after them.

pre-commit runs `entry`, then the hook's `args`, then the file names, with
no `--` between: a tracked file named `--help` or `--ignore=*` would be
read as an option.  Under pre-commit (PRE_COMMIT=1) the hooks therefore
split the command line themselves: the file names are a tail of it whose
every token is a file pre-commit could pass (it exists and is not a folder,
a symlink or a socket) and appears once; the options are the rest, and
must all parse as options.  When the splits that fit all read the same
options, the one with the most file names wins.  When they read different
options (a file named like one of them), only the splits whose file names
git says this run can be given remain (at commit the staged files; at push
the range's; otherwise the tracked ones), and of those the one with the
most file names: pre-commit passes every such file, unless the user's own
config filters it out.  If none remains, the hook stops (exit 2) rather
than guess.
"""
from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any
from typing import NoReturn

from .errors import UserError

Options = dict[str, Any]


class _Refused(Exception):
    pass


class OptionsParser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, and never abbreviates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise _Refused(message)


def passes_pre_commit(path: str) -> bool:
    """Whether pre-commit could pass this name (its lexists and `types:
    [file]` filter: no folder, symlink or socket)."""
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISDIR(mode) or stat.S_ISLNK(mode) or stat.S_ISSOCK(mode))


def _options(parser: argparse.ArgumentParser, tokens: list[str]) -> Options | None:
    try:
        parsed, rest = parser.parse_known_args(tokens)
    except (_Refused, argparse.ArgumentError):
        return None
    return None if rest else vars(parsed)


def _same(a: Options, b: Options) -> bool:
    def norm(value: Any) -> Any:
        return frozenset(value) if isinstance(value, list) else value
    return {k: norm(v) for k, v in a.items()} == {k: norm(v) for k, v in b.items()}


def _splits(parser: argparse.ArgumentParser, argv: list[str]) -> list[tuple[Options, list[str]]]:
    """Every (options, file names) reading of argv that fits, most files first."""
    first = len(argv)  # the earliest start of a tail of unique, passable names
    seen: set[str] = set()
    while first and argv[first - 1] not in seen and passes_pre_commit(argv[first - 1]):
        seen.add(argv[first - 1])
        first -= 1
    found = []
    for k in range(first, len(argv) + 1):
        # Options end on an option or its value: skip the cuts inside names.
        if k > first and not any(t.startswith('-') for t in argv[max(0, k - 2):k]):
            continue
        options = _options(parser, argv[:k])
        if options is not None:
            found.append((options, argv[k:]))
    return found


def split(
        parser: argparse.ArgumentParser,
        argv: Sequence[str],
        candidates: Callable[[list[str]], set[str]],
) -> tuple[Options, list[str]]:
    """(options, file names) of a command line pre-commit built.

    `parser` knows the options only (no positional, no --help);
    `candidates(names)` gives the paths this run may be passed, given the
    names every reading takes for files; it is asked only when readings
    disagree."""
    argv = list(argv)
    readings = _splits(parser, argv)
    if not readings:
        try:
            parser.parse_args(argv)
        except _Refused as exc:
            raise UserError(f'cannot read the hook\'s options (args:): {exc}')
        raise UserError('cannot tell the hook\'s options from its file names')
    best = readings[0]
    if all(_same(best[0], r[0]) for r in readings[1:]):
        return best
    possible = candidates(readings[-1][1])  # the names every reading has
    fitting = [r for r in readings if set(r[1]) <= possible]
    if fitting:
        return fitting[0]
    tokens = sorted(set(best[1]) - set(readings[-1][1]))
    names = ', '.join(repr(t) for t in (tokens or best[1])[:3])
    raise UserError(
        f'file names that read as options ({names}): rename them, or give the '
        f'options in [tool.model-license-hooks] of pyproject.toml instead of args:',
    )
