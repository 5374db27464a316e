"""What a model card states, as CycloneDX 1.6 `modelCard` data.

Only what the card says: front matter keys the Hub documents (pipeline_tag,
datasets, model-index results, language, ...) and the text of the model
card template's sections on uses and limitations; nothing is inferred.
Pure functions of a parsed `Card`: the BOM module adds them to the
components (cyclonedx-python-lib has no model for model cards).
"""
from __future__ import annotations

import re
from typing import Any

from ..card.modelcard import Card
from ..text import heading

PREFIX = 'model-license-hooks:'
# Front matter keys without a place in a CycloneDX model card, kept as its
# properties, one a value: `model-license-hooks:card:language` = `en`.
CARD_PROPERTIES = (
    'language', 'library_name', 'tags', 'license', 'license_name', 'license_link',
    'base_model_relation', 'new_version',
)
# Card sections (the Hub's model card template) -> the considerations field
# their text goes to, by the heading's words.
SECTIONS = (
    (re.compile(r'(direct |intended |primary )?uses?( cases?)?$'), 'useCases'),
    (re.compile(r'(intended |primary )?users$'), 'users'),
    (re.compile(r'(bias, risks,? and |known |technical )?limitations?$'), 'technicalLimitations'),
)
PLACEHOLDER = re.compile(r'\[more information needed\]|^\s*$', re.IGNORECASE)
MAX_VALUES = 200  # of one key: a card listing 100,000 tags is not a BOM's business
MAX_TEXT = 4000  # characters of one section


def base_models(card: Card | None) -> list[str]:
    """The card's `base_model`: a string or a list of them."""
    if card is None:
        return []
    found = dict.fromkeys(m.strip() for m in card.strings('base_model') if m.strip())
    return list(found)[:MAX_VALUES]


def model_card(card: Card | None) -> dict[str, Any] | None:
    """The CycloneDX `modelCard` of what the card states, or None when it
    states nothing that goes there."""
    if card is None:
        return None
    parts: dict[str, Any] = {}
    parameters = _parameters(card)
    if parameters:
        parts['modelParameters'] = parameters
    metrics = _metrics(card)
    if metrics:
        parts['quantitativeAnalysis'] = {'performanceMetrics': metrics}
    considerations = _considerations(card)
    if considerations:
        parts['considerations'] = considerations
    properties = [
        {'name': f'{PREFIX}card:{key}', 'value': value}
        for key in CARD_PROPERTIES for value in _values(card, key)
    ]
    if properties:
        parts['properties'] = properties
    return parts or None


def _values(card: Card, key: str) -> list[str]:
    value = card.text(key)
    found = [value] if value is not None else card.strings(key)
    return [v for v in found if v.strip()][:MAX_VALUES]


def _parameters(card: Card) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    task = card.text('pipeline_tag')
    if task:
        parameters['task'] = task
    datasets = [{'type': 'dataset', 'name': d} for d in _values(card, 'datasets')]
    if datasets:
        parameters['datasets'] = datasets
    return parameters


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)][:MAX_VALUES] if isinstance(value, list) else []


def _metrics(card: Card) -> list[dict[str, str]]:
    """model-index results: each metric with its value, sliced by dataset."""
    metrics = []
    for model in _dicts(card.meta.get('model-index')):
        for result in _dicts(model.get('results')):
            dataset = result.get('dataset')
            name = dataset.get('name') if isinstance(dataset, dict) else None
            for metric in _dicts(result.get('metrics')):
                kind = metric.get('type') or metric.get('name')
                value = metric.get('value')
                if not isinstance(kind, str) or not isinstance(value, (str, int, float)):
                    continue
                found = {'type': kind, 'value': str(value)}
                if isinstance(name, str):
                    found['slice'] = name
                metrics.append(found)
    return metrics[:MAX_VALUES]


def _considerations(card: Card) -> dict[str, list[str]]:
    considerations: dict[str, list[str]] = {}
    for title, text in _sections(card):
        for pattern, field in SECTIONS:
            if pattern.match(title):
                considerations.setdefault(field, []).append(text)
                break
    return considerations


def _sections(card: Card) -> list[tuple[str, str]]:
    """(lower-case heading, its text up to the next heading), for sections
    with text that is not the template's placeholder."""
    found: list[tuple[str, str]] = []
    title: str | None = None
    lines: list[str] = []
    for line in [*card.body, '# end']:
        new = heading(line)
        if new is None:
            lines.append(line)
            continue
        text = '\n'.join(lines).strip()
        if title is not None and not PLACEHOLDER.search(text):
            found.append((title, text[:MAX_TEXT]))
        title, lines = ' '.join(new.lower().split()), []
    return found
