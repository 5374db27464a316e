"""Decide whether a file is model weights, which format, and on what evidence.

The decision uses the file's name, its siblings and a bounded sample of its
content (see `hooks.sniff`).  Content that proves a format wins; content
that proves an ordinary file (an image, a text file, an archive of text)
wins over a weight-like name; otherwise the name and siblings decide.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Iterator
from typing import NamedTuple

from hooks import formats
from hooks import sniff
from hooks.gitview import BlobReader
from hooks.gitview import REGULAR_MODES
from hooks.gitview import Sample
from hooks.gitview import Snapshot
from hooks.sniff import Finding


class Verdict(NamedTuple):
    path: str
    weights: bool
    format: str
    evidence: str
    lfs: bool = False
    size: int | None = None  # bytes; for a Git LFS pointer, the size it declares


class Rules(NamedTuple):
    """The user's additions: globs that force a path in or out."""
    weights_patterns: tuple[str, ...] = ()
    ignore_patterns: tuple[str, ...] = ()


def _glob_match(path: str, patterns: Iterable[str]) -> str | None:
    name = path.rpartition('/')[2]
    for pattern in patterns:
        if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(name, pattern):
            return pattern
    return None


def name_format(name: str, siblings: Collection[str] = ()) -> tuple[str, str] | None:
    """(format, evidence) when the name, or a sibling file, marks weights."""
    lowered = name.lower()
    for rule in formats.STRONG_NAMES:
        if rule.pattern.search(lowered):
            return rule.format, f'name matches {rule.pattern.pattern}'
    if siblings:
        lowered_siblings = {s.lower() for s in siblings}
        for srule in formats.SIBLING_RULES:
            match = srule.pattern.match(lowered)
            if match is None:
                continue
            for template in srule.descriptors:
                wanted = template.format(stem=match['stem'])
                if any(fnmatch.fnmatchcase(s, wanted) for s in lowered_siblings):
                    return srule.format, f'headerless weights beside {wanted}'
    return None


def model_folder(path: str) -> tuple[str, str] | None:
    for part in path.lower().split('/')[:-1]:
        for rule in formats.MODEL_FOLDERS:
            if rule.pattern.search(part):
                return rule.format, f'inside a {part.rpartition(".")[2]} folder'
    return None


# --- content ---------------------------------------------------------------

def _fixed_magic(name: str, sample: Sample, depth: int) -> Finding | None:
    m = sniff.weight_magic(sample.head)
    return None if m is None else Finding(m.format, m.what, True)


def _container_names(names: list[str]) -> list[str]:
    """Members of an archive whose names mark weights."""
    by_folder: dict[str, list[str]] = {}
    for member in names:
        folder, _, base = member.rpartition('/')
        by_folder.setdefault(folder, []).append(base)
    hits = []
    for member in names:
        folder, _, base = member.rpartition('/')
        if base and name_format(base, by_folder[folder]):
            hits.append(member)
    return hits


def _archive_finding(kind: str, names: list[str], data: list[bytes]) -> Finding:
    hits = _container_names(names)
    if not hits:
        for member, start in zip(names, data):
            inner = _fixed_magic(member, Sample(len(start), start, b'', {}), 1)
            if inner is not None:
                hits.append(member)
    if hits:
        shown = ', '.join(hits[:3]) + (f' and {len(hits) - 3} more' if len(hits) > 3 else '')
        return Finding(f'{kind}-with-weights', f'{kind} archive holding weights: {shown}', True)
    return Finding(kind, f'{kind} archive without weights ({len(names)} members seen)', False)


def _zip(name: str, sample: Sample, depth: int) -> Finding | None:
    if not sniff.is_zip(sample):
        return None
    local = list(sniff.zip_local_members(sample.head))
    names = list(dict.fromkeys(
        [m.name for m in local] + sniff.zip_central_names(sample),
    ))
    layout = sniff.zip_layout(names)
    if layout is not None:
        return Finding(layout, f'zip layout of {layout} ({names[0]!r}, ...)', True)
    stored = [m.data if m.method == 0 else b'' for m in local]
    found = _archive_finding('zip', names, stored)
    if not found.weights and not sniff.zip_central_names(sample):
        return None  # only part of the listing was seen: let the name decide
    return found


