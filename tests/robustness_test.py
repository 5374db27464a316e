"""Robustness: hostile input ends in a verdict or a message, fast and small.

Every case here must finish with a clear result (a value of the documented
type, a verdict, or a message and exit code 2) and no exception escaping,
within a second, and, for the worst inputs, in bounded memory.  The
hostile files are built by the tests themselves, in temporary folders.

Parts:
  1. properties of the content parsers (hooks.sniff) on arbitrary bytes;
  2. properties of the text readers (model cards, changelogs, profiles,
     REUSE.toml, licence text);
  3. a hostile corpus classified from disk (headers, truncations, bombs,
     pickles that would run code), and through `model-license-hooks scan`;
  4. hostile repositories through the hooks themselves (special files,
     odd names, hostile model cards, licence copies and settings);
  5. the bugs these tests found: regression tests for those fixed since,
     and `xfail(strict=True)` tests, one per open bug, that pass once it is
     fixed (and then fail until the mark is removed).

Cases that may hang on a bug run in a child process with a timeout (a
regular expression cannot be interrupted by a signal) or under an alarm.
"""
from __future__ import annotations

import bz2
import contextlib
import functools
import gzip
import io
import json
import lzma
import os
import pickletools
import random
import resource
import signal
import struct
import subprocess
import sys
import tarfile
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from hypothesis import example
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from hooks import changelogs
from hooks import check_model_attribution
from hooks import check_model_changelog
from hooks import check_model_license
from hooks import cli
from hooks import licence_text
from hooks import licenses
from hooks import modelcard
from hooks import profiles
from hooks import sniff
from hooks.gitview import Sample
from hooks.gitview import sample_file
from hooks.util import UserError
from hooks.weights import classify
from hooks.weights import Verdict
from tests import samples
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import MIT_TEXT
from tests.util import write

ROOT = str(Path(__file__).resolve().parent.parent)

# Budgets.  Every case is expected to take a small fraction of these.
SECONDS = 1.0  # one case: a parser call, a classification, a hook run
MEMORY = 64 * 1024 * 1024  # tracemalloc peak for the worst cases
HANG = 10  # an alarm that turns a hang into a failure instead of a stall

posix_only = pytest.mark.skipif(
    not hasattr(os, 'mkfifo') or not os.path.exists('/dev/zero'),
    reason='needs FIFOs and /dev/zero',
)


# --------------------------------------------------------------------------
# helpers

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
    start = time.monotonic()
    try:
        with deadline(alarm):
            yield budget
    finally:
        budget.elapsed = time.monotonic() - start
        if memory is not None:
            budget.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    assert budget.elapsed < seconds, f'took {budget.elapsed:.2f} s'
    if memory is not None:
        assert budget.peak < memory, f'peak {budget.peak / 2**20:.1f} MiB'


def _sample(data: bytes, size: int | None = None) -> Sample:
    return Sample(len(data) if size is None else max(size, len(data)), data, b'', {})


def _check_verdict(verdict: Verdict, path: str) -> None:
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
    with bounded(alarm=alarm):
        verdict = classify(shown, sample_file(str(path)), os.listdir(path.parent))
    _check_verdict(verdict, shown)
    if memory is not None:
        with bounded(seconds=10 * SECONDS, memory=memory, alarm=alarm):
            again = classify(shown, sample_file(str(path)), os.listdir(path.parent))
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


# --- builders of hostile bytes ----------------------------------------------

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


# ==========================================================================
# 1. content parsers on arbitrary bytes

PREFIXES = (
    b'', b'PK\x03\x04', b'PK\x05\x06', b'PK\x01\x02', b'GGUF', b'\x08\x07',
    b'\x08\x01\x12', b'\x80\x02', b'\x80\x04\x95', b'(d', b'cos\nsystem\n',
    b'\x1f\x8b\x08', b'BZh9', b'\xfd7zXZ\x00', b'\x5d\x00\x00', b'\x78\x9c',
    b'\x89HDF\r\n\x1a\n', b'%PDF-', b'version https://git-lfs.github.com/spec/v1\n',
    struct.pack('<Q', 2) + b'{}', struct.pack('<Q', 40) + b'{"a":',
)

hostile_bytes = st.one_of(
    st.binary(max_size=4096),
    st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=2048)).map(
        lambda t: t[0] + t[1],
    ),
)

# Samples as the hooks build them: a head, maybe a tail and probes, and a
# size that may be anything up to what a file system could claim.
samples_st = st.builds(
    lambda head, tail, extra, probes: Sample(
        len(head) + len(tail) + extra, head, tail, probes,
    ),
    hostile_bytes,
    st.one_of(st.just(b''), hostile_bytes),
    st.one_of(st.just(0), st.integers(0, 2 ** 64)),
    st.dictionaries(
        st.sampled_from([512 * 2 ** k for k in range(24)]),
        st.binary(min_size=0, max_size=8), max_size=4,
    ),
)


def _check_finding(found: object) -> None:
    assert found is None or isinstance(found, sniff.Finding)
    if found is not None:
        assert isinstance(found.format, str) and isinstance(found.evidence, str)
        assert isinstance(found.weights, bool)


@settings(max_examples=300, deadline=None)
@given(samples_st, st.sampled_from((
    'blob', 'model.bin', 'x.index.json', 'a.json', 'k.weights.json',
    'openvino.xml', 'saved_model.pbtxt', 'm.mlmodel', 'v.index', 'f.msgpack',
)))
def test_every_parser_survives_any_sample(sample, name):
    start = time.monotonic()
    for parser in (sniff.safetensors, sniff.gguf, sniff.onnx, sniff.coreml):
        _check_finding(parser(sample))
    _check_finding(sniff.text_model(name, sample))
    members = list(sniff.zip_local_members(sample.head))
    assert len(members) <= len(sample.head) // 30 + 1
    for member in members:
        assert isinstance(member, sniff.ZipMember)
        assert isinstance(member.name, str) and isinstance(member.method, int)
        assert isinstance(member.data, bytes) and len(member.data) <= 4096
    names = sniff.zip_central_names(sample)
    assert isinstance(names, list) and all(isinstance(n, str) for n in names)
    assert isinstance(sniff.is_zip(sample), bool)
    tar = sniff.tar_names(sample.head)
    assert tar is None or (tar and all(isinstance(n, str) for n in tar))
    globals_, parsed = sniff.pickle_globals(sample.head)
    assert isinstance(parsed, bool) and all(isinstance(g, str) for g in globals_)
    assert len(globals_) <= 201
    _check_finding(sniff.pickle_finding(sample.head))
    pointer = sniff.lfs_pointer(sample)
    assert pointer is None or (
        isinstance(pointer, sniff.LfsPointer) and len(pointer.oid) == 64
    )
    prefix = sniff.decompress_prefix(sample.head)
    assert prefix is None or (
        isinstance(prefix[0], str) and 0 < len(prefix[1]) <= 64 * 1024
    )
    found = sniff.hdf5(sample)
    assert found is None or (found[0] >= 0 and isinstance(found[1], bool))
    assert isinstance(sniff.tf_index(sample), bool)
    assert isinstance(sniff.msgpack_map(sample), bool)
    _check_verdict(classify(name, sample), name)
    assert time.monotonic() - start < SECONDS


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


protobuf_fields = st.lists(st.tuples(
    st.integers(0, 40),  # field number
    st.sampled_from((0, 1, 2, 5, 7)),  # wire type
    st.integers(0, 2 ** 70),  # a varint value or a claimed length
    st.binary(max_size=64),  # the bytes that follow
), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2 ** 64), protobuf_fields, st.integers(0, 2 ** 40))
def test_onnx_walk_survives_any_protobuf(ir_version, fields, extra):
    data = b'\x08' + _varint(ir_version) + b''.join(
        _varint(f << 3 | w) + _varint(v) + rest for f, w, v, rest in fields
    )
    for size in (len(data), len(data) + extra):
        _check_finding(sniff.onnx(_sample(data, size)))
        _check_finding(sniff.coreml(_sample(data, size)))
        _check_verdict(classify('model.onnx', _sample(data, size)), 'model.onnx')


zip_fields = st.fixed_dictionaries({
    'flags': st.integers(0, 0xFFFF),
    'method': st.integers(0, 0xFFFF),
    'csize': st.sampled_from((0, 1, 30, 0xFFFFFFFF, 0xFFFFFFFE)) | st.integers(0, 2 ** 32 - 1),
    'usize': st.integers(0, 2 ** 32 - 1),
    'name': st.binary(max_size=40),
    # extra fields as (tag, declared size, payload); a ZIP64 field (tag 1)
    # is always complete here: a truncated one is a known bug (below)
    'extra': st.lists(st.tuples(
        st.integers(2, 0xFFFF), st.binary(max_size=24),
    ) | st.tuples(st.just(1), st.binary(min_size=16, max_size=16)),
        max_size=3),
    'data': st.binary(max_size=200),
})


