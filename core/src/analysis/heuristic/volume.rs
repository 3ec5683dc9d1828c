//! Stated volumes, normalised per month: "5 000 emails/mois", "about $2k a month",
//! "1.500 Bestellungen pro Woche", "unos 3 mil pedidos al mes".
//!
//! A volume needs a number, a period (after it, or just before it: "monthly volume: 12k emails"),
//! and either a counted thing (emails, orders, users…) or a currency. Numbers right after `#`,
//! `n°` or inside identifiers are not volumes.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::repair::fold;
use crate::analysis::schema::{MonthlyVolume, Period};

/// How far after a number its unit and period may be, in bytes.
const AFTER_WINDOW: usize = 80;
/// How far before a number a period may be, in bytes.
const BEFORE_WINDOW: usize = 40;
/// How far after a number its unit may start, in bytes.
const UNIT_REACH: usize = 40;

fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

fn number_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        compile(
            r"(?ix)
            (?P<cur1>us\$|r\$|[$€£])?\s?
            (?P<num>\d{1,3}(?:[\x20\u{a0}\u{202f},.’']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)
            (?:\s?(?P<mult>k|m|mio\.?|millions?|millones|milh(?:ão|ões|oes|ao)|mil|mille|thousand|tausend)\b)?
            (?:\s?(?P<cur2>[$€£]|usd\b|eur(?:os?)?\b|dollars?\b|reais\b|r\$))?",
        )
    })
    .as_ref()
}

fn period_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        compile(
            r"(?ix)
            (?:
              (?:(?:\bper|\ba\ la|\ba|\ban|\beach|\bevery|\bpar|\bau|\bchaque|\bpor|\bal|\bao|\bcada|\bpro|\bim|\bje|\bin\ a)\s+|/\s*)
              (?P<p>month|mo|mois|mes|m[eê]s|monat|mese|maand|week|wk|semaine|semana|woche|settimana|day|jour|d[ií]a|tag|giorno|dag|year|yr|an|ann[ée]e|a[ñn]o|jahr|anno|jaar|quarter|trimestre|quartal)
             |
              (?P<adv>monthly|mensuel(?:lement)?|mensuelle|mensual(?:es|mente)?|mensa(?:l|is|lmente)|monatlich|maandelijks|mensilmente|weekly|hebdomadaire|hebdo|semanal(?:es|mente)?|w[öo]chentlich|wekelijks|daily|quotidien(?:nement)?|quotidiens?|diari[oa]s?|diariamente|t[äa]glich|dagelijks|yearly|annual(?:ly)?|annuel(?:lement)?|anual(?:es|mente)?|j[äa]hrlich|quarterly|trimestriel)
            )\b",
        )
    })
    .as_ref()
}

fn unit_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        compile(
            r"(?ix)\b(?P<u>
            e-?mails?|mails?|courriels?|correos?|messages?|mensajes?|mensagens?|nachrichten|berichten|messaggi|
            sms|newsletters?|
            orders?|commandes?|pedidos?|encomendas?|bestellungen|ordini|bestellingen|
            users?|utilisateurs?|usuarios?|usu[aá]rios?|utilizadores?|nutzer(?:innen)?|benutzer|utenti|gebruikers|
            contacts?|contactos?|contatos?|kontakte|contatti|
            customers?|clients?|clientes?|kunden|clienti|klanten|
            tickets?|envois?|env[ií]os?|leads?|
            transactions?|transacciones|transa[cç][õo]es|transaktionen|
            documents?|documentos?|dokumente|
            invoices?|factures?|facturas?|faturas?|rechnungen|fatture|
            shipments?|colis|paquetes?|pacotes?|pakete|parcels?|packages?|
            calls?|appels?|llamadas?|chamadas?|anrufe|
            bookings?|r[ée]servations?|reservas?|buchungen|
            subscribers?|abonn[ée]s|suscriptores|assinantes|abonnenten|
            notifications?|notificaciones|notifica[cç][õo]es|benachrichtigungen|
            requests?|requ[eê]tes?|
            visits?|visites?|visitas?|besuche
            )\b",
        )
    })
    .as_ref()
}

