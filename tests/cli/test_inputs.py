#!/usr/bin/env python3
"""Inputs a risk team can defend, from the command line. `ridethrough fit` against an independent maximum-likelihood fit (SciPy's optimiser on the
censored likelihood written here): estimates, likelihood-ratio bounds, AIC and the choice of law,
plus bad input (exit 2 with FILE:LINE:COL); the Bayesian update; `ridethrough catalogue` and
`use:`; `run`/`compare --uncertainty` and their JSON contract."""
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from scipy import optimize, stats

BIN = sys.argv.pop(1) if len(sys.argv) > 1 else "build/release/experiments/ridethrough"

# A site's chillers: 14 failures, 6 units still running when the records stop (hours).
RECORDS = [(1650, 1), (2410, 1), (890, 1), (3920, 1), (5100, 0), (5100, 0), (2980, 1),
           (4460, 1), (1210, 1), (5100, 0), (3370, 1), (760, 1), (4020, 0), (2150, 1),
           (5600, 1), (3100, 0), (1930, 1), (6200, 0), (4810, 1), (2700, 1)]


def loglik(law, params, t, d):
    if law == "weibull":
        shape, scale = params
        z = (t / scale) ** shape
        return np.sum(d * (np.log(shape / scale) + (shape - 1) * np.log(t / scale))) - np.sum(z)
    median, sigma = params
    logpdf = stats.lognorm.logpdf(t, sigma, scale=median)
    logsf = stats.lognorm.logsf(t, sigma, scale=median)
    return np.sum(np.where(d == 1, logpdf, logsf))


def mle(law, t, d):
    """Maximises over (ln a, ln b) with Nelder-Mead from a rough start."""
    start = [0.0, math.log(np.mean(t))]
    res = optimize.minimize(lambda p: -loglik(law, np.exp(p), t, d), start,
                            method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12,
                                                           "maxiter": 20000})
    return np.exp(res.x), -res.fun


def profile_bound(law, t, d, which, best, ll_max, direction):
    """The 90% likelihood-ratio bound of parameter `which` (0 or 1), by bisection on the
    profile (the other parameter maximised at each point)."""
    level = ll_max - stats.chi2.ppf(0.90, 1) / 2

    def profile(v):
        other = 1 - which

        def neg(u):
            p = [0.0, 0.0]
            p[which], p[other] = v, math.exp(u)
            return -loglik(law, p, t, d)
        res = optimize.minimize_scalar(neg, bounds=(math.log(best[other]) - 5,
                                                    math.log(best[other]) + 5),
                                       method="bounded", options={"xatol": 1e-10})
        return -res.fun

    inner, outer = best[which], best[which]
    while profile(outer) > level:
        inner, outer = outer, outer * (1.5 if direction > 0 else 1 / 1.5)
    return optimize.brentq(lambda v: profile(v) - level, min(inner, outer), max(inner, outer),
                           xtol=1e-10)


