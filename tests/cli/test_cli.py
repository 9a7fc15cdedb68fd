#!/usr/bin/env python3
"""End-to-end tests of the ridethrough command line, run as a new user would."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

BIN = sys.argv.pop(1) if len(sys.argv) > 1 else "build/release/experiments/ridethrough"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DESIGNS = os.path.join(ROOT, "experiments", "designs")

GOOD = """version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 500h}, repair: {dist: exponential, mean: 5h}}
  v: {kind: source, failure: {dist: exponential, mean: 800h}, repair: {dist: fixed, value: 4h}}
loads:
  l: {demand: 1, power: [u, v]}
"""


def run(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120, **kw)


class Cli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.good = os.path.join(self.tmp.name, "good.yaml")
        with open(self.good, "w") as f:
            f.write(GOOD)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_json_stdout_is_json_alone(self):
        r = run("run", self.good, "-n", "200", "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = json.loads(r.stdout)
        for key in ("version", "design", "seed", "replications", "horizon_hours", "facility",
                    "loads", "tenants", "components", "performance"):
            self.assertIn(key, s)
        self.assertEqual(s["replications"], 200)
        self.assertEqual(s["seed"], 1)
        f = s["facility"]
        self.assertEqual(set(f["availability"]), {"mean", "ci95", "std"})
        for q in ("mean", "p50", "p90", "p99", "max"):
            self.assertIn(q, f["downtime_hours"])
        self.assertIn("outage_share", s["components"]["u"])

    def test_table_by_default_and_quiet(self):
        r = run("run", self.good, "-n", "100")
        self.assertEqual(r.returncode, 0)
        self.assertIn("availability", r.stdout)
        self.assertIn("facility", r.stdout)
        q = run("run", self.good, "-n", "100", "--quiet")
        self.assertEqual(q.returncode, 0)
        self.assertEqual(q.stdout, "")

    def test_threads_do_not_change_numbers(self):
        outs = []
        for t in ("1", "2"):
            r = run("run", self.good, "-n", "300", "--seed", "5", "--threads", t, "--json", "-")
            s = json.loads(r.stdout)
            del s["performance"]
            outs.append(json.dumps(s, sort_keys=True))
        self.assertEqual(outs[0], outs[1])

    def test_json_file_written_whole(self):
        out = os.path.join(self.tmp.name, "s.json")
        r = run("run", self.good, "-n", "100", "--quiet", "--json", out)
        self.assertEqual(r.returncode, 0)
        with open(out) as f:
            json.load(f)
        self.assertEqual([n for n in os.listdir(self.tmp.name) if ".tmp" in n], [])

    def test_interrupted_run_leaves_no_file(self):
        import signal
        import time
        out = os.path.join(self.tmp.name, "big.h5")
        js = os.path.join(self.tmp.name, "big.json")
        p = subprocess.Popen([BIN, "run", os.path.join(DESIGNS, "ref_tier1_n.yaml"), "-n", "50000000",
                              "--quiet", "--out", out, "--json", js])
        # Wait until the run is under way (its temporary HDF5 file exists), however slow the
        # machine: a fixed sleep could signal before the run starts, or never see it at all.
        deadline = time.monotonic() + 60
        while not any(n.startswith("big.h5.tmp") for n in os.listdir(self.tmp.name)):
            self.assertIsNone(p.poll(), "the run ended before it could be interrupted")
            self.assertLess(time.monotonic(), deadline, "no temporary output after 60 s")
            time.sleep(0.02)
        p.send_signal(signal.SIGINT)
        self.assertEqual(p.wait(timeout=60), 128 + signal.SIGINT)
        self.assertEqual([n for n in os.listdir(self.tmp.name) if n.startswith("big")], [])

    def test_unwritable_output_is_usage_error(self):
        r = run("run", self.good, "-n", "10", "--json", "/nonexistent/dir/s.json")
        self.assertEqual(r.returncode, 2)
        self.assertIn("not writable", r.stderr)

    def test_bad_design_exit_2_with_locations(self):
        bad = self.write("bad.yaml", "version: 1\ncomponents:\n  u: {kind: sorce}\nloads:\n  l: {demand: 1, power: [w]}\n")
        r = run("run", bad)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 2, r.stderr)
        self.assertTrue(lines[0].startswith(bad + ":3:13: error: "), lines[0])
        self.assertTrue(lines[1].startswith(bad + ":5:26: error: "), lines[1])

    def test_a_load_that_can_never_be_served_is_an_error(self):
        design = self.write("small.yaml", """version: 1
