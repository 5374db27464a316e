from __future__ import annotations

import pytest

from model_license_hooks.tree import reader
from model_license_hooks.tree import trees
from model_license_hooks.tree.listing import Entry
from model_license_hooks.tree.sample import HEAD_BYTES
from model_license_hooks.tree.trees import GitRepo
from tests.util import add
from tests.util import git_commit
from tests.util import write


@pytest.fixture(params=('by name', 'whole tree'))
def lookups(request, monkeypatch):
    """Run a test with git asked path by path, and with whole listings."""
    if request.param == 'whole tree':
        monkeypatch.setattr(trees, 'LOOKUP_MAX_PATHS', 0)
        monkeypatch.setattr(trees, 'LOOKUP_MAX_CALLS', 0)
        monkeypatch.setattr(reader, 'STAT_MAX_PATHS', 0)
    return request.param


def _index_entry(path: str) -> Entry:
    entry = GitRepo().index.entry(path)
    assert entry is not None
    return entry


# Read whole (up to a head, up to VERIFY_BYTES) or sampled (larger).
SIZES = (100, HEAD_BYTES + 5000, 3 * HEAD_BYTES)


@pytest.fixture
def small_verify(monkeypatch):
    monkeypatch.setattr(reader, 'VERIFY_BYTES', 2 * HEAD_BYTES)


@pytest.mark.usefixtures('small_verify')
@pytest.mark.parametrize('size', SIZES)
def test_reader_reads_the_staged_blob_not_an_unstaged_edit(temp_git_dir, lookups, size):
    staged = b'\x93NUMPY' + b'\x01' * (size - 6)
    write(temp_git_dir / 'w.bin', staged)
    add('w.bin')
    # The same size and a later time: only the content tells them apart.
    write(temp_git_dir / 'w.bin', b'plain text, ' + b'x' * (size - 12))
    entry = _index_entry('w.bin')
    tree = GitRepo().index
    tree.prefetch([entry])
    sample = tree.sample(entry)
    assert sample.size == size
    assert sample.head.startswith(b'\x93NUMPY')


@pytest.mark.usefixtures('small_verify')
@pytest.mark.parametrize('size', SIZES)
def test_reader_reads_a_clean_checkout_from_disk(temp_git_dir, lookups, size):
    data = b'\x93NUMPY' + b'\x01' * (size - 8) + b'ZZ'
    write(temp_git_dir / 'w.bin', data)
    add('w.bin')
    entry = _index_entry('w.bin')
    tree = GitRepo().index
    tree.prefetch([entry])
    sample = tree.sample(entry)
    assert sample.head == data[:HEAD_BYTES]
    # Only a read of the file on disk has a tail: git's blobs are streamed.
    assert sample.whole or sample.tail.endswith(b'ZZ')


def test_reader_of_a_commit_reads_its_blob(temp_git_dir, lookups):
    write(temp_git_dir / 'w.bin', b'\x93NUMPY old')
    add('w.bin')
    commit = git_commit('-m', 'old')
    write(temp_git_dir / 'w.bin', b'new content')
    add('w.bin')
    tree = GitRepo().commit(commit)
    entry = tree.lookup(['w.bin'])['w.bin']
    assert tree.sample(entry).head == b'\x93NUMPY old'


def test_cat_file_kept_open_answers_object_after_object(temp_git_dir):
    write(temp_git_dir / 'a', 'first\n')
    write(temp_git_dir / 'b', b'\x00second\n' * 10)
    add('.')
    oids = [_index_entry(p).oid for p in ('a', 'b')]
    cat_file = reader._CatFile('.')
    assert cat_file.size(oids[0]) == 6
    assert cat_file.content(oids[1]) == b'\x00second\n' * 10
    assert cat_file.content(oids[0]) == b'first\n'
    assert cat_file.size('0' * 40) is None
    assert cat_file.content('0' * 40) is None
    assert cat_file.size(oids[1]) == 80
    procs = list(cat_file._procs.values())
    assert len(procs) == 2
    del cat_file  # closed when collected: no git process left behind
    assert all(proc.returncode == 0 for proc in procs)


def test_reader_reads_a_blob_missing_from_the_checkout(temp_git_dir):
    write(temp_git_dir / 'w.bin', b'\x93NUMPY staged')
    add('w.bin')
    (temp_git_dir / 'w.bin').unlink()
    entry = _index_entry('w.bin')
    tree = GitRepo().index
    assert tree.sample(entry).head == b'\x93NUMPY staged'
    assert tree.read(entry, 100) == (b'\x93NUMPY staged', 13)