/// A counted thing in English, lowercase plural; money words and symbols become "currency".
pub fn normalize_unit(raw: &str) -> String {
    let f = fold(raw);
    let word = f.trim();
    let mapped = match word {
        "" => "",
        w if w.starts_with("mail") || w.starts_with("e mail") || w.starts_with("email") => "emails",
        w if w.starts_with("courriel") || w.starts_with("correo") => "emails",
        w if w.starts_with("message")
            || w.starts_with("mensaje")
            || w.starts_with("mensage")
            || w == "nachrichten"
            || w == "berichten"
            || w == "messaggi" =>
        {
            "messages"
        }
        "sms" => "sms",
        w if w.starts_with("newsletter") => "newsletters",
        w if w.starts_with("order")
            || w.starts_with("commande")
            || w.starts_with("pedido")
            || w.starts_with("encomenda")
            || w.starts_with("bestellung")
            || w == "ordini"
            || w == "bestellingen" =>
        {
            "orders"
        }
        w if w.starts_with("user")
            || w.starts_with("utilisateur")
            || w.starts_with("usuario")
            || w.starts_with("utilizador")
            || w.starts_with("nutzer")
            || w == "benutzer"
            || w == "utenti"
            || w == "gebruikers" =>
        {
            "users"
        }
        w if w.starts_with("contact")
            || w.starts_with("contato")
            || w == "kontakte"
            || w == "contatti" =>
        {
            "contacts"
        }
        w if w.starts_with("customer")
            || w.starts_with("client")
            || w == "kunden"
            || w == "klanten" =>
        {
            "customers"
        }
        w if w.starts_with("ticket") => "tickets",
        w if w.starts_with("envoi") || w.starts_with("envio") => "sends",
        w if w.starts_with("lead") => "leads",
        w if w.starts_with("transac") || w.starts_with("transakt") => "transactions",
        w if w.starts_with("document") || w == "dokumente" => "documents",
        w if w.starts_with("invoice")
            || w.starts_with("facture")
            || w.starts_with("factura")
            || w.starts_with("fatura")
            || w == "rechnungen"
            || w == "fatture" =>
        {
            "invoices"
        }
        w if w.starts_with("shipment")
            || w == "colis"
            || w.starts_with("paquete")
            || w.starts_with("pacote")
            || w == "pakete"
            || w.starts_with("parcel")
            || w.starts_with("package") =>
        {
            "shipments"
        }
        w if w.starts_with("call")
            || w.starts_with("appel")
            || w.starts_with("llamada")
            || w.starts_with("chamada")
            || w == "anrufe" =>
        {
            "calls"
        }
        w if w.starts_with("booking")
            || w.starts_with("reservation")
            || w.starts_with("reserva")
            || w == "buchungen" =>
        {
            "bookings"
        }
        w if w.starts_with("subscriber")
            || w.starts_with("abonne")
            || w == "suscriptores"
            || w == "assinantes" =>
        {
            "subscribers"
        }
        w if w.starts_with("notifica") || w == "benachrichtigungen" => "notifications",
        w if w.starts_with("request") || w.starts_with("requete") => "requests",
        w if w.starts_with("visit") || w == "besuche" => "visits",
        "usd" | "eur" | "euro" | "euros" | "dollar" | "dollars" | "reais" | "r" | "money"
        | "currency" | "gbp" | "pounds" | "chf" => "currency",
        other => other,
    };
    if mapped.is_empty() && raw.trim().chars().any(|c| matches!(c, '$' | '€' | '£')) {
        return "currency".to_string();
    }
    mapped.to_string()
}

