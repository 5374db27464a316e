"""What the hostile-input tests share: budgets (a case ends in a verdict or
a message, within a second, and for the worst inputs in bounded memory),
builders of hostile bytes, and running a hook or a slow case in a child.

Cases that may hang on a bug run in a child process with a timeout (a
regular expression cannot be interrupted by a signal) or under an alarm.
"""
from __future__ import annotations

import bz2
import contextlib
import functools
import gzip
import io
import lzma
import os
import resource
import signal
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest

from model_license_hooks.tree.blob import FileBlob
from model_license_hooks.tree.sample import sample_file
from model_license_hooks.tree.sample import Sample
from model_license_hooks.weights.classify import classify
from model_license_hooks.weights.classify import Verdict
from model_license_hooks.weights.evidence import Evidence
from tests import samples
from tests.util import git
from tests.util import MIT_TEXT
from tests.util import write


ROOT = str(Path(__file__).resolve().parents[2])


# Budgets.  Every case is expected to take a small fraction of these.
# Times are CPU seconds of this process, not wall time: the machines are
# shared, and a budget must catch quadratic work, not a busy neighbour.
SECONDS = 1.0  # one case: a parser call, a classification, a hook run


MEMORY = 64 * 1024 * 1024  # tracemalloc peak for the worst cases


HANG = 10  # an alarm that turns a hang into a failure instead of a stall


posix_only = pytest.mark.skipif(
    not hasattr(os, 'mkfifo') or not os.path.exists('/dev/zero'),
    reason='needs FIFOs and /dev/zero',
)


class Hang(BaseException):
    """Raised by the alarm.  Not an Exception: `except Exception` in the
    code under test must not swallow it."""


@contextlib.contextmanager
def deadline(seconds: float = HANG) -> Iterator[None]:
    """Fail instead of hanging (Python code and blocking system calls; a
    regular expression stuck in C is not interrupted)."""
    def expire(signum: int, frame: object) -> None:
        raise Hang(f'still running after {seconds} s')

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Budget:
    elapsed = 0.0
    peak = 0


@contextlib.contextmanager
def bounded(
        seconds: float = SECONDS,
        memory: int | None = None,
        alarm: float = HANG,
) -> Iterator[Budget]:
    """Time a case (and trace its memory); assert both afterwards."""
    budget = Budget()
    if memory is not None:
        tracemalloc.start()
    start = time.process_time()
    try:
        with deadline(alarm):
            yield budget
    finally:
        budget.elapsed = time.process_time() - start
        if memory is not None:
            budget.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    assert budget.elapsed < seconds, f'took {budget.elapsed:.2f} s'
    if memory is not None:
        assert budget.peak < memory, f'peak {budget.peak / 2**20:.1f} MiB'


def sample_of(data: bytes, size: int | None = None) -> Sample:
    return Sample(len(data) if size is None else max(size, len(data)), data, b'', {})


def check_verdict(verdict: Verdict, path: str) -> None:
    assert isinstance(verdict, Verdict)
    assert verdict.path == path
    assert isinstance(verdict.weights, bool)
    assert isinstance(verdict.format, str) and verdict.format
    assert isinstance(verdict.evidence, str) and verdict.evidence


def classify_file(
        path: Path,
        name: str | None = None,
        *,
        memory: int | None = None,
        alarm: float = HANG,
) -> Verdict:
    """classify() a file on disk the way `scan PATH` does, within budget:
    timed on its own, then (tracing slows it down) measured for memory."""
    shown = name or path.name

    def run() -> Verdict:
        return classify(
            shown, sample_file(str(path)), os.listdir(path.parent),
            open=lambda: FileBlob(str(path)),
        )
    with bounded(alarm=alarm):
        verdict = run()
    check_verdict(verdict, shown)
    if memory is not None:
        with bounded(seconds=10 * SECONDS, memory=memory, alarm=alarm):
            again = run()
        assert again == verdict
    return verdict


