"""Theano configuration flags: ``theano.config`` and ``theano.change_flags``.

Theano 1.0.5 semantics (its ``configparser.py`` / ``configdefaults.py`` are the spec):

* one typed table (``_TABLE``) of every flag: dotted name, parameter (default + validation),
  doc. Values are plain instance attributes, so reading ``config.floatX`` is one attribute
  lookup; assignment goes through the flag's parameter, which validates it;
* nested flags live on section objects (``config.gcc.cxxflags``); the Theano-PyMC/PyTensor
  spelling ``config.gcc__cxxflags`` is the same flag exposed under a second name;
* values come from ``THEANO_FLAGS`` (highest priority), then the files named by ``THEANORC``
  (default ``~/.theanorc`` and ``~/.theanorc.txt``; later files win), then the defaults;
* flags of the C / libgpuarray world are accepted but do nothing here; setting one logs one
  INFO line on the ``theano_compat.config`` logger per flag per process.

Other modules read flags as ``from theano_compat.config import config; config.floatX``.
This is the lowest layer: it may import only the standard library and NumPy.
"""

import functools
import os
import warnings

__all__ = [
    "THEANO_FLAGS", "THEANO_FLAGS_DICT", "AddConfigVar", "BoolParam", "ConfigParam",
    "ContextsParam", "DeviceParam", "EnumStr", "FloatParam", "IntParam", "StrParam",
    "TheanoConfigParser", "TypedParam", "change_flags", "config", "config_files_from_theanorc",
    "device_kind", "fetch_val_for_key", "numpy_seterr_kwargs", "parse_config_string",
]

_LOGGER_NAME = "theano_compat.config"
THEANO_FLAGS = os.environ.get("THEANO_FLAGS", "")
_UNSET = object()
_noted: set[str] = set()    # legacy-flag notes already logged (once per process)
_warned: set[str] = set()   # unknown-flag warnings already issued (once per process)


def _note(key: str, message: str) -> None:
    """Log ``message`` once per process at INFO level on the ``theano_compat.config`` logger."""
    if key in _noted:
        return
    _noted.add(key)
    # Imported here, not at the top: ``logging`` costs ~4 ms to import and is only needed
    # when a user actually sets a legacy flag (DESIGN §9.6 import budget).
    import logging

    logging.getLogger(_LOGGER_NAME).info("config: %s", message)


def _warn_once(key: str, message: str, stacklevel: int = 2) -> None:
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, UserWarning, stacklevel=stacklevel + 1)


# --------------------------------------------------------------------------- parameters


class ConfigParam:
    """One flag: its default, a validating ``filter`` and its current value ``val``.

    ``allow_override=False`` makes the flag read-only after import, as in Theano.
    ``options`` describes the valid values in error messages and ``print(config)``.
    ``no_effect`` (set from the table) is the reason a legacy flag does nothing here.
    """

    __module__ = "theano.configparser"  # Theano's path: reprs and pickles

    def __init__(self, default, filter=None, allow_override=True, options="any value"):
        self.default = default
        self.filter = filter
        self.allow_override = allow_override
        self.options = options
        self.is_default = True
        self.fullname = self.doc = self.no_effect = ""
        self.in_c_key = False
        self.val = _UNSET
        self.homes = []   # (node, attribute name) pairs through which the flag is read

    def check(self, val, source=""):
        """Return ``val`` converted by the filter; ValueError naming the flag otherwise."""
        if self.filter is None:
            return val
        try:
            return self.filter(val)
        except (ValueError, TypeError):
            raise ValueError(
                f'Invalid value ({val!r}) for configuration variable "{self.fullname}"{source}.'
                f" Valid options are {self.options}"
            ) from None

    def set(self, val):
        """Validate and assign at run time: what ``config.<flag> = val`` does."""
        if not self.allow_override and self.val is not _UNSET:
            # Theano raises a bare Exception here; RuntimeError is caught by the same handlers.
            raise RuntimeError(
                f"Can't change the value of this config parameter after initialization! "
                f"({self.fullname!r} is read-only once Theano is imported; set it with "
                "THEANO_FLAGS or .theanorc)"
            )
        self.store(self.check(val))
        if self.no_effect:
            _note_no_effect(self)

    def store(self, val):
        """Record an already valid value."""
        # Copied into the instance dict of every node exposing the flag (config.gcc.cxxflags
        # and config.gcc__cxxflags), so reading a flag is a plain attribute lookup.
        self.val = val
        for node, attr in self.homes:
            node.__dict__[attr] = val

    def __str__(self):
        return f"{self.fullname} ({self.options}) "

    # Theano's ConfigParams were descriptors on the config classes; code that walked
    # ``theano.configparser._config_var_list`` read and wrote them with these two calls.
    def __get__(self, cls, type_=None, delete_key=False):
        """The current value (``cls`` None: the parameter itself, as a class attribute)."""
        return self if cls is None else self.val

    def __set__(self, cls, val):
        self.set(val)


# Theano's parameter kinds: EnumStr, TypedParam, DeviceParam and ContextsParam are classes
# (legacy code subclasses them and tests isinstance), StrParam/IntParam/FloatParam/BoolParam
# functions returning a TypedParam, as in Theano.


