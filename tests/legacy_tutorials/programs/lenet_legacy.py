"""LeNet-5 on a synthetic MNIST-shaped data set, written as Theano 1.0-era code.

The model and the training loop follow the DeepLearningTutorials' convolutional_mlp.py
(LeNetConvPoolLayer / HiddenLayer / LogisticRegression with shared float parameters,
tanh layers, per-channel biases broadcast with dimshuffle('x', 0, 'x', 'x'), flatten(2),
softmax regression with the negative log-likelihood, T.grad over the parameter list, an
updates list and `givens` slicing minibatches out of shared data sets).  Only imports of
that era are used; which convolution and pooling spellings, set by the environment:

  LENET_CONV=nnet (default)  from theano.tensor.nnet import conv2d   (input_shape=)
  LENET_CONV=conv            from theano.tensor.nnet import conv     (conv.conv2d(image_shape=))
  LENET_POOL=pool (default)  from theano.tensor.signal import pool   (pool.pool_2d(ds=))
  LENET_POOL=downsample      from theano.tensor.signal import downsample (max_pool_2d(ds=);
                             Theano 0.8's module, which Theano 1.0.5 itself no longer had)
  LENET_MINIBATCHES          number of training minibatches (default 300)
  LENET_NKERNS               e.g. "4,8" (default)
  LENET_HIDDEN               hidden units (default 50)
  LENET_BATCH                minibatch size (default 20)
  LENET_LR                   learning rate (default 0.1)

The data: 28x28 images of five classes (a horizontal bar, a vertical bar, a diagonal, an
anti-diagonal, a square outline), each stroke drawn at a random offset and brightness
over uniform noise, from numpy.random.RandomState(1234), so that every run (and a run
under the original Theano 1.0.5) sees the same numbers.

Output: one "minibatch i: cost c" line per 20 minibatches, "epoch e: validation error
v %" per epoch, and [golden] blocks (label, dtype, shape, then the values) of the costs
and the final parameters, which tests/unit/test_lenet.py reads.
"""

import os
import sys
import timeit

import numpy
import theano.tensor as T

import theano

CONV_API = os.environ.get("LENET_CONV", "nnet")
POOL_API = os.environ.get("LENET_POOL", "pool")

if CONV_API == "conv":
    from theano.tensor.nnet import conv
else:
    from theano.tensor.nnet import conv2d
if POOL_API == "downsample":
    from theano.tensor.signal import downsample
else:
    from theano.tensor.signal import pool

N_CLASSES = 5


def draw_strokes(rng, n):
    """n images (n, 784) of N_CLASSES stroke shapes over noise, and their labels (n,)."""
    images = rng.uniform(0.0, 0.3, size=(n, 28, 28))
    labels = rng.randint(0, N_CLASSES, size=n)
    for i in range(n):
        r0, c0 = rng.randint(4, 14, size=2)  # top-left corner of a 10x10 box
        ink = rng.uniform(0.6, 1.0)
        img = images[i]
        k = labels[i]
        if k == 0:  # horizontal bar
            img[r0 + 4:r0 + 6, c0:c0 + 10] += ink
        elif k == 1:  # vertical bar
            img[r0:r0 + 10, c0 + 4:c0 + 6] += ink
        elif k == 2:  # diagonal
            for d in range(10):
                img[r0 + d, c0 + d] += ink
        elif k == 3:  # anti-diagonal
            for d in range(10):
                img[r0 + d, c0 + 9 - d] += ink
        else:  # square outline
            img[r0, c0:c0 + 10] += ink
            img[r0 + 9, c0:c0 + 10] += ink
            img[r0:r0 + 10, c0] += ink
            img[r0:r0 + 10, c0 + 9] += ink
    return numpy.minimum(images, 1.0).reshape(n, 784), labels


def load_data(n_train=2000, n_valid=500, n_test=500, seed=1234):
    """[(train_x, train_y), (valid_x, valid_y), (test_x, test_y)] as shared variables,
    the labels cast to int32 as the tutorial's shared_dataset did."""
    rng = numpy.random.RandomState(seed)
    sets = [draw_strokes(rng, n) for n in (n_train, n_valid, n_test)]

    def shared_dataset(data_xy, borrow=True):
        data_x, data_y = data_xy
        shared_x = theano.shared(numpy.asarray(data_x, dtype=theano.config.floatX),
                                 borrow=borrow)
        shared_y = theano.shared(numpy.asarray(data_y, dtype=theano.config.floatX),
                                 borrow=borrow)
        return shared_x, T.cast(shared_y, 'int32')

    return [shared_dataset(s) for s in sets]


