#!/usr/bin/env python3
"""Hostile-input probe (issue 17): generates hostile configs, run directories
and checkpoints, runs the real `neurevo` binary on each, and counts crashes
(a signal or an unexpected status), hangs (no exit within the time limit),
silent acceptances (status 0 where a refusal was due), data losses (a file
the user had, changed or gone) and missed fall-backs (a refusal or failure
where resuming from an older checkpoint was due). Prints one line per class and exits 1 if any
count is not zero. Usage: hostile_probe.py PATH/TO/neurevo  (about 30 s)."""
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import zlib
import faulthandler

NEUREVO = sys.argv[1]
TIMEOUT = int(os.environ.get("PROBE_TIMEOUT", "30"))
SMALL = ["--set", "model.excitatory=3", "--set", "model.inhibitory=3", "--set", "budget.generations=4",
         "--set", "checkpoint.interval=2", "--set", "eval.episodes=1", "--threads", "1"]
counts = {}  # class -> [cases, crashes, hangs, silent, losses]
problems = []


def run(args):
    try:
        p = subprocess.run([NEUREVO] + args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=TIMEOUT, errors="replace")
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return None, "timeout"


def snapshot(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for name in files + dirs:
            p = os.path.join(root, name)
            rel = os.path.relpath(p, d)
            if os.path.islink(p):
                out[rel] = "link:" + os.readlink(p)
            elif os.path.isfile(p) and os.path.getsize(p) > (64 << 20):
                out[rel] = ("big", os.path.getsize(p), os.path.getmtime(p))  # a sparse 100 GB file
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    out[rel] = f.read()
            else:
                out[rel] = "special"
    return out


def record(cls, name, expect, rc, err, lost=False):
    if os.environ.get("PROBE_VERBOSE"):
        print(f"{cls}: {name}: {rc}", file=sys.stderr, flush=True)
    c = counts.setdefault(cls, [0, 0, 0, 0, 0, 0])
    c[0] += 1
    if rc is None:
        c[2] += 1
        problems.append(f"{cls}: {name}: hang")
    elif rc < 0 or rc >= 128 or rc not in (0, 1, 2) or "fatal" in err:
        c[1] += 1
        problems.append(f"{cls}: {name}: crash (status {rc}): {err.strip()[-200:]}")
    elif expect == "refuse" and rc != 2:
        c[3] += 1
        problems.append(f"{cls}: {name}: status {rc}, expected a refusal (2)")
    elif expect == "resume" and rc != 0:
        c[5] += 1  # refused or failed where a fall-back (or a clean resume) was due
        problems.append(f"{cls}: {name}: status {rc}, expected a fall-back and exit 0: {err.strip()[-200:]}")
    elif expect == "refuse" and err.count("\n") != 1:
        c[3] += 1
        problems.append(f"{cls}: {name}: refusal is not one line: {err!r}")
    if lost:
        c[4] += 1
        problems.append(f"{cls}: {name}: changed or lost files")


def refused_unchanged(cls, name, args, d):
    before = snapshot(d)
    rc, err = run(args)
    record(cls, name, "refuse", rc, err, lost=snapshot(d) != before)


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    return bytes([major << 5 | 27]) + struct.pack(">Q", n)


def wrap(payload):  # a checkpoint file around any payload: valid header and CRC
    return b"NEURCKPT" + struct.pack("<IIQ", 1, zlib.crc32(payload), len(payload)) + payload


class Tagged:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value


def cbor_decode(b, i=0):
    """A minimal CBOR reader for checkpoint payloads: (value, next index)."""
    head = b[i]
    major, info = head >> 5, head & 31
    i += 1
    if major == 7:
        if info == 20: return False, i
        if info == 21: return True, i
        if info == 22: return None, i
        if info == 25: return struct.unpack(">e", b[i:i + 2])[0], i + 2
        if info == 26: return struct.unpack(">f", b[i:i + 4])[0], i + 4
        if info == 27: return struct.unpack(">d", b[i:i + 8])[0], i + 8
        raise ValueError(f"simple value {info}")
    if info < 24:
        arg = info
    else:
        n = 1 << (info - 24)
        arg = int.from_bytes(b[i:i + n], "big")
        i += n
    if major == 0: return arg, i
    if major == 1: return -1 - arg, i
    if major == 2: return bytes(b[i:i + arg]), i + arg
    if major == 3: return b[i:i + arg].decode(), i + arg
    if major == 4:
        out = []
        for _ in range(arg):
            v, i = cbor_decode(b, i)
            out.append(v)
        return out, i
    if major == 5:
        out = {}
        for _ in range(arg):
            k, i = cbor_decode(b, i)
            out[k], i = cbor_decode(b, i)
        return out, i
    v, i = cbor_decode(b, i)
    return Tagged(arg, v), i


def cbor_encode(v):
    if v is False: return b"\xf4"
    if v is True: return b"\xf5"
    if v is None: return b"\xf6"
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, float): return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, bytes): return cbor_head(2, len(v)) + v
    if isinstance(v, str):
        e = v.encode()
        return cbor_head(3, len(e)) + e
    if isinstance(v, list): return cbor_head(4, len(v)) + b"".join(cbor_encode(x) for x in v)
    if isinstance(v, dict):
        return cbor_head(5, len(v)) + b"".join(cbor_encode(k) + cbor_encode(x) for k, x in v.items())
    if isinstance(v, Tagged): return cbor_head(6, v.tag) + cbor_encode(v.value)
    raise TypeError(type(v))


