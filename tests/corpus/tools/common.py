"""Shared people and helpers for the case files."""

from attribution import When
from case import case, raddr, token
from clients import Orig

# Who sends our outgoing mail, per language (the account owner on whose behalf we send).
SENDERS = {
    "en": ("Sarah Mitchell", "sarah.mitchell@example.com"),
    "fr": ("Claire Martin", "claire.martin@example.com"),
    "es": ("Javier Ortega", "javier.ortega@example.com"),
    "pt-br": ("Rafael Souza", "rafael.souza@example.com"),
    "pt-pt": ("Inês Carvalho", "ines.carvalho@example.com"),
    "de": ("Jonas Becker", "jonas.becker@example.com"),
    "it": ("Giulia Romano", "giulia.romano@example.com"),
    "nl": ("Daan de Vries", "daan.devries@example.com"),
    "pl": ("Katarzyna Nowak", "katarzyna.nowak@example.com"),
    "sv": ("Erik Lindqvist", "erik.lindqvist@example.com"),
    "da": ("Mette Jensen", "mette.jensen@example.com"),
    "no": ("Ingrid Haugen", "ingrid.haugen@example.com"),
    "ru": ("Алексей Смирнов", "aleksey.smirnov@example.com"),
    "ja": ("佐藤 美咲", "misaki.sato@example.com"),
}

OUTLOOK_RE = {
    "en": "RE: ", "fr": "RE : ", "es": "RE: ", "pt-br": "RE: ", "pt-pt": "RE: ", "de": "AW: ",
    "it": "R: ", "nl": "RE: ", "pl": "RE: ", "sv": "SV: ", "da": "SV: ", "no": "SV: ", "ru": "RE: ",
    "ja": "RE: ",
}

DEFAULT_WHEN = When(2025, 3, 3, 10, 12, 41)


def orig(cid, lang, customer, subject, text, when=None, sender=None):
    """Our original message for case `cid`, sent to `customer` (name, addr)."""
    return Orig(token(cid), sender or SENDERS[lang], customer, when or DEFAULT_WHEN, subject, text)


def reply(cid, lang, body, frm, o, subject=None, prefix="Re: ", minutes=187, to=None, **kw):
    """A reply to `o` from `frm`, sent to our reply address (unless `to` says otherwise)."""
    if to is None:
        to = [(o.sender_name, raddr(o.token))]
    kw.setdefault("order", {"gmail": "gmail", "outlook": "outlook", "outlook-web": "outlook"}.get(body.client, "default"))
    return case(
        cid,
        body,
        frm=frm,
        to=to,
        subject=subject if subject is not None else prefix + o.subject,
        when=kw.pop("when", None) or o.when.plus(minutes),
        lang=lang,
        orig=o,
        **kw,
    )
