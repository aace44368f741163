"""Per-page tables: how each page was produced and what on it cannot be run or compared.

``PAGES``: the seed pages (by number); ``DOC_PAGES``: Theano 1.0.5's tutorial pages (by name),
whose tables also give ``skip`` (blocks not run, with the reason: GPU, a missing program or
file) and ``known`` (:class:`KnownGap`: blocks that fail because of a gap of this project, with
the cause and a text the failure must show).

Everything here is decided from evidence on the page (quoted in the reasons), never to make a
block pass.  Blocks are named by their stable key: page number + first code line, as printed
by ``tools/run_legacy_tutorials.py --list``.  The runner fails on an entry whose key no longer
exists on its page, so the tables cannot silently go stale.

* ``floatX``: the ``THEANO_FLAGS=floatX=...`` the page's code runs with - the one the page was
  produced with.
* ``damaged``: blocks the scraper broke; listed with the reason, not run.  (Code flattened onto
  one line is found by the extractor itself, see ``extract.py``; the reason it gives is used.)
* ``outputs``: blocks whose output on the page cannot be reproduced as printed.  The code still
  runs.  ``"text"``: the numbers are not compared (their values depend on unseeded random
  data), the text around them and the count and kind of the numbers are; ``"none"``: nothing
  is compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DOC_PAGES",
    "PAGES",
    "KnownGap",
    "OutputPolicy",
    "PageInfo",
    "doc_page_info",
    "page_info",
]


@dataclass(frozen=True)
class OutputPolicy:
    compare: str  # "text" | "none"
    reason: str


@dataclass(frozen=True)
class KnownGap:
    """A block that fails because of a gap in this project, with the cause.  It is reported
    as a known gap, not a failure, while its failure shows *match*; a block that fails
    otherwise, or passes, is reported as such."""

    reason: str
    match: str  # text the failure (error or output diff) must show


@dataclass(frozen=True)
class PageInfo:
    title: str
    floatX: str = "float64"
    floatX_reason: str = "Theano's default floatX"
    damaged: dict = field(default_factory=dict)  # key -> reason
    outputs: dict = field(default_factory=dict)  # key -> OutputPolicy
    notes: tuple = ()
    skip: dict = field(default_factory=dict)  # key -> why it is not run (Theano doc pages)
    known: dict = field(default_factory=dict)  # key -> KnownGap (Theano doc pages)


_UNSEEDED = "unseeded random data (numpy.random without a seed)"

_GPU_FLOAT32 = (
    "the page was produced on a GPU with floatX=float32: In [1] printed 'Using gpu device 0: "
    "GeForce GTX 850M', the message of the old CUDA backend (device=gpu), which computed in "
    "float32 only and was used with floatX=float32"
)

PAGES = {
    "000": PageInfo(
        title=(
            "CSDN blog (Chinese): Theano logistic regression, doctest prompts in a Markdown fence"
        ),
        floatX="float64",
        floatX_reason=(
            "every variable has an explicit float64 type (T.dmatrix, T.dvector, shared float64 "
            "arrays), as in the Theano docs' example it copies; no output is shown to suggest "
            "otherwise"
        ),
        notes=(
            "No output is shown on the page: every block is run, nothing is compared.",
            (
                "The `...` prompts of `train = theano.function(` and of the training loop were "
                "lost in scraping; the extractor joins those lines back (structural rule, see "
                "extract.py)."
            ),
            "The 10,000-step training loop (400x784 logistic regression) is real work and runs.",
        ),
    ),
    "001": PageInfo(
        title="Jupyter notebook (Chinese): linear regression with T.scalar and per-sample SGD",
        floatX="float32",
        floatX_reason=(
            _GPU_FLOAT32 + "; Out[11] shows HostFromGpu(w) and HostFromGpu(b): the shared w and "
            "b (dtype=theano.config.floatX) lived on the GPU, which only float32 shared "
            "variables did.  T.scalar() and the shared variables follow floatX"
        ),
        outputs={
            "print w.get_value()  # 接近 2": OutputPolicy(
                "text",
                "w and b after training on train_Y = 2 * train_X + 1 + np.random.randn(...) * "
                "0.33: " + _UNSEEDED + ", so the values differ run to run (the page's "
                "1.94257426262 and 1.00938093662 are one draw, printed by Python 2 at 12 digits)",
            ),
        },
        notes=("Python 2 code (print statements, xrange): converted in memory by legacy.py2to3.",),
    ),
    "002": PageInfo(
        title="Chinese blog: line-by-line analysis of deeplearning.net's logistic_sgd.py",
        notes=(
            (
                "Every code listing on this page was flattened onto one line by the scraper (line "
                "breaks lost, line numbers glued in, quotes turned into ‘ ’); the extractor lists "
                "each as damaged."
            ),
            (
                "Even unflattened, the code is a fragment of logistic_sgd.py: LogisticRegression, "
                "test_set_x, valid_set_x, train_set_x, batch_size and learning_rate are never "
                "defined on the page."
            ),
            (
                "Inline code inside the Chinese prose (`a, b = T.iscalar(), T.iscalar()`, "
                "`c = a + b`) is not a code block."
            ),
        ),
    ),
    "003": PageInfo(
        title="Jupyter notebook (Chinese): sigmoid and logistic regression",
        floatX="float32",
        floatX_reason=(
            _GPU_FLOAT32 + "; Out[3] and Out[5] print dtype=float32 for sigmoid(x) with "
            "x = T.matrix('x'), a floatX matrix"
        ),
        outputs={
            "for i in xrange(10001):": OutputPolicy(
                "text",
                "the training errors depend on D = (rng.randn(400, 784), rng.randint(...)) and "
                "w = rng.randn(784): " + _UNSEEDED,
            ),
            "print D[1]": OutputPolicy(
                "text", "D[1] = rng.randint(size=400, low=0, high=2): " + _UNSEEDED
            ),
            "print predict(D[0])": OutputPolicy(
                "none",
                "the page's pre-1.0 Theano returned int8 for `h > 0.5` and printed 0/1; Theano "
                "1.0.5 returns bool and prints True/False (spec/golden/seed1_logreg."
                "theano105.out); the values also depend on " + _UNSEEDED,
            ),
        },
        notes=(
            "Python 2 code (print statements, xrange): converted in memory by legacy.py2to3.",
            "The 10,001-step training loop (400x784 logistic regression) is real work and runs.",
        ),
    ),
    "004": PageInfo(
        title="Theano 1.0 docs, tutorial 'More Examples' (reST source with doctests), scraped",
        floatX="float64",
        floatX_reason=(
            "the Theano docs' doctests run with the default floatX=float64: the shown results "
            "have float64 precision and no dtype= (logistic on T.dmatrix: 0.73105858)"
        ),
        damaged={
            "import numpy": (
                "scraping dropped text from the logistic-regression testcode: "
                "`p_1 = 1 / (1 + T.exp(, w) - b))` lost `-T.dot(x` and does not parse; "
                "`inputs=[x,y],` is missing from `train = theano.function(`; and, compared with "
                "the same program in the Theano docs (and page 000), the `print(w.get_value())`, "
                "`print(b.get_value())`, `print(D[1])`, `print(predict(D[0]))` lines and the "
                "`...` lines of its testoutput are gone"
            ),
        },
        notes=(
            (
                "The scraper dropped the outputs of many doctest statements (`f(33)`, "
                "`accumulator(1)`, `print(state.get_value())`, ...): no output shown means nothing "
                'to compare, not "prints nothing".'
            ),
            (
                "RandomStreams examples are seeded (seed=234, 123, 987): their shown outputs are "
                "compared."
            ),
        ),
    ),
}


def page_info(page: str) -> PageInfo:
    """The table entry of *page*, or a neutral default for a page without one."""
    return PAGES.get(page) or PageInfo(title="(no entry in legacy/pages.py)")


# --------------------------------------------------------------------------- Theano's tutorial

_DOC_FLOATX = "Theano's default floatX (the docs' doctests ran with the default flags)"

_GPU = "GPU: "
_CONTEXTS = (
    _GPU + "needs two GPU contexts named dev0 and dev1 (THEANO_FLAGS=\"contexts=dev0->cuda0;"
    "dev1->cuda1\"): without them Theano 1.0.5 itself rejects target='dev0'"
)

def _doc(page: str, title: str, **kw) -> PageInfo:
    return PageInfo(
        title=f"Theano 1.0.5 tutorial: {title} (doc/tutorial/{page}.txt)",
        floatX_reason=_DOC_FLOATX,
        **kw,
    )


DOC_PAGES: dict = {
    "adding": _doc("adding", "Baby Steps - Algebra"),
    "debug_faq": _doc(
        "debug_faq",
        "Debugging Theano: FAQ and Troubleshooting",
        known={
            "x = T.scalar('x')": KnownGap(
                "config.print_test_value is not honoured by Variable.__repr__ (graph/basic.py), "
                "and tag.test_value is stored as given (42), not filtered by the variable's "
                "type (Theano: array(42.0))",
                "array(42.0)",
            ),
            "from __future__ import print_function": KnownGap(
                "no local_upcast_elemwise_constant_inputs rewrite: `5 * x` (x float64) keeps "
                "the int8 TensorConstant{5} (array(5, dtype=int8)) where Theano's FAST_RUN "
                "computes with TensorConstant{5.0} (array(5.0)); the values agree",
                "TensorConstant{5}",
            ),
        },
    ),
    "modes": _doc(
        "modes",
        "Configuration Settings and Compiling Modes",
    ),
    "printing_drawing": _doc(
        "printing_drawing",
        "Printing/Drawing Theano graphs",
        known={
            "theano.printing.debugprint(predict)  # doctest: +NORMALIZE_WHITESPACE, +ELLIPSIS": (
                KnownGap(
                    "the fused Composite's text: the graph is Theano's node for node "
                    "(Gemv{inplace} over AllocEmpty, InplaceDimShuffle{x}), but the sigmoid's "
                    "argument prints as "
                    "(i0 + i1) where Theano's canonicalizer left (-((-i0) - i1)); same values",
                    "scalar_sigmoid",
                )
            ),
        },
        notes=(
            "The three pydotprint examples are `+SKIP` on the page (they need pydot and the "
            "graphviz `dot` program to write PNG files).",
        ),
    ),
    "shape_info": _doc(
        "shape_info",
        "Shape Information",
        known={
            "f = theano.function([x, y], z.shape)": KnownGap(
                "no in-place rewrites: the shape sum prints as Elemwise{add,no_inplace} where "
                "Theano's FAST_RUN made it Elemwise{Add}[(0, 0)] (the rest of the graph "
                "matches, and f(xv, yv) gives [8, 4] without computing the join, as Theano)",
                "Elemwise{Add}[(0, 0)]",
            ),
        },
    ),
    "sparse": _doc(
        "sparse",
        "Sparse",
        notes=(
            "`sparse.all_dtypes` is `+SKIP` on the page (a set: its order is not fixed).",
        ),
    ),
    "loading_and_saving": _doc(
        "loading_and_saving",
        "Loading and Saving",
        skip={
            "import numpy": (
                "a missing input file: `numpy.load('model.zip')` reads a model saved with "
                "theano.misc.pkl_utils.dump elsewhere; nothing on the page writes model.zip "
                "(Theano 1.0.5 fails the same way: FileNotFoundError)"
            ),
        },
    ),
    "using_gpu": _doc(
        "using_gpu",
        "Using the GPU",
        skip={
            "# (from PyCUDA's documentation)": (
                _GPU + "needs PyCUDA and an NVIDIA GPU (`import pycuda.autoinit` creates a CUDA "
                "context; the kernel is compiled by nvcc)"
            ),
            "import numpy, theano": (
                _GPU + "needs PyCUDA and the old CUDA back-end (`theano.misc.pycuda_init`, "
                "`theano.sandbox.cuda.CudaNdarray`), removed before Theano 1.0.5 shipped"
            ),
        },
        notes=(
            "The three testcodes run on the CPU: their outputs are hidden on the page "
            "(`:hide:`), and the GPU one is `+SKIP`.",
        ),
    ),
    "using_multi_gpu": _doc(
        "using_multi_gpu",
        "Using multiple GPUs",
        skip={"import numpy": _CONTEXTS, "import theano": _CONTEXTS.replace(
            "target='dev0'", "v.transfer('gpudev')")},
    ),
}


def doc_page_info(page: str) -> PageInfo:
    """The table entry of the tutorial page *page* (``adding``, ``loop``...)."""
    return DOC_PAGES.get(page) or PageInfo(
        title=f"Theano 1.0.5 tutorial, doc/tutorial/{page}.txt", floatX_reason=_DOC_FLOATX
    )
