"""check-model-attribution: weights carry the attribution their licence asks for.

When weights are distributed, the model card (the README.md nearest the
weights, else the repository root's) and NOTICE files must carry what the
licence profile requires: the statement of the base model, attribution
strings, a NOTICE sentence, "Built with" text, a name prefix, and front
matter (license, license_name, license_link, base_model) that agrees.
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
    return frontend.run(frontend.run_hooks, [RULES['attribution']], vars(args))


if __name__ == '__main__':
    raise SystemExit(main())
