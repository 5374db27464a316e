"""Model formats without a magic of their own, recognised by their
structure: NumPy arrays, Tesseract traineddata, dlib networks, TF.js
weight manifests, and whisper.cpp GGML files that hold no tensors.

Each reader takes the file's first bytes (and its size); nothing is
loaded, unpickled or imported.
"""
from __future__ import annotations

import re
import struct
from collections.abc import Collection

from . import pickles
from . import signatures
from .evidence import Evidence
from .names import name_format

_NPY_DESCR = re.compile(rb"""['"]descr['"]\s*:\s*['"]([^'"]{1,32})['"]""")
_NPY_SHAPE = re.compile(rb"""['"]shape['"]\s*:\s*\(([0-9,\s]*)\)""")


def numpy_array(
        name: str, head: bytes, more: bytes, siblings: Collection[str],
) -> Evidence | None:
    """A `.npy` array (NumPy's format: magic, version, header length, a
    dict literal).  An object array is a pickle: its model classes decide.
    A numeric array is weights under a model-like name, or beside weights;
    else data.  `more` is up to WALK_BYTES of the file, for the pickle."""
    if not head.startswith(signatures.NUMPY_MAGIC) or len(head) < 10:
        return None
    major = head[6]
    if major == 1:
        (length,) = struct.unpack('<H', head[8:10])
        start = 10
    elif major in (2, 3) and len(head) >= 12:
        (length,) = struct.unpack('<I', head[8:12])
        start = 12
    else:
        return None
    header = head[start:start + min(length, 4096)]
    descr = _NPY_DESCR.search(header)
    if descr is None:
        return None
    kind = descr[1].decode('ascii', 'replace')
    if kind.lstrip('|<>=') == 'O':
        found = pickles.pickle_evidence(more[start + length:], 'NumPy object array: a pickle')
        if found is not None and found.weights:
            return found._replace(format='numpy')
        return Evidence('numpy', 'NumPy object array of plain data', False)
    shape = _NPY_SHAPE.search(header)
    dims = shape[1].decode() if shape else '?'
    what = f'NumPy array ({kind}, shape ({dims}))'
    if signatures.MODEL_LIKE_NAMES.search(name.lower()):
        return Evidence('numpy', f'{what} named like a model', True)
    beside = next((s for s in siblings if s != name and name_format(s) is not None), None)
    if beside is not None:
        return Evidence('numpy', f'{what} beside weights ({beside})', True)
    return Evidence('numpy', f'{what}: data, not named like weights', False)


def tesseract(head: bytes, size: int) -> Evidence | None:
    """A Tesseract traineddata: its table of entry offsets is consistent
    (absent, or ascending inside the file, the first right after it)."""
    if len(head) < 12:
        return None
    (count,) = struct.unpack('<i', head[:4])
    if not 1 <= count <= signatures.TESSERACT_MAX_ENTRIES or len(head) < 4 + 8 * count:
        return None
    offsets = struct.unpack(f'<{count}q', head[4:4 + 8 * count])
    present = [o for o in offsets if o != -1]
    if not present or present[0] != 4 + 8 * count or present != sorted(set(present)):
        return None
    if any(o < 0 or o > size for o in present):
        return None
    learned = [
        what for index, what in signatures.TESSERACT_LEARNED.items()
        if index < count and offsets[index] != -1
    ]
    if learned:
        return Evidence('tesseract', f'Tesseract traineddata with {", ".join(learned)}', True)
    return Evidence(
        'tesseract', 'Tesseract language data (no LSTM network or templates)', False,
        model=True,
    )


def _dlib_int(data: bytes, pos: int) -> tuple[int, int]:
    """dlib's serialised integer: a control byte (its low bits: how many
    little-endian bytes follow), then those bytes."""
    if pos >= len(data):
        raise ValueError('truncated')
    width = data[pos] & 0x0F
    if width > 8 or pos + 1 + width > len(data):
        raise ValueError('not a dlib integer')
    return int.from_bytes(data[pos + 1:pos + 1 + width], 'little'), pos + 1 + width


def dlib(head: bytes) -> Evidence | None:
    """A dlib network (`serialize(net, out)`): a version, then the name of
    its loss layer as a string (length, characters)."""
    try:
        _, pos = _dlib_int(head, 0)
        length, pos = _dlib_int(head, pos)
    except ValueError:
        return None
    layer = head[pos:pos + length]
    if not 6 <= length <= 64 or not re.fullmatch(rb'loss_[a-z0-9_]+', layer):
        return None
    return Evidence('dlib', f'dlib network ({layer.decode()} layer first)', True)


_TFJS_MANIFEST = re.compile(rb'\A\s*\[\s*\{\s*"(paths|weights)"\s*:')


def tfjs_manifest(name: str, head: bytes) -> Evidence | None:
    """A TF.js weights manifest: a JSON list of groups, each with the
    shard `paths` and the `weights` they hold (the shards are weights)."""
    if not name.lower().endswith('.json') or not _TFJS_MANIFEST.match(head):
        return None
    if b'"paths"' not in head or b'"weights"' not in head:
        return None
    return Evidence('tfjs-manifest', 'TF.js weights manifest (the shards hold the weights)',
                    False, model=True)


def whisper_ggml_without_tensors(data: bytes, size: int) -> bool:
    """A whisper.cpp GGML file that ends right after its vocabulary: magic,
    11 int32 hyperparameters, the mel filters, the tokens, and no tensor
    (test and vocabulary-only files).  `data` must be the whole file."""
    if len(data) != size or len(data) < 56:
        return False
    pos = 4 + 11 * 4
    try:
        mels, fft = struct.unpack_from('<2i', data, pos)
        if not 0 < mels <= 512 or not 0 < fft <= 4096:
            return False
        pos += 8 + 4 * mels * fft
        (tokens,) = struct.unpack_from('<i', data, pos)
        pos += 4
        if not 0 < tokens <= len(data):
            return False
        for _ in range(tokens):
            (length,) = struct.unpack_from('<I', data, pos)
            pos += 4 + length
    except struct.error:
        return False
    return pos == len(data)
