"""The Hugging Face Hub's licence ids, offline: a model card's `license:`
must be one of them (`hub_licenses.json`, a snapshot of the list the Hub
documents), and `license: other` names its licence with `license_name`
and `license_link`, as the Hub asks."""
from __future__ import annotations

import functools
import os

from .modelcard import Card

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'hub_licenses.json')
DOCS = 'https://huggingface.co/docs/hub/repositories-licenses'


@functools.lru_cache(maxsize=None)
def _snapshot() -> tuple[tuple[str, str], ...]:
    """(id, full name) of each licence, in the Hub's order."""
    import json  # read when a Hub card is judged: start-up time
    with open(DATA_FILE, encoding='utf-8') as f:
        data = json.load(f)
    return tuple((row['id'], row['name']) for row in data['licenses'])


def hub_license_ids() -> tuple[str, ...]:
    return tuple(i for i, _ in _snapshot())


def _squeezed(text: str) -> str:
    """Without case, spaces, dashes, dots, or a trailing 'license'."""
    lowered = text.strip().lower()
    for suffix in (' license', ' licence'):
        lowered = lowered.removesuffix(suffix)
    return ''.join(c for c in lowered if c not in ' -.')


def nearest_license_id(value: str) -> str | None:
    """The Hub id closest to a value that is not one, if any is close."""
    import difflib
    # llama-3.1 for llama3.1, "MIT License" for mit: by id or by full name
    by_key: dict[str, str] = {}
    for pid, name in _snapshot():
        by_key.setdefault(_squeezed(pid), pid)
        by_key.setdefault(_squeezed(name), pid)
    key = _squeezed(value)
    if key in by_key:
        return by_key[key]
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
    return by_key[close[0]] if close else None


def hub_license_problems(card: Card, link_asked: bool = False) -> list[str]:
    """What the card's `license` metadata lacks for the Hub: an id outside
    the Hub's list, or `license: other` without `license_name` and
    `license_link`.  `link_asked`: a profile asks for the link itself."""
    problems = []
    values = card.strings('license')
    for value in values:
        if value in hub_license_ids():
            continue
        near = nearest_license_id(value)
        hint = f': did you mean license: {near}?' if near else (
            ': use license: other with license_name and license_link')
        problems.append(
            f'license: {value} is not a licence id of the Hugging Face Hub{hint} '
            f'(the ids: {DOCS})',
        )
    if 'other' in values:
        missing = [k for k in ('license_name', 'license_link')
                   if not card.text(k) and not (k == 'license_link' and link_asked)]
        if missing:
            problems.append(
                f'license: other needs {" and ".join(missing)}: the Hub shows the '
                f"licence's name (license_name, e.g. my-model-license) and a link to it "
                f'(license_link: a URL, or the LICENSE file in the repository)',
            )
    return problems
