from __future__ import annotations

import hashlib
import json
import re
import textwrap
from functools import lru_cache
from pathlib import Path

import pytest

from model_license_hooks.license import fingerprint
from model_license_hooks.license.copies import text_of
from model_license_hooks.license.fingerprint import coverage
from model_license_hooks.license.fingerprint import Fingerprint
from model_license_hooks.license.fingerprint import load_fingerprints
from model_license_hooks.license.fingerprint import MAX_TEXT_BYTES
from model_license_hooks.license.fingerprint import MIN_COVERAGE
from model_license_hooks.license.fingerprint import MIN_SECTION
from model_license_hooks.license.fingerprint import recognise
from model_license_hooks.text import canonical
from model_license_hooks.text import normalise
from tests.license.references import AVATAR_FP
from tests.license.references import DUIX_COM_FP
from tests.license.references import EN_PDF
from tests.license.references import EN_TXT
from tests.license.references import REPO
from tests.license.references import read as _read
from tests.license.references import shared_duix as _shared_duix
from tests.license.references import text as _text
from tests.license.references import ZH_PDF
from tests.license.references import reference
from tests.license.references import REFERENCES
from tests.license.references import ZH_TXT


# Our own permissive licence, in the style of MIT (not its text).
MIT_LIKE = textwrap.dedent('''\
    Example Permissive Licence

    Copyright 2026 Example Models

    Anyone who receives a copy of these model weights and the files that come
    with them may use, copy, change, merge, publish, share, sublicense or sell
    them, free of charge, as long as this notice travels with every copy or
    substantial part. The weights come as they are, with no warranty of any
    kind; the authors are not liable for any claim arising from their use.
''')


NAMES_IT = (
    'This model is released under the Duix.Avatar model community licence; '
    'see https://github.com/duixcom/Duix-Avatar for the full text.\n'
)


@lru_cache(maxsize=None)
def _fingerprints(path: Path = AVATAR_FP) -> tuple[Fingerprint, ...]:
    return load_fingerprints(path).fingerprints


@lru_cache(maxsize=None)
def _pdf_text(name: str) -> str | None:
    return text_of(name, _read(name))


