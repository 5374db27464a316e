"""Three questions about a licence candidate, each answered in one place:

- `judge_copy`: is it a copy of a licence at all (not empty, a placeholder,
  a one-line reference)?
- `genuine`: is it a copy of this profile's licence?
- `what_licence`: which licence is it (a profile's, or a common licence)?
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..text import decode
from ..text import is_text
from ..text import normalise
from ..tree.sample import small_sample
from ..weights.headers import LFS_POINTER_MAX
from ..weights.headers import lfs_pointer
from . import fingerprint

if TYPE_CHECKING:
    from .profiles import Profile

PDF_MAGIC = b'%PDF-'
MAX_COPY_BYTES = 4 * 1024 * 1024
# Fewer characters than this (not counting white space) is a reference to
# a licence, not a copy of one: the shortest common licences are longer.
MIN_LICENSE_CHARS = 100
PLACEHOLDER = re.compile(
    r'(todo|tbd|tba|fixme|placeholder|coming soon|xxx+|n/?a|none|'
    r'\.\.\.+|-+|to be (added|decided|determined)|'
    r'(insert |add )?(the )?(model )?licen[cs]e( text)?( goes)?( here)?)[.!:]*',
    re.I,
)


def is_pdf(data: bytes) -> bool:
    return data.startswith(PDF_MAGIC)


def text_of(name: str, data: bytes) -> str | None:
    """The text of a licence copy (text file or PDF), or None if unreadable."""
    if len(data) > fingerprint.MAX_TEXT_BYTES:
        return None
    if is_pdf(data):
        from .pdf import pdf_text  # only for a PDF: start-up time
        return pdf_text(data)
    if name.lower().endswith('.pdf'):
        return None
    return decode(data)


def judge_copy(name: str, data: bytes, size: int) -> str | None:
    """Why this content is not a licence copy, or None if it is one."""
    if size == 0:
        return 'it is empty'
    if size < LFS_POINTER_MAX and lfs_pointer(small_sample(data)):
        return 'it is a Git LFS pointer, not the text of a licence'
    if name.lower().endswith('.pdf'):
        return None if is_pdf(data) else 'it is not a PDF'
    if not is_text(data[:1024]):
        return 'it is not a text file'
    text = data.decode('utf-8', 'replace').strip()
    if not text:
        return 'it holds only white space'
    collapsed = ' '.join(text.split())
    if PLACEHOLDER.fullmatch(collapsed):
        return f'it is a placeholder ({collapsed[:40]!r})'
    chars = len(''.join(text.split()))
    if chars < MIN_LICENSE_CHARS and len(data) == size:
        return (
            f'it is too short to be a licence text ({chars} characters; '
            f'a copy of the full licence is needed)'
        )
    return None


def _phrases_match(profile: Profile, normalised: str) -> bool:
    return any(
        all(normalise(p) in normalised for p in rule) for rule in profile.phrases
    )


def genuine(
        profile: Profile,
        name: str,
        data: bytes,
        known: Iterable[Profile] = (),
        *,
        name_it: bool = True,
) -> tuple[bool, str]:
    """Whether `data` is a copy of the profile's licence, and why (not);
    a wrong copy is named among the `known` profiles and common licences
    (unless `name_it` is False: only the answer is wanted)."""
    if hashlib.sha256(data).hexdigest() in profile.sha256:
        return True, 'a known official copy (by digest)'
    if len(data) > MAX_COPY_BYTES:
        return False, 'it is too large to be a licence text'
    text = text_of(name, data)
    if text is not None and len(text) > fingerprint.MAX_TEXT_BYTES:
        return False, 'it is too large to be a licence text'
    if text is None:
        if is_pdf(data):
            return False, (
                'a PDF that is not a known official copy, whose text could not '
                'be read (install pypdf to read PDF text)'
            )
        return False, 'its text cannot be read'
    if profile.fingerprints:
        ok, why = fingerprint.recognise(text, profile.fingerprints)
        if ok:
            return True, why
    elif profile.phrases:
        if _phrases_match(profile, normalise(text)):
            return True, 'it has the phrases that identify the licence'
        why = 'it lacks the phrases that identify the licence'
    else:
        return False, 'the profile says no way to recognise a copy'
    found = what_licence(text, known, exclude=profile.id) if name_it else None
    if found:
        return False, f'it is {found}, not the {profile.name}'
    return False, why


def what_licence(text: str, known: Iterable[Profile], exclude: str = '') -> str | None:
    """Name the licence a text is: a profile's, else a common licence."""
    if len(text) > fingerprint.MAX_TEXT_BYTES:
        return None
    normalised = None
    for profile in known:
        if profile.id == exclude:
            continue
        if profile.fingerprints:
            if fingerprint.recognise(text, profile.fingerprints)[0]:
                return f'the {profile.name}'
        elif profile.phrases:
            normalised = normalised or normalise(text)
            if _phrases_match(profile, normalised):
                return f'the {profile.name}'
    spdx = common_licence(text)
    return f'the {spdx} licence' if spdx else None


def common_licence(text: str) -> str | None:
    """The SPDX id of a common (open source) licence text, by identify's
    `license_id` (35 licences, within 5% edits)."""
    try:
        from identify.identify import license_id
    except ImportError:  # pragma: no cover (identify[license] is a dependency)
        return None
    import tempfile
    # license_id reads a file: hand it the text in a private temporary one.
    with tempfile.TemporaryDirectory(prefix='model-license-hooks-') as tmp:
        path = os.path.join(tmp, 'LICENSE')
        with open(path, 'w', encoding='utf-8', errors='replace') as f:
            f.write(text)
        try:
            return license_id(path)
        except (UnicodeError, ImportError):
            return None
