"""Changelogs: which files are one, which added lines describe a change,
and the entry a change (or a tree) holds for a path."""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import NamedTuple

from ..lazy import lazy
from ..text import heading
from ..text import is_rule_line
from ..text import decoded
from ..tree.changes import Change
from ..tree.changes import NULL_OIDS
from ..tree.listing import ancestors
from ..tree.listing import Entry as TreeEntry
from ..tree.listing import join
from ..tree.sample import small_sample
from ..tree.trees import Tree
from ..weights.headers import lfs_pointer
from .modelcard import CARD_NAME

# File names of changelogs, any case.
CHANGELOG_NAME = lazy(
    r'^(changelog|changes|history|news|modifications)(\.(md|markdown|rst|txt))?$',
    re.I,
)
# towncrier-style folders: every new file in one is an entry.
FRAGMENT_FOLDERS = ('changelog.d', 'newsfragments')
# Model card sections whose new lines state the modifications.
CARD_SECTION = lazy(r'^(modifications?|changes from (the )?base model)\b', re.I)
NAMES_HELP = (
    'CHANGELOG, CHANGES, HISTORY, NEWS or MODIFICATIONS (.md, .rst, .txt or '
    'none), a new file in changelog.d/ or newsfragments/, or new lines under '
    "a '## Modifications' heading of the model card README.md"
)
MAX_CHANGELOG_BYTES = 4 * 1024 * 1024

_LIST_MARK = lazy(r'^\s*([-*+]|\d+[.)])\s+')
# A line that is only a version or a date, as `describes` sees it (one
# space between words).  Linear on any line: each token of a version ends
# at a word boundary, so giving back part of one fails at once (the old
# "(\.\d+)*([-.+]\w+)*" could split "1.1.1...1" every way: 61 s on 40 KB).
_DATE = r'(?:\d{4}-\d{2}-\d{2}|\d{1,2} \w{1,20} \d{4}|unreleased)'
_VERSION_OR_DATE = lazy(
    rf'^[\[(]?(?:v?\d+(?:[-.+]\w+)*|{_DATE})\b[\])]?'
    rf'(?: ?(?:[-–—:,] ?)?[\[(]?{_DATE}[\])]?)?$',
    re.I,
)
_LINK_DEFINITION = lazy(r'^\[[^\]]+\]:\s*\S+$')


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
    if lfs_pointer(small_sample(data)) is not None:
        return Text(None, 'it is stored in Git LFS; keep changelogs as plain text in git')
    text, problem = decoded(data)  # UTF-8, or UTF-16 with its byte order mark
    return Text(None, problem) if text is None else Text(text.splitlines(), None)


def describes(line: str) -> bool:
    """Whether an added line says something: not blank, a heading, a date."""
    # One space between words: the patterns below then cannot backtrack
    # over long runs of white space.
    text = ' '.join(line.split())
    if not text or heading(text) is not None or is_rule_line(text) or (
            _LINK_DEFINITION.match(text)
    ):
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
        title = heading(line)
        if title is not None:
            current = title
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


# --- entries in a change or a tree -------------------------------------------

class Names(NamedTuple):
    """What counts as a changelog: names and fragment folders."""
    changelog_names: tuple[str, ...] = ()
    fragment_dirs: tuple[str, ...] = FRAGMENT_FOLDERS


class Entry(NamedTuple):
    source: str  # the changelog, fragment or model card
    folder: str  # what it covers
    lines: list[str]  # lines that describe something
    problem: str | None = None  # why it could not be read

    def covers(self, path: str) -> bool:
        return self.folder == '' or path.startswith(self.folder + '/')


def is_source(path: str, names: Names) -> bool:
    """A file whose change can be a changelog entry (see `entry_for`)."""
    default = not names.changelog_names and names.fragment_dirs == FRAGMENT_FOLDERS
    if default and not may_be_source(path):
        return False
    folder, _, name = path.rpartition('/')
    return (
        name == CARD_NAME or
        folder.rpartition('/')[2] in names.fragment_dirs or
        is_changelog_name(name, names.changelog_names)
    )


def _lines(tree: Tree, oid: str, path: str) -> Text:
    if oid in NULL_OIDS:
        return Text([], None)
    data, size = tree.read(TreeEntry('100644', oid, path), MAX_CHANGELOG_BYTES)
    return read_text(data, size)


def entry_for(change: Change, tree: Tree, names: Names) -> Entry | None:
    """What one changed file says as a changelog entry, if it is a changelog."""
    folder, _, name = change.path.rpartition('/')
    parent, _, base = folder.rpartition('/')
    if change.status == 'D':
        return None
    if base in names.fragment_dirs and change.status in 'ACR':
        new = _lines(tree, change.new_oid, change.path)
        lines = [line for line in new.lines or [] if describes(line)]
        return Entry(change.path, parent, lines, new.problem)
    is_card = name == CARD_NAME
    if not is_card and not is_changelog_name(name, names.changelog_names):
        return None
    new = _lines(tree, change.new_oid, change.path)
    old = _lines(tree, change.old_oid, change.old_path or change.path)
    problem = new.problem or old.problem
    if problem is not None or new.lines is None or old.lines is None:
        return Entry(change.path, folder, [], problem)
    pick = card_entry_lines if is_card else entry_lines
    return Entry(change.path, folder, pick(old.lines, new.lines))


def expected_changelog(tree: Tree, path: str, names: Names) -> str:
    """The changelog a fix should edit: the nearest one, or a new one."""
    for folder in ancestors(path):
        for name in sorted(tree.folder(folder)):
            if is_changelog_name(name, names.changelog_names):
                return join(folder, name)
    return join(path.rpartition('/')[0], 'CHANGELOG.md')


def latest_entry(
        tree: Tree,
        path: str,
        names: Names,
        cache: dict[str, tuple[str, str] | None],
) -> tuple[str, str] | None:
    """(changelog, its latest entry) covering a path, when there is one
    with a describing line: a changelog, a fragment, a card section."""
    for folder in ancestors(path):
        if folder not in cache:
            cache[folder] = _folder_entry(tree, folder, names)
        if cache[folder] is not None:
            return cache[folder]
    return None


def _folder_entry(tree: Tree, folder: str, names: Names) -> tuple[str, str] | None:
    for name, entry in sorted(tree.folder(folder).items()):
        line = _first_entry(tree, name, entry, names)
        if line is not None:
            return join(folder, name), line
    for fragments in names.fragment_dirs:
        where = join(folder, fragments)
        for name, entry in sorted(tree.folder(where).items(), reverse=True):
            text = _lines(tree, entry.oid, entry.path)
            lines = [ln for ln in text.lines or [] if describes(ln)]
            if lines:
                return f'{where}/{name}', lines[0].strip()
    return None


def _first_entry(tree: Tree, name: str, entry: TreeEntry, names: Names) -> str | None:
    """The first describing line of a changelog (or a card's section)."""
    is_card = name == CARD_NAME
    if not is_card and not is_changelog_name(name, names.changelog_names):
        return None
    text = _lines(tree, entry.oid, entry.path)
    if text.lines is None:
        return None
    lines = (
        card_section_lines(text.lines) if is_card
        else [ln for ln in text.lines if describes(ln)]
    )
    return lines[0].strip() if lines else None
