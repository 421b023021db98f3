import numpy as np, torch, time
from enu import make_episodes, ENU, mse
torch.set_num_threads(1)
rng = np.random.default_rng(12345)
obs, y, W, x = make_episodes(2000, rng)
y = y.double().numpy()
print("predict 0      : %.5f" % np.mean(y**2))
print("predict 0.5*x  : %.5f" % np.mean((0.5*x - y)**2))
c = np.sum(x*x*W)/np.sum(x*x)
print("best const c=%.4f: %.5f" % (c, np.mean((c*x - y)**2)))
for cc in [0.3,0.4,0.45,0.5]:
    print("   c=%.2f: %.5f" % (cc, np.mean((cc*x - y)**2)))
print("oracle x*w_{t-1} (one-step-stale weight): %.5f" % np.mean((x[1:]*W[:-1] - y[1:])**2))
print("mean w %.4f, std of w over all %.4f, mean within-episode std %.4f" % (W.mean(), W.std(), W.std(0).mean()))
print("frac of w at 0 or 1: %.3f" % np.mean((W==0)|(W==1)))
# timing of a forward/backward
m = ENU()
o, yy, _, _ = make_episodes(32, rng)
t0=time.time()
for _ in range(3):
    l = mse(m(o), yy); l.backward()
print("fwd+bwd per batch32: %.3fs" % ((time.time()-t0)/3))
