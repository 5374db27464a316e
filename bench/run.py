"""Benchmark the model-license hooks at 1,000, 10,000 and 100,000 files.

For each repository size, builds a synthetic git repository (source, docs,
images, configs, a few small safetensors files kept in git, and about 1%
large sparse safetensors weights tracked with Git LFS: pointer blobs in the
index, sparse files in the work tree), then times, with the paths passed as
arguments the way pre-commit passes them (PRE_COMMIT=1, split into chunks
of at most 128 KiB of arguments):

- check-model-license, check-model-changelog, check-model-attribution
  (require_serial: the chunks run one after the other),
- check-added-large-files (not require_serial: pre-commit's partitions,
  two at a time on this 2-core machine),
- the floor: `python -c pass` plus one `git ls-files -z`,

in three phases: every file staged (the first commit of a large import);
10 files staged in the committed repository (the everyday commit); and,
with everything committed, every tracked path (`pre-commit run
--all-files`), where `reuse lint` runs too.  At the size nearest 10,000 the
repository is built a second time with 1 MiB weights, to show whether cost
follows weight size.  Also measures each hook module's import time, checks
the targets of the benchmark issue, profiles one invocation of each hook
with cProfile, and writes Markdown to bench/RESULTS.md.  Standard library
only; the tools under test run as subprocesses.  `--help` lists the options.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import pstats
import queue
import random
import re
import resource
import shlex
import shutil
import statistics
import struct
import subprocess
import sys
import sysconfig
import tempfile
import time
import zlib
from collections.abc import Callable
from collections.abc import Sequence
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, 'RESULTS.md')

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
TIB = 1024 * GIB
BIG_CYCLE = (2 * GIB, 4 * GIB, 8 * GIB)
SMALL_WEIGHT = 1 * MIB
SHARDS_PER_MODEL = 4
# Files are written with an mtime this far in the past, so that git's stat
# cache holds them as clean (not "racily clean") when the index is written.
MTIME_AGE = 3600

HOOKS = ('check-model-license', 'check-model-changelog', 'check-model-attribution')
HOOK_MODULES = {
    'check-model-license': 'hooks.check_model_license',
    'check-model-changelog': 'hooks.check_model_changelog',
    'check-model-attribution': 'hooks.check_model_attribution',
}
LARGE = 'check-added-large-files'
REUSE = 'reuse lint'
FLOOR = 'floor: python -c pass + git ls-files -z'
DEFAULT_SIZES = (1000, 10000, 100000)
QUICK_SIZES = (1000, 5000)
# pre-commit (xargs.py): at most 2**17 bytes of command line per invocation,
# and for hooks that are not require_serial, files shuffled with this seed
# and split into at least cpu_count() partitions run that many at a time.
PRE_COMMIT_MAX_BYTES = 2 ** 17
PRE_COMMIT_SEED = 1542676187

STAGED_ALL = 'staged-all'
STAGED_SMALL = 'staged-small'
ALL_FILES = 'all-files'
PHASES = (STAGED_ALL, STAGED_SMALL, ALL_FILES)
SPARSE = 'sparse multi-GiB'
SMALL = '1 MiB'

# Enough of the Apache License 2.0 for a licence copy (over 100 characters)
# that names itself; the model cards say `license: apache-2.0`.
APACHE = """
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   1. Definitions.

      "License" shall mean the terms and conditions for use, reproduction,
      and distribution as defined by Sections 1 through 9 of this document.

      "Licensor" shall mean the copyright owner or entity authorized by
      the copyright owner that is granting the License.

   (The rest of the licence text is left out of this benchmark fixture.)
"""
CARD_FRONT_MATTER = '---\nlicense: apache-2.0\nlibrary_name: bench\n---\n\n'
CHANGELOG = """# Changelog

## [Unreleased]

### Added

- Model weights for every model under models/, converted from the upstream
  checkpoints to safetensors.
