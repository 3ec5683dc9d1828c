"""Reply bodies as each mail client lays them out.

Each builder takes what the person newly wrote (`reply`, kept), the signature block or mobile
footer (dropped), and our original message (quoted), and returns a `Body`: the MIME tree, the
client's own headers, and what the expected reply is made of.
"""

from attribution import (
    MOBILE_FOOTER,
    ORIGINAL_MESSAGE,
    apple_attr,
    gmail_attr,
    outlook_block,
    samsung_block,
    thunderbird_attr,
    yahoo_attr,
)
from mime import Multi, Text, seeded

GMAIL_QUOTE_STYLE = "margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"


def esc(s):
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def esc_nbsp_colon(s):
    """French typography as Outlook writes it in HTML: a no-break space before ':'."""
    return esc(s).replace(" :", "&nbsp;:")


class Orig:
    """Our outgoing message, as the customer received it."""

    def __init__(self, token, sender, to, when, subject, text, html=None):
        self.token = token
        self.sender_name, self.sender_addr = sender
        self.to_name, self.to_addr = to
        self.when = when
        self.subject = subject
        self.text = text.strip("\n")
        self.html = html or div_lines(self.text)
        self.msgid = f"{token}.{seeded(token + subject, 10, '0123456789abcdefghjkmnpqrstvwxyz')}@reply.example.com"

    @property
    def sender(self):
        return f"{self.sender_name} <{self.sender_addr}>"

    @property
    def to(self):
        return f"{self.to_name} <{self.to_addr}>" if self.to_name else self.to_addr


class Body:
    def __init__(self, node, client, reply, quoted, signature, headers=None, msgid=None, shape=None):
        self.node = node
        self.client = client
        self.reply = reply
        self.quoted = quoted
        self.signature = signature
        self.headers = headers or []
        self.msgid = msgid
        self.shape = shape


def div_lines(text, tag="div", attrs=""):
    out = []
    for line in text.split("\n"):
        out.append(f"<{tag}{attrs}>{esc(line) if line else '<br>'}</{tag}>")
    return "".join(out)


def quote(text, empty=">", prefix="> "):
    return "\n".join(prefix + l if l else empty for l in text.split("\n"))


def wrap(line, width=78):
    """Greedy wrap at spaces, as Gmail does to long attribution lines in text/plain."""
    if len(line) <= width:
        return line
    words = line.split(" ")
    out, cur = [], words[0]
    for w in words[1:]:
        if len(cur) + 1 + len(w) > width and w not in (":", "!", "?", ";"):
            out.append(cur)
            cur = w
        else:
            cur += " " + w
    out.append(cur)
    return "\n".join(out)


def join_blocks(*blocks):
    return "\n\n".join(b for b in blocks if b)


def shape_node(plain, html, shape, boundary, plain_kw=None, html_kw=None):
    plain_kw = plain_kw or {}
    html_kw = html_kw or {}
    if shape == "text":
        return Text(plain, **plain_kw)
    if shape == "html":
        return Text(html, subtype="html", **html_kw)
    return Multi("alternative", [Text(plain, **plain_kw), Text(html, subtype="html", **html_kw)], boundary)


# ---------------------------------------------------------------------------------------------
# Gmail


def gmail_msgid(seed):
    alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return f"CA{seeded(seed, 3, alpha)}+{seeded(seed + 'x', 36, alpha)}@mail.gmail.com"


