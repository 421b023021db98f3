"""PyTorch re-implementation of neurevo's ENU unit ("unit" topology) and the
StdpMimic task, for gradient-based diagnosis.  Mirrors
src/model/enu/enu_unit.cc, src/model/enu/enu_model.cc (EnuUnitPolicy) and
src/tasks/cognitive/stdp_mimic.cc (BENCHMARKS.md, "ENU networks")."""
import math
import numpy as np
import torch

torch.set_num_threads(1)

STEPS = 200
LAM = math.exp(-1.0 / 5.0)


def make_episodes(n, rng):
    """Returns obs (T, n, 4) float32 [x, pre, mod, post] and target y (T, n) float32."""
    x = rng.random((STEPS, n))
    pre = rng.random((STEPS, n)) < 0.1
    post = rng.random((STEPS, n)) < 0.1
    toggle = rng.random((STEPS, n)) < 0.05
    toggle[0] = False
    mod = (np.cumsum(toggle, axis=0) % 2).astype(bool)  # mod_0 = 0, toggled before step t
    # The rule at StdpMimic's default amplitudes (0.25, 0.3); the task options
    # potentiation and depression are not mirrored here.
    p = np.zeros(n); q = np.zeros(n); w = np.full(n, 0.5)
    W = np.empty((STEPS, n))
    for t in range(STEPS):
        w = w + np.where(mod[t] & post[t], 0.25 * p, 0.0)
        w = w - np.where(mod[t] & pre[t], 0.3 * q, 0.0)
        w = np.clip(w, 0.0, 1.0)
        p = LAM * p + pre[t]
        q = LAM * q + post[t]
        W[t] = w
    y = (x * W).astype(np.float32)
    obs = np.stack([x, pre, mod, post], axis=-1).astype(np.float32)
    return torch.from_numpy(obs), torch.from_numpy(y), W, x


class ENU(torch.nn.Module):
    """One ENU, memory M, channels C, inputs X (= 4 observation slots, unscaled)."""

    def __init__(self, M=32, C=16, X=4, init_std=None, init='uniform_genes', seed=0, out_clip=True):
        super().__init__()
        self.M, self.C, self.X = M, C, X
        K = M + C + X
        self.K = K
        g = torch.Generator().manual_seed(seed)
        def rnd(shape, fan):
            # default: uniform in +-1/sqrt(fan) (= genes u in [0.375, 0.625] for scale 4)
            return (torch.rand(shape, generator=g) * 2 - 1) / math.sqrt(fan)
        self.gates = torch.nn.Parameter(rnd((K, 2 * M), K))      # columns [0,M) z, [M,2M) r
        self.gates_bias = torch.nn.Parameter(rnd((2 * M,), K))
        self.candidate = torch.nn.Parameter(rnd((K, M), K))
        self.candidate_bias = torch.nn.Parameter(rnd((M,), K))
        self.output = torch.nn.Parameter(rnd((M, C), M))
        self.output_bias = torch.nn.Parameter(rnd((C,), M))
        if init == 'zero':  # genome centred at 0.5 (+- one ES sigma 0.01 to break the units' symmetry):
            fans = self.fan_ins()  # w = (2u-1)*4/sqrt(fan), u = 0.5 +- 0.01
            for n, p in self.named_parameters():
                p.data = (torch.rand(p.shape, generator=g) * 2 - 1) * 0.02 * 4 / math.sqrt(fans[n])
        elif init.startswith('fullrange'):  # ES default init_mean "uniform": genes U[0,1] -> w U(+-scale/sqrt(fan))
            s = float(init[len('fullrange'):])
            fans = self.fan_ins()
            for n, p in self.named_parameters():
                p.data = (torch.rand(p.shape, generator=g) * 2 - 1) * s / math.sqrt(fans[n])
        self.out_clip = out_clip  # True: clip(.,0,1) as in C++; 'soft': straight-through; False: none

    def fan_ins(self):
        K, M = self.K, self.M
        return {'gates': K, 'gates_bias': K, 'candidate': K, 'candidate_bias': K, 'output': M, 'output_bias': M}

    def clamp_(self, scale):
        with torch.no_grad():
            for n, p in self.named_parameters():
                r = scale / math.sqrt(self.fan_ins()[n])
                p.clamp_(-r, r)

    def forward(self, obs):
        """obs (T, B, X) -> action (T, B) = output channel 0 (already in [0,1])."""
        T, B, _ = obs.shape
        M, C = self.M, self.C
        h = obs.new_zeros(B, M)
        o = obs.new_zeros(B, C)
        Wg_h, Wg_o, Wg_x = self.gates[:M], self.gates[M:M + C], self.gates[M + C:]
        Wc_h, Wc_o, Wc_x = self.candidate[:M], self.candidate[M:M + C], self.candidate[M + C:]
        # precompute input contributions for all steps
        gx = obs @ Wg_x + self.gates_bias      # (T,B,2M)
        cx = obs @ Wc_x + self.candidate_bias  # (T,B,M)
        outs = []
        for t in range(T):
            gt = torch.sigmoid(h @ Wg_h + o @ Wg_o + gx[t])
            z, r = gt[:, :M], gt[:, M:]
            hc = torch.tanh((r * h) @ Wc_h + o @ Wc_o + cx[t])
            h = h + z * (hc - h)
            pre = h @ self.output + self.output_bias
            if self.out_clip is True:
                o = pre.clamp(0.0, 1.0)
            elif self.out_clip == 'soft':  # forward clip, gradient passes through (straight-through)
                o = pre + (pre.clamp(0.0, 1.0) - pre).detach()
            else:
                o = pre
            outs.append(o[:, 0])
        a = torch.stack(outs)
        return a.clamp(0.0, 1.0)  # DecodeAction + task clamp (identity when out_clip=True)

    def genes(self, scale):
        """Genes u = (w*sqrt(fan)/scale + 1)/2 per family."""
        out = {}
        for n, p in self.named_parameters():
            out[n] = (p.detach() * math.sqrt(self.fan_ins()[n]) / scale + 1) / 2
        return out


def mse(a, y):
    return ((a - y) ** 2).mean()
