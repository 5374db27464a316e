"""Licence lineage: the licence a derivative inherits from its base model.

One table (`base_models.json`, each entry with its source) maps Hub ids
and id patterns of well-known base models to a licence: a profile's id,
or a licence the table names without a profile (its Hub ids are known,
its duties are not enforced).  The settings' `base-models` come first.
"""
from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import NamedTuple
from typing import TYPE_CHECKING

from ..errors import UserError
from ..lazy import lazy

if TYPE_CHECKING:
    from ..card.modelcard import Card
    from .profiles import Profile

TABLE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'base_models.json')
SETTING = 'base-models'
_HUB_URL = lazy(r'^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(?:models/)?', re.I)


class Licence(NamedTuple):
    """A licence a base model carries."""
    id: str  # a profile id, or a key of the table's licences
    name: str
    license: tuple[str, ...]  # the Hub's `license:` ids for it
    license_name: tuple[str, ...]  # with license: other, the accepted license_name
    clause: str  # '<licence> <clause>' that binds the derivative, for messages
    profile: Profile | None
    permissive: bool  # a derivative may carry other terms

    def names(self) -> frozenset[str]:
        """Every lower-case name that says this licence."""
        aliases = self.profile.aliases if self.profile else ()
        ids = [i for i in self.license if i != 'other']
        names = (self.id, self.name, *ids, *self.license_name, *aliases)
        return frozenset(n.lower() for n in names)


class Entry(NamedTuple):
    match: str  # an fnmatch pattern over Hub ids, matched without case
    licence: str
    source: str


class Table(NamedTuple):
    entries: tuple[Entry, ...]
    licences: Mapping[str, Licence]


class Inherited(NamedTuple):
    """A base model the card names, and the licence it carries."""
    base_model: str  # as the card (or a weight file) names it
    licence: Licence
    source: str  # where the table has it from, or the folder card


def hub_id(value: str) -> str:
    """A base model as a Hub id: a model URL's path, no revision or slash."""
    found = _HUB_URL.sub('', value.strip())
    found = re.split(r'/(?:tree|blob|resolve)/', found)[0]
    return found.strip('/')


@functools.lru_cache(maxsize=None)
def _shipped() -> tuple[
        tuple[Entry, ...], tuple[tuple[str, dict[str, object]], ...], frozenset[str]]:
    from .profiles import read_json
    data = read_json(TABLE_FILE, 'base-model table')
    assert isinstance(data, dict)
    entries = tuple(Entry(e['match'], e['licence'], e['source']) for e in data['base_models'])
    return entries, tuple(data['licences'].items()), frozenset(data['permissive'])


def load_table(known: Mapping[str, Profile], extension: Sequence[tuple[str, str]] = ()) -> Table:
    """The shipped table with the settings' entries (`base-models`) first."""
    entries, extra, permissive = _shipped()
    licences: dict[str, Licence] = {}
    for pid, profile in known.items():
        licences[pid] = Licence(
            pid, profile.name, profile.hf_license, profile.hf_license_name,
            profile.clause('copy'), profile, pid in permissive,
        )
    for key, spec in extra:
        licences.setdefault(key, Licence(
            key, str(spec['name']), tuple(spec['license']),  # type: ignore[arg-type]
            tuple(spec['license_name']), str(spec.get('clause') or ''),  # type: ignore[arg-type]
            None, key in permissive,
        ))
    own = []
    for pattern, licence in extension:
        if licence not in licences:
            raise UserError(
                f'pyproject.toml: [tool.model-license-hooks] {SETTING}: {pattern!r} maps to '
                f'{licence!r}, which is neither a profile nor a licence of the table; known: '
                f'{", ".join(sorted(licences))}',
            )
        own.append(Entry(pattern, licence, f'{SETTING} in pyproject.toml'))
    return Table(tuple(own) + entries, licences)


def base_model_profile(model_id: str, table: Table) -> tuple[str, str] | None:
    """(licence id, source) of the first entry matching a Hub id, or None.
    The licence id is a profile's id when the table has a profile for it."""
    entry = _match(hub_id(model_id), table)
    return (entry.licence, entry.source) if entry else None


@functools.lru_cache(maxsize=4096)
def _pattern(match: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(match), re.I)


def _match(model_id: str, table: Table) -> Entry | None:
    return next((e for e in table.entries if _pattern(e.match).match(model_id)), None)


def inherited(base_models: Iterable[str], table: Table) -> tuple[list[Inherited], list[str]]:
    """The licences these base models carry, and those the table lacks."""
    found, unknown = [], []
    for value in base_models:
        entry = _match(hub_id(value), table)
        if entry is None:
            unknown.append(value)
        else:
            found.append(Inherited(value, table.licences[entry.licence], entry.source))
    return found, unknown


def card_agrees(card: Card, licence: Licence) -> bool | None:
    """Whether the card's `license` (and `license_name`) say this licence;
    None when the card names no licence."""
    value = card.text('license')
    if value is None:
        return None
    if value.lower() == 'other':
        name = card.text('license_name')
        return name is not None and name.lower() in licence.names()
    return value.lower() in licence.names()


def said(card: Card) -> str:
    """How the card names its licence, for messages."""
    value = card.text('license')
    if value is not None and value.lower() == 'other' and card.text('license_name'):
        return f'license: other with license_name: {card.text("license_name")}'
    return f'license: {value}'


def contradiction(base: Inherited, what: str) -> str:
    """The message for a licence that contradicts an inherited one."""
    return (
        f'base_model {base.base_model} is under the {base.licence.name}; {what} '
        f"cannot be its derivative's licence"
    )


def unknown_note(value: str) -> str:
    pattern = hub_id(value).rstrip('*') + '*'
    return (
        f'base_model {value} is not in the table of base models, so no licence is '
        f'inherited from it: if it has one, add it to [tool.model-license-hooks] in '
        f'pyproject.toml: {SETTING} = {{"{pattern}" = "<profile id>"}} '
        f'(`model-license-hooks profiles` lists them)'
    )
