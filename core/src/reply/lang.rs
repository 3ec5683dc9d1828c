//! The language of a reply, via `whatlang`, as an ISO 639-1 code.

use std::collections::HashMap;
use std::sync::LazyLock;

use whatlang::{Detector, Lang};

/// Fewer letters than this and the language is not guessed.
const MIN_LETTERS: usize = 12;

/// Fewer letters than this when the text has no spaces between words (Japanese, Chinese).
const MIN_LETTERS_CJK: usize = 4;

/// Below this confidence the language is not reported.
const MIN_CONFIDENCE: f64 = 0.3;

/// Most bytes looked at: the start of a long text tells its language.
const MAX_BYTES: usize = 1024;

/// Common short words of the Latin-script and Russian reply languages. Trigram detection is
/// unsure on the few words of a typical reply ("Danke, passt so."); these words settle most
/// of them, and whatlang decides the rest.
const WORDS: &[(&str, &str)] = &[
    (
        "en",
        "the and you your for thanks thank please is are it we this that with have will can \
         would could not see good yes got great sounds works let me know send our just be from \
         what when how hi hello regards best all there they been do did i'm i'll don't it's of \
         to in on my get sure cheers tomorrow",
    ),
    (
        "fr",
        "le la les des est et je vous nous pour merci bonjour avec pas une un sur dans c'est \
         bien oui reçu cordialement demain votre vos ce cette qui que au aux du mais très suis \
         sommes avons confirmé parfait ça j'ai d'accord salut de",
    ),
    (
        "es",
        "el los las del que y es gracias hola por para con muy sí pero mañana saludos está \
         estoy usted nos lo su sus una perfecto bien favor cuando también confirmado recibido \
         puedes podemos de la un en te os nuestra nuestro vuestra vuestro podéis tenéis hay \
         saludo esta este esto",
    ),
    (
        "pt",
        "o os as do da dos das que é e obrigado obrigada olá oi para com não sim mas amanhã \
         você vocês está estou uma um muito bom boa recebi confirmado atenciosamente tudo \
         também abraço podemos de em no na nos",
    ),
    (
        "de",
        "der die das und ist ich sie wir nicht mit für danke hallo ja gerne bitte auf ein eine \
         den dem zu es passt morgen grüße gruß vielen dank schon auch noch habe haben wird \
         kann können gut",
    ),
    (
        "it",
        "il lo la gli le e è che di per con grazie ciao buongiorno non sì una un sono siamo \
         domani saluti anche molto bene ci vediamo perfetto va della del confermo",
    ),
    (
        "nl",
        "de het een en is ik je jij u wij we niet met voor van dank bedankt hallo hoi ja graag \
         op tot morgen groet groeten prima goed zijn hebben wordt kan ook nog maar dat dit",
    ),
    (
        "pl",
        "i w na z nie jest to się że dziękuję dzięki tak proszę dzień dobry pozdrawiam jutro \
         dla do jak ale czy mam będzie potwierdzam bardzo",
    ),
    (
        "sv",
        "och är jag du vi inte med för att det en ett tack hej ja på till vänliga hälsningar \
         ses imorgon också kan har blir bra mvh från om men som mig dig vad nu vill ska bara \
         gärna mycket klockan runt",
    ),
    (
        "da",
        "og er jeg du vi ikke med for at det en et tak hej ja på til venlig hilsen også kan \
         har bliver godt fint mvh fra om men som passer mig dig jer hvad nu vil skal bare \
         gerne meget klokken",
    ),
    (
        "no",
        "og er jeg du vi ikke med for å det en et takk hei ja på til vennlig hilsen også kan \
         har blir bra fint mvh fra om men som passer meg deg dere hva nå vil skal bare \
         gjerne veldig klokka rundt",
    ),
    (
        "ru",
        "и в не на я вы мы что с спасибо здравствуйте да это по для как но завтра уважением \
         подтверждаю пожалуйста будет есть",
    ),
];

