"""check-model-license: weights may only be distributed with their licence.

Fails when a commit (or push) distributes model weights and the distributed
tree holds no copy of a licence in the weights' folder or a folder above it.
"""
from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import frontend
from .rules.registry import RULES


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    frontend.add_filenames(parser)
    frontend.add_profiles(parser)
    frontend.add_license_names(parser)
    frontend.add_overrides(parser)
    args = parser.parse_args(argv)
    return frontend.run(frontend.run_hooks, [RULES['licence']], vars(args))


if __name__ == '__main__':
    raise SystemExit(main())
