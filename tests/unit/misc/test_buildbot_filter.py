"""theano.misc.buildbot_filter.filter_output (result as under Theano 1.0.5)."""

from theano.misc.buildbot_filter import filter_output


def test_filter_output():
    lines = ["File 'x.py', line 3, in test_a\n", "noise\n", "\n", "AssertionError: boom\n",
             "ImportError: no\n", "Executing tests in foo\n", "Executing other\n",
             "File x in helper\n", "Executing\n"]
    assert filter_output(lines) == ("File 'x.py', line 3, in test_a\nAssertionError: boom\n"
                                    "ImportError: no\nExecuting tests in foo\n")
