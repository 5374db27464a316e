"""Whether a text is a copy of a known licence, by hashed shingles.

A fingerprint holds, for one language of a licence, a sample of the hashes
of the k-character shingles of its normalised text, and denser samples of
the clauses a profile relies on. It is not the text: a few hundred 64-bit
hashes can confirm a text one already has, not spell it out. A candidate
is normalised the same way; the share of the stored hashes found in it is
its coverage, overall and per clause, so that a copy with a duty cut out,
or half a copy, is not taken for the licence.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import signal
import threading
import time
import unicodedata
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from typing import NamedTuple

# Bounded work: a licence text is tens of KiB; much more is not one.
MAX_TEXT_BYTES = 512 << 10
PDF_SECONDS = 3.0  # at most this long reading one PDF's text (real ones: ~1 s)
PDF_MAX_STREAM = 8 << 20  # at most this much inflated from one PDF stream
MAX_PDF_PAGES = 50
PDF_MAGIC = b'%PDF-'

# Measured on the reference copies (tests/licence_text_test.py): genuine
# copies, reflowed or with the licensor and attribution edited, cover >= 0.97
# overall and all of every clause; a copy cut in half covers 0.55-0.58, the
# DUIX.COM licence 0.05. A clause cut out leaves <= 0.04 of it, one with its
# duty sentence cut 0.43-0.64.
MIN_COVERAGE = 0.8
MIN_SECTION = 0.7

# Copies differ in white space (PDF extraction breaks lines anywhere and
# puts stray spaces between CJK characters), in full-width or half-width
# punctuation and digits (NFKC folds those) and in typographic quotes and
# dashes: none of that changes what the licence says, so it is dropped.
_PUNCTUATION = str.maketrans({
    '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'",
    '\u2032': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"',
    '\u201f': '"', '\u2033': '"', '\u00ab': '"', '\u00bb': '"',
    '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-',
    '\u2014': '-', '\u2015': '-', '\u2212': '-', '\ufe58': '-',
    '\u3002': '.',  # ideographic full stop (NFKC keeps it)
})


def normalise(text: str) -> str:
    for _ in range(3):  # dropping spaces can let marks compose: repeat
        text = unicodedata.normalize('NFKC', text).translate(_PUNCTUATION)
        done = ''.join(
            c for c in text.casefold()
            if not c.isspace() and unicodedata.category(c) not in ('Cf', 'Cc')
        )
        if done == text:
            break
        text = done
    return text


def _decode(data: bytes) -> str | None:
    for bom, codec in (
            (b'\xff\xfe\x00\x00', 'utf-32-le'), (b'\x00\x00\xfe\xff', 'utf-32-be'),
            (b'\xef\xbb\xbf', 'utf-8'), (b'\xff\xfe', 'utf-16-le'),
            (b'\xfe\xff', 'utf-16-be'),
    ):
        if data.startswith(bom):
            data = data[len(bom):]
            break
    else:
        codec = 'utf-8'
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return None if '\x00' in text else text


def _pdf_text(data: bytes) -> str | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    import logging  # only with a PDF to read: it costs start-up time
    import pypdf
    log = logging.getLogger('pypdf')
    level = log.level
    log.setLevel(logging.CRITICAL)  # malformed PDFs are reported, not logged
    limits: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    configuration = getattr(pypdf, 'Configuration', None)
    if configuration is not None:  # pypdf 7: its own limits are 75 MB
        names = {f.name for f in dataclasses.fields(configuration)}
        limits = pypdf.apply_configuration(None, **{
            name: PDF_MAX_STREAM for name in names
            if name.endswith('maximum_output_length') or
            name == 'maximum_declared_stream_length'
        })
    try:
        with limits, _time_limit(PDF_SECONDS):
            return _extract(PdfReader, data)
    except Exception:  # pypdf raises many kinds of error on bad input
        return None
    finally:
        log.setLevel(level)


class _TooSlow(BaseException):  # not an Exception: pypdf catches those
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop work that takes too long (SIGALRM: the main thread only)."""
    usable = (
        hasattr(signal, 'setitimer') and
        threading.current_thread() is threading.main_thread()
    )
    if not usable:  # pragma: no cover (not on POSIX or in a thread)
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow()
    start = time.monotonic()
    outer, _ = signal.getitimer(signal.ITIMER_REAL)  # a caller's timer
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # give the caller's timer back what is left of it
            signal.setitimer(
                signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3),
            )


def _extract(reader_class: Any, data: bytes) -> str | None:
    try:
        reader = reader_class(io.BytesIO(data))
        parts: list[str] = []
        size = 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            part = page.extract_text() or ''
            size += len(part)
            if size > MAX_TEXT_BYTES:
                return None
            parts.append(part)
    except _TooSlow:
        raise
    except Exception:  # pypdf raises many kinds of error on bad input
        return None
    text = '\n'.join(parts)
    return text if text.strip() else None


def text_of(name: str, data: bytes) -> str | None:
    """The text of a licence copy (text file or PDF), or None if unreadable.

    PDF text needs the optional pypdf; without it PDFs have no text here
    (they can still be recognised by their digest).
    """
    if len(data) > MAX_TEXT_BYTES:
        return None
    if data.startswith(PDF_MAGIC):
        return _pdf_text(data)
    if name.lower().endswith('.pdf'):
        return None
    return _decode(data)


def shingle_hash(shingle: str) -> int:
    """The stable 64-bit hash of one shingle of normalised text."""
    digest = hashlib.blake2b(shingle.encode('utf-32-le'), digest_size=8).digest()
    return int.from_bytes(digest, 'big')


