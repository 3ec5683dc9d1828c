"""Attribution lines, header blocks and footers as each mail client writes them, per language."""

import datetime as _dt

from locale_data import DAYS, DAYS_ABBR, MONTHS, MONTHS_ABBR, base

EN_MONTHS = MONTHS["en"]


class When:
    """A local date-time with its UTC offset."""

    def __init__(self, y, mo, d, h, mi, s=0, tz="+0100"):
        self.dt = _dt.datetime(y, mo, d, h, mi, s)
        self.tz = tz

    def rfc(self):
        d = self.dt
        return (
            f"{DAYS_ABBR['en'][d.weekday()]}, {d.day} {MONTHS_ABBR['en'][d.month - 1]} {d.year} "
            f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} {self.tz}"
        )

    def plus(self, minutes):
        w = When(2000, 1, 1, 0, 0, tz=self.tz)
        w.dt = self.dt + _dt.timedelta(minutes=minutes)
        return w

    # shorthands used by the templates
    @property
    def wd(self):
        return self.dt.weekday()

    @property
    def h12(self):
        h = self.dt.hour % 12
        return 12 if h == 0 else h

    @property
    def ampm(self):
        return "AM" if self.dt.hour < 12 else "PM"

    @property
    def hm(self):
        return f"{self.dt.hour:02d}:{self.dt.minute:02d}"

    @property
    def hm_short(self):
        return f"{self.dt.hour}:{self.dt.minute:02d}"


def gmail_attr(lang, w, n, a):
    d = w.dt
    L = base(lang)
    da, ma = DAYS_ABBR[L][w.wd], MONTHS_ABBR.get(L, MONTHS_ABBR["en"])[d.month - 1]
    if lang == "en":
        return f"On {da}, {ma} {d.day}, {d.year} at {w.h12}:{d.minute:02d} {w.ampm} {n} <{a}> wrote:"
    if lang == "fr":
        return f"Le {da} {d.day} {ma} {d.year} à {w.hm}, {n} <{a}> a écrit :"
    if lang == "es":
        return f"El {da}, {d.day} {ma} {d.year} a las {w.hm_short}, {n} (<{a}>) escribió:"
    if lang == "pt-br":
        return f"Em {da}, {d.day} de {ma} de {d.year} às {w.hm}, {n} <{a}> escreveu:"
    if lang == "pt-pt":
        day = DAYS["pt"][w.wd].replace("-feira", "")
        return f"{n} <{a}> escreveu no dia {day}, {d.day}/{d.month:02d}/{d.year} à(s) {w.hm}:"
    if lang == "de":
        return f"Am {da}, {d.day}. {MONTHS['de'][d.month - 1]} {d.year} um {w.hm} Uhr schrieb {n} <{a}>:"
    if lang == "it":
        return f"Il giorno {da} {d.day} {ma} {d.year} alle ore {w.hm} {n} <{a}> ha scritto:"
    if lang == "nl":
        return f"Op {da} {d.day} {ma} {d.year} om {w.hm} schreef {n} <{a}>:"
    if lang == "pl":
        return f"{da} {d.day} {ma} {d.year} o {w.hm} {n} <{a}> napisał(a):"
    if lang == "sv":
        return f"Den {da} {d.day} {MONTHS['sv'][d.month - 1]} {d.year} kl {w.hm} skrev {n} <{a}>:"
    if lang == "da":
        return f"Den {da} {d.day}. {ma} {d.year} kl. {d.hour:02d}.{d.minute:02d} skrev {n} <{a}>:"
    if lang == "no":
        return f"{da} {d.day}. {ma} {d.year} kl. {w.hm} skrev {n} <{a}>:"
    if lang == "ru":
        return f"{da}, {d.day} {ma} {d.year} г. в {w.hm}, {n} <{a}>:"
    if lang == "ja":
        return f"{d.year}年{d.month}月{d.day}日({DAYS_ABBR['ja'][w.wd]}) {w.hm} {n} <{a}>:"
    raise KeyError(lang)


def gmail_android_de_attr(w, n, a):
    """Gmail for Android in German puts the name first."""
    d = w.dt
    return f"{n} <{a}> schrieb am {DAYS_ABBR['de'][w.wd]}, {d.day}. {MONTHS['de'][d.month - 1]} {d.year}, {w.hm}:"


