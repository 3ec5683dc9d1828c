//! Spellings models use for the schema's keys and values, in English, French, Spanish, Portuguese,
//! German and Italian. Everything is compared after [`fold`]: lowercase, accents removed,
//! punctuation and `_`/`-` turned into single spaces.

use crate::analysis::schema::{Period, ProductInterest, RefKind, ResponseType, Sentiment, Urgency};

/// Lowercase, strip accents of Latin letters, and turn every run of non-alphanumerics into one
/// space; camelCase is split ("highValue" → "high value").
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_lower = false;
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower {
                pending_space = true;
            }
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            for l in c.to_lowercase() {
                push_folded(&mut out, l);
            }
        } else {
            pending_space = true;
            prev_lower = false;
        }
    }
    out
}

fn push_folded(out: &mut String, c: char) {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => {
            out.push_str("ss");
            return;
        }
        'œ' => {
            out.push_str("oe");
            return;
        }
        other => other,
    };
    out.push(base);
}

fn lookup<T: Copy>(table: &[(&str, T)], folded: &str) -> Option<T> {
    table.iter().find(|(k, _)| *k == folded).map(|(_, v)| *v)
}

/// The canonical schema field for a key as a model spelled it.
pub(crate) fn field_for_key(key: &str) -> Option<&'static str> {
    // Exact names first: the common case costs no allocation.
    if let Some(f) = crate::analysis::schema::FIELD_NAMES
        .iter()
        .find(|f| **f == key)
    {
        return Some(f);
    }
    static FOLDED: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    let folded = FOLDED.get_or_init(|| {
        crate::analysis::schema::FIELD_NAMES
            .iter()
            .map(|f| (fold(f), *f))
            .collect()
    });
    let k = fold(key);
    let canonical = folded.iter().find(|(f, _)| *f == k).map(|(_, name)| *name);
    canonical.or_else(|| lookup(KEY_ALIASES, &k))
}

const KEY_ALIASES: &[(&str, &str)] = &[
    ("version", "schema_version"),
    ("type", "response_type"),
    ("response", "response_type"),
    ("category", "response_type"),
    ("classification", "response_type"),
    ("insights", "key_insights"),
    ("summary", "key_insights"),
    ("tone", "sentiment"),
    ("priority", "urgency"),
    ("urgency level", "urgency"),
    ("score", "opportunity_score"),
    ("opportunity", "opportunity_score"),
    ("follow up", "follow_up_needed"),
    ("needs follow up", "follow_up_needed"),
    ("follow up required", "follow_up_needed"),
    ("interest", "product_interest"),
    ("interest level", "product_interest"),
    ("actions", "action_items"),
    ("todo", "action_items"),
    ("tasks", "action_items"),
    ("usage", "product_usage"),
    ("current usage", "product_usage"),
    ("volume", "monthly_volume"),
    ("pain", "pain_points"),
    ("problems", "pain_points"),
    ("issues", "pain_points"),
    ("refs", "references"),
    ("labels", "suggested_labels"),
    ("tags", "suggested_labels"),
    ("next steps", "recommended_actions"),
    ("recommendations", "recommended_actions"),
    ("language", "lang"),
    ("locale", "lang"),
    ("reply language", "lang"),
];

