"""A corpus case: headers + body + what we expect, written as NAME.eml and NAME.json."""

import json
import os
import re

from clients import Body
from mime import Binary, Multi, Raw, Text, mailbox, render_message, seeded, subject_header

REPLY_DOMAIN = "reply.example.com"
ALPHA = "0123456789abcdefghjkmnpqrstvwxyz"
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))

CASES = []
DROP = object()  # in `expect`: do not check this field


def token(seed):
    """A deterministic 16-character token for a case."""
    return seeded("tok:" + seed, 16, ALPHA)


def raddr(tok, upper=False, upper_domain=False):
    local = f"reply+{tok}"
    dom = REPLY_DOMAIN.upper() if upper_domain else REPLY_DOMAIN
    return f"{local.upper() if upper else local}@{dom}"


# ---------------------------------------------------------------------------------------------
# The reference scan (the order the spec gives): what `address::scan` must find.

_ADDR = re.compile(r"^reply\+([^@]+)@reply\.example\.com$", re.I)


def token_of_addr(addr):
    m = _ADDR.match(addr.strip().strip("<>"))
    if not m:
        return None
    t = m.group(1).lower()
    if len(t) == 16 and all(c in ALPHA for c in t):
        return t
    return None


def token_of_id(mid):
    local, _, dom = mid.strip("<>").partition("@")
    if dom.lower() != REPLY_DOMAIN:
        return None
    t = local.split(".")[0].lower()
    if len(t) == 16 and all(c in ALPHA for c in t):
        return t
    return None


def reference_scan(delivered_to, x_original_to, x_forwarded_to, envelope_to, to, cc, refs):
    for source, addrs in (
        ("delivered_to", delivered_to),
        ("x_original_to", x_original_to),
        ("x_forwarded_to", x_forwarded_to),
        ("envelope_to", envelope_to),
        ("to", to),
        ("cc", cc),
    ):
        for a in addrs:
            t = token_of_addr(a)
            if t:
                return t, source
    for mid in refs:
        t = token_of_id(mid)
        if t:
            return t, "references"
    return None, "none"


# ---------------------------------------------------------------------------------------------


def _mb(x):
    """(name, addr) or addr → (name|None, addr)."""
    if isinstance(x, tuple):
        return x
    return (None, x)


def sending_host(seed, domain):
    """A plausible name for the host that handed the message to our MX."""
    n = seeded(seed, 2, "0123456789")
    if domain in ("gmail.com", "googlemail.com"):
        return f"mail-wr1-f{n}.google.com"
    if domain.startswith(("outlook.", "hotmail.")) or domain.endswith(".onmicrosoft.com"):
        return f"mail-db8eur05olkn20{n}.outbound.protection.outlook.com"
    if domain in ("icloud.com", "me.com", "mac.com"):
        return f"qs51p00im-qukt010723{n}.me.com"
    if domain.startswith("yahoo."):
        return f"sonic3{n}-21.consmr.mail.ir2.yahoo.com"
    if domain.split(".")[0] in ("mail", "mx", "mx1", "smtp", "mailer"):
        return domain
    return f"mail.{domain}"


def count_attachments(node):
    if isinstance(node, Multi):
        return sum(count_attachments(p) for p in node.parts)
    if isinstance(node, Binary):
        return 1
    if isinstance(node, Text) and node.disposition == "attachment":
        return 1
    return 0


def leaves(node):
    if isinstance(node, Multi):
        for p in node.parts:
            yield from leaves(p)
    else:
        yield node


def words(text):
    return len(text.split())


