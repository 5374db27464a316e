"""model-license-hooks check: audit a model repository (or a plain folder).

The three rules judge every tracked file (every file, for a folder that is
not a git repository), exactly as the hooks do with `--all-files`; the
report groups their Findings per model folder, with what the same Judge
found: the licence copy, the changelog, the profile.  `report` renders it
as text, JSON (docs/report-schema.json) or SARIF 2.1.0.
"""
from __future__ import annotations

import os
from typing import Any
from typing import NamedTuple

from ..card.changelog import latest_entry
from ..errors import UserError
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


class Model(NamedTuple):
    folder: str
    weights: list[Verdict]
    licence: dict[str, Any]
    changelog: dict[str, Any]
    attribution: dict[str, Any]
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not any(f.failed for f in self.findings)


class Report(NamedTuple):
    root: str
    git: bool
    models: list[Model]
    findings: list[Finding]  # every finding once, with the weights it concerns

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
    by_weights: dict[str, list[tuple[int, Finding]]] = {}  # each folder's, without a scan
    for n, finding in enumerate(findings):
        for path in finding.weights:
            by_weights.setdefault(path, []).append((n, finding))
    models = [
        _model(folder, weights, tree, judge, by_weights, cache)
        for folder, weights in sorted(groups.items())
    ]
    return Report(root, repo is not None, models, findings)


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