@settings(max_examples=150, deadline=None)
@given(st.lists(zip_fields, min_size=1, max_size=6), st.binary(max_size=64))
def test_zip_local_headers_survive_any_fields(members, trailer):
    head = b''
    for m in members:
        extra = b''.join(struct.pack('<HH', t, len(p)) + p for t, p in m['extra'])
        head += b'PK\x03\x04' + struct.pack(
            '<HHHHHIIIHH', 20, m['flags'], m['method'], 0, 0, 0,
            m['csize'], m['usize'], len(m['name']), len(extra),
        ) + m['name'] + extra + m['data']
    head += trailer
    start = time.monotonic()
    assert all(isinstance(x, sniff.ZipMember) for x in sniff.zip_local_members(head))
    _check_verdict(classify('model.zip', _sample(head)), 'model.zip')
    assert time.monotonic() - start < SECONDS


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(
    st.binary(max_size=120),
    # octal sizes (no sign: a negative size is a known bug, below), base-256
    # sizes, garbage
    st.integers(0, 8 ** 11 - 1).map(lambda n: b'%011o' % n) |
    st.binary(min_size=1, max_size=12).map(lambda b: b'\x80' + b) |
    st.binary(max_size=12).filter(lambda b: b'-' not in b),
    st.sampled_from(b'0125LKxgX\0'),
    st.binary(max_size=1500),
), min_size=1, max_size=5))
def test_tar_headers_survive_any_fields(members):
    data = b''.join(
        tar_header(name, size, bytes([flag])) + body
        for name, size, flag, body in members
    )
    start = time.monotonic()
    with deadline(5):
        names = sniff.tar_names(data)
        assert names is None or all(isinstance(n, str) for n in names)
        _check_verdict(classify('model.tar', _sample(data)), 'model.tar')
    assert time.monotonic() - start < SECONDS


# ==========================================================================
# 2. text readers

YAML_FRAGMENTS = (
    '---', '...', 'license: mit', 'license: other', 'license_name: x',
    'license_link: LICENSE', 'base_model: duixcom/Duix-Avatar',
    'a: &a [x, x, x]', 'b: [*a, *a]', 'c: *a', '<<: *a', 'd: &d', '&e f: g',
    'e: !!python/object/apply:os.system ["touch pwned"]',
    '- !!python/object/new:subprocess.Popen [["id"]]',
    'f: !!binary aGVsbG8=', 'g: !include other.yaml', '? complex key', ': v',
    'tags:', '- a', '-', '- b: c', '  - nested', '    deeper: value',
    'model-index:', '- name: Llama-x', '  results:', 'eval_results: []',
    'block: |', 'folded: >-', '  text', '\ttab: indented', '# comment',
    '"quoted key": 1', "'single': 'it''s'", 'list: [a, "b, c", \'d\']',
    'empty:', 'x' * 300, 'k: ' + 'v' * 300, 'k:v', '%YAML 1.2', '---!',
)

deep_indent = st.tuples(st.integers(0, 300), st.sampled_from(YAML_FRAGMENTS)).map(
    lambda t: ' ' * t[0] + t[1],
)

card_texts = st.one_of(
    st.text(max_size=600),
    st.lists(
        st.one_of(st.sampled_from(YAML_FRAGMENTS), deep_indent, st.text(max_size=40)),
        max_size=40,
    ).map(lambda lines: '\n'.join(
        ['---', *lines, '---', '# Title', 'Opening text.', '## Model description', 'x'],
    )),
)


def _check_card(card: modelcard.Card, text: str) -> None:
    assert isinstance(card, modelcard.Card)
    assert card.problem is None or isinstance(card.problem, str)
    assert isinstance(card.meta_text, str) and len(card.meta_text) <= len(text)
    total = 0
    for key, value in card.meta.items():
        assert isinstance(key, str)
        if isinstance(value, list):
            assert all(isinstance(v, str) for v in value)
            total += sum(map(len, value))
        else:
            assert isinstance(value, str)
            total += len(value)
    assert total <= len(text)  # nothing is expanded
    assert all(isinstance(line, str) for line in card.body)
    for derived in (
            modelcard.prominent(card), modelcard.description(card),
    ):
        assert isinstance(derived, str)
    assert all(isinstance(x, str) for x in modelcard.opening(card))
    assert all(isinstance(x, str) for x in modelcard.headings(card))
    assert all(isinstance(x, str) for x in modelcard.model_names(card))


@settings(max_examples=250, deadline=None)
@given(card_texts)
@example('---\na: &a [x]\nb: *a\n---\n')
@example('---\n' + '  ' * 200 + 'a: b\n---\n')
@example('---\r\nlicense: mit\r\n---\r\n')
def test_model_card_reader_survives_any_text(text):
    start = time.monotonic()
    card = modelcard.parse(text)
    _check_card(card, text)
    assert time.monotonic() - start < SECONDS


CHANGELOG_LINES = (
    '', '## [Unreleased]', '### Changed', '## [1.1.0] - 2026-11-30', '---',
    '=====', '- Fine-tuned model.safetensors on 2k clips', '* v1.2.3',
    '[1.0.0]: https://example.com', '- 2026-11-30', '1. item one', '# Modifications',
    '## Changes from base model', 'Unreleased', '(v2)', '- `model.bin`: pruned',
    '   ', '\t- tabbed entry text', '#' * 7 + ' deep', '- ' + 'x' * 200,
)
changelog_lines = st.lists(
    st.one_of(st.sampled_from(CHANGELOG_LINES), st.text(max_size=60)), max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(changelog_lines, changelog_lines, st.text(max_size=40))
def test_changelog_readers_survive_any_lines(old, new, path):
    start = time.monotonic()
    added = changelogs.added_lines(old, new)
    indexes = [j for j, _ in added]
    assert indexes == sorted(set(indexes))
    for j, line in added:
        assert 0 <= j < len(new) and new[j] == line
    # a line unlike every old line (white space aside) is always added
    normal_old = {' '.join(line.split()) for line in old}
    assert {
        j for j, line in enumerate(new) if ' '.join(line.split()) not in normal_old
    } <= set(indexes)
    assert changelogs.added_lines(new, new) == []
    entries = changelogs.entry_lines(old, new)
    assert all(changelogs.describes(line) for line in entries)
    assert len(entries) <= len(added)
    card = changelogs.card_entry_lines(old, new)
    assert all(line in entries for line in card)
    assert set(changelogs.card_section_lines(new)) <= set(new)
    assert all(isinstance(changelogs.describes(line), bool) for line in old + new)
    assert isinstance(changelogs.mentions(new, path or 'm.bin'), bool)
    assert time.monotonic() - start < SECONDS


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ('1', '.', '-', '+', 'v', 'a', '_', ' ', '[', ']', '(', ')', ':', '2026-11-30',
     '30 Nov 2026', 'unreleased', '#', '*', '`'),
), max_size=120).map(''.join))
def test_describes_is_fast_on_version_like_lines(line):
    start = time.monotonic()
    assert isinstance(changelogs.describes(line), bool)
    assert time.monotonic() - start < 0.2


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048), st.integers(0, 2 ** 40))
def test_changelog_read_text_survives_any_bytes(data, extra):
    text = changelogs.read_text(data, len(data) + extra)
    assert (text.lines is None) != (text.problem is None) or not data
    if text.lines is not None:
        assert all(isinstance(line, str) for line in text.lines)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) |
        st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
string_lists = st.lists(st.text(max_size=12), max_size=3)


def _maybe(strategy):
    return st.one_of(strategy, json_values)


profile_dicts = st.fixed_dictionaries(
    {
        'id': st.one_of(
            st.sampled_from(('my-licence', 'x', 'a.b+c', 'Bad', '-x', '')), json_values,
        ),
        'copy': st.one_of(
            st.fixed_dictionaries({}, optional={
                'sha256': _maybe(string_lists),
                'phrases': _maybe(st.lists(string_lists, max_size=3)),
                'fingerprint': st.text(max_size=12),
            }),
            json_values,
        ),
    },
    optional={
        'name': _maybe(st.text(max_size=12)),
        'aliases': _maybe(string_lists),
        'hf': _maybe(st.fixed_dictionaries({}, optional={
            'license': _maybe(string_lists), 'license_name': _maybe(string_lists),
            'license_link': _maybe(st.sampled_from(('required', 'optional'))),
        })),
        'attribution': _maybe(st.fixed_dictionaries({}, optional={
            'statement': _maybe(string_lists), 'strings': _maybe(string_lists),
            'ranking': json_values,
        })),
        'notice': _maybe(st.fixed_dictionaries({'text': _maybe(st.text(max_size=20))}, optional={
            'pattern': _maybe(st.text(max_size=12)),
        })),
        'name_prefix': _maybe(st.text(max_size=8)),
        'base_model': _maybe(string_lists),
        'display': _maybe(string_lists),
        'enforces': _maybe(string_lists),
        'cannot_check': _maybe(string_lists),
    },
)


@pytest.fixture(scope='module')
def empty_folder(tmp_path_factory):
    return str(tmp_path_factory.mktemp('profiles'))


@settings(
    max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.one_of(json_values, profile_dicts))