class Fit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.csv = os.path.join(cls.tmp, "chillers.csv")
        with open(cls.csv, "w") as f:
            f.write("unit,hours,failed\n")
            for i, (h, d) in enumerate(RECORDS):
                f.write(f"ch{i},{h},{d}\n")
        r = subprocess.run([BIN, "fit", cls.csv, "--json", "-"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        cls.out = json.loads(r.stdout)
        cls.t = np.array([h for h, _ in RECORDS], float)
        cls.d = np.array([d for _, d in RECORDS])

    def candidate(self, law):
        return next(c for c in self.out["candidates"] if c["law"] == law)

    def test_censored_weibull_and_lognormal_match_an_independent_fit(self):
        for law, names in (("weibull", ("shape", "scale")), ("lognormal", ("median", "sigma"))):
            ours = self.candidate(law)
            best, ll = mle(law, self.t, self.d)
            for i, name in enumerate(names):
                self.assertAlmostEqual(ours[name] / best[i], 1.0, delta=1e-5, msg=(law, name))
                for side, direction in ((0, -1), (1, 1)):
                    bound = profile_bound(law, self.t, self.d, i, best, ll, direction)
                    self.assertAlmostEqual(ours["ci90"][name][side] / bound, 1.0, delta=1e-4,
                                           msg=(law, name, side))
            self.assertAlmostEqual(ours["log_likelihood"], ll, delta=1e-6)
            self.assertAlmostEqual(ours["aic"], 4 - 2 * ll, delta=1e-5)

    def test_exponential_and_best(self):
        exp = self.candidate("exponential")
        T, r = self.t.sum(), self.d.sum()
        self.assertAlmostEqual(exp["mean"], T / r, delta=1e-9 * T)
        self.assertAlmostEqual(exp["ci90"]["mean"][0], 2 * T / stats.chi2.ppf(0.95, 2 * r + 2))
        self.assertAlmostEqual(exp["ci90"]["mean"][1], 2 * T / stats.chi2.ppf(0.05, 2 * r))
        best = min(self.out["candidates"], key=lambda c: c["aic"])
        self.assertEqual(self.out["law"], best["law"])
        self.assertTrue(self.out["design_law"].startswith("{dist: " + best["law"]))

    def test_the_law_block_pastes_into_a_design(self):
        design = os.path.join(self.tmp, "one.yaml")
        with open(design, "w") as f:
            f.write("version: 1\ncomponents:\n  grid: {kind: source}\n  chiller:\n    kind: cooling_source\n"
                    "    capacity: 100kW\n    powered_by: [grid]\n    failure: " + self.out["design_law"] +
                    "\n    repair: {dist: fixed, value: 24h}\n"
                    "loads:\n  hall: {demand: 50kW, power: [grid], cooling: [chiller]}\n")
        r = subprocess.run([BIN, "check", design], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_bad_input(self):
        bad = os.path.join(self.tmp, "bad.csv")
        with open(bad, "w") as f:
            f.write("hours,failed\n100,1\n200,2\n")
        r = subprocess.run([BIN, "fit", bad], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn(bad + ":3:5: error: failed '2'", r.stderr)
        none = os.path.join(self.tmp, "none.csv")
        with open(none, "w") as f:
            f.write("hours,failed\n100,0\n")
        r = subprocess.run([BIN, "fit", none, "--law", "exponential"], capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs at least 1 failure", r.stderr)


    def test_bayes_update_is_the_gamma_poisson_posterior(self):
        r = subprocess.run([BIN, "fit", self.csv, "--prior-failures", "4",
                            "--prior-unit-years", "2", "--json", "-"], capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        b = json.loads(r.stdout)["bayes"]
        a, rate = 4 + self.d.sum(), 2 * 8760 + self.t.sum()
        self.assertAlmostEqual(b["posterior_mean_rate_per_hour"] * rate / a, 1.0, delta=1e-12)
        self.assertAlmostEqual(b["rate_ci90"][0], stats.gamma.ppf(0.05, a, scale=1 / rate))
        self.assertAlmostEqual(b["rate_ci90"][1], stats.gamma.ppf(0.95, a, scale=1 / rate))
        self.assertIn("uncertainty: {error_factor:", b["design_law"])


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


ONE_UNIT = """version: 1
horizon: 10y
components:
  grid: {kind: source}
  unit: {kind: node, inputs: [grid],
         failure: {dist: exponential, mean: 1000h, uncertainty: {error_factor: 3}},
         repair: {dist: fixed, value: REPAIR}}
loads:
  hall: {demand: 100kW, power: [unit]}
"""


class CatalogueAndUncertainty(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()

    def test_catalogue_lists_records_with_id_and_source(self):
        r = subprocess.run([BIN, "catalogue", "--json", "-"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        records = json.loads(r.stdout)
        self.assertIsInstance(records, list)
        self.assertGreaterEqual(len(records), 4)
        for rec in records:
            self.assertTrue(rec["id"] and rec["source"])
        r = subprocess.run([BIN, "catalogue", "INVERTER", "--json", "-"], capture_output=True,
                           text=True)
        self.assertEqual([x["id"] for x in json.loads(r.stdout)], ["ieee493_inverter"])

    def test_reference_designs_take_their_ups_from_the_catalogue(self):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        for name in ("ref_tier3_n1_cm.yaml", "ref_tier4_2n.yaml", "hall_1mw_n1.yaml"):
            with open(os.path.join(root, "experiments", "designs", name)) as f:
                self.assertIn("use: ieee493_inverter", f.read())

    def test_run_uncertainty_json_contract(self):
        d = write(os.path.join(self.tmp, "a.yaml"), ONE_UNIT.replace("REPAIR", "10h"))
        r = subprocess.run([BIN, "run", d, "-n", "20", "--uncertainty", "20", "--require",
                            "facility.availability>=0.99", "--json", "-"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        u = json.loads(r.stdout)["uncertainty"]
        self.assertEqual(u["draws"], 20)
        for block in (u["facility"]["availability"], u["loads"]["hall"]["availability"]):
            self.assertEqual(set(block), {"mean", "p05", "p50", "p95"})
            self.assertLessEqual(block["p05"], block["p50"])
            self.assertLessEqual(block["p50"], block["p95"])
        self.assertTrue(0.0 <= u["probability_meets"] <= 1.0)
        self.assertEqual(u["drivers"]["facility.availability"][0]["parameter"],
                         "unit.failure.mean")

    def test_compare_probability_better_and_refusals(self):
        a = write(os.path.join(self.tmp, "a.yaml"), ONE_UNIT.replace("REPAIR", "10h"))
        b = write(os.path.join(self.tmp, "b.yaml"), ONE_UNIT.replace("REPAIR", "5h"))
        r = subprocess.run([BIN, "compare", a, b, "-n", "10", "--uncertainty", "10", "--json",
                            "-"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out[1]["uncertainty"]["probability_better_than_first"]["probability"], 1.0)
        # The report draws the spread beside the Monte Carlo interval.
        js = write(os.path.join(self.tmp, "cmp.json"), r.stdout)
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        page = os.path.join(self.tmp, "cmp.html")
        rep = subprocess.run([sys.executable, os.path.join(root, "scripts", "report"), js, "-o",
                              page], capture_output=True, text=True)
        self.assertEqual(rep.returncode, 0, rep.stderr)
        with open(page) as f:
            text = f.read()
        self.assertIn("Parameter uncertainty", text)
        self.assertIn("P(better than first)", text)
        # Without the flag the stated values are used, and the run says so.
        r = subprocess.run([BIN, "run", a, "-n", "5", "--quiet"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertIn("takes their stated values", r.stderr)
        for bad in (["--require", "facility.availability>=0.9"],
                    ["--uncertainty", "5", "--splitting"],
                    ["--uncertainty", "5", "--out", os.path.join(self.tmp, "x.h5")]):
            r = subprocess.run([BIN, "run", a, "-n", "5", *bad], capture_output=True, text=True)
            self.assertEqual(r.returncode, 2, bad)


if __name__ == "__main__":
    unittest.main()
