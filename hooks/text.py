"""Text as every layer reads it: the text rule, decoding, normalising,
Markdown headings.  One definition of each, used by weights, licences,
cards and changelogs alike."""
from __future__ import annotations

import re
import unicodedata

from .lazy import lazy

# libmagic's text rule (pre-commit's `text` tag uses the same): NUL and the
# C0 controls other than BEL BS HT LF VT FF CR ESC, and DEL, mean binary.
TEXT_BYTES = bytes(
    [7, 8, 9, 10, 11, 12, 13, 27] + list(range(0x20, 0x7f)) +
    list(range(0x80, 0x100)),
)


def is_text(data: bytes) -> bool:
    """Whether every byte of `data` is a text byte (libmagic's rule)."""
    return not data.translate(None, TEXT_BYTES)


# Byte order marks editors write, longest first (UTF-32 LE starts like UTF-16 LE).
BOMS = (
    (b'\xff\xfe\x00\x00', 'utf-32-le'), (b'\x00\x00\xfe\xff', 'utf-32-be'),
    (b'\xef\xbb\xbf', 'utf-8'), (b'\xff\xfe', 'utf-16-le'),
    (b'\xfe\xff', 'utf-16-be'),
)


def encoding_of(data: bytes) -> tuple[str, int]:
    """(codec, length of the byte order mark): UTF-8 without one."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return 'utf-8', 0


def decoded(data: bytes) -> tuple[str | None, str]:
    """(the text, '') of a file as editors write it: UTF-8 with or without a
    byte order mark, UTF-16 (or UTF-32) with one; else (None, why not, in
    words a message can end with)."""
    codec, skip = encoding_of(data)
    if not skip and not is_text(data):
        return None, 'it is not a text file'
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        at = exc.start + skip
        name = codec.upper().replace('-LE', ' LE').replace('-BE', ' BE')
        return None, (
            f'it is not {name} text (byte {at} is 0x{data[at]:02x}): save it '
            f'as UTF-8, or as UTF-16 with a byte order mark'
        )
    if skip and not is_text(text.encode('utf-8', 'replace')):
        return None, 'it is not a text file'  # NUL and other controls
    return text, ''


def decode(data: bytes) -> str | None:
    """The text of a file as editors write it (see `decoded`), else None."""
    return decoded(data)[0]


def looks_like_text(data: bytes) -> bool:
    """Text by libmagic's rule, or text in a UTF-16/32 encoding with a BOM."""
    codec, skip = encoding_of(data)
    if codec == 'utf-8':
        return is_text(data)
    try:
        # A head may end inside a character: decode what is whole.
        text = data[skip:].decode(codec, 'ignore')
    except UnicodeDecodeError:
        return False
    return '\x00' not in text and is_text(text.encode('utf-8', 'replace'))


# Copies differ in white space (PDF extraction breaks lines anywhere and
# puts stray spaces between CJK characters), in full-width or half-width
# punctuation and digits (NFKC folds those) and in typographic quotes and
# dashes: none of that changes what a text says, so it is folded.
_PUNCTUATION = str.maketrans({
    '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'",
    '\u2032': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"',
    '\u201f': '"', '\u2033': '"', '\u00ab': '"', '\u00bb': '"',
    '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-',
    '\u2014': '-', '\u2015': '-', '\u2212': '-', '\ufe58': '-',
    '\u3002': '.',  # ideographic full stop (NFKC keeps it)
})


# ASCII control characters that are not white space (str.isspace).
_ASCII_CONTROLS = dict.fromkeys(
    c for c in [*range(0x20), 0x7f] if not chr(c).isspace()
)


def normalise(text: str, *, spaces: bool = False) -> str:
    """Fold what does not change a text's meaning: width, case, quotes and
    dashes, invisible characters; white space is dropped (licence texts:
    line breaks fall anywhere) or, with `spaces`, one space between words
    (cards: words must stay words)."""
    if text.isascii():  # the same result, without a loop in Python
        text = text.lower().translate(_ASCII_CONTROLS)
        return ' '.join(text.split()) if spaces else ''.join(text.split())
    for _ in range(3):  # dropping characters can let marks compose: repeat
        text = unicodedata.normalize('NFKC', text).translate(_PUNCTUATION)
        done = ''.join(
            c for c in text.casefold()
            if (spaces and c.isspace()) or (
                not c.isspace() and unicodedata.category(c) not in ('Cf', 'Cc')
            )
        )
        if done == text:
            break
        text = done
    return ' '.join(text.split()) if spaces else text


# An ATX heading: up to three spaces, 1-6 '#', then the title (CommonMark).
_HEADING = lazy(r' {0,3}(#{1,6})(?:[ \t]+|$)(.*)')
# A setext underline or a thematic break: a line of one mark repeated.
_RULE_LINE = lazy(r' {0,3}([=\-~^"*+#_])(?: *\1){2,} *')


def heading(line: str) -> str | None:
    """The title of a Markdown heading line (closing '#'s dropped), else None."""
    match = _HEADING.match(line)
    if match is None:
        return None
    title = match[2].rstrip()
    closing = title.rstrip('#')
    if closing != title and (not closing or closing[-1] in ' \t'):
        title = closing
    return title.strip()


def is_rule_line(line: str) -> bool:
    """A line that only underlines or separates: '====', '---', '***'."""
    return bool(_RULE_LINE.fullmatch(line.rstrip()))


# Markdown markup, for reading a licence copy written as Markdown as its
# plain text (links as their text, escapes as their character; emphasis,
# code, heading, quote and list markers and rules dropped).  Every pattern
# is linear on any input: bounded repeats, and no two quantifiers that can
# share characters.
_LINK = lazy(r'\[([^\[\]\n]{0,200})\]\(([^()\s]{0,500})\)')
_AUTOLINK = lazy(r'<((?:https?://|mailto:)[^<>\s]{1,500})>')
_ESCAPE = lazy(r'\\([!-/:-@\[-`{-~])')
_STRONG = lazy(r'\*\*|__')
# A single * or _ is emphasis only as a pair around text on one line (as
# CommonMark reads it): an unpaired one ("0.0.7_sdk") is text.
_EM_STAR = lazy(r'(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])')
_EM_UNDER = lazy(r'(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])')
_LINE_MARK = lazy(r'^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+)+', re.M)
_RULE = lazy(r'^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$', re.M)


def strip_markup(text: str) -> str:
    """The text of a Markdown document as a plain-text copy reads."""
    text = _LINK.sub(r'\1', text)
    text = _AUTOLINK.sub(r'\1', text)
    text = _RULE.sub('', text)
    text = _LINE_MARK.sub('', text)
    text = _ESCAPE.sub(r'\1', text)
    text = _STRONG.sub('', text)
    text = _EM_STAR.sub(r'\1', text)
    text = _EM_UNDER.sub(r'\1', text)
    return text.replace('`', '')


def canonical(text: str) -> str:
    """A licence copy as the recognisers read it: Markdown markup
    stripped, then `normalise`d."""
    return normalise(strip_markup(text))
