"""theano.tensor.inc_code: the C helper code of Theano 1.0.5's AdvancedIncSubtensor1.

theano_compat compiles no C code: ``inc_subtensor`` / ``set_subtensor`` compute in NumPy.
"""

from __future__ import annotations


def inc_code():
    """The C support code of AdvancedIncSubtensor1 (``inplace_increment``).

    Not available (no C code): raises NotImplementedError."""
    raise NotImplementedError(
        "theano.tensor.inc_code.inc_code: no C compiler in theano_compat; use "
        "T.inc_subtensor / T.set_subtensor (they compute in NumPy; the Python linker "
        "computes the same)")
