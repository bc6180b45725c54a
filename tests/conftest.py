"""Shared test options: slow ensemble/scale tests run only with --runslow."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="also run tests marked slow (full ensembles, large sizes)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _own_plan_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The command line's plan cache (sim.cli.run_cache) in a folder of the test session, not
    the user's ~/.cache (commands run by the tests inherit it)."""
    import os

    os.environ.setdefault("CITYPEACE_CACHE_DIR", str(tmp_path_factory.mktemp("plan-cache")))
