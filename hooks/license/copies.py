"""Three questions about a licence candidate, each answered in one place:

- `judge_copy`: is it a copy of a licence at all (licence terms, not a
  placeholder, a reference, filler or part of a known licence)?
- `genuine`: is it a copy of this profile's licence?
- `what_licence`: which licence is it (a profile's, or a common licence)?

Each takes a `Candidate`: one file's content, read once (its text, PDF
text, shingles) and judged once per profile, however many folders and
rules ask (the Judge keeps one per blob for a run).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..text import decoded
from ..text import normalise
from ..tree.sample import small_sample
from ..weights.headers import LFS_POINTER_MAX
from ..weights.headers import lfs_pointer
from . import fingerprint
from . import terms
from .common import common_licence
from .fingerprint import Shingled

if TYPE_CHECKING:
    from .profiles import Profile

PDF_MAGIC = b'%PDF-'
MAX_COPY_BYTES = 4 * 1024 * 1024
# A text that covers this much of a fingerprinted licence, and is nearly
# all that licence's text (fingerprint.within), is cut from it.  Measured
# on the references: half or the first section of a copy is >= 0.90 its
# licence's text (1.00 for most), while the DUIX.COM licence, built on the
# Llama agreements, is at most 0.72 theirs, and a common licence at most
# 0.51 any model licence's.
PART_OF = 0.3
WITHIN = 0.85
TOO_LARGE = 'it is too large to be a licence text'


def is_pdf(data: bytes) -> bool:
    return data.startswith(PDF_MAGIC)


class Candidate:
    """A licence candidate's content, read once, and its judgements."""

    def __init__(self, name: str, data: bytes, size: int | None = None) -> None:
        self.name = name
        self.data = data
        self.size = len(data) if size is None else size
        self._digest: str | None = None
        self._text: tuple[str | None, str] | None = None
        self._shingled: Shingled | None = None
        self._plainly: tuple[str | None] | None = None
        self.genuine: dict[tuple[str, bool], tuple[bool, str]] = {}  # by profile id
        self.copy_problem: dict[tuple[str, ...], str | None] = {}  # by known profiles

    @property
    def digest(self) -> str:
        if self._digest is None:
            self._digest = hashlib.sha256(self.data).hexdigest()
        return self._digest

    def text(self) -> tuple[str | None, str]:
        """(its text, '') or (None, why it cannot be read): a text file as
        editors write it, or a PDF's text (within its limits)."""
        if self._text is None:
            self._text = self._read()
        return self._text

    def _read(self) -> tuple[str | None, str]:
        if len(self.data) > MAX_COPY_BYTES:
            return None, TOO_LARGE
        if is_pdf(self.data):
            from .pdf import pdf_text  # only for a PDF: start-up time
            return pdf_text(self.data)
        if self.name.lower().endswith('.pdf'):
            return None, 'it is not a PDF'
        if len(self.data) > fingerprint.MAX_TEXT_BYTES:
            return None, TOO_LARGE
        return decoded(self.data)

    def shingled(self, text: str, known: Iterable[Profile] = ()) -> Shingled:
        """The text's shingles, found in one pass for every `known` profile."""
        if self._shingled is None:
            self._shingled = Shingled(text)
        for profile in known:
            self._shingled.expect(profile.fingerprints)
        return self._shingled


def text_of(name: str, data: bytes) -> str | None:
    """The text of a licence copy (text file or PDF), or None if unreadable."""
    return Candidate(name, data).text()[0]


def official(candidate: Candidate, known: Iterable[Profile]) -> Profile | None:
    """The profile whose official file this is, by its digest."""
    return next((p for p in known if candidate.digest in p.sha256), None)


def judge_copy(candidate: Candidate, known: Iterable[Profile] = ()) -> str | None:
    """Why this content is not a licence copy, or None if it is one."""
    known = tuple(known)
    key = tuple(p.id for p in known)
    if key not in candidate.copy_problem:
        candidate.copy_problem[key] = _copy_problem(candidate, known)
    return candidate.copy_problem[key]


def plainly_not_a_copy(candidate: Candidate) -> str | None:
    """What the candidate is, if it is plainly not a copy of any licence
    (empty, a Git LFS pointer, unreadable, a placeholder, a reference,
    filler): asked first, with a profile or without."""
    if candidate._plainly is None:
        candidate._plainly = (_plainly(candidate),)
    return candidate._plainly[0]


def _plainly(candidate: Candidate) -> str | None:
    if candidate.size == 0:
        return 'it is empty'
    if candidate.size < LFS_POINTER_MAX and lfs_pointer(small_sample(candidate.data)):
        return 'it is a Git LFS pointer, not the text of a licence'
    text, problem = candidate.text()
    if text is None:
        # A PDF whose text cannot be read here (a scan, damage) is judged
        # by each profile's digests and text; alone, it is undecided.
        return None if is_pdf(candidate.data) and problem != TOO_LARGE else problem
    return terms.not_a_copy(text)


