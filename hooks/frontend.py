"""What every front end shares: the options, the error handling around a
run, and printing Findings in the `path: message` style."""
from __future__ import annotations

import argparse
import codecs
import io
import os
import sys
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

from .errors import ContentError
from .errors import GitError
from .errors import ParserBug
from .errors import UserError
from .rules.findings import failed
from .rules.findings import Finding
from .rules.findings import merged
from .rules.findings import note
from .rules.registry import Rule

# The heading of each rule's findings when one run prints several.
RULE_HEADINGS = {
    'licence': '[licence: a copy of the licence travels with the model]',
    'changelog': '[changelog: modified weights are described]',
    'attribution': '[attribution: the card says what the licence requires]',
}
ISSUES = 'please report it, with the file if you can share it (see SECURITY.md)'
MAX_FIXES = 5


def add_filenames(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        'filenames', nargs='*',
        help='files to check (pre-commit passes them; by hand: default '
        'is the staged change)',
    )


def add_overrides(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--weights-pattern', action='append', default=[], metavar='GLOB',
        dest='weights_patterns',
        help='treat paths matching GLOB as model weights (repeatable)',
    )
    parser.add_argument(
        '--ignore', action='append', default=[], metavar='GLOB',
        help='never treat paths matching GLOB as model weights (repeatable)',
    )
    parser.add_argument(
        '--no-cache', action='store_true', dest='no_cache',
        help='judge every file afresh, not from the verdicts kept in '
        '.git/model-license-hooks (also: no-cache = true in pyproject.toml)',
    )


def add_license_names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--license-name', action='append', default=[], metavar='GLOB',
        dest='license_names',
        help='another file name that holds a licence copy (repeatable)',
    )


def add_profiles(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--profile', metavar='NAME',
        help='the licence the weights are under (see `model-license-hooks '
        'profiles`); default: inferred where it can be',
    )
    parser.add_argument(
        '--profile-file', action='append', default=[], metavar='PATH',
        dest='profile_files',
        help='a licence profile of your own, as JSON (repeatable)',
    )


def add_hub_metadata(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--hub-metadata', action='store_true', dest='hub_metadata',
        help='demand the Hugging Face front matter the profile names (license, '
        'license_name, license_link, base_model) of a model card that has none '
        '(a card with front matter always gets it checked)',
    )


def add_changelog_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--changelog-name', action='append', default=[], metavar='GLOB',
        dest='changelog_names',
        help='another file name of a changelog (repeatable)',
    )
    parser.add_argument(
        '--fragment-dir', action='append', default=[], metavar='NAME',
        dest='fragment_dirs',
        help='another folder name of changelog fragments, as towncrier '
        'keeps them (repeatable; changelog.d and newsfragments always count)',
    )
    parser.add_argument(
        '--deletions', action='store_true',
        help='deleting weights needs a changelog entry too',
    )
    parser.add_argument(
        '--require-mention', action='store_true',
        help='the entry must name each changed weight file (its name, stem '
        'or folder)',
    )


def add_rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--rules', type=_rule_names, default=None, metavar='NAMES',
        help='the rules to run, comma-separated, of: licence (or license), '
        'changelog, attribution; default: all three',
    )


_RULE_ALIASES = {'license': 'licence'}


def _rule_names(text: str) -> tuple[str, ...]:
    from .rules.registry import RULES
    names = [_RULE_ALIASES.get(n.strip(), n.strip()) for n in text.split(',') if n.strip()]
    unknown = [n for n in names if n not in RULES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f'{", ".join(unknown) or "nothing"}: the rules are {", ".join(RULES)}',
        )
    return tuple(dict.fromkeys(names))


def print_findings(findings: Sequence[Finding], hints: Sequence[str] = ()) -> int:
    """Print findings as `path: message` lines, then what to do; 1 if any
    finding is a failure.  Findings of more than one rule are printed
    under a heading per rule."""
    findings = merged(findings)
    rules = list(dict.fromkeys(f.rule for f in findings if f.rule in RULE_HEADINGS))
    for rule in rules if len(rules) > 1 else [None]:
        if rule is not None:
            print(RULE_HEADINGS[rule])
        for finding in findings:
            if rule is None or finding.rule == rule or (
                    finding.rule not in RULE_HEADINGS and rule == rules[0]):
                print(finding.line())
    fixes = list(dict.fromkeys(f.fix for f in findings if f.failed and f.fix))
    if fixes:
        print('\nTo fix:')
        for fix in fixes[:MAX_FIXES]:
            print(f'- {fix}')
        if len(fixes) > MAX_FIXES:
            print(f'- ... and {len(fixes) - MAX_FIXES} more like these')
        for hint in hints:
            print(hint)
    return int(failed(findings))


