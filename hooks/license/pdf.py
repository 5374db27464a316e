"""The text of a PDF licence copy, within time, size and page limits.

Needs the optional pypdf (`pip install 'model_license_hooks[pdf]'`);
without it a PDF has no text here (official copies are still known by
their digest).
"""
from __future__ import annotations

import contextlib
import io
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from .fingerprint import MAX_TEXT_BYTES

PDF_SECONDS = 3.0  # at most this much CPU time reading one PDF's text (real ones: ~1 s)
PDF_MAX_STREAM = 8 << 20  # at most this much inflated from one PDF stream
MAX_PDF_PAGES = 50
RETRY = 0.05  # seconds between alarms once the time is up


def pdf_text(data: bytes) -> tuple[str | None, str]:
    """(the text of a PDF, '') or (None, why it cannot be read, as a
    message can end with): every limit ends in a verdict, never an error."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return None, (
            "its text cannot be read here: install pypdf to read PDF text "
            "(pip install 'model_license_hooks[pdf]')"
        )
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
    except _TooSlow:
        return None, (
            f"could not read the PDF's text within {PDF_SECONDS:g} s of CPU time: its "
            f"extraction was stopped at the time limit"
        )
    except Exception as exc:  # pypdf raises many kinds of error on bad input
        return None, f"could not read the PDF's text: {_error(exc)}"
    finally:
        log.setLevel(level)


def _error(exc: Exception) -> str:
    detail = ' '.join(str(exc).split())[:120]
    return f'{type(exc).__name__}: {detail}' if detail else type(exc).__name__


class _TooSlow(BaseException):  # not an Exception: pypdf catches those
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop work that takes too long.  The time is the process's CPU time
    (ITIMER_PROF): a verdict must not depend on how busy the machine is.
    Signals reach the main thread only."""
    usable = (
        hasattr(signal, 'setitimer') and
        threading.current_thread() is threading.main_thread()
    )
    if not usable:  # pragma: no cover (not on POSIX or in a thread)
        yield
        return
    armed = [True]

    def expire(signum: int, frame: object) -> None:
        if armed[0]:  # not once the work is over: the clean-up must run
            raise _TooSlow()
    hook = sys.unraisablehook

    def quiet(unraisable: Any) -> None:  # a swallowed alarm: no message
        if not isinstance(unraisable.exc_value, _TooSlow):
            hook(unraisable)
    start = time.process_time()
    outer, _ = signal.getitimer(signal.ITIMER_PROF)  # a caller's timer
    previous = signal.signal(signal.SIGPROF, expire)
    sys.unraisablehook = quiet
    # Then again every RETRY seconds: an exception raised while Python runs
    # a finaliser or a garbage collector callback is swallowed, and the
    # work would go on without a limit.
    signal.setitimer(
        signal.ITIMER_PROF, min(seconds, outer) if outer else seconds, RETRY,
    )
    try:
        yield
    finally:
        try:
            armed[0] = False  # the alarm may interrupt this line, not the next
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
            sys.unraisablehook = hook
            if outer:  # give the caller's timer back what is left of it
                signal.setitimer(
                    signal.ITIMER_PROF, max(outer - (time.process_time() - start), 1e-3),
                )


def _extract(reader_class: Any, data: bytes) -> tuple[str | None, str]:
    reader = reader_class(io.BytesIO(data))
    parts: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        part = page.extract_text() or ''
        size += len(part)
        if size > MAX_TEXT_BYTES:
            return None, (
                f"could not read the PDF's text within its limits: it holds more "
                f"than {MAX_TEXT_BYTES // 1024} KiB of text, more than a licence"
            )
        parts.append(part)
    text = '\n'.join(parts)
    if not text.strip():
        return None, 'the PDF holds no text to read (a scan?)'
    return text, ''
