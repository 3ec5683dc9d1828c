"""Scores every library's answers and prints the comparison tables (Markdown).

Reads OUT/inputs.jsonl, OUT/replytrack.json, OUT/python.json and OUT/node.json (the last two are
optional) and the corpus tags from CORPUS_DIR/NAME.json.

Usage: score.py CORPUS_DIR OUT_DIR

Scores (see benches/README.md, "Comparison with other libraries"):

- exact: the extracted text equals the expected `reply_text` after the corpus normalisation (CRLF
  to LF, trailing whitespace cut from each line, leading and trailing blank lines dropped, runs of
  blank lines collapsed): the rule of core/tests/corpus.rs.
- kept: every non-blank line of the expected reply is in the output, in order (lines compared with
  their whitespace collapsed), and no probe line of the quoted history is in the output. Probes,
  taken from the input body and never a line of the expected reply: every line starting with `>`;
  the line right above each run of `>` lines, with no blank line between (the attribution); and, when the case has quoted
  history, the body's last line if the body starts with the reply (the end of the quote, header
  block or forwarded message), or the body's first line if it does not (bottom-posting: the start
  of the quote). Other extra lines are forgiven, so a signature block left in does not fail this
  score; a sign-off or name that was cut does (they are reply text by the corpus conventions).
- quote cut: no probe line is in the output and the expected reply's first line is (any output
  passes when the expected reply is empty). This isolates finding where the quote starts from the
  signature and sign-off conventions.
"""

import json
import re
import sys
from pathlib import Path

LANGS = {"en", "fr", "es", "pt", "de", "it", "nl", "pl", "sv", "da", "no", "ru", "ja"}


def normalise(text):
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line == "" and (not lines or lines[-1] == ""):
            continue
        lines.append(line)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def squash(line):
    return re.sub(r"\s+", " ", line).strip()


def content_lines(text):
    return [squash(line) for line in normalise(text).split("\n") if squash(line)]


def exact(expected, actual):
    return actual is not None and normalise(expected) == normalise(actual)


def probes(case, want):
    """Lines of the quoted history that must not survive (see the module docs)."""
    want_set = set(want)
    body = content_lines(case["text"])
    found = set()
    raw = [squash(line) for line in normalise(case["text"]).split("\n")]
    for k, line in enumerate(raw):
        if line.startswith(">") and line not in want_set:
            found.add(line)
        # The attribution: the line right above a run of quoted lines, with no blank between.
        above = raw[k - 1] if k > 0 else ""
        if line.startswith(">") and above and not above.startswith(">") and above not in want_set:
            found.add(above)
    if body and case.get("quoted_present"):
        if not want or body[0] in want_set:
            # The reply comes first: the quote (or forwarded message) ends the body.
            if body[-1] not in want_set:
                found.add(body[-1])
        else:
            # The quote comes first (bottom-posting): its first line starts the body.
            found.add(body[0])
    return found


def kept(case, actual):
    """Every expected line, in order, and no probe line of the quoted history."""
    if actual is None:
        return False
    want = content_lines(case["expected_reply"])
    got = content_lines(actual)
    i = 0
    for line in got:
        if i < len(want) and line == want[i]:
            i += 1
    return i == len(want) and not probes(case, want).intersection(got)


def quote_cut(case, actual):
    """No probe line of the quoted history, and the reply's first line is there."""
    if actual is None:
        return False
    want = content_lines(case["expected_reply"])
    got = content_lines(actual)
    if want and want[0] not in got:
        return False
    return not probes(case, want).intersection(got)


def pct(n, d):
    return f"{100.0 * n / d:.1f} %" if d else "—"


def rate(timing):
    secs = timing["seconds"]
    return f"{timing['messages'] / secs:,.0f}".replace(",", " ") if secs > 0 else "—"


def load(path):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def gather(out):
    """Writes OUT/html_answers.json: every library's HTML answers, for `rt-compare html-to-text`."""
    found = {}
    for side in ("python.json", "node.json"):
        report = load(out / side) or {"extract": {}}
        for name, r in report["extract"].items():
            if "html_answers" in r:
                found[name] = r["html_answers"]
    (out / "html_answers.json").write_text(json.dumps(found), encoding="utf-8")