def apple_attr(lang, w, n, a):
    d = w.dt
    L = base(lang)
    if lang == "en":
        return f"On {MONTHS_ABBR['en'][d.month - 1]} {d.day}, {d.year}, at {w.h12}:{d.minute:02d}\u202f{w.ampm}, {n} <{a}> wrote:"
    if lang == "en-gb":
        return f"On {d.day} {MONTHS_ABBR['en'][d.month - 1]} {d.year}, at {w.hm}, {n} <{a}> wrote:"
    if lang == "fr":
        return f"Le {d.day} {MONTHS['fr'][d.month - 1]} {d.year} à {w.hm}, {n} <{a}> a écrit :"
    if lang == "es":
        return f"El {d.day} {MONTHS_ABBR['es'][d.month - 1]} {d.year}, a las {w.hm}, {n} <{a}> escribió:"
    if lang == "pt-br":
        return f"Em {d.day} de {MONTHS_ABBR['pt'][d.month - 1]} de {d.year}, à(s) {w.hm}, {n} <{a}> escreveu:"
    if lang == "pt-pt":
        return f"A {d.day}/{d.month:02d}/{d.year}, às {w.hm}, {n} <{a}> escreveu:"
    if lang == "de":
        return f"Am {d.day:02d}.{d.month:02d}.{d.year} um {w.hm} schrieb {n} <{a}>:"
    if lang == "it":
        return f"Il giorno {d.day} {MONTHS_ABBR['it'][d.month - 1]} {d.year}, alle ore {w.hm}, {n} <{a}> ha scritto:"
    if lang == "nl":
        return f"Op {d.day} {MONTHS_ABBR['nl'][d.month - 1]} {d.year}, om {w.hm} heeft {n} <{a}> het volgende geschreven:"
    if lang == "pl":
        return f"Wiadomość napisana przez {n} <{a}> w dniu {d.day} {MONTHS['pl'][d.month - 1]} {d.year}, o godz. {w.hm}:"
    if lang == "sv":
        return f"{d.day} {MONTHS['sv'][d.month - 1]} {d.year} kl. {w.hm} skrev {n} <{a}>:"
    if lang == "da":
        return f"Den {d.day}. {MONTHS_ABBR['da'][d.month - 1]} {d.year} kl. {d.hour:02d}.{d.minute:02d} skrev {n} <{a}>:"
    if lang == "no":
        return f"{d.day}. {MONTHS_ABBR['no'][d.month - 1]} {d.year} kl. {w.hm} skrev {n} <{a}>:"
    if lang == "ru":
        return f"{d.day} {MONTHS['ru'][d.month - 1]} {d.year} г., в {w.hm}, {n} <{a}> написал(а):"
    if lang == "ja":
        return f"{d.year}/{d.month:02d}/{d.day:02d} {w.hm}、{n} <{a}>のメール:"
    raise KeyError(L)


def thunderbird_attr(lang, w, n):
    d = w.dt
    yy = d.year % 100
    if lang == "en":
        return f"On {d.month}/{d.day}/{yy} {w.hm_short}, {n} wrote:"
    if lang == "fr":
        return f"Le {d.day:02d}/{d.month:02d}/{d.year} à {w.hm}, {n} a écrit :"
    if lang == "de":
        return f"Am {d.day:02d}.{d.month:02d}.{yy:02d} um {w.hm} schrieb {n}:"
    if lang == "es":
        return f"El {d.day}/{d.month}/{yy} a las {w.hm}, {n} escribió:"
    if lang == "pt-pt":
        return f"Às {w.hm} de {d.day:02d}/{d.month:02d}/{d.year}, {n} escreveu:"
    if lang == "pt-br":
        return f"Em {d.day:02d}/{d.month:02d}/{d.year} {w.hm}, {n} escreveu:"
    if lang == "it":
        return f"Il {d.day:02d}/{d.month:02d}/{yy:02d} {w.hm}, {n} ha scritto:"
    if lang == "nl":
        return f"Op {d.day:02d}-{d.month:02d}-{d.year} om {w.hm} schreef {n}:"
    if lang == "pl":
        return f"W dniu {d.day}.{d.month:02d}.{d.year} o {w.hm}, {n} pisze:"
    if lang == "sv":
        return f"Den {d.year}-{d.month:02d}-{d.day:02d} kl. {w.hm}, skrev {n}:"
    if lang == "ru":
        return f"{d.day:02d}.{d.month:02d}.{d.year} {w.hm}, {n} пишет:"
    if lang == "ja":
        return f"{d.year}/{d.month:02d}/{d.day:02d} {w.hm} に {n} さんは書きました:"
    raise KeyError(lang)


