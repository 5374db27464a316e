"""Whether a text is a copy of a known licence, by hashed shingles.

A fingerprint holds, for one language of a licence, a sample of the hashes
of the k-character shingles of its text (as `text.canonical` reads it), and
denser samples of each clause: those a profile relies on (its duties) and
every top-level clause.  It is not the text: a few hundred 64-bit hashes
can confirm a text one already has, not spell it out.  The share of the
stored hashes found in a candidate is its coverage, overall and per
clause, so that a copy with a clause cut out, or half a copy, is not taken
for the licence.  Versions of one licence (Llama 2 ... 4) also carry, for
each sibling version, the hashes of the text this version has and the
sibling lacks (`distinct`): a copy of Llama 3 covers nearly all of the
Llama 3.1 text, but none of what only 3.1 says.

Only shingles that a plain copy and a Markdown rendering of the reference
both hold are stored (tools/make_licence_fingerprint.py), so that either
kind of copy covers all of them.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import NamedTuple

from ..text import canonical

# Bounded work: a licence text is tens of KiB; much more is not one.
MAX_TEXT_BYTES = 512 << 10

# Measured on the reference copies of every fingerprinted licence and their
# variants (re-flowed, Markdown, UTF-16, PDF text, cut, other versions:
# tests/license/coverage_test.py, docs/profiles.md).  Genuine copies cover
# >= 0.97 overall, >= 0.92 of every clause and all of every distinct set;
# half a copy covers 0.5-0.6 overall and none of its missing clauses; a
# clause cut out leaves <= 0.04 of it; another version covers 0.9-0.99
# overall but 0.00 of the text only this version has.
MIN_COVERAGE = 0.8
MIN_SECTION = 0.7
MIN_DISTINCT = 0.5
# From this overall share on, a text whose distinct share is low is the
# same licence in another version (say so), rather than another licence.
FAMILY = 0.75


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


def shingle_set(normalised: str, k: int) -> set[int]:
    """shingle_hash of every distinct k-character shingle: each hashed once
    (a text that repeats itself costs what it holds, not its length)."""
    blake2b = hashlib.blake2b
    from_bytes = int.from_bytes
    distinct = {normalised[i:i + k] for i in range(len(normalised) - k + 1)}
    return {
        from_bytes(blake2b(s.encode('utf-32-le'), digest_size=8).digest(), 'big')
        for s in distinct
    }


def sample(normalised: str, k: int, modulus: int) -> set[int]:
    return {h for h in shingles(normalised, k) if h % modulus == 0}


def _hashes(values: Any) -> frozenset[int]:
    return frozenset(int(h) for h in values)


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
    # sibling version id -> (its name, the hashes of text it lacks)
    distinct: Mapping[str, tuple[str, frozenset[int]]] = {}
    combined: frozenset[int] = frozenset()  # all of the above: see all_hashes

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fingerprint:
        sections = data.get('sections', {})
        found = cls(
            name=str(data.get('name', 'licence')),
            language=str(data['language']),
            k=int(data['k']),
            modulus=int(data['modulus']),
            hashes=_hashes(data['hashes']),
            sections={str(s): _hashes(hs) for s, hs in sections.items()},
            labels={
                str(s): str(data.get('labels', {}).get(s, s)) for s in sections
            },
            distinct={
                str(s): (str(d['name']), _hashes(d['hashes']))
                for s, d in data.get('distinct', {}).items()
            },
        )
        return found._replace(combined=found.all_hashes())

    def to_json(self) -> dict[str, Any]:
        return {
            'name': self.name,
            'language': self.language,
            'k': self.k,
            'modulus': self.modulus,
            'hashes': sorted(self.hashes),
            'sections': {s: sorted(hs) for s, hs in self.sections.items()},
            'labels': dict(self.labels),
            'distinct': {
                s: {'name': n, 'hashes': sorted(hs)} for s, (n, hs) in self.distinct.items()
            },
        }

    def all_hashes(self) -> frozenset[int]:
        if self.combined:
            return self.combined
        return self.hashes.union(
            *self.sections.values(), *(hs for _, hs in self.distinct.values()),
        )


class FingerprintFile(NamedTuple):
    """A fingerprint file: the licence's name, official digests, fingerprints."""
    name: str
    sha256: Mapping[str, str]  # hex digest -> which official file it is
    fingerprints: tuple[Fingerprint, ...]


def parse_fingerprints(data: Any) -> FingerprintFile:
    """A fingerprint file's JSON; KeyError, TypeError or ValueError if malformed."""
    if not isinstance(data, dict):
        raise TypeError('not a JSON object')
    name = str(data['name'])
    digests = data.get('sha256', {})
    if not isinstance(digests, (dict, list)) or not all(isinstance(d, str) for d in digests):
        raise TypeError('"sha256" must list digests')
    found = digests if isinstance(digests, dict) else dict.fromkeys(digests, name)
    return FingerprintFile(
        name,
        {d.lower(): str(w) for d, w in found.items()},
        tuple(
            Fingerprint.from_json({'name': name, **fp})
            for fp in data.get('fingerprints', ())
        ),
    )


def load_fingerprints(path: str | os.PathLike[str]) -> FingerprintFile:
    with open(path, encoding='utf-8') as f:
        return parse_fingerprints(json.load(f))


