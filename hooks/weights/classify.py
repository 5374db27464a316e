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
        return _by_content(path, Content(name, sample, open), siblings, overrides)._replace(
            size=sample.size,
        )
    if smudged is not None and headers.lfs_pointer(smudged) is None:
        inner = _by_content(path, Content(name, smudged, open_smudged), siblings, overrides)
        return inner._replace(
            lfs=True, size=pointer.size, evidence=f'{inner.evidence} (the Git LFS object)',
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
        content: Content,
        siblings: Collection[str],
        overrides: Overrides,
) -> Verdict:
    name, sample = content.name, content.sample
    forced = glob_match(path, overrides.weights_patterns)
    if forced:
        return Verdict(path, True, 'weights', f'matches --weights-pattern {forced}')
    folder = model_folder(path)
    if folder:
        return Verdict(path, True, folder[0], folder[1])
    found = sniff(content)
    if found is not None:
        return Verdict(
            path, found.weights, found.format, found.evidence,
            uninspected=found.uninspected, model=found.model,
        )
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
