//! Bounces: mark the customer's address (hard or soft), fail the bounced email's delivery, and
//! attach the bounce to its conversation when the bounced original carries our token.

use chrono::{DateTime, Utc};

use super::outcome::IngestOutcome;
use super::records::{dedupe_key, funnel_step, inbound_message};
use super::{Engine, EngineError, retryable};
use crate::address::{ScanOptions, scan_all};
use crate::conversation::delivery::{self, DeliveryEvent};
use crate::conversation::{
    AddressStatus, Customer, EventKind, TimelineEvent, TokenRecord, funnel, normalize_email,
    preview,
};
use crate::message::{BounceReport, InboundMessage, MessageKind};
use crate::ports::{Commit, CommitOutcome, Write};
use crate::token::{ReplyToken, TokenError};

impl Engine {
    /// The token record of the bounced email: the first token in the bounce (usually in the
    /// attached original) that is genuine, expired or not.
    async fn bounced_record(
        &self,
        msg: &InboundMessage,
        now: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, EngineError> {
        let opts = ScanOptions {
            domain: self.format.domain().to_string(),
        };
        for m in scan_all(msg, &opts) {
            let token = match self.authority.verify(&m.token, now) {
                Ok(v) => v.token,
                Err(TokenError::Expired {
                    authentic: true, ..
                }) => match ReplyToken::parse(&m.token) {
                    Ok(t) => t,
                    Err(_) => continue,
                },
                Err(_) => continue,
            };
            if let Some(r) = self.store.token(&token).await? {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    pub(super) async fn ingest_bounce(
        &self,
        msg: &InboundMessage,
        report: BounceReport,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        let key = dedupe_key(msg);
        let failed: Vec<String> = report
            .failed_recipients
            .iter()
            .filter_map(|a| normalize_email(a).ok())
            .collect();
        let record = self.bounced_record(msg, now).await?;
        let mut customer_id = record.as_ref().map(|r| r.customer);
        if customer_id.is_none() {
            for a in &failed {
                if let Some(c) = self.store.customer_by_email(a).await? {
                    customer_id = Some(c.id);
                    break;
                }
            }
        }
        let Some(customer_id) = customer_id else {
            return Ok(IngestOutcome::BounceUnattributed {
                failed_recipients: failed,
            });
        };
        let conversation = record.as_ref().and_then(|r| r.conversation);
        let hard = report.hard;
        let mut last = None;
        for _ in 0..self.tries() {
            let Some(customer) = self.store.customer(customer_id).await? else {
                return Ok(IngestOutcome::BounceUnattributed {
                    failed_recipients: failed,
                });
            };
            let addresses = bounced_addresses(&customer, &failed, record.as_ref());
            let mut updated = customer.clone();
            for e in &mut updated.emails {
                if addresses.contains(&e.address) {
                    e.status = next_address_status(e.status, hard, now);
                }
            }
            let mut events = Vec::new();
            let mut m = inbound_message(msg, MessageKind::Bounce, customer.id, now);
            m.conversation = conversation;
            m.token = record.as_ref().map(|r| r.token);
            m.preview = preview(report.diagnostic.as_deref().unwrap_or(&m.body));
            events.push(TimelineEvent::new(
                customer.id,
                conversation,
                Some(m.id),
                now,
                EventKind::BounceReceived {
                    addresses: addresses.clone(),
                    hard,
                    status: report.status.clone(),
                    diagnostic: report.diagnostic.clone(),
                },
            ));
            let customer_bounced =
                hard && !addresses.is_empty() && updated.deliverable_emails().next().is_none();
            if customer_bounced
                && let Some((moved, event)) =
                    funnel_step(&updated, funnel::FunnelEvent::AllAddressesBounced, now)
            {
                updated = moved;
                events.push(event);
            }
            let mut messages = vec![];
            if hard
                && let Some(r) = &record
                && let Some(original) = self.store.message(r.message).await?
                && let Some(state) = original.delivery
                && let Ok((to, changes)) = delivery::transition(state, DeliveryEvent::Failed)
                && let Some(change) = changes.first()
            {
                let mut failed_msg = original.clone();
                failed_msg.delivery = Some(to);
                events.push(TimelineEvent::new(
                    customer.id,
                    original.conversation,
                    Some(original.id),
                    now,
                    EventKind::DeliveryChanged {
                        from: change.from,
                        to: change.to,
                    },
                ));
                messages.push(Write::update(failed_msg, original.version));
            }
            let id = m.id;
            messages.insert(0, Write::Insert(m));
            let customers = if updated == customer {
                Vec::new()
            } else {
                vec![Write::update(updated, customer.version)]
            };
            let commit = Commit {
                dedupe_key: Some(key.clone()),
                customers,
                messages,
                events,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(CommitOutcome::Duplicate { existing }) => {
                    return Ok(IngestOutcome::Duplicate { existing });
                }
                Ok(CommitOutcome::Applied) => {
                    return Ok(IngestOutcome::BounceRecorded {
                        hard,
                        customer: customer.id,
                        conversation,
                        addresses,
                        customer_bounced,
                        message: id,
                    });
                }
                Err(e) => match retryable(&e) {
                    Some(c) => last = Some(c.clone()),
                    None => return Err(e.into()),
                },
            }
        }
        Err(self.contention("ingest (bounce)", last))
    }
}

/// Which of the customer's addresses the bounce is about: the reported failed recipients that
/// are theirs; else the recipients of the bounced email that are theirs; else, when the bounce
/// named nobody, their first address.
fn bounced_addresses(
    customer: &Customer,
    failed: &[String],
    record: Option<&TokenRecord>,
) -> Vec<String> {
    let theirs = |list: &[String]| -> Vec<String> {
        list.iter()
            .filter(|a| customer.has_email(a))
            .cloned()
            .collect()
    };
    let named = theirs(failed);
    if !named.is_empty() {
        return named;
    }
    if let Some(r) = record {
        let sent_to = theirs(&r.recipients);
        if !sent_to.is_empty() {
            return sent_to;
        }
    }
    if failed.is_empty() {
        customer
            .emails
            .first()
            .map(|e| vec![e.address.clone()])
            .unwrap_or_default()
    } else {
        Vec::new()
    }
}

/// A hard bounce is final; soft bounces count up (and never undo a hard one).
fn next_address_status(current: AddressStatus, hard: bool, now: DateTime<Utc>) -> AddressStatus {
    match (current, hard) {
        (AddressStatus::HardBounced { at }, _) => AddressStatus::HardBounced { at },
        (_, true) => AddressStatus::HardBounced { at: now },
        (AddressStatus::SoftBounced { count, .. }, false) => AddressStatus::SoftBounced {
            count: count.saturating_add(1),
            last_at: now,
        },
        (AddressStatus::Deliverable, false) => AddressStatus::SoftBounced {
            count: 1,
            last_at: now,
        },
    }
}
