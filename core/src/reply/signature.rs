//! Signature blocks: what follows a `-- ` delimiter, mobile footers ("Sent from my iPhone" in
//! each language), legal disclaimers, and the block under the sign-off and name (title, company,
//! phones, address, links) even without a delimiter. The sign-off and the name stay in the text.

use std::sync::LazyLock;

use regex::Regex;

/// Non-blank lines above the end looked at for a sign-off (blank lines between the paragraphs
/// of a signature block do not count).
const SIGN_OFF_WINDOW: usize = 12;

/// Most non-blank lines a signature block (after the name) may have.
const MAX_BLOCK_LINES: usize = 25;

/// A mobile or webmail footer, in each language.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:(?:sent|envoyé|envoye|enviado|enviada|gesendet|inviato|verzonden|verstuurd",
        r"|wysłane|wysłano|skickat|sendt|отправлено|get|obtenir|obtener|obter|obtén|holen sie",
        r"|scarica|ottieni|download|downloaden|pobierz|skaffa|hent|få|скачайте|получить",
        r"|télécharger|descargar|baixe|baixar|hämta)\b.{0,60}\b(?:iphone|ipad|ipod|android|galaxy",
        r"|samsung|huawei|xiaomi|pixel|blackberry|mobile|mobil|mobiel|smartphone|phone",
        r"|téléphone|teléfono|telefone|telefono|handy|telefoon|telefon|телефон|outlook|mail",
        r"|gmail|yahoo|aol|proton|tablet|tablette|appareil|dispositivo|gerät|apparaat",
        r"|urządzenia|enhet|enhed|устройства|ios|windows|mail\.ru|яндекс|yandex)\b.{0,60}",
        r"|(?:von|vom) meine[mn]? .{1,40} gesendet\.?",
        // "Outlook für iOS herunterladen", "Hämta Outlook för iOS", "iOS 版 Outlook を入手".
        r"|.{0,30}\boutlook (?:for|für|för|pour|para|per|voor|dla|til|для) (?:ios|android)\b.{0,60}",
        r"|(?:ios|android) ?版 ?outlook.{0,30}",
        r"|.{1,30}(?:から送信|より送信)",
        r"|(?:virus-free|sans virus|libre de virus|livre de vírus|virenfrei|privo di virus",
        r"|virusvrij|wolny od wirusów|garanti sans virus)\b.{0,80}",
        r"|<#[0-9a-f-]{20,}>)$"
    ))
    .expect("static regex is valid")
});

/// "Think before you print" lines.
static PRINT_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:print|imprimer|imprimir|drucken|stampare|printen|drukuj|skriv ut|udskriv|печат)",
    )
    .expect("static regex is valid")
});

/// Words of legal disclaimers, in each language.
static DISCLAIMER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:confidential|privileged|intended (?:solely |only )?for|intended recipient",
        r"|disclaimer|if you (?:have )?received this|unauthori[sz]ed|confidentiel|destinataire",
        r"|strictement interdit|vertraulich|empfänger|irrtümlich|confidencial|destinatario",
        r"|por error|destinatário|riservat|destinatari|per errore|vertrouwelijk|geadresseerde",
        r"|poufn|adresat|konfidentiell|mottagare|fortrolig|modtager|konfidensiell|mottaker",
        r"|конфиденциальн|получател|機密|宛先以外)"
    ))
    .expect("static regex is valid")
});

