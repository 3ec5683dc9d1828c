//! Outlook-style header blocks ("From:/Sent:/To:/Subject:" in each language), the
//! "-----Original Message-----" separator and the underscore rule Outlook puts above them.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::Line;

/// Lines looked at after the first header of a block.
const MAX_BLOCK_LINES: usize = 12;

/// Which header a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// From / De / Von / Van / Da / Od / Från / Fra / От / 差出人 …
    From,
    /// Sent / Date / Envoyé / Enviado / Gesendet / Datum / Inviato / Verzonden / Wysłano …
    Sent,
    /// To / À / Para / An / Aan / A / Do / Till / Til / Кому / 宛先 …
    To,
    /// Cc / Kopie / DW / Kopia / Kopi / Копия …
    Cc,
    /// Subject / Objet / Asunto / Assunto / Betreff / Oggetto / Onderwerp / Temat / Ämne …
    Subject,
}

/// A header label at the start of a line, optionally bold (`*From:*`).
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^\*?\s*(?:",
        r"(?P<from>from|de|von|van|da|od|från|fra|от|差出人|发件人|寄件者)",
        r"|(?P<sent>sent|date|envoyé|envoye|enviado el|enviado em|enviado|enviada em|enviada|fecha",
        r"|data|gesendet|datum|inviato|verzonden|wysłano|wysłane|skickat|sendt|dato|отправлено",
        r"|дата|送信日時|日付|发送时间|发送日期|sent at)",
        r"|(?P<to>to|à|a|para|an|aan|do|till|til|кому|宛先|收件人)",
        r"|(?P<cc>cc|cci|bcc|kopie|dw|kopia|kopi|копия|copie à)",
        r"|(?P<subject>subject|objet|sujet|asunto|assunto|betreff|oggetto|onderwerp|temat|ämne",
        r"|emne|тема|件名|主题|主旨)",
        r")\s*\*?\s*[:：]"
    ))
    .expect("static regex is valid")
});

/// "-----Original Message-----" and its translations, with dashes (or `=`/`_`) around.
static ORIGINAL_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^[-=_*\s]{2,}\s*(?:original message|message d'origine|message d’origine",
        r"|message original|ursprüngliche nachricht|original nachricht|originalnachricht|mensaje original",
        r"|mensagem original|messaggio originale|messaggio originario|oorspronkelijk bericht",
        r"|origineel bericht|oryginalna wiadomość|wiadomość oryginalna|ursprungligt meddelande",
        r"|originalmeddelande|oprindelig meddelelse|original meddelelse|opprinnelig melding",
        r"|originalmelding|исходное сообщение|оригинальное сообщение|元のメッセージ",
        r"|オリジナル メッセージ|原始邮件|原始郵件)\s*[-=_*\s]*:?$"
    ))
    .expect("static regex is valid")
});

/// A webmail's line introducing a header block with the date of the quoted message: Orange and
/// SFR write "Message du 03/03/25 10:12" above "De : … / A : … / Objet : …".
static HEADER_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:message du|messaggio del|mensaje del|mensagem de|nachricht vom|bericht van)",
        r"\s+\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:[\s,]+(?:à\s+|um\s+|a las\s+|às\s+)?\d{1,2}[:h]\d{2}",
        r"(?::\d{2})?)?\s*:?$"
    ))
    .expect("static regex is valid")
});

/// The label a line starts with, if any.
pub(crate) fn label(content: &str) -> Option<Label> {
    // Labels are short: only the start of the line matters.
    let head = match content.char_indices().nth(40) {
        Some((i, _)) => content.get(..i).unwrap_or(content),
        None => content,
    };
    let caps = LABEL.captures(head)?;
    if caps.name("from").is_some() {
        Some(Label::From)
    } else if caps.name("sent").is_some() {
        Some(Label::Sent)
    } else if caps.name("to").is_some() {
        Some(Label::To)
    } else if caps.name("cc").is_some() {
        Some(Label::Cc)
    } else {
        Some(Label::Subject)
    }
}

/// Whether a line is an "-----Original Message-----" separator.
pub(crate) fn is_original_message(content: &str) -> bool {
    content.len() < 120 && ORIGINAL_MESSAGE.is_match(content)
}

/// Whether a line introduces a header block with the quoted message's date ("Message du
/// 03/03/25 10:12"); it only counts right above a header block.
pub(crate) fn is_header_intro(content: &str) -> bool {
    content.len() < 80 && HEADER_INTRO.is_match(content)
}

/// Whether a line is an underscore (or dash) rule such as Outlook puts above a header block.
pub(crate) fn is_rule(content: &str) -> bool {
    content.chars().count() >= 10
        && (content.chars().all(|c| c == '_') || content.chars().all(|c| c == '-'))
}

/// Whether a header block starts at line `i`: a run of header lines (continuations allowed)
/// that names the sender and at least two of date, recipient and subject.
pub(crate) fn header_block_at(lines: &[Line<'_>], i: usize, depth: usize) -> bool {
    let Some(first) = lines.get(i) else {
        return false;
    };
    if first.depth != depth || label(first.content).is_none() {
        return false;
    }
    let (mut from, mut sent, mut to, mut subject) = (false, false, false, false);
    let mut continuation = 0;
    for line in lines.iter().skip(i).take(MAX_BLOCK_LINES) {
        if line.depth != depth || line.is_blank() {
            break;
        }
        match label(line.content) {
            Some(Label::From) => from = true,
            Some(Label::Sent) => sent = true,
            Some(Label::To) => to = true,
            Some(Label::Subject) => subject = true,
            Some(Label::Cc) => {}
            None => {
                continuation += 1;
                if continuation > 2 {
                    break;
                }
                continue;
            }
        }
        continuation = 0;
    }
    from && [sent, to, subject].iter().filter(|&&b| b).count() >= 2
}

/// Where a header block found at `i` really starts: the separator line above it, if any
/// (an "Original Message" line, a rule or a dated intro line, at most two blank lines up).
pub(crate) fn block_start(lines: &[Line<'_>], i: usize) -> usize {
    let mut j = i;
    let mut blanks = 0;
    while let Some(prev) = j.checked_sub(1).and_then(|k| lines.get(k)) {
        if prev.is_blank() {
            blanks += 1;
            if blanks > 2 {
                break;
            }
            j -= 1;
            continue;
        }
        if is_original_message(prev.content)
            || is_rule(prev.content)
            || is_header_intro(prev.content)
            || super::forward::is_forward_marker(prev.content)
        {
            return j - 1;
        }
        break;
    }
    i
}
