from __future__ import annotations

import sys

import pytest

from hooks import gitview
from hooks.gitview import Change
from hooks.util import CalledProcessError
from hooks.util import cmd_output
from hooks.util import cmd_records
from hooks.util import UserError
from hooks.util import zsplit
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import write


@pytest.mark.parametrize(
    ('s', 'expected'),
    (('', []), ('\0', []), ('a\0', ['a']), ('a\0b\0', ['a', 'b'])),
)
def test_zsplit(s, expected):
    assert zsplit(s) == expected


def test_cmd_output_raises():
    with pytest.raises(CalledProcessError):
        cmd_output('sh', '-c', 'exit 1')
    assert cmd_output('sh', '-c', 'exit 1', retcode=None) == ''


def test_cmd_records_streams_records_across_reads():
    # 300,000 records of 3 bytes: several reads, records cut between them
    script = 'import sys; sys.stdout.write("ab\\0" * 300000 + "end")'
    records = list(cmd_records(sys.executable, '-c', script))
    assert len(records) == 300001
    assert set(records[:-1]) == {b'ab'} and records[-1] == b'end'


def test_cmd_records_raises_with_the_error_text():
    script = 'import sys; print("a\\0b", end=""); sys.exit("it broke")'
    with pytest.raises(CalledProcessError, match='it broke'):
        list(cmd_records(sys.executable, '-c', script))
    with pytest.raises(CalledProcessError):
        list(cmd_records('/nonexistent/command'))


def test_parse_raw():
    z, a, b = '0' * 40, 'a' * 40, 'b' * 40
    tokens = [
        'c' * 40, f':000000 100644 {z} {a} A', 'x',
        f':100644 100644 {a} {a} R100', 'old', 'new',
        f':100644 100755 {a} {a} M', 'y', f':100644 100644 {a} {b} M', 'z',
    ]
    out = ''.join(f'{t}\0' for t in tokens).encode()
    parsed = list(gitview._parse_raw(gitview._records(out)))
    assert parsed == [
        'c' * 40, Change('A', None, 'x', z, a, '100644'),
        Change('R', 'old', 'new', a, a, '100644'),
        Change('M', None, 'y', a, a, '100755'),
        Change('M', None, 'z', a, b, '100644'),
    ]
    assert [c.content_changed for c in parsed[1:]] == [True, False, False, True]
    # keep(path, status): a rename is kept by either of its paths
    kept = gitview._parse_raw(gitview._records(out), lambda path, status: path in ('old', 'z'))
    assert [c.path for c in kept if isinstance(c, Change)] == ['new', 'z']
    kept = gitview._parse_raw(gitview._records(out), lambda path, status: status == 'A')
    assert [c.path for c in kept if isinstance(c, Change)] == ['x']


@pytest.mark.parametrize('tokens', (
    [b':100644 garbage', b'x'],
    [b':100644 100644 ' + b'a' * 40 + b' ' + b'b' * 40 + b' M'],  # no path
    [b':100644 100644 ' + b'a' * 40 + b' ' + b'b' * 40 + b' R100', b'old'],
))
def test_parse_raw_refuses_what_it_cannot_read(tokens):
    with pytest.raises(UserError, match='git gave a diff this cannot read'):
        list(gitview._parse_raw(tokens))


def _listing(paths: list[bytes]) -> gitview.Listing:
    oid = b'a' * 40
    records = [b'100644 ' + oid + b' 0\t' + p for p in paths]
    return gitview.Listing(records, gitview._index_entry)


def test_listing_folders_and_lookups():
    listing = _listing([
        b'LICENSE', b'a.txt', b'm/LICENSE', b'm/sub.txt', b'm/sub/w.bin',
        b'm/sub/x/y.bin', b'm0.txt', b'm-1/z', b'\xff.bin',
    ])
    assert sorted(listing.folder('')) == ['LICENSE', 'a.txt', 'm0.txt', '\udcff.bin']
    assert sorted(listing.folder('m')) == ['LICENSE', 'sub.txt']
    assert sorted(listing.folder('m/sub')) == ['w.bin']
    assert listing.folder('nothing') == {}
    assert listing.under('m') == ['m/LICENSE', 'm/sub.txt', 'm/sub/w.bin', 'm/sub/x/y.bin']
    assert listing.under('m/sub') == ['m/sub/w.bin', 'm/sub/x/y.bin']
    assert len(listing.under('')) == 9
    entry = listing.get('m/sub/w.bin')
    assert entry is not None and entry.path == 'm/sub/w.bin' and entry.mode == '100644'
    assert listing.get('\udcff.bin') is not None  # a name that is not UTF-8
    assert listing.get('m/sub') is None and listing.get('m/sub/') is None


