"""Benchmark check-model-license against check-added-large-files.

Builds a synthetic git repository with everything staged (the commit-time
case): source, docs, images, configs, a few small safetensors files kept in
git, and large sparse safetensors weights tracked with Git LFS (pointer blobs
in the index, sparse files in the work tree).  Then times, on the same staged
file list passed as arguments the way pre-commit passes them:

- check-model-license (with PRE_COMMIT=1),
- check-added-large-files (default options),
- the floor: `python -c pass` plus one `git ls-files -z`,

once with multi-GiB sparse weights and once with 1 MiB weights.  Then, in
each repository, commits everything, changes and stages 10 files (9 Python
modules, one small safetensors file) and times the same commands on just
those paths: a small commit in a large repository, the everyday case.
Writes Markdown tables to bench/RESULTS.md.  Standard library only; the
hooks run as subprocesses.  Run `python bench/run.py --help` for the options.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import pstats
import random
import re
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

MIT = """MIT License

Copyright (c) 2024 Benchmark Authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""
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
    ('user.name', 'bench'),
    ('user.email', 'bench@example.invalid'),
)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


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
    """The caller's environment without git or pre-commit state."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(('GIT_', 'PRE_COMMIT'))
    }
    env.update(extra)
    return env


# --- file contents -----------------------------------------------------------

WORDS = (
    'model weights licence tensor layer config token batch shard index '
    'commit stage repository folder checkpoint format header sample value '
    'option record parser reader writer buffer stream offset length'
).split()


def _words(rng: random.Random, n: int) -> str:
    return ' '.join(rng.choice(WORDS) for _ in range(n))


def python_source(rng: random.Random, i: int, target: int) -> bytes:
    parts = [
        f'"""Module {i}: {_words(rng, 6)}."""\n'
        'from __future__ import annotations\n\nimport os\nimport sys\n\n',
    ]
    size = sum(map(len, parts))
    k = 0
    while size < target:
        k += 1
        body = (
            f'\n\ndef {rng.choice(WORDS)}_{i}_{k}(value: int, name: str) -> int:\n'
            f'    """{_words(rng, 8).capitalize()}."""\n'
            f'    if value > {rng.randrange(1000)}:\n'
            f'        return value * {rng.randrange(1, 97)} + len(name)\n'
            f'    return {rng.randrange(10_000)} - value\n'
        )
        parts.append(body)
        size += len(body)
    return ''.join(parts).encode()


def markdown(rng: random.Random, i: int, target: int) -> bytes:
    parts = [f'# Page {i}: {_words(rng, 4)}\n\n']
    size = len(parts[0])
    while size < target:
        para = (
            f'## {_words(rng, 3).capitalize()}\n\n'
            f'{_words(rng, 40).capitalize()}.\n\n'
            f'- {_words(rng, 6)}\n- {_words(rng, 5)}\n\n'
        )
        parts.append(para)
        size += len(para)
    return ''.join(parts).encode()


def png(rng: random.Random, width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', crc)

    rows = b''.join(b'\x00' + rng.randbytes(width * 3) for _ in range(height))
    ihdr = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return (
        b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
        chunk(b'IDAT', zlib.compress(rows, 1)) + chunk(b'IEND', b'')
    )


def json_config(rng: random.Random, i: int, keys: int) -> bytes:
    data = {
        'name': f'config-{i}',
        'version': rng.randrange(1, 20),
        'settings': {
            f'{rng.choice(WORDS)}_{k}': rng.choice((
                rng.randrange(10_000), rng.random(), _words(rng, 3), True,
            ))
            for k in range(keys)
        },
    }
    return (json.dumps(data, indent=2) + '\n').encode()


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
    # LICENSE, README.md, pyproject.toml, .gitattributes, fixtures' .gitattributes
    fixed = 5 + fixtures + weights + 2 * models  # + config.json, README.md each
    rest = files - fixed
    if rest < 4:
        raise SystemExit(
            f'--files {files} is too small for --weights {weights}: '
            f'need at least {fixed + 4}',
        )
    md = rest * 20 // 100
    png_n = rest * 12 // 100
    js = rest * 13 // 100
    py = rest - md - png_n - js
    counts = {
        'python': py, 'markdown': md + models + 1, 'png': png_n,
        'json': js + models, 'small safetensors (in git)': fixtures,
        'LFS weights': weights, 'other': 3,
    }
    return Plan(files, weights, fixtures, counts)


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


def _put(path: str, data: bytes, mtime: float) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    os.utime(path, (mtime, mtime))


def build_repo(root: str, plan: Plan, sizes: list[int], seed: int) -> Built:
    rng = random.Random(seed)
    os.makedirs(root)
    git(root, 'init', '-q', '-b', 'main')
    for key, value in REPO_CONFIG:
        git(root, 'config', key, value)
    git(
        root, '-c', 'core.hooksPath=/dev/null',
        'commit', '-q', '--allow-empty', '--no-verify', '-m', 'initial empty commit',
    )
    mtime = time.time() - MTIME_AGE
    small: list[str] = []
    small_bytes = 0

    def put(rel: str, data: bytes) -> None:
        nonlocal small_bytes
        _put(os.path.join(root, rel), data, mtime)
        small.append(rel)
        small_bytes += len(data)

    put('LICENSE', MIT.encode())
    put('README.md', markdown(rng, 0, 3000))
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
        put(f'src/pkg{i // 40:03d}/mod_{i:05d}.py', python_source(rng, i, target))
    for i in range(c['markdown'] - models - 1):
        big = rng.random() < 0.03
        target = (
            rng.randrange(40 * KIB, 80 * KIB) if big else rng.randrange(500, 10 * KIB)
        )
        put(f'docs/part{i // 50:02d}/page_{i:05d}.md', markdown(rng, i, target))
    for i in range(c['png']):
        side = rng.randrange(100, 250) if rng.random() < 0.1 else rng.randrange(8, 48)
        put(f'docs/images/set{i // 50:02d}/img_{i:05d}.png', png(rng, side, side))
    for i in range(c['json'] - models):
        put(
            f'configs/group{i // 50:02d}/cfg_{i:05d}.json',
            json_config(rng, i, rng.randrange(4, 60)),
        )

    # Weights: model folders of shards, tracked with Git LFS.
    big_paths: list[tuple[str, int]] = []
    disk = 0
    for m in range(models):
        shards = min(SHARDS_PER_MODEL, plan.weights - m * SHARDS_PER_MODEL)
        folder = f'models/model-{m:03d}'
        put(f'{folder}/config.json', model_config(m, shards))
        put(f'{folder}/README.md', markdown(rng, m, 2000))
        for k in range(shards):
            rel = f'{folder}/model-{k + 1:05d}-of-{shards:05d}.safetensors'
            path = os.path.join(root, rel)
            size = write_sparse_weights(path, sizes[m * SHARDS_PER_MODEL + k])
            os.utime(path, (mtime, mtime))
            st = os.stat(path)
            disk += st.st_blocks * 512
            if st.st_blocks * 512 > MIB:
                raise SystemExit(
                    f'{path}: the filesystem allocated {st.st_blocks * 512} '
                    f'bytes for a sparse file: stopping (use --tmpdir)',
                )
            big_paths.append((rel, size))

    # Ordinary files: one `git add`.
    git(
        root, '--literal-pathspecs', 'add', '--pathspec-from-file=-',
        '--pathspec-file-nul', stdin='\0'.join(small).encode(),
    )
    # LFS weights: pointer blobs, written in one call, indexed in one call.
    pointer_dir = f'{root}-pointers'
    os.makedirs(pointer_dir)
    pointer_files = []
    for n, (rel, size) in enumerate(big_paths):
        pointer_file = os.path.join(pointer_dir, f'{n:06d}')
        with open(pointer_file, 'wb') as f:
            f.write(lfs_pointer(rel, size))
        pointer_files.append(pointer_file)
    oids = git(
        root, 'hash-object', '-w', '--no-filters', '--stdin-paths',
        stdin=''.join(f'{p}\n' for p in pointer_files).encode(),
    ).decode().split()
    shutil.rmtree(pointer_dir)
    git(
        root, 'update-index', '--index-info',
        stdin=''.join(
            f'100644 {oid}\t{rel}\n' for oid, (rel, _) in zip(oids, big_paths)
        ).encode(),
    )
    patch_index_stat(root, [rel for rel, _ in big_paths])

    out = git(
        root, 'diff', '--staged', '--name-only', '--no-ext-diff', '-z',
        '--diff-filter=ACMRTUXB',
    ).decode()
    staged = [p for p in out.split('\0') if p]
    out = git(root, 'diff-files', '--name-only', '-z').decode()
    dirty = [p for p in out.split('\0') if p]
    return Built(
        root, staged, small_bytes, sum(s for _, s in big_paths), disk, len(dirty),
    )


def patch_index_stat(root: str, paths: list[str]) -> None:
    """Record the work-tree files' stat data for index entries made by
    `git update-index --index-info`, which leaves it zero.

    `git add` through the LFS clean filter would record it, but would also
    read every byte.  Without it git's stat cache calls every pointer entry
    modified, and a hook that asks git whether the checkout matches the
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
    for _ in range(count):
        (flags,) = struct.unpack('>H', data[pos + 60:pos + 62])
        fixed = 64 if version == 3 and flags & 0x4000 else 62
        end = data.index(b'\0', pos + fixed)
        name = bytes(data[pos + fixed:end])
        st = wanted.get(name)
        if st is not None:
            (mode,) = struct.unpack('>I', data[pos + 24:pos + 28])
            fields = (
                int(st.st_ctime), st.st_ctime_ns % 10**9,
                int(st.st_mtime), st.st_mtime_ns % 10**9,
                st.st_dev, st.st_ino, mode, st.st_uid, st.st_gid, st.st_size,
            )
            data[pos:pos + 40] = struct.pack(
                '>10I', *(v & 0xFFFFFFFF for v in fields),
            )
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
    n - 1 Python modules get a line appended, one small safetensors file kept
    in git gets new tensor values (same header, still valid).

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
    if len(python) < n - 1 or not fixtures:
        raise SystemExit(f'too few files for a small commit of {n} files')
    chosen = sorted(rng.sample(python, n - 1)) + [rng.choice(fixtures)]
    mtime = time.time() - MTIME_AGE + 60
    changed_bytes = 0
    for rel in chosen:
        path = os.path.join(root, rel)
        with open(path, 'rb') as f:
            data = f.read()
        if rel.endswith('.py'):
            data += b'\n# bench: a small change\n'
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
        _put(path, data, mtime)
        changed_bytes += len(data)
    git(
        root, '--literal-pathspecs', 'add', '--pathspec-from-file=-',
        '--pathspec-file-nul', stdin='\0'.join(chosen).encode(),
    )
    out = git(
        root, 'diff', '--staged', '--name-only', '--no-ext-diff', '-z',
    ).decode()
    now_staged = [p for p in out.split('\0') if p]
    if sorted(now_staged) != sorted(chosen):
        raise SystemExit(
            f'staged {len(now_staged)} paths after the small change, '
            f'expected {len(chosen)}',
        )
    out = git(root, 'diff-files', '--name-only', '-z').decode()
    dirty = [p for p in out.split('\0') if p]
    tracked = git(root, 'ls-files', '-z').count(b'\0')
    return SmallCommit(chosen, changed_bytes, len(dirty), tracked)


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


