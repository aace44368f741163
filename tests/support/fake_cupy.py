"""A stand-in for CuPy on machines without a GPU, to test the device code paths.

`install(monkeypatch)` registers modules ``cupy``, ``cupy.cuda``, ``cupyx``,
``cupyx.scipy.special`` and ``cupyx.scipy.linalg`` whose arrays are NumPy arrays behind
CuPy's interface and with CuPy's strictness:

* a device array (`ndarray`) refuses implicit conversion to NumPy (``np.asarray(a)``
  raises TypeError, as for CuPy), so an Op that calls NumPy on device data fails here
  as it would on a GPU; it has ``__cuda_array_interface__``, ``.get()``, and the usual
  attributes, methods and operators;
* module functions and ufuncs refuse NumPy arrays as arguments ("Unsupported type"),
  except the constructors that copy host data (``asarray``, ``array``...);
* ``ElementwiseKernel`` checks its arguments as CuPy does (device arrays of the declared
  dtypes, scalars converted, "Loop size is undecided" without an array) and runs the
  CUDA C through tests/support/cuda_c_harness.py (g++), so fused kernels really run;
  ``ReductionKernel`` runs its map and post-map C the same way and reduces with NumPy;
* one fake device, ``getDeviceProperties(0)["name"] == b"Fake GPU (NumPy)"``.

It does not model CuPy's own differences from NumPy (type promotion of scalars, missing
functions): the GPU parity suite (tests/backend_parity) covers those on real hardware.
"""

from __future__ import annotations

import functools
import operator
import sys
import types

import numpy as np

from . import cuda_c_harness

DEVICE_NAME = b"Fake GPU (NumPy)"


class ndarray:
    """A device array: a NumPy array that does not convert itself implicitly."""

    __array_ufunc__ = None  # NumPy operators defer to ours (which refuse NumPy arrays)
    __array_priority__ = 1000
    __hash__ = None

    def __init__(self, array):
        self._a = array

    # -- CuPy's interface --------------------------------------------------------------------

    @property
    def __cuda_array_interface__(self):
        return {"shape": self._a.shape, "typestr": self._a.dtype.str,
                "data": (self._a.ctypes.data, False), "version": 3, "strides": None}

    def get(self, stream=None, order="C", out=None):
        return np.array(self._a, order=order)

    def __array__(self, *args, **kwargs):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use "
                        "`.get()` to construct a NumPy array explicitly.")

    @property
    def shape(self):
        return self._a.shape

    @shape.setter
    def shape(self, value):
        self._a.shape = value

    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: ndarray(self._a.T))
    real = property(lambda self: ndarray(self._a.real))
    imag = property(lambda self: ndarray(self._a.imag))

    def __getattr__(self, name):
        if name.startswith("__"):  # e.g. __array_interface__: no back door to NumPy
            raise AttributeError(name)
        attr = getattr(self._a, name)
        return _wrap_callable(attr, f"ndarray.{name}") if callable(attr) else _wrap(attr)

    def item(self):
        return self._a.item()

    def tolist(self):
        return self._a.tolist()

    # -- Python protocols --------------------------------------------------------------------

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        if self._a.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (ndarray(np.asarray(row)) for row in self._a)

    def __int__(self):
        return int(self._a)

    def __float__(self):
        return float(self._a)

    def __complex__(self):
        return complex(self._a)

    def __bool__(self):
        return bool(self._a)

    def __index__(self):
        return operator.index(self._a)

    def __repr__(self):
        return repr(self._a)

    def __str__(self):
        return str(self._a)

    def __format__(self, spec):
        return format(self._a, spec)

    def __copy__(self):
        return ndarray(self._a.copy())

    def __deepcopy__(self, memo):
        return ndarray(self._a.copy())

    def __reduce__(self):
        raise TypeError("fake device arrays do not pickle (as CuPy arrays pickle to the host)")

    def __getitem__(self, index):
        return _wrap(self._a[_unwrap_index(index)])

    def __setitem__(self, index, value):
        if isinstance(value, ndarray):
            value = value._a
        self._a[_unwrap_index(index)] = value


def _unwrap_index(index):
    if isinstance(index, ndarray):
        return index._a
    if isinstance(index, tuple):
        return tuple(_unwrap_index(i) for i in index)
    if isinstance(index, list):
        return [_unwrap_index(i) for i in index]
    return index


