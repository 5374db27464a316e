"""The attribution rule: the model card and NOTICE files carry what the
licence profile requires (Duix.Avatar 6.1 and 6.2, Llama 1.b.i and 1.b.iii,
...): the statement of the base model, attribution strings, a NOTICE
sentence, a name prefix, and front matter that agrees with the licence."""
from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from ..card import modelcard
from ..card.modelcard import Card
from ..card.modelcard import CARD_NAME
from ..card.modelcard import normal
from ..card.notice import is_notice_name
from ..card.notice import notices
from ..tree.changes import Change
from ..tree.distribution import Distribution
from ..tree.listing import join
from ..tree.trees import Tree
from . import license as license_rule
from ..license.names import is_companion
from .findings import changed_folder
from .findings import Finding
from .findings import note
from .judge import Judge
from .settings import changed as settings_changed
from .settings import CONFIG_FILE
from .settings import Settings

if TYPE_CHECKING:
    from ..license.profiles import Profile

RULE = 'attribution'
URL = re.compile(r'^[a-z][a-z0-9+.-]*://', re.I)
FIX_CARD = 'add it to the model card (title, opening, front matter) or a NOTICE file'


def companion(path: str, settings: Settings) -> bool:
    """A file whose change can change what the attribution duties are or
    whether they are met: cards, NOTICE files, licence copies and REUSE
    files (the profile may come from the copy), the settings."""
    name = path.rpartition('/')[2]
    return (
        name == CARD_NAME or is_notice_name(name) or path == CONFIG_FILE or
        is_companion(path, settings.license_names)
    )


def weakened(change: Change, tree: Tree, settings: Settings) -> str | None:
    """The folder whose weights a change may leave without their attribution."""
    if change.path == CONFIG_FILE or change.old_path == CONFIG_FILE:
        return '' if settings_changed(change, tree) else None
    name = change.path.rpartition('/')[2]
    if is_notice_name(name) and change.status in 'AC':
        return None  # a new NOTICE adds sentences, never takes one away
    return changed_folder(change) if companion(change.path, settings) or (
        change.old_path is not None and companion(change.old_path, settings)
    ) else None


class _Card:
    """What the attribution duties are checked against, for one card."""

    def __init__(self, profile: Profile, path: str | None, card: Card | None,
                 weights_path: str, tree: Tree) -> None:
        self.profile = profile
        self.path = path or weights_path
        self.card = card
        self.weights_path = weights_path
        self.tree = tree
        self.findings: list[Finding] = []

    def fail(self, duty: str, message: str, fix: str = FIX_CARD, path: str = '') -> None:
        self.findings.append(Finding(
            RULE, path or self.path, message, fix=fix,
            clause=self.profile.clause(duty), weights=(self.weights_path,),
        ))


def check_card(
        profile: Profile,
        card_path: str | None,
        card: Card | None,
        weights_path: str,
        tree: Tree,
        wanted_copy: str | None = None,
        hub_metadata: bool = False,
) -> list[Finding]:
    """What the card and NOTICE files lack for this profile.  A license_link
    to `wanted_copy`, the copy the licence rule asks for because none
    covers the weights, is that rule's finding, not a second one here.
    Hub metadata (the front matter the profile names) is asked of a Hub
    model card, or with `hub_metadata` of any: a plain README.md (or one
    with a static site's front matter) is not asked for what only the Hub
    reads."""
    checked = _Card(profile, card_path, card, weights_path, tree)
    if card is None:
        wanted = join(weights_path.rpartition('/')[0], CARD_NAME)
        needs = [*profile.statement, *profile.strings, *profile.display]
        if needs or profile.notice is not None or (
                hub_metadata and profile.license_link_required):
            checked.fail(
                'attribution',
                f'no model card: add {wanted} stating '
                f'{", ".join(repr(n) for n in needs) or "the licence"} ({profile.id})',
                fix=f'add {wanted}', path=weights_path,
            )
        return checked.findings
    if card.problem:
        checked.fail('metadata', f'cannot read the front matter: {card.problem}',
                     fix='make the front matter valid YAML')
    if card.hub or hub_metadata:
        _front_matter(checked, card, wanted_copy)
    shown = modelcard.prominent(card)
    whole = normal('\n'.join(card.body))
    notice_texts = notices(tree, weights_path)
    _statements(checked, card, shown, whole, notice_texts)
    if profile.notice is not None:
        _notice(checked, notice_texts)
    if profile.name_prefix:
        wrong = [n for n in modelcard.model_names(card) if not n.startswith(profile.name_prefix)]
        if wrong:
            checked.fail(
                'name_prefix',
                f'the model name {wrong[0]!r} must begin with '
                f'{profile.name_prefix!r} ({profile.id})',
                fix=f'rename the model to begin with {profile.name_prefix!r}',
            )
    return checked.findings


