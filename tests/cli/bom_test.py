"""check --format cyclonedx: a CycloneDX 1.6 ML-BOM of the check Report,
validated against the schema cyclonedx-python-lib ships."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from model_license_hooks.cli import main
from tests import samples
from tests.license.references import reference
from tests.util import add
from tests.util import git
from tests.util import write

PROFILES = Path(__file__).resolve().parents[2] / 'hooks' / 'license' / 'profiles'
CARD = '''---
license: apache-2.0
base_model:
- Qwen/Qwen2.5-7B
- gpt2
pipeline_tag: text-generation
datasets:
- squad
language: [en, fr]
model-index:
- name: a
  results:
  - task: {type: question-answering}
    dataset: {name: SQuAD v1.1, type: squad}
    metrics:
    - {type: f1, value: 88.5}
---
# Model a

## Uses

Answering questions about short English passages.

## Bias, Risks, and Limitations

[More Information Needed]
'''


def _validator():
    validation = pytest.importorskip('cyclonedx.validation.json')
    schema = pytest.importorskip('cyclonedx.schema')
    return validation.JsonStrictValidator(schema.SchemaVersion.V1_6)


@pytest.fixture
def repo(temp_git_dir):
    """A repository of two models: one under Apache-2.0 (root LICENSE) with
    a safetensors file, an LFS pointer and a card; one with a Duix copy."""
    samples.write_safetensors(temp_git_dir / 'models/a/model.safetensors')
    samples.write_lfs_pointer(temp_git_dir / 'models/a/pytorch_model.bin')
    write(temp_git_dir / 'models/a/README.md', CARD)
    write(temp_git_dir / 'LICENSE', reference('apache-2.0'))
    samples.write_safetensors(temp_git_dir / 'models/duix/model.safetensors')
    write(temp_git_dir / 'models/duix/LICENSE.txt', reference('duix-avatar'))
    write(temp_git_dir / 'models/duix/CHANGELOG.md', '- Retrained on 2k clips\n')
    add('.')
    return temp_git_dir


def _bom(capsys, *args: str, code: int = 1) -> tuple[str, dict]:
    assert main(['check', '--format', 'cyclonedx', *args]) == code
    out = capsys.readouterr().out
    return out, json.loads(out)


def _models(bom: dict) -> dict[str, dict]:
    return {c['name']: c for c in bom['components']}


def _properties(component: dict, name: str) -> list[str]:
    return [p['value'] for p in component.get('properties', ()) if p['name'] == name]


def test_b1_valid_cyclonedx_1_6(repo, capsys):
    validator = _validator()
    out, bom = _bom(capsys)
    assert validator.validate_str(out) is None
    assert (bom['bomFormat'], bom['specVersion']) == ('CycloneDX', '1.6')
    assert re.fullmatch(r'urn:uuid:[0-9a-f-]{36}', bom['serialNumber'])
    assert {c['type'] for c in bom['components']} == {'machine-learning-model'}
    tools = [t['name'] for t in bom['metadata']['tools']['components']]
    assert 'model-license-hooks' in tools
    # The validator is no rubber stamp: a Hub id such as llama3.2 is no
    # SPDX id, which is why model licences go by name, with a LicenseRef.
    bom['components'][0]['licenses'] = [{'license': {'id': 'llama3.2'}}]
    assert validator.validate_str(json.dumps(bom)) is not None


def test_b2_weight_files_with_their_sha256(repo, capsys):
    _, bom = _bom(capsys)
    files = {f['name']: f for f in _models(bom)['models/a']['components']}
    assert set(files) == {'models/a/model.safetensors', 'models/a/pytorch_model.bin'}
    tensors = files['models/a/model.safetensors']
    data = (repo / 'models/a/model.safetensors').read_bytes()
    assert tensors['type'] == 'file'
    assert tensors['hashes'] == [{'alg': 'SHA-256', 'content': hashlib.sha256(data).hexdigest()}]
    assert _properties(tensors, 'model-license-hooks:size') == [str(len(data))]
    assert _properties(tensors, 'model-license-hooks:format') == ['safetensors']
    # an LFS pointer: the digest and size of the object it names
    pointer = (repo / 'models/a/pytorch_model.bin').read_text()
    oid = re.search(r'oid sha256:(\w+)', pointer)[1]
    size = re.search(r'size (\d+)', pointer)[1]
    lfs = files['models/a/pytorch_model.bin']
    assert lfs['hashes'] == [{'alg': 'SHA-256', 'content': oid}]
    assert _properties(lfs, 'model-license-hooks:size') == [size]
    assert _properties(lfs, 'model-license-hooks:lfs') == ['true']


def test_b3_licences_spdx_or_licence_ref(repo, capsys):
    _, bom = _bom(capsys)
    models = _models(bom)
    by = {e['license']['acknowledgement']: e['license'] for e in models['models/a']['licenses']}
    concluded, declared = by.pop('concluded'), by.pop('declared')
    assert not by
    assert concluded['id'] == 'Apache-2.0' and concluded['acknowledgement'] == 'concluded'
    assert _properties(concluded, 'model-license-hooks:licence-copy') == ['LICENSE']
    assert declared['id'] == 'Apache-2.0' and declared['acknowledgement'] == 'declared'
    assert _properties(declared, 'model-license-hooks:card') == ['models/a/README.md']
    ((duix,),) = [[e['license'] for e in models['models/duix']['licenses']]]
    profile = json.loads((PROFILES / 'duix-avatar.json').read_text())
    assert 'id' not in duix
    assert duix['name'] == profile['name']
    assert _properties(duix, 'model-license-hooks:license-ref') == ['LicenseRef-duix-avatar']
    assert _properties(duix, 'model-license-hooks:licence-copy') == ['models/duix/LICENSE.txt']


def test_b4_base_models_as_pedigree_ancestors(repo, capsys):
    _, bom = _bom(capsys)
    models = _models(bom)
    ancestors = {a['name']: a for a in models['models/a']['pedigree']['ancestors']}
    assert set(ancestors) == {'Qwen/Qwen2.5-7B', 'gpt2'}
    assert ancestors['Qwen/Qwen2.5-7B']['purl'] == 'pkg:huggingface/Qwen/Qwen2.5-7B'
    assert 'purl' not in ancestors['gpt2']  # a Hub purl needs an owner
    assert {a['type'] for a in ancestors.values()} == {'machine-learning-model'}
    assert 'pedigree' not in models['models/duix']  # no card, no base model
    # a string, not a list
    listed = 'base_model:\n- Qwen/Qwen2.5-7B\n- gpt2'
    write(repo / 'models/a/README.md', CARD.replace(listed, 'base_model: google/gemma-2b'))
    add('.')
    _, bom = _bom(capsys)
    (only,) = _models(bom)['models/a']['pedigree']['ancestors']
    assert only['name'] == 'google/gemma-2b'


def test_b4_ancestors_carry_the_licence_they_pass_on(repo, capsys):
    validator = _validator()
    listed = 'base_model:\n- Qwen/Qwen2.5-7B\n- gpt2'
    write(repo / 'models/a/README.md', CARD.replace(
        listed, listed + '\n- meta-llama/Llama-3.1-8B\n- ../duix'))
    write(repo / 'models/duix/README.md', '---\nbase_model: duixcom/Duix.Avatar\n---\n# d\n')
    add('.')
    out, bom = _bom(capsys)
    assert validator.validate_str(out) is None
    ancestors = {a['name']: a for a in _models(bom)['models/a']['pedigree']['ancestors']}
    (llama,) = ancestors['meta-llama/Llama-3.1-8B']['licenses']
    assert llama['license']['name'] == 'Llama 3.1 Community License Agreement'
    assert llama['license']['acknowledgement'] == 'concluded'
    assert _properties(llama['license'], 'model-license-hooks:license-ref') == [
        'LicenseRef-llama-3.1']
    (inherited_from,) = _properties(llama['license'], 'model-license-hooks:inherited-from')
    assert 'llama' in inherited_from.lower()
    (qwen,) = ancestors['Qwen/Qwen2.5-7B']['licenses']
    assert qwen['license']['id'] == 'Apache-2.0'
    assert 'licenses' not in ancestors['gpt2']  # the table does not know it
    # a folder of the repository: the licence its own card inherits
    (folder,) = ancestors['../duix']['licenses']
    assert folder['license']['name'].startswith('Duix.Avatar')


def test_b5_model_card_says_only_what_the_card_states(repo, capsys):
    _, bom = _bom(capsys)
    models = _models(bom)
    card = models['models/a']['modelCard']
    assert card['modelParameters'] == {
        'task': 'text-generation', 'datasets': [{'type': 'dataset', 'name': 'squad'}],
    }
    assert card['quantitativeAnalysis'] == {
        'performanceMetrics': [{'type': 'f1', 'value': '88.5', 'slice': 'SQuAD v1.1'}],
    }
    # the template's placeholder is not a limitation the card states
    assert card['considerations'] == {
        'useCases': ['Answering questions about short English passages.'],
    }
    assert _properties(card, 'model-license-hooks:card:language') == ['en', 'fr']
    assert 'modelCard' not in models['models/duix']


def test_b6_failed_findings_are_properties(repo, capsys):
    assert main(['check', '--format', 'json']) == 1
    report = json.loads(capsys.readouterr().out)
    _, bom = _bom(capsys)
    for model in report['models']:
        component = _models(bom)[model['folder']]
        said = _properties(component, 'model-license-hooks:finding')
        assert len(said) == len(model['findings'])
        for finding in model['findings']:
            start = f'{finding["rule"]}: {finding["path"]}: {finding["message"]}'
            (text,) = [t for t in said if t.startswith(start)]
            assert text.endswith(f'Fix: {finding["fix"]}')
        compliant = _properties(component, 'model-license-hooks:compliant')
        assert compliant == ['true' if model['ok'] else 'false']
    assert any(_properties(_models(bom)['models/a'], 'model-license-hooks:finding'))


def test_b7_only_serial_number_and_time_differ_between_runs(repo, capsys):
    _, first = _bom(capsys)
    _, second = _bom(capsys)
    assert first['serialNumber'] != second['serialNumber']
    for bom in (first, second):
        del bom['serialNumber'], bom['metadata']['timestamp']
    assert first == second


def test_b8_large_blob_streamed_from_git_and_from_disk(repo, capsys, tmp_path):
    """A file past the blob reader's budget, hashed whole: from git's object
    (the checkout no longer has it), and from a plain folder on disk."""
    import numpy as np
    from safetensors.numpy import save_file
    path = repo / 'models/big/model.safetensors'
    path.parent.mkdir(parents=True)
    rows = np.arange(17 * 2 ** 18, dtype=np.float32).reshape(-1, 256)  # 17 MiB
    save_file({'w': rows}, str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    add('.')
    path.unlink()
    _, bom = _bom(capsys)
    (big,) = _models(bom)['models/big']['components']
    assert big['hashes'][0]['content'] == digest
    folder = tmp_path / 'snapshot'
    save_file({'w': rows}, str(write(folder / 'model.safetensors', b'')))
    _, bom = _bom(capsys, str(folder))
    assert bom['components'][0]['components'][0]['hashes'][0]['content'] == digest
    assert git('status', '--porcelain', cwd=repo)  # the checkout was left alone


def test_b9_without_the_library_one_line_and_exit_2(repo, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, 'cyclonedx', None)  # as if not installed
    assert main(['check', '--format', 'cyclonedx']) == 2
    captured = capsys.readouterr()
    assert captured.out == ''
    assert captured.err == (
        "error: --format cyclonedx needs cyclonedx-python-lib: "
        "pip install 'model-license-hooks[bom]'\n"
    )


def test_b10_odd_front_matter_still_a_valid_bom(repo, capsys):
    """Values of the wrong kind are left out, never guessed at, never a crash."""
    validator = _validator()
    write(repo / 'models/a/README.md', '''---
license: other
license_name: my-model-licence
base_model: [12, {id: x}, '', 'a/b/c', 'owner/name']
pipeline_tag: [text-generation]
datasets: {squad: 1}
model-index: not a list
language: en
---
## Limitations

Not for medical advice.
''')
    add('.')
    out, bom = _bom(capsys)
    assert validator.validate_str(out) is None
    model = _models(bom)['models/a']
    ancestors = {a['name']: a.get('purl') for a in model['pedigree']['ancestors']}
    assert ancestors == {'a/b/c': None, 'owner/name': 'pkg:huggingface/owner/name'}
    assert model['modelCard']['considerations'] == {
        'technicalLimitations': ['Not for medical advice.'],
    }
    assert 'modelParameters' not in model['modelCard']
    declared = [e['license'] for e in model['licenses']
                if e['license']['acknowledgement'] == 'declared']
    assert declared[0]['name'] == 'my-model-licence'
    assert _properties(declared[0], 'model-license-hooks:license-ref') == [
        'LicenseRef-my-model-licence',
    ]


def test_b11_other_formats_never_import_the_library(repo):
    code = (
        'import sys; from model_license_hooks.cli import main; '
        'main(["check", "--format", "json"]); '
        'sys.exit(any(m.split(".")[0] in ("cyclonedx", "packageurl") for m in sys.modules))'
    )
    done = subprocess.run((sys.executable, '-c', code), cwd=repo, capture_output=True)
    assert done.returncode == 0, done.stderr


def test_b12_a_bundle_lists_each_of_its_files(temp_git_dir, capsys):
    """A .mlpackage is one model unit: each of its files, with its digest."""
    package = temp_git_dir / 'Foo.mlpackage'
    spec = samples.write_coreml(package / 'Data/com.apple.CoreML/model.mlmodel')
    weights = write(package / 'Data/com.apple.CoreML/weights/weight.bin', b'\x01\x02\x03' * 100)
    add('.')
    out, bom = _bom(capsys)
    assert _validator().validate_str(out) is None
    (model,) = bom['components']
    digests = {f['name']: f['hashes'][0]['content'] for f in model['components']}
    assert digests == {
        str(p.relative_to(temp_git_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (spec, weights)
    }
