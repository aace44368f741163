"""Random streams: every module that draws random numbers, in one package.

    raw             RandomStateType, RandomFunction and the draw functions over a NumPy
                    RandomState (theano.tensor.raw_random)
    shared_streams  RandomStreams: one shared RandomState per random variable, seeded as
                    Theano 1.0.5 did (theano.tensor.shared_randomstreams)
    mrg31k3p        the MRG31k3p generator's integer arithmetic (host side)
    glibc_math      log/sin/cos and fused multiply-add rounded as the C library Theano
                    compiled against rounded them, for bit-exact MRG floats
    mrg_ops         the MRG Ops: MRGUniform, BoxMuller, MultinomialFromUniform,
                    ChoiceFromUniform, DotModulo
    mrg_streams     MRG_RandomStreams (theano.sandbox.rng_mrg), bit-exact with Theano 1.0.5

Theano's module paths (theano.tensor.raw_random, theano.tensor.shared_randomstreams,
theano.sandbox.rng_mrg, theano.sandbox.multinomial) are facades over these modules.
"""
