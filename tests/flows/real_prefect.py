"""Helpers for tests that run real processes: a `prefect server start` on loopback, `budget-etl serve`, and
the check that nothing they started outlives them.

Each process is started in its own session (``start_new_session``), so every process it spawns (uvicorn,
the served flow runs, their sandbox workers) shares its session id: that is how the teardown finds and
stops them all, and how a test proves that none was left behind.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SERVER_START_S = 180.0  # a busy 2-core CI machine needs ~15-60 s; the wait ends as soon as it answers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect_env(home: Path, api_url: str | None) -> dict[str, str]:
    """This process's environment without any PREFECT_ setting of the machine, plus a private home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(home)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["PYTHONUNBUFFERED"] = "1"
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def start(args: list[str], env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def start_prefect_server(home: Path, log: Path, cwd: Path) -> tuple[subprocess.Popen, str]:
    """`prefect server start` (the prefect package's own CLI, run by this interpreter) on a free loopback
    port; returns the process and its API URL once /api/health answers."""
    port = free_port()
    server = start([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                   prefect_env(home, None), log, cwd)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"prefect server exited ({server.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as answer:
                if answer.status == 200:
                    return server, url
        except OSError:
            pass
        time.sleep(1)
    stop(server, signal.SIGTERM)
    raise AssertionError(f"prefect server did not answer within {SERVER_START_S:g} s:\n{log.read_text(errors='replace')}")


def session_members(sid: int) -> list[int]:
    """Live processes (not zombies) of session ``sid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, session, …
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def stop(process: subprocess.Popen, first_signal: int, grace_s: float = 30.0) -> None:
    """Ask the process to stop, then kill whatever is left of its session; waits until none is left."""
    sid = process.pid  # a session leader's pid is its session id
    if process.poll() is None:
        process.send_signal(first_signal)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            pass
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        members = session_members(sid)
        if not members:
            break
        for pid in members:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
    if process.poll() is None:
        process.kill()
    process.wait(10)
