"""Model cards: the Hugging Face YAML front matter and where text is prominent.

The front matter is read by a small reader of the YAML subset model cards
use (keys, scalars, quoted strings, lists, nested blocks kept as text).  It
never expands anchors or aliases and never builds objects from tags, so a
hostile card cannot make it allocate without bound or run anything.
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# A statement counts as prominent when it is in the front matter, in a
# heading, in the card's opening (the text before the second heading, at
# most this many lines of it), or in a "Model description" section.
OPENING_LINES = 40
MAX_CARD_BYTES = 4 * 1024 * 1024


class Card(NamedTuple):
    meta: dict[str, str | list[str]]  # top-level keys; nested blocks as text
    meta_text: str  # the raw front matter
    body: list[str]
    problem: str | None  # why the front matter could not be read


_KEY = re.compile(r'([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t](.*))?')


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in '"\'':
        inner = text[1:-1]
        return inner.replace("''", "'") if text[0] == "'" else inner.replace('\\"', '"')
    comment = min((i for i in (text.find(' #'), text.find('\t#')) if i >= 0), default=-1)
    return text[:comment].rstrip() if comment >= 0 else text


def _inline_list(text: str) -> list[str] | None:
    if text.startswith('[') and text.endswith(']'):
        return [_scalar(item) for item in text[1:-1].split(',') if item.strip()]
    return None


def parse_front_matter(lines: list[str]) -> tuple[dict[str, str | list[str]], str | None]:
    meta: dict[str, str | list[str]] = {}
    key: str | None = None
    block: list[str] = []

    def close() -> None:
        if key is None:
            return
        content = [
            ln.strip() for ln in block
            if ln.strip() and not ln.lstrip().startswith('#')
        ]
        scalars = all(
            (c == '-' or c.startswith('- ')) and ': ' not in c for c in content
        )
        if content and scalars:
            meta[key] = [_scalar(c[1:]) for c in content]
        else:
            meta[key] = '\n'.join(block)

    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith('#') or line[0] in ' \t-':
            if key is not None:
                block.append(line)
            continue
        match = _KEY.fullmatch(line.rstrip())
        if match is None:
            return meta, f'front matter line {number} is not "key: value"'
        close()
        key, value = match[1], (match[2] or '').strip()
        block = []
        if value.startswith(('&', '*', '!')):
            return meta, (
                f'front matter line {number}: anchors, aliases and tags '
                f'are not read'
            )
        if value and value not in ('|', '>', '|-', '>-'):
            listed = _inline_list(value)
            meta[key] = listed if listed is not None else _scalar(value)
            key = None
    close()
    return meta, None


def parse(text: str) -> Card:
    lines = text.splitlines()
    if not lines or lines[0].strip() != '---':
        return Card({}, '', lines, None)
    for end in range(1, len(lines)):
        if lines[end].strip() in ('---', '...'):
            meta, problem = parse_front_matter(lines[1:end])
            return Card(meta, '\n'.join(lines[1:end]), lines[end + 1:], problem)
    return Card({}, '', lines, 'the front matter has no closing "---"')


def normal(text: str) -> str:
    """Compare texts loosely: width, case and white space do not matter."""
    return ' '.join(unicodedata.normalize('NFKC', text).casefold().split())


_HEADING = re.compile(r' {0,3}#{1,6}[ \t]+(.*)')


def opening(card: Card) -> list[str]:
    """The card's opening: up to its second heading, at most OPENING_LINES."""
    lines: list[str] = []
    headings = filled = 0
    for line in card.body:
        if _HEADING.match(line):
            headings += 1
            if headings == 2:
                break
        lines.append(line)
        filled += bool(line.strip())
        if filled >= OPENING_LINES:
            break
    return lines


def headings(card: Card) -> list[str]:
    return [m[1] for line in card.body if (m := _HEADING.match(line))]


def prominent(card: Card) -> str:
    """The text where a statement counts as prominent, normalised: the
    front matter, the headings, the opening and the model description."""
    return normal('\n'.join([
        card.meta_text, *headings(card), *opening(card), description(card),
    ]))


def description(card: Card) -> str:
    """The model description: a section so named, else the opening."""
    lines: list[str] = []
    inside = False
    for line in card.body:
        match = _HEADING.match(line)
        if match:
            if inside:
                break
            inside = bool(re.match(r'(model )?description\b', normal(match[1])))
            continue
        if inside:
            lines.append(line)
    return normal('\n'.join(lines or opening(card)))


def model_names(card: Card) -> list[str]:
    """Names the card gives the model: model_name, model-index names, title."""
    names = []
    value = card.meta.get('model_name')
    if isinstance(value, str) and value:
        names.append(value)
    index = card.meta.get('model-index')
    if isinstance(index, str):
        names += [
            _scalar(m[1]) for m in re.finditer(r'^[ \t]*-[ \t]*name:[ \t]*(.+)$', index, re.M)
        ][:1]
    titles = headings(card)
    first = next((ln for ln in card.body if ln.strip()), '')
    if titles and first.lstrip().startswith('# '):
        names.append(titles[0].strip())
    return names
