"""The Python example runs as documented: one command, a real POST to itself, the reply printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "python" / "webhook_receiver.py"


def test_webhook_receiver_demo_prints_token_kind_and_reply():
    env = dict(os.environ, SENDGRID_BASIC_AUTH="sendgrid:demo-password")
    env.pop("REPLYTRACK_SECRET_HEX", None)

    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--demo"], capture_output=True, text=True, timeout=120, env=env
    )

    assert done.returncode == 0, done.stderr
    assert "(verified)" in done.stdout
    assert "kind:  reply" in done.stdout
    assert "Parfait pour 25 postes" in done.stdout
    assert "Voici notre proposition" not in done.stdout
    assert "HTTP 200" in done.stdout