def _unwrap(value, allow_host=False, where="cupy"):
    """NumPy data behind device arrays; NumPy arrays are refused (CuPy's TypeError)."""
    if isinstance(value, ndarray):
        return value._a
    if isinstance(value, np.ndarray) and not allow_host:
        raise TypeError(f"Unsupported type {type(value)} (in {where}: NumPy arrays must be "
                        "copied to the device first)")
    if isinstance(value, (list, tuple)):
        items = [_unwrap(v, allow_host, where) for v in value]
        return type(value)(items) if isinstance(value, tuple) else items
    return value


def _wrap(value):
    if isinstance(value, np.ndarray):
        return ndarray(value)
    if isinstance(value, np.generic):
        return ndarray(np.asarray(value))  # CuPy reductions give 0-d arrays, not scalars
    if isinstance(value, tuple):
        return tuple(_wrap(v) for v in value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _wrap_callable(fn, where, allow_host=False):
    @functools.wraps(fn)
    def call(*args, **kwargs):
        args = [_unwrap(a, allow_host, where) for a in args]
        kwargs = {k: _unwrap(v, allow_host, where) for k, v in kwargs.items()}
        return _wrap(fn(*args, **kwargs))

    return call


# Operators of the array: each unwraps its operands (refusing NumPy arrays) and wraps.
def _operator(name):
    def op(self, *args):
        return _wrap(getattr(self._a, name)(*[_unwrap(a, where=name) for a in args]))
    op.__name__ = name
    return op


def _inplace(name):
    def op(self, other):
        getattr(self._a, name)(_unwrap(other, where=name))
        return self
    op.__name__ = name
    return op


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and",
              "or", "xor", "lshift", "rshift"):
    setattr(ndarray, f"__{_name}__", _operator(f"__{_name}__"))
    setattr(ndarray, f"__r{_name}__", _operator(f"__r{_name}__"))
    setattr(ndarray, f"__i{_name}__", _inplace(f"__i{_name}__"))
for _name in ("lt", "le", "gt", "ge", "eq", "ne", "neg", "pos", "abs", "invert", "divmod"):
    setattr(ndarray, f"__{_name}__", _operator(f"__{_name}__"))


class ufunc:
    """A NumPy ufunc behind CuPy's interface (refuses NumPy arrays, writes into out=)."""

    def __init__(self, np_ufunc):
        self._u = np_ufunc
        self.__name__ = np_ufunc.__name__
        self.nin, self.nout, self.nargs = np_ufunc.nin, np_ufunc.nout, np_ufunc.nargs

    def __call__(self, *args, **kwargs):
        return _wrap_callable(self._u, self.__name__)(*args, **kwargs)

    def __getattr__(self, name):  # reduce, accumulate, at, outer
        return _wrap_callable(getattr(self._u, name), f"{self.__name__}.{name}")

    def __repr__(self):
        return f"<ufunc '{self.__name__}'>"


# Constructors that copy host data to the device.
_HOST_OK = {"asarray", "array", "asanyarray", "ascontiguousarray", "asfortranarray"}
# Functions whose arguments CuPy needs as Python numbers (cupy.arange(start, ...) calls
# numpy.dtype(type(start)), which fails for a device array), or whose first argument is
# a shape of Python ints.
_SCALARS_ONLY = {"arange", "eye", "tri", "linspace", "logspace", "identity"}
_SHAPE_FIRST = {"zeros", "ones", "empty", "full"}


def _strict_scalars(fn, name):
    def call(*args, **kwargs):
        checked = args if name in _SCALARS_ONLY else args[:1]
        flat = []
        for a in checked:
            flat.extend(a if isinstance(a, (tuple, list)) else [a])
        if name in _SCALARS_ONLY:
            flat.extend(kwargs.values())
        if any(isinstance(a, ndarray) for a in flat):
            raise TypeError(f"cupy.{name}: a device array where a Python number is expected")
        return fn(*args, **kwargs)
    return call


class _Module(types.ModuleType):
    """A module exposing `base` (NumPy or a SciPy module) with CuPy's conventions."""

    def __init__(self, name, base, extra=None):
        super().__init__(name)
        self._base = base
        self.__dict__.update(extra or {})

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        attr = getattr(self._base, name)
        if isinstance(attr, np.ufunc):
            wrapped = ufunc(attr)
        elif isinstance(attr, types.ModuleType):
            wrapped = _Module(f"{self.__name__}.{name}", attr)
        elif isinstance(attr, type) or not callable(attr):
            wrapped = attr
        else:
            wrapped = _wrap_callable(attr, f"{self.__name__}.{name}",
                                     allow_host=name in _HOST_OK)
            if self._base is np and name in _SCALARS_ONLY | _SHAPE_FIRST:
                wrapped = _strict_scalars(wrapped, name)
        setattr(self, name, wrapped)
        return wrapped


