"""The Markdown report: the tables, the ratios, and the whole document."""
from __future__ import annotations

import argparse
import statistics
import time
from typing import NamedTuple

from common import ALL_FILES
from common import FLOOR
from common import HOOKS
from common import human
from common import LARGE
from common import phase_title
from common import PHASES
from common import pick_size
from common import REUSE
from common import secs
from common import SMALL
from common import SPARSE
from common import STAGED_ALL
from common import STAGED_SMALL
from measure import Result
from probes import ImportTime
from synthetic_repo import Plan
from targets import evaluate_targets
from targets import index_results
from targets import med


class Report(NamedTuple):
    """Everything a run gathered, for render()."""
    args: argparse.Namespace
    command: str
    started: float  # time.perf_counter() at the start of the run
    facts: list[str]
    sizes: list[int]
    plans: dict[int, Plan]
    flat_size: int | None
    results: list[Result]
    imports: list[ImportTime]
    repo_info: list[str]
    small_info: list[str]
    profiles: list[tuple[str, str]]
    memory: list[tuple[str, str]]
    strace_note: str
    max_length: int
    jobs: int
    repeat: int


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


def _main_cell(r: Result | None) -> str:
    if r is None:
        return '–'
    text = secs(med(r))
    if r.invocations > 1 and r.subject != FLOOR:
        text += f' ({r.invocations} inv.)'
    if any(c not in (0, 1) for c in r.codes) or r.failures:
        text += ' **failed**'
    return text


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
            cells = [_main_cell(cell.get((phase, name, s))) for s in sizes]
            lines.append(
                f'| {titles[phase] if i == 0 else ""} | {name} | {" | ".join(cells)} |',
            )
    return lines


def hooks_table(results: list[Result], sizes: list[int], small_files: int) -> list[str]:
    """One row per phase and size, one column per way of running the hooks:
    median wall time and its ratio to check-added-large-files (the floor
    for --all-files, where that hook does not run)."""
    find = index_results(results)
    short = [h.replace('check-model-', '') for h in HOOKS]
    lines = [
        f'| scenario | reference | {" | ".join(short)} |',
        '| --- | ---: |' + ' ---: |' * len(HOOKS),
    ]
    for phase in (STAGED_SMALL, STAGED_ALL, ALL_FILES):
        ref_name = FLOOR if phase == ALL_FILES else LARGE
        for size in sizes:
            ref = find.get((size, phase, SPARSE, ref_name))
            if ref is None:
                continue
            cells = []
            for hook in HOOKS:
                r = find.get((size, phase, SPARSE, hook))
                cells.append('–' if r is None else f'{secs(med(r))} ({med(r) / med(ref):.2f}×)')
            title = phase_title(phase, size, small_files)
            if phase == STAGED_SMALL:
                title += f', {size:,}-file repository'
            ref_text = f'{"floor" if phase == ALL_FILES else "large-files"} {secs(med(ref))}'
            lines.append(f'| {title} | {ref_text} | {" | ".join(cells)} |')
    return lines


def ratios(results: list[Result], sizes: list[int]) -> list[str]:
    find = index_results(results)
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


def render(rep: Report) -> str:
    targets, missed = evaluate_targets(
        rep.results, rep.sizes, rep.flat_size, rep.imports,
    )
    small_files = rep.args.small_files
    lines = [
        *_introduction(rep),
        '## Targets',
        '',
        '| target | measured | result |',
        '| --- | --- | --- |',
        *(f'| {t.name} | {t.measured} | {t.verdict} |' for t in targets),
        '',
        '## The hooks side by side: median wall time and ratio to the reference',
        '',
        *hooks_table(rep.results, rep.sizes, small_files),
        '',
        'Columns: each hook alone with --no-cache (every file judged afresh: what '
        'the first hook of a commit pays); check-model-compliance (all three '
        'rules in one run) with --no-cache, with its verdict cache emptied '
        'before each run (cold: a commit of new files), and with the cache its '
        f'earlier runs left (warm). Reference: {LARGE}, and for --all-files the '
        'floor.',
        '',
        '## Main table: median wall time (sparse multi-GiB weights)',
        '',
        *main_table(rep.results, rep.sizes, small_files),
        '',
        '"inv." = invocations, as pre-commit would split the paths (times summed '
        f'for the hooks; {LARGE}: {rep.jobs} at a time).',
        '',
        '## Ratios',
        '',
        *ratios(rep.results, rep.sizes),
        '',
        *_import_section(rep),
    ]
    if rep.flat_size is not None:
        lines += [
            f'## Weight size: {SPARSE} vs {SMALL} weights, {rep.flat_size:,} files',
            '',
            *flat_table(rep.results, rep.flat_size),
            '',
        ]
    lines += _repositories_section(rep)
    lines += _details_section(rep)
    lines += _failures_section(rep)
    if rep.profiles:
        lines += [
            '## Where the time goes: one invocation of each hook under cProfile', '',
            f'Targets missed: {", ".join(missed) if missed else "none"}.', '',
        ]
        for title, text in rep.profiles:
            lines += [f'### {title}', '', '```', text, '```', '']
    if rep.memory:
        lines += [
            '## Where the memory goes: one invocation of each hook under tracemalloc',
            '',
            'Python allocations only (the interpreter itself takes about 10 MiB of '
            'RSS); a snapshot whenever the traced memory grew by a fifth, the '
            'largest one shown by the line that allocated it.', '',
        ]
        for title, text in rep.memory:
            lines += [f'### {title}', '', '```', text, '```', '']
    return '\n'.join(lines)


