"""Checks of the comparison's scoring rules: `python3 -m unittest benches/compare/test_score.py`.

Needs nothing but the standard library (no corpus run, no other library installed).
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import score  # noqa: E402 - after the path set-up

TOP_POSTED = """Hi Sarah,

Thursday works.

Thanks,
Alex

Alex Brown
Head of Ops, Acme

On Mon, Mar 3, 2025 at 10:12 AM Sarah <sarah@example.com> wrote:
> Hi Alex,
> Can we meet?
> Sarah
"""

BOTTOM_POSTED = """Am 03.03.25 um 10:12 schrieb Jonas:
> Passt Freitag?

Ja, Freitag passt.

Lena
"""

OUTLOOK = """Hello,

Yes please.

Marek

From: Sarah <sarah@example.com>
Sent: Monday, March 3, 2025 10:12
Subject: Demo

Hi Marek,
Shall we?
Sarah from Kalendo
"""


def case(text, expected, quoted=True):
    return {"text": text, "expected_reply": expected, "quoted_present": quoted}


class NormaliseTest(unittest.TestCase):
    def test_the_corpus_rule(self):
        self.assertEqual(score.normalise("\r\n\nA  \r\n\n\n\nB\n\n"), "A\n\nB")

    def test_exact_ignores_trailing_space_and_blank_runs(self):
        self.assertTrue(score.exact("A\n\nB", "A   \n\n\n\nB\n"))
        self.assertFalse(score.exact("A\n\nB", "A\nB"))
        self.assertFalse(score.exact("A", None))


class KeptTest(unittest.TestCase):
    expected = "Hi Sarah,\n\nThursday works.\n\nThanks,\nAlex"

    def test_a_signature_left_in_is_forgiven(self):
        out = "Hi Sarah,\n\nThursday works.\n\nThanks,\nAlex\n\nAlex Brown\nHead of Ops, Acme"
        self.assertTrue(score.kept(case(TOP_POSTED, self.expected), out))
        self.assertFalse(score.exact(self.expected, out))

    def test_the_attribution_left_in_fails(self):
        out = self.expected + "\n\nOn Mon, Mar 3, 2025 at 10:12 AM Sarah <sarah@example.com> wrote:"
        self.assertFalse(score.kept(case(TOP_POSTED, self.expected), out))
        self.assertFalse(score.quote_cut(case(TOP_POSTED, self.expected), out))

    def test_a_quoted_line_left_in_fails(self):
        out = self.expected + "\n> Can we meet?"
        self.assertFalse(score.kept(case(TOP_POSTED, self.expected), out))

    def test_a_cut_sign_off_fails_kept_but_not_quote_cut(self):
        out = "Hi Sarah,\n\nThursday works."
        self.assertFalse(score.kept(case(TOP_POSTED, self.expected), out))
        self.assertTrue(score.quote_cut(case(TOP_POSTED, self.expected), out))

    def test_lines_out_of_order_fail(self):
        out = "Thursday works.\nHi Sarah,\nThanks,\nAlex"
        self.assertFalse(score.kept(case(TOP_POSTED, self.expected), out))

    def test_the_end_of_an_unmarked_quote_is_a_probe(self):
        expected = "Hello,\n\nYes please.\n\nMarek"
        self.assertTrue(score.kept(case(OUTLOOK, expected), expected))
        self.assertFalse(score.kept(case(OUTLOOK, expected), OUTLOOK))
        # Without quoted history the last line is not a probe (it is a signature at most).
        self.assertTrue(score.kept(case(OUTLOOK, expected, quoted=False), OUTLOOK))

    def test_bottom_posting_probes_the_first_line(self):
        expected = "Ja, Freitag passt.\n\nLena"
        self.assertTrue(score.kept(case(BOTTOM_POSTED, expected), expected))
        self.assertFalse(score.kept(case(BOTTOM_POSTED, expected), BOTTOM_POSTED))

    def test_a_footer_above_a_quote_is_not_an_attribution(self):
        text = "Fine by me.\n\nSent from my iPhone\n\n> On 3 Mar, Sarah wrote:\n> Hi"
        out = "Fine by me.\n\nSent from my iPhone"
        self.assertTrue(score.kept(case(text, "Fine by me."), out))

    def test_an_expected_empty_reply(self):
        text = "> On 3 Mar, Sarah wrote:\n> Hi\n> Sarah"
        self.assertTrue(score.kept(case(text, ""), ""))
        self.assertTrue(score.quote_cut(case(text, ""), ""))
        self.assertFalse(score.kept(case(text, ""), text))

    def test_no_answer_fails(self):
        self.assertFalse(score.kept(case(TOP_POSTED, self.expected), None))
        self.assertFalse(score.quote_cut(case(TOP_POSTED, self.expected), None))


if __name__ == "__main__":
    unittest.main()
