"""Compiled loops before and after, on one large month's own inputs, side by side in one process.

Builds one synthetic world (scale.py's UCLG settings; about 1.25 million ties at 250,000
cities) with this checkout, steps it ``--warm`` months, then captures the arguments of each
kernel entry point in ``ENTRIES`` during one more month. The ``--base`` commit's version of
each kernel module (unpacked with ``git archive``, loaded under another name; it imports this
checkout's ``sim.engine.kernels`` helpers) and this checkout's run on those same arguments,
alternating, ``--repeat`` times each; the figure to read is the ratio of the minimum CPU
milliseconds (the machine is shared: the minimum is the run least disturbed by other work).
Every output of the two versions must be equal bit for bit, or the script says which differs.

    .venv/bin/python experiments/bench/loop_sides.py --base df11d66 --name kernels_perf250b

Writes ``results/<name>.json`` and ``results/<name>.md``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from month_profile import build  # noqa: E402
from scale_sides import base_tree  # noqa: E402

# (module, function): the kernels' entry points timed
ENTRIES = (
    ("sim.engine.kernels.acceptance", "probability"),
    ("sim.engine.kernels.delivery", "flows"),
    ("sim.engine.kernels.delivery", "peace_trust"),
)


def _arrays(value: Any) -> list[np.ndarray]:
    """Every array in a result (an array or a tuple of them)."""
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, tuple):
        return [a for v in value for a in _arrays(v)]
    return []


def capture(n: int, warm: int) -> dict[str, tuple[tuple, dict]]:
    """The arguments of each entry point in the month after ``warm`` months."""
    model = build(n, True)
    for _ in range(warm):
        model.step()
    saved: dict[str, tuple[tuple, dict]] = {}
    originals = []
    for module_name, function in ENTRIES:
        module = importlib.import_module(module_name)
        original = getattr(module, function)
        originals.append((module, function, original))

        def wrapper(
            *args: Any, _f: Any = original, _k: str = f"{module_name}.{function}", **kw: Any
        ) -> Any:  # noqa: E501
            saved.setdefault(_k, (args, kw))
            return _f(*args, **kw)

        setattr(module, function, wrapper)
    model.step()
    for module, function, original in originals:
        setattr(module, function, original)
    return saved


def base_module(tree: Path, module_name: str) -> Any:
    """The base tree's version of a kernel module, loaded as ``base_<name>`` from a copy in a
    folder of its own: numba caches a compiled loop next to its file, and a cache entry made
    under another module name would break the base tree's own runs (``scale_sides.py``)."""
    name = "base_" + module_name.split(".")[-1]
    folder = Path(tempfile.mkdtemp(prefix="loop_sides_"))
    path = folder / f"{name}.py"
    shutil.copy(tree / (module_name.replace(".", "/") + ".py"), path)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # numba finds a compiled loop's module by name
    spec.loader.exec_module(module)
    return module


def cpu_ms(function: Any, args: tuple, kw: dict) -> tuple[float, Any]:
    start = time.process_time()
    out = function(*args, **kw)
    return (time.process_time() - start) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="commit of the 'before' kernels")
    parser.add_argument("--cities", type=int, default=250_000)
    parser.add_argument("--warm", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--name", default="loop_sides")
    args = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    tree = base_tree(args.base)
    load = [os.getloadavg()[0]]
    saved = capture(args.cities, args.warm)
    rows = []
    for module_name, function in ENTRIES:
        key = f"{module_name}.{function}"
        call_args, kw = saved[key]
        sides = {
            "before": getattr(base_module(tree, module_name), function),
            "after": getattr(importlib.import_module(module_name), function),
        }
        outs = {side: f(*call_args, **kw) for side, f in sides.items()}  # compile or load
        same = all(
            a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()
            for a, b in zip(_arrays(outs["before"]), _arrays(outs["after"]), strict=True)
        )
        times: dict[str, list[float]] = {"before": [], "after": []}
        for i in range(args.repeat):
            order = ("before", "after") if i % 2 == 0 else ("after", "before")
            for side in order:
                times[side].append(cpu_ms(sides[side], call_args, kw)[0])
        before, after = min(times["before"]), min(times["after"])
        rows.append(
            {
                "entry": key,
                "before_ms": before,
                "after_ms": after,
                "ratio": after / before,
                "identical": same,
                "times": times,
            }
        )
        print(f"{key}: {before:.1f} -> {after:.1f} ms ({after / before:.2f}x), identical {same}")
    load.append(os.getloadavg()[0])
    RESULTS.mkdir(exist_ok=True)
    sha = os.popen(f"git -C {HERE} rev-parse --short HEAD").read().strip()
    result = {"base": args.base, "after": sha, "cities": args.cities, "load": load, "rows": rows}
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=1))
    lines = [
        "# Compiled loops before and after, on one large month's inputs",
        "",
        f"Before: `{args.base}`; after: this checkout (`{sha}` plus its working tree). "
        f"{args.cities:,} synthetic cities (UCLG settings), the inputs of month {args.warm + 1}; "
        f"{args.repeat} calls a side, alternating; minimum CPU ms. Load average {load[0]:.1f} "
        f"at the start and {load[1]:.1f} at the end (a shared 2-core machine).",
        "",
        "| entry point | before ms | after ms | ratio | outputs identical |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        lines.append(
            f"| `{row['entry']}` | {row['before_ms']:.1f} | {row['after_ms']:.1f} | "
            f"{row['ratio']:.2f} | {'yes' if row['identical'] else '**no**'} |"
        )
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
