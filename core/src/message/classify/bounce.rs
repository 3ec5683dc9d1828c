//! Bounce rules and the reading of delivery-status reports (RFC 3464).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{BounceReport, Evidence, auto_reply, rule};
use crate::message::InboundMessage;

/// Delivery-failure subject openings, lowercase: generic MTA wordings and Exchange's localized
/// non-delivery reports.
const BOUNCE_PHRASES: &[&str] = &[
    "undeliverable",
    "undelivered mail",
    "delivery status notification",
    "mail delivery failed",
    "mail delivery failure",
    "mail delivery system",
    "delivery failure",
    "delivery has failed",
    "delivery notification",
    "returned mail",
    "failure notice",
    "message not delivered",
    "delayed mail",
    "delivery delayed",
    "warning: could not send message",
    "non remis",
    "non distribuable",
    "unzustellbar",
    "nicht zustellbar",
    "no se puede entregar",
    "no entregado",
    "não é possível entregar",
    "não entregue",
    "non recapitabile",
    "onbestelbaar",
    "niet bezorgd",
    "niedostarczalne",
    "nie można dostarczyć",
    "kan inte levereras",
    "olevererbart",
    "kan ikke leveres",
    "kunne ikke leveres",
    "не доставлено",
    "недоставлено",
    "невозможно доставить",
    "配信不能",
    "配信できませんでした",
];

static BOUNCE_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    let phrases: Vec<String> = BOUNCE_PHRASES
        .iter()
        .map(|p| regex::escape(p).replace(' ', r"\s+"))
        .collect();
    Regex::new(&format!(r"(?i)^\s*(?:{})", phrases.join("|")))
        .expect("the bounce subject pattern is a valid regex")
});

/// An enhanced status code (RFC 3463) in free text.
static STATUS_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b").expect("the status code pattern is valid")
});

/// Local parts of mail-system senders.
const DAEMON_LOCAL_PARTS: &[&str] = &[
    "mailer-daemon",
    "mailer_daemon",
    "mailerdaemon",
    "mail-daemon",
    "postmaster",
];

/// Whether the sender is a mail system (mailer-daemon, postmaster, Exchange, "Mail Delivery …").
pub(super) fn is_mailer_daemon(msg: &InboundMessage) -> bool {
    let Some(from) = &msg.from else {
        return false;
    };
    let local = from
        .address
        .rsplit_once('@')
        .map_or(from.address.as_str(), |(local, _)| local)
        .to_ascii_lowercase();
    let name = from.name.as_deref().unwrap_or_default().to_lowercase();
    DAEMON_LOCAL_PARTS.contains(&local.as_str())
        || local.starts_with("microsoftexchange")
        || name.contains("mail delivery")
        || name.contains("mailer-daemon")
}

fn is_bounce_subject(subject: &str) -> bool {
    BOUNCE_SUBJECT.is_match(subject)
}

/// Whether the top-level content type is a delivery-status report.
pub(super) fn is_dsn_report(msg: &InboundMessage) -> bool {
    let Some(ct) = msg.content_type.as_deref() else {
        return false;
    };
    let ct = ct.to_ascii_lowercase();
    ct.starts_with("multipart/report")
        && ct
            .split(';')
            .filter_map(|p| p.split_once('='))
            .any(|(k, v)| {
                k.trim() == "report-type" && v.trim().trim_matches('"') == "delivery-status"
            })
}

/// Bounce evidence; empty when the message is not a bounce.
pub(super) fn evidence(msg: &InboundMessage) -> Vec<Evidence> {
    let mut found = Vec::new();
    if is_dsn_report(msg) {
        found.push(Evidence::new(
            rule::DSN_REPORT,
            format!(
                "Content-Type: {}",
                msg.content_type.as_deref().unwrap_or_default()
            ),
        ));
    } else if !msg.delivery_status.is_empty() {
        found.push(Evidence::new(
            rule::DELIVERY_STATUS_PART,
            "a message/delivery-status part",
        ));
    }
    if let Some(value) = msg.header("X-Failed-Recipients") {
        found.push(Evidence::new(
            rule::X_FAILED_RECIPIENTS,
            format!("X-Failed-Recipients: {value}"),
        ));
    }
    let daemon = is_mailer_daemon(msg);
    let subject = msg.subject.as_deref().filter(|s| is_bounce_subject(s));
    let null_path = auto_reply::has_null_return_path(msg);
    if let Some(subject) = subject
        && (daemon || null_path || !found.is_empty())
    {
        if daemon && let Some(from) = &msg.from {
            found.push(Evidence::new(
                rule::MAILER_DAEMON_SENDER,
                format!("From: {}", from.address),
            ));
        }
        if null_path && !daemon {
            found.push(Evidence::new(rule::NULL_RETURN_PATH, "Return-Path: <>"));
        }
        found.push(Evidence::new(
            rule::BOUNCE_SUBJECT,
            format!("Subject: {subject}"),
        ));
    } else if daemon
        && !found.is_empty()
        && let Some(from) = &msg.from
    {
        found.push(Evidence::new(
            rule::MAILER_DAEMON_SENDER,
            format!("From: {}", from.address),
        ));
    }
    found
}

