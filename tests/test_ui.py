"""`make ui`: the Dagster webserver answers on loopback and serves this code location."""

from __future__ import annotations

import json
import os
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
