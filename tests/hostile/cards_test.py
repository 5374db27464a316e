"""Hostile model cards and NOTICE files: read safely (no aliases, tags or
unbounded work), and a verdict or a message from every hook."""
from __future__ import annotations

import json
import time

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from model_license_hooks import check_model_attribution
from model_license_hooks import check_model_license
from model_license_hooks.card import modelcard
from tests.hostile.helpers import BIG
from tests.hostile.helpers import bounded
from tests.hostile.helpers import deadline
from tests.hostile.helpers import finish
from tests.hostile.helpers import MEMORY
from tests.hostile.helpers import run_hook
from tests.hostile.helpers import SECONDS
from tests.hostile.helpers import slow_cases
from tests.hostile.helpers import staged
from tests.hostile.helpers import weights_repo
from tests.util import add
from tests.util import write


SLOW_CASES, slow_case = slow_cases()


YAML_FRAGMENTS = (
    '---', '...', 'license: mit', 'license: other', 'license_name: x',
    'license_link: LICENSE', 'base_model: duixcom/Duix-Avatar',
    'a: &a [x, x, x]', 'b: [*a, *a]', 'c: *a', '<<: *a', 'd: &d', '&e f: g',
    'e: !!python/object/apply:os.system ["touch pwned"]',
    '- !!python/object/new:subprocess.Popen [["id"]]',
    'f: !!binary aGVsbG8=', 'g: !include other.yaml', '? complex key', ': v',
    'tags:', '- a', '-', '- b: c', '  - nested', '    deeper: value',
    'model-index:', '- name: Llama-x', '  results:', 'eval_results: []',
    'block: |', 'folded: >-', '  text', '\ttab: indented', '# comment',
    '"quoted key": 1', "'single': 'it''s'", 'list: [a, "b, c", \'d\']',
    'empty:', 'x' * 300, 'k: ' + 'v' * 300, 'k:v', '%YAML 1.2', '---!',
)


deep_indent = st.tuples(st.integers(0, 300), st.sampled_from(YAML_FRAGMENTS)).map(
    lambda t: ' ' * t[0] + t[1],
)


card_texts = st.one_of(
    st.text(max_size=600),
    st.lists(
        st.one_of(st.sampled_from(YAML_FRAGMENTS), deep_indent, st.text(max_size=40)),
        max_size=40,
    ).map(lambda lines: '\n'.join(
        ['---', *lines, '---', '# Title', 'Opening text.', '## Model description', 'x'],
    )),
)