def gmail(lang, reply, orig, sig=None, layout="top", shape="alternative", wrap_attr=True, attr=None,
          plain_cte=None, html_cte=None, charset="utf-8", seed="g", sig_delim=True):
    a = attr or gmail_attr(lang, orig.when, orig.sender_name, orig.sender_addr)
    a_plain = wrap(a) if wrap_attr else a
    a_html = esc(a).replace(esc(f"<{orig.sender_addr}>"), f'&lt;<a href="mailto:{orig.sender_addr}">{orig.sender_addr}</a>&gt;')
    q_plain = quote(orig.text)
    sig_plain = (f"-- \n{sig}" if sig_delim else sig) if sig else None
    top_html = ""
    if reply:
        lines = reply.split("\n")
        top_html = (esc(lines[0]) or "<br>") + "".join(f"<div>{esc(l) if l else '<br>'}</div>" for l in lines[1:])
    else:
        top_html = "<br>"
    sig_html = ""
    if sig and not sig_delim:
        sig_html = "<div><br></div>" + "".join(f"<div>{esc(l) if l else '<br>'}</div>" for l in sig.split("\n"))
    elif sig:
        sl = sig.split("\n")
        sig_html = (
            '<div><br clear="all"></div><div><br></div><span class="gmail_signature_prefix">-- </span><br>'
            '<div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr">'
            + esc(sl[0])
            + "".join(f"<div>{esc(l) if l else '<br>'}</div>" for l in sl[1:])
            + "</div></div>"
        )
    quote_html = (
        f'<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">{a_html}<br></div>'
        f'<blockquote class="gmail_quote" style="{GMAIL_QUOTE_STYLE}">{orig.html}</blockquote>'
    )
    if layout == "top":
        plain = join_blocks(reply, sig_plain, a_plain + "\n" + q_plain)
        html = f'<div dir="ltr">{top_html}{sig_html}</div><br>{quote_html}</div>'
    elif layout == "bottom":
        plain = join_blocks(a_plain + "\n" + q_plain, reply, sig_plain)
        html = f'<div dir="ltr"><br></div><br>{quote_html}<div><br></div>' + "".join(
            f"<div>{esc(l) if l else '<br>'}</div>" for l in reply.split("\n")
        ) + f"{sig_html}</div>"
    elif layout == "none":
        plain = join_blocks(reply, sig_plain)
        html = f'<div dir="ltr">{top_html}{sig_html}</div>'
    else:
        raise ValueError(layout)
    html += "\n"
    boundary = "000000000000" + seeded(seed + "b", 12)
    node = shape_node(
        plain, html, shape, boundary,
        plain_kw=dict(charset=charset, cte=plain_cte),
        html_kw=dict(charset=charset, cte=html_cte or "quoted-printable"),
    )
    return Body(node, "gmail", reply, layout != "none", bool(sig), msgid=gmail_msgid(seed), shape=shape)


# ---------------------------------------------------------------------------------------------
# Outlook desktop (Word-generated HTML) and plain-text mode

OUTLOOK_STYLE = """<style><!--
/* Font Definitions */
@font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face
	{font-family:Aptos;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0cm;
	font-size:12.0pt;
	font-family:"Aptos",sans-serif;}
a:link, span.MsoHyperlink
	{mso-style-priority:99;
	color:#467886;
	text-decoration:underline;}
span.EmailStyle19
	{mso-style-type:personal-reply;
	font-family:"Aptos",sans-serif;
	color:windowtext;}
.MsoChpDefault
	{mso-style-type:export-only;
	font-size:10.0pt;}
@page WordSection1
	{size:612.0pt 792.0pt;
	margin:70.85pt 70.85pt 70.85pt 70.85pt;}
div.WordSection1
	{page:WordSection1;}
--></style>"""


def outlook_msgid(seed):
    up = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    box = "PAXPR10MB" + seeded(seed + "box", 4, "0123456789")
    return f"{box}{seeded(seed, 26, up)}@{box}.EURPRD10.PROD.OUTLOOK.COM"


def split_block(lang, block):
    """Header block lines back into (label, value), using the known labels."""
    from attribution import OUTLOOK_LABELS

    out = []
    for line in block:
        for lab in OUTLOOK_LABELS[lang]:
            if line.startswith(lab + " "):
                out.append((lab, line[len(lab) + 1:]))
                break
        else:
            raise ValueError(line)
    return out


def mso_p(line, lang_attr=None):
    if not line:
        return '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
    return f'<p class="MsoNormal">{rich(line)}<o:p></o:p></p>\n'


