"""Hostile settings and profiles: exit 2 with a message naming them, or a
verdict; never a traceback or unbounded work."""
from __future__ import annotations

import random

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from model_license_hooks import check_model_attribution
from model_license_hooks import check_model_changelog
from model_license_hooks import check_model_license
from model_license_hooks.errors import UserError
from model_license_hooks.license import profiles
from tests.hostile.helpers import deadline
from tests.hostile.helpers import finish
from tests.hostile.helpers import posix_only
from tests.hostile.helpers import run_hook
from tests.hostile.helpers import slow_cases
from tests.hostile.helpers import staged
from tests.hostile.helpers import weights_repo
from tests.util import add
from tests.util import write


SLOW_CASES, slow_case = slow_cases()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) |
        st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


string_lists = st.lists(st.text(max_size=12), max_size=3)


def _maybe(strategy):
    return st.one_of(strategy, json_values)


profile_dicts = st.fixed_dictionaries(
    {
        'id': st.one_of(
            st.sampled_from(('my-licence', 'x', 'a.b+c', 'Bad', '-x', '')), json_values,
        ),
        'copy': st.one_of(
            st.fixed_dictionaries({}, optional={
                'sha256': _maybe(string_lists),
                'phrases': _maybe(st.lists(string_lists, max_size=3)),
                'fingerprint': st.text(max_size=12),
            }),
            json_values,
        ),
    },
    optional={
        'name': _maybe(st.text(max_size=12)),
        'aliases': _maybe(string_lists),
        'hf': _maybe(st.fixed_dictionaries({}, optional={
            'license': _maybe(string_lists), 'license_name': _maybe(string_lists),
            'license_link': _maybe(st.sampled_from(('required', 'optional'))),
        })),
        'attribution': _maybe(st.fixed_dictionaries({}, optional={
            'statement': _maybe(string_lists), 'strings': _maybe(string_lists),
            'ranking': json_values,
        })),
        'notice': _maybe(st.fixed_dictionaries({'text': _maybe(st.text(max_size=20))}, optional={
            'pattern': _maybe(st.text(max_size=12)),
        })),
        'name_prefix': _maybe(st.text(max_size=8)),
        'base_model': _maybe(string_lists),
        'display': _maybe(string_lists),
        'enforces': _maybe(string_lists),
        'cannot_check': _maybe(string_lists),
    },
)


@pytest.fixture(scope='module')
def empty_folder(tmp_path_factory):
    return str(tmp_path_factory.mktemp('profiles'))


@settings(
    max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.one_of(json_values, profile_dicts))
@example({'id': 'x', 'copy': {'fingerprint': ''}})
@example({'id': 'x', 'copy': {'fingerprint': '\0'}})
@example({'id': 'x', 'copy': {'fingerprint': 'x' * 5000}})
@example({'id': 'x', 'copy': {'phrases': [[]]}, 'notice': {'text': 't', 'pattern': '('}})
def test_profile_parse_returns_a_profile_or_a_user_error(empty_folder, data):
    try:
        profile = profiles.parse(data, 'p.json', empty_folder)
    except UserError as exc:
        assert str(exc).startswith('p.json: ')
        return
    assert isinstance(profile, profiles.Profile)
    assert isinstance(profile.id, str) and isinstance(profile.name, str)
    for field in ('aliases', 'hf_license', 'statement', 'strings', 'display'):
        assert all(isinstance(v, str) for v in getattr(profile, field))


# Found by these tests, fixed since: profiles.parse catches only KeyError,
# TypeError and ValueError around the fingerprint file, and none around its
# "sha256": a fingerprint file that is a JSON list, or has "sha256": 5,
# "sections": 5 or "labels": [] raises AttributeError/TypeError instead of
# UserError
@pytest.mark.parametrize('content', (
    '[1]', '"text"', '{"fingerprints": [], "sha256": 5}',
    '{"fingerprints": [{"language": "en", "k": 5, "modulus": 1, "hashes": [], "sections": 5}]}',
    '{"fingerprints": [{"language": "en", "k": 5, "modulus": 1, "hashes": [],'
    ' "sections": {"a": []}, "labels": []}]}',
))
def test_profile_fingerprint_file_shapes(tmp_path, content):
    write(tmp_path / 'fp.json', content)
    with pytest.raises(UserError):
        profiles.parse({'id': 'x', 'copy': {'fingerprint': 'fp.json'}}, 'p.json', str(tmp_path))


@slow_case('profile-file-dev-zero')
def _dev_zero(repo):
    staged(repo, {'pyproject.toml': (
        '[tool.model-license-hooks]\nprofile = "duix-avatar"\n'
        'profile-files = ["/dev/zero"]\n'
    )})
    return 'check_model_license', []


@posix_only
# Found by these tests, fixed since: profiles.load_file reads a profile file
# whole, with no size limit and no regular-file check, and `profile-files`
# may come from the staged pyproject.toml: profile-files = ["/dev/zero"]
# reads without end (here: MemoryError and a traceback under a 1 GiB limit)
def test_profile_file_is_a_device(slow_runs):
    assert finish(slow_runs, 'profile-file-dev-zero')[0] == 2


