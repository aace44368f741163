"""theano.tensor.signal.downsample: the pre-0.9 pooling module, kept for legacy scripts.

Theano 0.9 removed it in favour of theano.tensor.signal.pool; Theano-era code
(DeepLearningTutorials 2015, Lasagne 0.1) still imports ``max_pool_2d`` from here.
Everything is a thin layer over `pool`.
"""

from __future__ import annotations

from .pool import Pool, max_pool_2d_same_size, pool_2d

__all__ = ["DownsampleFactorMax", "max_pool_2d", "max_pool_2d_same_size"]


def max_pool_2d(input, ds, ignore_border=None, st=None, padding=(0, 0), mode="max"):
    """Pool the last two dimensions of `input`: Theano 0.8's name and keywords for
    ``pool_2d(input, ws=ds, ignore_border, stride=st, pad=padding, mode)``.

    ``ignore_border=None`` means False (with Theano's warning that the default changes).
    """
    return pool_2d(input, ws=ds, ignore_border=ignore_border, stride=st, pad=padding,
                   mode=mode)


class DownsampleFactorMax:
    """Theano 0.8's pooling Op, configured with the window at construction:
    ``DownsampleFactorMax(ds, ignore_border, st=None, padding=(0, 0), mode='max')(x)``.

    Calling it builds the equivalent `Pool` node.
    """

    def __init__(self, ds, ignore_border=False, st=None, padding=(0, 0), mode="max"):
        self.ds = tuple(ds)
        self.ignore_border = ignore_border
        self.st = self.ds if st is None else tuple(st)
        self.padding = tuple(padding)
        self.mode = mode
        self._op = Pool(ignore_border, mode=mode, ndim=2)

    def __call__(self, input):
        return self._op(input, self.ds, self.st, self.padding)

    @staticmethod
    def out_shape(imgshape, ds, ignore_border=False, st=None, padding=(0, 0)):
        """Output shape for an input of shape `imgshape` (Theano 0.8's signature)."""
        return Pool.out_shape(imgshape, ds, ignore_border, st, padding)

    def __str__(self):
        return (f"DownsampleFactorMax{{{self.ds}, {self.st}, {self.padding}, "
                f"{self.ignore_border}, {self.mode}}}")