def rich(line):
    """Plain-text renderings back to HTML: `text<http://x>` is a link, `[cid:x]` an image."""
    import re

    m = re.fullmatch(r"\[cid:([^\]]+)\]", line)
    if m:
        return f'<img width="120" height="40" style="width:1.25in;height:.4166in" id="Picture_x0020_1" src="cid:{m.group(1)}" alt="logo">'
    out = ""
    pos = 0
    for m in re.finditer(r"([^\s<>]+)<(https?://[^>]+|mailto:[^>]+)>", line):
        out += esc(line[pos:m.start()]) + f'<a href="{m.group(2)}">{esc(m.group(1))}</a>'
        pos = m.end()
    return out + esc(line[pos:])


def outlook(lang, reply, orig, sig=None, sep=None, shape="alternative", cc=None, plain_cte=None,
            html_cte=None, charset="utf-8", seed="o", sig_html_extra="", body_lang="FR",
            layout="top", to_line=None, plain_mode=False, from_line=None):
    """sep: None (Outlook 2016+ HTML reply), 'original' (-----Original Message-----) or
    'underscore' (a rule of underscores)."""
    to_line = to_line or orig.to
    block = outlook_block(lang, orig.when, from_line or orig.sender, to_line, orig.subject, cc=cc, seconds=False)
    top_plain = join_blocks(reply, sig)
    head = []
    if sep == "original":
        head = [ORIGINAL_MESSAGE[lang]]
    elif sep == "underscore":
        head = ["_" * 32]
    quoted_plain = "\n".join(head + block) + "\n\n" + orig.text
    if layout == "only_quote":
        plain = quoted_plain
    else:
        plain = join_blocks(top_plain, quoted_plain)
    # HTML
    body = ""
    for l in (reply.split("\n") if reply else []):
        body += mso_p(l)
    if sig:
        body += mso_p("")
        for l in sig.split("\n"):
            body += mso_p(l)
        body += sig_html_extra
    body += mso_p("")
    labels_html = "<br>\n".join(f"<b>{esc_nbsp_colon(lab)}</b> {esc(val)}" for lab, val in split_block(lang, block))
    body += (
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">\n'
        f'<p class="MsoNormal">{labels_html}<o:p></o:p></p>\n</div>\n'
    )
    body += mso_p("")
    for l in orig.text.split("\n"):
        body += mso_p(l)
    html = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
        'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n'
        f"{OUTLOOK_STYLE}\n</head>\n"
        f'<body lang="{body_lang}" link="#467886" vlink="#96607D" style="word-wrap:break-word">\n'
        f'<div class="WordSection1">\n{body}</div>\n</body>\n</html>\n'
    )
    boundary = f"_000_{outlook_msgid(seed).split('@')[0]}_"
    node = shape_node(
        plain, html, shape if not plain_mode else "text", boundary,
        plain_kw=dict(charset=charset, cte=plain_cte),
        html_kw=dict(charset=charset, cte=html_cte or "quoted-printable"),
    )
    return Body(node, "outlook", reply, True, bool(sig), msgid=outlook_msgid(seed), shape=shape)


# ---------------------------------------------------------------------------------------------
# Outlook on the web / new Outlook / Outlook mobile

OWA_DIV = 'class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, Aptos_MSFontService, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);"'