class EnumStr(ConfigParam):
    """A string flag restricted to ``(default, *options)``; ``convert`` maps aliases first."""

    __module__ = "theano.configparser"  # Theano's path: reprs and pickles

    def __init__(self, default, *options, convert=None, allow_override=True):
        self.all = (default, *options)
        for choice in self.all:
            if not isinstance(choice, str):
                raise ValueError("Valid values for an EnumStr parameter should be strings",
                                 choice, type(choice))
        self.convert = convert
        super().__init__(default, self._enum_filter, allow_override, repr(self.all))

    def _enum_filter(self, val):
        if self.convert is not None:
            val = self.convert(val)
        if isinstance(val, str) and val in self.all:
            return val
        raise ValueError(val)


class TypedParam(ConfigParam):
    """A flag converted by ``mytype`` and optionally checked by ``is_valid``."""

    __module__ = "theano.configparser"  # Theano's path: reprs and pickles

    def __init__(self, default, mytype, is_valid=None, allow_override=True, options=None):
        self.mytype = mytype
        self.is_valid = is_valid
        options = options or f"values accepted by {getattr(mytype, '__name__', mytype)}"
        super().__init__(default, self._typed_filter, allow_override, options)

    def _typed_filter(self, val):
        cast_val = self.mytype(val)
        if self.is_valid is not None and not self.is_valid(cast_val):
            raise ValueError(val)
        return cast_val

    def __str__(self):
        # Theano's form names the type ("floatX (<class 'str'>)"); BoolParam's converter is a
        # function, whose repr says nothing, so the accepted values are shown instead.
        if isinstance(self.mytype, type):
            return f"{self.fullname} ({self.mytype}) "
        return super().__str__()


def StrParam(default, is_valid=None, allow_override=True):
    """A string flag (Theano's ``StrParam``)."""
    return TypedParam(default, str, is_valid, allow_override, "strings")


def IntParam(default, is_valid=None, allow_override=True):
    """An integer flag (Theano's ``IntParam``)."""
    return TypedParam(default, int, is_valid, allow_override, "integers")


def FloatParam(default, is_valid=None, allow_override=True):
    """A float flag (Theano's ``FloatParam``)."""
    return TypedParam(default, float, is_valid, allow_override, "floats")


_TRUE, _FALSE = ("True", "true", "1", True), ("False", "false", "0", False)


def _booltype(s):
    # Membership, as in Theano, so 1/0 ints count as True/False too.
    return True if s in _TRUE else False if s in _FALSE else None


def BoolParam(default, is_valid=None, allow_override=True):
    """A boolean flag: True/False, 'True'/'true'/'1', 'False'/'false'/'0'."""
    return TypedParam(default, _booltype, is_valid or (lambda b: b is not None), allow_override,
                      "True, False, 'True', 'False', 'true', 'false', '1', '0'")


def device_kind(value):
    """Map a ``device`` string to ``("cpu", None)`` or ``("cuda", index_or_None)``.

    Legacy pre-1.0 ``gpu``/``gpuN`` mean the CUDA device; ``''`` (unset
    ``init_gpu_device``) means CPU.
    """
    value = value or "cpu"
    if value == "cpu":
        return ("cpu", None)
    for prefix in ("cuda", "gpu"):
        if value.startswith(prefix):
            index = value[len(prefix):]
            if not index or (index.isascii() and index.isdigit()):
                return ("cuda", int(index) if index else None)
    raise ValueError(f"unknown device {value!r}; expected cpu, cuda, cudaN, gpu or gpuN")


class DeviceParam(ConfigParam):
    """``device`` / ``init_gpu_device``: cpu, cuda, cudaN and the legacy gpu, gpuN (stored as
    given; ``device_kind`` interprets them). OpenCL devices are not supported."""

    __module__ = "theano.configdefaults"  # Theano's path: reprs and pickles

    def __init__(self, default, *options, allow_override=True):
        opts = "'cpu', 'cuda', 'cudaN', 'gpu', 'gpuN'" if default else "'', 'cudaN', 'gpuN'"
        super().__init__(default, self._device_filter, allow_override, opts)

    def _device_filter(self, val):
        if val == self.default:
            return val
        kind = device_kind(val) if isinstance(val, str) and val else None
        if kind is None or kind[0] == "cpu" and not self.default:
            raise ValueError(val)
        if val.startswith("gpu"):
            _note(f"{self.fullname}=gpu", f"{self.fullname}={val!r} is the pre-1.0 GPU "
                  f"spelling; it selects the CUDA device (as cuda{val[3:]})")
        return val


class ContextsParam(ConfigParam):
    """``contexts``: a ``name->device`` map for multi-GPU work, ``;``-separated (Theano's
    format; read-only after import). The names cpu, cuda* and opencl* are reserved."""

    __module__ = "theano.configdefaults"  # Theano's path: reprs and pickles

    def __init__(self):
        super().__init__("", self._contexts_filter, False, "'name->device;...' maps")

    @staticmethod
    def _contexts_filter(val):
        if val == "":
            return val
        for entry in val.split(";"):
            parts = entry.split("->")
            if len(parts) != 2:
                raise ValueError(f"Malformed context map: {entry}")
            if parts[0] == "cpu" or parts[0].startswith(("cuda", "opencl")):
                raise ValueError(f"Cannot use {parts[0]} as context name")
        return val


