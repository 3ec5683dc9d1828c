"""French replies."""

from attribution import When
from case import raddr
from clients import apple, esc, gmail, gmail_forward, html_only, outlook, owa, plain, samsung, thunderbird, yahoo
from common import OUTLOOK_RE, orig, reply
from mime import Binary, Multi, tiny_pdf, tiny_png

TRIAL = (
    "Votre essai Kalendo se termine dans 3 jours",
    """Bonjour {first},

Votre période d'essai de Kalendo se termine jeudi. Souhaitez-vous que nous fassions un point de 15 minutes pour voir si la formule Équipe vous convient ?

Bien à vous,
Claire Martin
Kalendo""",
)

QUOTE = (
    "Votre devis Kalendo Pro (12 utilisateurs)",
    """Bonjour {first},

Comme convenu, vous trouverez ci-dessous le récapitulatif de notre proposition :
- 12 licences Kalendo Pro à 9 € par utilisateur et par mois
- accompagnement au démarrage offert
- engagement annuel, facturation trimestrielle

N'hésitez pas à me dire si vous avez des questions.

Claire Martin
Kalendo""",
)

DEMO = (
    "Suite à notre démo de mardi",
    """Bonjour {first},

Merci encore pour votre temps mardi. Comme promis, je vous envoie le lien vers l'enregistrement de la démo et notre guide de démarrage.

Avez-vous pu en parler avec votre équipe ?

Claire""",
)

SUPPORT = (
    "Votre demande n°48213 : synchronisation Google Agenda",
    """Bonjour {first},

Nous avons corrigé le problème de synchronisation avec Google Agenda signalé la semaine dernière. Pouvez-vous nous confirmer que vos rendez-vous apparaissent de nouveau correctement ?

L'équipe support Kalendo""",
)


def o(cid, tpl, customer, **kw):
    subject, text = tpl
    first = customer[0].split()[0].rstrip(",")
    return orig(cid, "fr", customer, subject, text.format(first=first), **kw)


