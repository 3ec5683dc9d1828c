"""Mailing-list mail from a person (still a reply), and our own mail echoed back (own loop)."""

from attribution import When
from case import case, raddr, token
from clients import Body, div_lines, gmail, outlook, thunderbird
from common import OUTLOOK_RE, orig, reply
from mime import Multi, Text, seeded


def build():
    # --- Mailing lists --------------------------------------------------------------------------
    cid = "list/list-google-group-de"
    m = orig(cid, "de", ("Vertrieb", "vertrieb@kunde-gmbh.de"), "Ihre Anfrage zu Kalendo",
             "Hallo zusammen,\n\ndanke für Ihre Anfrage über unser Kontaktformular. Wann passt Ihnen ein kurzes Gespräch?\n\nViele Grüße\nJonas Becker")
    body = gmail("de", "Hallo Herr Becker,\n\nam besten Dienstag oder Mittwoch ab 10 Uhr. Ich bin Ihre Ansprechpartnerin für das Projekt.\n\nViele Grüße\nAnna Schmidt", m, seed=cid)
    gid = "vertrieb.kunde-gmbh.de"
    reply(cid, "de", body, ("'Anna Schmidt' via Vertrieb", "vertrieb@kunde-gmbh.de"), m,
          reply_to=("Anna Schmidt", "anna.schmidt@kunde-gmbh.de"),
          extra=[
              ("X-Original-Sender", "anna.schmidt@kunde-gmbh.de"),
              ("X-Original-Authentication-Results", "mx.google.com; dkim=pass header.i=@kunde-gmbh.de"),
              ("Precedence", "list"),
              ("Mailing-list", "list vertrieb@kunde-gmbh.de; contact vertrieb+owners@kunde-gmbh.de"),
              ("List-ID", f"<{gid}>"),
              ("X-Spam-Checked-In-Group", "anna.schmidt@kunde-gmbh.de"),
              ("X-Google-Group-Id", "401865829931"),
              ("List-Post", "<https://groups.google.com/a/kunde-gmbh.de/group/vertrieb/post>, <mailto:vertrieb@kunde-gmbh.de>"),
              ("List-Help", "<https://support.google.com/a/kunde-gmbh.de/bin/topic.py?topic=25838>, <mailto:vertrieb+help@kunde-gmbh.de>"),
              ("List-Unsubscribe", "<mailto:googlegroups-manage+401865829931+unsubscribe@googlegroups.com>"),
          ],
          tags=["google-groups"])

    cid = "list/list-mailman-en"
    m = orig(cid, "en", ("Board", "board@lists.riverside-gardens.org"), "Booking tool for the community garden plots",
             "Hi all,\n\nAs discussed with Margaret, here is how Kalendo could handle the plot and tool-shed bookings for the club. Happy to answer questions.\n\nSarah")
    body = thunderbird("en", "Thanks Sarah. The board voted last night: we'd like to try it for the tool shed first, starting in April.\n\nMargaret", m,
                       seed=cid, domain="riverside-gardens.org")
    lid = "board.lists.riverside-gardens.org"
    reply(cid, "en", body, ("Margaret Ellis", "margaret.ellis@riverside-gardens.org"), m,
          to=[("Riverside Gardens Board", "board@lists.riverside-gardens.org")], cc=[("Sarah Mitchell", raddr(m.token))],
          extra=[
              ("Message-ID-Hash", "QK3LZ7YB4M2XW5RT6PN8HJ9DC0FVGS1A"),
              ("X-Message-ID-Hash", "QK3LZ7YB4M2XW5RT6PN8HJ9DC0FVGS1A"),
              ("X-Mailman-Rule-Misses", "dmarc-mitigation; no-senders; approved; emergency; loop; banned-address; member-moderation"),
              ("X-Mailman-Version", "3.3.9"),
              ("Precedence", "list"),
              ("List-Id", f'"Riverside Gardens Board" <{lid}>'),
              ("Archived-At", "<https://lists.riverside-gardens.org/archives/list/board@lists.riverside-gardens.org/message/QK3LZ7YB4M2XW5RT6PN8HJ9DC0FVGS1A/>"),
              ("List-Archive", "<https://lists.riverside-gardens.org/archives/list/board@lists.riverside-gardens.org/>"),
              ("List-Help", "<mailto:board-request@lists.riverside-gardens.org?subject=help>"),
              ("List-Owner", "<mailto:board-owner@lists.riverside-gardens.org>"),
              ("List-Post", "<mailto:board@lists.riverside-gardens.org>"),
              ("List-Subscribe", "<mailto:board-join@lists.riverside-gardens.org>"),
              ("List-Unsubscribe", "<mailto:board-leave@lists.riverside-gardens.org>"),
          ],
          expect_source="cc", tags=["mailman", "bottom-post"])

    cid = "list/list-sympa-fr"
    m = orig(cid, "fr", ("Marc Lebrun", "marc.lebrun@univ-exemple.fr"), "Outil de prise de rendez-vous pour le service de santé",
             "Bonjour Monsieur Lebrun,\n\nSuite à notre échange, je vous propose une démonstration de Kalendo pour le service de santé universitaire.\n\nClaire Martin")
    body = outlook("fr", "Bonjour Madame Martin,\n\nJe mets en copie la liste du service achats. Une démonstration le 18 mars à 14h conviendrait à toute l'équipe.\n\nCordialement,\nMarc Lebrun", m,
                   sig="Service de santé universitaire\nUniversité Exemple\n03 00 00 00 00", seed=cid)
    reply(cid, "fr", body, ("Marc Lebrun", "marc.lebrun@univ-exemple.fr"), m, prefix=OUTLOOK_RE["fr"], crlf=True,
          cc=[("Liste achats", "achats@listes.univ-exemple.fr")],
          extra=[
              ("X-Loop", "achats@listes.univ-exemple.fr"),
              ("X-Sequence", "2841"),
              ("Errors-To", "achats-owner@listes.univ-exemple.fr"),
              ("Precedence", "list"),
              ("Sender", "achats-request@listes.univ-exemple.fr"),
              ("X-no-archive", "yes"),
              ("List-Id", "<achats.listes.univ-exemple.fr>"),
              ("List-Help", "<mailto:sympa@listes.univ-exemple.fr?subject=help>"),
              ("List-Subscribe", "<mailto:sympa@listes.univ-exemple.fr?subject=subscribe%20achats>"),
              ("List-Unsubscribe", "<mailto:sympa@listes.univ-exemple.fr?subject=unsubscribe%20achats>"),
              ("List-Post", "<mailto:achats@listes.univ-exemple.fr>"),
              ("List-Owner", "<mailto:achats-request@listes.univ-exemple.fr>"),
          ],
          tags=["sympa", "header-block"])

    cid = "list/list-id-with-precedence-bulk"
    m = orig(cid, "es", ("Socios", "socios@lista.colegio-fisios.es"), "Agenda online para clínicas asociadas",
             "Hola a todos:\n\nComo os comenté en la asamblea, Kalendo ofrece un 20 % de descuento a las clínicas del colegio.\n\nJavier Ortega")
    body = gmail("es", "Hola Javier:\n\nMe interesa para mi clínica de Zaragoza. ¿El descuento se aplica también al plan anual?\n\nGracias,\nNuria", m, seed=cid)
    reply(cid, "es", body, ("Nuria Gil", "nuria.gil@fisiogil.es"), m, cc=[("Socios", "socios@lista.colegio-fisios.es")],
          extra=[("List-Id", "Socios del Colegio <socios.lista.colegio-fisios.es>"), ("Precedence", "bulk"),
                 ("List-Unsubscribe", "<mailto:leave-socios@lista.colegio-fisios.es>"), ("X-Lyris-Message-Id", "<LYR184-5521-2025.03.03-13.19.41--socios>")],
          tags=["lyris", "precedence-bulk-with-list-id"])

    cid = "list/list-precedence-list-only"
    m = orig(cid, "en", ("Clients", "clients@lists.hartley-accounting.com"), "Client portal and booking",
             "Hello,\n\nKalendo can give your clients a booking page for tax appointments. Would a short call help?\n\nSarah")
    body = gmail("en", "Hi Sarah,\n\nForwarding this to the partners' list was a mistake on my side, sorry. We're not looking for a new tool until after tax season.\n\nGeorge Hartley", m, seed=cid)
    reply(cid, "en", body, ("George Hartley", "george@hartley-accounting.com"), m,
          extra=[("Precedence", "list"), ("Sender", "owner-clients@lists.hartley-accounting.com"), ("X-Loop", "clients@lists.hartley-accounting.com")],
          tags=["majordomo"])

    # --- Own loop ----------------------------------------------------------------------------------
    cid = "loop/loop-notification-forwarded-back"
    tok = token(cid)
    text = ("Marie Dupont a répondu à « Votre essai Kalendo se termine dans 3 jours » :\n\n"
            "Oui, volontiers. Je suis disponible mercredi après-midi.\n\n"
            "Répondez directement à cet e-mail pour lui écrire.\n\n-- \nKalendo · Vous recevez cet e-mail car les notifications de réponse sont activées.")
    html = f'<html><body style="font-family:Arial,sans-serif">{div_lines(text)}</body></html>\n'
    node = Multi("alternative", [Text(text, cte="quoted-printable"), Text(html, subtype="html", cte="quoted-printable")],
                 "rt-" + seeded(cid, 24))
    body = Body(node, "replytrack", "", False, False, shape="alternative")
    case(cid, body, kind="own_loop", frm=("Kalendo", "noreply@example.com"), to=[("Claire Martin", raddr(tok))],
         subject="Nouvelle réponse de Marie Dupont : Votre essai Kalendo se termine dans 3 jours", when=When(2025, 3, 3, 13, 20, 2),
         return_path="<bounce+notify@example.com>", lang="fr",
         msgid=f"{tok}.{seeded(cid, 10, 'abcdefghjkmnpqrstvwxyz0123456789')}@reply.example.com",
         extra=[("X-Replytrack-Id", "evt_01JNEB7Y4Q9XK2M3ZP6T8VW1RD"), ("Auto-Submitted", "auto-generated"),
                ("X-Auto-Response-Suppress", "All")],
         check_reply=False, expect_source="to", tags=["notification"])

    cid = "loop/loop-outbound-bcc-archive"
    tok = token(cid)
    text = "Hi Daniel,\n\nFollowing up on my last email: would Thursday at 2pm work for a quick call?\n\nBest,\nSarah Mitchell\nAccount Executive, Kalendo"
    node = Multi("alternative", [Text(text, cte="7bit"), Text(f"<html><body>{div_lines(text)}</body></html>\n", subtype="html", cte="7bit")],
                 "rt-" + seeded(cid, 24))
    body = Body(node, "replytrack", "", False, False, shape="alternative")
    case(cid, body, kind="own_loop", frm=("Sarah Mitchell", "sarah.mitchell@example.com"), to=[("Daniel Foster", "dan.foster@gmail.com")],
         reply_to=("Sarah Mitchell", raddr(tok)), subject="Quick question about your team's scheduling",
         when=When(2025, 3, 5, 9, 0, 0), delivered_to=[raddr(tok)], return_path="<bounce@example.com>", lang="en",
         msgid=f"{tok}.{seeded(cid, 10, 'abcdefghjkmnpqrstvwxyz0123456789')}@reply.example.com",
         extra=[("X-Replytrack-Id", "msg_01JNEC2H8W5R7T9K3M4P6Q1ZXY")], check_reply=False, expect_source="delivered_to",
         tags=["bcc"])

    cid = "loop/loop-own-domain-colleague-is-a-reply"
    m = orig(cid, "fr", ("Marie Dupont", "marie.dupont@gmail.com"), "Votre essai Kalendo se termine dans 3 jours",
             "Bonjour Marie,\n\nVotre période d'essai de Kalendo se termine jeudi.\n\nClaire")
    body = gmail("fr", "Bonjour Marie,\n\nJe prends le relais de Claire pendant ses congés. Je vous appelle jeudi à 10h comme convenu.\n\nBien à vous,\nLucas", m, seed=cid)
    reply(cid, "fr", body, ("Lucas Bernard", "lucas.bernard@example.com"), m, to=[("Marie Dupont", "marie.dupont@gmail.com")],
          cc=[("Claire Martin", raddr(m.token))], expect_source="cc", tags=["own-domain"])