_MODES = ("Mode", "DebugMode", "FAST_RUN", "NanGuardMode", "FAST_COMPILE", "DEBUG_MODE")


_MODE_OPTIONS = ("one of the strings " + ", ".join(repr(m) for m in _MODES)
                 + " or an instance of Mode (ProfileMode was removed in Theano 1.0: use "
                 "profile=True)")


def _filter_mode(val):
    if isinstance(val, str):
        if val in _MODES:
            return val
        raise ValueError(val)
    # A Mode instance. Matched by class name because compile.mode sits above this layer.
    if any(c.__name__ == "Mode" for c in type(val).__mro__):
        return val
    raise ValueError(val)


def _filter_vm_lazy(val):
    for out in (None, False, True):
        if val is out or val == str(out):
            return out
    raise ValueError(val)


def _expand(path):
    return os.path.expanduser(str(path))


def _expand_and_create(path):
    """`path` expanded, the directory created when it can be (Theano created its
    compiledir at import); an uncreatable one is left for its user to report."""
    path = _expand(path)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        pass
    return path


def _floatx_convert(s):
    return {"16": "float16", "32": "float32", "64": "float64"}.get(s, s)


def _good_seed(seed):
    return seed == "random" or seed.lstrip("-").isdigit()


def _good_prealloc(param):
    ok = {"initial", "previous", "c_contiguous", "f_contiguous", "strided", "wrong_size", "ALL", ""}
    return all(p in ok for p in param.split(":"))


# --------------------------------------------------------------------------- the tree


class _Node:
    """Common base of ``TheanoConfigParser`` and its sections (``config.warn`` …).

    Flag values and sub-sections are plain instance attributes; ``_params`` maps each flag
    attribute (both spellings) to its ConfigParam, which validates assignments.
    """

    _i_am_a_config_class = True

    def __setattr__(self, name, value):
        param = self._params.get(name)
        if param is not None:
            param.set(value)
        elif isinstance(self.__dict__.get(name), _Node):
            raise TypeError(f"config.{self._path}{name} is a section of flags, not a flag")
        else:
            # Theano silently stores unknown attributes; we do too, but say so once, because
            # a typo such as ``config.floatx = 'float32'`` otherwise does nothing unnoticed.
            _warn_once(f"{self._path}{name}", f"'{self._path}{name}' is not a Theano config "
                       "flag; the value is stored but has no effect", stacklevel=2)
            object.__setattr__(self, name, value)


def _new_node(cls, path):
    node = object.__new__(cls)
    node.__dict__.update(_path=path, _params={})
    return node


class TheanoConfigParser(_Node):
    """The type of ``theano.config``: every flag is an attribute (see ``print(config)``)."""

    __module__ = "theano.configparser"  # Theano's path: reprs and pickles

    def __new__(cls):
        # One config per process, as in Theano (whose instances all shared class-level values).
        return config

    def __reduce__(self):
        return "config"   # pickle/copy refer to the module-level singleton

    def __str__(self, print_doc=True):
        lines = []
        for param in _FLAGS.values():
            lines.append(str(param))
            if print_doc:
                lines.append(f"    Doc:  {param.doc}")
            lines.append(f"    Value:  {param.val}")
            lines.append("")
        return "\n".join(lines) + "\n"

    def change_flags(self, *args, **kwargs):
        """Theano-PyMC spelling of :class:`change_flags`."""
        return change_flags(*args, **kwargs)

    def add(self, name, doc, configparam, in_c_key=True):
        """Theano-PyMC spelling of :func:`AddConfigVar`."""
        AddConfigVar(name, doc, configparam, in_c_key=in_c_key)


config = _new_node(TheanoConfigParser, "")
_FLAGS: dict[str, ConfigParam] = {}       # full dotted name -> parameter, in table order
_FLAGS_LC: dict[str, ConfigParam] = {}    # lower-case dotted name -> parameter


def _canonical(key):
    return key.strip().replace("__", ".").lower()


def _note_no_effect(param):
    _note(param.fullname, f"flag {param.fullname!r} is accepted for compatibility and has no "
          f"effect ({param.no_effect})")


def AddConfigVar(name, doc, configparam, root=None, in_c_key=True):
    """Register flag ``name`` ("section.sub.option") and give it its initial value.

    Theano's registration API, kept for libraries that add their own flags. The value is
    taken from THEANO_FLAGS / .theanorc if the user set it, else from the default (a value
    or a zero-argument callable).
    """
    if name in _FLAGS:
        raise AttributeError("This name is already taken", name)
    configparam.fullname, configparam.doc, configparam.in_c_key = name, doc, in_c_key
    # The value first: a flag whose value is invalid is not registered (as in Theano, where
    # the name stays free for a corrected registration).
    value, user = _initial_value(name, configparam)
    parts = name.split(".")
    node, homes = config, []
    for i in range(len(parts) - 1):
        child = node.__dict__.get(parts[i])
        if child is None and parts[i] not in node._params:
            child = _new_node(_Node, ".".join(parts[: i + 1]) + ".")
            node.__dict__[parts[i]] = child
        elif not isinstance(child, _Node):
            raise AttributeError("This name is already taken", name)
        # The '__' spelling of the rest of the path: config.gcc__cxxflags and also
        # config.dnn.conv__algo_fwd (Theano-PyMC / PyTensor) read the same flag.
        homes.append((node, "__".join(parts[i:])))
        node = child
    if parts[-1] in node.__dict__:
        raise AttributeError("This name is already taken", name)
    homes.append((node, parts[-1]))
    for owner, attr in homes:
        owner._params[attr] = configparam
    configparam.homes = homes
    _FLAGS[name] = _FLAGS_LC[name.lower()] = configparam
    configparam.store(value)
    if user:
        configparam.is_default = False
        if configparam.no_effect:
            _note_no_effect(configparam)


