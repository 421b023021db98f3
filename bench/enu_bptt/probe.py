# STDP pairing curve of a trained unit (as bench/enu_probe.cc) + held-out MSE split by modulator state.
import sys, json, math, numpy as np, torch
from enu import ENU, make_episodes, mse
torch.set_num_threads(1)
name = sys.argv[1]; M = int(sys.argv[2]) if len(sys.argv) > 2 else 32; C = int(sys.argv[3]) if len(sys.argv) > 3 else 16
m = ENU(M, C, 4); m.load_state_dict(torch.load(f'results/{name}.pt')); m.out_clip = True
LAM = math.exp(-0.2)
def rule(pre_step, post_step, T=40):
    # StdpMimic's default amplitudes (0.25, 0.3) only.
    p = q = 0.0; w = 0.5
    for t in range(T):
        pre, post = t == pre_step, t == post_step
        if post: w += 0.25 * p
        if pre: w -= 0.3 * q
        w = min(max(w, 0), 1); p = LAM * p + pre; q = LAM * q + post
    return w - 0.5
def play(pre_step, post_step, T=40):
    obs = torch.zeros(T, 1, 4); obs[:, 0, 0] = 0.5; obs[:, 0, 2] = 1.0
    if pre_step >= 0: obs[pre_step, 0, 1] = 1
    if post_step >= 0: obs[post_step, 0, 3] = 1
    with torch.no_grad(): return m(obs)[-1, 0].item() / 0.5
un = play(-1, -1)
print(f"{name}: unpaired output/x at t=39: {un:.4f}")
rows = []
for dt in range(-10, 11):
    ps = 5 if dt >= 0 else 5 - dt; qs = ps + dt
    rows.append((dt, play(ps, qs) - un, rule(ps, qs)))
print(" dt  unit_change  rule_change")
for r in rows: print(f"{r[0]:3d}  {r[1]:+.4f}      {r[2]:+.4f}")
obs, y, W, x = make_episodes(500, np.random.default_rng(99))
with torch.no_grad(): a = m(obs)
err = (a - y) ** 2; mod = obs[..., 2] > 0
print(f"held-out MSE {err.mean():.5f}; mod on {err[mod].mean():.5f}, mod off {err[~mod].mean():.5f}")
# how well does output/x track w?  (regress a on x*w)
print("corr(a, y) = %.4f" % np.corrcoef(a.numpy().ravel(), y.numpy().ravel())[0, 1])
json.dump({'pairing': rows, 'unpaired': un}, open(f'results/{name}_probe.json', 'w'))
