"""One repository size from start to end: build the repositories, then the
three phases (all staged, a small commit, --all-files), each measured."""
from __future__ import annotations

import dataclasses
import os
import shutil
from typing import NamedTuple

from common import ALL_FILES
from common import human
from common import log
from common import SMALL
from common import SPARSE
from common import STAGED_ALL
from common import STAGED_SMALL
from measure import Bench
from measure import measure
from measure import Result
from measure import subjects_for
from probes import run_memory_probes
from probes import run_profiles
from synthetic_repo import build_repo
from synthetic_repo import Built
from synthetic_repo import commit_all
from synthetic_repo import commit_and_change
from synthetic_repo import Plan
from synthetic_repo import weight_sizes


class Settings(NamedTuple):
    """What every size's run needs, fixed at the start."""
    tools: dict[str, str]  # name -> console script
    env: dict[str, str]  # for the commands under test
    max_length: int  # of one command line
    jobs: int
    tmp: str
    strace_log: str | None  # None: no bytes-read measurement
    strace_max_files: int
    timeout: float
    seed: int
    small_files: int
    profile_sizes: tuple[int, int] | None  # all staged, --all-files; None: none
    keep: bool


@dataclasses.dataclass
class Gathered:
    """What the sizes' runs add to the report."""
    results: list[Result] = dataclasses.field(default_factory=list)
    repo_info: list[str] = dataclasses.field(default_factory=list)
    small_info: list[str] = dataclasses.field(default_factory=list)
    profiles: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    memory: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def run_size(
        size: int,
        plan: Plan,
        repeat: int,
        tib_ok: bool,
        with_small_weights: bool,
        s: Settings,
        out: Gathered,
) -> None:
    """Build the repositories of one size (multi-GiB weights, and 1 MiB ones
    if `with_small_weights`), measure the three phases, then remove them."""
    configs = [(SPARSE, weight_sizes(plan.weights, True, tib_ok))]
    if with_small_weights:
        configs.append((SMALL, weight_sizes(plan.weights, False, tib_ok)))
    built_repos = [
        (label, _build(size, n, label, plan, wsizes, s, out))
        for n, (label, wsizes) in enumerate(configs)
    ]
    os.sync()  # no write-back of the new files while timing
    traced_big = size <= s.strace_max_files
    _staged_all(size, built_repos, repeat, traced_big, s, out)
    _staged_small(size, built_repos, repeat, s, out)
    _all_files(size, built_repos, repeat, traced_big, s, out)
    if s.keep:
        for label, b in built_repos:
            log(f'[{size:,}, {label}] repository kept at {b.root}')
    else:
        for _, b in built_repos:
            shutil.rmtree(b.root, ignore_errors=True)


def _build(
        size: int, n: int, label: str, plan: Plan, wsizes: list[int],
        s: Settings, out: Gathered,
) -> Built:
    log(f'[{size:,}, {label}] building ...')
    built = build_repo(os.path.join(s.tmp, f'repo-{size}-{n}'), plan, wsizes, s.seed, s.jobs)
    log(f'[{size:,}, {label}] built in {built.seconds:.1f} s')
    if len(built.staged) != size or built.stat_dirty:
        raise SystemExit(
            f'{built.root}: {len(built.staged)} files staged (expected '
            f'{size}), {built.stat_dirty} stat-dirty (expected 0)',
        )
    shown = ', '.join(human(w) for w in sorted(set(wsizes)))
    out.repo_info.append(
        f'- {size:,} files, {label}: {plan.weights} weights of {shown} '
        f'of tensor data ({human(built.weight_bytes)} in all, '
        f'{human(built.disk_bytes)} on disk); the other files '
        f'{human(built.small_bytes)}; built in {built.seconds:.0f} s; '
        f'index entries git\'s stat cache calls modified: '
        f'{built.stat_dirty}',
    )
    return built


def _measure(
        size: int, phase: str, benches: list[Bench], repeat: int, s: Settings,
        out: Gathered,
) -> None:
    out.results += measure(size, phase, benches, repeat, s.env, s.strace_log, s.timeout)


def _staged_all(
        size: int, built_repos: list[tuple[str, Built]], repeat: int, traced: bool,
        s: Settings, out: Gathered,
) -> None:
    """Phase 1: everything staged."""
    benches: list[Bench] = [
        (label, b.root, subjects_for(
            STAGED_ALL, s.tools, b.staged, s.max_length, s.jobs, traced, False, False,
        ))
        for label, b in built_repos
    ]
    _measure(size, STAGED_ALL, benches, repeat, s, out)
    if s.profile_sizes is not None and size == s.profile_sizes[0]:
        out.profiles += run_profiles(size, STAGED_ALL, benches[0], s.env, s.tmp, s.timeout)
    if s.profile_sizes is not None and size == s.profile_sizes[1]:
        out.memory += run_memory_probes(size, benches[0], s.env, s.tmp, s.timeout)


def _staged_small(
        size: int, built_repos: list[tuple[str, Built]], repeat: int,
        s: Settings, out: Gathered,
) -> None:
    """Phase 2: the rest committed, a few files changed."""
    benches: list[Bench] = []
    for label, b in built_repos:
        small = commit_and_change(b.root, b.staged, s.small_files, s.seed)
        if small.stat_dirty:
            raise SystemExit(
                f'{b.root}: after the commit git\'s stat cache calls '
                f'{small.stat_dirty} entries modified, expected none',
            )
        if label == SPARSE:
            out.small_info.append(
                f'- {size:,} files: staged on top of HEAD: '
                f'{", ".join(f"`{p}`" for p in small.staged)} '
                f'({human(small.changed_bytes)} in all); stat-dirty '
                f'entries: {small.stat_dirty}',
            )
        benches.append((label, b.root, subjects_for(
            STAGED_SMALL, s.tools, small.staged, s.max_length, s.jobs, True,
            False, False,
        )))
    os.sync()
    _measure(size, STAGED_SMALL, benches, repeat, s, out)


def _all_files(
        size: int, built_repos: list[tuple[str, Built]], repeat: int, traced: bool,
        s: Settings, out: Gathered,
) -> None:
    """Phase 3: everything committed, every tracked path."""
    benches: list[Bench] = []
    for label, b in built_repos:
        tracked, dirty = commit_all(b.root)
        if dirty or len(tracked) != size:
            raise SystemExit(
                f'{b.root}: {len(tracked)} tracked (expected {size}), '
                f'{dirty} stat-dirty (expected 0) after committing',
            )
        # reuse lint: in the multi-GiB repository only, traced only when small.
        benches.append((label, b.root, subjects_for(
            ALL_FILES, s.tools, tracked, s.max_length, s.jobs, traced,
            label == SPARSE, size <= s.strace_max_files // 10,
        )))
    os.sync()
    _measure(size, ALL_FILES, benches, repeat, s, out)
    if s.profile_sizes is not None and size == s.profile_sizes[1]:
        out.profiles += run_profiles(size, ALL_FILES, benches[0], s.env, s.tmp, s.timeout)
