"""What a file's name, its folder and its siblings' names say."""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterable
from typing import NamedTuple

from . import signatures


class Overrides(NamedTuple):
    """The user's globs that force a path in or out of the weights."""
    weights_patterns: tuple[str, ...] = ()
    ignore_patterns: tuple[str, ...] = ()


def glob_match(path: str, patterns: Iterable[str]) -> str | None:
    """The first pattern matching the path or its file name."""
    name = path.rpartition('/')[2]
    for pattern in patterns:
        if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(name, pattern):
            return pattern
    return None


def name_format(name: str, siblings: Collection[str] = ()) -> tuple[str, str] | None:
    """(format, evidence) when the name, or a sibling file, marks weights."""
    lowered: list[Collection[str]] = []

    def lowered_siblings() -> Collection[str]:
        if not lowered:  # only a rule that needs a descriptor lists them
            lowered.append({s.lower() for s in siblings})
        return lowered[0]
    return _name_format(name.lower(), lowered_siblings)


# One search of every name rule at once: most names match none, and are
# done with in a single C call; a name that matches one goes through the
# rules in order (their order decides between two that match).
_ANY_NAME_RULE = re.compile('|'.join(
    '(?:' + pattern.pattern.replace('(?P<stem>', '(?:') + ')'
    for pattern in [r.pattern for r in signatures.STRONG_NAMES] +
    [r.pattern for r in signatures.SIBLING_RULES]
))


def _name_format(
        lowered: str, siblings: Callable[[], Collection[str]],
) -> tuple[str, str] | None:
    if _ANY_NAME_RULE.search(lowered) is None:
        return None
    for rule in signatures.STRONG_NAMES:
        if rule.pattern.search(lowered):
            return rule.format, f'name matches {rule.pattern.pattern}'
    for srule in signatures.SIBLING_RULES:
        match = srule.pattern.match(lowered)
        if match is None:
            continue
        for template in srule.descriptors:
            wanted = template.format(stem=match['stem'])
            if '*' in wanted:
                if any(fnmatch.fnmatchcase(s, wanted) for s in siblings()):
                    return srule.format, f'headerless weights beside {wanted}'
            elif wanted in siblings():
                return srule.format, f'headerless weights beside {wanted}'
    return None


def model_name(name: str) -> tuple[str, str] | None:
    """(format, evidence) when the name marks a model file without weights."""
    lowered = name.lower()
    for rule in signatures.MODEL_NAMES:
        if rule.pattern.search(lowered):
            return rule.format, f'name matches {rule.pattern.pattern}'
    return None


class Bundle(NamedTuple):
    path: str  # the bundle folder
    format: str
    inner: str  # the file's path inside it


def bundle_of(path: str) -> Bundle | None:
    """The bundle folder (one model: `.mlpackage`, `.mlmodelc`) a path is in."""
    parts = path.split('/')
    for i, part in enumerate(parts[:-1]):
        for rule in signatures.MODEL_FOLDERS:
            if rule.pattern.search(part.lower()):
                return Bundle('/'.join(parts[:i + 1]), rule.format, '/'.join(parts[i + 1:]))
    return None


def model_unit(path: str) -> str:
    """What a file is judged as: its bundle, or itself."""
    bundle = bundle_of(path)
    return bundle.path if bundle is not None else path


def is_pickle_name(name: str) -> bool:
    return bool(signatures.PICKLE_NAMES.search(name.lower()))


def archive_weight_members(names: list[str]) -> list[str]:
    """Members of an archive whose names (and siblings) mark weights."""
    by_folder: dict[str, set[str]] = {}
    for member in names:
        folder, _, base = member.rpartition('/')
        by_folder.setdefault(folder, set()).add(base.lower())
    hits = []
    for member in names:
        folder, _, base = member.rpartition('/')
        if base and _name_format(base.lower(), _siblings_in(by_folder, folder)):
            hits.append(member)
    return hits


def _siblings_in(
        by_folder: dict[str, set[str]], folder: str,
) -> Callable[[], Collection[str]]:
    return lambda: by_folder[folder]
