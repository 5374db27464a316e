from __future__ import annotations

import sys

import pytest

from model_license_hooks.errors import GitError
from model_license_hooks.tree.git import cmd_output
from model_license_hooks.tree.git import cmd_records
from model_license_hooks.tree.git import zsplit


@pytest.mark.parametrize(
    ('s', 'expected'),
    (('', []), ('\0', []), ('a\0', ['a']), ('a\0b\0', ['a', 'b'])),
)
def test_zsplit(s, expected):
    assert zsplit(s) == expected


def test_cmd_output_raises():
    with pytest.raises(GitError):
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
    with pytest.raises(GitError, match='it broke'):
        list(cmd_records(sys.executable, '-c', script))
    with pytest.raises(GitError):
        list(cmd_records('/nonexistent/command'))
