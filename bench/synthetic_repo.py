"""The synthetic repositories: what they hold, how they are built, and the
commits that take them from one phase to the next."""
from __future__ import annotations

import os
import random
import struct
import time
from typing import NamedTuple

from common import GIB
from common import git
from common import KIB
from common import log
from common import MIB
from common import TIB
from common import zsplit
from content import CARD_FRONT_MATTER
from content import CHANGELOG
from content import CHANGELOG_ENTRY
from content import FIXTURE_GITATTRIBUTES
from content import GITATTRIBUTES
from content import json_config
from content import lfs_pointer
from content import licence_copy
from content import make_pools
from content import markdown
from content import model_config
from content import png
from content import Pools
from content import POOL_SIZE
from content import python_source
from content import small_safetensors
from content import write_sparse_weights
from git_index import fast_import_blobs
from git_index import patch_index_stat

BIG_CYCLE = (2 * GIB, 4 * GIB, 8 * GIB)
SMALL_WEIGHT = 1 * MIB
SHARDS_PER_MODEL = 4
# Files are written with an mtime this far in the past, so that git's stat
# cache holds them as clean (not "racily clean") when the index is written.
MTIME_AGE = 3600
# Keep git's on-disk formats simple and its caches off, whatever the global
# configuration says: the index is patched in place (see patch_index_stat).
REPO_CONFIG = (
    ('index.version', '2'),
    ('core.splitIndex', 'false'),
    ('core.untrackedCache', 'false'),
    ('core.fsmonitor', 'false'),
    ('commit.gpgSign', 'false'),
    ('gc.auto', '0'),
    ('user.name', 'bench'),
    ('user.email', 'bench@example.invalid'),
)


class Plan(NamedTuple):
    files: int
    weights: int
    fixtures: int
    counts: dict[str, int]  # kind -> number of files, every kind