@example({'id': 'x', 'copy': {'fingerprint': ''}})
@example({'id': 'x', 'copy': {'fingerprint': '\0'}})
@example({'id': 'x', 'copy': {'fingerprint': 'x' * 5000}})
@example({'id': 'x', 'copy': {'phrases': [[]]}, 'notice': {'text': 't', 'pattern': '('}})
def test_profile_parse_returns_a_profile_or_a_user_error(empty_folder, data):
    try:
        profile = profiles.parse(data, 'p.json', empty_folder)
    except UserError as exc:
        assert str(exc).startswith('p.json: ')
        return
    assert isinstance(profile, profiles.Profile)
    assert isinstance(profile.id, str) and isinstance(profile.name, str)
    for field in ('aliases', 'hf_license', 'statement', 'strings', 'display'):
        assert all(isinstance(v, str) for v in getattr(profile, field))


toml_values = st.recursive(
    st.one_of(
        st.integers(-10, 10).map(str), st.booleans().map(lambda b: str(b).lower()),
        st.text(max_size=12).map(json.dumps), st.just('1979-05-27T07:32:00Z'),
        st.just('3.5'), st.just('"**/*.safetensors"'),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3).map(lambda xs: '[' + ', '.join(xs) + ']'),
        st.lists(
            st.tuples(st.sampled_from(('a', 'path', 'b')), children), max_size=2,
            unique_by=lambda kv: kv[0],
        ).map(lambda kvs: '{' + ', '.join(f'{k} = {v}' for k, v in kvs) + '}'),
    ),
    max_leaves=8,
)
reuse_tables = st.lists(
    st.tuples(toml_values, toml_values, st.sampled_from(('', 'precedence = "override"\n'))),
    max_size=4,
).map(lambda ts: ('version = 1\n' + ''.join(
    f'[[annotations]]\npath = {p}\nSPDX-License-Identifier = {i}\n{extra}'
    for p, i, extra in ts
)).encode())


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=1024), reuse_tables))
def test_reuse_toml_returns_a_list_or_a_user_error(data):
    try:
        found = licenses.parse_reuse_toml(data)
    except UserError as exc:
        assert str(exc).startswith('REUSE.toml: cannot read it')
        return
    assert isinstance(found, list)
    for paths, ids in found:
        assert all(isinstance(p, str) for p in paths)
        assert all(isinstance(i, str) for i in ids)
        for p in paths:
            licenses._reuse_glob(p).fullmatch('model.safetensors')


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=6))
@example(['MIT AND (Apache-2.0 OR GPL-2.0+) WITH Classpath-exception-2.0'])
@example(['', '()', ' AND ', 'and or with'])
def test_spdx_ids_never_raise(expressions):
    ids = licenses.spdx_ids(expressions)
    assert isinstance(ids, list) and len(ids) == len(set(ids))
    for lid in ids:
        assert isinstance(lid, str)
        assert not any(c.isspace() or c in '()' for c in lid)


# the text of a licence copy: ASCII, accented Latin letters, CJK, full-width
# forms, typographic and CJK punctuation, odd spaces (any text at all:
# test_normalise_is_idempotent, below)
licence_alphabet = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xC0, max_codepoint=0x17F, categories=('Lu', 'Ll')),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.sampled_from('\u201c\u201d\u2018\u2019\u2014\u2013\u2026\u3002\uff0c\u3001'
                    '\u300a\u300b\u300c\u300d\u3000\u00a0\u2009\n\t\r\u00ad\u200b'),
)


@settings(max_examples=150, deadline=None)
@given(st.text(licence_alphabet, max_size=200))
@example('Ｔｈｅ　ＬＩＣＥＮＳＥ “quoted” — 许可协议。')
def test_normalise_is_idempotent_on_licence_text(text):
    once = licence_text.normalise(text)
    assert licence_text.normalise(once) == once
    assert not any(c.isspace() for c in once)


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=2048),
    st.sampled_from(('LICENSE', 'LICENSE.md', 'x.pdf', 'MODEL_LICENSE.pdf')),
)
def test_licence_copy_readers_survive_any_bytes(data, name):
    problem = licenses.judge_copy(name, data, len(data))
    assert problem is None or isinstance(problem, str)
    text = licence_text.text_of(name, data)
    assert text is None or isinstance(text, str)


# ==========================================================================
# 3. a hostile corpus on disk

SAFETENSORS_JSON = (
    b'{}', b'{"__metadata__":{"format":"pt"}}',
    b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
    b'{"a":' + b'[' * 5000 + b']' * 5000 + b'}', b'{"' + b'x' * 40000,
    b'[]', b'"x"', b'{' + b' ' * 30000 + b'}', b'{"a":1e999999}',
    b'{"__metadata__":' + b'{"a":' * 100 + b'1' + b'}' * 101,
)


@pytest.mark.parametrize('length', (0, 1, 2, 2 ** 32, 2 ** 63, 2 ** 64 - 1))
@pytest.mark.parametrize('header', SAFETENSORS_JSON, ids=lambda h: repr(h[:12]))
def test_safetensors_header_lengths(tmp_path, length, header):
    path = write(tmp_path / 'model.safetensors', safetensors_bytes(length, header))
    verdict = classify_file(path)
    if length > path.stat().st_size:
        # a header longer than the file is not a safetensors header; the
        # name decides, and says so
        assert 'safetensors header' not in verdict.evidence


def test_safetensors_header_exactly_sized(tmp_path):
    header = b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'
    path = write(tmp_path / 'w.bin', safetensors_bytes(len(header), header, b'\0' * 4))
    assert classify_file(path).evidence == (
        f'safetensors header ({len(header)} bytes of JSON, 1 tensor)'
    )


@pytest.fixture(scope='module')
def weight_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp('weights')
    return {
        kind: writer(folder / samples.FILE_NAMES[kind]).read_bytes()
        for kind, writer in samples.WEIGHT_WRITERS.items()
    }


@pytest.mark.parametrize('kind', sorted(samples.WEIGHT_WRITERS))
def test_truncated_at_every_short_length_and_random_points(weight_files, kind):
    """sniff_test cuts a few points; here: every cut 1..64, 24 random cuts,
    each both as a whole short file and as the head of the full-size file
    (a read cut short), and the file with its last bytes garbled."""
    data = weight_files[kind]
    name = samples.FILE_NAMES[kind]
    rng = random.Random(kind)
    cuts = set(range(1, min(65, len(data))))
    cuts |= {rng.randrange(1, len(data)) for _ in range(24)} if len(data) > 1 else set()
    slowest = 0.0
    for cut in sorted(cuts):
        for sample in (_sample(data[:cut]), _sample(data[:cut], len(data))):
            start = time.monotonic()
            _check_verdict(classify(name, sample), name)
            slowest = max(slowest, time.monotonic() - start)
    garbled = data[:-8] + bytes(b ^ 0xFF for b in data[-8:])
    _check_verdict(classify(name, _sample(garbled)), name)
    assert slowest < SECONDS


