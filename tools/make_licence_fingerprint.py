"""Write the licence fingerprints in hooks/license/profiles/ from reference copies.

    python tools/make_licence_fingerprint.py DIR
    python tools/make_licence_fingerprint.py EN.pdftotext.txt ZH.pdftotext.txt \\
        EN.pdf ZH.pdf LICENSE

DIR holds the reference copies of the Duix.Avatar licences (the
`*.pdftotext.txt` extractions, the two PDFs and the DUIX.COM LICENSE). The
output holds only hashes and digests: no licence text. Clause boundaries are
found by the clauses' numbering in the reference texts, never by their words.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from model_license_hooks.license.fingerprint import sample
from model_license_hooks.license.fingerprint import shingles
from model_license_hooks.text import normalise

PROFILES = Path(__file__).resolve().parents[1] / 'hooks' / 'license' / 'profiles'
K = 12
# Whole-text sample: one shingle in MODULUS, a few hundred hashes per text.
MODULUS = {'en': 32, 'zh': 16}
# Clauses are short, so they are sampled more densely.
SECTION_MODULUS = 4

EN_TXT = 'Duix.Avatar model community Licensing Agreement.pdftotext.txt'
ZH_TXT = 'Duix.Avatar model community Licensing Agreement_zh.pdftotext.txt'
EN_PDF = 'Duix.Avatar model community Licensing Agreement.pdf'
ZH_PDF = 'Duix.Avatar model community Licensing Agreement_zh.pdf'
DUIX_COM = 'LICENSE'

AVATAR_NAME = 'Duix.Avatar model licence'
DUIX_COM_NAME = 'DUIX.COM community licence'
DUTIES = {
    '2.4': 'pass on a copy of the agreement and the source of the model',
    '2.5': 'state modifications prominently',
    '6.1': 'mark open-sourced derivatives',
    '6.2': 'mark derivatives entered in rankings',
}

Lines = list[str]
ZH_CHAPTER = re.compile(r'^([一二三四五六七八九十]+)、')
ZH_ITEM = re.compile(r'^(\d)\.')
EN_CHAPTER = re.compile(r'^(\d)\.$')
EN_ITEM = re.compile(r'^(\d\.\d)\.')
PAGE_NUMBER = re.compile(r'^\s*\d+\s*$')


def _lines(path: Path) -> Lines:
    # pdftotext puts page numbers on lines of their own: not licence text.
    return [
        line for line in path.read_text(encoding='utf-8').splitlines()
        if not PAGE_NUMBER.match(line)
    ]


def _index(lines: Lines, start: int, test: Callable[[str], bool]) -> int:
    for i in range(start, len(lines)):
        if test(normalise(lines[i])):
            return i
    raise SystemExit(f'reference text has an unexpected layout (from line {start})')


def _heading(pattern: re.Pattern[str], value: str) -> Callable[[str], bool]:
    def test(line: str) -> bool:
        m = pattern.match(line)
        return m is not None and m.group(1) == value
    return test


def _blank(line: str) -> bool:
    return not line


def _text(lines: Lines) -> str:
    return normalise('\n'.join(lines))


def _zh_parts(lines: Lines) -> tuple[list[str], dict[str, str]]:
    """(the agreement without the application form, the clauses by id)."""
    ch2 = _index(lines, 0, _heading(ZH_CHAPTER, '二'))
    ch3 = _index(lines, ch2, _heading(ZH_CHAPTER, '三'))
    ch6 = _index(lines, ch3, _heading(ZH_CHAPTER, '六'))
    ch7 = _index(lines, ch6, _heading(ZH_CHAPTER, '七'))
    i4 = _index(lines, ch2, _heading(ZH_ITEM, '4'))
    i5 = _index(lines, i4, _heading(ZH_ITEM, '5'))
    i61 = _index(lines, ch6, _heading(ZH_ITEM, '1'))
    i62 = _index(lines, i61, _heading(ZH_ITEM, '2'))
    # The application form (a table, extracted differently by every tool)
    # runs from the end of appendix item (1) to item (2).
    form_item = re.compile(r'^\((\d)\)')
    item1 = _index(lines, ch7, _heading(form_item, '1'))
    form = _index(lines, item1, _blank)
    item2 = _index(lines, form, _heading(form_item, '2'))
    sections = {
        '2.4': _text(lines[i4:i5]),
        '2.5': _text(lines[i5:ch3]),
        '6.1': _text(lines[i61:i62]),
        '6.2': _text(lines[i62:ch7]),
    }
    return [_text(lines[:form]), _text(lines[item2:])], sections


def _en_parts(lines: Lines) -> tuple[list[str], dict[str, str]]:
    i23 = _index(lines, 0, _heading(EN_ITEM, '2.3'))
    i24 = _index(lines, i23, _heading(EN_ITEM, '2.4'))
    ch3 = _index(lines, i24, _heading(EN_CHAPTER, '3'))
    i61 = _index(lines, ch3, _heading(EN_ITEM, '6.1'))
    i62 = _index(lines, i61, _heading(EN_ITEM, '6.2'))
    ch7 = _index(lines, i62, _heading(EN_CHAPTER, '7'))
    # The duty to pass on a copy is the paragraph that closes clause 2.3,
    # after its last blank line.
    copy_duty = max(i for i in range(i23, i24) if not lines[i].strip()) + 1
    form_item = re.compile(r'^(8\.2\.\d)\.')
    item1 = _index(lines, ch7, _heading(form_item, '8.2.1'))
    form = _index(lines, item1, _blank)
    item2 = _index(lines, form, _heading(form_item, '8.2.2'))
    sections = {
        '2.4': _text(lines[copy_duty:i24]),
        '2.5': _text(lines[i24:ch3]),
        '6.1': _text(lines[i61:i62]),
        '6.2': _text(lines[i62:ch7]),
    }
    return [_text(lines[:form]), _text(lines[item2:])], sections


def _duix_com_parts(lines: Lines) -> tuple[list[str], dict[str, str]]:
    item = re.compile(r'^([iv]+)\.')
    b1 = _index(lines, 0, _heading(item, 'i'))
    b2 = _index(lines, b1, _heading(item, 'ii'))
    b3 = _index(lines, b2, _heading(item, 'iii'))
    b4 = _index(lines, b3, _heading(item, 'iv'))
    sections = {'1.b.i': _text(lines[b1:b2]), '1.b.iii': _text(lines[b3:b4])}
    return [_text(lines)], sections


def fingerprint(
        name: str,  # for messages only
        language: str,
        modulus: int,
        parts: list[str],
        sections: dict[str, str],
        labels: dict[str, str],
) -> dict[str, Any]:
    hashes = set().union(*(sample(p, K, modulus) for p in parts))
    whole = '\x00'.join(parts)
    section_hashes = {}
    for key, text in sections.items():
        # Only what is specific to the clause: shingles shared with the rest
        # of the text (the model's name, repeated phrases) prove nothing.
        start = whole.index(text)
        rest = whole[:start] + '\x00' + whole[start + len(text):]
        elsewhere = set(shingles(rest, K))
        own = sample(text, K, SECTION_MODULUS) - elsewhere
        if len(own) < 8:
            raise SystemExit(f'{name} {language}: clause {key} has too few hashes')
        section_hashes[key] = sorted(own)
    return {
        'language': language,
        'k': K,
        'modulus': modulus,
        'section_modulus': SECTION_MODULUS,
        'hashes': sorted(hashes),
        'sections': section_hashes,
        'labels': labels,
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + '\n', encoding='utf-8')
    print(f'wrote {path}')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'files', nargs='+', type=Path,
        help='the reference folder, or EN.txt ZH.txt EN.pdf ZH.pdf LICENSE',
    )
    parser.add_argument('--out', type=Path, default=PROFILES)
    args = parser.parse_args(argv)
    if len(args.files) == 1:
        d = args.files[0]
        files = [d / EN_TXT, d / ZH_TXT, d / EN_PDF, d / ZH_PDF, d / DUIX_COM]
    elif len(args.files) == 5:
        files = args.files
    else:
        parser.error('give the reference folder or the five files')
    en_txt, zh_txt, en_pdf, zh_pdf, duix_com = files

    en_parts, en_sections = _en_parts(_lines(en_txt))
    zh_parts, zh_sections = _zh_parts(_lines(zh_txt))
    en_labels = {'2.4': '2.3 (closing paragraph)', '2.5': '2.4'}
    write(args.out / 'duix-avatar.fingerprint.json', {
        'name': AVATAR_NAME,
        'about': (
            'Duix.Avatar model community licence agreement, from duixcom/'
            'Duix-Avatar at 1328feb. Hashed shingles of its normalised text '
            '(hooks.licence_text), not the text. Section ids follow the '
            'Chinese numbering; labels give each text\'s own numbering.'
        ),
        'duties': DUTIES,
        'sha256': {
            sha256(en_pdf): f'{AVATAR_NAME} PDF (English)',
            sha256(zh_pdf): f'{AVATAR_NAME} PDF (Chinese)',
        },
        'fingerprints': [
            fingerprint(
                AVATAR_NAME, 'English', MODULUS['en'], en_parts, en_sections,
                {s: en_labels.get(s, s) for s in en_sections},
            ),
            fingerprint(
                AVATAR_NAME, 'Chinese', MODULUS['zh'], zh_parts, zh_sections,
                {s: f'{"二" if s[0] == "2" else "六"}.{s[2:]}' for s in zh_sections},
            ),
        ],
    })
    com_parts, com_sections = _duix_com_parts(_lines(duix_com))
    write(args.out / 'duix-com.fingerprint.json', {
        'name': DUIX_COM_NAME,
        'about': (
            'DUIX.COM community licence agreement (the code licence beside the '
            'model licence), from duixcom/Duix-Avatar at 1328feb. Sections: '
            '1.b.i (copy, attribution display, model name prefix), 1.b.iii (notice file).'
        ),
        'sha256': {sha256(duix_com): f'{DUIX_COM_NAME} (LICENSE)'},
        'fingerprints': [
            fingerprint(
                DUIX_COM_NAME, 'English', MODULUS['en'], com_parts, com_sections,
                {s: s for s in com_sections},
            ),
        ],
    })
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
