import argparse, json, math, time
import numpy as np, torch
from enu import make_episodes, ENU, mse
torch.set_num_threads(1)
ap = argparse.ArgumentParser()
ap.add_argument('--name', required=True)
ap.add_argument('--scale', type=float, default=0.0)   # 0: unconstrained; else clamp |w| <= scale/sqrt(fan_in)
ap.add_argument('--init', default='uniform')          # uniform (+-1/sqrt(fan)) | zero (genome centre)
ap.add_argument('--out_clip', default='hard')         # hard | soft (straight-through) | none
ap.add_argument('--M', type=int, default=32); ap.add_argument('--C', type=int, default=16)
ap.add_argument('--lr', type=float, default=3e-3)
ap.add_argument('--minutes', type=float, default=5.5)
ap.add_argument('--seed', type=int, default=0)
a = ap.parse_args()
torch.manual_seed(a.seed)
clip = {'hard': True, 'soft': 'soft', 'none': False}[a.out_clip]
m = ENU(a.M, a.C, 4, init=a.init, seed=a.seed, out_clip=clip)
if a.scale > 0: m.clamp_(a.scale)
opt = torch.optim.Adam(m.parameters(), lr=a.lr)
rng = np.random.default_rng(1000 + a.seed)
val_obs, val_y, _, _ = make_episodes(256, np.random.default_rng(777))
def evaluate(obs, y, hard=True):
    with torch.no_grad():
        keep = m.out_clip
        if hard: m.out_clip = True   # always evaluate the C++ semantics
        r = mse(m(obs), y).item(); m.out_clip = keep
    return r
log = []; t0 = time.time(); step = 0; budget = a.minutes * 60
while time.time() - t0 < budget:
    frac = (time.time() - t0) / budget
    for g in opt.param_groups: g['lr'] = a.lr * 0.5 * (1 + math.cos(math.pi * frac))
    obs, y, _, _ = make_episodes(32, rng)
    loss = mse(m(obs), y)
    opt.zero_grad(); loss.backward()
    gn = torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0).item()
    opt.step()
    if a.scale > 0: m.clamp_(a.scale)
    if step % 100 == 0:
        v = evaluate(val_obs, val_y)
        log.append({'step': step, 't': round(time.time() - t0, 1), 'train': loss.item(), 'val': v, 'gnorm': gn})
        print(json.dumps(log[-1]), flush=True)
    step += 1
test_obs, test_y, _, _ = make_episodes(1000, np.random.default_rng(4242))
final = evaluate(test_obs, test_y)
res = {'args': vars(a), 'steps': step, 'heldout_mse_1000ep': final, 'log': log}
if a.scale > 0 or True:
    for s in [4.0, 16.0]:
        G = m.genes(s)
        res[f'genes_in_box_scale{s:g}'] = {n: float(((g >= 0) & (g <= 1)).float().mean()) for n, g in G.items()}
        res[f'max_abs_w_over_range_scale{s:g}'] = {n: float((2 * g - 1).abs().max()) for n, g in G.items()}
print('FINAL', a.name, final, flush=True)
json.dump(res, open(f'results/{a.name}.json', 'w'), indent=1)
torch.save(m.state_dict(), f'results/{a.name}.pt')
