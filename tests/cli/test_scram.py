#!/usr/bin/env python3
"""SCRAM (the Open-PSA fault-tree tool, Debian package `scram`) as an independent oracle: every
bundled and test design that `exact` accepts is exported with `ridethrough export --format
open-psa` and analysed by SCRAM. Its minimal cut sets must equal `check --order 3`'s (up to order
3) and the export's own; with independent components (exact's product form) its top-event
probability must equal `exact`'s unavailability to SCRAM's printed digits; and on two designs
its Birnbaum importance (MIF), RAW, RRW and Fussell-Vesely (DIF) must fall within
`importance`'s intervals.

    test_scram.py RIDETHROUGH [SCRAM]
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

BIN = sys.argv.pop(1) if len(sys.argv) > 1 else "build/release/experiments/ridethrough"
SCRAM = sys.argv.pop(1) if len(sys.argv) > 1 else "scram"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rt(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600)


def designs():
    files = sorted(glob.glob(os.path.join(ROOT, "experiments", "designs", "**", "*.yaml"),
                             recursive=True))
    files += sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "designs", "*.yaml")))
    return [f for f in files if "portfolio_" not in os.path.basename(f)]


def scram(xml_path, out_dir):
    """SCRAM's report: {top gate: (probability, set of products, {event: MIF})}."""
    report = os.path.join(out_dir, "report.xml")
    r = subprocess.run([SCRAM, "--probability", "true", "--importance", "true", xml_path,
                        "-o", report], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise AssertionError(f"scram failed on {xml_path}:\n{r.stderr}")
    root = ET.parse(report).getroot()
    out = {}
    results = root.find("results")
    for sop in results.iter("sum-of-products"):
        products = {frozenset(b.get("name") for b in p.iter("basic-event"))
                    for p in sop.iter("product")}
        out[sop.get("name")] = [float(sop.get("probability")), products, {}]
    for imp in results.iter("importance"):
        out[imp.get("name")][2] = {
            b.get("name"): {k: float(b.get(k)) for k in ("MIF", "RAW", "RRW", "DIF")}
            for b in imp.iter("basic-event")}
    return out


class Scram(unittest.TestCase):
    def test_every_design_exact_accepts(self):
        compared_probability = compared_cuts = 0
        with tempfile.TemporaryDirectory() as tmp:
            for path in designs():
                exact = rt("exact", path, "--json", "-")
                if exact.returncode != 0:
                    continue  # not Markovian (or too big): nothing exact to compare with
                e = json.loads(exact.stdout)
                xml_path = os.path.join(tmp, "tree.xml")
                ex = rt("export", path, "--format", "open-psa", "-o", xml_path)
                self.assertEqual(ex.returncode, 0, f"{path}: {ex.stderr}")
                report = scram(xml_path, tmp)
                check = json.loads(rt("check", path, "--order", "3", "--json", "-").stdout)
                for load, c in check["loads"].items():
                    with self.subTest(design=os.path.relpath(path, ROOT), load=load):
                        p, products, _ = report[load]
                        ours = {frozenset(cut) for cut in c["cut_sets"]}
                        # A common-cause shock is an event of its own in the export (ccf_K);
                        # the products without it are the components' cut sets.
                        theirs = {x for x in products
                                  if len(x) <= 3 and not any(b.startswith("ccf_") for b in x)}
                        self.assertEqual(theirs, ours)
                        compared_cuts += 1
                        if not e["method"].startswith("product form"):
                            continue  # shared crews or common cause: not independent repair
                        u = e["loads"][load]["unavailability"]["mean"]
                        self.assertAlmostEqual(p, u, delta=1e-5 * max(u, 1e-300) + 1e-15,
                                               msg=f"SCRAM {p} exact {u}")
                        compared_probability += 1
        print(f"scram: {compared_cuts} loads' cut sets and {compared_probability} probabilities "
              "compared", file=sys.stderr)
        self.assertGreater(compared_probability, 5)

    def test_export_refuses_a_structure_that_is_not_coherent(self):
        # With feed fa down, the chiller b's draw comes first and leaves 550 kW for a 600 kW
        # hall; with b down too, the hall fits again: no union of cut sets says that.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "nc.yaml")
            with open(path, "w") as f:
                f.write("""version: 1
components:
  fa: {kind: source, capacity: 700kW, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 10h}}
  fc: {kind: source, capacity: 650kW}
  bus: {kind: node, inputs: [fa, fc]}
  b: {kind: cooling_source, powered_by: [bus], power_draw: 100kW, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 10h}}
  ch2: {kind: cooling_source}
loads:
  hall: {demand: 600kW, power: [bus], cooling: [ch2]}
  lab: {demand: 10kW, power: [fc], cooling: [b], priority: flexible}
""")
            r = rt("export", path, "--format", "open-psa")
            self.assertEqual(r.returncode, 2)
            self.assertIn("load 'hall': the structure is not coherent: with {fa, b} down", r.stderr)
            self.assertEqual(r.stdout, "")
            # A design with dynamics exports its static part and says what it left out.
            r = rt("export", os.path.join(ROOT, "experiments", "designs", "hall_1mw_2n.yaml"),
                   "--format", "open-psa")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("note: approximated or left out: generators", r.stderr)
            self.assertIn('<define-gate name="it_hall">', r.stdout)
            self.assertIn("Approximated or left out:", r.stdout)

    def test_birnbaum_importance_within_the_interval(self):
        for name in ("two_paths_series.yaml", "2n_two_feeds.yaml"):
            path = os.path.join(ROOT, "experiments", "designs", "markov", name)
            with tempfile.TemporaryDirectory() as tmp:
                xml_path = os.path.join(tmp, "tree.xml")
                self.assertEqual(rt("export", path, "--format", "open-psa", "-o", xml_path)
                                 .returncode, 0)
                report = scram(xml_path, tmp)
            imp = json.loads(rt("importance", path, "-n", "4000", "--seed", "3", "--json", "-")
                             .stdout)
            (_, _, measures), = report.values()
            # RAW = U(failed) / U and RRW = U / U(perfect) are ratios of estimates sharing their
            # random numbers, and Fussell-Vesely (SCRAM's DIF: P(down | top event)) a share of
            # U: their relative standard error is about that of U, times sqrt(2).
            lo, hi = imp["facility_unavailability_ci95"]
            rel = (hi - lo) / 2 / 1.96 / imp["facility_unavailability"]
            for comp, m in measures.items():
                with self.subTest(design=name, component=comp):
                    b = imp["components"][comp]["birnbaum"]
                    half = (b["ci95"][1] - b["ci95"][0]) / 2
                    # 5 standard errors (the 95% half-width is 1.96 of them).
                    self.assertLessEqual(abs(b["mean"] - m["MIF"]), 5 * half / 1.96 + 1e-9,
                                         f"importance {b['mean']} ±{half}, SCRAM MIF {m['MIF']}")
                    c = imp["components"][comp]
                    for ours, theirs in ((c["raw"], m["RAW"]), (c["rrw"], m["RRW"]),
                                         (c["fussell_vesely"], m["DIF"])):
                        self.assertLessEqual(abs(ours - theirs), 5 * 2 ** 0.5 * rel * theirs,
                                             f"importance {ours}, SCRAM {theirs}")


if __name__ == "__main__":
    unittest.main()
