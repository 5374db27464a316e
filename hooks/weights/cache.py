"""What a file's content and name prove, kept between runs.

A verdict on a file is a function of its bytes (which git names by their
object id), its name and, for a few rules, its siblings and folders.  The
verdicts that depend only on the first two are kept in an SQLite table
under the git directory, keyed by object id and lower-cased file name, in
a file named for this recogniser's version: the second and third hook of
a commit, and later `--all-files` runs, skip reading those files.

Only someone who can write `.git` can change a record, and they can change
the hooks too (SECURITY.md).  A record, a table or a file that cannot be
read is ignored and the file judged afresh: the cache can make a run
slower, never its verdict different.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from typing import Any
from typing import NamedTuple

from ..lazy import lazy
from . import signatures

FOLDER = 'model-license-hooks'
MAX_RECORDS = 2_000_000  # past this many, the table starts again
_SCHEMA = (
    'CREATE TABLE IF NOT EXISTS verdicts (key BLOB PRIMARY KEY, weights INTEGER, '
    'model INTEGER, format TEXT, evidence TEXT, size INTEGER) WITHOUT ROWID'
)


class Cached(NamedTuple):
    weights: bool
    model: bool
    format: str
    evidence: str
    size: int


def key(oid: str, name: str) -> bytes:
    return oid.encode('ascii') + b'\0' + name.lower().encode('utf-8', 'surrogateescape')


# Names whose verdict may depend on their siblings (headerless weights
# beside their descriptor, NumPy arrays beside weights), and folders whose
# files are judged as one bundle: their verdicts are not kept.
_BY_SIBLINGS = lazy('|'.join([r'\.npy$'] + [
    '(?:' + r.pattern.pattern.replace('(?P<stem>', '(?:') + ')'
    for r in signatures.SIBLING_RULES
]))
_IN_BUNDLE = lazy('|'.join(
    '(?:' + r.pattern.pattern.replace('$', '/') + ')' for r in signatures.MODEL_FOLDERS
))


def cacheable(path: str, name: str) -> bool:
    """Whether a verdict on this file depends on its content and name only."""
    lowered = path.lower()
    return not (_BY_SIBLINGS.search(lowered.rpartition('/')[2]) or _IN_BUNDLE.search(lowered))


def _version() -> str:
    """The recogniser's version: a digest of its source (this package, and
    the text rule and the bounds it reads files within)."""
    digest = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    package = os.path.dirname(here)
    sources = [
        *sorted(os.path.join(here, n) for n in os.listdir(here) if n.endswith('.py')),
        os.path.join(package, 'text.py'), os.path.join(package, 'tree', 'sample.py'),
        os.path.join(package, 'tree', 'blob.py'),
    ]
    for source in sources:
        with open(source, 'rb') as f:
            digest.update(os.path.basename(source).encode() + b'\0' + f.read())
    return digest.hexdigest()[:16]


class VerdictCache:
    """The verdicts of one repository (its common git directory)."""

    def __init__(self, git_dir: str) -> None:
        self._folder = os.path.join(git_dir, FOLDER)
        self._db: Any = None
        self._failed = False

    def _open(self) -> Any:
        if self._db is not None or self._failed:
            return self._db
        try:
            import sqlite3  # only when the cache is used: start-up time
            version = _version()
            os.makedirs(self._folder, exist_ok=True)
            path = os.path.join(self._folder, f'verdicts-{version}.sqlite3')
            for old in os.listdir(self._folder):  # other versions' tables
                if old.startswith('verdicts-') and old != os.path.basename(path):
                    os.unlink(os.path.join(self._folder, old))
            db = sqlite3.connect(path, timeout=2, isolation_level=None)
            db.execute('PRAGMA journal_mode=WAL')
            db.execute(_SCHEMA)
            self._db = db
        except Exception:  # unwritable, damaged, locked: judge afresh
            self._failed = True
        return self._db

    def get(self, keys: Iterable[bytes]) -> dict[bytes, Cached]:
        wanted = list(keys)
        if not wanted:
            return {}
        db = self._open()
        if db is None:
            return {}
        found: dict[bytes, Cached] = {}
        try:
            for start in range(0, len(wanted), 500):  # SQLite's host-parameter limit
                part = wanted[start:start + 500]
                rows = db.execute(
                    'SELECT key, weights, model, format, evidence, size FROM verdicts '
                    f'WHERE key IN ({",".join("?" * len(part))})', part,
                )
                for k, weights, model, fmt, evidence, size in rows:
                    if (isinstance(fmt, str) and fmt and isinstance(evidence, str) and
                            isinstance(size, int) and size >= 0):
                        found[bytes(k)] = Cached(
                            bool(weights), bool(model), fmt, evidence, size,
                        )
        except Exception:
            self._failed, self._db = True, None
            return {}
        return found

    def put(self, records: dict[bytes, Cached]) -> None:
        """Keep these verdicts, then close: a run's lookups and writes are
        done by then, and an open connection must not outlive its run."""
        try:
            self._put(records)
        finally:
            self.close()

    def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            try:
                db.close()
            except Exception:  # closing what failed: nothing to keep
                pass

    def _put(self, records: dict[bytes, Cached]) -> None:
        db = self._open() if records else None
        if db is None:
            return
        try:
            (count,) = db.execute('SELECT count(*) FROM verdicts').fetchone()
            db.execute('BEGIN')
            if count + len(records) > MAX_RECORDS:
                db.execute('DELETE FROM verdicts')
            db.executemany(
                'INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?, ?, ?, ?)',
                [(k, int(c.weights), int(c.model), c.format, c.evidence, c.size)
                 for k, c in records.items()],
            )
            db.execute('COMMIT')
        except Exception:
            self._failed = True  # closed by put()