/// Sign-offs, in each language.
const SIGN_OFFS: &str = concat!(
    r"best regards|kind regards|warm regards|warmest regards|regards|best wishes",
    r"|all the best|best|cheers|thanks again|thanks|thank you|many thanks|thx|sincerely",
    r"|yours sincerely|yours truly|yours|respectfully|take care|talk soon|br|brgds|rgds",
    r"|bien cordialement|très cordialement|cordialement|bien à vous|bien à toi|amicalement",
    r"|bonne journée|bonne soirée|merci beaucoup|merci d'avance|merci d’avance|merci",
    r"|sincères salutations|meilleures salutations|salutations|à bientôt|bises|respectueusement",
    r"|saludos cordiales|un saludo|saludos|atentamente|cordialmente|muchas gracias|gracias",
    r"|un abrazo|abrazos|atenciosamente|att\.?|melhores cumprimentos|cumprimentos",
    r"|com os melhores cumprimentos|obrigad[oa]|um abraço|abraços|abraço|grat[oa]|saudações",
    r"|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|viele grüße",
    r"|beste grüße|liebe grüße|herzliche grüße|schöne grüße|mit besten grüßen|grüße|gruß",
    r"|mfg|lg|vg|vielen dank|danke schön|danke|cordiali saluti|distinti saluti|un saluto",
    r"|saluti|grazie mille|grazie|a presto|buona giornata|met vriendelijke groet(?:en)?",
    r"|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|met groet|groeten|groetjes|mvg",
    r"|bedankt|dank je wel|dank u wel|dank je|dank u|pozdrawiam serdecznie|serdecznie pozdrawiam",
    r"|pozdrawiam|z poważaniem|z wyrazami szacunku|pozdrowienia|dziękuję|dzięki",
    r"|med vänliga hälsningar|vänliga hälsningar|hälsningar|mvh|tack så mycket|tack",
    r"|med venlig hilsen|venlig hilsen|de bedste hilsner|bedste hilsner|kærlig hilsen",
    r"|mange tak|med vennlig hilsen|vennlig hilsen|beste hilsen|hilsen|tusen takk|takk|tak",
    r"|с уважением|с наилучшими пожеланиями|всего доброго|всего наилучшего|заранее спасибо",
    r"|спасибо|благодарю",
    r"|(?:何卒|なにとぞ|どうぞ|引き続き|今後とも)?\s*(?:よろしく|宜しく)お願い(?:いた|致)?します",
    r"|(?:何卒|なにとぞ|どうぞ|引き続き|今後とも)?\s*(?:よろしく|宜しく)お願い申し上げます|よろしく|以上",
);

/// Words joining two sign-offs ("Thanks and regards", "Gracias y un saludo", "Merci et bonne
/// journée", "Danke und viele Grüße").
const SIGN_OFF_JOINERS: &str = r"and|&|y|e|et|und|en|og|och|i|и";

/// Sign-offs, in each language, alone on their line (a name may follow after a comma), also two
/// joined by "and".
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        concat!(
            r"(?i)^(?:{so})(?:\s*,?\s+(?:{joiners})\s+(?:{so}))?",
            r"(?:\s*[,.!…:;。、！]+)?(?:\s*[,\-–—]?\s*(?P<name>[^\s,.!?:;。、！]{{1,30}}",
            r"(?:\s+[^\s,.!?:;。、！]{{1,30}}){{0,2}}))?\s*[.!。！]?$"
        ),
        so = SIGN_OFFS,
        joiners = SIGN_OFF_JOINERS,
    ))
    .expect("static regex is valid")
});

/// A phone number: a label, or a run of at least eight digits with separators.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|\b)(?:tel|tél|phone|mobile|mob|cell|fax|téléphone|portable|móvil|movil|celular",
        r"|telefone|telefon|telefono|teléfono|handy|cellulare|mobiel|telefoon|komórka|tfn|mobil",
        r"|тел|моб|電話|携帯|t|m|p|f)\.?\s*[:.]|(?:\+|00)?\d[\d\s().\-/]{6,}\d"
    ))
    .expect("static regex is valid")
});

/// A link, email address, or social network handle.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)https?://|\bwww\.|[\w.+-]+@[\w-]+\.[\w.-]+|\b[\w-]+\.(?:com|fr|de|es|pt|br|it|nl",
        r"|pl|se|dk|no|ru|jp|io|co|net|org|eu|uk|be|ch|at)\b|linkedin|twitter|facebook|instagram"
    ))
    .expect("static regex is valid")
});

/// A job title, company form, postal address or similar signature matter.
static ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:\b(?:inc|llc|ltd|limited|gmbh|ag|sas|sarl|sa|s\.a|s\.l|srl|spa|s\.p\.a|bv|b\.v",
        r"|nv|ab|a/s|asa|oy|ltda|corp|plc|ooo|ооо|ceo|cto|cfo|coo|vp|founder|co-founder",
        r"|manager|director|head of|engineer|consultant|sales|support|account|executive",
        r"|officer|president|directeur|directrice|responsable|gérant|gérante|ingénieur|chargée?",
        r"|gerente|directora?|jefe|diretora?|geschäftsführer(?:in)?|leiter(?:in)?|vertrieb",
        r"|direttore|responsabile|hoofd|kierownik|dyrektor|specjalista|säljchef|ansvarig",
        r"|direktør|leder|директор|менеджер|руководитель|rue|avenue|boulevard|street|road",
        r"|straße|strasse|calle|avda|rua|via|piazza|straat|laan|ul|gatan|vägen|vej|gade|veien",
        r"|suite|floor|étage|cedex)\b|株式会社|部長|課長|代表取締役|\|)"
    ))
    .expect("static regex is valid")
});

