"""Services of a test's own, to stop and start without touching the CI's shared ones:
a Redis on a free port, a PostgreSQL cluster in a temporary directory."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.services import service_missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float = 30, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


class OwnRedis:
    """`redis-server` on a free loopback port, in the foreground of a subprocess."""

    def __init__(self, workdir: Path) -> None:
        if shutil.which("redis-server") is None:
            service_missing("redis-server is not installed")
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> "OwnRedis":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_until(self.answers), "redis-server did not start"
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        assert wait_until(lambda: not self.answers())


def postgres_bin() -> Path | None:
    root = Path("/usr/lib/postgresql")
    if not root.exists():
        return None
    versions = sorted(root.iterdir(), key=lambda p: int(p.name) if p.name.isdigit() else 0)
    return versions[-1] / "bin" if versions else None


class OwnPostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary directory, pg_ctl),
    on a free port, trusting local connections; never the CI's shared server."""

    def __init__(self, workdir: Path) -> None:
        # pytest's tmp_path is private to root: the server's user needs its own directory.
        workdir = Path(tempfile.mkdtemp(prefix="coproduce-pg-"))
        self.workdir = workdir
        self.bin = postgres_bin()
        if self.bin is None or not (self.bin / "pg_ctl").exists():
            service_missing("PostgreSQL's server binaries are not installed")
        self.port = free_port()
        self.data = workdir / "data"
        self.socket_dir = workdir
        self.log = workdir / "postgres.log"
        self.user = "coproduce"
        self._run_as = self._postgres_user_if_root(workdir)

    @staticmethod
    def _postgres_user_if_root(workdir: Path) -> list[str]:
        # initdb refuses to run as root: run the server as the postgres user.
        if os.geteuid() != 0:
            return []
        shutil.chown(workdir, user="postgres")
        return ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._run_as, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> "OwnPostgres":
        self._run(
            str(self.bin / "initdb"),
            "-D", str(self.data),
            "-U", self.user,
            "--auth=trust",
            "--no-sync",
        )  # fmt: skip
        return self

    def start(self) -> "OwnPostgres":
        self._run(
            str(self.bin / "pg_ctl"),
            "-D", str(self.data),
            "-l", str(self.log),
            "-w",
            "-o", f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off",
            "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            "-D", str(self.data),
            "-l", str(self.log),
            "-m", "fast",
            "-w",
            "-o", f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off",
            "restart",
        )  # fmt: skip

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{database}"
