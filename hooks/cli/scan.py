"""model-license-hooks scan: what the hooks treat as model weights, and why."""
from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

from ..rules.judge import Judge
from ..rules.settings import build
from ..tree.blob import FileBlob
from ..tree.git import enter_repo_root
from ..tree.git import git_root_of
from ..tree.sample import sample_file
from ..tree.trees import GitRepo
from ..weights.classify import classify
from ..weights.classify import Verdict
from ..weights.metadata import FORMATS
from ..weights.metadata import licence_metadata
from ..weights.metadata import Metadata
from ..weights.names import Overrides


def _walk(paths: Sequence[str]) -> Iterator[str]:
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != '.git')
                for name in sorted(files):
                    yield os.path.join(folder, name)
        else:
            yield path


def scan_disk(paths: Sequence[str], overrides: Overrides) -> tuple[list[Verdict], list[str]]:
    """Classify files on disk (a download, an untracked folder)."""
    verdicts, errors = [], []
    listings: dict[str, list[str]] = {}
    for path in _walk(paths):
        shown = os.path.normpath(path).replace(os.sep, '/')
        if os.path.islink(path):
            verdicts.append(Verdict(shown, False, 'symlink', 'a symbolic link'))
            continue
        folder = os.path.dirname(path) or '.'
        if folder not in listings:
            try:
                listings[folder] = os.listdir(folder)
            except OSError:
                listings[folder] = []
        try:
            sample = sample_file(path)
        except OSError as exc:
            errors.append(f'{shown}: cannot read: {exc.strerror or exc}')
            continue
        verdicts.append(classify(
            shown, sample, listings[folder], overrides=overrides,
            open=functools.partial(_open, path),
        ))
    return verdicts, errors


def _open(path: str) -> FileBlob | None:
    try:
        return FileBlob(path)
    except OSError:
        return None


def scan_tracked(given: dict[str, Any]) -> tuple[list[Verdict], Callable[[Verdict], Metadata]]:
    """Classify every tracked file as the index holds it; and what licence
    metadata a weight file carries, read as the Judge reads it."""
    enter_repo_root()
    repo = GitRepo()
    judge = Judge(build(given, repo.index))
    verdicts = judge.classify(repo.index, repo.index.paths())
    return verdicts, functools.partial(judge.metadata, repo.index)


def _disk_metadata(verdict: Verdict) -> Metadata:
    """The licence metadata of a file on disk, from the same sample."""
    if verdict.format not in FORMATS:
        return ()
    try:
        return licence_metadata(verdict.format, sample_file(verdict.path))
    except OSError:
        return ()


def _json(verdict: Verdict, metadata: Callable[[Verdict], Metadata]) -> dict[str, Any]:
    found = verdict._asdict()
    if verdict.weights or verdict.model:
        found['licence_metadata'] = dict(metadata(verdict))
    return found


def _line(v: Verdict) -> str:
    lfs = f', Git LFS pointer to {v.size} bytes' if v.lfs else ''
    if v.weights:
        return f'{v.path}: {v.format}{lfs} ({v.evidence})'
    if v.model:
        return f'{v.path}: model file without weights, {v.format}{lfs} ({v.evidence})'
    return f'{v.path}: not weights{lfs} ({v.evidence})'


def scan(paths: Sequence[str], given: dict[str, Any], *, as_json: bool, show_all: bool) -> int:
    if paths:
        # The settings of the repository here, if any, then the options.
        top = git_root_of(os.getcwd())
        tree = GitRepo(top).index if top else None
        verdicts, errors = scan_disk(paths, build(given, tree).overrides)
        metadata: Callable[[Verdict], Metadata] = _disk_metadata
    else:
        (verdicts, metadata), errors = scan_tracked(given), []
    shown = [v for v in verdicts if v.weights or v.model or show_all]
    if as_json:
        print(json.dumps([_json(v, metadata) for v in shown], indent=2))
    else:
        for v in shown:
            print(_line(v))
        count = sum(v.weights for v in verdicts)
        graphs = sum(v.model and not v.weights for v in verdicts)
        also = f', {graphs} model files without weights' if graphs else ''
        print(f'{count} of {len(verdicts)} files are model weights{also}', file=sys.stderr)
    for error in errors:
        print(error, file=sys.stderr)
    return 2 if errors else 0
