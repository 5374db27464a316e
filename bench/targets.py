"""The five targets of the benchmark issue, checked against the results."""
from __future__ import annotations

import statistics
from typing import NamedTuple

from common import ALL_FILES
from common import FLOOR
from common import HOOKS
from common import human
from common import KIB
from common import LARGE
from common import phase_title
from common import pick_size
from common import secs
from common import SMALL
from common import SPARSE
from common import STAGED_ALL
from measure import Result
from probes import ImportTime

Find = dict[tuple[int, str, str, str], Result]  # size, phase, label, subject


def med(r: Result) -> float:
    return statistics.median(r.times)


def index_results(results: list[Result]) -> Find:
    return {(r.size, r.phase, r.label, r.subject): r for r in results}


class Target(NamedTuple):
    name: str
    measured: str
    verdict: str


class _Verdicts:
    """Collects the targets' rows, and the names of those missed."""

    def __init__(self) -> None:
        self.targets: list[Target] = []
        self.missed: list[str] = []

    def add(self, name: str, measured: str, ok: bool, by: str) -> None:
        self.targets.append(Target(name, measured, 'met' if ok else f'missed by {by}'))
        if not ok:
            self.missed.append(name)


def evaluate_targets(
        results: list[Result],
        sizes: list[int],
        flat_size: int | None,
        imports: list[ImportTime],
) -> tuple[list[Target], list[str]]:
    """The five targets of the benchmark issue, and what was missed."""
    find = index_results(results)
    v = _Verdicts()
    _no_slower_than_large(v, find, pick_size(sizes, 10000))
    _all_files_near_floor(v, find, max(sizes))
    if flat_size is None:
        v.targets.append(Target('(c) time flat in weight size', 'not measured', '–'))
    else:
        _flat_in_weight_size(v, find, flat_size)
    _peak_memory(v, results, max(sizes))
    for it in imports:
        worst = max(it.importtime_ms, it.wall_ms)
        v.add(
            f'(e) import {it.module} under 100 ms',
            f'{it.importtime_ms:.1f} ms (-X importtime), {it.wall_ms:.1f} ms (wall '
            f'minus python -c pass)',
            worst < 100, f'{worst - 100:.1f} ms',
        )
    return v.targets, v.missed


def _no_slower_than_large(v: _Verdicts, find: Find, a_size: int) -> None:
    large = find[(a_size, STAGED_ALL, SPARSE, LARGE)]
    for hook in HOOKS:
        r = find[(a_size, STAGED_ALL, SPARSE, hook)]
        ratio = med(r) / med(large)
        v.add(
            f'(a) {hook} no slower than {LARGE}, {a_size:,} staged files',
            f'{secs(med(r))} vs {secs(med(large))} ({ratio:.2f}×)',
            ratio <= 1.0, f'{med(r) - med(large):.3f} s ({ratio:.2f}×)',
        )


def _all_files_near_floor(v: _Verdicts, find: Find, b_size: int) -> None:
    floor = find[(b_size, ALL_FILES, SPARSE, FLOOR)]
    for hook in HOOKS:
        r = find[(b_size, ALL_FILES, SPARSE, hook)]
        ratio = med(r) / med(floor)
        allowed = 3 * med(floor)
        v.add(
            f'(b) {hook} --all-files within 3× the floor, {b_size:,} files',
            f'{secs(med(r))} in {r.invocations} invocation(s) vs floor '
            f'{secs(med(floor))} ({ratio:.1f}×)',
            ratio <= 3.0, f'{med(r) - allowed:.2f} s ({ratio / 3:.1f}× the allowance '
            f'of {secs(allowed)})',
        )


def _flat_in_weight_size(v: _Verdicts, find: Find, flat_size: int) -> None:
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
        v.add(
            f'(c) {hook} time flat in weight size (sparse multi-GiB / 1 MiB '
            f'≤ 1.20, the same bytes read), {flat_size:,} files',
            '; '.join(parts), worst <= 1.20 and same_reads,
            ', '.join(slower + ([] if same_reads else ['bytes read differ'])),
        )


def _peak_memory(v: _Verdicts, results: list[Result], b_size: int) -> None:
    for hook in HOOKS:
        mine = [
            r for r in results
            if r.size == b_size and r.subject == hook and r.label == SPARSE
        ]
        peak = max(mine, key=lambda r: r.maxrss_kib)
        mib = peak.maxrss_kib / 1024
        v.add(
            f'(d) {hook} peak memory under 64 MiB, {b_size:,} files',
            f'{mib:.1f} MiB (max RSS of one invocation; phase: '
            f'{phase_title(peak.phase, b_size, 10)})',
            mib < 64, f'{mib - 64:.1f} MiB',
        )