def _introduction(rep: Report) -> list[str]:
    args, jobs = rep.args, rep.jobs
    big = [s for s in rep.sizes if s >= 50000]
    repeats = f'{rep.repeat} timed runs' + (
        f' ({args.repeat_large} at {", ".join(f"{s:,}" for s in big)} files)'
        if big else ''
    )
    return [
        '# Benchmark: model-license hooks vs check-added-large-files, reuse lint '
        'and a floor',
        '',
        f'Command: `{rep.command}` (took {time.perf_counter() - rep.started:.0f} s)',
        '',
        *rep.facts,
        '',
        f'Synthetic repositories of {", ".join(f"{s:,}" for s in rep.sizes)} files, '
        f'{args.weight_percent:g}% of them safetensors weights tracked with Git LFS '
        f'(pointer blobs in the index, sparse files in the work tree: 2, 4 or '
        f'8 GiB of tensor data, one 1 TiB). Each command gets the paths as '
        f'arguments with PRE_COMMIT=1, split the way pre-commit splits them: '
        f'command lines of at most {rep.max_length:,} bytes; the hooks are '
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
    ]


def _import_section(rep: Report) -> list[str]:
    return [
        '## Import time',
        '',
        '| module | -X importtime (median) | wall: python -c "import m" minus '
        'python -c pass (median) |',
        '| --- | ---: | ---: |',
        *(
            f'| {it.module} | {it.importtime_ms:.1f} ms | {it.wall_ms:.1f} ms |'
            for it in rep.imports
        ),
        '',
        f'{rep.args.import_repeat} runs each after one warm-up. -X importtime: the '
        'cumulative time of the top-level modules the import adds to those '
        '`python -c pass` loads. The largest own import times (one run; '
        'modules `python -c pass` does not load):',
        '',
        *(
            f'- {it.module}: '
            + ', '.join(f'{name} {ms:.1f} ms' for name, ms in it.top)
            for it in rep.imports
        ),
        '',
    ]


def _repositories_section(rep: Report) -> list[str]:
    lines = ['## Repositories', '']
    for size in rep.sizes:
        mix = ', '.join(f'{v:,} {k}' for k, v in rep.plans[size].counts.items())
        lines.append(f'- {size:,} files: {mix}')
    return lines + [
        '', *rep.repo_info, '', f'{rep.args.small_files} files staged:', '',
        *rep.small_info, '',
    ]


def _details_section(rep: Report) -> list[str]:
    lines = []
    for size in rep.sizes:
        lines += [f'## {size:,} files', '']
        for phase in PHASES:
            mine = [r for r in rep.results if r.size == size and r.phase == phase]
            if not mine:
                continue
            lines += [
                f'### {phase_title(phase, size, rep.args.small_files)}', '',
                *detail_table(mine, rep.strace_note), '',
            ]
    most = rep.args.strace_max_files
    return lines + [
        'Peak RSS: ru_maxrss from wait4() on each child, i.e. the largest single '
        'process of its tree (over all invocations; for the floor, the larger of '
        'its two commands). Bytes read: one extra run under `strace -f -y`, '
        'summing what read, pread64, readv and preadv returned, by the file '
        'behind the fd; git maps the index and objects with mmap, which strace '
        f'does not count. Runs given more than {most:,} paths '
        f'(and {REUSE}, which reads every file, in repositories of more than '
        f'{most // 10:,} files) are not traced: too slow under '
        'strace.',
        '',
    ]


def _failures_section(rep: Report) -> list[str]:
    lines = []
    for r in (r for r in rep.results if r.failures):
        lines += [
            f'## Failed: {r.size:,} files, '
            f'{phase_title(r.phase, r.size, rep.args.small_files)}, '
            f'{r.label}: {r.subject} exited {sorted(set(r.codes))}', '',
        ]
        for text in r.failures:
            lines += ['```', text, '```', '']
    return lines
