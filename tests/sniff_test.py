from __future__ import annotations

import os
import struct
import time

import pytest

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from hooks import sniff
from hooks.gitview import Sample
from hooks.weights import classify
from tests import samples


def _sample(data: bytes, size: int | None = None) -> Sample:
    return Sample(len(data) if size is None else size, data, b'', {})


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=2048),
    st.sampled_from(
        ('blob', 'model.bin', 'm.safetensors', 'x.pkl', 'a.index', 'm.mlmodel'),
    ),
)
def test_classify_survives_any_bytes(data, name):
    verdict = classify(name, _sample(data))
    assert verdict.path == name


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_prefixed_magics_survive_any_tail(data):
    for prefix in (b'PK\x03\x04', b'\x80\x04\x95', b'\x1f\x8b', b'GGUF', b'\x08\x07'):
        classify('blob', _sample(prefix + data))


@given(st.integers(min_value=0, max_value=2 ** 64 - 1))
def test_safetensors_header_length_is_checked(length):
    head = struct.pack('<Q', length) + b'{"a":{}}'
    found = sniff.safetensors(_sample(head, 1 << 20))
    assert found is None or 2 <= length <= (1 << 20) - 8


def test_zip_claiming_billions_of_entries():
    end = b'PK\x05\x06' + struct.pack('<HHHHIIH', 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFF0, 0, 0)
    assert classify('x.zip', _sample(end)).weights is False


def test_pickle_is_never_loaded(tmp_path):
    marker = tmp_path / 'marker'
    # GLOBAL os system, the argument, REDUCE: would run a command if loaded.
    payload = (
        b'cos\nsystem\n(V' + f'touch {marker}'.encode() + b'\ntR.'
    )
    for name in ('model.pkl', 'pytorch_model.bin', 'blob'):
        classify(name, _sample(payload))
    assert not os.path.exists(marker)


def test_lfs_pointer_rules():
    good = (
        b'version https://git-lfs.github.com/spec/v1\n'
        b'oid sha256:' + b'0' * 64 + b'\nsize 12\n'
    )
    assert sniff.lfs_pointer(_sample(good)) == sniff.LfsPointer('0' * 64, 12)
    assert sniff.lfs_pointer(_sample(good.upper())) is None
    assert sniff.lfs_pointer(_sample(good + b'x')) is None
    assert sniff.lfs_pointer(_sample(good, 5000)) is None


def test_decompression_is_bounded():
    import zlib
    bomb = zlib.compress(b'\0' * (50 * 1024 * 1024))
    found = sniff.decompress_prefix(bomb[:32768])
    assert found is not None
    assert len(found[1]) <= 64 * 1024


@pytest.mark.parametrize('kind', sorted(samples.WEIGHT_WRITERS))
def test_truncated_files_of_every_format(tmp_path, kind):
    path = samples.WEIGHT_WRITERS[kind](tmp_path / samples.FILE_NAMES[kind])
    data = path.read_bytes()
    for cut in sorted({0, 1, 7, 8, 9, 16, 31, 64, len(data) // 2, len(data) - 1}):
        if 0 <= cut < len(data):
            start = time.monotonic()
            verdict = classify(path.name, _sample(data[:cut]))
            assert time.monotonic() - start < 1
            assert verdict.path == path.name
