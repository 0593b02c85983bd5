"""Run Redcell roles as real subprocesses for end-to-end tests and benchmarks.

Every process gets the session's server environment; each API waits for ``/readyz``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from deploy.local_servers import free_ports


@dataclass
class RunningProcess:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        self.signal(sig)
        self.reap(time.monotonic() + 15)

    def signal(self, sig: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def reap(self, deadline: float) -> None:
        """Wait for the process until ``deadline`` (monotonic), then kill its group."""
        if self.proc is None:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=max(deadline - time.monotonic(), 0))
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Platform:
    """A set of Redcell processes sharing one environment."""

    base_env: dict[str, str]
    log_dir: Path
    processes: dict[str, RunningProcess] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        return {**os.environ, **self.base_env}

    def add(self, name: str, *args: str, env: dict[str, str] | None = None) -> RunningProcess:
        process = RunningProcess(
            name=name,
            argv=[sys.executable, "-m", "shared.cli", *args],
            env={**self.env(), **(env or {})},
            log_path=self.log_dir / f"{name}.log",
        )
        self.processes[name] = process
        process.start()
        return process

    def add_api(self, component: str, env: dict[str, str] | None = None, *, wait: bool = True) -> str:
        """Start ``component``'s API and return its URL; with ``wait=False`` the caller waits (``wait_ready``), so
        that several processes start side by side."""
        port = self.ports.get(component) or free_ports(1)[0]
        self.ports[component] = port
        self.add(f"api-{component}", "api", component, "--port", str(port), env=env)
        url = f"http://127.0.0.1:{port}"
        if wait:
            self.wait_ready(url, self.processes[f"api-{component}"])
        return url

    @staticmethod
    def wait_ready(url: str, process: RunningProcess, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.proc is not None and process.proc.poll() is not None:
                msg = f"{process.name} exited with {process.proc.returncode}:\n{process.log_tail()}"
                raise RuntimeError(msg)
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
        msg = f"{process.name} not ready at {url} within {timeout_s} s:\n{process.log_tail()}"
        raise TimeoutError(msg)

    def stop_all(self) -> None:
        """SIGTERM to every process at once, then wait for all of them together (each worker takes a second or
        so to finish what it holds; one after the other, a platform took nine)."""
        processes = list(self.processes.values())
        for process in processes:
            process.signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes:
            process.reap(deadline)
