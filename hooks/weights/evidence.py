"""What a parser concludes from a file's content, and the magic matcher
every signature table uses."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .signatures import Magic


class Evidence(NamedTuple):
    format: str
    evidence: str
    weights: bool
    uninspected: str = ''  # why the content could not be fully inspected
    model: bool = False  # a model file without learned weights (a graph)


def magic_matcher(table: tuple[Magic, ...]) -> Callable[[bytes], Magic | None]:
    """One regex for a whole table of magics: one C call per lookup."""
    pattern = re.compile(
        b'|'.join(
            b'(' + b'.' * m.offset + re.escape(m.magic) + b')' for m in table
        ),
        re.DOTALL,
    )

    def match(head: bytes) -> Magic | None:
        found = pattern.match(head)
        if found is None or found.lastindex is None:
            return None
        return table[found.lastindex - 1]
    return match