- Small safetensors fixtures for the tests.
"""
CHANGELOG_ENTRY = '- Refreshed the tensor values of {name} for the tests.\n'
GITATTRIBUTES = '*.safetensors filter=lfs diff=lfs merge=lfs -text\n'
# Tiny test fixtures are kept in git itself, not in LFS.
FIXTURE_GITATTRIBUTES = '*.safetensors !filter !diff !merge\n'
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


_STARTED = time.perf_counter()


def log(msg: str) -> None:
    print(f'{time.perf_counter() - _STARTED:6.0f} s  {msg}', file=sys.stderr, flush=True)


def git(
        repo: str,
        *args: str,
        stdin: bytes | None = None,
) -> bytes:
    proc = subprocess.run(
        ('git', *args), cwd=repo, input=stdin, capture_output=True,
        env=clean_env(),
    )
    if proc.returncode:
        raise SystemExit(
            f'git {" ".join(args[:3])} failed ({proc.returncode}): '
            f'{proc.stderr.decode(errors="replace").strip()}',
        )
    return proc.stdout


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without git or pre-commit state, and without
    PYTHONDONTWRITEBYTECODE (installed packages have their bytecode)."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(('GIT_', 'PRE_COMMIT')) and k != 'PYTHONDONTWRITEBYTECODE'
    }
    env.update(extra)
    return env


def zsplit(out: bytes) -> list[str]:
    return [p for p in out.decode().split('\0') if p]


# --- file contents -----------------------------------------------------------

WORDS = (
    'model weights licence tensor layer config token batch shard index '
    'commit stage repository folder checkpoint format header sample value '
    'option record parser reader writer buffer stream offset length'
).split()
POOL_SIZE = 3000


def _words(rng: random.Random, n: int) -> str:
    return ' '.join(rng.choices(WORDS, k=n))


class Pools(NamedTuple):
    """Pieces of text drawn from to make files quickly (100,000 of them)."""
    functions: list[str]
    function_len: float
    paragraphs: list[str]
    paragraph_len: float
    settings: list[str]


def make_pools(rng: random.Random) -> Pools:
    functions = [
        f'\n\ndef {rng.choice(WORDS)}_{k}(value: int, name: str) -> int:\n'
        f'    """{_words(rng, 8).capitalize()}."""\n'
        f'    if value > {rng.randrange(1000)}:\n'
        f'        return value * {rng.randrange(1, 97)} + len(name)\n'
        f'    return {rng.randrange(10_000)} - value\n'
        for k in range(POOL_SIZE)
    ]
    paragraphs = [
        f'## {_words(rng, 3).capitalize()}\n\n'
        f'{_words(rng, 40).capitalize()}.\n\n'
        f'- {_words(rng, 6)}\n- {_words(rng, 5)}\n\n'
        for _ in range(POOL_SIZE)
    ]
    settings = [
        f'"{rng.choice(WORDS)}_{k}": ' + json.dumps(rng.choice((
            rng.randrange(10_000), rng.random(), _words(rng, 3), True,
        )))
        for k in range(POOL_SIZE)
    ]
    return Pools(
        functions, statistics.mean(map(len, functions)),
        paragraphs, statistics.mean(map(len, paragraphs)), settings,
    )


def python_source(rng: random.Random, pools: Pools, i: int, target: int) -> bytes:
    head = (
        f'"""Module {i}: {_words(rng, 6)}."""\n'
        'from __future__ import annotations\n\nimport os\nimport sys\n'
    )
    n = max(1, round((target - len(head)) / pools.function_len))
    return (head + ''.join(rng.choices(pools.functions, k=n))).encode()


def markdown(rng: random.Random, pools: Pools, i: int, target: int) -> bytes:
    head = f'# Page {i}: {_words(rng, 4)}\n\n'
    n = max(1, round((target - len(head)) / pools.paragraph_len))
    return (head + ''.join(rng.choices(pools.paragraphs, k=n))).encode()


def png(rng: random.Random, width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', crc)

    stride = width * 3
    pixels = rng.randbytes(stride * height)
    rows = b''.join(
        b'\x00' + pixels[r * stride:(r + 1) * stride] for r in range(height)
    )
    ihdr = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return (
        b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
        chunk(b'IDAT', zlib.compress(rows, 1)) + chunk(b'IEND', b'')
    )


def json_config(rng: random.Random, pools: Pools, i: int, keys: int) -> bytes:
    settings = ',\n    '.join(rng.sample(pools.settings, keys))
    return (
        f'{{\n  "name": "config-{i}",\n  "version": {rng.randrange(1, 20)},\n'
        f'  "settings": {{\n    {settings}\n  }}\n}}\n'
    ).encode()


def model_config(i: int, shards: int) -> bytes:
    data = {
        'architectures': ['BenchForCausalLM'], 'model_type': 'bench',
        'hidden_size': 4096, 'num_hidden_layers': 32 + i % 8,
        'torch_dtype': 'float32', 'shards': shards,
    }
    return (json.dumps(data, indent=2) + '\n').encode()


def safetensors_header(count: int) -> bytes:
    """u64 LE length + JSON header for one F32 tensor of `count` values."""
    header = json.dumps(
        {'w': {'dtype': 'F32', 'shape': [count], 'data_offsets': [0, 4 * count]}},
        separators=(',', ':'),
    ).encode()
    header += b' ' * (-len(header) % 8)
    return struct.pack('<Q', len(header)) + header


def small_safetensors(rng: random.Random, count: int) -> bytes:
    values = struct.pack(f'<{count}f', *(rng.uniform(-1, 1) for _ in range(count)))
    return safetensors_header(count) + values


def write_sparse_weights(path: str, data_bytes: int) -> int:
    """A valid safetensors header, then a hole: nothing but the header is written."""
    header = safetensors_header(data_bytes // 4)
    with open(path, 'wb') as f:
        f.write(header)
    size = len(header) + data_bytes
    os.truncate(path, size)
    return size


def lfs_pointer(path: str, size: int) -> bytes:
    # Well-formed but fake: derived from the path, the file is never hashed.
    oid = hashlib.sha256(f'bench-lfs:{path}:{size}'.encode()).hexdigest()
    return (
        f'version https://git-lfs.github.com/spec/v1\n'
        f'oid sha256:{oid}\nsize {size}\n'
    ).encode()


# --- the synthetic repository ------------------------------------------------

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
    os.makedirs(root)
    git(root, 'init', '-q', '-b', 'main')
    for key, value in REPO_CONFIG:
        git(root, 'config', key, value)
    git(
        root, '-c', 'core.hooksPath=/dev/null',
        'commit', '-q', '--allow-empty', '--no-verify', '-m', 'initial empty commit',
    )
    tree = WorkTree(root, time.time() - MTIME_AGE)
    put = tree.put
    put('LICENSE', APACHE.encode())
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
    models = -(-plan.weights // SHARDS_PER_MODEL)
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

    # Weights: model folders of shards, tracked with Git LFS.
    big_paths: list[tuple[str, int]] = []
    disk = 0
    for m in range(models):
        shards = min(SHARDS_PER_MODEL, plan.weights - m * SHARDS_PER_MODEL)
        folder = f'models/model-{m:04d}'
        put(f'{folder}/config.json', model_config(m, shards))
        put(
            f'{folder}/README.md',
            CARD_FRONT_MATTER.encode() + markdown(rng, pools, m, 2000),
        )
        for k in range(shards):
            rel = f'{folder}/model-{k + 1:05d}-of-{shards:05d}.safetensors'
            path = os.path.join(root, rel)
            size = write_sparse_weights(path, sizes[m * SHARDS_PER_MODEL + k])
            os.utime(path, (tree.mtime, tree.mtime))
            st = os.stat(path)
            disk += st.st_blocks * 512
            if st.st_blocks * 512 > MIB:
                raise SystemExit(
                    f'{path}: the filesystem allocated {st.st_blocks * 512} '
                    f'bytes for a sparse file: stopping (use --tmpdir)',
                )
            big_paths.append((rel, size))

    # Every blob through `git fast-import` (one process per CPU, each writing
    # one pack): the ordinary files as they are, the LFS weights as pointers.
    written = time.perf_counter()
    paths = tree.paths + [rel for rel, _ in big_paths]
    sources: list[str | bytes] = [*tree.paths, *(lfs_pointer(r, s) for r, s in big_paths)]
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
        root, staged, tree.bytes, sum(s for _, s in big_paths), disk, len(dirty),
        time.perf_counter() - started,
    )


def fast_import_blobs(root: str, sources: list[str | bytes], jobs: int) -> list[str]:
    """Blob ids of `sources` (a path in the work tree, or the content itself),
    written by `jobs` `git fast-import` processes side by side, one pack each
    (no deltas, zlib level 1: this is about building quickly)."""
    per = -(-len(sources) // jobs)
    slices = [sources[k:k + per] for k in range(0, len(sources), per)]

    def one(n: int, items: list[str | bytes]) -> list[str]:
        marks = os.path.join(root, '.git', f'bench-marks-{n}')
        proc = subprocess.Popen(
            ('git', '-c', 'pack.compression=1', 'fast-import', '--quiet',
             '--depth=0', f'--export-marks={marks}'),
            cwd=root, stdin=subprocess.PIPE, env=clean_env(),
        )
        assert proc.stdin is not None
        with proc.stdin as w:
            for mark, item in enumerate(items, 1):
                if isinstance(item, str):
                    with open(os.path.join(root, item), 'rb') as f:
                        item = f.read()
                w.write(b'blob\nmark :%d\ndata %d\n' % (mark, len(item)))
                w.write(item)
                w.write(b'\n')
        if proc.wait():
            raise SystemExit(f'git fast-import failed ({proc.returncode})')
        with open(marks) as f:
            ids = dict(line.split() for line in f)
        os.unlink(marks)
        return [ids[f':{mark}'] for mark in range(1, len(items) + 1)]

    with concurrent.futures.ThreadPoolExecutor(len(slices)) as pool:
        done = list(pool.map(one, range(len(slices)), slices))
    return [oid for part in done for oid in part]


def patch_index_stat(root: str, paths: list[str]) -> None:
    """Record the work-tree files' stat data for index entries made by
    `git update-index --index-info`, which leaves it zero.

    `git add` would record it, but through the LFS clean filter it would also
    read every byte of the weights.  Without it git's stat cache calls every
    entry modified, and a hook that asks git whether the checkout matches the
    index (to read the smudged weights) never looks at the work tree.
    """
    index_path = os.path.join(root, '.git', 'index')
    with open(index_path, 'rb') as f:
        data = bytearray(f.read())
    signature, version, count = struct.unpack('>4sII', data[:12])
    if signature != b'DIRC' or version not in (2, 3):
        raise SystemExit(f'{index_path}: index version {version}: cannot patch')
    wanted = {p.encode(): os.lstat(os.path.join(root, p)) for p in paths}
    pos = 12
    patched = 0
    pack = struct.Struct('>10I')
    for _ in range(count):
        (flags,) = struct.unpack_from('>H', data, pos + 60)
        fixed = 64 if version == 3 and flags & 0x4000 else 62
        end = data.index(b'\0', pos + fixed)
        name = bytes(data[pos + fixed:end])
        st = wanted.get(name)
        if st is not None:
            (mode,) = struct.unpack_from('>I', data, pos + 24)
            fields = (
                int(st.st_ctime), st.st_ctime_ns % 10**9,
                int(st.st_mtime), st.st_mtime_ns % 10**9,
                st.st_dev, st.st_ino, mode, st.st_uid, st.st_gid, st.st_size,
            )
            pack.pack_into(data, pos, *(v & 0xFFFFFFFF for v in fields))
            patched += 1
        pos += (fixed + len(name) + 8) // 8 * 8
    if patched != len(wanted):
        raise SystemExit(f'patched {patched} of {len(wanted)} index entries')
    if any(data[-20:]):  # an all-zero trailer means index.skipHash
        data[-20:] = hashlib.sha1(data[:-20]).digest()
    tmp = index_path + '.bench'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, index_path)


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
            data = f.read()
        if rel.endswith('.py'):
            data += b'\n# bench: a small change\n'
        elif rel == 'CHANGELOG.md':
            name = fixture.rpartition('/')[2]
            data += CHANGELOG_ENTRY.format(name=name).encode()
        else:
            (header_len,) = struct.unpack('<Q', data[:8])
            start = 8 + header_len
            count = (len(data) - start) // 4
            values = struct.pack(
                f'<{count}f', *(rng.uniform(-1, 1) for _ in range(count)),
            )
            new = data[:start] + values
            if new == data or len(new) != len(data):
                raise SystemExit(f'{rel}: could not change its tensor data')
            data = new
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


# --- running commands --------------------------------------------------------

TIMED_OUT = 124  # the exit code reported for a command killed at --timeout


class Run(NamedTuple):
    seconds: float
    maxrss_kib: int  # of the largest single process in the child's tree
    returncode: int
    output: str
    summed: float = 0.0  # the invocations' wall times added up (= seconds if serial)


# Commands are started by small helper processes, not by this one.  On exec,
# Linux records the peak RSS of the memory the process had until then (for
# a fork or vfork of this benchmark: all of this benchmark's memory) in the
# process's ru_maxrss, so a command started from here would report at least
# this process's size.  A helper is a bare interpreter (python -I -S) that
# reads one JSON request per line, runs the command, and answers with its
# wall time, ru_maxrss and exit status.
SPAWNER_CODE = r'''
import json, os, signal, subprocess, sys, threading, time
for line in sys.stdin:
    req = json.loads(line)
    with open(req['out'], 'wb') as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            req['cmd'], cwd=req['cwd'], env=req['env'], stdout=out, stderr=out,
            start_new_session=True,
        )
        killed = []

        def kill():
            killed.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(req['timeout'], kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
    print(json.dumps({
        'seconds': seconds, 'maxrss': usage.ru_maxrss, 'code': code,
        'killed': bool(killed),
    }), flush=True)
'''


class Spawner:
    """A pool of helper processes that run commands (see SPAWNER_CODE)."""

    def __init__(self, size: int, tmp: str) -> None:
        self.free: queue.SimpleQueue[tuple[subprocess.Popen[str], str]] = (
            queue.SimpleQueue()
        )
        self.helpers = []
        for n in range(size):
            proc = subprocess.Popen(
                (sys.executable, '-I', '-S', '-c', SPAWNER_CODE),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )
            self.helpers.append(proc)
            self.free.put((proc, os.path.join(tmp, f'spawner-{n}.out')))

    def rss_kib(self) -> int:
        """The largest helper's resident size: the least any command reports."""
        most = 0
        for proc in self.helpers:
            with open(f'/proc/{proc.pid}/status') as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        most = max(most, int(line.split()[1]))
        return most

    def run(self, cmd: Sequence[str], cwd: str, env: dict[str, str], timeout: float) -> Run:
        proc, out = self.free.get()
        try:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(json.dumps({
                'cmd': list(cmd), 'cwd': cwd, 'env': env, 'timeout': timeout,
                'out': out,
            }) + '\n')
            proc.stdin.flush()
            answer = proc.stdout.readline()
            if not answer:
                raise SystemExit(f'a spawner helper died (exit code {proc.wait()})')
            got = json.loads(answer)
        finally:
            self.free.put((proc, out))
        with open(out, 'rb') as f:
            text = f.read().decode(errors='replace')
        code = got['code']
        if got['killed']:
            code = TIMED_OUT
            text += f'\n[bench: killed after {timeout:.0f} s]'
        return Run(got['seconds'], got['maxrss'], code, text)

    def close(self) -> None:
        for proc in self.helpers:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait()