def read_checkpoint(path):
    with open(path, "rb") as f:
        data = f.read()
    return cbor_decode(data[24:])[0]


def write_checkpoint(path, payload):
    with open(path, "wb") as f:
        f.write(wrap(cbor_encode(payload)))


def matrix(n, fill):  # a packed matrix as the optimizers store it (tag 0x65, float64 little-endian)
    return Tagged(0x65, b"".join(struct.pack("<d", fill(i, j)) for j in range(n) for i in range(n)))


def deep_tomls():
    out = {}
    for depth in (65, 1000, 50000):
        out[f"dotted-{depth}"] = "a" + ".a" * depth + " = 1\n"
        out[f"quoted-dotted-{depth}"] = '"a"' + ".'a'" * depth + " = 1\n"
        out[f"header-{depth}"] = "[a" + ".a" * depth + "]\n"
        out[f"array-of-tables-{depth}"] = "[[a" + ".a" * depth + "]]\n"
        out[f"inline-{depth}"] = "x = " + "{a = " * depth + "1" + "}" * depth + "\n"
        out[f"inline-dotted-{depth}"] = "x = {" + "a." * depth + "a = 1}\n"
        out[f"arrays-{depth}"] = "x = " + "[" * depth + "]" * depth + "\n"
        out[f"mixed-{depth}"] = "x = " + "[{a = " * depth + "1" + "}]" * depth + "\n"
        out[f"unclosed-{depth}"] = "x = " + "[" * depth + "\n"
    out["header-plus-key"] = "[a" + ".a" * 40 + "]\nb" + ".b" * 40 + " = 1\n"
    out["under-model"] = "[model]\n" + "a." * 5000 + "b = 1\n"
    return out


def deep_cbor():
    out = {}
    for depth in (65, 200000):
        out[f"arrays-{depth}"] = b"\x81" * depth + b"\x00"
        out[f"indefinite-{depth}"] = b"\x9f" * depth
        out[f"maps-{depth}"] = b"\xa1\x61k" * depth + b"\x00"
        out[f"tags-{depth}"] = b"\xc6" * depth + b"\x00"
        out[f"in-optimizers-{depth}"] = b"\xa1\x6aoptimizers" + b"\x81" * depth + b"\x00"
    return out


