from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _hooks():
    # The manifest is simple YAML: read the ids and entries without a parser.
    hooks, current = [], {}
    for line in (ROOT / '.pre-commit-hooks.yaml').read_text().splitlines():
        stripped = line.strip().lstrip('- ').strip()
        if line.startswith('-   id:'):
            current = {}
            hooks.append(current)
        if ':' in stripped and not stripped.startswith('#'):
            key, _, value = stripped.partition(':')
            current[key.strip()] = value.strip()
    return hooks


def _console_scripts():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / 'setup.cfg')
    lines = cfg['options.entry_points']['console_scripts'].strip().splitlines()
    return dict(
        (name.strip(), target.strip())
        for name, _, target in (line.partition('=') for line in lines)
    )


def test_manifest_lists_hooks():
    assert [h['id'] for h in _hooks()] == [
        'check-model-compliance', 'check-model-license', 'check-model-changelog',
        'check-model-attribution',
    ]


@pytest.mark.parametrize('hook', _hooks(), ids=lambda h: h['id'])
def test_every_hook_has_a_console_script_and_a_readme_entry(hook):
    scripts = _console_scripts()
    assert hook['entry'] in scripts
    assert scripts[hook['entry']] == f'model_license_hooks.{hook["id"].replace("-", "_")}:main'
    assert f'`{hook["id"]}`' in (ROOT / 'README.md').read_text()


def test_console_scripts_point_at_main_functions():
    import importlib
    for target in _console_scripts().values():
        module, _, func = target.partition(':')
        assert callable(getattr(importlib.import_module(module), func))


@pytest.mark.skipif(shutil.which('pre-commit') is None, reason='needs pre-commit')
def test_manifest_is_valid():
    proc = subprocess.run(
        ('pre-commit', 'validate-manifest', str(ROOT / '.pre-commit-hooks.yaml')),
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
