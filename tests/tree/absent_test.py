from __future__ import annotations

from model_license_hooks.tree.absent import absent_in_span
from model_license_hooks.tree.trees import GitRepo
from tests.util import add
from tests.util import git
from tests.util import write


def _repo(repo):
    for name in ('a', 'c', 'e', 'g'):
        write(repo / name, name)
    for name in ('b', 'd', 'h'):
        write(repo / name, name)
    add('.')
    for name in ('b', 'd'):
        (repo / name).unlink()  # deleted, not staged
    git('update-index', '--skip-worktree', 'h')
    return GitRepo().index


def test_each_run_takes_the_absent_files_of_its_stretch(temp_git_dir):
    index = _repo(temp_git_dir)
    # pre-commit's runs: [a, c] and [e, g], in ls-files order
    assert absent_in_span(index, ['a', 'c']) == ['b']
    assert absent_in_span(index, ['e', 'g']) == ['d', 'h']  # after c; and the last
    assert absent_in_span(index, ['a', 'c', 'e', 'g']) == ['b', 'd', 'h']


def test_nothing_absent(temp_git_dir):
    write(temp_git_dir / 'a', 'a')
    add('.')
    assert absent_in_span(GitRepo().index, ['a']) == []
