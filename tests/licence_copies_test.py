"""A licence copy is a licence: what the hooks accept as one, with a
profile and without, as the files people put in a LICENSE show it (the
cases of issue 13, through the hooks' own entry points)."""
from __future__ import annotations

import codecs
import re

import pytest

from model_license_hooks import check_model_attribution
from model_license_hooks import check_model_license
from model_license_hooks.cli import main as cli
from tests import samples
from tests.license import references as refs
from tests.util import add
from tests.util import MIT_TEXT
from tests.util import write


LINK = (  # 131 characters
    'These weights are released under the Apache License, Version 2.0; please read it '
    'at https://www.apache.org/licenses/LICENSE-2.0.txt\n'
)
PROSE = (  # our words: no grant, no disclaimer
    'These weights came out of a long summer of experiments with small speech models. '
    'We trained them on clips we recorded ourselves, in three rooms of an old house, '
    'with two microphones and a great deal of patience. The folder also holds the '
    'scripts we used, a few notes on what went wrong, and the evaluation tables we '
    'kept along the way. Questions are welcome on the issue tracker of the project.\n'
)
LOREM = (
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor '
    'incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud '
    'exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute '
    'irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla '
    'pariatur.\n'
)


def _licence(repo, content, name='LICENSE'):
    samples.write_safetensors(repo / 'model.safetensors')
    write(repo / name, content)
    add('.')


@pytest.mark.parametrize(('content', 'said'), (
    (LINK, 'LICENSE: it only names or links a licence (117 characters), which is a '
           "reference, not a copy of its terms: put the licence's full text in it"),
    (LOREM, "LICENSE: it is filler text (lorem ipsum), not a licence text: put the "
            "licence's full text in it"),
    ('.' * 32768, "LICENSE: it is one character repeated ('.' 32768 times), not a "
                  "licence text: put the licence's full text in it"),
    (PROSE, 'LICENSE: it does not read as licence terms (no grant of rights and no '
            'conditions of use and no disclaimer of warranty or liability found)'),
))
def test_without_a_profile_a_copy_is_licence_terms(temp_git_dir, capsys, content, said):
    assert len(LINK) == 131 + 1
    _licence(temp_git_dir, content)
    assert check_model_license.main([]) == 1
    assert said in capsys.readouterr().out


@pytest.mark.parametrize('pid', ('llama-3.1', 'apache-2.0', 'tongyi-qianwen'))
def test_without_a_profile_half_a_known_licence_is_not_a_copy(temp_git_dir, capsys, pid):
    name = {'llama-3.1': 'Llama 3.1 Community License Agreement',
            'apache-2.0': 'Apache License 2.0',
            'tongyi-qianwen': 'Tongyi Qianwen License Agreement'}[pid]
    _licence(temp_git_dir, refs.half(refs.reference(pid)))
    assert check_model_license.main([]) == 1
    assert re.search(
        rf'LICENSE: it is only part of the {re.escape(name)} \(\d\d% of its text\): put '
        r'the complete text in it', capsys.readouterr().out,
    )


@pytest.mark.parametrize('text', (
    MIT_TEXT, refs.vendored('BSD-3-Clause'), refs.vendored('WTFPL'),
    refs.vendored('AGPL-3.0'),
))
def test_without_a_profile_real_licences_are_copies(temp_git_dir, capsys, text):
    _licence(temp_git_dir, text)
    assert check_model_license.main([]) == 0, capsys.readouterr().out


def test_the_first_six_lines_of_the_apache_licence_are_not_a_copy(temp_git_dir, capsys):
    # (by phrases they were: the title, "TERMS AND CONDITIONS ..." and
    # the first definition)
    apache = refs.vendored('Apache-2.0')
    _licence(temp_git_dir, refs.six_lines(apache))
    assert check_model_license.main(['--profile', 'apache-2.0']) == 1
    assert 'LICENSE: it only names or links a licence' in capsys.readouterr().out
    _licence(temp_git_dir, refs.six_lines(apache) + '\n\n' + PROSE * 3)
    assert check_model_license.main(['--profile', 'apache-2.0']) == 1
    assert 'LICENSE: not a copy of the apache-2.0 licence: it is not the Apache ' \
        'License 2.0 (' in capsys.readouterr().out
    _licence(temp_git_dir, apache)
    assert check_model_license.main(['--profile', 'apache-2.0']) == 0


