"""The module name under which all generated code runs.

Fused functions (link/fuse_cpu.py), compiled programs (link/codegen.py) and Elemwise's
size-check wrappers (tensor/elemwise.py) are executed with ``__name__`` set to
`GENERATED_MODULE`, so the warnings filter of link/errors.py can silence NumPy's
floating-point RuntimeWarnings raised there, as Theano (``numpy.seterr_all='ignore'``)
was silent.  Declared here, in the lowest layer whose modules generate code.
"""

GENERATED_MODULE = "theano_compat._generated"
