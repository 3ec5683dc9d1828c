//! Order, quote and invoice references: "order #A-1042", "commande n° 2024-117",
//! "Rechnung Nr. 88412", "pedido nº 7781", "INV-2024-0042".

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::repair::{clean_reference_id, fold};
use crate::analysis::schema::{RefKind, Reference};

/// Most references kept per reply.
const MAX_REFS: usize = 10;
/// Longest identifier kept, in characters.
const MAX_ID_CHARS: usize = 40;

fn keyword_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)
            \b(?P<kw>
                purchase\ order|order|po|
                quotation|quote|estimate|
                invoice|inv|bill|
                commande|cde|devis|facture|
                pedido|encomenda|cotizaci[oó]n|presupuesto|factura|
                or[cç]amento|cota[cç][aã]o|fatura|
                bestellung|auftrag|angebot|rechnung|
                ordine|preventivo|fattura|
                bestelling|offerte|factuur
            )(?:s|en|es)?
            (?:\s*(?:n\.?\s?[°º]|(?:number|nummer|num[eé]ro|n[uú]mero|n[uú]m\.?|no\.?|nr\.?|nro\.?|n|id|ref\.?|r[ée]f[ée]rence)(?:\s|[:\#.])))?
            [\s:\#°º.]*
            (?P<id>\#?[\p{L}\d][\p{L}\d_/.\-]*)",
        )
        .ok()
    })
    .as_ref()
}

/// Identifiers whose prefix names their kind: INV-…, FAC-…, ORD-…, PO-…, QT-…, DEV-….
fn coded_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"\b(?P<id>(?P<prefix>INV|FAC|FACT|FA|FAT|RE|ORD|CMD|PO|PED|QT|QUO|DEV|COT|ANG)[-_/]?\d[\w\-/]*\d)\b",
        )
        .ok()
    })
    .as_ref()
}

fn kind_of_keyword(kw: &str) -> Option<RefKind> {
    match fold(kw).as_str() {
        "purchase order" | "order" | "po" | "commande" | "cde" | "pedido" | "encomenda"
        | "bestellung" | "auftrag" | "ordine" | "bestelling" => Some(RefKind::Order),
        "quotation" | "quote" | "estimate" | "devis" | "cotizacion" | "presupuesto"
        | "orcamento" | "cotacao" | "angebot" | "preventivo" | "offerte" => Some(RefKind::Quote),
        "invoice" | "inv" | "bill" | "facture" | "factura" | "fatura" | "rechnung" | "fattura"
        | "factuur" => Some(RefKind::Invoice),
        _ => None,
    }
}

fn kind_of_prefix(prefix: &str) -> Option<RefKind> {
    match prefix {
        "INV" | "FAC" | "FACT" | "FA" | "FAT" | "RE" => Some(RefKind::Invoice),
        "ORD" | "CMD" | "PO" | "PED" => Some(RefKind::Order),
        "QT" | "QUO" | "DEV" | "COT" | "ANG" => Some(RefKind::Quote),
        _ => None,
    }
}

/// A plausible identifier: has a digit, is not too long, not a bare year or a date.
fn plausible(id: &str) -> bool {
    let n = id.chars().count();
    if n == 0 || n > MAX_ID_CHARS || !id.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    // "2024" right after "invoice" is usually "invoice 2024 …" only when followed by nothing else;
    // keep it: identifiers are often plain numbers. Reject dates like 12/03 or 12.03.2024.
    let date_like = id.split(['/', '.']).count() >= 2
        && id
            .split(['/', '.'])
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()));
    !date_like
}

/// Every reference in `text`, in order of appearance, without duplicates.
pub(crate) fn find_references(text: &str) -> Vec<Reference> {
    let mut found: Vec<(usize, Reference)> = Vec::new();
    let push = |pos: usize, kind: RefKind, raw: &str, found: &mut Vec<(usize, Reference)>| {
        let id = clean_reference_id(raw)
            .trim_end_matches(['-', '/', '.'])
            .to_string();
        if plausible(&id) && !found.iter().any(|(_, r)| r.id == id) && found.len() < MAX_REFS {
            found.push((pos, Reference { kind, id }));
        }
    };
    if let Some(re) = keyword_regex() {
        for c in re.captures_iter(text) {
            let (Some(kw), Some(id)) = (c.name("kw"), c.name("id")) else {
                continue;
            };
            if let Some(kind) = kind_of_keyword(kw.as_str()) {
                push(kw.start(), kind, id.as_str(), &mut found);
            }
        }
    }
    if let Some(re) = coded_regex() {
        for c in re.captures_iter(text) {
            let (Some(prefix), Some(id)) = (c.name("prefix"), c.name("id")) else {
                continue;
            };
            if let Some(kind) = kind_of_prefix(prefix.as_str()) {
                push(id.start(), kind, id.as_str(), &mut found);
            }
        }
    }
    found.sort_by_key(|(pos, _)| *pos);
    found.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<(RefKind, String)> {
        find_references(text)
            .into_iter()
            .map(|r| (r.kind, r.id))
            .collect()
    }

    #[test]
    fn references_in_each_language_keep_the_id_as_written() {
        assert_eq!(
            refs("About order #A-1042, it never arrived."),
            vec![(RefKind::Order, "A-1042".into())]
        );
        assert_eq!(
            refs("la commande n° 2024-117 est bloquée"),
            vec![(RefKind::Order, "2024-117".into())]
        );
        assert_eq!(
            refs("Rechnung Nr. 88412 ist falsch"),
            vec![(RefKind::Invoice, "88412".into())]
        );
        assert_eq!(
            refs("el pedido nº 7781"),
            vec![(RefKind::Order, "7781".into())]
        );
        assert_eq!(
            refs("o orçamento #Q-5531"),
            vec![(RefKind::Quote, "Q-5531".into())]
        );
        assert_eq!(
            refs("invoice No. 5521."),
            vec![(RefKind::Invoice, "5521".into())]
        );
        assert_eq!(
            refs("see INV-2024-0042 attached"),
            vec![(RefKind::Invoice, "INV-2024-0042".into())]
        );
        assert_eq!(
            refs("votre devis DEV-3390 et la facture FA-2291"),
            vec![
                (RefKind::Quote, "DEV-3390".into()),
                (RefKind::Invoice, "FA-2291".into()),
            ]
        );
    }

    #[test]
    fn reference_regexes_compile() {
        assert!(keyword_regex().is_some() && coded_regex().is_some());
    }

    #[test]
    fn words_and_dates_after_a_keyword_are_not_references() {
        assert!(refs("Can you send the invoice for March?").is_empty());
        assert!(refs("the order from 12/03 was late").is_empty());
        assert!(refs("I'd like to order more seats").is_empty());
    }
}
