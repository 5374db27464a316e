"""Licence lineage in the licence rule: a derivative's card, licence copy
and weight-file metadata must not contradict the licence its base model
carries; the weights' own metadata must not contradict the card or copy.
Which profile applies is the Judge's (`declared_profile`): here only what
contradicts it, said once per card or weight file."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..card.modelcard import Card
from ..license import lineage
from ..license.copies import genuine
from ..tree.trees import Tree
from ..weights.classify import Verdict
from ..weights.metadata import base_model_values
from ..weights.metadata import licence_values
from .findings import Finding
from .findings import note
from .judge import Judge

if TYPE_CHECKING:
    from ..license.lineage import Inherited
    from ..license.lineage import Licence
    from ..license.profiles import Profile

RULE = 'licence'


def card_findings(tree: Tree, verdict: Verdict, judge: Judge, audit: bool) -> list[Finding]:
    """A card whose licence contradicts what its base models carry; with
    `audit` (`check`), a note for each base model the table lacks."""
    card_path, card = judge.card(tree, verdict.path)
    if card is None or card_path is None:
        return []
    bases, unknown = judge.lineage(tree, verdict.path)
    findings = []
    for base in bases:
        if base.licence.permissive or lineage.card_agrees(card, base.licence) is not False:
            continue
        findings.append(Finding(
            RULE, card_path, lineage.contradiction(base, lineage.said(card)),
            fix=f'{_wanted(base.licence)} in the front matter of {card_path}, and ship a '
                f'copy of the {base.licence.name} with the weights',
            clause=base.licence.clause, weights=(verdict.path,),
        ))
    if audit:
        findings += [note(RULE, card_path, lineage.unknown_note(u))._replace(
            weights=(verdict.path,)) for u in unknown]
    return findings


def _wanted(licence: Licence) -> str:
    ids = [i for i in licence.license if i != 'other']
    if ids:
        return f'set license: {ids[0]}'
    name = licence.license_name[0] if licence.license_name else licence.id
    return f'set license: other and license_name: {name}'


def metadata_findings(tree: Tree, verdict: Verdict, judge: Judge) -> list[Finding]:
    """Licence or base-model metadata in a weight file that contradicts
    the licence that applies (the card's, its base model's, the copy's)."""
    metadata = judge.metadata(tree, verdict)
    if not metadata:
        return []
    profile, how = judge.profile(tree, verdict.path)
    _, card = judge.card(tree, verdict.path)
    if how.startswith('base_model '):
        card = None  # a card against its base model is said once, by card_findings
    findings = []
    for key, value in licence_values(metadata):
        against = _licence_conflict(tree, verdict, value, judge, card, (profile, how))
        if against is not None:
            findings.append(Finding(
                RULE, verdict.path,
                f'its metadata {key} = {value!r} names another licence than the one '
                f'that applies: {against}',
                fix='correct the licence metadata of the weights, or the model card '
                    'and the licence copy',
                clause=profile.clause('copy') if profile else '', weights=(verdict.path,),
            ))
    for key, value in base_model_values(metadata):
        for base in lineage.inherited([value], judge.table)[0]:
            what = _base_conflict(base, card, profile)
            if what is None:
                continue
            findings.append(Finding(
                RULE, verdict.path,
                f'its metadata {key} = {value!r}: ' + lineage.contradiction(base, what),
                fix=f'{_wanted(base.licence)} in the model card and ship a copy of the '
                    f'{base.licence.name}, or correct the metadata',
                clause=base.licence.clause, weights=(verdict.path,),
            ))
    return findings


def _licence_conflict(
        tree: Tree, verdict: Verdict, value: str, judge: Judge, card: Card | None,
        applied: tuple[Profile | None, str],
) -> str | None:
    """What a licence named in the metadata contradicts, if anything."""
    profile, how = applied
    named = _licence_named(value, judge)
    if named is None and not _hub_id(value):
        return None  # a free-form name (or an expression) no licence is known by
    if profile is not None and value.strip().lower() not in judge.table.licences[
            profile.id].names():
        return f'the weights are under the {profile.name}' + (f' ({how})' if how else '')
    declared = card.text('license') if card is not None else None
    if card is not None and declared is not None:
        if named is not None and lineage.card_agrees(card, named) is False:
            return f'the model card says {lineage.said(card)}'
        if named is None and declared.lower() not in ('other', value.strip().lower()):
            return f'the model card says license: {declared}'
    if profile is None and named is not None and named.profile is not None:
        copy, _ = judge.licence(tree, verdict.path)
        candidate = judge.candidate(tree, copy.path) if copy is not None else None
        if copy is not None and candidate is not None and not genuine(
                named.profile, candidate, name_it=False)[0]:
            return f'the licence copy {copy.path} is {judge.licence_name(tree, copy.path)}'
    return None


def _hub_id(value: str) -> bool:
    """A licence id of the Hub's (mit, bsd-3-clause, ...), not other/unknown."""
    from ..card.hub import hub_license_ids
    lowered = value.strip().lower()
    return lowered not in ('other', 'unknown') and lowered in hub_license_ids()


def _licence_named(value: str, judge: Judge) -> Licence | None:
    lowered = value.strip().lower()
    return next((lic for lic in judge.table.licences.values() if lowered in lic.names()), None)


def _base_conflict(base: Inherited, card: Card | None, profile: Profile | None) -> str | None:
    """What a base model named in the metadata contradicts, if anything."""
    if base.licence.permissive:
        return None
    if profile is not None and profile.id != base.licence.id:
        return f'the weights are declared under the {profile.name}'
    if card is not None and lineage.card_agrees(card, base.licence) is False:
        return lineage.said(card)
    return None