def _copy_problem(candidate: Candidate, known: tuple[Profile, ...]) -> str | None:
    if official(candidate, known) is not None:
        return None
    plainly = plainly_not_a_copy(candidate)
    text, problem = candidate.text()
    if plainly is not None:
        return plainly
    if text is None:
        # Not a known official PDF, and its text cannot be read: undecided,
        # so not a copy (fail closed), saying how to pass.
        return (f'{problem}, so it cannot be told to be a licence: add the licence as '
                f'text too (LICENSE.txt), or name the profile (--profile) if its '
                f'official PDF is known')
    shingled = candidate.shingled(text, known)
    if shingled.too_large:
        return TOO_LARGE
    if what_licence(candidate, known, common=False) is not None:
        return None
    cut = _part_of(shingled, known)
    if cut is not None:
        return cut
    unlike = terms.not_terms(text)
    if unlike is not None and common_licence(text) is not None:
        return None  # a short common licence with no disclaimer (WTFPL)
    return unlike


def _part_of(shingled: Shingled, known: tuple[Profile, ...]) -> str | None:
    """Why a text cut from a known licence is not a copy of it, if it is one:
    the licence it covers most of, of those it is nearly all the text of."""
    cut: list[tuple[bool, float, Profile]] = []
    for profile in known:
        match = fingerprint.best_match(shingled, profile.fingerprints)
        if match is not None and match[1].overall >= PART_OF and (
                fingerprint.within(shingled, match[0]) >= WITHIN):
            # of versions of one licence, the one whose own text it holds
            version = match[1].lowest_distinct()[1] >= fingerprint.MIN_DISTINCT
            cut.append((version, match[1].overall, profile))
    if not cut:
        return None
    _, overall, profile = max(cut, key=lambda found: found[:2])
    if overall < fingerprint.MIN_COVERAGE:
        return (
            f'it is only part of the {profile.name} ({int(overall * 100)}% of '
            f'its text): put the complete text in it'
        )
    _, why = fingerprint.recognise(shingled, profile.fingerprints)
    return f'it is an incomplete copy of the {profile.name} ({why}): put the complete text in it'


def _phrases_match(profile: Profile, text: str) -> bool:
    normalised = normalise(text)
    return any(
        all(normalise(p) in normalised for p in rule) for rule in profile.phrases
    )


def genuine(
        profile: Profile,
        candidate: Candidate,
        known: Iterable[Profile] = (),
        *,
        name_it: bool = True,
) -> tuple[bool, str]:
    """Whether the candidate is a copy of the profile's licence, and why
    (not); a wrong copy is named among the `known` profiles and common
    licences (unless `name_it` is False: only the answer is wanted)."""
    key = (profile.id, name_it)
    if key not in candidate.genuine:
        candidate.genuine[key] = _genuine(profile, candidate, tuple(known), name_it)
    return candidate.genuine[key]


def _recognised(profile: Profile, candidate: Candidate) -> tuple[bool, str]:
    """Whether the candidate is the profile's licence, by its text."""
    if candidate.digest in profile.sha256:
        return True, 'a known official copy (by digest)'
    text, problem = candidate.text()
    if text is None:
        if is_pdf(candidate.data) and problem != TOO_LARGE:
            return False, f'a PDF that is not a known official copy, and {problem}'
        return False, problem
    shingled = candidate.shingled(text)
    if shingled.too_large:
        return False, TOO_LARGE
    if profile.fingerprints:
        return fingerprint.recognise(shingled, profile.fingerprints)
    if profile.phrases:
        plainly = plainly_not_a_copy(candidate)
        if plainly is not None:
            return False, plainly
        if _phrases_match(profile, text):
            return True, 'it has the phrases that identify the licence'
        return False, 'it lacks the phrases that identify the licence'
    return False, 'the profile says no way to recognise a copy'


def _genuine(
        profile: Profile, candidate: Candidate, known: tuple[Profile, ...], name_it: bool,
) -> tuple[bool, str]:
    ok, why = _recognised(profile, candidate)
    if ok or not name_it:
        return ok, why
    found = what_licence(candidate, known, exclude=profile.id)
    if found:
        return False, f'it is {found}, not the {profile.name}'
    return False, why


def what_licence(
        candidate: Candidate,
        known: Iterable[Profile],
        exclude: str = '',
        *,
        common: bool = True,
) -> str | None:
    """Name the licence a candidate is: a profile's (by digest, then by
    text), else (with `common`) a common licence identify knows."""
    others = [p for p in known if p.id != exclude]
    found = official(candidate, others)
    if found is not None:
        return f'the {found.name}'
    text, _ = candidate.text()
    if text is None or candidate.shingled(text, others).too_large:
        return None
    for profile in others:
        if (profile.fingerprints or profile.phrases) and genuine(
                profile, candidate, name_it=False)[0]:
            return f'the {profile.name}'
    spdx = common_licence(text) if common else None
    return f'the {spdx} licence' if spdx else None
