"""check-model-changelog: changed weights need a changelog entry.

Fails when a commit (or push) adds or changes model weights and the same
commit (or push) adds no line describing the modification to a changelog
in the weights' folder or a folder above it.
"""
from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from typing import NamedTuple

from hooks import changelogs
from hooks import distribution
from hooks import options
from hooks.gitview import ancestors
from hooks.gitview import BlobReader
from hooks.gitview import Change
from hooks.gitview import REGULAR_MODES
from hooks.gitview import resolve_commit
from hooks.gitview import Snapshot
from hooks.weights import classify_entries
from hooks.weights import Rules
from hooks.weights import Verdict

NULL_OID = frozenset(('0' * 40, '0' * 64))


class Entry(NamedTuple):
    source: str  # the changelog, fragment or model card
    folder: str  # what it covers
    lines: list[str]  # lines that describe something
    problem: str | None = None  # why it could not be read


class Settings(NamedTuple):
    rules: Rules = Rules()
    changelog_names: tuple[str, ...] = ()
    fragment_dirs: tuple[str, ...] = changelogs.FRAGMENT_FOLDERS
    deletions: bool = False
    require_mention: bool = False


def _lines(reader: BlobReader, oid: str) -> changelogs.Text:
    if oid in NULL_OID:
        return changelogs.Text([], None)
    data, size = reader.read_whole(oid, changelogs.MAX_CHANGELOG_BYTES)
    return changelogs.read_text(data, size)


def _is_changelog_source(path: str, settings: Settings) -> bool:
    """A file whose change can be a changelog entry (see _entry_for)."""
    default = (
        not settings.changelog_names and
        settings.fragment_dirs == changelogs.FRAGMENT_FOLDERS
    )
    if default and not changelogs.may_be_source(path):
        return False
    folder, _, name = path.rpartition('/')
    return (
        name == changelogs.MODEL_CARD or
        folder.rpartition('/')[2] in settings.fragment_dirs or
        changelogs.is_changelog_name(name, settings.changelog_names)
    )


def _entry_for(change: Change, reader: BlobReader, settings: Settings) -> Entry | None:
    """What one changed file says as a changelog entry, if it is a changelog."""
    folder, _, name = change.path.rpartition('/')
    parent, _, base = folder.rpartition('/')
    if change.status == 'D':
        return None
    if base in settings.fragment_dirs and change.status in 'ACR':
        new = _lines(reader, change.new_oid)
        lines = [line for line in new.lines or [] if changelogs.describes(line)]
        return Entry(change.path, parent, lines, new.problem)
    is_card = name == changelogs.MODEL_CARD
    if not is_card and not changelogs.is_changelog_name(name, settings.changelog_names):
        return None
    new = _lines(reader, change.new_oid)
    old = _lines(reader, change.old_oid)
    problem = new.problem or old.problem
    if problem is not None or new.lines is None or old.lines is None:
        return Entry(change.path, folder, [], problem)
    pick = changelogs.card_entry_lines if is_card else changelogs.entry_lines
    return Entry(change.path, folder, pick(old.lines, new.lines))


def _covers(entry: Entry, path: str) -> bool:
    return entry.folder == '' or path.startswith(entry.folder + '/')


def expected_changelog(snapshot: Snapshot, path: str, settings: Settings) -> str:
    """The changelog a fix should edit: the nearest one, or a new one."""
    for folder in ancestors(path):
        for name in sorted(snapshot.folder(folder)):
            if changelogs.is_changelog_name(name, settings.changelog_names):
                return f'{folder}/{name}' if folder else name
    folder = path.rpartition('/')[0]
    return f'{folder}/CHANGELOG.md' if folder else 'CHANGELOG.md'


def _changed_weights(
        dist: distribution.Distribution,
        reader: BlobReader,
        settings: Settings,
) -> list[Verdict]:
    wanted = {t.path for t in dist.targets}
    changed = [
        c.path for c in dist.changes
        if c.status != 'D' and c.content_changed and c.new_mode in REGULAR_MODES and
        (dist.mode == 'push' or c.path in wanted)
    ]
    verdicts = classify_entries(dist.snapshot, reader, changed, settings.rules)
    deleted = [c.path for c in dist.changes if c.status == 'D']
    if settings.deletions and deleted:
        refs = distribution.push_refs()
        base = resolve_commit(refs[0] if refs else 'HEAD')
        for verdict in classify_entries(Snapshot(base), reader, deleted, settings.rules):
            verdicts.append(verdict._replace(evidence='deleted'))
    return [v for v in verdicts if v.weights]


def _report(
        verdict: Verdict,
        entries: list[Entry],
        snapshot: Snapshot,
        settings: Settings,
) -> str | None:
    """The failure line for one changed weight file, or None if documented."""
    covering = [e for e in entries if _covers(e, verdict.path)]
    described = [line for e in covering for line in e.lines]
    what = 'deleted' if verdict.evidence == 'deleted' else 'changed'
    head = f'{verdict.path}: model weights ({verdict.format}) {what} without'
    if described and settings.require_mention and not changelogs.mentions(
            described, verdict.path,
    ):
        sources = ', '.join(e.source for e in covering if e.lines)
        return (
            f'{head} an entry that names it: {sources} must mention '
            f'{verdict.path.rpartition("/")[2]} (--require-mention)'
        )
    if described:
        return None
    expected = expected_changelog(snapshot, verdict.path, settings)
    broken = [e for e in covering if e.problem]
    if broken:
        return f'{head} a readable changelog entry: {broken[0].source}: {broken[0].problem}'
    if covering:
        return (
            f'{head} a changelog entry: the lines added to '
            f'{covering[0].source} describe nothing (only blank lines, '
            f'headings, dates or versions)'
        )
    return f'{head} a changelog entry: add one to {expected}'


