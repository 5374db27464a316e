"""The judgements every rule shares, made once per run and remembered:
what a file is, which card covers it, which licence profile applies to it,
which licence copy covers it.  The hooks and `check` ask the same Judge,
so they cannot disagree."""
from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import TYPE_CHECKING
from typing import TypeAlias

from ..card.modelcard import Card
from ..card.modelcard import CARD_NAME
from ..card.modelcard import find_card
from ..card.modelcard import read_card
from ..license.copies import Candidate
from ..license.copies import genuine
from ..license.copies import official
from ..license.copies import what_licence
from ..license.finder import Copy
from ..license.finder import CopyFinder
from ..tree.trees import GitRepo
from ..tree.trees import GitTree
from ..tree.trees import Tree
from ..weights.cache import VerdictCache
from ..weights.classify import Verdict
from ..weights.in_tree import as_units
from ..weights.in_tree import classify_paths
from .settings import Settings

if TYPE_CHECKING:
    from ..license.lineage import Inherited
    from ..license.lineage import Table
    from ..license.profiles import Profile

MAX_BASE_MODELS = 100  # a merge names a few; more is not a card's
MAX_FOLDER_DEPTH = 32  # folders of the repository followed, base by base
# (the licences the base models carry, the base models the table lacks)
Lineage: TypeAlias = 'tuple[list[Inherited], list[str]]'


def infer_from_card(card: Card | None, known: Iterable[Profile]) -> tuple[Profile | None, str]:
    """The profile the card's metadata names, when exactly one fits."""
    if card is None:
        return None, ''
    license_id = card.text('license')
    license_name = card.text('license_name')
    hits = []
    for profile in known:
        names = {n.lower() for n in profile.hf_license_name + profile.aliases}
        if license_name is not None and license_name.lower() in names:
            hits.append((profile, f'license_name: {license_name}'))
        elif license_id not in (None, 'other') and license_id in profile.hf_license:
            hits.append((profile, f'license: {license_id}'))
    return hits[0] if len(hits) == 1 else (None, '')