@pytest.mark.parametrize('kind', sorted(samples.WEIGHT_WRITERS))
def test_truncated_files_on_disk(tmp_path, weight_files, kind):
    data = weight_files[kind]
    for cut in (1, 9, len(data) // 3):
        path = write(tmp_path / str(cut) / samples.FILE_NAMES[kind], data[:cut])
        classify_file(path)


@pytest.fixture(scope='module')
def zip_bomb(tmp_path_factory):
    """A zip whose one member inflates to 1 GiB of zeros (about 1 MB)."""
    path = tmp_path_factory.mktemp('bomb') / 'bomb.zip'
    return write(path, zip_of_zeros(b'model.safetensors', 1 << 30))


def test_zip_bomb(zip_bomb):
    with zipfile.ZipFile(zip_bomb) as z:  # a real zip bomb
        assert z.infolist()[0].file_size == 1 << 30
        with z.open('model.safetensors') as member:
            assert member.read(1 << 20) == bytes(1 << 20)
    verdict = classify_file(zip_bomb, memory=MEMORY)
    assert verdict.weights and verdict.format == 'zip-with-weights'
    assert 'model.safetensors' in verdict.evidence


def test_zip_nested_fifty_levels(tmp_path):
    data = samples.write_safetensors(tmp_path / 'm' / 'model.safetensors').read_bytes()
    for level in range(50):
        data = zip_bytes({f'level{level}.zip' if level else 'model.safetensors': data})
    path = write(tmp_path / 'nested.zip', data)
    verdict = classify_file(path, memory=MEMORY)
    assert verdict.format.startswith('zip')  # judged one level deep


@pytest.mark.parametrize('case', (
    'end-65535-entries', 'end-offset-past-end', 'end-only', 'zip64-2**32-entries',
    'zip64-locator-past-end', 'central-names-65535-bytes', 'comment-65535-bytes',
))
def test_zip_directory_claims(tmp_path, case):
    local = zip_bytes({'a.txt': b'hello'})
    cd_start = local.rfind(b'PK\x01\x02')
    body, central = local[:cd_start], local[cd_start:local.rfind(b'PK\x05\x06')]
    if case == 'end-65535-entries':
        data = body + central + zip_end(0xFFFF, len(central), cd_start)
    elif case == 'end-offset-past-end':
        data = body + central + zip_end(1, 0xFFFFFFF0, 0xFFFFFFF0)
    elif case == 'end-only':
        data = zip_end(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    elif case == 'zip64-2**32-entries':
        data = body + central
        data += zip64_end(2 ** 32, 2 ** 62, 2 ** 63, len(data))
    elif case == 'zip64-locator-past-end':
        data = body + central + zip64_end(2 ** 32, 10, 2 ** 40, 2 ** 62)
    elif case == 'central-names-65535-bytes':
        lying = bytearray(central)
        lying[28:30] = struct.pack('<H', 0xFFFF)
        data = body + bytes(lying) + zip_end(1, len(central), cd_start)
    else:
        data = local[:-2] + struct.pack('<H', 0xFFFF) + b'PK\x05\x06' * 100
    path = write(tmp_path / 'claims.zip', data)
    verdict = classify_file(path, memory=MEMORY)
    assert not verdict.weights


def test_zip_with_thousands_of_members_in_its_tail(tmp_path):
    members = {f'd/{i:05}.txt': b'' for i in range(3000)}
    members['d/model.safetensors'] = b''
    path = write(tmp_path / 'many.zip', zip_bytes(members))
    verdict = classify_file(path)  # the sample bounds memory; tracing is slow here
    assert verdict.weights and 'd/model.safetensors' in verdict.evidence


@pytest.fixture(scope='module')
def compression_bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp('bombs')
    bombs = {
        'gzip-1GiB-one-member': ('model.tar.gz', gzip_of_zeros(1 << 30)),
        'gzip-4GiB-members': ('weights.pkl.gz', multistream_of_zeros('gzip', 256)),
        'bz2-4GiB-streams': ('weights.tar.bz2', multistream_of_zeros('bz2', 256)),
        'xz-4GiB-streams': ('model.tar.xz', multistream_of_zeros('xz', 256)),
        'zlib-64MiB': ('model.joblib', zlib.compress(bytes(64 << 20), 9)),
    }
    return {
        kind: write(folder / kind / name, data) for kind, (name, data) in bombs.items()
    }


@pytest.mark.parametrize('kind', (
    'gzip-1GiB-one-member', 'gzip-4GiB-members', 'bz2-4GiB-streams',
    'xz-4GiB-streams', 'zlib-64MiB',
))
def test_compression_bombs_are_decompressed_only_in_prefix(compression_bombs, kind):
    path = compression_bombs[kind]
    head = path.read_bytes()[:32 * 1024]
    with bounded(memory=MEMORY):
        found = sniff.decompress_prefix(head)
    assert found is not None and len(found[1]) <= 64 * 1024
    classify_file(path, memory=MEMORY)


def test_gzip_bomb_is_a_real_gigabyte(compression_bombs):
    data = compression_bombs['gzip-1GiB-one-member'].read_bytes()
    stream = zlib.decompressobj(47)
    assert stream.decompress(data[:200_000], 64 << 20) == bytes(64 << 20)
    assert struct.unpack('<I', data[-4:])[0] == (1 << 30) & 0xFFFFFFFF


def test_sparse_terabyte_file(tmp_path):
    path = tmp_path / 'model.safetensors'
    with open(path, 'wb') as f:
        f.write(safetensors_bytes(2 ** 32, b'{"a":{"dtype":"F32","shape":[1]'))
        f.truncate(2 ** 40)
    with bounded(memory=MEMORY):
        sample = sample_file(str(path))
    assert len(sample.head) + len(sample.tail) + 8 * len(sample.probes) <= 64 * 1024
    classify_file(path, memory=MEMORY)


def test_pickle_payloads_are_live(tmp_path):
    """The payloads below really run code when loaded: checked once, in a
    child process, with markers of their own."""
    payloads = pickle_payloads(tmp_path / 'control')
    code = 'import pickle, sys\nfor p in sys.argv[1:]:\n    pickle.loads(bytes.fromhex(p))\n'
    for name, payload in payloads.items():
        marker = tmp_path / 'control'
        subprocess.run(
            (sys.executable, '-c', code, payload.hex()), check=True,
            capture_output=True, cwd=tmp_path,
        )
        assert marker.exists(), name
        marker.unlink()
        assert list(pickletools.genops(payload))  # and they are valid pickles


@pytest.mark.parametrize('name', ('model.pkl', 'pytorch_model.bin', 'model.pt'))
def test_pickles_that_would_run_code_are_never_loaded(tmp_path, capsys, name):
    marker = tmp_path / 'marker'
    folder = tmp_path / 'corpus'
    for kind, payload in pickle_payloads(marker).items():
        if name == 'model.pt':
            payload = torch_zip_with(payload)
        path = write(folder / kind / name, payload)
        verdict = classify_file(path)
        if name == 'model.pt':
            assert verdict.weights and verdict.format == 'pytorch'
    with deadline():
        assert cli.main(['scan', '--all', str(folder)]) == 0
    assert not marker.exists()


def test_pickles_through_every_hook(temp_git_dir, capsys):
    marker = temp_git_dir.parent / 'marker'
    for kind, payload in pickle_payloads(marker).items():
        write(temp_git_dir / kind / 'model.pkl', payload)
        write(temp_git_dir / kind / 'pytorch_model.bin', payload)
        write(temp_git_dir / kind / 'model.pt', torch_zip_with(payload))
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1 and 'archive/data.pkl' not in out
    assert out.count('model.pt: model weights (pytorch)') == 6
    run_hook(check_model_changelog.main, [], capsys)
    run_hook(check_model_attribution.main, ['--profile', 'duix-avatar'], capsys)
    with bounded():
        assert cli.main(['scan', '--all']) == 0
    assert not marker.exists()


# --- `model-license-hooks scan PATH` on special files -------------------------

@posix_only
@pytest.mark.parametrize('kind', ('fifo', '/dev/zero', '/dev/null', 'missing', 'fifo-in-folder'))
def test_scan_special_paths(tmp_path, monkeypatch, capsys, kind):
    monkeypatch.chdir(tmp_path)
    if kind == 'fifo':
        os.mkfifo('model.safetensors')
        path = 'model.safetensors'
    elif kind == 'fifo-in-folder':
        os.mkdir('snap')
        os.mkfifo('snap/pipe.bin')
        samples.write_safetensors(tmp_path / 'snap/model.safetensors')
        path = 'snap'
    elif kind == 'missing':
        path = 'missing.safetensors'
    else:
        path = kind
    with bounded():
        assert cli.main(['scan', path]) == 2
    err = capsys.readouterr().err
    assert ': cannot read: ' in err and 'Traceback' not in err


@posix_only
def test_scan_folders_and_symlink_loops(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.mkdir('empty')
    os.symlink('loop', 'loop')
    os.makedirs('tree/a')
    os.symlink('..', 'tree/a/up')  # a folder loop: os.walk does not follow it
    samples.write_safetensors(tmp_path / 'tree/a/model.safetensors')
    with bounded():
        assert cli.main(['scan', '--all', 'empty', 'loop', 'tree']) == 0
    out, err = capsys.readouterr()
    assert 'loop: not weights (a symbolic link)' in out
    assert 'tree/a/model.safetensors: safetensors' in out
    assert '1 of 2 files are model weights' in err  # the link to '..' is not walked


# ==========================================================================
# 4. hostile repositories through the hooks

@posix_only
def test_tracked_symlink_loops(temp_git_dir, capsys):
    weights_repo(temp_git_dir, licence=False)
    os.symlink('b', temp_git_dir / 'a')
    os.symlink('a', temp_git_dir / 'b')
    os.symlink('LICENSE', temp_git_dir / 'LICENSE')  # itself
    os.symlink('.', temp_git_dir / 'COPYING')  # the folder
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1
    assert 'LICENSE: it is a symlink to nothing tracked' in out
    run_hook(check_model_attribution.main, [], capsys)
    run_hook(check_model_changelog.main, [], capsys)
    with bounded():
        assert cli.main(['scan']) == 0


@posix_only
@pytest.mark.parametrize('size', (64, 200_000))  # a small blob and a large one
@pytest.mark.parametrize('which', ('weights', 'licence'))
def test_file_replaced_by_a_fifo_after_git_add(temp_git_dir, capsys, size, which):
    header = b'{"a":{"dtype":"U8","shape":[%d],"data_offsets":[0,%d]}}' % (size, size)
    write(temp_git_dir / 'm/model.safetensors', safetensors_bytes(len(header), header, bytes(size)))
    write(temp_git_dir / 'm/LICENSE', MIT_TEXT * (1 + size // 1000))
    add('.')
    target = temp_git_dir / 'm' / ('model.safetensors' if which == 'weights' else 'LICENSE')
    target.unlink()
    os.mkfifo(target)
    # the staged blobs decide: a weight file under a licence
    for argv in ([], ['m/model.safetensors'], ['m/LICENSE']):
        code, out, _ = run_hook(check_model_license.main, argv, capsys)
        assert code == 0, out
    code, out, _ = run_hook(check_model_changelog.main, [], capsys)
    assert code == 1 and 'm/model.safetensors: model weights (safetensors)' in out
    with bounded():
        assert cli.main(['scan']) == 0
    assert 'm/model.safetensors: safetensors' in capsys.readouterr().out


ODD_NAMES = {
    'latin-1': b'caf\xe9.safetensors',
    'invalid-utf-8': b'\xff\xfe\x80.safetensors',
    'newline': b'new\nline.safetensors',
    'tab': b'tab\there.safetensors',
    'quote-and-space': b'"quoted" name .safetensors',
    'leading-dash': b'-rf.safetensors',
    'glob-chars': b'[a]*?.safetensors',
    'colon-magic': b':(glob)x.safetensors',
    '250-bytes': b'w' * 238 + b'.safetensors',
    'backslash': b'back\\slash.safetensors',
}


@posix_only
@pytest.mark.parametrize('kind', sorted(ODD_NAMES))
def test_odd_file_names(temp_git_dir, capsys, kind):
    raw = ODD_NAMES[kind]
    folder = os.fsencode(temp_git_dir) + b'/' + raw.replace(b'.safetensors', b'.d')
    os.mkdir(folder)
    name = Path(os.fsdecode(folder + b'/' + raw))
    samples.write_safetensors(name)
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1 and 'without a licence' in out
    code, out, _ = run_hook(check_model_changelog.main, [], capsys)
    assert code == 1
    code, out, _ = run_hook(check_model_attribution.main, ['--profile', 'duix-avatar'], capsys)
    assert code == 1 and 'no model card' in out
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('LICENSE')
    assert run_hook(check_model_license.main, [], capsys)[0] == 0
    # a licence copy in the oddly named folder itself: found by listing it
    (temp_git_dir / 'LICENSE').unlink()
    git('rm', '-q', '--cached', 'LICENSE')
    write(Path(os.fsdecode(folder + b'/LICENSE')), MIT_TEXT)
    add('.')
    assert run_hook(check_model_license.main, [], capsys)[0] == 0
    assert run_hook(check_model_license.main, ['--profile', 'duix-avatar'], capsys)[0] == 1


def test_hundred_folders_deep(temp_git_dir, capsys):
    deep = temp_git_dir.joinpath(*['d'] * 100)
    samples.write_safetensors(deep / 'model.safetensors')
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1 and 'any folder above' in out
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('LICENSE')
    assert run_hook(check_model_license.main, [], capsys)[0] == 0
    assert run_hook(check_model_changelog.main, [], capsys)[0] == 1
    assert run_hook(check_model_attribution.main, ['--profile', 'duix-avatar'], capsys)[0] == 1


def test_many_odd_names_in_one_commit(temp_git_dir, capsys):
    for i in range(300):
        raw = b'f%d-\xe9\n\t' % i + b'.bin'
        write(Path(os.fsdecode(os.fsencode(temp_git_dir) + b'/' + raw)), b'\0\1' * 8)
    samples.write_safetensors(temp_git_dir / 'x' / 'model.safetensors')
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1 and out.startswith('x/model.safetensors: model weights')


def test_bombs_through_the_hook(temp_git_dir, capsys, zip_bomb, compression_bombs):
    write(temp_git_dir / 'bomb.zip', zip_bomb.read_bytes())
    for kind, path in compression_bombs.items():
        if kind != 'gzip-4GiB-members':  # 256 MB: too slow to add to git
            write(temp_git_dir / kind / path.name, path.read_bytes())
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys, memory=MEMORY)
    assert code == 1
    assert out.startswith('bomb.zip: model weights (zip-with-weights)')


# --- hostile model cards -------------------------------------------------------

def _laughs(levels: int = 9) -> list[str]:
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f'lol{i}: &lol{i} [' + ', '.join([f'*lol{i - 1}'] * 10) + ']')
    return lines


HOSTILE_CARDS = {
    'billion-laughs': ['license: other', *_laughs()],
    'billion-laughs-nested': ['license: other', 'x:', *('  ' + ln for ln in _laughs())],
    'billion-laughs-in-list': ['license: other', 'tags:', *('  - ' + ln for ln in _laughs())],
    'merge-keys': ['base: &b {license: mit}', 'license: *b', '<<: *b'],
    'python-tag': [
        'license: !!python/object/apply:os.system ["touch {marker}"]',
    ],
    'python-tag-nested': [
        'license: other', 'extra:',
        '  - !!python/object/apply:os.system ["touch {marker}"]',
        '  - !!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
    ],
    'python-name-tag': ['license_name: !!python/name:os.system', 'license: other'],
    'deep-indentation': ['license: other', 'x:', *(' ' * i + f'k{i}:' for i in range(1, 400))],
    'huge-inline-list': ['license: other', 'tags: [' + ', '.join(['x'] * 50_000) + ']'],
    'unclosed': ['license: other', 'license_name: x'],
}


@pytest.mark.parametrize('kind', sorted(HOSTILE_CARDS))
def test_hostile_model_card_front_matter(temp_git_dir, capsys, kind):
    marker = temp_git_dir.parent / 'marker'
    lines = [ln.replace('{marker}', str(marker)) for ln in HOSTILE_CARDS[kind]]
    end = [] if kind == 'unclosed' else ['---']
    card = '\n'.join(['---', *lines, *end, '# A model', 'Text.']) + '\n'
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'README.md', card)
    add('.')
    with bounded(memory=MEMORY):
        parsed = modelcard.parse(card)
    _check_card(parsed, card)
    code, out, _ = run_hook(
        check_model_attribution.main, ['--profile', 'duix-avatar'], capsys, memory=MEMORY,
    )
    assert code == 1 and 'README.md: ' in out
    if kind in ('billion-laughs', 'merge-keys', 'python-tag', 'python-name-tag'):
        assert 'anchors, aliases and tags are not read' in out
    if kind == 'unclosed':
        assert 'the front matter has no closing' in out
    # check-model-license reads the card too, to infer the profile
    run_hook(check_model_license.main, [], capsys)
    assert not marker.exists()


# --- hostile licence copies ----------------------------------------------------

def test_licence_copy_larger_than_the_limit(temp_git_dir, capsys):
    weights_repo(temp_git_dir, licence=False)
    text = (MIT_TEXT * (licenses.MAX_COPY_BYTES // len(MIT_TEXT) + 1)).encode()
    write(temp_git_dir / 'LICENSE', text[:licenses.MAX_COPY_BYTES + 1])
    add('.')
    code, out, _ = run_hook(check_model_license.main, ['--profile', 'duix-avatar'], capsys)
    assert code == 1
    assert f'LICENSE: it is larger than {licenses.MAX_COPY_BYTES} bytes' in out
    assert run_hook(check_model_license.main, [], capsys)[0] == 0  # no profile: a copy
    run_hook(check_model_attribution.main, [], capsys)


def _pdf(*objects: bytes, root: int = 1, size: int | None = None) -> bytes:
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


HOSTILE_PDFS = {
    'magic-only': b'%PDF-',
    'garbage': b'%PDF-' + random.Random(7).randbytes(64 * 1024),
    'garbage-with-eof': b'%PDF-1.4\n' + random.Random(8).randbytes(4096) + b'\n%%EOF\n',
    'xref-past-end': b'%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\nstartxref\n999999999\n%%EOF\n',
    'root-is-itself': _pdf(b'1 0 R'),
    'pages-loop': _pdf(
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>',
        b'<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>',
        b'<< /Length 10 >>\nstream\nBT (x) Tj ET\nendstream',
    ),
    'length-2**63': _pdf(
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>',
        b'<< /Length 9223372036854775807 /Filter /FlateDecode >>\nstream\nxx\nendstream',
    ),
    'count-2**31': _pdf(
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>',
        b'<< /Type /Page /Parent 2 0 R >>', size=2 ** 31,
    ),
}


@pytest.mark.parametrize('kind', sorted(HOSTILE_PDFS))
def test_hostile_licence_agreement_pdf(temp_git_dir, capsys, kind):
    weights_repo(temp_git_dir, licence=False)
    write(temp_git_dir / 'Duix.Avatar model community Licensing Agreement.pdf', HOSTILE_PDFS[kind])
    add('.')
    code, out, _ = run_hook(check_model_license.main, ['--profile', 'duix-avatar'], capsys)
    assert code == 1
    assert 'Licensing Agreement.pdf: not a copy of the duix-avatar licence' in out
    assert run_hook(check_model_license.main, [], capsys)[0] == 0  # a PDF: a copy
    run_hook(check_model_attribution.main, [], capsys)


# --- hostile settings ----------------------------------------------------------

# content -> what every hook must do: 'error' (exit 2 with a message about
# the settings), 'verdict' (exit 0 or 1), or 'error-with-profile' (exit 2
# in the hooks that load profiles; a verdict in check-model-changelog)
PYPROJECTS = {
    'syntax-error': (b'[tool.model-license-hooks\nprofile = "x"\n', 'error'),
    'not-utf-8': (b'[tool.model-license-hooks]\nprofile = "\xff\xfe"\n', 'error'),
    'table-is-a-number': (b'[tool]\nmodel-license-hooks = 5\n', 'error'),
    'profile-is-a-number': (b'[tool.model-license-hooks]\nprofile = 5\n', 'error'),
    'unknown-setting': (b'[tool.model-license-hooks]\nprofiles = "x"\n', 'error'),
    'ignore-is-a-string': (b'[tool.model-license-hooks]\nignore = "x"\n', 'error'),
    'ignore-holds-a-number': (b'[tool.model-license-hooks]\nignore = ["x", 1]\n', 'error'),
    'ignore-holds-a-table': (b'[tool.model-license-hooks]\nignore = [{a = 1}]\n', 'error'),
    'deletions-is-a-string': (b'[tool.model-license-hooks]\ndeletions = "yes"\n', 'error'),
    'unknown-profile': (
        b'[tool.model-license-hooks]\nprofile = "no-such-licence"\n', 'error-with-profile',
    ),
    'missing-profile-file': (
        b'[tool.model-license-hooks]\nprofile = "duix-avatar"\n'
        b'profile-files = ["missing.json"]\n', 'error-with-profile',
    ),
    'profile-file-is-a-folder': (
        b'[tool.model-license-hooks]\nprofile = "duix-avatar"\nprofile-files = ["."]\n',
        'error-with-profile',
    ),
    'profile-file-is-dev-null': (
        b'[tool.model-license-hooks]\nprofile = "duix-avatar"\n'
        b'profile-files = ["/dev/null"]\n', 'error-with-profile',
    ),
    # huge ones (1 MiB; some large settings are slow: see the known bugs)
    'huge-comments': ((b'#' * 1023 + b'\n') * 1024, 'verdict'),
    'huge-string-elsewhere': (
        b'[tool.black]\nx = "' + b'a' * (1 << 20) + b'"\n[tool.model-license-hooks]\n',
        'verdict',
    ),
    'huge-profile-name': (
        b'[tool.model-license-hooks]\nprofile = "' + b'a' * (1 << 20) + b'"\n',
        'error-with-profile',
    ),
    'huge-garbage': (random.Random(3).randbytes(1 << 20), 'error'),
    'huge-other-tables': (
        b''.join(b'[tool.other%d]\nkey = "value"\n' % i for i in range(20_000)), 'verdict',
    ),
    'huge-unknown-setting': (
        b'[tool.model-license-hooks]\n' + b'x' * (1 << 20) + b' = 1\n', 'error',
    ),
}


@pytest.mark.parametrize('kind', sorted(PYPROJECTS))
def test_hostile_pyproject_settings(temp_git_dir, capsys, kind):
    content, expected = PYPROJECTS[kind]
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'pyproject.toml', content)
    add('.')
    hooks = (check_model_license.main, check_model_changelog.main, check_model_attribution.main)
    for main in hooks:
        code, out, err = run_hook(main, [], capsys)
        if expected == 'error' or (
                expected == 'error-with-profile' and main is not check_model_changelog.main
        ):
            assert code == 2, (main.__module__, out, err)
            assert 'pyproject.toml' in err or 'profile' in err, err
        else:
            assert code in (0, 1) and not err.startswith('error'), (main.__module__, err)


def test_hostile_reuse_toml(temp_git_dir, capsys):
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'REUSE.toml', b'version = 1\n[[annotations]\npath = "*"\n')
    add('.')
    code, _, err = run_hook(check_model_license.main, [], capsys)
    assert code == 2 and 'REUSE.toml: cannot read it' in err
    write(temp_git_dir / 'REUSE.toml', (
        'version = 1\n' + '[[annotations]]\npath = "**"\n'
        'SPDX-License-Identifier = "MIT AND ("\n' * 2000
    ))
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1 and 'REUSE.toml: it names MIT, but LICENSES/MIT.txt' in out


# ==========================================================================
# 5. bugs found by these tests: regressions for the fixed ones (each says
# what the bug was), xfail(strict=True) for the open ones (at the end)

def _bug(reason: str):
    return pytest.mark.xfail(strict=True, reason=f'bug: {reason}')


# Found by these tests, fixed since: sniff.tar_names loops forever on a tar
# header whose octal size is negative (-1000 = -512): pos += 512 + (size +
# 511) // 512 * 512 adds 0, and the same member name is appended until
# memory runs out (also inside a gzip stream, and through every hook)
@pytest.mark.parametrize('wrap', ('tar', 'gzip'))
def test_tar_negative_member_size(tmp_path, wrap):
    data = tar_header(b'model.safetensors', b'-1000') + bytes(1024)
    if wrap == 'gzip':
        data = gzip.compress(data)
    classify_file(write(tmp_path / 'data.tar', data), alarm=1)


# Found by these tests, fixed since: sniff.tar_names negative size, through
# check-model-license: it hangs
def test_tar_negative_member_size_in_the_hook(slow_runs):
    finish(slow_runs, 'tar-negative-size')


# Found by these tests, fixed since: sniff.safetensors lets RecursionError
# out of json.loads for a header of deeply nested JSON ({"a":[[[[...]]]]},
# 20,000 levels, within the declared length); only ValueError is caught
def test_safetensors_deeply_nested_header():
    header = b'{"a":' + b'[' * 20000 + b']' * 20000 + b'}'
    data = safetensors_bytes(len(header), header)
    assert sniff.safetensors(_sample(data)) is None


# Found by these tests, fixed since: sniff._zip64_sizes (via
# zip_local_members) raises struct.error when a local header with csize
# 0xFFFFFFFF has a ZIP64 extra field (tag 1) declaring 16 bytes but holding
# fewer
def test_zip64_extra_field_truncated():
    head = b'PK\x03\x04' + struct.pack(
        '<HHHHHIIIHH', 20, 0, 0, 0, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF, 1, 4,
    ) + b'a' + struct.pack('<HH', 1, 16) + b'\0' * 40
    list(sniff.zip_local_members(head))


# Found by these tests, fixed since: sniff.decompress_prefix gives
# lzma.LZMADecompressor no memlimit: a 13-byte .lzma header declaring a 2
# GiB dictionary makes liblzma allocate 2 GiB; under a memory limit
# MemoryError escapes the parser
@pytest.mark.parametrize('dict_size', (1 << 31, 3 << 30))
def test_lzma_dictionary_size_is_bounded(dict_size):
    data = lzma_alone_claiming(dict_size)
    with bounded(memory=256 << 20):
        sniff.decompress_prefix(data)


# Found by these tests, fixed since: licenses.parse_reuse_toml iterates
# `annotations` whatever its type: "annotations = 5" (or a date, a float)
# raises TypeError, and the hook prints a traceback instead of exit 2
@pytest.mark.parametrize('value', (b'5', b'1979-05-27', b'3.5', b'true'))
def test_reuse_toml_annotations_not_a_list(temp_git_dir, capsys, value):
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'REUSE.toml', b'version = 1\nannotations = ' + value + b'\n')
    add('.')
    with deadline():
        assert check_model_license.main([]) == 2


# Found by these tests, fixed since: TOML of deep nesting (a = [[[[...]]]],
# 3,000 levels) makes tomllib raise RecursionError, which neither
# options.repo_config nor licenses.parse_reuse_toml catches: a traceback,
# not exit 2
@pytest.mark.parametrize('where', ('pyproject.toml', 'REUSE.toml'))
def test_toml_deep_nesting(temp_git_dir, capsys, where):
    weights_repo(temp_git_dir)
    write(temp_git_dir / where, b'a = ' + b'[' * 3000 + b']' * 3000 + b'\n')
    add('.')
    with deadline():
        assert check_model_license.main([]) == 2


# Found by these tests, fixed since: options.repo_config calls .get on
# `tool` whatever its type: a pyproject.toml with "tool = 5" (or tool = "x")
# raises AttributeError in every hook instead of exit 2
@pytest.mark.parametrize('value', (b'5', b'"x"', b'[1]'))
def test_pyproject_tool_not_a_table(temp_git_dir, capsys, value):
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'pyproject.toml', b'tool = ' + value + b'\n')
    add('.')
    with deadline():
        assert check_model_license.main([]) == 2