def main():
    faulthandler.dump_traceback_later(240, exit=True)
    tmp = tempfile.mkdtemp(prefix="neurevo_probe_")
    try:
        base = os.path.join(tmp, "base")
        rc, err = run(["train", "--quiet", "--out", base] + SMALL)
        assert rc == 0, err
        ckpts = sorted(os.listdir(os.path.join(base, "checkpoints")))
        assert len(ckpts) == 2, ckpts

        def copy(name):
            d = os.path.join(tmp, name)
            shutil.rmtree(d, ignore_errors=True)
            shutil.copytree(base, d, symlinks=True)
            os.remove(os.path.join(d, "summary.json"))
            return d

        # 1. Nesting.
        for name, text in deep_tomls().items():
            path = os.path.join(tmp, name + ".toml")
            with open(path, "w") as f:
                f.write(text)
            out = os.path.join(tmp, "never")
            rc, err = run(["train", path, "--out", out])
            record("nesting", "config " + name, "refuse", rc, err, lost=os.path.exists(out))
            if name.endswith("-50000") or name.endswith("-65"):
                d = copy("nest")
                with open(os.path.join(d, "config.toml"), "w") as f:
                    f.write(text)
                for cmd in (["eval", d, "--episodes", "1"], ["rollout", d], ["train", "--quiet", "--resume", d]):
                    refused_unchanged("nesting", f"run config.toml {name}: {cmd[0]}", cmd, d)
        for depth in (65, 200000):
            d = copy("nest")
            with open(os.path.join(d, "best_genome.json"), "w") as f:
                f.write('{"format": "neurevo-genome", "genome": ' + "[" * depth + "]" * depth + "}")
            for cmd in (["eval", d, "--episodes", "1"], ["rollout", d]):
                refused_unchanged("nesting", f"best_genome.json depth {depth}: {cmd[0]}", cmd, d)
        for name, payload in deep_cbor().items():
            d = copy("nest")
            with open(os.path.join(d, "checkpoints", ckpts[-1]), "wb") as f:
                f.write(wrap(payload))
            rc, err = run(["train", "--quiet", "--resume", d])
            record("nesting", f"newest checkpoint CBOR {name}", "resume", rc, err)
            for c in ckpts:
                with open(os.path.join(d, "checkpoints", c), "wb") as f:
                    f.write(wrap(payload))
            refused_unchanged("nesting", f"both checkpoints CBOR {name}", ["train", "--quiet", "--resume", d], d)

        # 2. Special files and sizes, and directories that are not.
        def remove(p):
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p)
            elif os.path.lexists(p):
                os.remove(p)

        def fifo(p):
            remove(p)
            os.mkfifo(p)

        def devzero(p):
            remove(p)
            os.symlink("/dev/zero", p)

        def directory(p):
            remove(p)
            os.mkdir(p)

        def sock(p):
            remove(p)
            s = socket.socket(socket.AF_UNIX)
            s.bind(p)
            s.close()

        def sparse(p):  # 100 GB without using the disk
            remove(p)
            with open(p, "wb") as f:
                f.truncate(100 << 30)

        kinds = {"fifo": fifo, "/dev/zero": devzero, "directory": directory, "socket": sock, "100 GB": sparse}
        for kname, make in kinds.items():
            path = os.path.join(tmp, "special.toml")
            make(path)
            out = os.path.join(tmp, "never")
            rc, err = run(["train", path, "--out", out])
            record("special files", f"config is {kname}", "refuse", rc, err, lost=os.path.exists(out))
            for target, cmds in (("config.toml", ("eval", "rollout", "resume")),
                                 ("best_genome.json", ("eval", "rollout", "resume")),
                                 ("metrics.jsonl", ("resume",)), ("summary.json", ("resume",))):
                for cmd in cmds:
                    d = copy("special")
                    make(os.path.join(d, target))
                    args = {"eval": ["eval", d, "--episodes", "1"], "rollout": ["rollout", d],
                            "resume": ["train", "--quiet", "--resume", d]}[cmd]
                    if cmd == "resume" and kname == "100 GB" and target in ("best_genome.json", "summary.json"):
                        # A regular file that resume rewrites without reading it: resuming is right.
                        rc, err = run(args)
                        record("special files", f"{target} is {kname}: {cmd}", "resume", rc, err)
                    else:
                        refused_unchanged("special files", f"{target} is {kname}: {cmd}", args, d)
            d = copy("special")
            make(os.path.join(d, "checkpoints", ckpts[-1]))
            rc, err = run(["train", "--quiet", "--resume", d])
            record("special files", f"newest checkpoint is {kname}", "resume", rc, err)
        for what, make in (("a regular file", lambda p: (shutil.rmtree(p), open(p, "w").write("x"))),
                           ("a FIFO", lambda p: (shutil.rmtree(p), os.mkfifo(p))),
                           ("a link to /dev/null", lambda p: (shutil.rmtree(p), os.symlink("/dev/null", p)))):
            d = copy("special")
            make(os.path.join(d, "checkpoints"))
            refused_unchanged("special files", f"checkpoints is {what}", ["train", "--quiet", "--resume", d], d)
        d = os.path.join(tmp, "holder")
        os.mkdir(d)
        f = os.path.join(d, "a-file")
        open(f, "w").write("x")
        for cmd in (["eval", f], ["rollout", f], ["train", "--quiet", "--resume", f]):
            refused_unchanged("special files", f"run dir is a file: {cmd[0]}", cmd, d)

        # 2b. Network descriptions (model.kind = "network"): files they name
        # are special or absurd, values out of range, sizes that cannot fit.
        net_head = ('[model]\nkind = "network"\n[[network.populations]]\nname = "in"\nrole = "input"\n'
                    '[[network.populations]]\nname = "out"\nrole = "output"\n')
        net_cases = {}
        for kname, make in kinds.items():
            for use in ("table", "list"):
                target = os.path.join(tmp, f"net_{use}_{kname.replace('/', '_').replace(' ', '_')}")
                make(target)
                if use == "table":
                    net_cases[f"neuron table is {kname}"] = net_head + \
                        f'[[network.populations]]\nname = "c"\ntable = "{target}"\n'
                else:
                    net_cases[f"synapse list is {kname}"] = net_head + \
                        f'[[network.projections]]\npre = "in"\npost = "out"\nconnector = "list"\nfile = "{target}"\n'
        hidden = '[[network.populations]]\nname = "h"\nsize = {size}\n'
        proj = '[[network.projections]]\npre = "{pre}"\npost = "{post}"\n'
        for name, extra in {
            "size 2^31": hidden.format(size=2 ** 31),
            "size -1": hidden.format(size=-1),
            "10^12 synapses": hidden.format(size=1000000) + proj.format(pre="h", post="h"),
            "probability nan": hidden.format(size=3) + proj.format(pre="in", post="h") +
                               'connector = "fixed_probability"\nprobability = nan\n',
            "probability 2": hidden.format(size=3) + proj.format(pre="in", post="h") +
                             'connector = "fixed_probability"\nprobability = 2.0\n',
            "in_degree above the population": hidden.format(size=3) + proj.format(pre="in", post="h") +
                                              'connector = "fixed_in_degree"\nin_degree = 100\n',
            "unknown population": proj.format(pre="in", post="nowhere"),
            "projection into the input": proj.format(pre="out", post="in"),
            "weight inf": hidden.format(size=3) + proj.format(pre="in", post="h") + "weight = inf\n",
            "evolved range reversed": hidden.format(size=3) + proj.format(pre="in", post="h") +
                                      "weight = { evolve = [1.0, 0.0] }\n",
            "tau_m 0": hidden.format(size=3) + "tau_m_ms = 0.0\n",
            "list of a million thresholds for 3 neurons": hidden.format(size=3) +
                "v_threshold_mV = [" + ", ".join(["-50.0"] * 1000000) + "]\n",
            "two input populations": '[[network.populations]]\nname = "in2"\nrole = "input"\n',
            "receptor tau 0": '[[network.receptors]]\nname = "N"\ntau_syn_ms = 0.0\ne_rev_mV = 0.0\n',
            "receptor e_rev nan": '[[network.receptors]]\nname = "N"\ntau_syn_ms = 5.0\ne_rev_mV = nan\n',
            "seven extra receptors": "".join(f'[[network.receptors]]\nname = "R{k}"\ne_rev_mV = 0.0\n' for k in range(7)),
            "unknown receptor": proj.format(pre="in", post="out") + 'receptor = "NMDA"\n',
            "receptor on a gap junction": proj.format(pre="in", post="out") + 'synapse = "electrical"\nreceptor = "AMPA"\n',
            "no populations": "",
        }.items():
            net_cases[name] = (net_head if name != "no populations" else '[model]\nkind = "network"\n') + extra
        for name, text in net_cases.items():
            path = os.path.join(tmp, "net.toml")
            with open(path, "w") as f:
                f.write(text)
            out = os.path.join(tmp, "never")
            rc, err = run(["train", path, "--out", out])
            record("network descriptions", name, "refuse", rc, err, lost=os.path.exists(out))

        # 2c. Task data: ImageClassification's IDX files special, absurd or
        # inconsistent; MemoryLength ids out of range.
        digits = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                              "configs", "heterogeneity", "data", "digits")
        idx_files = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                     "t10k-labels-idx1-ubyte"]

        def idx(dims, payload=b"", kind=0x08):
            return bytes([0, 0, kind, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload

        def data_dir(name, replace):
            d = os.path.join(tmp, "data_" + "".join(c if c.isalnum() else "_" for c in name))
            shutil.rmtree(d, ignore_errors=True)
            os.mkdir(d)
            for f in idx_files:
                shutil.copy(os.path.join(digits, f), d)
            replace(d)
            return d

        def write_to(f, data):
            return lambda d: open(os.path.join(d, f), "wb").write(data)

        task_cases = {}
        for kname, make in kinds.items():
            task_cases[f"training images are {kname}"] = data_dir(
                kname, lambda d, make=make: make(os.path.join(d, idx_files[0])))
        for name, (f, data) in {
            "dims product overflows": (idx_files[0], idx([0xffffffff, 0xffffffff, 0xffffffff], b"x")),
            "dims 2^32-1 x 1 x 1, no data": (idx_files[0], idx([0xffffffff, 1, 1])),
            "255 dimensions": (idx_files[0], idx([1] * 255, b"x")),
            "element type int32": (idx_files[0], idx([1, 8, 8], b"\0" * 256, kind=0x0C)),
            "truncated images": (idx_files[0], idx([1437, 8, 8], b"\0" * 100)),
            "labels for other images": (idx_files[1], idx([3], b"\1\2\3")),
            "test images of another size": (idx_files[2], idx([360, 9, 9], b"\0" * (360 * 81))),
            "gzip bomb header": (idx_files[0], b"\x1f\x8b" + os.urandom(64)),
            "empty file": (idx_files[3], b""),
        }.items():
            task_cases[name] = data_dir(name, write_to(f, data))
        task_cases["no such directory"] = os.path.join(tmp, "no-such-dir")
        for name, d in task_cases.items():
            path = os.path.join(tmp, "task.toml")
            with open(path, "w") as f:
                f.write(f'[task]\nname = "ImageClassification"\noptions = {{ data = "{d}" }}\n')
            out = os.path.join(tmp, "never")
            rc, err = run(["train", path, "--out", out])
            record("task data", name, "refuse", rc, err, lost=os.path.exists(out))
        for name in ("MemoryLength-0", "MemoryLength-100001", "MemoryLength-99999999999999999999", "MemoryLength-",
                     "MemoryLength-1e3", "MemoryLength-07"):
            out = os.path.join(tmp, "never")
            rc, err = run(["train", "--set", f"task.name={name}", "--out", out])
            record("task data", name, "refuse", rc, err, lost=os.path.exists(out))

        # 3 and 4. Counters and optimizer state, edited inside a checkpoint
        # with a valid checksum: the newest is set aside, the older used.
        newest = os.path.join(base, "checkpoints", ckpts[-1])
        good = read_checkpoint(newest)
        assert cbor_decode(cbor_encode(good))[0].keys() == good.keys()
        gen = good["generation"]
        n = good["optimizers"][0]["dimension"]
        edits = []
        for key in ("generation", "env_steps", "failed_episodes", "failed_individuals", "optimizer_restores",
                    "restore_generation", "metrics_bytes"):
            for value in (-1, 2 ** 53 + 1, 2 ** 63 - 1, -2 ** 63, 1e300):
                edits.append(("counters", f"{key} = {value}", lambda p, k=key, v=value: p.__setitem__(k, v)))
        edits.append(("counters", "env_steps beyond the config",
                      lambda p: p.__setitem__("env_steps", p["generation"] * 50 * 500 + 1)))
        edits.append(("counters", "failed individuals > failed episodes",
                      lambda p: p.update(failed_individuals=5, failed_episodes=4)))
        edits.append(("counters", "best from a later generation",
                      lambda p: p["best"].__setitem__("generation", gen + 3)))
        edits.append(("counters", "best validation episodes -1",
                      lambda p: p["best"].__setitem__("validation_episodes", -1)))
        edits.append(("counters", "best validation episodes huge",
                      lambda p: p["best"].__setitem__("validation_episodes", 2 ** 40)))
        edits.append(("counters", "normaliser switched off", lambda p: p["normalizer"].__setitem__("enabled", False)))
        edits.append(("counters", "normaliser count -1", lambda p: p["normalizer"].__setitem__("count", -1.0)))
        edits.append(("counters", "normaliser of another size", lambda p: p.__setitem__("obs_dim", p["obs_dim"] + 1)))
        o = lambda p: p["optimizers"][0]
        for key, value in (("sigma", 0.0), ("sigma", -1.0), ("sigma", 1e300), ("sigma", float("inf")),
                           ("sigma", float("nan")), ("sigma0", 0.0), ("sigma0", -2.0), ("generation", -1),
                           ("generation", 2 ** 31 - 1), ("generation", 2 ** 40), ("generation", 1e300),
                           ("generation", 3.5), ("seed", -1), ("eigen_generation", gen + 1000),
                           ("eigen_generation", -1), ("resets", -1), ("resets", 10 ** 6), ("dimension", n + 1),
                           ("population", 3), ("population", 2 ** 31 - 1), ("parents", 0)):
            edits.append(("optimizer state", f"cma_es {key} = {value}",
                          lambda p, k=key, v=value: o(p).__setitem__(k, v)))
        for key, fill in (("C", lambda i, j: 0.0), ("C", lambda i, j: -1.0 if i == j else 0.0),
                          ("C", lambda i, j: 1.0 if i == j else (0.9 if i < j else 0.0)),
                          ("C", lambda i, j: 1.0 if i == j else 2.0 if abs(i - j) == 1 else 0.0),
                          ("C", lambda i, j: float("nan") if i == j == 0 else float(i == j)),
                          ("B", lambda i, j: 0.0), ("B", lambda i, j: 2.0 if i == j else 0.0),
                          ("B", lambda i, j: 1.0)):
            edits.append(("optimizer state", f"cma_es {key} = broken matrix",
                          lambda p, k=key, f=fill: o(p).__setitem__(k, matrix(n, f))))
        for key, value in (("D", 0.0), ("D", -1.0), ("D", 1e300), ("mean", float("inf")), ("ps", float("nan"))):
            def set_first(p, k=key, v=value):
                x = o(p)[k]
                if isinstance(x, Tagged):  # packed doubles
                    o(p)[k] = Tagged(x.tag, struct.pack("<d", v) + x.value[8:])
                else:
                    x[0] = v
            edits.append(("optimizer state", f"cma_es {key}[0] = {value}", set_first))
        edits.append(("optimizer state", "kind = xnes", lambda p: o(p).__setitem__("kind", "xnes")))
        edits.append(("optimizer state", "no optimizers", lambda p: p.__setitem__("optimizers", [])))
        edits.append(("optimizer state", "two islands", lambda p: p.__setitem__("optimizers", [o(p), o(p)])))
        for cls, name, edit in edits:
            d = copy("edited")
            path = os.path.join(d, "checkpoints", ckpts[-1])
            payload = read_checkpoint(path)
            edit(payload)
            write_checkpoint(path, payload)
            rc, err = run(["train", "--quiet", "--resume", d, "--set", "budget.generations=6"])
            fell_back = os.path.exists(path + ".unusable")
            record(cls, name, "resume", rc, err)
            if rc == 0 and not fell_back:
                counts[cls][3] += 1
                problems.append(f"{cls}: {name}: resumed from the edited checkpoint")
            # Both checkpoints edited: refused, nothing changed.
            d = copy("edited")
            for c in ckpts:
                path = os.path.join(d, "checkpoints", c)
                payload = read_checkpoint(path)
                edit(payload)
                write_checkpoint(path, payload)
            refused_unchanged(cls, name + " (both checkpoints)", ["train", "--quiet", "--resume", d], d)

        # 6. Data loss: a user's files in --out, stale temporaries, checkpoints not a directory.
        for user in ("notes.tmp", "config.toml.tmp", "best_genome.json.tmp", ".hidden.tmp", "x.ckpt.tmp"):
            d = os.path.join(tmp, "out-" + user)
            os.mkdir(d)
            open(os.path.join(d, user), "w").write("precious\n")
            refused_unchanged("data loss", f"--out holding {user}", ["train", "--quiet", "--out", d] + SMALL, d)
        for stale in (".neurevo-best_genome.json.tmp", ".neurevo-config.toml.tmp", "checkpoints/.neurevo-gen-x.ckpt.tmp"):
            d = copy("stale")
            open(os.path.join(d, stale), "w").write("half")
            open(os.path.join(d, "notes.tmp"), "w").write("precious")
            rc, err = run(["train", "--quiet", "--resume", d])
            lost = not os.path.exists(os.path.join(d, "notes.tmp")) or os.path.exists(os.path.join(d, stale))
            record("data loss", f"resume beside stale {stale}", "resume", rc, err, lost=lost)
        # Disk full (the file size limit, SIGXFSZ ignored), then resume in place.
        d = os.path.join(tmp, "full")
        cmd = "trap '' XFSZ; ulimit -f 200; exec " + " ".join([NEUREVO, "train", "--quiet", "--out", d] + SMALL)
        p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=TIMEOUT)
        leftovers = [n for _, _, fs in os.walk(d) for n in fs if n.endswith(".tmp")]
        rc, err = run(["train", "--quiet", "--resume", d])
        record("data loss", "disk full, then resume in place", "resume", rc, err, lost=bool(leftovers) or p.returncode != 1)
        # Metrics cut between the two checkpoints: resume from the older one.
        d = copy("metrics")
        with open(os.path.join(d, "metrics.jsonl"), "rb+") as f:
            lines = f.read().split(b"\n")
            f.seek(0)
            f.truncate()
            f.write(b"\n".join(lines[:3]) + b"\n")
        rc, err = run(["train", "--quiet", "--resume", d])
        record("metrics fall-back", "metrics.jsonl cut after the older checkpoint", "resume", rc, err)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{'class':<20} {'cases':>5} {'crashes':>7} {'hangs':>5} {'silent':>6} {'losses':>6} {'no-fallback':>11}")
    for cls, (n, crash, hang, silent, loss, nofb) in counts.items():
        print(f"{cls:<20} {n:>5} {crash:>7} {hang:>5} {silent:>6} {loss:>6} {nofb:>11}")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
