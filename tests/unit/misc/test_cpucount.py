"""theano.misc.cpucount.cpuCount."""

import os

from theano.misc.cpucount import cpuCount


def test_cpu_count():
    assert cpuCount() == os.sysconf("SC_NPROCESSORS_ONLN") and cpuCount() >= 1
