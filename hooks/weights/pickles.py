"""Pickle streams, read opcode by opcode with pickletools: nothing is ever
constructed, imported or called."""
from __future__ import annotations

import io
import re

from . import signatures
from .evidence import Evidence

_PICKLE_TEXT_START = re.compile(rb'^(\(d|\(l|\(i|\}q|\]q|c[A-Za-z_][\w.]*\n)')
MAX_GLOBALS = 200


def looks_like_pickle(data: bytes) -> bool:
    return (
        (data[:1] == b'\x80' and data[1:2] in b'\x02\x03\x04\x05' and
         len(data) > 2) or
        bool(_PICKLE_TEXT_START.match(data))
    )


def pickle_globals(data: bytes) -> tuple[list[str], bool]:
    """GLOBAL names a pickle stream refers to, and whether it parsed."""
    import pickletools  # only for a pickle: start-up time
    found: list[str] = []
    strings: list[str] = []
    parsed = False
    try:
        for opcode, arg, _ in pickletools.genops(io.BytesIO(data)):
            if opcode.name in ('GLOBAL', 'INST') and isinstance(arg, str):
                found.append(arg)
            elif opcode.name == 'STACK_GLOBAL' and len(strings) >= 2:
                found.append(f'{strings[-2]} {strings[-1]}')
            elif isinstance(arg, str):
                strings.append(arg)
                del strings[:-2]
            if opcode.name == 'STOP':
                parsed = True
                break
            if len(found) > MAX_GLOBALS:
                break
        else:
            parsed = True
    # genops raises ValueError on a bad or truncated opcode stream, and a
    # few other kinds on a truncated argument: the stream ends there.
    except (ValueError, EOFError, IndexError, KeyError, UnicodeDecodeError,
            OverflowError):
        parsed = bool(found)
    return found, parsed


def _model_global(name: str) -> bool:
    module = name.split(' ')[0]
    return name in signatures.PICKLE_MODEL_GLOBALS or any(
        module == m or module.startswith(m + '.') or module.startswith(m + '._')
        for m in signatures.PICKLE_MODEL_MODULES
    )


def pickle_evidence(data: bytes, what: str = 'pickle') -> Evidence | None:
    if not looks_like_pickle(data):
        return None
    names, parsed = pickle_globals(data)
    if not names and not parsed:
        return None
    model = [n for n in names if _model_global(n)]
    if model:
        shown = ', '.join(dict.fromkeys(model[:3]))
        fmt = 'joblib' if any('joblib' in n for n in model) else 'pickle'
        return Evidence(fmt, f'{what} referring to {shown}', True)
    return Evidence('pickle', f'{what} of plain data (no model classes)', False)