components:
  feed: {kind: source, capacity: 500kW}
loads:
  hall: {demand: 600kW, power: [feed]}
""")
        for cmd in ("run", "check"):
            r = run(cmd, design, "-n", "50") if cmd == "run" else run(cmd, design)
            self.assertEqual(r.returncode, 2, cmd)
            self.assertEqual(r.stdout, "")
            self.assertIn(design + ":5:3: error: critical load 'hall' cannot be served even with every "
                          "component up: at most 500 kW of power reaches it, it needs 600 kW", r.stderr)

    def test_missing_file_and_bad_usage(self):
        self.assertEqual(run("run", os.path.join(self.tmp.name, "nope.yaml")).returncode, 2)
        self.assertEqual(run("run").returncode, 2)
        self.assertEqual(run("frobnicate").returncode, 2)
        self.assertEqual(run("run", self.good, "-n", "0").returncode, 2)
        self.assertEqual(run("run", self.good, "--seed", "abc").returncode, 2)
        self.assertEqual(run("--help").returncode, 0)

    def test_binary_garbage(self):
        path = os.path.join(self.tmp.name, "garbage.yaml")
        with open(path, "wb") as f:
            f.write(bytes(range(256)))
        r = run("run", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("error:", r.stderr)

    def test_hdf5_full_results_reproduce_the_summary(self):
        import h5py
        import numpy as np
        # Lognormal repairs: costs without atoms, so every quantile level tells its own value.
        design = self.write("t.yaml", """version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 500h}, repair: {dist: exponential, mean: 5h}}
  v: {kind: source, failure: {dist: exponential, mean: 800h}, repair: {dist: lognormal, median: 4h, sigma: 0.8}}
loads:
  l: {demand: 1, power: [u, v]}
  m: {demand: 2MW, power: [u, v], priority: flexible, tenant: miner}
tenants:
  miner: {workload: {kind: mining, revenue_per_mwh: 50}}
""")
        out = os.path.join(self.tmp.name, "r.h5")
        r = run("run", design, "-n", "2000", "--seed", "3", "--out", out, "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = json.loads(r.stdout)
        with h5py.File(out) as f:
            reps = f["replications"]
            self.assertEqual(len(reps["replication"]), 2000)
            self.assertEqual(list(reps["replication"][:]), list(range(2000)))
            for key, block in (("facility_downtime_hours", s["facility"]["downtime_hours"]),
                               ("l.downtime_hours", s["loads"]["l"]["downtime_hours"]),
                               ("facility_outages", s["facility"]["outages"]),
                               ("miner.cost", s["tenants"]["miner"]["cost"])):
                self.assertAlmostEqual(float(np.mean(reps[key][:])), block["mean"], delta=1e-9 * max(1, abs(block["mean"])))
            outs = f["outages"]
            facility = outs["load"][:] == -1
            self.assertEqual(int(facility.sum()), int(round(s["facility"]["outages"]["mean"] * 2000)))
            durations = outs["duration_hours"][:][facility]
            self.assertAlmostEqual(float(durations.mean()), s["facility"]["outage_duration_hours"]["mean"], delta=1e-9)
            self.assertEqual(json.loads(f.attrs["summary"])["facility"], s["facility"])
            # VaR and the loss exceedance curve, recomputed here from the rows with SPEC's
            # quantile definition: an independent implementation of the same figures.
            cost = np.sort(reps["miner.cost"][:])
            n = len(cost)
            self.assertGreater(int((cost == 0).sum()), 0)
            for q, v in s["tenants"]["miner"]["cost"]["var"].items():
                k = max(1, int(np.ceil(float(q) * n - 1e-9)))
                self.assertEqual(v, float(cost[k - 1]), q)
            curve = s["tenants"]["miner"]["cost"]["loss_exceedance"]
            self.assertEqual(len(curve), 50)
            for point in curve:
                self.assertAlmostEqual(point["p"], float((cost > point["x"]).mean()), delta=1e-12)
            self.assertIn("components:", f.attrs["design_text"])
            ids = list(f["ids/loads"].asstr()[:])
            self.assertEqual(ids, ["l", "m"])
        self.assertEqual([n for n in os.listdir(self.tmp.name) if ".tmp" in n], [])

    def test_report_from_full_results(self):
        design = self.write("t.yaml", GOOD.replace("power: [u, v]}", "power: [u, v], tenant: acme}") + """tenants:
  acme: {workload: {kind: training, checkpoint_interval: 2h, restart_time: 30min, cost_per_hour: 100}}
