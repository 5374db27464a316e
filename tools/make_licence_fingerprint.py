"""Write the licence fingerprints in hooks/license/profiles/ from reference copies.

    python tools/make_licence_fingerprint.py [--refs ../shared/licenses] [--out DIR]

The references (tools/licence_specs.py: the Llama 2, 3, 3.1, 3.2, 3.3 and 4
agreements, CreativeML Open RAIL-M, the Tongyi Qianwen agreement, the
DUIX.COM and Duix.Avatar licences, and identify's Apache-2.0 text) are read
from --refs; one `<id>.fingerprint.json` is written per profile.  The
output holds only hashes and digests: no licence text.  Clause boundaries
are found by the texts' numbering (tools/licence_outline.py), never by
their words.

What a fingerprint holds (hooks/license/fingerprint.py reads it):
- `hashes`: a 1-in-`modulus` sample of the shingles of the required text
  (the agreement less what a copy may leave out: an appended policy, an
  application form, an appendix);
- `sections`: for each clause a profile names (`duty_sections`) and every
  top-level clause and the preamble, the shingles found nowhere else in
  the file, sampled to 24-95 hashes each (`section_moduli`);
- `distinct` (versions of one licence): per sibling version, the shingles
  this version has and the sibling lacks, at most 256 of them;
- only shingles that the text as written and with its Markdown markup
  stripped both hold, so that a plain and a Markdown copy cover the same.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import licence_outline as outlines
from licence_outline import Outline
from licence_specs import Selector
from licence_specs import Spec
from licence_specs import SPECS
from model_license_hooks.text import canonical
from model_license_hooks.text import normalise
from model_license_hooks.license.fingerprint import shingles

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / 'hooks' / 'license' / 'profiles'
REFERENCES = ROOT.parent / 'shared' / 'licenses'
K = 12
DUTY_MODULUS = 4  # the clauses a profile names: dense samples
STRUCTURE_TARGET = 48  # other clauses: about this many hashes each (48-95)
MIN_SECTION_HASHES = 8
MIN_DUTY_HASHES = 24  # a duty clause is sampled more densely until it has this many
DISTINCT_MAX = 256  # at most this many hashes in one distinct set
PAGE_NUMBER = re.compile(r'^\s*\d+\s*$')


def reference(refs: Path, path: str) -> str:
    if path.startswith('identify:'):
        from identify.vendor import licenses
        return dict(licenses.LICENSES)[path.partition(':')[2]]
    return (refs / path).read_text(encoding='utf-8')


def reference_bytes(refs: Path, path: str) -> bytes:
    if path.startswith('identify:'):
        return reference(refs, path).encode('utf-8')
    return (refs / path).read_bytes()


def select(o: Outline, selector: Selector) -> tuple[int, int]:
    """Lines [start, end) a selector names."""
    if 'tail' in selector:
        return o.parts[int(selector['tail'])].tail
    start, end = o.span(str(selector['clause']), int(selector.get('part', 0)))
    if 'lines' not in selector and 'paragraphs' not in selector:
        return start, end
    if 'lines' in selector:
        blocks, (a, b) = outlines.nonblank(o.lines, start, end), selector['lines']
    else:
        blocks, (a, b) = outlines.paragraphs(o.lines, start, end), selector['paragraphs']
    chosen = blocks[slice(a, b)]
    if not chosen:
        raise SystemExit(f'selector {dict(selector)} selects nothing')
    return chosen[0][0], chosen[-1][1]


def complement(total: int, cut: list[tuple[int, int]]) -> list[tuple[int, int]]:
    keep, pos = [], 0
    for a, b in sorted(cut):
        if a > pos:
            keep.append((pos, a))
        pos = max(pos, b)
    return keep + [(pos, total)] if pos < total else keep


def every_shingle(raw: str) -> set[int]:
    """Both forms: as written and with the markup stripped."""
    return set(shingles(normalise(raw), K)) | set(shingles(canonical(raw), K))


def stable_shingles(raw: str) -> set[int]:
    """Shingles a plain and a Markdown-stripped reading of `raw` both hold."""
    return set(shingles(normalise(raw), K)) & set(shingles(canonical(raw), K))


def sampled(hashes: set[int], modulus: int) -> set[int]:
    return {h for h in hashes if h % modulus == 0}


@dataclass
class Built:
    spec: Spec
    stable: set[int]  # stable shingles of the required text
    everything: set[int]  # every shingle of the whole file, both forms
    fingerprint: dict[str, Any]


def required_ranges(spec: Spec, o: Outline) -> list[tuple[int, int]]:
    cut = [select(o, s) for s in spec.exclude]
    for p in spec.optional_parts:
        # an optional part starts with the tail of the part before it (its heading)
        cut.append((o.parts[p - 1].tail[0], o.parts[p].tail[1]))
    return complement(len(o.lines), cut)


def wanted_sections(spec: Spec, o: Outline) -> dict[str, tuple[tuple[int, int], str, bool]]:
    """id -> (lines, label, is a duty): the duties, the preamble and every
    top-level clause of the required parts."""
    wanted = {}
    for sid, duty in spec.duties.items():
        plain = 'clause' in duty.selector and set(duty.selector) == {'clause'}
        label = duty.label or (o.label(duty.selector['clause']) if plain else sid)
        wanted[sid] = (select(o, duty.selector), label, True)
    if o.head[1] > o.head[0]:
        wanted.setdefault('preamble', (o.head, 'the text before clause 1', False))
    for item in o.items:
        if len(item.path) == 1 and item.part not in spec.optional_parts:
            sid = item.path[0] if item.part == 0 else f'{item.part}:{item.path[0]}'
            wanted.setdefault(sid, (o.spans[(item.part, item.path)], item.labels[0], False))
    return wanted


def section_hashes(own: set[int], is_duty: bool) -> tuple[set[int], int]:
    """A sample of a clause's own shingles, and its modulus."""
    modulus = DUTY_MODULUS if is_duty else 1
    if not is_duty:
        while modulus * 2 * STRUCTURE_TARGET <= len(own):
            modulus *= 2
    chosen = sampled(own, modulus)
    floor = MIN_DUTY_HASHES if is_duty else MIN_SECTION_HASHES
    while len(chosen) < floor and modulus > 1:
        modulus //= 2
        chosen = sampled(own, modulus)
    return chosen, modulus


