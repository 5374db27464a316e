"""Looking inside the hooks: import time, cProfile, and tracemalloc."""
from __future__ import annotations

import io
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from collections.abc import Sequence
from typing import NamedTuple

from common import COMBINED_COLD
from common import HOOK_MODULES
from common import HOOK_SUBJECTS
from common import log
from common import phase_title
from common import SINGLE_HOOKS
from common import STAGED_ALL
from measure import Bench
from measure import empty_cache
from measure import Subject
from spawner import run_measured

# --- import time -------------------------------------------------------------

# Profiled and memory-probed: each hook, and the combined one as a commit
# of new files runs it.
PROBED = (*SINGLE_HOOKS, COMBINED_COLD)
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


def _importtime_stderr(code: str, cwd: str, env: dict[str, str]) -> str:
    proc = subprocess.run(
        (sys.executable, '-X', 'importtime', '-c', code), cwd=cwd, env=env,
        capture_output=True, text=True,
    )
    if proc.returncode:
        raise SystemExit(f'python -c "{code}" failed:\n{proc.stderr[-2000:]}')
    return proc.stderr


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
    base_run = _importtime_stderr('pass', cwd, env)
    base = _top_level_imports(base_run)
    base_all = {name for name, _ in _own_import_times(base_run)}
    totals: dict[str, list[float]] = {m: [] for m in modules}
    tops: dict[str, list[tuple[str, float]]] = {}
    walls: dict[str, list[float]] = {m: [] for m in ('', *modules)}
    for rep in range(repeat + 1):
        for m in modules:
            stderr = _importtime_stderr(f'import {m}', cwd, env)
            added = {
                k: v for k, v in _top_level_imports(stderr).items() if k not in base
            }
            if rep:  # round 0 is the warm-up
                totals[m].append(sum(added.values()) / 1000)
                tops[m] = [
                    (name, us / 1000) for name, us in _own_import_times(stderr)
                    if name not in base_all
                ][:10]
        for m in ('', *modules):
            code = f'import {m}' if m else 'pass'
            run = run_measured((sys.executable, '-c', code), cwd, env, 60)
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


# --- cProfile and tracemalloc --------------------------------------------------

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
        if s.name not in PROBED:
            continue
        empty_cache(s, root)
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
        module = HOOK_MODULES[HOOK_SUBJECTS[s.name].script]
        return memory_probe(module, cmd, root, env, tmp, timeout)
    return probe_first_runs(size, STAGED_ALL, bench, 'tracemalloc', probe)