def _unwrap_kernel_args(args, params):
    """The NumPy values behind kernel arguments, checked as CuPy checks them: device
    arrays of the declared dtype, or Python/NumPy scalars (cast); host arrays refused."""
    unwrapped = []
    for a, (dtype, pname, _raw) in zip(args, params):
        if isinstance(a, ndarray):
            if a.dtype != np.dtype(dtype):
                raise TypeError(f"Type is mismatched. {pname} {a.dtype} {dtype}")
            unwrapped.append(a._a)
        elif isinstance(a, np.ndarray):
            raise TypeError(f"Unsupported type {type(a)}")
        elif isinstance(a, (bool, int, float, complex, np.generic)):
            unwrapped.append(np.asarray(a).astype(dtype)[()])
        else:
            raise TypeError(f"Unsupported type {type(a)}")
    return unwrapped


class ElementwiseKernel:
    """``cupy.ElementwiseKernel`` with CuPy's argument checks, run by g++-compiled C."""

    calls = 0  # class-wide launch count (tests read it)

    def __init__(self, in_params, out_params, operation, name="kernel", reduce_dims=True,
                 preamble="", no_return=False, return_tuple=False, **kwargs):
        if not name.isidentifier():
            raise ValueError(f'Invalid kernel name: "{name}"')
        self.in_params, self.out_params = in_params, out_params
        self.operation, self.name, self.preamble = operation, name, preamble
        self.options = kwargs.get("options", ())
        self._ins = cuda_c_harness.parse_params(in_params)
        self._outs = cuda_c_harness.parse_params(out_params)
        self._kernel = None

    def __call__(self, *args, size=None, **kwargs):
        n_in = len(self._ins)
        if len(args) not in (n_in, n_in + len(self._outs)):
            raise TypeError(f"Wrong number of arguments for '{self.name}'")
        params = self._ins + self._outs
        unwrapped = _unwrap_kernel_args(args, params)
        any_array = any(isinstance(a, ndarray) and not raw
                        for a, (_dtype, _pname, raw) in zip(args, params))
        if size is None and not any_array:
            raise ValueError("Loop size is undecided.")
        if self._kernel is None:
            self._kernel = cuda_c_harness.compile_kernel(
                self.in_params, self.out_params, self.operation, self.name, self.preamble)
        type(self).calls += 1
        out = self._kernel(*unwrapped, size=size)
        return _wrap(out)


# reduce_expr -> (the identity it needs, the NumPy reduction)
_KNOWN_REDUCTIONS = {"a + b": ("0", np.sum), "a * b": ("1", np.prod)}
_DTYPE_OF_CTYPE = {c: d for d, c in cuda_c_harness._CTYPE.items()}


class ReductionKernel:
    """``cupy.ReductionKernel``: the map expression and the post-map statement run as
    g++-compiled C (tests/support/cuda_c_harness.py), the reduction itself with NumPy in
    the ``reduce_type``; only the reductions the library uses are known (a sum and a
    product, with their identities)."""

    calls = 0  # class-wide launch count (tests read it)

    def __init__(self, in_params, out_params, map_expr, reduce_expr, post_map_expr,
                 identity, name="reduce_kernel", reduce_type=None, reduce_dims=True,
                 preamble="", options=()):
        if not name.isidentifier():
            raise ValueError(f'Invalid kernel name: "{name}"')
        if reduce_expr not in _KNOWN_REDUCTIONS or _KNOWN_REDUCTIONS[reduce_expr][0] != identity:
            raise NotImplementedError(f"the fake CuPy reduces only {sorted(_KNOWN_REDUCTIONS)} "
                                      f"with their identities, not {reduce_expr!r} "
                                      f"(identity {identity!r})")
        if reduce_type not in _DTYPE_OF_CTYPE:
            raise NotImplementedError(f"the fake CuPy needs a C reduce_type, not "
                                      f"{reduce_type!r}")
        self.in_params, self.out_params, self.name = in_params, out_params, name
        self.map_expr, self.reduce_expr, self.post_map_expr = map_expr, reduce_expr, post_map_expr
        self.identity, self.reduce_type, self.preamble = identity, reduce_type, preamble
        self.options = options
        self._ins = cuda_c_harness.parse_params(in_params)
        self._outs = cuda_c_harness.parse_params(out_params)
        self._acc = _DTYPE_OF_CTYPE[reduce_type]
        self._kernels = None

    def _compile(self):
        # As CuPy's template: _a = static_cast<reduce_type>(map_expr); POST_MAP(_s).
        mapper = cuda_c_harness.compile_kernel(
            self.in_params, f"{self._acc} _m",
            f"_m = static_cast<{self.reduce_type}>({self.map_expr})",
            f"{self.name}_mapper", self.preamble)
        post = cuda_c_harness.compile_kernel(
            f"{self._acc} a", self.out_params, self.post_map_expr, f"{self.name}_post",
            self.preamble)
        return mapper, post

    def __call__(self, *args, axis=None, keepdims=False, out=None, stream=None):
        if len(args) != len(self._ins):
            raise TypeError(f"Wrong number of arguments for '{self.name}'")
        if out is not None or keepdims:
            raise NotImplementedError("the fake ReductionKernel has no out= or keepdims")
        unwrapped = _unwrap_kernel_args(args, self._ins)
        if not any(isinstance(a, ndarray) for a in args):
            raise ValueError("a ReductionKernel needs at least one array argument")
        if self._kernels is None:
            self._kernels = self._compile()
        mapper, post = self._kernels
        type(self).calls += 1
        mapped = mapper(*unwrapped)
        reduced = _KNOWN_REDUCTIONS[self.reduce_expr][1](mapped, axis=axis, dtype=self._acc)
        return _wrap(np.asarray(post(np.asarray(reduced, dtype=self._acc))))


