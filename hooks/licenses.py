"""Licence copies: which files are one, whether one is real, what it covers."""
from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import NamedTuple
from typing import TYPE_CHECKING

from hooks import sniff
from hooks.gitview import Sample
from hooks.gitview import ancestors
from hooks.gitview import BlobReader
from hooks.gitview import Entry
from hooks.gitview import REGULAR_MODES
from hooks.gitview import SYMLINK_MODE
from hooks.gitview import Snapshot
from hooks.util import load_toml
from hooks.util import UserError

if TYPE_CHECKING:
    from hooks.profiles import Profile

# File names (not paths) of licence copies.
LICENSE_NAMES = (
    re.compile(r'^(licen[cs]e|copying)(\.(md|markdown|txt|rst))?$', re.I),
    # LICENSE-MODEL, LICENSE-APACHE: not license_checker.py
    re.compile(
        r'^(LICEN[CS]E|Licen[cs]e|licen[cs]e)[-_]'
        r'(MODEL|Model|model|[A-Z0-9][A-Za-z0-9.+-]*)(\.(md|txt|rst))?$',
    ),
    re.compile(r'^model[-_]?licen[cs]e([-_][\w-]+)?(\.(md|txt|rst|pdf))?$', re.I),
    re.compile(r'licen[cs](e|ing)[^/]*\.pdf$', re.I),
)
REUSE_FOLDER = 'LICENSES'  # REUSE keeps licence texts in LICENSES/<id>.txt
REUSE_TEXT = re.compile(r'\.(txt|md)$', re.I)
NAMES_HELP = (
    'LICENSE, LICENCE or COPYING (optionally .md, .txt or .rst), '
    'LICENSE-MODEL, MODEL_LICENSE*, a licence agreement PDF, '
    'or LICENSES/<id>.txt'
)

# Fewer characters than this (not counting white space) is a reference to
# a licence, not a copy of one: the shortest common licences are longer.
MIN_LICENSE_CHARS = 100
PLACEHOLDER = re.compile(
    r'(todo|tbd|tba|fixme|placeholder|coming soon|xxx+|n/?a|none|'
    r'\.\.\.+|-+|to be (added|decided|determined)|'
    r'(insert |add )?(the )?(model )?licen[cs]e( text)?( goes)?( here)?)[.!:]*',
    re.I,
)


MAX_COPY_BYTES = 4 * 1024 * 1024

# Short phrases that name a licence text which is not a model licence, so a
# wrong copy can be named in the message (normalised: no white space).
OTHER_LICENCES = (
    ('the MIT licence', ('permissionisherebygranted,freeofcharge',)),
    ('a BSD licence', ('redistributionanduseinsourceandbinaryforms',)),
    ('the GNU GPL', ('gnugeneralpubliclicense',)),
    ('the GNU LGPL', ('gnulessergeneralpubliclicense',)),
    ('the Mozilla Public Licence', ('mozillapubliclicense',)),
    ('a Creative Commons licence', ('creativecommons',)),
)


def genuine(profile: Profile, name: str, data: bytes) -> tuple[bool, str]:
    """Whether `data` is a copy of the profile's licence, and why (not)."""
    # Only with a profile: these imports cost start-up time.
    from hooks import licence_text
    from hooks import profiles
    if profiles.sha256(data) in profile.sha256:
        return True, 'a known official copy (by digest)'
    if len(data) > MAX_COPY_BYTES:
        return False, 'it is too large to be a licence text'
    text = licence_text.text_of(name, data)
    if text is not None and len(text) > licence_text.MAX_TEXT_BYTES:
        return False, 'it is too large to be a licence text'
    if text is None:
        if data.startswith(b'%PDF-'):
            return False, (
                'a PDF that is not a known official copy, whose text could not '
                'be read (install pypdf to read PDF text)'
            )
        return False, 'its text cannot be read'
    if profile.fingerprints:
        ok, why = licence_text.recognise(text, profile.fingerprints)
        if ok:
            return True, why
    elif profile.phrases:
        norm = licence_text.normalise(text)
        if any(
                all(licence_text.normalise(p) in norm for p in rule)
                for rule in profile.phrases
        ):
            return True, 'it has the phrases that identify the licence'
        why = 'it lacks the phrases that identify the licence'
    else:
        return False, 'the profile says no way to recognise a copy'
    found = what_licence(text, exclude=profile.id)
    if found:
        return False, f'it is {found}, not the {profile.name}'
    return False, why


def what_licence(text: str, exclude: str = '') -> str | None:
    """Name the licence a text is, if a profile or a common licence fits."""
    from hooks import licence_text
    from hooks import profiles
    if len(text) > licence_text.MAX_TEXT_BYTES:
        return None
    norm = licence_text.normalise(text)
    for label, phrases in OTHER_LICENCES:
        if all(p in norm for p in phrases):
            return label
    for profile in profiles.available().values():
        if profile.id == exclude:
            continue
        if profile.fingerprints:
            if licence_text.recognise(text, profile.fingerprints)[0]:
                return f'the {profile.name}'
        elif any(
                all(licence_text.normalise(p) in norm for p in rule)
                for rule in profile.phrases
        ):
            return f'the {profile.name}'
    return None


