"""The reference licence copies in ../shared/licenses, read at test time
(tests that need them are skipped where they are absent); the project
carries no licence text."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[2]


PROFILES = REPO / 'hooks' / 'license' / 'profiles'


AVATAR_FP = PROFILES / 'duix-avatar.fingerprint.json'


DUIX_COM_FP = PROFILES / 'duix-com.fingerprint.json'


EN_TXT = 'Duix.Avatar model community Licensing Agreement.pdftotext.txt'


ZH_TXT = 'Duix.Avatar model community Licensing Agreement_zh.pdftotext.txt'


EN_PDF = 'Duix.Avatar model community Licensing Agreement.pdf'


ZH_PDF = 'Duix.Avatar model community Licensing Agreement_zh.pdf'


def shared_duix() -> Path:
    env = os.environ.get('MLH_SHARED_DIR')
    base = Path(env) if env else REPO.parent / 'shared'
    for folder in (base / 'licenses' / 'duix', base):
        if (folder / EN_TXT).is_file():
            return folder
    pytest.skip('the reference licence copies (shared/licenses/duix) are not here')


@lru_cache(maxsize=None)
def read(name: str) -> bytes:
    return (shared_duix() / name).read_bytes()


def text(name: str) -> str:
    return read(name).decode('utf-8')
