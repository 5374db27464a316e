"""model-license-hooks check: audit a model repository (or a plain folder).

The three rules judge every tracked file (every file, for a folder that is
not a git repository), exactly as the hooks do with `--all-files`; the
report groups their Findings per model folder, with what the same Judge
found: the licence copy, the changelog, the profile.  `report` renders it
as text, JSON (docs/report-schema.json) or SARIF 2.1.0, `bom` as a
CycloneDX 1.6 ML-BOM.
"""
from __future__ import annotations

import os
from typing import Any
from typing import NamedTuple
from typing import TYPE_CHECKING

from ..card.changelog import latest_entry
from ..card.modelcard import Card
from ..errors import UserError
from ..license.common import common_licence
from ..rules.findings import Finding
from ..rules.findings import merged
from ..rules.judge import Judge
from ..rules.registry import RULES
from ..rules.settings import build
from ..tree.disk import DiskTree
from ..tree.distribution import Distribution
from ..tree.distribution import Target
from ..tree.git import git_root_of
from ..tree.trees import GitRepo
from ..tree.trees import Tree
from ..weights.classify import Verdict

if TYPE_CHECKING:
    from ..license.lineage import Inherited
    from ..license.profiles import Profile


class Model(NamedTuple):
    folder: str
    weights: list[Verdict]
    licence: dict[str, Any]
    changelog: dict[str, Any]
    attribution: dict[str, Any]
    findings: list[Finding]
    # What the Judge found besides, for the BOM: which licence the copy is
    # (its profile, else the SPDX id of a common licence), and the card.
    copy_profile: Profile | None = None
    copy_spdx: str | None = None
    card_path: str | None = None
    card: Card | None = None
    # The base models the card names and the licence each carries, as the
    # Judge's lineage found them (a Hub id the table knows, a folder's card).
    bases: tuple[Inherited, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(f.failed for f in self.findings)


class Report(NamedTuple):
    root: str
    git: bool
    models: list[Model]
    findings: list[Finding]  # every finding once, with the weights it concerns
    tree: Tree | None = None  # the audited tree, for a rendering that reads content

    @property
    def ok(self) -> bool:
        return all(m.ok for m in self.models)


def audited_tree(root: str) -> tuple[Tree, GitRepo | None, str]:
    """(the tree, its repository, the folder of it to audit): a folder in a
    git work tree is judged within that repository's staged tree."""
    if not os.path.isdir(root):
        raise UserError(f'{root}: not a folder')
    top = git_root_of(root)
    if top is None:
        return DiskTree(root), None, ''
    repo = GitRepo(top)
    scope = os.path.relpath(os.path.realpath(root), os.path.realpath(top))
    return repo.index, repo, '' if scope == '.' else scope.replace(os.sep, '/')


def audit(root: str, given: dict[str, Any]) -> Report:
    tree, repo, scope = audited_tree(root)
    settings = build(given, tree)
    judge = Judge(settings)
    paths = tree.under(scope)
    dist = Distribution('audit', tree, [Target(tree, p) for p in paths], [], repo)
    findings = merged(f for rule in RULES.values() for f in rule.check(dist, judge))
    groups: dict[str, list[Verdict]] = {}
    for verdict in judge.models(tree, paths):
        groups.setdefault(verdict.path.rpartition('/')[0], []).append(verdict)
    cache: dict[str, tuple[str, str] | None] = {}
    recognised: dict[str, tuple[Profile | None, str | None]] = {}
    by_weights: dict[str, list[tuple[int, Finding]]] = {}  # each folder's, without a scan
    for n, finding in enumerate(findings):
        for path in finding.weights:
            by_weights.setdefault(path, []).append((n, finding))
    models = [
        _model(folder, weights, tree, judge, by_weights, cache)
        for folder, weights in sorted(groups.items())
    ]
    models = [_with_card(m, tree, judge, recognised) for m in models]
    return Report(root, repo is not None, models, findings, tree)


def _model(
        folder: str,
        weights: list[Verdict],
        tree: Tree,
        judge: Judge,
        by_weights: dict[str, list[tuple[int, Finding]]],
        cache: dict[str, tuple[str, str] | None],
) -> Model:
    first = weights[0].path
    found = dict(pair for w in weights for pair in by_weights.get(w.path, ()))
    own = [found[n] for n in sorted(found)]  # in the order the rules found them
    copy, rejected = judge.licence(tree, first)
    if copy is not None:
        licence = {'path': copy.path, 'ok': True, 'licence': judge.licence_name(tree, copy.path)}
    else:
        why = '; '.join(f'{c.path}: {c.problem}' for c in rejected[:2])
        licence = {'path': None, 'ok': False, 'problem': why or 'no licence copy'}
    entry = latest_entry(tree, first, judge.settings.changelogs, cache)
    log = (
        {'path': entry[0], 'latest_entry': entry[1], 'ok': True} if entry
        else {'path': None, 'latest_entry': None, 'ok': False}
    )
    profile, how = judge.profile(tree, first)
    problems = [f.line() for f in own if f.rule == 'attribution' and f.failed]
    if profile is None:
        credit: dict[str, Any] = {
            'profile': None, 'ok': True, 'problems': [],
            'note': 'no licence profile known: nothing to enforce',
        }
    else:
        card_path, _ = judge.card(tree, first)
        credit = {
            'profile': profile.id, 'inferred_from': how or None,
            'card': card_path, 'ok': not problems, 'problems': problems,
        }
    return Model(folder, weights, licence, log, credit, own)


def _with_card(
        model: Model,
        tree: Tree,
        judge: Judge,
        recognised: dict[str, tuple[Profile | None, str | None]],
) -> Model:
    """The model with its card and what its licence copy was recognised as."""
    card_path, card = judge.card(tree, model.weights[0].path)
    copy_path = model.licence['path']
    if copy_path is not None and copy_path not in recognised:
        recognised[copy_path] = _recognised(tree, judge, copy_path)
    profile, spdx = recognised.get(copy_path, (None, None)) if copy_path else (None, None)
    bases, _ = judge.lineage(tree, model.weights[0].path)
    return model._replace(
        copy_profile=profile, copy_spdx=spdx, card_path=card_path, card=card,
        bases=tuple(bases),
    )


def _recognised(tree: Tree, judge: Judge, copy_path: str) -> tuple[Profile | None, str | None]:
    """(the one profile the copy is a genuine copy of, else the SPDX id of
    the common licence its text is): the Judge's own recognition."""
    candidate = judge.candidate(tree, copy_path)
    if candidate is None:
        return None, None
    profile = judge.copy_profile(candidate)
    if profile is not None:
        return profile, None
    text, _ = candidate.text()
    return None, common_licence(text) if text else None
