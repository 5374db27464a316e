"""Which common (open source) licence a text is: identify's `license_id`,
over text instead of a file, with identify's 35 texts read once.

`identify.identify.license_id` opens a path as UTF-8 (a UTF-16 copy
raises) and normalises all 35 of its vendored texts again on every call
(~18 ms).  This is its algorithm over the text the hooks already decoded:
drop the copyright lines, collapse white space, take an exact match, else
the nearest text within 5% of edits (`ukkonen`, as identify does).  It
names the same licence as license_id for every vendored text
(tests/license/common_test.py).
"""
from __future__ import annotations

import functools
import math

# identify drops lines starting (after white space) with these, any case.
_COPYRIGHT = ('copyright ', '(c) ')
CUTOFF = 0.05  # identify's: within 5% of the length, in length and in edits


def _norm(text: str) -> str:
    """identify's `_norm_license`, without a regular expression: its
    `^\\s*(Copyright|\\(C\\)) .*$` backtracks quadratically on long runs
    of blank lines."""
    # Lines as its MULTILINE '$' sees them: split at line feeds only.
    kept = [line for line in text.split('\n') if not line.lstrip().lower().startswith(_COPYRIGHT)]
    return ' '.join(' '.join(kept).split())


@functools.lru_cache(maxsize=1)
def _known() -> tuple[tuple[str, str], ...]:
    """identify's texts, normalised once a process."""
    try:
        from identify.vendor import licenses
    except ImportError:  # pragma: no cover (identify[license] is a dependency)
        return ()
    return tuple((spdx, _norm(text)) for spdx, text in licenses.LICENSES)


def common_licence(text: str) -> str | None:
    """The SPDX id (identify's form: 'GPL-3.0') of a common licence text."""
    norm = _norm(text)
    if not norm:
        return None
    known = _known()
    for spdx, licence in known:
        if norm == licence:
            return spdx
    try:
        import ukkonen
    except ImportError:  # pragma: no cover (identify[license] installs it)
        return None
    cutoff = math.ceil(CUTOFF * len(norm))
    best, best_distance = None, cutoff
    for spdx, licence in known:
        if abs(len(norm) - len(licence)) / len(norm) > CUTOFF:
            continue  # the edit distance could not be within the cutoff
        distance = ukkonen.distance(norm, licence, cutoff)
        if distance < best_distance:
            best, best_distance = spdx, distance
    return best