# Found by these tests, fixed since: profiles.parse catches only KeyError,
# TypeError and ValueError around the fingerprint file, and none around its
# "sha256": a fingerprint file that is a JSON list, or has "sha256": 5,
# "sections": 5 or "labels": [] raises AttributeError/TypeError instead of
# UserError
@pytest.mark.parametrize('content', (
    '[1]', '"text"', '{"fingerprints": [], "sha256": 5}',
    '{"fingerprints": [{"language": "en", "k": 5, "modulus": 1, "hashes": [], "sections": 5}]}',
    '{"fingerprints": [{"language": "en", "k": 5, "modulus": 1, "hashes": [],'
    ' "sections": {"a": []}, "labels": []}]}',
))
def test_profile_fingerprint_file_shapes(tmp_path, content):
    write(tmp_path / 'fp.json', content)
    with pytest.raises(UserError):
        profiles.parse({'id': 'x', 'copy': {'fingerprint': 'fp.json'}}, 'p.json', str(tmp_path))


# Found by these tests, fixed since: check_model_attribution._notice
# compiles modelcard.normal(pattern), which case-folds the regular
# expression profiles.parse validated: "\Z" becomes "\z" and "(?P<n>...)"
# becomes "(?p<n>...)", both re.error tracebacks ("\S" silently turns into
# "\s")
@pytest.mark.parametrize('pattern', ('Hello\\Z', '(?P<Who>Hello) there'))
def test_notice_pattern_is_case_folded(temp_git_dir, capsys, pattern):
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'NOTICE', 'Something else entirely\n')
    write(temp_git_dir / 'README.md', '---\nlicense: other\n---\n# A model\n')
    write(temp_git_dir.parent / 'mine.json', json.dumps({
        'id': 'mine', 'copy': {'phrases': [['abc']]},
        'notice': {'text': 'Hello there', 'pattern': pattern},
    }))
    add('.')
    profile_file = str(temp_git_dir.parent / 'mine.json')
    with deadline():
        code = check_model_attribution.main(['--profile', 'mine', '--profile-file', profile_file])
    assert code == 1


