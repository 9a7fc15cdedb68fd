"""ridethrough from Python: load designs (files, YAML text or dicts), run, compare and sweep
them, and get the summary as a dict and the full results as pandas DataFrames.

    import ridethrough as rt
    d = rt.load("experiments/designs/hall_1mw_2n.yaml")
    r = rt.run(d, replications=10000, seed=1)
    r.summary["facility"]["availability"]["mean"]
    r.replications.head()          # one row per replication, the HDF5 file's columns
    r.outages                      # one row per outage

The numbers are the CLI's: the same seed and replications give the same summary (the
`performance` block aside). The GIL is released while simulating; Ctrl-C stops a run cleanly.
"""
import builtins
import json
import os
import shutil
import tempfile

from . import _core

__version__ = _core.version
__all__ = ["DesignError", "Design", "Result", "load", "run", "compare", "sweep", "check", "exact"]


class DesignError(ValueError):
    """A design that does not load: `messages` holds every problem as FILE:LINE:COL: error: ..."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


def _yaml_value(v):
    """An override's value as YAML text: strings as written (`2h`, `spread`), the rest as JSON,
    which is YAML."""
    return v if isinstance(v, str) else json.dumps(v)


class Design:
    """A validated design. `variant({path: value})` gives a copy with keys changed (the paths of
    --set and --vary: dotted, * and ? match keys, list entries by position or name)."""

    def __init__(self, text, path, overrides=()):
        self._text, self._path, self._overrides = text, path, tuple(overrides)
        core, errors = _core.load_text(text, path, [(p, _yaml_value(v)) for p, v in self._overrides])
        if core is None:
            raise DesignError(errors)
        self._core = core

    @property
    def name(self):
        """The design's `name`, else its file name."""
        return self._core.label

    @property
    def path(self):
        return self._path

    @property
    def text(self):
        return self._text

    @property
    def overrides(self):
        return dict(self._overrides)

    @property
    def horizon_hours(self):
        return self._core.horizon_hours

    def variant(self, overrides):
        return Design(self._text, self._path, self._overrides + tuple(overrides.items()))

    def __repr__(self):
        extra = f", {dict(self._overrides)}" if self._overrides else ""
        return f"<ridethrough.Design {self.name!r} from {self._path}{extra}>"


def load(source, overrides=None):
    """A design from a file path, a YAML string or a dict (as the YAML would parse), validated
    as the CLI validates it; raises DesignError with every problem. A dict is written out as
    JSON (which is YAML), one key per line, so the lines in its messages refer to that text,
    named `<dict>`."""
    if isinstance(source, Design):
        return source.variant(overrides or {})
    if isinstance(source, dict):
        text, path = json.dumps(source, indent=2), "<dict>"
    elif isinstance(source, (str, os.PathLike)) and "\n" not in str(source) and os.path.exists(source):
        path = os.fspath(source)
        with open(path) as f:
            text = f.read()
    elif isinstance(source, str) and "\n" in source:
        text, path = source, "<string>"
    else:
        raise FileNotFoundError(f"no design file {source!r} (give a path, a YAML string or a dict)")
    return Design(text, path, tuple((overrides or {}).items()))


def _worker():
    """The CLI binary, which SimGrid runs as worker processes for cluster tenants."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "ridethrough")
    if os.path.exists(here):
        return here
    return shutil.which("ridethrough") or "/proc/self/exe"


def _frame(group):
    import pandas as pd
    cols = {}
    for k in group:
        d = group[k]
        cols[k] = d.asstr()[:] if d.dtype.kind in "OS" else d[:]
    return pd.DataFrame(cols)


class Result:
    """What one design's run gave: `summary` (the CLI's JSON as a dict) and, when run with
    full=True, the full results as DataFrames: `replications`, `outages` and, for cluster
    tenants, `restarts`, with the HDF5 file's columns. `to_hdf5(path)` keeps the file."""

    def __init__(self, summary, h5=None, tmpdir=None):
        self.summary = summary
        self._h5 = h5
        self._tmpdir = tmpdir  # removed with the Result
        self._frames = {}

    def _group(self, name):
        if self._h5 is None:
            raise ValueError("run with full=True to keep the full results")
        if name not in self._frames:
            import h5py
            with h5py.File(self._h5) as f:
                self._frames[name] = _frame(f[name]) if name in f else None
        return self._frames[name]

    @property
    def replications(self):
        return self._group("replications")

    @property
    def outages(self):
        return self._group("outages")

    @property
    def restarts(self):
        return self._group("restarts")

    def to_hdf5(self, path):
        if self._h5 is None:
            raise ValueError("run with full=True to keep the full results")
        shutil.copyfile(self._h5, path)

    def __repr__(self):
        a = self.summary["facility"].get("availability") or {}
        return f"<ridethrough.Result {self.summary['design']!r}: availability {a.get('mean')}>"


