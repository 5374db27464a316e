"""Hostile changelogs: linear time on any lines, a clear message for
anything that cannot be read."""
from __future__ import annotations

import time

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from model_license_hooks import check_model_changelog
from model_license_hooks.card import changelog as changelogs
from tests import samples
from tests.hostile.helpers import BIG
from tests.hostile.helpers import finish
from tests.hostile.helpers import run_hook
from tests.hostile.helpers import SECONDS
from tests.hostile.helpers import slow_cases
from tests.hostile.helpers import staged
from tests.hostile.helpers import weights_repo
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import write


SLOW_CASES, slow_case = slow_cases()


CHANGELOG_LINES = (
    '', '## [Unreleased]', '### Changed', '## [1.1.0] - 2026-11-30', '---',
    '=====', '- Fine-tuned model.safetensors on 2k clips', '* v1.2.3',
    '[1.0.0]: https://example.com', '- 2026-11-30', '1. item one', '# Modifications',
    '## Changes from base model', 'Unreleased', '(v2)', '- `model.bin`: pruned',
    '   ', '\t- tabbed entry text', '#' * 7 + ' deep', '- ' + 'x' * 200,
)


changelog_lines = st.lists(
    st.one_of(st.sampled_from(CHANGELOG_LINES), st.text(max_size=60)), max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(changelog_lines, changelog_lines, st.text(max_size=40))
def test_changelog_readers_survive_any_lines(old, new, path):
    start = time.process_time()
    added = changelogs.added_lines(old, new)
    indexes = [j for j, _ in added]
    assert indexes == sorted(set(indexes))
    for j, line in added:
        assert 0 <= j < len(new) and new[j] == line
    # a line unlike every old line (white space aside) is always added
    normal_old = {' '.join(line.split()) for line in old}
    assert {
        j for j, line in enumerate(new) if ' '.join(line.split()) not in normal_old
    } <= set(indexes)
    assert changelogs.added_lines(new, new) == []
    entries = changelogs.entry_lines(old, new)
    assert all(changelogs.describes(line) for line in entries)
    assert len(entries) <= len(added)
    card = changelogs.card_entry_lines(old, new)
    assert all(line in entries for line in card)
    assert set(changelogs.card_section_lines(new)) <= set(new)
    assert all(isinstance(changelogs.describes(line), bool) for line in old + new)
    assert isinstance(changelogs.mentions(new, path or 'm.bin'), bool)
    assert time.process_time() - start < SECONDS


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ('1', '.', '-', '+', 'v', 'a', '_', ' ', '[', ']', '(', ')', ':', '2026-11-30',
     '30 Nov 2026', 'unreleased', '#', '*', '`'),
), max_size=120).map(''.join))
def test_describes_is_fast_on_version_like_lines(line):
    start = time.process_time()
    assert isinstance(changelogs.describes(line), bool)
    assert time.process_time() - start < 0.2


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048), st.integers(0, 2 ** 40))
def test_changelog_read_text_survives_any_bytes(data, extra):
    text = changelogs.read_text(data, len(data) + extra)
    assert (text.lines is None) != (text.problem is None) or not data
    if text.lines is not None:
        assert all(isinstance(line, str) for line in text.lines)


@slow_case('card-heading-space-run')
def _card_heading(repo):
    staged(repo, {'README.md': '# a' + ' ' * 4000 + 'b\n\n## Modifications\n\n- pruned\n'})
    return 'check_model_changelog', []


# Found by these tests, fixed since: changelogs._sections matches
# r"^\s*#{1,6}\s+(.*?)\s*#*\s*$", which backtracks cubically on a heading
# with a long run of spaces: "# a" + 4,000 spaces + "b" in README.md takes >
# 2 minutes in check-model-changelog (card_entry_lines)
def test_card_heading_with_a_long_space_run(slow_runs):
    finish(slow_runs, 'card-heading-space-run')


@slow_case('changelog-line-space-run')
def _changelog_line(repo):
    staged(repo, {'CHANGELOG.md': '1' + ' ' * 20000 + 'x\n'})
    return 'check_model_changelog', []


# Found by these tests, fixed since: changelogs.describes matches
# _VERSION_OR_DATE, whose optional "\s*[-–—:,]?\s*" backtracks quadratically
# or worse: a changelog line "1" + 20,000 spaces + "x" takes ~30 s in
# check-model-changelog
def test_changelog_line_with_a_long_space_run(slow_runs):
    finish(slow_runs, 'changelog-line-space-run')


@slow_case('changelog-line-of-versions')
def _changelog_versions(repo):
    staged(repo, {'CHANGELOG.md': '- ' + '1.' * 20000 + '1 x\n'})
    return 'check_model_changelog', []


# Found by these tests, fixed since: changelogs._VERSION_OR_DATE read
# "v?\d+(\.\d+)*([-.+]\w+)*", which can split "1.1.1...1" between its two
# groups every way: one changelog line of 40 KB, "- 1.1.1.…1 x", took 61 s
def test_changelog_line_of_versions(slow_runs):
    code, out, _ = finish(slow_runs, 'changelog-line-of-versions')
    assert code == 0  # "1.1.…1 x" is not only a version: it describes


@slow_case('changelog-diff-repetitive')
def _changelog_diff(repo):
    staged(repo, {'CHANGELOG.md': ''.join(f'- entry {i % 7}\n' for i in range(3000))})
    git_commit('-m', 'base', cwd=repo)
    write(repo / 'CHANGELOG.md', ''.join(f'- entry {i % 5}\n' for i in range(3000)))
    samples.write_gguf(repo / 'new.gguf')
    git('add', '.', cwd=repo)
    return 'check_model_changelog', []


# Found by these tests, fixed since: changelogs.added_lines runs
# difflib.SequenceMatcher(autojunk=False) over whole changelogs: 3,000 old
# and 3,000 new lines drawn from a few distinct values (12 kB each) take ~35
# s in check-model-changelog
def test_changelog_diff_of_repetitive_lines(slow_runs):
    finish(slow_runs, 'changelog-diff-repetitive')


# Found by these tests, fixed since: check_model_changelog._lines gets b""
# from BlobReader.read_whole for a changelog over 4 MiB, and
# changelogs.read_text returns "no lines" for empty data before it looks at
# the size: the documented "it is larger than 4 MiB" is never said; the
# message is "the lines added ... describe nothing"
def test_changelog_over_the_size_limit(temp_git_dir, capsys):
    weights_repo(temp_git_dir)
    line = '- Fine-tuned the model on more clips of speech.\n'
    write(temp_git_dir / 'CHANGELOG.md', line * (BIG // len(line) + 1))
    add('.')
    code, out, _ = run_hook(check_model_changelog.main, [], capsys)
    assert code == 1 and 'larger than 4 MiB' in out