def yahoo_attr(lang, w, n, a):
    d = w.dt
    s = f"{d.second:02d}"
    if lang == "en":
        return f"On {DAYS['en'][w.wd]}, {EN_MONTHS[d.month - 1]} {d.day}, {d.year} at {w.h12}:{d.minute:02d}:{s} {w.ampm} GMT+1, {n} <{a}> wrote:"
    if lang == "fr":
        return f"Le {DAYS['fr'][w.wd]} {d.day} {MONTHS['fr'][d.month - 1]} {d.year} à {w.hm}:{s} UTC+1, {n} <{a}> a écrit :"
    if lang == "es":
        return f"El {DAYS['es'][w.wd]}, {d.day} de {MONTHS['es'][d.month - 1]} de {d.year}, {w.hm}:{s} CET, {n} <{a}> escribió:"
    if lang == "de":
        return f"Am {DAYS['de'][w.wd]}, {d.day}. {MONTHS['de'][d.month - 1]} {d.year} um {w.hm}:{s} MEZ hat {n} <{a}> Folgendes geschrieben:"
    if lang == "it":
        return f"Il {DAYS['it'][w.wd]} {d.day} {MONTHS['it'][d.month - 1]} {d.year}, {w.hm}:{s} CET, {n} <{a}> ha scritto:"
    if lang == "pt-br":
        return f"Em {DAYS['pt'][w.wd]}, {d.day} de {MONTHS['pt'][d.month - 1]} de {d.year} {w.hm}:{s} BRT, {n} <{a}> escreveu:"
    raise KeyError(lang)


# Outlook header block: (from, sent, to, cc, subject) labels and the Sent date.
OUTLOOK_LABELS = {
    "en": ("From:", "Sent:", "To:", "Cc:", "Subject:"),
    "fr": ("De :", "Envoyé :", "À :", "Cc :", "Objet :"),
    "es": ("De:", "Enviado el:", "Para:", "CC:", "Asunto:"),
    "pt-br": ("De:", "Enviada em:", "Para:", "Cc:", "Assunto:"),
    "pt-pt": ("De:", "Enviado:", "Para:", "Cc:", "Assunto:"),
    "de": ("Von:", "Gesendet:", "An:", "Cc:", "Betreff:"),
    "it": ("Da:", "Inviato:", "A:", "Cc:", "Oggetto:"),
    "nl": ("Van:", "Verzonden:", "Aan:", "CC:", "Onderwerp:"),
    "pl": ("Od:", "Wysłano:", "Do:", "DW:", "Temat:"),
    "sv": ("Från:", "Skickat:", "Till:", "Kopia:", "Ämne:"),
    "da": ("Fra:", "Sendt:", "Til:", "Cc:", "Emne:"),
    "no": ("Fra:", "Sendt:", "Til:", "Kopi:", "Emne:"),
    "ru": ("От:", "Отправлено:", "Кому:", "Копия:", "Тема:"),
    "ja": ("差出人:", "送信日時:", "宛先:", "CC:", "件名:"),
}

ORIGINAL_MESSAGE = {
    "en": "-----Original Message-----",
    "fr": "-----Message d'origine-----",
    "es": "-----Mensaje original-----",
    "pt-br": "-----Mensagem original-----",
    "pt-pt": "-----Mensagem original-----",
    "de": "-----Ursprüngliche Nachricht-----",
    "it": "-----Messaggio originale-----",
    "nl": "-----Oorspronkelijk bericht-----",
    "pl": "-----Oryginalna wiadomość-----",
    "sv": "-----Ursprungligt meddelande-----",
    "da": "-----Oprindelig meddelelse-----",
    "no": "-----Opprinnelig melding-----",
    "ru": "-----Исходное сообщение-----",
}


def outlook_sent(lang, w, seconds=False):
    d = w.dt
    L = base(lang)
    if lang == "en":
        sec = f":{d.second:02d}" if seconds else ""
        return f"{DAYS['en'][w.wd]}, {EN_MONTHS[d.month - 1]} {d.day}, {d.year} {w.h12}:{d.minute:02d}{sec} {w.ampm}"
    if lang == "fr":
        return f"{DAYS['fr'][w.wd]} {d.day} {MONTHS['fr'][d.month - 1]} {d.year} {w.hm}"
    if lang == "es":
        return f"{DAYS['es'][w.wd]}, {d.day} de {MONTHS['es'][d.month - 1]} de {d.year} {w.hm}"
    if L == "pt":
        return f"{DAYS['pt'][w.wd]}, {d.day} de {MONTHS['pt'][d.month - 1]} de {d.year} {w.hm}"
    if lang == "de":
        return f"{DAYS['de'][w.wd]}, {d.day}. {MONTHS['de'][d.month - 1]} {d.year} {w.hm}"
    if lang == "it":
        return f"{DAYS['it'][w.wd]} {d.day} {MONTHS['it'][d.month - 1]} {d.year} {w.hm}"
    if lang == "nl":
        return f"{DAYS['nl'][w.wd]} {d.day} {MONTHS['nl'][d.month - 1]} {d.year} {w.hm}"
    if lang == "pl":
        return f"{DAYS['pl'][w.wd]}, {d.day} {MONTHS['pl'][d.month - 1]} {d.year} {w.hm}"
    if lang == "sv":
        return f"den {d.day} {MONTHS['sv'][d.month - 1]} {d.year} {w.hm}"
    if lang == "da":
        return f"{d.day}. {MONTHS['da'][d.month - 1]} {d.year} {w.hm}"
    if lang == "no":
        return f"{DAYS['no'][w.wd]} {d.day}. {MONTHS['no'][d.month - 1]} {d.year} {w.hm}"
    if lang == "ru":
        return f"{d.day} {MONTHS['ru'][d.month - 1]} {d.year} г. {w.hm}"
    if lang == "ja":
        return f"{d.year}年{d.month}月{d.day}日 {w.hm}"
    raise KeyError(lang)


