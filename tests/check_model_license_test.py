from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from model_license_hooks.check_model_license import main
from tests import samples
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import MIT_TEXT
from tests.util import write

REPO_ROOT = Path(__file__).resolve().parents[1]


def _staged_run(*argv: str) -> int:
    return main(list(argv))


def test_l1_staged_weights_without_licence(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('model.safetensors')
    assert main([]) == 1
    out = capsys.readouterr().out
    assert out.startswith('model.safetensors: model weights (safetensors)')
    assert 'without a licence: no licence copy in the repository root' in out
    assert 'To fix:' in out
    assert 'git add LICENSE' in out


def test_l1_through_pre_commit_argument_list(temp_git_dir, capsys, monkeypatch):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('model.safetensors')
    monkeypatch.setenv('PRE_COMMIT', '1')
    assert main(['model.safetensors']) == 1
    assert 'model.safetensors: model weights' in capsys.readouterr().out


@pytest.mark.parametrize('earlier', (True, False))
def test_l2_licence_committed_earlier_or_staged_together(temp_git_dir, earlier):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    if earlier:
        add('LICENSE')
        git_commit('-m', 'licence')
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('LICENSE', 'model.safetensors')
    assert main([]) == 0


@pytest.mark.parametrize('tracked', (False, True))
def test_l3_licence_on_disk_but_not_staged(temp_git_dir, capsys, tracked):
    if tracked:
        # Tracked but its staged version is empty; the disk copy is full.
        write(temp_git_dir / 'LICENSE', '')
        add('LICENSE')
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('model.safetensors')
    assert main([]) == 1
    out = capsys.readouterr().out
    assert 'model.safetensors: model weights' in out
    if tracked:
        assert 'LICENSE: it is empty' in out


@pytest.mark.parametrize(
    ('licence', 'expected'),
    (
        ('models/b/LICENSE', 1),
        ('models/a/LICENSE', 0),
        ('models/LICENSE', 0),
        ('LICENSE', 0),
    ),
)
def test_l4_licence_must_be_in_the_folder_or_above(
        temp_git_dir, capsys, licence, expected,
):
    samples.write_safetensors(temp_git_dir / 'models/a/model.safetensors')
    write(temp_git_dir / licence, MIT_TEXT)
    add('.')
    assert main([]) == expected
    if expected:
        out = capsys.readouterr().out
        first = out.splitlines()[0]
        assert first.startswith(
            'models/a/model.safetensors: model weights (safetensors) without '
            'a licence: no licence copy in models/a/, models/ or the '
            'repository root [',
        )
        assert 'Duix.Avatar 2.4' in first  # the clauses that ask for it


@pytest.mark.parametrize(
    ('content', 'why'),
    (
        ('', 'it is empty'),
        ('  \n\t\n', 'it holds only white space'),
        ('TODO\n', "it is a placeholder ('TODO')"),
        ('License goes here.\n', 'it is a placeholder'),
        ('See https://example.com/licence\n', 'it only names or links a licence'),
        ('All rights reserved by the authors; ask us before you use these.\n',
         'it is too short to be a licence text'),
        ('MIT\n' * 40, "it is a few characters repeated ('imt')"),
        (b'\x00\x01\x02binary', 'it is not a text file'),
    ),
)
def test_l5_empty_or_placeholder_licence(temp_git_dir, capsys, content, why):
    write(temp_git_dir / 'LICENSE', content)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main([]) == 1
    out = capsys.readouterr().out
    assert f'LICENSE: {why}' in out


@pytest.mark.parametrize(
    'name',
    (
        'LICENSE', 'LICENCE', 'COPYING', 'LICENSE.md', 'LICENSE.txt',
        'LICENSE.rst', 'licence.txt', 'COPYING.md', 'LICENSE-MODEL',
        'MODEL_LICENSE', 'MODEL_LICENSE.md', 'LICENSE-APACHE',
        'Duix.Avatar model community Licensing Agreement.pdf',
        'Model License_EN.pdf', 'LICENSES/Apache-2.0.txt',
    ),
)
def test_l6_accepted_licence_names(temp_git_dir, name):
    content: str | bytes = MIT_TEXT
    if name.endswith('.pdf'):
        content = samples.pdf_of_text(MIT_TEXT)  # a PDF whose text is a licence
    write(temp_git_dir / name, content)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main([]) == 0


def test_l6_a_pdf_whose_text_cannot_be_read_is_not_taken_for_a_copy(temp_git_dir, capsys):
    write(temp_git_dir / 'Model License_EN.pdf', b'%PDF-1.4\n' + b'1 0 obj << >> endobj\n' * 20)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main([]) == 1  # undecided: fail closed
    out = capsys.readouterr().out
    assert 'Model License_EN.pdf: ' in out
    assert 'add the licence as text too' in out


def test_l6_user_supplied_licence_name(temp_git_dir):
    write(temp_git_dir / 'TERMS-OF-USE.txt', MIT_TEXT)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main([]) == 1
    assert main(['--license-name', 'terms-of-use.*']) == 0


@pytest.mark.parametrize(
    'name', ('license_checker.py', 'LICENSE.png', 'licenses.json'),
)
def test_l6_look_alike_names_are_not_licences(temp_git_dir, name):
    write(temp_git_dir / name, MIT_TEXT)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main([]) == 1


def test_l6_pdf_licence_that_is_not_a_pdf(temp_git_dir, capsys):
    write(temp_git_dir / 'Licensing Agreement.pdf', MIT_TEXT)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main([]) == 1
    assert 'Licensing Agreement.pdf: it is not a PDF' in capsys.readouterr().out


@pytest.mark.parametrize('name', ('pytorch_model.bin', 'model.safetensors'))
def test_l7_lfs_pointer_is_weights(temp_git_dir, capsys, name):
    samples.write_lfs_pointer(temp_git_dir / name)
    add(name)
    assert main([]) == 1
    out = capsys.readouterr().out
    assert f'{name}: model weights (' in out
    assert 'in Git LFS' in out


def test_l7_lfs_pointer_to_an_image_is_not_weights(temp_git_dir):
    samples.write_lfs_pointer(temp_git_dir / 'banner.png')
    add('banner.png')
    assert main([]) == 0


@pytest.mark.skipif(shutil.which('git-lfs') is None, reason='needs git-lfs')
def test_l7_real_git_lfs(temp_git_dir, capsys):
    git('lfs', 'install', '--local')
    git('lfs', 'track', '*.bin')
    samples.write_safetensors(temp_git_dir / 'weights/pytorch_model.bin')
    add('.gitattributes', 'weights/pytorch_model.bin')
    staged = git('cat-file', '-p', ':weights/pytorch_model.bin')
    assert staged.startswith('version https://git-lfs.github.com/spec/v1')
    assert main([]) == 1
    out = capsys.readouterr().out
    # The smudged checkout is read: its content names the real format.
    assert 'weights/pytorch_model.bin: model weights (safetensors, in Git LFS)' in out


@pytest.mark.parametrize(
    'writer', ('safetensors', 'torch-zip', 'gguf', 'onnx', 'torch-legacy'),
)
@pytest.mark.parametrize('name', ('blob', 'weights.dat'))
def test_l8_weights_under_any_name(temp_git_dir, capsys, writer, name):
    samples.WEIGHT_WRITERS[writer](temp_git_dir / 'sub' / name)
    add('sub')
    assert main([]) == 1
    assert f'sub/{name}: model weights' in capsys.readouterr().out


NON_WEIGHT_NAMES = {
    'png': 'logo.png', 'jpeg': 'photo.jpg', 'pdf': 'paper.pdf',
    'zip-text': 'docs.zip', 'sqlite': 'data.sqlite', 'wav': 'sound.wav',
    'elf': 'tool', 'firmware-bin': 'firmware.bin', 'text-pt': 'notes.pt',
    'hdf5-data': 'measurements.h5', 'tar-text': 'docs.tar',
    'gzip-text': 'notes.txt.gz', 'pth-path-file': 'easy-install.pth',
    'protobuf-descriptor': 'descriptor.pb', 'pickle-data': 'vmaf_v0.6.1.pkl',
}


@pytest.mark.parametrize('kind', sorted(NON_WEIGHT_NAMES))
def test_l9_ordinary_files_are_not_weights(temp_git_dir, capsys, kind):
    samples.NON_WEIGHT_WRITERS[kind](temp_git_dir / 'files' / NON_WEIGHT_NAMES[kind])
    add('files')
    assert main([]) == 0
    assert capsys.readouterr().out == ''


@pytest.mark.parametrize('split', (False, True))
@pytest.mark.parametrize('how', ('delete', 'empty', 'rename-away'))
def test_l10_removing_the_licence_fails_without_staged_weights(
        temp_git_dir, capsys, monkeypatch, how, split,
):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    samples.write_safetensors(temp_git_dir / 'm/model.safetensors')
    add('.')
    git_commit('-m', 'model')
    write(temp_git_dir / 'README.md', '# a model\n')
    add('README.md')
    if how == 'delete':
        git('rm', '-q', 'LICENSE')
    elif how == 'empty':
        write(temp_git_dir / 'LICENSE', '')
        add('LICENSE')
    else:
        git('mv', 'LICENSE', 'docs-LICENSE-old.txt')
    if split:
        # pre-commit splits a long file list over several runs and never
        # passes a deleted file: a run given other files sees the change.
        monkeypatch.setenv('PRE_COMMIT', '1')
    assert main(['README.md'] if split else []) == 1
    assert 'm/model.safetensors: model weights' in capsys.readouterr().out


def test_l10_with_pre_commit_arguments(temp_git_dir, capsys, monkeypatch):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    samples.write_gguf(temp_git_dir / 'model.gguf')
    add('.')
    git_commit('-m', 'model')
    git('rm', '-q', 'LICENSE')
    monkeypatch.setenv('PRE_COMMIT', '1')
    assert main([]) == 1  # pre-commit passes no file: the deletion still counts
    assert 'model.gguf: model weights (gguf)' in capsys.readouterr().out


def test_l10_unrelated_commit_passes(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    git_commit('-m', 'old weights, before the hook')
    write(temp_git_dir / 'README.md', '# docs\n')
    add('README.md')
    assert main([]) == 0


def _push_env(monkeypatch, from_ref, to_ref):
    monkeypatch.setenv('PRE_COMMIT_FROM_REF', from_ref)
    monkeypatch.setenv('PRE_COMMIT_TO_REF', to_ref)


def test_l11_push_range(temp_git_dir, capsys, monkeypatch):
    write(temp_git_dir / 'README.md', '# base\n')
    add('.')
    base = git_commit('-m', 'base')
    write(temp_git_dir / 'src.py', 'print(1)\n')
    add('.')
    git_commit('-m', 'one')
    samples.write_safetensors(temp_git_dir / 'models/model.safetensors')
    add('.')
    git_commit('-m', 'two: weights')
    write(temp_git_dir / 'docs.md', 'docs\n')
    add('.')
    tip = git_commit('-m', 'three')
    # An untracked licence on disk and a staged one must not count.
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    _push_env(monkeypatch, base, tip)
    assert main([]) == 1
    assert 'models/model.safetensors: model weights' in capsys.readouterr().out
    add('LICENSE')
    assert main([]) == 1
    git_commit('-m', 'licence')
    _push_env(monkeypatch, base, 'HEAD')
    assert main([]) == 0


def test_l11_weights_added_then_removed_within_the_push(
        temp_git_dir, capsys, monkeypatch,
):
    write(temp_git_dir / 'README.md', '# base\n')
    add('.')
    base = git_commit('-m', 'base')
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    middle = git_commit('-m', 'weights')
    git('rm', '-q', 'model.safetensors')
    tip = git_commit('-m', 'oops, remove')
    _push_env(monkeypatch, base, tip)
    assert main([]) == 1
    out = capsys.readouterr().out
    assert f'model.safetensors (in commit {middle[:12]}): model weights' in out


def test_l11_push_licence_removed(temp_git_dir, capsys, monkeypatch):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    base = git_commit('-m', 'base')
    git('rm', '-q', 'LICENSE')
    tip = git_commit('-m', 'drop licence')
    _push_env(monkeypatch, base, tip)
    assert main([]) == 1


def test_l11_bad_ref_is_an_error(temp_git_dir, capsys, monkeypatch):
    write(temp_git_dir / 'README.md', '# base\n')
    add('.')
    git_commit('-m', 'base')
    _push_env(monkeypatch, 'f' * 40, 'HEAD')
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith('error: ')
    assert 'Traceback' not in err


def test_l12_all_files_checks_old_weights(temp_git_dir, capsys, monkeypatch):
    samples.write_safetensors(temp_git_dir / 'old/model.safetensors')
    write(temp_git_dir / 'README.md', '# x\n')
    add('.')
    git_commit('-m', 'old weights')
    monkeypatch.setenv('PRE_COMMIT', '1')
    tracked = git('ls-files').split()
    assert main(tracked) == 1
    assert 'old/model.safetensors: model weights' in capsys.readouterr().out
    # Each pre-commit batch sees only part of the list: still judged alone.
    assert main(['README.md']) == 0
    assert main(['old/model.safetensors']) == 1


def test_l13_odd_names_and_symlinks(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'mödel dir/weights with space.safetensors')
    samples.write_gguf(temp_git_dir / 'модель.gguf', license='mit')  # as its LICENCE
    os.symlink('mödel dir/weights with space.safetensors', temp_git_dir / 'link.safetensors')
    os.symlink('does-not-exist', temp_git_dir / 'dangling.safetensors')
    add('.')
    assert main([]) == 1
    out = capsys.readouterr().out
    assert 'mödel dir/weights with space.safetensors: model weights' in out
    assert 'модель.gguf: model weights (gguf)' in out
    assert 'link.safetensors' not in out
    assert 'dangling' not in out
    write(temp_git_dir / 'mödel dir/LICENSE', MIT_TEXT)
    write(temp_git_dir / 'LICENCE', MIT_TEXT)
    add('.')
    assert main([]) == 0


def test_l13_licence_symlink(temp_git_dir, capsys):
    write(temp_git_dir / 'licenses/mit.txt', MIT_TEXT)
    os.symlink('licenses/mit.txt', temp_git_dir / 'LICENSE')
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main([]) == 0


def test_l13_licence_symlink_out_of_the_repository(temp_git_dir, tmp_path, capsys):
    write(tmp_path / 'outside.txt', MIT_TEXT)
    os.symlink(str(tmp_path / 'outside.txt'), temp_git_dir / 'LICENSE')
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    assert main([]) == 1
    assert 'LICENSE: it is a symlink out of the repository' in capsys.readouterr().out


def test_l14_outside_a_repository(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ''
    assert err.count('\n') == 1
    assert 'not inside a git repository' in err


def test_l14_missing_file(temp_git_dir, capsys):
    write(temp_git_dir / 'README.md', 'x\n')
    add('.')
    git_commit('-m', 'x')
    assert main(['no-such-file.bin']) == 2
    err = capsys.readouterr().err
    assert err == 'error: no-such-file.bin: no such file\n'


def test_l14_console_script_prints_no_traceback(tmp_path):
    proc = subprocess.run(
        (sys.executable, '-m', 'model_license_hooks.check_model_license'),
        cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, 'PYTHONPATH': str(REPO_ROOT)},
    )
    assert proc.returncode == 2
    assert 'Traceback' not in proc.stderr
    assert proc.stderr.startswith('error: not inside a git repository')


def test_untracked_argument_is_not_distributed(temp_git_dir, capsys):
    write(temp_git_dir / 'README.md', 'x\n')
    add('.')
    git_commit('-m', 'x')
    samples.write_safetensors(temp_git_dir / 'untracked.safetensors')
    assert main(['untracked.safetensors']) == 0


def test_ignore_and_weights_pattern(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'tests/fixtures/tiny.safetensors')
    write(temp_git_dir / 'weights.raw', bytes(range(256)) * 4)
    add('.')
    assert main([]) == 1
    assert main(['--ignore', 'tests/fixtures/*']) == 0
    assert main(['--ignore', 'tests/fixtures/*', '--weights-pattern', '*.raw']) == 1


@pytest.mark.skipif(shutil.which('pre-commit') is None, reason='needs pre-commit')
def test_l15_through_pre_commit_try_repo(tmp_path):
    env = {
        **os.environ, 'PRE_COMMIT_HOME': str(tmp_path / 'cache'),
    }
    env.pop('PRE_COMMIT', None)
    sample = tmp_path / 'sample'
    git('init', '-q', '-b', 'main', str(sample))
    samples.write_safetensors(sample / 'model.safetensors')
    git('add', '.', cwd=sample)

    def try_repo():
        return subprocess.run(
            ('pre-commit', 'try-repo', str(REPO_ROOT), 'check-model-license'),
            cwd=sample, capture_output=True, text=True, env=env,
        )

    blocked = try_repo()
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert 'model.safetensors: model weights (safetensors)' in blocked.stdout
    write(sample / 'LICENSE', MIT_TEXT)
    git('add', 'LICENSE', cwd=sample)
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert 'Passed' in passed.stdout


def test_run_by_hand_from_a_subfolder(temp_git_dir, capsys, monkeypatch):
    samples.write_safetensors(temp_git_dir / 'models/a/model.safetensors')
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('models')
    monkeypatch.chdir(temp_git_dir / 'models')
    assert main([]) == 1
    assert 'models/a/model.safetensors: model weights' in capsys.readouterr().out
    monkeypatch.chdir(temp_git_dir / 'models')  # the hook moved to the root
    assert main(['a/model.safetensors']) == 1
    add('LICENSE')
    monkeypatch.chdir(temp_git_dir / 'models')
    assert main([]) == 0


@pytest.mark.parametrize('name', ('model.safetensors', 'notes.txt', 'data.bin'))
def test_index_entry_without_an_object(temp_git_dir, capsys, name):
    # A partial clone or a hand-made index entry: whatever the file is
    # called, the hook cannot judge it, so it stops (it never guesses from
    # the name, nor lets the file through).
    fake = '1234567890abcdef1234567890abcdef12345678'
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('LICENSE')
    git('update-index', '--add', '--cacheinfo', f'100644,{fake},{name}')
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ''
    assert err == (
        f'error: {name}: git has no object 1234567890ab for it (a partial clone, '
        f'an index entry made by hand, or a damaged repository)\n'
    )


def test_adding_a_licence_rechecks_nothing(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'old/model.safetensors')
    add('.')
    git_commit('-m', 'weights from before the hook')
    write(temp_git_dir / 'LICENSE', 'TODO\n')
    add('LICENSE')
    # Adding a licence file cannot take a licence away from anything.
    assert main([]) == 0


def test_editing_a_licence_that_stays_a_copy(temp_git_dir):
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('.')
    git_commit('-m', 'model')
    write(temp_git_dir / 'LICENSE', MIT_TEXT.replace('2026', '2025-2026'))
    add('LICENSE')
    assert main([]) == 0
    write(temp_git_dir / 'LICENSE', 'TBD\n')
    add('LICENSE')
    assert main([]) == 1


def test_non_utf8_file_name(temp_git_dir, capsys):
    name = os.fsdecode(b'w\xff\xfe.safetensors')
    samples.write_safetensors(temp_git_dir / name)
    add(name)
    assert main([]) == 1
    out = capsys.readouterr().out
    assert 'w\\xff\\xfe.safetensors: model weights (safetensors)' in out
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('LICENSE')
    assert main([]) == 0


def _shared_duix() -> Path:
    env = os.environ.get('MLH_SHARED_DIR')
    base = Path(env) if env else REPO_ROOT.parent / 'shared'
    folder = base / 'licenses' / 'duix'
    if not folder.is_dir():
        pytest.skip('the reference licence copies (shared/licenses/duix) are not here')
    return folder


DUIX_EN_TXT = 'Duix.Avatar model community Licensing Agreement.pdftotext.txt'
DUIX_EN_PDF = 'Duix.Avatar model community Licensing Agreement.pdf'
DUIX_ZH_PDF = 'Duix.Avatar model community Licensing Agreement_zh.pdf'


@pytest.fixture
def weights_repo(temp_git_dir):
    samples.write_safetensors(temp_git_dir / 'model.safetensors')
    add('model.safetensors')
    return temp_git_dir


def test_p1_profile_rejects_another_licence(weights_repo, capsys):
    write(weights_repo / 'LICENSE', MIT_TEXT)
    add('LICENSE')
    assert main([]) == 0  # any licence copy, without a profile
    assert main(['--profile', 'duix-avatar']) == 1
    out = capsys.readouterr().out
    assert 'without a copy of the Duix.Avatar:0.0.7_sdk_slim model community licence' in out
    assert 'LICENSE: not a copy of the duix-avatar licence: it is the MIT licence' in out


@pytest.mark.parametrize('name', (DUIX_EN_PDF, DUIX_ZH_PDF))
def test_p2_official_pdf(weights_repo, name):
    write(weights_repo / name, (_shared_duix() / name).read_bytes())
    add(name)
    assert main(['--profile', 'duix-avatar']) == 0


def test_p2_text_extraction_and_edited_copies(weights_repo, capsys):
    text = (_shared_duix() / DUIX_EN_TXT).read_text()
    write(weights_repo / 'LICENSE.txt', text)
    add('LICENSE.txt')
    assert main(['--profile', 'duix-avatar']) == 0, capsys.readouterr().out
    # Reflowed into long lines, spaces collapsed, another licensor line.
    edited = ' '.join(text.split()).replace('Our Company', 'Example Studio Ltd.')
    write(weights_repo / 'LICENSE.txt', edited)
    add('LICENSE.txt')
    assert main(['--profile', 'duix-avatar']) == 0, capsys.readouterr().out


def test_p3_half_a_copy(weights_repo, capsys):
    text = (_shared_duix() / DUIX_EN_TXT).read_text()
    write(weights_repo / 'LICENSE.txt', text[:len(text) // 2])
    add('LICENSE.txt')
    assert main(['--profile', 'duix-avatar']) == 1
    assert 'LICENSE.txt: not a copy of the duix-avatar licence' in capsys.readouterr().out


def test_p4_the_duix_com_code_licence_alone(weights_repo, capsys):
    write(weights_repo / 'LICENSE', (_shared_duix() / 'LICENSE').read_bytes())
    add('LICENSE')
    assert main(['--profile', 'duix-avatar']) == 1
    out = capsys.readouterr().out
    assert 'LICENSE: not a copy of the duix-avatar licence' in out
    assert main(['--profile', 'duix-com']) == 0


def test_settings_in_pyproject(weights_repo, capsys):
    write(weights_repo / 'TERMS.txt', MIT_TEXT)
    add('TERMS.txt')
    assert main([]) == 1
    write(weights_repo / 'pyproject.toml', (
        '[tool.model-license-hooks]\nlicense-names = ["TERMS.txt"]\n'
    ))
    assert main([]) == 1  # only what is staged counts
    add('pyproject.toml')
    assert main([]) == 0
    write(weights_repo / 'pyproject.toml', (
        '[tool.model-license-hooks]\nlicense-names = ["TERMS.txt"]\nprofile = "apache-2.0"\n'
    ))
    add('pyproject.toml')
    assert main([]) == 1  # the profile now asks for an Apache-2.0 copy
    assert main(['--profile', 'duix-com', '--license-name', 'NONE']) == 1
    capsys.readouterr()


@pytest.mark.parametrize(
    ('content', 'message'),
    (
        ('[tool.model-license-hooks]\nprofil = "x"\n', "unknown setting 'profil'"),
        ('[tool.model-license-hooks]\nignore = "x"\n', 'ignore must be a list of strings'),
        ('[tool.model-license-hooks\n', 'pyproject.toml: cannot read it'),
    ),
)
def test_malformed_settings(weights_repo, capsys, content, message):
    write(weights_repo / 'pyproject.toml', content)
    add('pyproject.toml')
    assert main([]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert 'Traceback' not in err


def test_reuse_sidecar(weights_repo, capsys):
    write(weights_repo / 'model.safetensors.license', (
        'SPDX-FileCopyrightText: 2026 Example\nSPDX-License-Identifier: MIT\n'
    ))
    write(weights_repo / 'LICENSE', MIT_TEXT)
    add('.')
    # The sidecar decides: its LICENSES/MIT.txt is missing.
    assert main([]) == 1
    out = capsys.readouterr().out
    assert (
        'model.safetensors.license: it names MIT, but LICENSES/MIT.txt is not '
        'in the commit'
    ) in out
    write(weights_repo / 'LICENSES/MIT.txt', MIT_TEXT)
    add('.')
    assert main([]) == 0


def test_reuse_toml_annotation(temp_git_dir, capsys):
    samples.write_safetensors(temp_git_dir / 'models/a/model.safetensors')
    samples.write_gguf(temp_git_dir / 'other/model.gguf', license='mit')  # as its LICENSE
    write(temp_git_dir / 'REUSE.toml', (
        'version = 1\n\n[[annotations]]\npath = "models/**"\n'
        'SPDX-License-Identifier = "LicenseRef-Acme OR Apache-2.0"\n'
    ))
    write(temp_git_dir / 'other/LICENSE', MIT_TEXT)
    add('.')
    assert main([]) == 1
    out = capsys.readouterr().out
    assert 'models/a/model.safetensors' in out
    assert 'LICENSES/LicenseRef-Acme.txt is not in the commit' in out
    assert 'other/model.gguf' not in out
    write(temp_git_dir / 'LICENSES/Apache-2.0.txt', MIT_TEXT)
    add('.')
    assert main([]) == 0


def test_malformed_reuse_toml(weights_repo, capsys):
    write(weights_repo / 'REUSE.toml', '[[annotations]\n')
    write(weights_repo / 'LICENSE', MIT_TEXT)
    add('.')
    assert main([]) == 2
    assert 'REUSE.toml: cannot read it' in capsys.readouterr().err


@pytest.mark.parametrize('folder', ('we[ir]d*dir', 'a?b', 'back\\slash', ':(top)x'))
def test_folder_names_with_glob_characters(temp_git_dir, folder):
    samples.write_safetensors(temp_git_dir / folder / 'model.safetensors')
    write(temp_git_dir / 'wexdir/LICENSE', MIT_TEXT)  # must not match we[ir]d*dir
    add('.')
    assert main([]) == 1
    write(temp_git_dir / folder / 'LICENSE', MIT_TEXT)
    add('.')
    assert main([]) == 0


def test_many_folders_fall_back_to_one_listing(temp_git_dir):
    for i in range(80):
        samples.write_safetensors(temp_git_dir / f'm{i}' / 'model.safetensors')
    write(temp_git_dir / 'm79/LICENSE', MIT_TEXT)
    add('.')
    assert main([]) == 1
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('.')
    assert main([]) == 0


def test_profile_inferred_from_the_model_card(weights_repo, capsys):
    write(weights_repo / 'LICENSE', MIT_TEXT)
    write(weights_repo / 'README.md', (
        '---\nlicense: other\nlicense_name: duix-avatar-model-community-license\n---\n# m\n'
    ))
    add('.')
    assert main([]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        'README.md: licence profile duix-avatar (inferred from license_name: '
        'duix-avatar-model-community-license)\n',
    )
    assert 'LICENSE: not a copy of the duix-avatar licence: it is the MIT licence' in out
    write(weights_repo / 'README.md', '---\nlicense: mit\n---\n# m\n')
    add('.')
    assert main([]) == 0  # no profile for MIT: any licence copy will do


def test_a_parser_bug_stops_the_hook_closed(temp_git_dir, capsys, monkeypatch):
    # A bug in a parser must never turn weights into "not weights".
    from model_license_hooks.weights import content as module

    def broken(content):
        raise IndexError('index out of range')

    monkeypatch.setattr(module, 'SNIFFERS', (broken, *module.SNIFFERS))
    samples.write_safetensors(temp_git_dir / 'models/model.safetensors')
    write(temp_git_dir / 'LICENSE', MIT_TEXT)
    add('.')
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ''
    assert err.startswith(
        'error: models/model.safetensors: the broken parser failed (IndexError: '
        'index out of range): this is a bug in model-license-hooks',
    )
    assert 'Traceback' not in err
