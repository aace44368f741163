"""theano.tensor.signal: pooling (pool, legacy downsample) and signal convolution."""

from . import pool  # noqa: F401 - Theano's package held it once theano was imported