def shingles(normalised: str, k: int) -> Iterator[int]:
    """shingle_hash of every k-character shingle, in order (repeats included)."""
    data = memoryview(normalised.encode('utf-32-le'))  # 4 bytes a character
    width = 4 * k
    blake2b = hashlib.blake2b
    from_bytes = int.from_bytes
    for i in range(0, len(data) - width + 4, 4):
        yield from_bytes(blake2b(data[i:i + width], digest_size=8).digest(), 'big')


def sample(normalised: str, k: int, modulus: int) -> set[int]:
    return {h for h in shingles(normalised, k) if h % modulus == 0}


class Fingerprint(NamedTuple):
    name: str  # the licence, for messages: 'Duix.Avatar model licence'
    language: str
    k: int
    modulus: int
    hashes: frozenset[int]
    # clause id -> hashes specific to that clause (found nowhere else in it)
    sections: Mapping[str, frozenset[int]]
    # clause id -> how this copy numbers it (the English text differs)
    labels: Mapping[str, str]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fingerprint:
        sections = data.get('sections', {})
        return cls(
            name=str(data.get('name', 'licence')),
            language=str(data['language']),
            k=int(data['k']),
            modulus=int(data['modulus']),
            hashes=frozenset(int(h) for h in data['hashes']),
            sections={
                str(s): frozenset(int(h) for h in hs) for s, hs in sections.items()
            },
            labels={
                str(s): str(data.get('labels', {}).get(s, s)) for s in sections
            },
        )

    def to_json(self) -> dict[str, Any]:
        return {
            'name': self.name,
            'language': self.language,
            'k': self.k,
            'modulus': self.modulus,
            'hashes': sorted(self.hashes),
            'sections': {s: sorted(hs) for s, hs in self.sections.items()},
            'labels': dict(self.labels),
        }

    def all_hashes(self) -> frozenset[int]:
        return self.hashes.union(*self.sections.values())


class FingerprintFile(NamedTuple):
    """A fingerprint file: the licence's name, official digests, fingerprints."""
    name: str
    sha256: Mapping[str, str]  # hex digest -> which official file it is
    fingerprints: tuple[Fingerprint, ...]


def load_fingerprints(path: Path | str) -> FingerprintFile:
    with open(path, encoding='utf-8') as f:
        data = json.load(f)
    name = str(data['name'])
    return FingerprintFile(
        name,
        {str(d).lower(): str(w) for d, w in data.get('sha256', {}).items()},
        tuple(
            Fingerprint.from_json({'name': name, **fp})
            for fp in data.get('fingerprints', ())
        ),
    )


class Coverage(NamedTuple):
    overall: float  # share of the stored hashes found in the candidate
    sections: Mapping[str, float]


def _found(normalised: str, k: int, wanted: frozenset[int]) -> set[int]:
    return {h for h in shingles(normalised, k) if h in wanted}


def _coverage_of(found: set[int], fingerprint: Fingerprint) -> Coverage:
    def share(hashes: frozenset[int]) -> float:
        return len(hashes & found) / len(hashes) if hashes else 1.0

    return Coverage(
        share(fingerprint.hashes),
        {s: share(hs) for s, hs in fingerprint.sections.items()},
    )


def coverage(normalised: str, fingerprint: Fingerprint) -> Coverage:
    """How much of a fingerprinted licence a normalised text holds."""
    found = _found(normalised, fingerprint.k, fingerprint.all_hashes())
    return _coverage_of(found, fingerprint)


def best_match(
        normalised: str, fingerprints: Sequence[Fingerprint],
) -> tuple[Fingerprint, Coverage] | None:
    """The fingerprint the text covers most, with its coverage."""
    by_k: dict[int, list[Fingerprint]] = {}
    for fp in fingerprints:
        by_k.setdefault(fp.k, []).append(fp)
    best: tuple[Fingerprint, Coverage] | None = None
    for k, group in by_k.items():
        found = _found(
            normalised, k, frozenset().union(*(fp.all_hashes() for fp in group)),
        )
        for fp in group:
            cov = _coverage_of(found, fp)
            if best is None or cov.overall > best[1].overall:
                best = fp, cov
    return best


def _percent(share: float) -> str:
    return f'{int(share * 100)}%'  # round down: 99.6% is not 100%


def recognise(
        text: str,
        fingerprints: Sequence[Fingerprint],
        *,
        min_coverage: float = MIN_COVERAGE,
        min_section: float = MIN_SECTION,
) -> tuple[bool, str]:
    """(whether `text` is a complete copy of the licence, why)."""
    if len(text) > MAX_TEXT_BYTES:
        return False, 'it is too large to be a licence text'
    normalised = normalise(text)
    match = best_match(normalised, fingerprints)
    if match is None:
        return False, 'no licence fingerprint to compare it with'
    fp, cov = match
    if cov.overall < min_coverage:
        if cov.overall < min_coverage / 3:
            return False, (
                f'it is not the {fp.name} ({_percent(cov.overall)} of its text found)'
            )
        return False, f'only {_percent(cov.overall)} of the {fp.name} text is there'
    missing = [
        f'clause {fp.labels.get(s, s)} is missing ({_percent(share)} of its text found)'
        for s, share in cov.sections.items() if share < min_section
    ]
    if missing:
        return False, '; '.join(missing)
    return True, f'matches {_percent(cov.overall)} of the {fp.name} ({fp.language})'
