"""Measure weight recognition against real public repositories.

For each repository of bench/accuracy/repos.json: write its commit's tree
into a plain folder (`materialise`, from the git directory the `fetch`
tool returns, or any clone), run `model-license-hooks scan --all --json`
on the folder, compare the verdicts with the truth table built by hand
(bench/accuracy/truth/<name>.tsv) and write bench/ACCURACY.md: per
repository the files, the weights in the truth and found, the false
positives and negatives, the time and the peak memory of the scan.

    python bench/accuracy.py materialise --mirrors /work/.mirror --dest /tmp/acc
    python bench/accuracy.py run --folders /tmp/acc

Nothing is fetched or committed from the repositories: the truth holds
paths and verdicts only.  Standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from typing import IO

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from accuracy_report import compare  # noqa: E402
from accuracy_report import markdown  # noqa: E402
from accuracy_report import Repo  # noqa: E402
from accuracy_report import Result  # noqa: E402
from accuracy_report import Truth  # noqa: E402

DATA = HERE / 'accuracy'


def load_repos(path: Path) -> list[Repo]:
    return [Repo(**item) for item in json.loads(path.read_text(encoding='utf-8'))]


def load_truth(name: str) -> dict[str, Truth]:
    """path -> Truth, from `path<TAB>verdict<TAB>format<TAB>flags<TAB>why`."""
    truth = {}
    text = (DATA / 'truth' / f'{name}.tsv').read_text(encoding='utf-8')
    for line in text.splitlines()[1:]:
        path, verdict, fmt, flags, why = (line.split('\t') + [''] * 5)[:5]
        truth[path] = Truth(verdict, fmt, frozenset(filter(None, flags.split(','))), why)
    return truth


# --- materialise --------------------------------------------------------------

def _git(git_dir: str, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(
        ('git', f'--git-dir={git_dir}', *args), input=data, check=True, capture_output=True,
    ).stdout


def materialise(git_dir: str, commit: str, dest: Path) -> list[str]:
    """Write the commit's tree into `dest`: every blob as it is stored (no
    filters, so Git LFS pointers stay pointers), symlinks as symlinks.
    Returns the paths whose blobs the snapshot does not hold."""
    listing = _git(git_dir, 'ls-tree', '-r', '-z', commit)
    blobs = []
    for record in filter(None, listing.split(b'\0')):
        meta, _, raw = record.partition(b'\t')
        mode, kind, oid = meta.decode().split()
        if kind == 'blob':
            blobs.append((mode, oid, os.fsdecode(raw)))
    checks = _git(git_dir, 'cat-file', '--batch-check',
                  data=''.join(f'{oid}\n' for _, oid, _ in blobs).encode()).decode().splitlines()
    absent = [path for (_, _, path), check in zip(blobs, checks) if check.endswith(' missing')]
    present = [b for b, check in zip(blobs, checks) if not check.endswith(' missing')]
    # One `cat-file --batch` for all the blobs: its output is, per blob, a
    # header line "<oid> blob <size>", the bytes, a newline.
    with subprocess.Popen(
            ('git', f'--git-dir={git_dir}', 'cat-file', '--batch'),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        request = ''.join(f'{oid}\n' for _, oid, _ in present).encode()
        # Written from a thread: git's output would fill its pipe first.
        writer = threading.Thread(target=_send, args=(proc.stdin, request))
        writer.start()
        for mode, _, path in present:
            size = int(proc.stdout.readline().split()[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if mode == '120000':
                os.symlink(os.fsdecode(data), target)
                continue
            target.write_bytes(data)
            if mode == '100755':
                target.chmod(0o755)
        writer.join()
    return absent


def _send(pipe: IO[bytes], data: bytes) -> None:
    with pipe:
        pipe.write(data)


def find_git_dir(mirrors: Path, repo: str) -> str:
    """The git directory of a repository under a folder of mirrors (the
    `fetch` tool's owner+name/ layout) or clones (owner/name)."""
    for candidate in (mirrors / repo.replace('/', '+'), mirrors / repo):
        for git_dir in (candidate / 'repo', candidate / '.git', candidate):
            if (git_dir / 'HEAD').is_file():
                return str(git_dir)
    raise SystemExit(f'accuracy: no git directory for {repo} under {mirrors}')


# --- run ----------------------------------------------------------------------

# A small launcher that forks and execs the scan: os.wait4 then gives the
# scan's own time and peak memory (a fork from this process, which holds
# the truth tables, would report this process's size until exec).
_LAUNCHER = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(report, 'w') as f:
    f.write(f'{time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}')
"""


def run_scan(hooks: str, folder: Path) -> tuple[list[dict[str, Any]], float, int, str]:
    """(verdicts, seconds, peak RSS in KiB, error) of one scan."""
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, 'usage')
        proc = subprocess.run(
            (sys.executable, '-S', '-c', _LAUNCHER, report, hooks, 'scan', '--all', '--json',
             str(folder)),
            capture_output=True, stdin=subprocess.DEVNULL, check=False,
        )
        seconds, peak, code = Path(report).read_text().split()
    error = '' if code == '0' else f'scan exited {code}: {proc.stderr.decode()[-300:]}'
    return json.loads(proc.stdout or b'[]'), float(seconds), int(peak), error


def measure(repo: Repo, folders: Path, hooks: str) -> Result:
    folder = folders / repo.name
    truth = load_truth(repo.name)
    verdicts, seconds, peak, error = run_scan(hooks, folder)
    scanned = {
        Path(os.path.relpath(v['path'], folder)).as_posix(): v for v in verdicts
    }
    return compare(repo, truth, scanned)._replace(seconds=seconds, peak_kib=peak, error=error)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    mat = sub.add_parser('materialise', help='write each repository commit into a folder')
    mat.add_argument('--mirrors', type=Path, required=True,
                     help='folder of git directories (owner+name/ or owner/name/)')
    mat.add_argument('--dest', type=Path, required=True)
    run = sub.add_parser('run', help='scan the folders and write the report')
    run.add_argument('--folders', type=Path, required=True, help='the materialised folders')
    run.add_argument('--hooks', default=shutil.which('model-license-hooks') or '',
                     help='the model-license-hooks executable (default: on PATH)')
    run.add_argument('--out', type=Path, default=HERE / 'ACCURACY.md')
    run.add_argument('--json', type=Path, help='also write the results as JSON')
    for p in (mat, run):
        p.add_argument('--only', action='append', default=[], metavar='NAME')
    args = parser.parse_args(argv)
    repos = [r for r in load_repos(DATA / 'repos.json') if not args.only or r.name in args.only]
    if args.command == 'materialise':
        for repo in repos:
            dest = args.dest / repo.name
            if dest.exists():
                shutil.rmtree(dest)
            absent = materialise(find_git_dir(args.mirrors, repo.repo), repo.commit, dest)
            print(f'{repo.name}: written, {len(absent)} blobs absent from the snapshot')
        return 0
    results = []
    for repo in repos:
        result = measure(repo, args.folders, args.hooks)
        print(f'{repo.name}: {result.summary()}', file=sys.stderr)
        results.append(result)
    notes = (DATA / 'NOTES.md').read_text(encoding='utf-8')
    args.out.write_text(markdown(results, notes), encoding='utf-8')
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in results], indent=1))
    return 1 if any(r.error or r.false_negatives for r in results) else 0


if __name__ == '__main__':
    raise SystemExit(main())
