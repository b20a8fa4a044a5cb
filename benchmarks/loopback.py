"""What the benchmarks share: a free port on 127.0.0.1, stopping a server they started, a
process's memory and the 95th percentile."""
from __future__ import annotations

import math
import socket
import subprocess
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server this benchmark started (by its own handle), kill it if it lingers."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process now, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    values = sorted(values)
    return values[math.ceil(len(values) * 0.95) - 1] if values else float("nan")
