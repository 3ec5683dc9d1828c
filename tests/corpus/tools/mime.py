"""MIME building blocks for the corpus generator.

Everything is built as bytes so that non-UTF-8 charsets, quoted-printable and base64 are encoded
for real. Line endings are LF while building; a case may ask for CRLF at the end.
"""

import base64
import hashlib
import quopri

CODECS = {
    "utf-8": "utf-8",
    "us-ascii": "ascii",
    "iso-8859-1": "latin-1",
    "iso-8859-2": "iso8859_2",
    "iso-8859-15": "iso8859_15",
    "windows-1250": "cp1250",
    "windows-1251": "cp1251",
    "windows-1252": "cp1252",
    "koi8-r": "koi8_r",
    "iso-2022-jp": "iso2022_jp",
    "shift_jis": "shift_jis",
}


def codec(charset):
    return CODECS[charset.lower()]


def seeded(seed, n, alphabet="0123456789abcdef"):
    """A deterministic pseudo-random string derived from a seed."""
    out = []
    counter = 0
    while len(out) < n:
        h = hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        for b in h:
            out.append(alphabet[b % len(alphabet)])
            if len(out) == n:
                break
        counter += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# RFC 2047 encoded words


def _q_char(ch_bytes):
    out = []
    for b in ch_bytes:
        c = chr(b)
        if c == " ":
            out.append("_")
        elif c.isascii() and (c.isalnum() or c in "!*+-/"):
            out.append(c)
        else:
            out.append("=%02X" % b)
    return "".join(out)


def encoded_words(text, charset="utf-8", enc="B", max_len=75):
    """Encode text as one or more encoded words, each at most max_len chars, split between
    characters (never inside a multibyte sequence). Returns the list of words."""
    prefix = f"=?{charset}?{enc}?"
    suffix = "?="
    words = []
    cur = ""

    def encode(s):
        raw = s.encode(codec(charset))
        if enc.upper() == "B":
            return base64.b64encode(raw).decode()
        return "".join(_q_char(ch.encode(codec(charset))) for ch in s)

    for ch in text:
        cand = cur + ch
        if len(prefix) + len(encode(cand)) + len(suffix) > max_len and cur:
            words.append(prefix + encode(cur) + suffix)
            cur = ch
        else:
            cur = cand
    if cur:
        words.append(prefix + encode(cur) + suffix)
    return words


def ew(text, charset="utf-8", enc="B"):
    """Encoded words folded onto continuation lines."""
    return "\n ".join(encoded_words(text, charset, enc))


def needs_encoding(s):
    return any(ord(c) > 126 for c in s)


def fold(value, first_len, width=76):
    """Fold a plain ASCII header value at spaces (the space stays, after the line break)."""
    if first_len + len(value) <= width:
        return value
    words = value.split(" ")
    lines = []
    cur = words[0]
    budget = width - first_len
    for w in words[1:]:
        if len(cur) + 1 + len(w) > budget:
            lines.append(cur)
            cur = w
            budget = width - 1
        else:
            cur += " " + w
    lines.append(cur)
    return "\n ".join(lines)


def subject_header(subject, style="B", charset="utf-8"):
    """Render a Subject value. style: 'raw' (as is, even non-ASCII), 'B'/'Q' (whole value
    encoded when non-ASCII), 'prefix-Q'/'prefix-B' (a reply prefix left as text)."""
    if style == "raw" or not needs_encoding(subject):
        return fold(subject, len("Subject: "))
    if style.startswith("prefix-"):
        enc = style.split("-")[1]
        for p in ("Re: ", "RE: ", "RE : ", "AW: ", "SV: ", "R: ", "Odp: ", "TR : ", "Fwd: ", "WG: "):
            if subject.startswith(p):
                return p + ew(subject[len(p):], charset, enc)
        return ew(subject, charset, enc)
    return ew(subject, charset, style)


def mailbox(name, addr, charset="utf-8", enc="B", quote=False):
    """Render `Name <addr>` with the name quoted or encoded as needed."""
    if not name:
        return addr if not quote else f"<{addr}>"
    if needs_encoding(name):
        return f"{ew(name, charset, enc)} <{addr}>"
    if quote or any(c in name for c in ',.;:@()[]"'):
        escaped = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}" <{addr}>'
    return f"{name} <{addr}>"


# ---------------------------------------------------------------------------------------------
# Parts