def outlook_block(lang, w, frm, to, subject, cc=None, seconds=False):
    """The header block lines (no separator)."""
    lf, ls, lt, lc, lsub = OUTLOOK_LABELS[lang]
    lines = [f"{lf} {frm}", f"{ls} {outlook_sent(lang, w, seconds)}", f"{lt} {to}"]
    if cc:
        lines.append(f"{lc} {cc}")
    lines.append(f"{lsub} {subject}")
    return lines


MOBILE_FOOTER = {
    "iphone": {
        "en": "Sent from my iPhone",
        "fr": "Envoyé de mon iPhone",
        "es": "Enviado desde mi iPhone",
        "pt-br": "Enviado do meu iPhone",
        "pt-pt": "Enviado do meu iPhone",
        "de": "Von meinem iPhone gesendet",
        "it": "Inviato da iPhone",
        "nl": "Verstuurd vanaf mijn iPhone",
        "pl": "Wysłane z iPhone'a",
        "sv": "Skickat från min iPhone",
        "da": "Sendt fra min iPhone",
        "no": "Sendt fra min iPhone",
        "ru": "Отправлено с iPhone",
        "ja": "iPhoneから送信",
    },
    "ipad": {"en": "Sent from my iPad", "fr": "Envoyé de mon iPad"},
    "galaxy": {
        "en": "Sent from my Galaxy",
        "fr": "Envoyé depuis mon appareil Galaxy",
        "es": "Enviado desde mi smartphone Galaxy",
        "pt-br": "Enviado do meu smartphone Galaxy",
        "de": "Von meinem Galaxy gesendet",
    },
    "outlook-ios": {
        "en": "Get Outlook for iOS<https://aka.ms/o0ukef>",
        "fr": "Obtenir Outlook pour iOS<https://aka.ms/o0ukef>",
        "de": "Outlook für iOS<https://aka.ms/o0ukef> herunterladen",
        "sv": "Hämta Outlook för iOS<https://aka.ms/o0ukef>",
        "no": "Få Outlook for iOS<https://aka.ms/o0ukef>",
    },
    "outlook-android": {
        "en": "Get Outlook for Android<https://aka.ms/AAb9ysg>",
        "fr": "Obtenir Outlook pour Android<https://aka.ms/AAb9ysg>",
        "es": "Obtener Outlook para Android<https://aka.ms/AAb9ysg>",
        "pt-br": "Obter o Outlook para Android<https://aka.ms/AAb9ysg>",
    },
}

SAMSUNG_BLOCK = {
    "en": ("-------- Original message --------", "From:", "Date:", "To:", "Subject:"),
    "fr": ("-------- Message d'origine --------", "De :", "Date :", "À :", "Objet :"),
    "es": ("-------- Mensaje original --------", "De:", "Fecha:", "Para:", "Asunto:"),
    "pt-br": ("-------- Mensagem original --------", "De:", "Data:", "Para:", "Assunto:"),
    "de": ("-------- Ursprüngliche Nachricht --------", "Von:", "Datum:", "An:", "Betreff:"),
}


def samsung_block(lang, w, frm, to, subject):
    head, lf, ld, lt, ls = SAMSUNG_BLOCK[lang]
    d = w.dt
    if lang == "en":
        date = f"{d.month:02d}/{d.day:02d}/{d.year} {w.hm} (GMT+01:00)"
    else:
        date = f"{d.day:02d}/{d.month:02d}/{d.year} {w.hm} (GMT+01:00)"
    return [head, f"{lf} {frm} ", f"{ld} {date} ", f"{lt} {to} ", f"{ls} {subject} "]


FORWARD_GMAIL = {
    "en": "---------- Forwarded message ---------",
    "fr": "---------- Message transféré ---------",
    "es": "---------- Mensaje reenviado ---------",
    "pt-br": "---------- Mensagem encaminhada ---------",
    "de": "---------- Weitergeleitete Nachricht ---------",
}

FORWARD_APPLE = {
    "en": "Begin forwarded message:",
    "fr": "Début du message réexpédié :",
    "es": "Inicio del mensaje reenviado:",
    "pt-br": "Início da mensagem encaminhada:",
    "de": "Anfang der weitergeleiteten Nachricht:",
}