pub(crate) const RESPONSE_TYPE: &[(&str, ResponseType)] = &[
    ("standard", ResponseType::Standard),
    ("normal", ResponseType::Standard),
    ("regular", ResponseType::Standard),
    ("routine", ResponseType::Standard),
    ("estandar", ResponseType::Standard),
    ("padrao", ResponseType::Standard),
    ("normale", ResponseType::Standard),
    ("high value", ResponseType::HighValue),
    ("highvalue", ResponseType::HighValue),
    ("high", ResponseType::HighValue),
    ("hot lead", ResponseType::HighValue),
    ("opportunity", ResponseType::HighValue),
    ("haute valeur", ResponseType::HighValue),
    ("forte valeur", ResponseType::HighValue),
    ("grande valeur", ResponseType::HighValue),
    ("valeur elevee", ResponseType::HighValue),
    ("opportunite", ResponseType::HighValue),
    ("alto valor", ResponseType::HighValue),
    ("valor alto", ResponseType::HighValue),
    ("gran valor", ResponseType::HighValue),
    ("oportunidad", ResponseType::HighValue),
    ("oportunidade", ResponseType::HighValue),
    ("hoher wert", ResponseType::HighValue),
    ("hochwertig", ResponseType::HighValue),
    ("chance", ResponseType::HighValue),
    ("alto valore", ResponseType::HighValue),
    ("needs attention", ResponseType::NeedsAttention),
    ("needsattention", ResponseType::NeedsAttention),
    ("attention", ResponseType::NeedsAttention),
    ("attention needed", ResponseType::NeedsAttention),
    ("requires attention", ResponseType::NeedsAttention),
    ("problem", ResponseType::NeedsAttention),
    ("issue", ResponseType::NeedsAttention),
    ("concern", ResponseType::NeedsAttention),
    ("necessite attention", ResponseType::NeedsAttention),
    ("necessite une attention", ResponseType::NeedsAttention),
    ("attention requise", ResponseType::NeedsAttention),
    ("requiert attention", ResponseType::NeedsAttention),
    ("a traiter", ResponseType::NeedsAttention),
    ("necesita atencion", ResponseType::NeedsAttention),
    ("requiere atencion", ResponseType::NeedsAttention),
    ("atencion", ResponseType::NeedsAttention),
    ("precisa atencao", ResponseType::NeedsAttention),
    ("precisa de atencao", ResponseType::NeedsAttention),
    ("precisa tratamento", ResponseType::NeedsAttention),
    ("requer atencao", ResponseType::NeedsAttention),
    ("atencao", ResponseType::NeedsAttention),
    ("aufmerksamkeit", ResponseType::NeedsAttention),
    ("braucht aufmerksamkeit", ResponseType::NeedsAttention),
    ("erfordert aufmerksamkeit", ResponseType::NeedsAttention),
    ("richiede attenzione", ResponseType::NeedsAttention),
];

pub(crate) const SENTIMENT: &[(&str, Sentiment)] = &[
    ("positive", Sentiment::Positive),
    ("positif", Sentiment::Positive),
    ("positivo", Sentiment::Positive),
    ("positiva", Sentiment::Positive),
    ("positiv", Sentiment::Positive),
    ("happy", Sentiment::Positive),
    ("satisfied", Sentiment::Positive),
    ("neutral", Sentiment::Neutral),
    ("neutre", Sentiment::Neutral),
    ("neutro", Sentiment::Neutral),
    ("neutra", Sentiment::Neutral),
    ("mixed", Sentiment::Neutral),
    ("negative", Sentiment::Negative),
    ("negatif", Sentiment::Negative),
    ("negativo", Sentiment::Negative),
    ("negativa", Sentiment::Negative),
    ("negativ", Sentiment::Negative),
    ("unhappy", Sentiment::Negative),
    ("frustrated", Sentiment::Frustrated),
    ("frustre", Sentiment::Frustrated),
    ("frustree", Sentiment::Frustrated),
    ("frustrado", Sentiment::Frustrated),
    ("frustrada", Sentiment::Frustrated),
    ("frustriert", Sentiment::Frustrated),
    ("frustrato", Sentiment::Frustrated),
    ("angry", Sentiment::Frustrated),
    ("annoyed", Sentiment::Frustrated),
    ("irritated", Sentiment::Frustrated),
    ("en colere", Sentiment::Frustrated),
    ("enojado", Sentiment::Frustrated),
    ("irritado", Sentiment::Frustrated),
    ("verargert", Sentiment::Frustrated),
    ("urgent", Sentiment::Urgent),
    ("urgente", Sentiment::Urgent),
    ("dringend", Sentiment::Urgent),
];

