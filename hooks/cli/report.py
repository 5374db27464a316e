"""Renderings of a `check` Report: text, JSON and SARIF 2.1.0."""
from __future__ import annotations

import os
import sys
from typing import Any

from ..rules.findings import Finding
from ..rules.findings import RULES
from .check import Model
from .check import Report

SCHEMA_VERSION = 1
TOOL_NAME = 'model-license-hooks'


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


def folders_of(finding: Finding, report: Report) -> list[str]:
    """The model folders a finding concerns (sorted, as the report's are)."""
    index = _folder_index(report)
    return sorted({index[w] for w in finding.weights if w in index})


_INDEX: dict[int, tuple[Report, dict[str, str]]] = {}


def _folder_index(report: Report) -> dict[str, str]:
    """weight path -> its model folder (once a report: 2,000 folders and
    as many findings)."""
    kept = _INDEX.get(id(report))
    if kept is None or kept[0] is not report:
        _INDEX.clear()
        kept = report, {w.path: m.folder for m in report.models for w in m.weights}
        _INDEX[id(report)] = kept
    return kept[1]


def _summary(model: Model) -> list[str]:
    formats: dict[str, int] = {}
    for w in model.weights:
        formats[w.format] = formats.get(w.format, 0) + 1
    total = sum(w.size or 0 for w in model.weights)
    lfs = sum(w.lfs for w in model.weights)
    shown = ', '.join(f'{f} x{n}' for f, n in sorted(formats.items()))
    count = sum(w.weights for w in model.weights)
    graphs = len(model.weights) - count
    files = [f'{count} weight file{"s" if count != 1 else ""}'] if count else []
    if graphs:
        files.append(f'{graphs} model file{"s" if graphs != 1 else ""} without weights')
    lines = [
        f'{model.folder or "(repository root)"}: {" and ".join(files)} '
        f'({shown}), {_size(total)}' + (f', {lfs} in Git LFS' if lfs else ''),
    ]
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
    return lines


def text_report(report: Report) -> str:
    ok, bad = _colour('ok', '32'), _colour('FAIL', '31;1')
    lines = []
    if not report.models:
        lines.append(f'{report.root}: no model weights found')
    # A finding about one file that concerns several folders (a root card)
    # is said once, at the end, with its folders; each folder counts it.
    folders = {id(f): folders_of(f, report) for f in report.findings if f.failed}
    shared = [f for f in report.findings if len(folders.get(id(f), ())) > 1]
    common = {(f.rule, f.path, f.message, f.tree) for f in shared}
    for model in report.models:
        lines += _summary(model)
        own = [f for f in model.findings if f.failed]
        mine = [f for f in own if (f.rule, f.path, f.message, f.tree) not in common]
        shared_here = len(own) - len(mine)
        also = f' ({shared_here} shared finding(s): see below)' if shared_here else ''
        lines.append(f'  verdict:     {ok if model.ok else bad}{also}')
        for f in mine:
            lines.append(f'    {f.line()}')
            lines.append(f'      fix: {f.fix}')
        # notes, but the profile's inference: the attribution line says it
        lines += [f'    note: {f.line()}' for f in model.findings
                  if not f.failed and not f.message.startswith('licence profile ')]
    if shared:
        lines.append('\nFindings for several model folders:')
        for f in shared:
            concerned = folders[id(f)]
            shown = ', '.join(x or '(root)' for x in concerned[:5])
            more = f' and {len(concerned) - 5} more' if len(concerned) > 5 else ''
            lines += [f'  {f.line()}', f'    fix: {f.fix}', f'    folders: {shown}{more}']
    lines.append(f'\n{len(report.models)} model folder(s): {ok if report.ok else bad}')
    return '\n'.join(lines)


def _finding(f: Finding, report: Report | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        'rule': f.rule, 'path': f.path, 'message': f.message, 'fix': f.fix,
        'clause': f.clause, 'weights': list(f.weights),
    }
    if report is not None:
        found['folders'] = folders_of(f, report)
    return found


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
                        'lfs': w.lfs, 'evidence': w.evidence, 'model_only': not w.weights,
                        'uninspected': w.uninspected or None,
                    }
                    for w in m.weights
                ],
                'total_size': sum(w.size or 0 for w in m.weights),
                'licence': m.licence,
                'changelog': m.changelog,
                'attribution': m.attribution,
                'findings': [_finding(f) for f in m.findings if f.failed],
            }
            for m in report.models
        ],
        'findings': [_finding(f, report) for f in report.findings if f.failed],
    }


def sarif_report(report: Report, version: str) -> dict[str, Any]:
    rule_ids = list(RULES)
    results = [
        {
            'ruleId': f.rule,
            'ruleIndex': rule_ids.index(f.rule),
            'level': 'error',
            'message': {'text': f'{f.message}. Fix: {f.fix}' + (
                f' ({f.clause})' if f.clause else ''
            )},
            'locations': [{
                'physicalLocation': {'artifactLocation': {'uri': f.path}},
            }],
        }
        for f in report.findings if f.failed
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
