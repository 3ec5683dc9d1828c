"""Italian, Dutch, Polish, Swedish, Danish, Norwegian, Russian and Japanese replies."""

from clients import apple, esc, gmail, html_only, outlook, owa, plain, thunderbird
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
