"""Filling a git repository quickly: blobs by `git fast-import`, and the
index's stat data written by hand (what `git add` would do, much faster)."""
from __future__ import annotations

import concurrent.futures
import hashlib
import os
import struct
import subprocess

from common import clean_env


def fast_import_blobs(root: str, sources: list[str | bytes], jobs: int) -> list[str]:
    """Blob ids of `sources` (a path in the work tree, or the content itself),
    written by `jobs` `git fast-import` processes side by side, one pack each
    (no deltas, zlib level 1: this is about building quickly)."""
    per = -(-len(sources) // jobs)
    slices = [sources[k:k + per] for k in range(0, len(sources), per)]

    def one(n: int, items: list[str | bytes]) -> list[str]:
        return _fast_import(root, os.path.join(root, '.git', f'bench-marks-{n}'), items)

    with concurrent.futures.ThreadPoolExecutor(len(slices)) as pool:
        done = list(pool.map(one, range(len(slices)), slices))
    return [oid for part in done for oid in part]


def _fast_import(root: str, marks: str, items: list[str | bytes]) -> list[str]:
    """One `git fast-import` process: the blob id of each item, in order."""
    proc = subprocess.Popen(
        ('git', '-c', 'pack.compression=1', 'fast-import', '--quiet',
         '--depth=0', f'--export-marks={marks}'),
        cwd=root, stdin=subprocess.PIPE, env=clean_env(),
    )
    assert proc.stdin is not None
    with proc.stdin as w:
        for mark, item in enumerate(items, 1):
            if isinstance(item, str):
                with open(os.path.join(root, item), 'rb') as f:
                    item = f.read()
            w.write(b'blob\nmark :%d\ndata %d\n' % (mark, len(item)))
            w.write(item)
            w.write(b'\n')
    if proc.wait():
        raise SystemExit(f'git fast-import failed ({proc.returncode})')
    with open(marks) as f:
        ids = dict(line.split() for line in f)
    os.unlink(marks)
    return [ids[f':{mark}'] for mark in range(1, len(items) + 1)]


def patch_index_stat(root: str, paths: list[str]) -> None:
    """Record the work-tree files' stat data for index entries made by
    `git update-index --index-info`, which leaves it zero.

    `git add` would record it, but through the LFS clean filter it would also
    read every byte of the weights.  Without it git's stat cache calls every
    entry modified, and a hook that asks git whether the checkout matches the
    index (to read the smudged weights) never looks at the work tree.
    """
    index_path = os.path.join(root, '.git', 'index')
    with open(index_path, 'rb') as f:
        data = bytearray(f.read())
    signature, version, count = struct.unpack('>4sII', data[:12])
    if signature != b'DIRC' or version not in (2, 3):
        raise SystemExit(f'{index_path}: index version {version}: cannot patch')
    wanted = {p.encode(): os.lstat(os.path.join(root, p)) for p in paths}
    pos = 12
    patched = 0
    pack = struct.Struct('>10I')
    for _ in range(count):
        (flags,) = struct.unpack_from('>H', data, pos + 60)
        fixed = 64 if version == 3 and flags & 0x4000 else 62
        end = data.index(b'\0', pos + fixed)
        name = bytes(data[pos + fixed:end])
        st = wanted.get(name)
        if st is not None:
            (mode,) = struct.unpack_from('>I', data, pos + 24)
            fields = (
                int(st.st_ctime), st.st_ctime_ns % 10**9,
                int(st.st_mtime), st.st_mtime_ns % 10**9,
                st.st_dev, st.st_ino, mode, st.st_uid, st.st_gid, st.st_size,
            )
            pack.pack_into(data, pos, *(v & 0xFFFFFFFF for v in fields))
            patched += 1
        pos += (fixed + len(name) + 8) // 8 * 8
    if patched != len(wanted):
        raise SystemExit(f'patched {patched} of {len(wanted)} index entries')
    _write_index(index_path, data)


def _write_index(index_path: str, data: bytearray) -> None:
    if any(data[-20:]):  # an all-zero trailer means index.skipHash
        data[-20:] = hashlib.sha1(data[:-20]).digest()
    tmp = index_path + '.bench'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, index_path)
