"""Fixtures of the hostile-input tests: the slow cases of a module, run
together in child processes, and hostile files shared by several modules."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import zlib

import pytest

from tests import samples
from tests.hostile.helpers import CHILD
from tests.hostile.helpers import gzip_of_zeros
from tests.hostile.helpers import limit_memory
from tests.hostile.helpers import ROOT
from tests.hostile.helpers import SLOW_LIMIT
from tests.hostile.helpers import multistream_of_zeros
from tests.hostile.helpers import write
from tests.hostile.helpers import zip_of_zeros
from tests.util import git


# Quadratic and worse: inputs of tens of kilobytes that take from tens of
# seconds to hours.  Each runs the hook in a child process (a regular
# expression stuck in C cannot be interrupted by a signal).  The children
# of a module start together, when the first of its tests runs, and a
# timer kills whatever still runs after SLOW_LIMIT: on a fixed bug a child
# takes a fraction of a second, on the bug at least 30 s of CPU.  Each
# child also reports the CPU time of the hook itself, which must stay
# under SECONDS.


@pytest.fixture(scope='module')
def slow_runs(request, tmp_path_factory):
    import threading

    from tests.conftest import GIT_ENV
    home = tmp_path_factory.mktemp('slow-home')
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(('PRE_COMMIT', 'GIT_'))
    }
    env.update(GIT_ENV, HOME=str(home), XDG_CONFIG_HOME=str(home / '.config'), PYTHONPATH=ROOT)
    runs = {}
    with pytest.MonkeyPatch.context() as patch:  # git as the children see it
        for key in os.environ.keys() - env.keys():
            patch.delenv(key)
        for key, value in env.items():
            patch.setenv(key, value)
        for name, builder in request.module.SLOW_CASES.items():
            repo = tmp_path_factory.mktemp(name) / 'repo'
            git('init', '-q', '-b', 'main', str(repo))
            module, argv = builder(repo)  # type: ignore[operator]
            runs[name] = subprocess.Popen(
                (sys.executable, '-c', CHILD.format(module=module, argv=argv)),
                cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, preexec_fn=limit_memory,
            )
    started = time.monotonic()

    def reap() -> None:
        for proc in runs.values():
            if proc.poll() is None:
                proc.kill()

    reaper = threading.Timer(SLOW_LIMIT, reap)
    reaper.daemon = True
    reaper.start()
    yield runs, started
    reaper.cancel()
    reap()
    for proc in runs.values():
        proc.communicate()


@pytest.fixture(scope='module')
def weight_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp('weights')
    return {
        kind: writer(folder / samples.FILE_NAMES[kind]).read_bytes()
        for kind, writer in samples.WEIGHT_WRITERS.items()
    }


@pytest.fixture(scope='module')
def zip_bomb(tmp_path_factory):
    """A zip whose one member inflates to 1 GiB of zeros (about 1 MB)."""
    path = tmp_path_factory.mktemp('bomb') / 'bomb.zip'
    return write(path, zip_of_zeros(b'model.safetensors', 1 << 30))


@pytest.fixture(scope='module')
def compression_bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp('bombs')
    bombs = {
        'gzip-1GiB-one-member': ('model.tar.gz', gzip_of_zeros(1 << 30)),
        'gzip-4GiB-members': ('weights.pkl.gz', multistream_of_zeros('gzip', 256)),
        'bz2-4GiB-streams': ('weights.tar.bz2', multistream_of_zeros('bz2', 256)),
        'xz-4GiB-streams': ('model.tar.xz', multistream_of_zeros('xz', 256)),
        'zlib-64MiB': ('model.joblib', zlib.compress(bytes(64 << 20), 9)),
    }
    return {
        kind: write(folder / kind / name, data) for kind, (name, data) in bombs.items()
    }
