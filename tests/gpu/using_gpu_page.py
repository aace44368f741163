"""The check of Theano's "Using the GPU" tutorial page, as a user script: an elementwise
function of a shared vector, then whether any elementwise node of the compiled graph
lacks the Gpu prefix."""

import time

import numpy
import theano.tensor as T

import theano

rng = numpy.random.RandomState(22)
data = theano.shared(numpy.asarray(rng.rand(10 * 30 * 768), theano.config.floatX))
f = theano.function([], T.exp(data))
print(f.maker.fgraph.toposort())
start = time.time()
for _ in range(100):
    r = f()
print(f"Looping 100 times took {time.time() - start:.3f} seconds")
print("Result is", r[:3])
if any(isinstance(n.op, T.Elemwise) and "Gpu" not in type(n.op).__name__
       for n in f.maker.fgraph.toposort()):
    print("Used the cpu")
else:
    print("Used the gpu")
