"""Record how Theano 1.0.5 prints fused elementwise nodes (tests/rewrites/test_fusion.py).

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_fusion_print.py \
        > $REPO/tests/golden/fusion_print.theano105.json

* "composite": str() of a scalar Composite ``op(i0, ..) * iN`` for each scalar op (the
  text inside ``Elemwise{...}``), built directly from theano.scalar.
* "debugprint": theano.printing.debugprint of compiled FAST_RUN functions whose fused
  graph does not depend on other rewrites (no constants, no canonical reordering).
* "pp": theano.pp of the fused output.
"""

import io
import json

import theano.tensor as T

import theano
from theano import scalar as S
from theano.tensor.nnet import sigm

UNARY = [
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin",
    "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "deg2rad",
    "rad2deg", "erf", "erfc", "erfcx", "erfinv", "erfcinv", "gamma", "gammaln", "psi",
    "tri_gamma", "j0", "j1", "i0", "i1", "ceil", "floor", "trunc", "round_half_to_even",
    "round_half_away_from_zero", "sqr", "sqrt", "abs_", "sgn", "inv", "neg", "isnan", "isinf",
    "identity",
]
BINARY = [
    "add", "sub", "mul", "true_div", "int_div", "mod", "pow", "maximum", "minimum", "arctan2",
    "lt", "gt", "le", "ge", "eq", "neq", "second", "jv", "iv",
]
INTEGER_BINARY = ["and_", "or_", "xor"]
TERNARY = ["switch", "clip"]

composite = {}
a, b, c, d = (S.float64(n) for n in "abcd")
ia, ib = S.int32("ia"), S.int32("ib")
for name in UNARY:
    composite[name] = str(S.Composite([a, b], [getattr(S, name)(a) * b]))
for name in BINARY:
    composite[name] = str(S.Composite([a, b, c], [getattr(S, name)(a, b) * c]))
for name in INTEGER_BINARY:
    composite[name] = str(S.Composite([ia, ib, c], [getattr(S, name)(ia, ib) * c]))
composite["invert"] = str(S.Composite([ia, c], [S.invert(ia) * c]))
for name in TERNARY:
    composite[name] = str(S.Composite([a, b, c, d], [getattr(S, name)(a, b, c) * d]))
composite["cast"] = str(S.Composite([a, b], [S.convert_to_int32(a) * b]))
composite["sigmoid"] = str(S.Composite([a, b], [sigm.scalar_sigmoid(a) * b]))
composite["softplus"] = str(S.Composite([a, b], [sigm.scalar_softplus(a) * b]))
composite["nested"] = str(S.Composite([a, b, c], [((a - b) - c) / (a - (b - c)) ** (-(a * b))]))

x, y, z, w = (T.matrix(n) for n in "xyzw")
e = T.exp(x)
graphs = {
    "chain": ([x, y, z, w], [x * y + z - w]),
    "diamond": ([x, y, z], [(e * y) - (e + z)]),
    "diamond_with_shared_output": ([x, y, z], [(e * y) - (e + z), e]),
    "unary_chain": ([x], [T.tanh(T.sin(T.exp(x)))]),
}
debugprint = {}
pp = {}
for name, (inputs, outputs) in graphs.items():
    f = theano.function(inputs, outputs)
    buf = io.StringIO()
    theano.printing.debugprint(f, file=buf)
    debugprint[name] = buf.getvalue()
    pp[name] = theano.pp(f.maker.fgraph.outputs[0])

print(json.dumps({"composite": composite, "debugprint": debugprint, "pp": pp}, indent=1,
                 sort_keys=True))