def test_listing_sorts_what_git_did_not():
    listing = _listing([b'b/x', b'a', b'b.txt', b'a/y'])
    assert listing.under('') == ['a', 'a/y', 'b.txt', 'b/x']
    assert sorted(listing.folder('b')) == ['x']


def test_ancestors():
    assert gitview.ancestors('a/b/c.bin') == ['a/b', 'a', '']
    assert gitview.ancestors('c.bin') == ['']


def test_probe_offsets_are_bounded():
    assert gitview.probe_offsets(100) == []
    assert gitview.probe_offsets(4096) == [512, 1024, 2048]
    assert len(gitview.probe_offsets(2 ** 60)) == gitview.MAX_PROBES


def test_sample_of_a_large_sparse_file(tmp_path):
    path = tmp_path / 'big'
    with open(path, 'wb') as f:
        f.write(b'HEAD')
        f.truncate(2 ** 40)  # 1 TiB, sparse
        f.seek(2 ** 40 - 4)
        f.write(b'TAIL')
    sample = gitview.sample_file(str(path))
    assert sample.size == 2 ** 40 + 0
    assert sample.head.startswith(b'HEAD')
    assert len(sample.head) == gitview.HEAD_BYTES
    assert sample.tail.endswith(b'TAIL')
    assert len(sample.head) + len(sample.tail) + sum(
        map(len, sample.probes.values()),
    ) <= 64 * 1024


@pytest.mark.parametrize(
    'size', (0, 1, gitview.HEAD_BYTES, gitview.HEAD_BYTES + 1, 70_000, 5 * 2 ** 20),
)
def test_a_file_read_whole_is_sampled_the_same(tmp_path, size):
    data = bytes(i * 7 % 251 for i in range(size))
    (tmp_path / 'f').write_bytes(data)
    whole, content = gitview.read_file(str(tmp_path / 'f'), size)
    assert content == data
    assert whole == gitview.sample_file(str(tmp_path / 'f')) == gitview.sample_bytes(data)
    sampled, content = gitview.read_file(str(tmp_path / 'f'), size - 1)
    assert content is None and sampled == whole


def test_staged_and_range_changes(temp_git_dir):
    write(temp_git_dir / 'a', 'a\n')
    add('a')
    assert [c[:3] for c in gitview.staged_changes()] == [('A', None, 'a')]
    first = git_commit('-m', 'one')
    write(temp_git_dir / 'b', 'b\n')
    add('b')
    second = git_commit('-m', 'two')
    assert gitview.commits_in_range(first, second) == [second]
    assert [c[:3] for c in gitview.range_changes(first, second)] == [
        ('A', None, 'b'),
    ]
    assert [
        (commit, c[:3]) for commit, c in
        gitview.changes_per_commit([first, second])
    ] == [(first, ('A', None, 'a')), (second, ('A', None, 'b'))]


def test_snapshot_of_a_commit_and_the_index(temp_git_dir):
    write(temp_git_dir / 'dir/x', 'x\n')
    add('dir')
    commit = git_commit('-m', 'x')
    write(temp_git_dir / 'y', 'y\n')
    add('y')
    assert gitview.Snapshot(commit).paths() == ['dir/x']
    index = gitview.Snapshot(None)
    assert index.paths() == ['dir/x', 'y']
    assert sorted(index.siblings('dir/x')) == ['x']


@pytest.fixture(params=('by name', 'whole tree'))
def lookups(request, monkeypatch):
    """Run a test with git asked path by path, and with whole listings."""
    if request.param == 'whole tree':
        monkeypatch.setattr(gitview, 'LOOKUP_MAX_PATHS', 0)
        monkeypatch.setattr(gitview, 'LOOKUP_MAX_CALLS', 0)
        monkeypatch.setattr(gitview, 'STAT_MAX_PATHS', 0)
    return request.param


