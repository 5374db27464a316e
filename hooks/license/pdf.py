"""The text of a PDF licence copy, within time, size and page limits.

Needs the optional pypdf (`pip install 'model_license_hooks[pdf]'`);
without it a PDF has no text here (official copies are still known by
their digest).
"""
from __future__ import annotations

import contextlib
import io
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

from .fingerprint import MAX_TEXT_BYTES

PDF_SECONDS = 3.0  # at most this long reading one PDF's text (real ones: ~1 s)
PDF_MAX_STREAM = 8 << 20  # at most this much inflated from one PDF stream
MAX_PDF_PAGES = 50


def pdf_text(data: bytes) -> str | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    import dataclasses  # only with a PDF to read: start-up time
    import logging
    import pypdf
    log = logging.getLogger('pypdf')
    level = log.level
    log.setLevel(logging.CRITICAL)  # malformed PDFs are reported, not logged
    limits: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    configuration = getattr(pypdf, 'Configuration', None)
    if configuration is not None:  # pypdf 7: its own limits are 75 MB
        names = {f.name for f in dataclasses.fields(configuration)}
        limits = pypdf.apply_configuration(None, **{
            name: PDF_MAX_STREAM for name in names
            if name.endswith('maximum_output_length') or
            name == 'maximum_declared_stream_length'
        })
    try:
        with limits, _time_limit(PDF_SECONDS):
            return _extract(PdfReader, data)
    except Exception:  # pypdf raises many kinds of error on bad input
        return None
    finally:
        log.setLevel(level)


class _TooSlow(BaseException):  # not an Exception: pypdf catches those
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop work that takes too long (SIGALRM: the main thread only)."""
    usable = (
        hasattr(signal, 'setitimer') and
        threading.current_thread() is threading.main_thread()
    )
    if not usable:  # pragma: no cover (not on POSIX or in a thread)
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow()
    start = time.monotonic()
    outer, _ = signal.getitimer(signal.ITIMER_REAL)  # a caller's timer
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # give the caller's timer back what is left of it
            signal.setitimer(
                signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3),
            )


def _extract(reader_class: Any, data: bytes) -> str | None:
    try:
        reader = reader_class(io.BytesIO(data))
        parts: list[str] = []
        size = 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            part = page.extract_text() or ''
            size += len(part)
            if size > MAX_TEXT_BYTES:
                return None
            parts.append(part)
    except _TooSlow:
        raise
    except Exception:  # pypdf raises many kinds of error on bad input
        return None
    text = '\n'.join(parts)
    return text if text.strip() else None
