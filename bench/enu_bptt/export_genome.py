"""Writes a trained unit (results/NAME.pt) as a neurevo genome for model.enu_weight_scale = SCALE:
one gene per line, families in neurevo's order (gates, gates_bias, candidate, candidate_bias, output,
output_bias), row-major, u = (w sqrt(fan_in) / scale + 1) / 2 (weights outside the genes' range are
refused: train with --scale SCALE).

    python export_genome.py NAME SCALE > genome.txt"""
import sys

import torch

from enu import ENU

name, scale = sys.argv[1], float(sys.argv[2])
m = ENU(32, 16, 4)
m.load_state_dict(torch.load(f"results/{name}.pt"))
genes = m.genes(scale)
flat = torch.cat([genes[n].reshape(-1) for n in ("gates", "gates_bias", "candidate", "candidate_bias", "output",
                                                 "output_bias")])
if flat.min() < 0 or flat.max() > 1:
    sys.exit(f"export_genome: genes outside [0, 1] (min {flat.min():.3f}, max {flat.max():.3f}); train with --scale {scale:g}")
for u in flat.tolist():
    print(f"{u:.9f}")