""")
        outs = []
        for i, seed in enumerate(("1", "2")):
            out = os.path.join(self.tmp.name, f"r{i}.h5")
            self.assertEqual(run("run", design, "-n", "300", "--seed", seed, "--out", out, "--quiet").returncode, 0)
            outs.append(out)
        page = os.path.join(self.tmp.name, "report.html")
        r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "report"), *outs, "-o", page],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(page) as f:
            text = f.read()
        self.assertTrue("Designs side by side" in text)
        self.assertTrue("<h3>tenant acme</h3>" in text)
        self.assertGreaterEqual(text.count("data:image/png;base64,"), 5)
        import re
        visible = re.sub(r'data:image/png;base64,[^"]*', "", text)
        self.assertIsNone(re.search(r"\d[eE][+-]\d", visible), "an exponent in the report")

    def test_tables_never_print_exponents(self):
        import re
        d = os.path.join(DESIGNS, "hall_1mw_n1.yaml")
        r = run("sweep", d, "--vary", "components.tx.repair.mean=100h,356h", "-n", "500")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIsNone(re.search(r"\d[eE][+-]\d", r.stdout), r.stdout)
        self.assertIn("14.7 M", r.stdout)  # expected total cost, as compare prints money
        r = run("compare", d, os.path.join(DESIGNS, "hall_1mw_2n.yaml"), "-n", "2000")
        self.assertIsNone(re.search(r"\d[eE][+-]\d", r.stdout), r.stdout)

    def test_check_json_and_table(self):
        r = run("check", os.path.join(DESIGNS, "hall_1mw_n1.yaml"), "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = json.loads(r.stdout)["loads"]["it_hall"]
        self.assertIn("tx", c["single_points_of_failure"])
        self.assertIn(["ups_m1", "ups_m2"], c["cut_sets"])
        self.assertIn(["tx"], c["cut_sets"])
        self.assertFalse(c["concurrently_maintainable"])
        t = run("check", os.path.join(DESIGNS, "hall_1mw_2n.yaml"))
        self.assertEqual(t.returncode, 0)
        self.assertIn("single points of failure: none", t.stdout)
        bad = self.write("bad.yaml", "version: 1\nloads: {}\n")
        self.assertEqual(run("check", bad).returncode, 2)

    def test_exact_json_and_refusal(self):
        design = os.path.join(DESIGNS, "markov", "n1_modules_one_crew.yaml")
        r = run("exact", design, "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        e = json.loads(r.stdout)
        self.assertGreater(e["states"], 1)
        self.assertEqual(set(e["facility"]["availability"]), {"mean"})
        self.assertIn("hall", e["loads"])
        no = run("exact", os.path.join(DESIGNS, "hall_1mw_2n.yaml"))
        self.assertEqual(no.returncode, 2)
        self.assertIn("components 'gen_a', 'gen_b' (generators)", no.stderr)
        self.assertEqual(no.stdout, "")

    def test_docs_figures_names_every_summary_key(self):
        # docs/figures.md is the reference of the output: every key the summaries of designs
        # with every feature (grid events, calls, divisible loads, tenants, economics, cluster
        # jobs), a comparison, exact and check write is named there.
        with open(os.path.join(ROOT, "docs", "figures.md")) as f:
            doc = f.read()
        ids = ("loads", "components", "tenants", "jobs", "events", "var", "sweep")
        names = set()

        def walk(x, parent=None):
            if isinstance(x, dict):
                for k, v in x.items():
                    if parent in ids:
                        walk(v, None)
                        continue
                    names.add(k)
                    walk(v, k)
            elif isinstance(x, list):
                for v in x:
                    walk(v, parent)
        d = lambda n: os.path.join(DESIGNS, n)
        for args in (["run", d("ref_mining_conversion.yaml"), "-n", "100"],
                     ["run", d("ref_ai_cluster.yaml"), "-n", "50"],
                     ["compare", d("hall_1mw_n.yaml"), d("hall_1mw_2n.yaml"), "-n", "100"],
                     ["exact", d("markov/n1_modules_one_crew.yaml")],
                     ["check", d("ref_tier3_n1_cm.yaml"), "--order", "3"]):
            r = run(*args, "--json", "-")
            self.assertEqual(r.returncode, 0, r.stderr)
            walk(json.loads(r.stdout))
        missing = sorted(k for k in names if f"`{k}`" not in doc)
        self.assertEqual(missing, [], "keys not named in docs/figures.md")

    def test_capabilities_table_and_design(self):
        # Every analysis declares every feature; for a design, each says what it would refuse.
        r = run("capabilities", "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        caps = json.loads(r.stdout)["analyses"]
        names = [a["analysis"] for a in caps]
        self.assertEqual(names[0], "run")
        self.assertIn("exact", names)
        exact = caps[names.index("exact")]
        by_feature = {f["feature"]: f for f in exact["features"]}
        self.assertEqual(by_feature["generators"]["support"], "refused")
        self.assertEqual(by_feature["grid events"]["support"], "handled")
        self.assertTrue(all(len(a["features"]) == len(exact["features"]) for a in caps))
        d = run("capabilities", os.path.join(DESIGNS, "hall_1mw_2n.yaml"))
        self.assertEqual(d.returncode, 0, d.stderr)
        self.assertIn("exact: REFUSES this design", d.stdout)
        self.assertIn("components 'gen_a', 'gen_b' (generators)", d.stdout)
        self.assertIn("splitting: runs", d.stdout)
        self.assertEqual(run("capabilities", self.write("bad.yaml", "version: 1\nloads: {}\n")).returncode, 2)

    def test_optimize_picks_what_a_brute_force_sweep_picks(self):
        design = self.write("opt.yaml", """version: 1
