"""Italian, Dutch, Polish, Swedish, Danish, Norwegian, Russian and Japanese replies."""

from clients import apple, esc, gmail, html_only, outlook, owa, plain, thunderbird  # noqa: F401
from common import OUTLOOK_RE, orig, reply

IT_TRIAL = (
    "La tua prova di Kalendo termina giovedì",
    """Ciao {first},

il tuo periodo di prova di Kalendo termina giovedì. Hai 15 minuti questa settimana per una breve chiamata e capire quale piano fa al caso tuo?

A presto,
Giulia Romano
Kalendo""",
)
IT_OFFER = (
    "Offerta Kalendo Pro per il vostro studio",
    """Buongiorno {first},

come concordato, le invio un riepilogo dell'offerta:
- 6 licenze Kalendo Pro a 9 € per utente al mese
- formazione iniziale inclusa
- contratto annuale con fatturazione trimestrale

Resto a disposizione per qualsiasi domanda.

Cordiali saluti,
Giulia Romano""",
)
NL_TRIAL = (
    "Je proefperiode van Kalendo loopt donderdag af",
    """Hoi {first},

Je proefperiode van Kalendo loopt donderdag af. Heb je deze week 15 minuten voor een kort gesprek, zodat we samen het beste abonnement kunnen kiezen?

Groet,
Daan de Vries
Kalendo""",
)
NL_INVOICE = (
    "Factuur februari – Kalendo",
    """Beste {first},

In de bijlage vind je de factuur over februari. Het bedrag wordt op 10 maart automatisch afgeschreven.

Met vriendelijke groet,
Daan de Vries""",
)
PL_TRIAL = (
    "Twój okres próbny Kalendo kończy się w czwartek",
    """Dzień dobry,

Twój okres próbny Kalendo kończy się w czwartek. Czy ma Pan/Pani w tym tygodniu 15 minut na krótką rozmowę, żebyśmy wspólnie wybrali najlepszy plan?

Pozdrawiam,
Katarzyna Nowak
Kalendo""",
)
SV_TRIAL = (
    "Din provperiod hos Kalendo slutar på torsdag",
    """Hej {first},

Din provperiod hos Kalendo slutar på torsdag. Har du 15 minuter den här veckan för ett kort samtal, så att vi kan hitta rätt abonnemang?

Vänliga hälsningar
Erik Lindqvist
Kalendo""",
)
DA_TRIAL = (
    "Din prøveperiode hos Kalendo udløber på torsdag",
    """Hej {first},

Din prøveperiode hos Kalendo udløber på torsdag. Har du 15 minutter i denne uge til en kort snak, så vi kan finde det rigtige abonnement?

Venlig hilsen
Mette Jensen
Kalendo""",
)
NO_TRIAL = (
    "Prøveperioden din hos Kalendo utløper torsdag",
    """Hei {first},

Prøveperioden din hos Kalendo utløper torsdag. Har du 15 minutter denne uken til en kort prat, slik at vi finner riktig abonnement?

Vennlig hilsen
Ingrid Haugen
Kalendo""",
)
RU_TRIAL = (
    "Ваш пробный период Kalendo заканчивается в четверг",
    """Здравствуйте, {first}!

Ваш пробный период Kalendo заканчивается в четверг. Найдётся ли у вас 15 минут на этой неделе для короткого звонка, чтобы подобрать подходящий тариф?

С уважением,
Алексей Смирнов
Kalendo""",
)
JA_TRIAL = (
    "Kalendo無料トライアル終了のお知らせ",
    """{first}様

いつもお世話になっております。Kalendoの佐藤です。

ご利用中の無料トライアルは今週木曜日に終了いたします。最適なプランをご案内するため、15分ほどお時間をいただけませんでしょうか。

よろしくお願いいたします。

佐藤 美咲
Kalendo""",
)


def o(cid, lang, tpl, customer, **kw):
    subject, text = tpl
    return orig(cid, lang, customer, subject, text.format(first=customer[0].split()[0]), **kw)