def owa(lang, reply, orig, sig=None, footer=None, shape="alternative", seed="w", charset="utf-8",
        mobile=None, plain_cte=None):
    """Outlook on the web (mobile=None) or Outlook for iOS/Android (mobile='outlook-ios'...)."""
    block = outlook_block(lang, orig.when, orig.sender, orig.to, orig.subject, seconds=bool(mobile))
    if mobile:
        footer = MOBILE_FOOTER[mobile][lang]
    plain = join_blocks(reply, sig, footer)
    plain += "\n" + "_" * 32 + "\n" + "\n".join(block) + "\n\n" + orig.text
    top = "".join(f"<div {OWA_DIV}>{esc(l) if l else '<br>'}</div>" for l in reply.split("\n"))
    if sig:
        top += f"<div {OWA_DIV}><br></div>" + "".join(
            f"<div {OWA_DIV}>{esc(l) if l else '<br>'}</div>" for l in sig.split("\n")
        )
    if mobile:
        text, link = footer.split("<", 1)
        link = link.rstrip(">")
        top += (
            '<div dir="auto"><br></div><div id="ms-outlook-mobile-signature" dir="auto">'
            f'<div dir="auto">{esc(text)}</div></div>'
        )
        top = top.replace(f"{esc(text)}</div>", f'<a href="{link}">{esc(text)}</a></div>')
    labels_html = "<br>".join(f"<b>{esc(lab)}</b> {esc(val)}" for lab, val in split_block(lang, block))
    html = (
        '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n'
        '</head>\n<body dir="ltr">\n'
        f"{top}\n"
        '<div id="appendonsend"></div>\n<hr style="display:inline-block;width:98%" tabindex="-1">\n'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">'
        f"{labels_html}</font>\n<div>&nbsp;</div>\n</div>\n"
        f"<div>{orig.html}</div>\n</body>\n</html>\n"
    )
    boundary = f"_000_{outlook_msgid(seed).split('@')[0]}_"
    node = shape_node(plain, html, shape, boundary, plain_kw=dict(charset=charset, cte=plain_cte),
                      html_kw=dict(charset=charset, cte="quoted-printable"))
    return Body(node, mobile or "outlook-web", reply, True, bool(sig or footer), msgid=outlook_msgid(seed), shape=shape)


# ---------------------------------------------------------------------------------------------
# Apple Mail (macOS) and iPhone/iPad Mail


def apple_msgid(seed, domain="icloud.com"):
    h = seeded(seed, 32, "0123456789ABCDEF")
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}@{domain}"


def apple(lang, reply, orig, footer=None, sig=None, device="mac", shape="alternative", seed="a",
          bom=False, attr_lang=None, layout="top"):
    a = apple_attr(attr_lang or lang, orig.when, orig.sender_name, orig.sender_addr)
    if device in ("iphone", "ipad") and footer is None:
        footer = MOBILE_FOOTER[device][lang]
    first_bom = "\ufeff" if bom else ""
    qtext = orig.text
    ql = qtext.split("\n")
    ql[0] = first_bom + ql[0]
    quoted_plain = "> " + a + "\n> \n" + "\n".join("> " + l for l in ql)
    if layout == "only_quote":
        plain = join_blocks(footer, quoted_plain) if footer else quoted_plain
    else:
        plain = join_blocks(reply, sig, footer, quoted_plain)
    a_html = esc(a).replace(" :", "&nbsp;:")
    if device == "mac":
        top = ""
        if reply:
            rl = reply.split("\n")
            top = esc(rl[0]) + "".join(f"<div>{esc(l) if l else '<br>'}</div>" for l in rl[1:])
        if sig:
            top += "<div><br></div>" + "".join(f"<div>{esc(l) if l else '<br>'}</div>" for l in sig.split("\n"))
        html = (
            '<html aria-label="message body"><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
            '<body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">'
            f'{top}<div><br><blockquote type="cite"><div>{a_html}</div><br class="Apple-interchange-newline">'
            f"<div><div>{orig.html}</div></div></blockquote></div><br></body></html>\n"
        )
        boundary = "Apple-Mail=_" + apple_msgid(seed + "b").split("@")[0]
        xmailer = "Apple Mail (2.3826.400.131.1.6)"
    else:
        top = "".join(f'<div dir="ltr">{esc(l) if l else "<br>"}</div>' for l in (reply.split("\n") if reply else []))
        if sig:
            top += '<div dir="ltr"><br></div>' + "".join(f'<div dir="ltr">{esc(l) if l else "<br>"}</div>' for l in sig.split("\n"))
        html = (
            '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
            f'<body dir="auto">{top}<div dir="ltr"><br><div dir="ltr">{esc(footer)}</div><div dir="ltr"><br>'
            f'<blockquote type="cite">{a_html}<br><br></blockquote></div><blockquote type="cite">'
            f'<div dir="ltr">{first_bom}{orig.html}</div></blockquote></div></body></html>\n'
        )
        boundary = "Apple-Mail-" + apple_msgid(seed + "b").split("@")[0]
        xmailer = "iPhone Mail (22D82)" if device == "iphone" else "iPad Mail (22D82)"
    node = shape_node(plain, html, shape, boundary, plain_kw=dict(quote_charset=False),
                      html_kw=dict(quote_charset=False, cte="quoted-printable"))
    if shape == "alternative":
        node.headers = lambda b=node.boundary: [("Content-Type", f"multipart/alternative; boundary=\"{b}\"" if "=" in b else f"multipart/alternative; boundary={b}")]
    return Body(node, "apple-mail" if device == "mac" else device, reply, True, bool(sig or footer),
                headers=[("X-Mailer", xmailer)], msgid=apple_msgid(seed), shape=shape)


