"""Find the licence copy that covers a path in a tree."""
from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import NamedTuple
from typing import TYPE_CHECKING

from ..errors import UserError
from ..tree.listing import ancestors
from ..tree.listing import Entry
from ..tree.listing import join
from ..tree.listing import REGULAR_MODES
from ..tree.listing import SYMLINK_MODE
from ..tree.trees import Tree
from ..weights.headers import lfs_pointer
from . import reuse
from .copies import Candidate
from .copies import genuine
from .copies import judge_copy
from .copies import MAX_COPY_BYTES
from .copies import plainly_not_a_copy
from .names import is_license_name
from .names import REUSE_FOLDER
from .names import REUSE_TEXT
from .names import REUSE_TOML
from .names import SIDECAR_SUFFIX

if TYPE_CHECKING:
    from .profiles import Profile


class Copy(NamedTuple):
    path: str
    problem: str | None  # None: a real copy


class CopyFinder:
    """The licence copies of one tree, judged once each, for one profile
    (with a profile, only a genuine copy of its licence counts)."""

    def __init__(
            self,
            tree: Tree,
            extra_names: tuple[str, ...] = (),
            profile: Profile | None = None,
            known: Iterable[Profile] = (),
            candidates: dict[tuple[str, str], Candidate | str] | None = None,
    ) -> None:
        self.tree = tree
        self.extra_names = extra_names
        self.profile = profile
        self.known = tuple(known)  # known licences are copies; to name a wrong copy
        # each blob's content read and judged once a run, by every finder
        self.contents = {} if candidates is None else candidates
        self._folders: dict[str, list[Copy]] = {}
        self._annotations: list[reuse.Annotation] | None = None

    def candidates(self, folder: str) -> list[Entry]:
        files = self.tree.folder(folder)
        found = [
            e for n, e in sorted(files.items())
            if is_license_name(n, self.extra_names)
        ]
        found.extend(
            e for n, e in sorted(self.tree.folder(join(folder, REUSE_FOLDER)).items())
            if REUSE_TEXT.search(n)
        )
        return found

    def copies_in(self, folder: str) -> list[Copy]:
        if folder not in self._folders:
            entries = self.candidates(folder)
            self.tree.prefetch(entries)
            self._folders[folder] = [self.judge(e) for e in entries]
        return self._folders[folder]

    def judge(self, entry: Entry) -> Copy:
        """Is this candidate a copy (of the profile's licence, with one)?"""
        found = self.candidate(entry)
        if isinstance(found, str):
            return Copy(entry.path, found)
        if self.profile is None:
            return Copy(entry.path, judge_copy(found, self.known))
        problem = plainly_not_a_copy(found)  # the profile judges the rest
        if problem is not None:
            return Copy(entry.path, problem)
        ok, why = genuine(self.profile, found, self.known)
        if ok:
            return Copy(entry.path, None)
        return Copy(entry.path, f'not a copy of the {self.profile.id} licence: {why}')

    def candidate(self, entry: Entry) -> Candidate | str:
        """The content of a licence candidate (through a symlink, from Git
        LFS), or why it has none to judge."""
        if entry.mode == SYMLINK_MODE:
            target = self.tree.sample(entry).head.decode('utf-8', 'replace')
            resolved = posixpath.normpath(
                posixpath.join(posixpath.dirname(entry.path), target),
            )
            if posixpath.isabs(target) or resolved.startswith('..'):
                return 'it is a symlink out of the repository'
            linked = self.tree.entry(resolved)
            if linked is None or linked.mode not in REGULAR_MODES:
                return 'it is a symlink to nothing tracked'
            entry = Entry(linked.mode, linked.oid, entry.path)
        if entry.mode not in REGULAR_MODES:
            return 'it is not a regular file'
        name = entry.path.rpartition('/')[2]
        key = (entry.oid, name)
        if key not in self.contents:
            self.contents[key] = self._read(entry, name)
        return self.contents[key]

    def _read(self, entry: Entry, name: str) -> Candidate | str:
        sample = self.tree.sample(entry)
        pointer = lfs_pointer(sample)
        if pointer is not None:
            # Stored in Git LFS: the pointer is only a promise of the text.
            data = self.tree.lfs_content(entry, pointer.oid, pointer.size, MAX_COPY_BYTES)
            if data is None:
                return (
                    f'it is stored in Git LFS and its content is not here: run '
                    f'git lfs pull --include={entry.path!r}, or keep licence texts '
                    f'out of Git LFS'
                )
            return Candidate(name, data)
        if sample.size > MAX_COPY_BYTES:
            return f'it is larger than {MAX_COPY_BYTES} bytes'
        if sample.whole:
            return Candidate(name, sample.head)
        data, size = self.tree.read(entry, MAX_COPY_BYTES)
        if size > MAX_COPY_BYTES:
            return f'it is larger than {MAX_COPY_BYTES} bytes'
        return Candidate(name, data, size)

    def reuse_association(self, path: str) -> tuple[str, list[str] | str] | None:
        """(where, licence ids or why they cannot be read) REUSE associates
        with a file, if anything: its `<file>.license` sidecar, else an
        annotation in REUSE.toml."""
        sidecar = path + SIDECAR_SUFFIX
        entry = self.tree.entry(sidecar)
        try:
            if entry is not None:
                text = self.tree.sample(entry).head.decode('utf-8', 'replace')
                return sidecar, reuse.sidecar_ids(text)
            for globs, expressions in self._reuse_annotations():
                if any(reuse.glob(g).fullmatch(path) for g in globs):
                    return REUSE_TOML, reuse.spdx_ids(expressions)
        except reuse.SpdxError as exc:
            return (sidecar if entry is not None else REUSE_TOML), str(exc)
        return None

    def _reuse_annotations(self) -> list[reuse.Annotation]:
        if self._annotations is None:
            self._annotations = []
            entry = self.tree.entry(REUSE_TOML)
            if entry is not None:
                data, size = self.tree.read(entry, MAX_COPY_BYTES)
                if size > MAX_COPY_BYTES:
                    raise UserError(f'{REUSE_TOML}: larger than {MAX_COPY_BYTES} bytes')
                self._annotations = reuse.parse_reuse_toml(data)
        return self._annotations

    def covering(self, path: str) -> tuple[Copy | None, list[Copy]]:
        """(the nearest real copy, the rejected candidates on the way)."""
        rejected: list[Copy] = []
        association = self.reuse_association(path)
        if association is not None:
            where, ids = association
            if isinstance(ids, str):
                return None, [Copy(where, ids)]
            for lid in ids:
                text = f'{REUSE_FOLDER}/{lid}.txt'
                entry = self.tree.entry(text)
                if entry is None:
                    rejected.append(Copy(
                        where, f'it names {lid}, but {text} is not in the commit',
                    ))
                    continue
                copy = self.judge(entry)
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
