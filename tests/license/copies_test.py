from __future__ import annotations

import codecs
import hashlib
import sys

import pytest

from model_license_hooks.license import profiles
from model_license_hooks.license.common import common_licence
from model_license_hooks.license.copies import Candidate
from model_license_hooks.license.copies import genuine
from model_license_hooks.license.copies import judge_copy
from model_license_hooks.license.copies import text_of
from model_license_hooks.license.copies import what_licence
from model_license_hooks.license.fingerprint import load_fingerprints
from model_license_hooks.license.fingerprint import MAX_TEXT_BYTES
from tests import samples
from tests.license.references import AVATAR_FP
from tests.license.references import EN_PDF
from tests.license.references import read as _read
from tests.util import MIT_TEXT


@pytest.mark.parametrize(
    ('data', 'expected'),
    (
        (b'plain text\n', 'plain text\n'),
        (codecs.BOM_UTF8 + 'caf\u00e9 许可'.encode(), 'caf\u00e9 许可'),
        (codecs.BOM_UTF16_LE + 'licence 许可'.encode('utf-16-le'), 'licence 许可'),
        (codecs.BOM_UTF16_BE + 'licence 许可'.encode('utf-16-be'), 'licence 许可'),
        (codecs.BOM_UTF32_LE + 'wide'.encode('utf-32-le'), 'wide'),
        (b'\xc3\x28 invalid', None),
        (b'caf\xe9 latin-1', None),
        (codecs.BOM_UTF16_LE + b'\x00\xd8', None),  # lone surrogate
        (b'nul\x00inside', None),
        ('licence 许可'.encode('utf-16-le'), None),  # UTF-16 needs its BOM
        (b'', ''),
    ),
)
def test_text_of(data, expected):
    assert text_of('LICENSE', data) == expected


def test_text_of_pdf_name_without_pdf():
    assert text_of('Licence.pdf', b'just text') is None
    assert text_of('LICENSE', b'x' * (MAX_TEXT_BYTES + 1)) is None


def test_pdf_without_pypdf(monkeypatch):
    data = _read(EN_PDF)
    monkeypatch.setitem(sys.modules, 'pypdf', None)  # import pypdf fails
    assert text_of(EN_PDF, data) is None
    assert text_of('LICENSE', data) is None  # PDF by content, not by name
    assert hashlib.sha256(data).hexdigest() in load_fingerprints(AVATAR_FP).sha256


def test_broken_pdf():
    pytest.importorskip('pypdf')
    assert text_of('x.pdf', b'%PDF-1.7\n garbage \n%%EOF\n') is None
    assert text_of('x.pdf', _read(EN_PDF)[:2000]) is None


def _known():
    return profiles.available().values()


FIX = "put the licence's full text in it"


@pytest.mark.parametrize(
    ('data', 'problem'),
    (
        (b'', 'it is empty'),
        (b'\n \n', 'it holds only white space'),
        (b'TBD', f"it is a placeholder ('TBD'): {FIX}"),
        (b'Insert license here', f"it is a placeholder ('Insert license here'): {FIX}"),
        (b'\xff\xfe\x00\x00', 'it holds only white space'),  # a UTF-32 BOM, no text
        (b'\x00\x01\x02 binary', 'it is not a text file'),
        (MIT_TEXT.encode(), None),
        (MIT_TEXT.encode('utf-16'), None),  # with its byte order mark
        (MIT_TEXT.encode('utf-16-le'), 'it is not a text file'),  # without one
        ('Permissión'.encode('latin-1') + MIT_TEXT.encode(),
         'it is not UTF-8 text (byte 8 is 0xf3): save it as UTF-8, or as UTF-16 with a '
         'byte order mark'),
    ),
)
def test_judge_copy(data, problem):
    assert judge_copy(Candidate('LICENSE', data), _known()) == problem


