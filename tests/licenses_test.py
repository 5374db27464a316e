from __future__ import annotations

import pytest

from hooks.licenses import covered_folder
from hooks.licenses import describe_folders
from hooks.licenses import is_license_name
from hooks.licenses import judge_copy
from tests.util import MIT_TEXT


@pytest.mark.parametrize(
    ('path', 'folder'),
    (
        ('LICENSE', ''), ('a/b/COPYING.md', 'a/b'), ('a/LICENSES/MIT.txt', 'a'),
        ('LICENSES/Apache-2.0.txt', ''), ('a/LICENSES/MIT.png', None),
        ('a/readme.md', None), ('a/LICENSE-MODEL', 'a'),
    ),
)
def test_covered_folder(path, folder):
    assert covered_folder(path) == folder


@pytest.mark.parametrize(
    ('name', 'expected'),
    (
        ('LICENSE', True), ('licence.rst', True), ('License.markdown', True),
        ('LICENSE-MIT.txt', True), ('model_license_v2.md', True),
        ('Guiji-duix.ai-sdk-1.0.3 Model Community License_EN.pdf', True),
        ('license_checker.py', False), ('LICENSE.png', False),
        ('model_license.py', False), ('licenses.json', False),
    ),
)
def test_is_license_name(name, expected):
    assert is_license_name(name) is expected


def test_extra_names_are_case_insensitive():
    assert is_license_name('Terms-Of-Use.TXT', ('terms-of-use.*',))


@pytest.mark.parametrize(
    ('data', 'problem'),
    (
        (b'', 'it is empty'),
        (b'\n \n', 'it holds only white space'),
        (b'TBD', "it is a placeholder ('TBD')"),
        (b'Insert license here', "it is a placeholder ('Insert license here')"),
        (b'\xff\xfe\x00\x00', 'it is not a text file'),
        (MIT_TEXT.encode(), None),
        (MIT_TEXT.encode('utf-16'), 'it is not a text file'),
    ),
)
def test_judge_copy(data, problem):
    assert judge_copy('LICENSE', data, len(data)) == problem


def test_judge_copy_pdf():
    assert judge_copy('Agreement License.pdf', b'%PDF-1.7 ...', 10) is None
    assert judge_copy('Agreement License.pdf', b'hello', 5) == 'it is not a PDF'


def test_judge_copy_lfs_pointer():
    pointer = (
        b'version https://git-lfs.github.com/spec/v1\n'
        b'oid sha256:' + b'a' * 64 + b'\nsize 300000\n'
    )
    assert judge_copy('License.pdf', pointer, len(pointer)) is None


def test_describe_folders():
    assert describe_folders('x.bin') == 'the repository root'
    assert describe_folders('a/x.bin') == 'a/ or the repository root'
    assert describe_folders('a/b/c/d/x.bin') == (
        'a/b/c/d/, a/b/c/, any folder above or the repository root'
    )
