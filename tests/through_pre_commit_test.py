"""What a commit or a push distributes, through the real pre-commit client:
`git commit` and `git push` (to a local bare repository) with pre-commit's
git hooks installed, and `pre-commit run`.  Each case is a way weights used
to get through unjudged, or a compliant change used to be blocked."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests import samples
from tests.precommit import hooks_repo  # noqa: F401 (a fixture)
from tests.precommit import install
from tests.precommit import pre_commit
from tests.precommit import run_git
from tests.precommit import write_config
from tests.util import add
from tests.util import git
from tests.util import git_commit
from tests.util import MIT_TEXT
from tests.util import write

WEIGHTS = 'models/a/model.safetensors'
needs_lfs = pytest.mark.skipif(shutil.which('git-lfs') is None, reason='needs git-lfs')


def _apache() -> str:
    from identify.vendor import licenses  # a real Apache-2.0 text, read not copied
    return dict(licenses.LICENSES)['Apache-2.0']


@pytest.fixture
def repo(temp_git_dir, hooks_repo):  # noqa: F811
    write_config(temp_git_dir, hooks_repo)
    add('.pre-commit-config.yaml')
    git_commit('-m', 'hooks')
    install(temp_git_dir, hooks_repo, 'pre-commit', 'pre-push')
    return temp_git_dir


def _commit(repo, hooks_repo, message='change'):  # noqa: F811
    return run_git(repo, hooks_repo, 'commit', '-q', '--no-gpg-sign', '-m', message)


def _compliant(repo):
    write(repo / 'LICENSE', MIT_TEXT)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')


def _remote(repo, tmp_path):
    bare = tmp_path / 'remote.git'
    git('init', '-q', '--bare', str(bare))
    git('remote', 'add', 'origin', str(bare))
    return bare


# --- file names that look like options --------------------------------------

@pytest.mark.parametrize('name', ('--help', '-h', '--ignore=*', '--ign', '-rf.txt'))
def test_option_named_file_cannot_hide_weights(repo, hooks_repo, name):  # noqa: F811
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')
    write(repo / name, 'a file\n')
    add('.')
    proc = _commit(repo, hooks_repo)
    assert proc.returncode != 0, proc.stdout
    assert 'Failed' in proc.stdout
    assert (
        f'{WEIGHTS}: model weights (safetensors) without a licence' in proc.stdout or
        'file names that read as options' in proc.stdout
    ), proc.stdout


@pytest.mark.parametrize('name', ('-rf.txt', '-', '--help'))
def test_option_named_file_beside_a_compliant_change(repo, hooks_repo, name):  # noqa: F811
    samples.write_safetensors(repo / WEIGHTS)
    _compliant(repo)
    write(repo / name, 'a file\n')
    add('.')
    proc = _commit(repo, hooks_repo)
    assert proc.returncode == 0, proc.stdout


def test_a_file_named_dash_is_judged_as_a_file(repo, hooks_repo):  # noqa: F811
    samples.write_safetensors(repo / '-')
    write(repo / 'CHANGELOG.md', '- Fine-tuned\n')
    add('.')
    proc = _commit(repo, hooks_repo)
    assert proc.returncode != 0
    assert '-: model weights (safetensors) without a licence' in proc.stdout


def test_option_named_file_in_ci(repo, hooks_repo):  # noqa: F811
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / '--help', 'a file\n')
    add('.')
    git_commit('-m', 'weights, unchecked')
    proc = pre_commit(repo, hooks_repo, 'run', '--all-files')
    assert proc.returncode != 0
    assert f'{WEIGHTS}: model weights (safetensors) without a licence' in proc.stdout


def test_option_named_file_at_push(repo, hooks_repo, tmp_path):  # noqa: F811
    _remote(repo, tmp_path)
    assert run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main').returncode == 0
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / '--help', 'a file\n')
    add('.')
    git_commit('-m', 'weights, unchecked')
    proc = run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main')
    assert proc.returncode != 0
    assert f'{WEIGHTS}: model weights (safetensors) without a licence' in proc.stdout


# --- merges --------------------------------------------------------------------

def _licensed_folder_only(repo):
    """Licensed weights in models/a; no licence copy anywhere else."""
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / 'models/a/LICENSE', MIT_TEXT)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')
    add('.')
    git_commit('-m', 'base')
    return git('rev-parse', 'HEAD').strip()


def _evil_merge(repo):
    """A side branch merged into main; the merge commit itself adds
    weights that no licence copy covers."""
    git('checkout', '-q', '-b', 'side')
    write(repo / 'docs.md', 'docs\n')
    add('.')
    git_commit('-m', 'side')
    git('checkout', '-q', 'main')
    write(repo / 'notes.md', 'notes\n')
    add('.')
    git_commit('-m', 'main')
    git('merge', '-q', '--no-ff', '--no-commit', 'side')
    samples.write_safetensors(repo / 'models/x/model.safetensors')
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n- models/x merged in\n')
    add('.')
    git_commit('-m', 'an evil merge: it adds weights of its own')


def test_weights_only_a_merge_adds_at_push(repo, hooks_repo, tmp_path):  # noqa: F811
    _remote(repo, tmp_path)
    _licensed_folder_only(repo)
    assert run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main').returncode == 0
    _evil_merge(repo)
    proc = run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main')
    assert proc.returncode != 0
    assert 'models/x/model.safetensors: model weights (safetensors) without a' in proc.stdout


def test_weights_only_a_merge_adds_in_a_ref_range(repo, hooks_repo):  # noqa: F811
    base = _licensed_folder_only(repo)
    _evil_merge(repo)
    proc = pre_commit(
        repo, hooks_repo, 'run', '--from-ref', base, '--to-ref', 'HEAD',
        'check-model-license',
    )
    assert proc.returncode == 1, proc.stdout
    assert 'models/x/model.safetensors: model weights (safetensors) without a' in proc.stdout


def test_a_merge_that_drops_the_licence(repo, hooks_repo, tmp_path):  # noqa: F811
    _remote(repo, tmp_path)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')
    add('.')
    git_commit('-m', 'base, no licence anywhere')
    assert run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main').returncode == 0
    git('checkout', '-q', '-b', 'side')
    samples.write_safetensors(repo / 'models/z/model.safetensors')
    write(repo / 'models/z/LICENSE', MIT_TEXT)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n- models/z added\n')
    add('.')
    git_commit('-m', 'side: licensed weights')
    git('checkout', '-q', 'main')
    git('merge', '-q', '--no-ff', '--no-commit', 'side')
    git('rm', '-q', '-f', 'models/z/LICENSE')  # the resolution drops the licence
    git_commit('-m', 'merge without the licence')
    git('rm', '-q', 'models/z/model.safetensors')
    git_commit('-m', 'and the weights go later')
    proc = run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main')
    assert proc.returncode != 0
    assert 'models/z/model.safetensors (in commit ' in proc.stdout


# --- the first push, several refs ---------------------------------------------

def test_first_push_judges_the_pushed_commit(repo, hooks_repo, tmp_path):  # noqa: F811
    _remote(repo, tmp_path)
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')
    add('.')
    git_commit('-m', 'weights, unchecked')
    write(repo / 'LICENSE', MIT_TEXT)
    add('LICENSE')  # staged, never committed: the remote would not get it
    proc = run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main')
    assert proc.returncode != 0
    assert f'{WEIGHTS}: model weights (safetensors) without a licence' in proc.stdout


def test_first_push_of_a_branch_that_is_not_checked_out(repo, hooks_repo, tmp_path):  # noqa: F811
    _remote(repo, tmp_path)
    git('checkout', '-q', '-b', 'weights')
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')
    add('.')
    git_commit('-m', 'weights, unchecked')
    git('checkout', '-q', 'main')
    _compliant(repo)
    add('.')
    git_commit('-m', 'a licensed main')
    proc = run_git(repo, hooks_repo, 'push', '-q', 'origin', 'weights')
    assert proc.returncode != 0
    assert f'{WEIGHTS}: model weights (safetensors) without a licence' in proc.stdout


def test_several_refs_in_one_push_and_the_ci_recipe(repo, hooks_repo, tmp_path):  # noqa: F811
    # pre-commit runs the hooks for the first ref of a push only (a known
    # limit of pre-commit); the CI recipe checks each ref's range.
    _remote(repo, tmp_path)
    _compliant(repo)
    add('.')
    git_commit('-m', 'base')
    assert run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main').returncode == 0
    base = git('rev-parse', 'HEAD').strip()
    git('checkout', '-q', '-b', 'z-bad')
    samples.write_safetensors(repo / 'models/b/model.safetensors')
    write(repo / 'LICENSE', 'TODO\n')
    add('.')
    git_commit('-m', 'unlicensed')
    git('checkout', '-q', '-b', 'a-good', base)
    proc = pre_commit(repo, hooks_repo, 'run', '--from-ref', base, '--to-ref', 'z-bad')
    assert proc.returncode == 1
    assert 'models/b/model.safetensors: model weights (safetensors) without a' in proc.stdout


# --- --all-files and files pre-commit cannot name ------------------------------

@pytest.mark.parametrize('how', ('sparse-checkout', 'deleted', 'skip-worktree'))
def test_all_files_judges_tracked_files_absent_from_the_disk(repo, hooks_repo, how):  # noqa: F811
    samples.write_safetensors(repo / 'keep/model.safetensors')
    write(repo / 'keep/LICENSE', MIT_TEXT)
    samples.write_safetensors(repo / 'models/b/model.safetensors')
    write(repo / 'models/LICENSE', 'TODO\n')  # no copy covers models/b
    add('.')
    git_commit('-m', 'weights, unchecked')
    if how == 'sparse-checkout':
        git('sparse-checkout', 'set', '--no-cone', '/*', '!/models/b/')
    elif how == 'deleted':
        (repo / 'models/b/model.safetensors').unlink()
    else:
        git('update-index', '--skip-worktree', 'models/b/model.safetensors')
        (repo / 'models/b/model.safetensors').unlink()
    assert not (repo / 'models/b/model.safetensors').exists()
    proc = pre_commit(repo, hooks_repo, 'run', '--all-files', 'check-model-license')
    assert proc.returncode == 1, proc.stdout
    assert 'models/b/model.safetensors: model weights (safetensors) without a' in proc.stdout
    assert "models/b/model.safetensors: judged from git's objects" in proc.stdout


# --- weakened compliance, with no weight file in the commit ---------------------

def _apache_repo(repo, hooks_repo, tmp_path):  # noqa: F811
    write_config(repo, hooks_repo, args={
        'check-model-license': ['--profile', 'apache-2.0'],
        'check-model-attribution': ['--profile', 'apache-2.0'],
    })
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / 'LICENSE', _apache())
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')
    write(repo / 'README.md', '---\nlicense: apache-2.0\n---\n# m\n')
    add('.')
    assert _commit(repo, hooks_repo, 'compliant').returncode == 0
    _remote(repo, tmp_path)
    assert run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main').returncode == 0


def test_a_licence_replaced_by_another_under_a_profile(repo, hooks_repo, tmp_path):  # noqa: F811
    _apache_repo(repo, hooks_repo, tmp_path)
    write(repo / 'LICENSE', MIT_TEXT)
    add('LICENSE')
    proc = _commit(repo, hooks_repo)
    assert proc.returncode != 0
    assert f'{WEIGHTS}: model weights (safetensors) without a copy of the' in proc.stdout
    git_commit('--no-verify', '-m', 'MIT, unchecked')
    proc = run_git(repo, hooks_repo, 'push', '-q', 'origin', 'main')
    assert proc.returncode != 0
    assert 'LICENSE: not a copy of the apache-2.0 licence' in proc.stdout


def test_a_nearer_card_that_contradicts_the_profile(repo, hooks_repo, tmp_path):  # noqa: F811
    _apache_repo(repo, hooks_repo, tmp_path)
    write(repo / 'models/a/README.md', '---\nlicense: mit\n---\n# m\n')
    add('.')
    proc = _commit(repo, hooks_repo)
    assert proc.returncode != 0
    assert 'models/a/README.md: the front matter says license: mit' in proc.stdout


@pytest.mark.parametrize('how', ('added', 'edited'))
def test_a_card_naming_a_licence_the_copy_is_not(repo, hooks_repo, how):  # noqa: F811
    samples.write_safetensors(repo / WEIGHTS)
    _compliant(repo)
    if how == 'edited':
        write(repo / 'models/a/README.md', '# m\n')
    add('.')
    assert _commit(repo, hooks_repo, 'compliant').returncode == 0
    write(repo / 'models/a/README.md', (
        '---\nlicense: other\nlicense_name: duix-avatar-model-community-license\n---\n# m\n'
    ))
    add('.')
    proc = _commit(repo, hooks_repo)
    assert proc.returncode != 0
    out = proc.stdout.split('check model weights carry the attribution')[0]
    assert 'LICENSE: not a copy of the duix-avatar licence' in out  # the licence hook


# --- licence copies in Git LFS ----------------------------------------------------

@needs_lfs
def test_a_licence_in_git_lfs_is_judged_by_its_content(repo, hooks_repo):  # noqa: F811
    git('lfs', 'install', '--local', '--skip-repo')  # pre-commit has the git hooks
    write(repo / '.gitattributes', 'LICENSE filter=lfs diff=lfs merge=lfs -text\n')
    write_config(repo, hooks_repo, args={'check-model-license': ['--profile', 'apache-2.0']})
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / 'LICENSE', _apache())
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')
    add('.')
    assert 'oid sha256:' in git('show', ':LICENSE')  # stored as a pointer
    proc = _commit(repo, hooks_repo)
    assert proc.returncode == 0, proc.stdout
    write(repo / 'LICENSE', 'TODO\n')
    add('LICENSE')
    proc = _commit(repo, hooks_repo)
    assert proc.returncode != 0
    assert 'LICENSE: it is a placeholder' in proc.stdout


def test_a_hand_written_pointer_is_not_a_licence(repo, hooks_repo):  # noqa: F811
    samples.write_safetensors(repo / WEIGHTS)
    write(repo / 'CHANGELOG.md', '- Fine-tuned on more clips\n')
    write(repo / 'LICENSE', (
        'version https://git-lfs.github.com/spec/v1\n'
        'oid sha256:' + '0' * 64 + '\nsize 11358\n'
    ))
    add('.')
    proc = _commit(repo, hooks_repo)
    assert proc.returncode != 0
    assert 'LICENSE: it is stored in Git LFS and its content is not here' in proc.stdout


# --- what git cannot read, or says nothing about ------------------------------------

def _loose_object(oid: str) -> Path:
    git_dir = Path(git('rev-parse', '--git-dir').strip())
    return git_dir / 'objects' / oid[:2] / oid[2:]


@pytest.mark.parametrize('damage', ('missing', 'corrupt'))
def test_an_object_git_cannot_read(repo, hooks_repo, damage):  # noqa: F811
    _compliant(repo)
    samples.write_safetensors(repo / 'models/a/data.bin')  # weights, a neutral name
    add('.')
    git_commit('-m', 'weights')
    loose = _loose_object(git('rev-parse', ':models/a/data.bin').strip())
    os.chmod(loose, 0o644)
    if damage == 'missing':
        loose.unlink()
    else:
        loose.write_bytes(b'not zlib at all')
    (repo / 'models/a/data.bin').write_bytes(samples.png_bytes())  # and the disk lies
    for hook in ('check-model-license', 'check-model-changelog', 'check-model-attribution'):
        proc = pre_commit(repo, hooks_repo, 'run', '--all-files', hook)
        assert proc.returncode == 1 and '- exit code: 2' in proc.stdout, proc.stdout
        assert 'error: models/a/data.bin: git ' in proc.stdout
        assert 'Traceback' not in proc.stdout


@pytest.mark.parametrize('flag', ('--assume-unchanged', '--skip-worktree'))
def test_a_file_git_was_told_not_to_look_at(repo, hooks_repo, flag):  # noqa: F811
    _compliant(repo)
    (repo / 'LICENSE').unlink()
    path = repo / 'models/a/data.bin'
    header = b'{"w":{"dtype":"U8","shape":[2000000],"data_offsets":[0,2000000]}}'
    write(path, len(header).to_bytes(8, 'little') + header + bytes(2_000_000))
    add('.')
    git('update-index', flag, 'models/a/data.bin')
    write(path, samples.png_bytes().ljust(path.stat().st_size, b'\0'))  # same size
    proc = _commit(repo, hooks_repo)
    assert proc.returncode != 0
    assert 'models/a/data.bin: model weights (safetensors) without a licence' in proc.stdout


# --- the combined hook -------------------------------------------------------

def test_the_combined_hook_through_pre_commit(temp_git_dir, hooks_repo):  # noqa: F811
    write_config(temp_git_dir, hooks_repo, hooks=('check-model-compliance',),
                 args={'check-model-compliance': ('--rules', 'licence,changelog')})
    add('.pre-commit-config.yaml')
    git_commit('-m', 'hooks')
    install(temp_git_dir, hooks_repo, 'pre-commit')
    samples.write_safetensors(temp_git_dir / WEIGHTS)
    add('.')
    proc = _commit(temp_git_dir, hooks_repo)
    assert proc.returncode != 0
    assert '- hook id: check-model-compliance' in proc.stdout
    out = proc.stdout
    found = f'{WEIGHTS}: model weights (safetensors)'
    assert out.index('[licence: ') < out.index(f'{found} without a licence')
    assert out.index('[changelog: ') < out.index(f'{found} changed')
    assert '[attribution' not in out
    _compliant(temp_git_dir)
    add('.')
    proc = _commit(temp_git_dir, hooks_repo)
    assert proc.returncode == 0, proc.stdout