class LogisticRegression(object):
    """Softmax regression: p(y | x) = softmax(x W + b)."""

    def __init__(self, input, n_in, n_out):
        self.W = theano.shared(
            value=numpy.zeros((n_in, n_out), dtype=theano.config.floatX), name='W',
            borrow=True)
        self.b = theano.shared(
            value=numpy.zeros((n_out,), dtype=theano.config.floatX), name='b', borrow=True)
        self.p_y_given_x = T.nnet.softmax(T.dot(input, self.W) + self.b)
        self.y_pred = T.argmax(self.p_y_given_x, axis=1)
        self.params = [self.W, self.b]
        self.input = input

    def negative_log_likelihood(self, y):
        """Mean negative log-probability of the correct labels y (int vector)."""
        return -T.mean(T.log(self.p_y_given_x)[T.arange(y.shape[0]), y])

    def errors(self, y):
        """Fraction of the minibatch that is misclassified."""
        if y.ndim != self.y_pred.ndim:
            raise TypeError('y should have the same shape as self.y_pred',
                            ('y', y.type, 'y_pred', self.y_pred.type))
        if y.dtype.startswith('int'):
            return T.mean(T.neq(self.y_pred, y))
        else:
            raise NotImplementedError()


class HiddenLayer(object):
    """Fully connected layer: activation(x W + b), W uniform in +-sqrt(6 / (n_in + n_out))."""

    def __init__(self, rng, input, n_in, n_out, W=None, b=None, activation=T.tanh):
        self.input = input
        if W is None:
            bound = numpy.sqrt(6. / (n_in + n_out))
            W_values = numpy.asarray(rng.uniform(low=-bound, high=bound, size=(n_in, n_out)),
                                     dtype=theano.config.floatX)
            if activation == T.nnet.sigmoid:
                W_values *= 4
            W = theano.shared(value=W_values, name='W', borrow=True)
        if b is None:
            b = theano.shared(value=numpy.zeros((n_out,), dtype=theano.config.floatX),
                              name='b', borrow=True)
        self.W = W
        self.b = b
        lin_output = T.dot(input, self.W) + self.b
        self.output = lin_output if activation is None else activation(lin_output)
        self.params = [self.W, self.b]


class LeNetConvPoolLayer(object):
    """Convolution (valid, kernels flipped) of a 4-d input with filter_shape filters, max
    pooling by poolsize, then tanh(pooled + b) with one bias per feature map."""

    def __init__(self, rng, input, filter_shape, image_shape, poolsize=(2, 2)):
        assert image_shape[1] == filter_shape[1]
        self.input = input
        fan_in = numpy.prod(filter_shape[1:])
        fan_out = filter_shape[0] * numpy.prod(filter_shape[2:]) // numpy.prod(poolsize)
        W_bound = numpy.sqrt(6. / (fan_in + fan_out))
        self.W = theano.shared(
            numpy.asarray(rng.uniform(low=-W_bound, high=W_bound, size=filter_shape),
                          dtype=theano.config.floatX),
            borrow=True)
        b_values = numpy.zeros((filter_shape[0],), dtype=theano.config.floatX)
        self.b = theano.shared(value=b_values, borrow=True)

        if CONV_API == "conv":
            conv_out = conv.conv2d(input=input, filters=self.W, filter_shape=filter_shape,
                                   image_shape=image_shape)
        else:
            conv_out = conv2d(input=input, filters=self.W, filter_shape=filter_shape,
                              input_shape=image_shape)
        if POOL_API == "downsample":
            pooled_out = downsample.max_pool_2d(input=conv_out, ds=poolsize,
                                                ignore_border=True)
        else:
            pooled_out = pool.pool_2d(input=conv_out, ds=poolsize, ignore_border=True)

        self.output = T.tanh(pooled_out + self.b.dimshuffle('x', 0, 'x', 'x'))
        self.params = [self.W, self.b]


