"""The accuracy benchmark's arithmetic and its data: what the report's
figures count."""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / 'bench'
sys.path.insert(0, str(BENCH))
accuracy = importlib.import_module('accuracy')
report = importlib.import_module('accuracy_report')


def _truth(verdict, *flags):
    return report.Truth(verdict, 'f', frozenset(flags), 'why')


def test_compare_counts_each_kind_of_miss():
    repo = report.Repo('r', 'o/r', '0' * 40)
    truth = {
        'w-found': _truth('weights'), 'w-missed': _truth('weights'),
        'w-unlisted': _truth('weights'), 'w-absent': _truth('weights', 'absent'),
        'text': _truth('-'), 'image-flagged': _truth('-'),
        'graph': _truth('model'), 'graph-as-weights': _truth('model'),
        'graph-missed': _truth('model'),
    }
    scanned = {
        'w-found': {'weights': True}, 'w-missed': {'weights': False},
        'text': {'weights': False}, 'image-flagged': {'weights': True},
        'graph': {'weights': False, 'model': True},
        'graph-as-weights': {'weights': True},
        'graph-missed': {'weights': False, 'model': False},
    }
    r = report.compare(repo, truth, scanned)
    assert (r.files, r.absent, r.truth_weights, r.found_weights) == (8, 1, 3, 3)
    assert r.true_positives == 1
    assert [m.path for m in r.false_negatives] == ['w-missed', 'w-unlisted']
    assert [m.path for m in r.false_positives] == ['image-flagged']
    assert [m.path for m in r.models_as_weights] == ['graph-as-weights']
    assert [m.path for m in r.models_missed] == ['graph-missed']
    assert r.models_found == 1 and r.truth_models == 3
    text = report.markdown([r], 'notes here')
    assert '| o/r | `000000000000` | 8 | 1 | 3 | 3 | 1 | 2 | 1 | 3 / 1 / 1 |' in text
    assert 'notes here' in text


def test_the_committed_data_is_consistent():
    repos = accuracy.load_repos(accuracy.DATA / 'repos.json')
    assert len(repos) >= 21
    for repo in repos:
        assert len(repo.commit) == 40 and '/' in repo.repo
        truth = accuracy.load_truth(repo.name)
        assert truth, repo.name
        assert {t.verdict for t in truth.values()} <= {'weights', 'model', '-'}
    names = {p.stem for p in (accuracy.DATA / 'truth').glob('*.tsv')}
    assert names == {r.name for r in repos}
    json.loads((accuracy.DATA / 'repos.json').read_text())


def test_materialise_writes_blobs_and_lists_absent_ones(tmp_path):
    import subprocess
    src = tmp_path / 'src'
    subprocess.run(('git', 'init', '-q', str(src)), check=True)
    (src / 'a').mkdir()
    (src / 'a' / 'model.bin').write_bytes(b'\x00weights')
    (src / 'run.sh').write_text('#!/bin/sh\n')
    (src / 'run.sh').chmod(0o755)
    subprocess.run(('git', '-C', str(src), 'add', '.'), check=True)
    subprocess.run(('git', '-C', str(src), 'commit', '-qm', 'x', '--no-verify'), check=True)
    commit = subprocess.run(('git', '-C', str(src), 'rev-parse', 'HEAD'), check=True,
                            capture_output=True, text=True).stdout.strip()
    dest = tmp_path / 'dest'
    assert accuracy.materialise(str(src / '.git'), commit, dest) == []
    assert (dest / 'a' / 'model.bin').read_bytes() == b'\x00weights'
    assert (dest / 'run.sh').stat().st_mode & 0o111
