"""Store Hydra's own node of ``configs/config.yaml`` for a first run without Hydra.

``sim.cli.plain`` composes a plain command's config without Hydra, and takes Hydra's node
(what ``.hydra/hydra.yaml`` records) from ``sim/cli/hydra_node.json``: the node Hydra composes
for the command without overrides, with the working and configs folders marked. It is made
for one Hydra version and one ``config.yaml``; with either changed the command composes with
Hydra (as before) until this script is run again, and tests/test_plain_compose.py fails.

    PYTHONPATH=$PWD .venv/bin/python experiments/make_hydra_node.py
"""

from __future__ import annotations

import json
import os
import tempfile

from sim.cli import plain
from sim.cli.checks import compose
from sim.cli.paths import config_dir


def node() -> dict:
    from omegaconf import OmegaConf

    with tempfile.TemporaryDirectory() as cwd:
        here = os.getcwd()
        os.chdir(cwd)
        try:
            composed = compose([], hydra=True)
            data = OmegaConf.to_container(composed.hydra, resolve=False)
            real = os.getcwd()
        finally:
            os.chdir(here)
    text = json.dumps(data)
    for value, mark in ((real, plain.CWD_MARK), (str(config_dir()), plain.CONFIGS_MARK)):
        quoted = json.dumps(value)[1:-1]
        assert text.count(quoted) == 1, (value, text.count(quoted))
        text = text.replace(quoted, mark)
    return json.loads(text)


def main() -> None:
    data = {
        "hydra_version": plain.hydra_version(),
        "config_sha256": plain.config_digest(),
        "node": node(),
    }
    plain.NODE_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {plain.NODE_FILE}")


if __name__ == "__main__":
    main()
