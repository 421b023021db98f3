"""What the bench harnesses (bench/table2, bench/heterogeneity, bench/fig4_curves.py) share: a
config's digest, training or resuming one run under it, the results file of finished runs (one
JSON line each, appended and synced, a torn last line skipped), and paths that
stay valid in any clone. Standard library only."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def display_path(path):
    """Relative to the repository when inside it (records stay valid in any clone)."""
    relative = os.path.relpath(path, ROOT)
    return os.path.abspath(path) if relative.startswith("..") else relative


def config_digest(config, settings):
    """What a run depends on: its config file parsed (comments and layout do not count) and the
    command-line settings added to it."""
    with open(config, "rb") as f:
        parsed = tomllib.load(f)
    text = json.dumps({"config": parsed, "settings": settings}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def load_results(path, who):
    results = {}
    if not os.path.exists(path):
        return results
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
                results[record["key"]] = record
            except (json.JSONDecodeError, KeyError) as e:
                # A torn last line (the script was killed while appending) is skipped, not fatal.
                print(f"{who}: {path}:{number}: unreadable line skipped ({e})", file=sys.stderr)
    return results


def append_result(path, record):
    # One line per finished run, flushed and synced: a kill loses at most the run in flight.
    with open(path, "a+b") as f:
        # After a torn last line (a kill while appending), start a new line, or this record
        # would be glued to the torn one and skipped with it.
        torn = False
        if f.seek(0, os.SEEK_END) > 0:
            f.seek(-1, os.SEEK_END)
            torn = f.read(1) != b"\n"
        f.write((("\n" if torn else "") + json.dumps(record, sort_keys=True) + "\n").encode())
        f.flush()
        os.fsync(f.fileno())


def train_or_resume(key, run_dir, config, seed, settings, digest, neurevo, threads, who):
    """Trains one run of `config` (with `settings`) into `run_dir`, or resumes it from its newest
    checkpoint, and returns its summary. A run directory whose recorded config digest (beside it, as
    neurevo wants the directory new) differs from `digest`, or that has none, was started under
    another config and starts again; one finished but not recorded (killed between the two) is only
    read. Raises RuntimeError with the run's stderr if neurevo fails."""
    summary_path = os.path.join(run_dir, "summary.json")
    digest_path = run_dir + ".config.sha256"
    recorded = None
    if os.path.exists(digest_path):
        with open(digest_path) as f:
            recorded = f.read().strip()
    if os.path.isdir(run_dir) and recorded != digest:
        why = "another config" if recorded is not None else "no recorded config digest"
        print(f"{who}: {key}: {run_dir} was started under {why}; starting again", file=sys.stderr)
        shutil.rmtree(run_dir, ignore_errors=True)
    if os.path.exists(summary_path):
        command = None
    elif os.path.exists(os.path.join(run_dir, "config.toml")):
        command = [neurevo, "train", "--resume", run_dir, "--threads", str(threads), "--quiet"]
    else:
        if os.path.isdir(run_dir):
            shutil.rmtree(run_dir)  # killed before the run wrote anything worth keeping
        command = [neurevo, "train", config, "--seed", str(seed), "--out", run_dir, "--threads", str(threads),
                   "--quiet"]
        for s in settings:
            command += ["--set", s]
        with open(digest_path, "w") as f:
            f.write(digest + "\n")
    if command is not None:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{key}: {' '.join(command)} exited {done.returncode}:\n{done.stderr.strip()}")
    with open(summary_path) as f:
        return json.load(f)