class Text:
    """A text leaf (text/plain or text/html)."""

    def __init__(
        self,
        text,
        subtype="plain",
        charset="utf-8",
        cte=None,
        flowed=False,
        delsp=False,
        declared_charset=None,
        quote_charset=True,
        extra_headers=None,
        disposition=None,
        filename=None,
        raw_bytes=None,
        lower_ct=False,
    ):
        self.text = text
        self.subtype = subtype
        self.charset = charset
        self.cte = cte
        self.flowed = flowed
        self.delsp = delsp
        self.declared_charset = declared_charset if declared_charset is not None else charset
        self.quote_charset = quote_charset
        self.extra_headers = extra_headers or []
        self.disposition = disposition
        self.filename = filename
        self.raw_bytes = raw_bytes

    def raw(self):
        if self.raw_bytes is not None:
            return self.raw_bytes
        text = self.text if self.text.endswith("\n") else self.text + "\n"
        return text.encode(codec(self.charset))

    def choose_cte(self, raw):
        if self.cte:
            return self.cte
        if all(b < 128 for b in raw) and max((len(l) for l in raw.split(b"\n")), default=0) <= 76:
            return "7bit"
        return "quoted-printable"

    def headers(self):
        raw = self.raw()
        cte = self.choose_cte(raw)
        ct = f"text/{self.subtype}"
        if self.declared_charset:
            cs = f'"{self.declared_charset}"' if self.quote_charset else self.declared_charset
            ct += f"; charset={cs}"
        if self.flowed:
            ct += "; format=flowed"
            if self.delsp:
                ct += "; delsp=yes"
        hs = [("Content-Type", ct)]
        if cte != "none":
            hs.append(("Content-Transfer-Encoding", cte))
        if self.disposition:
            d = self.disposition
            if self.filename:
                d += f'; filename="{self.filename}"'
            hs.append(("Content-Disposition", d))
        return hs + self.extra_headers

    def body(self):
        raw = self.raw()
        cte = self.choose_cte(raw)
        if cte in ("7bit", "8bit", "none", "binary"):
            return raw
        if cte == "quoted-printable":
            return quopri.encodestring(raw)
        if cte == "base64":
            return base64.encodebytes(raw.replace(b"\n", b"\r\n"))
        raise ValueError(cte)


class Binary:
    """An attachment or inline resource."""

    def __init__(
        self,
        ctype,
        data,
        filename=None,
        disposition="attachment",
        cid=None,
        name_param=True,
        filename_style="plain",
        extra_headers=None,
    ):
        self.ctype = ctype
        self.data = data
        self.filename = filename
        self.disposition = disposition
        self.cid = cid
        self.name_param = name_param
        self.filename_style = filename_style
        self.extra_headers = extra_headers or []

    def _fn_param(self, key):
        fn = self.filename
        if self.filename_style == "rfc2231" and needs_encoding(fn):
            from urllib.parse import quote

            return f"{key}*=UTF-8''{quote(fn, safe='')}"
        if self.filename_style == "rfc2047" and needs_encoding(fn):
            return f'{key}="{"".join(encoded_words(fn))}"'
        return f'{key}="{fn}"'

    def headers(self):
        ct = self.ctype
        if self.filename and self.name_param:
            ct += "; " + self._fn_param("name")
        hs = [("Content-Type", ct)]
        if self.disposition:
            d = self.disposition
            if self.filename:
                d += "; " + self._fn_param("filename")
                d += f"; size={len(self.data)}" if self.filename_style == "outlook" else ""
            hs.append(("Content-Disposition", d))
        hs.append(("Content-Transfer-Encoding", "base64"))
        if self.cid:
            hs.append(("Content-ID", f"<{self.cid}>"))
        return hs + self.extra_headers

    def body(self):
        return base64.encodebytes(self.data)


class Raw:
    """A leaf with given headers and a body given as text or bytes (message/rfc822,
    message/delivery-status, text/rfc822-headers)."""

    def __init__(self, ctype, body, extra_headers=None):
        self.ctype = ctype
        self._body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.extra_headers = extra_headers or []

    def headers(self):
        return [("Content-Type", self.ctype)] + self.extra_headers

    def body(self):
        b = self._body
        return b if b.endswith(b"\n") else b + b"\n"


class Multi:
    """A multipart container."""

    def __init__(self, subtype, parts, boundary, params="", preamble=None, extra_headers=None):
        self.subtype = subtype
        self.parts = parts
        self.boundary = boundary
        self.params = params
        self.preamble = preamble
        self.extra_headers = extra_headers or []

    def headers(self):
        ct = f'multipart/{self.subtype}; boundary="{self.boundary}"'
        if self.params:
            ct = f"multipart/{self.subtype}; {self.params};\n\tboundary=\"{self.boundary}\""
        return [("Content-Type", ct)] + self.extra_headers

    def body(self):
        out = b""
        if self.preamble:
            out += self.preamble.encode() + b"\n\n"
        for p in self.parts:
            out += b"--" + self.boundary.encode() + b"\n"
            out += render_headers(p.headers())
            out += b"\n"
            out += p.body()
            out += b"\n"
        out += b"--" + self.boundary.encode() + b"--\n"
        return out


def render_headers(headers):
    out = b""
    for name, value in headers:
        out += f"{name}: {value}\n".encode("utf-8")
    return out


def render_message(headers, body, crlf=False, mime_version=True):
    """A whole message: top headers, then the root part's own headers, blank line, body."""
    hs = list(headers)
    if mime_version and not any(n.lower() == "mime-version" for n, _ in hs):
        hs.append(("MIME-Version", "1.0"))
    data = render_headers(hs + body.headers()) + b"\n" + body.body()
    if crlf:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return data


# ---------------------------------------------------------------------------------------------
# Small binary payloads


def tiny_png(seed="logo", w=2, h=2):
    import struct
    import zlib

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    color = hashlib.sha256(seed.encode()).digest()[:3]
    rows = b"".join(b"\x00" + color * w for _ in range(h))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def tiny_pdf(title="Document"):
    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
        f"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 72 770 Td ({title}) Tj ET\nendstream endobj\n"
        "trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body.encode("latin-1")


def tiny_zip(seed="xlsx"):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("[Content_Types].xml", date_time=(2025, 3, 3, 10, 0, 0))
        z.writestr(info, f"<Types><!-- {seed} --></Types>")
    return buf.getvalue()


def tiny_jpeg(seed="photo"):
    # Not a decodable image, but the right magic and a plausible size.
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + hashlib.sha256(
        seed.encode()
    ).digest() * 8 + b"\xff\xd9"
