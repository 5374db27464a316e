"""model-license-hooks profiles: the licence profiles and their duties."""
from __future__ import annotations

import json
from collections.abc import Sequence

from ..license import profiles


def list_profiles(profile_files: Sequence[str], as_json: bool) -> int:
    known = profiles.available(profile_files)
    if as_json:
        print(json.dumps(
            {
                pid: {
                    **p._asdict(), 'sha256': sorted(p.sha256),
                    'fingerprints': len(p.fingerprints),
                    'notice': p.notice._asdict() if p.notice else None,
                }
                for pid, p in known.items()
            },
            indent=2, ensure_ascii=False,
        ))
        return 0
    for profile in known.values():
        print(f'{profile.id}: {profile.name}')
        hf = ', '.join(profile.hf_license) or '-'
        names = ', '.join(profile.hf_license_name)
        print(f'  model card: license: {hf}' + (f'; license_name: {names}' if names else ''))
        for duty in profile.enforces:
            print(f'  enforces: {duty}')
        for duty in profile.cannot_check:
            print(f'  cannot check: {duty}')
    return 0
