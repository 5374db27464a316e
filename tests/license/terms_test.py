"""What a licence copy is without a profile: licence terms, not a
placeholder, a reference, filler or one character repeated."""
from __future__ import annotations

import pytest

from model_license_hooks.license import terms
from tests.license.references import vendored

FIX = "put the licence's full text in it"


@pytest.mark.parametrize(('text', 'said'), (
    ('   \n', 'it holds only white space'),
    ('TODO', f"it is a placeholder ('TODO'): {FIX}"),
    ('  License   goes here.  ', f"it is a placeholder ('License goes here.'): {FIX}"),
    ('.' * 40000, f"it is one character repeated ('.' 40000 times), not a licence text: {FIX}"),
    ('-=' * 500, f"it is a few characters repeated ('-='), not a licence text: {FIX}"),
    ('See LICENSE-MODEL for the licence.', 'it only names or links a licence (30 characters), '
     f'which is a reference, not a copy of its terms: {FIX}'),
    ('Licensed under the MIT licence: https://opensource.org/license/mit', 'it only names or '
     f'links a licence (61 characters), which is a reference, not a copy of its terms: {FIX}'),
    ('lorem ipsum dolor sit amet ' * 20,
     f'it is filler text (lorem ipsum), not a licence text: {FIX}'),
    ('test data here ' * 40, f'it is a few words repeated, not a licence text: {FIX}'),
    ('Short words only, nothing more to see. ' * 2,
     'it is too short to be a licence text (64 characters; a copy of the full licence is needed)'),
))
def test_plainly_not_a_copy(text, said):
    assert terms.not_a_copy(text) == said


@pytest.mark.parametrize('spdx', ('MIT', 'BSD-3-Clause', 'Apache-2.0', 'GPL-3.0', 'ISC',
                                  'MPL-2.0', 'Unlicense', 'Zlib', 'CC0-1.0'))
def test_common_licences_read_as_licence_terms(spdx):
    assert terms.not_a_copy(vendored(spdx)) is None
    assert terms.missing_elements(vendored(spdx)) == []


def test_our_own_terms_read_as_licence_terms():
    text = (
        'Example Model Licence\n\nThe authors grant you a worldwide, royalty-free licence '
        'to use, copy and share these weights, subject to the following conditions: you '
        'must keep this notice with every copy, and you shall not use them to harm anyone. '
        'The weights are provided as is, without warranty of any kind; the authors are not '
        'liable for any damage arising from their use.\n'
    )
    assert terms.not_a_copy(text) is None and terms.not_terms(text) is None


def test_chinese_terms():
    text = (
        '示例模型许可协议\n\n许可方特此授予您非独占的、全球范围内的许可，您可以使用、复制和分发本模型，'
        '但应当遵守以下条件：必须保留本声明，不得将本模型用于违法用途。本模型按"原样"提供，许可方不提供任何'
        '明示或暗示的保证，对因使用本模型而产生的任何损失不承担责任。' * 2
    )
    assert terms.not_a_copy(text) is None and terms.not_terms(text) is None


def test_what_is_missing_is_said():
    text = 'You may use these weights for anything at all, as you please. ' * 6
    assert terms.not_terms(text) == (
        'it does not read as licence terms (no conditions of use and no disclaimer of '
        f'warranty or liability found): {FIX}'
    )
