"""model-license-hooks init: add what a compliant model repository lacks.

Adds, at the root of PATH, only what is missing: a CHANGELOG.md with a first
entry, the model card's front matter keys and attribution paragraph, a
NOTICE where the profile asks for one, and a .pre-commit-config.yaml entry
for the hooks.  It never rewrites or reorders what is there (it merges into
existing front matter and config), never writes licence text (it says where
to get the copy), and with --dry-run only shows the changes.
"""
from __future__ import annotations

import difflib
import os
import re
from typing import NamedTuple

from hooks import check_model_attribution as attribution
from hooks import check_model_changelog as changelog
from hooks import licenses
from hooks import modelcard
from hooks import profiles
from hooks.disk import DiskReader
from hooks.disk import DiskSnapshot
from hooks.util import UserError
from hooks.weights import classify_entries

# Where the hooks are fetched from; edit the written config if you host
# model-license-hooks elsewhere.
HOOKS_REPO = 'https://example.com/your-mirror/model-license-hooks'
HOOK_IDS = ('check-model-license', 'check-model-changelog', 'check-model-attribution')
CONFIG = '.pre-commit-config.yaml'


class FileChange(NamedTuple):
    path: str
    old: str | None  # None: a new file
    new: str


def _read(root: str, path: str) -> str | None:
    try:
        with open(os.path.join(root, path), encoding='utf-8') as f:
            return f.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f'{path}: cannot read it: {exc}')


def _changelog(profile: profiles.Profile | None, name: str) -> str:
    base = profile.statement[0] if profile and profile.statement else 'the base model'
    return (
        '# Changelog\n\n## [Unreleased]\n\n### Changed\n\n'
        f'- Derived {name} from {base}; describe here how these weights '
        f'differ from it (data, training, quantization, merges).\n'
    )


def _front_matter_lines(
        profile: profiles.Profile,
        card: modelcard.Card,
        licence_path: str | None,
) -> list[str]:
    wanted: list[tuple[str, str]] = []
    if profile.hf_license and 'license' not in card.meta:
        wanted.append(('license', profile.hf_license[0]))
    if 'other' in profile.hf_license[:1] and profile.hf_license_name and \
            'license_name' not in card.meta:
        wanted.append(('license_name', profile.hf_license_name[0]))
    if 'license_link' not in card.meta and licence_path:
        wanted.append(('license_link', licence_path))
    if profile.base_model_default and 'base_model' not in card.meta:
        wanted.append(('base_model', profile.base_model_default))
    return [f'{key}: {value}' for key, value in wanted]


def _attribution_paragraph(profile: profiles.Profile, card: modelcard.Card) -> str | None:
    shown = modelcard.prominent(card)
    parts = []
    if profile.statement and not any(modelcard.normal(s) in shown for s in profile.statement):
        source = f' ({profile.upstream})' if profile.upstream else ''
        parts.append(f'This model is built on {profile.statement[0]}{source}.')
    for text in profile.strings + profile.display:
        if modelcard.normal(text) not in shown:
            parts.append(text)
    return ' '.join(parts) if parts else None


def _card(
        root: str,
        profile: profiles.Profile,
        licence_path: str | None,
) -> FileChange | None:
    old = _read(root, attribution.CARD_NAME)
    text = old if old is not None else f'# {os.path.basename(os.path.abspath(root))}\n'
    card = modelcard.parse(text)
    if card.problem:
        raise UserError(f'README.md: cannot merge into its front matter: {card.problem}')
    lines = text.splitlines(keepends=True)
    added = _front_matter_lines(profile, card, licence_path)
    if added:
        addition = ''.join(f'{line}\n' for line in added)
        if card.meta_text or text.startswith('---'):
            # Before the closing '---': existing keys keep their order.
            end = next(
                i for i in range(1, len(lines)) if lines[i].strip() in ('---', '...')
            )
            lines.insert(end, addition)
        else:
            lines.insert(0, f'---\n{addition}---\n')
    paragraph = _attribution_paragraph(profile, card)
    if paragraph:
        lines = ''.join(lines).splitlines(keepends=True)
        body_start = _body_start(lines)
        title = body_start
        while title < len(lines) and not lines[title].strip():
            title += 1
        at = title + 1 if title < len(lines) and lines[title].startswith('# ') else body_start
        lines.insert(at, f'\n{paragraph}\n')
    new = ''.join(lines)
    if not new.endswith('\n'):
        new += '\n'
    return None if new == old else FileChange(attribution.CARD_NAME, old, new)


def _body_start(lines: list[str]) -> int:
    if lines and lines[0].strip() == '---':
        for i in range(1, len(lines)):
            if lines[i].strip() in ('---', '...'):
                return i + 1
    return 0


