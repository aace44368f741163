"""theano.tests: the helpers Theano's own test-suite exported (unittest_tools, record,
disturb_mem), so legacy test suites written against them run.  The package's tests live in
the repository's top-level tests/ directory."""


def test(*args, **kwargs):
    """``theano.test()`` ran Theano's bundled test-suite with nose; this package does not
    ship Theano's tests, so it cannot."""
    raise NotImplementedError(
        "theano.test() ran the test-suite bundled with Theano 1.0.5, which this package does "
        "not ship; run Theano's suite against it with `python tools/conformance/run.py` in a "
        "theano-compat checkout, or its own tests with `python -m pytest`")