class _Device:
    def __init__(self, index=0):
        if index != 0:
            raise RuntimeError("cudaErrorInvalidDevice: invalid device ordinal")
        self.id = index

    def use(self):
        return self

    def synchronize(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _runtime(device_count):
    def get_count():
        if device_count is None:
            raise RuntimeError("cudaErrorInsufficientDriver: CUDA driver version is "
                               "insufficient for CUDA runtime version")
        return device_count

    return types.SimpleNamespace(
        getDeviceCount=get_count, getDevice=lambda: 0,
        getDeviceProperties=lambda i: {"name": DEVICE_NAME, "warpSize": 32})


def modules(device_count=1):
    """The fake modules by name (``device_count=None``: a driver that fails)."""
    cuda = types.ModuleType("cupy.cuda")
    cuda.runtime = _runtime(device_count)
    cuda.Device = _Device
    cupy = _Module("cupy", np, {
        "ndarray": ndarray, "ufunc": ufunc, "cuda": cuda,
        "ElementwiseKernel": ElementwiseKernel, "ReductionKernel": ReductionKernel,
        "asnumpy": lambda a, stream=None: a.get() if isinstance(a, ndarray) else np.asarray(a),
        "get_array_module": lambda *args: sys.modules["cupy"] if any(
            isinstance(a, ndarray) for a in args) else np,
        "__version__": "0.0-fake",
    })
    cupyx = types.ModuleType("cupyx")
    scipy_pkg = types.ModuleType("cupyx.scipy")
    import scipy.linalg
    import scipy.special

    special = _Module("cupyx.scipy.special", scipy.special)
    linalg = _Module("cupyx.scipy.linalg", scipy.linalg)
    scipy_pkg.special, scipy_pkg.linalg = special, linalg
    cupyx.scipy = scipy_pkg
    cupyx.scatter_add = lambda a, index, values: np.add.at(
        _unwrap(a), _unwrap_index(index), _unwrap(values))
    return {"cupy": cupy, "cupy.cuda": cuda, "cupyx": cupyx, "cupyx.scipy": scipy_pkg,
            "cupyx.scipy.special": special, "cupyx.scipy.linalg": linalg}


def install(monkeypatch, device_count=1):
    """Make ``import cupy`` give the fake (undone by `monkeypatch` at the test's end) and
    reset theano_compat's backend selection so the next GPU request uses it."""
    from theano_compat import backend
    from theano_compat.backend import cuda
    from theano_compat.sandbox import cuda as sandbox_cuda

    for name, module in modules(device_count).items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(backend, "_cuda_backends", {})
    monkeypatch.setattr(backend, "_initialized_index", [None])
    monkeypatch.setattr(backend, "_current", backend.CPU_BACKEND)
    # theano.sandbox.cuda.use() sets these module globals (Theano's): undone with the rest.
    monkeypatch.setattr(sandbox_cuda, "cuda_enabled", sandbox_cuda.cuda_enabled)
    monkeypatch.setattr(sandbox_cuda, "cuda_available", sandbox_cuda.cuda_available)
    cuda._cupyx_module.cache_clear()
    monkeypatch.setattr(cuda, "_cupyx_module", functools.cache(cuda._cupyx_module.__wrapped__))
    return sys.modules["cupy"]