def _notice(root: str, profile: profiles.Profile) -> FileChange | None:
    if profile.notice is None:
        return None
    for name in sorted(os.listdir(root)):
        if attribution.NOTICE_NAME.match(name):
            old = _read(root, name) or ''
            if modelcard.normal(profile.notice.text) in modelcard.normal(old):
                return None
            sep = '' if not old or old.endswith('\n') else '\n'
            return FileChange(name, old, f'{old}{sep}{profile.notice.text}\n')
    return FileChange('NOTICE', None, f'{profile.notice.text}\n')


def _hook_entry(profile: profiles.Profile | None) -> str:
    args = f'\n        args: [--profile, {profile.id}]' if profile else ''
    hooks = ''.join(
        f'    -   id: {hook}{args if hook != "check-model-changelog" else ""}\n'
        for hook in HOOK_IDS
    )
    return f'-   repo: {HOOKS_REPO}\n    rev: v0.1.0\n    hooks:\n{hooks}'


def _config(root: str, profile: profiles.Profile | None) -> FileChange | None:
    old = _read(root, CONFIG)
    if old is None:
        return FileChange(CONFIG, None, 'repos:\n' + _hook_entry(profile))
    if all(re.search(rf'id:\s*{hook}\b', old) for hook in HOOK_IDS):
        return None
    lines = old.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if re.match(r'repos\s*:', ln)), None)
    if start is None:
        sep = '' if old.endswith('\n') or not old else '\n'
        return FileChange(CONFIG, old, f'{old}{sep}repos:\n{_hook_entry(profile)}')
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in ' \t-#'):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # keep blank lines after the block where they are
    if end > 0 and not lines[end - 1].endswith('\n'):
        lines[end - 1] += '\n'
    lines.insert(end, _hook_entry(profile))
    return FileChange(CONFIG, old, ''.join(lines))


def plan(
        root: str,
        profile: profiles.Profile | None,
) -> tuple[list[FileChange], list[str]]:
    """(the file changes, notes for the user) that make `root` compliant."""
    snapshot = DiskSnapshot(root)
    reader = DiskReader(root)
    weights = [
        v for v in classify_entries(snapshot, reader, snapshot.paths())
        if v.weights
    ]
    notes = []
    if not weights:
        notes.append('no model weights found: the files are set up all the same')
    changes: list[FileChange] = []
    first = weights[0].path if weights else 'x'
    settings = changelog.Settings()
    if changelog.changelog_entry(snapshot, reader, first, settings) is None:
        name = os.path.basename(os.path.abspath(root))
        existing = _read(root, 'CHANGELOG.md')
        new = _changelog(profile, name)
        if existing is not None:
            entry = new.split('### Changed\n\n', 1)[1]
            sep = '' if existing.endswith('\n') else '\n'
            changes.append(FileChange('CHANGELOG.md', existing, f'{existing}{sep}\n{entry}'))
        else:
            changes.append(FileChange('CHANGELOG.md', None, new))
    copy, _ = licenses.LicenseIndex(snapshot, reader, (), profile).covering(first)
    licence_path = copy.path if copy else 'LICENSE'
    if copy is None:
        where = profile.obtain if profile and profile.obtain else 'the base model\'s repository'
        notes.append(
            f'licence copy missing: get {where} and add it to the repository '
            f'(as {licence_path}, or the official PDF); model-license-hooks '
            f'does not write licence text',
        )
    if profile is not None:
        for change in (_card(root, profile, licence_path), _notice(root, profile)):
            if change is not None:
                changes.append(change)
    else:
        notes.append('no --profile: licence metadata and attribution not added')
    config = _config(root, profile)
    if config is not None:
        changes.append(config)
    return changes, notes


def diff(change: FileChange) -> str:
    return ''.join(difflib.unified_diff(
        (change.old or '').splitlines(keepends=True),
        change.new.splitlines(keepends=True),
        fromfile='/dev/null' if change.old is None else f'a/{change.path}',
        tofile=f'b/{change.path}',
    ))


def run_init(
        root: str,
        *,
        profile_name: str | None,
        profile_files: tuple[str, ...],
        dry_run: bool,
) -> int:
    if not os.path.isdir(root):
        raise UserError(f'{root}: not a folder')
    profile = profiles.select(profile_name, profile_files) if profile_name else None
    changes, notes = plan(root, profile)
    for change in changes:
        if dry_run:
            print(diff(change), end='')
        else:
            with open(os.path.join(root, change.path), 'w', encoding='utf-8') as f:
                f.write(change.new)
            print(f'{change.path}: {"created" if change.old is None else "updated"}')
    if not changes:
        print('nothing to change')
    for note in notes:
        print(f'note: {note}')
    if dry_run and changes:
        print('(dry run: nothing written)')
    return 0
