"""model-license-hooks init: add what a compliant model repository lacks.

Adds, at the root of PATH, only what is missing: a CHANGELOG.md with a first
entry, the model card's front matter keys and attribution paragraph, a
NOTICE where the profile asks for one, and a .pre-commit-config.yaml entry
for the hooks.  YAML is edited with ruamel.yaml, which keeps comments,
order and indentation; nothing is rewritten that need not be, no licence
text is written (it says where to get the copy), and with --dry-run only
the changes are shown.  What is missing is what `check` finds missing:
the same Judge decides.
"""
from __future__ import annotations

import difflib
import io
import os
from typing import Any
from typing import NamedTuple
from typing import TYPE_CHECKING

from ..card.changelog import latest_entry
from ..card.modelcard import CARD_NAME
from ..card.modelcard import normal
from ..card.modelcard import parse
from ..card.modelcard import prominent
from ..card.notice import is_notice_name
from ..errors import UserError
from ..rules.judge import Judge
from ..rules.settings import build
from ..tree.disk import DiskTree

if TYPE_CHECKING:
    from ..card.modelcard import Card
    from ..license.profiles import Profile

# Where the hooks are fetched from: say where you host model-license-hooks
# with --repo (and --rev), or edit the written config.
HOOKS_REPO = 'https://example.com/your-mirror/model-license-hooks'
HOOKS_REV = 'v0.1.0'
# The combined hook: one pass for the three rules.  A config that already
# has it, or the three single-rule hooks, is left alone.
COMBINED_ID = 'check-model-compliance'
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


def _yaml(text: str = '') -> Any:
    """A round-trip YAML reader and writer set to the text's indentation."""
    from ruamel.yaml import YAML  # only for init: start-up time
    from ruamel.yaml.util import load_yaml_guess_indent
    indent, offset = 4, 0
    if text.strip():
        try:
            _, guessed, guessed_offset = load_yaml_guess_indent(text)
        except Exception as exc:  # ruamel raises many kinds on bad YAML
            raise UserError(f'cannot read it as YAML: {exc}')
        indent = guessed or indent
        offset = guessed_offset or 0
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=indent, sequence=indent, offset=offset)
    return yaml


def _dump(yaml: Any, data: object) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _changelog(profile: Profile | None, name: str) -> str:
    base = profile.statement[0] if profile and profile.statement else 'the base model'
    return (
        '# Changelog\n\n## [Unreleased]\n\n### Changed\n\n'
        f'- Derived {name} from {base}; describe here how these weights '
        f'differ from it (data, training, quantization, merges).\n'
    )


def _front_matter(profile: Profile, card: Card, licence_path: str | None) -> dict[str, str]:
    wanted: dict[str, str] = {}
    if profile.hf_license and 'license' not in card.meta:
        wanted['license'] = profile.hf_license[0]
    if profile.hf_license[:1] == ('other',) and profile.hf_license_name and (
            'license_name' not in card.meta
    ):
        wanted['license_name'] = profile.hf_license_name[0]
    if 'license_link' not in card.meta and licence_path:
        wanted['license_link'] = licence_path
    if profile.base_model_default and 'base_model' not in card.meta:
        wanted['base_model'] = profile.base_model_default
    return wanted


def _attribution_paragraph(profile: Profile, card: Card) -> str | None:
    shown = prominent(card)
    parts = []
    if profile.statement and not any(normal(s) in shown for s in profile.statement):
        source = f' ({profile.upstream})' if profile.upstream else ''
        parts.append(f'This model is built on {profile.statement[0]}{source}.')
    parts += [t for t in profile.strings + profile.display if normal(t) not in shown]
    return ' '.join(parts) if parts else None


def _card(root: str, profile: Profile, licence_path: str | None) -> FileChange | None:
    old = _read(root, CARD_NAME)
    text = old if old is not None else f'# {os.path.basename(os.path.abspath(root))}\n'
    card = parse(text)
    if card.problem:
        raise UserError(f'{CARD_NAME}: cannot merge into its front matter: {card.problem}')
    lines = text.splitlines(keepends=True)
    added = _front_matter(profile, card, licence_path)
    if added:
        # The new keys only, written by the YAML library (quoting what
        # needs it), before the closing '---': the card's own lines stay.
        addition = _dump(_yaml(card.meta_text), added)
        if text.startswith('---'):
            end = next(i for i in range(1, len(lines)) if lines[i].strip() in ('---', '...'))
            lines.insert(end, addition)
        else:
            lines.insert(0, f'---\n{addition}---\n')
    paragraph = _attribution_paragraph(profile, card)
    if paragraph:
        lines = ''.join(lines).splitlines(keepends=True)
        start = _body_start(lines)
        title = start
        while title < len(lines) and not lines[title].strip():
            title += 1
        at = title + 1 if title < len(lines) and lines[title].startswith('# ') else start
        lines.insert(at, f'\n{paragraph}\n')
    new = ''.join(lines)
    new += '' if new.endswith('\n') else '\n'
    if parse(new).problem:  # never write a card the hooks cannot read
        raise UserError(f'{CARD_NAME}: merging would make its front matter unreadable')
    return None if new == old else FileChange(CARD_NAME, old, new)


