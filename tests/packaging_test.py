"""The wheel installs one package under the project's own name."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='module')
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp('wheel')
    proc = subprocess.run(
        (sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation',
         '-q', '-w', str(out), str(ROOT)),
        capture_output=True, text=True,
    )
    if proc.returncode:
        pytest.skip(f'cannot build a wheel here: {proc.stderr[-500:]}')
    (found,) = out.glob('model_license_hooks-*.whl')
    with zipfile.ZipFile(found) as z:
        return z.namelist()


def test_nothing_named_hooks_lands_in_site_packages(wheel):
    top = {name.split('/')[0] for name in wheel if not name.endswith('.dist-info/')}
    top = {t for t in top if not t.endswith('.dist-info')}
    assert top == {'model_license_hooks'}


def test_the_wheel_carries_the_layers_and_the_profiles(wheel):
    for module in (
            'check_model_license.py', 'tree/trees.py', 'weights/classify.py',
            'license/copies.py', 'card/modelcard.py', 'rules/judge.py', 'cli/check.py',
            'license/profiles/duix-avatar.json', 'py.typed',
    ):
        assert f'model_license_hooks/{module}' in wheel
