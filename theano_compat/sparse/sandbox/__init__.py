"""Theano's ``theano.sparse.sandbox`` package."""
