"""check-model-license: weights may only be distributed with their licence.

Fails when a commit (or push) distributes model weights and the distributed
tree holds no copy of a licence in the weights' folder or a folder above it.
"""
from __future__ import annotations

from collections.abc import Sequence

from . import frontend
from .rules.registry import RULES

OPTIONS = (frontend.add_profiles, frontend.add_license_names, frontend.add_overrides)


def main(argv: Sequence[str] | None = None) -> int:
    return frontend.hook_main(__doc__, [RULES['licence']], OPTIONS, argv)


if __name__ == '__main__':
    raise SystemExit(main())
