from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model_license_hooks.card import changelog as changelogs


@pytest.mark.parametrize(
    ('line', 'expected'),
    (
        ('- Fine-tuned on 2k more clips; lr 1e-5', True),
        ('Quantized to int8.', True),
        ('* **Merged** a LoRA adapter', True),
        ('', False), ('   ', False), ('## [1.1.0] - 2026-11-30', False),
        ('### Changed', False), ('[1.1.0]: https://example.com/x', False),
        ('v2.0.1', False), ('2026-11-30', False), ('- ', False),
        ('## Unreleased', False), ('=====', False), ('1.2.0 (2026-11-30)', False),
        ('- ok', False),
    ),
)
def test_describes(line, expected):
    assert changelogs.describes(line) is expected


def test_added_lines_ignore_whitespace_edits_and_moves():
    old = ['# Changelog', '', '- First release', '- Second']
    new = ['# Changelog', '', '-   First  release', '- Second', '- Third entry', '- First release']
    assert [line for _, line in changelogs.added_lines(old, new)] == ['- Third entry']


def test_card_entry_lines_only_under_the_section():
    old = ['# Model', '', 'Intro.']
    new = [
        '# Model', '', 'Intro.', 'More intro text here.', '',
        '## Modifications', '', '- Merged adapters', '', '## Usage', 'Run it.',
    ]
    assert changelogs.card_entry_lines(old, new) == ['- Merged adapters']


@pytest.mark.parametrize(
    ('text', 'path', 'expected'),
    (
        ('- Retrained model.safetensors', 'm/model.safetensors', True),
        ('- Retrained the unet', 'unet/diffusion_pytorch_model.bin', True),
        ('- Retrained the vae', 'unet/diffusion_pytorch_model.bin', False),
        ('- see vae.safetensors', 'model.gguf', False),
    ),
)
def test_mentions(text, path, expected):
    assert changelogs.mentions([text], path) is expected


def test_read_text_problems():
    assert changelogs.read_text(b'\xc3(', 2).problem == (
        'it is not UTF-8 text (byte 0 is 0xc3): save it as UTF-8, or as UTF-16 with a '
        'byte order mark'
    )
    assert changelogs.read_text(b'a\x00b', 3).problem == 'it is not a text file'
    assert changelogs.read_text(b'- fine\n', 7).lines == ['- fine']


@pytest.mark.parametrize('codec', ('utf-8-sig', 'utf-16'))  # with a byte order mark
def test_read_text_as_editors_write_it(codec):
    data = '- Affiné sur 2k clips\n'.encode(codec)
    assert changelogs.read_text(data, len(data)).lines == ['- Affiné sur 2k clips']


_PARTS = (
    'CHANGELOG', 'changes', 'History', 'NEWS', 'modifications', 'README',
    'changelog.d', 'newsfragments', 'docs', 'model', 'notes', 'x',
)
_SUFFIXES = ('', '.md', '.MD', '.markdown', '.rst', '.txt', '.py', '.d')


@given(
    st.lists(
        st.tuples(st.sampled_from(_PARTS), st.sampled_from(_SUFFIXES)),
        min_size=1, max_size=4,
    ),
)
def test_may_be_source_never_turns_away_a_changelog_or_card(parts):
    # may_be_source skips the exact test for most files of a large commit:
    # it must say True of every path the exact test would accept.
    path = '/'.join(part + suffix for part, suffix in parts)
    default = changelogs.Names()
    # A changelog name that matches nothing turns the quick test off.
    exact = changelogs.is_source(path, default._replace(changelog_names=('\0',)))
    assert changelogs.is_source(path, default) == exact
    if exact:
        assert changelogs.may_be_source(path)


def test_may_be_source_turns_away_ordinary_files():
    assert not changelogs.may_be_source('src/pkg/mod_1.py')
    assert not changelogs.may_be_source('models/m/model.safetensors')