def build():
    # ================================ Italian ==============================================
    L = "it"
    cid = "it/it-gmail"
    me = ("Marco Bianchi", "marco.bianchi@gmail.com")
    m = o(cid, L, IT_TRIAL, me)
    body = gmail(L, "Ciao Giulia,\n\nva bene mercoledì alle 15? Mandami pure un invito sul calendario.\n\nGrazie,\nMarco", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "it/it-gmail-signature-dashes"
    me = ("Luca Esposito", "luca.esposito@espositoauto.it")
    m = o(cid, L, IT_OFFER, me)
    body = gmail(L, "Buongiorno,\n\nci serve anche la fattura elettronica tramite SDI. Il nostro codice destinatario è M5UXCR1.\n\nSaluti,\nLuca Esposito", m,
                 sig="Luca Esposito\nResponsabile amministrativo\nEsposito Auto S.r.l.\nP.IVA 00000000000\nTel. 081 0000000", seed=cid)
    reply(cid, L, body, me, m, tags=["sig-delimiter"])

    cid = "it/it-outlook-disclaimer"
    me = ("Francesca Russo", "f.russo@studiorusso.it")
    m = o(cid, L, IT_OFFER, me)
    body = outlook(
        L,
        "Buongiorno Giulia,\n\ngrazie per l'offerta. Prima di procedere avremmo bisogno di sapere se i dati vengono conservati su server in Italia o comunque nell'Unione Europea.\n\nCordiali saluti\nFrancesca Russo",
        m,
        sig="Studio Associato Russo & Colombo\nVia Roma 25 – 20121 Milano\nTel. 02 0000000\n\nAi sensi del Regolamento UE 2016/679 (GDPR), le informazioni contenute in questo messaggio sono riservate e ad uso esclusivo del destinatario. Qualora il messaggio le fosse pervenuto per errore, la preghiamo di eliminarlo senza copiarlo e di darcene comunicazione.",
        seed=cid,
        body_lang="IT",
    )
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block", "disclaimer"])

    cid = "it/it-outlook-underscore-rule"
    me = ("Sara Colombo", "sara.colombo@colombo-fisioterapia.it")
    m = o(cid, L, IT_TRIAL, me)
    body = outlook(L, "Ciao Giulia,\n\ngiovedì alle 11 va bene. Puoi chiamarmi direttamente in studio?\n\nGrazie,\nSara", m,
                   sig="Colombo Fisioterapia\nVia Garibaldi 8 – 10122 Torino\nTel. 011 0000000", sep="underscore", seed=cid, body_lang="IT")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block", "underscore-rule"])

    cid = "it/it-iphone"
    me = ("Alessandro Ricci", "ale.ricci@icloud.com")
    m = o(cid, L, IT_TRIAL, me)
    body = apple(L, "Giovedì mattina va benissimo, chiamami verso le 10.", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "it/it-libero-webmail"
    me = ("Roberta Conti", "roberta.conti@libero.it")
    m = o(cid, L, IT_OFFER, me)
    rep = "Buongiorno,\nvorrei sapere se è possibile pagare con bonifico bancario invece che con carta di credito.\nGrazie\nRoberta Conti"
    raw = (rep + "\n\n\n----Messaggio originale----\nDa: giulia.romano@example.com\nData: 3-mar-2025 10.12\n"
           + 'A: "roberta.conti@libero.it"<roberta.conti@libero.it>\n' + f"Ogg: {m.subject}\n\n" + m.text + "\n")
    body = plain(raw, "libero", rep, True, False, charset="iso-8859-15", cte="quoted-printable")
    reply(cid, L, body, me, m, subject_charset="iso-8859-15", subject_style="Q", tags=["header-block"])

    cid = "it/it-thunderbird-bottom-post"
    me = ("Paolo Greco", "paolo.greco@tiscali.it")
    m = o(cid, L, IT_TRIAL, me)
    body = thunderbird(L, "Ciao Giulia,\n\nabbiamo deciso di non proseguire per ora, ma ti ringrazio per la disponibilità.\n\nPaolo", m, seed=cid, domain="tiscali.it")
    reply(cid, L, body, me, m, tags=["bottom-post"])

    cid = "it/it-apple-mail"
    me = ("Chiara Marino", "chiara@marinodesign.it")
    m = o(cid, L, IT_OFFER, me)
    body = apple(L, "Buongiorno Giulia,\n\nperfetto, possiamo firmare. Mi manda il contratto in PDF?\n\nUn saluto,\nChiara", m, seed=cid)
    reply(cid, L, body, me, m, subject_style="Q")

    # ================================ Dutch ================================================
    L = "nl"
    cid = "nl/nl-gmail"
    me = ("Sanne Jansen", "sanne.jansen@gmail.com")
    m = o(cid, L, NL_TRIAL, me)
    body = gmail(L, "Hoi Daan,\n\nWoensdag om 14:00 komt mij goed uit. Stuur je een uitnodiging?\n\nGroetjes,\nSanne", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "nl/nl-gmail-wrapped-attribution"
    me = ("Ruben Peeters", "ruben.peeters@telenet.be")
    m = o(cid, L, NL_INVOICE, me, sender=("Kalendo Klantenservice Nederland en België", "klantenservice.nederland.belgie@example.com"))
    body = gmail(L, "Dag Daan,\n\nBedankt voor de factuur. Kunnen jullie voortaan ook ons btw-nummer BE0000000000 vermelden?\n\nVriendelijke groeten,\nRuben", m, seed=cid)
    reply(cid, L, body, me, m, tags=["wrapped-attribution", "nl-be"])

    cid = "nl/nl-outlook-header-block"
    me = ("Pieter Bakker", "p.bakker@bakkerinstallatie.nl")
    m = o(cid, L, NL_INVOICE, me)
    body = outlook(L, "Beste Daan,\n\nDe factuur staat op naam van ons oude adres. Kun je een nieuwe factuur sturen met het adres Stationsweg 12, 3511 AB Utrecht?\n\nMet vriendelijke groet,\nPieter Bakker", m,
                   sig="Bakker Installatietechniek B.V.\nT 030 000 0000\nKvK 00000000", seed=cid, body_lang="NL")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "nl/nl-outlook-oorspronkelijk-bericht"
    me = ("Ingrid Mulder", "i.mulder@gemeente-voorbeeld.nl")
    m = o(cid, L, NL_TRIAL, me)
    body = outlook(L, "Goedemiddag,\n\nWij willen graag een offerte voor 25 gebruikers, inclusief een verwerkersovereenkomst.\n\nMet vriendelijke groet,\nIngrid Mulder", m,
                   sig="Afdeling Burgerzaken\nGemeente Voorbeeld\nTelefoon 14 000", sep="original", plain_mode=True, seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block", "original-message"])

    cid = "nl/nl-iphone"
    me = ("Emma Visser", "emma.visser@icloud.com")
    m = o(cid, L, NL_TRIAL, me)
    body = apple(L, "Donderdagochtend kan ik wel, bel me maar om 10 uur.", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "nl/nl-apple-mail"
    me = ("Lars Smit", "lars@smitfotografie.nl")
    m = o(cid, L, NL_INVOICE, me)
    body = apple(L, "Hoi Daan,\n\nBetaling is vandaag overgemaakt, het automatisch afschrijven lukte niet omdat mijn rekening veranderd is.\n\nGroet,\nLars", m, seed=cid)
    reply(cid, L, body, me, m, subject_style="Q")

    # ================================ Polish ================================================
    L = "pl"
    cid = "pl/pl-gmail"
    me = ("Tomasz Kowalski", "tomasz.kowalski@gmail.com")
    m = o(cid, L, PL_TRIAL, me)
    body = gmail(L, "Dzień dobry,\n\nŚroda o 14:00 mi pasuje. Proszę przesłać zaproszenie na ten adres.\n\nPozdrawiam,\nTomasz Kowalski", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "pl/pl-outlook-header-block"
    me = ("Agnieszka Wiśniewska", "a.wisniewska@wisniewska-dental.pl")
    m = o(cid, L, PL_TRIAL, me)
    body = outlook(L, "Dzień dobry,\n\nZdecydowaliśmy się przejść na plan Zespół dla 4 osób. Proszę o fakturę VAT na dane z poprzedniego zamówienia.\n\nZ poważaniem\nAgnieszka Wiśniewska", m,
                   sig="Gabinet Stomatologiczny Wiśniewska\nul. Marszałkowska 10, 00-001 Warszawa\nNIP 000-000-00-00\ntel. 22 000 00 00", seed=cid, body_lang="PL")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "pl/pl-thunderbird-iso-8859-2"
    me = ("Paweł Zieliński", "pawel.zielinski@onet.pl")
    m = o(cid, L, PL_TRIAL, me)
    body = thunderbird(L, "Dzień dobry,\n\nNa razie rezygnujemy, ale dziękuję za pomoc i szybkie odpowiedzi.\n\nPaweł Zieliński", m, seed=cid,
                       domain="onet.pl", charset="ISO-8859-2", cte="quoted-printable")
    reply(cid, L, body, me, m, subject_charset="iso-8859-2", subject_style="Q", name_charset="iso-8859-2", name_enc="Q", tags=["bottom-post"])

    cid = "pl/pl-wp-webmail"
    me = ("Magdalena Lewandowska", "magda.lewandowska@wp.pl")
    m = o(cid, L, PL_TRIAL, me)
    rep = "Dzień dobry,\nczy można płacić przelewem zamiast kartą?\nPozdrawiam\nMagdalena Lewandowska"
    raw = (rep + "\n\nDnia 3 marca 2025 10:12 Katarzyna Nowak <katarzyna.nowak@example.com> napisał(a):\n\n"
           + "\n".join(("> " + l) if l else ">" for l in m.text.split("\n")) + "\n")
    body = plain(raw, "wp", rep, True, False, charset="utf-8", cte="quoted-printable", headers=[("X-Mailer", "Wirtualna Polska - http://www.wp.pl/")])
    reply(cid, L, body, me, m)

    cid = "pl/pl-iphone"
    me = ("Michał Kamiński", "michal.kaminski@icloud.com")
    m = o(cid, L, PL_TRIAL, me)
    body = apple(L, "Czwartek rano mi pasuje, proszę dzwonić około 10.", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    # ================================ Swedish ===============================================
    L = "sv"
    cid = "sv/sv-gmail"
    me = ("Anna Karlsson", "anna.karlsson@gmail.com")
    m = o(cid, L, SV_TRIAL, me)
    body = gmail(L, "Hej Erik,\n\nOnsdag klockan 14 passar bra för mig. Skicka gärna en inbjudan.\n\nMvh\nAnna", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "sv/sv-outlook-header-block"
    me = ("Johan Nilsson", "johan.nilsson@nilssonbygg.se")
    m = o(cid, L, SV_TRIAL, me)
    body = outlook(L, "Hej Erik,\n\nVi har bestämt oss för att fortsätta med Kalendo. Kan ni skicka avtalet för tio användare?\n\nMed vänliga hälsningar\nJohan Nilsson", m,
                   sig="Projektledare\nNilsson Bygg AB\nStorgatan 5, 111 22 Stockholm\nTel: 08-000 000 00", seed=cid, body_lang="SV")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "sv/sv-iphone"
    me = ("Sara Andersson", "sara.andersson@icloud.com")
    m = o(cid, L, SV_TRIAL, me)
    body = apple(L, "Torsdag förmiddag går bra, ring mig runt tio så tar vi det då.", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "sv/sv-apple-mail"
    me = ("Oskar Berg", "oskar@bergdesign.se")
    m = o(cid, L, SV_TRIAL, me)
    body = apple(L, "Hej Erik,\n\nTack för påminnelsen. Vi väljer nog månadsbetalning, men jag återkommer efter styrelsemötet på fredag.\n\nHälsningar\nOskar", m, seed=cid)
    reply(cid, L, body, me, m, subject_style="Q")

    cid = "sv/sv-outlook-mobile-ios"
    me = ("Maria Eriksson", "maria.eriksson@outlook.com")
    m = o(cid, L, SV_TRIAL, me)
    body = owa(L, "Nästa vecka passar bättre, tisdag?", m, mobile="outlook-ios", seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], tags=["mobile-footer", "underscore-rule"])

    # ================================ Danish ================================================
    L = "da"
    cid = "da/da-gmail"
    me = ("Rasmus Nielsen", "rasmus.nielsen@gmail.com")
    m = o(cid, L, DA_TRIAL, me)
    body = gmail(L, "Hej Mette,\n\nOnsdag klokken 14 passer mig fint. Send gerne en invitation til denne adresse.\n\nHilsen\nRasmus", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "da/da-outlook-header-block"
    me = ("Louise Hansen", "lh@hansen-revision.dk")
    m = o(cid, L, DA_TRIAL, me)
    body = outlook(L, "Hej Mette,\n\nVi ønsker at fortsætte efter prøveperioden, men kun med tre brugere. Kan I sende en ny aftale?\n\nVenlig hilsen\nLouise Hansen", m,
                   sig="Hansen Revision ApS\nVestergade 8, 8000 Aarhus C\nTlf. 86 00 00 00\nCVR 00000000", seed=cid, body_lang="DA")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "da/da-iphone"
    me = ("Frederik Pedersen", "frederik.pedersen@icloud.com")
    m = o(cid, L, DA_TRIAL, me)
    body = apple(L, "Torsdag formiddag er fint, ring til mig omkring klokken ti.", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "da/da-owa-underscore"
    me = ("Camilla Larsen", "camilla.larsen@kommune-eksempel.dk")
    m = o(cid, L, DA_TRIAL, me)
    body = owa(L, "Hej Mette,\n\nVi har desværre ikke fået budgettet godkendt endnu. Jeg vender tilbage, når jeg ved mere.\n\nMed venlig hilsen\nCamilla Larsen", m, seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block", "underscore-rule"])

    # ================================ Norwegian =============================================
    L = "no"
    cid = "no/no-gmail"
    me = ("Ole Hansen", "ole.hansen@gmail.com")
    m = o(cid, L, NO_TRIAL, me)
    body = gmail(L, "Hei Ingrid,\n\nOnsdag klokken 14 passer fint for meg. Send gjerne en invitasjon.\n\nHilsen\nOle", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "no/no-outlook-header-block"
    me = ("Kari Nordmann", "kari.nordmann@nordmann-eiendom.no")
    m = o(cid, L, NO_TRIAL, me)
    body = outlook(L, "Hei Ingrid,\n\nVi ønsker å fortsette med Kalendo etter prøveperioden, men bare med fem brukere. Kan dere sende en ny avtale?\n\nMed vennlig hilsen\nKari Nordmann", m,
                   sig="Daglig leder\nNordmann Eiendom AS\nKarl Johans gate 1, 0154 Oslo\nTlf. 22 00 00 00", seed=cid, body_lang="NO-BOK")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "no/no-iphone"
    me = ("Lars Johansen", "lars.johansen@icloud.com")
    m = o(cid, L, NO_TRIAL, me)
    body = apple(L, "Torsdag formiddag går fint, ring meg rundt klokka ti.", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "no/no-outlook-mobile-ios"
    me = ("Silje Berg", "silje.berg@outlook.com")
    m = o(cid, L, NO_TRIAL, me)
    body = owa(L, "Neste uke passer bedre for meg, tirsdag?", m, mobile="outlook-ios", seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], tags=["mobile-footer", "underscore-rule"])

    # ================================ Russian ===============================================
    L = "ru"
    cid = "ru/ru-gmail-base64"
    me = ("Ирина Петрова", "irina.petrova@gmail.com")
    m = o(cid, L, RU_TRIAL, me)
    body = gmail(L, "Добрый день, Алексей!\n\nСреда в 14:00 мне подходит. Пришлите, пожалуйста, приглашение на этот адрес.\n\nСпасибо,\nИрина", m,
                 plain_cte="base64", html_cte="base64", seed=cid)
    reply(cid, L, body, me, m)

    cid = "ru/ru-outlook-header-block"
    me = ("Дмитрий Иванов", "d.ivanov@stroyservis.ru")
    m = o(cid, L, RU_TRIAL, me)
    body = outlook(L, "Алексей, добрый день!\n\nМы решили продолжить работу с Kalendo после пробного периода. Пришлите, пожалуйста, договор и счёт на 8 пользователей.\n\nС уважением,\nДмитрий Иванов", m,
                   sig="Руководитель отдела продаж\nООО «СтройСервис»\nТел.: +7 495 000-00-00\nwww.stroyservis.ru", seed=cid, body_lang="RU",
                   plain_cte="base64", html_cte="base64")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "ru/ru-yandex-koi8-r"
    me = ("Ольга Соколова", "olga.sokolova@yandex.ru")
    m = o(cid, L, RU_TRIAL, me)
    rep = "Здравствуйте!\n\nПока не готовы переходить на платный тариф, вернёмся к этому вопросу в апреле.\n\nОльга"
    raw = (rep + "\n\n03.03.2025, 10:12, \"Алексей Смирнов\" <aleksey.smirnov@example.com>:\n"
           + "\n".join(("> " + l) if l else ">" for l in m.text.split("\n")) + "\n")
    body = plain(raw, "yandex", rep, True, False, charset="koi8-r", cte="8bit", headers=[("X-Mailer", "Yamail [ http://yandex.ru ] 5.0")])
    reply(cid, L, body, me, m, subject_charset="koi8-r", subject_style="B", name_charset="koi8-r", name_enc="B")

    cid = "ru/ru-mailru-html-only"
    me = ("Сергей Кузнецов", "s.kuznetsov@mail.ru")
    m = o(cid, L, RU_TRIAL, me)
    attr = f"Понедельник, 3 марта 2025, 10:12 +01:00 от Алексей Смирнов <{m.sender_addr}>:"
    html = (
        "<HTML><BODY><div>Добрый день!</div><div>&nbsp;</div>"
        "<div>Подскажите, пожалуйста, можно ли оплатить по безналичному расчёту от юридического лица?</div>"
        "<div>&nbsp;</div><div>--<br>Сергей Кузнецов</div><div>&nbsp;</div>"
        f'<blockquote style="border-left:1px solid #0857A6; margin:10px; padding:0 0 0 10px;">{esc(attr)}<br>&nbsp;'
        '<div id=""><div class="js-helper js-readmsg-msg"><div><div id="style_17409">'
        + "".join(f"<div>{esc(l) if l else '&nbsp;'}</div>" for l in m.text.split("\n"))
        + "</div></div></div></div></blockquote></BODY></HTML>\n"
    )
    body = html_only(html, "mail.ru", "Добрый день!\n\nПодскажите, пожалуйста, можно ли оплатить по безналичному расчёту от юридического лица?",
                     True, True, cte="base64", headers=[("X-Mailer", "Mail.Ru Mailer 1.0")])
    reply(cid, L, body, me, m, tags=["sig-delimiter"])

    cid = "ru/ru-thunderbird-windows-1251"
    me = ("Николай Попов", "n.popov@rambler.ru")
    m = o(cid, L, RU_TRIAL, me)
    body = thunderbird(L, "Добрый день,\n\nспасибо за информацию. Мы пока остаёмся на бесплатном тарифе.\n\nНиколай", m, seed=cid, domain="rambler.ru",
                       charset="windows-1251", cte="8bit")
    reply(cid, L, body, me, m, subject_charset="windows-1251", name_charset="windows-1251", tags=["bottom-post"])

    # ================================ Japanese ==============================================
    L = "ja"
    cid = "ja/ja-gmail-base64"
    me = ("鈴木 一郎", "ichiro.suzuki@gmail.com")
    m = o(cid, L, JA_TRIAL, me)
    body = gmail(L, "佐藤様\n\nご連絡ありがとうございます。\n水曜日の14時からでしたら対応可能です。\nよろしくお願いいたします。\n\n鈴木", m,
                 plain_cte="base64", html_cte="base64", seed=cid)
    reply(cid, L, body, me, m)

    cid = "ja/ja-outlook-header-block"
    me = ("高橋 健", "k.takahashi@takahashi-shoji.co.jp")
    m = o(cid, L, JA_TRIAL, me)
    body = outlook(
        L,
        "佐藤様\n\nいつもお世話になっております。高橋商事の高橋です。\n\nトライアル終了後も有料プランで継続利用したいと考えております。\n10名分のお見積もりをお送りいただけますでしょうか。\n\n何卒よろしくお願いいたします。\n\n高橋",
        m,
        sig="━━━━━━━━━━━━━━━━━━━━\n高橋商事株式会社\n営業部 課長 高橋 健\n〒100-0001 東京都千代田区千代田1-1\nTEL: 03-0000-0000\n━━━━━━━━━━━━━━━━━━━━",
        seed=cid,
        body_lang="JA",
        plain_cte="base64",
        html_cte="base64",
    )
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "ja/ja-thunderbird-iso-2022-jp"
    me = ("伊藤 直子", "naoko.ito@ito-clinic.jp")
    m = o(cid, L, JA_TRIAL, me)
    body = thunderbird(L, "佐藤様\n\n今回は見送らせていただきます。\nご丁寧にありがとうございました。\n\n伊藤", m, layout="top", seed=cid, domain="ito-clinic.jp",
                       flowed=False, charset="ISO-2022-JP", cte="7bit")
    reply(cid, L, body, me, m, subject_charset="iso-2022-jp", name_charset="iso-2022-jp")

    cid = "ja/ja-iphone"
    me = ("山本 さくら", "sakura.yamamoto@icloud.com")
    m = o(cid, L, JA_TRIAL, me)
    body = apple(L, "木曜日の午前中でしたら大丈夫です。よろしくお願いします。", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, tags=["mobile-footer"])

    cid = "ja/ja-docomo-shift-jis"
    me = ("中村 翔", "sho.nakamura@docomo.ne.jp")
    m = o(cid, L, JA_TRIAL, me)
    rep = "了解しました。木曜の10時にお願いします。"
    raw = (rep + "\n\n----- Original Message -----\nFrom: 佐藤 美咲 <misaki.sato@example.com>\nTo: sho.nakamura@docomo.ne.jp\n"
           + f"Date: 2025/03/03 10:12\nSubject: {m.subject}\n\n" + m.text + "\n")
    body = plain(raw, "docomo", rep, True, False, charset="shift_jis", cte="base64", quote_charset=False)
    reply(cid, L, body, me, m, subject_charset="shift_jis", name_charset="shift_jis", tags=["header-block"])

    build_extra()


def build_extra():
    """Forwards from Apple Mail, Thunderbird and Outlook; Thunderbird HTML; RFC 3676 stuffing."""
    from attribution import When
    from clients import Orig, div_lines, esc, flow, join_blocks, quote, shape_node, tb_msgid
    from clients import Body as B
    from common import SENDERS
    from mime import seeded

    # Apple Mail forward ("Begin forwarded message:") to our reply address.
    cid = "en/en-apple-mail-forward"
    me = ("Emily Carter", "emily@carterdesign.studio")
    m = orig(cid, "en", me, "Getting started with Kalendo", "Hi Emily,\n\nIs there anything I can help you set up?\n\nSarah")
    note = "Hi Sarah,\n\nOur IT contractor sent me this. Does it make sense to you?\n\nEmily"
    fwd = ["From: Nate Hill <nate@hill-it.com>", "Subject: Kalendo DNS records", "Date: March 3, 2025 at 16:40:12 GMT+1",
           "To: Emily Carter <emily@carterdesign.studio>"]
    fwd_text = "Emily,\n\nTo send reminders from your own domain, Kalendo needs a CNAME and a TXT record. I can add them on Friday.\n\nNate"
    text = note + "\n\nBegin forwarded message:\n\n" + "\n".join("> " + l for l in fwd) + "\n> \n" + quote(fwd_text, empty="> ") + "\n"
    html = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
        '<body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">'
        + esc(note.split("\n")[0]) + "".join(f"<div>{esc(l) if l else '<br>'}</div>" for l in note.split("\n")[1:])
        + '<div><br><blockquote type="cite"><div>Begin forwarded message:</div><br class="Apple-interchange-newline">'
        + "".join(f'<div style="margin-top: 0px; margin-right: 0px; margin-bottom: 0px; margin-left: 0px;"><span><b>{esc(l.split(": ", 1)[0])}: </b></span><span>{esc(l.split(": ", 1)[1])}</span></div>' for l in fwd)
        + f"<br><div>{div_lines(fwd_text)}</div></blockquote></div><br></body></html>\n"
    )
    node = shape_node(text, html, "alternative", "Apple-Mail=_" + seeded(cid, 8, "0123456789ABCDEF") + "-0A1B-4C2D-9E3F-" + seeded(cid + "x", 12, "0123456789ABCDEF"),
                      plain_kw=dict(quote_charset=False), html_kw=dict(quote_charset=False, cte="quoted-printable"))
    body = B(node, "apple-mail", note, True, False, headers=[("X-Mailer", "Apple Mail (2.3826.400.131.1.6)")],
             msgid=f"{seeded(cid, 8, '0123456789ABCDEF')}-77A1-4B0C-8D2E-{seeded(cid, 12, '0123456789ABCDEF')}@carterdesign.studio", shape="alternative")
    reply(cid, "en", body, me, m, subject="Fwd: Kalendo DNS records", in_reply_to=[], references=[], subject_style="Q", tags=["forward"])

    # Thunderbird inline forward, French.
    cid = "fr/fr-thunderbird-forward"
    me = ("Marc Olivier", "marc.olivier@laposte.net")
    m = orig(cid, "fr", me, "Suite à notre démo de mardi", "Bonjour Marc,\n\nAvez-vous pu en parler avec votre équipe ?\n\nClaire")
    note = "Bonjour Claire,\n\nVoici la réponse de notre associée. On en reparle la semaine prochaine ?\n\nMarc"
    text = (note + "\n\n\n-------- Message transféré --------\nSujet : \tRe: Kalendo\nDate : \tlun. 3 mars 2025 16:40:12 +0100\n"
            "De : \tNadia Haddad <nadia.haddad@laposte.net>\nPour : \tMarc Olivier <marc.olivier@laposte.net>\n\n\n\n"
            "Marc,\n\nJe suis d'accord pour l'essai, mais pas avant avril : nous avons l'inventaire en mars.\n\nNadia\n")
    body = B(__import__("mime").Text(flow(text), charset="UTF-8", cte="8bit", flowed=True, quote_charset=False), "thunderbird", note, True, False,
             headers=[("User-Agent", "Mozilla Thunderbird"), ("Content-Language", "fr")], msgid=tb_msgid(cid, "laposte.net"), shape="text")
    reply(cid, "fr", body, me, m, subject="Fwd: Re: Kalendo", in_reply_to=[], references=[], tags=["forward"])

    # Outlook desktop forward (RV:), Spanish, to our reply address.
    cid = "es/es-outlook-forward-rv"
    me = ("Álvaro Morales", "amorales@grupomorales.com")
    third = Orig("0000000000000000", ("Beatriz Solís", "bsolis@grupomorales.com"), ("Álvaro Morales", "amorales@grupomorales.com"),
                 When(2025, 3, 3, 16, 40, 12), "Licencias Kalendo – presupuesto aprobado",
                 "Álvaro:\n\nDirección ha aprobado el presupuesto para las 8 licencias. Puedes confirmarlo con el proveedor.\n\nBeatriz Solís\nDirección Financiera")
    m = orig(cid, "es", me, "Propuesta Kalendo Pro para 8 usuarios", "Hola Álvaro:\n\nQuedo a tu disposición para cualquier duda.\n\nJavier")
    body = outlook("es", "Javier:\n\nTe reenvío la aprobación de nuestra dirección financiera. Podéis preparar el contrato.\n\nUn saludo,\nÁlvaro", third, seed=cid, body_lang="ES")
    reply(cid, "es", body, me, m, subject="RV: Licencias Kalendo – presupuesto aprobado", in_reply_to=[], references=[], crlf=True,
          tags=["forward", "header-block"])

    # Thunderbird HTML + plain (moz-cite-prefix), German, top-posted.
    cid = "de/de-thunderbird-html-alternative"
    me = ("Andrea Vogt", "andrea.vogt@vogt-zahnarzt.de")
    m = orig(cid, "de", me, "Ihr Kalendo-Test endet am Donnerstag",
             "Hallo Andrea,\n\nIhr Testzeitraum bei Kalendo endet am Donnerstag. Hätten Sie diese Woche 15 Minuten Zeit?\n\nViele Grüße\nJonas Becker")
    body = thunderbird("de", "Hallo Herr Becker,\n\ngerne, am Mittwoch um 16 Uhr hätte ich Zeit. Rufen Sie mich bitte in der Praxis an.\n\nViele Grüße\nAndrea Vogt", m,
                       sig="Dr. Andrea Vogt\nZahnarztpraxis Vogt\nTel. 0711 000000", layout="top", shape="alternative", seed=cid,
                       domain="vogt-zahnarzt.de")
    reply(cid, "de", body, me, m, tags=["moz-cite-prefix", "sig-delimiter"])

    # Thunderbird HTML only, French, bottom-posted.
    cid = "fr/fr-thunderbird-html-only"
    me = ("Yves Perrot", "yves.perrot@perrot-kine.fr")
    m = orig(cid, "fr", me, "Votre essai Kalendo se termine dans 3 jours",
             "Bonjour Yves,\n\nVotre période d'essai de Kalendo se termine jeudi.\n\nClaire")
    body = thunderbird("fr", "Bonjour Claire,\n\nNous continuons avec la formule Solo. Pouvez-vous m'envoyer la facture par e-mail ?\n\nYves Perrot", m,
                       layout="bottom", shape="html", seed=cid, domain="perrot-kine.fr")
    reply(cid, "fr", body, me, m, tags=["moz-cite-prefix", "bottom-post"])

    # format=flowed space-stuffing: a prose line starting with '>' and one starting with 'From '.
    cid = "en/en-thunderbird-flowed-space-stuffing"
    me = ("Alex Morgan", "alex@morgan-tutoring.net")
    m = orig(cid, "en", me, "Your Kalendo subscription renews on March 15",
             "Hi Alex,\n\nIf you'd like to change the number of seats, reply to this email before then.\n\nSarah")
    rep = ("Hi Sarah,\n\nFrom April on, my colleague Julia will handle the account.\n"
           ">50 bookings a week is our usual volume, so please keep the Team plan.\n\nThanks,\nAlex")
    raw = rep.replace("\n>50", "\n\x00>50") + "\n\n" + "On 3/3/25 10:12, Sarah Mitchell wrote:\n" + quote(m.text) + "\n"
    # The '>' line is the author's prose: flowed text space-stuffs it (RFC 3676 4.4).
    flowed = flow(raw).replace("\x00", " ")
    body = B(__import__("mime").Text(flowed, charset="UTF-8", cte="7bit", flowed=True, quote_charset=False), "thunderbird", rep, True, False,
             headers=[("User-Agent", "Mozilla Thunderbird")], msgid=tb_msgid(cid, "morgan-tutoring.net"), shape="text")
    reply(cid, "en", body, me, m, tags=["space-stuffing", "prose-gt"])
    _ = (join_blocks, SENDERS)
