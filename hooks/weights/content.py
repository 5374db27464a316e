"""What a file's content proves: the sniffers, in order, each a parser of
one family of formats.  The first that recognises the content decides."""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..errors import ParserBug
from ..text import is_text
from ..tree.blob import Blob
from ..tree.blob import BytesBlob
from ..tree.sample import Sample
from ..tree.sample import small_sample
from . import archives
from . import headers
from . import models
from . import pickles
from . import protobuf
from . import signatures
from .evidence import Evidence

Opener = Callable[[], 'Blob | None']


class Content(NamedTuple):
    """A file's content as the sniffers see it."""
    name: str  # the file name (archives: the member's)
    sample: Sample
    open: Opener = lambda: None  # random access, for archives
    depth: int = 0  # how deep inside archives

    def blob(self) -> Blob | None:
        if self.sample.whole:
            return BytesBlob(self.sample.head)
        return self.open()


def _fixed_magic(c: Content) -> Evidence | None:
    m = headers.weight_magic(c.sample.head)
    return None if m is None else Evidence(m.format, m.what, True)


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
    found = archives.decompress_prefix(c.sample.head)
    if found is None:
        return None
    what, data = found
    if archives.is_tar_header(data[:512]) and what in archives.TAR_STREAMS:
        blob = c.blob()
        if blob is None:
            return _uninspected(f'tar.{what}', 'its content is not at hand')
        members = archives.list_tar(blob, _member_is_weights, archives.TAR_STREAMS[what], c.depth)
        return _archive('tar', members, what)
    if c.depth > 0:
        return None
    inner = sniff(Content(c.name, Sample(max(len(data), c.sample.size), data, b'', {}), depth=1))
    if inner is not None and inner.weights:
        return inner._replace(evidence=f'{what}-compressed {inner.evidence}')
    return Evidence(what, f'{what} stream without weights', False)


def _safetensors(c: Content) -> Evidence | None:
    return headers.safetensors(c.sample)


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
    if signatures.HDF5_MODEL_NAMES.search(c.name.lower()):
        return Evidence('hdf5', f'HDF5{where} named like a model', True)
    return Evidence('hdf5', f'HDF5 data{where} without Keras markers', False)


def _pickle(c: Content) -> Evidence | None:
    return pickles.pickle_evidence(c.sample.head)


def _onnx(c: Content) -> Evidence | None:
    return protobuf.onnx(c.sample)


def _by_extension(c: Content) -> Evidence | None:
    lowered = c.name.lower()
    if lowered.endswith('.mlmodel'):
        return headers.coreml(c.sample)
    if lowered.endswith('.index') and headers.tf_index(c.sample):
        return Evidence('tf-checkpoint', 'tensor bundle index (table magic at the end)', True)
    if lowered.endswith('.msgpack') and headers.msgpack_map(c.sample):
        return Evidence('flax-msgpack', 'msgpack map', True)
    return headers.text_model(c.name, c.sample)


def _models(c: Content) -> Evidence | None:
    return models.recognise(c.name, c.sample)


def _other(c: Content) -> Evidence | None:
    m = headers.other_magic(c.sample.head)
    return None if m is None else Evidence(m.format, m.what, False)


Sniffer = Callable[[Content], 'Evidence | None']
# In order: the first that recognises the content decides.
SNIFFERS: tuple[Sniffer, ...] = (
    _fixed_magic, _gguf, _safetensors, _zip, _hdf5, _tar, _compressed,
    _pickle, _onnx, _models, _by_extension, _other,
)
# A file that is text from its first byte to its last can only be in one of
# the text formats (ncnn params, protocol-0 pickles, JSON indexes, XML):
# most files in a repository are, so the binary parsers are skipped.
TEXT_SNIFFERS: tuple[Sniffer, ...] = (_fixed_magic, _pickle, _by_extension)


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
