"""REUSE: a `<file>.license` sidecar or a REUSE.toml annotation names the
licences of a file, whose texts are in LICENSES/<id>.txt."""
from __future__ import annotations

import functools
import re
from typing import Any

from ..errors import UserError
from ..loaders import load_toml
from .names import REUSE_TOML


class SpdxError(ValueError):
    """An SPDX expression that cannot be read (the message says why)."""


_IDENTIFIER = re.compile(r'SPDX-License-Identifier:\s*(.+)')


@functools.lru_cache(maxsize=1)
def _licensing() -> Any:
    # About 40 ms to build: only when a file names its licence this way.
    from license_expression import get_spdx_licensing
    return get_spdx_licensing()


def spdx_ids(expressions: list[str]) -> list[str]:
    """The licence ids in SPDX expressions, read as REUSE reads them
    (license-expression).  Raises SpdxError."""
    from license_expression import ExpressionError
    ids: list[str] = []
    for expression in expressions:
        expression = expression.strip()
        if not expression:
            continue
        try:
            parsed = _licensing().parse(expression, validate=False)
        # license-expression raises more than its own error on odd input
        # (an IndexError from its boolean parser): not an expression either.
        except (ExpressionError, TypeError, ValueError, IndexError, KeyError) as exc:
            raise SpdxError(
                f'{expression[:200]!r} is not an SPDX licence expression ({exc})',
            )
        if parsed is not None:
            ids.extend(_licensing().license_keys(parsed))
    return list(dict.fromkeys(ids))


def sidecar_ids(text: str) -> list[str]:
    """The licence ids a `.license` sidecar names."""
    return spdx_ids(_IDENTIFIER.findall(text))


def glob(pattern: str) -> re.Pattern[str]:
    """REUSE.toml globs: '*' stays in a folder, '**' crosses folders."""
    parts = re.split(r'(\*\*/?|\*|\?)', pattern)
    regex = ''.join(
        '.*' if p in ('**', '**/') else '[^/]*' if p == '*' else '[^/]' if p == '?'
        else re.escape(p)
        for p in parts
    )
    return re.compile(regex)


Annotation = tuple[list[str], list[str]]  # (path globs, SPDX expressions)


def parse_reuse_toml(data: bytes) -> list[Annotation]:
    """(path globs, SPDX expressions) of each [[annotations]] table."""
    parsed = load_toml(data, REUSE_TOML)
    annotations = parsed.get('annotations', [])
    if not isinstance(annotations, list):
        raise UserError(f'{REUSE_TOML}: "annotations" must be an array of tables')
    found = []
    for annotation in annotations:
        if not isinstance(annotation, dict):
            continue
        paths = annotation.get('path', [])
        ids = annotation.get('SPDX-License-Identifier', [])
        paths = [paths] if isinstance(paths, str) else paths
        ids = [ids] if isinstance(ids, str) else ids
        if isinstance(paths, list) and isinstance(ids, list):
            found.append((
                [p for p in paths if isinstance(p, str)],
                [i for i in ids if isinstance(i, str)],
            ))
    return found