def _check_changes(dist: distribution.Distribution, settings: Settings) -> int:
    reader = BlobReader(None if dist.mode == 'push' else dist.snapshot)
    weights = _changed_weights(dist, reader, settings)
    if not weights:
        return 0
    entries = [
        e for e in (_entry_for(c, reader, settings) for c in dist.changes)
        if e is not None
    ]
    failures = [
        line for line in (
            _report(v, entries, dist.snapshot, settings) for v in weights
        ) if line is not None
    ]
    for line in failures:
        print(line)
    if failures:
        where = 'commit' if dist.mode == 'commit' else 'push'
        target = expected_changelog(dist.snapshot, weights[0].path, settings)
        print(
            f'\nTo fix: describe the modification in the same {where}, in the '
            f'changelog that covers the weights ({changelogs.NAMES_HELP}), '
            f'for example:\n'
            f'  - Fine-tuned {weights[0].path.rpartition("/")[2]} on 2k more '
            f'clips; learning rate 1e-5\n'
            f'then: git add {shlex.quote(target)}',
        )
    return int(bool(failures))


def changelog_entry(
        snapshot: Snapshot,
        reader: BlobReader,
        path: str,
        settings: Settings,
        cache: dict[str, tuple[str, str] | None] | None = None,
) -> tuple[str, str] | None:
    """(changelog, its latest entry) covering a path, when there is one
    with a describing line: a changelog, a fragment, a card section."""
    cache = {} if cache is None else cache
    for folder in ancestors(path):
        if folder not in cache:
            cache[folder] = _folder_entry(snapshot, reader, folder, settings)
        if cache[folder] is not None:
            return cache[folder]
    return None


def _folder_entry(
        snapshot: Snapshot,
        reader: BlobReader,
        folder: str,
        settings: Settings,
) -> tuple[str, str] | None:
    for name, entry in sorted(snapshot.folder(folder).items()):
        line = _first_entry(name, entry.oid, reader, settings)
        if line is not None:
            return (f'{folder}/{name}' if folder else name), line
    for fragments in settings.fragment_dirs:
        where = f'{folder}/{fragments}' if folder else fragments
        for name, entry in sorted(snapshot.folder(where).items(), reverse=True):
            text = _lines(reader, entry.oid)
            lines = [ln for ln in text.lines or [] if changelogs.describes(ln)]
            if lines:
                return f'{where}/{name}', lines[0].strip()
    return None


def _first_entry(
        name: str,
        oid: str,
        reader: BlobReader,
        settings: Settings,
) -> str | None:
    """The first describing line of a changelog (or a card's section)."""
    is_card = name == changelogs.MODEL_CARD
    if not is_card and not changelogs.is_changelog_name(name, settings.changelog_names):
        return None
    text = _lines(reader, oid)
    if text.lines is None:
        return None
    lines = (
        changelogs.card_section_lines(text.lines) if is_card
        else [ln for ln in text.lines if changelogs.describes(ln)]
    )
    return lines[0].strip() if lines else None


def _check_existing(dist: distribution.Distribution, settings: Settings) -> int:
    """--all-files: no diff to judge, so every weight needs a changelog."""
    reader = BlobReader(dist.snapshot)
    snapshot = dist.snapshot
    paths = [t.path for t in dist.targets]
    weights = [v for v in classify_entries(snapshot, reader, paths, settings.rules) if v.weights]
    cache: dict[str, tuple[str, str] | None] = {}
    failures = 0
    for verdict in weights:
        if changelog_entry(snapshot, reader, verdict.path, settings, cache) is None:
            failures += 1
            print(
                f'{verdict.path}: model weights ({verdict.format}) without a '
                f'changelog: no non-empty changelog in its folder or above; '
                f'add {expected_changelog(snapshot, verdict.path, settings)}',
            )
    if failures:
        print(
            f'\nTo fix: keep a changelog of the modifications made to the '
            f'weights ({changelogs.NAMES_HELP}).',
        )
    return int(bool(failures))


def find_undocumented_changes(
        filenames: Sequence[str],
        settings: Settings = Settings(),
) -> int:
    dist = distribution.find(
        filenames, companion=lambda path: _is_changelog_source(path, settings),
        deletions=settings.deletions,
    )
    if dist.mode == 'files':
        return _check_existing(dist, settings)
    return _check_changes(dist, settings)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    options.add_hook_arguments(parser)
    parser.add_argument(
        '--changelog-name', action='append', default=[], metavar='GLOB',
        help='another file name of a changelog (repeatable)',
    )
    parser.add_argument(
        '--fragment-dir', action='append', default=[], metavar='NAME',
        help='another folder name of changelog fragments, as towncrier '
        'keeps them (repeatable; changelog.d and newsfragments always count)',
    )
    parser.add_argument(
        '--deletions', action='store_true',
        help='deleting weights needs a changelog entry too',
    )
    parser.add_argument(
        '--require-mention', action='store_true',
        help='the entry must name each changed weight file (its name, stem '
        'or folder)',
    )
    return options.run(_run, parser.parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    args = options.configured(args)
    settings = Settings(
        rules=options.rules(args),
        changelog_names=tuple(args.changelog_name),
        fragment_dirs=changelogs.FRAGMENT_FOLDERS + tuple(args.fragment_dir),
        deletions=args.deletions,
        require_mention=args.require_mention,
    )
    return find_undocumented_changes(args.filenames, settings)


if __name__ == '__main__':
    raise SystemExit(main())
