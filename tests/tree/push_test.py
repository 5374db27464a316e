from __future__ import annotations

import pytest

from model_license_hooks.errors import UserError
from model_license_hooks.tree import push
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import write


def _commit(repo, path, text, message):
    write(repo / path, text)
    add(path)
    return git_commit('-m', message)


@pytest.fixture
def history(temp_git_dir):
    """main: one, two; side (from one): three; merge of side into main,
    which also adds evil.txt; merge adds nothing else of its own."""
    one = _commit(temp_git_dir, 'a', 'a\n', 'one')
    two = _commit(temp_git_dir, 'b', 'b\n', 'two')
    git('checkout', '-q', '-b', 'side', one)
    three = _commit(temp_git_dir, 'c', 'c\n', 'three')
    git('checkout', '-q', 'main')
    git('merge', '-q', '--no-commit', '--no-ff', 'side')
    write(temp_git_dir / 'evil.txt', 'only the merge has me\n')
    add('evil.txt')
    merge = git_commit('-m', 'merge')
    return {'one': one, 'two': two, 'three': three, 'merge': merge}


def test_changes_per_commit_include_merges(history):
    commits = [history[k] for k in ('one', 'two', 'three', 'merge')]
    seen = [(c, ch.path) for c, ch in push.changes_per_commit(commits)]
    assert seen == [
        (history['one'], 'a'), (history['two'], 'b'), (history['three'], 'c'),
        # the merge against its first parent: what it brings to main
        (history['merge'], 'c'), (history['merge'], 'evil.txt'),
    ]


def test_a_range_push(history, monkeypatch):
    monkeypatch.setenv('PRE_COMMIT_FROM_REF', history['two'])
    monkeypatch.setenv('PRE_COMMIT_TO_REF', 'main')
    found = push.pushed()
    pushed = [history['three'], history['merge']]
    assert found == push.Push(history['two'], history['merge'], pushed)
    assert sorted(c.path for c in push.net_changes(found)) == ['c', 'evil.txt']


def test_a_first_push_is_every_commit_the_remote_lacks(history, monkeypatch, tmp_path):
    monkeypatch.setenv('PRE_COMMIT_LOCAL_BRANCH', 'refs/heads/side')
    monkeypatch.setenv('PRE_COMMIT_REMOTE_BRANCH', 'refs/heads/side')
    monkeypatch.setenv('PRE_COMMIT_REMOTE_NAME', 'origin')
    found = push.pushed()
    assert found == push.Push(None, history['three'], [history['one'], history['three']])
    assert sorted(c.path for c in push.net_changes(found)) == ['a', 'c']
    monkeypatch.setenv('PRE_COMMIT_LOCAL_BRANCH', 'no-such-ref')
    with pytest.raises(UserError, match='the ref being pushed'):
        push.pushed()


def test_not_a_push(history):
    assert push.pushed() is None
