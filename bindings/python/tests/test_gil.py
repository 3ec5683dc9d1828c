"""Heavy calls let other Python threads run while the Rust code works.

The check is about order, not time: with a huge switch interval the main thread never hands the
GIL over by itself, so a waiting thread can only run *during* the call if the call releases it.
"""

from __future__ import annotations

import sys
import threading

import replytrack as rt

TURNS = 1000
ATTEMPTS = 3


def turns_taken_by_another_thread_during(call) -> int:
    counter = [0]
    go = threading.Event()

    def other():
        go.wait()
        for _ in range(TURNS):
            counter[0] += 1

    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        t = threading.Thread(target=other)
        t.start()
        go.set()  # `other` now waits for the GIL, which this thread keeps…
        call()  # …unless the call releases it.
        seen = counter[0]
        t.join()
    finally:
        sys.setswitchinterval(old)
    return seen


def releases_the_gil(call) -> bool:
    """Whether another thread ran during `call`. A call that releases the GIL can still finish
    before the OS wakes the waiting thread on a loaded machine, so it gets a few attempts; a call
    that keeps the GIL never lets the other thread in (see the control test). One call first:
    first-time setup (importing the enum classes) may release the GIL on its own."""
    call()
    return any(turns_taken_by_another_thread_during(call) == TURNS for _ in range(ATTEMPTS))


def big_reply() -> str:
    return "Yes, that works.\n\nOn Mon, Paul wrote:\n" + "> quoted line of history\n" * 200_000


def test_a_pure_python_loop_keeps_the_gil_so_the_check_can_fail():
    def busy():
        total = 0
        for i in range(200_000):
            total += i

    assert turns_taken_by_another_thread_during(busy) == 0


def test_strip_text_releases_the_gil():
    text = big_reply()

    assert releases_the_gil(lambda: rt.strip_text(text))


def test_parse_email_releases_the_gil():
    raw = ("From: a@example.fr\r\nSubject: big\r\n\r\n" + "line of body text\r\n" * 400_000).encode()

    assert releases_the_gil(lambda: rt.parse_email(raw))


def test_extract_reply_and_html_to_text_release_the_gil():
    msg = rt.parse_email(("From: a@example.fr\r\n\r\n" + big_reply()).encode())
    html = "<div>Hello</div>" + "<blockquote><p>old text</p></blockquote>" * 100_000

    assert releases_the_gil(lambda: rt.extract_reply(msg))
    assert releases_the_gil(lambda: rt.html_to_text(html))