class Judge:
    """One run's judgements, under one Settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._known: dict[str, Profile] | None = None
        self._explicit: Profile | None = None
        self._verdicts: dict[tuple[int, str], Verdict] = {}
        self._cards: dict[tuple[int, str], Card | None] = {}
        self._finders: dict[tuple[int, str], CopyFinder] = {}
        # each licence candidate's content, read and judged once a run
        self._candidates: dict[tuple[str, str], Candidate | str] = {}
        self._copy_profiles: dict[int, Profile | None] = {}  # by id of a candidate
        self._caches: dict[GitRepo, VerdictCache] = {}
        self._table: Table | None = None
        self._lineages: dict[tuple[int, str], Lineage] = {}
        self._metadata: dict[tuple[int, str], tuple[tuple[str, str], ...]] = {}

    # --- profiles ----------------------------------------------------------

    def check_options(self) -> None:
        """Read the profiles the options name now: a bad --profile or
        --profile-file is an error even when nothing else needs them."""
        if self.settings.profile or self.settings.profile_files:
            self.known
            self.explicit

    @property
    def known(self) -> dict[str, Profile]:
        """Every profile: the shipped ones and the user's (read on demand:
        a commit with no card and no --profile never loads them)."""
        if self._known is None:
            from ..license import profiles
            self._known = profiles.available(self.settings.profile_files)
        return self._known

    @property
    def explicit(self) -> Profile | None:
        if self.settings.profile and self._explicit is None:
            from ..license import profiles
            self._explicit = profiles.select(self.settings.profile, self.known)
        return self._explicit

    def declared_profile(self, tree: Tree, path: str) -> tuple[Profile | None, str]:
        """The profile the weights are declared under: --profile, else the
        one the model card names.  (profile, how it was inferred)."""
        if self.explicit is not None:
            return self.explicit, ''
        card_path, card = self.card(tree, path)
        if card is None or not card.meta:
            return None, ''
        own, how = infer_from_card(card, self.known.values())
        bases, _ = self.lineage(tree, path)
        binding = [b for b in bases if not b.licence.permissive]
        # A derivative is under its base model's licence, whatever its card
        # says (the licence rule says where they disagree); a permissive
        # base's only when the card names no licence of its own.
        chosen = binding[0] if binding else (
            bases[0] if bases and card.text('license') is None else None)
        inherited = chosen.licence.profile if chosen is not None else None
        if inherited is None or (own is not None and own.id == inherited.id):
            return own, how
        assert chosen is not None
        return inherited, f'base_model {chosen.base_model}'

    # --- lineage -----------------------------------------------------------

    @property
    def table(self) -> Table:
        """The base-model table, with the settings' base-models first."""
        if self._table is None:
            from ..license.lineage import load_table
            self._table = load_table(self.known, self.settings.base_models)
        return self._table

    def lineage(self, tree: Tree, path: str) -> Lineage:
        """The licences the card covering a path inherits from its
        base_model, and the base models the table does not know."""
        card_path, card = self.card(tree, path)
        if card_path is None or card is None or not card.strings('base_model'):
            return [], []
        key = (id(tree), card_path)
        if key not in self._lineages:
            self._lineages[key] = self._lineage_of(tree, card_path, card, {card_path})
        return self._lineages[key]

    def _lineage_of(self, tree: Tree, card_path: str, card: Card, seen: set[str]) -> Lineage:
        from ..license.lineage import inherited
        found: list[Inherited] = []
        unknown: list[str] = []
        for value in card.strings('base_model')[:MAX_BASE_MODELS]:
            folder_card = self._base_folder_card(tree, card_path, value)
            if folder_card is None:
                more, missing = inherited([value], self.table)
            elif folder_card in seen or len(seen) > MAX_FOLDER_DEPTH:
                continue  # a cycle of folders: each is followed once
            else:
                more, missing = self._folder_lineage(tree, folder_card, value, seen)
            found += more
            unknown += missing
        return found, unknown

    def _folder_lineage(self, tree: Tree, card_path: str, value: str, seen: set[str]) -> Lineage:
        """A base model in a folder of this repository: its card's licence,
        else what its card inherits."""
        card = self._card_at(tree, card_path)
        if card is None:
            return [], []
        own, _ = infer_from_card(card, self.known.values())
        if own is not None:
            from ..license.lineage import Inherited
            licence = self.table.licences[own.id]
            return [Inherited(value, licence, f'the card {card_path}')], []
        found, unknown = self._lineage_of(tree, card_path, card, seen | {card_path})
        return [b._replace(base_model=f'{value} (built on {b.base_model})') for b in found], unknown

    def _base_folder_card(self, tree: Tree, card_path: str, value: str) -> str | None:
        """The card of the folder of this repository a base_model names
        (relative to the card, else to the root), if it names one."""
        if '://' in value or value.startswith('/'):
            return None
        here = posixpath.dirname(card_path)
        for start in dict.fromkeys((here, '')):
            folder = posixpath.normpath(posixpath.join(start, value))
            if folder == '..' or folder.startswith('../'):
                continue
            candidate = CARD_NAME if folder == '.' else f'{folder}/{CARD_NAME}'
            if candidate != card_path and tree.entry(candidate) is not None:
                return candidate
        return None

    def _card_at(self, tree: Tree, card_path: str) -> Card | None:
        key = (id(tree), card_path)
        if key not in self._cards:
            self._cards[key] = read_card(tree, card_path)
        return self._cards[key]

    def metadata(self, tree: Tree, verdict: Verdict) -> tuple[tuple[str, str], ...]:
        """The licence metadata a weight file carries in its head (GGUF,
        safetensors, ONNX): (key, value) pairs."""
        from ..weights.metadata import FORMATS
        from ..weights.metadata import licence_metadata
        if verdict.format not in FORMATS:
            return ()
        key = (id(tree), verdict.path)
        if key not in self._metadata:
            entry = tree.entry(verdict.path)
            sample = tree.sample(entry) if entry is not None else None
            if sample is not None and verdict.lfs:
                from ..weights.headers import lfs_pointer
                pointer = lfs_pointer(sample)
                sample = tree.smudged(entry, *pointer) if entry and pointer else None
            found = licence_metadata(verdict.format, sample) if sample is not None else ()
            self._metadata[key] = found
        return self._metadata[key]

    def profile(self, tree: Tree, path: str) -> tuple[Profile | None, str]:
        """The profile whose duties apply: the declared one, else the one
        the licence copy covering the weights is a genuine copy of."""
        found, how = self.declared_profile(tree, path)
        if found is not None or self.explicit is not None:
            return found, how
        copy, _ = self.licence(tree, path)
        candidate = self.candidate(tree, copy.path) if copy is not None else None
        if copy is None or candidate is None:
            return None, ''
        found = self.copy_profile(candidate)
        return (found, f'the licence copy {copy.path}') if found else (None, '')

    def copy_profile(self, candidate: Candidate) -> Profile | None:
        """The one profile a licence copy is a genuine copy of, if one."""
        key = id(candidate)  # candidates live as long as the Judge
        if key not in self._copy_profiles:
            known = self.known.values()
            found = official(candidate, known)  # an official file is its licence's alone
            if found is None:
                matches = [p for p in known if genuine(p, candidate, name_it=False)[0]]
                found = matches[0] if len(matches) == 1 else None
            self._copy_profiles[key] = found
        return self._copy_profiles[key]

    # --- files -------------------------------------------------------------

    def classify(self, tree: Tree, paths: Iterable[str]) -> list[Verdict]:
        """What each path is, as the tree holds it (untracked paths skipped)."""
        paths = list(dict.fromkeys(paths))
        wanted = [p for p in paths if (id(tree), p) not in self._verdicts]
        for verdict in classify_paths(tree, wanted, self.settings.overrides, self._cache(tree)):
            self._verdicts[id(tree), verdict.path] = verdict
        return [v for p in paths if (v := self._verdicts.get((id(tree), p)))]

    def _cache(self, tree: Tree) -> VerdictCache | None:
        """The verdicts kept in the repository's git directory, unless
        turned off; none for a folder that is not in git."""
        if self.settings.no_cache or not isinstance(tree, GitTree):
            return None
        repo = tree.repo
        if repo not in self._caches:
            self._caches[repo] = VerdictCache(repo.common_dir())
        return self._caches[repo]

    def weights(self, tree: Tree, paths: Iterable[str]) -> list[Verdict]:
        """The weights among these paths, a bundle once (as its folder)."""
        return as_units([v for v in self.classify(tree, paths) if v.weights])

    def models(self, tree: Tree, paths: Iterable[str]) -> list[Verdict]:
        """The weights and the model files without weights (graphs,
        vocabularies, manifests): what travels under the model's licence."""
        return as_units([v for v in self.classify(tree, paths) if v.weights or v.model])

    def card(self, tree: Tree, path: str) -> tuple[str | None, Card | None]:
        """The model card that covers a path: (its path, the card)."""
        card_path = find_card(tree, path)
        if card_path is None:
            return None, None
        return card_path, self._card_at(tree, card_path)

    # --- licence copies ----------------------------------------------------

    def finder(self, tree: Tree, profile: Profile | None) -> CopyFinder:
        key = (id(tree), profile.id if profile else '')
        if key not in self._finders:
            self._finders[key] = CopyFinder(
                tree, self.settings.license_names, profile, self.known.values(),
                self._candidates,
            )
        return self._finders[key]

    def candidate(self, tree: Tree, copy_path: str) -> Candidate | None:
        """The content of a licence copy, as every finder reads it."""
        entry = tree.entry(copy_path)
        if entry is None:
            return None
        found = self.finder(tree, None).candidate(entry)
        return found if isinstance(found, Candidate) else None

    def licence(self, tree: Tree, path: str) -> tuple[Copy | None, list[Copy]]:
        """The copy covering a path under its declared profile, and the
        candidates rejected on the way."""
        profile, _ = self.declared_profile(tree, path)
        return self.finder(tree, profile).covering(path)

    def licence_name(self, tree: Tree, copy_path: str) -> str:
        """Which licence a copy is, for reports."""
        candidate = self.candidate(tree, copy_path)
        if candidate is None:
            return 'unknown'
        named = what_licence(candidate, self.known.values())
        return named or 'a licence text not recognised by any profile'
