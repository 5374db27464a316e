"""What the archive bounds cost: `scan` on archives of 1 GiB and 10 GiB.

Builds, in a temporary folder, for each size: a plain tar and a zip whose
data lie in holes (sparse files: no disk used), with the weights as the
last member, and a gzip-compressed tar of the same members (zeros, so it
is small on disk but decodes to the full size), in 64 MiB members so
that the whole decoding budget is spent.  Then runs
`model-license-hooks scan FILE` on each under strace, and reports the wall
time, the bytes read from the archive and the verdict.  Linux, strace.

    python bench/archive_bounds.py [--sizes 1,10] [--out bench/ARCHIVE-BOUNDS.md]
"""
from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

GIB = 1 << 30
_SAFETENSORS = b'{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'
WEIGHTS = struct.pack('<Q', len(_SAFETENSORS)) + _SAFETENSORS + bytes(8)


def _tar_header(name: str, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    return info.tobuf(tarfile.GNU_FORMAT)


def sparse_tar(path: Path, size: int) -> None:
    """`frames.raw` of `size` bytes (a hole), then model.safetensors."""
    with open(path, 'wb') as f:
        f.write(_tar_header('data/frames.raw', size))
        f.seek(size, os.SEEK_CUR)  # the member's data: a hole of zeros
        f.write(_tar_header('model.safetensors', len(WEIGHTS)))
        f.write(WEIGHTS.ljust(512, b'\0'))
        f.write(bytes(1024))  # the end-of-archive blocks


def sparse_zip(path: Path, size: int) -> None:
    """A stored zip: `frames.raw` (a hole, its CRC-32 left 0: the
    recogniser reads the central directory and member heads, never a
    whole member), then model.safetensors; zip64 records by zipfile."""
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED, allowZip64=True) as archive:
        info = zipfile.ZipInfo('data/frames.raw', (2026, 1, 1, 0, 0, 0))
        with archive.open(info, 'w', force_zip64=True) as member:
            # Let zipfile write the header, then skip the data as a hole.
            member._fileobj.seek(size, os.SEEK_CUR)  # type: ignore[attr-defined]
            member._file_size = member._compress_size = size  # type: ignore[attr-defined]
            member._crc = 0  # type: ignore[attr-defined]
        archive.writestr('model.safetensors', WEIGHTS)


def zeros_tgz(path: Path, size: int) -> None:
    """`size` bytes of zeros in 64 MiB members, then the weights, gzip-
    compressed (zeros compress about 1000:1): the worst case, where the
    whole decoding budget is spent before the stream is given up."""
    part = 64 << 20
    with open(path, 'wb') as raw, tarfile.open(fileobj=raw, mode='w:gz',
                                               compresslevel=1) as archive:
        for i in range(size // part):
            info = tarfile.TarInfo(f'data/frames-{i:04d}.raw')
            info.size = part
            archive.addfile(info, _Zeros(part))
        info = tarfile.TarInfo('model.safetensors')
        info.size = len(WEIGHTS)
        archive.addfile(info, io.BytesIO(WEIGHTS))


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n

    def readable(self) -> bool:
        return True


_READ = re.compile(r'^\d+\s+(?:read|pread64)\((\d+),.*\)\s+=\s+(\d+)$')
_OPEN = re.compile(r'^\d+\s+openat\(.*"(.+)", .*\)\s+=\s+(\d+)$')


def scan(hooks: str, path: Path) -> tuple[float, int, str]:
    """(seconds, bytes read from the archive, the verdict line)."""
    with tempfile.NamedTemporaryFile('r', suffix='.strace') as trace:
        start = time.perf_counter()
        proc = subprocess.run(
            ('strace', '-f', '-qq', '-e', 'trace=openat,read,pread64', '-o', trace.name,
             hooks, 'scan', str(path)),
            capture_output=True, text=True, check=False,
        )
        seconds = time.perf_counter() - start
        fds: dict[str, str] = {}
        read = 0
        for line in trace:
            opened = _OPEN.match(line.strip())
            if opened:
                fds[line.split()[0] + ':' + opened[2]] = opened[1]
                continue
            got = _READ.match(line.strip())
            if got and fds.get(line.split()[0] + ':' + got[1]) == str(path):
                read += int(got[2])
    return seconds, read, proc.stdout.strip().partition(': ')[2] or proc.stderr.strip()


BUILDERS = (('tar (sparse)', 'bundle.tar', sparse_tar), ('zip (sparse)', 'bundle.zip', sparse_zip),
            ('tar.gz (zeros)', 'bundle.tar.gz', zeros_tgz))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--sizes', default='1,10', help='GiB, comma-separated')
    parser.add_argument('--hooks', default=shutil.which('model-license-hooks') or '')
    parser.add_argument('--out', type=Path,
                        default=Path(__file__).resolve().parent / 'ARCHIVE-BOUNDS.md')
    args = parser.parse_args(argv)
    rows = ['| archive | size | on disk | scan (s) | bytes read | verdict |',
            '| --- | ---: | ---: | ---: | ---: | --- |']
    with tempfile.TemporaryDirectory() as tmp:
        for gib in (int(s) for s in args.sizes.split(',')):
            for label, name, build in BUILDERS:
                path = Path(tmp) / f'{gib}' / name
                path.parent.mkdir(exist_ok=True)
                build(path, gib * GIB)
                disk = os.stat(path).st_blocks * 512
                seconds, read, verdict = scan(args.hooks, path)
                rows.append(f'| {label} | {gib} GiB | {disk / 2**20:.1f} MiB | {seconds:.2f} '
                            f'| {read:,} | {verdict} |')
                print(rows[-1], file=sys.stderr)
                path.unlink()
    text = '\n'.join([
        '# What the archive bounds cost', '',
        'Written by `python bench/archive_bounds.py`: `model-license-hooks scan FILE`',
        'on each archive (the weights its last member), wall time including the',
        'interpreter\'s start, and the bytes read from the archive (strace).', '',
        *rows,
    ]) + '\n'
    args.out.write_text(text)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
