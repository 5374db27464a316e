"""The comparison of scan verdicts with a truth table, and its Markdown."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from typing import NamedTuple


class Repo(NamedTuple):
    name: str
    repo: str  # owner/name on GitHub
    commit: str


class Truth(NamedTuple):
    verdict: str  # 'weights', 'model' (a model file without weights) or '-'
    format: str
    flags: frozenset[str]  # lfs, fixture, absent (blob not in the snapshot), out-of-scope
    why: str


class Miss(NamedTuple):
    path: str
    truth: Truth
    scanned: str  # the scan's format and evidence


class Result(NamedTuple):
    repo: Repo
    files: int
    absent: int  # blobs the snapshot does not hold: not inspectable
    truth_weights: int
    found_weights: int
    true_positives: int
    false_negatives: list[Miss]
    false_positives: list[Miss]
    models_as_weights: list[Miss]  # model files the scan calls weights
    models_missed: list[Miss]  # model files the scan calls neither
    models_found: int  # model files the scan calls model files
    truth_models: int
    unlisted: list[str]  # truth paths the scan did not list
    seconds: float = 0.0
    peak_kib: int = 0
    error: str = ''

    def summary(self) -> str:
        return (
            f'{self.truth_weights} weights, {self.found_weights} found, '
            f'{len(self.false_negatives)} FN, {len(self.false_positives)} FP, '
            f'{len(self.models_as_weights)} model files called weights, {self.seconds:.2f} s'
            + (f'; {self.error}' if self.error else '')
        )

    def as_dict(self) -> dict[str, Any]:
        found = self._asdict()
        found['repo'] = self.repo._asdict()
        for key in ('false_negatives', 'false_positives', 'models_as_weights', 'models_missed'):
            found[key] = [m.path for m in found[key]]
        return found


def compare(repo: Repo, truth: dict[str, Truth], scanned: dict[str, dict[str, Any]]) -> Result:
    present = {p: t for p, t in truth.items() if 'absent' not in t.flags}
    fn: list[Miss] = []
    fp: list[Miss] = []
    as_weights: list[Miss] = []
    missed: list[Miss] = []
    unlisted: list[str] = []
    tp = models_found = 0
    for path, t in sorted(present.items()):
        v = scanned.get(path)
        if v is None:
            unlisted.append(path)
            if t.verdict == 'weights':
                fn.append(Miss(path, t, '(not listed by the scan)'))
            continue
        miss = Miss(path, t, f'{v.get("format")}: {v.get("evidence")}')
        if t.verdict == 'weights':
            if v['weights']:
                tp += 1
            else:
                fn.append(miss)
        elif v['weights']:
            (as_weights if t.verdict == 'model' else fp).append(miss)
        elif t.verdict == 'model' and v.get('model'):
            models_found += 1
        elif t.verdict == 'model':
            missed.append(miss)
    return Result(
        repo, len(present), len(truth) - len(present),
        sum(t.verdict == 'weights' for t in present.values()),
        sum(bool(scanned[p]['weights']) for p in present if p in scanned),
        tp, fn, fp, as_weights, missed, models_found,
        sum(t.verdict == 'model' for t in present.values()), unlisted,
    )


def _cell(text: str, limit: int = 150) -> str:
    text = ' '.join(text.split()).replace('|', '\\|')
    return text if len(text) <= limit else text[:limit - 1] + '…'


def _misses(title: str, results: Sequence[Result], attr: str) -> list[str]:
    lines = ['', f'## {title}', '']
    listed = [(r, getattr(r, attr)) for r in results if getattr(r, attr)]
    if not listed:
        return lines + ['None.']
    for r, misses in listed:
        lines += [f'### {r.repo.repo} ({len(misses)})', '',
                  '| path | truth | scan |', '| --- | --- | --- |']
        for m in misses:
            tags = sorted(m.truth.flags - {'absent'})
            tagged = f' [{", ".join(tags)}]' if tags else ''
            lines.append(f'| `{_cell(m.path, 120)}`{tagged} | {m.truth.format}: '
                         f'{_cell(m.truth.why)} | {_cell(m.scanned, 120)} |')
        lines.append('')
    return lines


def markdown(results: Sequence[Result], notes: str = '') -> str:
    header = (
        '| repository | commit | files | absent | weights (truth) | found | true pos. '
        '| false neg. | false pos. | model files: truth / found / called weights '
        '| time (s) | peak memory (MiB) |'
    )
    lines = [
        '# Recognition accuracy on real repositories',
        '',
        'Written by `python bench/accuracy.py run` (see bench/README.md).  Per',
        'repository: the files of its commit, those whose blobs the snapshot',
        'does not hold ("absent": not inspectable, not counted), the weights of',
        'the truth table (bench/accuracy/truth/, built by inspecting each file',
        'with its format\'s library), what `scan --all --json` found, and the',
        'model files without weights (graphs, vocabularies, manifests): in the',
        'truth, found as such, and called weights.  Time and peak memory are the',
        'scan\'s own (os.wait4).',
        '',
        header,
        '| --- | --- | ' + ' | '.join(['---:'] * 10) + ' |',
    ]
    keys = ('files', 'absent', 'truth_weights', 'found_weights', 'true_positives')
    totals = dict.fromkeys(keys, 0)
    fn = fp = mw = mt = mf = 0
    seconds = 0.0
    peak = 0
    for r in results:
        lines.append(
            f'| {r.repo.repo} | `{r.repo.commit[:12]}` | {r.files} | {r.absent} '
            f'| {r.truth_weights} | {r.found_weights} | {r.true_positives} '
            f'| {len(r.false_negatives)} | {len(r.false_positives)} '
            f'| {r.truth_models} / {r.models_found} / {len(r.models_as_weights)} '
            f'| {r.seconds:.2f} | {r.peak_kib / 1024:.1f} |',
        )
        for key in keys:
            totals[key] += getattr(r, key)
        fn += len(r.false_negatives)
        fp += len(r.false_positives)
        mw += len(r.models_as_weights)
        mt += r.truth_models
        mf += r.models_found
        seconds += r.seconds
        peak = max(peak, r.peak_kib)
    lines.append(
        f'| **total** | | {totals["files"]} | {totals["absent"]} | {totals["truth_weights"]} '
        f'| {totals["found_weights"]} | {totals["true_positives"]} | {fn} | {fp} '
        f'| {mt} / {mf} / {mw} | {seconds:.2f} | {peak / 1024:.1f} (max) |',
    )
    if notes:
        lines += ['', notes.strip()]
    errors = [f'- `{r.repo.name}`: {r.error}' for r in results if r.error]
    unlisted = [f'- `{r.repo.name}`: {len(r.unlisted)} path(s) the scan did not list, '
                f'e.g. `{r.unlisted[0]}`' for r in results if r.unlisted]
    if errors or unlisted:
        lines += ['', '## Problems', '', *errors, *unlisted]
    lines += _misses('False negatives', results, 'false_negatives')
    lines += _misses('False positives', results, 'false_positives')
    lines += _misses('Model files without weights called weights', results, 'models_as_weights')
    lines += _misses(
        'Model files without weights called neither (no licence asked for them)',
        results, 'models_missed',
    )
    return '\n'.join(lines).rstrip() + '\n'
