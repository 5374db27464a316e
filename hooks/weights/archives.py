"""Archives, judged from all their members within explicit bounds.

A zip is judged from its whole central directory (zipfile), a tar from
every member header (tarfile, seeking over member data), a compressed tar
from its stream (within a budget of compressed input), a nested archive
from its own members (two levels, 16 MiB a member).  Members whose names
do not say are judged by their first bytes.  Nothing is extracted to disk.

When a bound, or damage, stops the inspection before every member was
seen, the archive is "not fully inspected": the caller counts it as
weights (fail closed), with the reason.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO
from typing import NamedTuple
from typing import TYPE_CHECKING

from ..errors import ParserBug
from ..tree.blob import Blob
from ..tree.blob import BudgetSpent
from ..tree.blob import BytesBlob
from ..tree.blob import STREAM_BUDGET
from . import signatures
from . import streams
from .names import archive_weight_members

MEMBER_HEAD = 4096  # bytes of a member's content its probe sees
MAX_PROBES = 256  # members probed by content, at most
NESTED_MAX = 16 * 1024 * 1024  # a nested archive is read whole, up to this
MAX_DEPTH = 2  # archives inside archives inside archives are not opened
# A compressed tar is decompressed up to this far (members skipped are
# decompressed too): under a second of gzip, a few of xz or bzip2.
DECODE_BUDGET = 256 * 1024 * 1024
STREAM_BUFFER = 1024 * 1024
# Members whose names say they are ordinary: never probed.
ORDINARY_MEMBER = re.compile(
    r'(^|/)(readme|license|licence|copying|notice|changelog|authors)[^/]*$|'
    r'\.(txt|md|rst|json|ya?ml|toml|cfg|ini|csv|tsv|xml|html?|css|js|ts|py|pyi|'
    r'c|h|cc|cpp|hpp|java|kt|go|rs|rb|sh|bat|ps1|png|jpe?g|gif|svg|ico|webp|bmp|'
    r'tiff?|pdf|wav|mp3|flac|ogg|mp4|mov|webm|ttf|otf|woff2?|class|so|dll|dylib|'
    r'exe|a|o|lib|manifest|mf|sf|rsa|dex|arsc|plist|strings|nib|storyboard)$',
    re.I,
)
if TYPE_CHECKING:
    import tarfile
    import zipfile

# Errors the readers raise on damaged or hostile archives: the archive
# could not be read, so it is not fully inspected (never "no weights").
DAMAGE = (
    EOFError, OSError, ValueError, OverflowError, NotImplementedError, RuntimeError,
    KeyError, IndexError, UnicodeError, MemoryError,
)


def _damage() -> tuple[type[BaseException], ...]:
    """DAMAGE and the archive readers' own errors."""
    import tarfile  # only for an archive: start-up time
    import zipfile
    return (zipfile.BadZipFile, zipfile.LargeZipFile, tarfile.TarError, *DAMAGE)


# probe(member name, its first bytes, its size, depth): is it weights?
Probe = Callable[[str, bytes, int, int], bool]


class Members(NamedTuple):
    names: list[str]
    weights: list[str]  # the members that are weights, by name or content
    uninspected: str = ''  # why not every member was seen ('' if all were)
    layout: str | None = None  # the model format the members' layout is


def layout(names: list[str]) -> str | None:
    """The model format an archive's member layout is (torch.save, Keras,
    legacy torch tar, npz)."""
    def has(suffix: str) -> bool:
        return any(n == suffix or n.endswith('/' + suffix) for n in names)
    for fmt, required in signatures.ARCHIVE_LAYOUTS:
        if all(has(r) for r in required):
            return fmt
    files = [n for n in names if not n.endswith('/')]
    arrays = [n for n in files if n.endswith('.npy')]
    if arrays and all(n in arrays or ORDINARY_MEMBER.search(n) for n in files):
        return 'numpy-npz'  # arrays, with at most a README or a config
    return None


class _Uninspected(Exception):
    pass


class _Judge:
    """The members seen so far, and the probes spent."""

    def __init__(self, probe: Probe, depth: int) -> None:
        self.probe = probe
        self.depth = depth
        self.names: list[str] = []
        self.weights: list[str] = []
        self.probes = 0
        self.uninspected = ''

    def member(self, name: str, size: int, head: Callable[[], bytes]) -> None:
        self.names.append(name)
        if name.endswith('/') or ORDINARY_MEMBER.search(name):
            return
        if self.probes >= MAX_PROBES:
            self.uninspected = self.uninspected or (
                f'more than {MAX_PROBES} members to look into'
            )
            return
        self.probes += 1
        try:
            start = head()
        except _Uninspected as exc:
            self.uninspected = self.uninspected or str(exc)
            return
        if self.probe(name, start, size, self.depth + 1):
            self.weights.append(name)

    def result(self) -> Members:
        found = layout(self.names) if not self.uninspected else None
        weights = list(dict.fromkeys(archive_weight_members(self.names) + self.weights))
        uninspected = '' if weights or found else self.uninspected
        return Members(self.names, weights, uninspected, found)


