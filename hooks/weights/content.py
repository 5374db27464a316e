"""What a file's content proves: the sniffers, in order, each a parser of
one family of formats.  The first that recognises the content decides."""
from __future__ import annotations

from collections.abc import Callable
from collections.abc import Collection
from typing import NamedTuple

from ..errors import ParserBug
from ..text import is_text
from ..tree.blob import Blob
from ..tree.blob import BudgetSpent
from ..tree.blob import BytesBlob
from ..tree.sample import Sample
from ..tree.sample import small_sample
from . import archives
from . import flatbuffers
from . import headers
from . import models
from . import ordinary
from . import pickles
from . import protobuf
from . import signatures
from . import streams
from .evidence import Evidence
from .names import is_pickle_name
from .names import name_format

Opener = Callable[[], 'Blob | None']


class Content(NamedTuple):
    """A file's content as the sniffers see it."""
    name: str  # the file name (archives: the member's)
    sample: Sample
    open: Opener = lambda: None  # random access, for archives
    depth: int = 0  # how deep inside archives
    siblings: Collection[str] = ()  # the names of the files beside it

    def blob(self) -> Blob | None:
        if self.sample.whole:
            return BytesBlob(self.sample.head)
        return self.open()

    def prefix(self, limit: int = signatures.WALK_BYTES) -> bytes:
        """The first `limit` bytes (the whole file when it is no longer);
        the head alone when no more is at hand."""
        if self.sample.whole or limit <= len(self.sample.head):
            return self.sample.head[:limit]
        blob = self.open()
        if blob is None:
            return self.sample.head
        try:
            return blob.read(0, limit)
        except BudgetSpent:
            return self.sample.head

    def whole(self) -> bytes | None:
        """All the bytes of a file no longer than WALK_BYTES."""
        if self.sample.size > signatures.WALK_BYTES:
            return None
        data = self.prefix()
        return data if len(data) == self.sample.size else None


def _fixed_magic(c: Content) -> Evidence | None:
    m = headers.weight_magic(c.sample.head)
    if m is not None:
        return _walked(c, m.format) or Evidence(m.format, m.what, True)
    m = headers.model_magic(c.sample.head)
    return None if m is None else Evidence(m.format, m.what, False, model=True)


def _walked(c: Content, fmt: str) -> Evidence | None:
    """A small model file that, walked whole, holds no weights: a TFLite
    graph with no constant tensor, a whisper.cpp GGML vocabulary."""
    if fmt == 'tflite':
        data = c.whole()
        if data is not None and not flatbuffers.tflite_has_weights(data):
            return Evidence('tflite', 'TFLite graph with no constant tensors', False, model=True)
    if fmt == 'ggml' and c.sample.head[:4] == b'lmgg':
        data = c.whole()
        if data is not None and models.whisper_ggml_without_tensors(data, c.sample.size):
            return Evidence(
                'ggml', 'GGML (whisper.cpp) hyperparameters and vocabulary, no tensors',
                False, model=True,
            )
    return None


def _member_is_weights(name: str, head: bytes, size: int, depth: int) -> bool:
    if head == signatures.WEIGHTS_INSIDE:
        return True
    found = sniff(Content(name, Sample(size, head, b'', {}), depth=depth))
    return found is not None and found.weights


def _archive(kind: str, members: archives.Members, how: str = '') -> Evidence:
    """What an archive's members say; `how` it is compressed, if it is."""
    label = f'{how}-compressed {kind}' if how else kind
    if members.layout is not None:
        shown = next((n for n in members.names if not n.endswith('/')), '')
        layout = members.layout
        return Evidence(layout, f'{label} layout of {layout} ({shown!r}, ...)', True)
    if members.weights:
        hits = members.weights
        shown = ', '.join(hits[:3]) + (f' and {len(hits) - 3} more' if len(hits) > 3 else '')
        return Evidence(f'{kind}-with-weights', f'{label} archive holding weights: {shown}', True)
    if members.uninspected:
        return Evidence(
            kind, f'{label} archive, {members.uninspected}', True,
            uninspected=members.uninspected,
        )
    count = len(members.names)
    return Evidence(kind, f'{label} archive without weights ({count} members)', False)


