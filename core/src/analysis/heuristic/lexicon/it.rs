//! Italian (a smaller lexicon).

use super::{Cat, Lexicon};

#[rustfmt::skip]
pub(super) const LEXICON: Lexicon = Lexicon {
    lang: "it",
    stopwords: &[
        "il", "lo", "gli", "della", "che", "di", "per", "con", "una", "siamo", "grazie",
        "ciao", "ma", "molto", "vostro", "vostra", "nostro", "nostra", "sono", "non", "è",
    ],
    terms: &[
        (Cat::Buy, &[
            "molto interessati", "molto interessato", "pronti a firmare", "vogliamo acquistare",
            "vorremmo acquistare", "passare al piano", "inviateci il contratto", "più licenze",
            "licenze aggiuntive", "piano annuale", "tutta l'azienda",
        ]),
        (Cat::Interest, &[
            "interessati", "interessato", "interessa", "interessante", "saperne di più",
            "maggiori informazioni", "prova gratuita", "provare", "un preventivo",
        ]),
        (Cat::Pricing, &["prezzo", "prezzi", "costo", "quanto costa", "piano", "piani", "sconto"]),
        (Cat::Demo, &["demo", "una chiamata", "riunione", "presentazione"]),
        (Cat::Expansion, &["altri team", "altri reparti", "più utenti", "espandere"]),
        (Cat::Mention, &[
            "il vostro prodotto", "la piattaforma", "l'app", "funzionalità", "l'aggiornamento",
            "aggiornamento", "funziona bene",
        ]),
        (Cat::Usage, &["usiamo", "utilizziamo", "inviamo"]),
        (Cat::Feature, &["sarebbe utile", "potreste aggiungere", "manca una"]),
        (Cat::Decline, &[
            "non siamo interessati", "non sono interessato", "non ci interessa", "non è il momento",
            "no grazie", "abbiamo già", "non abbiamo bisogno",
        ]),
        (Cat::Unsubscribe, &["disiscrivere", "cancellatemi", "rimuovetemi", "non inviate più"]),
        (Cat::Thanks, &["grazie", "grazie mille"]),
        (Cat::Positive, &[
            "ottimo", "perfetto", "fantastico", "contento", "contenti",
            "soddisfatto", "soddisfatti", "funziona bene", "molto bene", "utile",
        ]),
        (Cat::Negative, &[
            "deluso", "delusi", "insoddisfatto", "purtroppo", "troppo caro", "reclamo",
        ]),
        (Cat::Frustrated, &[
            "di nuovo", "ancora non", "ancora nessuna", "terza volta", "inaccettabile", "ridicolo",
            "stufo", "frustrato", "nessuno", "nessuna risposta", "da settimane", "non è ancora",
        ]),
        (Cat::Urgent, &[
            "urgente", "subito", "immediatamente", "oggi stesso", "entro domani", "bloccato",
            "bloccati",
        ]),
        (Cat::Problem, &[
            "errore", "errori", "non funziona", "problema", "problemi", "guasto", "non riesco",
            "non riusciamo", "addebitato due volte", "non ricevuto", "non è arrivato", "ritardo",
            "non è ancora arrivato", "ancora arrivato",
        ]),
        (Cat::Churn, &["disdire", "disdetta", "annullare", "rimborso", "chiudere l'account"]),
        (Cat::Billing, &[
            "fattura", "fatture", "fatturazione", "pagamento", "addebito", "abbonamento",
        ]),
        (Cat::Request, &[
            "potete", "potreste", "può", "potrebbe", "per favore", "vorrei", "vorremmo",
            "ho bisogno", "abbiamo bisogno", "inviatemi", "fatemi sapere",
        ]),
        (Cat::Away, &["fuori ufficio", "in ferie", "risposta automatica"]),
        (Cat::Calm, &["non è urgente", "nessun problema", "senza fretta"]),
    ],
};
