"""Timing the commands of a phase the way pre-commit runs them: the paths
split into command lines as pre-commit's xargs splits them, warm-up and
timed runs interleaved, and one extra run under strace for bytes read."""
from __future__ import annotations

import concurrent.futures
import os
import random
import re
import shutil
import statistics
import sys
import time
from collections.abc import Sequence
from typing import NamedTuple

from common import ALL_FILES
from common import FLOOR
from common import CACHE_FOLDER
from common import HOOK_SUBJECTS
from common import LARGE
from common import log
from common import REUSE
from spawner import Run
from spawner import run_measured

# pre-commit (xargs.py): at most 2**17 bytes of command line per invocation,
# and for hooks that are not require_serial, files shuffled with this seed
# and split into at least cpu_count() partitions run that many at a time.
PRE_COMMIT_MAX_BYTES = 2 ** 17
PRE_COMMIT_SEED = 1542676187


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
    empty_cache: bool = False  # remove the hooks' verdict cache before each run


def subjects_for(
        phase: str,
        tools: dict[str, str],
        paths: list[str],
        max_length: int,
        jobs: int,
        traced: bool,
        reuse: bool,
        reuse_traced: bool,
) -> list[Subject]:
    """The commands of one phase, split the way pre-commit splits them."""
    subjects = []
    for name, hook in HOOK_SUBJECTS.items():
        # require_serial: one partition after another, no concurrency.
        cmds = partition([tools[hook.script], *hook.args], paths, max_length)
        subjects.append(Subject(name, cmds, 1, (0,), traced, hook.empty_cache))
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


def empty_cache(subject: Subject, root: str) -> None:
    if subject.empty_cache:
        shutil.rmtree(os.path.join(root, CACHE_FOLDER), ignore_errors=True)


def run_subject(subject: Subject, cwd: str, env: dict[str, str], timeout: float) -> Run:
    empty_cache(subject, cwd)
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
    elsewhere = {'git': 0, 'other': 0}
    codes = []
    empty_cache(subject, root)
    for cmd in subject.commands:
        traced = [
            'strace', '-f', '-qq', '-y', '-s', '0', '-e', 'signal=none',
            '-e', 'trace=read,pread64,readv,preadv,preadv2', '-o', log_path,
            '--', *cmd,
        ]
        codes.append(run_measured(traced, root, env, timeout).returncode)
        _add_strace_log(log_path, root, per_file, elsewhere)
    reads = Reads(
        sum(per_file.values()), len(per_file), max(per_file.values(), default=0),
        elsewhere['git'], elsewhere['other'],
    )
    return reads, codes


def _add_strace_log(
        log_path: str, root: str, per_file: dict[str, int], elsewhere: dict[str, int],
) -> None:
    """Add one strace log's reads: work-tree files to per_file, the rest by kind."""
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
                elsewhere['git'] += got
            elif path.startswith(root + '/'):
                per_file[path] = per_file.get(path, 0) + got
            else:
                elsewhere['other'] += got


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
Key = tuple[str, str]  # label, subject name


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
    warm: dict[Key, list[Run]] = {}
    timed: dict[Key, list[Run]] = {}
    for label, root, subjects in benches:
        for s in subjects:
            if s.name != REUSE:
                warm[(label, s.name)] = [
                    run_subject(s._replace(commands=s.commands[:1]), root, env, timeout),
                ]
    log(f'[{size:,} {phase}] warm-up done')
    for rep in range(repeat):
        # Rotated each round, so that no command always runs first.
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
            results.append(_result(
                size, phase, label, root, s, warm.get((label, s.name), []),
                timed[(label, s.name)], env, strace_log, timeout,
            ))
    return results


def _result(
        size: int,
        phase: str,
        label: str,
        root: str,
        s: Subject,
        warm: list[Run],
        timed: list[Run],
        env: dict[str, str],
        strace_log: str | None,
        timeout: float,
) -> Result:
    """One subject's figures, after its strace run if it is traced."""
    mine = warm + timed
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
    times = [r.seconds for r in timed]
    log(
        f'[{size:,} {phase}, {label}] {s.name}: median '
        f'{statistics.median(times):.3f} s in '
        f'{len(s.commands)} invocation(s), exit codes {sorted(set(codes))}',
    )
    return Result(
        size, phase, label, s.name, len(s.commands), s.jobs, times,
        [r.summed for r in timed], max(r.maxrss_kib for r in mine), codes, reads,
        failures,
    )
