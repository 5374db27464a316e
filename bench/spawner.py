"""Running one command and measuring it: wall time, peak RSS, exit code.

Commands are started by small helper processes, not by the benchmark.  On
exec, Linux records the peak RSS of the memory the process had until then
(for a fork or vfork of this benchmark: all of this benchmark's memory) in
the process's ru_maxrss, so a command started from here would report at
least this process's size.  A helper is a bare interpreter (python -I -S)
that reads one JSON request per line, runs the command, and answers with
its wall time, ru_maxrss and exit status.
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
from collections.abc import Sequence
from typing import NamedTuple

TIMED_OUT = 124  # the exit code reported for a command killed at --timeout


class Run(NamedTuple):
    seconds: float
    maxrss_kib: int  # of the largest single process in the child's tree
    returncode: int
    output: str
    summed: float = 0.0  # the invocations' wall times added up (= seconds if serial)


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
    of SPAWNER (see the module's docstring for why).
    """
    if SPAWNER is None:
        raise RuntimeError('no spawner: call start_spawner() first')
    return SPAWNER.run(cmd, cwd, env, timeout)


def start_spawner(size: int, tmp: str) -> Spawner:
    global SPAWNER
    SPAWNER = Spawner(size, tmp)
    return SPAWNER
