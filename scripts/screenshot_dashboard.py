#!/usr/bin/env python3
"""Build the demo archive, start `thidua serve`, save docs/dashboard.png with headless Chromium.

    .venv/bin/python scripts/screenshot_dashboard.py [--page /-/thidua/charts] [--out docs/dashboard.png]

Needs Debian's chromium (apt-get install -y chromium). Everything runs on 127.0.0.1; the server
and the browser are always stopped.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page", default="/-/thidua/charts", help="the dashboard path to capture")
    ap.add_argument("--out", default=str(ROOT / "docs" / "dashboard.png"))
    ap.add_argument("--size", default="1280,900", help="window size W,H")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args()
    if not Path(args.chromium).exists():
        sys.exit(f"{args.chromium}: not found; apt-get install -y chromium")
    work = Path(tempfile.mkdtemp(prefix="thidua-shot-"))
    server = None
    try:
        db = work / "archive.db"
        subprocess.run([sys.executable, "-c", "from thidua.cli import cli; cli()", "build",
                        str(ROOT / "corpus"), "--db", str(db)], check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-c", "from thidua.dashboard import serve_command; serve_command()",
                                   "--db", str(db), "--port", str(port)])
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("thidua serve did not start")
                time.sleep(0.2)
        out = Path(args.out).resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([args.chromium, *FLAGS, f"--user-data-dir={work / 'profile'}", f"--window-size={args.size}",
                        "--virtual-time-budget=8000", f"--screenshot={out}", base + args.page],
                       check=True, timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"saved {out} ({out.stat().st_size} bytes)")
        return 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
