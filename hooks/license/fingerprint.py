"""Whether a text is a copy of a known licence, by hashed shingles.

A fingerprint holds, for one language of a licence, a sample of the hashes
of the k-character shingles of its normalised text (`text.normalise`), and
denser samples of the clauses a profile relies on.  It is not the text: a
few hundred 64-bit hashes can confirm a text one already has, not spell it
out.  The share of the stored hashes found in a candidate is its
coverage, overall and per clause, so that a copy with a duty cut out, or
half a copy, is not taken for the licence.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
import os
from typing import Any
from typing import NamedTuple

from ..text import normalise

# Bounded work: a licence text is tens of KiB; much more is not one.
MAX_TEXT_BYTES = 512 << 10

# Measured on the reference copies (tests/license/fingerprint_test.py):
# genuine copies, reflowed or with the licensor and attribution edited,
# cover >= 0.97 overall and all of every clause; a copy cut in half covers
# 0.55-0.58, the DUIX.COM licence 0.05. A clause cut out leaves <= 0.04 of
# it, one with its duty sentence cut 0.43-0.64.
MIN_COVERAGE = 0.8
MIN_SECTION = 0.7


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


def load_fingerprints(path: str | os.PathLike[str]) -> FingerprintFile:
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
