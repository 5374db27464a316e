from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import sys
import textwrap
from functools import lru_cache
from pathlib import Path

import pytest

from hooks import licence_text
from hooks.licence_text import coverage
from hooks.licence_text import Fingerprint
from hooks.licence_text import load_fingerprints
from hooks.licence_text import MAX_TEXT_BYTES
from hooks.licence_text import MIN_COVERAGE
from hooks.licence_text import MIN_SECTION
from hooks.licence_text import normalise
from hooks.licence_text import recognise
from hooks.licence_text import text_of

REPO = Path(__file__).resolve().parents[1]
PROFILES = REPO / 'hooks' / 'profiles'
AVATAR_FP = PROFILES / 'duix-avatar.fingerprint.json'
DUIX_COM_FP = PROFILES / 'duix-com.fingerprint.json'

EN_TXT = 'Duix.Avatar model community Licensing Agreement.pdftotext.txt'
ZH_TXT = 'Duix.Avatar model community Licensing Agreement_zh.pdftotext.txt'
EN_PDF = 'Duix.Avatar model community Licensing Agreement.pdf'
ZH_PDF = 'Duix.Avatar model community Licensing Agreement_zh.pdf'

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


def _shared_duix() -> Path:
    env = os.environ.get('MLH_SHARED_DIR')
    base = Path(env) if env else REPO.parent / 'shared'
    for folder in (base / 'licenses' / 'duix', base):
        if (folder / EN_TXT).is_file():
            return folder
    pytest.skip('the reference licence copies (shared/licenses/duix) are not here')


@lru_cache(maxsize=None)
def _read(name: str) -> bytes:
    return (_shared_duix() / name).read_bytes()


def _text(name: str) -> str:
    return _read(name).decode('utf-8')


@lru_cache(maxsize=None)
def _fingerprints(path: Path = AVATAR_FP) -> tuple[Fingerprint, ...]:
    return load_fingerprints(path).fingerprints


@lru_cache(maxsize=None)
def _pdf_text(name: str) -> str | None:
    return text_of(name, _read(name))


# Variants of the reference texts, built here. Clauses are found by their
# numbering (matched on normalised lines), never by their wording.

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
    cov = coverage(normalise(text), fp)
    assert cov.overall > 0.95  # the Chinese page numbers break a few shingles
    assert set(cov.sections) == {'2.4', '2.5', '6.1', '6.2'}
    assert all(share == 1.0 for share in cov.sections.values())


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
    fp = max(_fingerprints(), key=lambda f: coverage(normalise(text), f).overall)
    cov = coverage(normalise(text), fp)
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
    assert max(coverage(normalise(text), f).overall for f in _fingerprints()) < 0.15
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
    assert max(coverage(normalise(text), f).overall for f in _fingerprints()) < 0.05


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


# The official PDFs.

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
    cov = coverage(normalise(text), fp)
    assert cov.overall > 0.9
    assert min(cov.sections.values()) == 1.0


def test_pdf_without_pypdf(monkeypatch):
    data = _read(EN_PDF)
    monkeypatch.setitem(sys.modules, 'pypdf', None)  # import pypdf fails
    assert text_of(EN_PDF, data) is None
    assert text_of('LICENSE', data) is None  # PDF by content, not by name
    assert hashlib.sha256(data).hexdigest() in load_fingerprints(AVATAR_FP).sha256


def test_broken_pdf():
    pytest.importorskip('pypdf')
    assert text_of('x.pdf', b'%PDF-1.7\n garbage \n%%EOF\n') is None
    assert text_of('x.pdf', _read(EN_PDF)[:2000]) is None


# normalise and text_of

