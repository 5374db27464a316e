from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from model_license_hooks.text import normalise


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
