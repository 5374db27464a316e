from __future__ import annotations

import pytest

from hooks import gitview
from hooks.gitview import Change
from hooks.util import CalledProcessError
from hooks.util import cmd_output
from hooks.util import zsplit
from tests.util import add
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


def test_parse_raw():
    z, a, b = '0' * 40, 'a' * 40, 'b' * 40
    tokens = [
        'c' * 40, f':000000 100644 {z} {a} A', 'x',
        f':100644 100644 {a} {a} R100', 'old', 'new',
        f':100644 100755 {a} {a} M', 'y', f':100644 100644 {a} {b} M', 'z',
    ]
    parsed = list(gitview._parse_raw(tokens))
    assert parsed == [
        'c' * 40, Change('A', None, 'x', z, a, '100644'),
        Change('R', 'old', 'new', a, a, '100644'),
        Change('M', None, 'y', a, a, '100755'),
        Change('M', None, 'z', a, b, '100644'),
    ]
    assert [c.content_changed for c in parsed[1:]] == [True, False, False, True]


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
    assert sorted(gitview.Snapshot(commit).entries) == ['dir/x']
    index = gitview.Snapshot(None)
    assert sorted(index.entries) == ['dir/x', 'y']
    assert sorted(index.siblings('dir/x')) == ['x']
