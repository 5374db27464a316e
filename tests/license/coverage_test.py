"""Every fingerprinted profile recognises its licence by text: genuine,
re-flowed, Markdown and UTF-16 copies of the reference pass; half a copy,
its first section, its first six lines, a per-file notice and another
version fail, and the message says why (the figures: docs/profiles.md)."""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

import pytest

from model_license_hooks.license import profiles
from model_license_hooks.license.copies import Candidate
from model_license_hooks.license.copies import genuine
from model_license_hooks.license.copies import plainly_not_a_copy
from model_license_hooks.license.fingerprint import best_match
from model_license_hooks.license.fingerprint import MIN_COVERAGE
from model_license_hooks.license.fingerprint import MIN_DISTINCT
from model_license_hooks.license.fingerprint import MIN_SECTION
from model_license_hooks.license.fingerprint import Shingled
from tests.license import references as refs
from tests.license.references import LLAMAS
from tests.license.references import REFERENCES


@lru_cache(maxsize=None)
def _known() -> dict[str, profiles.Profile]:
    return profiles.available()


def _profile(pid: str) -> profiles.Profile:
    return _known()[pid.partition('/')[0]]


def _judged(pid: str, text: str | bytes) -> tuple[bool, str]:
    data = text.encode('utf-8') if isinstance(text, str) else text
    return genuine(_profile(pid), Candidate('LICENSE', data), _known().values())


def _utf16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode('utf-16-le')


GENUINE = {
    'as published': lambda t: t,
    're-flowed': refs.reflowed,
    'Markdown': refs.markdown,
    'UTF-16 with a BOM': _utf16,
    'CRLF and tabs': lambda t: t.replace('\n', '\r\n').replace('    ', '\t'),
    'with a header of our own': lambda t: 'Our model ships under this licence:\n\n' + t,
}
CUT = {
    'half': refs.half,
    'first section': refs.first_section,
    'first six lines': refs.six_lines,
}


@pytest.mark.parametrize('variant', GENUINE)
@pytest.mark.parametrize('pid', REFERENCES)
def test_a_genuine_copy_is_recognised(pid, variant):
    ok, why = _judged(pid, GENUINE[variant](refs.reference(pid)))
    assert ok, why
    assert why.startswith(('matches ', 'a known official copy'))


@pytest.mark.parametrize('variant', CUT)
@pytest.mark.parametrize('pid', REFERENCES)
def test_a_cut_copy_is_not(pid, variant):
    # (The phrase rules this replaced took the first six lines of the
    # Apache License, or a Llama agreement cut after its first section,
    # for a genuine copy.)
    ok, why = _judged(pid, CUT[variant](refs.reference(pid)))
    assert not ok
    assert re.match(r'only \d+% of the .* text is there|it is not the |.*clause .* is missing', why)


@pytest.mark.parametrize('pid', REFERENCES)
def test_a_per_file_notice_is_not_a_copy(pid):
    notice = refs.per_file_notice(_profile(pid).name)
    ok, why = _judged(pid, notice)
    assert not ok
    assert why.startswith(f'it is not the {_profile(pid).name} (')
    # what the hooks say first, with a profile or without
    problem = plainly_not_a_copy(Candidate('LICENSE', notice.encode()))
    assert problem is not None and problem.startswith('it only names or links a licence')


@pytest.mark.parametrize('pid', ('apache-2.0', 'llama-3.1', 'llama-4', 'tongyi-qianwen'))
def test_the_cases_of_the_issue(pid):
    text = refs.reference(pid)
    assert not _judged(pid, refs.six_lines(text))[0]
    assert not _judged(pid, refs.first_section(text))[0]


@pytest.mark.parametrize('pid', LLAMAS)
def test_a_copy_without_its_notice_clause_fails(pid):
    text = refs.without_line_item(refs.reference(pid), 'iii', 'iv')
    ok, why = _judged(pid, text)
    assert (ok, why) == (False, 'clause 1.b.iii is missing (0% of its text found)')


@pytest.mark.parametrize('other', LLAMAS)
@pytest.mark.parametrize('pid', LLAMAS)
def test_another_llama_version_is_named(pid, other):
    if pid == other:
        return
    ok, why = _judged(pid, refs.reference(other))
    assert not ok
    assert why == f'it is the {_profile(other).name}, not the {_profile(pid).name}'


@pytest.mark.parametrize('pid', REFERENCES)
def test_each_reference_is_its_own_profile_only(pid):
    candidate = Candidate('LICENSE', refs.reference(pid).encode())
    found = [p.id for p in _known().values() if genuine(p, candidate, name_it=False)[0]]
    assert found == [pid.partition('/')[0]]


def _coverage(pid: str, text: str) -> tuple[float, float, float]:
    match = best_match(Shingled(text), _profile(pid).fingerprints)
    assert match is not None
    _, cov = match
    return cov.overall, min(cov.sections.values()), cov.lowest_distinct()[1]


@pytest.mark.parametrize('pid', REFERENCES)
def test_the_margins(pid):
    # What docs/profiles.md reports: genuine copies well above every
    # threshold, cut ones well below one of them.
    text = refs.reference(pid)
    for variant in ('as published', 're-flowed', 'Markdown'):
        overall, clause, distinct = _coverage(pid, GENUINE[variant](text))
        assert overall >= 0.97 and clause >= 0.92 and distinct == 1.0, variant
    overall, clause, _ = _coverage(pid, refs.half(text))
    assert overall < MIN_COVERAGE + 0.05 and clause < MIN_SECTION / 2
    assert 0 < MIN_DISTINCT < MIN_SECTION < MIN_COVERAGE < 1


@pytest.mark.parametrize('pid', LLAMAS)
def test_another_version_holds_none_of_this_versions_own_text(pid):
    for other in LLAMAS:
        if other != pid:
            overall, _, distinct = _coverage(pid, refs.reference(other))
            assert distinct < 0.1 < 0.75 < overall, other  # FAMILY: 'another version'