def _initial_value(name, configparam):
    """(value, set by the user?) for a flag being registered; its user setting is consumed.

    THEANO_FLAGS keys are case-sensitive, as in Theano (`floatx=float32` is not floatX:
    warned about and ignored at import); .theanorc option names are not (ConfigParser).
    ``THEANO_FLAGS_DICT`` is Theano's public dict of the THEANO_FLAGS settings not yet
    consumed: an entry a library (or Theano's own test-suite) puts there is used too.
    """
    user = None
    if name in THEANO_FLAGS_DICT:
        user = (THEANO_FLAGS_DICT[name], "THEANO_FLAGS")
        _pending_flags.pop(name, None)
    elif name in _pending_flags and _pending_flags[name][2] in THEANO_FLAGS_DICT:
        # spelled with '__' (warn__round=...)
        user = (THEANO_FLAGS_DICT[_pending_flags[name][2]], "THEANO_FLAGS")
    rc = _pending.get(name.lower())
    if user is None:
        user = rc
    if user is None:
        default = configparam.default
        value = configparam.check(default() if callable(default) else default)
    else:
        value = configparam.check(user[0], f" (set in {user[1]})")
    # Consumed only once the value is valid, as Theano's fetch_val_for_key(delete_key=True).
    if name in _pending_flags:
        THEANO_FLAGS_DICT.pop(_pending_flags.pop(name)[2], None)
    THEANO_FLAGS_DICT.pop(name, None)
    _pending.pop(name.lower(), None)
    return value, user is not None


def fetch_val_for_key(key, delete_key=False):
    """The value the user set for flag `key` (a string): THEANO_FLAGS first, then the
    .theanorc files; KeyError when neither sets it (Theano's lookup). `delete_key` removes
    the THEANO_FLAGS entry once read."""
    if key in THEANO_FLAGS_DICT:
        return THEANO_FLAGS_DICT.pop(key) if delete_key else THEANO_FLAGS_DICT[key]
    rc = _theanorc.get(_canonical(key))
    if rc is None:
        raise KeyError(key)
    return rc[0]


class change_flags:
    """Temporarily set flags: ``with change_flags(floatX='float32'): ...`` or as a decorator.

    Keys are flag names, dotted (``**{'warn.round': False}``) or with ``__``
    (``warn__round=False``). The previous values are restored on exit, also on exceptions.
    """

    __module__ = "theano.configparser"  # Theano's path: reprs and pickles

    def __init__(self, args=(), **kwargs):
        new_vals = dict(args, **kwargs)
        self.confs = {}
        for k in new_vals:
            param = _FLAGS_LC.get(_canonical(k))
            if param is None:
                raise AttributeError(f"change_flags: {k!r} is not a Theano config flag")
            self.confs[k] = param
        self.new_vals = new_vals
        self._saved = []   # a stack, so a decorated function may recurse

    def __call__(self, f):
        @functools.wraps(f)
        def res(*args, **kwargs):
            with self:
                return f(*args, **kwargs)

        return res

    def __enter__(self):
        self._saved.append({k: p.val for k, p in self.confs.items()})
        try:
            for k, p in self.confs.items():
                p.set(self.new_vals[k])
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info):
        for k, old in self._saved.pop().items():
            self.confs[k].store(old)   # old values were valid; no filter, no read-only check


def numpy_seterr_kwargs():
    """Keyword arguments for ``numpy.seterr`` from the ``numpy.seterr_*`` flags (Theano's
    ``import theano`` applies them; 'None' leaves NumPy's setting alone)."""
    kinds = ("all", "divide", "over", "under", "invalid")
    vals = {k: getattr(config.numpy, "seterr_" + k) for k in kinds}
    return {k: (None if v == "None" else v) for k, v in vals.items()}


# --------------------------------------------------------------------------- sources


def parse_config_string(config_string, issue_warnings=True, source=None):
    """Parse THEANO_FLAGS-style ``key=value,key=value`` into a dict (later keys win).

    `source` names where the string comes from (e.g. ``"THEANO_FLAGS"``) in the error a
    malformed string raises.
    """
    if any(c in config_string for c in "\"'\\#"):
        # Quotes/escapes need Theano's shlex splitting; lazy: shlex costs ~0.5 ms to import.
        import shlex

        splitter = shlex.shlex(config_string, posix=True)
        splitter.whitespace, splitter.whitespace_split = ",", True
        try:
            items = list(splitter)
        except ValueError as e:  # shlex's bare "No closing quotation"
            where = f"{source}={config_string!r}" if source else repr(config_string)
            raise ValueError(f"{e} in {where}") from None
    else:
        items = config_string.split(",")
    out = {}
    for kv in items:
        kv = kv.strip()
        if not kv:
            continue
        key, eq, val = kv.partition("=")
        if not eq:
            if issue_warnings:
                _warn_once("novalue:" + key, f"Config key '{key}' has no value, ignoring it")
            continue
        out[key.strip()] = val
    return out