def _uninspected(kind: str, why: str) -> Evidence:
    return Evidence(kind, f'{kind} archive, not fully inspected: {why}', True, uninspected=why)


def _zip(c: Content) -> Evidence | None:
    if not headers.is_zip(c.sample):
        return None
    blob = c.blob()
    if blob is None:
        return _uninspected('zip', 'its content is not at hand')
    return _archive('zip', archives.list_zip(blob, _member_is_weights, c.depth))


def _tar(c: Content) -> Evidence | None:
    if not archives.is_tar_header(c.sample.head[:512]):
        return None
    blob = c.blob()
    if blob is None:
        return _uninspected('tar', 'its content is not at hand')
    return _archive('tar', archives.list_tar(blob, _member_is_weights, 'r:', c.depth))


def _compressed(c: Content) -> Evidence | None:
    found = streams.decompress_prefix(c.sample.head)
    if found is None:
        return None
    what, data = found
    if archives.is_tar_header(data[:512]) and what in streams.TAR_COMPRESSORS:
        blob = c.blob()
        if blob is None:
            return _uninspected(f'tar.{what}', 'its content is not at hand')
        members = archives.list_compressed_tar(blob, what, _member_is_weights, c.depth)
        return _archive('tar', members, what)
    if c.depth > 0:
        return None
    inner = sniff(Content(c.name, Sample(max(len(data), c.sample.size), data, b'', {}), depth=1))
    if inner is not None and inner.weights:
        return inner._replace(evidence=f'{what}-compressed {inner.evidence}')
    return Evidence(what, f'{what} stream without weights', False)


def _safetensors(c: Content) -> Evidence | None:
    return headers.safetensors(c.sample)


def _tensorrt(c: Content) -> Evidence | None:
    return headers.tensorrt_with_metadata(c.sample)


def _gguf(c: Content) -> Evidence | None:
    return headers.gguf(c.sample)


def _hdf5(c: Content) -> Evidence | None:
    found = headers.hdf5(c.sample)
    if found is None:
        return None
    offset, keras = found
    where = f' after a {offset}-byte user block' if offset else ''
    if keras:
        return Evidence('keras-h5', f'HDF5{where} with Keras markers', True)
    if signatures.MODEL_LIKE_NAMES.search(c.name.lower()):
        return Evidence('hdf5', f'HDF5{where} named like a model', True)
    return Evidence('hdf5', f'HDF5 data{where} without Keras markers', False)


def _pickle(c: Content) -> Evidence | None:
    head = c.sample.head
    if not pickles.looks_like_pickle(head):
        return None
    found = pickles.pickle_evidence(head)
    if c.sample.whole or (found is not None and found.weights):
        return found
    # No model class in the head: scan further (opcodes only, never loaded).
    more = c.prefix()
    found = pickles.pickle_evidence(more) or found
    if (found is not None and found.weights) or len(more) >= c.sample.size:
        return found
    if not is_pickle_name(c.name):
        return found
    window = signatures.WALK_BYTES // (1 << 20)
    return Evidence(
        'pickle', f'pickle with no model class in its first {window} MiB', True,
        uninspected=f'pickle opcodes past {window} MiB not read',
    )


def _onnx(c: Content) -> Evidence | None:
    found = protobuf.onnx(c.sample.head)
    if found is not None and found.weights and not c.sample.whole:
        data = c.whole()  # a small graph past the head: walked whole
        if data is not None:
            found = protobuf.onnx(data) or found
    return found


def _tensorflow(c: Content) -> Evidence | None:
    if not protobuf.tensorflow_name(c.name):
        return None
    return protobuf.tensorflow(c.name, c.sample.head if c.sample.whole else c.prefix())


