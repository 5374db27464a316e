"""check-model-changelog: changed weights need a changelog entry.

Fails when a commit (or push) adds or changes model weights and the same
commit (or push) adds no line describing the modification to a changelog
in the weights' folder or a folder above it.
"""
from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import frontend
from .rules.registry import RULES


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    frontend.add_filenames(parser)
    frontend.add_changelog_options(parser)
    frontend.add_overrides(parser)
    args = parser.parse_args(argv)
    return frontend.run(frontend.run_hooks, [RULES['changelog']], vars(args))


if __name__ == '__main__':
    raise SystemExit(main())
