"""Reading a card, NOTICE or changelog from a tree as text."""
from __future__ import annotations

from ..errors import UserError
from ..text import decode
from ..tree.listing import Entry
from ..tree.trees import Tree


def read_text(tree: Tree, entry: Entry, limit: int) -> str | None:
    """The text of a file of at most `limit` bytes (undecodable bytes
    replaced); a larger one is a UserError naming it."""
    data, size = tree.read(entry, limit)
    if size > limit:
        raise UserError(
            f'{entry.path}: larger than {limit // 1024 // 1024} MiB, too large '
            f'to read',
        )
    text = decode(data)
    return text if text is not None else data.decode('utf-8', 'replace')
