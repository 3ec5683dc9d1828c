//! Forwarded-message separators: "---------- Forwarded message ---------", "Begin forwarded
//! message:", and their translations in each client.

/// The separators' words, lowercase, without the dashes or colon around them.
const PHRASES: &[&str] = &[
    // English
    "forwarded message",
    "begin forwarded message",
    "forwarded email",
    "original message follows",
    // French
    "message transféré",
    "message transfere",
    "début du message réexpédié",
    "début du message transféré",
    "message réexpédié",
    // Spanish
    "mensaje reenviado",
    "inicio del mensaje reenviado",
    "comienzo del mensaje reenviado",
    // Portuguese
    "mensagem encaminhada",
    "mensagem reencaminhada",
    "início da mensagem encaminhada",
    "início da mensagem reencaminhada",
    // German
    "weitergeleitete nachricht",
    "anfang der weitergeleiteten nachricht",
    "anfang der weitergeleiteten e-mail",
    "weitergeleitete e-mail",
    // Italian
    "messaggio inoltrato",
    "inizio messaggio inoltrato",
    "messaggio inoltrato da",
    // Dutch
    "doorgestuurd bericht",
    "begin doorgestuurd bericht",
    "doorgestuurd bericht begint",
    // Polish
    "przekazana wiadomość",
    "wiadomość przekazana",
    "początek przekazanej wiadomości",
    // Swedish
    "vidarebefordrat meddelande",
    "vidarebefordrat brev",
    "början på vidarebefordrat meddelande",
    // Danish
    "videresendt besked",
    "videresendt meddelelse",
    "start på videresendt besked",
    "start på videresendt meddelelse",
    // Norwegian
    "videresendt melding",
    "videresendt e-post",
    "start på videresendt melding",
    // Russian
    "пересланное сообщение",
    "начало пересланного сообщения",
    "начало переадресованного сообщения",
    "переадресованное сообщение",
    // Japanese
    "転送されたメッセージ",
    "転送メッセージ",
    "転送済みメッセージ",
    // Chinese
    "转发的邮件",
];

/// Whether a line is a forwarded-message separator. The words must stand alone on the line and
/// have dashes around them or a colon after them.
pub(crate) fn is_forward_marker(content: &str) -> bool {
    if content.len() > 120 {
        return false;
    }
    let is_frame =
        |c: char| matches!(c, '-' | '=' | '_' | '*' | '\u{2014}' | '\u{2013}') || c.is_whitespace();
    let inner = content.trim_matches(is_frame);
    let framed = inner.len() < content.trim().len();
    let words = inner.trim_end_matches([':', '：']).trim_end();
    let colon = words.len() < inner.len();
    if !(framed || colon) {
        return false;
    }
    let lower = words.to_lowercase();
    PHRASES.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_thunderbird_and_apple_separators_are_recognised() {
        for line in [
            "---------- Forwarded message ---------",
            "-------- Forwarded Message --------",
            "Begin forwarded message:",
            "---------- Message transféré ---------",
            "Début du message réexpédié :",
            "---------- Mensaje reenviado ---------",
            "---------- Mensagem encaminhada ---------",
            "---------- Weitergeleitete Nachricht ---------",
            "Anfang der weitergeleiteten Nachricht:",
            "---------- Messaggio inoltrato ---------",
            "---------- Doorgestuurd bericht ---------",
            "---------- Przekazana wiadomość ---------",
            "---------- Vidarebefordrat meddelande ---------",
            "---------- Videresendt besked ----------",
            "---------- Videresendt melding ----------",
            "---------- Пересланное сообщение ---------",
            "---------- 転送されたメッセージ ---------",
        ] {
            assert!(is_forward_marker(line), "{line}");
        }
    }

    #[test]
    fn the_words_in_prose_are_not_a_separator() {
        assert!(!is_forward_marker(
            "I forwarded message after message to them"
        ));
        assert!(!is_forward_marker("Forwarded message"));
    }
}