# ---------------------------------------------------------------------------------------------
# Thunderbird


def flow(text, width=72, delsp=False):
    """RFC 3676 format=flowed: soft breaks keep a trailing space; '-- ' stays; unquoted lines
    starting with ' ', '>' or 'From ' are space-stuffed."""
    out = []
    for line in text.split("\n"):
        if line == "-- ":
            out.append(line)
            continue
        depth = 0
        while depth < len(line) and line[depth] == ">":
            depth += 1
        content = line[depth:]
        if depth:
            prefix = ">" * depth + " "
            if content.startswith(" "):
                content = content[1:]
        else:
            prefix = ""
            if content.startswith((" ", ">", "From ")):
                content = " " + content
        content = content.rstrip(" ")
        if depth and not content:
            out.append(">" * depth)
            continue
        avail = width - len(prefix)
        if len(content) <= avail or " " not in content:
            out.append(prefix + content)
            continue
        words = content.split(" ")
        cur = words[0]
        pieces = []
        for w in words[1:]:
            if len(cur) + 1 + len(w) > avail:
                pieces.append(cur + ("  " if delsp else " "))
                cur = w
            else:
                cur += " " + w
        pieces.append(cur)
        out.extend(prefix + p for p in pieces)
    return "\n".join(out)


def tb_msgid(seed, domain):
    h = seeded(seed, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}@{domain}"


