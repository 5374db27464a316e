"""The errors every layer raises; the front ends turn them into one line."""
from __future__ import annotations


class UserError(RuntimeError):
    """A problem the user can fix (no repository, bad option): one line, exit 2."""


class GitError(RuntimeError):
    """A git command failed: (cmd, expected code, code, stdout, stderr)."""


class ContentError(RuntimeError):
    """A file's content cannot be read from git (a missing or corrupt
    object): the hooks cannot decide, so they stop with exit 2."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f'{path}: {why}')
        self.path = path
        self.why = why


class ParserBug(RuntimeError):
    """A parser raised where it must return a verdict: a bug in this
    project, never a reason to let a file through."""

    def __init__(self, path: str, parser: str, exc: BaseException) -> None:
        super().__init__(
            f'{path}: the {parser} parser failed ({type(exc).__name__}: {exc})',
        )
        self.path = path
        self.parser = parser