# --- measuring ---------------------------------------------------------------

class Run(NamedTuple):
    seconds: float
    maxrss_kib: int  # of the largest single process in the child's tree
    returncode: int
    output: str


def run_measured(cmd: Sequence[str], cwd: str, env: dict[str, str]) -> Run:
    """Wall time, and peak RSS from wait4() on this very child.

    Linux folds the peak of every descendant the child reaped into the
    child's ru_maxrss, so this is the largest single process of the tree.
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors='replace')
    return Run(seconds, usage.ru_maxrss, proc.returncode, text)


def chunks(
        cmd: Sequence[str],
        args: Sequence[str],
        env: dict[str, str],
        max_bytes: int | None = None,
) -> list[list[str]]:
    """Split like xargs: as few execs as the kernel's ARG_MAX allows."""
    limit = os.sysconf('SC_ARG_MAX') - 4096 - sum(
        len(k) + len(v) + 2 + 8 for k, v in env.items()
    )
    if max_bytes is not None:
        limit = min(limit, max_bytes)
    base = sum(len(a.encode()) + 1 + 8 for a in cmd)
    out: list[list[str]] = []
    current: list[str] = []
    size = base
    for arg in args:
        cost = len(arg.encode()) + 1 + 8
        if current and size + cost > limit:
            out.append(current)
            current, size = [], base
        current.append(arg)
        size += cost
    out.append(current)
    return out


