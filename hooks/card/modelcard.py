"""Model cards: the Hugging Face YAML front matter and where text is prominent.

The front matter is read with a YAML safe loader that refuses aliases and
bounds size and nesting (`loaders.load_yaml`): a hostile card cannot make
it allocate without bound or build objects.
"""
from __future__ import annotations

import re
from typing import Any
from typing import NamedTuple

from ..loaders import load_yaml
from ..loaders import YamlProblem
from ..text import heading
from ..text import normalise
from ..tree.listing import ancestors
from ..tree.listing import join
from ..tree.trees import Tree
from .reading import LFS_MISSING
from .reading import read_text

CARD_NAME = 'README.md'
# A statement counts as prominent when it is in the front matter, in a
# heading, in the card's opening (the text before the second heading, at
# most this many lines of it), or in a "Model description" section.
OPENING_LINES = 40
MAX_CARD_BYTES = 4 * 1024 * 1024
# Front matter keys of a Hugging Face Hub model card (huggingface_hub's
# ModelCardData, and model-index): front matter with none of them is a
# static site's (Jekyll: layout, title, nav_order), not the Hub's.
HUB_KEYS = frozenset((
    'base_model', 'base_model_relation', 'datasets', 'eval_results', 'language',
    'library_name', 'license', 'license_link', 'license_name', 'metrics',
    'model-index', 'model_name', 'new_version', 'pipeline_tag', 'tags',
))


class Card(NamedTuple):
    meta: dict[str, Any]  # the front matter, as YAML reads it
    meta_text: str  # the raw front matter
    body: list[str]
    problem: str | None  # why the front matter could not be read
    front_matter: bool = False  # it opens with a front matter block

    @property
    def hub(self) -> bool:
        """Whether it is a Hugging Face Hub model card: front matter with
        the Hub's keys (or front matter that cannot be read, to say so)."""
        return self.front_matter and (self.problem is not None or bool(HUB_KEYS & set(self.meta)))

    def text(self, key: str) -> str | None:
        """A front matter value that is a string (numbers as written)."""
        value = self.meta.get(key)
        if isinstance(value, bool) or value is None:
            return None
        return value if isinstance(value, str) else (
            str(value) if isinstance(value, (int, float)) else None
        )

    def strings(self, key: str) -> list[str]:
        """A front matter value that is a string or a list of strings."""
        value = self.meta.get(key)
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [v for v in value if isinstance(v, str)]
        return []


def normal(text: str) -> str:
    """Compare card texts loosely: width, case, quotes and spaces aside."""
    return normalise(text, spaces=True)


def parse_front_matter(text: str) -> tuple[dict[str, Any], str | None]:
    """The front matter's keys, and why it could not be read (if so)."""
    try:
        meta = load_yaml(text)
    except YamlProblem as exc:
        return {}, f'it is not valid YAML ({exc})'
    if meta is None:
        return {}, None
    if not isinstance(meta, dict):
        return {}, 'it is not a YAML mapping of keys to values'
    return {str(k): v for k, v in meta.items()}, None


def parse(text: str) -> Card:
    lines = text.splitlines()
    if not lines or lines[0].strip() != '---':
        return Card({}, '', lines, None)
    for end in range(1, len(lines)):
        if lines[end].strip() in ('---', '...'):
            meta_text = '\n'.join(lines[1:end])
            meta, problem = parse_front_matter(meta_text + '\n')
            return Card(meta, meta_text, lines[end + 1:], problem, True)
    return Card({}, '', lines, 'the front matter has no closing "---"', True)


def opening(card: Card) -> list[str]:
    """The card's opening: up to its second heading, at most OPENING_LINES."""
    lines: list[str] = []
    headings = filled = 0
    for line in card.body:
        if heading(line) is not None:
            headings += 1
            if headings == 2:
                break
        lines.append(line)
        filled += bool(line.strip())
        if filled >= OPENING_LINES:
            break
    return lines


def headings(card: Card) -> list[str]:
    return [title for line in card.body if (title := heading(line)) is not None]


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
        title = heading(line)
        if title is not None:
            if inside:
                break
            inside = bool(re.match(r'(model )?description\b', normal(title)))
            continue
        if inside:
            lines.append(line)
    return normal('\n'.join(lines or opening(card)))


def model_names(card: Card) -> list[str]:
    """Names the card gives the model: model_name, model-index names, title."""
    names = []
    value = card.text('model_name')
    if value:
        names.append(value)
    index = card.meta.get('model-index')
    if isinstance(index, list) and index and isinstance(index[0], dict):
        first = index[0].get('name')
        if isinstance(first, str) and first:
            names.append(first)
    titles = headings(card)
    first_line = next((ln for ln in card.body if ln.strip()), '')
    if titles and first_line.lstrip().startswith('# '):
        names.append(titles[0].strip())
    return names


def find_card(tree: Tree, path: str) -> str | None:
    """The README.md nearest the weights, else the repository root's."""
    for folder in ancestors(path):
        if CARD_NAME in tree.folder(folder):
            return join(folder, CARD_NAME)
    return None


def read_card(tree: Tree, card_path: str) -> Card | None:
    entry = tree.entry(card_path)
    if entry is None:
        return None
    text = read_text(tree, entry, MAX_CARD_BYTES)
    if text is None:  # a Git LFS pointer whose content is not here
        return Card({}, '', [], LFS_MISSING)
    return parse(text)
