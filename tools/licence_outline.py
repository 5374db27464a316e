"""Clause outlines of licence texts, found by their numbering, never by words.

A licence text is a sequence of lines.  A line whose start (after white
space and Markdown markup) is a clause label, in a numbering style that
continues the outline consistently, starts a clause:

    arabic    1.  2.  3.        cjk       一、 二、
    dotted    2.3.  8.2.1.      paren     (1) (2)
    letter    a.  b.  c.        roman     i.  ii.  iii.

A style takes the outline level at which it first appears (under the clause
open at that point).  A label is accepted only if it is the successor of
the last label of its style at that level, or (a new level) the style's
first value, or its second (pdftotext drops a line now and then).  A
top-level 1 after the top level has gone past 1 restarts the numbering: a
new *part* (the Llama 3 acceptable use policy after the agreement).
Anything else (wrapped lines, a page number, "e.g." at a line start)
continues the open clause.

A clause runs from its label to the next label that is not one of its
descendants.  The last top-level clause of a part runs to its first blank
line after its last label; what follows, up to the next part, is the
part's *tail* (an appendix after the last clause, or the next part's
heading).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

CJK_DIGITS = '一二三四五六七八九十'
ROMAN = ('i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x',
         'xi', 'xii', 'xiii', 'xiv', 'xv', 'xvi', 'xvii', 'xviii', 'xix', 'xx')
LETTERS = 'abcdefghijklmnopqrstuvwxyz'

# Markup that may precede a label: Markdown headings, quotes, list markers,
# emphasis, backslash escapes (Llama 3.3 writes "1\. **License").
_LEAD = re.compile(r'^[\s>#*_+\-\\]*')
_EMPHASIS = re.compile(r'[*_\\]')

STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ('dotted', re.compile(r'^(\d{1,2}(?:\.\d{1,2})+)\.')),
    ('arabic', re.compile(r'^(\d{1,2})\.(?!\d)')),
    ('cjk', re.compile(rf'^([{CJK_DIGITS}]{{1,3}})\s*、')),
    ('paren', re.compile(r'^\((\d{1,2})\)')),
    ('letter', re.compile(r'^([a-z])\.(?:\s|$)')),
    ('roman', re.compile(r'^([ivx]{1,5})\.(?:\s|$)')),
)


def _cjk_value(s: str) -> int:
    if s == '十':
        return 10
    if s.startswith('十'):
        return 10 + CJK_DIGITS.index(s[1]) + 1
    if len(s) == 2 and s[1] == '十':
        return (CJK_DIGITS.index(s[0]) + 1) * 10
    return CJK_DIGITS.index(s[0]) + 1 if len(s) == 1 else -1


VALUES: dict[str, Callable[[str], int]] = {
    'arabic': int,
    'paren': int,
    'cjk': _cjk_value,
    'letter': lambda raw: LETTERS.index(raw) + 1,
    'roman': lambda raw: ROMAN.index(raw) + 1 if raw in ROMAN else -1,
}


def probe(line: str) -> str:
    """The start of a line with leading markup and emphasis markers removed."""
    head = _LEAD.sub('', line)
    return _EMPHASIS.sub('', head[:24]) + head[24:]


def candidates(line: str) -> list[tuple[str, str, tuple[int, ...]]]:
    """(style, label as written, ordinal(s)) for every style the line may start."""
    text = probe(line)
    found = []
    for style, pattern in STYLES:
        m = pattern.match(text)
        if not m:
            continue
        raw = m.group(1)
        if style == 'dotted':
            found.append((style, raw, tuple(int(p) for p in raw.split('.'))))
        elif (value := VALUES[style](raw)) > 0:
            found.append((style, raw, (value,)))
    return found


@dataclass
class Level:
    style: str
    value: int
    label: str  # as written: '二', 'b', 'iii', '2.3'
    ident: str  # canonical: '2', 'b', 'iii', '3' (the last dotted part)


@dataclass
class Item:
    line: int
    path: tuple[str, ...]  # canonical ids, outermost first
    labels: tuple[str, ...]  # as the text writes them
    part: int


@dataclass
class Part:
    index: int
    first_item: int  # line of its first label
    end: int  # end of its numbered body (exclusive)
    tail: tuple[int, int]  # (start, end) lines after its last clause


@dataclass
class Outline:
    lines: list[str]
    items: list[Item]
    parts: list[Part]
    spans: dict[tuple[int, tuple[str, ...]], tuple[int, int]] = field(default_factory=dict)

    @property
    def head(self) -> tuple[int, int]:
        return (0, self.items[0].line if self.items else len(self.lines))

    def span(self, clause: str, part: int = 0) -> tuple[int, int]:
        try:
            return self.spans[(part, tuple(clause.split('.')))]
        except KeyError:
            raise KeyError(f'no clause {clause} in part {part}') from None

    def label(self, clause: str, part: int = 0) -> str:
        path = tuple(clause.split('.'))
        for item in self.items:
            if item.part == part and item.path == path:
                return '.'.join(item.labels)
        raise KeyError(clause)


def _dotted(stack: list[Level], raw: str, vals: tuple[int, ...]) -> list[Level] | None:
    """A dotted label names its own ancestry: 2.3 is item 3 under 2."""
    numeric = [(i, lv) for i, lv in enumerate(stack) if lv.style in ('arabic', 'dotted')]
    *prefix, last = vals
    if len(numeric) < len(prefix) or numeric[0][1].style != 'arabic':
        return None
    if [lv.value for _, lv in numeric[:len(prefix)]] != prefix:
        return None
    depth = len(prefix)
    if len(numeric) > depth:  # a sibling at this depth exists
        at, sibling = numeric[depth]
        if sibling.style != 'dotted' or last != sibling.value + 1:
            return None
        base = stack[:at]
    elif last in (1, 2):
        base = stack[:numeric[depth - 1][0] + 1]
    else:
        return None
    return base + [Level('dotted', last, raw, str(last))]


def _accept(stack: list[Level], style: str, raw: str, vals: tuple[int, ...]) -> list[Level] | None:
    """The outline stack after this label, or None if it does not fit."""
    if style == 'dotted':
        return _dotted(stack, raw, vals)
    v = vals[0]
    ident = str(v) if style in ('arabic', 'cjk') else (f'({v})' if style == 'paren' else raw)
    if style == 'paren':
        raw = f'({raw})'
    for i, lv in enumerate(stack):
        if lv.style == style:
            return stack[:i] + [Level(style, v, raw, ident)] if v == lv.value + 1 else None
    if v in (1, 2):  # a new level under the open clause
        return stack + [Level(style, v, raw, ident)]
    return None


def _display(stack: list[Level]) -> tuple[str, ...]:
    """The labels as the text writes them: 2.3 stands for 2 and 3."""
    shown: list[str] = []
    for lv in stack:
        if lv.style == 'dotted':
            shown = shown[:len(shown) - lv.label.count('.')]
        shown.append(lv.label)
    return tuple(shown)


def _step(stack: list[Level], line: str) -> tuple[list[Level], bool] | None:
    """The stack after a line that is a label (and whether it restarts
    the numbering: a new part), or None if it is not one."""
    best: tuple[int, list[Level], bool] | None = None
    for style, raw, vals in candidates(line):
        if not stack:
            ident = str(vals[-1]) if style in ('arabic', 'cjk') else raw
            new = [Level(style, vals[-1], raw, ident)] if vals == (1,) else None
        else:
            new = _accept(stack, style, raw, vals)
        restart = False
        if new is None and stack and style == stack[0].style and vals == (1,) and (
                stack[0].value > 1):
            new, restart = [Level(style, 1, raw, '1')], True
        if new is None:
            continue
        # prefer continuing an existing level over opening one; deeper first
        score = 0 if restart else (2 if len(new) <= len(stack) else 1) * 100 + len(new)
        if best is None or score > best[0]:
            best = (score, new, restart)
    return None if best is None else (best[1], best[2])


def _parts(lines: list[str], items: list[Item], count: int) -> list[Part]:
    parts: list[Part] = []
    for p in range(count):
        mine = [i for i in items if i.part == p]
        following = [i.line for i in items if i.part == p + 1]
        limit = following[0] if following else len(lines)
        end = next(
            (k for k in range(mine[-1].line + 1, limit) if not lines[k].strip()), limit,
        )
        parts.append(Part(p, mine[0].line, end, (end, limit)))
    return parts


def parse(lines: list[str]) -> Outline:
    stack: list[Level] = []
    items: list[Item] = []
    part = 0
    for n, line in enumerate(lines):
        step = _step(stack, line)
        if step is None:
            continue
        stack, restart = step
        part += restart
        items.append(Item(n, tuple(lv.ident for lv in stack), _display(stack), part))
    parts = _parts(lines, items, part + 1) if items else []
    outline = Outline(lines, items, parts)
    for idx, item in enumerate(items):
        end = parts[item.part].end
        for later in items[idx + 1:]:
            if later.part != item.part or len(later.path) <= len(item.path) or (
                    later.path[:len(item.path)] != item.path):
                end = later.line if later.part == item.part else end
                break
        outline.spans[(item.part, item.path)] = (item.line, end)
    return outline


def paragraphs(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Blank-line separated blocks in lines[start:end], as (start, end)."""
    blocks = []
    i = start
    while i < end:
        while i < end and not lines[i].strip():
            i += 1
        j = i
        while j < end and lines[j].strip():
            j += 1
        if j > i:
            blocks.append((i, j))
        i = j
    return blocks


def nonblank(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Each non-blank line of lines[start:end], as (n, n + 1)."""
    return [(i, i + 1) for i in range(start, end) if lines[i].strip()]
