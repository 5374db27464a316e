"""check-model-compliance: the licence, changelog and attribution rules in
one pass (one listing of the tree, one judgement of each file).

Fails when any of the rules chosen with --rules (default: all three) fails;
each finding is printed under its rule.  The three single-rule hooks stay,
for teams that skip one of them.
"""
from __future__ import annotations

from collections.abc import Sequence

from . import frontend

OPTIONS = (
    frontend.add_rules, frontend.add_profiles, frontend.add_license_names,
    frontend.add_changelog_options, frontend.add_overrides,
)


def main(argv: Sequence[str] | None = None) -> int:
    return frontend.hook_main(__doc__, [], OPTIONS, argv)


if __name__ == '__main__':
    raise SystemExit(main())
