"""Result dtypes of every binary/unary op and Python-literal mix, against Theano 1.0.5.

The golden files were recorded by running the same scenarios under the original Theano
1.0.5 (see ../shared/spec/golden/make_dtypes.py); each floatX runs in a subprocess so the
flag is read at import, as Theano users set it.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import theano
from tests.support.paths import GOLDEN, ROOT
from theano_compat.scalar import dtypes as D

SCENARIOS = r'''
import itertools, json, sys
import numpy as np
import theano, theano.tensor as T
dts = ['bool','int8','int16','int32','int64','uint8','float32','float64']
consts = {'py_int_1': 1, 'py_int_big': 2**40, 'py_float_0.1': 0.1, 'py_float_0.5': 0.5,
          'py_float_1e300': 1e300}
binops = {'add': lambda a,b: a+b, 'sub': lambda a,b: a-b, 'mul': lambda a,b: a*b,
          'truediv': lambda a,b: a/b, 'floordiv': lambda a,b: a//b, 'mod': lambda a,b: a%b,
          'pow': lambda a,b: a**b, 'lt': lambda a,b: a<b, 'eq': lambda a,b: T.eq(a,b),
          'maximum': lambda a,b: T.maximum(a,b)}
unops = {'exp': T.exp, 'log': T.log, 'sqrt': T.sqrt, 'tanh': T.tanh, 'sigmoid': T.nnet.sigmoid,
         'abs': abs, 'neg': lambda a: -a, 'sqr': T.sqr, 'sum': T.sum, 'mean': T.mean,
         'prod': T.prod, 'argmax': T.argmax, 'max': T.max,
         'cast_floatX_astype': lambda a: a.astype(theano.config.floatX),
         'true_div_int': lambda a: a / 2, 'floor': T.floor, 'round': lambda a: T.round(a),
         'ceil': T.ceil, 'sgn': T.sgn, 'inv': T.inv}
def dt(f, *a):
    try:
        return f(*a).dtype
    except Exception as e:
        return 'ERROR ' + type(e).__name__
out = {'floatX': theano.config.floatX, 'binary': {}, 'const': {}, 'unary': {}, 'shared': {}}
for name, f in binops.items():
    for a, b in itertools.product(dts, dts):
        out['binary'][f'{name}({a},{b})'] = dt(f, T.vector(dtype=a), T.vector(dtype=b))
    for a in dts:
        for cn, c in consts.items():
            out['const'][f'{name}({a},{cn})'] = dt(f, T.vector(dtype=a), c)
            out['const'][f'{name}({cn},{a})'] = dt(f, c, T.vector(dtype=a))
for name, f in unops.items():
    for a in dts:
        out['unary'][f'{name}({a})'] = dt(f, T.vector(dtype=a))
for cn, c in list(consts.items()) + [('py_bool', True), ('np_float32_scalar', np.float32(1)),
                                      ('list_of_float', [1.0, 2.0]), ('list_of_int', [1, 2])]:
    try:
        s = theano.shared(c)
        out['shared'][cn] = [s.dtype, repr(s.type.broadcastable), type(s).__name__]
    except Exception as e:
        out['shared'][cn] = 'ERROR ' + type(e).__name__
json.dump(out, sys.stdout)
'''


@pytest.fixture(scope="module", params=["float64", "float32"])
def observed(request):
    env = dict(os.environ, THEANO_FLAGS=f"floatX={request.param}",
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", SCENARIOS], env=env,
                          capture_output=True, text=True, check=True)
    with open(os.path.join(GOLDEN, f"dtypes_floatX_{request.param}.json")) as fh:
        golden = json.load(fh)
    return golden, json.loads(proc.stdout)


@pytest.mark.parametrize("section", ["binary", "const", "unary"])
def test_every_entry_matches_theano(observed, section):
    golden, got = observed
    assert len(golden[section]) > 100
    bad = {k: (v, got[section].get(k)) for k, v in golden[section].items()
           if got[section].get(k) != v}
    assert not bad, f"{len(bad)} of {len(golden[section])} differ (expected, got): " + str(
        dict(list(bad.items())[:20]))


def test_shared_value_types(observed):
    golden, got = observed
    for key, want in golden["shared"].items():
        if isinstance(want, str):  # Theano's generic SharedVariable has no .dtype
            assert got["shared"][key].startswith("ERROR AttributeError"), key
        else:
            assert got["shared"][key] == want, key


def test_numpy_autocaster_as_theano():
    # Theano 1.0.5 (cast_policy='custom', floatX=float64): 0.1 stays float64 (NumPy 2
    # would find float32(0.1) == 0.1), 300 is int16, 2**63 does not fit an int dtype.
    with theano.config.change_flags(floatX="float64", cast_policy="custom"):
        assert D.autocast_float_caster(0.1).dtype == np.float64
        assert D.autocast_float_caster(0.5).dtype == np.float32
        assert D.autocast_float_caster(float("nan")).dtype == np.float64
        assert D.autocast_int_caster(300).dtype == np.int16
        assert D.autocast_int_caster(-129).dtype == np.int16
        with pytest.raises(OverflowError):
            D.autocast_int_caster(2 ** 63)
    with theano.config.change_flags(floatX="float32", cast_policy="custom"):
        assert D.autocast_float_caster(0.1).dtype == np.float32


def test_python_int_literals_follow_the_cast_policy():
    # Theano 1.0.5 (theano-ref): theano.tensor.constant(5) is int8 under 'custom'; under
    # 'numpy+floatX' it is NumPy's int64, and 2**63 NumPy's uint64.
    with theano.config.change_flags(cast_policy="custom"):
        assert theano.tensor.constant(5).dtype == "int8"
        assert theano.tensor.constant(-129).dtype == "int16"
    with theano.config.change_flags(cast_policy="numpy+floatX"):
        assert theano.tensor.constant(5).dtype == "int64"
        assert theano.tensor.constant(2 ** 63).dtype == "uint64"
        assert D.python_scalar_dtype(-3) == "int64"
