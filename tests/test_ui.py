"""`make ui`: the Dagster webserver answers on loopback only and serves this code location."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


AUTOMATION = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
    name schedules { name cronSchedule executionTimezone } sensors { name } } } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _address(hex_address: str) -> str:
    """An address of /proc/net/tcp{,6}: hex, in 32-bit little-endian words."""
    raw = bytes.fromhex(hex_address)
    return str(ipaddress.ip_address(b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))))


def listening(session: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket listened on by a process of ``session`` (the
    webserver, the daemon and the code servers they start), read from /proc."""
    inodes = set()
    for proc in Path("/proc").iterdir():
        try:
            stat = (proc / "stat").read_text()
            if int(stat[stat.rindex(")") + 2:].split()[3]) != session:
                continue
            descriptors = list((proc / "fd").iterdir())
        except (OSError, ValueError, IndexError):
            continue  # not a process, or it ended meanwhile
        for fd in descriptors:
            try:
                link = os.readlink(fd)
            except OSError:
                continue  # closed meanwhile
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path("/proc/net", table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                address, port = local.split(":")
                found.add((_address(address), int(port, 16)))
    return found


def _get(url: str, body: dict | None = None):
    data = json.dumps(body).encode() if body else None
    request = urllib.request.Request(url, data=data,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_ui_serves_the_asset_graph_on_loopback(tmp_path, landing):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "PARITY_LANDING_DIR": str(landing),
           "PARITY_WAREHOUSE": str(tmp_path / "wh.duckdb"),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    # Same command as `make ui`; SIGINT restored so the server stops cleanly (STACK.md trap 7).
    server = subprocess.Popen(
        ["env", "--default-signal=INT", "make", "--no-print-directory", "ui",
         f"UI_PORT={port}", f"DAGSTER_HOME={home}"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"http://127.0.0.1:{port}/server_info")
                break
            except OSError:
                assert server.poll() is None, "dagster dev exited early"
                assert time.monotonic() < deadline, "UI did not answer within 120 s"
                time.sleep(1)
        graph = _get(f"http://127.0.0.1:{port}/graphql",
                     {"query": "{ assetNodes { assetKey { path } groupName } }"})
        nodes = {tuple(n["assetKey"]["path"]): n["groupName"]
                 for n in graph["data"]["assetNodes"]}
        assert nodes[("raw", "crm_interactions")] == "raw"
        assert len([k for k in nodes if k[0] == "raw"]) == 6
        # one lineage, raw to serving, grouped by layer
        assert {g for g in nodes.values()} >= {"raw", "staging", "intermediate", "marts",
                                                "benchmarks", "reference", "serving"}
        assert nodes[("serving", "report")] == "serving"
        automation = _get(f"http://127.0.0.1:{port}/graphql", {"query": AUTOMATION})
        (repo,) = automation["data"]["repositoriesOrError"]["nodes"]
        schedules = {s["name"]: s for s in repo["schedules"]}
        assert schedules["nightly_schedule"]["cronSchedule"] == "30 2 * * *"
        assert schedules["nightly_schedule"]["executionTimezone"] == "UTC"
        assert {s["name"] for s in repo["sensors"]} == {"landing_sensor", "run_failure_alert"}
        # Every listening socket of the whole process group is on loopback: the webserver on
        # 127.0.0.1:port, and nothing (code server, daemon) on 0.0.0.0 or ::.
        sockets = listening(server.pid)
        assert ("127.0.0.1", port) in sockets, sockets
        assert all(ipaddress.ip_address(a).is_loopback for a, _ in sockets), sockets
        with socket.socket() as probe:  # not reachable on any other interface
            probe.settimeout(1)
            external = socket.gethostbyname(socket.gethostname())
            if not external.startswith("127."):
                assert probe.connect_ex((external, port)) != 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def test_listening_reads_the_bound_address():
    """The /proc reader above, on sockets of known binding in this process' session."""
    with socket.socket() as local, socket.socket() as anywhere:
        local.bind(("127.0.0.1", 0))
        anywhere.bind(("0.0.0.0", 0))
        local.listen()
        anywhere.listen()
        found = listening(os.getsid(0))
        assert ("127.0.0.1", local.getsockname()[1]) in found
        assert ("0.0.0.0", anywhere.getsockname()[1]) in found


UI_COMMAND = re.compile(r"(dagster dev|dagster-webserver|dbt docs serve)[^\n`]*")


def test_every_documented_ui_command_binds_to_loopback():
    """`make ui`, the `make docs` hint and every UI command the docs show bind 127.0.0.1."""
    texts = {p.relative_to(REPO).as_posix(): p.read_text()
             for p in [REPO / "Makefile", REPO / "README.md", *(REPO / "docs").glob("*.md")]}
    commands = [(name, m.group(0)) for name, text in texts.items()
                for m in UI_COMMAND.finditer(text)]
    assert any(name == "Makefile" and c.startswith("dagster dev") for name, c in commands)
    loose = [(name, c) for name, c in commands
             if not re.search(r"(--host|-h) 127\.0\.0\.1\b", c)]
    assert not loose, loose