def build(spec: Spec, refs: Path) -> Built:
    lines = reference(refs, spec.path).splitlines()
    if spec.drop_page_numbers:
        lines = [line for line in lines if not PAGE_NUMBER.match(line)]
    o = outlines.parse(lines)
    required = required_ranges(spec, o)
    stable = set().union(*(stable_shingles('\n'.join(lines[a:b])) for a, b in required))
    sections, labels, moduli = {}, {}, {}
    for sid, ((a, b), label, is_duty) in wanted_sections(spec, o).items():
        elsewhere = every_shingle('\n'.join(lines[:a])) | every_shingle('\n'.join(lines[b:]))
        kept = [(max(a, x), min(b, y)) for x, y in required if max(a, x) < min(b, y)]
        own = set().union(*(stable_shingles('\n'.join(lines[x:y])) for x, y in kept)) - elsewhere
        chosen, modulus = section_hashes(own, is_duty)
        if len(chosen) < MIN_SECTION_HASHES:
            if not is_duty:  # a title line alone: the overall share covers it
                continue
            raise SystemExit(f'{spec.id}: clause {sid} has too few hashes ({len(chosen)})')
        sections[sid], labels[sid], moduli[sid] = sorted(chosen), label, modulus
    fingerprint = {
        'language': spec.language, 'k': K, 'modulus': spec.modulus,
        'hashes': sorted(sampled(stable, spec.modulus)),
        'sections': sections, 'labels': labels, 'section_moduli': moduli,
        'duty_sections': [s for s in spec.duties if s in sections],
    }
    return Built(spec, stable, every_shingle('\n'.join(lines)), fingerprint)


def add_distinct(built: list[Built]) -> None:
    """Per version: the shingles of this version that no sibling has."""
    for b in built:
        siblings = [s for s in built if s is not b and b.spec.family is not None and (
            s.spec.family == b.spec.family)]
        distinct = {}
        for s in siblings:
            own = b.stable - s.everything
            modulus = 1
            while len(sampled(own, modulus)) > DISTINCT_MAX:
                modulus *= 2
            hashes = sampled(own, modulus)
            if len(hashes) < MIN_SECTION_HASHES:
                raise SystemExit(f'{b.spec.id} vs {s.spec.id}: too few distinct hashes')
            distinct[s.spec.id] = {
                'name': s.spec.name, 'modulus': modulus, 'of': len(own),
                'hashes': sorted(hashes),
            }
        if distinct:
            b.fingerprint['distinct'] = distinct


def file_json(group: list[Built], refs: Path) -> dict[str, Any]:
    first = group[0].spec
    return {
        'name': first.name,
        'about': (
            f'{first.name}, from {first.source}. Hashed {K}-character shingles of '
            'its text as model_license_hooks.text.canonical reads it, not the '
            'text. Built by tools/make_licence_fingerprint.py.'
        ),
        'id': first.id,
        'family': first.family,
        'duties': {sid: d.what for sid, d in first.duties.items()},
        'sha256': {
            hashlib.sha256(reference_bytes(refs, f)).hexdigest():
                f'{first.name} ({f.rpartition("/")[2]})'
            for b in group for f in (b.spec.digest_files or (b.spec.path,))
            if not f.startswith('identify:')
        },
        'fingerprints': [b.fingerprint for b in group],
    }


def dumps(data: dict[str, Any]) -> str:
    """JSON with one hash list a line: small, and a diff shows what changed."""
    def compact(value: Any, indent: str) -> str:
        if isinstance(value, dict) and value:
            inner = indent + ' '
            items = (f'{inner}{json.dumps(k)}: {compact(v, inner)}' for k, v in value.items())
            return '{\n' + ',\n'.join(items) + f'\n{indent}}}'
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            inner = indent + ' '
            return '[\n' + ',\n'.join(inner + compact(v, inner) for v in value) + f'\n{indent}]'
        return json.dumps(value, ensure_ascii=False)
    return compact(data, '') + '\n'


def build_all(refs: Path, specs: Iterable[Spec] = SPECS) -> dict[str, dict[str, Any]]:
    built = [build(spec, refs) for spec in specs]
    add_distinct(built)
    groups: dict[str, list[Built]] = {}
    for b in built:
        groups.setdefault(b.spec.id.partition('/')[0], []).append(b)
    return {pid: file_json(group, refs) for pid, group in groups.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or '').splitlines()[0])
    parser.add_argument('--refs', type=Path, default=REFERENCES,
                        help='the reference licence folder (default: ../shared/licenses)')
    parser.add_argument('--out', type=Path, default=PROFILES)
    args = parser.parse_args(argv)
    for pid, data in build_all(args.refs).items():
        path = args.out / f'{pid}.fingerprint.json'
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(data), encoding='utf-8')
        print(f'wrote {path}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
