"""The static report: rendered by headless Chromium from disk, charts drawn, no console error,
nothing fetched from the network."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"]


def render(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM after scripts ran, and the console messages Chromium logged."""
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    return done.stdout, console


@pytest.fixture(scope="module")
def report(built) -> Path:
    return Path(built.env["PARITY_SERVING_DIR"]) / "current" / "report.html"


def test_the_report_renders_its_charts_without_console_errors(report, tmp_path):
    dom, console = render(report, tmp_path / "profile")
    assert console == []
    assert 'data-rendered="true"' in dom
    assert dom.count('class="chart distribution"') >= 4
    assert dom.count('class="chart funnel"') >= 3
    assert dom.count('class="point"') > 100  # agents drawn as dots
    for heading in ("Scorecards by site and team", "Top credible gaps", "Targets in force",
                    "Open actions", "Composite signals"):
        assert heading in dom
    assert "efficiency" in dom and "customer experience" in dom and "quality" in dom


def test_the_report_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text)
    assert "@import" not in text and "fetch(" not in text


def test_a_script_error_is_caught(tmp_path):
    """Known-bad page: the console check sees a script error."""
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><html><body><script>notDefined();</script></body></html>")
    _, console = render(page, tmp_path / "profile")
    assert any("notDefined" in line for line in console)
