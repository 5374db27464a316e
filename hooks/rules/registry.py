"""The rules by name, with what a front end needs of each."""
from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from typing import NamedTuple

from . import attribution
from . import changelog
from . import license
from ..card.changelog import FRAGMENT_FOLDERS
from .findings import Finding
from .settings import Settings

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


# Every companion file of every rule, with the default names, has one of
# these in its lower-cased path: licence copies and REUSE files, cards,
# NOTICE, pyproject.toml, changelogs and their fragment folders.  A commit
# of 100,000 files asks this of each before asking the rules (substring
# tests: a regular expression of alternatives costs ten times more).
_COMPANION_PARTS = (
    'licen', 'copying', 'reuse.toml', 'readme', 'notice', 'pyproject.toml',
    'chang', 'histor', 'news', 'modif',
)


def companion_test(rules: Sequence[Rule], settings: Settings) -> Callable[[str], bool]:
    """Is a path a companion file of any of these rules?"""
    quick = not settings.license_names and settings.changelogs.changelog_names == () and (
        settings.changelogs.fragment_dirs == FRAGMENT_FOLDERS)

    def companion(path: str) -> bool:
        if quick and not any(map(path.lower().__contains__, _COMPANION_PARTS)):
            return False
        return any(rule.companion(path, settings) for rule in rules)
    return companion
