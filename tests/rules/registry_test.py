from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from model_license_hooks.rules.registry import companion_test
from model_license_hooks.rules.registry import RULES
from model_license_hooks.rules.settings import Settings

NAMES = (
    'LICENSE', 'licence.md', 'COPYING.txt', 'LICENSE-MODEL', 'MODEL_LICENSE', 'Licensing.pdf',
    'LICENSES/MIT.txt', 'w.bin.license', 'REUSE.toml', 'README.md', 'NOTICE', 'notice.txt',
    'pyproject.toml', 'CHANGELOG.md', 'CHANGES', 'HISTORY.rst', 'NEWS', 'MODIFICATIONS.md',
    'changelog.d/1.md', 'newsfragments/2.txt', 'model.safetensors', 'a.py',
)
segment = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NAMES).map(str.lower),
    st.sampled_from(NAMES).map(str.upper),
    st.text(st.characters(min_codepoint=32, max_codepoint=0x24f, blacklist_characters='/'),
            min_size=1, max_size=12),
)
paths = st.lists(segment, min_size=1, max_size=4).map('/'.join)


@given(paths)
def test_the_quick_test_never_turns_away_a_companion(path):
    rules = list(RULES.values())
    settings = Settings()
    slow = any(rule.companion(path, settings) for rule in rules)
    assert companion_test(rules, settings)(path) == slow


def test_names_from_the_settings_are_asked_of_the_rules():
    rules = list(RULES.values())
    assert not companion_test(rules, Settings())('TERMS-OF-USE.txt')
    assert companion_test(rules, Settings(license_names=('TERMS-OF-USE*',)))('TERMS-OF-USE.txt')
    assert companion_test(rules, Settings(changelog_names=('RELEASES*',)))('RELEASES.md')
    assert companion_test(rules, Settings(fragment_dirs=('notes',)))('notes/1.md')
