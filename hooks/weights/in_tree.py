"""Classify the files of a Tree: bounded samples, siblings listed only when
a rule asks for them."""
from __future__ import annotations

import functools
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Iterator

from ..tree.listing import Entry
from ..tree.listing import REGULAR_MODES
from ..tree.trees import Tree
from .cache import Cached
from .cache import cacheable
from .cache import key as cache_key
from .cache import VerdictCache
from .classify import classify
from .classify import Verdict
from .headers import lfs_pointer
from .names import bundle_of
from .names import glob_match
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
        cache: VerdictCache | None = None,
) -> list[Verdict]:
    """Classify the regular files among these paths as `tree` holds them;
    paths it does not hold are skipped.  A file whose content cannot be
    read stops the run (ContentError): it is never judged by its name.
    With a cache, files judged before by content and name are not read."""
    found = tree.lookup(paths)
    entries = [e for e in found.values() if e.mode in REGULAR_MODES]
    keys = {} if cache is None else {
        e.path: cache_key(e.oid, name) for e in entries
        if cacheable(e.path, name := e.path.rpartition('/')[2]) and not _overridden(
            e.path, overrides)
    }
    hits = cache.get(keys.values()) if cache is not None else {}
    tree.prefetch(e for e in entries if keys.get(e.path) not in hits)
    verdicts = []
    learnt: dict[bytes, Cached] = {}
    for entry in entries:
        k = keys.get(entry.path)
        if k is not None and k in hits:
            c = hits[k]
            verdicts.append(Verdict(
                entry.path, c.weights, c.format, c.evidence, size=c.size, model=c.model,
            ))
            continue
        verdict = _classify_entry(tree, entry, overrides)
        verdicts.append(verdict)
        if k is not None and not verdict.lfs and not verdict.uninspected and (
                verdict.size is not None):
            learnt[k] = Cached(
                verdict.weights, verdict.model, verdict.format, verdict.evidence,
                verdict.size,
            )
    if cache is not None:
        cache.put(learnt)
    return verdicts


def _overridden(path: str, overrides: Overrides) -> bool:
    return bool(
        glob_match(path, overrides.ignore_patterns) or
        glob_match(path, overrides.weights_patterns),
    )


def _classify_entry(tree: Tree, entry: Entry, overrides: Overrides) -> Verdict:
    siblings = _LazySiblings(tree, entry.path)
    sample = tree.sample(entry)
    pointer = lfs_pointer(sample)
    smudged = tree.smudged(entry, *pointer) if pointer is not None else None
    return classify(
        entry.path, sample, siblings, overrides=overrides, smudged=smudged,
        open=functools.partial(tree.open, entry),
        open_smudged=functools.partial(tree.open, entry, pointer),
    )


def as_units(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """One verdict a unit: a file, or a bundle (a `.mlpackage`, which is
    one model) whose files are judged together, as its folder: weights if
    any of its files is, its size theirs."""
    units: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        bundle = bundle_of(verdict.path)
        units.setdefault(bundle.path if bundle else verdict.path, []).append(verdict)
    return [_unit(path, members) for path, members in units.items()]


def _unit(path: str, members: list[Verdict]) -> Verdict:
    first = members[0]
    if len(members) == 1 and first.path == path:
        return first
    bundle = bundle_of(first.path)
    assert bundle is not None
    chosen = next((v for v in members if v.weights), first)
    inner = chosen.path[len(path) + 1:]
    sizes = [v.size for v in members]
    return chosen._replace(
        path=path, format=bundle.format, evidence=f'{inner}: {chosen.evidence}',
        size=None if None in sizes else sum(s or 0 for s in sizes),
    )
