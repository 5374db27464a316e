"""check-model-compliance: the licence, changelog and attribution rules in
one pass (one listing of the tree, one judgement of each file).

Fails when any of the rules chosen with --rules (default: all three) fails;
each finding is printed under its rule.  The three single-rule hooks stay,
for teams that skip one of them.
"""
from __future__ import annotations

from collections.abc import Sequence

from . import check_model_attribution
from . import check_model_changelog
from . import check_model_license
from . import frontend

# Every option of the three hooks, each once: the combined hook takes what
# any of them takes.
OPTIONS = (frontend.add_rules, *dict.fromkeys(
    check_model_license.OPTIONS + check_model_changelog.OPTIONS + check_model_attribution.OPTIONS,
))


def main(argv: Sequence[str] | None = None) -> int:
    return frontend.hook_main(__doc__, [], OPTIONS, argv)


if __name__ == '__main__':
    raise SystemExit(main())
