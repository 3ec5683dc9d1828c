//! German.

use super::{Cat, Lexicon};

#[rustfmt::skip]
pub(super) const LEXICON: Lexicon = Lexicon {
    lang: "de",
    stopwords: &[
        "der", "die", "das", "und", "wir", "sie", "ist", "für", "mit", "nicht", "ein", "eine",
        "ich", "uns", "unser", "unsere", "ihr", "ihre", "auch", "danke", "bitte", "hallo", "aber",
        "es", "zu", "von", "den",
    ],
    terms: &[
        (Cat::Buy, &[
            "sehr interessiert", "großes interesse", "starkes interesse",
            "bereit zu unterschreiben",
            "möchten upgraden", "upgraden", "möchten wir upgraden", "upgrade auf",
            "wechseln auf den",
            "möchten kaufen", "möchten bestellen", "möchten buchen", "buchen", "bestellen",
            "schicken sie uns den vertrag", "senden sie uns den vertrag", "vertrag zusenden",
            "vertrag schicken", "bestellung aufgeben", "weitere lizenzen", "zusätzliche lizenzen",
            "mehr lizenzen", "mehr nutzer hinzufügen", "ganze unternehmen", "ganzen firma",
            "wie gehen wir vor",
            "loslegen", "abschließen",
        ]),
        (Cat::Interest, &[
            "interessiert", "interesse", "interessant", "mehr erfahren", "mehr informationen",
            "weitere informationen", "mehr details", "testversion", "kostenlos testen", "testen",
            "ausprobieren", "ein angebot", "ein angebot für", "evaluieren", "überlegen",
            "ist es möglich", "bieten sie", "unterstützt ihr",
        ]),
        (Cat::Pricing, &[
            "preis", "preise", "preisliste", "kosten", "kostet", "wie viel", "wieviel", "tarif",
            "tarife", "plan", "pläne", "rabatt", "budget", "pro nutzer", "pro lizenz",
            "konditionen", "jahresplan", "jahresvertrag",
        ]),
        (Cat::Demo, &[
            "demo", "vorführung", "einen anruf", "telefonat", "termin", "meeting", "videocall",
            "präsentation",
        ]),
        (Cat::Expansion, &[
            "weitere teams", "andere abteilungen", "ganze team", "ganze unternehmen",
            "mehr nutzer", "weitere standorte", "alle filialen", "ausweiten", "ausrollen",
            "skalieren", "wachsen", "nächstes jahr",
        ]),
        (Cat::Mention, &[
            "ihr produkt", "ihre software", "ihr tool", "das tool", "die plattform", "die app",
            "das dashboard", "funktion", "funktionen", "neue funktion", "das update",
            "die integration", "die api", "die vorlagen", "die berichte", "ihr service",
            "funktioniert gut",
        ]),
        (Cat::Usage, &[
            "wir nutzen", "wir verwenden", "wir benutzen", "nutzen wir", "verwenden wir",
            "wir setzen", "ich nutze", "wir versenden", "versenden wir",
        ]),
        (Cat::Feature, &[
            "wäre schön", "wäre toll", "könnten sie hinzufügen", "fehlt uns", "vermissen",
            "roadmap", "geplant",
        ]),
        (Cat::Decline, &[
            "kein interesse", "nicht interessiert", "nicht für uns", "passt nicht",
            "nicht der richtige zeitpunkt", "derzeit nicht", "aktuell nicht", "im moment nicht",
            "nein danke", "haben bereits", "bereits eine lösung", "brauchen wir nicht",
            "benötigen wir nicht", "kein budget", "später", "entschieden für",
        ]),
        (Cat::Unsubscribe, &[
            "abmelden", "austragen", "abbestellen", "aus dem verteiler", "keine e-mails mehr",
            "keine mails mehr", "nicht mehr kontaktieren", "löschen sie meine",
            "streichen sie mich", "aus ihrem verteiler", "verteiler aus",
        ]),
        (Cat::Thanks, &["danke", "vielen dank", "herzlichen dank"]),
        (Cat::Positive, &[
            "super", "toll", "klasse", "prima",
            "perfekt", "ausgezeichnet", "hervorragend", "begeistert", "zufrieden", "sehr gut",
            "funktioniert gut", "gefällt", "freuen uns", "freue mich", "hilfreich", "spitze",
            "genial",
        ]),
        (Cat::Negative, &[
            "enttäuscht", "enttäuschend", "unzufrieden", "nicht zufrieden", "schlecht",
            "zu teuer", "leider", "bedauerlich", "besorgt", "beschwerde", "reklamation",
            "verwirrend", "mangelhaft",
        ]),
        (Cat::Frustrated, &[
            "schon wieder", "wieder nicht", "immer noch", "noch immer", "immer noch nicht",
            "dritte mal", "zweite mal", "mehrfach", "mehrmals", "inakzeptabel", "unverschämt",
            "lächerlich", "reicht", "satt", "frustriert", "frustrierend", "verärgert", "genervt",
            "niemand", "keine antwort", "keine reaktion", "zeitverschwendung", "seit wochen",
            "seit tagen", "zumutung", "dritten mal", "zum dritten",
        ]),
        (Cat::Urgent, &[
            "dringend", "eilig", "sofort", "umgehend", "schnellstmöglich", "so schnell wie möglich",
            "asap", "heute noch", "bis morgen", "notfall", "blockiert", "kritisch",
            "ausgefallen", "frist", "deadline", "stillstand",
        ]),
        (Cat::Problem, &[
            "fehler", "fehlermeldung", "bug", "funktioniert nicht", "geht nicht", "kaputt",
            "stürzt ab", "absturz", "problem", "probleme", "störung", "kann nicht", "können nicht",
            "nicht möglich", "lädt nicht", "doppelt abgebucht",
            "doppelt berechnet", "nicht erhalten", "nie erhalten", "nicht angekommen",
            "verloren", "langsam", "verspätet", "verzögerung", "spam", "beschädigt", "defekt",
            "fehlt", "ausgefallen", "falsch*", "fehlerhaft*", "nicht behoben",
            "nicht mehr einloggen", "nicht einloggen", "kann mich nicht", "nicht anmelden",
            "funktioniert der",
        ]),
        (Cat::Churn, &[
            "kündigen", "kündigung", "stornieren", "stornierung", "konto schließen",
            "konto löschen", "rückerstattung", "geld zurück", "anbieter wechseln",
            "nicht verlängern", "wechseln zu",
        ]),
        (Cat::Billing, &[
            "rechnung", "rechnungen", "abrechnung", "abgebucht", "berechnet", "zahlung", "bezahlt",
            "kreditkarte", "lastschrift", "mwst", "abonnement", "abo",
        ]),
        (Cat::Request, &[
            "können sie", "könnten sie", "würden sie", "bitte", "ich möchte", "wir möchten",
            "ich hätte gerne", "wir hätten gerne", "wir bräuchten", "ich brauche", "wir brauchen",
            "schicken sie", "senden sie", "geben sie mir bescheid", "melden sie sich",
            "rufen sie mich", "ist es möglich",
        ]),
        (Cat::Away, &[
            "nicht im büro", "abwesend", "im urlaub", "automatische antwort", "abwesenheitsnotiz",
            "ab dem",
        ]),
        (Cat::Calm, &[
            "nicht dringend", "keine eile", "kein problem", "keine probleme", "nicht schlecht",
            "wenn sie zeit haben",
        ]),
    ],
};
