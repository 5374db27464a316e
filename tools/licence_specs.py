"""The reference licences the shipped fingerprints are built from, and
where each one's clauses are, as data (tools/make_licence_fingerprint.py).

A reference is a file under the shared licence folder (`../shared/licenses`
beside this checkout), or `identify:<SPDX id>` for a text identify vendors.
Clauses are named by number ("1.b.iii"), by position inside a numbered
clause (its 2nd paragraph, its 3rd line) or as the text after the last
clause (an attachment), never by their words: see licence_outline.py.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

Selector = Mapping[str, Any]


@dataclass(frozen=True)
class Duty:
    selector: Selector  # {"clause": "1.b.i"} | {"clause": "4", "lines": [1, 2]} | {"tail": 0}
    what: str  # our words, for the fingerprint's "duties" map
    label: str | None = None  # how messages name it, if not the text's numbering


@dataclass(frozen=True)
class Spec:
    id: str  # the profile id ('duix-avatar/zh': a second language of one)
    name: str  # for messages
    path: str  # under the reference folder, or identify:<id>
    source: str  # where the reference comes from
    language: str = 'English'
    modulus: int = 32  # the whole text: one shingle in this many
    family: str | None = None  # versions of one licence: told apart by "distinct"
    duties: Mapping[str, Duty] = field(default_factory=dict)
    optional_parts: tuple[int, ...] = ()  # numbered parts a copy may leave out
    exclude: tuple[Selector, ...] = ()  # left out of the fingerprint altogether
    drop_page_numbers: bool = False  # pdftotext page numbers: lines of digits only
    digest_files: tuple[str, ...] = ()  # official files known by digest (default: path)


def _llama(display: bool, no_improving: bool) -> dict[str, Duty]:
    duties = {
        '1.b.i': Duty({'clause': '1.b.i'}, 'provide a copy of the agreement' + (
            '; display the "Built with" string; begin derived model names with the prefix'
            if display else ''
        )),
        '1.b.iii': Duty({'clause': '1.b.iii'}, 'keep the attribution sentence in a "Notice" file'),
        '1.b.iv': Duty({'clause': '1.b.iv'}, 'the acceptable use policy (by reference)'),
    }
    if display:
        duties['5.a'] = Duty({'clause': '5.a'}, 'the trademark licence is for the name prefix only')
    if no_improving:
        duties['1.b.v'] = Duty({'clause': '1.b.v'}, 'do not improve other large language models')
    return duties


LLAMA = 'meta-llama/llama-models @ a9c89c4, models/{}/LICENSE'
DUIX = 'duixcom/Duix-Avatar @ 1328feb, '
DUIX_EN = 'duix/Duix.Avatar model community Licensing Agreement'
DUIX_ZH = DUIX_EN + '_zh'
DUIX_DUTIES = {
    '2.4': 'pass on a copy of the agreement and the source of the model',
    '2.5': 'state modifications prominently',
    '6.1': 'mark open-sourced derivatives',
    '6.2': 'mark derivatives entered in rankings',
}


def _llama_spec(pid: str, name: str, folder: str, display: bool, improving: bool,
                **more: Any) -> Spec:
    return Spec(pid, name, f'llama/{folder}.LICENSE', LLAMA.format(folder), family='llama',
                duties=_llama(display, improving), **more)


SPECS: tuple[Spec, ...] = (
    _llama_spec('llama-2', 'Llama 2 Community License Agreement', 'llama2', False, True),
    # Llama 3 appends its acceptable use policy after clause 7 (a numbering
    # restart); copies on the Hub carry the agreement alone, which
    # incorporates the policy by its URL: the policy is not required.
    _llama_spec('llama-3', 'Meta Llama 3 Community License Agreement', 'llama3', True, True,
                optional_parts=(1,)),
    _llama_spec('llama-3.1', 'Llama 3.1 Community License Agreement', 'llama3_1', True, False),
    _llama_spec('llama-3.2', 'Llama 3.2 Community License Agreement', 'llama3_2', True, False),
    _llama_spec('llama-3.3', 'Llama 3.3 Community License Agreement', 'llama3_3', True, False),
    _llama_spec('llama-4', 'Llama 4 Community License Agreement', 'llama4', True, False),
    Spec('creativeml-openrail-m', 'CreativeML Open RAIL-M licence',
         'openrail/creativeml-openrail-m.LICENSE', 'CompVis/stable-diffusion @ 21f890f9, LICENSE',
         duties={
             # Paragraph 4's conditions lost their letters in this copy (the
             # text still cites "paragraph 4.a"): they are the 1st to 4th
             # lines after the heading line of 4.
             '4.a': Duty({'clause': '4', 'lines': [1, 2]},
                         'carry the use-based restrictions of paragraph 5 into your own licence'),
             '4.b': Duty({'clause': '4', 'lines': [2, 3]}, 'give recipients a copy of the licence'),
             '4.c': Duty({'clause': '4', 'lines': [3, 4]},
                         'modified files carry prominent notices'),
             '4.d': Duty({'clause': '4', 'lines': [4, 5]},
                         'retain copyright, patent, trademark and attribution notices'),
             '5': Duty({'clause': '5'}, 'the use-based restrictions of Attachment A'),
             'A': Duty({'tail': 0}, 'Attachment A: the use restrictions', label='Attachment A'),
         }),
    Spec('tongyi-qianwen', 'Tongyi Qianwen License Agreement', 'qwen/tongyi-qianwen.LICENSE',
         'QwenLM/Qwen @ 2df8e8a, Tongyi Qianwen LICENSE AGREEMENT',
         duties={
             '3.a': Duty({'clause': '3.a'}, 'give recipients a copy of the agreement'),
             '3.b': Duty({'clause': '3.b'}, 'modified files carry prominent notices'),
             '3.c': Duty({'clause': '3.c'}, 'keep the attribution sentence in a "Notice" file'),
             '4': Duty({'clause': '4'}, 'a licence is needed above 100 million monthly users'),
             '5.b': Duty({'clause': '5.b'}, 'do not improve other large language models'),
         }),
    Spec('duix-com', 'DUIX.COM community licence', 'duix/LICENSE', DUIX + 'LICENSE',
         duties={
             '1.b.i': Duty({'clause': '1.b.i'}, 'a copy of the agreement, "Built with DUIX.COM", '
                           'a statement in the terms of service, the model name prefix'),
             '1.b.iii': Duty({'clause': '1.b.iii'},
                             'keep the attribution sentence in a "Notice" file'),
         }),
    # The Duix.Avatar clause ids follow the Chinese numbering, as the
    # profile cites it; labels give each text's own.
    Spec('duix-avatar', 'Duix.Avatar model licence', DUIX_EN + '.pdftotext.txt',
         DUIX + 'Duix.Avatar model community Licensing Agreement.pdf (pdftotext)',
         drop_page_numbers=True, digest_files=(DUIX_EN + '.pdf',),
         duties={
             '2.4': Duty({'clause': '2.3', 'paragraphs': [-1, None]}, DUIX_DUTIES['2.4'],
                         label='2.3 (closing paragraph)'),
             '2.5': Duty({'clause': '2.4'}, DUIX_DUTIES['2.5'], label='2.4'),
             '6.1': Duty({'clause': '6.1'}, DUIX_DUTIES['6.1']),
             '6.2': Duty({'clause': '6.2'}, DUIX_DUTIES['6.2']),
         },
         # the application form: a table every extractor reads differently
         exclude=({'clause': '8.2.1', 'paragraphs': [1, None]},)),
    Spec('duix-avatar/zh', 'Duix.Avatar model licence', DUIX_ZH + '.pdftotext.txt',
         DUIX + 'Duix.Avatar model community Licensing Agreement_zh.pdf (pdftotext)',
         language='Chinese', modulus=16, drop_page_numbers=True,
         digest_files=(DUIX_ZH + '.pdf',),
         duties={s: Duty({'clause': s}, what) for s, what in DUIX_DUTIES.items()},
         exclude=({'clause': '7.3.(1)', 'paragraphs': [1, None]},)),
    # identify's copy of the Apache License (choosealicense.com's, the
    # apache.org text): its appendix, how to apply the licence, is not
    # part of the terms and many copies leave it out.
    Spec('apache-2.0', 'Apache License 2.0', 'identify:Apache-2.0',
         "identify's vendored licence texts (choosealicense.com), Apache-2.0",
         duties={
             f'4.{letter}': Duty({'clause': '4', 'paragraphs': [n, n + 1]}, what,
                                 label=f'4({letter})')
             for n, (letter, what) in enumerate((
                 ('a', 'give recipients a copy of the licence'),
                 ('b', 'modified files carry prominent notices'),
                 ('c', 'retain copyright, patent, trademark and attribution notices'),
                 ('d', 'carry the attribution notices of a NOTICE file'),
             ), 1)
         },
         exclude=({'tail': 0},)),
)
