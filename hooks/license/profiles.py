"""Licence profiles: what each model licence asks for, as data.

A profile is a JSON file (`hooks/license/profiles/<id>.json`, or a user's
file given with --profile-file).  docs/profiles.md describes the fields.
To add a licence: a JSON file there, and a fingerprint built from its
reference text with tools/make_licence_fingerprint.py.
"""
from __future__ import annotations

import functools
import json
import os
import re
import stat
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import NamedTuple

from ..errors import UserError
from .fingerprint import Fingerprint
from .fingerprint import FingerprintFile
from .fingerprint import parse_fingerprints

PROFILE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'profiles')


class Notice(NamedTuple):
    text: str  # the sentence to put in a NOTICE file
    pattern: str | None  # a regex that also satisfies the duty (version variants)


class Profile(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    hf_license: tuple[str, ...]
    hf_license_name: tuple[str, ...]
    license_link_required: bool
    own_sha256: frozenset[str]  # the profile's own digests of official files
    fingerprint_file: str | None  # read when a copy is first judged
    phrases: tuple[tuple[str, ...], ...]
    base_model: tuple[str, ...]
    statement: tuple[str, ...]  # the base model must be named: one of these
    strings: tuple[str, ...]  # attribution strings the card must carry
    ranking: bool  # a card with evaluation results repeats the statement
    notice: Notice | None
    display: tuple[str, ...]  # "Built with ..." strings for the card
    name_prefix: str | None
    enforces: tuple[str, ...]
    cannot_check: tuple[str, ...]
    upstream: str | None  # where the base model and its licence come from
    base_model_default: str | None  # what `init` writes as base_model
    obtain: str | None  # where to get a copy of the licence
    clauses: dict[str, str]  # duty -> the clause that states it: copy -> '2.4'
    source: str  # the file it came from

    @property
    def sha256(self) -> frozenset[str]:
        """The digests of the official files: the profile's and its
        fingerprint file's."""
        if self.fingerprint_file is None:
            return self.own_sha256
        return _digests(self.own_sha256, self.fingerprint_file, self.source)

    @property
    def fingerprints(self) -> tuple[Fingerprint, ...]:
        """The licence's fingerprints, named as the profile names it."""
        if self.fingerprint_file is None:
            return ()
        return _named(self.fingerprint_file, self.source, self.name)

    def clause(self, duty: str) -> str:
        """'<licence> <clause>' for a duty, for messages; '' if unknown."""
        number = self.clauses.get(duty)
        return f'{self.name} {number}' if number else ''


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f'{where}: "{key}" must be a list of strings')
    return tuple(value)