def _tar(name: str, sample: Sample, depth: int) -> Finding | None:
    names = sniff.tar_names(sample.head)
    if names is None:
        return None
    if formats.TAR_LEGACY_TORCH <= {n.strip('./') for n in names}:
        return Finding('pytorch-legacy-tar', 'tar of sys_info, pickle, storages, tensors', True)
    return _archive_finding('tar', names, [])


def _safetensors(name: str, sample: Sample, depth: int) -> Finding | None:
    return sniff.safetensors(sample)


def _gguf(name: str, sample: Sample, depth: int) -> Finding | None:
    return sniff.gguf(sample)


def _hdf5(name: str, sample: Sample, depth: int) -> Finding | None:
    found = sniff.hdf5(sample)
    if found is None:
        return None
    offset, keras = found
    where = f' after a {offset}-byte user block' if offset else ''
    if keras:
        return Finding('keras-h5', f'HDF5{where} with Keras markers', True)
    if formats.HDF5_MODEL_NAMES.search(name.lower()):
        return Finding('hdf5', f'HDF5{where} named like a model', True)
    return Finding('hdf5', f'HDF5 data{where} without Keras markers', False)


def _compressed(name: str, sample: Sample, depth: int) -> Finding | None:
    if depth > 0:
        return None
    found = sniff.decompress_prefix(sample.head)
    if found is None:
        return None
    what, data = found
    inner = sniff_content(name, Sample(max(len(data), sample.size), data, b'', {}), depth + 1)
    if inner is not None and inner.weights:
        return Finding(inner.format, f'{what}-compressed {inner.evidence}', True)
    return Finding(what, f'{what} stream without weights', False)


def _pickle(name: str, sample: Sample, depth: int) -> Finding | None:
    return sniff.pickle_finding(sample.head)


def _onnx(name: str, sample: Sample, depth: int) -> Finding | None:
    return sniff.onnx(sample)


def _by_extension(name: str, sample: Sample, depth: int) -> Finding | None:
    lowered = name.lower()
    if lowered.endswith('.mlmodel'):
        return sniff.coreml(sample)
    if lowered.endswith('.index') and sniff.tf_index(sample):
        return Finding('tf-checkpoint', 'tensor bundle index (table magic at the end)', True)
    if lowered.endswith('.msgpack') and sniff.msgpack_map(sample):
        return Finding('flax-msgpack', 'msgpack map', True)
    return sniff.text_model(name, sample)


def _other(name: str, sample: Sample, depth: int) -> Finding | None:
    m = sniff.other_magic(sample.head)
    return None if m is None else Finding(m.format, m.what, False)


Sniffer = Callable[[str, Sample, int], 'Finding | None']
# In order: the first that recognises the content decides.
SNIFFERS: tuple[Sniffer, ...] = (
    _fixed_magic, _gguf, _safetensors, _zip, _hdf5, _tar, _compressed,
    _pickle, _onnx, _by_extension, _other,
)


# A file that is text from its first byte to its last can only be in one of
# the text formats (ncnn params, protocol-0 pickles, JSON indexes, XML):
# most files in a repository are, so the binary parsers are skipped.
TEXT_SNIFFERS: tuple[Sniffer, ...] = (_fixed_magic, _pickle, _by_extension)


def sniff_content(name: str, sample: Sample, depth: int = 0) -> Finding | None:
    all_text = sample.whole and sniff.is_text(sample.head)
    for sniffer in TEXT_SNIFFERS if all_text else SNIFFERS:
        try:
            found = sniffer(name, sample, depth)
        except Exception:  # hostile bytes must never stop the hook
            found = None
        if found is not None:
            return found
    return None


# --- the decision ----------------------------------------------------------

