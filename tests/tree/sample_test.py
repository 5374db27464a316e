from __future__ import annotations

import pytest

from model_license_hooks.tree import sample as sampling


def test_probe_offsets_are_bounded():
    assert sampling.probe_offsets(100) == []
    assert sampling.probe_offsets(4096) == [512, 1024, 2048]
    assert len(sampling.probe_offsets(2 ** 60)) == sampling.MAX_PROBES


def test_sample_of_a_large_sparse_file(tmp_path):
    path = tmp_path / 'big'
    with open(path, 'wb') as f:
        f.write(b'HEAD')
        f.truncate(2 ** 40)  # 1 TiB, sparse
        f.seek(2 ** 40 - 4)
        f.write(b'TAIL')
    sample = sampling.sample_file(str(path))
    assert sample.size == 2 ** 40 + 0
    assert sample.head.startswith(b'HEAD')
    assert len(sample.head) == sampling.HEAD_BYTES
    assert sample.tail.endswith(b'TAIL')
    assert len(sample.head) + len(sample.tail) + sum(
        map(len, sample.probes.values()),
    ) <= 64 * 1024


@pytest.mark.parametrize(
    'size', (0, 1, sampling.HEAD_BYTES, sampling.HEAD_BYTES + 1, 70_000, 5 * 2 ** 20),
)
def test_a_file_read_whole_is_sampled_the_same(tmp_path, size):
    data = bytes(i * 7 % 251 for i in range(size))
    (tmp_path / 'f').write_bytes(data)
    whole, content = sampling.read_file(str(tmp_path / 'f'), size)
    assert content == data
    assert whole == sampling.sample_file(str(tmp_path / 'f')) == sampling.sample_bytes(data)
    sampled, content = sampling.read_file(str(tmp_path / 'f'), size - 1)
    assert content is None and sampled == whole
