//! Auto-reply rules: RFC 3834 and vendor headers, out-of-office subjects, null return paths.

use std::sync::LazyLock;

use regex::Regex;

use super::{Evidence, rule};
use crate::message::InboundMessage;

/// Out-of-office and automatic-reply subject openings, lowercase, in EN FR ES PT DE IT NL PL SV DA
/// NO RU JA (and a few more). Each must be followed by a colon, a dash, a bracket or the end of the
/// subject, so "Out of office furniture" is not one; "Re: Automatic reply: …" (a person answering
/// an auto reply) is not one either, as the subject must start with the phrase.
const OOO_PHRASES: &[&str] = &[
    // English
    "automatic reply",
    "automatic response",
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "auto-response",
    "autoresponse",
    "out of office",
    "out of the office",
    "out of office reply",
    "out of office autoreply",
    "out of office auto reply",
    "out of office auto-reply",
    // French
    "réponse automatique",
    "réponse automatique d'absence du bureau",
    "réponse automatique d’absence du bureau",
    "absence du bureau",
    "absent du bureau",
    "message d'absence",
    "message d’absence",
    // Spanish
    "respuesta automática",
    "respuesta automatica",
    "fuera de la oficina",
    "fuera de oficina",
    "respuesta de fuera de la oficina",
    // Portuguese (pt-BR and pt-PT)
    "resposta automática",
    "resposta automatica",
    "fora do escritório",
    "ausente do escritório",
    "ausência temporária",
    // German
    "automatische antwort",
    "abwesenheitsnotiz",
    "abwesenheitsmeldung",
    "abwesend",
    "nicht im büro",
    // Italian
    "risposta automatica",
    "fuori sede",
    "fuori ufficio",
    "fuori dall'ufficio",
    "assente dall'ufficio",
    // Dutch
    "automatisch antwoord",
    "afwezigheidsbericht",
    "afwezig",
    "niet op kantoor",
    // Polish
    "automatyczna odpowiedź",
    "odpowiedź automatyczna",
    "poza biurem",
    "nieobecność",
    // Swedish
    "automatiskt svar",
    "frånvaromeddelande",
    "frånvarande",
    "inte på kontoret",
    "ej på kontoret",
    // Danish and Norwegian
    "automatisk svar",
    "automatisk besvarelse",
    "fraværende",
    "fravær",
    "ikke på kontoret",
    // Russian
    "автоматический ответ",
    "автоответ",
    "нет на месте",
    "вне офиса",
    // Japanese
    "自動応答",
    "自動返信",
    "不在通知",
    "不在",
    "外出中",
    // Also seen: Finnish, Czech, Turkish, Chinese, Korean
    "automaattinen vastaus",
    "automatická odpověď",
    "otomatik yanıt",
    "自动回复",
    "自動回覆",
    "자동 회신",
];

/// The compiled subject pattern.
static OOO_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    let phrases: Vec<String> = OOO_PHRASES
        .iter()
        .map(|p| regex::escape(p).replace(' ', r"\s+"))
        .collect();
    let pattern = format!(
        r"(?i)^\s*[\[【(（]?\s*(?:{})\s*(?:[:：\-–—(（\[\]】)）]|$)",
        phrases.join("|")
    );
    Regex::new(&pattern).expect("the out-of-office subject pattern is a valid regex")
});

/// Whether a subject is an out-of-office or automatic-reply subject.
pub(super) fn is_ooo_subject(subject: &str) -> bool {
    OOO_SUBJECT.is_match(subject)
}

/// The first token of a header value, lowercase (`auto-replied` in `Auto-Replied; owner=x`).
pub(super) fn first_token(value: &str) -> String {
    value
        .split(|c: char| c == ';' || c == '(' || c.is_whitespace())
        .find(|t| !t.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether a header value says "no".
fn is_negative(value: &str) -> bool {
    matches!(
        first_token(value).as_str(),
        "" | "no" | "false" | "0" | "off"
    )
}

/// Headers that mark an automatic reply, with their rule.
const AUTO_HEADERS: &[(&str, &str)] = &[
    ("X-Autoreply", rule::X_AUTOREPLY),
    ("X-Auto-Reply", rule::X_AUTOREPLY),
    ("X-Autoreply-From", rule::X_AUTOREPLY),
    ("X-Mail-Autoreply", rule::X_AUTOREPLY),
    ("X-Autorespond", rule::X_AUTORESPOND),
    ("X-Autoresponder", rule::X_AUTORESPOND),
];

/// Exchange's markers: not enough alone.
const EXCHANGE_MARKERS: &[&str] = &["X-Auto-Response-Suppress", "X-MS-Exchange-Inbox-Rules-Loop"];

/// Auto-reply evidence; empty when there is none strong enough.
pub(super) fn evidence(msg: &InboundMessage, has_list_id: bool) -> Vec<Evidence> {
    let mut found = Vec::new();
    if let Some(value) = msg.header("Auto-Submitted")
        && !is_negative(value)
    {
        found.push(Evidence::new(
            rule::AUTO_SUBMITTED,
            format!("Auto-Submitted: {value}"),
        ));
    }
    for (name, rule) in AUTO_HEADERS {
        if let Some(value) = msg.header(name)
            && !is_negative(value)
        {
            found.push(Evidence::new(rule, format!("{name}: {value}")));
        }
    }
    if let Some(value) = msg.header("Precedence") {
        let token = first_token(value);
        let auto = matches!(token.as_str(), "junk" | "auto_reply" | "auto-reply")
            || (token == "bulk" && !has_list_id);
        if auto {
            found.push(Evidence::new(
                rule::PRECEDENCE,
                format!("Precedence: {value}"),
            ));
        }
    }
    if let Some(subject) = msg.subject.as_deref()
        && is_ooo_subject(subject)
    {
        found.push(Evidence::new(
            rule::OOO_SUBJECT,
            format!("Subject: {subject}"),
        ));
    }
    if has_null_return_path(msg) {
        found.push(Evidence::new(rule::NULL_RETURN_PATH, "Return-Path: <>"));
    }
    if !found.is_empty() {
        for name in EXCHANGE_MARKERS {
            if let Some(value) = msg.header(name) {
                found.push(Evidence::new(
                    rule::EXCHANGE_MARKER,
                    format!("{name}: {value}"),
                ));
            }
        }
    }
    found
}

/// A null reverse path, from the headers or the transport's envelope.
pub(super) fn has_null_return_path(msg: &InboundMessage) -> bool {
    msg.return_path.as_deref() == Some("")
        || msg
            .transport
            .as_ref()
            .and_then(|t| t.envelope.as_ref())
            .and_then(|e| e.mail_from.as_deref())
            .is_some_and(|m| m.trim().trim_matches(|c| c == '<' || c == '>').is_empty())
}