def test_a_llama_agreement_cut_after_its_first_section(temp_git_dir, capsys):
    _licence(temp_git_dir, refs.first_section(refs.reference('llama-3.1')))
    assert check_model_license.main(['--profile', 'llama-3.1']) == 1
    assert re.search(
        r'LICENSE: not a copy of the llama-3.1 licence: only \d\d% of the Llama 3.1 '
        r'Community License Agreement text is there', capsys.readouterr().out,
    )


def test_a_llama_3_copy_is_not_a_llama_3_1_copy(temp_git_dir, capsys):
    _licence(temp_git_dir, refs.reference('llama-3'))
    assert check_model_license.main(['--profile', 'llama-3.1']) == 1
    assert (
        'LICENSE: not a copy of the llama-3.1 licence: it is the Meta Llama 3 '
        'Community License Agreement, not the Llama 3.1 Community License Agreement'
    ) in capsys.readouterr().out
    assert check_model_license.main(['--profile', 'llama-3']) == 0


@pytest.mark.parametrize('codec', ('utf-16-le', 'utf-16-be'))
def test_utf_16_with_a_byte_order_mark_is_read(temp_git_dir, capsys, codec):
    # as Windows editors and PowerShell's Out-File write it
    bom = {'utf-16-le': codecs.BOM_UTF16_LE, 'utf-16-be': codecs.BOM_UTF16_BE}[codec]
    _licence(temp_git_dir, bom + MIT_TEXT.encode(codec))
    assert check_model_license.main([]) == 0, capsys.readouterr().out
    _licence(temp_git_dir, bom + refs.text(refs.EN_TXT).encode(codec))
    assert check_model_license.main(['--profile', 'duix-avatar']) == 0


def test_other_encodings_get_a_clear_message(temp_git_dir, capsys):
    _licence(temp_git_dir, MIT_TEXT.replace('Permission', 'Permissión').encode('latin-1'))
    assert check_model_license.main([]) == 1
    assert re.search(
        r'LICENSE: it is not UTF-8 text \(byte \d+ is 0xf3\): save it as UTF-8, or as '
        r'UTF-16 with a byte order mark', capsys.readouterr().out,
    )


def test_an_apache_licence_and_a_plain_readme(temp_git_dir, capsys):
    # keras, tflite-micro, mediapipe, opencv_zoo, onnx: the inferred
    # apache-2.0 profile asks nothing of a GitHub README.md
    _licence(temp_git_dir, refs.vendored('Apache-2.0'))
    write(temp_git_dir / 'README.md', '# Models\n\nPretrained models for our toolkit.\n')
    add('.')
    assert check_model_attribution.main([]) == 0, capsys.readouterr().out
    # nor of a static site's front matter (mediapipe's README.md)
    write(temp_git_dir / 'README.md', '---\nlayout: forward\ntitle: Home\nnav_order: 1\n---\n# M\n')
    add('.')
    assert check_model_attribution.main([]) == 0, capsys.readouterr().out
    assert check_model_attribution.main(['--hub-metadata']) == 1
    assert 'README.md: the front matter has no license: set license: apache-2.0' in (
        capsys.readouterr().out)
    write(temp_git_dir / 'README.md', '---\nlicense: mit\n---\n# Models\n')
    add('.')
    assert check_model_attribution.main([]) == 1  # a Hub card: its metadata must agree
    assert 'README.md: the front matter says license: mit, but the weights are under ' \
        'the Apache License 2.0' in capsys.readouterr().out


def test_hub_metadata_as_a_setting(temp_git_dir, capsys):
    _licence(temp_git_dir, refs.vendored('Apache-2.0'))
    write(temp_git_dir / 'README.md', '# Models\n')
    write(temp_git_dir / 'pyproject.toml', '[tool.model-license-hooks]\nhub-metadata = true\n')
    add('.')
    assert check_model_attribution.main([]) == 1
    assert 'the front matter has no license' in capsys.readouterr().out


def test_check_reports_a_shared_finding_once(temp_git_dir, capsys):
    for i in range(30):
        samples.write_safetensors(temp_git_dir / f'm{i:02}/model.safetensors')
        write(temp_git_dir / f'm{i:02}/CHANGELOG.md', '- Fine-tuned on more clips\n')
    write(temp_git_dir / 'LICENSE', refs.vendored('Apache-2.0'))
    write(temp_git_dir / 'README.md', '---\nlicense: mit\n---\n# Models\n')
    add('.')
    assert cli(['check']) == 1
    out = capsys.readouterr().out
    assert out.count('the front matter says license: mit') == 1
    assert out.count('verdict:     FAIL (1 shared finding(s): see below)') == 30
    assert 'folders: m00, m01, m02, m03, m04 and 25 more' in out
