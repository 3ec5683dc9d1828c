//! Provider verdict strings (`pass`, `softfail`, `PASS`, `GRAY`, `{@example.com : pass}`) as
//! [`Verdict`]s.

use crate::message::Verdict;

/// Read one verdict word, case-insensitively: the RFC 8601 results (`pass`, `fail`, `softfail`,
/// `neutral`, `none`, `temperror`, `permerror`, and the older `hardfail`, `error`) and the SES
/// statuses (`PASS`, `FAIL`, `GRAY`, `PROCESSING_FAILED`, `DISABLED`).
///
/// SES `GRAY` ("could not determine") reads as [`Verdict::Neutral`], `PROCESSING_FAILED` as
/// [`Verdict::TempError`], `DISABLED` as [`Verdict::None`]. Anything else is
/// [`Verdict::Unknown`]. Only the first word counts, so `Pass (sender SPF authorized) …` (a
/// `Received-SPF` value) reads as a pass.
pub fn parse_verdict(text: &str) -> Verdict {
    let word = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .find(|w| !w.is_empty())
        .unwrap_or("");
    match word.to_ascii_lowercase().as_str() {
        "pass" => Verdict::Pass,
        "fail" | "hardfail" => Verdict::Fail,
        "softfail" => Verdict::SoftFail,
        "neutral" | "gray" | "grey" => Verdict::Neutral,
        "none" | "disabled" => Verdict::None,
        "temperror" | "processing_failed" | "error" => Verdict::TempError,
        "permerror" => Verdict::PermError,
        _ => Verdict::Unknown,
    }
}

/// Read SendGrid's `dkim` field: `{@example.com : pass}` or, with several signatures,
/// `{@example.com : pass, @mailer.example : fail}`; `none` when the message was not signed.
///
/// With several results, the one for `from_domain` (the domain of the From address) wins when
/// present; otherwise any pass is a pass, and failing that the first result counts. `None` for an
/// empty field.
pub fn parse_sendgrid_dkim(text: &str, from_domain: Option<&str>) -> Option<Verdict> {
    let inner = text
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim();
    if inner.is_empty() {
        return None;
    }
    let mut results: Vec<(String, Verdict)> = Vec::new();
    for entry in inner.split(',') {
        let (domain, result) = match entry.rsplit_once(':') {
            Some((d, r)) => (d.trim().trim_start_matches('@').to_ascii_lowercase(), r),
            None => (String::new(), entry),
        };
        results.push((domain, parse_verdict(result)));
    }
    if let Some(from) = from_domain {
        let from = from.to_ascii_lowercase();
        if let Some((_, v)) = results.iter().find(|(d, _)| !d.is_empty() && *d == from) {
            return Some(*v);
        }
    }
    if results.iter().any(|(_, v)| *v == Verdict::Pass) {
        return Some(Verdict::Pass);
    }
    results.first().map(|(_, v)| *v)
}

/// Read a yes/no spam flag (`X-Spam-Status: No, score=…`, Mailgun `X-Mailgun-Sflag: Yes`) as a
/// spam verdict: `No` (not spam) is a pass, `Yes` a fail.
pub fn parse_spam_flag(text: &str) -> Option<Verdict> {
    let word = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .find(|w| !w.is_empty())?;
    match word.to_ascii_lowercase().as_str() {
        "no" => Some(Verdict::Pass),
        "yes" => Some(Verdict::Fail),
        _ => Some(Verdict::Unknown),
    }
}

/// A reported spam score (`0.012`, `-0.1`), if it is a finite number.
pub(crate) fn parse_score(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|s| s.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_and_ses_words_map_to_verdicts() {
        assert_eq!(parse_verdict("pass"), Verdict::Pass);
        assert_eq!(parse_verdict("SoftFail"), Verdict::SoftFail);
        assert_eq!(parse_verdict("PASS"), Verdict::Pass);
        assert_eq!(parse_verdict("FAIL"), Verdict::Fail);
        assert_eq!(parse_verdict("GRAY"), Verdict::Neutral);
        assert_eq!(parse_verdict("PROCESSING_FAILED"), Verdict::TempError);
        assert_eq!(parse_verdict("permerror"), Verdict::PermError);
        assert_eq!(parse_verdict("none"), Verdict::None);
        assert_eq!(
            parse_verdict("Pass (sender SPF authorized) identity=mailfrom"),
            Verdict::Pass
        );
        assert_eq!(parse_verdict("maybe"), Verdict::Unknown);
        assert_eq!(parse_verdict(""), Verdict::Unknown);
    }

    #[test]
    fn sendgrid_dkim_prefers_the_from_domain() {
        assert_eq!(
            parse_sendgrid_dkim("{@example.fr : pass}", None),
            Some(Verdict::Pass)
        );
        let two = "{@mailer.example : pass, @example.fr : fail}";
        assert_eq!(
            parse_sendgrid_dkim(two, Some("example.fr")),
            Some(Verdict::Fail)
        );
        assert_eq!(parse_sendgrid_dkim(two, None), Some(Verdict::Pass));
        assert_eq!(parse_sendgrid_dkim("none", None), Some(Verdict::None));
        assert_eq!(parse_sendgrid_dkim("  ", None), None);
    }

    #[test]
    fn spam_flags_read_as_verdicts() {
        assert_eq!(parse_spam_flag("No, score=-0.1"), Some(Verdict::Pass));
        assert_eq!(parse_spam_flag("Yes"), Some(Verdict::Fail));
        assert_eq!(parse_spam_flag(""), None);
    }
}
