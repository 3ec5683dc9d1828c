"""Independent sanity check of the generated corpus with Python's own email parser.

For every case: the message parses; each line of the expected reply_text is found in the decoded
text (text/plain with format=flowed undone, else the HTML with tags stripped); JSON keys are known;
the token is well formed.
"""

import email
import email.policy
import glob
import html
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
KEYS = {"kind", "token", "token_source", "from", "subject", "reply_text", "quoted_present",
        "signature_present", "lang", "attachments", "mailing_list", "bounce_hard",
        "failed_recipients", "only_quote", "tags"}
ALPHA = set("0123456789abcdefghjkmnpqrstvwxyz")


def unflow(text, delsp=False):
    out = []
    buf = None
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]
        soft = content.endswith(" ") and content != "-- "
        if soft and delsp:
            content = content[:-1]
        if buf is None:
            buf = (depth, content)
        else:
            buf = (buf[0], buf[1] + content)
        if not soft:
            d, c = buf
            out.append((">" * d + " " + c) if d else c)
            buf = None
    if buf:
        d, c = buf
        out.append((">" * d + " " + c) if d else c)
    return "\n".join(out)


def decode(part):
    raw = part.get_payload(decode=True) or b""
    cs = part.get_content_charset() or "us-ascii"
    try:
        return raw.decode(cs)
    except (UnicodeDecodeError, LookupError):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("cp1252")


def strip_html(h):
    h = re.sub(r"(?is)<(style|head)[^>]*>.*?</\1>", "", h)
    h = re.sub(r"(?i)<blockquote[^>]*>", "\n> ", h)
    h = re.sub(r"(?i)<(br|/div|/p|div|p)[^>]*>", "\n", h)
    h = re.sub(r"<[^>]+>", "", h)
    return html.unescape(h).replace("\xa0", " ")


def texts(msg):
    plain, htmls = [], []
    for part in msg.walk():
        if part.get_content_maintype() == "multipart" or part.get_content_type() == "message/rfc822":
            continue
        if part.get_filename() or part.get("Content-Disposition", "").startswith("attachment"):
            continue
        ct = part.get_content_type()
        if ct == "text/plain":
            t = decode(part).replace("\r\n", "\n")
            if part.get_param("format") == "flowed":
                t = unflow(t, (part.get_param("delsp") or "").lower() == "yes")
            plain.append(t)
        elif ct == "text/html":
            htmls.append(strip_html(decode(part)))
    return plain, htmls


def norm(s):
    return re.sub(r"\s+", " ", s.replace("\ufeff", "")).strip()


def main():
    bad = 0
    files = sorted(glob.glob(os.path.join(ROOT, "**", "*.eml"), recursive=True))
    for f in files:
        rel = os.path.relpath(f, ROOT)
        j = f[:-4] + ".json"
        if not os.path.exists(j):
            print(f"{rel}: no .json"); bad += 1; continue
        exp = json.load(open(j, encoding="utf-8"))
        unknown = set(exp) - KEYS
        if unknown:
            print(f"{rel}: unknown keys {unknown}"); bad += 1
        tok = exp.get("token")
        if tok is not None and (len(tok) != 16 or set(tok) - ALPHA):
            print(f"{rel}: malformed token {tok}"); bad += 1
        data = open(f, "rb").read()
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        head = data.split(b"\r\n\r\n" if b"\r\n\r\n" in data[:data.find(b"\n\n") + 2] else b"\n\n", 1)[0]
        ms = re.search(rb"(?mi)^Subject:[ \t]?(.*(?:\r?\n[ \t].*)*)", head)
        raw_subj = re.sub(r"\r?\n", "", ms.group(1).decode("utf-8")) if ms else ""
        subj = str(email.header.make_header(email.header.decode_header(raw_subj))).replace("\n", "").replace("\r", "")
        if "subject" in exp and norm(subj) != norm(exp["subject"]):
            print(f"{rel}: subject {subj!r} != {exp['subject']!r}"); bad += 1
        if "reply_text" in exp:
            plain, htmls = texts(msg)
            hay = [norm(t) for t in (plain or htmls)]
            for line in exp["reply_text"].split("\n"):
                l = norm(line)
                if l and not any(l in h for h in hay):
                    print(f"{rel}: line not found in body: {line!r}"); bad += 1
                    break
            if htmls and plain:
                # the HTML alternative must carry the same words
                for line in exp["reply_text"].split("\n"):
                    l = norm(line) if not line.startswith((">", "[image:")) else ""
                    if l and not any(l in norm(h) for h in htmls):
                        print(f"{rel}: line not in HTML part: {line!r}"); bad += 1
                        break
    print(f"checked {len(files)} files, {bad} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