def make_plan(files: int, weights: int) -> Plan:
    models = -(-weights // SHARDS_PER_MODEL)
    fixtures = min(10, max(3, files // 2000))
    # LICENSE, README.md, CHANGELOG.md, pyproject.toml, .gitattributes,
    # the fixtures' .gitattributes; a config.json and README.md per model.
    fixed = 6 + fixtures + weights + 2 * models
    rest = files - fixed
    if rest < 4:
        raise SystemExit(
            f'{files} files is too small for {weights} weights: '
            f'need at least {fixed + 4}',
        )
    md = rest * 20 // 100
    png_n = rest * 12 // 100
    js = rest * 13 // 100
    py = rest - md - png_n - js
    counts = {
        'python': py, 'markdown': md + models + 2, 'png': png_n,
        'json': js + models, 'small safetensors (in git)': fixtures,
        'LFS weights': weights, 'other': 4,
    }
    assert sum(counts.values()) == files
    return Plan(files, weights, fixtures, counts)


def weight_count(files: int, percent: float) -> int:
    return max(SHARDS_PER_MODEL, round(files * percent / 100))


def weight_sizes(weights: int, big: bool, tib_ok: bool) -> list[int]:
    """Bytes of tensor data per weight file (the file adds a small header)."""
    if not big:
        return [SMALL_WEIGHT] * weights
    sizes = [BIG_CYCLE[i % len(BIG_CYCLE)] for i in range(weights)]
    if tib_ok and sizes:
        sizes[-1] = TIB
    return sizes


def model_count(plan: Plan) -> int:
    return -(-plan.weights // SHARDS_PER_MODEL)


class Built(NamedTuple):
    root: str
    staged: list[str]
    small_bytes: int  # the ordinary files, in all
    weight_bytes: int  # logical size of the LFS weights in the work tree
    disk_bytes: int  # what the LFS weights really take on disk
    stat_dirty: int  # entries git's stat cache does not hold as clean
    seconds: float  # to build


class WorkTree:
    """Writes files dated back by MTIME_AGE, creating each folder once."""

    def __init__(self, root: str, mtime: float) -> None:
        self.root = root
        self.mtime = mtime
        self.folders: set[str] = set()
        self.paths: list[str] = []
        self.bytes = 0

    def put(self, rel: str, data: bytes) -> None:
        folder = rel.rpartition('/')[0]
        if folder not in self.folders:
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            self.folders.add(folder)
        fd = os.open(
            os.path.join(self.root, rel),
            os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644,
        )
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.utime(fd, (self.mtime, self.mtime))
        finally:
            os.close(fd)
        self.paths.append(rel)
        self.bytes += len(data)


def build_repo(
        root: str, plan: Plan, sizes: list[int], seed: int, jobs: int,
) -> Built:
    """The repository with every file staged on top of one empty commit.

    Blobs are written with `git fast-import` into packs and indexed with one
    `git update-index --index-info` (what `git add` does, without writing
    100,000 loose objects); the index then gets every file's stat data (see
    patch_index_stat), so that git holds the whole work tree as clean.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    pools = make_pools(random.Random(f'pools:{seed}'))
    _init_repo(root)
    tree = WorkTree(root, time.time() - MTIME_AGE)
    # The order of the writes fixes what `rng` draws for each file.
    _write_ordinary_files(tree, plan, rng, pools)
    weights, disk = _write_weights(tree, plan, sizes, rng, pools)
    written = time.perf_counter()
    paths = tree.paths + [rel for rel, _ in weights]
    sources: list[str | bytes] = [*tree.paths, *(lfs_pointer(r, s) for r, s in weights)]
    oids = fast_import_blobs(root, sources, jobs)
    imported = time.perf_counter()
    git(
        root, 'update-index', '--index-info',
        stdin=''.join(f'100644 {oid}\t{rel}\n' for oid, rel in zip(oids, paths)).encode(),
    )
    patch_index_stat(root, paths)

    staged = zsplit(git(
        root, 'diff', '--staged', '--name-only', '--no-ext-diff', '-z',
        '--diff-filter=ACMRTUXB',
    ))
    dirty = zsplit(git(root, 'diff-files', '--name-only', '-z'))
    log(
        f'  {len(paths):,} files written in {written - started:.1f} s, blobs '
        f'imported in {imported - written:.1f} s, indexed in '
        f'{time.perf_counter() - imported:.1f} s',
    )
    return Built(
        root, staged, tree.bytes, sum(s for _, s in weights), disk, len(dirty),
        time.perf_counter() - started,
    )


def _init_repo(root: str) -> None:
    os.makedirs(root)
    git(root, 'init', '-q', '-b', 'main')
    for key, value in REPO_CONFIG:
        git(root, 'config', key, value)
    git(
        root, '-c', 'core.hooksPath=/dev/null',
        'commit', '-q', '--allow-empty', '--no-verify', '-m', 'initial empty commit',
    )


def _write_ordinary_files(
        tree: WorkTree, plan: Plan, rng: random.Random, pools: Pools,
) -> None:
    """Every file but the model folders: licence, docs, source, images, configs."""
    put = tree.put
    put('LICENSE', licence_copy())
    put('README.md', CARD_FRONT_MATTER.encode() + markdown(rng, pools, 0, 3000))
    put('CHANGELOG.md', CHANGELOG.encode())
    put('pyproject.toml', b'[project]\nname = "bench"\nversion = "0.1.0"\n')
    put('.gitattributes', GITATTRIBUTES.encode())
    put('tests/fixtures/.gitattributes', FIXTURE_GITATTRIBUTES.encode())
    for i in range(plan.fixtures):
        put(
            f'tests/fixtures/tiny_{i:02d}.safetensors',
            small_safetensors(rng, rng.choice((4, 64, 256, 1024))),
        )
    c = plan.counts
    models = model_count(plan)
    for i in range(c['python']):
        big = rng.random() < 0.03
        target = (
            rng.randrange(40 * KIB, 120 * KIB) if big else rng.randrange(800, 8 * KIB)
        )
        put(f'src/pkg{i // 40:04d}/mod_{i:06d}.py', python_source(rng, pools, i, target))
    for i in range(c['markdown'] - models - 2):
        big = rng.random() < 0.03
        target = (
            rng.randrange(40 * KIB, 80 * KIB) if big else rng.randrange(500, 10 * KIB)
        )
        put(f'docs/part{i // 50:04d}/page_{i:06d}.md', markdown(rng, pools, i, target))
    for i in range(c['png']):
        side = rng.randrange(100, 250) if rng.random() < 0.1 else rng.randrange(8, 48)
        put(f'docs/images/set{i // 50:04d}/img_{i:06d}.png', png(rng, side, side))
    for i in range(c['json'] - models):
        keys = rng.randrange(1000, 2500) if rng.random() < 0.03 else rng.randrange(4, 60)
        put(
            f'configs/group{i // 50:04d}/cfg_{i:06d}.json',
            json_config(rng, pools, i, min(keys, POOL_SIZE)),
        )


def _write_weights(
        tree: WorkTree, plan: Plan, sizes: list[int], rng: random.Random, pools: Pools,
) -> tuple[list[tuple[str, int]], int]:
    """Model folders of shards, tracked with Git LFS: (path, size) of each
    sparse weight file, and the bytes they take on disk."""
    weights: list[tuple[str, int]] = []
    disk = 0
    for m in range(model_count(plan)):
        shards = min(SHARDS_PER_MODEL, plan.weights - m * SHARDS_PER_MODEL)
        folder = f'models/model-{m:04d}'
        tree.put(f'{folder}/config.json', model_config(m, shards))
        tree.put(
            f'{folder}/README.md',
            CARD_FRONT_MATTER.encode() + markdown(rng, pools, m, 2000),
        )
        for k in range(shards):
            rel = f'{folder}/model-{k + 1:05d}-of-{shards:05d}.safetensors'
            path = os.path.join(tree.root, rel)
            size = write_sparse_weights(path, sizes[m * SHARDS_PER_MODEL + k])
            os.utime(path, (tree.mtime, tree.mtime))
            st = os.stat(path)
            disk += st.st_blocks * 512
            if st.st_blocks * 512 > MIB:
                raise SystemExit(
                    f'{path}: the filesystem allocated {st.st_blocks * 512} '
                    f'bytes for a sparse file: stopping (use --tmpdir)',
                )
            weights.append((rel, size))
    return weights, disk


class SmallCommit(NamedTuple):
    staged: list[str]  # the changed paths, staged
    changed_bytes: int  # their size in the work tree, in all
    stat_dirty: int  # entries git's stat cache does not hold as clean
    tracked: int  # index entries in all


def commit_and_change(root: str, staged: list[str], n: int, seed: int) -> SmallCommit:
    """Commit everything, then change `n` tracked files and stage them:
    n - 2 Python modules get a line appended, one small safetensors file kept
    in git gets new tensor values (same header, still valid), and CHANGELOG.md
    gets an entry saying so (check-model-changelog asks for one).

    The changed files are dated back too (a minute after the rest), so that
    the index `git add` writes holds them as clean, not racily clean; the
    untouched entries, the LFS weights' hand-made stat data among them, keep
    the stat data they had.
    """
    git(
        root, '-c', 'core.hooksPath=/dev/null',
        'commit', '-q', '--no-verify', '-m', 'base',
    )
    rng = random.Random(f'small-commit:{seed}')
    python = sorted(p for p in staged if p.startswith('src/') and p.endswith('.py'))
    fixtures = sorted(
        p for p in staged
        if p.startswith('tests/fixtures/') and p.endswith('.safetensors')
    )
    if len(python) < n - 2 or not fixtures:
        raise SystemExit(f'too few files for a small commit of {n} files')
    fixture = rng.choice(fixtures)
    chosen = sorted(rng.sample(python, n - 2)) + [fixture, 'CHANGELOG.md']
    mtime = time.time() - MTIME_AGE + 60
    changed_bytes = 0
    for rel in chosen:
        path = os.path.join(root, rel)
        with open(path, 'rb') as f:
            data = _changed(rel, f.read(), fixture, rng)
        with open(path, 'wb') as f:
            f.write(data)
        os.utime(path, (mtime, mtime))
        changed_bytes += len(data)
    git(
        root, '--literal-pathspecs', 'add', '--pathspec-from-file=-',
        '--pathspec-file-nul', stdin='\0'.join(chosen).encode(),
    )
    now_staged = zsplit(git(
        root, 'diff', '--staged', '--name-only', '--no-ext-diff', '-z',
    ))
    if sorted(now_staged) != sorted(chosen):
        raise SystemExit(
            f'staged {len(now_staged)} paths after the small change, '
            f'expected {len(chosen)}',
        )
    dirty = zsplit(git(root, 'diff-files', '--name-only', '-z'))
    tracked = git(root, 'ls-files', '-z').count(b'\0')
    return SmallCommit(chosen, changed_bytes, len(dirty), tracked)


def _changed(rel: str, data: bytes, fixture: str, rng: random.Random) -> bytes:
    """The new content of one file of the small commit."""
    if rel.endswith('.py'):
        return data + b'\n# bench: a small change\n'
    if rel == 'CHANGELOG.md':
        name = fixture.rpartition('/')[2]
        return data + CHANGELOG_ENTRY.format(name=name).encode()
    (header_len,) = struct.unpack('<Q', data[:8])
    start = 8 + header_len
    count = (len(data) - start) // 4
    values = struct.pack(f'<{count}f', *(rng.uniform(-1, 1) for _ in range(count)))
    new = data[:start] + values
    if new == data or len(new) != len(data):
        raise SystemExit(f'{rel}: could not change its tensor data')
    return new


def commit_all(root: str) -> tuple[list[str], int]:
    """Commit what is staged; the tracked paths, and stat-dirty entries."""
    git(
        root, '-c', 'core.hooksPath=/dev/null',
        'commit', '-q', '--no-verify', '-m', 'small change',
    )
    if zsplit(git(root, 'diff', '--staged', '--name-only', '-z')):
        raise SystemExit(f'{root}: files still staged after the commit')
    dirty = zsplit(git(root, 'diff-files', '--name-only', '-z'))
    return zsplit(git(root, 'ls-files', '-z')), len(dirty)


def probe_sparse(folder: str) -> bool:
    """Does this filesystem make sparse files, and one of 1 TiB?"""
    probe = os.path.join(folder, 'sparse-probe')
    try:
        with open(probe, 'wb') as f:
            f.write(b'x')
        os.truncate(probe, 64 * MIB)
        if os.stat(probe).st_blocks * 512 > MIB:
            raise SystemExit(
                f'{folder}: this filesystem does not make sparse files; '
                f'use --tmpdir on one that does (ext4, xfs, btrfs, tmpfs)',
            )
        try:
            os.truncate(probe, TIB + 4096)
        except OSError as exc:
            log(f'no 1 TiB sparse file here ({exc.strerror}): largest is 8 GiB')
            return False
        return os.stat(probe).st_blocks * 512 <= MIB
    finally:
        if os.path.exists(probe):
            os.unlink(probe)
