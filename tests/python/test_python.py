"""The Python module against the CLI and against itself (pytest, run by ctest with
PYTHONPATH pointing at the build's package)."""
import json
import os
import subprocess
import sys
import threading
import time
import _thread

import pytest

import ridethrough as rt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DESIGNS = os.path.join(ROOT, "experiments", "designs")
CLI = os.environ.get("RIDETHROUGH_CLI", os.path.join(os.path.dirname(rt.__file__), "bin", "ridethrough"))

DICT = {
    "version": 1,
    "components": {
        "u": {"kind": "source", "failure": {"dist": "exponential", "mean": "500h"},
              "repair": {"dist": "exponential", "mean": "5h"}},
        "v": {"kind": "source", "failure": {"dist": "exponential", "mean": "800h"},
              "repair": {"dist": "fixed", "value": "4h"}},
    },
    "loads": {"l": {"demand": "1MW", "power": ["u", "v"], "tenant": "acme"}},
    "tenants": {"acme": {"workload": {"kind": "training", "checkpoint_interval": "2h",
                                      "restart_time": "30min", "cost_per_hour": 100}}},
}


def without_performance(s):
    s = json.loads(json.dumps(s))
    for x in s if isinstance(s, list) else [s]:
        x.pop("performance", None)
    return s


def cli_json(*args):
    r = subprocess.run([CLI, *args, "--json", "-"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_summary_equals_the_cli_json():
    path = os.path.join(DESIGNS, "hall_1mw_n1.yaml")
    r = rt.run(path, replications=3000, seed=11, progress=False, full=False)
    assert without_performance(r.summary) == without_performance(cli_json("run", path, "-n", "3000", "--seed", "11"))


def test_compare_and_sweep_equal_the_cli():
    a, b = os.path.join(DESIGNS, "hall_1mw_n.yaml"), os.path.join(DESIGNS, "hall_1mw_2n.yaml")
    assert without_performance(rt.compare([a, b], replications=1000, progress=False)) == \
        without_performance(cli_json("compare", a, b, "-n", "1000"))
    df = rt.sweep(a, {"components.utility.repair.median": ["0.8h", "2h"]}, replications=500, progress=False)
    cli = cli_json("sweep", a, "--vary", "components.utility.repair.median=0.8h,2h", "-n", "500")
    assert without_performance(df.attrs["summaries"]) == without_performance(cli)
    assert list(df["availability"]) == [s["facility"]["availability"]["mean"] for s in cli]


def test_dict_designs_and_their_errors():
    d = rt.load(DICT)
    assert d.path == "<dict>"
    r = rt.run(d, replications=200, progress=False, full=False)
    assert r.summary["replications"] == 200
    bad = json.loads(json.dumps(DICT))
    bad["components"]["u"]["kind"] = "sourc"
    bad["loads"]["l"]["power"] = ["u", "w"]
    with pytest.raises(rt.DesignError) as e:
        rt.load(bad)
    messages = e.value.messages
    assert any(m.startswith("<dict>:5:15: error: component 'u': unknown kind 'sourc' (did you mean 'source'?)")
               for m in messages), messages
    assert any("load 'l' power names unknown component 'w'" in m for m in messages), messages
    with pytest.raises(rt.DesignError) as e:
        rt.load(DICT, overrides={"components.u.repair.mean": "-5h"})
    assert "must be a positive duration" in e.value.messages[0]
    assert "(with components.u.repair.mean=-5h)" in e.value.messages[0]


def test_variants_from_a_dict_differ_only_where_changed():
    base = rt.load(DICT)
    slow = base.variant({"components.u.repair.mean": "50h"})
    a, b = rt.compare([base, slow], replications=2000, progress=False)
    assert b["differences"]["facility"]["downtime_hours"]["mean"] > 0
    assert slow.overrides == {"components.u.repair.mean": "50h"}


def test_dataframe_means_equal_summary_means(tmp_path):
    r = rt.run(os.path.join(DESIGNS, "hall_1mw_n1.yaml"), replications=2000, seed=5, progress=False)
    reps, s = r.replications, r.summary
    assert len(reps) == 2000
    assert reps["facility_downtime_hours"].mean() == pytest.approx(s["facility"]["downtime_hours"]["mean"], rel=1e-12)
    assert reps["ai_lab.cost"].mean() == pytest.approx(s["tenants"]["ai_lab"]["cost"]["mean"], rel=1e-12)
    facility = r.outages[r.outages["load"] == -1]
    assert len(facility) == reps["facility_outages"].sum()
    assert set(facility["load_id"]) <= {"facility"}
    out = tmp_path / "r.h5"
    r.to_hdf5(out)
    import h5py
    with h5py.File(out) as f:
        assert json.loads(f.attrs["summary"])["facility"] == s["facility"]


def test_cluster_tenants_run_from_python():
    r = rt.run(os.path.join(DESIGNS, "cluster_placement.yaml"), replications=300, progress=False)
    t = r.summary["tenants"]["lab"]
    assert t["jobs"]["train"]["lost_gpu_hours"]["mean"] > 0
    cli = cli_json("run", os.path.join(DESIGNS, "cluster_placement.yaml"), "-n", "300")
    assert without_performance(r.summary) == without_performance(cli)


def test_the_gil_is_released_while_simulating():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    t = threading.Thread(target=tick)
    t.start()
    start = time.monotonic()
    rt.run(os.path.join(DESIGNS, "ref_tier4_2n.yaml"), replications=3000, progress=False, full=False, threads=1)
    end = time.monotonic()
    stop.set()
    t.join()
    during = [x for x in ticks if start < x < end]
    assert end - start > 0.2  # long enough to tell
    # The other thread kept running: ticks all through the run, not only before and after.
    assert len(during) > 0.3 * (end - start) / 0.005


def test_ctrl_c_stops_a_run_cleanly(tmp_path):
    before = set(os.listdir("/tmp"))
    threading.Timer(0.3, _thread.interrupt_main).start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        rt.run(os.path.join(DESIGNS, "ref_tier4_2n.yaml"), replications=10_000_000, progress=False)
    assert time.monotonic() - start < 10
    # No temporary HDF5 file left behind.
    left = [f for f in set(os.listdir("/tmp")) - before if f.startswith("ridethrough-")]
    assert left == []


def test_check_and_exact():
    c = rt.check(os.path.join(DESIGNS, "ref_tier3_n1_cm.yaml"))
    assert c["loads"]["ai_hall"]["concurrently_maintainable"] is True
    e = rt.exact(os.path.join(DESIGNS, "markov", "2n_two_feeds.yaml"))
    r = cli_json("exact", os.path.join(DESIGNS, "markov", "2n_two_feeds.yaml"))
    assert e == r
    refused = rt.exact(os.path.join(DESIGNS, "hall_1mw_2n.yaml"))
    assert "refusal" in refused
    c3 = rt.check(os.path.join(DESIGNS, "hall_1mw_2n.yaml"), order=3)
    assert c3 == cli_json("check", os.path.join(DESIGNS, "hall_1mw_2n.yaml"), "--order", "3")
    assert rt.exact(os.path.join(DESIGNS, "markov", "2n_two_feeds.yaml"), lump=False)["facility"] == e["facility"]


def test_expand_templates():
    campus = os.path.join(DESIGNS, "bench", "campus_2000.yaml")
    flat = rt.expand(campus, {"instances.0.count": 2})
    assert "templates" not in flat and flat.count("{kind: node") == 2 * (2 + 200)
    assert rt.load(flat).name == "Campus, 20 halls x 100 racks"
    with pytest.raises(rt.DesignError) as e:
        rt.expand("version: 1\ninstances:\n  - {template: nope}\n")
    assert "unknown template 'nope'" in str(e.value)


def test_readme_walkthrough_executes(tmp_path):
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    section = text[text.index("## Python"):]
    start = section.index("```python") + len("```python")
    code = section[start:section.index("```", start)]
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=os.pathsep.join(sys.path))
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       timeout=600, env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "exceedance.png").exists()


def test_pip_install_into_a_venv(tmp_path):
    build = os.environ.get("RIDETHROUGH_BUILD_DIR")
    if not build:
        pytest.fail("RIDETHROUGH_BUILD_DIR is not set (ctest sets it)")
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)], check=True)
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index", "--no-deps", ROOT],
                       capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, RIDETHROUGH_BUILD_DIR=build, PIP_NO_CACHE_DIR="1"))
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([str(venv / "bin" / "python"), "-c",
                        "import ridethrough as rt, os; "
                        f"s = rt.run(os.path.join({DESIGNS!r}, 'cluster_placement.yaml'), replications=100, "
                        "progress=False).summary; print(rt.__file__, s['tenants']['lab']['lost_gpu_hours']['mean'])"],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert r.returncode == 0, r.stderr
    assert str(venv) in r.stdout
