from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from model_license_hooks.tree.sample import Sample
from model_license_hooks.weights import headers


def _sample(data: bytes, size: int | None = None) -> Sample:
    return Sample(len(data) if size is None else size, data, b'', {})


@given(st.integers(min_value=0, max_value=2 ** 64 - 1))
def test_safetensors_header_length_is_checked(length):
    head = struct.pack('<Q', length) + b'{"a":{}}'
    found = headers.safetensors(_sample(head, 1 << 20))
    assert found is None or 2 <= length <= (1 << 20) - 8


def test_lfs_pointer_rules():
    good = (
        b'version https://git-lfs.github.com/spec/v1\n'
        b'oid sha256:' + b'0' * 64 + b'\nsize 12\n'
    )
    assert headers.lfs_pointer(_sample(good)) == headers.LfsPointer('0' * 64, 12)
    assert headers.lfs_pointer(_sample(good.upper())) is None
    assert headers.lfs_pointer(_sample(good + b'x')) is None
    assert headers.lfs_pointer(_sample(good, 5000)) is None
