#!/usr/bin/env python3
"""MPI identity: `mpirun -np 2 ridethrough ...` gives the same summary (performance aside) and
the same full results as one process with the same seed and replications."""
import json
import os
import subprocess
import sys
import tempfile

BIN, MPIEXEC = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")


def summary(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    out = json.loads(r.stdout)
    for s in out if isinstance(out, list) else [out]:
        s.pop("performance")
        for site in s.get("sites", {}).values():  # a portfolio's sites
            site.pop("performance")
    return out


failures = 0
with tempfile.TemporaryDirectory() as tmp:
    # The cluster design sends replications to SimGrid worker processes on every rank.
    for design, n in (("hall_1mw_n1.yaml", "3000"), ("hall_1mw_2n.yaml", "3000"), ("ref_ai_cluster.yaml", "600")):
        path = os.path.join(ROOT, "experiments", "designs", design)
        one = summary([BIN, "run", path, "-n", n, "--seed", "7", "--json", "-",
                       "--out", os.path.join(tmp, "one.h5")])
        two = summary([MPIEXEC, "-np", "2", BIN, "run", path, "-n", n, "--seed", "7",
                       "--threads", "1", "--json", "-", "--out", os.path.join(tmp, "two.h5")])
        same = json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
        print(f"{design}: summary identical under mpirun -np 2: {same}")
        failures += not same
        # scripts/setup installs h5py: its absence is a failure, not a reason to skip.
        import h5py
        import numpy as np
        with h5py.File(os.path.join(tmp, "one.h5")) as a, h5py.File(os.path.join(tmp, "two.h5")) as b:
            for group in ("replications", "outages", "restarts"):
                if group not in a:
                    continue
                for k in a[group]:
                    if a[group][k].dtype.kind == "f":
                        x, y = a[group][k][:], b[group][k][:]
                        if not (len(x) == len(y) and np.array_equal(x, y, equal_nan=True)):
                            print(f"  {group}/{k} differs")
                            failures += 1
                        continue
                    x, y = a[group][k][:], b[group][k][:]
                    if not (len(x) == len(y) and all(np.atleast_1d(x == y))):
                        print(f"  {group}/{k} differs")
                        failures += 1
    pf = os.path.join(ROOT, "experiments/designs/portfolio_ercot.yaml")
    pf_one = summary([BIN, "portfolio", pf, "-n", "300", "--json", "-"])
    pf_two = summary([MPIEXEC, "-np", "2", BIN, "portfolio", pf, "-n", "300", "--threads", "1", "--json", "-"])
    same = json.dumps(pf_one, sort_keys=True) == json.dumps(pf_two, sort_keys=True)
    print(f"portfolio: identical under mpirun -np 2: {same}")
    failures += not same
    cmp_one = summary([BIN, "compare", os.path.join(ROOT, "experiments/designs/hall_1mw_n.yaml"),
                       os.path.join(ROOT, "experiments/designs/hall_1mw_2n.yaml"), "-n", "1000", "--json", "-"])
    cmp_two = summary([MPIEXEC, "-np", "2", BIN, "compare", os.path.join(ROOT, "experiments/designs/hall_1mw_n.yaml"),
                       os.path.join(ROOT, "experiments/designs/hall_1mw_2n.yaml"), "-n", "1000", "--json", "-"])
    same = json.dumps(cmp_one, sort_keys=True) == json.dumps(cmp_two, sort_keys=True)
    print(f"compare: identical under mpirun -np 2: {same}")
    failures += not same

print(f"{3 - min(failures, 3)} passed, {min(failures, 3)} failed")
sys.exit(1 if failures else 0)
