//! Classification: reply, auto reply, bounce or own loop, with the evidence that decided it.

mod auto_reply;
mod bounce;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use super::mailbox::domain_of;
use super::{InboundMessage, REPLYTRACK_ID_HEADER};

/// The stable rule names used in [`Evidence::rule`].
pub mod rule {
    /// `Auto-Submitted` with a value other than `no` (RFC 3834).
    pub const AUTO_SUBMITTED: &str = "auto_submitted_header";
    /// `X-Autoreply`, `X-Auto-Reply`, `X-Autoreply-From` or `X-Mail-Autoreply`.
    pub const X_AUTOREPLY: &str = "x_autoreply_header";
    /// `X-Autorespond` or `X-Autoresponder`.
    pub const X_AUTORESPOND: &str = "x_autorespond_header";
    /// `Precedence: bulk`, `junk` or `auto_reply`.
    pub const PRECEDENCE: &str = "precedence_header";
    /// An out-of-office or automatic-reply subject in one of the supported languages.
    pub const OOO_SUBJECT: &str = "ooo_subject";
    /// A null return path (`Return-Path: <>` or an empty envelope `MAIL FROM`).
    pub const NULL_RETURN_PATH: &str = "null_return_path";
    /// Exchange's automatic-message markers; recorded only beside stronger evidence.
    pub const EXCHANGE_MARKER: &str = "exchange_auto_marker";
    /// `multipart/report; report-type=delivery-status` (RFC 3464).
    pub const DSN_REPORT: &str = "dsn_report";
    /// A `message/delivery-status` part outside a proper report.
    pub const DELIVERY_STATUS_PART: &str = "delivery_status_part";
    /// `X-Failed-Recipients` (Exim and others).
    pub const X_FAILED_RECIPIENTS: &str = "x_failed_recipients_header";
    /// From a mailer-daemon, postmaster or mail-delivery-system sender.
    pub const MAILER_DAEMON_SENDER: &str = "mailer_daemon_sender";
    /// A delivery-failure subject in one of the supported languages.
    pub const BOUNCE_SUBJECT: &str = "bounce_subject";
    /// From one of our own addresses or domains.
    pub const OWN_SENDER: &str = "own_sender";
    /// Carries [`REPLYTRACK_ID_HEADER`](crate::message::REPLYTRACK_ID_HEADER).
    pub const OWN_MARKER_HEADER: &str = "own_marker_header";
    /// `Message-ID` at one of our domains.
    pub const OWN_MESSAGE_ID: &str = "own_message_id";
    /// `List-Id` (RFC 2919).
    pub const LIST_ID: &str = "list_id_header";
    /// `Precedence: list`.
    pub const PRECEDENCE_LIST: &str = "precedence_list";
}

/// What kind of message this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A person's reply.
    Reply,
    /// An automatic reply (out of office, auto-responder).
    AutoReply,
    /// A delivery failure report.
    Bounce,
    /// Our own outgoing mail echoed back.
    OwnLoop,
}

/// One piece of evidence behind a classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// A stable rule name from [`rule`] (`auto_submitted_header`, `dsn_report`, …).
    pub rule: String,
    /// What was seen (the header and its value, the subject, …).
    pub detail: String,
}

impl Evidence {
    fn new(rule: &str, detail: impl Into<String>) -> Self {
        Self {
            rule: rule.to_string(),
            detail: detail.into(),
        }
    }
}

/// What a bounce tells us.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BounceReport {
    /// Permanent failure (5.x.x) rather than a temporary one (4.x.x).
    pub hard: bool,
    /// The recipients that failed: from the delivery-status report, else `X-Failed-Recipients`,
    /// else the `To` of the attached original.
    pub failed_recipients: Vec<String>,
    /// The enhanced status code (`5.1.1`), if found.
    pub status: Option<String>,
    /// The per-recipient `Action` (`failed`, `delayed`), if found.
    pub action: Option<String>,
    /// The diagnostic text, if any.
    pub diagnostic: Option<String>,
    /// The `Message-ID` of the attached original, if one is attached. The original itself, where
    /// the reply token can be looked for, is in [`InboundMessage::attached_messages`].
    pub original_message_id: Option<String>,
}

/// The result of [`classify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// The kind.
    pub kind: MessageKind,
    /// Why: the evidence for `kind`, then the mailing-list evidence.
    pub evidence: Vec<Evidence>,
    /// Mailing-list mail (`List-Id`, `Precedence: list`): flagged, not an auto reply by itself.
    pub mailing_list: bool,
    /// Bounce details when `kind` is [`MessageKind::Bounce`].
    pub bounce: Option<BounceReport>,
}

/// What classification needs to know about us.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClassifyOptions {
    /// Our sending domains; mail from them (or their subdomains) that carries our own marker
    /// header or Message-ID is an own loop. Compared case-insensitively.
    pub own_domains: Vec<String>,
    /// Our own sending addresses. Compared case-insensitively.
    pub own_addresses: Vec<String>,
}

impl ClassifyOptions {
    fn is_own_domain(&self, domain: &str) -> bool {
        self.own_domains.iter().any(|own| {
            let own = own.trim().trim_start_matches('@').to_ascii_lowercase();
            !own.is_empty()
                && (domain == own
                    || domain
                        .strip_suffix(own.as_str())
                        .is_some_and(|head| head.ends_with('.')))
        })
    }

    fn is_own_address(&self, address: &str) -> bool {
        self.own_addresses
            .iter()
            .any(|own| own.trim().eq_ignore_ascii_case(address.trim()))
            || domain_of(address).is_some_and(|d| self.is_own_domain(&d))
    }
}

