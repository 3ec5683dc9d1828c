#!/usr/bin/env python3
"""Binding overhead: `replytrack.parse_email` from Python against the same parse looped in Rust.

Both sides run the same compiled library on the same ~5 KB reply (tests/data/reply_5k.eml), in
the same process: the Rust side is a private hook (`_native._bench_parse_email`) that calls
`replytrack::provider::parse_provider` in a loop without making Python objects. Rounds alternate
between the two so that load from other processes hits both alike; the best and the median round
are reported.

Run it against a release build (what `pip install ./bindings/python` and test.sh install):

    bindings/python/.venv/bin/python bindings/python/bench.py [--rounds 9] [--iterations 20000]
"""

from __future__ import annotations

import argparse
import statistics
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--iterations", type=int, default=20_000)
    args = ap.parse_args()

    data = DATA.read_bytes()
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
