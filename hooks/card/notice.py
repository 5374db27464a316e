"""NOTICE files: the sentences some licences require beside the weights."""
from __future__ import annotations

import re

from ..tree.listing import ancestors
from ..tree.listing import join
from ..tree.trees import Tree
from .modelcard import normal
from .reading import read_text

NOTICE_NAME = re.compile(r'^notice(\.(txt|md))?$', re.I)
MAX_NOTICE_BYTES = 1024 * 1024


def is_notice_name(name: str) -> bool:
    return bool(NOTICE_NAME.match(name))


def notices(tree: Tree, path: str) -> list[tuple[str, str]]:
    """(path, normalised text) of the NOTICE files in a folder or above."""
    found = []
    for folder in ancestors(path):
        for name, entry in sorted(tree.folder(folder).items()):
            if is_notice_name(name):
                text = read_text(tree, entry, MAX_NOTICE_BYTES)
                found.append((join(folder, name), normal(text or '')))
    return found
