"""What a commit or a push range changes, in git's raw diff format."""
from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from typing import NamedTuple

from ..errors import UserError
from .git import cmd_records
from .git import resolve_commit

NULL_OIDS = frozenset(('0' * 40, '0' * 64))


class Change(NamedTuple):
    status: str  # one letter: A, C, D, M, R, T
    old_path: str | None  # for renames and copies
    path: str
    old_oid: str = ''
    new_oid: str = ''
    new_mode: str = ''

    @property
    def content_changed(self) -> bool:
        """False for a pure rename, a mode change, a type-only change."""
        return self.old_oid != self.new_oid


# The first field of a record of `--raw -z --no-abbrev`; the path (two for a
# rename or a copy) follows.  `diff-tree --stdin` puts commit ids between.
_RAW_META = re.compile(rb':[0-7]+ ([0-7]+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])[0-9]*')

Keep = Callable[[str, str], bool]


def parse_raw(tokens: Iterable[bytes], keep: Keep | None = None) -> Iterator[Change | str]:
    """Parse `--raw -z --no-abbrev` output, split at NULs; yields commit ids
    where git gives them.  With `keep(path, status)`, only the changes it
    keeps a path of: a large commit need not become one object per file."""
    tokens = iter(tokens)
    for token in tokens:
        if not token.startswith(b':'):
            yield token.decode()  # diff-tree --stdin: the commit that follows
            continue
        # Only the status (the last field) before `keep` has its say: a
        # large commit's records are mostly skipped, and quickly.
        status = token.rpartition(b' ')[2][:1]
        renamed = status == b'R' or status == b'C'
        old = next(tokens, None) if renamed else b''
        new = next(tokens, None)
        if old is None or new is None:
            raise UserError(f'git gave a diff this cannot read: {token[:120]!r}')
        letter = status.decode()
        new_path = new.decode('utf-8', 'surrogateescape')
        old_path = old.decode('utf-8', 'surrogateescape') if renamed else None
        if keep is not None and not keep(new_path, letter) and (
                old_path is None or not keep(old_path, letter)
        ):
            continue
        m = _RAW_META.fullmatch(token)
        if m is None:
            raise UserError(f'git gave a diff this cannot read: {token[:120]!r}')
        yield Change(
            letter, old_path, new_path, m[2].decode(), m[3].decode(), m[1].decode(),
        )


def _changes(*cmd: str, keep: Keep | None = None) -> list[Change]:
    tokens = cmd_records(*cmd, '--raw', '-z', '--no-abbrev', '--no-ext-diff', '-M')
    return [c for c in parse_raw(tokens, keep) if isinstance(c, Change)]


def staged_changes(keep: Keep | None = None) -> list[Change]:
    """What `git commit` would record: the index against HEAD; with `keep`,
    only the changes of the paths it keeps."""
    # Without a HEAD (the first commit), git compares with the empty tree.
    return _changes('git', 'diff', '--cached', keep=keep)


def range_changes(from_ref: str, to_ref: str) -> list[Change]:
    """The range as a whole: FROM's tree against TO's tree."""
    return tree_changes(resolve_commit(from_ref), resolve_commit(to_ref))


def tree_changes(old: str, new: str) -> list[Change]:
    """One tree (or commit) id against another."""
    return _changes('git', 'diff', old, new)
