"""Git LFS objects: the content a pointer stands for, where it is at hand.

The object store (`<git dir>/lfs/objects/aa/bb/<sha256>`, or where
`lfs.storage` says) is content-addressed; a checkout is used only when its
bytes are the object's (same size, same SHA-256).  Without the content, a
pointer is only a promise: callers say so rather than trust it.
"""
from __future__ import annotations

import functools
import hashlib
import os

from .git import cmd_output
from .sample import read_whole_file
from .sample import Sample
from .sample import sample_file


@functools.lru_cache(maxsize=None)
def objects_folder(root: str) -> str:
    """Where git-lfs keeps the objects of the repository at `root`."""
    common = cmd_output('git', 'rev-parse', '--git-common-dir', cwd=root).strip()
    common = os.path.join(root, common)
    storage = cmd_output('git', 'config', '--get', 'lfs.storage', cwd=root, retcode=None).strip()
    if storage:
        return os.path.join(common if not os.path.isabs(storage) else '', storage, 'objects')
    return os.path.join(common, 'lfs', 'objects')


def object_path(root: str, oid: str) -> str:
    return os.path.join(objects_folder(root), oid[:2], oid[2:4], oid)


def _size_is(path: str, size: int) -> bool:
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False


def sample(root: str, oid: str, size: int) -> Sample | None:
    """A bounded sample of the object, if the store holds it whole."""
    path = object_path(root, oid)
    if not _size_is(path, size):
        return None
    try:
        return sample_file(path)
    except OSError:
        return None


def content(root: str, oid: str, size: int, checkout: str, limit: int) -> bytes | None:
    """The object's bytes (at most `limit`), from the store or from a
    checkout whose bytes are the object's; None if neither holds them."""
    if size > limit:
        return None
    for path in (object_path(root, oid), os.path.join(root, checkout)):
        if not _size_is(path, size):
            continue
        try:
            data, got = read_whole_file(path, limit)
        except OSError:
            continue
        if got == size and hashlib.sha256(data).hexdigest() == oid:
            return data
    return None