def _optional(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise UserError(f'{where}: "{key}" must be a string or null')
    return value


def _dict(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise UserError(f'{where}: "{key}" must be an object')
    return value


def parse(data: object, where: str, folder: str) -> Profile:
    """Build a profile from parsed JSON; a malformed one is a UserError."""
    if not isinstance(data, dict):
        raise UserError(f'{where}: a profile must be a JSON object')
    pid = data.get('id')
    if not isinstance(pid, str) or not re.fullmatch(r'[a-z0-9][a-z0-9.+-]*', pid):
        raise UserError(f'{where}: "id" must be a lower-case name like "my-licence"')
    name = data.get('name', pid)
    if not isinstance(name, str):
        raise UserError(f'{where}: "name" must be a string')
    hf = _dict(data, 'hf', where)
    copy = _dict(data, 'copy', where)
    attribution = _dict(data, 'attribution', where)
    fingerprint_file = None
    if 'fingerprint' in copy:
        fingerprint_file = os.path.join(folder, str(copy['fingerprint']))
        if not fingerprint_file.startswith(PROFILE_DIR + os.sep):
            _fingerprints(fingerprint_file, where)  # a user's: its errors now
    phrases = copy.get('phrases', [])
    if not isinstance(phrases, list) or not all(
            isinstance(rule, list) and all(isinstance(p, str) for p in rule)
            for rule in phrases
    ):
        raise UserError(f'{where}: "copy.phrases" must be a list of lists of strings')
    notice_data = data.get('notice')
    notice = None
    if notice_data is not None:
        if not isinstance(notice_data, dict) or not isinstance(notice_data.get('text'), str):
            raise UserError(f'{where}: "notice" must be null or an object with a "text"')
        pattern = notice_data.get('pattern')
        if pattern is not None:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as exc:
                raise UserError(f'{where}: "notice.pattern" is not a regex: {exc}')
        notice = Notice(notice_data['text'], pattern)
    prefix = data.get('name_prefix')
    if prefix is not None and not isinstance(prefix, str):
        raise UserError(f'{where}: "name_prefix" must be a string or null')
    if not copy:
        raise UserError(f'{where}: "copy" must say how to recognise the licence')
    clauses = _dict(data, 'clauses', where)
    if not all(isinstance(v, str) for v in clauses.values()):
        raise UserError(f'{where}: "clauses" must map duties to clause numbers')
    return Profile(
        id=pid, name=name,
        aliases=_strings(data, 'aliases', where),
        hf_license=_strings(hf, 'license', where),
        hf_license_name=_strings(hf, 'license_name', where),
        license_link_required=hf.get('license_link') == 'required',
        own_sha256=frozenset(_strings(copy, 'sha256', where)),
        fingerprint_file=fingerprint_file,
        phrases=tuple(tuple(rule) for rule in phrases),
        base_model=_strings(data, 'base_model', where),
        statement=_strings(attribution, 'statement', where),
        strings=_strings(attribution, 'strings', where),
        ranking=bool(attribution.get('ranking', False)),
        notice=notice,
        display=_strings(data, 'display', where),
        name_prefix=prefix,
        enforces=_strings(data, 'enforces', where),
        cannot_check=_strings(data, 'cannot_check', where),
        upstream=_optional(data, 'source', where),
        base_model_default=_optional(data, 'base_model_default', where),
        obtain=_optional(data, 'obtain', where),
        clauses=dict(clauses),
        source=where,
    )


MAX_PROFILE_BYTES = 4 * 1024 * 1024


def read_json(path: str, what: str, where: str | None = None) -> object:
    """A profile or fingerprint file: a bounded read of a regular file.

    Errors name `where` (the profile a fingerprint belongs to), else `path`.
    """
    prefix = f'{where}: the {what} {path}' if where else f'{path}: the {what}'
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise UserError(f'{prefix} is not a regular file')
            with os.fdopen(os.dup(fd), 'rb') as f:
                data = f.read(MAX_PROFILE_BYTES + 1)
        finally:
            os.close(fd)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise UserError(f'{prefix} cannot be read: {getattr(exc, "strerror", None) or exc}')
    if len(data) > MAX_PROFILE_BYTES:
        raise UserError(f'{prefix} is larger than {MAX_PROFILE_BYTES} bytes')
    try:
        return json.loads(data.decode('utf-8'))
    except (ValueError, RecursionError) as exc:
        raise UserError(f'{prefix} is not valid JSON: {exc}')


def _fingerprints(path: str, where: str) -> FingerprintFile:
    """A fingerprint file, read once a process (a user's file is read
    again if it changed: by its size and time)."""
    try:
        status = os.stat(path)
        key = (path, status.st_size, status.st_mtime_ns)
    except (OSError, ValueError):
        key = (path, -1, -1)  # read_json says why it cannot be read
    return _fingerprint_file(*key, where)


@functools.lru_cache(maxsize=64)
def _fingerprint_file(path: str, size: int, mtime: int, where: str) -> FingerprintFile:
    loaded = read_json(path, 'fingerprint', where)
    try:
        return parse_fingerprints(loaded)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UserError(f'{where}: malformed fingerprint {path}: {exc}')


@functools.lru_cache(maxsize=64)
def _digests(own: frozenset[str], path: str, where: str) -> frozenset[str]:
    return own | frozenset(_fingerprints(path, where).sha256)


@functools.lru_cache(maxsize=64)
def _named(path: str, where: str, name: str) -> tuple[Fingerprint, ...]:
    return tuple(fp._replace(name=name) for fp in _fingerprints(path, where).fingerprints)


def load_file(path: str) -> Profile:
    """A profile file, read once a process (again if it changed: by its
    size and time): every rule and every card change asks for them."""
    try:
        status = os.stat(path)
        return _profile_file(path, status.st_size, status.st_mtime_ns)
    except (OSError, ValueError):
        return _profile_file(path, -1, -1)  # read_json says why it cannot be read


@functools.lru_cache(maxsize=64)
def _profile_file(path: str, size: int, mtime: int) -> Profile:
    data = read_json(path, 'profile')
    return parse(data, path, os.path.dirname(os.path.abspath(path)))


@functools.lru_cache(maxsize=None)
def _shipped() -> tuple[Profile, ...]:
    """The profiles this package ships, read once a process."""
    return tuple(
        load_file(os.path.join(PROFILE_DIR, name))
        for name in sorted(os.listdir(PROFILE_DIR))
        if name.endswith('.json') and not name.endswith('.fingerprint.json')
    )


def available(extra_files: Sequence[str] = ()) -> dict[str, Profile]:
    """The shipped profiles and the user's, by id (a user's wins)."""
    found = {p.id: p for p in _shipped()}
    for path in extra_files:
        profile = load_file(path)
        found[profile.id] = profile
    return found


def select(name: str, known: Mapping[str, Profile]) -> Profile:
    """The profile of this id or alias."""
    for profile in known.values():
        if name == profile.id or name.lower() in (a.lower() for a in profile.aliases):
            return profile
    raise UserError(
        f'unknown profile {name!r}; known: {", ".join(sorted(known))} '
        f'(or give your own with --profile-file)',
    )