crews: 1
components:
  utility: {kind: source, failure: {dist: exponential, mean: 300h}, repair: {dist: lognormal, median: 1h, sigma: 1.2}}
  gen: {kind: generator, start: {fail_prob: 0.05}, repair: {dist: exponential, mean: 24h},
        failure: {dist: exponential, mean: 300h}}
  ats: {kind: switch, inputs: [utility, gen]}
  ups: {kind: ups, inputs: [ats], autonomy: 5min, recharge: 2h}
  pdu: {kind: node, inputs: [ups], failure: {dist: exponential, mean: 2000h}, repair: {dist: exponential, mean: 30h}}
loads:
  hall: {demand: 800kW, power: [pdu], tenant: lab}
tenants:
  lab:
    workload: {kind: training, checkpoint_interval: 1h, restart_time: 20min, cost_per_hour: 20000}
economics: {capex: 1000000, annual_opex: 0, years: 10, crew_cost_per_year: 30000}
options:
  - {path: components.ups.autonomy, values: [5min, 30min, 2h]}
  - {path: crews, values: [1, 2, 3]}
""")
        best = os.path.join(self.tmp.name, "best.yaml")
        r = run("optimize", design, "-n", "300", "--json", "-", "--write-best", best)
        self.assertEqual(r.returncode, 0, r.stderr)
        opt = json.loads(r.stdout)
        self.assertEqual(opt["search"], "exhaustive")
        self.assertEqual(opt["points_evaluated"], 9)
        sw = run("sweep", design, "--vary", "components.ups.autonomy=5min,30min,2h", "--vary", "crews=1,2,3",
                 "-n", "300", "--json", "-")
        self.assertEqual(sw.returncode, 0, sw.stderr)
        points = json.loads(sw.stdout)
        brute = min(points, key=lambda p: p["economics"]["expected_total_cost"])
        self.assertEqual(opt["best"], brute["sweep"])
        self.assertEqual(opt["ranking"][0]["expected_total_cost"], brute["economics"]["expected_total_cost"])
        # The written design is the best one: run it and get the same figures.
        again = json.loads(run("run", best, "-n", "300", "--json", "-").stdout)
        self.assertEqual(again["economics"]["expected_total_cost"], brute["economics"]["expected_total_cost"])
        # A constraint nothing meets leaves no best; coordinate descent runs fewer points.
        r = run("optimize", design, "-n", "100", "--json", "-", "--require", "facility.availability>=1.5")
        self.assertIsNone(json.loads(r.stdout)["best"])
        r = run("optimize", design, "-n", "300", "--json", "-", "--exhaustive-limit", "1")
        cd = json.loads(r.stdout)
        self.assertEqual(cd["search"], "coordinate descent")
        self.assertLessEqual(cd["points_evaluated"], 9)
        self.assertEqual(cd["best"], opt["best"])
        self.assertEqual(run("optimize", design, "--require", "availability~1").returncode, 2)

    def test_set_glob_and_zip(self):
        design = self.write("g.yaml", GOOD)
        base = json.loads(run("run", design, "-n", "200", "--json", "-").stdout)
        # A glob sets every match: both feeds never fail, so nothing is ever down.
        r = run("run", design, "-n", "200", "--json", "-", "--set", "components.*.failure=never")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["facility"]["downtime_hours"]["mean"], 0.0)
        self.assertGreater(base["facility"]["downtime_hours"]["mean"], 0.0)
        bad = run("run", design, "--set", "components.nothing*.failure=never")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("matches nothing", bad.stderr)
        z = run("sweep", design, "--zip", "--vary", "components.u.repair.mean=1h,2h",
                "--vary", "components.v.repair.value=3h,6h", "-n", "50", "--json", "-")
        self.assertEqual(z.returncode, 0, z.stderr)
        self.assertEqual([p["sweep"] for p in json.loads(z.stdout)],
                         [{"components.u.repair.mean": "1h", "components.v.repair.value": "3h"},
                          {"components.u.repair.mean": "2h", "components.v.repair.value": "6h"}])
        mismatch = run("sweep", design, "--zip", "--vary", "crews=1,2", "--vary", "horizon=1y", "-n", "10")
        self.assertEqual(mismatch.returncode, 2)

    def test_sweep_points_equal_separate_runs(self):
        design = self.write("ups.yaml", """version: 1
