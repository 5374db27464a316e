"""Decide whether a file is model weights, which format, and on what evidence.

Content that proves a format wins; content that proves an ordinary file
(an image, a text file, an archive of text) wins over a weight-like name;
otherwise the name and siblings decide.  An archive that could not be
fully inspected counts as weights (fail closed), and says why.  A parser
that raises is a bug, reported as such (`ParserBug`), never a file let
through.
"""
from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from ..errors import ParserBug
from ..text import is_text
from ..tree.sample import Sample
from . import headers
from .content import Content
from .content import Opener
from .content import sniff
from .names import glob_match
from .names import is_pickle_name
from . import signatures
from .names import Bundle
from .names import bundle_of
from .names import model_name
from .names import name_format
from .names import Overrides


class Verdict(NamedTuple):
    path: str
    weights: bool
    format: str
    evidence: str
    lfs: bool = False
    size: int | None = None  # bytes; for a Git LFS pointer, the size it declares
    uninspected: str = ''  # why the content could not be fully inspected
    model: bool = False  # a model file without learned weights (a graph)


def _none() -> None:
    return None


def classify(
        path: str,
        sample: Sample,
        siblings: Collection[str] = (),
        *,
        overrides: Overrides = Overrides(),
        smudged: Sample | None = None,
        open: Opener = _none,
        open_smudged: Opener = _none,
) -> Verdict:
    """Classify one file from a sample of the bytes being distributed.

    `smudged` is the content a Git LFS pointer stands for, if available;
    `open` and `open_smudged` give random access to the bytes, for
    archives.  Raises ParserBug (with the path) when a parser fails.
    """
    try:
        return _classify_path(path, sample, siblings, overrides, smudged, open, open_smudged)
    except ParserBug as bug:
        raise ParserBug(path, bug.parser, bug.__cause__ or bug) from bug.__cause__


def _classify_path(
        path: str,
        sample: Sample,
        siblings: Collection[str],
        overrides: Overrides,
        smudged: Sample | None,
        open: Opener,
        open_smudged: Opener,
) -> Verdict:
    name = path.rpartition('/')[2]
    ignored = glob_match(path, overrides.ignore_patterns)
    if ignored:
        return Verdict(path, False, 'ignored', f'matches --ignore {ignored}')
    pointer = headers.lfs_pointer(sample)
    if pointer is None:
        content = Content(name, sample, open, siblings=siblings)
        return _by_content(path, content, siblings, overrides)._replace(size=sample.size)
    if smudged is not None and headers.lfs_pointer(smudged) is None:
        content = Content(name, smudged, open_smudged, siblings=siblings)
        inner = _by_content(path, content, siblings, overrides)
        return inner._replace(
            lfs=True, size=pointer.size, evidence=f'{inner.evidence} (the Git LFS object)',
        )
    return _lfs_by_name(path, name, siblings, overrides)._replace(lfs=True, size=pointer.size)


def _lfs_by_name(
        path: str, name: str, siblings: Collection[str], overrides: Overrides,
) -> Verdict:
    """A Git LFS pointer whose object is not here: the names decide, and an
    archive, which may hold anything, counts as weights (fail closed)."""
    by_name = _by_name(path, name, siblings, overrides)
    if by_name is not None:
        return Verdict(path, True, by_name[0], f'Git LFS pointer; {by_name[1]}')
    if signatures.ARCHIVE_NAMES.search(name.lower()):
        why = 'its Git LFS object is not here (git lfs fetch), so its members are unknown'
        return Verdict(
            path, True, 'archive', f'Git LFS pointer to an archive; {why}', uninspected=why,
        )
    by_model_name = model_name(name)
    if by_model_name is not None:
        return Verdict(
            path, False, by_model_name[0], f'Git LFS pointer; {by_model_name[1]}', model=True,
        )
    return Verdict(
        path, False, 'lfs-pointer', 'Git LFS pointer to a file whose name is not a weight name',
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
    bundle = bundle_of(path)
    if bundle is not None and signatures.BUNDLE_WEIGHTS.search(bundle.inner):
        return bundle.format, f'the weights of a {_bundle_kind(bundle)} bundle'
    return name_format(name, siblings) or (
        ('pickle', 'pickle-family name') if is_pickle_name(name) else None
    )


def _by_content(
        path: str,
        content: Content,
        siblings: Collection[str],
        overrides: Overrides,
) -> Verdict:
    name, sample = content.name, content.sample
    forced = glob_match(path, overrides.weights_patterns)
    if forced:
        return Verdict(path, True, 'weights', f'matches --weights-pattern {forced}')
    bundle = bundle_of(path)
    if bundle is not None:
        return _in_bundle(path, bundle, content)
    found = sniff(content)
    if found is not None:
        return Verdict(
            path, found.weights, found.format, found.evidence,
            uninspected=found.uninspected, model=found.model,
        )
    by_name = name_format(name, siblings)
    if by_name is not None and by_name[0] in signatures.HEADERLESS_FORMATS:
        # Raw tensor bytes can be anything, text-like included.
        return Verdict(path, True, by_name[0], f'{by_name[1]} (headerless format)')
    if reads_as_text(sample):
        what = 'empty file' if not sample.size else 'text file'
        return Verdict(path, False, 'text', f'{what} with no weight format')
    if by_name is not None:
        return Verdict(
            path, True, by_name[0], f'{by_name[1]} (binary content, no signature)',
        )
    if is_pickle_name(name):
        return Verdict(path, True, 'pickle', 'pickle-family name (binary content)')
    by_model_name = model_name(name)
    if by_model_name is not None:
        return Verdict(path, False, by_model_name[0], by_model_name[1], model=True)
    return Verdict(
        path, False, 'binary',
        'binary content with no weight signature, and not a weight name',
    )


def _bundle_kind(bundle: Bundle) -> str:
    return bundle.path.rpartition('.')[2]


def _in_bundle(path: str, bundle: Bundle, content: Content) -> Verdict:
    """A file of a bundle: its weights files, or content that proves
    weights, are weights; the rest describes the model."""
    kind = _bundle_kind(bundle)
    if signatures.BUNDLE_WEIGHTS.search(bundle.inner):
        return Verdict(path, True, bundle.format, f'the weights of a {kind} bundle')
    found = sniff(content)
    if found is not None and found.weights:
        return Verdict(path, True, found.format, f'{found.evidence}, in a {kind} bundle',
                       uninspected=found.uninspected)
    return Verdict(path, False, bundle.format, f'part of a {kind} bundle', model=True)


def reads_as_text(sample: Sample) -> bool:
    """Text by its first KiB, which decodes as UTF-8; a large file must also
    have lines (raw tensor bytes can avoid control bytes for a long way)."""
    head = sample.head[:1024]
    if not is_text(head):
        return False
    try:
        head.decode('utf-8')
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end
            return False
    return sample.size <= 4096 or b'\n' in sample.head[:4096]