def run_hook(
        main,
        argv: list[str],
        capsys,
        seconds: float = SECONDS,
        memory: int | None = None,
) -> tuple[int, str, str]:
    """Run a hook's main() in the current repository, within budget: timed
    on its own, then (tracing slows it down) again, measured for memory."""
    with bounded(seconds):
        code = main(argv)
    if memory is not None:
        with bounded(10 * seconds, memory=memory):
            assert main(argv) == code
        capsys.readouterr()
        with bounded(seconds):
            main(argv)
    out, err = capsys.readouterr()
    assert 'Traceback' not in out + err
    assert code in (0, 1, 2), (code, out, err)
    if code == 2:
        lines = err.strip().splitlines()
        assert lines and lines[-1].startswith('error: '), err
    return code, out, err


def weights_repo(repo: Path, licence: bool = True) -> None:
    samples.write_safetensors(repo / 'model.safetensors')
    if licence:
        write(repo / 'LICENSE', MIT_TEXT)


def safetensors_bytes(length: int, header: bytes, body: bytes = b'\0' * 16) -> bytes:
    return struct.pack('<Q', length) + header + body


def tar_header(name: bytes, size_field: bytes, typeflag: bytes = b'0') -> bytes:
    """A ustar header block with a valid checksum and any size field."""
    block = bytearray(512)
    block[:len(name[:100])] = name[:100]
    block[100:108] = b'0000644\0'
    block[124:136] = size_field[:12].ljust(12, b'\0')
    block[148:156] = b' ' * 8
    block[156:157] = typeflag
    block[257:263] = b'ustar\0'
    block[263:265] = b'00'
    block[148:156] = b'%06o\0 ' % sum(block)
    return bytes(block)


def zip_end(entries: int, cd_size: int, cd_offset: int, comment: bytes = b'') -> bytes:
    return b'PK\x05\x06' + struct.pack(
        '<HHHHIIH', 0, 0, entries, entries, cd_size, cd_offset, len(comment),
    ) + comment


