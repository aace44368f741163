"""theano.tests: the helpers Theano's own test-suite exported (unittest_tools), so legacy
test suites written against them run.  The package's tests live in the repository's
top-level tests/ directory."""