/// "5 000" → 5000, "5,000" → 5000, "1.500" → 1500, "2.5" → 2.5, "1,5" → 1.5, "2.000,50" → 2000.5.
fn parse_number(raw: &str) -> Option<f64> {
    let s: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '’' | '\''))
        .collect();
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let normalized = if dots > 0 && commas > 0 {
        let last_dot = s.rfind('.').unwrap_or(0);
        let last_comma = s.rfind(',').unwrap_or(0);
        let (thousands, decimal) = if last_dot > last_comma {
            (',', '.')
        } else {
            ('.', ',')
        };
        s.replace(thousands, "").replace(decimal, ".")
    } else if dots + commas == 0 {
        s
    } else {
        let sep = if dots > 0 { '.' } else { ',' };
        let count = dots + commas;
        let after = s.rsplit(sep).next().map(str::len).unwrap_or(0);
        if count > 1 || after == 3 {
            s.replace(sep, "")
        } else {
            s.replace(sep, ".")
        }
    };
    normalized.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn multiplier(mult: &str) -> f64 {
    match fold(mult).trim_end_matches('.') {
        "k" | "mil" | "mille" | "thousand" | "tausend" => 1_000.0,
        "m" | "mio" | "million" | "millions" | "millones" | "milhao" | "milhoes" => 1_000_000.0,
        _ => 1.0,
    }
}

/// The first amount in `text`, with its multiplier: "5 000" → 5000, "$2k" → 2000,
/// "1,5 millions" → 1 500 000. `None` when there is no number.
pub fn parse_amount(text: &str) -> Option<f64> {
    let c = number_regex()?.captures(text)?;
    let n = parse_number(c.name("num")?.as_str())?;
    let m = c
        .name("mult")
        .map(|m| multiplier(m.as_str()))
        .unwrap_or(1.0);
    Some(n * m)
}

fn period_of(c: &regex::Captures<'_>) -> Option<Period> {
    let word = c.name("p").or_else(|| c.name("adv"))?;
    let f = fold(word.as_str());
    let w = f.as_str();
    Some(match w {
        _ if w.starts_with("mo")
            || w.starts_with("men")
            || w.starts_with("mes")
            || w.starts_with("maand") =>
        {
            Period::Month
        }
        "monat" | "monatlich" => Period::Month,
        _ if w.starts_with("week")
            || w == "wk"
            || w.starts_with("sema")
            || w.starts_with("hebdo") =>
        {
            Period::Week
        }
        _ if w.starts_with("woch") || w.starts_with("settimana") || w.starts_with("wekelijks") => {
            Period::Week
        }
        _ if w.starts_with("quarter") || w.starts_with("trimestr") || w == "quartal" => {
            Period::Quarter
        }
        "day" | "daily" | "jour" | "dia" | "tag" | "giorno" | "dag" | "dagelijks" | "taglich" => {
            Period::Day
        }
        _ if w.starts_with("quotidien") || w.starts_with("diari") => Period::Day,
        _ => Period::Year,
    })
}

/// Cut `text` at the first sentence end (newline, `!`, `?`, `;`, or `.` before a space).
fn sentence_prefix(text: &str) -> &str {
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        let stop = match c {
            '\n' | '!' | '?' | ';' => true,
            '.' => text
                .get(i + 1..)
                .is_none_or(|r| r.starts_with(char::is_whitespace)),
            _ => false,
        };
        if stop {
            end = i;
            break;
        }
    }
    text.get(..end).unwrap_or(text)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// The first stated volume in `text`.