def zip64_end(entries: int, cd_size: int, cd_offset: int, at: int) -> bytes:
    """A ZIP64 end record (written at offset `at`), its locator, the end."""
    record = b'PK\x06\x06' + struct.pack(
        '<QHHIIQQQQ', 44, 45, 45, 0, 0, entries, entries, cd_size, cd_offset,
    )
    locator = b'PK\x06\x07' + struct.pack('<IQI', 0, at, 1)
    return record + locator + zip_end(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', method) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


@functools.lru_cache(maxsize=None)
def deflate_of_zeros(total: int) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of `total` zero bytes (a multiple of
    1 MiB), built without compressing them all: after a full flush deflate
    starts afresh, so each further MiB compresses to the same bytes."""
    chunk = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    blocks = [deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH) for _ in range(3)]
    assert blocks[1] == blocks[2]
    count = total // len(chunk)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    return blocks[0] + blocks[1] * (count - 1) + deflate.flush(), crc


def gzip_of_zeros(total: int) -> bytes:
    """One gzip member that inflates to `total` zero bytes."""
    body, crc = deflate_of_zeros(total)
    header = b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff'
    return header + body + struct.pack('<II', crc, total & 0xFFFFFFFF)


def zip_of_zeros(name: bytes, total: int) -> bytes:
    """A ZIP64 archive of one deflated member of `total` zero bytes."""
    body, crc = deflate_of_zeros(total)
    sizes = struct.pack('<QQ', total, len(body))
    local = b'PK\x03\x04' + struct.pack(
        '<HHHHHIIIHH', 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(name), 20,
    ) + name + struct.pack('<HH', 1, 16) + sizes
    central = b'PK\x01\x02' + struct.pack(
        '<HHHHHHIIIHHHHHII', 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
        len(name), 28, 0, 0, 0, 0, 0xFFFFFFFF,
    ) + name + struct.pack('<HH', 1, 24) + sizes + struct.pack('<Q', 0)
    offset = len(local) + len(body)
    return local + body + central + zip64_end(1, len(central), offset, offset + len(central))


def multistream_of_zeros(kind: str, copies: int) -> bytes:
    """`copies` concatenated streams of 16 MiB of zeros each (bzip2, xz
    and gzip tools decompress every stream of a file)."""
    zeros = bytes(16 << 20)
    one = {'bz2': bz2.compress, 'xz': lzma.compress, 'gzip': gzip.compress}[kind](zeros)
    return one * copies


def lzma_alone_claiming(dict_size: int) -> bytes:
    """A small .lzma stream whose header declares a `dict_size` dictionary."""
    data = lzma.compress(b'\0' * 4096, format=lzma.FORMAT_ALONE)
    return data[:1] + struct.pack('<I', dict_size) + data[5:]


def pickle_payloads(marker: Path) -> dict[str, bytes]:
    """Pickles that would create `marker` if they were ever loaded."""
    command = f'touch {marker}'.encode()
    code = f'open({str(marker)!r}, "w").close()'.encode()

    def short(s: bytes) -> bytes:  # SHORT_BINUNICODE
        assert len(s) < 256
        return b'\x8c' + bytes([len(s)]) + s

    return {
        'global-os-system': b'cos\nsystem\n(V' + command + b'\ntR.',
        'global-posix-system': b'cposix\nsystem\n(V' + command + b'\ntR.',
        'global-builtins-exec': b'cbuiltins\nexec\n(V' + code + b'\ntR.',
        'inst-os-system': b'(V' + command + b'\nios\nsystem\n.',
        'stack-global-os-system': (
            b'\x80\x04' + short(b'os') + short(b'system') + b'\x93' +
            short(command) + b'\x85R.'
        ),
        'stack-global-builtins-exec': (
            b'\x80\x04' + short(b'builtins') + short(b'exec') + b'\x93' +
            short(code) + b'\x85R.'
        ),
    }


def torch_zip_with(data_pkl: bytes) -> bytes:
    return zip_bytes({
        'archive/data.pkl': data_pkl,
        'archive/version': b'3\n',
        'archive/data/0': b'\0' * 24,
    })


def check_evidence(found: object) -> None:
    assert found is None or isinstance(found, Evidence)
    if found is not None:
        assert isinstance(found.format, str) and isinstance(found.evidence, str)
        assert isinstance(found.weights, bool)


def bug(reason: str):
    return pytest.mark.xfail(strict=True, reason=f'bug: {reason}')


CHILD = (
    'import sys, time\n'
    'from model_license_hooks.{module} import main\n'
    'start = time.process_time()\n'
    'code = main({argv!r})\n'
    'print(f"\\n@cpu {{time.process_time() - start:.3f}}", file=sys.stderr)\n'
    'raise SystemExit(code)\n'
)


def limit_memory() -> None:  # pragma: no cover (runs in the child)
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def finish(slow_runs, name: str) -> tuple[int, str, str]:
    runs, _ = slow_runs
    out, err = runs[name].communicate(timeout=SLOW_LIMIT + 30)
    code = runs[name].returncode
    assert code >= 0, f'still running after {SLOW_LIMIT} s: killed'
    assert 'Traceback' not in err, err[-1000:]
    assert code in (0, 1, 2), err[-2000:]
    cpu = float(err.rpartition('@cpu ')[2])
    assert cpu < SECONDS, f'the hook took {cpu:.2f} s of CPU'
    return code, out, err


def staged(repo: Path, files: dict[str, str | bytes], licence: bool = True) -> None:
    weights_repo(repo, licence=licence)
    for name, content in files.items():
        write(repo / name, content)
    git('add', '.', cwd=repo)


def pdf(*objects: bytes, root: int = 1, size: int | None = None) -> bytes:
    out, offsets = b'%PDF-1.7\n', []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b'%d 0 obj\n' % number + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    out += b''.join(b'%010d 00000 n \n' % o for o in offsets)
    out += b'trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (
        size or len(objects) + 1, root, xref,
    )
    return out


def pdf_with_page(content: bytes) -> bytes:
    data = zlib.compress(content, 9)
    return pdf(
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R'
        b' /Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d /Filter /FlateDecode >>\nstream\n' % len(data) + data + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    )


BIG = 4 * 1024 * 1024 + 1  # one byte over what the hooks read whole


SLOW_LIMIT = 5.0  # wall seconds for every child together, start-up included

Builder = Callable[[Path], 'tuple[str, list[str]]']


def slow_cases() -> tuple[dict[str, Builder], Callable[[str], Callable[[Builder], Builder]]]:
    """A module's slow cases and the decorator that registers one: each
    builds a repository and says which hook runs on it with which argv."""
    cases: dict[str, Builder] = {}

    def slow_case(name: str) -> Callable[[Builder], Builder]:
        def register(builder: Builder) -> Builder:
            cases[name] = builder
            return builder
        return register
    return cases, slow_case