components:
  utility: {kind: source, failure: {dist: exponential, mean: 300h}, repair: {dist: exponential, mean: 1h}}
  ups: {kind: ups, inputs: [utility], autonomy: 5min, recharge: 1h}
loads:
  hall: {demand: 1MW, power: [ups]}
""")
        r = run("sweep", design, "--vary", "components.ups.autonomy=1min,10min,30min", "-n", "400", "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        points = json.loads(r.stdout)
        self.assertEqual([p["sweep"]["components.ups.autonomy"] for p in points], ["1min", "10min", "30min"])
        u = [1 - p["facility"]["availability"]["mean"] for p in points]
        self.assertGreater(u[0], u[1])
        self.assertGreater(u[1], u[2])
        # Each point is exactly the run of the design with that value, same seed.
        with open(design) as f:
            varied = self.write("ups10.yaml", f.read().replace("autonomy: 5min", "autonomy: 10min"))
        single = json.loads(run("run", varied, "-n", "400", "--json", "-").stdout)
        for s in (single, points[1]):
            s.pop("performance")
            s.pop("design")
        points[1].pop("sweep")
        # ...apart from its paired differences against the first point.
        self.assertEqual(points[1].pop("differences")["against"], "ups.yaml")
        self.assertNotIn("differences", points[0])
        self.assertEqual(json.dumps(single, sort_keys=True), json.dumps(points[1], sort_keys=True))
        grid = run("sweep", design, "--vary", "components.ups.autonomy=1min,2min", "--vary", "horizon=1y,2y", "-n", "50", "--json", "-")
        self.assertEqual(len(json.loads(grid.stdout)), 4)
        table = run("sweep", design, "--vary", "components.ups.autonomy=1min,2min", "-n", "50")
        self.assertIn("components.ups.autonomy", table.stdout)
        bad = run("sweep", design, "--vary", "components.ups.autonomy=-5min", "-n", "50")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("autonomy must be a positive duration", bad.stderr)
        self.assertEqual(run("sweep", design, "--vary", "nodots", "-n", "5").returncode, 2)
        # The sweep's plot in scripts/report.
        js = os.path.join(self.tmp.name, "sweep.json")
        self.assertEqual(run("sweep", design, "--vary", "components.ups.autonomy=1min,10min", "-n", "100", "--quiet", "--json", js).returncode, 0)
        page = os.path.join(self.tmp.name, "sweep.html")
        r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "report"), js, "-o", page],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(page) as f:
            text = f.read()
        self.assertTrue("autonomy=10min" in text)
        self.assertGreaterEqual(text.count("data:image/png;base64,"), 1)

    def test_readme_example_design_runs(self):
        with open(os.path.join(ROOT, "README.md")) as f:
            text = f.read()
        start = text.index("```yaml", text.index("## Design files")) + len("```yaml")
        design = self.write("readme.yaml", text[start:text.index("```", start)])
        r = run("run", design, "-n", "1000", "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = json.loads(r.stdout)
        self.assertGreater(s["loads"]["ai_hall"]["availability"]["mean"], 0.99)
        # The miners are shed whenever the site runs on its 1 MW generator.
        self.assertGreater(s["loads"]["miners"]["outages"]["mean"], s["loads"]["ai_hall"]["outages"]["mean"])

    CLUSTER = """version: 1