# Quadratic and worse: inputs of tens of kilobytes that take from tens of
# seconds to hours.  Each runs the hook in a child process (a regular
# expression stuck in C cannot be interrupted by a signal).  The children
# start together, when the first of these tests runs, and a timer kills
# whatever still runs after SLOW_LIMIT: on a fixed bug a child takes a
# fraction of a second, on the bug at least 30 s of CPU.  Each child also
# reports the CPU time of the hook itself, which must stay under SECONDS.

SLOW_LIMIT = 5.0  # wall seconds for every child together, start-up included
SLOW_CASES: dict[str, object] = {}  # name -> builder(repo) -> (module, argv)


def slow_case(name: str):
    def register(builder):
        SLOW_CASES[name] = builder
        return builder
    return register


_CHILD = (
    'import sys, time\n'
    'from hooks.{module} import main\n'
    'start = time.process_time()\n'
    'code = main({argv!r})\n'
    'print(f"\\n@cpu {{time.process_time() - start:.3f}}", file=sys.stderr)\n'
    'raise SystemExit(code)\n'
)


def _limit_memory() -> None:  # pragma: no cover (runs in the child)
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.fixture(scope='module')
def slow_runs(tmp_path_factory):
    import threading

    from tests.conftest import GIT_ENV
    home = tmp_path_factory.mktemp('slow-home')
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(('PRE_COMMIT', 'GIT_'))
    }
    env.update(GIT_ENV, HOME=str(home), XDG_CONFIG_HOME=str(home / '.config'), PYTHONPATH=ROOT)
    runs = {}
    with pytest.MonkeyPatch.context() as patch:  # git as the children see it
        for key in os.environ.keys() - env.keys():
            patch.delenv(key)
        for key, value in env.items():
            patch.setenv(key, value)
        for name, builder in SLOW_CASES.items():
            repo = tmp_path_factory.mktemp(name) / 'repo'
            git('init', '-q', '-b', 'main', str(repo))
            module, argv = builder(repo)  # type: ignore[operator]
            runs[name] = subprocess.Popen(
                (sys.executable, '-c', _CHILD.format(module=module, argv=argv)),
                cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, preexec_fn=_limit_memory,
            )
    started = time.monotonic()

    def reap() -> None:
        for proc in runs.values():
            if proc.poll() is None:
                proc.kill()

    reaper = threading.Timer(SLOW_LIMIT, reap)
    reaper.daemon = True
    reaper.start()
    yield runs, started
    reaper.cancel()
    reap()
    for proc in runs.values():
        proc.communicate()


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