/// One recipient block of a delivery-status report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct DsnRecipient {
    pub recipient: Option<String>,
    pub action: Option<String>,
    pub status: Option<String>,
    pub diagnostic: Option<String>,
}

/// The value after `type;` in `rfc822; user@x` (the whole value when there is no type).
fn typed_value(value: &str) -> String {
    let value = value.split_once(';').map_or(value, |(_, v)| v);
    value
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

/// Turn one block of `name: value` fields into a recipient, if it describes one.
fn recipient_block(fields: &mut Vec<(String, String)>, out: &mut Vec<DsnRecipient>) {
    let mut block = DsnRecipient::default();
    let mut original = None;
    for (name, value) in fields.drain(..) {
        match name.to_ascii_lowercase().as_str() {
            "final-recipient" => block.recipient = Some(typed_value(&value)),
            "original-recipient" => original = Some(typed_value(&value)),
            "action" => block.action = Some(auto_reply::first_token(&value)),
            "status" => block.status = STATUS_CODE.find(&value).map(|m| m.as_str().to_string()),
            "diagnostic-code" => block.diagnostic = Some(typed_value(&value)),
            _ => {}
        }
    }
    if block.recipient.is_none() {
        block.recipient = original;
    }
    if block.recipient.is_some() || block.action.is_some() || block.status.is_some() {
        out.push(block);
    }
}

/// Read the recipient blocks of a `message/delivery-status` text (blocks of header-like fields
/// separated by blank lines; the per-message block has none of the recipient fields).
pub(super) fn parse_delivery_status(text: &str) -> Vec<DsnRecipient> {
    let mut recipients = Vec::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            recipient_block(&mut fields, &mut recipients);
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    recipient_block(&mut fields, &mut recipients);
    recipients
}

/// What the bounce says: failed recipients, status, hard or soft.
pub(super) fn report(msg: &InboundMessage) -> BounceReport {
    let blocks: Vec<DsnRecipient> = msg
        .delivery_status
        .iter()
        .flat_map(|text| parse_delivery_status(text))
        .collect();
    let failed: Vec<&DsnRecipient> = blocks
        .iter()
        .filter(|b| match b.action.as_deref() {
            Some(action) => action == "failed" || action == "delayed",
            None => b
                .status
                .as_deref()
                .is_some_and(|s| s.starts_with(['4', '5'])),
        })
        .collect();
    let mut report = BounceReport::default();
    let mut seen = HashSet::new();
    for block in &failed {
        if let Some(recipient) = &block.recipient
            && seen.insert(recipient.to_ascii_lowercase())
        {
            report.failed_recipients.push(recipient.clone());
        }
    }
    let lead = failed
        .iter()
        .copied()
        .find(|b| b.status.as_deref().is_some_and(|s| s.starts_with('5')))
        .or_else(|| failed.first().copied())
        .or_else(|| blocks.first());
    if let Some(lead) = lead {
        report.status = lead.status.clone();
        report.action = lead.action.clone();
        report.diagnostic = lead.diagnostic.clone();
    }
    for value in msg.header_values("X-Failed-Recipients") {
        for address in value.split(',').map(str::trim).filter(|a| !a.is_empty()) {
            let address = address
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string();
            if seen.insert(address.to_ascii_lowercase()) {
                report.failed_recipients.push(address);
            }
        }
    }
    let original = msg.attached_messages.first();
    if report.failed_recipients.is_empty()
        && let Some(original) = original
    {
        report.failed_recipients = original.to.iter().map(|m| m.address.clone()).collect();
    }
    report.original_message_id = original.and_then(|o| o.message_id.clone());
    if report.status.is_none() {
        let subject = msg.subject.as_deref().unwrap_or_default();
        let body = msg.text_body.as_deref().unwrap_or_default();
        report.status = STATUS_CODE
            .find_iter(subject)
            .chain(STATUS_CODE.find_iter(body))
            .map(|m| m.as_str().to_string())
            .find(|s| !s.starts_with('2'));
    }
    report.hard = match (report.status.as_deref(), report.action.as_deref()) {
        (Some(status), _) => status.starts_with('5'),
        (None, Some("delayed")) => false,
        (None, Some(_)) => true,
        (None, None) => {
            let subject = msg.subject.as_deref().unwrap_or_default().to_lowercase();
            !["delay", "warning", "temporar"]
                .iter()
                .any(|w| subject.contains(w))
        }
    };
    report
}