def thunderbird(lang, reply, orig, sig=None, layout="bottom", shape="text", seed="t", domain="free.fr",
                flowed=True, charset="UTF-8", cte="8bit", raw_plain=None):
    a = thunderbird_attr(lang, orig.when, orig.sender_name)
    q = quote(orig.text)
    sig_block = f"-- \n{sig}" if sig else None
    if raw_plain is not None:
        plain = raw_plain
    elif layout == "bottom":
        plain = join_blocks(a + "\n" + q, reply, sig_block)
    elif layout == "top":
        plain = join_blocks(reply, sig_block, a + "\n" + q)
    elif layout == "only_quote":
        plain = a + "\n" + q
    else:
        raise ValueError(layout)
    if flowed:
        plain = flow(plain)
    reply_html = "<br>\n".join(esc(l) for l in reply.split("\n")) + "<br>\n" if reply else ""
    cite = (
        f'<div class="moz-cite-prefix">{esc(a)}<br>\n</div>\n'
        f'<blockquote type="cite" cite="mid:{orig.msgid}">{orig.html}</blockquote>\n'
    )
    sig_html = f'<pre class="moz-signature" cols="72">-- \n{esc(sig)}</pre>\n' if sig else ""
    if layout == "top":
        inner = f"<p>{reply_html}</p>\n{sig_html}{cite}"
    else:
        inner = f"{cite}<p>{reply_html}</p>\n{sig_html}"
    html = (
        '<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
        f"  </head>\n  <body>\n{inner}  </body>\n</html>\n"
    )
    boundary = "------------" + seeded(seed + "b", 24, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    node = shape_node(plain, html, shape, boundary,
                      plain_kw=dict(charset=charset, cte=cte, flowed=flowed, quote_charset=False),
                      html_kw=dict(charset=charset, cte=cte, quote_charset=False))
    if shape == "alternative":
        node.headers = lambda b=boundary: [("Content-Type", f'multipart/alternative;\n boundary="{b}"')]
    return Body(node, "thunderbird", reply, True, bool(sig), msgid=tb_msgid(seed, domain), shape=shape,
                headers=[("User-Agent", "Mozilla Thunderbird"), ("Content-Language", lang.split("-")[0])])


# ---------------------------------------------------------------------------------------------
# Yahoo Mail


def yahoo(lang, reply, orig, footer=None, shape="alternative", seed="y"):
    a = yahoo_attr(lang, orig.when, orig.sender_name, orig.sender_addr)
    plain = join_blocks(reply, footer)
    plain += "\n\n    " + a + "  \n \n " + "\n ".join(orig.text.split("\n"))
    top = "".join(f'<div dir="ltr" data-setdir="false">{esc(l) if l else "<br>"}</div>' for l in reply.split("\n"))
    if footer:
        top += f'<div><br></div><div class="ydp-mobile-signature">{esc(footer)}</div>'
    html = (
        '<html><head></head><body><div class="ydp3f1c2a8byahoo-style-wrap" style="font-family:Helvetica Neue, Helvetica, Arial, sans-serif;font-size:13px;">'
        f"{top}<div><br></div></div>"
        f'<div id="yahoo_quoted_{seeded(seed, 10, "0123456789")}" class="yahoo_quoted">'
        '<div style="font-family:\'Helvetica Neue\', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;">'
        f"<div>{esc(a)}</div><div><br></div><div><br></div>{orig.html}</div></div></body></html>\n"
    )
    boundary = f"----=_Part_{seeded(seed, 7, '0123456789')}_{seeded(seed + 'x', 9, '0123456789')}.1741{seeded(seed + 'y', 9, '0123456789')}"
    node = shape_node(plain, html, shape, boundary, html_kw=dict(cte="quoted-printable"))
    msgid = f"{seeded(seed, 9, '0123456789')}.{seeded(seed + 'm', 7, '0123456789')}.1741{seeded(seed + 'n', 9, '0123456789')}@mail.yahoo.com"
    return Body(node, "yahoo", reply, True, bool(footer), msgid=msgid, shape=shape,
                headers=[("X-Mailer", "WebService/1.1.23369 YMailNorrin")])


# ---------------------------------------------------------------------------------------------
# Samsung Email (Android)


def samsung(lang, reply, orig, footer=None, shape="alternative", seed="s"):
    footer = footer or MOBILE_FOOTER["galaxy"][lang]
    block = samsung_block(lang, orig.when, orig.sender, orig.to_addr, orig.subject)
    plain = reply + "\n\n\n\n" + footer + "\n\n\n" + "\n".join(block) + "\n\n" + orig.text
    top = "".join(f'<div dir="auto">{esc(l) if l else "<br>"}</div>' for l in reply.split("\n"))
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>'
        f'{top}<div dir="auto"><br></div><div dir="auto"><br></div><div id="composer_signature" dir="auto">'
        f'<div style="font-size:12px;color:#575757" dir="auto">{esc(footer)}</div></div><div dir="auto"><br></div>'
        '<div align="left" dir="auto" style="font-size:100%;color:#000000"><div>'
        + "</div><div>".join(esc(l) for l in block)
        + f"</div><div><br></div></div>{orig.html}</body></html>\n"
    )
    boundary = f"--_com.samsung.android.email_{seeded(seed, 16, '0123456789')}"
    node = shape_node(plain, html, shape, boundary, plain_kw=dict(cte="base64"), html_kw=dict(cte="base64"))
    msgid = f"{seeded(seed, 13, '0123456789')}.{seeded(seed + 'x', 6, '0123456789')}@email.android.com"
    return Body(node, "samsung", reply, True, True, msgid=msgid, shape=shape)


