"""The SHA-256 of a file as a tree holds it, for the BOM.

A Git LFS pointer names its object's SHA-256 (its `oid`): that is the
digest of the weights, read from the pointer.  Any other file is hashed
whole, streamed in chunks through the tree's blob reader (the checkout
where it holds the same bytes, else git's object; a plain folder's file
on disk), never held in memory.
"""
from __future__ import annotations

import hashlib
from typing import NamedTuple

from ..errors import ContentError
from ..tree.blob import BudgetSpent
from ..tree.trees import Tree
from ..weights.headers import lfs_pointer

CHUNK = 1 << 20
# A file the tree gives no random access to (a symbolic link on disk): its
# content, as git would store it, read whole up to this size.
SMALL_LIMIT = 1 << 20


class Digest(NamedTuple):
    path: str
    sha256: str
    size: int
    lfs: bool  # the digest is the Git LFS pointer's oid, the size its


def file_digest(tree: Tree, path: str) -> Digest:
    """The digest of one file of the tree.  Raises ContentError."""
    entry = tree.entry(path)
    if entry is None:
        raise ContentError(path, f'not in {tree.label}, so it cannot be hashed')
    pointer = lfs_pointer(tree.sample(entry))
    if pointer is not None:
        return Digest(path, pointer.oid, pointer.size, True)
    blob = tree.open(entry)
    if blob is None:
        data, size = tree.read(entry, SMALL_LIMIT)
        if len(data) != size:
            raise ContentError(path, 'cannot be read to be hashed')
        return Digest(path, hashlib.sha256(data).hexdigest(), size, False)
    blob.budget = max(blob.budget, blob.size)  # all of it, once, forward
    digest = hashlib.sha256()
    offset = 0
    try:
        while offset < blob.size:
            chunk = blob.read(offset, CHUNK)
            if not chunk:
                break
            digest.update(chunk)
            offset += len(chunk)
    except (BudgetSpent, OSError) as exc:
        raise ContentError(path, f'cannot be read to be hashed ({exc})')
    if offset != blob.size:
        raise ContentError(
            path, f'{offset} of its {blob.size} bytes could be read: it changed or '
            f'its object is damaged (git fsck)',
        )
    return Digest(path, digest.hexdigest(), blob.size, False)
