#!/usr/bin/env python3
"""`ridethrough diagram`: every bundled design gives valid SVG naming every component (or, on a
campus drawn grouped, every group of numbered copies); results colour the components and single
points of failure are outlined; bad input is exit 2 with its location."""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

BIN = sys.argv.pop(1) if len(sys.argv) > 1 else "build/release/experiments/ridethrough"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DESIGNS = os.path.join(ROOT, "experiments", "designs")
SVG = "{http://www.w3.org/2000/svg}"


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)


def node_titles(svg_text):
    """The node names of a Graphviz SVG (<g class="node"><title>...</title>)."""
    root = ET.fromstring(svg_text)
    return {g.find(SVG + "title").text for g in root.iter(SVG + "g") if g.get("class") == "node"}


def ids(design):
    """Every component id of the compiled design (count: copies included)."""
    r = run("run", design, "-n", "1", "--quiet", "--json", "-")
    assert r.returncode == 0, r.stderr
    return list(json.loads(r.stdout)["components"])


class Diagram(unittest.TestCase):
    def test_every_bundled_design_draws_every_component(self):
        designs = sorted(glob.glob(os.path.join(DESIGNS, "**", "*.yaml"), recursive=True))
        self.assertGreater(len(designs), 20)
        for d in designs:
            if os.path.basename(d).startswith("portfolio"):
                continue  # a portfolio of sites, not a design: its sites are drawn
            with self.subTest(design=os.path.relpath(d, DESIGNS)):
                r = run("diagram", d)
                self.assertEqual(r.returncode, 0, r.stderr)
                titles = node_titles(r.stdout)
                comps = ids(d)
                self.assertTrue(comps)
                grouped = len(comps) > 120
                for c in comps:
                    key = re.sub(r"[0-9]+", "#", c) if grouped else c
                    self.assertIn("c:" + key, titles)
                if grouped:  # the campus: a readable picture, not 4,000 boxes
                    self.assertLess(len(titles), 30)

    def test_results_colour_components_and_spofs_are_outlined(self):
        d = os.path.join(DESIGNS, "hall_1mw_n.yaml")
        with tempfile.TemporaryDirectory() as tmp:
            res = os.path.join(tmp, "run.json")
            self.assertEqual(run("run", d, "-n", "2000", "--quiet", "--json", res).returncode, 0)
            r = run("diagram", d, "--results", res, "--format", "dot")
            self.assertEqual(r.returncode, 0, r.stderr)
            dot = r.stdout
            self.assertIn("fill: outage_share", dot)
            s = json.load(open(res))
            top = max(s["components"], key=lambda c: s["components"][c]["outage_share"])
            line = next(l for l in dot.splitlines() if l.strip().startswith(f'"c:{top}" ['))
            self.assertIn('fillcolor="#d62728"', line)  # the largest share is full red
            # check's single points of failure, and only they, have the red outline
            c = json.loads(run("check", d, "--json", "-").stdout)
            spof = set(c["loads"]["it_hall"]["single_points_of_failure"])
            outlined = set(re.findall(r'^  "c:([^"]+)" \[.*penwidth=2.5', dot, re.M))
            self.assertEqual(outlined, spof)
            # an SVG file written whole
            out = os.path.join(tmp, "d.svg")
            self.assertEqual(run("diagram", d, "-o", out, "--results", res).returncode, 0)
            self.assertIn("c:ups1", node_titles(open(out).read()))

    def test_k_of_n_switch_order_pools_and_common_cause(self):
        d = os.path.join(DESIGNS, "ref_tier3_n1_cm.yaml")
        dot = run("diagram", d, "--format", "dot").stdout
        self.assertIn("needs 4 of 6", dot)  # six 2.5 MW generators for the 10 MW hall
        self.assertRegex(dot, r'"c:utility" -> "c:ats_a" \[color=black, label="1"\]')
        self.assertRegex(dot, r'"c:gen_bus" -> "c:ats_a" \[color=black, label="2"\]')
        self.assertIn("spares: tx_pool", dot)
        self.assertIn("common cause", dot)

    def test_bad_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.json")
            open(bad, "w").write("{not json")
            r = run("diagram", os.path.join(DESIGNS, "hall_1mw_n.yaml"), "--results", bad)
            self.assertEqual(r.returncode, 2)
            self.assertRegex(r.stderr, r"bad\.json:1:\d+: error:")
            r = run("diagram", os.path.join(tmp, "missing.yaml"))
            self.assertEqual(r.returncode, 2)
            r = run("diagram", os.path.join(DESIGNS, "hall_1mw_n.yaml"), "--format", "png")
            self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
