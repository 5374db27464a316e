from __future__ import annotations

import pytest

from model_license_hooks.tree.sample import Sample
from model_license_hooks.weights import archives
from model_license_hooks.weights import streams
from model_license_hooks.weights.classify import classify


def test_decompression_is_bounded():
    import zlib
    bomb = zlib.compress(b'\0' * (50 * 1024 * 1024))
    found = streams.decompress_prefix(bomb[:32768])
    assert found is not None
    assert len(found[1]) <= 64 * 1024


def _tar(members: dict[str, bytes], form: int) -> bytes:
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=form) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


SNAPSHOT = 'models--org--name/snapshots/' + 'a' * 40 + '/unet/diffusion_pytorch_model.safetensors'


@pytest.mark.parametrize('form', ('GNU', 'PAX'))
def test_tar_long_member_names(form):
    import tarfile
    data = _tar({'README.md': b'# m\n', SNAPSHOT: b'\0' * 64}, getattr(tarfile, f'{form}_FORMAT'))
    assert archives.tar_names(data) == ['README.md', SNAPSHOT]
    verdict = classify('snapshot.tar', Sample(len(data), data, b'', {}))
    assert verdict.weights and verdict.format == 'tar-with-weights'
    assert SNAPSHOT in verdict.evidence


def test_tar_names_of_what_is_not_a_tar():
    assert archives.tar_names(b'') is None
    assert archives.tar_names(b'\0' * 1024) is None
    assert archives.tar_names(b'not a tar' * 100) is None