pub(crate) fn find_volume(text: &str) -> Option<MonthlyVolume> {
    let numbers = number_regex()?;
    let periods = period_regex()?;
    let units = unit_regex()?;
    for c in numbers.captures_iter(text) {
        let (Some(whole), Some(num)) = (c.get(0), c.name("num")) else {
            continue;
        };
        let before_char = text.get(..num.start()).and_then(|b| b.chars().next_back());
        let after_char = text.get(whole.end()..).and_then(|a| a.chars().next());
        // Identifiers, percentages, ranges' lower bounds.
        if matches!(before_char, Some(ch) if ch == '#' || ch == '°' || ch == 'º' || ch == '/' || ch.is_alphanumeric())
            || c.name("cur1").is_none() && matches!(before_char, Some('-'))
            || matches!(after_char, Some('%' | '-' | '–'))
        {
            continue;
        }
        let Some(amount) = parse_number(num.as_str()) else {
            continue;
        };
        let amount = amount
            * c.name("mult")
                .map(|m| multiplier(m.as_str()))
                .unwrap_or(1.0);
        let money = c.name("cur1").is_some() || c.name("cur2").is_some();

        let after_end = ceil_boundary(text, (whole.end() + AFTER_WINDOW).min(text.len()));
        let after = sentence_prefix(text.get(whole.end()..after_end).unwrap_or_default());
        // The counted thing usually follows the number; else it may come shortly before it in
        // the same sentence ("we send onboarding emails, about 3k per week").
        let unit_after = units.find(after).filter(|u| u.start() <= UNIT_REACH);
        let unit_before = if unit_after.is_none() {
            let start = floor_boundary(text, whole.start().saturating_sub(UNIT_REACH * 2));
            let before = text.get(start..whole.start()).unwrap_or_default();
            let sentence = before
                .rfind(['.', '!', '?', '\n'])
                .and_then(|i| before.get(i + 1..))
                .unwrap_or(before);
            units.find(sentence).map(|u| u.as_str().to_string())
        } else {
            None
        };
        let unit = unit_after;
        let period_after = periods.captures(after);

        let (period, raw_start, raw_end) = match period_after {
            Some(pc) => {
                let Some(p) = period_of(&pc) else { continue };
                let end = pc.get(0).map(|m| m.end()).unwrap_or(0);
                // The unit, when there is one, must come before the period.
                let unit_end = unit
                    .filter(|u| u.end() <= end + 1)
                    .map(|u| u.end())
                    .unwrap_or(0);
                (p, whole.start(), whole.end() + end.max(unit_end))
            }
            None => {
                let start = floor_boundary(text, whole.start().saturating_sub(BEFORE_WINDOW));
                let before = text.get(start..whole.start()).unwrap_or_default();
                let Some(pc) = periods.captures_iter(before).last() else {
                    continue;
                };
                let Some(p) = period_of(&pc) else { continue };
                let pstart = pc.get(0).map(|m| m.start()).unwrap_or(0);
                (
                    p,
                    start + pstart,
                    whole.end() + unit.map(|u| u.end()).unwrap_or(0),
                )
            }
        };
        let unit_name = match (unit, unit_before, money) {
            (_, _, true) => "currency".to_string(),
            (Some(u), _, false) => normalize_unit(u.as_str()),
            (None, Some(u), false) => normalize_unit(&u),
            (None, None, false) => continue,
        };
        let raw = text
            .get(raw_start..ceil_boundary(text, raw_end.min(text.len())))
            .unwrap_or_default()
            .trim()
            .to_string();
        return Some(MonthlyVolume {
            raw,
            value: period.per_month(amount),
            unit: unit_name,
            period,
        });
    }
    None
}

fn headcount_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        compile(
            r"(?ix)
            (?P<add>\b(?:add|another|additional|extra|more|ajouter|suppl[ée]mentaires?|de\ plus|añadir|adicionales|más|adicionar|mais|hinzuf[üu]gen|weitere|zus[äa]tzliche)\s+)?
            \b(?P<n>\d{1,6})\s+
            (?:[\p{L}-]+\s+){0,2}?
            (?P<what>
              (?P<seat>seats?|licen[cs]es?|licen[cç]as?|lizenzen|licencias|postes|si[èe]ges|accounts?|comptes|cuentas|contas)
             |(?P<people>people|persons|employees|staff|agents|users|personnes|salari[ée]s|employ[ée]s|collaborateurs|utilisateurs|personas|empleados|usuarios|agentes|pessoas|funcion[áa]rios|colaboradores|usu[áa]rios|mitarbeiter(?:innen)?|personen|nutzer|benutzer|dipendenti|utenti|medewerkers|gebruikers)
             |(?P<site>stores|shops|locations|branches|magasins|boutiques|sites|agences|tiendas|sucursales|lojas|filiais|filialen|standorte|gesch[äa]fte|negozi|winkels|vestigingen)
            )\b",
        )
    })
    .as_ref()
}

