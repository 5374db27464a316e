from __future__ import annotations

import pytest

from model_license_hooks.card import modelcard
from model_license_hooks.card.modelcard import parse


@pytest.mark.parametrize(
    ('front', 'key', 'expected'),
    (
        # a folded scalar: the name, not two spaces and the name
        ('license_name: >-\n  duix-avatar-model-community-license\n', 'license_name',
         'duix-avatar-model-community-license'),
        ('license_name: |\n  duix\n', 'license_name', 'duix\n'),
        ("license: 'apache-2.0' # a comment\n", 'license', 'apache-2.0'),
        ('license: "mit"\n', 'license', 'mit'),
        ('version: 1.0\n', 'version', '1.0'),
    ),
)
def test_front_matter_scalars_as_yaml_reads_them(front, key, expected):
    card = parse(f'---\n{front}---\n# m\n')
    assert card.problem is None
    assert card.text(key) == expected


@pytest.mark.parametrize(
    ('front', 'expected'),
    (
        ('base_model: [a, "b, c"]\n', ['a', 'b, c']),  # no split inside quotes
        ('base_model:\n- org/a\n- org/b\n', ['org/a', 'org/b']),
        ('base_model:\n  - org/a # the first\n', ['org/a']),
        ('base_model: org/a\n', ['org/a']),
        ('base_model: {a: b}\n', []),
    ),
)
def test_front_matter_lists(front, expected):
    assert parse(f'---\n{front}---\n').strings('base_model') == expected


@pytest.mark.parametrize(
    ('front', 'problem'),
    (
        ('a: &x 1\nb: *x\n', 'aliases (*name) are not read'),
        ('a: !!python/object/apply:os.system ["true"]\n', 'not valid YAML'),
        ('- just\n- a list\n', 'not a YAML mapping'),
        ('a: [unclosed\n', 'not valid YAML'),
        ('a: ' + '[' * 100 + ']' * 100 + '\n', 'nested deeper than'),
    ),
)
def test_front_matter_that_is_not_read(front, problem):
    card = parse(f'---\n{front}---\n# m\n')
    assert card.problem is not None and problem in card.problem
    assert card.meta == {}


def test_no_front_matter_and_an_unclosed_one():
    assert parse('# m\n\ntext\n') == modelcard.Card({}, '', ['# m', '', 'text'], None)
    assert parse('---\nlicense: mit\n').problem == 'the front matter has no closing "---"'


CARD = (
    '---\nlicense: other\nmodel_name: Talking head\nmodel-index:\n'
    '- name: talking-head-v2\n  results: []\n---\n'
    '# Talking head v2\n\nThe opening paragraph.\n\n'
    '## Uses\n\nBuried text.\n\n## Model description\n\nWhat it is.\n'
)


def test_where_text_is_prominent():
    card = parse(CARD)
    assert modelcard.headings(card) == ['Talking head v2', 'Uses', 'Model description']
    assert 'The opening paragraph.' in modelcard.opening(card)
    assert 'Buried text.' not in modelcard.opening(card)
    assert modelcard.description(card) == 'what it is.'
    shown = modelcard.prominent(card)
    assert 'the opening paragraph.' in shown and 'buried text' not in shown
    assert modelcard.model_names(card) == ['Talking head', 'talking-head-v2', 'Talking head v2']
