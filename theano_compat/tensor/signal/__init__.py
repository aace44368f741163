"""theano.tensor.signal: pooling (pool, legacy downsample) and signal convolution."""
