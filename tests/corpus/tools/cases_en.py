"""English replies."""

from attribution import When
from clients import apple, div_lines, esc, gmail, gmail_forward, html_only, outlook, owa, plain, samsung, thunderbird, yahoo
from common import OUTLOOK_RE, orig, reply
from mime import Binary, tiny_pdf

FOLLOWUP = (
    "Quick question about your team's scheduling",
    """Hi {first},

I noticed your team signed up for a Kalendo trial last week. Would you have 15 minutes on Thursday to walk through how other clinics set up their booking pages?

Best,
Sarah Mitchell
Account Executive, Kalendo""",
)

RENEWAL = (
    "Your Kalendo subscription renews on March 15",
    """Hi {first},

Just a heads-up: your annual Kalendo Team plan (25 seats) renews on March 15 for $2,700. If you'd like to change the number of seats or switch to monthly billing, reply to this email before then.

Thanks,
Sarah""",
)

ONBOARD = (
    "Getting started with Kalendo",
    """Hi {first},

Welcome aboard! Here are three things most teams do in their first week:

1. Connect your calendar (Google or Microsoft 365)
2. Create your first booking page
3. Invite your teammates

Is there anything I can help you set up?

Sarah""",
)

SUPPORT = (
    "[Ticket #58214] Reminder emails not sent",
    """Hi {first},

Thanks for your patience. We deployed a fix for the reminder emails this morning. Could you check whether your clients received yesterday's reminders?

Best regards,
Sarah Mitchell
Kalendo Support""",
)


def o(cid, tpl, customer, **kw):
    subject, text = tpl
    first = customer[0].split()[0]
    return orig(cid, "en", customer, subject, text.format(first=first), **kw)


