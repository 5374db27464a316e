"""check-model-attribution: weights carry the attribution their licence asks for.

When weights are distributed, the model card (the README.md nearest the
weights, else the repository root's) and NOTICE files must carry what the
licence profile requires: the statement of the base model, attribution
strings, a NOTICE sentence, "Built with" text, a name prefix, and front
matter (license, license_name, license_link, base_model) that agrees.
"""
from __future__ import annotations

from collections.abc import Sequence

from . import frontend
from .rules.registry import RULES

OPTIONS = (
    frontend.add_profiles, frontend.add_license_names, frontend.add_overrides,
    frontend.add_hub_metadata,
)


def main(argv: Sequence[str] | None = None) -> int:
    return frontend.hook_main(__doc__, [RULES['attribution']], OPTIONS, argv)


if __name__ == '__main__':
    raise SystemExit(main())