class Shingled:
    """A candidate text, read once (`text.canonical`) and hashed once per
    shingle length, against every fingerprint asked about so far: each
    further fingerprint costs set operations, not another pass."""

    def __init__(self, text: str) -> None:
        self.too_large = len(text) > MAX_TEXT_BYTES
        self.canonical = '' if self.too_large else canonical(text)
        self._wanted: dict[int, frozenset[int]] = {}
        self._found: dict[int, set[int]] = {}
        self._sampled: dict[tuple[int, int], int] = {}
        self._expected: dict[int, frozenset[int]] = {}
        self._told: set[int] = set()

    def expect(self, fingerprints: Sequence[Fingerprint]) -> None:
        """Say which fingerprints will be asked about: one pass finds them all."""
        for fp in fingerprints:
            if id(fp) not in self._told:  # a hint only: found() checks
                self._told.add(id(fp))
                self._expected[fp.k] = self._expected.get(fp.k, frozenset()) | fp.all_hashes()

    def found(self, fingerprint: Fingerprint) -> set[int]:
        """The fingerprint's hashes that are in the text."""
        k, wanted = fingerprint.k, fingerprint.all_hashes()
        have = self._wanted.get(k, frozenset())
        if not wanted <= have:
            have = have | wanted | self._expected.get(k, frozenset())
            self._found[k] = shingle_set(self.canonical, k) & have
            self._wanted[k] = have
        return self._found[k] & wanted

    def sampled(self, k: int, modulus: int) -> int:
        """How many distinct shingles of the text a 1-in-modulus sample holds."""
        if (k, modulus) not in self._sampled:
            self._sampled[k, modulus] = sum(
                h % modulus == 0 for h in shingle_set(self.canonical, k))
        return self._sampled[k, modulus]


class Coverage(NamedTuple):
    overall: float  # share of the stored hashes found in the candidate
    sections: Mapping[str, float]
    distinct: Mapping[str, float] = {}

    def lowest_distinct(self) -> tuple[str, float]:
        return min(self.distinct.items(), key=lambda kv: kv[1], default=('', 1.0))


def _share(hashes: frozenset[int], found: set[int]) -> float:
    return len(hashes & found) / len(hashes) if hashes else 1.0


def coverage(text: str | Shingled, fingerprint: Fingerprint) -> Coverage:
    """How much of a fingerprinted licence a text holds."""
    found = (text if isinstance(text, Shingled) else Shingled(text)).found(fingerprint)
    return Coverage(
        _share(fingerprint.hashes, found),
        {s: _share(hs, found) for s, hs in fingerprint.sections.items()},
        {s: _share(hs, found) for s, (_, hs) in fingerprint.distinct.items()},
    )


def within(text: Shingled, fingerprint: Fingerprint) -> float:
    """The share of the text's own (sampled) shingles that are the
    licence's: near 1 for a piece cut from the licence, lower for a text
    that adds or rewrites much (another licence built on this one)."""
    total = text.sampled(fingerprint.k, fingerprint.modulus)
    return len(fingerprint.hashes & text.found(fingerprint)) / total if total else 0.0


def best_match(
        text: str | Shingled, fingerprints: Sequence[Fingerprint],
) -> tuple[Fingerprint, Coverage] | None:
    """The fingerprint the text covers most, with its coverage."""
    shingled = text if isinstance(text, Shingled) else Shingled(text)
    found = [(fp, coverage(shingled, fp)) for fp in fingerprints]
    return max(found, key=lambda pair: pair[1].overall, default=None)


def _percent(share: float) -> str:
    return f'{int(share * 100)}%'  # round down: 99.6% is not 100%


def _missing(fp: Fingerprint, cov: Coverage, min_section: float) -> list[str]:
    """The clauses too little of which is there, innermost only: a clause
    cut out also lowers the top-level clause around it (1.b.iii, not 1)."""
    low = {s for s, share in cov.sections.items() if share < min_section}
    shadowed = {s for s in low if any(d.startswith(s + '.') for d in low)}
    return [
        f'{_clause(fp.labels.get(s, s))} is missing ({_percent(cov.sections[s])} of its text found)'
        for s in cov.sections if s in low - shadowed
    ]


def _clause(label: str) -> str:
    """'clause 1.b.iii', but 'the text before clause 1' and 'Attachment A'."""
    return label if label.startswith(('the ', 'Attachment')) else f'clause {label}'


def recognise(
        text: str | Shingled,
        fingerprints: Sequence[Fingerprint],
        *,
        min_coverage: float = MIN_COVERAGE,
        min_section: float = MIN_SECTION,
        min_distinct: float = MIN_DISTINCT,
) -> tuple[bool, str]:
    """(whether `text` is a complete copy of the licence, why)."""
    shingled = text if isinstance(text, Shingled) else Shingled(text)
    if shingled.too_large:
        return False, 'it is too large to be a licence text'
    match = best_match(shingled, fingerprints)
    if match is None:
        return False, 'no licence fingerprint to compare it with'
    fp, cov = match
    _, distinct = cov.lowest_distinct()
    if cov.overall >= FAMILY and distinct < min_distinct:
        # Every sibling lacks this version's own text: which one it is,
        # the sibling's own fingerprint says (copies.what_licence).
        return False, (
            f'it is another version, not the {fp.name} ({_percent(distinct)} '
            f'of the text only this version has found)'
        )
    if cov.overall < min_coverage:
        if cov.overall < min_coverage / 3:
            return False, (
                f'it is not the {fp.name} ({_percent(cov.overall)} of its text found)'
            )
        return False, f'only {_percent(cov.overall)} of the {fp.name} text is there'
    missing = _missing(fp, cov, min_section)
    if missing:
        return False, '; '.join(missing)
    return True, f'matches {_percent(cov.overall)} of the {fp.name} ({fp.language})'