def build():
    # --- Gmail -----------------------------------------------------------------------------
    cid = "fr/fr-gmail-simple"
    me = ("Marie Dupont", "marie.dupont@gmail.com")
    m = o(cid, TRIAL, me)
    body = gmail("fr", "Bonjour Claire,\n\nOui, volontiers. Je suis disponible mercredi après-midi à partir de 14h, ou jeudi matin avant 11h.\n\nBonne journée,\nMarie", m, seed=cid)
    reply(cid, "fr", body, me, m)

    cid = "fr/fr-gmail-signature-dashes"
    me = ("Jean-Pierre Lefèvre", "jp.lefevre@menuiserie-lefevre.fr")
    m = o(cid, QUOTE, me)
    body = gmail(
        "fr",
        "Bonjour Claire,\n\nMerci pour le devis. Pouvez-vous me confirmer que l'accompagnement au démarrage inclut la formation de nos deux secrétaires ? Si c'est le cas, on peut signer dès la semaine prochaine.\n\nCordialement,\nJean-Pierre Lefèvre",
        m,
        sig="Jean-Pierre Lefèvre\nGérant\nMenuiserie Lefèvre & Fils\n12 rue des Artisans, 69007 Lyon\nTél. : 04 78 12 34 56 | Port. : 06 12 34 56 78\nwww.menuiserie-lefevre.fr",
        seed=cid,
    )
    reply(cid, "fr", body, me, m, tags=["sig-delimiter"])

    cid = "fr/fr-gmail-wrapped-attribution"
    me = ("Sophie Bernard", "s.bernard@cabinet-bernard-avocats.fr")
    m = o(cid, SUPPORT, me, sender=("Équipe Réussite Client Kalendo", "reussite-client.entreprises@example.com"))
    body = gmail("fr", "Bonjour,\n\nC'est bon de notre côté, tous les rendez-vous de la semaine sont revenus. Merci pour votre réactivité !\n\nSophie Bernard", m, seed=cid)
    reply(cid, "fr", body, me, m, tags=["wrapped-attribution"])

    cid = "fr/fr-gmail-only-quote"
    me = ("Lucie Garnier", "lucie.garnier@gmail.com")
    m = o(cid, DEMO, me)
    body = gmail("fr", "", m, seed=cid)
    reply(cid, "fr", body, me, m)

    cid = "fr/fr-gmail-prose-a-ecrit"
    me = ("Aurélie Chevalier", "aurelie.chevalier@chevalier-optique.fr")
    m = o(cid, QUOTE, me)
    body = gmail(
        "fr",
        "Bonjour Claire,\n\nJ'ai transmis votre proposition à notre directrice, voici ce qu'elle m'a écrit :\n\n« OK pour 12 licences si la formation est bien incluse. »\n\nJe vous laisse me confirmer ce point.\n\nBien à vous,\nAurélie Chevalier",
        m,
        seed=cid,
    )
    reply(cid, "fr", body, me, m, tags=["prose-wrote"])

    cid = "fr/fr-gmail-cc-token"
    me = ("Isabelle Henry", "isabelle@atelier-henry.fr")
    m = o(cid, DEMO, me)
    body = gmail(
        "fr",
        "Paul, je te mets en relation avec Claire de Kalendo pour la mise en place.\n\nClaire, Paul gère notre planning d'atelier et sera votre interlocuteur à partir de maintenant.\n\nBonne journée à vous deux,\nIsabelle",
        m,
        seed=cid,
    )
    reply(cid, "fr", body, me, m, to=[("Paul Henry", "paul.henry@atelier-henry.fr")], cc=[("Claire Martin", raddr(m.token))],
          expect_source="cc")

    cid = "fr/fr-gmail-forward"
    me = ("Marc Olivier", "marc@olivier-paysage.fr")
    m = o(cid, SUPPORT, me)
    body = gmail_forward(
        "fr",
        "Bonjour Claire,\n\nVoici la réponse de notre comptable concernant la facturation. Pouvez-vous faire le nécessaire ?\n\nMerci,\nMarc",
        [
            "De : Sylvie Renaud <s.renaud@cabinet-renaud.fr>",
            "Date: lun. 3 mars 2025 à 16:40",
            "Subject: Re: Facture Kalendo",
            "To: Marc Olivier <marc@olivier-paysage.fr>",
        ],
        "Bonjour Marc,\n\nMerci de demander à Kalendo d'ajouter notre numéro de TVA intracommunautaire sur les factures, sinon nous ne pourrons pas les déduire.\n\nBien cordialement,\nSylvie Renaud\nCabinet Renaud Expertise",
        seed=cid,
    )
    reply(cid, "fr", body, me, m, subject="Fwd: Re: Facture Kalendo", in_reply_to=[], references=[], tags=["forward"])

    # --- Outlook -----------------------------------------------------------------------------
    cid = "fr/fr-outlook-header-block"
    me = ("Dupont, Nathalie", "nathalie.dupont@transports-garnier.fr")
    m = o(cid, QUOTE, ("Nathalie Dupont", me[1]))
    body = outlook(
        "fr",
        "Bonjour Madame Martin,\n\nJe vous remercie pour votre proposition. Nous devons encore la valider en comité de direction le 12 mars ; je reviendrai vers vous juste après.\n\nCordialement,\nNathalie Dupont",
        m,
        sig="Responsable des achats\nTransports Garnier SAS\n145 avenue de la République – 59000 Lille\nTél. : +33 3 20 11 22 33\nwww.transports-garnier.fr<http://www.transports-garnier.fr/>\n\nCe message et ses pièces jointes sont confidentiels et destinés exclusivement à leurs destinataires. Si vous avez reçu ce message par erreur, merci d'en avertir immédiatement l'expéditeur et de le supprimer.",
        seed=cid,
    )
    reply(cid, "fr", body, me, m, prefix=OUTLOOK_RE["fr"], crlf=True, tags=["header-block", "disclaimer"],
          extra=[("X-Auto-Response-Suppress", "All")])

    cid = "fr/fr-outlook-message-origine"
    me = ("Philippe Moreau", "p.moreau@moreau-expertise.fr")
    m = o(cid, DEMO, me)
    body = outlook(
        "fr",
        "Bonjour Claire,\n\nJ'en ai parlé avec mes associés ce matin. Nous aimerions tester Kalendo sur un seul cabinet pendant deux mois avant de le déployer partout. Est-ce envisageable ?\n\nBien cordialement,\n\nPhilippe Moreau",
        m,
        sig="Expert-comptable associé\nMoreau Expertise & Conseil\n8, place Bellecour - 69002 Lyon\n04 72 00 00 00",
        sep="original",
        plain_mode=True,
        from_line="Claire Martin [mailto:claire.martin@example.com] ",
        seed=cid,
        charset="iso-8859-1",
    )
    reply(cid, "fr", body, me, m, prefix=OUTLOOK_RE["fr"], crlf=True, subject_charset="iso-8859-1",
          subject_style="Q", name_charset="iso-8859-1", name_enc="Q", tags=["header-block", "original-message"],
          extra=[("X-Mailer", "Microsoft Outlook 14.0")])

    cid = "fr/fr-owa-underscore"
    me = ("Camille Roux", "camille.roux@mairie-saint-aubin.fr")
    m = o(cid, SUPPORT, me)
    body = owa(
        "fr",
        "Bonjour,\n\nMalheureusement le problème persiste chez nous : les rendez-vous créés depuis le téléphone n'apparaissent toujours pas dans Google Agenda. Je vous joins une capture d'écran.\n\nCamille Roux",
        m,
        sig="Service État civil – Mairie de Saint-Aubin\n03 80 00 00 00",
        seed=cid,
    )
    reply(cid, "fr", body, me, m, prefix=OUTLOOK_RE["fr"], crlf=True, tags=["underscore-rule", "header-block"],
          attachments=[Binary("image/png", tiny_png(cid, 4, 3), filename="capture.png", filename_style="outlook")])

    cid = "fr/fr-outlook-mobile-android"
    me = ("Thomas Girard", "thomas.girard@outlook.fr")
    m = o(cid, DEMO, me)
    body = owa("fr", "Pas encore, je vous redis ça lundi.\n\nThomas", m, mobile="outlook-android", seed=cid)
    reply(cid, "fr", body, me, m, prefix=OUTLOOK_RE["fr"], tags=["mobile-footer", "underscore-rule"])

    cid = "fr/fr-outlook-attachments"
    me = ("Valérie Noël", "v.noel@noel-distribution.fr")
    m = o(cid, QUOTE, me)
    body = outlook(
        "fr",
        "Bonjour Claire,\n\nVeuillez trouver ci-joint le bon de commande signé pour les 12 licences.\n\nBien cordialement,\nValérie Noël",
        m,
        sig="Assistante de direction\n[cid:image001.png@01DB8C2A.5E3F1A20]\nNoël Distribution\n3 rue du Commerce, 44000 Nantes",
        seed=cid,
    )
    body.node = Multi("related", [body.node, Binary("image/png", tiny_png(cid), filename="image001.png",
                                                     disposition="inline", cid="image001.png@01DB8C2A.5E3F1A20")],
                      "_004_" + body.msgid.split("@")[0] + "_", params='type="multipart/alternative"')
    reply(cid, "fr", body, me, m, prefix=OUTLOOK_RE["fr"], crlf=True, tags=["header-block", "inline-image"],
          attachments=[Binary("application/pdf", tiny_pdf("Bon de commande"), filename="Bon de commande signé.pdf",
                              filename_style="rfc2047")],
          mixed_boundary="_005_" + body.msgid.split("@")[0] + "_")

    cid = "fr/fr-outlook-references-commas"
    me = ("Laurent Vidal", "laurent.vidal@vidal-plomberie.fr")
    m = o(cid, TRIAL, me)
    body = outlook(
        "fr",
        "Bonjour Claire,\n\nJe vous réponds directement : nous validons la formule Équipe pour 5 utilisateurs. Merci de m'envoyer la facture au nom de la SARL Vidal.\n\nCordialement,\nLaurent Vidal",
        m,
        sig="Gérant – SARL Vidal Plomberie\n02 40 00 00 00",
        seed=cid,
    )
    reply(cid, "fr", body, me, m, prefix=OUTLOOK_RE["fr"], crlf=True,
          to=[("Claire Martin", "claire.martin@example.com")],
          delivered_to=["inbound@mail.example.com"],
          references=["PAXPR10MB5123AB01C2D3E4F5A6B7C8D9E0@PAXPR10MB5123.EURPRD10.PROD.OUTLOOK.COM", m.msgid],
          refs_sep=",", expect_source="references", tags=["header-block", "exchange-references"])

    cid = "fr/fr-outlook-only-quote"
    me = ("Denis Perrin", "denis.perrin@perrin-sa.fr")
    m = o(cid, TRIAL, me)
    body = outlook("fr", "", m, seed=cid, layout="only_quote")
    reply(cid, "fr", body, me, m, prefix=OUTLOOK_RE["fr"], crlf=True, tags=["header-block"])

    cid = "fr/fr-outlook-windows-1252"
    me = ("Sébastien Caron", "s.caron@caron-btp.fr")
    m = o(cid, DEMO, me)
    body = outlook(
        "fr",
        "Bonjour,\n\nJ’ai bien reçu votre relance. Nous n’avons pas encore pris de décision… Le dossier est chez notre DAF, qui revient de congés lundi.\n\nSébastien Caron",
        m,
        sig="Conducteur de travaux – Caron BTP\n06 98 76 54 32",
        sep="original",
        plain_mode=True,
        charset="windows-1252",
        seed=cid,
    )
    reply(cid, "fr", body, me, m, prefix=OUTLOOK_RE["fr"], crlf=True, subject_charset="windows-1252", subject_style="Q",
          name_charset="windows-1252", name_enc="Q", tags=["header-block", "original-message"])

    # --- Apple ---------------------------------------------------------------------------------
    cid = "fr/fr-iphone"
    me = ("Émilie Laurent", "emilie.laurent@icloud.com")
    m = o(cid, TRIAL, me)
    body = apple("fr", "Bonjour Claire,\nJeudi 10h me va très bien. Appelez-moi sur mon portable.\nMerci !\nÉmilie", m,
                 device="iphone", bom=True, seed=cid)
    reply(cid, "fr", body, me, m, subject_style="Q", name_enc="Q", tags=["mobile-footer"])

    cid = "fr/fr-apple-mail"
    me = ("Hugo Lambert", "hugo@studio-lambert.fr")
    m = o(cid, QUOTE, me)
    body = apple("fr", "Bonjour Claire,\n\nC'est d'accord pour nous. Pouvez-vous m'envoyer le bon de commande à signer ?\n\nHugo", m, seed=cid)
    reply(cid, "fr", body, me, m, subject_style="Q", name_enc="Q")

    cid = "fr/fr-iphone-uppercase-token"
    me = ("Nicolas Fabre", "nicolas.fabre@me.com")
    m = o(cid, TRIAL, me)
    body = apple("fr", "Merci Claire, c'est noté pour jeudi 10h.", m, device="iphone", seed=cid)
    reply(cid, "fr", body, me, m, to=[("Claire Martin", raddr(m.token, upper=True))], subject_style="Q",
          tags=["mobile-footer", "uppercase-token"])

    # --- Thunderbird -------------------------------------------------------------------------
    cid = "fr/fr-thunderbird-bottom-post"
    me = ("Bernard Petit", "bernard.petit@free.fr")
    m = o(cid, DEMO, me)
    body = thunderbird(
        "fr",
        "Bonjour Claire,\n\nMerci pour l'enregistrement. Nous en avons discuté au bureau de l'association hier soir : nous partons sur la formule Associations, à condition de pouvoir exporter les inscriptions au format CSV pour notre trésorier.\n\nBien cordialement,\nBernard",
        m,
        sig="Bernard Petit\nAssociation Les Amis du Vieux Lyon\nhttps://amis-vieux-lyon.example.org",
        seed=cid,
    )
    reply(cid, "fr", body, me, m, tags=["bottom-post", "sig-delimiter"])

    cid = "fr/fr-thunderbird-inline"
    me = ("Olivier Garnier", "olivier@garnier-immo.fr")
    m = o(cid, QUOTE, me)
    q = m.text.split("\n")
    raw = (
        "Le 03/03/2025 à 10:12, Claire Martin a écrit :\n"
        + "\n".join(("> " + l) if l else ">" for l in q[:4])
        + "\n\nNous serons plutôt 14 : deux agents arrivent en avril.\n\n> "
        + q[4]
        + "\n\nParfait.\n\n> "
        + q[5]
        + "\n\nEst-il possible de payer mensuellement, même avec un engagement annuel ?\n\n"
        + "\n".join(("> " + l) if l else ">" for l in q[6:])
        + "\n\n-- \nOlivier Garnier\nGarnier Immobilier\n"
    )
    expected = (
        "\n".join(("> " + l) if l else ">" for l in q[:4])
        + "\n\nNous serons plutôt 14 : deux agents arrivent en avril.\n\n> "
        + q[4]
        + "\n\nParfait.\n\n> "
        + q[5]
        + "\n\nEst-il possible de payer mensuellement, même avec un engagement annuel ?"
    )
    from clients import flow, tb_msgid

    body = plain(flow(raw), "thunderbird", expected, True, True, charset="utf-8", cte="8bit", flowed=True,
                 quote_charset=False, headers=[("User-Agent", "Mozilla Thunderbird")], msgid=tb_msgid(cid, "garnier-immo.fr"))
    reply(cid, "fr", body, me, m, tags=["inline", "sig-delimiter"])

    cid = "fr/fr-thunderbird-iso-8859-15"
    me = ("François Lemaire", "francois.lemaire@wanadoo.fr")
    m = o(cid, QUOTE, me)
    body = thunderbird(
        "fr",
        "Bonjour Claire,\n\nLe tarif de 9 € par utilisateur nous convient, mais pouvez-vous descendre à 8 € si nous passons à 20 licences l'année prochaine ?\n\nCordialement,\nFrançois Lemaire",
        m,
        seed=cid,
        charset="ISO-8859-15",
        cte="quoted-printable",
        domain="wanadoo.fr",
    )
    reply(cid, "fr", body, me, m, subject_charset="iso-8859-15", subject_style="Q", name_charset="iso-8859-15",
          name_enc="Q", tags=["bottom-post"])

    # --- Yahoo, Samsung, webmails ---------------------------------------------------------------
    cid = "fr/fr-yahoo"
    me = ("Josiane Mercier", "josiane.mercier@yahoo.fr")
    m = o(cid, TRIAL, me)
    body = yahoo("fr", "Bonjour,\n\nJe ne souhaite pas continuer après l'essai, merci de ne pas me prélever.\n\nJosiane Mercier", m,
                 footer="Envoyé de Yahoo Mail pour Android", seed=cid)
    reply(cid, "fr", body, me, m, tags=["mobile-footer"])

    cid = "fr/fr-samsung"
    me = ("Karim Benali", "karim.benali@sfr.fr")
    m = o(cid, SUPPORT, me)
    body = samsung("fr", "Oui ça remarche merci beaucoup", m, seed=cid)
    reply(cid, "fr", body, me, m, tags=["mobile-footer", "header-block"])

    cid = "fr/fr-zimbra"
    me = ("Anne Fontaine", "anne.fontaine@lp-jeanmoulin.fr")
    m = o(cid, TRIAL, me)
    rep = "Bonjour Claire,\n\nPouvez-vous me rappeler le prix par utilisateur pour la formule Équipe ? Je ne le retrouve pas sur votre site.\n\nMerci,\nAnne Fontaine"
    raw = (
        rep
        + "\nLycée professionnel Jean Moulin\n\n----- Mail original -----\n"
        + 'De: "Claire Martin" <claire.martin@example.com>\n'
        + 'À: "Anne Fontaine" <anne.fontaine@lp-jeanmoulin.fr>\n'
        + "Envoyé: Lundi 3 Mars 2025 10:12:41\n"
        + f"Objet: {m.subject}\n\n"
        + m.text
        + "\n"
    )
    body = plain(raw, "zimbra", rep, True, True, headers=[("X-Mailer", "Zimbra 9.0.0_GA_4546 (ZimbraWebClient - FF123 (Linux)/9.0.0_GA_4546)")])
    reply(cid, "fr", body, me, m, tags=["header-block"])

    cid = "fr/fr-orange-webmail-html-only"
    me = ("Gérard Blanc", "gerard.blanc@orange.fr")
    m = o(cid, TRIAL, me)
    quoted = ["Message du 03/03/25 10:12", 'De : "Claire Martin" <claire.martin@example.com>',
              "A : gerard.blanc@orange.fr", "Copie à : ", f"Objet : {m.subject}", ""] + m.text.split("\n")
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>'
        "<div>Bonjour Madame Martin,</div><div><br></div>"
        "<div>Je voudrais annuler mon abonnement à la fin du mois, s'il vous plaît.</div><div><br></div>"
        "<div>Cordialement,</div><div>Gérard Blanc</div><div><br></div><div><br></div>"
        '<blockquote style="margin-left:5px;padding-left:5px;border-left:2px solid #ff6600">'
        + "".join(f"<div>{esc(l) if l else '<br>'}</div>" for l in quoted)
        + "</blockquote></body></html>\n"
    )
    body = html_only(html, "orange-webmail",
                     "Bonjour Madame Martin,\n\nJe voudrais annuler mon abonnement à la fin du mois, s'il vous plaît.\n\nCordialement,\nGérard Blanc",
                     True, False, headers=[("X-Mailer", "Orange Mail")])
    reply(cid, "fr", body, me, m, subject_style="Q", name_enc="Q")

    cid = "fr/fr-gmail-html-gmail-quote-only"
    me = ("Élodie Marchand", "elodie.marchand@gmail.com")
    m = o(cid, DEMO, me, when=When(2025, 2, 25, 16, 5, 9))
    body = gmail("fr", "Bonjour Claire,\n\nPas encore, la direction se réunit vendredi. Je vous tiens au courant dès que j'ai une réponse.\n\nÉlodie", m,
                 seed=cid, shape="html")
    reply(cid, "fr", body, me, m, tags=["gmail-quote"])
