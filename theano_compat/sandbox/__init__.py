"""theano.sandbox: legacy experimental modules (rng_mrg, multinomial)."""
