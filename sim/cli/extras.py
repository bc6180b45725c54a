"""A feature whose optional dependencies are not installed names the pip command to run.

``citypeace app`` without the ``app`` extra, or ``hydra/launcher=joblib`` without the
``sweep`` extra, would otherwise end in a raw ``ModuleNotFoundError`` or a Hydra error about a
missing config. The extra is named when this installation of citypeace declares it, else the
package itself.
"""

from __future__ import annotations

import functools
import importlib.util

# Top-level module -> the extra that installs it (pyproject.toml).
MODULE_EXTRAS = {
    "solara": "app",
    "solara_assets": "app",
    "uvicorn": "app",
    "starlette": "app",
    "ipyvuetify": "app",
    "ipyvue": "app",
    "ipywidgets": "app",
    "joblib": "sweep",
    "SALib": "sweep",
    "scipy": "sweep",
    "ema_workbench": "ema",
    "ray": "ray",
    "dask": "dask",
    "distributed": "dask",
    "submitit": "slurm",
    "optuna": "optuna",
}
# Hydra launcher/sweeper config names -> (the plugin module, the extra).
PLUGINS = {
    "hydra/launcher/joblib": ("hydra_plugins.hydra_joblib_launcher", "sweep"),
    "hydra/launcher/ray": ("hydra_plugins.hydra_ray_launcher", "ray"),
    "hydra/launcher/ray_cluster": ("hydra_plugins.hydra_ray_launcher", "ray"),
    "hydra/launcher/submitit_local": ("hydra_plugins.hydra_submitit_launcher", "slurm"),
    "hydra/launcher/submitit_slurm": ("hydra_plugins.hydra_submitit_launcher", "slurm"),
    "hydra/launcher/slurm": ("hydra_plugins.hydra_submitit_launcher", "slurm"),
    "hydra/sweeper/optuna": ("hydra_plugins.hydra_optuna_sweeper", "optuna"),
}


@functools.cache
def declared_extras() -> frozenset[str]:
    """The extras this installation of citypeace declares."""
    import importlib.metadata  # only when a line names an extra: 0.12 s of imports at load 12

    try:
        return frozenset(importlib.metadata.metadata("citypeace").get_all("Provides-Extra") or [])
    except importlib.metadata.PackageNotFoundError:
        return frozenset()


def pip_command(extra: str, package: str) -> str:
    """``pip install 'citypeace[extra]'``, or the package when no such extra is declared."""
    if extra in declared_extras():
        return f"pip install 'citypeace[{extra}]'"
    return f"pip install {package}"


def for_missing_module(exc: ModuleNotFoundError, feature: str) -> str | None:
    """One line for a missing optional module, or None when it is not an optional one."""
    name = (exc.name or "").split(".")[0]
    if name == "hydra_plugins":
        name = (exc.name or "").split(".")[1] if "." in (exc.name or "") else name
    extra = MODULE_EXTRAS.get(name)
    if extra is None:
        return None
    return f"{feature}: {name} = (not installed): {pip_command(extra, name)}"


def missing_launcher(config_file: str) -> str | None:
    """One line when ``config_file`` (``hydra/launcher/joblib``) is a plugin not installed."""
    found = PLUGINS.get(config_file.removesuffix(".yaml"))
    if found is None:
        return None
    module, extra = found
    if _installed(module):
        return None
    group, _, name = config_file.rpartition("/")
    return (
        f"command line: {group} = {name!r}: a plugin that is not installed; "
        f"{pip_command(extra, module.split('.')[-1].replace('_', '-'))}"
    )


def check_plugins(args: list[str]) -> str | None:
    """The line for the first ``hydra/launcher=X`` (or sweeper) override whose plugin is
    missing, or None."""
    for arg in args:
        key, eq, value = arg.lstrip("+~").partition("=")
        if eq and key in ("hydra/launcher", "hydra/sweeper"):
            line = missing_launcher(f"{key}/{value}")
            if line:
                return line
    return None


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
