"""`check --format cyclonedx`: the check Report as a CycloneDX 1.6 JSON BOM.

Another rendering of the same Report, no judgement of its own: one
`machine-learning-model` component per model folder, holding a `file`
component per weight (or model) file with its SHA-256 (`digest`); the
licence its copy was recognised as ("concluded") and the one its card
names ("declared"); its card's base models as pedigree ancestors; what
its card states as `modelCard` (`bom_card`).  The failed findings are
properties of the model they concern (`model-license-hooks:finding`),
with `model-license-hooks:compliant`: properties travel through every
CycloneDX tool, where annotations would need an annotator and a time
each, and cyclonedx-python-lib has no model of them.  The library has no
model of model cards either: those are added to its JSON output.

Imports cyclonedx-python-lib (the `bom` extra): import this module only
for this format.
"""
from __future__ import annotations

import json
import os
import re
from typing import Any

from cyclonedx.contrib.this.builders import this_component
from cyclonedx.model import HashAlgorithm
from cyclonedx.model import HashType
from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.bom import BomMetaData
from cyclonedx.model.component import Component
from cyclonedx.model.component import ComponentType
from cyclonedx.model.component import Pedigree
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.model.license import LicenseAcknowledgement
from cyclonedx.model.tool import ToolRepository
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.spdx import fixup_id
from packageurl import PackageURL

from ..card.modelcard import Card
from ..rules.findings import Finding
from ..tree.trees import Tree
from ..weights.classify import Verdict
from .bom_card import base_models
from .bom_card import model_card
from .bom_card import PREFIX
from .check import Model
from .check import Report
from .digest import file_digest
from .report import TOOL_NAME

# A Hugging Face Hub model id, owner/name: such a base model gets a purl.
HUB_ID = re.compile(r'[A-Za-z0-9][\w.-]*/[\w.-]+')
# The BOM's keys in the order the specification lists them (the library
# writes its own).
ORDER = ('$schema', 'bomFormat', 'specVersion', 'serialNumber', 'version', 'metadata')
# What an SPDX LicenseRef's idstring may hold.
NOT_IDSTRING = re.compile(r'[^A-Za-z0-9.-]+')


def bom_report(report: Report, version: str) -> dict[str, Any]:
    """The CycloneDX 1.6 BOM of a Report, as JSON data."""
    assert report.tree is not None, 'a BOM is rendered from an audited tree'
    tree = report.tree
    root_name = os.path.basename(os.path.realpath(tree.root or report.root)) or '.'
    components = [_model_component(m, tree, root_name) for m in report.models]
    ours = Component(type=ComponentType.APPLICATION, name=TOOL_NAME, version=version)
    metadata = BomMetaData(tools=ToolRepository(components=[ours, this_component()]))
    bom = Bom(components=components, metadata=metadata)
    data: dict[str, Any] = json.loads(JsonV1Dot6(bom).output_as_string())
    cards = {_ref(m): model_card(m.card) for m in report.models}
    for component in data.get('components', []):
        card = cards.get(component.get('bom-ref'))
        if card is not None:
            component['modelCard'] = card
    return {**{k: data[k] for k in ORDER if k in data}, **data}


def _ref(model: Model) -> str:
    return f'model:{model.folder or "."}'


def _model_component(model: Model, tree: Tree, root_name: str) -> Component:
    ref = _ref(model)
    bases = base_models(model.card)
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=model.folder or root_name,
        bom_ref=ref,
        licenses=licences(model),
        components=[f for v in model.weights for f in _files(v, tree)],
        pedigree=Pedigree(ancestors=[ancestor(b, ref, model) for b in bases]) if bases else None,
        properties=_model_properties(model),
    )


def ancestor(base_model: str, model_ref: str, model: Model) -> Component:
    """A base model the card names, as a pedigree ancestor: its id, its
    purl when it is a Hub id, and the licence it passes on (concluded from
    the base-model table or the base folder's card, with where from)."""
    purl = None
    if HUB_ID.fullmatch(base_model):
        owner, name = base_model.split('/')
        purl = PackageURL(type='huggingface', namespace=owner, name=name)
    licences = [
        _licence(
            _spdx_key(b.licence.id, b.licence.license), b.licence.name,
            LicenseAcknowledgement.CONCLUDED, [_property('inherited-from', b.source)],
        )
        for b in model.bases
        # a folder of the repository passes on what its card inherits
        if b.base_model == base_model or b.base_model.startswith(f'{base_model} (built on ')
    ]
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL, name=base_model,
        bom_ref=f'{model_ref}:base:{base_model}', purl=purl, licenses=licences,
    )