horizon: 400h
components:
  grid: {kind: source, failure: {dist: exponential, mean: 60h}, repair: {dist: fixed, value: 1h}}
  pa: {kind: node, inputs: [grid], failure: {dist: exponential, mean: 150h}, repair: {dist: fixed, value: 2h}}
  pb: {kind: node, inputs: [grid]}
loads:
  a: {demand: 100kW, power: [pa], tenant: lab}
  b: {demand: 100kW, power: [pb], tenant: lab}
tenants:
  lab:
    workload:
      kind: cluster
      cost_per_gpu_hour: 2
      hosts: {a: 8, b: 8}
      gpus_per_host: 8
      host_bandwidth: 10GB/s
      storage_bandwidth: 50GB/s
      jobs:
        - {name: big, hosts: 12, checkpoint_interval: 1h, checkpoint_size: 1.2TB, restart_overhead: 5min}
        - {name: small, hosts: 4, checkpoint_interval: 20min, checkpoint_size: 200GB, restart_overhead: 2min}
"""

    def test_cluster_run_table_json_and_restart_rows(self):
        import h5py
        design = self.write("cluster.yaml", self.CLUSTER)
        out = os.path.join(self.tmp.name, "c.h5")
        r = run("run", design, "-n", "40", "--out", out, "--json", os.path.join(self.tmp.name, "c.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("cluster jobs", r.stdout)
        self.assertIn("lab/big", r.stdout)
        self.assertIn("checkpoint read after a stop", r.stdout)
        with open(os.path.join(self.tmp.name, "c.json")) as f:
            s = json.load(f)
        jobs = s["tenants"]["lab"]["jobs"]
        for key in ("lost_gpu_hours", "restart_hours"):
            self.assertEqual({"mean", "ci95", "std", "p50", "p90", "p99", "max"}, set(jobs["big"][key]))
        for key in ("checkpoint_overhead_share", "goodput"):
            self.assertIn("mean", jobs["small"][key])
        self.assertGreater(s["performance"]["simgrid_replications"], 0)
        with h5py.File(out) as f:
            rows = f["restarts"]
            n = len(rows["replication"])
            self.assertGreater(n, 0)
            names = {x.decode() if isinstance(x, bytes) else x for x in rows["job"][:]}
            self.assertEqual(names, {"big", "small"})
            # One row per restart, as many as the summary counts.
            restarts = sum(j["restarts"]["mean"] for j in jobs.values()) * 40
            self.assertAlmostEqual(n, restarts, delta=1e-6)
            done = rows["read_hours"][:][rows["completed"][:] == 1]
            self.assertTrue(all(x > 0 for x in done))

    def test_cluster_errors_exit_2_with_locations(self):
        design = self.write("bad.yaml", self.CLUSTER.replace("hosts: 12", "hosts: 20").replace("50GB/s", "50"))
        r = run("run", design, "-n", "10")
        self.assertEqual(r.returncode, 2)
        self.assertIn("bad.yaml:18:26: error: tenant 'lab' workload storage_bandwidth", r.stderr)
        self.assertIn("bad.yaml:20:11: error: tenant 'lab' job 'big' needs 20 hosts, but the tenant has 16",
                      r.stderr)

    def test_cluster_sweep_by_job_name_and_report(self):
        design = self.write("cluster.yaml", self.CLUSTER)
        out = os.path.join(self.tmp.name, "sweep.json")
        r = run("sweep", design, "--vary", "tenants.lab.workload.jobs.small.checkpoint_interval=10min,40min",
                "-n", "20", "--json", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("small wasted GPU-h", r.stdout)
        with open(out) as f:
            points = json.load(f)
        lost = [p["tenants"]["lab"]["jobs"]["small"]["lost_gpu_hours"]["mean"] for p in points]
        self.assertLess(lost[0], lost[1])  # more work lost per stop with rarer checkpoints
        page = os.path.join(self.tmp.name, "sweep.html")
        r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "report"), out, "-o", page],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(page) as f:
            self.assertGreaterEqual(f.read().count("data:image/png;base64,"), 4)

    def test_checkpoint_resume_is_bit_identical_after_kills(self):
        import h5py
        import numpy
        import random
        import signal
        import time
        design = os.path.join(DESIGNS, "ref_tier3_n1_cm.yaml")
        common = ["run", design, "-n", "30000", "--seed", "5", "--threads", "2", "--quiet"]
        ref_json, ref_h5 = (os.path.join(self.tmp.name, n) for n in ("ref.json", "ref.h5"))
        r = run(*common, "--json", ref_json, "--out", ref_h5)
        self.assertEqual(r.returncode, 0, r.stderr)
        out_json, out_h5, ck = (os.path.join(self.tmp.name, n) for n in ("r.json", "r.h5", "ck"))
        rng = random.Random(3)
        sigs = [signal.SIGKILL, signal.SIGTERM, signal.SIGKILL, signal.SIGINT]
        stops = 0
        for attempt in range(30):
            more = ["--resume", ck] if os.path.exists(ck) else ["--checkpoint", ck]
            p = subprocess.Popen([BIN, *common, "--json", out_json, "--out", out_h5,
                                  "--checkpoint-every", "0.2", *more],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if attempt < 8:
                time.sleep(rng.uniform(0.2, 0.9))
                sig = sigs[attempt % len(sigs)]
                p.send_signal(sig)
                _, err = p.communicate(timeout=120)
                if p.returncode == 0:
                    break  # finished before the signal
                stops += 1
                self.assertEqual(p.returncode, -9 if sig == signal.SIGKILL else 128 + sig, err)
                if sig != signal.SIGKILL:
                    self.assertIn("checkpoint saved in", err)
                self.assertFalse(os.path.exists(out_h5))  # never a partial output
                continue
            _, err = p.communicate(timeout=300)
            self.assertEqual(p.returncode, 0, err)
            break
        self.assertGreaterEqual(stops, 3)
        # Finished: the checkpoint is gone, no temporary is left, the outputs are the reference's.
        self.assertEqual(sorted(os.listdir(self.tmp.name)),
                         sorted(["good.yaml", "ref.json", "ref.h5", "r.json", "r.h5"]))
        with open(ref_json) as f:
            a = json.load(f)
        with open(out_json) as f:
            b = json.load(f)
        a.pop("performance")
        b.pop("performance")
        self.assertEqual(a, b)

        def datasets(path):
            out = {}
            with h5py.File(path) as f:
                f.visititems(lambda n, o: out.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset) else None)
            return out
        x, y = datasets(ref_h5), datasets(out_h5)
        self.assertEqual(sorted(x), sorted(y))
        for k in x:
            self.assertTrue(numpy.array_equal(x[k], y[k]), k)
        # A checkpoint of another run is refused.
        r = run(*common[:-1], "--seed", "6", "--resume", ref_json)
        self.assertEqual(r.returncode, 2)

    def test_limits_yaml_bomb_and_nesting(self):
        # Billion laughs: nine lines of anchors that stand for 10^9 inputs.
        lines = ["version: 1", "components:",
                 "  u: {kind: source, failure: {dist: exponential, mean: 10h}, repair: {dist: exponential, mean: 1h}}",
                 "  n0: {kind: node, inputs: &a0 [u, u, u, u, u, u, u, u, u, u]}"]
        for i in range(1, 10):
            lines.append("  n%d: {kind: node, inputs: &a%d [%s]}" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)))
        lines += ["loads:", "  l: {demand: 1, power: [n9]}"]
        bomb = self.write("bomb.yaml", "\n".join(lines) + "\n")
        r = run("check", bomb)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"bomb.yaml:\d+:\d+: error: the YAML's aliases expand to more than")
        deep = self.write("deep.yaml", "version: 1\nname: " + "[" * 100000 + "]" * 100000 + "\n")
        r = run("check", deep)
        self.assertEqual(r.returncode, 2)
        self.assertIn("deep.yaml:2:70: error: the YAML nests deeper than 64 levels", r.stderr)

    def test_limits_huge_file_and_replications(self):
        # A 1 GB file (sparse: nothing to read) is refused at once, without being read.
        big = os.path.join(self.tmp.name, "big.yaml")
        with open(big, "wb") as f:
            f.truncate(1 << 30)
        def peak(args, stdin=None):  # exit status, stderr, peak memory in KiB of this child
            p = subprocess.Popen([BIN, *args], stdin=stdin, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
            err = p.stderr.read()
            p.stderr.close()
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            return p.returncode, err, usage.ru_maxrss
        rc, err, kb = peak(["check", big])
        self.assertEqual(rc, 2)
        self.assertIn("big.yaml:1:1: error: the file is larger than 64 MiB", err)
        self.assertLess(kb, 128 * 1024)
        # The same bytes through a pipe (no size to look at): refused after 64 MiB, not 1 GB.
        cat = subprocess.Popen(["cat", big], stdout=subprocess.PIPE)
        rc, err, kb = peak(["check", "/dev/stdin"], stdin=cat.stdout)
        cat.stdout.close()
        cat.kill()
        cat.wait()
        self.assertEqual(rc, 2)
        self.assertIn("larger than 64 MiB", err)
        self.assertLess(kb, 512 * 1024)
        r = run("run", os.path.join(DESIGNS, "hall_1mw_2n.yaml"), "-n", "2000000000000")
        self.assertEqual(r.returncode, 2)
        self.assertIn("at most 1e12 replications", r.stderr)

    def test_trace_replays_the_worst_replications(self):
        d = os.path.join(DESIGNS, "hall_1mw_n.yaml")
        runs = [json.loads(run("run", d, "-n", "3000", "--trace", "2", "--threads", t,
                               "--json", "-").stdout) for t in ("1", "2")]
        self.assertEqual(runs[0]["worst_replications"], runs[1]["worst_replications"])
        s = runs[0]
        worst = s["worst_replications"]
        self.assertEqual(len(worst), 20)
        hours = [w["facility_downtime_hours"] for w in worst]
        self.assertEqual(hours, sorted(hours, reverse=True))
        self.assertEqual(len(s["traces"]), 2)
        t0 = s["traces"][0]
        self.assertEqual(t0["replication"], worst[0]["replication"])
        self.assertAlmostEqual(t0["facility_downtime_hours"], worst[0]["facility_downtime_hours"])
        self.assertTrue(any(e["subject"] == "facility" and e["what"].startswith("DOWN: ")
                            for e in t0["events"]))
        # `trace` replays the same replication to the same timeline
        r = run("trace", d, "--replication", str(t0["replication"]), "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["events"], t0["events"])
        r = run("run", d, "-n", "3000", "--trace", "1")
        self.assertIn("the worst replication, %d" % t0["replication"], r.stdout)
        self.assertEqual(run("run", d, "--trace", "21").returncode, 2)

    def test_compare_bundled_designs(self):
        designs = [os.path.join(DESIGNS, n) for n in ("hall_1mw_n.yaml", "hall_1mw_n1.yaml", "hall_1mw_2n.yaml")]
        r = run("compare", *designs, "-n", "2000", "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        arr = json.loads(r.stdout)
        self.assertEqual(len(arr), 3)
        u = [1 - s["facility"]["availability"]["mean"] for s in arr]
        # 2N is far better than either single-path design.
        self.assertLess(u[2] * 100, min(u[0], u[1]))


if __name__ == "__main__":
    unittest.main(verbosity=1)
