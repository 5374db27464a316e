from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model_license_hooks.text import canonical
from model_license_hooks.text import decoded
from model_license_hooks.text import normalise
from model_license_hooks.text import strip_markup


def test_normalise():
    assert normalise('ＡＢＣ １２３，（ｘ）：；') == 'abc123,(x):;'
    assert normalise('Foo\u00a0 Bar\r\n\tBAZ\u3000\u200bqux\u00ad') == 'foobarbazqux'
    quoted = '\u201cquoted\u201d \u2018it\u2019s\u2019 a\u2014b\u2013c'
    assert normalise(quoted) == '"quoted"\'it\'s\'a-b-c'
    assert normalise('句号。逗号，') == '句号.逗号,'
    assert normalise('许 可 方 是 ：\n我 司') == '许可方是:我司'
    assert normalise('STRASSE Straße') == 'strassestrasse'


@given(st.text(st.characters(max_codepoint=0x7f), max_size=80), st.booleans())
def test_ascii_is_normalised_as_any_text_is(text, spaces):
    # ASCII takes a quicker path; a zero-width space (dropped) sends the
    # same text through the general one.
    assert normalise(text, spaces=spaces) == normalise(text + '\u200b', spaces=spaces)


@pytest.mark.parametrize(('data', 'expected'), (
    (b'plain', ('plain', '')),
    (codecs.BOM_UTF8 + 'caf\u00e9'.encode(), ('caf\u00e9', '')),
    (codecs.BOM_UTF16_LE + 'licence'.encode('utf-16-le'), ('licence', '')),
    (codecs.BOM_UTF16_BE + 'licence'.encode('utf-16-be'), ('licence', '')),
    (b'caf\xe9', (None, 'it is not UTF-8 text (byte 3 is 0xe9): save it as UTF-8, or as '
                        'UTF-16 with a byte order mark')),
    (codecs.BOM_UTF16_LE + b'\x00\xd8', (None, 'it is not UTF-16 LE text (byte 2 is 0x00): '
                                               'save it as UTF-8, or as UTF-16 with a byte '
                                               'order mark')),
    (b'nul\x00', (None, 'it is not a text file')),
    (codecs.BOM_UTF16_LE + '\x01\x02'.encode('utf-16-le'), (None, 'it is not a text file')),
))
def test_decoded(data, expected):
    assert decoded(data) == expected


@pytest.mark.parametrize(('markdown', 'plain'), (
    ('# Title\n\n## 1\\. **Grant of Rights**', 'Title\n\n1. Grant of Rights'),
    ('See [the policy](https://example.com/a_b).', 'See the policy.'),
    ('<https://example.com/x>', 'https://example.com/x'),
    ('- *emphasis* and _this_', 'emphasis and this'),
    ('Duix.Avatar:0.0.7_sdk_slim keeps its _', 'Duix.Avatar:0.0.7_sdk_slim keeps its _'),
    ('> quoted\n***\ntext', 'quoted\n\ntext'),
    ('`code`', 'code'),
))
def test_strip_markup(markdown, plain):
    assert strip_markup(markdown) == plain


def test_canonical_reads_markdown_as_its_plain_text():
    assert canonical('## 2\\. **Licence**, see [x](y)') == canonical('2. Licence, see x')
