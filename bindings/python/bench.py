#!/usr/bin/env python3
"""Binding overhead: `replytrack.parse_email` from Python against the same parse looped in Rust.

Both sides run the same compiled library on the same ~5 KB reply (tests/data/reply_5k.eml), in
the same process: the Rust side is a private hook (`_native._bench_parse_email`) that calls
`replytrack::provider::parse_provider` in a loop without making Python objects. Rounds alternate
between the two so that load from other processes hits both alike; the best and the median round
are reported. On a shared machine the timings are noisy, so `--callgrind` also counts CPU
instructions under valgrind (repeatable whatever else runs): per-call instructions of each side,
after subtracting a run that makes no calls (interpreter start, imports).

Run it against a release build (what `pip install ./bindings/python` and test.sh install):

    bindings/python/.venv/bin/python bindings/python/bench.py [--rounds 9] [--iterations 20000]
    bindings/python/.venv/bin/python bindings/python/bench.py --callgrind [--iterations 1000]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import replytrack as rt
from replytrack import _native

DATA = Path(__file__).parent / "tests" / "data" / "reply_5k.eml"


def per_call_python(data: bytes, n: int) -> float:
    parse = rt.parse_email
    start = time.perf_counter()
    for _ in range(n):
        parse(data)
    return (time.perf_counter() - start) / n


def per_call_rust(data: bytes, n: int) -> float:
    return _native._bench_parse_email(data, "raw", None, n) / n


def instructions(only: str, n: int) -> int:
    """Instructions executed by this script making `n` calls one way, counted by callgrind."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--only",
            only,
            "--iterations",
            str(n),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found.group(1))


def callgrind(n: int) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--callgrind needs valgrind (apt-get install valgrind)")
    base = instructions("none", n)
    py = (instructions("python", n) - base) / n
    rs = (instructions("rust", n) - base) / n
    print(f"input: {DATA.name}, {len(DATA.read_bytes())} bytes; {n} calls under callgrind")
    print(f"{'Rust parse_provider':24}{rs:>12,.0f} instructions/call")
    print(f"{'Python parse_email':24}{py:>12,.0f} instructions/call")
    print(f"{'ratio Python / Rust':24}{py / rs:>11.3f}x")
    print(f"{'overhead per call':24}{py - rs:>12,.0f} instructions")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument(
        "--iterations", type=int, help="calls per round (default 20000; 1000 with --callgrind)"
    )
    ap.add_argument("--callgrind", action="store_true", help="count instructions with valgrind")
    ap.add_argument(
        "--only",
        choices=["python", "rust", "none"],
        help="make --iterations calls one way and print nothing (for valgrind --tool=callgrind)",
    )
    args = ap.parse_args()

    if args.callgrind:
        callgrind(args.iterations or 1_000)
        return
    args.iterations = args.iterations or 20_000
    data = DATA.read_bytes()
    if args.only is not None:
        if args.only == "python":
            per_call_python(data, args.iterations)
        elif args.only == "rust":
            per_call_rust(data, args.iterations)
        return

    msg = rt.parse_email(data)
    assert msg.subject and rt.extract_reply(msg).text, "the sample must parse"

    per_call_python(data, 2_000)  # warm up caches and the allocator
    per_call_rust(data, 2_000)
    py_rounds, rs_rounds = [], []
    for _ in range(args.rounds):
        rs_rounds.append(per_call_rust(data, args.iterations))
        py_rounds.append(per_call_python(data, args.iterations))

    def us(x: float) -> str:
        return f"{x * 1e6:.2f} µs"

    best_py, best_rs = min(py_rounds), min(rs_rounds)
    med_py, med_rs = statistics.median(py_rounds), statistics.median(rs_rounds)
    print(f"input: {DATA.name}, {len(data)} bytes; {args.rounds} rounds x {args.iterations} calls")
    print(f"{'':24}{'best':>12}{'median':>12}")
    print(f"{'Rust parse_provider':24}{us(best_rs):>12}{us(med_rs):>12}")
    print(f"{'Python parse_email':24}{us(best_py):>12}{us(med_py):>12}")
    print(f"{'ratio Python / Rust':24}{best_py / best_rs:>11.2f}x{med_py / med_rs:>11.2f}x")
    print(f"{'overhead per call':24}{us(best_py - best_rs):>12}{us(med_py - med_rs):>12}")


if __name__ == "__main__":
    main()
