"""Whether a text reads as licence terms, when no licence is named: what
a recipient can recognise as the terms, rather than a placeholder, a
reference to a licence, filler, or one character repeated.

A text is licence terms when it grants rights, states conditions and
disclaims warranty or liability (the structure every licence the hooks
know shares), at a length no real licence is shorter than; known
licences (profiles, identify's) are recognised by copies.py before this.
Every pattern here is linear on any input: no quantifier follows another
that can match the same characters, and the text is normalised first
(one space between words).
"""
from __future__ import annotations

from collections import Counter

from ..lazy import lazy
from ..text import normalise

# Fewer characters than this (not counting white space) is not licence
# terms: the shortest of the common licences identify knows (WTFPL) has
# 353, 0BSD 537, MIT 897; a line naming or linking a licence has ~50-150.
MIN_TERMS_CHARS = 300
FIX = "put the licence's full text in it"
PLACEHOLDERS = lazy(
    r'(?:todo|tbd|tba|fixme|placeholder|coming soon|x{3,}|n/?a|none|\.{3,}|-+|'
    r'to be (?:added|decided|determined)|'
    r'(?:(?:insert|add) )?(?:the )?(?:model )?licen[cs]e(?: text)?(?: goes)?(?: here)?)'
    r'[.!:]{0,3}',
)
MAX_PLACEHOLDER = 60  # longer texts are judged as texts, never fully matched
# What makes a text licence terms, each in English or Chinese: ways of
# saying it, joined into one pattern.
ELEMENTS = {
    what: lazy('|'.join(ways)) for what, ways in {
        'grant of rights': (
            r'permission is (?:hereby )?granted', r'\b(?:are|is) (?:hereby )?permitted\b',
            r'hereby grants?', r'\bgrants? (?:to )?(?:you|licensee|recipients?)\b',
            r'licen[cs]e is granted', r'are (?:hereby )?licensed',
            r'\byou (?:may|can|are free to|are permitted to) (?:freely )?'
            r'(?:use|copy|modify|distribute|reproduce|redistribute|share)\b',
            r'\bright to (?:use|copy|modify|distribute|reproduce)\b',
            r'\bfree to (?:use|copy|modify|distribute|publish|share)\b',
            r'(?:non-?exclusive|royalty-free|worldwide|perpetual)[ ,\w-]{0,60}licen[cs]e',
            '授予', '许可您', '授权您', '许可你', '有权使用', '可以使用',
        ),
        'conditions of use': (
            r'\b(?:provided that|subject to|on condition|conditions?|must|shall|'
            r'as long as|you agree|restrictions?|requirements?)\b',
            '应当', '必须', '不得', '条件', '前提',
        ),
        'disclaimer of warranty or liability': (
            r'warrant(?:y|ies)', 'disclaim', r'\bas is\b', r'\bliab(?:le|ility)\b',
            'in no event', 'at your own risk',
            '不提供任何', '不承担', '免责', '不作任何保证', '概不负责', '不负责',
        ),
    }.items()
}
# A text that names or links a licence: a reference, when it is short.
MENTIONS = lazy(r'licen[cs]|https?://|www\.|许可|协议')
LOREM = frozenset(
    'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '
    'incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud '
    'exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure '
    'in reprehenderit voluptate velit esse cillum eu fugiat nulla pariatur excepteur sint '
    'occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est '
    'laborum'.split(),
)
WORD = lazy(r'\w+')
CJK = lazy(r'[\u3400-\u9fff\uf900-\ufaff]')


def _placeholder(text: str, spaced: str, chars: int) -> str | None:
    if len(spaced) <= MAX_PLACEHOLDER and PLACEHOLDERS.fullmatch(spaced):
        return f"it is a placeholder ({' '.join(text.split())[:40]!r}): {FIX}"
    return None


def _repeated(text: str, spaced: str, chars: int) -> str | None:
    counts = Counter(spaced.replace(' ', ''))
    common, count = counts.most_common(1)[0]
    if count >= 0.8 * chars:
        return f'it is one character repeated ({common!r} {count} times), not a licence text: {FIX}'
    if len(counts) <= 3:
        shown = ''.join(sorted(counts))
        return f'it is a few characters repeated ({shown!r}), not a licence text: {FIX}'
    return None


def _length(spaced: str, chars: int) -> int:
    """Characters, a CJK one for three: it says about what three letters do
    (the Duix.Avatar agreement has 6,700 characters in Chinese, 12,000 in
    English)."""
    return chars + 2 * len(CJK.findall(spaced))


def _reference(text: str, spaced: str, chars: int) -> str | None:
    if _length(spaced, chars) < MIN_TERMS_CHARS and MENTIONS.search(spaced):
        return (
            f'it only names or links a licence ({chars} characters), which is a '
            f'reference, not a copy of its terms: {FIX}'
        )
    return None


def _short(text: str, spaced: str, chars: int) -> str | None:
    if _length(spaced, chars) < MIN_TERMS_CHARS:
        return (
            f'it is too short to be a licence text ({chars} characters; a copy of '
            f'the full licence is needed)'
        )
    return None


def _filler(text: str, spaced: str, chars: int) -> str | None:
    words = WORD.findall(spaced)
    if words and sum(w in LOREM for w in words) >= 0.5 * len(words):
        return f'it is filler text (lorem ipsum), not a licence text: {FIX}'
    if len(words) >= 50 and len(set(words)) <= 20:
        return f'it is a few words repeated, not a licence text: {FIX}'
    return None


# In order: the first that applies says what the text is.
NOT_A_COPY = (_placeholder, _repeated, _reference, _filler, _short)


def not_a_copy(text: str) -> str | None:
    """What the text is, if it is plainly not a licence copy (a
    placeholder, one character repeated, a reference, filler); None if it
    may be one."""
    spaced = normalise(text, spaces=True)
    chars = len(spaced.replace(' ', ''))
    if not chars:
        return 'it holds only white space'
    return next((why for check in NOT_A_COPY if (why := check(text, spaced, chars))), None)


def missing_elements(text: str) -> list[str]:
    """The elements of licence terms the text lacks (none: it reads as terms)."""
    spaced = normalise(text, spaces=True)
    return [what for what, pattern in ELEMENTS.items() if not pattern.search(spaced)]


def not_terms(text: str) -> str | None:
    """Why a text that is not a known licence does not read as licence
    terms, or None if it does."""
    missing = missing_elements(text)
    if not missing:
        return None
    return f'it does not read as licence terms (no {" and no ".join(missing)} found): {FIX}'
