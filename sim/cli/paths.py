"""Where the configs and a scenario folder are: what the command line needs before Hydra
is imported (nothing heavy here)."""

from __future__ import annotations

from pathlib import Path

from sim.errors import ConfigError


def config_dir() -> Path:
    """``configs/`` in a source checkout, or the copy shipped inside the wheel."""
    package = Path(__file__).resolve().parents[1]  # sim/
    for candidate in (package.parent / "configs", package / "_data" / "configs"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("citypeace configs not found next to the package")


def with_path_name(overrides: list[str]) -> list[str]:
    """``overrides`` plus ``scenario.name=<name>`` read from ``scenario.path``'s scenario.yaml,
    when a path is given without a name (``scenario=`` or ``scenario.name=``), so the run's
    folder and config.yaml carry the scenario's own name; a name given that differs is
    refused later (:func:`check_path_name`). A folder that cannot be read is left to the
    loader to report."""
    given = {o.lstrip("+").partition("=")[0]: o.partition("=")[2] for o in overrides}
    path = given.get("scenario.path", "").strip("'\"")
    if not path or path == "null" or "scenario.name" in given or "scenario" in given:
        return list(overrides)
    try:
        import yaml

        with open(Path(path) / "scenario.yaml", encoding="utf-8") as fh:
            name = yaml.safe_load(fh).get("name")
    except Exception:  # noqa: BLE001 - the loader names the problem with its file and key
        return list(overrides)
    if not isinstance(name, str) or not name.replace("_", "").replace("-", "").isalnum():
        return list(overrides)
    return [*overrides, f"scenario.name={name}"]


def check_scenario_name(path: Path | None, name: str, loaded_name: str) -> None:
    """A scenario read from ``scenario.path`` (``path``) must be the one ``scenario.name``
    says."""
    if path is not None and loaded_name != name:
        where = path / "scenario.yaml"
        raise ConfigError(
            "config",
            "scenario.name",
            name,
            f"the name in {where}: {loaded_name!r} (or leave scenario.name out)",
        )