/// Each word of [`WORDS`] and the languages (bit `i` = `WORDS[i]`) it belongs to.
static WORD_LANGS: LazyLock<HashMap<&'static str, u16>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, u16> = HashMap::new();
    for (i, (_, words)) in WORDS.iter().enumerate() {
        for w in words.split_whitespace() {
            *map.entry(w).or_insert(0) |= 1 << i;
        }
    }
    map
});

/// The languages whose common words the text uses most, with how many it uses: `None` when
/// no word is known.
fn word_vote(text: &str) -> Option<(Vec<&'static str>, u32)> {
    let mut counts = [0u32; 16];
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase().replace('’', "'");
        if let Some(&mask) = WORD_LANGS.get(lower.as_str()) {
            for (i, count) in counts.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    *count += 1;
                }
            }
        }
    }
    let best = counts.iter().copied().max().unwrap_or(0);
    if best == 0 {
        return None;
    }
    let leaders = WORDS
        .iter()
        .zip(counts)
        .filter(|(_, c)| *c == best)
        .map(|((code, _), _)| *code)
        .collect();
    Some((leaders, best))
}

/// The whatlang language for an ISO 639-1 code of [`WORDS`].
fn whatlang_lang(code: &str) -> Option<Lang> {
    Some(match code {
        "en" => Lang::Eng,
        "fr" => Lang::Fra,
        "es" => Lang::Spa,
        "pt" => Lang::Por,
        "de" => Lang::Deu,
        "it" => Lang::Ita,
        "nl" => Lang::Nld,
        "pl" => Lang::Pol,
        "sv" => Lang::Swe,
        "da" => Lang::Dan,
        "no" => Lang::Nob,
        "ru" => Lang::Rus,
        _ => return None,
    })
}

/// The languages replies are expected in; restricting the detector to them makes short texts
/// far more reliable, and detection faster (each Latin-script language costs a trigram profile
/// comparison, the main cost of extraction).
static DETECTOR: LazyLock<Detector> = LazyLock::new(|| {
    Detector::with_allowlist(vec![
        Lang::Eng,
        Lang::Fra,
        Lang::Spa,
        Lang::Por,
        Lang::Deu,
        Lang::Ita,
        Lang::Nld,
        Lang::Pol,
        Lang::Swe,
        Lang::Dan,
        Lang::Nob,
        Lang::Rus,
        Lang::Jpn,
        Lang::Cmn,
        Lang::Kor,
        Lang::Ukr,
        Lang::Ara,
        Lang::Heb,
        Lang::Ell,
        Lang::Hin,
    ])
});

/// The ISO 639-1 code of a whatlang language, for those we allow.
fn iso_639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Deu => "de",
        Lang::Ita => "it",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "no",
        Lang::Rus => "ru",
        Lang::Jpn => "ja",
        Lang::Cmn => "zh",
        Lang::Kor => "ko",
        Lang::Ukr => "uk",
        Lang::Ara => "ar",
        Lang::Heb => "he",
        Lang::Ell => "el",
        Lang::Hin => "hi",
        _ => return None,
    })
}

/// Whether a character belongs to a script written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
}