# ---------------------------------------------------------------------------------------------
# Hand-laid plain text (inline replies, webmails with their own wording)


def plain(text, client, reply, quoted, signature, seed="p", charset="utf-8", cte=None, flowed=False,
          delsp=False, declared_charset=None, headers=None, msgid=None, quote_charset=True):
    node = Text(text, charset=charset, cte=cte, flowed=flowed, delsp=delsp,
                declared_charset=declared_charset, quote_charset=quote_charset)
    return Body(node, client, reply, quoted, signature, headers=headers, msgid=msgid, shape="text")


def html_only(html, client, reply, quoted, signature, charset="utf-8", cte="quoted-printable",
              headers=None, msgid=None):
    node = Text(html, subtype="html", charset=charset, cte=cte)
    return Body(node, client, reply, quoted, signature, headers=headers, msgid=msgid, shape="html")


def gmail_forward(lang, note, fwd_lines, fwd_text, sender_name=None, sender_addr=None, seed="gf",
                  shape="alternative"):
    """A Gmail forward: the note above, then the forwarded message block."""
    from attribution import FORWARD_GMAIL

    head = FORWARD_GMAIL[lang]
    plain = join_blocks(note, head + "\n" + "\n".join(fwd_lines) + "\n\n\n" + fwd_text)
    nl = note.split("\n")
    note_html = esc(nl[0]) + "".join(f"<div>{esc(l) if l else '<br>'}</div>" for l in nl[1:])
    fl = []
    for line in fwd_lines:
        lab, _, val = line.partition(" ")
        if lab in ("De", "From:", "Von:", "De:") or line.startswith("De :"):
            if line.startswith("De :"):
                lab, val = "De&nbsp;:", line[5:]
            name, _, addr = val.rpartition(" <")
            addr = addr.rstrip(">")
            fl.append(f'{lab} <strong class="gmail_sendername" dir="auto">{esc(name)}</strong> '
                      f'<span dir="auto">&lt;<a href="mailto:{addr}">{addr}</a>&gt;</span>')
        else:
            fl.append(esc(line))
    html = (
        f'<div dir="ltr">{note_html}<br><br><div class="gmail_quote gmail_quote_container">'
        f'<div dir="ltr" class="gmail_attr">{esc(head)}<br>' + "<br>".join(fl) + "<br></div><br><br>"
        f"{div_lines(fwd_text)}</div></div>\n"
    )
    boundary = "000000000000" + seeded(seed + "b", 12)
    node = shape_node(plain, html, shape, boundary, html_kw=dict(cte="quoted-printable"))
    return Body(node, "gmail", note, True, False, msgid=gmail_msgid(seed), shape=shape)


def roundcube(attr, reply_paras, orig, sig=None, seed="rc", client="roundcube"):
    """Roundcube webmail, HTML only: the reply is one paragraph with <br> breaks, the signature
    sits in <div id="signature"> after '-- ', the quote in <blockquote type="cite">."""
    top = "<br /><br />\n".join("<br />\n".join(esc(l) for l in p.split("\n")) for p in reply_paras)
    sig_html = ""
    if sig:
        sig_html = '<div id="signature">-- <br />' + "<br />".join(esc(l) for l in sig.split("\n")) + "</div>\n"
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /></head>'
        "<body style='font-size: 10pt; font-family: Verdana,Geneva,sans-serif'>\n"
        f"<p>{top}</p>\n{sig_html}"
        f"<p><br /></p>\n<p>{esc(attr)}</p>\n"
        '<blockquote type="cite" style="padding: 0 0.4em; border-left: #1010ff 2px solid; margin: 0">\n'
        f"{div_lines(orig.text)}\n</blockquote>\n</body></html>\n"
    )
    reply = "\n\n".join(reply_paras)
    return html_only(html, client, reply, True, bool(sig),
                     headers=[("User-Agent", "Roundcube Webmail/1.6.9")],
                     msgid=f"{seeded(seed, 32)}@{orig.to_addr.split('@')[1]}")
