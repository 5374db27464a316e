"""Licence copies: which files are one, whether one is real, what it covers."""
from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import NamedTuple

from hooks import sniff
from hooks.gitview import Sample
from hooks.gitview import ancestors
from hooks.gitview import BlobReader
from hooks.gitview import Entry
from hooks.gitview import REGULAR_MODES
from hooks.gitview import SYMLINK_MODE
from hooks.gitview import Snapshot

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


class LicenseIndex:
    """Finds the licence copy that covers a path in one snapshot."""

    def __init__(
            self,
            snapshot: Snapshot,
            reader: BlobReader,
            extra_names: tuple[str, ...] = (),
    ) -> None:
        self.snapshot = snapshot
        self.reader = reader
        self.extra_names = extra_names
        self._folder_cache: dict[str, list[Copy]] = {}

    def candidates(self, folder: str) -> list[Entry]:
        files = self.snapshot.folders.get(folder, {})
        found = [
            e for n, e in sorted(files.items())
            if is_license_name(n, self.extra_names)
        ]
        reuse = f'{folder}/{REUSE_FOLDER}' if folder else REUSE_FOLDER
        found.extend(
            e for n, e in sorted(self.snapshot.folders.get(reuse, {}).items())
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
            linked = self.snapshot.entries.get(resolved)
            if linked is None or linked.mode not in REGULAR_MODES:
                return Copy(entry.path, 'it is a symlink to nothing tracked')
            entry = Entry(linked.mode, linked.oid, entry.path)
        if entry.mode not in REGULAR_MODES:
            return Copy(entry.path, 'it is not a regular file')
        sample = self.reader.sample(entry)
        name = entry.path.rpartition('/')[2]
        return Copy(entry.path, judge_copy(name, sample.head, sample.size))

    def covering(self, path: str) -> tuple[Copy | None, list[Copy]]:
        """(the nearest real copy, the rejected candidates on the way)."""
        rejected: list[Copy] = []
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
