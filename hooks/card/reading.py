"""Reading a card, NOTICE or changelog from a tree as text."""
from __future__ import annotations

from ..errors import UserError
from ..text import decode
from ..tree.listing import Entry
from ..tree.sample import small_sample
from ..tree.trees import Tree
from ..weights.headers import LFS_POINTER_MAX
from ..weights.headers import lfs_pointer

LFS_MISSING = (
    'it is stored in Git LFS and its content is not here: run git lfs pull, '
    'or keep it out of Git LFS'
)


def read_text(tree: Tree, entry: Entry, limit: int) -> str | None:
    """The text of a file of at most `limit` bytes (undecodable bytes
    replaced), the text a Git LFS pointer stands for if it is at hand, or
    None for a pointer whose content is not; a larger file is a UserError."""
    data, size = tree.read(entry, limit)
    if size > limit:
        raise UserError(
            f'{entry.path}: larger than {limit // 1024 // 1024} MiB, too large '
            f'to read',
        )
    pointer = lfs_pointer(small_sample(data)) if size < LFS_POINTER_MAX else None
    if pointer is not None:
        content = tree.lfs_content(entry, pointer.oid, pointer.size, limit)
        if content is None:
            return None
        data = content
    text = decode(data)
    return text if text is not None else data.decode('utf-8', 'replace')
