"""Benchmark driver: gunicorn with production settings, wrk on loopback, one table of results.

Called by scripts/bench.sh (which picks the database and installs wrk). For every page it
measures, side by side in one run: requests per second, latency percentiles, CPU per request of
the web server and of the database (from /proc), queries per request (counted once with Django's
test client against the same database), and throughput as a share of the floor view's.

    bench.py --database-url postgres://... [--duration 10] [--connections 16]
    bench.py --sqlite var/bench-sqlite [--connections 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
TICK = os.sysconf("SC_CLK_TCK")
DOC = ROOT / "docs" / "benchmarks.md"


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --- /proc readings ---------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


DB_NAME = ""


def postgres_pids() -> list[int]:
    """The PostgreSQL backends serving the bench database (not other databases' work)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() != "postgres":
                    continue
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (FileNotFoundError, PermissionError, ProcessLookupError):
                continue
            if f" {DB_NAME} " in title:
                out.append(int(entry.name))
    return out


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


def rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MB."""
    now = peak = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return now, peak


@dataclass
class CpuSnapshot:
    server: int
    db: dict[int, int]
    machine: tuple[int, int]


def snapshot(server_pid: int, *, with_db: bool = True) -> CpuSnapshot:
    pids = [server_pid, *children(server_pid)]
    return CpuSnapshot(
        server=sum(cpu_ticks(p) for p in pids),
        db={p: cpu_ticks(p) for p in postgres_pids()} if with_db else {},
        machine=machine_busy(),
    )


# --- gunicorn ---------------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int, logfile: Path) -> None:
        self.port = port
        self.log = logfile.open("ab")
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--backlog",
                "256",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/gezond/", timeout=2) as r:
                    if r.status == 200 and len(children(self.proc.pid)) >= workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn stopte meteen; zie {logfile}")
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn kwam niet op; zie {logfile}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def worker_memory(self) -> list[tuple[float, float]]:
        return [rss_mb(p) for p in children(self.pid)]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# --- load -------------------------------------------------------------------------------------


@dataclass
class Result:
    key: str
    label: str
    kind: str
    queries: int
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    requests: int = 0
    bad: int = 0
    errors: int = 0
    exhausted: int = 0
    cpu_server_ms: float = 0.0
    cpu_db_ms: float = 0.0
    other_load: float = 0.0
    notes: list[str] = field(default_factory=list)


def run_wrk(
    scenario: dict[str, Any],
    prep: dict[str, Any],
    port: int,
    *,
    seconds: float,
    connections: int,
    threads: int,
    paths: list[str],
) -> dict[str, Any]:
    cookie = ""
    session = prep["sessions"].get(scenario["user"], "")
    body = ""
    if session:
        cookie = f"{prep['cookie_name']}={session}"
    if scenario.get("method") == "POST":
        token = prep["csrf_token"]
        cookie += f"; csrftoken={token}"
        data = dict(scenario["data"], csrfmiddlewaretoken=token)
        body = urllib.parse.urlencode(data)
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as fh:
        fh.write("\n".join(paths) + "\n")
        paths_file = fh.name
    env = dict(
        os.environ,
        BENCH_COOKIE=cookie,
        BENCH_PATHS=paths_file,
        BENCH_METHOD=scenario.get("method", "GET"),
        BENCH_BODY=body,
        BENCH_EXPECT=str(scenario.get("expect", 200)),
        BENCH_THREADS=str(threads),
    )
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "scripts" / "bench.lua"),
        f"http://127.0.0.1:{port}",
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 60)
    os.unlink(paths_file)
    match = re.search(r"BENCHJSON (\{.*\})", proc.stdout)
    if not match:
        raise SystemExit(f"wrk gaf geen uitkomst:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(match.group(1))


def measure(
    scenario: dict[str, Any],
    prep: dict[str, Any],
    server: Server,
    args: argparse.Namespace,
) -> Result:
    result = Result(scenario["key"], scenario["label"], scenario["kind"], scenario["queries"])
    paths = list(scenario["paths"])
    is_write = scenario.get("method") == "POST"
    if is_write:
        # Each submit spends one draft: warm up on the first part, measure on the rest.
        warm, paths = paths[: args.warm_writes], paths[args.warm_writes :]
        run_wrk(
            scenario,
            prep,
            server.port,
            seconds=1,
            connections=args.connections,
            threads=args.threads,
            paths=warm,
        )
    else:
        run_wrk(
            scenario,
            prep,
            server.port,
            seconds=args.warmup,
            connections=args.connections,
            threads=args.threads,
            paths=paths,
        )
    with_db = not args.sqlite  # SQLite runs inside the web workers: its CPU is theirs
    before = snapshot(server.pid, with_db=with_db)
    out = run_wrk(
        scenario,
        prep,
        server.port,
        seconds=args.duration,
        connections=args.connections,
        threads=args.threads,
        paths=paths,
    )
    after = snapshot(server.pid, with_db=with_db)
    n = max(out["requests"], 1)
    seconds = out["duration_us"] / 1e6
    result.requests = out["requests"]
    result.rps = out["requests"] / seconds
    result.p50, result.p95, result.p99 = (out[k] / 1000 for k in ("p50", "p95", "p99"))
    result.bad = out["bad"]
    result.exhausted = out["exhausted"]
    result.errors = sum(
        out[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    server_ticks = after.server - before.server
    db_ticks = sum(t - before.db.get(p, 0) for p, t in after.db.items())
    result.cpu_server_ms = server_ticks / TICK * 1000 / n
    result.cpu_db_ms = db_ticks / TICK * 1000 / n
    busy = after.machine[0] - before.machine[0]
    total = max(after.machine[1] - before.machine[1], 1)
    # Machine CPU not spent by our server or database (load generator + everyone else), in cores.
    cores = os.cpu_count() or 1
    result.other_load = max(0.0, (busy - server_ticks - db_ticks) / total * cores)
    if result.bad:
        result.notes.append(f"{result.bad} answers with another status than expected")
    if result.exhausted:
        result.notes.append(f"{result.exhausted} requests found no fresh draft (invalid)")
    log(
        f"{result.key}: {result.rps:.0f} req/s p50 {result.p50:.1f} p95 {result.p95:.1f} "
        f"p99 {result.p99:.1f} ms, cpu {result.cpu_server_ms:.1f}+{result.cpu_db_ms:.1f} ms/req, "
        f"{result.queries} queries, other load {result.other_load:.2f} cores"
    )
    return result


# --- report -----------------------------------------------------------------------------------

TARGETS: dict[str, dict[str, tuple[float | None, float | None]]] = {
    "pg": {
        "pupil": (0.20, 60.0),
        "list": (0.10, 100.0),
        "figures": (None, 300.0),
        "write": (None, None),
        "floor": (None, None),
    },
    "sqlite": {
        "pupil": (None, 50.0),
        "list": (None, 50.0),
        "figures": (None, 50.0),
        "write": (None, 50.0),
        "floor": (None, 50.0),
    },
}


def verdict(r: Result, floor_rps: float, mode: str) -> str:
    if r.key == "pupil_nolog":
        return "comparison"
    if r.requests == 0:
        return "**no answers in time**"
    share, p95 = TARGETS[mode].get(r.kind, (None, None))
    parts: list[str] = []
    ok = True
    if share is not None:
        parts.append(f"≥{share:.0%} of floor")
        ok &= r.rps >= share * floor_rps
    if p95 is not None:
        parts.append(f"p95 ≤{p95:.0f} ms")
        ok &= r.p95 <= p95
    if r.bad or r.errors or r.exhausted:
        ok = False
    if not parts:
        return "–"
    return f"{'met' if ok else '**missed**'} ({', '.join(parts)})"


def render(
    results: list[Result],
    prep: dict[str, Any],
    memory: list[tuple[float, float]],
    args: argparse.Namespace,
    mode: str,
    started: str,
    seconds: float,
    load_before: str,
) -> str:
    floor = next((r.rps for r in results if r.key == "floor"), 0.0) or 1.0
    lines = [
        f"Run {started} UTC, {seconds / 60:.1f} min; {mode_label(mode, args)}.",
        f"Data: {prep['municipality']} (bench school in it); rows: "
        + ", ".join(f"{k} {v:,}".replace(",", ".") for k, v in prep["counts"].items() if v >= 0)
        + ".",
        f'Load before the run: {load_before}. "Other load" is machine CPU not used by our web '
        "server or database during the measurement (load generator and other users), in cores.",
        "",
        "| Page | req/s | share of floor | p50 ms | p95 ms | p99 ms | CPU web ms/req | "
        "CPU db ms/req | queries/req | other load | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.label} | {r.rps:.0f} | {r.rps / floor:.0%} | {r.p50:.1f} | {r.p95:.1f} | "
            f"{r.p99:.1f} | {r.cpu_server_ms:.1f} | {r.cpu_db_ms:.1f} | {r.queries} | "
            f"{r.other_load:.2f} | {verdict(r, floor, mode)} |"
        )
    by_key = {r.key: r for r in results}
    lines.append("")
    if "pupil" in by_key and "pupil_nolog" in by_key and by_key["pupil_nolog"].rps:
        cost = 1 - by_key["pupil"].rps / by_key["pupil_nolog"].rps
        ok = "met" if cost <= 0.30 else "**missed**"
        lines.append(
            f"- Read log cost on the pupil page: {cost:.0%} of throughput "
            f"({by_key['pupil'].rps:.0f} vs {by_key['pupil_nolog'].rps:.0f} req/s without it); "
            f"target ≤30%: {ok}."
        )
    if memory:
        worst = max(m[1] for m in memory)
        ok = "met" if worst < 250 else "**missed**"
        lines.append(
            "- Gunicorn worker memory after the run (RSS now / peak, MB): "
            + ", ".join(f"{now:.0f}/{peak:.0f}" for now, peak in memory)
            + f"; target <250 MB: {ok}."
        )
    if prep.get("refresh_seconds"):
        lines.append(f"- Roll-up refresh (`refresh_figures`) took {prep['refresh_seconds']:.1f} s.")
    for r in results:
        for note in r.notes:
            lines.append(f"- {r.label}: {note}.")
    for note in prep.get("notes", []):
        lines.append(f"- Not measured / remark: {note}")
    return "\n".join(lines) + "\n"


def mode_label(mode: str, args: argparse.Namespace) -> str:
    db = "SQLite (WAL), demo data" if mode == "sqlite" else "PostgreSQL"
    return (
        f"{db}; gunicorn {args.workers} sync workers, persistent connections; "
        f"wrk {args.threads} threads, {args.connections} connections, "
        f"{args.duration:.0f} s per page after {args.warmup:.0f} s warm-up"
    )


def machine_info() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
    pg = ""
    if shutil.which("psql"):
        try:
            pg = subprocess.run(
                ["psql", "--version"], capture_output=True, text=True
            ).stdout.strip()
        except OSError:
            pg = ""
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(mem) / 1024 / 1024:.1f} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
        + (f", {pg}" if pg else "")
    )


def write_section(title: str, body: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    block = f"## {title}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOC.write_text(text)


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--sqlite", default="", help="data folder for the SQLite mode")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--drafts", type=int, default=1500)
    parser.add_argument("--warm-writes", type=int, default=150)
    parser.add_argument("--only", default="", help="comma-separated scenario keys")
    parser.add_argument("--no-doc", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args()
    mode = "sqlite" if args.sqlite else "pg"

    started_at = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    t0 = time.monotonic()
    load_before = "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg())
    env = dict(os.environ)
    env.update(
        SCHOOLZORG_DEBUG="0",
        SCHOOLZORG_HTTPS="0",
        SCHOOLZORG_SECRET_KEY=env.get("SCHOOLZORG_SECRET_KEY") or secrets.token_urlsafe(50),
        SCHOOLZORG_ALLOWED_HOSTS="127.0.0.1,localhost",
        SCHOOLZORG_CONN_MAX_AGE=env.get("SCHOOLZORG_CONN_MAX_AGE", "600"),
        SCHOOLZORG_LOG_LEVEL="ERROR",
        SCHOOLZORG_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SCHOOLZORG_TASK_BACKEND="django.tasks.backends.dummy.DummyBackend",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("SCHOOLZORG_BENCH_NO_READ_LOG", None)
    if mode == "pg":
        env["DATABASE_URL"] = args.database_url
        global DB_NAME
        DB_NAME = urllib.parse.urlparse(args.database_url).path.lstrip("/")
    else:
        env.pop("DATABASE_URL", None)
        env["SCHOOLZORG_DATA_DIR"] = str(Path(args.sqlite).resolve())
    if not env.get("SCHOOLZORG_FIELD_KEYS"):
        from cryptography.fernet import Fernet

        env["SCHOOLZORG_FIELD_KEYS"] = Fernet.generate_key().decode()

    workdir = Path(tempfile.mkdtemp(prefix="sz-bench-"))
    prep_file = workdir / "prep.json"
    log("preparing users, sessions and data")
    subprocess.run(
        [
            str(BIN / "python"),
            str(ROOT / "scripts" / "bench_prepare.py"),
            str(prep_file),
            "--drafts",
            str(args.drafts),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    prep = json.loads(prep_file.read_text())
    prep["csrf_token"] = secrets.token_hex(16)
    scenarios = prep["scenarios"]
    if args.only:
        keep = set(args.only.split(","))
        scenarios = [s for s in scenarios if s["key"] in keep or s["key"] == "floor"]
    for s in scenarios:
        expected = s.get("expect", 200)
        if s["check_status"] != expected:
            prep["notes"].append(
                f"{s['label']}: test client gave HTTP {s['check_status']}, expected {expected}"
            )

    results: list[Result] = []
    memory: list[tuple[float, float]] = []
    # The page without read log runs right after the page with it, on a second server started
    # beside the first (idle until then): measured minutes apart, the machine's drift between
    # them was as large as the cost of the log itself.
    server = Server(env, args.port, args.workers, workdir / "gunicorn.log")
    without_log = None
    try:
        if any(s.get("no_read_log") for s in scenarios):
            without_log = Server(
                dict(env, SCHOOLZORG_BENCH_NO_READ_LOG="1"),
                args.port + 1,
                args.workers,
                workdir / "gunicorn-nolog.log",
            )
        for s in scenarios:
            on = without_log if s.get("no_read_log") and without_log else server
            results.append(measure(s, prep, on, args))
        memory = server.worker_memory()
    finally:
        server.stop()
        if without_log is not None:
            without_log.stop()
    order = [s["key"] for s in scenarios]
    results.sort(key=lambda r: order.index(r.key))

    elapsed = time.monotonic() - t0
    body = render(results, prep, memory, args, mode, started_at, elapsed, load_before)
    title = "Latest run (SQLite, demo data)" if mode == "sqlite" else "Latest run"
    print(f"\n## {title}\n\n{body}")
    print(f"Machine: {machine_info()}")
    if not args.no_doc:
        write_section(title, body)
        write_section("Machine", machine_info() + "\n")
        log(f"written to {DOC.relative_to(ROOT)}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