def test_judge_copy_pdf():
    # a PDF whose text cannot be read may be the agreement or anything:
    # undecided, so not a copy (fail closed), unless its digest is known
    problem = judge_copy(Candidate('Agreement License.pdf', b'%PDF-1.7 ...'), _known())
    assert problem is not None and 'add the licence as text too' in problem
    readable = samples.pdf_of_text(MIT_TEXT)
    assert judge_copy(Candidate('Agreement License.pdf', readable), _known()) is None
    assert judge_copy(Candidate('Agreement License.pdf', b'hello'), _known()) == 'it is not a PDF'


def test_a_candidate_is_read_and_judged_once(monkeypatch):
    from model_license_hooks.license import fingerprint
    made = []
    real = fingerprint.Shingled.__init__

    def counting(self, text):
        made.append(len(text))
        real(self, text)
    monkeypatch.setattr(fingerprint.Shingled, '__init__', counting)
    candidate = Candidate('LICENSE', _vendored('Apache-2.0').encode())
    for _ in range(3):
        assert judge_copy(candidate, _known()) is None
        for profile in _known():
            genuine(profile, candidate, _known())
        assert what_licence(candidate, _known()) == 'the Apache License 2.0'
    assert len(made) == 1


def test_judge_copy_lfs_pointer():
    pointer = (
        b'version https://git-lfs.github.com/spec/v1\n'
        b'oid sha256:' + b'a' * 64 + b'\nsize 300000\n'
    )
    # The pointer is not the text: the finder reads what it stands for.
    assert judge_copy(Candidate('License.pdf', pointer), _known()) == (
        'it is a Git LFS pointer, not the text of a licence'
    )


def _vendored(spdx: str) -> str:
    """A common licence's text, as identify ships it (read, not copied)."""
    from identify.vendor import licenses
    return dict(licenses.LICENSES)[spdx]


@pytest.mark.parametrize('spdx', (
    'AGPL-3.0', 'LGPL-2.1', 'LGPL-3.0', 'MPL-2.0', 'EUPL-1.2', 'BSL-1.0',
    'OFL-1.1', 'GPL-3.0', 'MIT', 'Apache-2.0', 'BSD-3-Clause', 'CC-BY-4.0',
))
def test_a_common_licence_is_named_precisely(spdx):
    # (The phrase table this replaced called the AGPL, LGPL, MPL and EUPL
    # "the GNU GPL", and BSL-1.0 or the OFL "the MIT licence".)
    named = f'the {spdx} licence' if spdx != 'Apache-2.0' else 'the Apache License 2.0'
    assert what_licence(Candidate('LICENSE', _vendored(spdx).encode()), _known()) == named
    assert what_licence(Candidate('LICENSE', _vendored(spdx).encode()), ()) == (
        f'the {spdx} licence')


def test_common_licence_names_what_identify_names():
    # the same answer as identify's license_id, which reads a file (as
    # UTF-8 only) and normalises its 35 texts again on every call
    import tempfile
    from identify.identify import license_id
    from identify.vendor import licenses
    with tempfile.TemporaryDirectory() as folder:
        path = f'{folder}/LICENSE'
        for spdx, text in licenses.LICENSES:
            for variant in (text, text[:int(len(text) * 0.97)], text[:len(text) // 2],
                            'Copyright 2026 Someone\n' + text, text.replace('\n', '\r\n')):
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(variant)
                assert common_licence(variant) == license_id(path), spdx


def test_a_copy_of_a_common_licence_with_its_own_copyright_line():
    text = MIT_TEXT.replace('2026 The model-license-hooks developers', '2019 Someone Else')
    assert common_licence(text) == 'MIT'
    assert common_licence(MIT_TEXT[:len(MIT_TEXT) // 2]) is None  # half a copy
    assert common_licence('Licensed under the MIT licence; see LICENSE.') is None


def test_a_wrong_copy_is_named_in_the_message(tmp_path):
    from model_license_hooks.license import profiles
    duix = profiles.available()['duix-avatar']
    known = profiles.available().values()
    ok, why = genuine(duix, Candidate('LICENSE', _vendored('AGPL-3.0').encode()), known)
    assert not ok
    assert why == (
        'it is the AGPL-3.0 licence, not the Duix.Avatar:0.0.7_sdk_slim model '
        'community licence'
    )
