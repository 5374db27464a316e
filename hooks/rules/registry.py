"""The rules by name, with what a front end needs of each."""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from . import attribution
from . import changelog
from . import license
from .findings import Finding

ATTRIBUTION_HINT = (
    "`model-license-hooks profiles` lists each profile's duties."
)


class Rule(NamedTuple):
    name: str
    check: Callable[..., list[Finding]]
    companion: Callable[..., bool]
    weakened: Callable[..., 'str | None']
    hint: str = ''


RULES = {
    'licence': Rule('licence', license.check, license.companion, license.weakened, license.HINT),
    'changelog': Rule('changelog', changelog.check, changelog.companion, changelog.weakened),
    'attribution': Rule(
        'attribution', attribution.check, attribution.companion, attribution.weakened,
        ATTRIBUTION_HINT,
    ),
}
