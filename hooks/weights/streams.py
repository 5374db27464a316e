"""Compressed streams, decoded within bounds: a prefix of a stream (to see
what it holds), or a whole stream as a file object for tarfile, each read
returning a bounded amount (a bomb never sits in memory whole).  zstd
needs a decoder: Python 3.14's compression.zstd, or zstandard."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import cast
from typing import IO
from typing import TYPE_CHECKING

from . import signatures
from .evidence import magic_matcher

if TYPE_CHECKING:
    import lzma

_compressed_magic = magic_matcher(signatures.COMPRESSED_MAGICS)
# xz -9 needs 65 MiB to decode; a hostile header may ask for gigabytes.
LZMA_MEMLIMIT = 100 * 1024 * 1024
# The compressors whose streams are read whole, as tars.
TAR_COMPRESSORS = frozenset(('gzip', 'bzip2', 'xz', 'zstd'))
NO_DECODER = {'zstd': 'no zstd decoder (pip install zstandard)'}


def decompress_prefix(data: bytes) -> tuple[str, bytes] | None:
    """(the compressor, the first DECOMPRESS_BYTES of output) of a gzip,
    bzip2, xz, lzma or zlib stream starting `data`."""
    m = _compressed_magic(data)
    if m is None:
        return None
    import bz2
    import lzma
    import zlib
    limit = signatures.DECOMPRESS_BYTES
    try:
        if m.format == 'gzip':
            out = zlib.decompressobj(47).decompress(data, limit)
        elif m.format == 'zlib':
            out = zlib.decompressobj().decompress(data, limit)
        elif m.format == 'bz2':
            out = bz2.BZ2Decompressor().decompress(data, limit)
        else:
            # A header may declare a huge dictionary: cap what liblzma allocates.
            out = lzma.LZMADecompressor(memlimit=LZMA_MEMLIMIT).decompress(data, limit)
    except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError, MemoryError):
        return None
    return (m.what, out) if out else None


def zstd_prefix(data: bytes) -> bytes | None:
    """The first DECOMPRESS_BYTES a zstd stream decodes to; None without a
    decoder, b'' for a stream that does not decode."""
    reader = decoder('zstd', io.BytesIO(data))
    if reader is None:
        return None
    try:
        return reader.read(signatures.DECOMPRESS_BYTES)
    except Exception:  # zstd decoders raise their own error types
        return b''


def decoder(what: str, source: io.RawIOBase | IO[bytes]) -> IO[bytes] | None:
    """A file object of what `source` decodes to; None without a decoder."""
    if what == 'gzip':
        import gzip
        return cast('IO[bytes]', gzip.GzipFile(fileobj=source, mode='rb'))
    if what == 'bzip2':
        import bz2
        return cast('IO[bytes]', bz2.BZ2File(source))
    if what == 'xz':
        import lzma
        return io.BufferedReader(_Decoded(
            source, lambda: lzma.LZMADecompressor(memlimit=LZMA_MEMLIMIT),
        ))
    return _zstd(source)


def _zstd(source: io.RawIOBase | IO[bytes]) -> IO[bytes] | None:
    try:
        from compression import zstd  # type: ignore[import-not-found,unused-ignore]
        return cast('IO[bytes]', zstd.ZstdFile(source))
    except ImportError:
        pass
    try:
        import zstandard  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    reader = zstandard.ZstdDecompressor().stream_reader(cast('IO[bytes]', source))
    return cast('IO[bytes]', reader)


class _Decoded(io.RawIOBase):
    """What a stream of one or more concatenated xz streams decodes to,
    a bounded read at a time (lzma.LZMAFile takes no memory limit)."""

    CHUNK = 64 * 1024

    def __init__(
            self, source: io.RawIOBase | IO[bytes], make: Callable[[], lzma.LZMADecompressor],
    ) -> None:
        super().__init__()
        self._source = source
        self._make = make
        self._decoder = make()
        self._pending = b''

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while True:
            if self._decoder.eof:
                self._pending = self._decoder.unused_data + self._pending
                if not self._pending:
                    self._pending = self._source.read(self.CHUNK) or b''
                if not self._pending:
                    return 0  # the end, after a whole stream
                self._decoder = self._make()
            if self._decoder.needs_input and not self._pending:
                self._pending = self._source.read(self.CHUNK) or b''
                if not self._pending:
                    raise EOFError('the stream ends inside a compressed block')
            try:
                data = self._decoder.decompress(self._pending, len(buffer))
            except Exception as exc:  # lzma.LZMAError: damage, as for a file
                raise OSError(f'not an xz stream that decodes ({exc})') from exc
            self._pending = b''
            if data:
                buffer[:len(data)] = data
                return len(data)