pub(crate) const URGENCY: &[(&str, Urgency)] = &[
    ("low", Urgency::Low),
    ("none", Urgency::Low),
    ("faible", Urgency::Low),
    ("basse", Urgency::Low),
    ("bas", Urgency::Low),
    ("baja", Urgency::Low),
    ("bajo", Urgency::Low),
    ("baixa", Urgency::Low),
    ("baixo", Urgency::Low),
    ("niedrig", Urgency::Low),
    ("gering", Urgency::Low),
    ("bassa", Urgency::Low),
    ("medium", Urgency::Medium),
    ("moderate", Urgency::Medium),
    ("normal", Urgency::Medium),
    ("moyenne", Urgency::Medium),
    ("moyen", Urgency::Medium),
    ("media", Urgency::Medium),
    ("medio", Urgency::Medium),
    ("mittel", Urgency::Medium),
    ("high", Urgency::High),
    ("urgent", Urgency::High),
    ("critical", Urgency::High),
    ("haute", Urgency::High),
    ("haut", Urgency::High),
    ("elevee", Urgency::High),
    ("eleve", Urgency::High),
    ("critique", Urgency::High),
    ("alta", Urgency::High),
    ("alto", Urgency::High),
    ("urgente", Urgency::High),
    ("critica", Urgency::High),
    ("hoch", Urgency::High),
    ("dringend", Urgency::High),
    ("kritisch", Urgency::High),
];

pub(crate) const PRODUCT_INTEREST: &[(&str, ProductInterest)] = &[
    ("none", ProductInterest::None),
    ("no", ProductInterest::None),
    ("no interest", ProductInterest::None),
    ("not interested", ProductInterest::None),
    ("aucun", ProductInterest::None),
    ("aucune", ProductInterest::None),
    ("pas interesse", ProductInterest::None),
    ("ninguno", ProductInterest::None),
    ("ninguna", ProductInterest::None),
    ("no interesado", ProductInterest::None),
    ("nenhum", ProductInterest::None),
    ("nenhuma", ProductInterest::None),
    ("nao interessado", ProductInterest::None),
    ("keine", ProductInterest::None),
    ("kein", ProductInterest::None),
    ("nicht interessiert", ProductInterest::None),
    ("nessuno", ProductInterest::None),
    ("mentioned", ProductInterest::Mentioned),
    ("mention", ProductInterest::Mentioned),
    ("low", ProductInterest::Mentioned),
    ("mentionne", ProductInterest::Mentioned),
    ("mentionnee", ProductInterest::Mentioned),
    ("mencionado", ProductInterest::Mentioned),
    ("mencionada", ProductInterest::Mentioned),
    ("erwahnt", ProductInterest::Mentioned),
    ("menzionato", ProductInterest::Mentioned),
    ("interested", ProductInterest::Interested),
    ("medium", ProductInterest::Interested),
    ("interesse", ProductInterest::Interested),
    ("interessee", ProductInterest::Interested),
    ("interesado", ProductInterest::Interested),
    ("interesada", ProductInterest::Interested),
    ("interessado", ProductInterest::Interested),
    ("interessada", ProductInterest::Interested),
    ("interessiert", ProductInterest::Interested),
    ("interessato", ProductInterest::Interested),
    ("very interested", ProductInterest::VeryInterested),
    ("veryinterested", ProductInterest::VeryInterested),
    ("highly interested", ProductInterest::VeryInterested),
    ("high", ProductInterest::VeryInterested),
    ("strong", ProductInterest::VeryInterested),
    ("tres interesse", ProductInterest::VeryInterested),
    ("tres interessee", ProductInterest::VeryInterested),
    ("muy interesado", ProductInterest::VeryInterested),
    ("muy interesada", ProductInterest::VeryInterested),
    ("muito interessado", ProductInterest::VeryInterested),
    ("muito interessada", ProductInterest::VeryInterested),
    ("sehr interessiert", ProductInterest::VeryInterested),
    ("molto interessato", ProductInterest::VeryInterested),
];