/// Seats being added, a large team (50 people or more), or several sites (5 or more): the reply
/// talks about a deal bigger than one user.
pub(crate) fn finds_headcount_expansion(text: &str) -> bool {
    let Some(re) = headcount_regex() else {
        return false;
    };
    re.captures_iter(text).any(|c| {
        let n: u64 = c
            .name("n")
            .and_then(|n| n.as_str().parse().ok())
            .unwrap_or(0);
        let adding = c.name("add").is_some();
        if c.name("seat").is_some() {
            adding || n >= 20
        } else if c.name("people").is_some() {
            n >= 50 || (adding && n >= 5)
        } else {
            n >= 5
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vol(text: &str) -> Option<(u64, String, Period)> {
        find_volume(text).map(|v| (v.value, v.unit, v.period))
    }

    #[test]
    fn volume_regexes_compile() {
        assert!(number_regex().is_some() && period_regex().is_some() && unit_regex().is_some());
        assert!(headcount_regex().is_some());
    }

    #[test]
    fn seats_added_and_large_teams_are_expansion() {
        assert!(finds_headcount_expansion("we'd add 15 more seats"));
        assert!(finds_headcount_expansion("adicionar mais 15 licenças"));
        assert!(finds_headcount_expansion("une équipe de 200 personnes"));
        assert!(finds_headcount_expansion("for all 12 of our stores"));
        assert!(!finds_headcount_expansion("a team of 10 users"));
    }

    #[test]
    fn unit_may_come_before_the_number() {
        assert_eq!(
            vol("We use it to send onboarding emails to new customers, about 3k per week."),
            Some((12_990, "emails".into(), Period::Week))
        );
    }

    #[test]
    fn volumes_from_the_issue() {
        assert_eq!(
            vol("On envoie 5 000 emails/mois."),
            Some((5000, "emails".into(), Period::Month))
        );
        assert_eq!(
            vol("we spend about $2k a month on this"),
            Some((2000, "currency".into(), Period::Month))
        );
    }

    #[test]
    fn volumes_are_normalised_per_month() {
        assert_eq!(
            vol("around 1,000 orders per week"),
            Some((4330, "orders".into(), Period::Week))
        );
        assert_eq!(
            vol("120.000 E-Mails pro Jahr"),
            Some((10_000, "emails".into(), Period::Year))
        );
        assert_eq!(
            vol("unos 3 mil pedidos al mes"),
            Some((3000, "orders".into(), Period::Month))
        );
        assert_eq!(
            vol("cerca de 200 encomendas por dia"),
            Some((6088, "orders".into(), Period::Day))
        );
        assert_eq!(
            vol("Monthly volume: 12k emails"),
            Some((12_000, "emails".into(), Period::Month))
        );
        assert_eq!(
            vol("un budget de 1 500 € par mois"),
            Some((1500, "currency".into(), Period::Month))
        );
    }

    #[test]
    fn raw_phrase_is_kept_as_written() {
        let v = find_volume("Hi, we send 20k outbound emails every month, mostly B2B.");
        assert_eq!(
            v.map(|v| v.raw).as_deref(),
            Some("20k outbound emails every month")
        );
    }

    #[test]
    fn numbers_that_are_not_volumes_are_ignored() {
        assert_eq!(vol("order #12345 per month"), None);
        assert_eq!(vol("we have 50 users"), None);
        assert_eq!(vol("open rate went up 20% per month"), None);
        assert_eq!(vol("see you on the 3rd"), None);
    }
}
