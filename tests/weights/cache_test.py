"""The verdicts kept under .git: the same verdicts, fewer reads, and never
a verdict changed by a cache that is damaged."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from model_license_hooks import check_model_license
from model_license_hooks.cli import main as cli_main
from model_license_hooks.rules.judge import Judge
from model_license_hooks.rules.settings import Settings
from model_license_hooks.tree import reader
from model_license_hooks.tree.trees import GitRepo
from model_license_hooks.weights import cache
from tests import formats
from tests import samples
from tests.util import add
from tests.util import write


def _repo(root):
    samples.write_safetensors(root / 'models' / 'model.safetensors')
    samples.write_png(root / 'docs' / 'figure.png')
    write(root / 'src' / 'train.py', 'print("train")\n')
    formats.write_gguf_vocab(root / 'models' / 'ggml-vocab-llama.gguf')
    samples.write_ncnn_bin(root / 'ncnn' / 'net.bin')
    samples.write_ncnn_param(root / 'ncnn' / 'net.param')
    samples.write_lfs_pointer(root / 'lfs' / 'pytorch_model.bin')
    write(root / 'a.mlpackage' / 'Data' / 'weights' / 'weight.bin', b'\x01\x02\x03')
    add('.')


def _scan(capsys, *argv):
    assert cli_main(['scan', '--all', '--json', *argv]) == 0
    return sorted(json.loads(capsys.readouterr().out), key=lambda v: v['path'])


def _tables(root):
    folder = root / '.git' / cache.FOLDER
    return sorted(folder.glob('verdicts-*.sqlite3')) if folder.is_dir() else []


def test_cached_verdicts_are_the_verdicts(temp_git_dir, capsys):
    _repo(temp_git_dir)
    fresh = _scan(capsys, '--no-cache')
    assert not _tables(temp_git_dir)  # --no-cache writes nothing
    first = _scan(capsys)
    (table,) = _tables(temp_git_dir)
    again = _scan(capsys)
    assert fresh == first == again
    with sqlite3.connect(table) as db:
        keys = [bytes(k) for (k,) in db.execute('SELECT key FROM verdicts')]
    names = {k.split(b'\0')[1].decode() for k in keys}
    # Kept: what content and name decide.  Not kept: a Git LFS pointer,
    # headerless weights (their siblings decide), a bundle's files.
    assert {'model.safetensors', 'figure.png', 'train.py', 'ggml-vocab-llama.gguf'} <= names
    assert not names & {'pytorch_model.bin', 'net.bin', 'weight.bin'}


def test_a_warm_run_reads_no_file_it_judged_before(temp_git_dir, capsys, monkeypatch):
    _repo(temp_git_dir)
    _scan(capsys)
    sampled = []
    real = reader.GitReader.sample
    monkeypatch.setattr(reader.GitReader, 'sample',
                        lambda self, entry: sampled.append(entry.path) or real(self, entry))
    _scan(capsys)
    # the licence metadata scan --json shows is read again: it is not kept
    metadata = {'models/model.safetensors', 'models/ggml-vocab-llama.gguf'}
    assert set(sampled) <= {'lfs/pytorch_model.bin', 'ncnn/net.bin', 'ncnn/net.param',
                            'a.mlpackage/Data/weights/weight.bin'} | metadata


@pytest.mark.parametrize('damage', ('garbage', 'empty', 'bad-records', 'wrong-schema'))
def test_a_damaged_cache_is_ignored(temp_git_dir, capsys, damage):
    _repo(temp_git_dir)
    fresh = _scan(capsys, '--no-cache')
    _scan(capsys)
    (table,) = _tables(temp_git_dir)
    if damage == 'garbage':
        table.write_bytes(os.urandom(4096))
    elif damage == 'empty':
        table.write_bytes(b'')
    else:
        with sqlite3.connect(table) as db:
            if damage == 'bad-records':
                db.execute("UPDATE verdicts SET format = NULL, size = -1")
            else:
                db.execute('DROP TABLE verdicts')
                db.execute('CREATE TABLE verdicts (key BLOB PRIMARY KEY, weights TEXT)')
    assert _scan(capsys) == fresh  # judged afresh, no error
    code = check_model_license.main([])
    assert code == 1  # the weights still need their licence
    assert 'models/model.safetensors: model weights' in capsys.readouterr().out


def test_an_unwritable_git_dir_only_costs_time(temp_git_dir, capsys, monkeypatch):
    _repo(temp_git_dir)
    fresh = _scan(capsys, '--no-cache')
    monkeypatch.setattr(cache, 'FOLDER', 'no/such/\0folder')  # cannot be made
    assert _scan(capsys) == fresh


def test_another_recogniser_version_starts_afresh(temp_git_dir, capsys, monkeypatch):
    _repo(temp_git_dir)
    _scan(capsys)
    (old,) = _tables(temp_git_dir)
    monkeypatch.setattr(cache, '_version', lambda: 'another-version')
    _scan(capsys)
    (new,) = _tables(temp_git_dir)
    assert new.name == 'verdicts-another-version.sqlite3' and not old.exists()


def test_the_setting_turns_it_off(temp_git_dir, capsys):
    _repo(temp_git_dir)
    write(temp_git_dir / 'pyproject.toml', '[tool.model-license-hooks]\nno-cache = true\n')
    add('pyproject.toml')
    _scan(capsys)
    assert not _tables(temp_git_dir)
    judge = Judge(Settings(no_cache=True))
    assert judge._cache(GitRepo().index) is None
