"""model-license-hooks: commands around the hooks.

  scan [PATH ...]   list what the hooks treat as model weights, and why
  profiles          list the licence profiles and what each enforces
  check [PATH]      audit a model repository or folder: a report per model
  init [PATH]       add what a compliant model repository lacks
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from .. import frontend
from ..errors import UserError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='model-license-hooks', description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest='command', required=True)
    scan = commands.add_parser(
        'scan', help='list the files the hooks treat as model weights',
        description='List the files the hooks treat as model weights, one '
        'line each with the format and the evidence.  Without PATH: the '
        'tracked files of the repository here, as staged.  With PATH: those '
        'files, or the files under those folders, as they are on disk.',
    )
    frontend.add_overrides(scan)
    scan.add_argument('paths', nargs='*', metavar='PATH', help='files or folders on disk')
    scan.add_argument('--json', action='store_true', help='JSON output')
    scan.add_argument(
        '--all', action='store_true',
        help='also list files that are not weights, with the reason',
    )
    listing = commands.add_parser(
        'profiles', help='list the licence profiles and what each enforces',
    )
    listing.add_argument(
        '--profile-file', action='append', default=[], metavar='PATH',
        dest='profile_files', help='also list a profile of your own (repeatable)',
    )
    listing.add_argument('--json', action='store_true', help='JSON output')
    check = commands.add_parser(
        'check', help='audit a model repository (or a plain folder)',
        description='Audit the model repository (or plain folder) at PATH: '
        'every tracked file (every file, without git) against the three '
        'checks, reported per model folder.  Exit 1 when anything fails.',
    )
    check.add_argument('path', nargs='?', default='.', metavar='PATH')
    check.add_argument(
        '--format', choices=('text', 'json', 'sarif', 'cyclonedx'), default='text',
        help='text (default), JSON (docs/report-schema.json), SARIF 2.1.0, or a '
        "CycloneDX 1.6 JSON ML-BOM (needs the 'bom' extra)",
    )
    frontend.add_overrides(check)
    frontend.add_profiles(check)
    frontend.add_license_names(check)
    frontend.add_changelog_options(check)
    frontend.add_hub_metadata(check)
    init = commands.add_parser(
        'init', help='add what a compliant model repository lacks',
        description='Add, at the root of PATH, only what is missing: a '
        'CHANGELOG.md with a first entry, the model card front matter and '
        'attribution, a NOTICE where the profile asks for one, and a '
        '.pre-commit-config.yaml entry.  Existing files are merged into, '
        'never rewritten; no licence text is written.',
    )
    init.add_argument('path', nargs='?', default='.', metavar='PATH')
    init.add_argument('--dry-run', action='store_true', help='show the changes, write nothing')
    init.add_argument(
        '--repo', metavar='URL', help='where you host model-license-hooks, '
        'for the written .pre-commit-config.yaml',
    )
    init.add_argument('--rev', metavar='REV', help='the revision (tag) of it to pin')
    frontend.add_profiles(init)
    return parser


def _options(args: argparse.Namespace, *drop: str) -> dict[str, Any]:
    return {k: v for k, v in vars(args).items() if k not in ('command', *drop)}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version
    try:
        return version('model_license_hooks')
    except PackageNotFoundError:  # pragma: no cover (run from a checkout)
        return '0'


def _bom_library() -> None:
    """The BOM needs cyclonedx-python-lib, an extra: said before any work."""
    from importlib.util import find_spec
    if find_spec('cyclonedx') is None:
        raise UserError(
            "--format cyclonedx needs cyclonedx-python-lib: "
            "pip install 'model-license-hooks[bom]'",
        )


def _check(path: str, given: dict[str, Any], output: str) -> int:
    if output == 'cyclonedx':
        _bom_library()
    from . import check
    from . import report
    audited = check.audit(path, given)
    if output == 'json':
        rendered = report.json_report(audited)
    elif output == 'sarif':
        rendered = report.sarif_report(audited, _version())
    elif output == 'cyclonedx':
        from . import bom
        rendered = bom.bom_report(audited, _version())
    else:
        print(report.text_report(audited))
        return 0 if audited.ok else 1
    print(json.dumps(rendered, indent=2, ensure_ascii=False))
    return 0 if audited.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == 'init':
        from . import init
        return frontend.run(
            init.run_init, args.path, profile_name=args.profile,
            profile_files=tuple(args.profile_files), dry_run=args.dry_run,
            repo=args.repo or init.HOOKS_REPO, rev=args.rev or init.HOOKS_REV,
        )
    if args.command == 'check':
        return frontend.run(_check, args.path, _options(args, 'path', 'format'), args.format)
    if args.command == 'profiles':
        from .profiles import list_profiles
        return frontend.run(list_profiles, args.profile_files, args.json)
    from .scan import scan
    return frontend.run(
        scan, args.paths, _options(args, 'paths', 'json', 'all'),
        as_json=args.json, show_all=args.all,
    )


if __name__ == '__main__':
    raise SystemExit(main())
