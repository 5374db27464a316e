"""Names, units and small helpers that every part of the benchmark uses."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
# The source folder hooks/ installs and imports as model_license_hooks.
PACKAGE = 'model_license_hooks'
PACKAGE_SOURCE = os.path.join(REPO_ROOT, 'hooks')

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
TIB = 1024 * GIB

COMBINED = 'check-model-compliance'
SCRIPTS = ('check-model-license', 'check-model-changelog', 'check-model-attribution', COMBINED)
HOOK_MODULES = {name: f'{PACKAGE}.{name.replace("-", "_")}' for name in SCRIPTS}


class HookSubject(NamedTuple):
    script: str
    args: tuple[str, ...]
    empty_cache: bool  # the verdict cache removed before each timed run


# What is timed of the hooks.  The three hooks alone judge every file
# afresh (--no-cache: what the first hook of a commit pays); the combined
# hook three ways: with no cache, with the cache emptied before each run
# (a commit of new files), and with the cache its earlier runs left.
HOOK_SUBJECTS = {
    'check-model-license --no-cache': HookSubject('check-model-license', ('--no-cache',), False),
    'check-model-changelog --no-cache': HookSubject(
        'check-model-changelog', ('--no-cache',), False,
    ),
    'check-model-attribution --no-cache': HookSubject(
        'check-model-attribution', ('--no-cache',), False,
    ),
    f'{COMBINED} --no-cache': HookSubject(COMBINED, ('--no-cache',), False),
    f'{COMBINED}, cache cold': HookSubject(COMBINED, (), True),
    f'{COMBINED}, cache warm': HookSubject(COMBINED, (), False),
}
HOOKS = tuple(HOOK_SUBJECTS)
SINGLE_HOOKS = HOOKS[:3]
COMBINED_NO_CACHE, COMBINED_COLD, COMBINED_WARM = HOOKS[3:]
# Where the hooks keep their verdicts, under a repository's git directory.
CACHE_FOLDER = os.path.join('.git', 'model-license-hooks')
CLI_MODULE = f'{PACKAGE}.cli'
LARGE = 'check-added-large-files'
REUSE = 'reuse lint'
FLOOR = 'floor: python -c pass + git ls-files -z'

STAGED_ALL = 'staged-all'
STAGED_SMALL = 'staged-small'
ALL_FILES = 'all-files'
PHASES = (STAGED_ALL, STAGED_SMALL, ALL_FILES)
# The two weight configurations of a repository.
SPARSE = 'sparse multi-GiB'
SMALL = '1 MiB'

_STARTED = time.perf_counter()


def log(msg: str) -> None:
    print(f'{time.perf_counter() - _STARTED:6.0f} s  {msg}', file=sys.stderr, flush=True)


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without git or pre-commit state, and without
    PYTHONDONTWRITEBYTECODE (installed packages have their bytecode)."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(('GIT_', 'PRE_COMMIT')) and k != 'PYTHONDONTWRITEBYTECODE'
    }
    env.update(extra)
    return env


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


def zsplit(out: bytes) -> list[str]:
    return [p for p in out.decode().split('\0') if p]


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def human(n: float) -> str:
    for unit, scale in (('TiB', TIB), ('GiB', GIB), ('MiB', MIB), ('KiB', KIB)):
        if n >= scale:
            return f'{n / scale:.1f} {unit}'
    return f'{int(n)} B'


def secs(t: float) -> str:
    return f'{t:.3f} s' if t < 10 else f'{t:.2f} s'


def phase_title(phase: str, size: int, small_files: int) -> str:
    return {
        STAGED_ALL: f'commit, all {size:,} files staged',
        STAGED_SMALL: f'commit, {small_files} files staged',
        ALL_FILES: f'--all-files, {size:,} tracked paths',
    }[phase]


def pick_size(sizes: list[int], wanted: int) -> int:
    return min(sizes, key=lambda s: (abs(s - wanted), -s))