def _staged(repo: Path, files: dict[str, str | bytes], licence: bool = True) -> None:
    weights_repo(repo, licence=licence)
    for name, content in files.items():
        write(repo / name, content)
    git('add', '.', cwd=repo)


@slow_case('card-heading-space-run')
def _card_heading(repo):
    _staged(repo, {'README.md': '# a' + ' ' * 4000 + 'b\n\n## Modifications\n\n- pruned\n'})
    return 'check_model_changelog', []


# Found by these tests, fixed since: changelogs._sections matches
# r"^\s*#{1,6}\s+(.*?)\s*#*\s*$", which backtracks cubically on a heading
# with a long run of spaces: "# a" + 4,000 spaces + "b" in README.md takes >
# 2 minutes in check-model-changelog (card_entry_lines)
def test_card_heading_with_a_long_space_run(slow_runs):
    finish(slow_runs, 'card-heading-space-run')


@slow_case('changelog-line-space-run')
def _changelog_line(repo):
    _staged(repo, {'CHANGELOG.md': '1' + ' ' * 20000 + 'x\n'})
    return 'check_model_changelog', []


# Found by these tests, fixed since: changelogs.describes matches
# _VERSION_OR_DATE, whose optional "\s*[-–—:,]?\s*" backtracks quadratically
# or worse: a changelog line "1" + 20,000 spaces + "x" takes ~30 s in
# check-model-changelog
def test_changelog_line_with_a_long_space_run(slow_runs):
    finish(slow_runs, 'changelog-line-space-run')


@slow_case('changelog-diff-repetitive')
def _changelog_diff(repo):
    _staged(repo, {'CHANGELOG.md': ''.join(f'- entry {i % 7}\n' for i in range(3000))})
    git_commit('-m', 'base', cwd=repo)
    write(repo / 'CHANGELOG.md', ''.join(f'- entry {i % 5}\n' for i in range(3000)))
    samples.write_gguf(repo / 'new.gguf')
    git('add', '.', cwd=repo)
    return 'check_model_changelog', []


# Found by these tests, fixed since: changelogs.added_lines runs
# difflib.SequenceMatcher(autojunk=False) over whole changelogs: 3,000 old
# and 3,000 new lines drawn from a few distinct values (12 kB each) take ~35
# s in check-model-changelog
def test_changelog_diff_of_repetitive_lines(slow_runs):
    finish(slow_runs, 'changelog-diff-repetitive')


@slow_case('card-key-space-run')
def _card_key(repo):
    _staged(repo, {'README.md': '---\nlicense: x' + ' ' * 60000 + 'y\n---\n# A\n'})
    return 'check_model_attribution', ['--profile', 'duix-avatar']


# Found by these tests, fixed since: modelcard._KEY
# r"^([A-Za-z_][\w.-]*)\s*:(?:\s+(.*?))?\s*$" (and _scalar's r"\s+#.*$")
# backtrack quadratically: a front matter line "license: x" + 60,000 spaces
# + "y" takes ~30 s in check-model-attribution
def test_card_key_with_a_long_space_run(slow_runs):
    finish(slow_runs, 'card-key-space-run')


@slow_case('card-blank-lines')
def _card_blank(repo):
    _staged(repo, {'README.md': '---\nlicense: other\n---\n' + '\n' * 40000})
    return 'check_model_attribution', ['--profile', 'duix-avatar']


# Found by these tests, fixed since: modelcard.opening counts the non-blank
# lines so far on every line (quadratic): a README.md body of 40,000 blank
# lines (40 kB) takes ~30 s per call, and prominent() calls it twice
def test_card_with_many_blank_lines(slow_runs):
    finish(slow_runs, 'card-blank-lines')


@slow_case('model-index-blank-lines')
def _model_index(repo):
    _staged(repo, {'README.md': (
        '---\nlicense: llama3\nmodel-index:\n' + '\n' * 150000 +
        '  name: x\n---\n# Llama A\n'
    )})
    return 'check_model_attribution', ['--profile', 'llama-3']


# Found by these tests, fixed since: modelcard.model_names searches
# r"^\s*-\s*name:\s*(.+)$" (re.M) in the model-index block; \s spans
# newlines, so a block of 150,000 blank lines is scanned quadratically (~40
# s) under profiles with a name prefix
def test_model_index_with_many_blank_lines(slow_runs):
    finish(slow_runs, 'model-index-blank-lines')


@slow_case('distinct-ignore-globs')
def _globs(repo):
    _staged(repo, {'pyproject.toml': b'[tool.model-license-hooks]\nignore = [' + b''.join(
        b'"p%06d/*", ' % i for i in range(100_000)
    ) + b']\n'})
    return 'check_model_license', []


# Found by these tests, fixed since: settings are not bounded and every glob
# is matched against every path (weights._glob_match, fnmatch compiling each
# pattern, its cache thrashed): a 1.2 MiB pyproject.toml with 100,000
# distinct `ignore` globs makes check-model-license take ~20 s for a 3-file
# commit
def test_many_distinct_ignore_globs(slow_runs):
    finish(slow_runs, 'distinct-ignore-globs')


@slow_case('one-huge-glob')
def _huge_glob(repo):
    _staged(repo, {'pyproject.toml': (
        b'[tool.model-license-hooks]\nignore = ["' + b'a' * (1 << 20) + b'"]\n'
    )})
    return 'check_model_license', []


# Found by these tests, fixed since: options.repo_config bounds the number of
# globs (MAX_SETTING_ITEMS) but not their length: one 1 MiB `ignore` glob in
# pyproject.toml costs ~3 s in every hook run (fnmatch translates and compiles
# it)
def test_one_huge_ignore_glob(slow_runs):
    finish(slow_runs, 'one-huge-glob')


