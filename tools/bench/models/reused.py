"""The models of the set that already exist as benchmark workloads, with their FLOP
counts: the seed-1 logistic-regression step and the MLP step (tools/bench/workloads.py,
hand NumPy versions there) and the LeNet-5 step (tools/bench/bench_lenet.py, the
tutorial's batch of 500 float32 images, hand NumPy version there)."""

from __future__ import annotations

import bench_lenet
import workloads

from .base import matmul_flops


class Seed1(workloads.Seed1LogReg):
    dtype = "float64"
    group = "model"

    def flops(self):
        return 2 * matmul_flops(self.N, self.feats, 1)  # x . w and x.T . (p - y)


class MLP(workloads.MLP):
    dtype = "float64"
    group = "model"

    def flops(self):
        B, i, h, o = self.batch, self.n_in, self.n_hid, self.n_out
        return 2 * matmul_flops(B, i, h) + 3 * matmul_flops(B, h, o)


class LeNet(bench_lenet.LeNetStep):
    group = "model"

    def flops(self):
        B, (k0, k1) = self.batch, self.nkerns
        conv0 = matmul_flops(B * 24 * 24, 1 * 5 * 5, k0)   # im2col view of conv 1
        conv1 = matmul_flops(B * 8 * 8, k0 * 5 * 5, k1)    # conv 2
        hidden = matmul_flops(B, k1 * 4 * 4, self.n_hidden)
        out = matmul_flops(B, self.n_hidden, self.n_out)
        # backward: kernels' gradient only for the first convolution (its input is data)
        return 2 * conv0 + 3 * conv1 + 3 * hidden + 3 * out
