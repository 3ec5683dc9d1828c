"""Python libraries for the comparison (benches/compare/run.sh).

Reads OUT/inputs.jsonl (written by rt-compare), runs the reply extractors on the same text body
and Python's `email` package on the raw .eml files, and writes OUT/python.json with every answer
and the timings (process CPU time, median of ROUNDS rounds over the whole set).

Usage: py_compare.py CORPUS_DIR OUT_DIR [ROUNDS]
"""

import email
import email.policy
import importlib.metadata
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")


def median_round(rounds, fn):
    fn()  # warm-up
    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def extractors():
    """(name, distribution, function text -> text) for every extractor that imports here."""
    out = []
    try:
        from email_reply_parser import EmailReplyParser

        out.append(("email-reply-parser (PyPI)", "email-reply-parser", EmailReplyParser.parse_reply))
    except ImportError as e:
        print(f"email-reply-parser unavailable: {e}", file=sys.stderr)
    try:
        from talon import quotations

        out.append(("talon", "talon", lambda t: quotations.extract_from_plain(t)))
        try:
            from talon.signature.bruteforce import extract_signature

            def talon_sig(t):
                text, _sig = extract_signature(quotations.extract_from_plain(t))
                return text

            out.append(("talon + bruteforce signature", "talon", talon_sig))
        except ImportError as e:
            print(f"talon signature unavailable: {e}", file=sys.stderr)
    except ImportError as e:
        print(f"talon unavailable: {e}", file=sys.stderr)
    return out


def talon_ml_status():
    """talon's machine-learning signature extractor needs talon.init(); say whether it loads."""
    try:
        import talon
        from talon import signature  # noqa: F401 - importing it is the check

        talon.init()
        return "ok"
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        return f"{type(e).__name__}: {e}"


def parse_stdlib(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return msg


def stdlib_fields(raw):
    msg = parse_stdlib(raw)
    out = {"from": None, "subject": None, "text": None, "error": None}
    try:
        addrs = msg["From"].addresses if msg["From"] is not None else ()
        out["from"] = addrs[0].addr_spec if addrs else None
    except Exception as e:  # noqa: BLE001 - a library failure is a result
        out["error"] = f"from: {e}"
    try:
        out["subject"] = str(msg["Subject"]) if msg["Subject"] is not None else None
    except Exception as e:  # noqa: BLE001
        out["error"] = f"subject: {e}"
    try:
        part = msg.get_body(preferencelist=("plain",))
        out["text"] = part.get_content() if part is not None else None
    except Exception as e:  # noqa: BLE001
        out["error"] = f"body: {e}"
    return out


def main():
    corpus, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    cases = [json.loads(line) for line in (out_dir / "inputs.jsonl").open(encoding="utf-8")]
    scored = [c for c in cases if c.get("expected_reply") is not None]
    report = {"python": sys.version.split()[0], "extract": {}, "mime": {}}

    for name, dist, fn in extractors():
        answers = {}
        errors = 0
        for c in scored:
            try:
                answers[c["name"]] = fn(c["text"])
            except Exception as e:  # noqa: BLE001 - counted as a wrong answer
                answers[c["name"]] = None
                errors += 1
                print(f"{name} failed on {c['name']}: {e}", file=sys.stderr)

        def run_all(fn=fn):
            for c in scored:
                try:
                    fn(c["text"])
                except Exception:  # noqa: BLE001
                    pass

        secs = median_round(rounds, run_all)
        report["extract"][name] = {
            "version": version(dist),
            "answers": answers,
            "errors": errors,
            "timing": {"messages": len(scored), "seconds": secs, "rounds": rounds},
        }
        print(f"{name}: {len(scored) / secs:.0f} msgs/s", file=sys.stderr)
    report["talon_ml"] = talon_ml_status()

    # talon on the HTML part when there is one (its answer is HTML, rendered as text for scoring
    # by `rt-compare html-to-text`), on the text body otherwise.
    try:
        from talon import quotations

        name = "talon, HTML part when present"
        texts, htmls, errors = {}, {}, 0
        for c in scored:
            try:
                if c.get("html"):
                    htmls[c["name"]] = quotations.extract_from_html(c["html"])
                else:
                    texts[c["name"]] = quotations.extract_from_plain(c["text"])
            except Exception as e:  # noqa: BLE001 - counted as a wrong answer
                errors += 1
                print(f"{name} failed on {c['name']}: {e}", file=sys.stderr)

        def run_html():
            for c in scored:
                try:
                    if c.get("html"):
                        quotations.extract_from_html(c["html"])
                    else:
                        quotations.extract_from_plain(c["text"])
                except Exception:  # noqa: BLE001
                    pass

        secs = median_round(rounds, run_html)
        report["extract"][name] = {
            "version": version("talon"),
            "input": "HTML part, else text body",
            "answers": texts,
            "html_answers": htmls,
            "errors": errors,
            "timing": {"messages": len(scored), "seconds": secs, "rounds": rounds},
        }
        print(f"{name}: {len(scored) / secs:.0f} msgs/s", file=sys.stderr)
    except ImportError:
        pass

    raws = [(c["name"], (corpus / (c["name"] + ".eml")).read_bytes()) for c in cases]
    answers = {}
    for n, raw in raws:
        try:
            answers[n] = stdlib_fields(raw)
        except Exception as e:  # noqa: BLE001
            answers[n] = {"error": str(e)}

    def parse_all():
        for _n, raw in raws:
            stdlib_fields(raw)

    secs = median_round(rounds, parse_all)
    report["mime"]["email (stdlib, policy=default)"] = {
        "version": f"Python {sys.version.split()[0]}",
        "answers": answers,
        "timing": {"messages": len(raws), "seconds": secs, "rounds": rounds},
    }
    print(f"email stdlib: {len(raws) / secs:.0f} msgs/s", file=sys.stderr)
    (out_dir / "python.json").write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    main()
