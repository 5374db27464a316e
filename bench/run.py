"""Benchmark the model-license hooks at 1,000, 10,000 and 100,000 files.

For each repository size, builds a synthetic git repository (source, docs,
images, configs, a few small safetensors files kept in git, and about 1%
large sparse safetensors weights tracked with Git LFS: pointer blobs in the
index, sparse files in the work tree), then times, with the paths passed as
arguments the way pre-commit passes them (PRE_COMMIT=1, split into chunks
of at most 128 KiB of arguments):

- check-model-license, check-model-changelog, check-model-attribution
  with --no-cache, and check-model-compliance (the three rules in one run)
  with --no-cache, with its verdict cache emptied before each run (cold)
  and with the cache its earlier runs left (warm); all require_serial: the
  chunks run one after the other,
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
import os
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import NamedTuple

# The other modules of the benchmark are beside this script: run as
# `python bench/run.py`, its folder is the first entry of sys.path.
from common import clean_env
from common import cpu_count
from common import HERE
from common import HOOK_MODULES
from common import SCRIPTS
from common import LARGE
from common import log
from common import pick_size
from common import REUSE
from environment import cpu_seconds
from environment import folder_digest
from environment import machine_facts
from environment import script
from environment import snapshot_package
from measure import precommit_max_length
from phases import Gathered
from phases import run_size
from phases import Settings
from probes import import_times
from probes import ImportTime
from report import render
from report import Report
from spawner import Spawner
from spawner import start_spawner
from synthetic_repo import make_plan
from synthetic_repo import Plan
from synthetic_repo import probe_sparse
from synthetic_repo import weight_count

RESULTS = os.path.join(HERE, 'RESULTS.md')
DEFAULT_SIZES = (1000, 10000, 100000)
QUICK_SIZES = (1000, 5000)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace('_', '')) for s in text.split(',') if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f'not a list of numbers: {text!r}')
    if not sizes or sizes[0] < 200:
        raise argparse.ArgumentTypeError('sizes must be at least 200 files')
    return sizes


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _workload_options(parser)
    _measurement_options(parser)
    return parser


def _workload_options(parser: argparse.ArgumentParser) -> None:
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


def _measurement_options(parser: argparse.ArgumentParser) -> None:
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


class Options(NamedTuple):
    """The options that the presets and defaults decide."""
    sizes: list[int]
    repeat: int
    strace_max_files: int
    flat_size: int | None  # the size also built with 1 MiB weights


def resolve_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Options:
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
    return Options(sizes, repeat, args.strace_max_files, flat_size)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    opts = resolve_options(parser, args)
    plans = {n: make_plan(n, weight_count(n, args.weight_percent)) for n in opts.sizes}
    given = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join(['python', 'bench/run.py', *given])
    started = time.perf_counter()
    cpu_at_start = cpu_seconds()

    tools = {name: script(name) for name in (*SCRIPTS, LARGE)}
    tools[REUSE] = script('reuse')
    have_strace = not args.no_strace and shutil.which('strace') is not None
    strace_note = (
        'skipped' if args.no_strace else 'not traced' if have_strace else 'no strace'
    )
    jobs = cpu_count()
    tmp = tempfile.mkdtemp(prefix='mlh-bench-', dir=args.tmpdir)
    live_package, digest, pythonpath = snapshot_package(tmp)
    env = clean_env(PRE_COMMIT='1', PYTHONPATH=pythonpath)
    max_length = args.chunk_bytes or precommit_max_length(env)
    spawner = start_spawner(jobs, tmp)
    facts = machine_facts(tmp)
    settings = Settings(
        tools, env, max_length, jobs, tmp,
        os.path.join(tmp, 'strace.log') if have_strace else None,
        opts.strace_max_files, args.timeout, args.seed, args.small_files,
        None if args.no_profile else (pick_size(opts.sizes, 10000), max(opts.sizes)),
        args.keep,
    )
    imports, gathered, spawner_kib = measure_sizes(
        args, opts, plans, settings, spawner, pythonpath,
    )
    facts += closing_facts(spawner_kib, cpu_at_start, started, jobs, live_package, digest)
    report = render(Report(
        args, command, started, facts, opts.sizes, plans, opts.flat_size,
        gathered.results, imports, gathered.repo_info, gathered.small_info,
        gathered.profiles, gathered.memory, strace_note, max_length, jobs, opts.repeat,
    ))
    with open(args.results, 'w') as f:
        f.write(report)
    print(report)
    failed = [r for r in gathered.results if r.failures]
    return 1 if failed else 0


def measure_sizes(
        args: argparse.Namespace,
        opts: Options,
        plans: dict[int, Plan],
        s: Settings,
        spawner: Spawner,
        pythonpath: str,
) -> tuple[list[ImportTime], Gathered, int]:
    """Import times (with the snapshot on `pythonpath`, without PRE_COMMIT),
    then every size; the temp folder is removed at the end unless --keep.
    (import times, what the sizes gathered, the helper's RSS)"""
    gathered = Gathered()
    try:
        tib_ok = probe_sparse(s.tmp)
        log('import times ...')
        imports = import_times(
            [HOOK_MODULES[h] for h in SCRIPTS], s.tmp, clean_env(PYTHONPATH=pythonpath),
            args.import_repeat,
        )
        for size in opts.sizes:
            run_size(
                size, plans[size], args.repeat_large if size >= 50000 else opts.repeat,
                tib_ok, size == opts.flat_size, s, gathered,
            )
        spawner_kib = spawner.rss_kib()
    finally:
        spawner.close()
        if not args.keep:
            shutil.rmtree(s.tmp, ignore_errors=True)
    return imports, gathered, spawner_kib


def closing_facts(
        spawner_kib: int,
        cpu_at_start: tuple[float, float],
        started: float,
        jobs: int,
        live_package: str,
        digest: str,
) -> list[str]:
    """The report's facts known only at the end: the helper's size, the CPU
    other processes used, whether the package under test was edited."""
    busy, ours = (b - a for a, b in zip(cpu_at_start, cpu_seconds()))
    wall = time.perf_counter() - started
    now = folder_digest(live_package)
    return [
        f'- peak RSS is measured on commands started by a helper process of '
        f'{spawner_kib / 1024:.0f} MiB, so no figure is below that',
        f'- other processes on the machine (not this benchmark) used '
        f'{max(0.0, busy - ours):.0f} CPU-seconds during the run, {wall:.0f} s: '
        f'on average {max(0.0, busy - ours) / wall:.2f} of {jobs} cores',
        f'- hooks under test: a byte-compiled copy of {live_package} taken at the '
        f'start (sha256 of its .py and .json files: {digest}), put first on '
        f'PYTHONPATH; PYTHONDONTWRITEBYTECODE is not passed on'
        + (
            '; unchanged at the end' if now == digest else
            f'; **{live_package} was edited during the run** (now {now}): these '
            f'figures are for the copy'
        ),
    ]


if __name__ == '__main__':
    raise SystemExit(main())