def _body_start(lines: list[str]) -> int:
    if lines and lines[0].strip() == '---':
        for i in range(1, len(lines)):
            if lines[i].strip() in ('---', '...'):
                return i + 1
    return 0


def _notice(root: str, profile: Profile) -> FileChange | None:
    if profile.notice is None:
        return None
    for name in sorted(os.listdir(root)):
        if is_notice_name(name):
            old = _read(root, name) or ''
            if normal(profile.notice.text) in normal(old):
                return None
            sep = '' if not old or old.endswith('\n') else '\n'
            return FileChange(name, old, f'{old}{sep}{profile.notice.text}\n')
    return FileChange('NOTICE', None, f'{profile.notice.text}\n')


def _hook_entry(profile: Profile | None, repo: str, rev: str) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.comments import CommentedSeq
    item = CommentedMap(id=COMBINED_ID)
    if profile:
        args = CommentedSeq(['--profile', profile.id])
        args.fa.set_flow_style()
        item['args'] = args
    hooks = CommentedSeq([item])
    return CommentedMap(repo=repo, rev=rev, hooks=hooks)


def _config(root: str, profile: Profile | None, repo: str, rev: str) -> FileChange | None:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.comments import CommentedSeq
    old = _read(root, CONFIG)
    yaml = _yaml(old or '')
    try:
        data = yaml.load(old or '') or CommentedMap()
    except Exception as exc:  # ruamel raises many kinds on bad YAML
        raise UserError(f'{CONFIG}: cannot read it as YAML: {exc}')
    if not isinstance(data, CommentedMap):
        raise UserError(f'{CONFIG}: not a mapping with a "repos" list')
    repos = data.setdefault('repos', CommentedSeq())
    if not isinstance(repos, CommentedSeq):
        raise UserError(f'{CONFIG}: "repos" is not a list')
    present = {
        hook.get('id') for entry in repos if isinstance(entry, dict)
        for hook in entry.get('hooks') or () if isinstance(hook, dict)
    }
    if COMBINED_ID in present or all(hook in present for hook in HOOK_IDS):
        return None
    repos.fa.set_block_style()  # `repos: []` becomes a block list
    repos.append(_hook_entry(profile, repo, rev))
    return FileChange(CONFIG, old, _dump(yaml, data))


def plan(
        root: str,
        profile: Profile | None,
        repo: str = HOOKS_REPO,
        rev: str = HOOKS_REV,
        profile_files: tuple[str, ...] = (),
) -> tuple[list[FileChange], list[str]]:
    """(the file changes, notes for the user) that make `root` compliant."""
    tree = DiskTree(root)
    judge = Judge(build({
        'profile': profile.id if profile else None, 'profile_files': profile_files,
    }, tree))
    weights = judge.models(tree, tree.paths())  # weights, or model files without
    notes = []
    if not weights:
        notes.append('no model weights found: the files are set up all the same')
    changes: list[FileChange] = []
    first = weights[0].path if weights else 'x'
    if latest_entry(tree, first, judge.settings.changelogs, {}) is None:
        name = os.path.basename(os.path.abspath(root))
        existing = _read(root, 'CHANGELOG.md')
        new = _changelog(profile, name)
        if existing is not None:
            entry = new.split('### Changed\n\n', 1)[1]
            sep = '' if existing.endswith('\n') else '\n'
            changes.append(FileChange('CHANGELOG.md', existing, f'{existing}{sep}\n{entry}'))
        else:
            changes.append(FileChange('CHANGELOG.md', None, new))
    copy, _ = judge.finder(tree, profile).covering(first)
    licence_path = copy.path if copy else 'LICENSE'
    if copy is None:
        where = profile.obtain if profile and profile.obtain else "the base model's repository"
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
    config = _config(root, profile, repo, rev)
    if config is not None:
        changes.append(config)
        if repo == HOOKS_REPO:
            notes.append(
                f'{CONFIG}: set repo: to where you host model-license-hooks '
                f'(or pass --repo), then run `pre-commit autoupdate` to pin its '
                f'newest tag or commit',
            )
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
        repo: str = HOOKS_REPO,
        rev: str = HOOKS_REV,
) -> int:
    if not os.path.isdir(root):
        raise UserError(f'{root}: not a folder')
    from ..license import profiles
    profile = (
        profiles.select(profile_name, profiles.available(profile_files))
        if profile_name else None
    )
    changes, notes = plan(root, profile, repo, rev, profile_files)
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
