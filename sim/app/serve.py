"""``citypeace app``: serve the browser app (``sim.app.page``) on this machine, fully offline.

Users in government networks are often air-gapped, so the server must never reach out:

* front-end assets come from the locally installed ``solara-assets`` (same version as solara);
* Solara's anonymous usage telemetry (mixpanel, ipify) is switched off;
* production mode, so the page does not embed Solara's ``solara.dev`` install-check iframe;
* the CDN fallback points at a dead local address, so a missing asset fails here (and shows up
  in tests) instead of being fetched from the internet;
* no PyPI version check (that lives in ``solara run``, which we do not use).

Everything that touches Solara's settings happens before ``solara`` is imported, because Solara
reads its environment variables at import time.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import warnings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# A port nothing listens on: any asset missing from solara-assets fails locally and fast.
DEAD_CDN = "http://127.0.0.1:9/npm/"

OFFLINE_ENV = {
    "SOLARA_APP": "sim.app.page",
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_CDN": DEAD_CDN,
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_THEME_TITLE": "citypeace",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "MPLBACKEND": "Agg",
}


def parser() -> argparse.ArgumentParser:
    """The ``citypeace app`` argument parser."""
    p = argparse.ArgumentParser(
        prog="citypeace app",
        description="Serve the interactive citypeace app in the browser (offline, local only).",
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"interface to bind (default {DEFAULT_HOST}: this machine only)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level (default warning)",
    )
    return p


def configure_offline() -> None:
    """Set the environment that keeps Solara offline; must run before ``import solara``."""
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
    if "solara" in sys.modules:
        # Imported earlier in this process (tests, notebooks): patch the live settings too.
        import solara.server.settings as s

        s.main.mode = "production"
        s.telemetry.mixpanel_enable = False
        s.assets.cdn = DEAD_CDN
        s.assets.proxy = True
        s.theme.title = "citypeace"
        s.theme.show_banner = False


def _check_port(host: str, port: int) -> str | None:
    """A one-line reason why we cannot bind, or None."""
    if not 0 <= port <= 65535:
        return f"app: --port = {port!r}: a port number in [0, 65535]"
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        return f"app: --host/--port = {host}:{port}: a free local address ({exc.strerror})"
    return None


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def exit_on_sigterm() -> None:
    """Let SIGTERM end the server like Ctrl+C does, through the interpreter's normal exit, so
    that exit handlers run (the app removes its folder of uploaded scenarios in one). Uvicorn
    catches SIGTERM for a graceful shutdown and then raises it again with the handler it found
    at start: Python's default for SIGTERM would end the process on the spot."""
    signal.signal(signal.SIGTERM, _terminate)


def main(args: list[str]) -> int:
    """Serve the app until interrupted; returns the exit code."""
    opts = parser().parse_args(args)
    problem = _check_port(opts.host, opts.port)
    if problem:
        print(f"citypeace: error: {problem}", file=sys.stderr)
        return 2
    configure_offline()
    # Solara warns on every connection that samesite=none cookies need https; on a local,
    # plain-http app that is noise, and the fallback it describes (samesite=lax) is what we want.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")
    os.environ["SERVER_NAME"] = opts.host
    os.environ["SERVER_PORT"] = str(opts.port)
    import uvicorn

    exit_on_sigterm()
    print(f"citypeace app: serving on http://{opts.host}:{opts.port}  (Ctrl+C to stop)", flush=True)
    uvicorn.run(
        "solara.server.starlette:app",
        host=opts.host,
        port=opts.port,
        log_level=opts.log_level,
        access_log=False,
        ws_max_size=64 * 1024 * 1024,
        # Frames are JPEG bytes, which deflate cannot shrink: compressing each websocket
        # message cost the server about as much CPU as encoding the image.
        ws_per_message_deflate=False,
    )
    return 0


if __name__ == "__main__":  # python -m sim.app.serve
    raise SystemExit(main(sys.argv[1:]))
