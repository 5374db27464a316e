"""model-license-hooks check: audit a model repository (or a plain folder).

Runs the three checks over every tracked file (every file, for a folder
that is not a git repository) and reports per model folder: the weights,
the licence copy, the changelog, the attribution, and a verdict with the
fix for each failure.  Text, JSON (docs/report-schema.json) or SARIF 2.1.0.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any
from typing import NamedTuple

from hooks import check_model_attribution as attribution
from hooks import check_model_changelog as changelog
from hooks import licenses
from hooks import modelcard
from hooks import profiles
from hooks.disk import DiskReader
from hooks.disk import DiskSnapshot
from hooks.gitview import BlobReader
from hooks.gitview import Snapshot
from hooks.util import CalledProcessError
from hooks.util import cmd_output
from hooks.util import UserError
from hooks.weights import classify_entries
from hooks.weights import Rules
from hooks.weights import Verdict

SCHEMA_VERSION = 1
TOOL_NAME = 'model-license-hooks'
RULES = {
    'licence': 'Model weights travel with a copy of their licence',
    'changelog': 'Modified weights have a changelog entry describing the modification',
    'attribution': 'The model card and NOTICE carry what the licence requires',
}


class Finding(NamedTuple):
    rule: str  # a key of RULES
    path: str  # the file the finding is about
    message: str
    fix: str


class Model(NamedTuple):
    folder: str
    weights: list[Verdict]
    licence: dict[str, Any]
    changelog: dict[str, Any]
    attribution: dict[str, Any]
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


class Report(NamedTuple):
    root: str
    git: bool
    models: list[Model]

    @property
    def ok(self) -> bool:
        return all(m.ok for m in self.models)


def _is_git_root(root: str) -> bool:
    try:
        top = cmd_output('git', 'rev-parse', '--show-toplevel', cwd=root).strip()
    except CalledProcessError:
        return False
    return os.path.realpath(top) == os.path.realpath(root)


def _licence_label(
        copy_path: str,
        snapshot: Snapshot,
        reader: BlobReader,
        known: dict[str, profiles.Profile],
) -> str:
    entry = snapshot.lookup([copy_path]).get(copy_path)
    if entry is None:
        return 'unknown'
    data, _ = reader.read_whole(entry.oid, licenses.MAX_COPY_BYTES)
    for profile in known.values():
        if licenses.genuine(profile, copy_path, data)[0]:
            return profile.name
    from hooks import licence_text
    text = licence_text.text_of(copy_path, data)
    found = licenses.what_licence(text) if text else None
    return found or 'a licence text not recognised by any profile'


def audit_model(
        folder: str,
        weights: list[Verdict],
        snapshot: Snapshot,
        reader: BlobReader,
        known: dict[str, profiles.Profile],
        explicit: profiles.Profile | None,
        settings: changelog.Settings,
        license_names: tuple[str, ...],
) -> Model:
    first = weights[0].path
    findings = []
    # The licence copy.
    card_path = attribution.find_card(snapshot, first)
    text = attribution.card_text(snapshot, reader, card_path) if card_path else None
    card = modelcard.parse(text) if text is not None else None
    profile, how = (explicit, '') if explicit else attribution.infer(card, known)
    if profile is None:
        profile, how = attribution.infer_from_copy(
            snapshot, reader, first, known,
            attribution.Settings(license_names=license_names),
        )
    copies = licenses.LicenseIndex(snapshot, reader, license_names, explicit)
    copy, rejected = copies.covering(first)
    if copy is not None:
        licence = {
            'path': copy.path, 'ok': True,
            'licence': _licence_label(copy.path, snapshot, reader, known),
        }
    else:
        why = '; '.join(f'{c.path}: {c.problem}' for c in rejected[:2])
        where = f'{folder}/LICENSE' if folder else 'LICENSE'
        obtain = f' ({profile.name})' if profile else ''
        licence = {'path': None, 'ok': False, 'problem': why or 'no licence copy'}
        source = f'; get it from {profile.obtain}' if profile and profile.obtain else ''
        findings.append(Finding(
            'licence', rejected[0].path if rejected else first,
            f'no licence copy covers the weights{": " + why if why else ""}',
            f'add a copy of the model\'s licence{obtain} as {where} '
            f'(or in a folder above){source}',
        ))
    # The changelog.
    entry = changelog.changelog_entry(snapshot, reader, first, settings)
    if entry is not None:
        log = {'path': entry[0], 'latest_entry': entry[1], 'ok': True}
    else:
        expected = changelog.expected_changelog(snapshot, first, settings)
        log = {'path': None, 'latest_entry': None, 'ok': False}
        findings.append(Finding(
            'changelog', first, 'no changelog with an entry covers the weights',
            f'add {expected} with an entry describing how the weights differ '
            f'from the base model',
        ))
    # The attribution.
    if profile is None:
        credit: dict[str, Any] = {
            'profile': None, 'ok': True, 'problems': [],
            'note': 'no licence profile known: nothing to enforce',
        }
    else:
        problems = attribution.check_card(profile, card_path, card, first, snapshot, reader)
        credit = {
            'profile': profile.id, 'inferred_from': how or None,
            'card': card_path, 'ok': not problems, 'problems': problems,
        }
        if not licence['ok']:
            # A link to the missing copy is the licence finding again.
            problems = [p for p in problems if 'license_link points to' not in p]
            credit['problems'] = problems
            credit['ok'] = not problems
        for problem in problems:
            path, _, message = problem.partition(': ')
            findings.append(Finding(
                'attribution', path, message,
                'add it to the model card (title, opening, front matter) or NOTICE',
            ))
    return Model(folder, weights, licence, log, credit, findings)


def audit(
        root: str,
        *,
        rules: Rules = Rules(),
        profile_name: str | None = None,
        profile_files: tuple[str, ...] = (),
        license_names: tuple[str, ...] = (),
) -> Report:
    if not os.path.isdir(root):
        raise UserError(f'{root}: not a folder')
    git = _is_git_root(root)
    if git:
        os.chdir(root)
        snapshot: Snapshot = Snapshot(None)
        reader: BlobReader = BlobReader(snapshot)
    else:
        snapshot = DiskSnapshot(root)
        reader = DiskReader(root)
    known = profiles.available(profile_files)
    explicit = profiles.select(profile_name, profile_files) if profile_name else None
    verdicts = classify_entries(snapshot, reader, snapshot.paths(), rules)
    groups: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        if verdict.weights:
            groups.setdefault(verdict.path.rpartition('/')[0], []).append(verdict)
    settings = changelog.Settings(rules=rules)
    models = [
        audit_model(folder, weights, snapshot, reader, known, explicit, settings, license_names)
        for folder, weights in sorted(groups.items())
    ]
    return Report(root, git, models)


# --- output ------------------------------------------------------------------

def _size(n: int) -> str:
    if n < 1024:
        return f'{n} B'
    value = float(n)
    for unit in ('KiB', 'MiB', 'GiB', 'TiB', 'PiB'):
        value /= 1024
        if value < 1024:
            break
    return f'{value:.1f} {unit}'


def _colour(text: str, code: str) -> str:
    if sys.stdout.isatty() and not os.environ.get('NO_COLOR'):
        return f'\033[{code}m{text}\033[0m'
    return text


def text_report(report: Report) -> str:
    ok, bad = _colour('ok', '32'), _colour('FAIL', '31;1')
    lines = []
    if not report.models:
        lines.append(f'{report.root}: no model weights found')
    for model in report.models:
        formats: dict[str, int] = {}
        for w in model.weights:
            formats[w.format] = formats.get(w.format, 0) + 1
        total = sum(w.size or 0 for w in model.weights)
        lfs = sum(w.lfs for w in model.weights)
        shown = ', '.join(f'{f} x{n}' for f, n in sorted(formats.items()))
        lines.append(
            f'{model.folder or "(repository root)"}: {len(model.weights)} weight '
            f'file{"s" if len(model.weights) != 1 else ""} ({shown}), {_size(total)}'
            + (f', {lfs} in Git LFS' if lfs else ''),
        )
        lic = model.licence
        lines.append(
            f'  licence:     {lic["path"]} ({lic["licence"]})' if lic['ok']
            else f'  licence:     none ({lic.get("problem")})',
        )
        log = model.changelog
        lines.append(
            f'  changelog:   {log["path"]}, latest entry: {log["latest_entry"]!r}'
            if log['ok'] else '  changelog:   none',
        )
        cred = model.attribution
        if cred['profile'] is None:
            lines.append(f'  attribution: {cred["note"]}')
        else:
            how = f', inferred from {cred["inferred_from"]}' if cred.get('inferred_from') else ''
            state = 'complete' if cred['ok'] else f'{len(cred["problems"])} problem(s)'
            lines.append(f'  attribution: profile {cred["profile"]}{how}: {state}')
        lines.append(f'  verdict:     {ok if model.ok else bad}')
        for f in model.findings:
            lines.append(f'    {f.path}: {f.message}')
            lines.append(f'      fix: {f.fix}')
    verdict = ok if report.ok else bad
    lines.append(f'\n{len(report.models)} model folder(s): {verdict}')
    return '\n'.join(lines)


def json_report(report: Report) -> dict[str, Any]:
    return {
        'schema_version': SCHEMA_VERSION,
        'root': report.root,
        'git': report.git,
        'ok': report.ok,
        'models': [
            {
                'folder': m.folder,
                'ok': m.ok,
                'weights': [
                    {
                        'path': w.path, 'format': w.format, 'size': w.size,
                        'lfs': w.lfs, 'evidence': w.evidence,
                    }
                    for w in m.weights
                ],
                'total_size': sum(w.size or 0 for w in m.weights),
                'licence': m.licence,
                'changelog': m.changelog,
                'attribution': m.attribution,
                'findings': [f._asdict() for f in m.findings],
            }
            for m in report.models
        ],
    }


def sarif_report(report: Report, version: str) -> dict[str, Any]:
    rule_ids = list(RULES)
    results = [
        {
            'ruleId': f.rule,
            'ruleIndex': rule_ids.index(f.rule),
            'level': 'error',
            'message': {'text': f'{f.message}. Fix: {f.fix}'},
            'locations': [{
                'physicalLocation': {
                    'artifactLocation': {'uri': f.path},
                },
            }],
        }
        for m in report.models for f in m.findings
    ]
    return {
        '$schema': 'https://json.schemastore.org/sarif-2.1.0.json',
        'version': '2.1.0',
        'runs': [{
            'tool': {'driver': {
                'name': TOOL_NAME,
                'version': version,
                'rules': [
                    {'id': rid, 'shortDescription': {'text': text}}
                    for rid, text in RULES.items()
                ],
            }},
            'results': results,
        }],
    }


def run_check(
        root: str,
        *,
        output: str,
        rules: Rules,
        profile_name: str | None,
        profile_files: tuple[str, ...],
        license_names: tuple[str, ...],
) -> int:
    report = audit(
        root, rules=rules, profile_name=profile_name,
        profile_files=profile_files, license_names=license_names,
    )
    if output == 'json':
        print(json.dumps(json_report(report), indent=2, ensure_ascii=False))
    elif output == 'sarif':
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version
        try:
            ours = version('model_license_hooks')
        except PackageNotFoundError:  # pragma: no cover (run from a checkout)
            ours = '0'
        print(json.dumps(sarif_report(report, ours), indent=2, ensure_ascii=False))
    else:
        print(text_report(report))
    return 0 if report.ok else 1
