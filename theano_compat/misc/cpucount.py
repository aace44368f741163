"""theano.misc.cpucount: ``cpuCount()``, the number of CPUs online (-1 when unknown)."""

import os
import sys



def cpuCount():
    """The number of CPUs in the system, -1 if it cannot be determined."""
    if sys.platform == "win32":
        try:
            return int(os.environ["NUMBER_OF_PROCESSORS"])
        except (KeyError, ValueError):
            return -1
    try:
        return os.sysconf("SC_NPROCESSORS_ONLN")
    except (AttributeError, ValueError, OSError):
        count = os.cpu_count()
        return -1 if count is None else count