def build():
    cid = "en/en-gmail-simple"
    me = ("Daniel Foster", "dan.foster@gmail.com")
    m = o(cid, FOLLOWUP, me)
    body = gmail("en", "Hi Sarah,\n\nThursday works. How about 2pm Eastern? I'll bring our office manager too.\n\nThanks,\nDan", m, seed=cid)
    reply(cid, "en", body, me, m)

    cid = "en/en-gmail-signature-dashes"
    me = ("Rachel Kim", "rachel.kim@brightsmiledental.com")
    m = o(cid, RENEWAL, me)
    body = gmail(
        "en",
        "Hi Sarah,\n\nWe'd like to drop to 20 seats at renewal, we closed our Dayton office. Monthly billing is fine too if the price is the same.\n\nRachel",
        m,
        sig="Rachel Kim\nPractice Manager | Bright Smile Dental\n(614) 555-0142\nbrightsmiledental.com",
        seed=cid,
    )
    reply(cid, "en", body, me, m, tags=["sig-delimiter"])

    cid = "en/en-gmail-wrapped-attribution"
    me = ("Michael O'Brien", "mobrien@obrien-law.com")
    m = o(cid, SUPPORT, me, sender=("Kalendo Customer Success Team", "customer-success.enterprise@example.com"))
    body = gmail("en", "Hi,\n\nYes, all reminders went out this morning. Thanks for the quick fix.\n\nMichael", m, seed=cid)
    reply(cid, "en", body, me, m, subject="Re: " + m.subject, tags=["wrapped-attribution"])

    cid = "en/en-gmail-only-quote"
    me = ("Tom Hughes", "tom.hughes1987@gmail.com")
    m = o(cid, ONBOARD, me)
    body = gmail("en", "", m, seed=cid)
    reply(cid, "en", body, me, m)

    cid = "en/en-gmail-bottom-post"
    me = ("Priya Patel", "priya@patelphysio.co.uk")
    m = o(cid, ONBOARD, me, when=When(2025, 3, 3, 9, 30, 2, tz="+0000"))
    body = gmail(
        "en",
        "Hi Sarah,\n\nThanks! We've connected Google Calendar already. Could you help with setting up separate booking pages for each physio?\n\nPriya",
        m,
        layout="bottom",
        seed=cid,
    )
    reply(cid, "en", body, me, m, tags=["bottom-post"])

    cid = "en/en-gmail-prose-wrote"
    me = ("Kevin Walsh", "kevin.walsh@walshplumbing.com")
    m = o(cid, SUPPORT, me)
    body = gmail(
        "en",
        "Hi Sarah,\n\nStill not working for us. One of our customers called this morning and here is what she wrote:\n\nI never got a reminder for my Tuesday appointment, only the confirmation.\n\nCan you take another look?\n\nKevin",
        m,
        seed=cid,
    )
    reply(cid, "en", body, me, m, tags=["prose-wrote"])

    cid = "en/en-gmail-prose-gt"
    me = ("Laura Jensen", "laura@jensen-chiro.com")
    m = o(cid, RENEWAL, me)
    body = gmail(
        "en",
        "Hi Sarah,\n\nQuick question on pricing. Our usage looks like this:\n> 100 bookings a month at the downtown office\n< 20 bookings a month at the airport office\n\nDoes the Team plan cover both locations?\n\nThanks,\nLaura",
        m,
        seed=cid,
    )
    reply(cid, "en", body, me, m, tags=["prose-gt"])

    cid = "en/en-gmail-forward"
    me = ("Amanda Reed", "amanda.reed@reedlogistics.com")
    m = o(cid, ONBOARD, me)
    body = gmail_forward(
        "en",
        "Sarah, see below from our IT team. Can you send them the SSO setup guide?\n\nAmanda",
        [
            "From: Chris Dunbar <it@reedlogistics.com>",
            "Date: Mon, Mar 3, 2025 at 4:40 PM",
            "Subject: Kalendo SSO",
            "To: Amanda Reed <amanda.reed@reedlogistics.com>",
        ],
        "Amanda,\n\nBefore we approve Kalendo we need SAML SSO with Okta and a copy of their SOC 2 report. Can you ask the vendor?\n\nChris",
        seed=cid,
    )
    reply(cid, "en", body, me, m, subject="Fwd: Kalendo SSO", in_reply_to=[], references=[], tags=["forward"])

    cid = "en/en-gmail-attachment-pdf"
    me = ("Olivia Bennett", "olivia@bennettvet.com")
    m = o(cid, RENEWAL, me)
    body = gmail("en", "Hi Sarah,\n\nAttached is our signed renewal form and the W-9 you asked for.\n\nBest,\nOlivia", m, seed=cid)
    reply(cid, "en", body, me, m, mixed_boundary="000000000000" + "c0ffee" + "5a1b2c", attachments=[
        Binary("application/pdf", tiny_pdf("Renewal form"), filename="Kalendo renewal form - signed.pdf"),
        Binary("application/pdf", tiny_pdf("W-9"), filename="W9_BennettVet_2025.pdf"),
    ])

    cid = "en/en-gmail-no-token"
    me = ("Nina Alvarez", "nina@alvarezyoga.com")
    body = gmail(
        "en",
        "Hi there,\n\nI run a small yoga studio with three instructors. Does Kalendo support class packs and recurring bookings? I couldn't find it on your pricing page.\n\nThanks,\nNina",
        o(cid, ONBOARD, me),
        layout="none",
        seed=cid,
    )
    from case import case

    case(cid, body, frm=me, to=[("Kalendo", "hello@example.com")], subject="Class packs?", when=When(2025, 3, 4, 8, 2, 51, tz="-0800"),
         lang="en", order="gmail", expect_source="none")

    # --- Outlook -------------------------------------------------------------------------------
    cid = "en/en-outlook-header-block"
    me = ("Smith, John", "jsmith@contoso-health.org")
    m = o(cid, RENEWAL, ("John Smith", me[1]))
    body = outlook(
        "en",
        "Sarah,\n\nPlease keep 25 seats and annual billing. Could you send the renewal invoice to accounts.payable@contoso-health.org? We need a PO number on it: PO-2025-0318.\n\nRegards,\nJohn Smith",
        m,
        sig="IT Operations Manager\nContoso Health Partners\n1200 Market Street, Suite 400 | Philadelphia, PA 19107\nO: 215-555-0199 | M: 267-555-0123\n\nCONFIDENTIALITY NOTICE: This e-mail message, including any attachments, is for the sole use of the intended recipient(s) and may contain confidential and privileged information. Any unauthorized review, use, disclosure or distribution is prohibited.",
        seed=cid,
        body_lang="EN-US",
    )
    reply(cid, "en", body, me, m, prefix=OUTLOOK_RE["en"], crlf=True, tags=["header-block", "disclaimer"],
          extra=[("X-Auto-Response-Suppress", "All")])

    cid = "en/en-outlook-original-message"
    me = ("Greg Turner", "gturner@turnerhvac.com")
    m = o(cid, SUPPORT, me)
    body = outlook("en", "Sarah - yes, the reminders went out. Thanks for fixing it so fast.\n\nGreg Turner", m,
                   sig="Turner HVAC Services\nOffice: 503-555-0110", sep="original", plain_mode=True, seed=cid)
    reply(cid, "en", body, me, m, prefix=OUTLOOK_RE["en"], crlf=True, tags=["header-block", "original-message"],
          extra=[("X-Mailer", "Microsoft Outlook 16.0")])

    cid = "en/en-owa-underscore"
    me = ("Hannah Brooks", "hannah.brooks@northwind-academy.edu")
    m = o(cid, ONBOARD, me)
    body = owa("en", "Hi Sarah,\n\nCould we do a 30-minute onboarding call for our front office staff next week? Tuesday or Wednesday morning would be best.\n\nThank you,\nHannah", m,
               sig="Hannah Brooks\nAdmissions Coordinator\nNorthwind Academy\n(555) 010-3344", seed=cid)
    reply(cid, "en", body, me, m, prefix=OUTLOOK_RE["en"], crlf=True, tags=["header-block", "underscore-rule"])

    cid = "en/en-outlook-mobile-ios"
    me = ("Mark Davies", "mark.davies@outlook.com")
    m = o(cid, FOLLOWUP, me)
    body = owa("en", "Can't do Thursday, traveling. Friday morning?", m, mobile="outlook-ios", seed=cid)
    reply(cid, "en", body, me, m, prefix=OUTLOOK_RE["en"], tags=["mobile-footer", "underscore-rule"])

    cid = "en/en-outlook-references-only"
    me = ("Brian Cooper", "bcooper@cooperfitness.com")
    m = o(cid, FOLLOWUP, me)
    body = outlook("en", "Hi Sarah,\n\nReplying to your direct address as my assistant suggested. Thursday at 3pm works for a quick call.\n\nBrian", m,
                   seed=cid, body_lang="EN-US")
    reply(cid, "en", body, me, m, prefix=OUTLOOK_RE["en"], crlf=True, to=[("Sarah Mitchell", "sarah.mitchell@example.com")],
          expect_source="references", tags=["header-block"])

    # --- Apple ---------------------------------------------------------------------------------
    cid = "en/en-iphone"
    me = ("Jessica Wong", "jess.wong@icloud.com")
    m = o(cid, FOLLOWUP, me)
    body = apple("en", "Sounds great, Thursday at 11 works for me. Send me an invite?", m, device="iphone", bom=True, seed=cid)
    reply(cid, "en", body, me, m, tags=["mobile-footer"])

    cid = "en/en-ipad"
    me = ("Robert Chen", "robert.chen@me.com")
    m = o(cid, RENEWAL, me)
    body = apple("en", "Please cancel the renewal. We are moving to a different system.\n\nRob", m, device="ipad", seed=cid)
    reply(cid, "en", body, me, m, tags=["mobile-footer"])

    cid = "en/en-apple-mail"
    me = ("Emily Carter", "emily@carterdesign.studio")
    m = o(cid, ONBOARD, me)
    body = apple("en", 'Hi Sarah,\n\nThanks for the tips. We\'ve done steps 1 and 2, but inviting teammates gives me an error: "This email domain is not allowed". Any idea?\n\nCheers,\nEmily', m,
                 seed=cid, attr_lang="en-gb")
    reply(cid, "en", body, me, m)

    # --- Thunderbird, mutt ---------------------------------------------------------------------
    cid = "en/en-thunderbird-inline-intro"
    me = ("Alex Morgan", "alex@morgan-tutoring.net")
    m = o(cid, ONBOARD, me)
    q = m.text.split("\n")
    ql = lambda lines: "\n".join(("> " + l) if l else ">" for l in lines)  # noqa: E731
    inline = (
        ql(q[:5])
        + "\n\nDone, we use Microsoft 365.\n\n"
        + ql(q[5:6])
        + "\n\nDone.\n\n"
        + ql(q[6:7])
        + "\n\nWaiting on IT to approve the app, should be this week.\n\nThanks,\nAlex"
    )
    raw = "Hi Sarah,\n\nAnswers inline.\n\nOn 3/3/25 10:12, Sarah Mitchell wrote:\n" + inline + "\n\n" + ql(q[7:]) + "\n"
    from clients import flow, tb_msgid

    body = plain(flow(raw), "thunderbird", "Hi Sarah,\n\nAnswers inline.\n\n" + inline, True, False, cte="7bit", flowed=True,
                 quote_charset=False, headers=[("User-Agent", "Mozilla Thunderbird")], msgid=tb_msgid(cid, "morgan-tutoring.net"))
    reply(cid, "en", body, me, m, tags=["inline"])

    cid = "en/en-mutt-bottom-post"
    me = ("Andrew Lin", "andrew@linconsulting.io")
    m = o(cid, FOLLOWUP, me)
    raw = (
        "On Mon, Mar 03, 2025 at 10:12:41AM +0100, Sarah Mitchell wrote:\n"
        + "\n".join(("> " + l) if l else ">" for l in m.text.split("\n"))
        + "\n\nSounds good, Thursday 2pm works. Send the invite to this address.\n\n-- \nAndrew Lin | Lin Consulting\nhttps://linconsulting.io\n"
    )
    body = plain(raw, "mutt", "Sounds good, Thursday 2pm works. Send the invite to this address.", True, True, charset="us-ascii",
                 headers=[("User-Agent", "NeoMutt/20240425")], msgid="20250303143311.ab12cd34ef56@linconsulting.io")
    reply(cid, "en", body, me, m, tags=["bottom-post", "sig-delimiter"])

    # --- Others ------------------------------------------------------------------------------------
    cid = "en/en-yahoo"
    me = ("Linda Martinez", "lindamartinez62@yahoo.com")
    m = o(cid, RENEWAL, me)
    body = yahoo("en", "Hello Sarah,\n\nI would like to switch to monthly billing please. Also can you remove the two seats for Tom and Julie, they have left the company.\n\nThank you\nLinda Martinez", m, seed=cid)
    reply(cid, "en", body, me, m)

    cid = "en/en-samsung"
    me = ("Carlos Rivera", "crivera.autoshop@gmail.com")
    m = o(cid, SUPPORT, me)
    body = samsung("en", "Yes we got the reminders today. Thank you", m, seed=cid)
    reply(cid, "en", body, me, m, tags=["mobile-footer", "header-block"])

    cid = "en/en-zoho-html-only"
    me = ("Victoria Hale", "victoria@haleevents.co")
    m = o(cid, FOLLOWUP, me)
    attr = f"---- On Mon, 03 Mar 2025 10:12:41 +0100 <b>Sarah Mitchell &lt;{m.sender_addr}&gt;</b> wrote ---"
    html = (
        '<!DOCTYPE html><html><head><meta content="text/html;charset=UTF-8" http-equiv="Content-Type"></head>'
        '<body><div style="font-family: Verdana, Arial, Helvetica, sans-serif; font-size: 10pt;">'
        "<div>Hi Sarah,<br></div><div><br></div><div>Not this week, we have two weddings back to back. "
        "Could we talk on Monday the 10th instead?<br></div><div><br></div><div>Victoria<br></div>"
        f'<div class="zmail_extra_hr" style="border-top: 1px solid rgb(204, 204, 204); height: 0px; margin-top: 10px; margin-bottom: 10px; line-height: 0px;"><br></div>'
        f'<div class="zmail_extra" data-zbluepencil-ignore="true"><div><br></div><div id="Zm-_Id_-Sgn1">{attr}<br></div><div><br></div>'
        f'<blockquote style="margin: 0px;">{div_lines(m.text)}</blockquote></div><div><br></div></div><br></body></html>\n'
    )
    body = html_only(html, "zoho", "Hi Sarah,\n\nNot this week, we have two weddings back to back. Could we talk on Monday the 10th instead?\n\nVictoria",
                     True, False, msgid="195a3c2e4f1.d2a61b7c134598.7231904581230049921@haleevents.co",
                     headers=[("User-Agent", "Zoho Mail"), ("X-Mailer", "Zoho Mail")])
    reply(cid, "en", body, me, m)
