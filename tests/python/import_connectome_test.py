"""tools/import_connectome.py against a stand-in for the `cect` package (the
real one is a large PyPI install this test does not need): a small connectome
with a GABAergic neuron, a gap junction labelled as cect's spreadsheet reader
labels them (syntype "Chemical", synclass "Generic_GJ"), a GABAergic motor
neuron that synapses only onto a muscle, and a neuron with conflicting
transmitters, which must be refused.

  python3 import_connectome_test.py IMPORT_SCRIPT WORK_DIR
"""
import csv
import os
import shutil
import subprocess
import sys

script, work = sys.argv[1:3]
shutil.rmtree(work, ignore_errors=True)
fake = os.path.join(work, "fake")
os.makedirs(os.path.join(fake, "cect", "readers"))


def write_reader(name, conns, muscle_conns):
    with open(os.path.join(fake, "cect", "readers", f"{name}.py"), "w") as f:
        f.write(f"""
class ConnectionInfo:
    def __init__(self, pre, post, number, syntype, synclass):
        self.pre_cell, self.post_cell, self.number, self.syntype, self.synclass = pre, post, number, syntype, synclass

class Reader:
    def read_data(self):
        conns = [ConnectionInfo(*c) for c in {conns!r}]
        return sorted({{c.pre_cell for c in conns}}), conns
    def read_muscle_data(self):
        conns = [ConnectionInfo(*c) for c in {muscle_conns!r}]
        return [], sorted({{c.post_cell for c in conns}}), conns

def get_instance():
    return Reader()
""")


with open(os.path.join(fake, "cect", "__init__.py"), "w") as f:
    f.write("__version__ = '0.0-test'\n")
open(os.path.join(fake, "cect", "readers", "__init__.py"), "w").close()
write_reader("Good", [("AVAL", "AVBL", 3, "Chemical", "Acetylcholine"),
                      ("DD1", "AVAL", 2, "Chemical", "GABA"),
                      ("AVAL", "AVBL", 1, "Chemical", "Generic_GJ"),
                      ("AVBL", "AVAL", 1, "GapJunction", "Generic_GJ")],
             [("DD1", "MDL07", 4, "Chemical", "GABA"), ("VD3", "MVL07", 1, "Chemical", "GABA"),
              ("AVBL", "MDL07", 2, "Chemical", "Acetylcholine")])
write_reader("Clash", [("RIA", "AVAL", 1, "Chemical", "GABA"), ("RIA", "AVBL", 1, "Chemical", "Glutamate")], [])

env = dict(os.environ, PYTHONPATH=fake)
out = os.path.join(work, "out")
done = subprocess.run([sys.executable, script, "--reader", "Good", "--name", "t", "--out", out], env=env,
                      capture_output=True, text=True)
assert done.returncode == 0, done.stderr
assert "4 neurons (2 inhibitory), 2 muscles, 2 chemical rows, 2 gap-junction rows, 3 neuromuscular rows" in done.stdout, \
    done.stdout


def rows(name):
    with open(os.path.join(out, name)) as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


neurons = {r["label"]: r["dale"] for r in rows("t_neurons.csv")}
# Sorted by name; DD1 and VD3 (GABA onto neurons or only onto a muscle) inhibitory.
assert list(neurons) == ["AVAL", "AVBL", "DD1", "VD3"] and neurons == {"AVAL": "E", "AVBL": "E", "DD1": "I", "VD3": "I"}, neurons
synapses = [(r["pre"], r["post"], r["weight"], r["kind"]) for r in rows("t_synapses.csv")]
assert synapses == [("AVAL", "AVBL", "3", "chemical"), ("DD1", "AVAL", "-2", "chemical"),
                    ("AVAL", "AVBL", "1", "electrical"), ("AVBL", "AVAL", "1", "electrical")], synapses
muscular = [(r["pre"], r["post"], r["weight"]) for r in rows("t_neuromuscular.csv")]
assert muscular == [("DD1", "MDL07", "-4"), ("VD3", "MVL07", "-1"), ("AVBL", "MDL07", "2")], muscular
assert [r["label"] for r in rows("t_muscles.csv")] == ["MDL07", "MVL07"]

clash = subprocess.run([sys.executable, script, "--reader", "Clash", "--out", out], env=env, capture_output=True,
                       text=True)
assert clash.returncode != 0 and "RIA has GABAergic and other chemical rows" in clash.stderr, clash.stderr
print("import_connectome: ok")
