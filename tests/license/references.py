"""The reference licence copies in ../shared/licenses, read at test time
(tests that need them are skipped where they are absent); the project
carries no licence text.  Also the variants copies of them come in, built
from a reference by its layout (line starts, blank lines), never by its
words: re-flowed, Markdown, cut short."""
from __future__ import annotations

import os
import re
import textwrap
from functools import lru_cache
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[2]


PROFILES = REPO / 'hooks' / 'license' / 'profiles'


AVATAR_FP = PROFILES / 'duix-avatar.fingerprint.json'


DUIX_COM_FP = PROFILES / 'duix-com.fingerprint.json'


EN_TXT = 'Duix.Avatar model community Licensing Agreement.pdftotext.txt'


ZH_TXT = 'Duix.Avatar model community Licensing Agreement_zh.pdftotext.txt'


EN_PDF = 'Duix.Avatar model community Licensing Agreement.pdf'


ZH_PDF = 'Duix.Avatar model community Licensing Agreement_zh.pdf'


# profile id -> its reference text: under ../shared/licenses, or a text
# identify vendors (identify:<SPDX id>)
REFERENCES = {
    'llama-2': 'llama/llama2.LICENSE',
    'llama-3': 'llama/llama3.LICENSE',
    'llama-3.1': 'llama/llama3_1.LICENSE',
    'llama-3.2': 'llama/llama3_2.LICENSE',
    'llama-3.3': 'llama/llama3_3.LICENSE',
    'llama-4': 'llama/llama4.LICENSE',
    'creativeml-openrail-m': 'openrail/creativeml-openrail-m.LICENSE',
    'tongyi-qianwen': 'qwen/tongyi-qianwen.LICENSE',
    'duix-com': 'duix/LICENSE',
    'duix-avatar': f'duix/{EN_TXT}',
    'duix-avatar/zh': f'duix/{ZH_TXT}',
    'apache-2.0': 'identify:Apache-2.0',
}


LLAMAS = ('llama-2', 'llama-3', 'llama-3.1', 'llama-3.2', 'llama-3.3', 'llama-4')


def shared() -> Path:
    env = os.environ.get('MLH_SHARED_DIR')
    base = Path(env) if env else REPO.parent / 'shared'
    if not (base / 'licenses' / 'llama').is_dir():
        pytest.skip('the reference licence copies (shared/licenses) are not here')
    return base / 'licenses'


def shared_duix() -> Path:
    env = os.environ.get('MLH_SHARED_DIR')
    base = Path(env) if env else REPO.parent / 'shared'
    for folder in (base / 'licenses' / 'duix', base):
        if (folder / EN_TXT).is_file():
            return folder
    pytest.skip('the reference licence copies (shared/licenses/duix) are not here')


@lru_cache(maxsize=None)
def read(name: str) -> bytes:
    return (shared_duix() / name).read_bytes()


def text(name: str) -> str:
    return read(name).decode('utf-8')


def vendored(spdx: str) -> str:
    """A common licence's text, as identify ships it (read, not copied)."""
    from identify.vendor import licenses
    return dict(licenses.LICENSES)[spdx]


@lru_cache(maxsize=None)
def reference(pid: str) -> str:
    """The reference text of a profile ('duix-avatar/zh': its Chinese one)."""
    path = REFERENCES[pid]
    if path.startswith('identify:'):
        return vendored(path.partition(':')[2])
    return (shared() / path).read_text(encoding='utf-8')


# --- variants, by layout ---------------------------------------------------

_CJK = re.compile(r'[\u4e00-\u9fff]')
_TOP = re.compile(r'^\s*(?:\d{1,2}|[一二三四五六七八九十]+)[.、]\s*(?!\d)')
_SUB = re.compile(r'^\s*(?:[a-z]|[ivx]{1,4}|\(\d\))\.?\s')
_QUOTED = re.compile(r'([“"])([^“”"\n]{1,40})([”"])')
_URL = re.compile(r'(https?://[^\s)”"]+)')
_SECOND = re.compile(r'^\W*(?:2|二)\\?[.、](?:\s*\D|$)')


def reflowed(text: str, width: int = 60) -> str:
    """Paragraphs re-wrapped (a CJK text: its lines broken anywhere)."""
    if _CJK.search(text):
        flat = ''.join(text.split())
        return '\n'.join(flat[i:i + 37] for i in range(0, len(flat), 37))
    blocks = re.split(r'\n\s*\n', text)
    return '\n\n'.join(textwrap.fill(' '.join(b.split()), width) for b in blocks if b.strip())


def markdown(text: str) -> str:
    """A Markdown rendering: # title, ## clauses (escaped "1\\."), list
    items, bold defined terms, links."""
    out, first = [], True
    for line in text.splitlines():
        s = line.strip()
        if not s:
            out.append('')
            continue
        s = _URL.sub(r'[\1](\1)', _QUOTED.sub(r'\1**\2**\3', s))
        if first:
            s, first = '# ' + s, False
        elif _TOP.match(s):
            s = '## ' + s.replace('.', '\\.', 1)
        elif _SUB.match(s):
            s = '- ' + s
        out.append(s)
    return '\n'.join(out) + '\n'


def half(text: str) -> str:
    return text[:len(text) // 2]


def first_section(text: str) -> str:
    """Everything before the second top-level clause."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if i > 3 and _SECOND.match(line.strip()):
            return '\n'.join(lines[:i])
    raise AssertionError('no second clause')


def six_lines(text: str) -> str:
    return '\n'.join(text.splitlines()[:6])


def per_file_notice(name: str) -> str:
    """What a file header says of its licence: a reference, in our words."""
    return (
        f'This model is licensed under the {name}.\n'
        f'See the LICENSE file for the full text, and NOTICE for attribution.\n'
        f'Copyright 2026 Example Models.\n'
    )


def without_line_item(text: str, label: str, following: str) -> str:
    """The text less the item labelled `label` (up to the `following` one)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf'\W*{label}\.\s', line.strip()))
    end = next(
        i for i in range(start + 1, len(lines))
        if re.match(rf'\W*{following}\.\s', lines[i].strip())
    )
    return '\n'.join(lines[:start] + lines[end:])