def _size(value: object) -> int:
    """The characters a front matter value holds, however nested."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(k) + _size(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(map(_size, value))
    return 1  # a number, a date, a boolean, null


def _check_card(card: modelcard.Card, text: str) -> None:
    assert isinstance(card, modelcard.Card)
    assert card.problem is None or isinstance(card.problem, str)
    assert isinstance(card.meta_text, str) and len(card.meta_text) <= len(text)
    assert all(isinstance(key, str) for key in card.meta)
    assert _size(card.meta) <= len(text)  # nothing is expanded
    for key in card.meta:
        assert card.text(key) is None or isinstance(card.text(key), str)
        assert all(isinstance(v, str) for v in card.strings(key))
    assert all(isinstance(line, str) for line in card.body)
    for derived in (
            modelcard.prominent(card), modelcard.description(card),
    ):
        assert isinstance(derived, str)
    assert all(isinstance(x, str) for x in modelcard.opening(card))
    assert all(isinstance(x, str) for x in modelcard.headings(card))
    assert all(isinstance(x, str) for x in modelcard.model_names(card))


@settings(max_examples=250, deadline=None)
@given(card_texts)
@example('---\na: &a [x]\nb: *a\n---\n')
@example('---\n' + '  ' * 200 + 'a: b\n---\n')
@example('---\r\nlicense: mit\r\n---\r\n')
def test_model_card_reader_survives_any_text(text):
    start = time.process_time()
    card = modelcard.parse(text)
    _check_card(card, text)
    assert time.process_time() - start < SECONDS


def _laughs(levels: int = 9) -> list[str]:
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f'lol{i}: &lol{i} [' + ', '.join([f'*lol{i - 1}'] * 10) + ']')
    return lines


HOSTILE_CARDS = {
    'billion-laughs': ['license: other', *_laughs()],
    'billion-laughs-nested': ['license: other', 'x:', *('  ' + ln for ln in _laughs())],
    'billion-laughs-in-list': ['license: other', 'tags:', *('  - ' + ln for ln in _laughs())],
    'merge-keys': ['base: &b {license: mit}', 'license: *b', '<<: *b'],
    'python-tag': [
        'license: !!python/object/apply:os.system ["touch {marker}"]',
    ],
    'python-tag-nested': [
        'license: other', 'extra:',
        '  - !!python/object/apply:os.system ["touch {marker}"]',
        '  - !!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
    ],
    'python-name-tag': ['license_name: !!python/name:os.system', 'license: other'],
    'deep-indentation': ['license: other', 'x:', *(' ' * i + f'k{i}:' for i in range(1, 400))],
    'huge-inline-list': ['license: other', 'tags: [' + ', '.join(['x'] * 50_000) + ']'],
    'unclosed': ['license: other', 'license_name: x'],
}


@pytest.mark.parametrize('kind', sorted(HOSTILE_CARDS))
def test_hostile_model_card_front_matter(temp_git_dir, capsys, kind):
    marker = temp_git_dir.parent / 'marker'
    lines = [ln.replace('{marker}', str(marker)) for ln in HOSTILE_CARDS[kind]]
    end = [] if kind == 'unclosed' else ['---']
    card = '\n'.join(['---', *lines, *end, '# A model', 'Text.']) + '\n'
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'README.md', card)
    add('.')
    with bounded(memory=MEMORY):
        parsed = modelcard.parse(card)
    _check_card(parsed, card)
    code, out, _ = run_hook(
        check_model_attribution.main, ['--profile', 'duix-avatar'], capsys, memory=MEMORY,
    )
    assert code == 1 and 'README.md: ' in out
    if kind in ('billion-laughs', 'merge-keys'):
        assert 'aliases (*name) are not read' in out
    if kind in ('python-tag', 'python-name-tag'):
        # the safe loader builds no object from a tag: the card is unreadable
        assert 'cannot read the front matter: it is not valid YAML' in out
    if kind == 'unclosed':
        assert 'the front matter has no closing' in out
    # check-model-license reads the card too, to infer the profile
    run_hook(check_model_license.main, [], capsys)
    assert not marker.exists()


@slow_case('card-key-space-run')
def _card_key(repo):
    staged(repo, {'README.md': '---\nlicense: x' + ' ' * 60000 + 'y\n---\n# A\n'})
    return 'check_model_attribution', ['--profile', 'duix-avatar']


# Found by these tests, fixed since: modelcard._KEY
# r"^([A-Za-z_][\w.-]*)\s*:(?:\s+(.*?))?\s*$" (and _scalar's r"\s+#.*$")
# backtrack quadratically: a front matter line "license: x" + 60,000 spaces
# + "y" takes ~30 s in check-model-attribution
def test_card_key_with_a_long_space_run(slow_runs):
    finish(slow_runs, 'card-key-space-run')


@slow_case('card-blank-lines')
def _card_blank(repo):
    staged(repo, {'README.md': '---\nlicense: other\n---\n' + '\n' * 40000})
    return 'check_model_attribution', ['--profile', 'duix-avatar']


# Found by these tests, fixed since: modelcard.opening counts the non-blank
# lines so far on every line (quadratic): a README.md body of 40,000 blank
# lines (40 kB) takes ~30 s per call, and prominent() calls it twice
def test_card_with_many_blank_lines(slow_runs):
    finish(slow_runs, 'card-blank-lines')


@slow_case('model-index-blank-lines')
def _model_index(repo):
    staged(repo, {'README.md': (
        '---\nlicense: llama3\nmodel-index:\n' + '\n' * 150000 +
        '  name: x\n---\n# Llama A\n'
    )})
    return 'check_model_attribution', ['--profile', 'llama-3']


# Found by these tests, fixed since: modelcard.model_names searches
# r"^\s*-\s*name:\s*(.+)$" (re.M) in the model-index block; \s spans
# newlines, so a block of 150,000 blank lines is scanned quadratically (~40
# s) under profiles with a name prefix
def test_model_index_with_many_blank_lines(slow_runs):
    finish(slow_runs, 'model-index-blank-lines')


# Found by these tests, fixed since: check_model_attribution.card_text gets
# b"" from read_whole for a model card over MAX_CARD_BYTES (4 MiB) and parses
# an empty card: nothing is inferred and check-model-attribution passes (exit
# 0) a card that fails (exit 1) at normal size; check-model-license infers no
# profile either
def test_model_card_over_the_size_limit(temp_git_dir, capsys):
    weights_repo(temp_git_dir)
    front = (
        '---\nlicense: other\nlicense_name: duix-avatar-model-community-license\n'
        '---\n# My model\n\nNo attribution here.\n'
    )
    write(temp_git_dir / 'README.md', front)
    add('.')
    assert run_hook(check_model_attribution.main, [], capsys)[0] == 1
    write(temp_git_dir / 'README.md', front + 'Usage notes.\n' * (BIG // 13 + 1))
    add('.')
    code, out, err = run_hook(check_model_attribution.main, [], capsys)
    assert code == 2  # fails closed, with a message
    assert 'README.md: larger than 4 MiB' in err


# Found by these tests, fixed since: check_model_attribution._notice
# compiles modelcard.normal(pattern), which case-folds the regular
# expression profiles.parse validated: "\Z" becomes "\z" and "(?P<n>...)"
# becomes "(?p<n>...)", both re.error tracebacks ("\S" silently turns into
# "\s")
@pytest.mark.parametrize('pattern', ('Hello\\Z', '(?P<Who>Hello) there'))
def test_notice_pattern_is_case_folded(temp_git_dir, capsys, pattern):
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'NOTICE', 'Something else entirely\n')
    write(temp_git_dir / 'README.md', '---\nlicense: other\n---\n# A model\n')
    write(temp_git_dir.parent / 'mine.json', json.dumps({
        'id': 'mine', 'copy': {'phrases': [['abc']]},
        'notice': {'text': 'Hello there', 'pattern': pattern},
    }))
    add('.')
    profile_file = str(temp_git_dir.parent / 'mine.json')
    with deadline():
        code = check_model_attribution.main(['--profile', 'mine', '--profile-file', profile_file])
    assert code == 1
