"""Regular expressions compiled when first used: compiling is most of what
importing a module costs, and a hook run uses few of them (a commit of
source files never reads a licence's terms)."""
from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """A `re.Pattern` compiled on first use; `.pattern` is the source."""

    __slots__ = ('pattern', 'flags', '_compiled')

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled on first use, typed as the `re.Pattern` it acts as."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]