def _run(designs, replications, seed, threads, progress, full, importance_sampling, bias,
         target_rel_error):
    designs = [d if isinstance(d, Design) else load(d) for d in designs]
    tmp = tempfile.TemporaryDirectory(prefix="ridethrough-") if full else None
    outs = [os.path.join(tmp.name, f"{i}.h5") if full else "" for i in range(len(designs))]
    texts = _core.run([d._core for d in designs], int(replications), int(seed), int(threads or 0),
                      bool(progress), outs, bool(importance_sampling), float(bias),
                      float(target_rel_error), _worker())
    return [Result(json.loads(t), outs[i] if full else None, tmp) for i, t in enumerate(texts)]


def run(design, replications=10000, seed=1, threads=None, progress=True, full=True,
        importance_sampling=False, bias=0.5, target_rel_error=0.0):
    """Runs one design (a Design, or anything load() takes) like `ridethrough run`."""
    return _run([design], replications, seed, threads, progress, full, importance_sampling, bias,
                target_rel_error)[0]


def compare(designs, replications=10000, seed=1, threads=None, progress=True, full=False):
    """Runs designs over the same replications like `ridethrough compare`: common random
    numbers, each summary after the first with `differences` against the first, and designs
    with an `economics` block ranked by expected total cost. Returns the summaries (a list of
    dicts); full=True returns Results instead."""
    results = _run(designs, replications, seed, threads, progress, full, False, 0.5, 0.0)
    ranked = _core.rank([json.dumps(r.summary) for r in results])
    for r, text in builtins.zip(results, ranked):
        r.summary.update(json.loads(text))
    summaries = [r.summary for r in results]
    return results if full else summaries


def sweep(design, vary, zip=False, replications=10000, seed=1, threads=None, progress=True):
    """One run per point like `ridethrough sweep`: `vary` maps key paths to lists of values
    (a grid, the first key varying slowest; zip=True steps them together). Returns a DataFrame,
    one row per point: the varied values, facility availability, outages and downtime, each
    tenant's expected cost and each cluster job's lost and wasted GPU-hours; the summaries are
    in `df.attrs["summaries"]`."""
    import pandas as pd
    base = design if isinstance(design, Design) else load(design)
    keys = list(vary)
    # The points as the CLI makes them (the values by their position in each list).
    axes = [(k, [str(i) for i in range(len(vary[k]))]) for k in keys]
    points = [tuple(vary[k][int(i)] for k, i in p) for p in _core.sweep_points(axes, bool(zip))]
    variants = [base.variant(dict(builtins.zip(keys, p))) for p in points]
    summaries = [r.summary for r in _run(variants, replications, seed, threads, progress, False,
                                         False, 0.5, 0.0)]
    rows = []
    for p, s in builtins.zip(points, summaries):
        s["sweep"] = {k: _yaml_value(v) for k, v in builtins.zip(keys, p)}
        row = dict(builtins.zip(keys, p))
        f = s["facility"]
        row["availability"] = f["availability"]["mean"]
        row["outages"] = f["outages"]["mean"]
        row["downtime_hours"] = f["downtime_hours"]["mean"]
        for t, ts in s["tenants"].items():
            row[f"{t}.cost"] = ts["cost"]["mean"]
            for j, js in ts.get("jobs", {}).items():
                row[f"{t}.{j}.lost_gpu_hours"] = js["lost_gpu_hours"]["mean"]
                row[f"{t}.{j}.wasted_gpu_hours"] = js["wasted_gpu_hours"]["mean"]
        if "economics" in s:
            row["expected_total_cost"] = s["economics"]["expected_total_cost"]
        rows.append(row)
    df = pd.DataFrame(rows)
    df.attrs["summaries"] = summaries
    return df


def check(design, order=2):
    """Static analysis like `ridethrough check --json`: single points of failure, concurrent
    maintainability, capacity margins, per load; minimal cut sets up to `order` (2 or 3)."""
    d = design if isinstance(design, Design) else load(design)
    return json.loads(_core.check(d._core, order))


def exact(design, lump=True):
    """The exact steady state of a Markovian design like `ridethrough exact --json` (a
    `refusal` saying why when it is not Markovian or too big, with the chain's size).
    `lump=False` solves the crew chain on individual components (`--no-lump`)."""
    d = design if isinstance(design, Design) else load(design)
    return json.loads(_core.exact(d._core, lump))


def expand(source, overrides=None):
    """The flat YAML of a design written with templates, like `ridethrough expand`; raises
    DesignError with every problem."""
    d_text, path = source, "<string>"
    if isinstance(source, (str, os.PathLike)) and "\n" not in str(source) and os.path.exists(source):
        path = os.fspath(source)
        with open(path) as f:
            d_text = f.read()
    flat, errors = _core.expand(d_text, path, [(p, _yaml_value(v)) for p, v in (overrides or {}).items()])
    if errors:
        raise DesignError(errors)
    return flat
