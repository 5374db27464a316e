"""Hostile bytes in the heads the licence-metadata readers walk: no
exception, bounded time, and only strings come back."""
from __future__ import annotations

import struct
import time

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from model_license_hooks.tree.sample import sample_bytes
from model_license_hooks.weights.metadata import licence_metadata

PREFIXES = (
    b'GGUF\x03\x00\x00\x00' + struct.pack('<QQ', 0, 2 ** 62),
    b'GGUF\x00\x00\x00\x02' + struct.pack('>QQ', 1, 5),
    struct.pack('<Q', 2 ** 40) + b'{"__metadata__":',
    b'\x08\x07\x12\x04test\x3a',
    b'\x72',  # ONNX field 14
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PREFIXES), st.binary(max_size=2048))
def test_hostile_heads(prefix, tail):
    for fmt in ('gguf', 'safetensors', 'onnx'):
        found = licence_metadata(fmt, sample_bytes(prefix + tail))
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in found)


def test_a_gguf_array_of_empty_strings_claiming_2_60_items_is_quick():
    key = b'tokenizer.ggml.tokens'
    data = (b'GGUF\x03\x00\x00\x00' + struct.pack('<QQ', 0, 1) +
            struct.pack('<Q', len(key)) + key + struct.pack('<IIQ', 9, 8, 2 ** 60) +
            b'\x00' * 32_000)
    start = time.monotonic()
    assert licence_metadata('gguf', sample_bytes(data)) == ()
    assert time.monotonic() - start < 1


def test_deeply_nested_safetensors_metadata():
    header = b'{"__metadata__":' + b'[' * 30_000
    data = struct.pack('<Q', len(header)) + header
    assert licence_metadata('safetensors', sample_bytes(data)) == ()
