"""A tutorial-style model class (deeplearning.net's LogisticRegression) whose instances the
golden pickles hold.  Imported by the recorder under Theano 1.0.5 (make_pickles.py) and by
the loading tests here (tests/unit/misc/test_pkl_utils.py) as the top-level module
``pickle_models``: both put tests/golden on sys.path, so the class path stored in the
pickles is ``pickle_models.LogisticRegression``."""

import numpy

import theano
import theano.tensor as T


class LogisticRegression(object):
    """Multi-class logistic regression holding its parameters as shared variables and its
    symbolic outputs (``p_y_given_x``, ``y_pred``), as the tutorial's class did."""

    def __init__(self, input, n_in, n_out):
        w = numpy.linspace(-1.0, 1.0, n_in * n_out).reshape(n_in, n_out)
        self.W = theano.shared(value=numpy.asarray(w, dtype=theano.config.floatX),
                               name='W', borrow=True)
        self.b = theano.shared(value=numpy.asarray(numpy.arange(n_out) * 0.1,
                                                   dtype=theano.config.floatX),
                               name='b', borrow=True)
        self.p_y_given_x = T.nnet.softmax(T.dot(input, self.W) + self.b)
        self.y_pred = T.argmax(self.p_y_given_x, axis=1)
        self.params = [self.W, self.b]
        self.input = input

    def negative_log_likelihood(self, y):
        return -T.mean(T.log(self.p_y_given_x)[T.arange(y.shape[0]), y])
