#!/usr/bin/env python3
"""Converts a C. elegans connectome shipped by OpenWorm's `cect` package (PyPI)
into the network description's CSV tables (README, "The C. elegans connectome").

    python3 -m venv /tmp/cect && /tmp/cect/bin/pip install cect==0.3.5
    /tmp/cect/bin/python tools/import_connectome.py --out configs/celegans/data
    /tmp/cect/bin/python tools/import_connectome.py --reader Cook2019HermReader --name cook2019 --out DIR \
        --dale-from configs/celegans/data/openworm_neurons.csv   # Cook's tables name no transmitter

Writes, for --name NAME:
  NAME_neurons.csv        label,dale,transmitter   (neurons sorted by name: the order threshold networks fire in)
  NAME_muscles.csv        label                    (muscle cells, sorted)
  NAME_synapses.csv       pre,post,weight,kind     (neuron -> neuron: chemical rows with the synapse count as
                                                    weight, negative from GABAergic neurons; electrical rows
                                                    (gap junctions) with their count, as the source lists them)
  NAME_neuromuscular.csv  pre,post,weight,kind     (neuron -> muscle, chemical, signed the same way)
Rows keep the source's order and multiplicity, so the tables' counts are the source's (a test checks them).

Choices (README): a neuron's transmitter is cect's `synclass` of its chemical rows (onto neurons and
muscles: some GABAergic motor neurons synapse only onto muscles); "GABA" in it makes the neuron
inhibitory (c302's rule; the ENOMAD reference negates exactly the rows labelled GABA, the same rows
here), anything else excitatory (glutamate and the neuromodulators included). A neuron with GABAergic
and other chemical rows is an error: the description has one Dale type per neuron. Neurons without a
chemical row are excitatory (they sign no chemical synapse). Gap junctions are listed as the source
lists them (OpenWorm's table: most pairs once per direction).
"""
import argparse
import collections
import csv
import importlib
import os
import sys


def is_gap(c):
    # cect's SpreadsheetDataReader labels every row syntype "Chemical"; its gap junctions have synclass
    # "Generic_GJ" (c302 tells them apart the same way). Other readers use syntype "GapJunction".
    return c.syntype == "GapJunction" or "GJ" in (c.synclass or "")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reader", default="SpreadsheetDataReader",
                    help="a module of cect.readers (default: SpreadsheetDataReader, OpenWorm's CElegansNeuronTables.xls, "
                         "c302's default)")
    ap.add_argument("--name", default="openworm", help="file name prefix (default: openworm)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--dale-from", help="a neuron table (columns label, dale) whose Dale types override the "
                    "reader's: for readers whose rows name no transmitter (Cook2019HermReader, the Witvliet "
                    "readers: synclass Generic_CS), e.g. configs/celegans/data/openworm_neurons.csv")
    args = ap.parse_args()
    dale_from = {}
    if args.dale_from:
        with open(args.dale_from) as f:
            for number, row in enumerate(csv.DictReader(line for line in f if not line.startswith("#")), 2):
                if row.get("dale") not in ("E", "I") or not row.get("label"):
                    sys.exit(f"{args.dale_from}: row {number}: needs a label and dale E or I")
                dale_from[row["label"]] = row["dale"]

    cect = importlib.import_module("cect")
    reader = importlib.import_module(f"cect.readers.{args.reader}").get_instance()
    _, conns = reader.read_data()
    _, muscles, mconns = reader.read_muscle_data()
    version = getattr(cect, "__version__", "?")

    chemical = [c for c in conns if not is_gap(c)]
    gaps = [c for c in conns if is_gap(c)]
    transmitters = collections.defaultdict(set)
    for c in chemical + list(mconns):  # some GABAergic motor neurons (DD3, VD4, ...) synapse only onto muscles
        if c.synclass:
            transmitters[c.pre_cell].add(c.synclass)
    neurons = sorted({c.pre_cell for c in conns} | {c.post_cell for c in conns} | {c.pre_cell for c in mconns})
    muscle_names = sorted({c.post_cell for c in mconns})
    clash = set(neurons) & set(muscle_names)
    if clash:
        sys.exit(f"cells listed both as neurons and as muscles: {sorted(clash)[:5]}")

    def inhibitory(name):
        if name in dale_from:
            return dale_from[name] == "I"
        gaba = {"GABA" in x for x in transmitters.get(name, set())}
        if len(gaba) > 1:
            sys.exit(f"neuron {name} has GABAergic and other chemical rows ({sorted(transmitters[name])}): "
                     f"the description has one Dale type per neuron")
        return gaba == {True}

    def signed(c):
        n = float(c.number)
        if n < 0 or n != n:
            sys.exit(f"{c.pre_cell} -> {c.post_cell}: synapse count {c.number} is not a count")
        return -n if inhibitory(c.pre_cell) else n

    def number(x):
        return f"{x:g}"

    os.makedirs(args.out, exist_ok=True)
    header = (f"# C. elegans connectome from cect {version} (PyPI; OpenWorm ConnectomeToolbox, MIT licence), "
              f"reader cect.readers.{args.reader}; converted by tools/import_connectome.py. Sources and licence: "
              f"SOURCE.md.\n")
    with open(os.path.join(args.out, f"{args.name}_neurons.csv"), "w", newline="") as f:
        f.write(header)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["label", "dale", "transmitter"])
        for n in neurons:
            t = sorted(transmitters.get(n, set()))
            w.writerow([n, "I" if inhibitory(n) else "E", ("|".join(t) if t else "none") +
                        (f" (dale from {os.path.basename(args.dale_from)})" if n in dale_from else "")])
    with open(os.path.join(args.out, f"{args.name}_muscles.csv"), "w", newline="") as f:
        f.write(header)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["label"])
        for m in muscle_names:
            w.writerow([m])
    with open(os.path.join(args.out, f"{args.name}_synapses.csv"), "w", newline="") as f:
        f.write(header)
        f.write("# chemical: weight = synapse count, negative from GABAergic neurons; electrical: gap junctions "
                "(count), one row per listed direction.\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["pre", "post", "weight", "kind"])
        for c in chemical:
            w.writerow([c.pre_cell, c.post_cell, number(signed(c)), "chemical"])
        for c in gaps:
            n = float(c.number)
            if n < 0 or n != n:
                sys.exit(f"{c.pre_cell} -> {c.post_cell}: gap-junction count {c.number} is not a count")
            w.writerow([c.pre_cell, c.post_cell, number(n), "electrical"])
    with open(os.path.join(args.out, f"{args.name}_neuromuscular.csv"), "w", newline="") as f:
        f.write(header)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["pre", "post", "weight", "kind"])
        for c in mconns:
            w.writerow([c.pre_cell, c.post_cell, number(signed(c)), "chemical"])
    # Generic classes carry no transmitter: say how many neurons got their type from nothing.
    unknown = [n for n in neurons if n not in dale_from and not any(
        t and not t.startswith("Generic") for t in transmitters.get(n, set()))]
    if unknown:
        print(f"{args.name}: {len(unknown)} neurons have no transmitter in this reader and are excitatory "
              f"(e.g. {', '.join(unknown[:4])}); --dale-from gives them types", file=sys.stderr)
    print(f"{args.name}: {len(neurons)} neurons ({sum(inhibitory(n) for n in neurons)} inhibitory), "
          f"{len(muscle_names)} muscles, {len(chemical)} chemical rows, {len(gaps)} gap-junction rows, "
          f"{len(mconns)} neuromuscular rows (cect {version}, {args.reader})")


if __name__ == "__main__":
    main()
