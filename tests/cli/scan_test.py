from __future__ import annotations

import json
import os

import pytest

from model_license_hooks.cli import main
from tests import samples
from tests.util import add
from tests.util import write


def test_scan_tracked_files(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'a/model.safetensors')
    samples.write_png(temp_git_dir / 'a/logo.png')
    samples.write_safetensors(temp_git_dir / 'untracked.safetensors')
    add('a')
    assert main(['scan']) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "a/model.safetensors: safetensors (safetensors header "
        "(144 bytes of JSON, 2 tensors, format 'pt'))",
    ]
    assert err == '1 of 2 files are model weights\n'


def test_scan_all_explains_non_weights(temp_git_dir, capsys):
    samples.write_png(temp_git_dir / 'model.bin')
    add('.')
    assert main(['scan', '--all']) == 0
    assert capsys.readouterr().out == 'model.bin: not weights (PNG image)\n'


def test_scan_json(temp_git_dir, capsys):
    samples.write_lfs_pointer(temp_git_dir / 'pytorch_model.bin')
    add('.')
    assert main(['scan', '--json']) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item['path'] == 'pytorch_model.bin'
    assert item['weights'] is True
    assert item['lfs'] is True
    assert item['size'] == 123456789
    assert item['format'] == 'pytorch'


def test_scan_paths_on_disk(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no git repository needed for paths
    samples.write_gguf(tmp_path / 'snap/model.gguf')
    samples.write_ncnn_bin(tmp_path / 'snap/unet.bin')
    write(tmp_path / 'snap/unet.param', '7767517\n1 1\n')
    os.symlink('model.gguf', tmp_path / 'snap/link.gguf')
    assert main(['scan', 'snap']) == 0
    out = capsys.readouterr().out
    assert 'snap/model.gguf: gguf (GGUF magic, version 3)' in out
    assert 'snap/unet.bin: ncnn (headerless weights beside unet.param' in out
    assert 'link.gguf' not in out


def test_scan_unreadable_and_special_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / 'fifo.bin')
    assert main(['scan', 'fifo.bin', 'missing.bin', '/dev/null']) == 2
    err = capsys.readouterr().err
    assert 'fifo.bin: cannot read: not a regular file' in err
    assert 'missing.bin: cannot read: No such file or directory' in err
    assert '/dev/null: cannot read: not a regular file' in err
    assert 'Traceback' not in err


def test_scan_outside_a_repository(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(['scan']) == 2
    assert 'not inside a git repository' in capsys.readouterr().err


def test_scan_requires_a_command(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main([])
    assert excinfo.value.code == 2
