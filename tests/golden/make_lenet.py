"""Record Theano 1.0.5's run of the legacy LeNet script (tests/unit/test_lenet.py compares
ours to it).

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_lenet.py \
        > $REPO/tests/golden/lenet.theano105.json

Each configuration runs tests/legacy_tutorials/programs/lenet_legacy.py in a fresh
interpreter (this one, so under Theano 1.0.5) with its environment, and keeps the
[golden] blocks it prints (costs of every minibatch, validation errors, test error,
parameter sums) as {label: [dtype, shape, values]}.  The downsample variant is not
recorded: Theano 1.0.5 had no theano.tensor.signal.downsample; the test compares it with
the pool_2d run, which builds the same graph.
"""

import json
import os
import subprocess
import sys
import tempfile

from _record import golden_blocks

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(ROOT, "tests", "legacy_tutorials", "programs", "lenet_legacy.py")

CONFIGS = {
    "nnet_conv2d_pool_float32": {"LENET_CONV": "nnet", "LENET_POOL": "pool", "floatX": "float32"},
    "old_conv_pool_float64": {"LENET_CONV": "conv", "LENET_POOL": "pool", "floatX": "float64"},
}


def main():
    import theano

    if os.path.realpath(theano.__file__).startswith(os.path.realpath(ROOT)):
        sys.exit("make_lenet.py must run under the original Theano 1.0.5 (theano-ref), "
                 "from outside the repository")
    result = {"theano": theano.__version__}
    for name, cfg in CONFIGS.items():
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        env["THEANO_FLAGS"] = ",".join(
            f for f in (os.environ.get("THEANO_FLAGS", ""), "floatX=" + cfg["floatX"]) if f)
        env.update({k: v for k, v in cfg.items() if k.startswith("LENET_")})
        proc = subprocess.run([sys.executable, SCRIPT], env=env, capture_output=True,
                              text=True, cwd=tempfile.gettempdir(), check=False)
        if proc.returncode:
            sys.exit(f"{name} failed:\n{proc.stderr[-3000:]}")
        result[name] = {"config": cfg, "blocks": golden_blocks(proc.stdout)}
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