class Subject(NamedTuple):
    name: str
    commands: list[list[str]]  # run one after the other; times summed


def run_subject(subject: Subject, cwd: str, env: dict[str, str]) -> Run:
    runs = [run_measured(cmd, cwd, env) for cmd in subject.commands]
    return Run(
        sum(r.seconds for r in runs), max(r.maxrss_kib for r in runs),
        max(r.returncode for r in runs),
        ''.join(r.output for r in runs if r.returncode),
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
        codes.append(run_measured(traced, root, env).returncode)
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
        hook: list[str],
        root: str,
        env: dict[str, str],
        out: str,
        top: int,
) -> str:
    cmd = [sys.executable, '-m', 'cProfile', '-o', out, *hook]
    run = run_measured(cmd, root, env)
    buf = io.StringIO()
    pstats.Stats(out, stream=buf).sort_stats('cumulative').print_stats(top)
    text = buf.getvalue()
    # Keep the table, drop pstats' preamble of file names.
    start = text.find('   ncalls')
    return f'{run.seconds:.2f} s under cProfile\n\n' + text[max(start, 0):].rstrip()


# --- reporting ---------------------------------------------------------------

def human(n: float) -> str:
    for unit, scale in (('TiB', TIB), ('GiB', GIB), ('MiB', MIB), ('KiB', KIB)):
        if n >= scale:
            return f'{n / scale:.1f} {unit}'
    return f'{int(n)} B'


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
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        nproc = os.cpu_count() or 0
    git_version = subprocess.run(
        ('git', '--version'), capture_output=True, text=True,
    ).stdout.strip().removeprefix('git version ')
    rev = subprocess.run(
        ('git', 'describe', '--always', '--dirty'), cwd=HERE,
        capture_output=True, text=True,
    ).stdout.strip() or '?'
    return [
        f'- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}',
        f'- machine: nproc {nproc}, {cpu or platform.machine()}, '
        f'{platform.system()} {platform.release()}',
        f'- Python {platform.python_version()}, git {git_version}, '
        f'model_license_hooks {version_of("model_license_hooks")} ({rev}), '
        f'pre-commit-hooks {version_of("pre-commit-hooks")}',
        f'- temp folder filesystem: {fs or "?"}',
    ]