def config_files_from_theanorc():
    """The configuration files to read: those THEANORC names (os.pathsep-separated; later
    files win), else ~/.theanorc and ~/.theanorc.txt (user directory expanded)."""
    spec = os.environ.get("THEANORC")
    names = spec.split(os.pathsep) if spec is not None else ["~/.theanorc", "~/.theanorc.txt"]
    return [os.path.expanduser(n) for n in names]


def _read_theanorc():
    """{lower-case dotted key: (value, file, key as written)} from the THEANORC files."""
    files = [f for f in config_files_from_theanorc() if os.path.isfile(f)]
    if not files:
        return {}
    # Lazy: configparser costs ~2 ms to import, and most users have no .theanorc.
    import configparser

    # Theano's interpolation defaults, e.g. ``base_compiledir = /scratch/%(USER)s/theano``.
    home_tail = os.path.split(os.path.expanduser("~"))[-1]
    interp = {"USER": os.environ.get("USER", home_tail), "PID": str(os.getpid()),
              **{k: os.environ.get(k, "") for k in ("LSCRATCH", "TMPDIR", "TEMP", "TMP")}}
    out = {}
    for path in files:   # one parser per file, so each value records the file it came from
        cfg = configparser.ConfigParser(interp)
        cfg.read(path)
        hidden = set(cfg.defaults())
        for section in cfg.sections():
            prefix = "" if section.lower() == "global" else section + "."
            for option in cfg.options(section):
                if option in hidden:
                    continue
                try:
                    value = cfg.get(section, option)
                except configparser.InterpolationError:
                    value = cfg.get(section, option, raw=True)
                out[_canonical(prefix + option)] = (value, path, prefix + option)
    return out


_theanorc = _read_theanorc()            # every .theanorc setting (fetch_val_for_key)
_pending = dict(_theanorc)              # those no registered flag has consumed yet
# Theano's THEANO_FLAGS_DICT: {key as written: value} of the THEANO_FLAGS settings no flag
# has consumed yet; _pending_flags indexes the same settings by dotted name.
THEANO_FLAGS_DICT = parse_config_string(THEANO_FLAGS, source="THEANO_FLAGS")
_pending_flags = {k.strip().replace("__", "."): (v, "THEANO_FLAGS", k)
                  for k, v in THEANO_FLAGS_DICT.items()}

# --------------------------------------------------------------------------- the table

_C = "no C compiler is used"
_GPU = "the GPU backend is CuPy; libgpuarray, cuDNN and old-backend settings do not apply"
_CACHE = "nothing is compiled to disk"
_V = ("0.3", "0.4", "0.4.1", "0.5", "0.6", "0.7", "0.8", "0.8.1", "0.8.2", "0.9", "0.10", "1.0",
      "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.0.5")
_TV = ("off", "ignore", "warn", "raise", "pdb")
_ERR = ("ignore", "warn", "raise", "call", "print", "log")
_RT = ("guess_once", "guess_on_shape_change", "time_once", "time_on_shape_change")
_HOME = os.environ.get("HOME") or os.path.expanduser("~")
_RO = {"allow_override": False}   # read-only after import, as in Theano


def _warn_default(version):
    """Theano's ``warn_default``: warn about bugs fixed after ``warn.ignore_bug_before``."""
    ignore = config.warn.ignore_bug_before
    if ignore in ("None", "all"):
        return ignore == "None"
    return tuple(map(int, ignore.split("."))) < tuple(map(int, version.split(".")))


def _bug(version):
    # A callable default, evaluated at registration, after warn.ignore_bug_before is known.
    return BoolParam(lambda: _warn_default(version))


_B, _I, _F, _S, _E = BoolParam, IntParam, FloatParam, StrParam, EnumStr