/// Whether a line is the signature delimiter: `-- ` (trailing space trimmed), or `--` as Mail.ru
/// writes it in HTML.
pub(crate) fn is_delimiter(content: &str) -> bool {
    content.trim_end() == "--"
}

/// Whether a line is a mobile/webmail footer or a print notice.
pub(crate) fn is_footer_line(content: &str) -> bool {
    let c = content.trim();
    if c.is_empty() || c.chars().count() > 160 {
        return false;
    }
    FOOTER.is_match(c) || (c.len() < 160 && PRINT_NOTICE.is_match(c) && has_environment_word(c))
}

fn has_environment_word(c: &str) -> bool {
    let lower = c.to_lowercase();
    [
        "environment",
        "environnement",
        "medio ambiente",
        "meio ambiente",
        "umwelt",
        "ambiente",
        "milieu",
        "środowisk",
        "miljö",
        "miljø",
        "окружающ",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Whether a paragraph reads as a legal disclaimer.
fn is_disclaimer(paragraph: &[&str]) -> bool {
    let text = paragraph.join(" ");
    let hits = DISCLAIMER_WORD.find_iter(&text).take(2).count();
    hits >= 2 || (hits == 1 && text.chars().count() > 80)
}

/// Whether a line carries signature matter: phone, link, address, title, company.
fn is_evidence(content: &str) -> bool {
    PHONE.is_match(content) || LINK.is_match(content) || ORG.is_match(content)
}

/// Whether a line reads as a person's name: a few words, no digits, no sentence punctuation.
pub(crate) fn is_name_like(content: &str) -> bool {
    let c = content.trim();
    let words = c.split_whitespace().count();
    (1..=5).contains(&words)
        && c.chars().count() <= 50
        && c.chars().any(char::is_alphabetic)
        && !c
            .chars()
            .any(|ch| ch.is_ascii_digit() || matches!(ch, '@' | '|' | ':' | '?' | '!'))
        && !c.ends_with(['.', '。'])
        && !LINK.is_match(c)
}

/// Whether a line is a sentence of prose (so not part of a signature block).
fn is_prose(content: &str) -> bool {
    let c = content.trim();
    let words = c.split_whitespace().count();
    (words >= 6 && c.ends_with(['.', '!', '?', '。', '！', '？']) && !is_evidence(c))
        || c.chars().count() > 200
        || c.to_lowercase().starts_with("p.s")
        || c.starts_with("PS")
}

/// Where the signature starts in `lines` (the person's lines after the last quoted line), if
/// there is one: the `-- ` delimiter, a footer or disclaimer at the end, or the block under the
/// sign-off and name.
pub(crate) fn find_start(lines: &[&str]) -> Option<usize> {
    let first_text = lines.iter().position(|l| !l.trim().is_empty())?;
    // 1. The standard delimiter; the text above it is examined too.
    let delimiter = lines
        .iter()
        .enumerate()
        .skip(first_text + 1)
        .find(|(_, l)| is_delimiter(l))
        .map(|(i, _)| i);
    let end = delimiter.unwrap_or(lines.len());
    // 2. Footers and disclaimers at the end, paragraph by paragraph, bottom up.
    let mut footer = end;
    let mut i = end;
    loop {
        while i > first_text && lines.get(i - 1).is_some_and(|l| l.trim().is_empty()) {
            i -= 1;
        }
        if i <= first_text + 1 {
            break;
        }
        let para_end = i;
        let mut para_start = i;
        while para_start > first_text
            && lines
                .get(para_start - 1)
                .is_some_and(|l| !l.trim().is_empty())
        {
            para_start -= 1;
        }
        let para = lines.get(para_start..para_end).unwrap_or_default();
        // A footer may close a paragraph of text ("Thanks!\nSent from my iPhone").
        let trailing_footers = para.iter().rev().take_while(|l| is_footer_line(l)).count();
        if trailing_footers > 0 {
            footer = para_end - trailing_footers;
            if trailing_footers < para.len() {
                break;
            }
            i = para_start;
            continue;
        }
        if para_start > first_text && is_disclaimer(para) {
            footer = para_start;
            i = para_start;
            continue;
        }
        break;
    }
    let body_end = footer.min(end);
    let block = sign_off_block(lines, first_text, body_end)
        .or_else(|| contact_block(lines, first_text, body_end));
    block.or((body_end < lines.len()).then_some(body_end))
}

/// Whether a line is a sign-off; `Some(true)` when a name follows it on the line
/// ("Thanks, Marie"). A lowercase word after it makes it a sentence, not a sign-off.
fn sign_off_at(line: &str) -> Option<bool> {
    let line = line.trim();
    if line.chars().count() > 60 {
        return None;
    }
    let caps = SIGN_OFF.captures(line)?;
    match caps.name("name") {
        None => Some(false),
        Some(name) => name
            .as_str()
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            .then_some(true),
    }
}

/// The start of the block under a sign-off and name, if it reads as a signature.
fn sign_off_block(lines: &[&str], first_text: usize, end: usize) -> Option<usize> {
    let (sign_off, _) = (first_text..end)
        .rev()
        .filter(|&i| lines.get(i).is_some_and(|l| !l.trim().is_empty()))
        .take(SIGN_OFF_WINDOW)
        .find_map(|i| sign_off_at(lines.get(i)?).map(|named| (i, named)))?;
    let next = (sign_off + 1..end).find(|&i| lines.get(i).is_some_and(|l| !l.trim().is_empty()));
    // The name is the next line when it reads as one (also after "Thanks John").
    let name_line = match next {
        Some(n)
            if n <= sign_off + 2
                && lines
                    .get(n)
                    .is_some_and(|l| is_name_like(l) && !is_evidence(l)) =>
        {
            n
        }
        _ => sign_off,
    };
    let rest = lines.get(name_line + 1..end).unwrap_or_default();
    let body: Vec<&str> = rest
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    if body.is_empty() || body.len() > MAX_BLOCK_LINES || body.iter().any(|l| is_prose(l)) {
        return None;
    }
    // A bare sign-off followed by more text is no sign-off ("Thanks, I'll call you.").
    if name_line == sign_off && !body.iter().any(|l| is_evidence(l)) {
        return None;
    }
    Some(name_line + 1)
}

/// The start of a contact block at the end (name, title, company, phone, links) without a
/// sign-off: the name line, when there is one, stays in the text.
fn contact_block(lines: &[&str], first_text: usize, end: usize) -> Option<usize> {
    let mut last = end;
    while last > first_text && lines.get(last - 1).is_some_and(|l| l.trim().is_empty()) {
        last -= 1;
    }
    let mut start = last;
    while start > first_text && lines.get(start - 1).is_some_and(|l| !l.trim().is_empty()) {
        start -= 1;
    }
    if start <= first_text {
        // The block is the whole text: nothing of the person's own would remain.
        return None;
    }
    let block = lines.get(start..last).unwrap_or_default();
    if block.len() > 12 || block.iter().any(|l| is_prose(l)) {
        return None;
    }
    let evidence = block.iter().filter(|l| is_evidence(l)).count();
    let first_is_name = block
        .first()
        .is_some_and(|l| is_name_like(l) && !is_evidence(l));
    if evidence >= 2 {
        return Some(if first_is_name { start + 1 } else { start });
    }
    // One phone number or link is enough when the person's name stands alone as the paragraph
    // right above ("Greg Turner\n\nTurner HVAC Services\nOffice: 503-555-0110").
    let contact = block.iter().any(|l| PHONE.is_match(l) || LINK.is_match(l));
    (evidence == 1 && contact && name_paragraph_above(lines, first_text, start)).then_some(start)
}

/// Whether the paragraph above line `start` is a lone name line, with the person's text above it.
fn name_paragraph_above(lines: &[&str], first_text: usize, start: usize) -> bool {
    let mut i = start;
    while i > first_text && lines.get(i - 1).is_some_and(|l| l.trim().is_empty()) {
        i -= 1;
    }
    if i == start || i <= first_text + 1 {
        return false;
    }
    let name = i - 1;
    let alone = lines.get(name - 1).is_some_and(|l| l.trim().is_empty());
    alone
        && lines
            .get(name)
            .is_some_and(|l| is_name_like(l) && !is_evidence(l) && sign_off_at(l).is_none())
}