def case(
    path,
    body,
    *,
    frm,
    to,
    subject,
    when,
    lang=None,
    kind="reply",
    cc=(),
    tags=(),
    orig=None,
    in_reply_to=None,
    references=None,
    refs_sep=" ",
    delivered_to=(),
    x_original_to=(),
    x_forwarded_to=(),
    envelope_to=(),
    return_path=None,
    received=None,
    extra=(),
    top_extra=(),
    crlf=False,
    subject_style="B",
    subject_charset="utf-8",
    name_charset="utf-8",
    name_enc="B",
    reply_text=None,
    expect_token=None,
    expect_source=None,
    expect=None,
    attachments=(),
    mixed_boundary=None,
    order="default",
    to_raw=None,
    msgid=None,
    reply_to=None,
    check_reply=True,
    subject_raw=None,
):
    """Register one case. `body` is a clients.Body, or a (node, meta) for non-reply kinds."""
    if any(c["path"] == path for c in CASES):
        raise ValueError(f"duplicate case {path}")
    frm = _mb(frm)
    to = [_mb(x) for x in to]
    cc = [_mb(x) for x in cc]
    node = body.node
    if attachments:
        node = Multi("mixed", [node] + list(attachments), mixed_boundary or ("mix_" + seeded(path, 20)))
    if orig is not None:
        if in_reply_to is None:
            in_reply_to = [orig.msgid]
        if references is None:
            references = [orig.msgid]
    in_reply_to = in_reply_to or []
    references = references or []
    mid = msgid or body.msgid or f"{seeded(path, 20)}@{frm[1].split('@')[1]}"

    # Headers
    hs = list(top_extra)
    hs.append(("Return-Path", return_path if return_path is not None else f"<{frm[1]}>"))
    for a in delivered_to:
        hs.append(("Delivered-To", a))
    for a in x_original_to:
        hs.append(("X-Original-To", a))
    for a in envelope_to:
        hs.append(("Envelope-to", a))
    for a in x_forwarded_to:
        hs.append(("X-Forwarded-To", a))
    if received is None:
        rcpt = next((a for _, a in to + cc if token_of_addr(a)), (to[0][1] if to else "inbound@example.com"))
        host = sending_host(path, frm[1].split("@")[1].lower())
        received = [
            f"from {host} ({host} [203.0.113.{int(seeded(path, 2, '0123456789')) + 10}])\n"
            f"\tby mx1.reply.example.com (Postfix) with ESMTPS id {seeded(path, 12, '0123456789ABCDEF')}\n"
            f"\tfor <{rcpt}>; {when.plus(0).rfc()}"
        ]
    for r in received:
        hs.append(("Received", r))
    from_h = ("From", mailbox(frm[0], frm[1], name_charset, name_enc))
    to_h = ("To", to_raw if to_raw is not None else ",\n ".join(mailbox(n, a, name_charset, name_enc) for n, a in to))
    cc_h = ("Cc", ",\n ".join(mailbox(n, a, name_charset, name_enc) for n, a in cc)) if cc else None
    subj_h = ("Subject", subject_raw if subject_raw is not None else subject_header(subject, subject_style, subject_charset))
    date_h = ("Date", when.rfc())
    mid_h = ("Message-ID", f"<{mid}>")
    irt_h = ("In-Reply-To", " ".join(f"<{m}>" for m in in_reply_to)) if in_reply_to else None
    ref_h = (
        ("References", (refs_sep + ("\n " if refs_sep == " " and len(references) > 2 else "")).join(f"<{m}>" for m in references))
        if references
        else None
    )
    rt_h = ("Reply-To", mailbox(*_mb(reply_to))) if reply_to else None
    if order == "gmail":
        seq = [("MIME-Version", "1.0"), ref_h, irt_h, from_h, date_h, mid_h, subj_h, to_h, cc_h, rt_h]
    elif order == "outlook":
        seq = [from_h, to_h, cc_h, subj_h, ("Thread-Topic", subject_header(re.sub(r"^(RE|AW|SV|R|TR|WG|Odp|Re) ?: ", "", subject), subject_style, subject_charset)),
               ("Thread-Index", "AQHb" + seeded(path, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")),
               date_h, mid_h, ref_h, irt_h, rt_h, ("Accept-Language", "en-US"), ("X-MS-Has-Attach", "yes" if attachments else ""),
               ("X-MS-TNEF-Correlator", "")]
    else:
        seq = [from_h, to_h, cc_h, rt_h, subj_h, date_h, mid_h, irt_h, ref_h]
    hs += [h for h in seq if h]
    hs += list(body.headers) + list(extra)
    data = render_message(hs, node, crlf=crlf)

    # Expected
    headers_all = hs
    def vals(name):
        return [v for n, v in headers_all if n.lower() == name.lower()]

    t, src = reference_scan(
        list(delivered_to), list(x_original_to), list(x_forwarded_to), list(envelope_to),
        [a for _, a in to] if to_raw is None else re.findall(r"[\w.+-]+@[\w.-]+", to_raw),
        [a for _, a in cc], in_reply_to + references,
    )
    if expect_source == "bounced_original":
        t, src = expect_token, expect_source
    elif expect_source is not None:
        if src != expect_source or (expect_token is not None and t != expect_token):
            raise ValueError(f"{path}: reference scan found {src}/{t}, case says {expect_source}/{expect_token}")
    exp = {"kind": kind, "token": t, "token_source": src, "from": frm[1].lower(), "subject": subject}
    if kind == "reply" and check_reply:
        text = body.reply if reply_text is None else reply_text
        exp["reply_text"] = text
        exp["quoted_present"] = bool(body.quoted)
        exp["signature_present"] = bool(body.signature)
        exp["only_quote"] = text == ""
        if lang:
            code = lang.split("-")[0]
            long_enough = (len(text) >= 20) if code == "ja" else (words(text) >= 8)
            if long_enough:
                exp["lang"] = code
    exp["attachments"] = count_attachments(node)
    exp["mailing_list"] = any(n.lower() == "list-id" for n, _ in hs) or any(
        n.lower() == "precedence" and v.strip().lower() == "list" for n, v in hs
    )
    if expect:
        for k, v in expect.items():
            if v is DROP:
                exp.pop(k, None)
            else:
                exp[k] = v
    # Tags
    tg = []
    if lang:
        tg.append(lang)
    if kind != "reply":
        tg.append(kind)
    if body.client:
        tg.append(body.client)
    shape = body.shape or "text"
    tg.append({"text": "text-only", "html": "html-only", "alternative": "alternative"}.get(shape, shape))
    for leaf in leaves(node):
        if isinstance(leaf, Text):
            cte = leaf.choose_cte(leaf.raw())
            if cte in ("quoted-printable", "base64", "8bit"):
                tg.append(cte)
            cs = (leaf.declared_charset or "").lower()
            if cs and cs not in ("utf-8", "us-ascii"):
                tg.append(cs)
            if leaf.flowed:
                tg.append("format-flowed")
    if exp.get("attachments"):
        tg.append("attachments")
    if crlf:
        tg.append("crlf")
    if exp.get("mailing_list"):
        tg.append("mailing-list")
    if src not in ("to", "none"):
        tg.append("token-" + src.replace("_", "-"))
    if src == "none" and kind == "reply":
        tg.append("no-token")
    if kind == "reply" and check_reply:
        if exp["signature_present"]:
            tg.append("signature")
        if exp["only_quote"]:
            tg.append("only-quote")
    tg += list(tags)
    seen = []
    for x in tg:
        if x not in seen:
            seen.append(x)
    exp["tags"] = seen
    CASES.append({"path": path, "eml": data, "json": exp})


def write_all():
    total = 0
    for c in CASES:
        p = os.path.join(ROOT, c["path"])
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p + ".eml", "wb") as f:
            f.write(c["eml"])
        with open(p + ".json", "w", encoding="utf-8") as f:
            json.dump(c["json"], f, ensure_ascii=False, indent=2)
            f.write("\n")
        total += 1
    return total