# (name, parameter, doc[, why it has no effect here]). Theano 1.0.5's configdefaults.py in its
# order (dependencies first), plus pre-1.0 flags old scripts still set (lib.cnmem, nvcc.*).
_TABLE = (
    ("floatX", _E("float64", "float32", "float16", convert=_floatx_convert),
     "Default floating-point precision for python casts."),
    ("warn_float64", _E("ignore", "warn", "raise", "pdb"),
     "Do an action when a tensor variable with float64 dtype is created."),
    ("pickle_test_value", _B(True), "Dump test values while pickling model."),
    ("cast_policy", _E("custom", "numpy+floatX"), "Rules for implicit type casting."),
    ("int_division", _E("int", "raise", "floatX"), "What to do for x / y with integer x and y."),
    ("deterministic", _E("default", "more"), "'more': prefer deterministic implementations."),
    ("device", DeviceParam("cpu", **_RO),
     "Default device for computations: cpu, cuda, cudaN (legacy gpu, gpuN mean cuda)."),
    ("init_gpu_device", DeviceParam("", **_RO), "Initialize this GPU without using it."),
    ("force_device", _B(False, **_RO), "Raise an error if we can't use the specified device."),
    ("conv.assert_shape", _B(False), "Check user-provided convolution shapes at run time."),
    ("print_global_stats", _B(False), "Print global statistics at the end."),
    ("contexts", ContextsParam(), "Context map for multi-gpu operation.", _GPU),
    ("print_active_device", _B(True, **_RO), "Print the active device at GPU init."),
    ("gpuarray.sync", _B(False, **_RO), "Deprecated.", _GPU),
    ("gpuarray.preallocate", _F(0, **_RO), "GPU memory to preallocate (fraction or MB).", _GPU),
    ("gpuarray.sched", _E("default", "multi", "single"), "pygpu context sched mode.", _GPU),
    ("gpuarray.single_stream", _B(True), "Use a single GPU stream.", _GPU),
    ("cuda.root", _S(lambda: os.environ.get("CUDA_ROOT") or os.environ.get("CUDA_PATH", "")),
     "Location of the cuda installation.", _GPU),
    ("cuda.include_path", _S(""), "Location of the cuda includes.", _GPU),
    ("dnn.conv.workmem", _S(""), "Deprecated; use dnn.conv.algo_fwd.", _GPU),
    ("dnn.conv.workmem_bwd", _S(""), "Deprecated; use dnn.conv.algo_bwd_*.", _GPU),
    ("dnn.conv.algo_bwd", _S(""), "Deprecated; use dnn.conv.algo_bwd_*.", _GPU),
    ("dnn.conv.algo_fwd", _E("small", "none", "large", "fft", "fft_tiling", "winograd",
                             "winograd_non_fused", *_RT), "cuDNN forward convolution.", _GPU),
    ("dnn.conv.algo_bwd_data", _E("none", "deterministic", "fft", "fft_tiling", "winograd",
                                  "winograd_non_fused", *_RT), "cuDNN gradient wrt inputs.", _GPU),
    ("dnn.conv.algo_bwd_filter", _E("none", "deterministic", "fft", "small", "winograd_non_fused",
                                    "fft_tiling", *_RT), "cuDNN gradient wrt filters.", _GPU),
    ("dnn.conv.precision", _E("as_input_f32", "as_input", "float16", "float32", "float64"),
     "Data precision used in cuDNN convolutions.", _GPU),
    ("dnn.base_path", _S(""), "Install location of cuDNN.", _GPU),
    ("dnn.include_path", _S(""), "Location of the cudnn header.", _GPU),
    ("dnn.library_path", _S(""), "Location of the cudnn link library.", _GPU),
    ("dnn.bin_path", _S(""), "Location of the cuDNN load library.", _GPU),
    ("dnn.enabled", _E("auto", "True", "False", "no_check"), "Whether to use cuDNN.", _GPU),
    ("magma.include_path", _S(""), "Location of the magma header.", _GPU),
    ("magma.library_path", _S(""), "Location of the magma library.", _GPU),
    ("magma.enabled", _B(False), "Use magma for matrix computation.", _GPU),
    ("assert_no_cpu_op", _E("ignore", "warn", "raise", "pdb"), "Act on CPU ops in GPU graphs."),
    ("mode", ConfigParam("Mode", _filter_mode, True, _MODE_OPTIONS),
     "Default compilation mode."),
    ("cxx", _S(""), "The C++ compiler to use; empty: no C++ code is compiled.", _C),
    ("linker", _E("cvm", "c|py", "py", "c", "c|py_nogc", "vm", "vm_nogc", "cvm_nogc"),
     "Default linker used if the theano flags mode is Mode."),
    ("allow_gc", _B(True), "Free intermediate results during function calls."),
    ("optimizer", _E("o4", "o3", "o2", "o1", "unsafe", "fast_run", "fast_compile", "merge",
                     "None"), "Default optimizer used with the Mode."),
    ("optimizer_verbose", _B(False), "If True, print all optimizations applied."),
    ("on_opt_error", _E("warn", "raise", "pdb", "ignore"), "What to do when a rewrite crashes."),
    ("nocleanup", _B(False), "Keep code files that did not compile cleanly.", _C),
    ("on_unused_input", _E("raise", "warn", "ignore"), "What to do with unused function inputs."),
    ("tensor.cmp_sloppy", _I(0, lambda i: i in (0, 1, 2), **_RO),
     "Relax tensor._allclose (0) not at all, (1) a bit, (2) more."),
    ("tensor.local_elemwise_fusion", _B(True), "Enable elemwise fusion in fast_run."),
    ("gpu.local_elemwise_fusion", _B(True), "Enable the gpu elemwise fusion.", _GPU),
    ("lib.amdlibm", _B(False), "Use amd's amdlibm numerical library.", _C),
    ("gpuelemwise.sync", _B(True), "Wait for gpu elemwise kernels to finish.", _GPU),
    ("traceback.limit", _I(8), "The number of stack frames to trace. -1 means all."),
    ("traceback.compile_limit", _I(0), "Stack frames kept during compilation. -1 means all."),
    ("experimental.unpickle_gpu_on_cpu", _B(False), "Unpickle GpuArrays as numpy.ndarrays."),
    ("numpy.seterr_all", _E(*_ERR, "None", **_RO), "numpy.seterr(all=...) applied at import."),
    *((f"numpy.seterr_{k}", _E("None", *_ERR, **_RO), f"numpy.seterr({k}=...); None: all.")
      for k in ("divide", "over", "under", "invalid")),
    ("warn.ignore_bug_before", _E("0.9", "None", "all", *_V, **_RO),
     "Do not warn about Theano bugs fixed before this version ('None': warn about all)."),
    ("warn.argmax_pushdown_bug", _bug("0.3"), "Warn about an old argmax_pushdown bug."),
    ("warn.gpusum_01_011_0111_bug", _bug("0.3"), "Warn about an old GpuSum bug."),
    ("warn.sum_sum_bug", _bug("0.3"), "Warn about an old bug with 2 consecutive sums."),
    ("warn.sum_div_dimshuffle_bug", _bug("0.3"), "Warn about an old sum/div/dimshuffle bug."),
    ("warn.subtensor_merge_bug", _bug("0.5"), "Warn about an old negative-stride indexing bug."),
    ("warn.gpu_set_subtensor1", _bug("0.6"), "Warn about an old gpu set_subtensor bug."),
    ("warn.vm_gc_bug", _B(False), "Warn about an unreleased vm gc bug."),
    ("warn.signal_conv2d_interface", _bug("0.7"), "Warn about the signal.conv2d change."),
    ("warn.reduce_join", _bug("0.7"), "Warn about an old Reduce(Join) bug."),
    ("warn.inc_set_subtensor1", _bug("0.7"), "Warn about an old inc/set_subtensor bug."),
    ("warn.round", _bug("0.9"), "Warn that round now rounds half to even."),
    ("warn.inc_subtensor1_opt", _bug("0.10"), "Warn about an old inc_subtensor bug."),
    ("compute_test_value", _E(*_TV), "Run each op at graph build time on tag.test_value."),
    ("print_test_value", _B(False), "Show test values when printing variables."),
    ("compute_test_value_opt", _E(*_TV), "compute_test_value during optimization."),
    ("unpickle_function", _B(True), "If False, unpickled Theano functions become None."),
    ("reoptimize_unpickled_function", _B(False), "Re-optimize unpickled functions."),
    ("exception_verbosity", _E("low", "high"), "'high' adds the graph to error messages."),
    ("openmp", _B(False), "Allow parallel computation on the CPU with OpenMP.", _C),
    ("openmp_elemwise_minsize", _I(200000), "Minimum size for OpenMP elemwise.", _C),
    ("check_input", _B(True), "Types check their input in their C code.", _C),
    ("cache_optimizations", _B(False), "Use the optimization cache (never worked).", _C),
    ("unittests.rseed", _S(666, _good_seed), "Seed for randomized unit tests ('random')."),
    ("NanGuardMode.nan_is_error", _B(True), "Default value for nan_is_error."),
    ("NanGuardMode.inf_is_error", _B(True), "Default value for inf_is_error."),
    ("NanGuardMode.big_is_error", _B(True), "Default value for big_is_error."),
    ("NanGuardMode.action", _E("raise", "warn", "pdb"), "What NanGuardMode does on a problem."),
    ("optimizer_excluding", _S("", **_RO), "Remove rewrites with these ':'-separated tags."),
    ("optimizer_including", _S("", **_RO), "Add rewrites with these ':'-separated tags."),
    ("optimizer_requiring", _S("", **_RO), "Require rewrites with these ':'-separated tags."),
    ("DebugMode.patience", _I(10, lambda i: i > 0), "Optimize this many times to check."),
    ("DebugMode.check_c", _B(False), "Run C implementations where possible.", _C),
    ("DebugMode.check_py", _B(True), "Run Python implementations where possible."),
    ("DebugMode.check_finite", _B(True), "Complain about NaN/Inf results."),
    ("DebugMode.check_strides", _I(0, lambda i: i in (0, 1, 2)), "Strides: ignore/warn/raise."),
    ("DebugMode.warn_input_not_reused", _B(True), "Warn if an inplace op copied its input."),
    ("DebugMode.check_preallocated_output", _S("", _good_prealloc),
     "Test with pre-allocated output storage (':'-separated kinds, or ALL)."),
    ("DebugMode.check_preallocated_output_ndim", _I(4, lambda i: i > 0), "Dims for 'strided'."),
    ("profiling.time_thunks", _B(True), "Time individual thunks when profiling."),
    ("profiling.n_apply", _I(20, lambda i: i > 0), "Number of Apply nodes to print."),
    ("profiling.n_ops", _I(20, lambda i: i > 0), "Number of Ops to print."),
    ("profiling.output_line_width", _I(512, lambda i: i > 0), "Max profile line width."),
    ("profiling.min_memory_size", _I(1024, lambda i: i >= 0), "Memory profile threshold."),
    ("profiling.min_peak_memory", _B(False), "The min peak memory usage of the order."),
    ("profiling.destination", _S("stderr"), "File destination of the profiling output."),
    ("profiling.debugprint", _B(False), "Debugprint the profiled functions."),
    ("profiling.ignore_first_call", _B(False), "Ignore the first call in profiles."),
    ("optdb.position_cutoff", _F(float("inf")), "Where to stop optimizing early."),
    ("optdb.max_use_ratio", _F(8), "Ratio that prevents infinite rewrite loops."),
    ("gcc.cxxflags", _S(""), "Extra compiler flags for gcc.", _C),
    ("cmodule.warn_no_version", _B(False), "Warn about uncachable C code.", _C),
    ("cmodule.remove_gxx_opt", _B(False), "Remove the -O* parameter passed to g++.", _C),
    ("cmodule.compilation_warning", _B(False), "Print compilation warnings.", _C),
    ("cmodule.preload_cache", _B(False, **_RO), "Preload the C module cache.", _C),
    ("cmodule.age_thresh_use", _I(2073600, **_RO), "Seconds a C module is reused.", _C),
    ("cmodule.debug", _B(False), "Define a DEBUG macro for compiled C code.", _C),
    ("blas.ldflags", _S(""), "Lib[s] to include for [Fortran] level-3 blas.", _C),
    ("blas.check_openmp", _B(True), "Check for openmp library conflict.", _C),
    ("metaopt.verbose", _I(0), "Verbosity of the meta-optimizer.", _C),
    ("metaopt.optimizer_excluding", _S(""), "Exclude meta-optimizers with these tags.", _C),
    ("metaopt.optimizer_including", _S(""), "Include meta-optimizers with these tags.", _C),
    ("profile", _B(False), "If VM should collect profile information."),
    ("profile_optimizer", _B(False), "If VM should collect optimizer profiles."),
    ("profile_memory", _B(False), "If VM should collect memory profiles."),
    ("vm.lazy", ConfigParam("None", _filter_vm_lazy), "None: auto; True/False force laziness."),
    ("warn.identify_1pexp_bug", _bug("0.4.1"), "Warn about an old is_1pexp bug."),
    ("on_shape_error", _E("warn", "raise"), "warn: print a warning; raise: raise an error."),
    ("tensor.insert_inplace_optimizer_validate_nb", _I(-1), "-1: auto.", _C),
    ("experimental.local_alloc_elemwise", _B(True, lambda b: b is True), "Must be True."),
    ("experimental.local_alloc_elemwise_assert", _B(True), "Assert in local_alloc_elemwise."),
    ("scan.allow_gc", _B(False), "Allow/disallow gc inside of Scan."),
    ("scan.allow_output_prealloc", _B(True), "Preallocate outputs inside of scan."),
    ("scan.debug", _B(False), "Extra verbose output related to scan."),
    ("compile.wait", _I(5, lambda i: i > 0, **_RO), "Compile lock retry delay (s).", _CACHE),
    ("compile.timeout", _I(lambda: config.compile.wait * 24, lambda i: i >= 0, **_RO),
     "Seconds before overriding an existing compile lock.", _CACHE),
    ("cycle_detection", _E("regular", "fast"), "Inplace cycle detection strategy."),
    ("check_stack_trace", _E("off", "log", "warn", "raise"), "Check rewrites keep traces."),
    ("compiledir_format", _S("compiledir_theano_compat", **_RO), "Compiledir name.", _CACHE),
    ("base_compiledir", ConfigParam(os.path.join(_HOME, ".theano"), _expand, **_RO),
     "Root directory for compiled modules (never created).", _CACHE),
    ("compiledir", ConfigParam(lambda: os.path.join(config.base_compiledir,
                                                    config.compiledir_format),
                               _expand_and_create, **_RO),
     "Cache directory (created when first read, as Theano did; nothing is compiled into "
     "it, but legacy code and tests write files there).", _CACHE),
    ("gpuarray.cache_path", _S(lambda: os.path.join(config.compiledir, "gpuarray_kernels"),
                               **_RO), "Directory for gpuarray kernels.", _GPU),
    ("ctc.root", _S("", **_RO), "Root of Baidu CTC library.", _C),
    ("lib.cnmem", _F(0), "Pre-1.0 CUDA backend memory pool size.", _GPU),
    ("nvcc.fastmath", _B(False), "Pre-1.0 nvcc -use_fast_math.", _GPU),
    ("nvcc.flags", _S(""), "Pre-1.0 extra nvcc flags.", _GPU),
    ("nvcc.compiler_bindir", _S(""), "Pre-1.0 nvcc host compiler directory.", _GPU),
    ("pycuda.init", _B(False), "Pre-1.0: initialize pycuda.", _GPU),
)

for _name, _param, _doc, *_why in _TABLE:
    _param.no_effect = _why[0] if _why else ""
    AddConfigVar(_name, _doc, _param, in_c_key=False)
del _name, _param, _doc, _why, _B, _I, _F, _S, _E

# Theano warns about THEANO_FLAGS keys it does not know; we do so for .theanorc keys too.
for _key, (_val, _src, _spelled) in [*_pending_flags.items(), *_pending.items()]:
    _hint = ""
    if _canonical(_key) in _FLAGS_LC:  # e.g. floatx=float32: flag names are case-sensitive
        _hint = (" (flag names are case-sensitive: did you mean "
                 f"{_FLAGS_LC[_canonical(_key)].fullname!r}?)")
    _warn_once(_key, f"Theano does not recognise this flag: {_spelled!r} (set in {_src}); "
               f"it is ignored{_hint}")
