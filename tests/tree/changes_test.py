from __future__ import annotations

import pytest

from model_license_hooks.errors import UserError
from model_license_hooks.tree import changes
from model_license_hooks.tree.changes import Change
from tests.util import add
from tests.util import git_commit
from tests.util import write


def _records(out: bytes) -> list[bytes]:
    return out.split(b'\0')[:-1]


def test_parse_raw():
    z, a, b = '0' * 40, 'a' * 40, 'b' * 40
    tokens = [
        'c' * 40, f':000000 100644 {z} {a} A', 'x',
        f':100644 100644 {a} {a} R100', 'old', 'new',
        f':100644 100755 {a} {a} M', 'y', f':100644 100644 {a} {b} M', 'z',
    ]
    out = ''.join(f'{t}\0' for t in tokens).encode()
    parsed = list(changes.parse_raw(_records(out)))
    assert parsed == [
        'c' * 40, Change('A', None, 'x', z, a, '100644'),
        Change('R', 'old', 'new', a, a, '100644'),
        Change('M', None, 'y', a, a, '100755'),
        Change('M', None, 'z', a, b, '100644'),
    ]
    assert [c.content_changed for c in parsed[1:]] == [True, False, False, True]
    # keep(path, status): a rename is kept by either of its paths
    kept = changes.parse_raw(_records(out), lambda path, status: path in ('old', 'z'))
    assert [c.path for c in kept if isinstance(c, Change)] == ['new', 'z']
    kept = changes.parse_raw(_records(out), lambda path, status: status == 'A')
    assert [c.path for c in kept if isinstance(c, Change)] == ['x']


@pytest.mark.parametrize('tokens', (
    [b':100644 garbage', b'x'],
    [b':100644 100644 ' + b'a' * 40 + b' ' + b'b' * 40 + b' M'],  # no path
    [b':100644 100644 ' + b'a' * 40 + b' ' + b'b' * 40 + b' R100', b'old'],
))
def test_parse_raw_refuses_what_it_cannot_read(tokens):
    with pytest.raises(UserError, match='git gave a diff this cannot read'):
        list(changes.parse_raw(tokens))


def test_staged_and_range_changes(temp_git_dir):
    write(temp_git_dir / 'a', 'a\n')
    add('a')
    assert [c[:3] for c in changes.staged_changes()] == [('A', None, 'a')]
    first = git_commit('-m', 'one')
    write(temp_git_dir / 'b', 'b\n')
    add('b')
    second = git_commit('-m', 'two')
    assert [c[:3] for c in changes.range_changes(first, second)] == [
        ('A', None, 'b'),
    ]
