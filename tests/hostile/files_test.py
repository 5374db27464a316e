"""Hostile file names and special files: FIFOs, devices, symlink loops,
odd and deep names, through `scan`, `check` and the hooks."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from model_license_hooks import check_model_attribution
from model_license_hooks import check_model_changelog
from model_license_hooks import check_model_license
from model_license_hooks import cli
from tests import samples
from tests.hostile.helpers import bounded
from tests.hostile.helpers import deadline
from tests.hostile.helpers import posix_only
from tests.hostile.helpers import run_hook
from tests.hostile.helpers import safetensors_bytes
from tests.hostile.helpers import weights_repo
from tests.util import add
from tests.util import git
from tests.util import MIT_TEXT
from tests.util import write


@posix_only
@pytest.mark.parametrize('kind', ('fifo', '/dev/zero', '/dev/null', 'missing', 'fifo-in-folder'))
def test_scan_special_paths(tmp_path, monkeypatch, capsys, kind):
    monkeypatch.chdir(tmp_path)
    if kind == 'fifo':
        os.mkfifo('model.safetensors')
        path = 'model.safetensors'
    elif kind == 'fifo-in-folder':
        os.mkdir('snap')
        os.mkfifo('snap/pipe.bin')
        samples.write_safetensors(tmp_path / 'snap/model.safetensors')
        path = 'snap'
    elif kind == 'missing':
        path = 'missing.safetensors'
    else:
        path = kind
    with bounded():
        assert cli.main(['scan', path]) == 2
    err = capsys.readouterr().err
    assert ': cannot read: ' in err and 'Traceback' not in err


@posix_only
def test_scan_folders_and_symlink_loops(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.mkdir('empty')
    os.symlink('loop', 'loop')
    os.makedirs('tree/a')
    os.symlink('..', 'tree/a/up')  # a folder loop: os.walk does not follow it
    samples.write_safetensors(tmp_path / 'tree/a/model.safetensors')
    with bounded():
        assert cli.main(['scan', '--all', 'empty', 'loop', 'tree']) == 0
    out, err = capsys.readouterr()
    assert 'loop: not weights (a symbolic link)' in out
    assert 'tree/a/model.safetensors: safetensors' in out
    assert '1 of 2 files are model weights' in err  # the link to '..' is not walked


@posix_only
def test_tracked_symlink_loops(temp_git_dir, capsys):
    weights_repo(temp_git_dir, licence=False)
    os.symlink('b', temp_git_dir / 'a')
    os.symlink('a', temp_git_dir / 'b')
    os.symlink('LICENSE', temp_git_dir / 'LICENSE')  # itself
    os.symlink('.', temp_git_dir / 'COPYING')  # the folder
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1
    assert 'LICENSE: it is a symlink to nothing tracked' in out
    run_hook(check_model_attribution.main, [], capsys)
    run_hook(check_model_changelog.main, [], capsys)
    with bounded():
        assert cli.main(['scan']) == 0


@posix_only
@pytest.mark.parametrize('size', (64, 200_000))  # a small blob and a large one
@pytest.mark.parametrize('which', ('weights', 'licence'))
def test_file_replaced_by_a_fifo_after_git_add(temp_git_dir, capsys, size, which):
    header = b'{"a":{"dtype":"U8","shape":[%d],"data_offsets":[0,%d]}}' % (size, size)
    write(temp_git_dir / 'm/model.safetensors', safetensors_bytes(len(header), header, bytes(size)))
    write(temp_git_dir / 'm/LICENSE', MIT_TEXT * (1 + size // 1000))
    add('.')
    target = temp_git_dir / 'm' / ('model.safetensors' if which == 'weights' else 'LICENSE')
    target.unlink()
    os.mkfifo(target)
    # the staged blobs decide: a weight file under a licence
    for argv in ([], ['m/model.safetensors'], ['m/LICENSE']):
        code, out, _ = run_hook(check_model_license.main, argv, capsys)
        assert code == 0, out
    code, out, _ = run_hook(check_model_changelog.main, [], capsys)
    assert code == 1 and 'm/model.safetensors: model weights (safetensors)' in out
    with bounded():
        assert cli.main(['scan']) == 0
    assert 'm/model.safetensors: safetensors' in capsys.readouterr().out


ODD_NAMES = {
    'latin-1': b'caf\xe9.safetensors',
    'invalid-utf-8': b'\xff\xfe\x80.safetensors',
    'newline': b'new\nline.safetensors',
    'tab': b'tab\there.safetensors',
    'quote-and-space': b'"quoted" name .safetensors',
    'leading-dash': b'-rf.safetensors',
    'glob-chars': b'[a]*?.safetensors',
    'colon-magic': b':(glob)x.safetensors',
    '250-bytes': b'w' * 238 + b'.safetensors',
    'backslash': b'back\\slash.safetensors',
}


@posix_only
@pytest.mark.parametrize('kind', sorted(ODD_NAMES))
def test_odd_file_names(temp_git_dir, capsys, kind):
    raw = ODD_NAMES[kind]
    folder = os.fsencode(temp_git_dir) + b'/' + raw.replace(b'.safetensors', b'.d')
    os.mkdir(folder)
    name = Path(os.fsdecode(folder + b'/' + raw))
    samples.write_safetensors(name)
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1 and 'without a licence' in out
    code, out, _ = run_hook(check_model_changelog.main, [], capsys)
    assert code == 1
    code, out, _ = run_hook(check_model_attribution.main, ['--profile', 'duix-avatar'], capsys)
    assert code == 1 and 'no model card' in out
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('LICENSE')
    assert run_hook(check_model_license.main, [], capsys)[0] == 0
    # a licence copy in the oddly named folder itself: found by listing it
    (temp_git_dir / 'LICENSE').unlink()
    git('rm', '-q', '--cached', 'LICENSE')
    write(Path(os.fsdecode(folder + b'/LICENSE')), MIT_TEXT)
    add('.')
    assert run_hook(check_model_license.main, [], capsys)[0] == 0
    assert run_hook(check_model_license.main, ['--profile', 'duix-avatar'], capsys)[0] == 1


def test_hundred_folders_deep(temp_git_dir, capsys):
    deep = temp_git_dir.joinpath(*['d'] * 100)
    samples.write_safetensors(deep / 'model.safetensors')
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1 and 'any folder above' in out
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('LICENSE')
    assert run_hook(check_model_license.main, [], capsys)[0] == 0
    assert run_hook(check_model_changelog.main, [], capsys)[0] == 1
    assert run_hook(check_model_attribution.main, ['--profile', 'duix-avatar'], capsys)[0] == 1


def test_many_odd_names_in_one_commit(temp_git_dir, capsys):
    for i in range(300):
        raw = b'f%d-\xe9\n\t' % i + b'.bin'
        write(Path(os.fsdecode(os.fsencode(temp_git_dir) + b'/' + raw)), b'\0\1' * 8)
    samples.write_safetensors(temp_git_dir / 'x' / 'model.safetensors')
    add('.')
    code, out, _ = run_hook(check_model_license.main, [], capsys)
    assert code == 1 and out.startswith('x/model.safetensors: model weights')


@posix_only
# Found by these tests, fixed since: disk.DiskReader.read_whole
# (model-license-hooks check on a plain folder) opens the file with a blocking
# open() that follows symlinks: a README.md or CHANGELOG.md that is a symlink
# to a FIFO hangs the audit (a symlink to /dev/zero reads 4 MiB of zeros)
@pytest.mark.parametrize('name', ('README.md', 'CHANGELOG.md'))
def test_disk_check_symlink_to_a_fifo(tmp_path, capsys, name):
    samples.write_safetensors(tmp_path / 'snap' / 'model.safetensors')
    os.mkfifo(tmp_path / 'snap' / 'pipe')
    os.symlink('pipe', tmp_path / 'snap' / name)
    with deadline(1.5):
        code = cli.main(['check', str(tmp_path / 'snap'), '--profile', 'duix-avatar'])
    assert code in (1, 2)
