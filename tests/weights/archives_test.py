from __future__ import annotations

from model_license_hooks.weights import archives


def test_decompression_is_bounded():
    import zlib
    bomb = zlib.compress(b'\0' * (50 * 1024 * 1024))
    found = archives.decompress_prefix(bomb[:32768])
    assert found is not None
    assert len(found[1]) <= 64 * 1024