def _statements(
        checked: _Card,
        card: Card,
        shown: str,
        whole: str,
        notice_texts: list[tuple[str, str]],
) -> None:
    profile = checked.profile
    for statement in profile.statement[:1]:
        if not any(normal(s) in shown for s in profile.statement):
            buried = ' (it is there, but not prominent)' if normal(statement) in whole else ''
            checked.fail(
                'statement',
                f'does not state prominently that the model is built on '
                f'{statement}{buried}: say so in the title, the opening '
                f'paragraph or the front matter',
            )
    for text in profile.strings + profile.display:
        wanted = normal(text)
        if wanted in shown or any(wanted in t for _, t in notice_texts):
            continue
        buried = ' (it is there, but not prominent)' if wanted in whole else ''
        checked.fail(
            'attribution',
            f'lacks {text!r}{buried}: put it in the title, the opening '
            f'paragraph or the front matter of the card, or in a NOTICE file',
        )
    if profile.ranking and ('model-index' in card.meta or 'eval_results' in card.meta):
        description = modelcard.description(card)
        if profile.statement and not any(normal(s) in description for s in profile.statement):
            checked.fail(
                'ranking',
                f'reports evaluation results (model-index), so its model '
                f'description must also state that the model is built on '
                f'{profile.statement[0]}',
            )


def _copyright_sign(text: str) -> str:
    """The licences write "(c)" or "©" in their NOTICE sentence, and copies
    use either: the same sign."""
    return text.replace('(c)', '©')


def _notice(checked: _Card, notice_texts: list[tuple[str, str]]) -> None:
    notice = checked.profile.notice
    assert notice is not None
    wanted = _copyright_sign(normal(notice.text))
    for _, text in notice_texts:
        # The text is normalised (case, width, white space); the regex is
        # the profile's own, so it is matched without regard to case.
        if wanted in _copyright_sign(text) or (
                notice.pattern and re.search(notice.pattern, text, re.I)):
            return
    target = join(checked.weights_path.rpartition('/')[0], 'NOTICE')
    found = f' ({notice_texts[0][0]} lacks it)' if notice_texts else ''
    checked.fail(
        'notice',
        f'no NOTICE file with the sentence the {checked.profile.id} licence '
        f'requires{found}: add {target} containing "{notice.text}"',
        fix=f'add {target} containing "{notice.text}"', path=checked.weights_path,
    )


def _front_matter(checked: _Card, card: Card, wanted_copy: str | None) -> None:
    profile = checked.profile
    value = card.text('license')
    fix = 'edit the front matter of the card'
    if profile.hf_license:
        if value is None:
            checked.fail('metadata', f'the front matter has no license: set license: '
                         f'{profile.hf_license[0]} ({profile.name})', fix)
        elif value not in profile.hf_license:
            checked.fail('metadata', f'the front matter says license: {value}, but the '
                         f'weights are under the {profile.name}: set license: '
                         f'{profile.hf_license[0]}', fix)
    if 'other' in profile.hf_license and profile.hf_license_name:
        name = card.text('license_name')
        if name is None or name.lower() not in profile.hf_license_name:
            checked.fail('metadata', f'set license_name: {profile.hf_license_name[0]} '
                         f'(found {card.meta.get("license_name")!r})', fix)
    link = card.text('license_link')
    if link and not URL.match(link):
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(checked.path), link.split('#')[0]),
        )
        dangling = target.startswith('..') or checked.tree.entry(target) is None
        if dangling and target != wanted_copy:
            checked.fail('metadata', f'license_link points to {link}, which is not a '
                         f'file in the commit: link the tracked licence copy', fix)
    elif not link and profile.license_link_required:
        checked.fail('metadata', 'set license_link to the licence copy in the '
                     'repository (e.g. license_link: LICENSE)', fix)
    if profile.base_model:
        values = card.strings('base_model')
        if not any(p.lower() in v.lower() for v in values for p in profile.base_model):
            checked.fail('metadata', f'set base_model to the upstream model '
                         f'({" or ".join(profile.base_model)}...; found '
                         f'{card.meta.get("base_model")!r})', fix)


def _hub_licence(card_path: str | None, card: Card, weights: list[str],
                 profile: Profile | None) -> list[Finding]:
    """The Hub's rules for `license:`, whatever the licence."""
    from ..card.hub import hub_license_problems
    asked = profile is not None and profile.license_link_required
    return [
        Finding(RULE, card_path or weights[0], problem, fix='edit the front matter of the card',
                clause='Hugging Face Hub licence metadata', weights=tuple(weights))
        for problem in hub_license_problems(card, link_asked=asked)
    ]


def check(dist: Distribution, judge: Judge) -> list[Finding]:
    findings: list[Finding] = []
    for tree, paths in dist.by_tree():
        groups: dict[str | None, list[str]] = {}
        for verdict in judge.models(tree, paths):
            card_path, _ = judge.card(tree, verdict.path)
            groups.setdefault(card_path, []).append(verdict.path)
        for card_path, weights in groups.items():
            _, card = judge.card(tree, weights[0])
            profile, how = judge.profile(tree, weights[0])
            if card is not None and (card.hub or judge.settings.hub_metadata):
                findings += _hub_licence(card_path, card, weights, profile)
            if profile is None:
                continue  # no licence known to enforce
            if how:
                findings.append(note(
                    RULE, card_path or weights[0],
                    f'licence profile {profile.id} (inferred from {how})',
                ))
            wanted = None
            if judge.licence(tree, weights[0])[0] is None:
                wanted = license_rule.wanted_copy(weights[0])
            problems = check_card(
                profile, card_path, card, weights[0], tree, wanted,
                hub_metadata=judge.settings.hub_metadata,
            )
            findings += [p._replace(weights=tuple(weights)) for p in problems]
    return findings