pub(crate) const PERIOD: &[(&str, Period)] = &[
    ("day", Period::Day),
    ("daily", Period::Day),
    ("per day", Period::Day),
    ("jour", Period::Day),
    ("quotidien", Period::Day),
    ("dia", Period::Day),
    ("diario", Period::Day),
    ("tag", Period::Day),
    ("taglich", Period::Day),
    ("week", Period::Week),
    ("weekly", Period::Week),
    ("per week", Period::Week),
    ("semaine", Period::Week),
    ("hebdomadaire", Period::Week),
    ("semana", Period::Week),
    ("semanal", Period::Week),
    ("woche", Period::Week),
    ("wochentlich", Period::Week),
    ("month", Period::Month),
    ("monthly", Period::Month),
    ("per month", Period::Month),
    ("mois", Period::Month),
    ("mensuel", Period::Month),
    ("mes", Period::Month),
    ("mensual", Period::Month),
    ("mensal", Period::Month),
    ("monat", Period::Month),
    ("monatlich", Period::Month),
    ("mese", Period::Month),
    ("quarter", Period::Quarter),
    ("quarterly", Period::Quarter),
    ("trimestre", Period::Quarter),
    ("trimestriel", Period::Quarter),
    ("quartal", Period::Quarter),
    ("year", Period::Year),
    ("yearly", Period::Year),
    ("annual", Period::Year),
    ("per year", Period::Year),
    ("an", Period::Year),
    ("annee", Period::Year),
    ("annuel", Period::Year),
    ("ano", Period::Year),
    ("anual", Period::Year),
    ("jahr", Period::Year),
    ("jahrlich", Period::Year),
    ("anno", Period::Year),
];

pub(crate) const REF_KIND: &[(&str, RefKind)] = &[
    ("order", RefKind::Order),
    ("orders", RefKind::Order),
    ("purchase order", RefKind::Order),
    ("commande", RefKind::Order),
    ("pedido", RefKind::Order),
    ("encomenda", RefKind::Order),
    ("bestellung", RefKind::Order),
    ("auftrag", RefKind::Order),
    ("ordine", RefKind::Order),
    ("quote", RefKind::Quote),
    ("quotation", RefKind::Quote),
    ("estimate", RefKind::Quote),
    ("devis", RefKind::Quote),
    ("cotizacion", RefKind::Quote),
    ("presupuesto", RefKind::Quote),
    ("orcamento", RefKind::Quote),
    ("cotacao", RefKind::Quote),
    ("angebot", RefKind::Quote),
    ("preventivo", RefKind::Quote),
    ("offerte", RefKind::Quote),
    ("invoice", RefKind::Invoice),
    ("bill", RefKind::Invoice),
    ("facture", RefKind::Invoice),
    ("factura", RefKind::Invoice),
    ("fatura", RefKind::Invoice),
    ("rechnung", RefKind::Invoice),
    ("fattura", RefKind::Invoice),
    ("factuur", RefKind::Invoice),
];

/// Look a value up in one of the tables above.
pub(crate) fn enum_value<T: Copy>(table: &[(&str, T)], raw: &str) -> Option<T> {
    lookup(table, &fold(raw))
}

/// Yes/no words in the supported languages.
pub(crate) fn boolean_word(raw: &str) -> Option<bool> {
    match fold(raw).as_str() {
        "true" | "yes" | "y" | "1" | "oui" | "vrai" | "si" | "sim" | "ja" | "verdadero"
        | "verdadeiro" | "wahr" | "required" | "needed" => Some(true),
        "false" | "no" | "n" | "0" | "non" | "faux" | "nao" | "nein" | "falso" | "falsch"
        | "not needed" | "none" => Some(false),
        _ => None,
    }
}

/// Number words 1–5 in the supported languages ("four", "quatre", "cuatro", "quatro", "vier").
pub(crate) fn number_word(raw: &str) -> Option<u8> {
    match fold(raw).as_str() {
        "one" | "un" | "une" | "uno" | "una" | "um" | "uma" | "eins" | "ein" => Some(1),
        "two" | "deux" | "dos" | "dois" | "duas" | "zwei" | "due" => Some(2),
        "three" | "trois" | "tres" | "drei" | "tre" => Some(3),
        "four" | "quatre" | "cuatro" | "quatro" | "vier" | "quattro" => Some(4),
        "five" | "cinq" | "cinco" | "funf" | "cinque" => Some(5),
        _ => None,
    }
}

