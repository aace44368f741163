"""Correlation by matrix multiplication (im2col): the array kernels of every conv Op
(abstract_conv, conv, corr, corr3d all compute through these functions).

Every function here works on arrays of the module ``xp`` (NumPy or CuPy) and knows
nothing about graphs.  Shapes follow Theano: images ``(batch, channels, *spatial)``,
kernels ``(out_channels, channels // groups, *kernel)``, outputs
``(batch, out_channels, *out)``, for any number of spatial axes (2 for conv2d, 3 for
conv3d).  The functions compute *cross-correlation*; the Ops flip the kernels for a true
convolution.

``pads`` is one ``(before, after)`` pair of zero-padding per spatial axis, ``stride`` and
``dilation`` one int per axis.

The scheme: a strided *view* of the padded image holds, for every kernel offset, the
pixels that offset touches (no copy); one reshape copies it into the column matrix
(im2col) and one matmul per group (a single broadcast ``matmul`` call) contracts it with
the kernels.  The input gradient runs the same matmul transposed and adds the columns
back with one strided add per kernel offset (col2im): Python loops run over kernel
offsets only, never over pixels or the batch.
"""

from __future__ import annotations

import itertools
import math


def dilated(k, d):
    """Extent of a kernel of length `k` with dilation `d`."""
    return (k - 1) * d + 1


def output_length(length, k, pad, stride, dilation):
    """Output length along one axis; non-positive when the kernel does not fit."""
    return (length + pad[0] + pad[1] - dilated(k, dilation)) // stride + 1


def _check_groups(what, channels, n_filters, kernel_channels, groups):
    if channels % groups:
        raise ValueError(f"{what}: the number of input channels ({channels}) must be "
                         f"divisible by num_groups ({groups})")
    if n_filters % groups:
        raise ValueError(f"{what}: the number of filters ({n_filters}) must be divisible "
                         f"by num_groups ({groups})")
    if kernel_channels * groups != channels:
        raise ValueError(f"{what}: images and kernel must have the same stack size: the "
                         f"image has {channels} channels, the kernel expects "
                         f"{kernel_channels} per group x {groups} group(s)")


def _pad(xp, x, pads):
    if not any(lo or hi for lo, hi in pads):
        return x
    return xp.pad(x, ((0, 0), (0, 0)) + tuple(pads))


def _windows(xp, x, ksize, out_size, stride, dilation):
    """View (B, C, *ksize, *out_size) of the padded image `x`: element
    [b, c, k..., y...] is x[b, c, y*stride + k*dilation ...].  No copy."""
    st = x.strides
    nd = len(ksize)
    strides = st[:2] + tuple(st[2 + i] * dilation[i] for i in range(nd)) + tuple(
        st[2 + i] * stride[i] for i in range(nd))
    return xp.lib.stride_tricks.as_strided(x, x.shape[:2] + tuple(ksize) + tuple(out_size),
                                           strides)


def _checked_out_size(what, padded, ksize, stride, dilation, out_size=None):
    """The output size a padded image and kernel give (or check the given one fits)."""
    fitted = tuple((p - dilated(k, d)) // s + 1
                   for p, k, s, d in zip(padded, ksize, stride, dilation))
    if out_size is None:
        out_size = fitted
    if any(o <= 0 for o in out_size) or any(o > f for o, f in zip(out_size, fitted)):
        raise ValueError(f"{what}: impossible output shape: padded image {tuple(padded)}, "
                         f"kernel {tuple(ksize)}, stride {tuple(stride)}, dilation "
                         f"{tuple(dilation)} give {fitted}")
    return tuple(out_size)