SPAWNER: Spawner | None = None


def run_measured(
        cmd: Sequence[str],
        cwd: str,
        env: dict[str, str],
        timeout: float,
) -> Run:
    """Wall time, and peak RSS from wait4() on this very child.

    Linux folds the peak of every descendant the child reaped into the
    child's ru_maxrss, so this is the largest single process of the tree.
    A command still running after `timeout` seconds is killed with its
    process group and reported with exit code TIMED_OUT.  Run by a helper
    of SPAWNER (see there why).
    """
    if SPAWNER is None:
        raise RuntimeError('no spawner: call start_spawner() first')
    return SPAWNER.run(cmd, cwd, env, timeout)


def start_spawner(size: int, tmp: str) -> Spawner:
    global SPAWNER
    SPAWNER = Spawner(size, tmp)
    return SPAWNER


def precommit_max_length(env: dict[str, str]) -> int:
    """pre-commit's limit on one command line (xargs._get_platform_max_length)."""
    environ = 8 * len(env) + sum(len(k) + len(v) + 2 for k, v in env.items())
    maximum = os.sysconf('SC_ARG_MAX') - 2048 - environ
    return max(min(maximum, PRE_COMMIT_MAX_BYTES), 2 ** 12)


def partition(
        cmd: Sequence[str],
        args: Sequence[str],
        max_length: int,
        target_concurrency: int = 1,
) -> list[list[str]]:
    """pre-commit's xargs.partition(): whole command lines of at most
    max_length bytes (' '.join of the command), and at least
    target_concurrency of them when there are enough arguments."""
    max_args = max(4, -(-len(args) // target_concurrency))
    base = len(' '.join(cmd).encode()) + 1
    out: list[list[str]] = []
    current: list[str] = []
    total = base
    for arg in args:
        cost = len(arg.encode()) + 1
        if current and (total + cost > max_length or len(current) >= max_args):
            out.append([*cmd, *current])
            current, total = [], base
        current.append(arg)
        total += cost
    out.append([*cmd, *current])
    return out


def shuffled(args: Sequence[str]) -> list[str]:
    """pre-commit's deterministic shuffle for hooks that are not require_serial."""
    rng = random.Random()
    rng.seed(PRE_COMMIT_SEED, version=1)
    out = list(args)
    rng.shuffle(out)
    return out


class Subject(NamedTuple):
    name: str
    commands: list[list[str]]
    jobs: int  # invocations run at once (pre-commit: 1 for require_serial hooks)
    ok_codes: tuple[int, ...]  # exit codes that are not a failure
    traced: bool  # measure bytes read under strace


def run_subject(subject: Subject, cwd: str, env: dict[str, str], timeout: float) -> Run:
    start = time.perf_counter()
    if subject.jobs == 1 or len(subject.commands) == 1:
        runs = [run_measured(cmd, cwd, env, timeout) for cmd in subject.commands]
    else:
        with concurrent.futures.ThreadPoolExecutor(subject.jobs) as pool:
            runs = list(pool.map(
                lambda cmd: run_measured(cmd, cwd, env, timeout), subject.commands,
            ))
    seconds = time.perf_counter() - start
    codes = [r.returncode for r in runs]
    bad = [c for c in codes if c not in subject.ok_codes]
    return Run(
        seconds, max(r.maxrss_kib for r in runs), bad[0] if bad else max(codes),
        ''.join(
            r.output for r in runs
            if r.returncode not in subject.ok_codes or 'Traceback (most' in r.output
        ),
        sum(r.seconds for r in runs),
    )


_STRACE_LINE = re.compile(
    r'^(\d+)\s+(?:(?:read|pread64|readv|preadv|preadv2)\((\d+)<(.*?)>,|'
    r'<\.\.\. (?:read|pread64|readv|preadv|preadv2) resumed>)'
    r'(.*?)(<unfinished \.\.\.>|= (-?\d+))',
)


class Reads(NamedTuple):
    worktree: int
    worktree_files: int
    worktree_max: int  # the most bytes read from any one work-tree file
    git_dir: int
    other: int  # interpreter, libraries


def strace_reads(
        subject: Subject,
        root: str,
        env: dict[str, str],
        log_path: str,
        timeout: float,
) -> tuple[Reads, list[int]]:
    """Bytes returned by read-family syscalls, by where the fd points."""
    root = os.path.realpath(root)
    per_file: dict[str, int] = {}
    git_dir = other = 0
    codes = []
    for cmd in subject.commands:
        traced = [
            'strace', '-f', '-qq', '-y', '-s', '0', '-e', 'signal=none',
            '-e', 'trace=read,pread64,readv,preadv,preadv2', '-o', log_path,
            '--', *cmd,
        ]
        codes.append(run_measured(traced, root, env, timeout).returncode)
        pending: dict[str, str] = {}
        with open(log_path, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = _STRACE_LINE.match(line)
                if m is None:
                    continue
                pid, fd, path, _, _, result = m.groups()
                if fd is None:
                    path = pending.pop(pid, '')
                if result is None:  # <unfinished ...>: the result comes later
                    pending[pid] = path
                    continue
                got = int(result)
                if got <= 0 or path.startswith(('pipe:', 'socket:', 'anon_inode:')):
                    continue
                if path.startswith(root + '/.git/'):
                    git_dir += got
                elif path.startswith(root + '/'):
                    per_file[path] = per_file.get(path, 0) + got
                else:
                    other += got
    reads = Reads(
        sum(per_file.values()), len(per_file), max(per_file.values(), default=0),
        git_dir, other,
    )
    return reads, codes


def profile_hook(
        cmd: list[str],
        root: str,
        env: dict[str, str],
        out: str,
        top: int,
        timeout: float,
) -> str:
    """One invocation under cProfile: the top entries by own and by cumulative time."""
    script_path = shutil.which(cmd[0]) or cmd[0]
    profiled = [sys.executable, '-m', 'cProfile', '-o', out, script_path, *cmd[1:]]
    run = run_measured(profiled, root, env, timeout)
    if not os.path.exists(out):
        return f'no profile (exit code {run.returncode}):\n{run.output[-2000:]}'
    parts = [f'{run.seconds:.2f} s under cProfile, exit code {run.returncode}']
    for key, title in (('tottime', 'own time'), ('cumulative', 'cumulative time')):
        buf = io.StringIO()
        pstats.Stats(out, stream=buf).sort_stats(key).print_stats(top)
        text = buf.getvalue()
        start = text.find('   ncalls')  # drop pstats' preamble
        parts.append(f'top {top} by {title}:\n\n' + text[max(start, 0):].rstrip())
    os.unlink(out)
    return '\n\n'.join(parts)


# A hook's main() under tracemalloc: a snapshot whenever the traced memory
# has grown by a fifth, and the lines that allocated the largest one.
MEMORY_PROBE = r'''
import importlib, sys, threading, tracemalloc
out, module_name, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
tracemalloc.start(1)
best = [0, None]
stop = threading.Event()


def watch():
    while not stop.wait(0.01):
        current, _ = tracemalloc.get_traced_memory()
        if current > max(best[0] * 1.2, 1 << 20):
            best[:] = [current, tracemalloc.take_snapshot()]


threading.Thread(target=watch, daemon=True).start()
code = None
try:
    code = importlib.import_module(module_name).main(argv)
finally:
    stop.set()
    _, peak = tracemalloc.get_traced_memory()
    with open(out, 'w') as f:
        f.write(
            f'exit code {code}; tracemalloc peak {peak / 2**20:.1f} MiB; the largest '
            f'snapshot ({best[0] / 2**20:.1f} MiB) by line:\n',
        )
        if best[1] is not None:
            for stat in best[1].statistics('lineno')[:12]:
                f.write(
                    f'{stat.size / 2**20:7.1f} MiB {stat.count:8d} blocks  '
                    f'{stat.traceback[0]}\n',
                )
'''


def memory_probe(
        module: str,
        cmd: list[str],
        root: str,
        env: dict[str, str],
        tmp: str,
        timeout: float,
) -> str:
    out = os.path.join(tmp, 'memory.txt')
    probe = [sys.executable, '-c', MEMORY_PROBE, out, module, *cmd[1:]]
    run = run_measured(probe, root, env, timeout)
    if not os.path.exists(out):
        return f'no result (exit code {run.returncode}):\n{run.output[-2000:]}'
    with open(out) as f:
        text = f.read()
    os.unlink(out)
    return f'max RSS under tracemalloc {run.maxrss_kib / 1024:.0f} MiB; {text.rstrip()}'


# --- import time -------------------------------------------------------------

_IMPORTTIME = re.compile(r'^import time:\s+(\d+) \|\s+(\d+) \|( +)(\S.*)$')


def _top_level_imports(stderr: str) -> dict[str, int]:
    """Top-level modules of a `python -X importtime` run, cumulative µs each."""
    found = {}
    for line in stderr.splitlines():
        m = _IMPORTTIME.match(line)
        if m and len(m.group(3)) == 1:
            found[m.group(4).strip()] = int(m.group(2))
    return found


def _own_import_times(stderr: str) -> list[tuple[str, int]]:
    """Every module of a `python -X importtime` run, own µs each, largest first."""
    found = []
    for line in stderr.splitlines():
        m = _IMPORTTIME.match(line)
        if m:
            found.append((m.group(4).strip(), int(m.group(1))))
    return sorted(found, key=lambda item: -item[1])


class ImportTime(NamedTuple):
    module: str
    importtime_ms: float  # median -X importtime total of what the import adds
    wall_ms: float  # median wall of `python -c 'import m'` minus `python -c pass`
    top: list[tuple[str, float]]  # modules the import adds, by own ms (last run)


def import_times(
        modules: Sequence[str],
        cwd: str,
        env: dict[str, str],
        repeat: int,
) -> list[ImportTime]:
    """Median of `repeat` runs each, interleaved, after one warm-up round."""
    py = sys.executable
    base_run = subprocess.run(
        (py, '-X', 'importtime', '-c', 'pass'), cwd=cwd, env=env,
        capture_output=True, text=True,
    ).stderr
    base = _top_level_imports(base_run)
    base_all = {name for name, _ in _own_import_times(base_run)}
    totals: dict[str, list[float]] = {m: [] for m in modules}
    tops: dict[str, list[tuple[str, float]]] = {}
    walls: dict[str, list[float]] = {m: [] for m in ('', *modules)}
    for rep in range(repeat + 1):
        for m in modules:
            proc = subprocess.run(
                (py, '-X', 'importtime', '-c', f'import {m}'), cwd=cwd, env=env,
                capture_output=True, text=True,
            )
            if proc.returncode:
                raise SystemExit(f'python -c "import {m}" failed:\n{proc.stderr[-2000:]}')
            added = {
                k: v for k, v in _top_level_imports(proc.stderr).items() if k not in base
            }
            if rep:
                totals[m].append(sum(added.values()) / 1000)
                tops[m] = [
                    (name, us / 1000) for name, us in _own_import_times(proc.stderr)
                    if name not in base_all
                ][:10]
        for m in ('', *modules):
            code = f'import {m}' if m else 'pass'
            run = run_measured((py, '-c', code), cwd, env, 60)
            if rep:
                walls[m].append(run.seconds * 1000)
    floor = statistics.median(walls[''])
    return [
        ImportTime(
            m, statistics.median(totals[m]), statistics.median(walls[m]) - floor,
            tops[m],
        )
        for m in modules
    ]


# --- measuring ---------------------------------------------------------------

class Result(NamedTuple):
    size: int
    phase: str
    label: str
    subject: str
    invocations: int
    jobs: int
    times: list[float]
    summed: list[float]  # per timed run, the invocations' times added up
    maxrss_kib: int
    codes: list[int]
    reads: Reads | None
    failures: list[str]  # output of runs that failed (bad exit code, traceback)


Bench = tuple[str, str, list[Subject]]  # label, repository root, subjects


def measure(
        size: int,
        phase: str,
        benches: list[Bench],
        repeat: int,
        env: dict[str, str],
        strace_log: str | None,
        timeout: float,
) -> list[Result]:
    """Time every subject of every bench, interleaved; then one strace run each.

    Interleaved, so that drift in the machine's speed hits every command and
    every repository alike.  First a warm-up, not counted: the first
    invocation of every command but reuse lint (a whole run of it costs as
    much as a timed one, and the files it reads are as warm as the hooks
    left them).
    """
    warm: dict[tuple[str, str], list[Run]] = {}
    timed: dict[tuple[str, str], list[Run]] = {}
    for label, root, subjects in benches:
        for s in subjects:
            if s.name != REUSE:
                warm[(label, s.name)] = [
                    run_subject(s._replace(commands=s.commands[:1]), root, env, timeout),
                ]
    log(f'[{size:,} {phase}] warm-up done')
    for rep in range(repeat):
        k = rep % len(benches)
        for label, root, subjects in benches[k:] + benches[:k]:
            j = rep % len(subjects)
            for s in subjects[j:] + subjects[:j]:
                timed.setdefault((label, s.name), []).append(
                    run_subject(s, root, env, timeout),
                )
        log(f'[{size:,} {phase}] round {rep + 1}/{repeat} done')
    results = []
    for label, root, subjects in benches:
        for s in subjects:
            mine = warm.get((label, s.name), []) + timed[(label, s.name)]
            reads: Reads | None = None
            codes = [r.returncode for r in mine]
            if strace_log is not None and s.traced:
                reads, traced_codes = strace_reads(s, root, env, strace_log, timeout)
                bad = [c for c in traced_codes if c not in s.ok_codes]
                codes.append(bad[0] if bad else max(traced_codes))
            failures = sorted({
                r.output.strip()[-3000:] for r in mine
                if r.returncode not in s.ok_codes or 'Traceback (most' in r.output
            })
            times = [r.seconds for r in timed[(label, s.name)]]
            results.append(Result(
                size, phase, label, s.name, len(s.commands), s.jobs, times,
                [r.summed for r in timed[(label, s.name)]],
                max(r.maxrss_kib for r in mine), codes, reads, failures,
            ))
            log(
                f'[{size:,} {phase}, {label}] {s.name}: median '
                f'{statistics.median(times):.3f} s in '
                f'{len(s.commands)} invocation(s), exit codes {sorted(set(codes))}',
            )
    return results


def subjects_for(
        phase: str,
        tools: dict[str, str],
        paths: list[str],
        env: dict[str, str],
        max_length: int,
        jobs: int,
        traced: bool,
        reuse: bool,
        reuse_traced: bool,
) -> list[Subject]:
    """The commands of one phase, split the way pre-commit splits them."""
    subjects = []
    for hook in HOOKS:
        # require_serial: one partition after another, no concurrency.
        cmds = partition([tools[hook]], paths, max_length)
        subjects.append(Subject(hook, cmds, 1, (0,), traced))
    if phase == ALL_FILES:
        if reuse:
            subjects.append(
                Subject(REUSE, [[tools[REUSE], 'lint']], 1, (0, 1), reuse_traced),
            )
    else:
        cmds = partition([tools[LARGE]], shuffled(paths), max_length, jobs)
        subjects.append(Subject(LARGE, cmds, jobs, (0,), traced))
    subjects.append(Subject(
        FLOOR, [[sys.executable, '-c', 'pass'], ['git', 'ls-files', '-z']], 1, (0,),
        False,
    ))
    return subjects


# --- reporting ---------------------------------------------------------------

def human(n: float) -> str:
    for unit, scale in (('TiB', TIB), ('GiB', GIB), ('MiB', MIB), ('KiB', KIB)):
        if n >= scale:
            return f'{n / scale:.1f} {unit}'
    return f'{int(n)} B'


def secs(t: float) -> str:
    return f'{t:.3f} s' if t < 10 else f'{t:.2f} s'


def script(name: str) -> str:
    """The console script beside this interpreter (not a pyenv shim)."""
    beside = os.path.join(sysconfig.get_path('scripts'), name)
    if os.path.isfile(beside):
        return beside
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f'{name}: not installed (see bench/README.md)')
    return found


def version_of(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return '?'


def machine_facts(tmp: str) -> list[str]:
    cpu = ''
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(
                (ln.split(':', 1)[1].strip() for ln in f if ln.startswith('model name')),
                '',
            )
    except OSError:
        pass
    fs = ''
    try:
        with open('/proc/mounts') as f:
            mounts = [ln.split() for ln in f]
        real = os.path.realpath(tmp)
        best = max(
            (m for m in mounts if (real + '/').startswith(m[1].rstrip('/') + '/')),
            key=lambda m: len(m[1]), default=None,
        )
        fs = f'{best[2]} at {best[1]}' if best else ''
    except OSError:
        pass
    git_version = subprocess.run(
        ('git', '--version'), capture_output=True, text=True,
    ).stdout.strip().removeprefix('git version ')
    rev = subprocess.run(
        ('git', 'describe', '--always', '--dirty'), cwd=HERE,
        capture_output=True, text=True,
    ).stdout.strip() or '?'
    return [
        f'- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}',
        f'- machine: nproc {cpu_count()}, {cpu or platform.machine()}, '
        f'{platform.system()} {platform.release()}',
        f'- Python {platform.python_version()}, git {git_version}, '
        f'model_license_hooks {version_of("model_license_hooks")} ({rev}), '
        f'pre-commit-hooks {version_of("pre-commit-hooks")}, '
        f'reuse {version_of("reuse")}',
        f'- temp folder filesystem: {fs or "?"}',
    ]


def hooks_folder(env: dict[str, str]) -> str:
    """Where `import hooks` finds the package under test, with this environment."""
    proc = subprocess.run(
        (sys.executable, '-c', 'import hooks, os; print(os.path.dirname(hooks.__file__))'),
        capture_output=True, text=True, cwd=tempfile.gettempdir(), env=env,
    )
    if proc.returncode or not proc.stdout.strip():
        raise SystemExit(f'cannot import hooks (see bench/README.md):\n{proc.stderr}')
    return proc.stdout.strip()


def folder_digest(folder: str) -> str:
    """A digest of a package's .py and .json files, by their relative names."""
    digest = hashlib.sha256()
    for base, dirs, files in sorted(os.walk(folder)):
        dirs[:] = sorted(d for d in dirs if d != '__pycache__')
        for name in sorted(files):
            if name.endswith(('.py', '.json')):
                path = os.path.join(base, name)
                with open(path, 'rb') as f:
                    rel = os.path.relpath(path, folder)
                    digest.update(f'{rel}\0'.encode() + f.read())
    return digest.hexdigest()[:12]


def snapshot_hooks(tmp: str) -> tuple[str, str, str]:
    """Copy the hooks package under test into `tmp` and byte-compile it, so
    that edits made to it while the benchmark runs do not mix two versions
    into the figures.
    (the folder copied, its digest, the PYTHONPATH that selects the copy)"""
    live = hooks_folder(clean_env())
    root = os.path.join(tmp, 'snapshot')
    shutil.copytree(
        live, os.path.join(root, 'hooks'), ignore=shutil.ignore_patterns('__pycache__'),
    )
    # Byte-compiled, as pip compiles a package it installs.
    subprocess.run(
        (sys.executable, '-m', 'compileall', '-q', os.path.join(root, 'hooks')),
        check=True, env=clean_env(),
    )
    path = os.pathsep.join(p for p in (root, os.environ.get('PYTHONPATH')) if p)
    got = hooks_folder(clean_env(PYTHONPATH=path))
    if got != os.path.join(root, 'hooks'):
        raise SystemExit(f'the copy of {live} is not used: hooks imported from {got}')
    return live, folder_digest(os.path.join(root, 'hooks')), path


def cpu_seconds() -> tuple[float, float]:
    """Busy CPU seconds so far: of the whole machine, and of this process
    with the children it has waited for."""
    with open('/proc/stat') as f:
        fields = [int(v) for v in f.readline().split()[1:8]]
    user, nice, system, _, _, irq, softirq = fields
    busy = (user + nice + system + irq + softirq) / os.sysconf('SC_CLK_TCK')
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return busy, me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def phase_title(phase: str, size: int, small_files: int) -> str:
    return {
        STAGED_ALL: f'commit, all {size:,} files staged',
        STAGED_SMALL: f'commit, {small_files} files staged',
        ALL_FILES: f'--all-files, {size:,} tracked paths',
    }[phase]


def med(r: Result) -> float:
    return statistics.median(r.times)


def codes_text(codes: list[int]) -> str:
    return ', '.join(f'{c} ×{codes.count(c)}' for c in sorted(set(codes)))


def reads_cells(r: Result, note: str) -> tuple[str, str]:
    if r.subject == FLOOR:
        return '–', '–'
    if r.reads is None:
        return note, note
    wt = (
        f'{human(r.reads.worktree)} from {r.reads.worktree_files:,} files'
        f' (max {human(r.reads.worktree_max)})'
        if r.reads.worktree_files else '0 B'
    )
    return wt, human(r.reads.git_dir)


def detail_table(results: list[Result], strace_note: str) -> list[str]:
    """One phase of one size: every command in every repository."""
    phase = results[0].phase
    ref = FLOOR if phase == ALL_FILES else LARGE
    ref_name = 'floor' if phase == ALL_FILES else LARGE
    lines = [
        f'| weights | command | invocations | median wall | min / max | vs {ref_name} '
        f'| peak RSS | read from work tree | read(2) from .git | exit codes |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ]
    by_label: dict[str, dict[str, Result]] = {}
    for r in results:
        by_label.setdefault(r.label, {})[r.subject] = r
    for label, group in by_label.items():
        base = med(group[ref])
        for i, r in enumerate(group.values()):
            wt, gd = reads_cells(r, strace_note)
            inv = f'{r.invocations}' + (f' ({r.jobs} at a time)' if r.jobs > 1 else '')
            if r.subject == FLOOR:
                inv = '1 + 1'
            lines.append(
                f'| {label if i == 0 else ""} | {r.subject} | {inv} | {secs(med(r))} | '
                f'{min(r.times):.3f} / {max(r.times):.3f} | {med(r) / base:.2f}× | '
                f'{r.maxrss_kib / 1024:.0f} MiB | {wt} | {gd} | {codes_text(r.codes)} |',
            )
    return lines


def main_table(results: list[Result], sizes: list[int], small_files: int) -> list[str]:
    """Median wall time by phase and command (sparse weights), one column per size."""
    cell: dict[tuple[str, str, int], Result] = {
        (r.phase, r.subject, r.size): r for r in results if r.label == SPARSE
    }
    head = ' | '.join(f'{s:,} files' for s in sizes)
    lines = [
        f'| phase | command | {head} |',
        '| --- | --- |' + ' ---: |' * len(sizes),
    ]
    titles = {
        STAGED_ALL: 'commit, all files staged',
        STAGED_SMALL: f'commit, {small_files} files staged',
        ALL_FILES: '--all-files (everything committed)',
    }
    for phase in PHASES:
        names = list(dict.fromkeys(
            r.subject for r in results if r.phase == phase and r.label == SPARSE
        ))
        for i, name in enumerate(names):
            cells = []
            for s in sizes:
                r = cell.get((phase, name, s))
                if r is None:
                    cells.append('–')
                    continue
                text = secs(med(r))
                if r.invocations > 1 and r.subject != FLOOR:
                    text += f' ({r.invocations} inv.)'
                if any(c not in (0, 1) for c in r.codes) or r.failures:
                    text += ' **failed**'
                cells.append(text)
            lines.append(
                f'| {titles[phase] if i == 0 else ""} | {name} | {" | ".join(cells)} |',
            )
    return lines


def pick_size(sizes: list[int], wanted: int) -> int:
    return min(sizes, key=lambda s: (abs(s - wanted), -s))


class Target(NamedTuple):
    name: str
    measured: str
    verdict: str


def evaluate_targets(
        results: list[Result],
        sizes: list[int],
        flat_size: int | None,
        imports: list[ImportTime],
) -> tuple[list[Target], list[str]]:
    """The five targets of the benchmark issue, and what was missed."""
    find: dict[tuple[int, str, str, str], Result] = {
        (r.size, r.phase, r.label, r.subject): r for r in results
    }
    targets: list[Target] = []
    missed: list[str] = []

    def add(name: str, measured: str, ok: bool, by: str) -> None:
        targets.append(Target(name, measured, 'met' if ok else f'missed by {by}'))
        if not ok:
            missed.append(name)

    a_size = pick_size(sizes, 10000)
    large = find[(a_size, STAGED_ALL, SPARSE, LARGE)]
    for hook in HOOKS:
        r = find[(a_size, STAGED_ALL, SPARSE, hook)]
        ratio = med(r) / med(large)
        add(
            f'(a) {hook} no slower than {LARGE}, {a_size:,} staged files',
            f'{secs(med(r))} vs {secs(med(large))} ({ratio:.2f}×)',
            ratio <= 1.0, f'{med(r) - med(large):.3f} s ({ratio:.2f}×)',
        )
    b_size = max(sizes)
    floor = find[(b_size, ALL_FILES, SPARSE, FLOOR)]
    for hook in HOOKS:
        r = find[(b_size, ALL_FILES, SPARSE, hook)]
        ratio = med(r) / med(floor)
        allowed = 3 * med(floor)
        add(
            f'(b) {hook} --all-files within 3× the floor, {b_size:,} files',
            f'{secs(med(r))} in {r.invocations} invocation(s) vs floor '
            f'{secs(med(floor))} ({ratio:.1f}×)',
            ratio <= 3.0, f'{med(r) - allowed:.2f} s ({ratio / 3:.1f}× the allowance '
            f'of {secs(allowed)})',
        )
    if flat_size is None:
        targets.append(Target('(c) time flat in weight size', 'not measured', '–'))
    else:
        for hook in HOOKS:
            parts = []
            worst = 0.0
            same_reads = True
            for phase in (STAGED_ALL, ALL_FILES):
                a = find[(flat_size, phase, SPARSE, hook)]
                b = find[(flat_size, phase, SMALL, hook)]
                ratio = med(a) / med(b)
                worst = max(worst, ratio)
                reads = ', bytes read not traced'
                if a.reads is not None and b.reads is not None:
                    # The headers differ by a few bytes (longer numbers).
                    slack = 4 * KIB + max(a.reads.worktree, b.reads.worktree) // 100
                    equal = abs(a.reads.worktree - b.reads.worktree) <= slack
                    same_reads = same_reads and equal
                    reads = (
                        f', work tree read {human(a.reads.worktree)} vs '
                        f'{human(b.reads.worktree)}'
                    )
                parts.append(
                    f'{"staged" if phase == STAGED_ALL else "--all-files"} '
                    f'{ratio:.2f}× ({secs(med(a))} vs {secs(med(b))}){reads}',
                )
            slower = [f'{worst:.2f}× against 1.20×'] if worst > 1.20 else []
            add(
                f'(c) {hook} time flat in weight size (sparse multi-GiB / 1 MiB '
                f'≤ 1.20, the same bytes read), {flat_size:,} files',
                '; '.join(parts), worst <= 1.20 and same_reads,
                ', '.join(slower + ([] if same_reads else ['bytes read differ'])),
            )
    for hook in HOOKS:
        mine = [
            r for r in results
            if r.size == b_size and r.subject == hook and r.label == SPARSE
        ]
        peak = max(mine, key=lambda r: r.maxrss_kib)
        mib = peak.maxrss_kib / 1024
        add(
            f'(d) {hook} peak memory under 64 MiB, {b_size:,} files',
            f'{mib:.1f} MiB (max RSS of one invocation; phase: '
            f'{phase_title(peak.phase, b_size, 10)})',
            mib < 64, f'{mib - 64:.1f} MiB',
        )
    for it in imports:
        worst = max(it.importtime_ms, it.wall_ms)
        add(
            f'(e) import {it.module} under 100 ms',
            f'{it.importtime_ms:.1f} ms (-X importtime), {it.wall_ms:.1f} ms (wall '
            f'minus python -c pass)',
            worst < 100, f'{worst - 100:.1f} ms',
        )
    return targets, missed


def ratios(results: list[Result], sizes: list[int]) -> list[str]:
    find = {(r.size, r.phase, r.label, r.subject): r for r in results}
    a_size = pick_size(sizes, 10000)
    b_size = max(sizes)
    lines = []
    for phase in (STAGED_ALL, STAGED_SMALL):
        large = find[(a_size, phase, SPARSE, LARGE)]
        summed = statistics.median(large.summed)
        parts = [
            f'{hook} {med(find[(a_size, phase, SPARSE, hook)]) / med(large):.2f}× '
            f'({med(find[(a_size, phase, SPARSE, hook)]) / summed:.2f}× the summed time)'
            for hook in HOOKS
        ]
        lines.append(
            f'- {a_size:,} files, {phase_title(phase, a_size, 10).split(", ", 1)[1]}: '
            f'hook / {LARGE} ({secs(med(large))} wall with {large.jobs} at a time; '
            f'its {large.invocations} invocations\' times added up: {secs(summed)}): '
            f'{"; ".join(parts)}.',
        )
    floor = find[(b_size, ALL_FILES, SPARSE, FLOOR)]
    parts = []
    for hook in HOOKS:
        r = find[(b_size, ALL_FILES, SPARSE, hook)]
        parts.append(
            f'{hook} {med(r) / med(floor):.1f}× '
            f'({med(r) / (med(floor) * r.invocations):.1f}× the floor paid once per '
            f'invocation, {r.invocations} invocations)',
        )
    reuse = find[(b_size, ALL_FILES, SPARSE, REUSE)]
    parts.append(f'{REUSE} {med(reuse) / med(floor):.1f}×')
    lines.append(
        f'- {b_size:,} files, --all-files: command / floor ({secs(med(floor))}): '
        f'{"; ".join(parts)}.',
    )
    return lines


def flat_table(results: list[Result], flat_size: int) -> list[str]:
    find = {(r.phase, r.label, r.subject): r for r in results if r.size == flat_size}
    lines = [
        f'| phase | command | {SPARSE} | {SMALL} | ratio | read from work tree '
        f'({SPARSE} / {SMALL}) |',
        '| --- | --- | ---: | ---: | ---: | --- |',
    ]
    for phase in PHASES:
        names = [
            s for (p, label, s) in find
            if p == phase and label == SPARSE and s != FLOOR and (p, SMALL, s) in find
        ]
        for i, name in enumerate(names):
            a, b = find[(phase, SPARSE, name)], find[(phase, SMALL, name)]
            reads = '–'
            if a.reads is not None and b.reads is not None:
                reads = f'{human(a.reads.worktree)} / {human(b.reads.worktree)}'
            title = phase_title(phase, flat_size, 10) if i == 0 else ''
            lines.append(
                f'| {title} | {name} | {secs(med(a))} | {secs(med(b))} | '
                f'{med(a) / med(b):.2f}× | {reads} |',
            )
    return lines


# --- main --------------------------------------------------------------------

def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace('_', '')) for s in text.split(',') if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f'not a list of numbers: {text!r}')
    if not sizes or sizes[0] < 200:
        raise argparse.ArgumentTypeError('sizes must be at least 200 files')
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        '--sizes', type=parse_sizes, metavar='N,N,...',
        help='repository sizes in files (default: 1000,10000,100000)',
    )
    parser.add_argument(
        '--quick', action='store_true',
        help='a fast preset: --sizes 1000,5000 --repeat 3 --strace-max-files 1000',
    )
    parser.add_argument(
        '--weight-percent', type=float, default=1.0, metavar='P',
        help='LFS weights as a share of the files (default: %(default)s)',
    )
    parser.add_argument(
        '--flat-at', type=int, metavar='N',
        help='the size also built with 1 MiB weights (default: the size nearest '
        '10,000; 0: none)',
    )
    parser.add_argument(
        '--small-files', type=int, default=10, metavar='N',
        help='files changed in the small-commit phase (default: %(default)s)',
    )
    parser.add_argument(
        '--repeat', type=int, metavar='N',
        help='timed runs per command (default: 5, 3 with --quick)',
    )
    parser.add_argument(
        '--repeat-large', type=int, default=3, metavar='N',
        help='timed runs per command at 50,000 files and more (default: %(default)s)',
    )
    parser.add_argument(
        '--import-repeat', type=int, default=5, metavar='N',
        help='runs per import-time measurement (default: %(default)s)',
    )
    parser.add_argument(
        '--seed', type=int, default=1,
        help='for the file contents (default: %(default)s)',
    )
    parser.add_argument(
        '--tmpdir',
        help='where to build the repositories (default: the system temp folder)',
    )
    parser.add_argument(
        '--chunk-bytes', type=int, metavar='N',
        help='at most N bytes per command line (default: pre-commit\'s limit, '
        'min(ARG_MAX - 2048 - environment, 131072))',
    )
    parser.add_argument(
        '--timeout', type=float, default=600, metavar='S',
        help='kill any one invocation after S seconds (default: %(default)s)',
    )
    parser.add_argument(
        '--no-strace', action='store_true', help='skip the bytes-read measurement',
    )
    parser.add_argument(
        '--strace-max-files', type=int, metavar='N',
        help='trace runs given at most N paths (reuse lint, which reads every '
        'file: repositories of at most N/10 files); larger ones are too slow under '
        'strace (default: 10000; 1000 with --quick)',
    )
    parser.add_argument(
        '--no-profile', action='store_true',
        help='skip the cProfile runs (one invocation of each hook at the size '
        'nearest 10,000, all staged, and at the largest size, --all-files)',
    )
    parser.add_argument(
        '--keep', action='store_true', help='keep the repositories (and say where)',
    )
    parser.add_argument(
        '--results', default=RESULTS,
        help='Markdown output (default: bench/RESULTS.md)',
    )
    args = parser.parse_args(argv)
    sizes: list[int] = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    repeat: int = args.repeat or (3 if args.quick else 5)
    if args.strace_max_files is None:
        args.strace_max_files = 1000 if args.quick else 10000
    if repeat < 1 or args.repeat_large < 1 or args.small_files < 3:
        parser.error('--repeat and --repeat-large at least 1, --small-files at least 3')
    flat_size: int | None
    if args.flat_at is None:
        flat_size = pick_size(sizes, 10000)
    elif args.flat_at == 0:
        flat_size = None
    elif args.flat_at in sizes:
        flat_size = args.flat_at
    else:
        parser.error('--flat-at must be one of --sizes (or 0)')
    plans = {n: make_plan(n, weight_count(n, args.weight_percent)) for n in sizes}
    given = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join(['python', 'bench/run.py', *given])
    started = time.perf_counter()
    cpu_at_start = cpu_seconds()

    tools = {name: script(name) for name in (*HOOKS, LARGE)}
    tools[REUSE] = script('reuse')
    have_strace = not args.no_strace and shutil.which('strace') is not None
    strace_note = (
        'skipped' if args.no_strace else 'not traced' if have_strace else 'no strace'
    )
    jobs = cpu_count()
    tmp = tempfile.mkdtemp(prefix='mlh-bench-', dir=args.tmpdir)
    live_hooks, digest, pythonpath = snapshot_hooks(tmp)
    env = clean_env(PRE_COMMIT='1', PYTHONPATH=pythonpath)
    max_length = args.chunk_bytes or precommit_max_length(env)
    spawner = start_spawner(jobs, tmp)
    facts = machine_facts(tmp)
    results: list[Result] = []
    repo_info: list[str] = []
    small_info: list[str] = []
    profiles: list[tuple[str, str]] = []
    memory: list[tuple[str, str]] = []
    imports: list[ImportTime] = []
    try:
        tib_ok = probe_sparse(tmp)
        log('import times ...')
        imports = import_times(
            [HOOK_MODULES[h] for h in HOOKS], tmp, clean_env(PYTHONPATH=pythonpath),
            args.import_repeat,
        )
        strace_log = os.path.join(tmp, 'strace.log') if have_strace else None
        for size in sizes:
            plan = plans[size]
            n_repeat = args.repeat_large if size >= 50000 else repeat
            configs = [(SPARSE, weight_sizes(plan.weights, True, tib_ok))]
            if size == flat_size:
                configs.append((SMALL, weight_sizes(plan.weights, False, tib_ok)))
            built_repos: list[tuple[str, Built]] = []
            for n, (label, wsizes) in enumerate(configs):
                log(f'[{size:,}, {label}] building ...')
                built = build_repo(
                    os.path.join(tmp, f'repo-{size}-{n}'), plan, wsizes, args.seed, jobs,
                )
                log(f'[{size:,}, {label}] built in {built.seconds:.1f} s')
                if len(built.staged) != size or built.stat_dirty:
                    raise SystemExit(
                        f'{built.root}: {len(built.staged)} files staged (expected '
                        f'{size}), {built.stat_dirty} stat-dirty (expected 0)',
                    )
                shown = ', '.join(human(s) for s in sorted(set(wsizes)))
                repo_info.append(
                    f'- {size:,} files, {label}: {plan.weights} weights of {shown} '
                    f'of tensor data ({human(built.weight_bytes)} in all, '
                    f'{human(built.disk_bytes)} on disk); the other files '
                    f'{human(built.small_bytes)}; built in {built.seconds:.0f} s; '
                    f'index entries git\'s stat cache calls modified: '
                    f'{built.stat_dirty}',
                )
                built_repos.append((label, built))
            os.sync()  # no write-back of the new files while timing

            traced_big = size <= args.strace_max_files
            # Phase 1: everything staged.
            benches: list[Bench] = [
                (label, b.root, subjects_for(
                    STAGED_ALL, tools, b.staged, env, max_length, jobs, traced_big,
                    False, False,
                ))
                for label, b in built_repos
            ]
            results += measure(
                size, STAGED_ALL, benches, n_repeat, env, strace_log, args.timeout,
            )
            if not args.no_profile and size == pick_size(sizes, 10000):
                profiles += run_profiles(
                    size, STAGED_ALL, benches[0], env, tmp, args.timeout,
                )
            if not args.no_profile and size == max(sizes):
                memory += run_memory_probes(size, benches[0], env, tmp, args.timeout)

            # Phase 2: the rest committed, a few files changed.
            benches = []
            for label, b in built_repos:
                small = commit_and_change(b.root, b.staged, args.small_files, args.seed)
                if small.stat_dirty:
                    raise SystemExit(
                        f'{b.root}: after the commit git\'s stat cache calls '
                        f'{small.stat_dirty} entries modified, expected none',
                    )
                if label == SPARSE:
                    small_info.append(
                        f'- {size:,} files: staged on top of HEAD: '
                        f'{", ".join(f"`{p}`" for p in small.staged)} '
                        f'({human(small.changed_bytes)} in all); stat-dirty '
                        f'entries: {small.stat_dirty}',
                    )
                benches.append((label, b.root, subjects_for(
                    STAGED_SMALL, tools, small.staged, env, max_length, jobs, True,
                    False, False,
                )))
            os.sync()
            results += measure(
                size, STAGED_SMALL, benches, n_repeat, env, strace_log, args.timeout,
            )

            # Phase 3: everything committed, every tracked path.
            benches = []
            for label, b in built_repos:
                tracked, dirty = commit_all(b.root)
                if dirty or len(tracked) != size:
                    raise SystemExit(
                        f'{b.root}: {len(tracked)} tracked (expected {size}), '
                        f'{dirty} stat-dirty (expected 0) after committing',
                    )
                benches.append((label, b.root, subjects_for(
                    ALL_FILES, tools, tracked, env, max_length, jobs, traced_big,
                    label == SPARSE, size <= args.strace_max_files // 10,
                )))
            os.sync()
            results += measure(
                size, ALL_FILES, benches, n_repeat, env, strace_log, args.timeout,
            )
            if not args.no_profile and size == max(sizes):
                profiles += run_profiles(
                    size, ALL_FILES, benches[0], env, tmp, args.timeout,
                )
            if args.keep:
                for label, b in built_repos:
                    log(f'[{size:,}, {label}] repository kept at {b.root}')
            else:
                for _, b in built_repos:
                    shutil.rmtree(b.root, ignore_errors=True)
        spawner_kib = spawner.rss_kib()
    finally:
        spawner.close()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    facts.append(
        f'- peak RSS is measured on commands started by a helper process of '
        f'{spawner_kib / 1024:.0f} MiB, so no figure is below that',
    )
    busy, ours = (b - a for a, b in zip(cpu_at_start, cpu_seconds()))
    wall = time.perf_counter() - started
    facts.append(
        f'- other processes on the machine (not this benchmark) used '
        f'{max(0.0, busy - ours):.0f} CPU-seconds during the run, {wall:.0f} s: '
        f'on average {max(0.0, busy - ours) / wall:.2f} of {jobs} cores',
    )
    now = folder_digest(live_hooks)
    facts.append(
        f'- hooks under test: a byte-compiled copy of {live_hooks} taken at the '
        f'start (sha256 of its .py and .json files: {digest}), put first on '
        f'PYTHONPATH; PYTHONDONTWRITEBYTECODE is not passed on'
        + (
            '; unchanged at the end' if now == digest else
            f'; **{live_hooks} was edited during the run** (now {now}): these '
            f'figures are for the copy'
        ),
    )
    report = render(
        args, command, started, facts, sizes, plans, flat_size, results, imports,
        repo_info, small_info, profiles, memory, strace_note, max_length, jobs,
        repeat,
    )
    with open(args.results, 'w') as f:
        f.write(report)
    print(report)
    failed = [r for r in results if r.failures]
    return 1 if failed else 0


def probe_first_runs(
        size: int,
        phase: str,
        bench: Bench,
        what: str,
        probe: Callable[[Subject, list[str], str], str],
) -> list[tuple[str, str]]:
    """(title, probe(subject, command, root)) for each hook's first invocation."""
    label, root, subjects = bench
    out = []
    for s in subjects:
        if s.name not in HOOKS:
            continue
        log(f'[{size:,} {phase}, {label}] {what} of {s.name} ...')
        cmd = s.commands[0]
        title = (
            f'{s.name}, {phase_title(phase, size, 0)}, {label} weights: the first '
            f'of {len(s.commands)} invocation(s), {len(cmd) - 1:,} paths'
        )
        out.append((title, probe(s, cmd, root)))
    return out


def run_profiles(
        size: int,
        phase: str,
        bench: Bench,
        env: dict[str, str],
        tmp: str,
        timeout: float,
) -> list[tuple[str, str]]:
    def probe(s: Subject, cmd: list[str], root: str) -> str:
        return profile_hook(cmd, root, env, os.path.join(tmp, 'hook.prof'), 12, timeout)
    return probe_first_runs(size, phase, bench, 'cProfile', probe)


def run_memory_probes(
        size: int,
        bench: Bench,
        env: dict[str, str],
        tmp: str,
        timeout: float,
) -> list[tuple[str, str]]:
    def probe(s: Subject, cmd: list[str], root: str) -> str:
        return memory_probe(HOOK_MODULES[s.name], cmd, root, env, tmp, timeout)
    return probe_first_runs(size, STAGED_ALL, bench, 'tracemalloc', probe)


def render(
        args: argparse.Namespace,
        command: str,
        started: float,
        facts: list[str],
        sizes: list[int],
        plans: dict[int, Plan],
        flat_size: int | None,
        results: list[Result],
        imports: list[ImportTime],
        repo_info: list[str],
        small_info: list[str],
        profiles: list[tuple[str, str]],
        memory: list[tuple[str, str]],
        strace_note: str,
        max_length: int,
        jobs: int,
        repeat: int,
) -> str:
    targets, missed = evaluate_targets(results, sizes, flat_size, imports)
    big = [s for s in sizes if s >= 50000]
    repeats = f'{repeat} timed runs' + (
        f' ({args.repeat_large} at {", ".join(f"{s:,}" for s in big)} files)'
        if big else ''
    )
    lines = [
        '# Benchmark: model-license hooks vs check-added-large-files, reuse lint '
        'and a floor',
        '',
        f'Command: `{command}` (took {time.perf_counter() - started:.0f} s)',
        '',
        *facts,
        '',
        f'Synthetic repositories of {", ".join(f"{s:,}" for s in sizes)} files, '
        f'{args.weight_percent:g}% of them safetensors weights tracked with Git LFS '
        f'(pointer blobs in the index, sparse files in the work tree: 2, 4 or '
        f'8 GiB of tensor data, one 1 TiB). Each command gets the paths as '
        f'arguments with PRE_COMMIT=1, split the way pre-commit splits them: '
        f'command lines of at most {max_length:,} bytes; the three hooks are '
        f'require_serial, so their invocations run one after the other and '
        f'their times add up; {LARGE} is not, so its paths are shuffled and '
        f'split into at least {jobs} partitions run {jobs} at a time, as '
        f'pre-commit does on this {jobs}-core machine. {repeats} after one '
        f'warm-up, interleaved; medians shown. Three phases per size:',
        '',
        '1. **commit, all files staged**: every file staged on top of one empty '
        'commit (the first commit of a large import).',
        f'2. **commit, {args.small_files} files staged**: everything committed, then '
        f'{args.small_files - 2} Python modules with a line appended, one small '
        f'safetensors file kept in git with new tensor values, and a CHANGELOG.md '
        f'entry for it, staged; only these {args.small_files} paths are passed.',
        '3. **--all-files**: that change committed too; every tracked path '
        '(`git ls-files`) passed, as `pre-commit run --all-files` does. '
        f'`{REUSE}` runs here on the same repository (it reports the synthetic '
        'repository as non-compliant: exit code 1 is expected).',
        '',
        'The floor is `python -c pass` plus one `git ls-files -z` of the whole '
        'index: the least a hook that asks git anything pays, once.',
        '',
        '## Targets',
        '',
        '| target | measured | result |',
        '| --- | --- | --- |',
        *(f'| {t.name} | {t.measured} | {t.verdict} |' for t in targets),
        '',
        '## Main table: median wall time (sparse multi-GiB weights)',
        '',
        *main_table(results, sizes, args.small_files),
        '',
        '"inv." = invocations, as pre-commit would split the paths (times summed '
        f'for the hooks; {LARGE}: {jobs} at a time).',
        '',
        '## Ratios',
        '',
        *ratios(results, sizes),
        '',
        '## Import time',
        '',
        '| module | -X importtime (median) | wall: python -c "import m" minus '
        'python -c pass (median) |',
        '| --- | ---: | ---: |',
        *(
            f'| {it.module} | {it.importtime_ms:.1f} ms | {it.wall_ms:.1f} ms |'
            for it in imports
        ),
        '',
        f'{args.import_repeat} runs each after one warm-up. -X importtime: the '
        'cumulative time of the top-level modules the import adds to those '
        '`python -c pass` loads. The largest own import times (one run; '
        'modules `python -c pass` does not load):',
        '',
        *(
            f'- {it.module}: '
            + ', '.join(f'{name} {ms:.1f} ms' for name, ms in it.top)
            for it in imports
        ),
        '',
    ]
    if flat_size is not None:
        lines += [
            f'## Weight size: {SPARSE} vs {SMALL} weights, {flat_size:,} files',
            '',
            *flat_table(results, flat_size),
            '',
        ]
    lines += ['## Repositories', '']
    for size in sizes:
        mix = ', '.join(f'{v:,} {k}' for k, v in plans[size].counts.items())
        lines.append(f'- {size:,} files: {mix}')
    lines += ['', *repo_info, '', f'{args.small_files} files staged:', '', *small_info, '']
    for size in sizes:
        lines += [f'## {size:,} files', '']
        for phase in PHASES:
            mine = [r for r in results if r.size == size and r.phase == phase]
            if not mine:
                continue
            lines += [
                f'### {phase_title(phase, size, args.small_files)}', '',
                *detail_table(mine, strace_note), '',
            ]
    lines += [
        'Peak RSS: ru_maxrss from wait4() on each child, i.e. the largest single '
        'process of its tree (over all invocations; for the floor, the larger of '
        'its two commands). Bytes read: one extra run under `strace -f -y`, '
        'summing what read, pread64, readv and preadv returned, by the file '
        'behind the fd; git maps the index and objects with mmap, which strace '
        f'does not count. Runs given more than {args.strace_max_files:,} paths '
        f'(and {REUSE}, which reads every file, in repositories of more than '
        f'{args.strace_max_files // 10:,} files) are not traced: too slow under '
        'strace.',
        '',
    ]
    failed = [r for r in results if r.failures]
    for r in failed:
        lines += [
            f'## Failed: {r.size:,} files, {phase_title(r.phase, r.size, args.small_files)}, '
            f'{r.label}: {r.subject} exited {sorted(set(r.codes))}', '',
        ]
        for text in r.failures:
            lines += ['```', text, '```', '']
    if profiles:
        lines += [
            '## Where the time goes: one invocation of each hook under cProfile', '',
            f'Targets missed: {", ".join(missed) if missed else "none"}.', '',
        ]
        for title, text in profiles:
            lines += [f'### {title}', '', '```', text, '```', '']
    if memory:
        lines += [
            '## Where the memory goes: one invocation of each hook under tracemalloc',
            '',
            'Python allocations only (the interpreter itself takes about 10 MiB of '
            'RSS); a snapshot whenever the traced memory grew by a fifth, the '
            'largest one shown by the line that allocated it.', '',
        ]
        for title, text in memory:
            lines += [f'### {title}', '', '```', text, '```', '']
    return '\n'.join(lines)


if __name__ == '__main__':
    raise SystemExit(main())
