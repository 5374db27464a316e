"""Decide whether a file is model weights, which format, and on what evidence.

Content that proves a format wins; content that proves an ordinary file
(an image, a text file, an archive of text) wins over a weight-like name;
otherwise the name and siblings decide.  A parser that raises is a bug,
reported as such (`ParserBug`), never a file let through.
"""
from __future__ import annotations

from collections.abc import Callable
from collections.abc import Collection
from typing import NamedTuple

from ..errors import ParserBug
from ..text import is_text
from ..tree.sample import Sample
from ..tree.sample import small_sample
from . import archives
from . import headers
from . import pickles
from . import protobuf
from . import signatures
from .evidence import Evidence
from .names import archive_weight_members
from .names import glob_match
from .names import is_pickle_name
from .names import model_folder
from .names import name_format
from .names import Overrides


class Verdict(NamedTuple):
    path: str
    weights: bool
    format: str
    evidence: str
    lfs: bool = False
    size: int | None = None  # bytes; for a Git LFS pointer, the size it declares


# --- content ---------------------------------------------------------------

def _fixed_magic(name: str, sample: Sample, depth: int) -> Evidence | None:
    m = headers.weight_magic(sample.head)
    return None if m is None else Evidence(m.format, m.what, True)


def _archive_evidence(kind: str, names: list[str], data: list[bytes]) -> Evidence:
    hits = archive_weight_members(names)
    if not hits:
        for member, start in zip(names, data):
            if _fixed_magic(member, small_sample(start), 1) is not None:
                hits.append(member)
    if hits:
        shown = ', '.join(hits[:3]) + (f' and {len(hits) - 3} more' if len(hits) > 3 else '')
        return Evidence(f'{kind}-with-weights', f'{kind} archive holding weights: {shown}', True)
    return Evidence(kind, f'{kind} archive without weights ({len(names)} members seen)', False)


def _zip(name: str, sample: Sample, depth: int) -> Evidence | None:
    if not archives.is_zip(sample):
        return None
    local = list(archives.zip_local_members(sample.head))
    central = archives.zip_central_names(sample)
    names = list(dict.fromkeys([m.name for m in local] + central))
    layout = archives.zip_layout(names)
    if layout is not None:
        return Evidence(layout, f'zip layout of {layout} ({names[0]!r}, ...)', True)
    stored = [m.data if m.method == 0 else b'' for m in local]
    found = _archive_evidence('zip', names, stored)
    if not found.weights and not central:
        return None  # only part of the listing was seen: let the name decide
    return found


def _tar(name: str, sample: Sample, depth: int) -> Evidence | None:
    names = archives.tar_names(sample.head)
    if names is None:
        return None
    if signatures.TAR_LEGACY_TORCH <= {n.strip('./') for n in names}:
        return Evidence('pytorch-legacy-tar', 'tar of sys_info, pickle, storages, tensors', True)
    return _archive_evidence('tar', names, [])


def _safetensors(name: str, sample: Sample, depth: int) -> Evidence | None:
    return headers.safetensors(sample)


def _gguf(name: str, sample: Sample, depth: int) -> Evidence | None:
    return headers.gguf(sample)


def _hdf5(name: str, sample: Sample, depth: int) -> Evidence | None:
    found = headers.hdf5(sample)
    if found is None:
        return None
    offset, keras = found
    where = f' after a {offset}-byte user block' if offset else ''
    if keras:
        return Evidence('keras-h5', f'HDF5{where} with Keras markers', True)
    if signatures.HDF5_MODEL_NAMES.search(name.lower()):
        return Evidence('hdf5', f'HDF5{where} named like a model', True)
    return Evidence('hdf5', f'HDF5 data{where} without Keras markers', False)


def _compressed(name: str, sample: Sample, depth: int) -> Evidence | None:
    if depth > 0:
        return None
    found = archives.decompress_prefix(sample.head)
    if found is None:
        return None
    what, data = found
    inner = sniff_content(name, Sample(max(len(data), sample.size), data, b'', {}), depth + 1)
    if inner is not None and inner.weights:
        return Evidence(inner.format, f'{what}-compressed {inner.evidence}', True)
    return Evidence(what, f'{what} stream without weights', False)


def _pickle(name: str, sample: Sample, depth: int) -> Evidence | None:
    return pickles.pickle_evidence(sample.head)


def _onnx(name: str, sample: Sample, depth: int) -> Evidence | None:
    return protobuf.onnx(sample)


