from __future__ import annotations

import pytest

from model_license_hooks.tree import trees
from model_license_hooks.tree.trees import GitRepo
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import write


def test_tree_of_a_commit_and_the_index(temp_git_dir):
    write(temp_git_dir / 'dir/x', 'x\n')
    add('dir')
    commit = git_commit('-m', 'x')
    write(temp_git_dir / 'y', 'y\n')
    add('y')
    assert GitRepo().commit(commit).paths() == ['dir/x']
    index = GitRepo().index
    assert index.paths() == ['dir/x', 'y']
    assert sorted(index.siblings('dir/x')) == ['x']


@pytest.fixture(params=('by name', 'whole tree'))
def lookups(request, monkeypatch):
    """Run a test with git asked path by path, and with whole listings."""
    if request.param == 'whole tree':
        monkeypatch.setattr(trees, 'LOOKUP_MAX_PATHS', 0)
        monkeypatch.setattr(trees, 'LOOKUP_MAX_CALLS', 0)
    return request.param


@pytest.mark.parametrize('staged', (True, False))
def test_tree_answers_the_same_either_way(temp_git_dir, lookups, staged):
    for path in ('LICENSE', 'm/a.bin', 'm/sub/b.bin', 'm[1]/c.bin', 'm0/d', 'm-x/e'):
        write(temp_git_dir / path, path + '\n')
    add('.')
    commit = git_commit('-m', 'files')
    tree = (lambda repo: repo.index if staged else repo.commit(commit))(GitRepo())
    found = tree.lookup(['m/a.bin', 'm[1]/c.bin', 'nothing', 'm/sub'])
    assert sorted(found) == ['m/a.bin', 'm[1]/c.bin']
    assert found['m/a.bin'].oid == git('rev-parse', f'{commit}:m/a.bin').strip()
    assert sorted(tree.folder('')) == ['LICENSE']
    assert sorted(tree.folder('m')) == ['a.bin']
    assert sorted(tree.folder('m[1]')) == ['c.bin']
    assert tree.folder('none') == {}
    assert tree.under('m') == ['m/a.bin', 'm/sub/b.bin']
    assert len(tree.paths()) == 6


def test_many_lookups_by_name_give_way_to_one_listing(temp_git_dir, monkeypatch):
    for i in range(40):
        write(temp_git_dir / f'd{i}/f', f'{i}\n')
    add('.')
    calls = []
    real = trees.cmd_records

    def counted(*cmd, **kwargs):
        calls.append(cmd[1])
        return real(*cmd, **kwargs)

    monkeypatch.setattr(trees, 'cmd_records', counted)
    tree = GitRepo().index
    for i in range(40):  # one path, then one folder, at a time
        assert list(tree.lookup([f'd{i}/f'])) == [f'd{i}/f']
        assert list(tree.folder(f'd{i}')) == ['f']
    assert len(calls) == trees.LOOKUP_MAX_CALLS + 1  # the last: the whole index


NAMES = (
    'LICENSE', 'pyproject.toml', 'm/a.bin', 'm/LICENSE', 'm/sub/b.bin', 'm/sub/LICENSES/MIT.txt',
    'm[1]/c.bin', 'm*/d?', 'm\\x/e', 'm0/f', 'm-x/g', 'changelog.d/1.md', 'm/changelog.d/2.md',
    'deep/er/than/that/h.bin',
)


def test_preloaded_index_answers_as_the_whole_listing(temp_git_dir, monkeypatch):
    for path in NAMES:
        write(temp_git_dir / path, path + '\n')
    add('.')
    asked = ['m/sub/b.bin', 'm[1]/c.bin', 'm*/d?', 'm\\x/e', 'deep/er/than/that/h.bin']
    preloaded = GitRepo().index
    preloaded.preload(asked, ('LICENSES', 'changelog.d'))
    calls = []
    real = trees.cmd_records
    monkeypatch.setattr(trees, 'cmd_records', lambda *c, **k: calls.append(c) or real(*c, **k))
    whole = GitRepo().index
    whole.listing()
    ancestors = ['', 'm', 'm/sub', 'm[1]', 'm*', 'm\\x', 'deep', 'deep/er', 'deep/er/than',
                 'deep/er/than/that']
    subfolders = [f'{f}/LICENSES' if f else 'LICENSES' for f in ancestors]
    for folder in ancestors + subfolders + ['changelog.d', 'm/changelog.d']:
        assert preloaded.folder(folder) == whole.folder(folder), folder
    for path in asked + ['LICENSE', 'pyproject.toml', 'm/LICENSE', 'm/nothing', 'm/sub/LICENSE']:
        assert preloaded.entry(path) == whole.entry(path), path
    assert len(calls) == 1  # the whole listing; the preloaded tree asked git nothing more


def test_preload_leaves_a_large_run_to_the_whole_listing(temp_git_dir, monkeypatch):
    write(temp_git_dir / 'a', 'a\n')
    add('a')
    monkeypatch.setattr(trees, 'LOOKUP_MAX_PATHS', 2)
    tree = GitRepo().index
    tree.preload(['a', 'b', 'c'], ())
    assert tree._listed == {}
    assert list(tree.lookup(['a', 'b', 'c'])) == ['a']
