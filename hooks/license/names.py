"""Which files are licence copies, and which folders a copy covers."""
from __future__ import annotations

import fnmatch
import re

from ..lazy import lazy
from ..tree.listing import ancestors

# File names (not paths) of licence copies.
LICENSE_NAMES = (
    lazy(r'^(licen[cs]e|copying)(\.(md|markdown|txt|rst))?$', re.I),
    # LICENSE-MODEL, LICENSE-APACHE: not license_checker.py
    lazy(
        r'^(LICEN[CS]E|Licen[cs]e|licen[cs]e)[-_]'
        r'(MODEL|Model|model|[A-Z0-9][A-Za-z0-9.+-]*)(\.(md|txt|rst))?$',
    ),
    lazy(r'^model[-_]?licen[cs]e([-_][\w-]+)?(\.(md|txt|rst|pdf))?$', re.I),
    lazy(r'licen[cs](e|ing)[^/]*\.pdf$', re.I),
)
REUSE_FOLDER = 'LICENSES'  # REUSE keeps licence texts in LICENSES/<id>.txt
REUSE_TEXT = lazy(r'\.(txt|md)$', re.I)
REUSE_TOML = 'REUSE.toml'
SIDECAR_SUFFIX = '.license'
NAMES_HELP = (
    'LICENSE, LICENCE or COPYING (optionally .md, .txt or .rst), '
    'LICENSE-MODEL, MODEL_LICENSE*, a licence agreement PDF, '
    'or LICENSES/<id>.txt'
)


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


def is_reuse_file(name: str) -> bool:
    """REUSE.toml or a `<file>.license` sidecar: they decide alone."""
    return name == REUSE_TOML or name.endswith(SIDECAR_SUFFIX)


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
    return is_reuse_file(path.rpartition('/')[2]) or covered_folder(path, extra) is not None


def describe_folders(path: str) -> str:
    """'models/a/, models/ or the repository root': where a copy may be."""
    folders = [f'{f}/' if f else 'the repository root' for f in ancestors(path)]
    if len(folders) == 1:
        return folders[0]
    if len(folders) > 3:
        folders = folders[:2] + ['any folder above', folders[-1]]
    return ', '.join(folders[:-1]) + ' or ' + folders[-1]
