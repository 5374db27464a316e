"""One Settings for every front end: the command line first, then
[tool.model-license-hooks] in pyproject.toml as the tree holds it, then
the defaults."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from typing import NamedTuple

from ..card.changelog import FRAGMENT_FOLDERS
from ..card.changelog import Names
from ..errors import UserError
from ..loaders import load_toml
from ..loaders import MAX_TOML_BYTES
from ..tree.changes import Change
from ..tree.changes import NULL_OIDS
from ..tree.listing import Entry
from ..tree.trees import Tree
from ..weights.names import Overrides

CONFIG_FILE = 'pyproject.toml'
CONFIG_TABLE = 'model-license-hooks'
MAX_SETTING_ITEMS = 1000  # globs are matched against every path
MAX_SETTING_CHARS = 4096


class Settings(NamedTuple):
    profile: str | None = None
    profile_files: tuple[str, ...] = ()
    license_names: tuple[str, ...] = ()
    weights_patterns: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    changelog_names: tuple[str, ...] = ()
    fragment_dirs: tuple[str, ...] = ()
    deletions: bool = False
    require_mention: bool = False
    # demand Hub metadata (license: front matter) of a card without front matter
    hub_metadata: bool = False
    # judge every file afresh, not from the verdicts kept under .git
    no_cache: bool = False
    # base model id pattern -> licence profile, before the shipped table
    base_models: tuple[tuple[str, str], ...] = ()

    @property
    def overrides(self) -> Overrides:
        return Overrides(self.weights_patterns, self.ignore)

    @property
    def changelogs(self) -> Names:
        return Names(self.changelog_names, FRAGMENT_FOLDERS + self.fragment_dirs)


# The setting's key in pyproject.toml is its field name with '-' for '_'.
# Settings are lists of strings or flags, except these.
_KIND_OF: dict[str, type] = {'profile': str, 'base_models': dict}
KINDS: dict[str, type] = {
    name: _KIND_OF.get(name) or (bool if isinstance(default, bool) else list)
    for name, default in Settings._field_defaults.items()
}


def _key(field: str) -> str:
    return field.replace('_', '-')


def table(tree: Tree) -> dict[str, Any]:
    """The settings table, as the tree holds pyproject.toml ({} if none)."""
    entry = tree.entry(CONFIG_FILE)
    return {} if entry is None else _table_of(tree, entry)


def changed(change: Change, tree: Tree) -> bool:
    """Whether a change of pyproject.toml changes the settings table (a
    setting can loosen what the rules ask of any file)."""
    old = None if change.old_oid in NULL_OIDS else Entry('100644', change.old_oid, CONFIG_FILE)
    new = None if change.status == 'D' else Entry('100644', change.new_oid, CONFIG_FILE)
    tables = [_table_of(tree, e) if e is not None else {} for e in (old, new)]
    return tables[0] != tables[1]


# Tables by git blob id: a run reads the same pyproject.toml for its
# settings and to see whether a change of it changed them.
_TABLES: dict[str, dict[str, Any]] = {}


def _table_of(tree: Tree, entry: Entry) -> dict[str, Any]:
    if entry.oid not in _TABLES:
        found = _read_table(tree, entry)
        if not entry.oid.startswith('disk:'):  # a file on disk may change
            _TABLES[entry.oid] = found
        return found
    return _TABLES[entry.oid]


def _read_table(tree: Tree, entry: Entry) -> dict[str, Any]:
    data, size = tree.read(entry, MAX_TOML_BYTES)
    if size > MAX_TOML_BYTES:
        raise UserError(f'{CONFIG_FILE}: larger than {MAX_TOML_BYTES // 1024} KiB')
    parsed = load_toml(data, CONFIG_FILE)
    tool = parsed.get('tool', {})
    found = tool.get(CONFIG_TABLE, {}) if isinstance(tool, dict) else None
    if not isinstance(found, dict):
        raise UserError(f'{CONFIG_FILE}: [tool.{CONFIG_TABLE}] must be a table')
    known = {_key(f): f for f in KINDS}
    for key, value in found.items():
        if key not in known:
            raise UserError(
                f'{CONFIG_FILE}: [tool.{CONFIG_TABLE}] has an unknown setting '
                f'{key!r}; known: {", ".join(sorted(known))}',
            )
        _check(key, value, KINDS[known[key]])
    return {known[k]: v for k, v in found.items()}


def _check(key: str, value: object, kind: type) -> None:
    where = f'{CONFIG_FILE}: [tool.{CONFIG_TABLE}] {key}'
    if kind is dict:
        if not isinstance(value, dict) or not all(
                isinstance(v, str) for v in value.values()):
            raise UserError(
                f'{where} must be a table of strings, e.g. {{"org/name*" = "profile-id"}}',
            )
        _check(key, list(value), list)
    elif kind is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError(f'{where} must be a list of strings')
        if len(value) > MAX_SETTING_ITEMS or any(len(v) > MAX_SETTING_CHARS for v in value):
            raise UserError(
                f'{where} has more than {MAX_SETTING_ITEMS} items, or one longer '
                f'than {MAX_SETTING_CHARS} characters',
            )
    elif not isinstance(value, kind) or (kind is str and isinstance(value, bool)):
        raise UserError(f'{where} must be {kind.__name__}')


def build(given: Mapping[str, Any], tree: Tree | None) -> Settings:
    """Settings from the options given on the command line (`given`, by
    field name; None, empty or False where not given), then the tree's
    settings table, then the defaults."""
    configured = table(tree) if tree is not None else {}
    values: dict[str, Any] = {}
    for field, kind in KINDS.items():
        value = given.get(field)
        if value in (None, [], (), False):
            value = configured.get(field, Settings._field_defaults[field])
        if kind is dict:
            value = tuple(dict(value or {}).items())
        values[field] = tuple(value or ()) if kind is list else value
    return Settings(**values)