def list_zip(blob: Blob, probe: Probe, depth: int = 0) -> Members:
    judge = _Judge(probe, depth)
    try:
        import zipfile  # only for an archive: start-up time
        with zipfile.ZipFile(blob.file()) as archive:
            infos = archive.infolist()
            found = layout([i.filename for i in infos])
            if found:
                return Members([i.filename for i in infos], [], layout=found)
            for info in infos:
                judge.member(info.filename, info.file_size, _zip_head(archive, info, probe, depth))
    except BudgetSpent as exc:
        judge.uninspected = f'not fully inspected: {exc}'
    except ParserBug:
        raise
    except _damage() as exc:
        judge.uninspected = f'not a zip that can be read ({type(exc).__name__}: {exc})'
    return judge.result()


def _zip_head(
        archive: zipfile.ZipFile, info: zipfile.ZipInfo, probe: Probe, depth: int,
) -> Callable[[], bytes]:
    """The member's first bytes; a nested zip is listed too, and if it holds
    weights (or cannot be inspected) so does the member."""
    def head() -> bytes:
        with archive.open(info) as member:
            start = member.read(MEMBER_HEAD)
            if start[:4] != signatures.ZIP_LOCAL:
                return start
            if depth + 1 >= MAX_DEPTH or info.file_size > NESTED_MAX:
                raise _Uninspected(f'{info.filename}: an archive inside, not opened')
            inner = list_zip(BytesBlob(start + member.read()), probe, depth + 1)
        if inner.uninspected:
            raise _Uninspected(f'{info.filename}: {inner.uninspected}')
        return signatures.WEIGHTS_INSIDE if inner.weights or inner.layout else start
    return head


def list_tar(
        blob: Blob,
        probe: Probe,
        mode: str = 'r:',
        depth: int = 0,
        fileobj: IO[bytes] | None = None,
) -> Members:
    """A tar's members: headers walked with seeks ('r:'), or a compressed
    tar read as a stream ('r|gz', 'r|bz2', 'r|xz'; 'r|' over `fileobj`,
    a decoding stream of the blob)."""
    judge = _Judge(probe, depth)
    streamed = mode.startswith('r|')
    if streamed:
        blob.budget = max(blob.budget, STREAM_BUDGET)
    try:
        source = fileobj or blob.file()
        # A large buffer: in a stream, member data is skipped by reading it.
        import tarfile  # only for an archive: start-up time
        with tarfile.open(  # type: ignore[call-overload]
                fileobj=source, mode=mode, bufsize=STREAM_BUFFER) as archive:
            last = -1
            # Each header lies after the one before: a hostile size (tarfile
            # takes '-1') must not send it back to read the same one again.
            while (member := archive.next()) is not None and member.offset > last:
                last = member.offset
                judge.member(member.name, member.size, _tar_head(archive, member, blob, streamed))
                if streamed and member.offset_data + member.size > DECODE_BUDGET:
                    # The next header lies past what may be decompressed.
                    raise BudgetSpent(f'more than {DECODE_BUDGET >> 20} MiB to decompress')
    except BudgetSpent as exc:
        judge.uninspected = f'not fully inspected: {exc}'
    except ParserBug:
        raise
    except _damage() as exc:
        judge.uninspected = f'not a tar that can be read ({type(exc).__name__}: {exc})'
    return judge.result()


def _tar_head(
        archive: tarfile.TarFile, member: tarfile.TarInfo, blob: Blob, streamed: bool,
) -> Callable[[], bytes]:
    def head() -> bytes:
        if not member.isfile():
            return b''
        if streamed:
            extracted = archive.extractfile(member)
            return extracted.read(MEMBER_HEAD) if extracted is not None else b''
        return blob.read(member.offset_data, min(member.size, MEMBER_HEAD))
    return head


def is_tar_header(block: bytes) -> bool:
    """A tar header: its checksum field agrees with its bytes."""
    if len(block) < 512:
        return False
    field = block[148:156].split(b'\0')[0].strip()
    try:
        checksum = int(field, 8)
    except ValueError:
        return False
    return checksum == sum(block[:148]) + 256 + sum(block[156:512])


def tar_names(data: bytes) -> list[str] | None:
    """Member names of a tar held in `data` (GNU and PAX long names
    included); None if it is not a tar."""
    if not is_tar_header(data[:512]):
        return None
    found = list_tar(BytesBlob(data), lambda *_: False)
    return found.names or None


def list_compressed_tar(blob: Blob, what: str, probe: Probe, depth: int = 0) -> Members:
    """A compressed tar (gzip, bzip2, xz, zstd), read as a stream: at most
    STREAM_BUDGET of its bytes, DECODE_BUDGET of what they decode to."""
    blob.budget = max(blob.budget, STREAM_BUDGET)
    reader = streams.decoder(what, blob.file())
    if reader is None:
        return Members([], [], f'not fully inspected: {streams.NO_DECODER[what]}')
    return list_tar(BytesBlob(b''), probe, 'r|', depth, fileobj=reader)
