from __future__ import annotations

import pytest

from model_license_hooks.license.names import covered_folder
from model_license_hooks.license.names import describe_folders
from model_license_hooks.license.names import is_license_name


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


def test_describe_folders():
    assert describe_folders('x.bin') == 'the repository root'
    assert describe_folders('a/x.bin') == 'a/ or the repository root'
    assert describe_folders('a/b/c/d/x.bin') == (
        'a/b/c/d/, a/b/c/, any folder above or the repository root'
    )
