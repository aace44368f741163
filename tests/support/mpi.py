"""Where the MPI tests find mpiexec, and why they skip when they cannot run."""

import importlib.util
import os
import shutil
import sys


def mpiexec():
    """The mpiexec next to this Python (the mpich wheel's) or on PATH; None without one."""
    local = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return local if os.access(local, os.X_OK) else shutil.which("mpiexec")


def missing_mpi():
    """Why the MPI tests cannot run here ('' when they can)."""
    if importlib.util.find_spec("mpi4py") is None:
        return 'mpi4py is not installed (pip install "theano-compat[mpi]")'
    if mpiexec() is None:
        return 'no mpiexec next to Python or on PATH (pip install "theano-compat[mpi]")'
    return ""
