from __future__ import annotations

from model_license_hooks.tree import listing


def _listing(paths: list[bytes]) -> listing.Listing:
    oid = b'a' * 40
    records = [b'H 100644 ' + oid + b' 0\t' + p for p in paths]
    return listing.Listing(records, listing.index_entry)


def test_listing_folders_and_lookups():
    listing = _listing([
        b'LICENSE', b'a.txt', b'm/LICENSE', b'm/sub.txt', b'm/sub/w.bin',
        b'm/sub/x/y.bin', b'm0.txt', b'm-1/z', b'\xff.bin',
    ])
    assert sorted(listing.folder('')) == ['LICENSE', 'a.txt', 'm0.txt', '\udcff.bin']
    assert sorted(listing.folder('m')) == ['LICENSE', 'sub.txt']
    assert sorted(listing.folder('m/sub')) == ['w.bin']
    assert listing.folder('nothing') == {}
    assert listing.under('m') == ['m/LICENSE', 'm/sub.txt', 'm/sub/w.bin', 'm/sub/x/y.bin']
    assert listing.under('m/sub') == ['m/sub/w.bin', 'm/sub/x/y.bin']
    assert len(listing.under('')) == 9
    entry = listing.get('m/sub/w.bin')
    assert entry is not None and entry.path == 'm/sub/w.bin' and entry.mode == '100644'
    assert listing.get('\udcff.bin') is not None  # a name that is not UTF-8
    assert listing.get('m/sub') is None and listing.get('m/sub/') is None


def test_listing_sorts_what_git_did_not():
    listing = _listing([b'b/x', b'a', b'b.txt', b'a/y'])
    assert listing.under('') == ['a', 'a/y', 'b.txt', 'b/x']
    assert sorted(listing.folder('b')) == ['x']


def test_ancestors():
    assert listing.ancestors('a/b/c.bin') == ['a/b', 'a', '']
    assert listing.ancestors('c.bin') == ['']
