"""Every regular expression that sees file content is linear: each reader
of content, on every hostile 64 KiB input below, within a generous bound.

A regular expression stuck in C cannot be interrupted by a signal, so the
readers run in a child process that reports each case before running it
and its time after; the parent kills it past a deadline and names the
case it was in."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.hostile.helpers import ROOT

SIZE = 64 * 1024
BOUND = 1.0  # seconds, for one reader on one input; linear ones take ~0.05
DEADLINE = 120.0  # the whole child: every reader on every input

# Inputs that make backtracking patterns quadratic or worse: long runs of
# what a pattern repeats, with the one character that makes it fail at
# the end, and every opening without its close.
UNITS = {
    'spaces then x': (' ', 'x'), 'blank lines': ('\n', 'x'), 'tabs': ('\t', 'x'),
    'dots': ('.', ''), 'dashes': ('-', 'x'), 'dash space': ('- ', 'x'),
    'hashes': ('#', ''), 'hash space': ('# ', 'x'), 'stars': ('*', ''),
    'star a': ('*a', ''), 'underscore a': ('_a', ''), 'open brackets': ('[', ''),
    'link starts': ('[a](', ''), 'autolink starts': ('<http://', ''),
    'backslashes': ('\\', ''), 'version': ('1.', '1 x'), 'version words': ('v1-a', '('),
    'dates': ('2026-11-30 ', 'x'), 'quoted as is': ('"as is" ', ''),
    'licence words': ('non-exclusive worldwide ', 'x'), 'copyright lines': ('Copyright x\n', ''),
    'spdx': ('SPDX-License-Identifier: ', '\n'), 'cjk': ('许可', ''),
    'digits': ('1', ' x'), 'brackets and colons': ('[1]: ', ' x'),
}

# Each reader of content: (module, function), called with one string.
READERS = {
    'text.heading': ('model_license_hooks.text', 'heading'),
    'text.is_rule_line': ('model_license_hooks.text', 'is_rule_line'),
    'text.strip_markup': ('model_license_hooks.text', 'strip_markup'),
    'text.canonical': ('model_license_hooks.text', 'canonical'),
    'terms.not_a_copy': ('model_license_hooks.license.terms', 'not_a_copy'),
    'terms.missing_elements': ('model_license_hooks.license.terms', 'missing_elements'),
    'common.common_licence': ('model_license_hooks.license.common', 'common_licence'),
    'changelog.describes': ('model_license_hooks.card.changelog', 'describes'),
    'changelog.card_section_lines': ('model_license_hooks.card.changelog', 'card_section_lines'),
    'changelog.mentions': ('model_license_hooks.card.changelog', 'mentions'),
    'modelcard.parse': ('model_license_hooks.card.modelcard', 'parse'),
    'modelcard.prominent': ('model_license_hooks.card.modelcard', 'prominent'),
    'reuse.sidecar_ids': ('model_license_hooks.license.reuse', 'sidecar_ids'),
}

CHILD = r'''
import importlib, json, sys, time
readers, units, size = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
from model_license_hooks.card import modelcard
ARGS = {  # readers of lines, of a card, of a path
    'card_section_lines': lambda t: (t.split('\n'),),
    'mentions': lambda t: (t.split('\n'), 'models/a/model.bin'),
    'prominent': lambda t: (modelcard.parse(t),),
}
for name, (module, function) in readers.items():
    call = getattr(importlib.import_module(module), function)
    for case, (unit, end) in units.items():
        text = unit * ((size - len(end)) // len(unit)) + end
        print(json.dumps([name, case]), flush=True)
        start = time.process_time()
        try:
            call(*ARGS.get(function, lambda t: (t,))(text))
        except Exception as exc:  # a clear error is fine: a hang is not
            if type(exc).__name__ not in ('SpdxError', 'UserError'):
                raise
        print(json.dumps([name, case, time.process_time() - start]), flush=True)
'''


@pytest.fixture(scope='module')
def timings():
    try:
        proc = subprocess.run(
            (sys.executable, '-c', CHILD, json.dumps(READERS), json.dumps(UNITS), str(SIZE)),
            capture_output=True, text=True, timeout=DEADLINE, cwd=ROOT,
        )
        out, err = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or '')
        err = 'timed out'
    found: dict[tuple[str, str], float | None] = {}
    for line in out.splitlines():
        record = json.loads(line)
        found[record[0], record[1]] = record[2] if len(record) == 3 else None
    return found, err


@pytest.mark.parametrize('reader', READERS)
def test_reader_is_linear_on_hostile_input(timings, reader):
    found, err = timings
    for case in UNITS:
        elapsed = found.get((reader, case), 'not reached')
        assert elapsed != 'not reached', f'{reader} not run: {err[-2000:]}'
        assert elapsed is not None, f'{reader} hung on {case!r} ({err[-300:]})'
        assert elapsed < BOUND, f'{reader} took {elapsed:.2f} s on {case!r}'
