"""The HTML report in a real headless Chromium: its charts are drawn, nothing fails.

Skipped where no Chromium is found (``.ci/run`` installs the OS package, and
sets ITILKIT_REQUIRE_BROWSER=1 so that a missing browser fails there instead).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from itilkit.cli import main
from itilkit.cli._demo import PRACTICE, week
from itilkit.cli._store import save_tickets
from tests.cli.browser import Chromium, find_chromium
from tests.reports.files import hpsm_exports, servicenow_log

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
UCI = SHARED / "uci_incident_event_log" / "incident_event_log.csv.xz"
BPI = SHARED / "bpi_challenge_2014"

#: For every chart: its size as laid out, and how many marks (bars, lines, dots) it has.
CHARTS = """
[...document.querySelectorAll('svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  return {title: svg.querySelector('title').textContent, width: box.width,
          height: box.height, marks: svg.querySelectorAll('rect, polyline, circle').length,
          texts: svg.querySelectorAll('text').length};
})
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    executable = find_chromium()
    if executable is None:
        if os.environ.get("ITILKIT_REQUIRE_BROWSER"):
            pytest.fail("ITILKIT_REQUIRE_BROWSER is set but no Chromium was found")
        pytest.skip(
            "no headless Chromium here (/usr/bin/chromium, or ITILKIT_CHROMIUM): "
            "apt-get install chromium, as .ci/run does"
        )
    with Chromium(executable) as chromium:
        yield chromium


def _charts_in_a_browser(browser: Chromium, page: Path) -> list[dict[str, object]]:
    """Open ``page``; check it raised nothing and fetched nothing; return its charts."""
    browser.events.clear()
    browser.open(page)
    assert browser.errors() == []
    assert browser.requests() == [page.resolve().as_uri()]
    charts: list[dict[str, object]] = browser.evaluate(CHARTS)
    assert charts
    for chart in charts:
        assert chart["width"] > 100, chart  # type: ignore[operator]
        assert chart["height"] > 50, chart  # type: ignore[operator]
        assert chart["marks"] > 1, chart  # type: ignore[operator]
        assert chart["texts"] > 3, chart  # type: ignore[operator]
    assert browser.evaluate("document.title").startswith("itilkit report")
    return charts


def _html(tmp_path: Path, *files: Path, options: tuple[str, ...] = ()) -> Path:
    page = tmp_path / "report.html"
    assert main(["report", *map(str, files), "--html", "-o", str(page), *options]) == 0
    return page


def test_small_servicenow_report_renders(browser: Chromium, tmp_path: Path) -> None:
    """Every chart of a ServiceNow report is laid out with size, axes and marks."""
    charts = _charts_in_a_browser(browser, _html(tmp_path, servicenow_log(tmp_path)))
    titles = [c["title"] for c in charts]
    assert "Time to resolve by priority" in titles
    assert "SLA compliance by priority" in titles
    assert "Backlog per day" in titles
    assert "Tickets by verdict" in titles


def test_small_hpsm_report_renders(browser: Chromium, tmp_path: Path) -> None:
    """The HP SM report's charts, interactions and changes included."""
    page = _html(tmp_path, *hpsm_exports(tmp_path), options=("--tz", "Europe/Amsterdam"))
    titles = [c["title"] for c in _charts_in_a_browser(browser, page)]
    assert "First-contact resolution by priority" in titles
    assert "Changes implemented by their planned end, and emergency changes" in titles


@pytest.mark.skipif(not UCI.exists(), reason="the UCI incident log is not in ../shared/data")
def test_uci_report_renders(browser: Chromium, tmp_path: Path) -> None:
    """The full UCI log's report: the busiest-groups and monthly charts too."""
    titles = [c["title"] for c in _charts_in_a_browser(browser, _html(tmp_path, UCI))]
    assert "SLA compliance of the 15 busiest groups" in titles
    assert "SLA compliance by month opened" in titles


@pytest.mark.skipif(not BPI.exists(), reason="BPI Challenge 2014 is not in ../shared/data")
def test_bpi_report_renders(browser: Chromium, tmp_path: Path) -> None:
    """The three BPI 2014 exports' report."""
    files = [BPI / f"Detail_{kind}.csv.xz" for kind in ("Incident", "Interaction", "Change")]
    page = _html(tmp_path, *files, options=("--tz", "Europe/Amsterdam"))
    assert len(_charts_in_a_browser(browser, page)) >= 7


def test_the_checks_catch_a_broken_page(browser: Chromium, tmp_path: Path) -> None:
    """A page with a failing script, a fetch and an empty chart fails each check."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><title>x</title><svg width='0' height='0'><title>t</title></svg>"
        "<img src='http://127.0.0.1:9/x.png'><script>throw new Error('boom')</script>"
    )
    browser.events.clear()
    browser.open(page)
    assert any("boom" in e for e in browser.errors())
    assert "http://127.0.0.1:9/x.png" in browser.requests()
    assert browser.evaluate(CHARTS)[0]["width"] == 0


def test_a_store_report_renders(browser: Chromium, tmp_path: Path) -> None:
    """The report of the demo's week saved to a store: incidents, SLA, backlog, changes."""
    store = tmp_path / "week.sqlite"
    incidents, changes, requests = week()
    save_tickets(store, [*incidents, *changes, *requests], practices=(PRACTICE,))
    page = _html(tmp_path, store, options=("--calendar", "docs/examples/office-hours.toml"))
    titles = [c["title"] for c in _charts_in_a_browser(browser, page)]
    assert "Time to resolve by priority" in titles
    assert "SLA compliance by priority" in titles
    assert "Successful changes, and emergency changes" in titles
    assert browser.evaluate("document.title") == "itilkit report: tickets of a store"
