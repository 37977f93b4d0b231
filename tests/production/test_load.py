"""50 concurrent conversations through the production profile for minutes: nothing lost, doubled or failed.

Runs scripts/load_test.py (the same command as `make load`) against the test's
production stack. Duration: ``LOAD_TEST_SECONDS`` (default 180).
"""

from __future__ import annotations

import json
import os
import subprocess

from processes import BIN, ROOT


def test_fifty_concurrent_conversations_lose_nothing_and_duplicate_nothing(prod, tmp_path):
    report_path = tmp_path / "load.json"
    seconds = os.environ.get("LOAD_TEST_SECONDS", "180")
    completed = subprocess.run(
        [str(BIN / "python"), "scripts/load_test.py", "--url", prod.url, "--api-url", prod.api_url,
         "--desk-url", prod.desk_url, "--rasa-token", prod.env["RASA_TOKEN"],
         "--desk-token", prod.env["DESK_SERVICE_TOKEN"], "--rest-token", prod.env["REST_SERVICE_TOKEN"],
         "--conversations", "50", "--seconds", seconds, "--json", str(report_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=float(seconds) + 900,
    )
    print(completed.stdout[-3000:])
    assert report_path.exists(), completed.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["concurrent_conversations"] == 50
    assert report["seconds"] >= float(seconds)
    assert report["messages"] > 0 and report["conversations"] >= 50
    assert report["errors"] == 0, report["examples"]["errors"]
    assert report["lost_messages"] == 0, report["examples"]["lost"]
    assert report["duplicate_tickets"] == 0, report["examples"]["duplicates"]
    assert completed.returncode == 0
