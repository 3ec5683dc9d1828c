//! Dutch (a smaller lexicon).

use super::{Cat, Lexicon};

#[rustfmt::skip]
pub(super) const LEXICON: Lexicon = Lexicon {
    lang: "nl",
    stopwords: &[
        "de", "het", "een", "en", "wij", "we", "jullie", "is", "voor", "met", "niet", "ons",
        "onze", "bedankt", "dank", "hallo", "maar", "ook", "graag", "ik", "van",
    ],
    terms: &[
        (Cat::Buy, &[
            "zeer geïnteresseerd", "erg geïnteresseerd", "klaar om te tekenen", "willen upgraden",
            "willen kopen", "willen bestellen", "stuur het contract", "meer licenties",
            "extra licenties", "jaarplan", "hele bedrijf",
        ]),
        (Cat::Interest, &[
            "geïnteresseerd", "interesse", "interessant", "meer informatie", "meer weten",
            "gratis proefperiode", "uitproberen", "een offerte",
        ]),
        (Cat::Pricing, &["prijs", "prijzen", "kosten", "hoeveel", "abonnement", "korting"]),
        (Cat::Demo, &["demo", "een gesprek", "afspraak", "belletje", "presentatie"]),
        (Cat::Expansion, &["andere teams", "andere afdelingen", "meer gebruikers", "uitbreiden"]),
        (Cat::Mention, &[
            "jullie product", "het platform", "de app", "functie", "functies", "de update",
            "werkt goed",
        ]),
        (Cat::Usage, &[
            "wij gebruiken", "we gebruiken", "gebruiken we", "wij versturen", "we versturen",
        ]),
        (Cat::Feature, &["zou fijn zijn", "kunnen jullie toevoegen", "mis ik"]),
        (Cat::Decline, &[
            "geen interesse", "niet geïnteresseerd", "niet voor ons", "nee bedankt",
            "hebben al", "niet nodig", "nu niet",
        ]),
        (Cat::Unsubscribe, &["afmelden", "uitschrijven", "verwijder mij", "geen mails meer"]),
        (Cat::Thanks, &["bedankt", "dank je", "dank u"]),
        (Cat::Positive, &[
            "super", "geweldig", "top", "perfect", "tevreden",
            "blij", "werkt goed", "heel fijn", "handig",
        ]),
        (Cat::Negative, &["teleurgesteld", "ontevreden", "helaas", "te duur", "klacht", "slecht"]),
        (Cat::Frustrated, &[
            "alweer", "nog steeds", "derde keer", "onacceptabel", "belachelijk", "gefrustreerd",
            "niemand", "geen antwoord", "al weken",
        ]),
        (Cat::Urgent, &["dringend", "spoed", "meteen", "direct", "vandaag nog", "geblokkeerd"]),
        (Cat::Problem, &[
            "fout", "foutmelding", "werkt niet", "probleem", "problemen", "storing", "kan niet",
            "kunnen niet", "dubbel afgeschreven", "niet ontvangen", "vertraging", "kapot",
        ]),
        (Cat::Churn, &["opzeggen", "annuleren", "terugbetaling", "account sluiten"]),
        (Cat::Billing, &["factuur", "facturen", "betaling", "afgeschreven", "incasso"]),
        (Cat::Request, &[
            "kunnen jullie", "kunt u", "zou u", "graag", "alstublieft", "ik wil", "wij willen",
            "we willen", "stuur mij", "laat me weten",
        ]),
        (Cat::Away, &["afwezig", "op vakantie", "automatisch antwoord"]),
        (Cat::Calm, &["niet dringend", "geen probleem", "geen haast"]),
    ],
};
