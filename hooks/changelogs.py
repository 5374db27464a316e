"""Changelogs: which files are one, and which added lines describe a change."""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import NamedTuple

from hooks import sniff
from hooks.gitview import Sample

# File names of changelogs, any case.
CHANGELOG_NAME = re.compile(
    r'^(changelog|changes|history|news|modifications)(\.(md|markdown|rst|txt))?$',
    re.I,
)
# towncrier-style folders: every new file in one is an entry.
FRAGMENT_FOLDERS = ('changelog.d', 'newsfragments')
MODEL_CARD = 'README.md'
# Model card sections whose new lines state the modifications.
CARD_SECTION = re.compile(r'^(modifications?|changes from (the )?base model)\b', re.I)
NAMES_HELP = (
    'CHANGELOG, CHANGES, HISTORY, NEWS or MODIFICATIONS (.md, .rst, .txt or '
    'none), a new file in changelog.d/ or newsfragments/, or new lines under '
    "a '## Modifications' heading of the model card README.md"
)
MAX_CHANGELOG_BYTES = 4 * 1024 * 1024

_LIST_MARK = re.compile(r'^\s*([-*+]|\d+[.)])\s+')
_HEADING = re.compile(r'^\s*(#{1,6}\s|[=\-~^"*+#]{3,}\s*$)')
_VERSION_OR_DATE = re.compile(
    r'^[\[(]?(v?\d+(\.\d+)*([-.+]\w+)*|unreleased|\d{4}-\d{2}-\d{2})[\])]?'
    r'(\s*[-–—:,]?\s*[\[(]?(\d{4}-\d{2}-\d{2}|\d{1,2} \w+ \d{4}|unreleased)[\])]?)?$',
    re.I,
)
_LINK_DEFINITION = re.compile(r'^\[[^\]]+\]:\s*\S+$')


class Text(NamedTuple):
    lines: list[str] | None
    problem: str | None  # why the content cannot be read as a changelog


def may_be_source(path: str) -> bool:
    """False for a path that no default changelog name, fragment folder or
    model card can have: asked of every file of a large commit, before the
    exact test."""
    lowered = path.lower()
    return (
        'chang' in lowered or 'histor' in lowered or 'news' in lowered or
        'modif' in lowered or 'readme' in lowered
    )


def is_changelog_name(name: str, extra: tuple[str, ...] = ()) -> bool:
    return bool(CHANGELOG_NAME.match(name)) or any(
        fnmatch.fnmatch(name.lower(), g.lower()) for g in extra
    )


def read_text(data: bytes, size: int) -> Text:
    """A changelog's lines, or why they cannot be read."""
    if size > MAX_CHANGELOG_BYTES:
        return Text(None, f'it is larger than {MAX_CHANGELOG_BYTES // 1024 // 1024} MiB')
    if not data:
        return Text([], None)
    if sniff.lfs_pointer(Sample(size, data, b'', {})) is not None:
        return Text(None, 'it is stored in Git LFS; keep changelogs as plain text in git')
    if not sniff.is_text(data[:1024]) or b'\0' in data:
        return Text(None, 'it is not a text file')
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as exc:
        return Text(None, f'it is not UTF-8 (byte {exc.start})')
    return Text(text.splitlines(), None)


def describes(line: str) -> bool:
    """Whether an added line says something: not blank, a heading, a date."""
    # One space between words: the patterns below then cannot backtrack
    # over long runs of white space.
    text = ' '.join(line.split())
    if not text or _HEADING.match(text) or _LINK_DEFINITION.match(text):
        return False
    text = _LIST_MARK.sub('', text).strip().strip('*_`')
    if not text or _VERSION_OR_DATE.match(text):
        return False
    return len(re.findall(r'\w', text)) >= 3


def _normal(line: str) -> str:
    return ' '.join(line.split())


def added_lines(old: list[str], new: list[str]) -> list[tuple[int, str]]:
    """(index in `new`, line) for each line added, less whitespace-only edits.

    A line counts as added when no line of the old text is like it (white
    space aside): linear in the size of both, unlike a diff, and a line that
    moved or was copied is not new text.
    """
    before = {_normal(line) for line in old}
    return [(i, line) for i, line in enumerate(new) if _normal(line) not in before]


def entry_lines(old: list[str], new: list[str]) -> list[str]:
    """The added lines that describe something."""
    return [line for _, line in added_lines(old, new) if describes(line)]


def _sections(lines: list[str]) -> list[str | None]:
    """For each line, the title of the Markdown section it is in."""
    titles: list[str | None] = []
    current: str | None = None
    for line in lines:
        text = line.strip()
        if re.match(r'#{1,6}\s', text):
            current = text.lstrip('#').rstrip('#').strip()
        titles.append(current)
    return titles


def card_entry_lines(old: list[str], new: list[str]) -> list[str]:
    """Added lines under a 'Modifications' section of a model card."""
    titles = _sections(new)
    return [
        line for j, line in added_lines(old, new)
        if titles[j] is not None and CARD_SECTION.match(titles[j] or '') and
        describes(line)
    ]


def card_section_lines(lines: list[str]) -> list[str]:
    titles = _sections(lines)
    return [
        line for line, title in zip(lines, titles)
        if title is not None and CARD_SECTION.match(title) and describes(line)
    ]


def mentions(lines: Iterable[str], path: str) -> bool:
    """Whether the text names the file, its stem or its folder."""
    folder, _, name = path.rpartition('/')
    tokens = {name, name.split('.')[0]}
    if folder:
        tokens.add(folder.rpartition('/')[2])
    text = '\n'.join(lines).lower()
    return any(
        re.search(r'(?<![\w.-])' + re.escape(t.lower()) + r'(?![\w-])', text)
        for t in tokens if t
    )