def test_normalise():
    assert normalise('ＡＢＣ １２３，（ｘ）：；') == 'abc123,(x):;'
    assert normalise('Foo\u00a0 Bar\r\n\tBAZ\u3000\u200bqux\u00ad') == 'foobarbazqux'
    quoted = '\u201cquoted\u201d \u2018it\u2019s\u2019 a\u2014b\u2013c'
    assert normalise(quoted) == '"quoted"\'it\'s\'a-b-c'
    assert normalise('句号。逗号，') == '句号.逗号,'
    assert normalise('许 可 方 是 ：\n我 司') == '许可方是:我司'
    assert normalise('STRASSE Straße') == 'strassestrasse'


def test_normalise_makes_reflowing_invisible():
    text = _text(EN_TXT)
    assert normalise(reflowed(text, 30)) == normalise(text)
    zh = _text(ZH_TXT)
    assert normalise(reflowed_cjk(zh).translate(TO_HALF_WIDTH)) == normalise(zh)


@pytest.mark.parametrize(
    ('data', 'expected'),
    (
        (b'plain text\n', 'plain text\n'),
        (codecs.BOM_UTF8 + 'caf\u00e9 许可'.encode(), 'caf\u00e9 许可'),
        (codecs.BOM_UTF16_LE + 'licence 许可'.encode('utf-16-le'), 'licence 许可'),
        (codecs.BOM_UTF16_BE + 'licence 许可'.encode('utf-16-be'), 'licence 许可'),
        (codecs.BOM_UTF32_LE + 'wide'.encode('utf-32-le'), 'wide'),
        (b'\xc3\x28 invalid', None),
        (b'caf\xe9 latin-1', None),
        (codecs.BOM_UTF16_LE + b'\x00\xd8', None),  # lone surrogate
        (b'nul\x00inside', None),
        ('licence 许可'.encode('utf-16-le'), None),  # UTF-16 needs its BOM
        (b'', ''),
    ),
)
def test_text_of(data, expected):
    assert text_of('LICENSE', data) == expected


def test_text_of_pdf_name_without_pdf():
    assert text_of('Licence.pdf', b'just text') is None
    assert text_of('LICENSE', b'x' * (MAX_TEXT_BYTES + 1)) is None


def test_fingerprint_json_round_trip():
    data = json.loads(AVATAR_FP.read_text(encoding='utf-8'))
    for entry in data['fingerprints']:
        fp = Fingerprint.from_json({'name': data['name'], **entry})
        again = Fingerprint.from_json(fp.to_json())
        assert again == fp
        assert 100 <= len(fp.hashes) <= 1000  # a sample, not every shingle
        assert all(h % fp.modulus == 0 for h in fp.hashes)
        assert set(fp.sections) == set(fp.labels) == {'2.4', '2.5', '6.1', '6.2'}
        assert all(len(hs) >= 8 for hs in fp.sections.values())
    assert [f['language'] for f in data['fingerprints']] == ['English', 'Chinese']


def test_shingles_match_shingle_hash():
    text = normalise('Duix 许可协议 abcdefghijklmnop')
    assert list(licence_text.shingles(text, 5)) == [
        licence_text.shingle_hash(text[i:i + 5]) for i in range(len(text) - 4)
    ]
    assert list(licence_text.shingles('abc', 5)) == []


def test_our_files_hold_no_licence_text():
    # No run of 32 normalised characters from a reference licence appears in
    # the fingerprint files, the module or the generator.
    window = 32
    references = [normalise(_text(n)) for n in (EN_TXT, ZH_TXT, 'LICENSE')]
    grams = {r[i:i + window] for r in references for i in range(len(r) - window + 1)}
    for path in (
            AVATAR_FP, DUIX_COM_FP, REPO / 'hooks' / 'licence_text.py',
            REPO / 'tools' / 'make_licence_fingerprint.py',
    ):
        ours = normalise(path.read_text(encoding='utf-8'))
        leaked = [ours[i:i + window] for i in range(len(ours) - window + 1)
                  if ours[i:i + window] in grams]
        assert not leaked, f'{path.name}: {leaked[:3]}'
