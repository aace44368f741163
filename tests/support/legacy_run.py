"""Running a legacy program as its user would: a fresh interpreter importing this
repository's `theano`."""

import os
import subprocess
import sys

from tests.support.paths import ROOT


def run_legacy_program(path, theano_flags, **env_vars):
    """Run the script `path` under THEANO_FLAGS=`theano_flags` and the extra environment
    variables `env_vars`; asserts that it succeeds and returns the completed process."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               THEANO_FLAGS=theano_flags, **env_vars)
    proc = subprocess.run([sys.executable, path], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc
