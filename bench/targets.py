"""The targets of the speed issue, checked against the results."""
from __future__ import annotations

import statistics
from typing import NamedTuple

from common import ALL_FILES
from common import COMBINED_COLD
from common import COMBINED_NO_CACHE
from common import COMBINED_WARM
from common import HOOKS
from common import SINGLE_HOOKS
from common import human
from common import KIB
from common import LARGE
from common import phase_title
from common import pick_size
from common import secs
from common import SMALL
from common import SPARSE
from common import STAGED_ALL
from common import STAGED_SMALL
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
    """The targets of the speed issue, and what was missed."""
    find = index_results(results)
    v = _Verdicts()
    for size in sorted({pick_size(sizes, 10000), max(sizes)}):
        if size >= 10000:
            _vs_large(v, find, size, STAGED_SMALL, (*SINGLE_HOOKS, COMBINED_COLD), 1.5)
    a_size = pick_size(sizes, 10000)
    _vs_large(v, find, a_size, STAGED_ALL, SINGLE_HOOKS, 1.5, stretch=1.0)
    _vs_large(v, find, a_size, STAGED_ALL, (COMBINED_COLD,), 2.0)
    _all_files_seconds(v, find, max(sizes))
    _peak_memory(v, results, max(sizes))
    if flat_size is None:
        v.targets.append(Target('time flat in weight size', 'not measured', '–'))
    else:
        _flat_in_weight_size(v, find, flat_size)
    for it in imports:
        worst = max(it.importtime_ms, it.wall_ms)
        v.add(
            f'import {it.module} under 100 ms',
            f'{it.importtime_ms:.1f} ms (-X importtime), {it.wall_ms:.1f} ms (wall '
            f'minus python -c pass)',
            worst < 100, f'{worst - 100:.1f} ms',
        )
    return v.targets, v.missed


def _vs_large(
        v: _Verdicts, find: Find, size: int, phase: str, hooks: tuple[str, ...],
        allowed: float, stretch: float | None = None,
) -> None:
    """Each hook's median at most `allowed` times check-added-large-files'."""
    large = find[(size, phase, SPARSE, LARGE)]
    what = phase_title(phase, size, 10).replace('commit, ', '')
    if phase == STAGED_SMALL:
        what += f' in a {size:,}-file repository'
    for hook in hooks:
        r = find[(size, phase, SPARSE, hook)]
        ratio = med(r) / med(large)
        reach = f'; stretch {stretch:.1f}×: {"met" if ratio <= stretch else "missed"}' if (
            stretch is not None) else ''
        v.add(
            f'{hook} at most {allowed:.1f}× {LARGE}, {what}',
            f'{secs(med(r))} vs {secs(med(large))} ({ratio:.2f}×){reach}',
            ratio <= allowed, f'{med(r) - allowed * med(large):.3f} s ({ratio:.2f}×)',
        )


def _all_files_seconds(v: _Verdicts, find: Find, size: int) -> None:
    for hook, allowed in ((COMBINED_NO_CACHE, 6.0), (COMBINED_WARM, 2.0)):
        r = find[(size, ALL_FILES, SPARSE, hook)]
        v.add(
            f'{hook} --all-files at most {allowed:.0f} s, {size:,} files',
            f'{secs(med(r))} in {r.invocations} invocation(s)',
            med(r) <= allowed, f'{med(r) - allowed:.2f} s ({med(r) / allowed:.2f}×)',
        )


def _flat_in_weight_size(v: _Verdicts, find: Find, flat_size: int) -> None:
    for hook in (*SINGLE_HOOKS, COMBINED_NO_CACHE):
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
        slower = [f'{worst:.2f}× against 1.10×'] if worst > 1.10 else []
        v.add(
            f'{hook} time flat in weight size (sparse multi-GiB / 1 MiB '
            f'≤ 1.10, the same bytes read), {flat_size:,} files',
            '; '.join(parts), worst <= 1.10 and same_reads,
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
            f'{hook} peak memory under 64 MiB, {b_size:,} files',
            f'{mib:.1f} MiB (max RSS of one invocation; phase: '
            f'{phase_title(peak.phase, b_size, 10)})',
            mib < 64, f'{mib - 64:.1f} MiB',
        )
