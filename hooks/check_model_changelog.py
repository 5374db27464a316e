"""check-model-changelog: changed weights need a changelog entry.

Fails when a commit (or push) adds or changes model weights and the same
commit (or push) adds no line describing the modification to a changelog
in the weights' folder or a folder above it.
"""
from __future__ import annotations

from collections.abc import Sequence

from . import frontend
from .rules.registry import RULES

OPTIONS = (frontend.add_changelog_options, frontend.add_overrides)


def main(argv: Sequence[str] | None = None) -> int:
    return frontend.hook_main(__doc__, [RULES['changelog']], OPTIONS, argv)


if __name__ == '__main__':
    raise SystemExit(main())
