from __future__ import annotations

import pytest

from model_license_hooks import frontend
from model_license_hooks.argv import OptionsParser
from model_license_hooks.argv import split
from model_license_hooks.errors import UserError
from tests.util import write


def _parser():
    parser = OptionsParser(add_help=False)
    frontend.add_profiles(parser)
    frontend.add_overrides(parser)
    return parser


def _files(repo, *names):
    for name in names:
        write(repo / name, 'x\n')


def _never(given):
    raise AssertionError('asked git though the reading was clear')


@pytest.mark.parametrize('odd', ('--help', '-h', '-rf.txt', '-', '--prof'))
def test_odd_names_are_files(temp_git_dir, odd):
    _files(temp_git_dir, odd, 'w.bin')
    options, files = split(_parser(), ['--profile', 'apache-2.0', odd, 'w.bin'], _never)
    assert files == [odd, 'w.bin']
    assert options['profile'] == 'apache-2.0' and options['ignore'] == []


def test_a_file_named_like_an_option_that_takes_a_value(temp_git_dir):
    # "--ignore w.bin" reads as an option too; git says both are files here.
    _files(temp_git_dir, '--ignore', 'w.bin')
    argv = ['--profile', 'apache-2.0', '--ignore', 'w.bin']
    options, files = split(_parser(), argv, lambda given: {'--ignore', 'w.bin'})
    assert files == ['--ignore', 'w.bin'] and options['ignore'] == []


def test_option_values_that_are_files(temp_git_dir):
    _files(temp_git_dir, 'mine.json', 'w.bin')
    options, files = split(_parser(), ['--profile-file', 'mine.json', 'w.bin'], _never)
    assert options['profile_files'] == ['mine.json'] and files == ['w.bin']
    assert split(_parser(), [], _never) == (_parser().parse_args([]).__dict__, [])


def test_a_name_that_reads_as_an_option_is_decided_by_git(temp_git_dir):
    _files(temp_git_dir, '--ignore=*', 'w.bin')
    argv = ['--profile', 'apache-2.0', '--ignore=*', 'w.bin']
    options, files = split(_parser(), argv, lambda given: {'--ignore=*', 'w.bin'})
    assert files == ['--ignore=*', 'w.bin'] and options['ignore'] == []
    # the user's own --ignore=*, beside a file of that name git does not give this run
    options, files = split(_parser(), argv, lambda given: {'w.bin'})
    assert files == ['w.bin'] and options['ignore'] == ['*']


def test_decoys_named_like_the_options(temp_git_dir):
    # files named like the user's option tokens, tracked but not in this run
    _files(temp_git_dir, '--profile', 'apache-2.0', 'w.bin')
    argv = ['--profile', 'apache-2.0', 'w.bin']
    options, files = split(_parser(), argv, lambda given: {'w.bin'})
    assert options['profile'] == 'apache-2.0' and files == ['w.bin']


def test_no_reading_git_can_give(temp_git_dir):
    _files(temp_git_dir, '--ignore=*', 'w.bin')
    with pytest.raises(UserError, match=r"file names that read as options \('--ignore=\*'\)"):
        split(_parser(), ['--ignore=*', 'w.bin'], lambda given: set())


def test_options_that_do_not_parse(temp_git_dir):
    _files(temp_git_dir, 'w.bin')
    with pytest.raises(UserError, match="cannot read the hook's options"):
        split(_parser(), ['--no-such-option', 'w.bin'], _never)