def _spdx_key(licence_id: str, hub_ids: tuple[str, ...]) -> str:
    """The key a licence is written under: an SPDX id where its id or one of
    its Hub ids is one (apache-2.0), else its own id (a LicenseRef-)."""
    return next((i for i in (licence_id, *hub_ids) if spdx_id(i) is not None), licence_id)


def _files(verdict: Verdict, tree: Tree) -> list[Component]:
    """The weight (or model) file, or each file of a bundle folder."""
    paths = [verdict.path] if tree.entry(verdict.path) else tree.under(verdict.path)
    components = []
    for path in paths:
        digest = file_digest(tree, path)
        properties = [
            _property('size', str(digest.size)),
            _property('format', verdict.format),
            _property('weights', 'true' if verdict.weights else 'false'),
        ]
        if digest.lfs:
            properties.append(_property('lfs', 'true'))
        components.append(Component(
            type=ComponentType.FILE, name=path, bom_ref=f'file:{path}',
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=digest.sha256)],
            properties=properties,
        ))
    return components


def _property(name: str, value: str) -> Property:
    return Property(name=f'{PREFIX}{name}', value=value)


def _model_properties(model: Model) -> list[Property]:
    properties = [
        _property('folder', model.folder),
        _property('compliant', 'true' if model.ok else 'false'),
    ]
    profile = model.attribution.get('profile')
    if profile:
        properties.append(_property('profile', profile))
    if model.changelog['ok']:
        properties.append(_property('changelog', model.changelog['path']))
    if model.card_path:
        properties.append(_property('card', model.card_path))
    properties += [_property('finding', finding_text(f)) for f in model.findings if f.failed]
    return properties


def finding_text(finding: Finding) -> str:
    """A failed finding as one property value: rule, path, message, fix."""
    clause = f' ({finding.clause})' if finding.clause else ''
    return f'{finding.rule}: {finding.path}: {finding.message}{clause}. Fix: {finding.fix}'


def spdx_id(name: str) -> str | None:
    """The SPDX id a licence id or key is (any case: apache-2.0 is
    Apache-2.0), when license-expression reads it as one licence and the
    CycloneDX 1.6 schema lists it; else None.  An id the list deprecates
    stays as it is (GPL-3.0 is a text, not a choice of -only)."""
    from license_expression import ExpressionError
    from license_expression import get_spdx_licensing
    licensing = get_spdx_licensing()
    try:
        parsed = licensing.parse(name, validate=True, strict=True)
    except ExpressionError:
        return None
    keys = licensing.license_keys(parsed) if parsed is not None else []
    if len(keys) != 1 or parsed.render() != keys[0]:
        return None  # an expression (A OR B), or a licence WITH an exception
    return fixup_id(name.strip()) or fixup_id(keys[0])


def licences(model: Model) -> list[DisjunctiveLicense]:
    """The licence the copy was recognised as (concluded), and the one the
    card's front matter names (declared)."""
    found = []
    lic = model.licence
    if lic['ok']:
        copy = [_property('licence-copy', lic['path'])]
        profile = model.copy_profile
        key = profile.id if profile is not None else model.copy_spdx
        name = profile.name if profile is not None else lic.get('licence') or 'unknown'
        found.append(_licence(key, name, LicenseAcknowledgement.CONCLUDED, copy))
    declared = _declared(model.card)
    if declared is not None and model.card_path:
        key, name = declared
        card = [_property('card', model.card_path)]
        found.append(_licence(key, name, LicenseAcknowledgement.DECLARED, card))
    return found


def _declared(card: Card | None) -> tuple[str | None, str] | None:
    """(an id, a name) of the licence the card's front matter names: its
    Hub id, or with `license: other` its license_name."""
    if card is None:
        return None
    hub_id = (card.text('license') or '').strip()
    name = (card.text('license_name') or '').strip()
    if hub_id in ('', 'other') and name:
        return name, name
    return (hub_id, hub_id) if hub_id else None


def _licence(
        key: str | None, name: str, acknowledgement: LicenseAcknowledgement,
        properties: list[Property],
) -> DisjunctiveLicense:
    """An SPDX licence by id, else one by name with a LicenseRef- for it."""
    spdx = spdx_id(key) if key else None
    if spdx is not None:
        return DisjunctiveLicense(id=spdx, acknowledgement=acknowledgement, properties=properties)
    if key:
        ref = NOT_IDSTRING.sub('-', key).strip('-') or 'unknown'
        properties = [_property('license-ref', f'LicenseRef-{ref}'), *properties]
    return DisjunctiveLicense(name=name, acknowledgement=acknowledgement, properties=properties)