def main():
    if sys.argv[1] == "gather":
        gather(Path(sys.argv[2]))
        return
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    cases = [json.loads(line) for line in (out / "inputs.jsonl").open(encoding="utf-8")]
    for c in cases:
        meta = json.loads((corpus / (c["name"] + ".json")).read_text(encoding="utf-8"))
        c["tags"] = meta.get("tags", [])
    scored = [c for c in cases if c.get("expected_reply") is not None]
    rt = load(out / "replytrack.json")
    py = load(out / "python.json") or {"extract": {}, "mime": {}}
    node = load(out / "node.json") or {"extract": {}, "mime": {}}
    rt_answers = {a["name"]: a for a in rt["answers"]}

    rows = [
        (
            f"replytrack {rt['version']} `extract(&msg)`",
            "parsed message (may read the HTML part)",
            {n: a["extract"] for n, a in rt_answers.items()},
            rt["timing"]["extract"],
            0,
        ),
        (
            f"replytrack {rt['version']} `extract_text`",
            "text body",
            {n: a["extract_text"] for n, a in rt_answers.items()},
            rt["timing"]["extract_text"],
            0,
        ),
    ]
    rendered = load(out / "html_text.json") or {}
    for name, r in list(py["extract"].items()) + list(node["extract"].items()):
        answers = dict(r["answers"])
        if "html_answers" in r:
            answers.update(rendered.get(name, {}))
        inp = r.get("input", "text body")
        rows.append((f"{name} {r['version']}", inp, answers, r["timing"], r["errors"]))

    groups = [
        ("English", lambda c: "en" in c["tags"]),
        ("other languages", lambda c: "en" not in c["tags"] and LANGS.intersection(c["tags"])),
        ("HTML-only messages", lambda c: c["text_from_html"]),
    ]
    sizes = [sum(1 for c in scored if g(c)) for _, g in groups]
    print(f"### Reply extraction ({len(scored)} messages with an expected reply)\n")
    head = "| library | input | exact | kept reply, no quote | quote cut |"
    head += "".join(f" exact: {g} ({n}) |" for (g, _), n in zip(groups, sizes))
    head += " messages/s (CPU) |"
    print(head)
    print("|" + "---|" * (6 + len(groups)))
    for label, inp, answers, timing, errors in rows:
        ex = sum(1 for c in scored if exact(c["expected_reply"], answers.get(c["name"])))
        kp = sum(1 for c in scored if kept(c, answers.get(c["name"])))
        qc = sum(1 for c in scored if quote_cut(c, answers.get(c["name"])))
        cells = [label, inp, pct(ex, len(scored)), pct(kp, len(scored)), pct(qc, len(scored))]
        for (_, g), n in zip(groups, sizes):
            sub = [c for c in scored if g(c)]
            cells.append(pct(sum(1 for c in sub if exact(c["expected_reply"], answers.get(c["name"]))), n))
        cells.append(rate(timing) + (f" ({errors} errors)" if errors else ""))
        print("| " + " | ".join(cells) + " |")
    if py.get("talon_ml") and py["talon_ml"] != "ok":
        why = re.sub(r" \(/[^)]*\)", "", py["talon_ml"]).replace("|", "\\|")
        na = f"not run: `{why}` (see below)"
        print(f"| talon, machine-learning signature (`talon.signature`) | text body | {na} |" + " |" * (3 + len(groups)))

    print(f"\n### MIME parsing ({len(cases)} messages)\n")
    print("| parser | From = expected | Subject = expected | text body = replytrack's | text body holds the expected reply | messages/s (CPU) |")
    print("|---|---|---|---|---|---|")
    with_from = [c for c in cases if c.get("expected_from") is not None]
    with_subject = [c for c in cases if c.get("expected_subject") is not None]
    # Messages with a text/plain part and an expected reply: the decoded body must hold every line.
    with_text = [c for c in scored if not c["text_from_html"] and c["text"]]
    parsers = [(f"replytrack {rt['version']} `InboundMessage::parse`", rt_answers, rt["timing"]["parse"])]
    for name, r in list(py["mime"].items()) + list(node["mime"].items()):
        parsers.append((f"{name} {r['version']}", r["answers"], r["timing"]))
    for label, answers, timing in parsers:
        def get(c, field, answers=answers):
            a = answers.get(c["name"]) or {}
            return a.get(field)

        f_ok = sum(1 for c in with_from if (get(c, "from") or "").lower() == c["expected_from"].lower())
        s_ok = sum(1 for c in with_subject if get(c, "subject") == c["expected_subject"])
        agree = sum(
            1 for c in with_text if normalise(get(c, "text")) == normalise(rt_answers[c["name"]]["text"])
        )
        holds = 0
        for c in with_text:
            body = set(content_lines(get(c, "text") or ""))
            if all(line in body for line in content_lines(c["expected_reply"])):
                holds += 1
        print(
            f"| {label} | {pct(f_ok, len(with_from))} | {pct(s_ok, len(with_subject))} | "
            f"{pct(agree, len(with_text))} | {pct(holds, len(with_text))} | {rate(timing)} |"
        )
    print(
        f"\nFrom checked on {len(with_from)} messages, Subject on {len(with_subject)}, the text body on "
        f"the {len(with_text)} messages with a text/plain part and an expected reply."
    )


if __name__ == "__main__":
    main()