/// An ISO 639-1 code from a code ("en", "en-US", "fra") or a language name in the supported
/// languages ("French", "français", "Deutsch"). `None` when unrecognised.
pub fn normalize_lang(raw: &str) -> Option<String> {
    let f = fold(raw);
    let by_name = match f.as_str() {
        "english" | "anglais" | "ingles" | "englisch" | "inglese" | "eng" => Some("en"),
        "french" | "francais" | "frances" | "franzosisch" | "francese" | "fra" | "fre" => {
            Some("fr")
        }
        "spanish" | "espagnol" | "espanol" | "espanhol" | "spanisch" | "spagnolo" | "spa"
        | "castellano" => Some("es"),
        "portuguese" | "portugais" | "portugues" | "portugiesisch" | "portoghese" | "por" => {
            Some("pt")
        }
        "german" | "allemand" | "aleman" | "alemao" | "deutsch" | "tedesco" | "deu" | "ger" => {
            Some("de")
        }
        "italian" | "italien" | "italiano" | "italienisch" | "ita" => Some("it"),
        "dutch" | "neerlandais" | "nederlands" | "holandes" | "niederlandisch" | "nld" | "dut" => {
            Some("nl")
        }
        _ => None,
    };
    if let Some(code) = by_name {
        return Some(code.to_string());
    }
    // "en", "en us", "pt br": a two-letter primary subtag.
    let primary = f.split(' ').next().unwrap_or_default();
    if primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return Some(primary.to_string());
    }
    None
}

/// An order/quote/invoice identifier as written, without its number sign: "#A-1042" → "A-1042",
/// "n° 2024-117" → "2024-117", "Nr. 88412" → "88412", "No. 5521" → "5521".
pub fn clean_reference_id(raw: &str) -> String {
    let mut s = raw.trim();
    loop {
        let before = s;
        s = s.trim_start_matches(['#', ':', '.', '-', '°', 'º', ' ']);
        let lower: String = s.chars().take(7).flat_map(char::to_lowercase).collect();
        for prefix in [
            "n°", "nº", "n.º", "n.°", "no.", "nr.", "núm.", "num.", "nro.", "nr ", "no ", "núm ",
            "num ", "nro ", "nummer ", "number ", "numéro ", "número ",
        ] {
            if lower.starts_with(prefix) {
                s = s.get(prefix.len()..).unwrap_or_default();
                break;
            }
        }
        if s == before {
            break;
        }
    }
    s.trim_end_matches(['.', ',', ';', ':', ')', '!', '?'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_case_accents_and_separators() {
        assert_eq!(fold("Haute Valeur"), "haute valeur");
        assert_eq!(fold("PRECISA_TRATAMENTO"), "precisa tratamento");
        assert_eq!(fold("highValue"), "high value");
        assert_eq!(fold("  Très-intéressé! "), "tres interesse");
        assert_eq!(fold("Größe"), "grosse");
    }

    #[test]
    fn reference_ids_lose_their_number_sign_only() {
        assert_eq!(clean_reference_id("#A-1042"), "A-1042");
        assert_eq!(clean_reference_id("n° 2024-117"), "2024-117");
        assert_eq!(clean_reference_id("N°FA-2291"), "FA-2291");
        assert_eq!(clean_reference_id("Nr. 88412"), "88412");
        assert_eq!(clean_reference_id("No. 5521."), "5521");
        assert_eq!(clean_reference_id("nº 7781"), "7781");
        assert_eq!(clean_reference_id("NOV-2231"), "NOV-2231");
        assert_eq!(clean_reference_id("INV-2024-0042"), "INV-2024-0042");
    }

    #[test]
    fn languages_by_code_or_name() {
        assert_eq!(normalize_lang("fr-FR").as_deref(), Some("fr"));
        assert_eq!(normalize_lang("Português").as_deref(), Some("pt"));
        assert_eq!(normalize_lang("Deutsch").as_deref(), Some("de"));
        assert_eq!(normalize_lang("klingon"), None);
    }
}
