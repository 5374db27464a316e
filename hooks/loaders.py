"""Bounded, safe readers of the structured files the hooks read from a
repository: TOML (pyproject.toml, REUSE.toml) and YAML (model card front
matter).  A malformed file is a UserError naming it, never a traceback."""
from __future__ import annotations

import re
import sys
from typing import Any

from .errors import UserError

MAX_TOML_BYTES = 2 * 1024 * 1024
# Front matter of real cards is a few KiB; the largest on the Hub, with
# long model-index tables, are a few hundred.
MAX_YAML_BYTES = 1024 * 1024
MAX_YAML_DEPTH = 64
# Real front matter has tens to a few thousand values; building each costs
# a few microseconds, so a hostile card of 50,000 is refused, not read.
MAX_YAML_NODES = 20_000
MAX_TOML_DEPTH = 64
_TOML_SKIPPED = re.compile(rb'''"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*''')
_TOML_PLAIN = bytes(b for b in range(256) if b not in b'[]{}')


def _toml_depth(data: bytes) -> int:
    """How deep arrays and inline tables nest (strings and comments aside)."""
    depth = deepest = 0
    for char in _TOML_SKIPPED.sub(b'', data).translate(None, _TOML_PLAIN):
        depth += 1 if char in b'[{' else -1
        deepest = max(deepest, depth)
    return deepest


def load_toml(data: bytes, where: str) -> dict[str, Any]:
    """Parse TOML; a malformed or oversized file is a UserError."""
    if sys.version_info >= (3, 11):  # pragma: >=3.11 cover
        import tomllib
    else:  # pragma: <3.11 cover
        import tomli as tomllib
    if len(data) > MAX_TOML_BYTES:
        raise UserError(f'{where}: larger than {MAX_TOML_BYTES // 1024} KiB')
    if _toml_depth(data) > MAX_TOML_DEPTH:
        # tomllib recurses once a level: refuse before it runs out of stack
        # (and finalisers run at the bottom of it fail).
        raise UserError(f'{where}: cannot read it: nested too deeply')
    try:
        return tomllib.loads(data.decode('utf-8'))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f'{where}: cannot read it: {exc}')
    except RecursionError:
        raise UserError(f'{where}: cannot read it: nested too deeply')


class YamlProblem(ValueError):
    """Why a YAML text was not read (the message is for the user)."""


def load_yaml(text: str) -> object:
    """Parse YAML with a safe loader: no tags that build objects, no
    aliases (so no expansion bombs), bounded size and nesting."""
    import yaml  # only when a card has front matter: start-up time
    if len(text) > MAX_YAML_BYTES:
        raise YamlProblem(f'larger than {MAX_YAML_BYTES // 1024} KiB')
    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    depth = nodes = 0
    try:
        # The event stream first (libyaml, fast): refuse what the loader
        # would expand or nest without bound, before anything is built.
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem('aliases (*name) are not read')
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_YAML_NODES:
                    raise YamlProblem(f'more than {MAX_YAML_NODES} values')
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise YamlProblem(f'nested deeper than {MAX_YAML_DEPTH} levels')
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        where = f'line {mark.line + 1}: ' if mark is not None else ''
        problem = getattr(exc, 'problem', None) or str(exc).splitlines()[0]
        raise YamlProblem(f'{where}{problem}')
    except RecursionError:
        raise YamlProblem('nested too deeply')