def build_lenet(rng, x, y, batch_size, nkerns, n_hidden):
    """The LeNet graph on the flat minibatch x (batch_size, 784): returns (cost, errors,
    params), params in the tutorial's order (output layer first)."""
    layer0_input = x.reshape((batch_size, 1, 28, 28))
    # 28x28 -> conv 5x5 -> 24x24 -> pool 2x2 -> 12x12
    layer0 = LeNetConvPoolLayer(rng, input=layer0_input,
                                image_shape=(batch_size, 1, 28, 28),
                                filter_shape=(nkerns[0], 1, 5, 5), poolsize=(2, 2))
    # 12x12 -> conv 5x5 -> 8x8 -> pool 2x2 -> 4x4
    layer1 = LeNetConvPoolLayer(rng, input=layer0.output,
                                image_shape=(batch_size, nkerns[0], 12, 12),
                                filter_shape=(nkerns[1], nkerns[0], 5, 5), poolsize=(2, 2))
    layer2_input = layer1.output.flatten(2)
    layer2 = HiddenLayer(rng, input=layer2_input, n_in=nkerns[1] * 4 * 4, n_out=n_hidden,
                         activation=T.tanh)
    layer3 = LogisticRegression(input=layer2.output, n_in=n_hidden, n_out=N_CLASSES)
    cost = layer3.negative_log_likelihood(y)
    params = layer3.params + layer2.params + layer1.params + layer0.params
    return cost, layer3.errors(y), params


def golden(label, v):
    a = numpy.asarray(v)
    print("[golden] %s dtype=%s shape=%s" % (label, a.dtype, a.shape))
    print(repr(a.tolist()))


def evaluate_lenet5(learning_rate=0.1, n_minibatches=300, nkerns=(4, 8), n_hidden=50,
                    batch_size=20):
    rng = numpy.random.RandomState(23455)
    datasets = load_data()
    train_set_x, train_set_y = datasets[0]
    valid_set_x, valid_set_y = datasets[1]
    test_set_x, test_set_y = datasets[2]
    n_train_batches = train_set_x.get_value(borrow=True).shape[0] // batch_size
    n_valid_batches = valid_set_x.get_value(borrow=True).shape[0] // batch_size
    n_test_batches = test_set_x.get_value(borrow=True).shape[0] // batch_size

    print('... building the model')
    index = T.lscalar()
    x = T.matrix('x')
    y = T.ivector('y')
    cost, errors, params = build_lenet(rng, x, y, batch_size, nkerns, n_hidden)

    test_model = theano.function(
        [index], errors,
        givens={x: test_set_x[index * batch_size: (index + 1) * batch_size],
                y: test_set_y[index * batch_size: (index + 1) * batch_size]})
    validate_model = theano.function(
        [index], errors,
        givens={x: valid_set_x[index * batch_size: (index + 1) * batch_size],
                y: valid_set_y[index * batch_size: (index + 1) * batch_size]})
    grads = T.grad(cost, params)
    updates = [(param_i, param_i - learning_rate * grad_i)
               for param_i, grad_i in zip(params, grads)]
    train_model = theano.function(
        [index], cost, updates=updates,
        givens={x: train_set_x[index * batch_size: (index + 1) * batch_size],
                y: train_set_y[index * batch_size: (index + 1) * batch_size]})

    print('... training')
    start_time = timeit.default_timer()
    costs, valid_errors = [], []
    for it in range(n_minibatches):
        costs.append(float(train_model(it % n_train_batches)))
        if it % 20 == 0:
            print('minibatch %i: cost %f' % (it, costs[-1]))
        if (it + 1) % n_train_batches == 0 or it + 1 == n_minibatches:
            err = numpy.mean([validate_model(i) for i in range(n_valid_batches)])
            valid_errors.append(float(err))
            print('epoch %i, minibatch %i: validation error %f %%'
                  % ((it + 1 + n_train_batches - 1) // n_train_batches, it + 1, err * 100.))
    test_error = numpy.mean([test_model(i) for i in range(n_test_batches)])
    print('test error %f %%, %.1f s' % (test_error * 100., timeit.default_timer() - start_time))
    golden("costs", numpy.asarray(costs, dtype=theano.config.floatX))
    golden("valid_errors", valid_errors)
    golden("test_error", float(test_error))
    for k, p in enumerate(params):
        golden("param%d_sum" % k, float(numpy.sum(p.get_value(), dtype='float64')))
        golden("param%d_abs_sum" % k, float(numpy.sum(numpy.abs(p.get_value()), dtype='float64')))


if __name__ == '__main__':
    env = os.environ.get
    evaluate_lenet5(learning_rate=float(env("LENET_LR", "0.1")),
                    n_minibatches=int(env("LENET_MINIBATCHES", "300")),
                    nkerns=tuple(int(k) for k in env("LENET_NKERNS", "4,8").split(",")),
                    n_hidden=int(env("LENET_HIDDEN", "50")),
                    batch_size=int(env("LENET_BATCH", "20")))
    sys.stdout.flush()
