"""What the benchmark runs on and with: the tools under test, a snapshot of
the package under test, the machine's facts and how busy it was."""
from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import os
import platform
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile

from common import clean_env
from common import CLI_MODULE
from common import cpu_count
from common import HERE
from common import HOOK_MODULES
from common import log
from common import PACKAGE
from common import PACKAGE_SOURCE


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


def _cpu_model() -> str:
    try:
        with open('/proc/cpuinfo') as f:
            return next(
                (ln.split(':', 1)[1].strip() for ln in f if ln.startswith('model name')),
                '',
            )
    except OSError:
        return ''


def _filesystem_of(folder: str) -> str:
    try:
        with open('/proc/mounts') as f:
            mounts = [ln.split() for ln in f]
    except OSError:
        return ''
    real = os.path.realpath(folder)
    best = max(
        (m for m in mounts if (real + '/').startswith(m[1].rstrip('/') + '/')),
        key=lambda m: len(m[1]), default=None,
    )
    return f'{best[2]} at {best[1]}' if best else ''


def machine_facts(tmp: str) -> list[str]:
    cpu = _cpu_model()
    fs = _filesystem_of(tmp)
    git_version = subprocess.run(
        ('git', '--version'), capture_output=True, text=True,
    ).stdout.strip().removeprefix('git version ')
    rev = subprocess.run(
        ('git', 'describe', '--always', '--dirty'), cwd=HERE,
        capture_output=True, text=True,
    ).stdout.strip() or '?'
    return [
        f'- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}',
        f'- machine: nproc {cpu_count()}, {cpu or platform.machine()}, '
        f'{platform.system()} {platform.release()}',
        f'- Python {platform.python_version()}, git {git_version}, '
        f'{PACKAGE} {version_of(PACKAGE)} ({rev}), '
        f'pre-commit-hooks {version_of("pre-commit-hooks")}, '
        f'reuse {version_of("reuse")}',
        f'- temp folder filesystem: {fs or "?"}',
    ]


def cpu_seconds() -> tuple[float, float]:
    """Busy CPU seconds so far: of the whole machine, and of this process
    with the children it has waited for."""
    with open('/proc/stat') as f:
        fields = [int(v) for v in f.readline().split()[1:8]]
    user, nice, system, _, _, irq, softirq = fields
    busy = (user + nice + system + irq + softirq) / os.sysconf('SC_CLK_TCK')
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return busy, me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


# --- the package under test ------------------------------------------------------

# Marked lines, in case a module prints something when imported.
_WHERE_FROM = '''
import importlib, sys
for name in sys.argv[1:]:
    print('bench-module-file:', importlib.import_module(name).__file__)
'''


def module_files(env: dict[str, str], modules: list[str]) -> list[str]:
    """The file each module is imported from, with this environment."""
    proc = subprocess.run(
        (sys.executable, '-c', _WHERE_FROM, *modules),
        capture_output=True, text=True, cwd=tempfile.gettempdir(), env=env,
    )
    files = [
        line.removeprefix('bench-module-file: ') for line in proc.stdout.splitlines()
        if line.startswith('bench-module-file: ')
    ]
    if proc.returncode or len(files) != len(modules) or not all(files):
        raise SystemExit(
            f'cannot import {", ".join(modules)} (see bench/README.md):\n{proc.stderr}',
        )
    return files


def package_folder(env: dict[str, str]) -> str:
    """Where `import model_license_hooks` finds the package, with this environment."""
    return os.path.dirname(module_files(env, [PACKAGE])[0])


def folder_digest(folder: str) -> str:
    """A digest of a package's .py and .json files, by their relative names."""
    digest = hashlib.sha256()
    for base, dirs, files in sorted(os.walk(folder)):
        dirs[:] = sorted(d for d in dirs if d != '__pycache__')
        for name in sorted(files):
            if name.endswith(('.py', '.json')):
                path = os.path.join(base, name)
                with open(path, 'rb') as f:
                    rel = os.path.relpath(path, folder)
                    digest.update(f'{rel}\0'.encode() + f.read())
    return digest.hexdigest()[:12]


def snapshot_package(tmp: str) -> tuple[str, str, str]:
    """Copy the package under test (the checkout's hooks/) to
    `tmp`/snapshot/model_license_hooks and byte-compile it, so that edits made
    to the checkout while the benchmark runs do not mix two versions into the
    figures.  (the folder copied, its digest, the PYTHONPATH that selects the copy)
    """
    live = PACKAGE_SOURCE
    if not os.path.isfile(os.path.join(live, '__init__.py')):
        raise SystemExit(f'{live}: no package to test there')
    # The console scripts import the installed package: it must be there.
    installed = package_folder(clean_env())
    if os.path.realpath(installed) != os.path.realpath(live):
        log(f'note: {PACKAGE} is installed from {installed}, not from {live}')
    root = os.path.join(tmp, 'snapshot')
    copy = os.path.join(root, PACKAGE)
    shutil.copytree(live, copy, ignore=shutil.ignore_patterns('__pycache__'))
    # Byte-compiled, as pip compiles a package it installs.
    subprocess.run(
        (sys.executable, '-m', 'compileall', '-q', copy), check=True, env=clean_env(),
    )
    path = os.pathsep.join(p for p in (root, os.environ.get('PYTHONPATH')) if p)
    _check_copy_wins(copy, clean_env(PYTHONPATH=path))
    return live, folder_digest(copy), path


def _check_copy_wins(copy: str, env: dict[str, str]) -> None:
    """Stop unless the package and the modules run are imported from `copy`.

    An editable install puts a finder on sys.meta_path; setuptools' comes
    after the one that searches sys.path, so PYTHONPATH should win, but
    that is checked here rather than assumed.
    """
    modules = [PACKAGE, *HOOK_MODULES.values(), CLI_MODULE]
    for name, file in zip(modules, module_files(env, modules)):
        if not os.path.realpath(file).startswith(os.path.realpath(copy) + os.sep):
            raise SystemExit(f'the copy in {copy} is not used: {name} imported from {file}')
