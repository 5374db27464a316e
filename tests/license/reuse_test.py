from __future__ import annotations

import pytest

from model_license_hooks.errors import UserError
from model_license_hooks.license import reuse


@pytest.mark.parametrize(
    ('expressions', 'ids'),
    (
        (['MIT'], ['MIT']),
        (['mit'], ['MIT']),  # SPDX ids are matched without regard to case
        (['Apache-2.0 OR MIT', 'MIT'], ['Apache-2.0', 'MIT']),
        (['GPL-2.0+'], ['GPL-2.0-or-later']),
        (['(LicenseRef-Duix AND CC-BY-4.0)'], ['LicenseRef-Duix', 'CC-BY-4.0']),
        (['GPL-3.0-or-later WITH GCC-exception-3.1'], ['GPL-3.0-or-later', 'GCC-exception-3.1']),
        (['', '  '], []),
    ),
)
def test_spdx_ids_as_reuse_reads_them(expressions, ids):
    assert reuse.spdx_ids(expressions) == ids


@pytest.mark.parametrize('expression', ('MIT AND (', '(MIT', 'MIT AND', 'a/b', 'MIT)))'))
def test_spdx_expressions_that_do_not_parse(expression):
    with pytest.raises(reuse.SpdxError, match='is not an SPDX licence expression'):
        reuse.spdx_ids([expression])


def test_sidecar_ids():
    text = 'SPDX-FileCopyrightText: 2026 Example\nSPDX-License-Identifier: MIT OR Apache-2.0\n'
    assert reuse.sidecar_ids(text) == ['MIT', 'Apache-2.0']
    assert reuse.sidecar_ids('no identifier here') == []


@pytest.mark.parametrize(
    ('pattern', 'path', 'matches'),
    (
        ('*.safetensors', 'model.safetensors', True),
        ('*.safetensors', 'models/model.safetensors', False),  # '*' stays in a folder
        ('**/*.safetensors', 'models/a/model.safetensors', True),
        ('models/**', 'models/a/b/c.bin', True),
        ('model?.bin', 'model1.bin', True),
        ('a.[ch]', 'a.c', False),  # brackets are literal
    ),
)
def test_reuse_toml_globs(pattern, path, matches):
    assert bool(reuse.glob(pattern).fullmatch(path)) is matches


def test_parse_reuse_toml():
    data = (
        b'version = 1\n[[annotations]]\npath = ["models/**", "*.gguf"]\n'
        b'SPDX-License-Identifier = "MIT"\n[[annotations]]\npath = "x"\n'
        b'SPDX-License-Identifier = ["A", "B"]\n'
    )
    assert reuse.parse_reuse_toml(data) == [
        (['models/**', '*.gguf'], ['MIT']), (['x'], ['A', 'B']),
    ]
    with pytest.raises(UserError, match='"annotations" must be an array of tables'):
        reuse.parse_reuse_toml(b'annotations = 5\n')