class Copy(NamedTuple):
    path: str
    problem: str | None  # None: a real copy


def is_license_name(name: str, extra: tuple[str, ...] = ()) -> bool:
    return any(p.search(name) for p in LICENSE_NAMES) or any(
        fnmatch.fnmatch(name.lower(), g.lower()) for g in extra
    )


def covered_folder(path: str, extra: tuple[str, ...] = ()) -> str | None:
    """The folder a licence copy at `path` covers, or None if it is not one."""
    folder, _, name = path.rpartition('/')
    parent, _, base = folder.rpartition('/')
    if base == REUSE_FOLDER and REUSE_TEXT.search(name):
        return parent
    return folder if is_license_name(name, extra) else None


def is_companion(path: str, extra: tuple[str, ...] = ()) -> bool:
    """Is this a file whose change can change what licence copies cover:
    a copy, a REUSE.toml or a REUSE `.license` sidecar?"""
    lowered = path.lower()
    # Every such name has 'licen' or 'copying' in it (or is REUSE.toml):
    # a commit of 100,000 files asks this of each.
    if not extra and 'licen' not in lowered and 'copying' not in lowered and (
            not lowered.endswith('reuse.toml')
    ):
        return False
    name = path.rpartition('/')[2]
    return (
        name == REUSE_TOML or name.endswith('.license') or
        covered_folder(path, extra) is not None
    )


def judge_copy(name: str, data: bytes, size: int) -> str | None:
    """Why this content is not a licence copy, or None if it is one."""
    if size == 0:
        return 'it is empty'
    if size < sniff.LFS_POINTER_MAX and sniff.lfs_pointer(
            Sample(size, data, b'', {}),
    ):
        return None  # stored in Git LFS: the pointer stands for the file
    if name.lower().endswith('.pdf'):
        return None if data.startswith(b'%PDF-') else 'it is not a PDF'
    if not sniff.is_text(data[:1024]):
        return 'it is not a text file'
    text = data.decode('utf-8', 'replace').strip()
    if not text:
        return 'it holds only white space'
    collapsed = ' '.join(text.split())
    if PLACEHOLDER.fullmatch(collapsed):
        return f'it is a placeholder ({collapsed[:40]!r})'
    chars = len(''.join(text.split()))
    if chars < MIN_LICENSE_CHARS and len(data) == size:
        return (
            f'it is too short to be a licence text ({chars} characters; '
            f'a copy of the full licence is needed)'
        )
    return None


REUSE_TOML = 'REUSE.toml'
_SPDX_OPERATORS = frozenset(('AND', 'OR', 'WITH'))


def spdx_ids(expressions: list[str]) -> list[str]:
    """The licence ids in SPDX expressions (operators and brackets dropped)."""
    ids = []
    for expression in expressions:
        for token in re.split(r'[\s()]+', expression.strip()):
            token = token.rstrip('+')
            if token and token.upper() not in _SPDX_OPERATORS:
                ids.append(token)
    return list(dict.fromkeys(ids))


def _reuse_glob(pattern: str) -> re.Pattern[str]:
    """REUSE.toml globs: '*' stays in a folder, '**' crosses folders."""
    parts = re.split(r'(\*\*/?|\*|\?)', pattern)
    regex = ''.join(
        '.*' if p in ('**', '**/') else '[^/]*' if p == '*' else '[^/]' if p == '?'
        else re.escape(p)
        for p in parts
    )
    return re.compile(regex)


def parse_reuse_toml(data: bytes) -> list[tuple[list[str], list[str]]]:
    """(path globs, SPDX expressions) of each [[annotations]] table."""
    parsed = load_toml(data, REUSE_TOML)
    annotations = parsed.get('annotations', [])
    if not isinstance(annotations, list):
        raise UserError(f'{REUSE_TOML}: "annotations" must be an array of tables')
    found = []
    for annotation in annotations:
        if not isinstance(annotation, dict):
            continue
        paths = annotation.get('path', [])
        ids = annotation.get('SPDX-License-Identifier', [])
        paths = [paths] if isinstance(paths, str) else paths
        ids = [ids] if isinstance(ids, str) else ids
        if isinstance(paths, list) and isinstance(ids, list):
            found.append((
                [p for p in paths if isinstance(p, str)],
                [i for i in ids if isinstance(i, str)],
            ))
    return found