class Result(NamedTuple):
    scenario: str
    label: str
    subject: str
    times: list[float]
    maxrss_kib: int
    codes: list[int]
    reads: Reads | None
    failures: list[str]


def table(results: list[Result], strace_note: str) -> list[str]:
    lines = [
        '| weights | command | median wall | min / max | vs check-added-large-files '
        '| peak RSS | read from work tree | read(2) from .git | exit codes |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ]
    by_label: dict[str, dict[str, Result]] = {}
    for r in results:
        by_label.setdefault(r.label, {})[r.subject] = r
    for label, group in by_label.items():
        base = statistics.median(group['check-added-large-files'].times)
        for i, r in enumerate(group.values()):
            med = statistics.median(r.times)
            if r.subject.startswith('floor'):
                wt = gd = '–'
            elif r.reads is None:
                wt = gd = strace_note
            else:
                wt = (
                    f'{human(r.reads.worktree)} from {r.reads.worktree_files:,} files'
                    f' (max {human(r.reads.worktree_max)})'
                    if r.reads.worktree_files else '0 B'
                )
                gd = human(r.reads.git_dir)
            codes = ', '.join(
                f'{c} ×{r.codes.count(c)}' for c in sorted(set(r.codes))
            )
            lines.append(
                f'| {label if i == 0 else ""} | {r.subject} | {med:.3f} s | '
                f'{min(r.times):.3f} / {max(r.times):.3f} | {med / base:.2f}× | '
                f'{r.maxrss_kib / 1024:.0f} MiB | {wt} | {gd} | {codes} |',
            )
    return lines


def summary(results: list[Result]) -> list[str]:
    """For the results of one scenario."""
    med = {
        (r.label, r.subject): statistics.median(r.times) for r in results
    }
    labels = list(dict.fromkeys(r.label for r in results))
    hook, large = 'check-model-license', 'check-added-large-files'
    floor = next(r.subject for r in results if r.subject.startswith('floor'))
    parts = [
        f'{label}: {med[(label, hook)] / med[(label, large)]:.1f}×'
        for label in labels
    ]
    lines = [f'check-model-license / check-added-large-files: {"; ".join(parts)}.']
    parts = [
        f'{label}: {med[(label, hook)] - med[(label, floor)]:+.3f} s'
        for label in labels
    ]
    lines.append(f'check-model-license above the floor: {"; ".join(parts)}.')
    if len(labels) == 2:
        a, b = (med[(label, hook)] for label in labels)
        lines.append(
            f'check-model-license, {labels[0]} / {labels[1]}: {a / b:.2f}× '
            f'({a:.3f} s / {b:.3f} s).',
        )
    return lines


Bench = tuple[str, str, list['Subject']]  # label, repository root, subjects


def measure(
        scenario: str,
        benches: list[Bench],
        repeat: int,
        env: dict[str, str],
        strace_log: str | None,
) -> list[Result]:
    """Time every subject of every bench, interleaved; then one strace run each.

    Interleaved, so that drift in the machine's speed hits every command and
    every repository alike.  The first round warms up and is not counted.
    """
    runs: dict[tuple[str, str], list[Run]] = {}
    for rep in range(repeat + 1):
        k = rep % len(benches)
        for label, root, subjects in benches[k:] + benches[:k]:
            j = rep % len(subjects)
            for s in subjects[j:] + subjects[:j]:
                runs.setdefault((label, s.name), []).append(
                    run_subject(s, root, env),
                )
        warm = ' (warm-up)' if rep == 0 else ''
        log(f'[{scenario}] round {rep + 1}/{repeat + 1} done{warm}')
    results = []
    for label, root, subjects in benches:
        for s in subjects:
            mine = runs[(label, s.name)]
            reads: Reads | None = None
            codes = [r.returncode for r in mine]
            if strace_log is not None and not s.name.startswith('floor'):
                reads, traced_codes = strace_reads(s, root, env, strace_log)
                codes += traced_codes
            timed = mine[1:]
            results.append(Result(
                scenario, label, s.name, [r.seconds for r in timed],
                max(r.maxrss_kib for r in mine), codes, reads,
                sorted({r.output.strip()[:2000] for r in mine if r.returncode}),
            ))
            med = statistics.median(r.seconds for r in timed)
            log(
                f'[{scenario}, {label}] {s.name}: median {med:.3f} s, '
                f'exit codes {sorted(set(codes))}',
            )
    return results


def subjects_for(
        hook: str,
        large: str,
        paths: list[str],
        env: dict[str, str],
        chunk_bytes: int | None,
) -> list[Subject]:
    hook_chunks = chunks([hook], paths, env, chunk_bytes)
    large_chunks = chunks([large], paths, env, chunk_bytes)
    return [
        Subject('check-model-license', [[hook, *c] for c in hook_chunks]),
        Subject('check-added-large-files', [[large, *c] for c in large_chunks]),
        Subject(
            'floor: python -c pass + git ls-files -z',
            [[sys.executable, '-c', 'pass'], ['git', 'ls-files', '-z']],
        ),
    ]


# --- main --------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        '--files', type=int, default=20000,
        help='staged files in all (default: %(default)s)',
    )
    parser.add_argument(
        '--weights', type=int, default=200,
        help='of which sparse weights tracked with Git LFS (default: %(default)s)',
    )
    parser.add_argument(
        '--quick', action='store_true', help='2,000 files, 20 weights',
    )
    parser.add_argument(
        '--small-files', type=int, default=10, metavar='N',
        help='files changed in the small-commit scenario (default: %(default)s)',
    )
    parser.add_argument(
        '--repeat', type=int, default=5,
        help='timed runs per command (default: %(default)s)',
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
        help='at most N bytes of arguments per invocation (default: what the '
        'kernel allows; pre-commit itself uses at most 131072)',
    )
    parser.add_argument(
        '--no-strace', action='store_true',
        help='skip the bytes-read measurement',
    )
    parser.add_argument(
        '--profile', action='store_true',
        help='also profile one hook run with cProfile',
    )
    parser.add_argument(
        '--keep', action='store_true',
        help='keep the repositories (and say where)',
    )
    parser.add_argument(
        '--results', default=RESULTS,
        help='Markdown output (default: bench/RESULTS.md)',
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.weights = 2000, 20
    if args.repeat < 1 or args.weights < 0 or args.small_files < 2:
        parser.error(
            '--repeat must be at least 1, --weights not negative, '
            '--small-files at least 2',
        )
    plan = make_plan(args.files, args.weights)
    given = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join(['python', 'bench/run.py', *given])
    started = time.perf_counter()

    hook = script('check-model-license')
    large = script('check-added-large-files')
    have_strace = not args.no_strace and shutil.which('strace') is not None
    strace_note = 'skipped' if args.no_strace else 'no strace'
    env = clean_env(PRE_COMMIT='1')

    tmp = tempfile.mkdtemp(prefix='mlh-bench-', dir=args.tmpdir)
    facts = machine_facts(tmp)
    scenarios: list[tuple[str, list[Result]]] = []
    all_staged = f'{args.files:,} files, all staged'
    small_commit = (
        f'{args.small_files} files staged in a {args.files:,}-file repository'
    )
    built_info: list[str] = []
    small_info: list[str] = []
    profile_text = profile_label = ''
    try:
        tib_ok = probe_sparse(tmp)
        configs = [
            ('sparse multi-GiB', weight_sizes(args.weights, True, tib_ok)),
            ('1 MiB', weight_sizes(args.weights, False, tib_ok)),
        ]
        benches: list[Bench] = []
        built_repos: list[tuple[str, Built]] = []
        for n, (label, sizes) in enumerate(configs):
            t0 = time.perf_counter()
            log(f'[{label}] building {args.files:,} files ...')
            built = build_repo(os.path.join(tmp, f'repo{n}'), plan, sizes, args.seed)
            log(f'[{label}] built in {time.perf_counter() - t0:.1f} s')
            if len(built.staged) != args.files:
                raise SystemExit(
                    f'{len(built.staged)} files staged, expected {args.files}',
                )
            shown = ', '.join(human(s) for s in sorted(set(sizes)))
            subjects = subjects_for(hook, large, built.staged, env, args.chunk_bytes)
            built_info.append(
                f'- {label}: {args.weights} weights of {shown} of tensor data '
                f'({human(built.weight_bytes)} in all, {human(built.disk_bytes)} '
                f'on disk); the other files {human(built.small_bytes)}; '
                f'{len(built.staged):,} paths passed in '
                f'{len(subjects[0].commands)} invocation(s); index entries '
                f'git\'s stat cache calls modified: {built.stat_dirty}',
            )
            benches.append((label, built.root, subjects))
            built_repos.append((label, built))

        strace_log = os.path.join(tmp, 'strace.log') if have_strace else None
        scenarios.append((all_staged, measure(
            all_staged, benches, args.repeat, env, strace_log,
        )))
        if args.profile:
            label, root, subjects = benches[0]
            log(f'[{label}] profiling one hook run ...')
            profile_label = label
            profile_text = profile_hook(
                subjects[0].commands[0], root, env,
                os.path.join(tmp, 'hook.prof'), 25,
            )

        # The everyday case: the rest committed, a few files changed.
        small_benches: list[Bench] = []
        for label, built in built_repos:
            t0 = time.perf_counter()
            small = commit_and_change(
                built.root, built.staged, args.small_files, args.seed,
            )
            log(
                f'[{label}] committed, {len(small.staged)} files changed and '
                f'staged in {time.perf_counter() - t0:.1f} s; stat-dirty '
                f'entries: {small.stat_dirty}',
            )
            if small.stat_dirty:
                raise SystemExit(
                    f'{built.root}: after the commit git\'s stat cache calls '
                    f'{small.stat_dirty} entries modified, expected none',
                )
            subjects = subjects_for(hook, large, small.staged, env, args.chunk_bytes)
            small_info.append(
                f'- {label}: HEAD holds all {small.tracked:,} files; staged on '
                f'top: {", ".join(f"`{p}`" for p in small.staged)} '
                f'({human(small.changed_bytes)} in all); index entries git\'s '
                f'stat cache calls modified: {small.stat_dirty}',
            )
            small_benches.append((label, built.root, subjects))
        scenarios.append((small_commit, measure(
            small_commit, small_benches, args.repeat, env, strace_log,
        )))
        if args.keep:
            for label, built in built_repos:
                log(f'[{label}] repository kept at {built.root} (small commit staged)')
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    c = plan.counts
    mix = ', '.join(f'{v:,} {k}' for k, v in c.items())
    lines = [
        '# Benchmark: check-model-license vs check-added-large-files',
        '',
        f'Command: `{command}` (took {time.perf_counter() - started:.0f} s)',
        '',
        *facts,
        '',
        f'Synthetic repository of {args.files:,} files ({mix}). LFS weights '
        f'are pointer blobs in the index and sparse safetensors files (header, '
        f'then a hole) in the work tree. Each command gets the staged paths as '
        f'arguments, as pre-commit passes them, with PRE_COMMIT=1; '
        f'{args.repeat} timed runs after one warm-up, median shown. Two '
        f'scenarios, each in both repositories:',
        '',
        f'1. {all_staged}: every file staged on top of one empty commit.',
        f'2. {small_commit}: the same repository with everything committed, '
        f'then {args.small_files - 1} Python modules with a line appended and '
        f'one small safetensors file kept in git with new tensor values, '
        f'staged; only these {args.small_files} paths are passed. Nothing else '
        f'is modified as far as git\'s stat cache is concerned.',
        '',
        *built_info,
        '',
    ]
    for n, (name, results) in enumerate(scenarios, 1):
        lines += [f'## {n}. {name}', '']
        if n == 2:
            lines += [*small_info, '']
        lines += [
            *table(results, strace_note), '', *summary(results), '',
        ]
    lines += [
        'Peak RSS: ru_maxrss from wait4() on each child, i.e. the largest single '
        'process of its tree (for the floor, the larger of its two commands). '
        'Bytes read: one extra run under `strace -f -y`, summing what read, '
        'pread64, readv and preadv returned, by the file behind the fd; git '
        'maps the index and objects with mmap, which strace does not count. '
        'The floor lists the whole index in both scenarios: the least a hook '
        'that asks git anything pays.',
        '',
    ]
    failed = [
        r for _, results in scenarios for r in results
        if r.failures or any(r.codes)
    ]
    for r in failed:
        lines += [
            f'## Failed: {r.scenario}, {r.label}: {r.subject} exited '
            f'{sorted(set(r.codes))}', '',
        ]
        for text in r.failures:
            lines += ['```', text, '```', '']
    if profile_text:
        lines += [
            '## One hook run under cProfile',
            '',
            f'{all_staged}, {profile_label} weights, first invocation, '
            f'top 25 by cumulative time:',
            '', '```', profile_text, '```', '',
        ]
    report = '\n'.join(lines)
    with open(args.results, 'w') as f:
        f.write(report)
    print(report)
    return 1 if failed else 0


if __name__ == '__main__':
    raise SystemExit(main())
