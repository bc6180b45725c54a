"""Driving ``citypeace app`` in headless Debian chromium, and reading CPU seconds from /proc.

The app_speed benchmark's harness: start the app from a source tree on a free port, open it in
chromium (Playwright with ``executable_path``: the system browser, never a downloaded one),
choose from the page's selects, read the month shown, and split CPU seconds between the app's
server process tree and the browser processes this benchmark started.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from sim.app.headless import CHROMIUM_FLAGS, chromium_path

TICK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(tree: Path) -> tuple[subprocess.Popen, str]:
    """``python -m sim app`` with ``tree`` as the working directory (so its ``sim`` runs)."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "app", "--port", str(port)],
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("citypeace app did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) of one live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _tree(pid: int, kids: dict[int, list[int]]) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def cpu_split(server: int) -> tuple[float, float]:
    """(server CPU s, browser CPU s): the server's process tree, and every other process this
    benchmark started (Playwright's driver and chromium)."""
    kids = _children()
    server_pids = set(_tree(server, kids))
    mine = [p for p in _tree(os.getpid(), kids) if p != os.getpid() and p not in server_pids]
    return sum(_cpu(p) for p in server_pids), sum(_cpu(p) for p in mine)


def choose(page: Any, select_cls: str, option: str) -> None:
    page.click(f".{select_cls}")
    page.locator(".v-overlay--active .v-list-item").filter(
        has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")
    ).first.click()
    page.keyboard.press("Escape")


def month(page: Any) -> int:
    return int(re.search(r"month (\d+) of", page.inner_text(".cp-month")).group(1))


def wait_month0(page: Any, scenario: str) -> None:
    page.wait_for_function(
        f"() => /month 0 of \\d+ · {scenario}/.test(document.querySelector('.cp-month').innerText)"
    )


def open_page(pw: Any, url: str, size: tuple[int, int] = (1024, 768)) -> tuple[Any, Any]:
    chromium = chromium_path() or "/usr/bin/chromium"
    browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.set_default_timeout(90_000)
    page.goto(url)
    page.wait_for_selector("img.cp-network")
    return browser, page