@slow_case('licence-copy-max-size')
def _licence_max(repo):
    words = 'lorem ipsum dolor sit amet consectetur adipiscing elit '
    text = (words * (licenses.MAX_COPY_BYTES // len(words)))[:licenses.MAX_COPY_BYTES]
    _staged(repo, {'LICENSE': text}, licence=False)
    return 'check_model_license', ['--profile', 'duix-avatar']


# Found by these tests, fixed since: licenses.genuine on a licence copy of
# MAX_COPY_BYTES (4 MiB) of text hashes every shingle for the profile, then
# again for each fingerprinted profile in what_licence: ~10 s with --profile
# duix-avatar
def test_licence_copy_of_the_maximum_size(slow_runs):
    finish(slow_runs, 'licence-copy-max-size')


def _pdf_with_page(content: bytes) -> bytes:
    data = zlib.compress(content, 9)
    return _pdf(
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R'
        b' /Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d /Filter /FlateDecode >>\nstream\n' % len(data) + data + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    )


@slow_case('pdf-text-time')
def _pdf_time(repo):
    page = b'BT /F1 12 Tf 72 712 Td (Licence) Tj ET\n' * 40000
    _staged(repo, {'MODEL_LICENSE.pdf': _pdf_with_page(page)}, licence=False)
    return 'check_model_license', ['--profile', 'duix-avatar']


@_bug('licence_text._pdf_text bounds pypdf\'s work only by PDF_SECONDS = 5 s '
      'of wall-clock time per PDF (and 8 MiB per stream): a 5 kB licence PDF '
      'whose one page deflates to 40,000 text operators costs ~4 s of CPU '
      'in check-model-license --profile (20,000: ~2 s; was ~14 s before the '
      'limit), and every PDF candidate up the tree adds its own 5 s')
def test_bug_pdf_text_extraction_time(slow_runs):
    pytest.importorskip('pypdf')
    finish(slow_runs, 'pdf-text-time')


@slow_case('profile-file-dev-zero')
def _dev_zero(repo):
    _staged(repo, {'pyproject.toml': (
        '[tool.model-license-hooks]\nprofile = "duix-avatar"\n'
        'profile-files = ["/dev/zero"]\n'
    )})
    return 'check_model_license', []


@posix_only
# Found by these tests, fixed since: profiles.load_file reads a profile file
# whole, with no size limit and no regular-file check, and `profile-files`
# may come from the staged pyproject.toml: profile-files = ["/dev/zero"]
# reads without end (here: MemoryError and a traceback under a 1 GiB limit)
def test_profile_file_is_a_device(slow_runs):
    assert finish(slow_runs, 'profile-file-dev-zero')[0] == 2


@slow_case('tar-negative-size')
def _tar_hook(repo):
    _staged(repo, {'data.tar': tar_header(b'model.safetensors', b'-1000') + bytes(1024)})
    return 'check_model_license', []


# Found by these tests, fixed since: licence_text._pdf_text lets pypdf
# inflate a content stream to its 75 MB limit: a 59 kB PDF of deflated
# spaces peaks at ~128 MiB
def test_pdf_text_extraction_memory():
    pytest.importorskip('pypdf')
    pdf = _pdf_with_page(b' ' * 60_000_000)
    with bounded(memory=MEMORY, seconds=5):
        licence_text.text_of('LICENSE.pdf', pdf)


# --- open bugs ----------------------------------------------------------------

BIG = 4 * 1024 * 1024 + 1  # one byte over what the hooks read whole


# Found by these tests, fixed since: check_model_changelog._lines gets b""
# from BlobReader.read_whole for a changelog over 4 MiB, and
# changelogs.read_text returns "no lines" for empty data before it looks at
# the size: the documented "it is larger than 4 MiB" is never said; the
# message is "the lines added ... describe nothing"
def test_changelog_over_the_size_limit(temp_git_dir, capsys):
    weights_repo(temp_git_dir)
    line = '- Fine-tuned the model on more clips of speech.\n'
    write(temp_git_dir / 'CHANGELOG.md', line * (BIG // len(line) + 1))
    add('.')
    code, out, _ = run_hook(check_model_changelog.main, [], capsys)
    assert code == 1 and 'larger than 4 MiB' in out


# Found by these tests, fixed since: LicenseIndex._reuse_annotations parses
# b"" when REUSE.toml is over 4 MiB (read_whole returns nothing past its
# limit): the annotations are silently ignored and the folder search passes
# the weights, while the same file at 3 MiB is an error (exit 2) and at 1 kB
# fails (exit 1)
def test_reuse_toml_over_the_size_limit(temp_git_dir, capsys):
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'REUSE.toml', (
        'version = 1\n[[annotations]]\npath = "*.safetensors"\n'
        'SPDX-License-Identifier = "GPL-3.0-only"\n' + '#' * BIG + '\n'
    ))
    add('.')
    assert run_hook(check_model_license.main, [], capsys)[0] != 0


# Found by these tests, fixed since: check_model_attribution.card_text gets
# b"" from read_whole for a model card over MAX_CARD_BYTES (4 MiB) and parses
# an empty card: nothing is inferred and check-model-attribution passes (exit
# 0) a card that fails (exit 1) at normal size; check-model-license infers no
# profile either
def test_model_card_over_the_size_limit(temp_git_dir, capsys):
    weights_repo(temp_git_dir)
    front = (
        '---\nlicense: other\nlicense_name: duix-avatar-model-community-license\n'
        '---\n# My model\n\nNo attribution here.\n'
    )
    write(temp_git_dir / 'README.md', front)
    add('.')
    assert run_hook(check_model_attribution.main, [], capsys)[0] == 1
    write(temp_git_dir / 'README.md', front + 'Usage notes.\n' * (BIG // 13 + 1))
    add('.')
    code, out, err = run_hook(check_model_attribution.main, [], capsys)
    assert code == 2  # fails closed, with a message
    assert 'README.md: larger than 4 MiB' in err


@posix_only
# Found by these tests, fixed since: disk.DiskReader.read_whole
# (model-license-hooks check on a plain folder) opens the file with a blocking
# open() that follows symlinks: a README.md or CHANGELOG.md that is a symlink
# to a FIFO hangs the audit (a symlink to /dev/zero reads 4 MiB of zeros)
@pytest.mark.parametrize('name', ('README.md', 'CHANGELOG.md'))
def test_disk_check_symlink_to_a_fifo(tmp_path, capsys, name):
    samples.write_safetensors(tmp_path / 'snap' / 'model.safetensors')
    os.mkfifo(tmp_path / 'snap' / 'pipe')
    os.symlink('pipe', tmp_path / 'snap' / name)
    with deadline(1.5):
        code = cli.main(['check', str(tmp_path / 'snap'), '--profile', 'duix-avatar'])
    assert code in (1, 2)


# Found by these tests, fixed since: licence_text.normalise drops white
# space and format characters after NFKC, so marks they separated meet and
# compose (or reorder) on a second pass: normalise("e \u0301") is "e\u0301"
# but normalising that gives "\xe9"; likewise "\xb4\xb8"
@settings(max_examples=300, deadline=None)
@given(st.text())
@example('e \u0301')
@example('\xb4\xb8')
def test_normalise_is_idempotent(text):
    once = licence_text.normalise(text)
    assert licence_text.normalise(once) == once


# Found by these tests, fixed since: licenses.spdx_ids keeps an empty id
# when a token is only "+": spdx_ids(["MIT OR +"]) == ["MIT", ""], and the
# hook then reports "it names , but LICENSES/.txt is not in the commit"
@pytest.mark.parametrize('expression', ('+', 'MIT OR +', '( + )'))
def test_spdx_ids_no_empty_id(expression):
    assert '' not in licenses.spdx_ids([expression])


# Found by these tests, fixed since: sniff.decompress_prefix caps liblzma at
# LZMA_MEMLIMIT = 64 MiB, but xz -9 (and -9e) streams use a 64 MiB dictionary
# and need ~65 MiB to decode: a weights tarball compressed with xz -9 is no
# longer looked into, and is "binary content with no weight signature" (not
# weights)
def test_xz_preset_9_tarball_of_weights(tmp_path):
    weights = samples.write_safetensors(tmp_path / 'model.safetensors')
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as tar:
        tar.add(weights, 'model.safetensors')
    path = write(tmp_path / 'weights.tar.xz', lzma.compress(buf.getvalue(), preset=9))
    verdict = classify_file(path, memory=256 << 20)
    assert verdict.weights and verdict.format == 'tar-with-weights'


# Found by these tests, fixed since: licence_text._time_limit sets ITIMER_REAL
# for a PDF read and then sets it to 0: a timer the caller had running (an
# alarm of its own, a test harness deadline) is silently cancelled
def test_pdf_time_limit_cancels_the_callers_timer():
    pytest.importorskip('pypdf')
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        licence_text.text_of('LICENSE.pdf', _pdf_with_page(b'BT (Licence) Tj ET'))
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert remaining > 0
