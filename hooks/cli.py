"""model-license-hooks: commands around the hooks.

  scan [PATH ...]   list what the hooks treat as model weights, and why
  profiles          list the licence profiles and what each enforces
  check [PATH]      audit a model repository or folder: a report per model
  init [PATH]       add what a compliant model repository lacks
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from collections.abc import Sequence

from hooks import options
from hooks import profiles
from hooks.gitview import BlobReader
from hooks.gitview import enter_repo_root
from hooks.gitview import sample_file
from hooks.gitview import Snapshot
from hooks.weights import classify
from hooks.weights import classify_entries
from hooks.weights import Rules
from hooks.weights import Verdict


def _walk(paths: Sequence[str]) -> Iterator[str]:
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != '.git')
                for name in sorted(files):
                    yield os.path.join(folder, name)
        else:
            yield path


def scan_disk(paths: Sequence[str], rules: Rules) -> tuple[list[Verdict], list[str]]:
    """Classify files on disk (a download, an untracked folder)."""
    verdicts, errors = [], []
    listings: dict[str, list[str]] = {}
    for path in _walk(paths):
        shown = os.path.normpath(path).replace(os.sep, '/')
        if os.path.islink(path):
            verdicts.append(Verdict(shown, False, 'symlink', 'a symbolic link'))
            continue
        folder = os.path.dirname(path) or '.'
        if folder not in listings:
            try:
                listings[folder] = os.listdir(folder)
            except OSError:
                listings[folder] = []
        try:
            sample = sample_file(path)
        except OSError as exc:
            errors.append(f'{shown}: cannot read: {exc.strerror or exc}')
            continue
        verdicts.append(classify(shown, sample, listings[folder], rules=rules))
    return verdicts, errors


def scan_tracked(rules: Rules) -> list[Verdict]:
    """Classify every tracked file as the index holds it."""
    enter_repo_root()
    snapshot = Snapshot(None)
    return classify_entries(
        snapshot, BlobReader(snapshot), snapshot.paths(), rules,
    )


def _line(v: Verdict) -> str:
    lfs = f', Git LFS pointer to {v.size} bytes' if v.lfs else ''
    if v.weights:
        return f'{v.path}: {v.format}{lfs} ({v.evidence})'
    return f'{v.path}: not weights{lfs} ({v.evidence})'


def scan(paths: Sequence[str], *, rules: Rules, as_json: bool, show_all: bool) -> int:
    if paths:
        verdicts, errors = scan_disk(paths, rules)
    else:
        verdicts, errors = scan_tracked(rules), []
    shown = [v for v in verdicts if v.weights or show_all]
    if as_json:
        print(json.dumps([v._asdict() for v in shown], indent=2))
    else:
        for v in shown:
            print(_line(v))
        count = sum(v.weights for v in verdicts)
        print(f'{count} of {len(verdicts)} files are model weights', file=sys.stderr)
    for error in errors:
        print(error, file=sys.stderr)
    return 2 if errors else 0


def list_profiles(profile_files: Sequence[str], as_json: bool) -> int:
    known = profiles.available(profile_files)
    if as_json:
        print(json.dumps(
            {pid: {**p._asdict(), 'sha256': sorted(p.sha256), 'fingerprints': len(p.fingerprints),
                   'notice': p.notice._asdict() if p.notice else None}
             for pid, p in known.items()},
            indent=2, ensure_ascii=False,
        ))
        return 0
    for profile in known.values():
        print(f'{profile.id}: {profile.name}')
        hf = ', '.join(profile.hf_license) or '-'
        names = ', '.join(profile.hf_license_name)
        print(f'  model card: license: {hf}' + (f'; license_name: {names}' if names else ''))
        for duty in profile.enforces:
            print(f'  enforces: {duty}')
        for duty in profile.cannot_check:
            print(f'  cannot check: {duty}')
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog='model-license-hooks', description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest='command', required=True)
    scan_parser = commands.add_parser(
        'scan', help='list the files the hooks treat as model weights',
        description='List the files the hooks treat as model weights, one '
        'line each with the format and the evidence.  Without PATH: the '
        'tracked files of the repository here, as staged.  With PATH: those '
        'files, or the files under those folders, as they are on disk.',
    )
    options.add_rules(scan_parser)
    scan_parser.add_argument(
        'paths', nargs='*', metavar='PATH', help='files or folders on disk',
    )
    scan_parser.add_argument('--json', action='store_true', help='JSON output')
    scan_parser.add_argument(
        '--all', action='store_true',
        help='also list files that are not weights, with the reason',
    )
    profiles_parser = commands.add_parser(
        'profiles', help='list the licence profiles and what each enforces',
    )
    profiles_parser.add_argument(
        '--profile-file', action='append', default=[], metavar='PATH',
        help='also list a profile of your own (repeatable)',
    )
    profiles_parser.add_argument('--json', action='store_true', help='JSON output')
    check_parser = commands.add_parser(
        'check', help='audit a model repository (or a plain folder)',
        description='Audit the model repository (or plain folder) at PATH: '
        'every tracked file (every file, without git) against the three '
        'checks, reported per model folder.  Exit 1 when anything fails.',
    )
    check_parser.add_argument('path', nargs='?', default='.', metavar='PATH')
    check_parser.add_argument(
        '--format', choices=('text', 'json', 'sarif'), default='text',
        help='text (default), JSON (docs/report-schema.json) or SARIF 2.1.0',
    )
    options.add_rules(check_parser)
    options.add_profile_arguments(check_parser)
    options.add_license_name_argument(check_parser)
    init_parser = commands.add_parser(
        'init', help='add what a compliant model repository lacks',
        description='Add, at the root of PATH, only what is missing: a '
        'CHANGELOG.md with a first entry, the model card front matter and '
        'attribution, a NOTICE where the profile asks for one, and a '
        '.pre-commit-config.yaml entry.  Existing files are merged into, '
        'never rewritten; no licence text is written.',
    )
    init_parser.add_argument('path', nargs='?', default='.', metavar='PATH')
    init_parser.add_argument(
        '--dry-run', action='store_true', help='show the changes, write nothing',
    )
    options.add_profile_arguments(init_parser)
    args = parser.parse_args(argv)
    if args.command == 'init':
        from hooks import init_repo
        return options.run(
            init_repo.run_init, args.path, profile_name=args.profile,
            profile_files=tuple(args.profile_file), dry_run=args.dry_run,
        )
    if args.command == 'check':
        from hooks import audit
        return options.run(
            audit.run_check, args.path, output=args.format,
            rules=options.rules(args), profile_name=args.profile,
            profile_files=tuple(args.profile_file),
            license_names=tuple(args.license_name),
        )
    if args.command == 'profiles':
        return options.run(list_profiles, args.profile_file, args.json)
    return options.run(
        scan, args.paths, rules=options.rules(args), as_json=args.json,
        show_all=args.all,
    )


if __name__ == '__main__':
    raise SystemExit(main())
