//! The language of a reply, via `whatlang`, as an ISO 639-1 code.

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
    fn tiny_texts_get_no_language() {
        assert_eq!(detect("Ok!"), None);
        assert_eq!(detect("👍"), None);
        assert_eq!(detect(""), None);
    }
}