class LicenseIndex:
    """Finds the licence copy that covers a path in one snapshot."""

    def __init__(
            self,
            snapshot: Snapshot,
            reader: BlobReader,
            extra_names: tuple[str, ...] = (),
            profile: Profile | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.reader = reader
        self.extra_names = extra_names
        self.profile = profile  # with a profile, only its licence counts
        self._folder_cache: dict[str, list[Copy]] = {}
        self._annotations: list[tuple[list[str], list[str]]] | None = None

    def candidates(self, folder: str) -> list[Entry]:
        files = self.snapshot.folder(folder)
        found = [
            e for n, e in sorted(files.items())
            if is_license_name(n, self.extra_names)
        ]
        reuse = f'{folder}/{REUSE_FOLDER}' if folder else REUSE_FOLDER
        found.extend(
            e for n, e in sorted(self.snapshot.folder(reuse).items())
            if REUSE_TEXT.search(n)
        )
        return found

    def copies_in(self, folder: str) -> list[Copy]:
        if folder not in self._folder_cache:
            entries = self.candidates(folder)
            self.reader.prefetch(entries)
            self._folder_cache[folder] = [self._judge(e) for e in entries]
        return self._folder_cache[folder]

    def _judge(self, entry: Entry) -> Copy:
        if entry.mode == SYMLINK_MODE:
            target = self.reader.sample(entry).head.decode('utf-8', 'replace')
            resolved = posixpath.normpath(
                posixpath.join(posixpath.dirname(entry.path), target),
            )
            if posixpath.isabs(target) or resolved.startswith('..'):
                return Copy(entry.path, 'it is a symlink out of the repository')
            linked = self.snapshot.lookup([resolved]).get(resolved)
            if linked is None or linked.mode not in REGULAR_MODES:
                return Copy(entry.path, 'it is a symlink to nothing tracked')
            entry = Entry(linked.mode, linked.oid, entry.path)
        if entry.mode not in REGULAR_MODES:
            return Copy(entry.path, 'it is not a regular file')
        sample = self.reader.sample(entry)
        name = entry.path.rpartition('/')[2]
        problem = judge_copy(name, sample.head, sample.size)
        if problem is not None or self.profile is None:
            return Copy(entry.path, problem)
        data, size = self.reader.read_whole(entry.oid, MAX_COPY_BYTES)
        if size > MAX_COPY_BYTES:
            return Copy(entry.path, f'it is larger than {MAX_COPY_BYTES} bytes')
        ok, why = genuine(self.profile, name, data)
        if ok:
            return Copy(entry.path, None)
        return Copy(entry.path, f'not a copy of the {self.profile.id} licence: {why}')

    def reuse_association(self, path: str) -> tuple[str, list[str]] | None:
        """(where, licence ids) REUSE associates with a file, if anything:
        its `<file>.license` sidecar, else an annotation in REUSE.toml."""
        sidecar = f'{path}.license'
        entry = self.snapshot.lookup([sidecar]).get(sidecar)
        if entry is not None:
            text = self.reader.sample(entry).head.decode('utf-8', 'replace')
            return sidecar, spdx_ids(re.findall(
                r'SPDX-License-Identifier:\s*(.+)', text,
            ))
        for annotation in self._reuse_annotations():
            if any(_reuse_glob(g).fullmatch(path) for g in annotation[0]):
                return REUSE_TOML, spdx_ids(annotation[1])
        return None

    def _reuse_annotations(self) -> list[tuple[list[str], list[str]]]:
        if self._annotations is None:
            self._annotations = []
            entry = self.snapshot.lookup([REUSE_TOML]).get(REUSE_TOML)
            if entry is not None:
                data, size = self.reader.read_whole(entry.oid, MAX_COPY_BYTES)
                if size > MAX_COPY_BYTES:
                    raise UserError(f'{REUSE_TOML}: larger than {MAX_COPY_BYTES} bytes')
                self._annotations = parse_reuse_toml(data)
        return self._annotations

    def covering(self, path: str) -> tuple[Copy | None, list[Copy]]:
        """(the nearest real copy, the rejected candidates on the way)."""
        rejected: list[Copy] = []
        association = self.reuse_association(path)
        if association is not None:
            where, ids = association
            for lid in ids:
                text = f'{REUSE_FOLDER}/{lid}.txt'
                entry = self.snapshot.lookup([text]).get(text)
                if entry is None:
                    rejected.append(Copy(
                        where, f'it names {lid}, but {text} is not in the commit',
                    ))
                    continue
                copy = self._judge(entry)
                if copy.problem is None:
                    return copy, rejected
                rejected.append(copy)
            if not ids:
                rejected.append(Copy(where, 'it names no SPDX-License-Identifier'))
            return None, rejected
        for folder in ancestors(path):
            for copy in self.copies_in(folder):
                if copy.problem is None:
                    return copy, rejected
                rejected.append(copy)
        return None, rejected


def describe_folders(path: str) -> str:
    folders = [f'{f}/' if f else 'the repository root' for f in ancestors(path)]
    if len(folders) == 1:
        return folders[0]
    if len(folders) > 3:
        folders = folders[:2] + ['any folder above', folders[-1]]
    return ', '.join(folders[:-1]) + ' or ' + folders[-1]