@pytest.mark.parametrize('staged', (True, False))
def test_snapshot_answers_the_same_either_way(temp_git_dir, lookups, staged):
    for path in ('LICENSE', 'm/a.bin', 'm/sub/b.bin', 'm[1]/c.bin', 'm0/d', 'm-x/e'):
        write(temp_git_dir / path, path + '\n')
    add('.')
    commit = git_commit('-m', 'files')
    snapshot = gitview.Snapshot(None if staged else commit)
    found = snapshot.lookup(['m/a.bin', 'm[1]/c.bin', 'nothing', 'm/sub'])
    assert sorted(found) == ['m/a.bin', 'm[1]/c.bin']
    assert found['m/a.bin'].oid == git('rev-parse', f'{commit}:m/a.bin').strip()
    assert sorted(snapshot.folder('')) == ['LICENSE']
    assert sorted(snapshot.folder('m')) == ['a.bin']
    assert sorted(snapshot.folder('m[1]')) == ['c.bin']
    assert snapshot.folder('none') == {}
    assert snapshot.under('m') == ['m/a.bin', 'm/sub/b.bin']
    assert len(snapshot.paths()) == 6


def _index_entry(path: str) -> gitview.Entry:
    entry = gitview.Snapshot(None).lookup([path]).get(path)
    assert entry is not None
    return entry


# Read whole (up to a head, up to VERIFY_BYTES) or sampled (larger).
SIZES = (100, gitview.HEAD_BYTES + 5000, 3 * gitview.HEAD_BYTES)


@pytest.fixture
def small_verify(monkeypatch):
    monkeypatch.setattr(gitview, 'VERIFY_BYTES', 2 * gitview.HEAD_BYTES)


@pytest.mark.usefixtures('small_verify')
@pytest.mark.parametrize('size', SIZES)
def test_reader_reads_the_staged_blob_not_an_unstaged_edit(temp_git_dir, lookups, size):
    staged = b'\x93NUMPY' + b'\x01' * (size - 6)
    write(temp_git_dir / 'w.bin', staged)
    add('w.bin')
    # The same size and a later time: only the content tells them apart.
    write(temp_git_dir / 'w.bin', b'plain text, ' + b'x' * (size - 12))
    entry = _index_entry('w.bin')
    reader = gitview.BlobReader()
    reader.prefetch([entry])
    sample = reader.sample(entry)
    assert sample.size == size
    assert sample.head.startswith(b'\x93NUMPY')


@pytest.mark.usefixtures('small_verify')
@pytest.mark.parametrize('size', SIZES)
def test_reader_reads_a_clean_checkout_from_disk(temp_git_dir, lookups, size):
    data = b'\x93NUMPY' + b'\x01' * (size - 8) + b'ZZ'
    write(temp_git_dir / 'w.bin', data)
    add('w.bin')
    entry = _index_entry('w.bin')
    reader = gitview.BlobReader()
    reader.prefetch([entry])
    sample = reader.sample(entry)
    assert sample.head == data[:gitview.HEAD_BYTES]
    # Only a read of the file on disk has a tail: git's blobs are streamed.
    assert sample.whole or sample.tail.endswith(b'ZZ')


def test_reader_of_a_commit_reads_its_blob(temp_git_dir, lookups):
    write(temp_git_dir / 'w.bin', b'\x93NUMPY old')
    add('w.bin')
    commit = git_commit('-m', 'old')
    write(temp_git_dir / 'w.bin', b'new content')
    add('w.bin')
    entry = gitview.Snapshot(commit).lookup(['w.bin'])['w.bin']
    assert gitview.BlobReader().sample(entry).head == b'\x93NUMPY old'


def test_many_lookups_by_name_give_way_to_one_listing(temp_git_dir, monkeypatch):
    for i in range(40):
        write(temp_git_dir / f'd{i}/f', f'{i}\n')
    add('.')
    calls = []
    real = gitview.cmd_records

    def counted(*cmd, **kwargs):
        calls.append(cmd[1])
        return real(*cmd, **kwargs)

    monkeypatch.setattr(gitview, 'cmd_records', counted)
    snapshot = gitview.Snapshot(None)
    for i in range(40):  # one path, then one folder, at a time
        assert list(snapshot.lookup([f'd{i}/f'])) == [f'd{i}/f']
        assert list(snapshot.folder(f'd{i}')) == ['f']
    assert len(calls) == gitview.LOOKUP_MAX_CALLS + 1  # the last: the whole index


def test_cat_file_kept_open_answers_object_after_object(temp_git_dir):
    write(temp_git_dir / 'a', 'first\n')
    write(temp_git_dir / 'b', b'\x00second\n' * 10)
    add('.')
    oids = [_index_entry(p).oid for p in ('a', 'b')]
    cat_file = gitview._CatFile()
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
    reader = gitview.BlobReader()
    assert reader.sample(entry).head == b'\x93NUMPY staged'
    assert reader.read_whole(entry.oid, 100) == (b'\x93NUMPY staged', 13)
