"""The Python example runs as documented: one command, a real POST to itself, the reply printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "python" / "webhook_receiver.py"


def test_webhook_receiver_demo_ingests_into_sqlite_and_prints_the_analysis():
    env = dict(os.environ, SENDGRID_BASIC_AUTH="sendgrid:demo-password")
    env.pop("REPLYTRACK_SECRET_HEX", None)

    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--demo"], capture_output=True, text=True, timeout=120, env=env
    )

    assert done.returncode == 0, done.stderr
    assert "store: sqlite:" in done.stdout
    assert "outcome:  stored in cnv_" in done.stdout
    assert "Parfait pour 25 postes" in done.stdout
    assert "analysis: " in done.stdout and "opportunity " in done.stdout
    assert "Voici notre proposition" not in done.stdout
    assert "HTTP 200" in done.stdout
