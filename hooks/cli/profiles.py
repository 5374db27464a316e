"""model-license-hooks profiles: the licence profiles and their duties."""
from __future__ import annotations

import json
from collections.abc import Sequence

from ..license import profiles
from ..license.profiles import Profile


def recognition(profile: Profile) -> str:
    """How a genuine copy of the profile's licence is recognised."""
    fingerprints = profile.fingerprints
    if fingerprints:
        languages = ', '.join(fp.language for fp in fingerprints)
        clauses = sorted({fp.labels.get(s, s) for fp in fingerprints for s in fp.sections})
        versions = sorted({n for fp in fingerprints for n, _ in fp.distinct.values()})
        text = (
            f'by its text ({languages}): a fingerprint, {len(clauses)} clauses each '
            f'checked'
        )
        if versions:
            text += f'; told apart from {", ".join(versions)}'
        return text + (', or an official file by its digest' if profile.sha256 else '')
    if profile.phrases:
        return 'by phrases that identify it (no reference text to fingerprint)'
    return 'by the digest of an official file' if profile.sha256 else 'not at all'


def _as_json(profile: Profile) -> dict[str, object]:
    found = profile._asdict()
    del found['own_sha256'], found['fingerprint_file']
    return {
        **found, 'sha256': sorted(profile.sha256),
        'fingerprints': len(profile.fingerprints),
        'recognised': recognition(profile),
        'notice': profile.notice._asdict() if profile.notice else None,
    }


def list_profiles(profile_files: Sequence[str], as_json: bool) -> int:
    known = profiles.available(profile_files)
    if as_json:
        print(json.dumps(
            {pid: _as_json(p) for pid, p in known.items()}, indent=2, ensure_ascii=False,
        ))
        return 0
    for profile in known.values():
        print(f'{profile.id}: {profile.name}')
        hf = ', '.join(profile.hf_license) or '-'
        names = ', '.join(profile.hf_license_name)
        print(f'  model card: license: {hf}' + (f'; license_name: {names}' if names else ''))
        print(f'  a copy is recognised {recognition(profile)}')
        for duty in profile.enforces:
            print(f'  enforces: {duty}')
        for duty in profile.cannot_check:
            print(f'  cannot check: {duty}')
    return 0