/// Own-loop evidence: our sender plus our marker or Message-ID; empty when not an own loop.
///
/// A mail system's report is never one: our own MTA (`MAILER-DAEMON@mx1.example.com`) reports
/// on our mail from our domain with a Message-ID at our domain, and that report is a bounce.
fn own_loop_evidence(msg: &InboundMessage, opts: &ClassifyOptions) -> Vec<Evidence> {
    if bounce::is_mailer_daemon(msg) || bounce::is_dsn_report(msg) {
        return Vec::new();
    }
    let Some(from) = msg
        .from
        .as_ref()
        .filter(|f| opts.is_own_address(&f.address))
    else {
        return Vec::new();
    };
    let mut markers = Vec::new();
    if let Some(id) = msg.header(REPLYTRACK_ID_HEADER) {
        markers.push(Evidence::new(
            rule::OWN_MARKER_HEADER,
            format!("{REPLYTRACK_ID_HEADER}: {id}"),
        ));
    }
    if let Some(id) = &msg.message_id
        && domain_of(id).is_some_and(|d| opts.is_own_domain(&d))
    {
        markers.push(Evidence::new(
            rule::OWN_MESSAGE_ID,
            format!("Message-ID: <{id}>"),
        ));
    }
    if markers.is_empty() {
        return markers;
    }
    let mut evidence = vec![Evidence::new(
        rule::OWN_SENDER,
        format!("From: {}", from.address),
    )];
    evidence.append(&mut markers);
    evidence
}

/// Mailing-list evidence.
fn list_evidence(msg: &InboundMessage) -> Vec<Evidence> {
    let mut evidence = Vec::new();
    if let Some(id) = msg.header("List-Id") {
        evidence.push(Evidence::new(rule::LIST_ID, format!("List-Id: {id}")));
    }
    if let Some(p) = msg.header("Precedence")
        && auto_reply::first_token(p) == "list"
    {
        evidence.push(Evidence::new(
            rule::PRECEDENCE_LIST,
            format!("Precedence: {p}"),
        ));
    }
    evidence
}

/// Classify a message: reply, auto reply, bounce or own loop, with the evidence that decided it.
///
/// Every rule that fires adds an [`Evidence`] with a stable rule name from [`rule`]. The kind is
/// then decided in this order, first match wins:
///
/// 1. [`MessageKind::OwnLoop`]: the `From` address is one of ours
///    ([`ClassifyOptions::own_addresses`], or an address at one of
///    [`ClassifyOptions::own_domains`] or their subdomains) **and** the message carries our
///    [`REPLYTRACK_ID_HEADER`](crate::message::REPLYTRACK_ID_HEADER) or its `Message-ID` is at one of our
///    domains. Only mail we composed matches, so this comes first: a loop is the costliest mistake.
///    A delivery-status report or a mailer-daemon/postmaster sender is never an own loop (our
///    own MTA reporting on our mail is a bounce).
/// 2. [`MessageKind::Bounce`]: a `multipart/report; report-type=delivery-status` report, a
///    `message/delivery-status` part, an `X-Failed-Recipients` header, or a bounce subject
///    ("Undeliverable:", "Unzustellbar:", "Non remis :", …) from a mailer-daemon/postmaster sender
///    or with a null return path. Bounces beat auto replies because delivery reports also carry
///    `Auto-Submitted` and a null return path.
/// 3. [`MessageKind::AutoReply`]: `Auto-Submitted` other than `no`, `X-Autoreply`/`X-Autorespond`
///    (and their variants), `Precedence: bulk|junk|auto_reply`, a localized out-of-office subject,
///    or a null return path. Exchange's markers (`X-Auto-Response-Suppress`,
///    `X-MS-Exchange-Inbox-Rules-Loop`) are recorded only next to one of these: Outlook sets
///    `X-Auto-Response-Suppress` on mail people write.
/// 4. [`MessageKind::Reply`] otherwise.
///
/// Mailing-list mail (`List-Id`, `Precedence: list`) is flagged in
/// [`Classification::mailing_list`] and is not an auto reply by itself: a person's reply can pass
/// through a list. For the same reason `Precedence: bulk` counts as auto-reply evidence only when
/// there is no `List-Id` (Mailman marks list posts `bulk`).
///
/// ```
/// use replytrack::message::{classify, ClassifyOptions, InboundMessage, Limits, MessageKind};
/// let raw = b"From: boss@example.com\r\nSubject: Automatic reply: Hello\r\n\r\nI am away.\r\n";
/// let msg = InboundMessage::parse(raw, &Limits::default()).unwrap();
/// let c = classify(&msg, &ClassifyOptions::default());
/// assert_eq!(c.kind, MessageKind::AutoReply);
/// assert_eq!(c.evidence[0].rule, "ooo_subject");
/// ```
pub fn classify(msg: &InboundMessage, opts: &ClassifyOptions) -> Classification {
    let list = list_evidence(msg);
    let mailing_list = !list.is_empty();
    let own = own_loop_evidence(msg, opts);
    let (kind, mut evidence, bounce) = if !own.is_empty() {
        (MessageKind::OwnLoop, own, None)
    } else {
        let bounce_evidence = bounce::evidence(msg);
        if bounce_evidence.is_empty() {
            let auto = auto_reply::evidence(msg, msg.header("List-Id").is_some());
            if auto.is_empty() {
                (MessageKind::Reply, Vec::new(), None)
            } else {
                (MessageKind::AutoReply, auto, None)
            }
        } else {
            let report = bounce::report(msg);
            (MessageKind::Bounce, bounce_evidence, Some(report))
        }
    };
    evidence.extend(list);
    Classification {
        kind,
        evidence,
        mailing_list,
        bounce,
    }
}