def corr_forward(xp, img, kern, pads, stride, dilation, groups=1):
    """out[b, o, y] = sum_{c, k} pad(img)[b, g(o)*Cg + c, y*stride + k*dilation] * kern[o, c, k]."""
    B, C = img.shape[:2]
    O, Cg = kern.shape[:2]
    ksize = kern.shape[2:]
    _check_groups("conv", C, O, Cg, groups)
    x = _pad(xp, img, pads)
    out_size = _checked_out_size("conv", x.shape[2:], ksize, stride, dilation)
    L = math.prod(out_size)
    cols = _windows(xp, x, ksize, out_size, stride, dilation)
    cols = cols.reshape(B, groups, Cg * math.prod(ksize), L)  # the im2col copy
    w = kern.reshape(groups, O // groups, -1)
    out = xp.matmul(w, cols)  # (B, G, O/G, L)
    return out.reshape((B, O) + out_size)


def corr_grad_weights(xp, img, top, ksize, pads, stride, dilation, groups=1):
    """Gradient of `corr_forward`'s output w.r.t. its kernel, for output gradient `top`;
    `ksize` is the kernel's spatial shape."""
    B, C = img.shape[:2]
    O = top.shape[1]
    if top.shape[0] != B:
        raise ValueError(f"conv gradient w.r.t. weights: the image batch ({B}) and the "
                         f"output gradient batch ({top.shape[0]}) differ")
    _check_groups("conv gradient w.r.t. weights", C, O, C // groups, groups)
    x = _pad(xp, img, pads)
    out_size = tuple(top.shape[2:])
    expected = _checked_out_size("conv gradient w.r.t. weights", x.shape[2:], ksize, stride,
                                 dilation)
    if expected != out_size:
        raise ValueError(f"conv gradient w.r.t. weights: shape inconsistency: image "
                         f"{tuple(img.shape)} and kernel size {tuple(ksize)} give an output "
                         f"of spatial shape {expected}, but the output gradient has shape "
                         f"{tuple(top.shape)}")
    K, L, Cg, Og = math.prod(ksize), math.prod(out_size), C // groups, O // groups
    win = _windows(xp, x, ksize, out_size, stride, dilation)
    if Cg * K <= L:
        # One product per image, summed over the batch: the (B, G, Og, Cg*K) partial sums
        # are smaller than `top`, and neither `top` nor the columns are transposed.
        cols = win.reshape(B, groups, Cg * K, L)
        t = top.reshape(B, groups, Og, L)
        dw = xp.matmul(t, cols.swapaxes(2, 3)).sum(axis=0)
    else:
        # Many filters on small images: columns laid out (G, Cg*K, B*L) so one product
        # per group contracts batch and pixels together.
        nd = len(ksize)
        order = tuple(range(1, 2 + nd)) + (0,) + tuple(range(2 + nd, 2 + 2 * nd))
        cols = win.transpose(order).reshape(groups, Cg * K, B * L)
        t = top.reshape(B, groups, Og, L).transpose(1, 2, 0, 3).reshape(groups, Og, B * L)
        dw = xp.matmul(t, cols.swapaxes(1, 2))  # (G, Og, Cg*K)
    return dw.reshape((O, Cg) + tuple(ksize))


def corr_grad_inputs(xp, kern, top, imsize, pads, stride, dilation, groups=1):
    """Gradient of `corr_forward`'s output w.r.t. its image, for output gradient `top`;
    `imsize` is the image's spatial shape (strides make it ambiguous otherwise)."""
    B, O = top.shape[:2]
    O_k, Cg = kern.shape[:2]
    ksize = tuple(kern.shape[2:])
    if O_k != O:
        raise ValueError(f"conv gradient w.r.t. inputs: the kernel has {O_k} filters but the "
                         f"output gradient has {O} channels")
    if O % groups:
        raise ValueError(f"conv gradient w.r.t. inputs: the number of filters ({O}) must be "
                         f"divisible by num_groups ({groups})")
    C = Cg * groups
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(imsize, pads))
    out_size = tuple(top.shape[2:])
    expected = _checked_out_size("conv gradient w.r.t. inputs", padded, ksize, stride,
                                 dilation)
    if expected != out_size:
        raise ValueError(f"conv gradient w.r.t. inputs: shape inconsistency: image shape "
                         f"{(B, C) + tuple(imsize)} and kernel {tuple(kern.shape)} give an "
                         f"output of spatial shape {expected}, but the output gradient has "
                         f"shape {tuple(top.shape)}")
    L, K, Og = math.prod(out_size), math.prod(ksize), O // groups
    # Kernels as (G, K*Cg, Og), rows ordered by kernel offset first, so that the columns
    # of one offset form one contiguous (Cg, *out) block per image: the col2im adds
    # below then read contiguous memory (ordered channel first, they are ~4x slower).
    w = kern.reshape(groups, Og, Cg, K).transpose(0, 3, 2, 1).reshape(groups, K * Cg, Og)
    t = top.reshape(B, groups, Og, L)
    cols = xp.matmul(w, t)  # (B, G, K*Cg, L)
    cols = cols.reshape((B, groups, K, Cg) + out_size)
    dx = xp.zeros((B, groups, Cg) + padded, dtype=cols.dtype)
    # col2im: one strided add per kernel offset.
    for n, k in enumerate(itertools.product(*(range(m) for m in ksize))):
        region = tuple(slice(ki * d, ki * d + (o - 1) * s + 1, s)
                       for ki, d, o, s in zip(k, dilation, out_size, stride))
        dx[(slice(None),) * 3 + region] += cols[:, :, n]
    dx = dx.reshape((B, C) + padded)
    crop = tuple(slice(lo, lo + n) for n, (lo, _) in zip(imsize, pads))
    if any(lo or hi for lo, hi in pads):
        dx = xp.ascontiguousarray(dx[(slice(None), slice(None)) + crop])
    return dx