def classify(
        path: str,
        sample: Sample,
        siblings: Collection[str] = (),
        *,
        rules: Rules = Rules(),
        smudged: Sample | None = None,
) -> Verdict:
    """Classify one file from a sample of the bytes being distributed.

    `smudged` is the working-tree copy of a Git LFS pointer, if available.
    """
    name = path.rpartition('/')[2]
    ignored = _glob_match(path, rules.ignore_patterns)
    if ignored:
        return Verdict(path, False, 'ignored', f'matches --ignore {ignored}')
    pointer = sniff.lfs_pointer(sample)
    if pointer is None:
        return _classify(path, name, sample, siblings, rules)._replace(
            size=sample.size,
        )
    if smudged is not None and sniff.lfs_pointer(smudged) is None:
        inner = _classify(path, name, smudged, siblings, rules)
        return inner._replace(
            lfs=True, size=pointer.size,
            evidence=f'{inner.evidence} (Git LFS object, read from the checkout)',
        )
    forced = _glob_match(path, rules.weights_patterns)
    by_name = (
        ('weights', f'matches --weights-pattern {forced}') if forced
        else model_folder(path) or name_format(name, siblings) or
        (('pickle', 'pickle-family name') if formats.PICKLE_NAMES.search(name.lower()) else None)
    )
    if by_name is not None:
        return Verdict(
            path, True, by_name[0], f'Git LFS pointer; {by_name[1]}',
            lfs=True, size=pointer.size,
        )
    return Verdict(
        path, False, 'lfs-pointer',
        'Git LFS pointer to a file whose name is not a weight name',
        lfs=True, size=pointer.size,
    )


def _classify(
        path: str,
        name: str,
        sample: Sample,
        siblings: Collection[str],
        rules: Rules,
) -> Verdict:
    forced = _glob_match(path, rules.weights_patterns)
    if forced:
        return Verdict(path, True, 'weights', f'matches --weights-pattern {forced}')
    folder = model_folder(path)
    if folder:
        return Verdict(path, True, folder[0], folder[1])
    found = sniff_content(name, sample)
    if found is not None:
        return Verdict(path, found.weights, found.format, found.evidence)
    if sniff.is_text(sample.head[:1024]):
        what = 'empty file' if not sample.size else 'text file'
        return Verdict(path, False, 'text', f'{what} with no weight format')
    by_name = name_format(name, siblings)
    if by_name is not None:
        return Verdict(
            path, True, by_name[0], f'{by_name[1]} (binary content, no signature)',
        )
    if formats.PICKLE_NAMES.search(name.lower()):
        return Verdict(path, True, 'pickle', 'pickle-family name (binary content)')
    return Verdict(
        path, False, 'binary',
        'binary content with no weight signature, and not a weight name',
    )


# --- over a tree -----------------------------------------------------------

class _LazySiblings(Collection[str]):
    """A file's siblings, listed only if a rule asks (it lists the tree)."""

    def __init__(self, snapshot: Snapshot, path: str) -> None:
        self._snapshot = snapshot
        self._path = path

    def _names(self) -> Collection[str]:
        return self._snapshot.siblings(self._path)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def classify_entries(
        snapshot: Snapshot,
        reader: BlobReader,
        paths: Iterable[str],
        rules: Rules = Rules(),
) -> list[Verdict]:
    """Classify tracked paths as they are in `snapshot`; others are skipped."""
    found = snapshot.lookup(paths)
    entries = [e for e in found.values() if e.mode in REGULAR_MODES]
    reader.prefetch(entries)
    verdicts = []
    for entry in entries:
        siblings = _LazySiblings(snapshot, entry.path)
        try:
            sample = reader.sample(entry)
        except OSError as exc:
            verdicts.append(_unreadable(entry.path, siblings, exc))
            continue
        smudged = None
        if sniff.lfs_pointer(sample) is not None:
            smudged = reader.worktree_sample(entry)
        verdicts.append(classify(
            entry.path, sample, siblings, rules=rules, smudged=smudged,
        ))
    return verdicts


def _unreadable(path: str, siblings: Collection[str], exc: OSError) -> Verdict:
    """No bytes to look at: the name alone decides."""
    why = f'content unreadable ({exc.strerror or exc})'
    by_name = name_format(path.rpartition('/')[2], siblings)
    if by_name is not None:
        return Verdict(path, True, by_name[0], f'{why}; {by_name[1]}')
    return Verdict(path, False, 'unreadable', why)
