"""Where the token is: envelope-ish headers, Cc, odd To forms, references, nothing at all."""

from attribution import When
from case import case, raddr, token
from clients import apple, gmail, outlook
from common import OUTLOOK_RE, orig, reply

FOLLOWUP = (
    "Following up on your Kalendo demo",
    """Hi {first},

Thanks again for joining the demo on Tuesday. I've attached the recording and our setup checklist.

Did you get a chance to discuss it with your team?

Sarah Mitchell
Kalendo""",
)


def o(cid, customer, lang="en", tpl=FOLLOWUP, **kw):
    subject, text = tpl
    return orig(cid, lang, customer, subject, text.format(first=customer[0].split()[0]), **kw)


def build():
    cid = "address/addr-envelope-to-bcc"
    me = ("Grace Liu", "grace.liu@liu-acupuncture.com")
    m = o(cid, me)
    body = gmail("en", "Hi Sarah,\n\nLooping in my business partner Ben, who handles our scheduling. Ben, Sarah can answer your questions about the booking pages.\n\nGrace", m, seed=cid)
    reply(cid, "en", body, me, m, to=[("Ben Howard", "ben.howard@liu-acupuncture.com")], envelope_to=[raddr(m.token)],
          expect_source="envelope_to", tags=["bcc"])

    cid = "address/addr-x-forwarded-to"
    me = ("Owen Price", "owen.price@priceandsons.com")
    m = o(cid, me)
    body = gmail("en", "Sarah, we're in. Please send over the contract for 12 seats and we'll sign this week.\n\nOwen", m, seed=cid)
    reply(cid, "en", body, me, m, to=[("Sarah Mitchell", "sarah.mitchell.kalendo@gmail.com")],
          delivered_to=["sarah.mitchell.kalendo@gmail.com"], x_forwarded_to=[raddr(m.token)],
          extra=[("X-Forwarded-For", f"sarah.mitchell.kalendo@gmail.com {raddr(m.token)}")],
          expect_source="x_forwarded_to", tags=["auto-forward"])

    cid = "address/addr-delivered-to-twice"
    me = ("Laila Haddad", "laila.haddad@haddad-dental.com")
    m = o(cid, me)
    body = gmail("en", "Hi Sarah, yes we discussed it. We'd like to start with the Team plan for 6 dentists in April.", m, seed=cid)
    reply(cid, "en", body, me, m, to=[("Kalendo Sales", "sales@example.com")],
          delivered_to=["sales@example.com", raddr(m.token)], expect_source="delivered_to", tags=["alias"])

    cid = "address/addr-undisclosed-recipients"
    me = ("Marek Dvořák", "marek.dvorak@dvorak-stavby.cz")
    m = o(cid, me)
    body = outlook("en", "Hello Sarah,\n\nWe have decided to postpone the project until autumn. I will contact you again in September.\n\nBest regards,\nMarek Dvořák", m, seed=cid,
                   sig="Dvořák Stavby s.r.o.\nBrno, Czech Republic")
    reply(cid, "en", body, me, m, prefix=OUTLOOK_RE["en"], crlf=True, to=[], to_raw="undisclosed-recipients:;",
          delivered_to=[raddr(m.token)], expect_source="delivered_to", tags=["group-syntax"])

    cid = "address/addr-invalid-token-then-cc"
    me = ("Ruth Adler", "ruth.adler@adler-therapy.com")
    m = o(cid, me)
    body = gmail("en", "Hi Sarah,\n\nI tried replying to your old address and it bounced, so adding the new one in copy. Yes, please book the onboarding call for Friday.\n\nRuth", m, seed=cid)
    bad1 = "reply+0ld1nk@reply.example.com"            # too short
    bad2 = "reply+ulio0000ulio0000@reply.example.com"  # 16 chars, but 'u' is never valid in Crockford base32
    reply(cid, "en", body, me, m, to=[("Kalendo", bad1), ("Kalendo", bad2)], cc=[("Sarah Mitchell", raddr(m.token))],
          expect_source="cc", tags=["invalid-token"])

    cid = "address/addr-other-domain-then-references"
    me = ("Tariq Aziz", "tariq@aziz-law.co.uk")
    m = o(cid, me)
    body = gmail("en", "Hi Sarah,\n\nWe would like a second demo for our partners next Wednesday afternoon if possible.\n\nKind regards,\nTariq", m, seed=cid)
    reply(cid, "en", body, me, m, to=[("Sarah Mitchell", f"reply+{token(cid + 'x')}@reply.example.org")],
          expect_source="references", tags=["other-domain"])

    cid = "address/addr-uppercase-whole-address"
    me = ("HELMUT KOCH", "HELMUT.KOCH@KOCH-METALLBAU.DE")
    m = o(cid, ("Helmut Koch", "helmut.koch@koch-metallbau.de"), lang="de", tpl=(
        "Ihre Demo bei Kalendo",
        "Hallo Herr Koch,\n\nvielen Dank für Ihre Zeit bei der Demo. Anbei die Aufzeichnung.\n\nViele Grüße\nJonas Becker"))
    body = outlook("de", "Sehr geehrter Herr Becker,\n\nbitte rufen Sie mich am Donnerstag an, dann besprechen wir den Vertrag.\n\nMit freundlichen Grüßen\nHelmut Koch", m,
                   seed=cid, plain_mode=True, sep="original")
    reply(cid, "de", body, me, m, prefix="AW: ", crlf=True, to=[(None, raddr(m.token, upper=True, upper_domain=True))],
          tags=["uppercase-token", "header-block", "original-message"])

    cid = "address/addr-display-name-looks-like-token"
    me = ("Ines Vogel", "ines.vogel@vogel-kanzlei.de")
    m = o(cid, me)
    fake = f"reply+{token(cid + 'fake')}@reply.example.com"
    body = gmail("en", "Hi Sarah,\n\nPlease send the invoice to our accounting team in copy. Thanks!\n\nInes", m, seed=cid)
    reply(cid, "en", body, me, m, to=[(fake, "accounting@vogel-kanzlei.de")], cc=[("Sarah Mitchell", raddr(m.token))],
          expect_source="cc", tags=["tricky-display-name"])

    cid = "address/addr-in-reply-to-only"
    me = ("Samuel Okafor", "samuel.okafor@okafor-clinic.ng")
    m = o(cid, me)
    body = apple("en", "Hi Sarah,\n\nSorry for the delay. Yes, the team loved it. Can we get a quote for 9 users?\n\nSamuel", m, seed=cid)
    reply(cid, "en", body, me, m, to=[("Sarah Mitchell", "sarah.mitchell@example.com")], references=[], expect_source="references",
          tags=["in-reply-to"])

    cid = "address/addr-references-not-ours"
    me = ("Julia Novak", "julia.novak@novak-physio.si")
    body = gmail("en", "Hi,\n\nA colleague recommended Kalendo. Do you offer a discount for non-profit organisations?\n\nBest,\nJulia", o(cid, me),
                 layout="none", seed=cid)
    case(cid, body, frm=me, to=[("Kalendo Sales", "sales@example.com")], subject="Re: Non-profit pricing",
         when=When(2025, 3, 5, 11, 47, 3), lang="en", order="gmail",
         in_reply_to=["CAKx7u9Qd1F2o3p4r5s6t7u8v9w0xYzAbCdEfGh@mail.gmail.com"],
         references=["CAKx7u9Qd1F2o3p4r5s6t7u8v9w0xYzAbCdEfGh@mail.gmail.com"], expect_source="none")

    cid = "address/addr-two-tokens-first-wins"
    me = ("Derek Shaw", "derek.shaw@shawfitness.com")
    m = o(cid, me)
    other = token(cid + "-second-thread")
    body = gmail("en", "Sarah, answering both of your emails at once: yes to the demo recording, and yes we want the annual plan.\n\nDerek", m, seed=cid)
    reply(cid, "en", body, me, m, to=[("Sarah Mitchell", raddr(m.token)), ("Sarah Mitchell", raddr(other))],
          expect_source="to", expect_token=m.token, tags=["two-tokens"])
