"""Classify the files of a Tree: bounded samples, siblings listed only when
a rule asks for them."""
from __future__ import annotations

import functools
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Iterator

from ..tree.listing import REGULAR_MODES
from ..tree.trees import Tree
from .classify import classify
from .classify import Verdict
from .headers import lfs_pointer
from .names import Overrides


class _LazySiblings(Collection[str]):
    """A file's siblings, listed only if a rule asks (it lists the tree)."""

    def __init__(self, tree: Tree, path: str) -> None:
        self._tree = tree
        self._path = path

    def _names(self) -> Collection[str]:
        return self._tree.siblings(self._path)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def classify_paths(
        tree: Tree,
        paths: Iterable[str],
        overrides: Overrides = Overrides(),
) -> list[Verdict]:
    """Classify the regular files among these paths as `tree` holds them;
    paths it does not hold are skipped.  A file whose content cannot be
    read stops the run (ContentError): it is never judged by its name."""
    found = tree.lookup(paths)
    entries = [e for e in found.values() if e.mode in REGULAR_MODES]
    tree.prefetch(entries)
    verdicts = []
    for entry in entries:
        siblings = _LazySiblings(tree, entry.path)
        sample = tree.sample(entry)
        pointer = lfs_pointer(sample)
        smudged = tree.smudged(entry, *pointer) if pointer is not None else None
        verdicts.append(classify(
            entry.path, sample, siblings, overrides=overrides, smudged=smudged,
            open=functools.partial(tree.open, entry),
            open_smudged=functools.partial(tree.open, entry, pointer),
        ))
    return verdicts