def _by_extension(c: Content) -> Evidence | None:
    lowered = c.name.lower()
    if lowered.endswith('.mlmodel'):
        return headers.coreml(c.sample)
    if lowered.endswith('.index') and headers.tf_index(c.sample):
        # The names and offsets of a checkpoint's tensors, not their values.
        return Evidence(
            'tf-checkpoint-index', 'tensor bundle index (table magic at the end)', False,
            model=True,
        )
    if lowered.endswith('.msgpack') and headers.msgpack_map(c.sample):
        return Evidence('flax-msgpack', 'msgpack map', True)
    return headers.text_model(c.name, c.sample)


def _models(c: Content) -> Evidence | None:
    head = c.sample.head
    if head.startswith(signatures.NUMPY_MAGIC):
        more = head if c.sample.whole else c.prefix()
        return models.numpy_array(c.name, head, more, c.siblings)
    return (
        models.tesseract(head, c.sample.size) or models.dlib(head) or
        models.tfjs_manifest(c.name, head)
    )


def _opaque(c: Content) -> Evidence | None:
    """Archives whose listing is not read here (7z, RAR), and zstd streams
    where no zstd decoder is installed: not fully inspected."""
    m = headers.opaque_magic(c.sample.head)
    if m is not None:
        return _uninspected(m.format, f'{m.what} listings are not read')
    if not c.sample.head.startswith(signatures.ZSTD_MAGIC):
        return None
    decoded = streams.zstd_prefix(c.sample.head)
    if decoded is None:
        return _uninspected('zstd', 'no zstd decoder (pip install zstandard)')
    if archives.is_tar_header(decoded[:512]):
        blob = c.blob()
        if blob is None:
            return _uninspected('tar.zst', 'its content is not at hand')
        members = archives.list_compressed_tar(blob, 'zstd', _member_is_weights, c.depth)
        return _archive('tar', members, 'zstd')
    size = max(len(decoded), c.sample.size)
    inner = sniff(Content(c.name, Sample(size, decoded, b'', {}), depth=1))
    if inner is not None and inner.weights:
        return inner._replace(evidence=f'zstd-compressed {inner.evidence}')
    return Evidence('zstd', 'zstd stream without weights', False)


def _other(c: Content) -> Evidence | None:
    """Ordinary files, known by their magic.  A weight name over such a
    magic counts as weights unless the content is a valid file of it."""
    m = headers.other_magic(c.sample.head)
    if m is None:
        return None
    by_name = name_format(c.name)
    if by_name is not None and not ordinary.valid(m.format, c.sample):
        return Evidence(
            by_name[0], f'{by_name[1]}; the content starts like a {m.what} but is not one',
            True,
        )
    return Evidence(m.format, m.what, False)


Sniffer = Callable[[Content], 'Evidence | None']
# In order: the first that recognises the content decides.
SNIFFERS: tuple[Sniffer, ...] = (
    _fixed_magic, _gguf, _safetensors, _tensorrt, _zip, _hdf5, _tar, _compressed, _opaque,
    _pickle, _onnx, _tensorflow, _models, _by_extension, _other,
)
# A file that is text from its first byte to its last can only be in one of
# the text formats (ncnn params, protocol-0 pickles, JSON indexes, XML):
# most files in a repository are, so the binary parsers are skipped.
TEXT_SNIFFERS: tuple[Sniffer, ...] = (_fixed_magic, _pickle, _models, _by_extension, _other)


def sniff(c: Content) -> Evidence | None:
    """What the content proves, if anything.  Raises ParserBug."""
    all_text = c.sample.whole and is_text(c.sample.head)
    for sniffer in TEXT_SNIFFERS if all_text else SNIFFERS:
        try:
            found = sniffer(c)
        except ParserBug:
            raise  # an archive member's parser, already named
        except Exception as exc:  # a bug in a parser: never a verdict
            raise ParserBug(c.name, sniffer.__name__.strip('_'), exc) from exc
        if found is not None:
            return found
    return None


def sniff_bytes(name: str, data: bytes) -> Evidence | None:
    """What whole content proves (tests, archive members)."""
    return sniff(Content(name, small_sample(data)))