def _by_extension(name: str, sample: Sample, depth: int) -> Evidence | None:
    lowered = name.lower()
    if lowered.endswith('.mlmodel'):
        return headers.coreml(sample)
    if lowered.endswith('.index') and headers.tf_index(sample):
        return Evidence('tf-checkpoint', 'tensor bundle index (table magic at the end)', True)
    if lowered.endswith('.msgpack') and headers.msgpack_map(sample):
        return Evidence('flax-msgpack', 'msgpack map', True)
    return headers.text_model(name, sample)


def _other(name: str, sample: Sample, depth: int) -> Evidence | None:
    m = headers.other_magic(sample.head)
    return None if m is None else Evidence(m.format, m.what, False)


Sniffer = Callable[[str, Sample, int], 'Evidence | None']
# In order: the first that recognises the content decides.
SNIFFERS: tuple[Sniffer, ...] = (
    _fixed_magic, _gguf, _safetensors, _zip, _hdf5, _tar, _compressed,
    _pickle, _onnx, _by_extension, _other,
)
# A file that is text from its first byte to its last can only be in one of
# the text formats (ncnn params, protocol-0 pickles, JSON indexes, XML):
# most files in a repository are, so the binary parsers are skipped.
TEXT_SNIFFERS: tuple[Sniffer, ...] = (_fixed_magic, _pickle, _by_extension)


def sniff_content(name: str, sample: Sample, depth: int = 0) -> Evidence | None:
    """What the content proves, if anything.  Raises ParserBug."""
    all_text = sample.whole and is_text(sample.head)
    for sniffer in TEXT_SNIFFERS if all_text else SNIFFERS:
        try:
            found = sniffer(name, sample, depth)
        except Exception as exc:  # a bug in a parser: never a verdict
            raise ParserBug(name, sniffer.__name__.strip('_'), exc) from exc
        if found is not None:
            return found
    return None


# --- the decision ----------------------------------------------------------

def classify(
        path: str,
        sample: Sample,
        siblings: Collection[str] = (),
        *,
        overrides: Overrides = Overrides(),
        smudged: Sample | None = None,
) -> Verdict:
    """Classify one file from a sample of the bytes being distributed.

    `smudged` is the content a Git LFS pointer stands for, if available.
    Raises ParserBug (with the path) when a parser fails.
    """
    try:
        return _classify_path(path, sample, siblings, overrides, smudged)
    except ParserBug as bug:
        raise ParserBug(path, bug.parser, bug.__cause__ or bug) from bug.__cause__


def _classify_path(
        path: str,
        sample: Sample,
        siblings: Collection[str],
        overrides: Overrides,
        smudged: Sample | None,
) -> Verdict:
    name = path.rpartition('/')[2]
    ignored = glob_match(path, overrides.ignore_patterns)
    if ignored:
        return Verdict(path, False, 'ignored', f'matches --ignore {ignored}')
    pointer = headers.lfs_pointer(sample)
    if pointer is None:
        return _by_content(path, name, sample, siblings, overrides)._replace(
            size=sample.size,
        )
    if smudged is not None and headers.lfs_pointer(smudged) is None:
        inner = _by_content(path, name, smudged, siblings, overrides)
        return inner._replace(
            lfs=True, size=pointer.size,
            evidence=f'{inner.evidence} (the Git LFS object)',
        )
    by_name = _by_name(path, name, siblings, overrides)
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


def _by_name(
        path: str,
        name: str,
        siblings: Collection[str],
        overrides: Overrides,
) -> tuple[str, str] | None:
    """What the names alone say, for content that cannot be looked at."""
    forced = glob_match(path, overrides.weights_patterns)
    if forced:
        return 'weights', f'matches --weights-pattern {forced}'
    return model_folder(path) or name_format(name, siblings) or (
        ('pickle', 'pickle-family name') if is_pickle_name(name) else None
    )


def _by_content(
        path: str,
        name: str,
        sample: Sample,
        siblings: Collection[str],
        overrides: Overrides,
) -> Verdict:
    forced = glob_match(path, overrides.weights_patterns)
    if forced:
        return Verdict(path, True, 'weights', f'matches --weights-pattern {forced}')
    folder = model_folder(path)
    if folder:
        return Verdict(path, True, folder[0], folder[1])
    found = sniff_content(name, sample)
    if found is not None:
        return Verdict(path, found.weights, found.format, found.evidence)
    if is_text(sample.head[:1024]):
        what = 'empty file' if not sample.size else 'text file'
        return Verdict(path, False, 'text', f'{what} with no weight format')
    by_name = name_format(name, siblings)
    if by_name is not None:
        return Verdict(
            path, True, by_name[0], f'{by_name[1]} (binary content, no signature)',
        )
    if is_pickle_name(name):
        return Verdict(path, True, 'pickle', 'pickle-family name (binary content)')
    return Verdict(
        path, False, 'binary',
        'binary content with no weight signature, and not a weight name',
    )
