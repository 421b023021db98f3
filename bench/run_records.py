"""What the bench harnesses (bench/table2, bench/heterogeneity) share: the results
file of finished runs (one JSON line each, appended and synced, a torn last line
skipped), and paths that stay valid in any clone. Standard library only."""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def display_path(path):
    """Relative to the repository when inside it (records stay valid in any clone)."""
    relative = os.path.relpath(path, ROOT)
    return os.path.abspath(path) if relative.startswith("..") else relative


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