/// The language of `text`, or `None` when the text is too short or the guess is unsure.
pub(crate) fn detect(text: &str) -> Option<String> {
    let cut = match text.char_indices().find(|(i, _)| *i >= MAX_BYTES) {
        Some((i, _)) => text.get(..i).unwrap_or(text),
        None => text,
    };
    // Quoted context lines of inline answers are not the person's language evidence.
    let own: String = cut
        .lines()
        .filter(|l| !l.trim_start().starts_with('>'))
        .collect::<Vec<_>>()
        .join("\n");
    let letters = own.chars().filter(|c| c.is_alphabetic()).count();
    let cjk = own.chars().filter(|&c| is_cjk(c)).count();
    if letters < MIN_LETTERS && cjk < MIN_LETTERS_CJK {
        return None;
    }
    if cjk < MIN_LETTERS_CJK {
        match word_vote(&own) {
            // Two or more common words, and one language ahead: settled.
            Some((leaders, best)) if best >= 2 && leaders.len() == 1 => {
                return leaders.first().map(|c| (*c).to_string());
            }
            // A tie between a few languages: let the trigrams choose among them.
            Some((leaders, best)) if best >= 2 && leaders.len() <= 3 => {
                let langs: Vec<Lang> = leaders.iter().filter_map(|c| whatlang_lang(c)).collect();
                let info = Detector::with_allowlist(langs).detect(&own)?;
                return iso_639_1(info.lang()).map(str::to_string);
            }
            _ => {}
        }
    }
    let info = DETECTOR.detect(&own)?;
    if info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    iso_639_1(info.lang()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_reply_languages_are_detected() {
        let cases = [
            (
                "en",
                "Thanks for the quick answer, I will send the signed contract tomorrow.",
            ),
            (
                "fr",
                "Merci pour votre réponse rapide, je vous envoie le contrat signé demain.",
            ),
            (
                "es",
                "Gracias por la respuesta tan rápida, mañana le envío el contrato firmado.",
            ),
            (
                "pt",
                "Obrigado pela resposta rápida, amanhã envio o contrato assinado para vocês.",
            ),
            (
                "de",
                "Danke für die schnelle Antwort, ich schicke Ihnen morgen den Vertrag.",
            ),
            (
                "it",
                "Grazie per la risposta veloce, domani vi mando il contratto firmato.",
            ),
            (
                "nl",
                "Bedankt voor het snelle antwoord, ik stuur morgen het getekende contract.",
            ),
            (
                "pl",
                "Dziękuję za szybką odpowiedź, jutro wyślę podpisaną umowę do Państwa.",
            ),
            (
                "ru",
                "Спасибо за быстрый ответ, завтра я пришлю подписанный договор.",
            ),
            (
                "ja",
                "ご返信ありがとうございます。明日、署名済みの契約書をお送りします。",
            ),
        ];
        for (lang, text) in cases {
            assert_eq!(detect(text).as_deref(), Some(lang), "{text}");
        }
    }

    #[test]
    fn short_replies_are_detected_by_their_common_words() {
        let cases = [
            ("en", "Works for us. See you Tuesday."),
            ("fr", "Je reviens vers vous demain."),
            ("fr", "Oui, c'est confirmé."),
            ("es", "Perfecto, gracias."),
            ("pt", "Sim, confirmado, obrigado."),
            ("de", "Danke, passt so."),
            ("it", "Grazie, ci vediamo martedì."),
            ("nl", "Bedankt, tot dinsdag."),
            ("pl", "Dziękuję, potwierdzam."),
            ("sv", "Tack, vi ses på tisdag."),
            ("da", "Det passer fint, tak."),
            ("no", "Det passer bra, takk."),
            (
                "no",
                "Torsdag formiddag går fint, ring meg rundt klokka ti.",
            ),
            (
                "da",
                "Torsdag formiddag passer fint, ring til mig omkring klokken ti.",
            ),
            (
                "sv",
                "Torsdag förmiddag går bra, ring mig runt klockan tio.",
            ),
            ("ru", "Да, подтверждаю, спасибо."),
        ];
        for (lang, text) in cases {
            assert_eq!(detect(text).as_deref(), Some(lang), "{text}");
        }
    }

    #[test]
    fn spanish_articles_outvote_the_french_and_italian_ones() {
        // "la" and "un" are French and Italian too; "de", "te", "nuestra" settle it.
        let text = "Javier:\n\nTe reenvío la aprobación de nuestra dirección financiera. \
                    Podéis preparar el contrato.\n\nUn saludo,\nÁlvaro";
        assert_eq!(detect(text).as_deref(), Some("es"));
        assert_eq!(
            detect("Je vous envoie la copie de la facture, merci.").as_deref(),
            Some("fr")
        );
        assert_eq!(
            detect("Ti mando la copia della fattura, grazie.").as_deref(),
            Some("it")
        );
    }

    #[test]
    fn tiny_texts_get_no_language() {
        assert_eq!(detect("Ok!"), None);
        assert_eq!(detect("👍"), None);
        assert_eq!(detect(""), None);
    }
}
