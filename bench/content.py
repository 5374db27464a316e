"""What the synthetic repositories' files hold: text, images, configs, weights."""
from __future__ import annotations

import hashlib
import json
import os
import random
import statistics
import struct
import zlib
from typing import NamedTuple

from common import REPO_ROOT

# The model cards name the licence whose copy is the repository's LICENSE:
# this project's own (MIT), read at run time so that no licence text is kept
# in the benchmark itself.
CARD_FRONT_MATTER = '---\nlicense: mit\nlibrary_name: bench\n---\n\n'
CHANGELOG = """# Changelog

## [Unreleased]

### Added

- Model weights for every model under models/, converted from the upstream
  checkpoints to safetensors.
- Small safetensors fixtures for the tests.
"""
CHANGELOG_ENTRY = '- Refreshed the tensor values of {name} for the tests.\n'
GITATTRIBUTES = '*.safetensors filter=lfs diff=lfs merge=lfs -text\n'
# Tiny test fixtures are kept in git itself, not in LFS.
FIXTURE_GITATTRIBUTES = '*.safetensors !filter !diff !merge\n'

WORDS = (
    'model weights licence tensor layer config token batch shard index '
    'commit stage repository folder checkpoint format header sample value '
    'option record parser reader writer buffer stream offset length'
).split()
POOL_SIZE = 3000


def licence_copy() -> bytes:
    """The project's LICENSE (MIT), for the synthetic repositories' LICENSE."""
    path = os.path.join(REPO_ROOT, 'LICENSE')
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as exc:
        raise SystemExit(f'{path}: {exc.strerror}: the benchmark copies it')
    # check-model-license takes fewer than 100 characters for a reference to
    # a licence, not a copy of one.
    if len(b''.join(data.split())) < 100:
        raise SystemExit(f'{path}: too short for a licence copy')
    return data


def _words(rng: random.Random, n: int) -> str:
    return ' '.join(rng.choices(WORDS, k=n))


class Pools(NamedTuple):
    """Pieces of text drawn from to make files quickly (100,000 of them)."""
    functions: list[str]
    function_len: float
    paragraphs: list[str]
    paragraph_len: float
    settings: list[str]


def make_pools(rng: random.Random) -> Pools:
    functions = [
        f'\n\ndef {rng.choice(WORDS)}_{k}(value: int, name: str) -> int:\n'
        f'    """{_words(rng, 8).capitalize()}."""\n'
        f'    if value > {rng.randrange(1000)}:\n'
        f'        return value * {rng.randrange(1, 97)} + len(name)\n'
        f'    return {rng.randrange(10_000)} - value\n'
        for k in range(POOL_SIZE)
    ]
    paragraphs = [
        f'## {_words(rng, 3).capitalize()}\n\n'
        f'{_words(rng, 40).capitalize()}.\n\n'
        f'- {_words(rng, 6)}\n- {_words(rng, 5)}\n\n'
        for _ in range(POOL_SIZE)
    ]
    settings = [
        f'"{rng.choice(WORDS)}_{k}": ' + json.dumps(rng.choice((
            rng.randrange(10_000), rng.random(), _words(rng, 3), True,
        )))
        for k in range(POOL_SIZE)
    ]
    return Pools(
        functions, statistics.mean(map(len, functions)),
        paragraphs, statistics.mean(map(len, paragraphs)), settings,
    )


def python_source(rng: random.Random, pools: Pools, i: int, target: int) -> bytes:
    head = (
        f'"""Module {i}: {_words(rng, 6)}."""\n'
        'from __future__ import annotations\n\nimport os\nimport sys\n'
    )
    n = max(1, round((target - len(head)) / pools.function_len))
    return (head + ''.join(rng.choices(pools.functions, k=n))).encode()


def markdown(rng: random.Random, pools: Pools, i: int, target: int) -> bytes:
    head = f'# Page {i}: {_words(rng, 4)}\n\n'
    n = max(1, round((target - len(head)) / pools.paragraph_len))
    return (head + ''.join(rng.choices(pools.paragraphs, k=n))).encode()


def png(rng: random.Random, width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', crc)

    stride = width * 3
    pixels = rng.randbytes(stride * height)
    rows = b''.join(
        b'\x00' + pixels[r * stride:(r + 1) * stride] for r in range(height)
    )
    ihdr = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return (
        b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
        chunk(b'IDAT', zlib.compress(rows, 1)) + chunk(b'IEND', b'')
    )


def json_config(rng: random.Random, pools: Pools, i: int, keys: int) -> bytes:
    settings = ',\n    '.join(rng.sample(pools.settings, keys))
    return (
        f'{{\n  "name": "config-{i}",\n  "version": {rng.randrange(1, 20)},\n'
        f'  "settings": {{\n    {settings}\n  }}\n}}\n'
    ).encode()


def model_config(i: int, shards: int) -> bytes:
    data = {
        'architectures': ['BenchForCausalLM'], 'model_type': 'bench',
        'hidden_size': 4096, 'num_hidden_layers': 32 + i % 8,
        'torch_dtype': 'float32', 'shards': shards,
    }
    return (json.dumps(data, indent=2) + '\n').encode()


def safetensors_header(count: int) -> bytes:
    """u64 LE length + JSON header for one F32 tensor of `count` values."""
    header = json.dumps(
        {'w': {'dtype': 'F32', 'shape': [count], 'data_offsets': [0, 4 * count]}},
        separators=(',', ':'),
    ).encode()
    header += b' ' * (-len(header) % 8)
    return struct.pack('<Q', len(header)) + header


def small_safetensors(rng: random.Random, count: int) -> bytes:
    values = struct.pack(f'<{count}f', *(rng.uniform(-1, 1) for _ in range(count)))
    return safetensors_header(count) + values


def write_sparse_weights(path: str, data_bytes: int) -> int:
    """A valid safetensors header, then a hole: nothing but the header is written."""
    header = safetensors_header(data_bytes // 4)
    with open(path, 'wb') as f:
        f.write(header)
    size = len(header) + data_bytes
    os.truncate(path, size)
    return size


def lfs_pointer(path: str, size: int) -> bytes:
    # Well-formed but fake: derived from the path, the file is never hashed.
    oid = hashlib.sha256(f'bench-lfs:{path}:{size}'.encode()).hexdigest()
    return (
        f'version https://git-lfs.github.com/spec/v1\n'
        f'oid sha256:{oid}\nsize {size}\n'
    ).encode()