def _show_undecodable(exc: UnicodeError) -> tuple[str, int]:
    """Print a file name git gave as raw bytes the way git quotes them."""
    assert isinstance(exc, UnicodeEncodeError)
    shown = []
    for char in exc.object[exc.start:exc.end]:
        code = ord(char)
        shown.append(
            f'\\x{code - 0xdc00:02x}' if 0xdc80 <= code <= 0xdcff
            else char.encode('ascii', 'backslashreplace').decode(),
        )
    return ''.join(shown), exc.end


codecs.register_error('model-license-hooks-path', _show_undecodable)


def _safe_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors='model-license-hooks-path')


def run(func: Callable[..., int], *args: Any, **kwargs: Any) -> int:
    """Run a front end; whatever stops it is one line on stderr and exit 2."""
    _safe_output()
    try:
        return func(*args, **kwargs)
    except BrokenPipeError:  # `... | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (UserError, ContentError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    except ParserBug as exc:
        print(f'error: {exc}: this is a bug in model-license-hooks, and the '
              f'file was not judged; {ISSUES}', file=sys.stderr)
        return 2
    except GitError as exc:
        cmd, _, code, _, stderr = exc.args
        detail = stderr.decode('utf-8', 'replace').strip().splitlines()
        last = detail[-1] if detail else f'exit code {code}'
        print(f'error: {" ".join(cmd[:3])} failed: {last}', file=sys.stderr)
        return 2


def hook_main(
        doc: str | None,
        rules: Sequence[Rule],
        adders: Sequence[Callable[[argparse.ArgumentParser], None]],
        argv: Sequence[str] | None,
) -> int:
    """A hook's main: its options and file names, then the run."""
    argv = sys.argv[1:] if argv is None else list(argv)
    return run(_hook, doc, rules, adders, argv)


def _hook(
        doc: str | None,
        rules: Sequence[Rule],
        adders: Sequence[Callable[[argparse.ArgumentParser], None]],
        argv: list[str],
) -> int:
    if os.environ.get('PRE_COMMIT') == '1':
        # pre-commit appends file names after the options, with no `--`.
        from .argv import OptionsParser
        from .argv import split
        from .tree.distribution import candidate_paths
        options_only = OptionsParser(add_help=False)
        for add in adders:
            add(options_only)
        given, filenames = split(options_only, argv, candidate_paths)
    else:
        parser = argparse.ArgumentParser(description=doc, allow_abbrev=False)
        add_filenames(parser)
        for add in adders:
            add(parser)
        given = vars(parser.parse_args(argv))
        filenames = given.pop('filenames')
    if 'rules' in given:  # the combined hook: the rules it was asked for
        from .rules.registry import RULES
        chosen = given.pop('rules') or tuple(RULES)
        rules = [RULES[name] for name in chosen]
    return run_hooks(rules, {**given, 'filenames': filenames})


def run_hooks(rules: Sequence[Rule], given: dict[str, Any]) -> int:
    """One hook run: what is distributed, judged by these rules."""
    from .rules.judge import Judge
    from .rules.settings import build
    from .tree import distribution
    from .tree.git import enter_repo_root
    from .tree.trees import GitRepo
    filenames = enter_repo_root(given.pop('filenames', ()))
    repo = GitRepo()
    tree = distribution.distributed_tree(repo)
    if tree is repo.index:
        # Companion files live in the folders of the files judged.
        from .card.changelog import FRAGMENT_FOLDERS
        from .license.names import REUSE_FOLDER
        repo.index.preload(filenames, (REUSE_FOLDER, *FRAGMENT_FOLDERS))
    settings = build(given, tree)
    judge = Judge(settings)
    judge.check_options()

    from .rules.registry import companion_test
    companion = companion_test(rules, settings)

    def weakened(change: distribution.Change) -> str | None:
        # Only a companion file's change can weaken anything: the rules are
        # not asked about each of a large commit's other files.
        if not companion(change.path) and not (
                change.old_path is not None and companion(change.old_path)):
            return None
        # Nested folders of one path: the outermost covers the others.
        folders = [f for r in rules if (f := r.weakened(change, repo.index, settings)) is not None]
        return min(folders, key=len) if folders else None

    dist = distribution.of_run(
        repo, filenames, weakened, companion, deletions=settings.deletions,
    )
    findings = [note('distribution', path, message) for path, message in dist.notes]
    findings += [f for rule in rules for f in rule.check(dist, judge)]
    return print_findings(findings, [r.hint for r in rules if r.hint])