# content -> what every hook must do: 'error' (exit 2 with a message about
# the settings: every hook reads the same Settings, so a bad profile is an
# error in check-model-changelog too), or 'verdict' (exit 0 or 1)
PYPROJECTS = {
    'syntax-error': (b'[tool.model-license-hooks\nprofile = "x"\n', 'error'),
    'not-utf-8': (b'[tool.model-license-hooks]\nprofile = "\xff\xfe"\n', 'error'),
    'table-is-a-number': (b'[tool]\nmodel-license-hooks = 5\n', 'error'),
    'profile-is-a-number': (b'[tool.model-license-hooks]\nprofile = 5\n', 'error'),
    'unknown-setting': (b'[tool.model-license-hooks]\nprofiles = "x"\n', 'error'),
    'ignore-is-a-string': (b'[tool.model-license-hooks]\nignore = "x"\n', 'error'),
    'ignore-holds-a-number': (b'[tool.model-license-hooks]\nignore = ["x", 1]\n', 'error'),
    'ignore-holds-a-table': (b'[tool.model-license-hooks]\nignore = [{a = 1}]\n', 'error'),
    'deletions-is-a-string': (b'[tool.model-license-hooks]\ndeletions = "yes"\n', 'error'),
    'unknown-profile': (
        b'[tool.model-license-hooks]\nprofile = "no-such-licence"\n', 'error',
    ),
    'missing-profile-file': (
        b'[tool.model-license-hooks]\nprofile = "duix-avatar"\n'
        b'profile-files = ["missing.json"]\n', 'error',
    ),
    'profile-file-is-a-folder': (
        b'[tool.model-license-hooks]\nprofile = "duix-avatar"\nprofile-files = ["."]\n',
        'error',
    ),
    'profile-file-is-dev-null': (
        b'[tool.model-license-hooks]\nprofile = "duix-avatar"\n'
        b'profile-files = ["/dev/null"]\n', 'error',
    ),
    # huge ones (1 MiB; some large settings are slow: see the known bugs)
    'huge-comments': ((b'#' * 1023 + b'\n') * 1024, 'verdict'),
    'huge-string-elsewhere': (
        b'[tool.black]\nx = "' + b'a' * (1 << 20) + b'"\n[tool.model-license-hooks]\n',
        'verdict',
    ),
    'huge-profile-name': (
        b'[tool.model-license-hooks]\nprofile = "' + b'a' * (1 << 20) + b'"\n',
        'error',
    ),
    'huge-garbage': (random.Random(3).randbytes(1 << 20), 'error'),
    'huge-other-tables': (
        b''.join(b'[tool.other%d]\nkey = "value"\n' % i for i in range(20_000)), 'verdict',
    ),
    'huge-unknown-setting': (
        b'[tool.model-license-hooks]\n' + b'x' * (1 << 20) + b' = 1\n', 'error',
    ),
}


@pytest.mark.parametrize('kind', sorted(PYPROJECTS))
def test_hostile_pyproject_settings(temp_git_dir, capsys, kind):
    content, expected = PYPROJECTS[kind]
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'pyproject.toml', content)
    add('.')
    hooks = (check_model_license.main, check_model_changelog.main, check_model_attribution.main)
    for main in hooks:
        code, out, err = run_hook(main, [], capsys)
        if expected == 'error':
            assert code == 2, (main.__module__, out, err)
            assert 'pyproject.toml' in err or 'profile' in err, err
        else:
            assert code in (0, 1) and not err.startswith('error'), (main.__module__, err)


# Found by these tests, fixed since: TOML of deep nesting (a = [[[[...]]]],
# 3,000 levels) makes tomllib raise RecursionError, which neither
# options.repo_config nor reuse.parse_reuse_toml catches: a traceback,
# not exit 2
@pytest.mark.parametrize('where', ('pyproject.toml', 'REUSE.toml'))
def test_toml_deep_nesting(temp_git_dir, capsys, where):
    weights_repo(temp_git_dir)
    write(temp_git_dir / where, b'a = ' + b'[' * 3000 + b']' * 3000 + b'\n')
    add('.')
    with deadline():
        assert check_model_license.main([]) == 2


# Found by these tests, fixed since: options.repo_config calls .get on
# `tool` whatever its type: a pyproject.toml with "tool = 5" (or tool = "x")
# raises AttributeError in every hook instead of exit 2
@pytest.mark.parametrize('value', (b'5', b'"x"', b'[1]'))
def test_pyproject_tool_not_a_table(temp_git_dir, capsys, value):
    weights_repo(temp_git_dir)
    write(temp_git_dir / 'pyproject.toml', b'tool = ' + value + b'\n')
    add('.')
    with deadline():
        assert check_model_license.main([]) == 2


@slow_case('distinct-ignore-globs')
def _globs(repo):
    staged(repo, {'pyproject.toml': b'[tool.model-license-hooks]\nignore = [' + b''.join(
        b'"p%06d/*", ' % i for i in range(100_000)
    ) + b']\n'})
    return 'check_model_license', []


# Found by these tests, fixed since: settings are not bounded and every glob
# is matched against every path (weights._glob_match, fnmatch compiling each
# pattern, its cache thrashed): a 1.2 MiB pyproject.toml with 100,000
# distinct `ignore` globs makes check-model-license take ~20 s for a 3-file
# commit
def test_many_distinct_ignore_globs(slow_runs):
    finish(slow_runs, 'distinct-ignore-globs')


@slow_case('one-huge-glob')
def _huge_glob(repo):
    staged(repo, {'pyproject.toml': (
        b'[tool.model-license-hooks]\nignore = ["' + b'a' * (1 << 20) + b'"]\n'
    )})
    return 'check_model_license', []


# Found by these tests, fixed since: options.repo_config bounds the number of
# globs (MAX_SETTING_ITEMS) but not their length: one 1 MiB `ignore` glob in
# pyproject.toml costs ~3 s in every hook run (fnmatch translates and compiles
# it)
def test_one_huge_ignore_glob(slow_runs):
    finish(slow_runs, 'one-huge-glob')