def _find(lines: list[str], pattern: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if re.match(pattern, normalise(lines[i])):
            return i
    raise AssertionError(f'no line matching {pattern!r} after line {start}')


def _clause(language: str, clause: str) -> tuple[list[str], int, int]:
    """(lines, first line, end line) of one clause the profile relies on."""
    if language == 'en':
        lines = _text(EN_TXT).splitlines()
        if clause == '2.4':  # the paragraph closing 2.3
            start, end = _find(lines, r'2\.3\.'), _find(lines, r'2\.4\.')
            start = max(i for i in range(start, end) if not lines[i].strip())
        elif clause == '2.5':
            start = _find(lines, r'2\.4\.')
            end = _find(lines, r'3\.$', start)
        else:
            chapter = _find(lines, r'6\.$')
            start = _find(lines, re.escape(clause) + r'\.', chapter)
            end = _find(lines, r'6\.2\.|7\.$', start + 1)
    else:
        lines = _text(ZH_TXT).splitlines()
        first, end_chapter = {'2': ('二、', '三、'), '6': ('六、', '七、')}[clause[0]]
        chapter = _find(lines, first)
        start = _find(lines, clause[2] + r'\.', chapter)
        end = _find(lines, rf'{int(clause[2]) + 1}\.|{end_chapter}', start + 1)
    return lines, start, end


def without_clause(language: str, clause: str) -> str:
    lines, start, end = _clause(language, clause)
    return '\n'.join(lines[:start] + lines[end:])


def reflowed(text: str, width: int = 57) -> str:
    return textwrap.fill(' '.join(text.split()), width)


def reflowed_cjk(text: str, width: int = 37) -> str:
    # pdftotext's stray spaces between CJK characters go, lines break anywhere
    flat = ''.join(text.split())
    return '\n'.join(flat[i:i + width] for i in range(0, len(flat), width))


TO_FULL_WIDTH = str.maketrans({
    ',': '\uff0c', '(': '\uff08', ')': '\uff09', ':': '\uff1a', ';': '\uff1b',
    '"': '\uff02', '0': '\uff10', '7': '\uff17', '.': '\uff0e',
})


TO_HALF_WIDTH = str.maketrans({
    '\uff0c': ',', '\uff08': '(', '\uff09': ')', '\uff1a': ':', '\uff1b': ';',
    '\u3002': '.', '\u201c': '"', '\u201d': '"',
})


LICENSOR_PLACEHOLDER = {'en': 'Our Company', 'zh': '我司'}


def edited(language: str, everywhere: bool) -> str:
    """The licensor line replaced, the attribution string changed."""
    text = _text(EN_TXT if language == 'en' else ZH_TXT)
    lines = [
        'Licensor: Example Guiji Intelligence Ltd. (guiji.cn),'
        if LICENSOR_PLACEHOLDER[language] in line else line
        for line in text.splitlines()
    ]
    text = '\n'.join(lines)
    if everywhere:
        return text.replace('Duix.Avatar', 'Duix.Avatar/guiji.cn')
    quotes = ('"', '"') if language == 'en' else ('\u201c', '\u201d')
    q1, q2 = quotes
    assert f'{q1}Duix.Avatar{q2}' in text
    return text.replace(f'{q1}Duix.Avatar{q2}', f'{q1}Duix.Avatar/guiji.cn{q2}')


GENUINE = {
    'en official': lambda: _text(EN_TXT),
    'zh official': lambda: _text(ZH_TXT),
    'en reflowed': lambda: reflowed(_text(EN_TXT)),
    'zh reflowed': lambda: reflowed_cjk(_text(ZH_TXT)),
    'en full-width punctuation': lambda: _text(EN_TXT).translate(TO_FULL_WIDTH),
    'zh half-width punctuation': lambda: reflowed_cjk(_text(ZH_TXT)).translate(TO_HALF_WIDTH),
    'en licensor + attribution': lambda: edited('en', everywhere=False),
    'zh licensor + attribution': lambda: edited('zh', everywhere=False),
    'en licensor + every Duix.Avatar': lambda: edited('en', everywhere=True),
    'zh licensor + every Duix.Avatar': lambda: edited('zh', everywhere=True),
    'en crlf, tabs': lambda: _text(EN_TXT).replace('\n', '\r\n').replace(' ', '\t'),
    'en and zh in one file': lambda: _text(EN_TXT) + '\n\n' + _text(ZH_TXT),
}


@pytest.mark.parametrize('case', GENUINE)
def test_genuine_variants_pass(case):
    text = GENUINE[case]()
    ok, why = recognise(text, _fingerprints())
    assert ok, why
    assert why.startswith('matches ') and 'Duix.Avatar model licence' in why


@pytest.mark.parametrize('language', ('en', 'zh'))
def test_reference_covers_nearly_all_of_itself(language):
    text = _text(EN_TXT if language == 'en' else ZH_TXT)
    fp = {f.language: f for f in _fingerprints()}[
        'English' if language == 'en' else 'Chinese'
    ]
    cov = coverage(text, fp)
    assert cov.overall > 0.95  # the Chinese page numbers break a few shingles
    duties = {'2.4', '2.5', '6.1', '6.2'}
    # the duties, and the preamble and every chapter (8 in English, 7 in Chinese)
    chapters = {str(n) for n in range(1, 9 if language == 'en' else 8)}
    assert set(cov.sections) == duties | chapters | ({'preamble'} if language == 'en' else set())
    assert all(cov.sections[d] == 1.0 for d in duties)
    assert min(cov.sections.values()) > 0.95


@pytest.mark.parametrize('language', ('en', 'zh'))
def test_first_half_fails(language):
    text = _text(EN_TXT if language == 'en' else ZH_TXT)
    ok, why = recognise(text[:len(text) // 2], _fingerprints())
    assert not ok
    assert re.fullmatch(r'only \d+% of the Duix\.Avatar model licence text is there', why)


@pytest.mark.parametrize(
    ('language', 'clause', 'label'),
    (
        ('en', '2.4', '2.3 (closing paragraph)'), ('en', '2.5', '2.4'),
        ('en', '6.1', '6.1'), ('en', '6.2', '6.2'),
        ('zh', '2.4', '二.4'), ('zh', '2.5', '二.5'),
        ('zh', '6.1', '六.1'), ('zh', '6.2', '六.2'),
    ),
)
def test_copy_without_a_clause_fails(language, clause, label):
    text = without_clause(language, clause)
    ok, why = recognise(text, _fingerprints())
    assert not ok
    assert re.fullmatch(
        rf'clause {re.escape(label)} is missing \(\d+% of its text found\)', why,
    )
    # the rest is all there: only the clause check catches it
    fp = max(_fingerprints(), key=lambda f: coverage(text, f).overall)
    cov = coverage(text, fp)
    assert cov.overall >= MIN_COVERAGE
    assert cov.sections[clause] < 0.1


def test_modifications_duty_removed_also_reflowed():
    ok, why = recognise(reflowed(without_clause('en', '2.5')), _fingerprints())
    assert (ok, why) == (False, 'clause 2.4 is missing (0% of its text found)')


def test_duix_com_licence_is_another_agreement():
    text = _text('LICENSE')
    ok, why = recognise(text, _fingerprints())
    assert not ok
    assert why.startswith('it is not the Duix.Avatar model licence')
    assert max(coverage(text, f).overall for f in _fingerprints()) < 0.15
    # ... which its own fingerprint recognises, sections and all
    duix_com = load_fingerprints(DUIX_COM_FP)
    assert recognise(text, duix_com.fingerprints)[0]
    assert recognise(reflowed(text), duix_com.fingerprints)[0]
    cut = re.sub(r'\n\t\tiii\..*', '', text)
    assert cut != text
    assert recognise(cut, duix_com.fingerprints) == (
        False, 'clause 1.b.iii is missing (0% of its text found)',
    )
    for language in ('en', 'zh'):
        genuine = _text(EN_TXT if language == 'en' else ZH_TXT)
        assert not recognise(genuine, duix_com.fingerprints)[0]


@pytest.mark.parametrize(
    'text', (MIT_LIKE, NAMES_IT, MIT_LIKE * 40, 'Duix.Avatar\n'),
    ids=('mit-like', 'names-it', 'mit-like-x40', 'bare-name'),
)
def test_other_texts_fail(text):
    ok, why = recognise(text, _fingerprints())
    assert not ok
    assert why.startswith('it is not the Duix.Avatar model licence ('), why
    assert max(coverage(text, f).overall for f in _fingerprints()) < 0.05


def test_recognise_without_fingerprints_or_too_large():
    assert recognise('anything', ()) == (False, 'no licence fingerprint to compare it with')
    huge = 'x' * (MAX_TEXT_BYTES + 1)
    assert recognise(huge, _fingerprints()) == (
        False, 'it is too large to be a licence text',
    )


def test_thresholds_are_parameters():
    half = _text(EN_TXT)[:len(_text(EN_TXT)) // 2]
    assert not recognise(half, _fingerprints(), min_coverage=0.5)[0]  # 6.x gone
    assert recognise(half, _fingerprints(), min_coverage=0.5, min_section=0)[0]
    text = without_clause('zh', '2.5')
    assert recognise(text, _fingerprints(), min_section=0.0)[0]
    assert 0 < MIN_SECTION < 1 and 0 < MIN_COVERAGE < 1


def _readme_digests() -> dict[str, str]:
    readme = (_shared_duix() / 'README.md').read_text(encoding='utf-8')
    return dict(
        (m.group(1), m.group(2))
        for m in re.finditer(r'^\| `([^`]+)` \|.*\| ([0-9a-f]{64}) \|$', readme, re.M)
    )


@pytest.mark.parametrize('name', (EN_PDF, ZH_PDF))
def test_official_pdfs_known_by_digest(name):
    digest = hashlib.sha256(_read(name)).hexdigest()
    assert _readme_digests()[name] == digest
    assert digest in load_fingerprints(AVATAR_FP).sha256


def test_duix_com_licence_digest():
    digest = hashlib.sha256(_read('LICENSE')).hexdigest()
    assert _readme_digests()['LICENSE'] == digest
    assert digest in load_fingerprints(DUIX_COM_FP).sha256


@pytest.mark.parametrize(('name', 'language'), ((EN_PDF, 'English'), (ZH_PDF, 'Chinese')))
def test_official_pdfs_by_extracted_text(name, language):
    pytest.importorskip('pypdf')
    text = _pdf_text(name)
    assert text is not None
    ok, why = recognise(text, _fingerprints())
    assert ok, why
    assert why.endswith(f'({language})')
    fp = {f.language: f for f in _fingerprints()}[language]
    cov = coverage(text, fp)
    assert cov.overall > 0.9
    assert all(cov.sections[d] == 1.0 for d in ('2.4', '2.5', '6.1', '6.2'))
    assert min(cov.sections.values()) > 0.9  # pdf text breaks a few lines


def test_normalise_makes_reflowing_invisible():
    text = _text(EN_TXT)
    assert normalise(reflowed(text, 30)) == normalise(text)
    zh = _text(ZH_TXT)
    assert normalise(reflowed_cjk(zh).translate(TO_HALF_WIDTH)) == normalise(zh)


def test_fingerprint_json_round_trip():
    data = json.loads(AVATAR_FP.read_text(encoding='utf-8'))
    for entry in data['fingerprints']:
        fp = Fingerprint.from_json({'name': data['name'], **entry})
        again = Fingerprint.from_json(fp.to_json())
        assert again == fp
        assert 100 <= len(fp.hashes) <= 1000  # a sample, not every shingle
        assert all(h % fp.modulus == 0 for h in fp.hashes)
        assert set(fp.sections) == set(fp.labels) >= {'2.4', '2.5', '6.1', '6.2'}
        assert all(len(hs) >= 8 for hs in fp.sections.values())
        assert set(entry['duty_sections']) == {'2.4', '2.5', '6.1', '6.2'}
    assert [f['language'] for f in data['fingerprints']] == ['English', 'Chinese']


def test_shingles_match_shingle_hash():
    text = normalise('Duix 许可协议 abcdefghijklmnop')
    assert list(fingerprint.shingles(text, 5)) == [
        fingerprint.shingle_hash(text[i:i + 5]) for i in range(len(text) - 4)
    ]
    assert list(fingerprint.shingles('abc', 5)) == []


def _our_text(path: Path) -> str:
    """A file's text as the test compares it: for a profile, less what it
    may quote: the licence's names, short identifying phrases and the
    sentences the licence requires (NOTICE, attribution); and no URLs."""
    text = path.read_text(encoding='utf-8')
    if path.parent.name == 'profiles' and not path.name.endswith('.fingerprint.json'):
        data = json.loads(text)
        for key in ('name', 'aliases', 'hf', 'notice', 'attribution', 'display'):
            data.pop(key, None)  # names, identifiers and required strings
        data.get('copy', {}).pop('phrases', None)
        text = json.dumps(data, ensure_ascii=False)
    # addresses (where to get a licence, its use policy) name it, they are not its terms
    return re.sub(r'(?:https?://|www\.)[^\s"\')]+', '|', text)


def _quotable() -> list[str]:
    """What the project may quote of a licence, normalised: the licences'
    names and the strings and sentences they require (from the profiles)."""
    from model_license_hooks.license import profiles
    found = set()
    for p in profiles.available().values():
        found.update((p.name, *p.aliases, *p.statement, *p.strings, *p.display))
        if p.notice is not None:
            found.add(p.notice.text)
    return sorted((normalise(t) for t in found if t), key=len, reverse=True)


def test_our_files_hold_no_licence_text():
    # No run of 32 normalised characters from a reference licence appears in
    # any file the project ships or documents (tests quote required
    # sentences, such as a NOTICE line, to check them).
    window = 32
    # every reference a fingerprint is built from, as written and as the
    # recognisers read it (Markdown stripped)
    texts = [reference(pid) for pid in REFERENCES]
    references = [normalise(t) for t in texts] + [canonical(t) for t in texts]
    grams = {r[i:i + window] for r in references for i in range(len(r) - window + 1)}
    ours_files = [
        p for folder in ('hooks', 'tools', 'docs', 'bench')
        for p in sorted((REPO / folder).rglob('*'))
        if p.is_file() and p.suffix in ('.py', '.json', '.md', '.txt', '.toml')
    ]
    quoted = _quotable()
    for path in ours_files + [REPO / 'README.md']:
        ours = normalise(_our_text(path))
        for allowed in quoted:  # names and required sentences, not terms
            ours = ours.replace(allowed, '|')
        leaked = [ours[i:i + window] for i in range(len(ours) - window + 1)
                  if ours[i:i + window] in grams]
        assert not leaked, f'{path.name}: {leaked[:3]}'
