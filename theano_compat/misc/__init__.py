"""theano.misc: legacy utilities (pkl_utils)."""
