//! `Engine::ingest`: an inbound message in, a typed outcome out.
//!
//! 1. classify: own loop → dropped; bounce → the customer's address is marked; auto reply →
//!    recorded without reopening, forwarding or answering;
//! 2. find the token (recipients, then references) and verify it without storage;
//! 3. load its record and check the sender;
//! 4. deduplicate (by `Message-ID`, or a hash of the raw bytes);
//! 5. extract the reply and store message, events, state change and jobs in one commit;
//! 6. forward (see [`super::forward`]).

use chrono::{DateTime, Utc};

use super::outcome::{IngestOutcome, RejectReason, Stored};
use super::records::{dedupe_key, funnel_step, inbound_message, sender};
use super::render::{ID_HEADER, LOOP_HEADER};
use super::{Engine, EngineError, retryable};
use crate::address::{ScanOptions, TokenSource, scan_all};
use crate::conversation::status::{self, StatusEvent};
use crate::conversation::{
    Conversation, ConversationId, Customer, CustomerId, EventKind, ExtractedReply, JobId, JobKind,
    MessageId, NewJob, OpenedBy, PendingReissue, QuarantineReason, TimelineEvent, TokenRecord,
    funnel, preview,
};
use crate::message::{ClassifyOptions, InboundMessage, MessageKind, Verdict, classify};
use crate::ports::{Commit, CommitOutcome, DedupeKey, StoreError, Write};
use crate::token::{ReplyToken, TokenError};

/// What the token search found.
pub(super) enum Found {
    Valid {
        token: ReplyToken,
        source: TokenSource,
    },
    Expired {
        token: ReplyToken,
        expired_at: DateTime<Utc>,
    },
    Refused(RejectReason),
    Nothing,
}

impl Engine {
    /// Ingest one inbound message (from a provider adapter or [`InboundMessage::parse`]).
    ///
    /// Every message gets a typed [`IngestOutcome`]; see the [module docs](super) for the steps.
    /// Calling it again with the same message (a webhook retry) returns
    /// [`IngestOutcome::Duplicate`] and writes nothing.
    ///
    /// # Errors
    /// [`EngineError::Store`] when the store fails (nothing was written: retry later), and
    /// [`EngineError::Contention`] when concurrent writers kept winning.
    pub async fn ingest(
        &self,
        msg: InboundMessage,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        if let Some(evidence) = self.loop_evidence(&msg) {
            return Ok(IngestOutcome::OwnLoopDropped { evidence });
        }
        let class = classify(&msg, &self.classify_options());
        match class.kind {
            MessageKind::OwnLoop => Ok(IngestOutcome::OwnLoopDropped {
                evidence: class
                    .evidence
                    .first()
                    .map(|e| format!("{}: {}", e.rule, e.detail))
                    .unwrap_or_else(|| "classified as our own mail".to_string()),
            }),
            MessageKind::Bounce => {
                let report = class.bounce.unwrap_or_default();
                self.ingest_bounce(&msg, report, now).await
            }
            MessageKind::AutoReply => self.ingest_auto_reply(&msg, now).await,
            MessageKind::Reply => self.ingest_reply(&msg, now).await,
        }
    }

    pub(super) fn classify_options(&self) -> ClassifyOptions {
        let mut own_domains = vec![self.format.domain().to_string()];
        if let Some((_, d)) = self.account.from_address.rsplit_once('@') {
            own_domains.push(d.to_string());
        }
        ClassifyOptions {
            own_domains,
            own_addresses: vec![self.account.from_address.clone()],
        }
    }

    /// Our loop guard with our domain, or our id header on mail from our own address.
    fn loop_evidence(&self, msg: &InboundMessage) -> Option<String> {
        if let Some(v) = msg
            .header_values(LOOP_HEADER)
            .find(|v| v.trim().eq_ignore_ascii_case(self.format.domain()))
        {
            return Some(format!("{LOOP_HEADER}: {}", v.trim()));
        }
        let from_us = sender(msg).is_some_and(|f| f == self.account.from_address);
        match msg.header(ID_HEADER) {
            Some(v) if from_us => Some(format!("{ID_HEADER}: {} from our own address", v.trim())),
            _ => None,
        }
    }

    /// Step 2: the first token that verifies; else an authentic expired one; else why not.
    pub(super) fn find_token(&self, msg: &InboundMessage, now: DateTime<Utc>) -> Found {
        let opts = ScanOptions {
            domain: self.format.domain().to_string(),
        };
        let mut expired = None;
        let mut refused = None;
        for m in scan_all(msg, &opts) {
            match self.authority.verify(&m.token, now) {
                Ok(v) => {
                    return Found::Valid {
                        token: v.token,
                        source: m.source,
                    };
                }
                Err(TokenError::Expired {
                    expired_at,
                    authentic: true,
                    ..
                }) => {
                    if expired.is_none()
                        && let Ok(token) = ReplyToken::parse(&m.token)
                    {
                        expired = Some(Found::Expired { token, expired_at });
                    }
                }
                Err(error) => {
                    refused.get_or_insert(RejectReason::BadToken {
                        token: m.token,
                        found_in: m.source,
                        error,
                    });
                }
            }
        }
        expired
            .or(refused.map(Found::Refused))
            .unwrap_or(Found::Nothing)
    }

    /// Step 3: the sender must be the customer, or someone the token's email went to; and not
    /// fail authentication.
    pub(super) fn check_sender(
        &self,
        msg: &InboundMessage,
        customer: &Customer,
        record: Option<&TokenRecord>,
    ) -> Result<String, QuarantineReason> {
        let from = sender(msg).ok_or(QuarantineReason::MissingSender)?;
        let known =
            customer.has_email(&from) || record.is_some_and(|r| r.recipients.contains(&from));
        if !known {
            return Err(QuarantineReason::UnknownSender { from });
        }
        if self.config.quarantine_failed_auth
            && let Some(t) = &msg.transport
        {
            let fail = |v: Option<Verdict>| v == Some(Verdict::Fail);
            let mut failed = Vec::new();
            if fail(t.dmarc) {
                failed.push("dmarc".to_string());
            }
            if fail(t.spf) && fail(t.dkim) {
                failed.extend(["spf".to_string(), "dkim".to_string()]);
            }
            if !failed.is_empty() {
                return Err(QuarantineReason::AuthenticationFailed { from, failed });
            }
        }
        Ok(from)
    }

    async fn ingest_reply(
        &self,
        msg: &InboundMessage,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        let key = dedupe_key(msg);
        let (customer, record, source) = match self.find_token(msg, now) {
            Found::Valid { token, source } => {
                let Some((record, customer)) = self.token_owner(&token).await? else {
                    return Ok(IngestOutcome::Rejected {
                        reason: RejectReason::UnknownToken(token),
                    });
                };
                (customer, Some(record), Some(source))
            }
            Found::Expired { token, expired_at } => {
                return self.refuse_expired(msg, token, expired_at, &key, now).await;
            }
            Found::Refused(reason) => return Ok(IngestOutcome::Rejected { reason }),
            Found::Nothing => {
                let known = match sender(msg) {
                    Some(from) if self.config.accept_tokenless_from_customers => {
                        self.store.customer_by_email(&from).await?
                    }
                    _ => None,
                };
                let Some(customer) = known else {
                    return Ok(IngestOutcome::Rejected {
                        reason: RejectReason::NoToken,
                    });
                };
                (customer, None, None)
            }
        };
        if let Err(reason) = self.check_sender(msg, &customer, record.as_ref()) {
            let conversation = record.as_ref().and_then(|r| r.conversation);
            return self
                .quarantine(customer.id, conversation, reason, &key, now)
                .await;
        }
        self.store_reply(msg, customer, record.as_ref(), source, key, now)
            .await
    }

    pub(super) async fn token_owner(
        &self,
        token: &ReplyToken,
    ) -> Result<Option<(TokenRecord, Customer)>, EngineError> {
        let Some(record) = self.store.token(token).await? else {
            return Ok(None);
        };
        let customer = self.store.customer(record.customer).await?;
        Ok(customer.map(|c| (record, c)))
    }

    /// Step 5 for a person's reply, retried on conflicts.
    async fn store_reply(
        &self,
        msg: &InboundMessage,
        customer: Customer,
        record: Option<&TokenRecord>,
        source: Option<TokenSource>,
        key: DedupeKey,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        let customer_id = customer.id;
        // The first try uses the customer just read; a retry after a conflict reads afresh.
        let mut fresh = Some(customer);
        // Step 4 first as a cheap read (webhook retries are common); the commit checks again.
        if let Some(seen) = self.store.seen(&key).await? {
            return Ok(IngestOutcome::Duplicate {
                existing: seen.message,
            });
        }
        let extracted = crate::reply::extract(msg);
        let reply = ExtractedReply {
            text: extracted.text,
            quoted: extracted.quoted,
            signature: extracted.signature,
            lang: extracted.lang,
            only_quote: extracted.only_quote,
        };
        let mut message = inbound_message(msg, MessageKind::Reply, customer_id, now);
        message.token = record.map(|r| r.token);
        message.preview = preview(if reply.text.is_empty() {
            &message.body
        } else {
            &reply.text
        });
        let event_text = reply.text.clone();
        let lang = reply.lang.clone();
        message.reply = Some(reply);
        let from = message.from.clone().unwrap_or_default();

        let mut last = None;
        for _ in 0..self.tries() {
            let customer = match fresh.take() {
                Some(c) => c,
                None => self
                    .store
                    .customer(customer_id)
                    .await?
                    .ok_or_else(|| EngineError::not_found("customer", customer_id))?,
            };
            let (mut conv, existed) = self
                .reply_target(&customer, record.and_then(|r| r.conversation), now)
                .await?;
            let before = conv.status;
            let (next, changes) = status::transition(&conv.status, &StatusEvent::ContactMessage)?;
            conv.status = next;
            conv.note_inbound(now);
            let reopened = existed
                && matches!(
                    before,
                    status::ConversationStatus::Resolved
                        | status::ConversationStatus::Snoozed { .. }
                );
            let mut m = message.clone();
            m.conversation = Some(conv.id);
            let at = |kind| TimelineEvent::new(customer.id, Some(conv.id), Some(m.id), now, kind);
            let mut events = Vec::new();
            if !existed {
                events.push(TimelineEvent::new(
                    customer.id,
                    Some(conv.id),
                    None,
                    now,
                    EventKind::ConversationOpened {
                        source: OpenedBy::Contact,
                        channel: conv.channel,
                    },
                ));
            }
            events.extend(changes.iter().map(|c| {
                TimelineEvent::new(
                    customer.id,
                    Some(conv.id),
                    None,
                    now,
                    EventKind::StatusChanged {
                        from: c.from,
                        to: c.to,
                        cause: c.cause.name().to_string(),
                    },
                )
            }));
            events.push(at(EventKind::ReplyReceived {
                from: from.clone(),
                subject: m.subject.clone(),
                text: event_text.clone(),
                lang: lang.clone(),
            }));
            let mut customers = Vec::new();
            if let Some((updated, event)) =
                funnel_step(&customer, funnel::FunnelEvent::ReplyReceived, now)
            {
                events.push(event);
                customers.push(Write::update(updated, customer.version));
            }
            let mut jobs = Vec::new();
            let mut forward_job = None;
            if self.config.forward_replies {
                let id = JobId::generate(now);
                forward_job = Some(id);
                jobs.push(self.new_job(id, JobKind::Forward, m.id, now));
            }
            if self.config.analyze_replies {
                jobs.push(self.new_job(JobId::generate(now), JobKind::Analysis, m.id, now));
            }
            let conv_id = conv.id;
            let status_change = (before != next).then_some((before, next));
            let conv_write = if existed {
                let v = conv.version;
                Write::update(conv, v)
            } else {
                Write::Insert(conv)
            };
            let message_id = m.id;
            let known = (forward_job.is_some() && self.config.forward_inline).then(|| {
                super::forward::Prefetched {
                    message: m.clone(),
                    customer: customer.clone(),
                    original: record.map(|r| r.message),
                }
            });
            let commit = Commit {
                dedupe_key: Some(key.clone()),
                customers,
                conversations: vec![conv_write],
                messages: vec![Write::Insert(m)],
                tokens: Vec::new(),
                events,
                jobs,
            };
            match self.store.commit(commit).await {
                Ok(CommitOutcome::Duplicate { existing }) => {
                    return Ok(IngestOutcome::Duplicate { existing });
                }
                Ok(CommitOutcome::Applied) => {
                    let forward = match forward_job {
                        Some(job) if self.config.forward_inline => {
                            self.forward_now(job, now, known).await
                        }
                        Some(job) => super::ForwardStatus::Queued {
                            job,
                            retry_at: Some(now),
                            error: None,
                        },
                        None => super::ForwardStatus::Disabled,
                    };
                    let inbox = self
                        .after_contact_message(
                            super::automation::ContactMessage {
                                conversation: conv_id,
                                message: message_id,
                                opened: !existed,
                                status_change,
                                text: &event_text,
                                lang: lang.as_deref(),
                                email: Some(msg),
                            },
                            now,
                        )
                        .await;
                    return Ok(IngestOutcome::Stored(Stored {
                        message: message_id,
                        customer: customer.id,
                        conversation: conv_id,
                        token_source: source,
                        opened: !existed,
                        reopened,
                        forward,
                        inbox: Box::new(inbox),
                    }));
                }
                Err(e) => match retryable(&e) {
                    Some(c) => last = Some(c.clone()),
                    None => return Err(e.into()),
                },
            }
        }
        Err(self.contention("ingest", last))
    }

    /// The conversation a reply lands in: the token's, when it is not resolved; a resolved one is
    /// reopened unless the customer has another current conversation, which then takes the
    /// reply; with no conversation, the current one or a new one (opened by the contact).
    /// Returns it and whether it already existed.
    async fn reply_target(
        &self,
        customer: &Customer,
        token_conversation: Option<ConversationId>,
        now: DateTime<Utc>,
    ) -> Result<(Conversation, bool), EngineError> {
        if let Some(id) = token_conversation
            && let Some(c) = self.store.conversation(id).await?
            && c.customer == customer.id
            && c.status.is_active()
        {
            return Ok((c, true));
        }
        if let Some(active) = self.store.active_conversation(customer.id).await? {
            return Ok((active, true));
        }
        if let Some(id) = token_conversation
            && let Some(c) = self.store.conversation(id).await?
            && c.customer == customer.id
        {
            return Ok((c, true));
        }
        Ok((
            Conversation::new(
                customer.id,
                crate::conversation::Channel::Email,
                OpenedBy::Contact,
                None,
                now,
            ),
            false,
        ))
    }

    pub(super) fn new_job(
        &self,
        id: JobId,
        kind: JobKind,
        message: MessageId,
        now: DateTime<Utc>,
    ) -> NewJob {
        NewJob {
            id,
            kind,
            message,
            run_at: now,
            max_attempts: match kind {
                JobKind::Forward => self.config.retry.max_attempts,
                JobKind::Analysis => self.config.analysis_retry.max_attempts,
            }
            .max(1),
        }
    }

    pub(super) fn contention(
        &self,
        operation: &'static str,
        last: Option<crate::ports::Conflict>,
    ) -> EngineError {
        match last {
            Some(last) => EngineError::Contention {
                operation,
                attempts: self.tries(),
                last,
            },
            // Not reached: a retry loop only ends without returning after a conflict.
            None => EngineError::Store(StoreError::NotFound {
                entity: "commit attempt",
                id: operation.to_string(),
            }),
        }
    }

    /// Note on the timeline that a reply was held back (not its content), once per message.
    pub(super) async fn quarantine(
        &self,
        customer: CustomerId,
        conversation: Option<ConversationId>,
        reason: QuarantineReason,
        key: &DedupeKey,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        let commit = Commit {
            dedupe_key: Some(DedupeKey::new(&format!("quarantine:{key}"))),
            events: vec![TimelineEvent::new(
                customer,
                conversation,
                None,
                now,
                EventKind::ReplyQuarantined {
                    reason: reason.clone(),
                },
            )],
            ..Commit::default()
        };
        self.store.commit(commit).await?;
        Ok(IngestOutcome::Quarantined {
            reason,
            customer,
            conversation,
        })
    }

    /// An expired token: note it, and remember the customer is owed a new address.
    async fn refuse_expired(
        &self,
        msg: &InboundMessage,
        token: ReplyToken,
        expired_at: DateTime<Utc>,
        key: &DedupeKey,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        let outcome = |customer, conversation| IngestOutcome::Expired {
            token,
            expired_at,
            customer,
            conversation,
        };
        let Some(record) = self.store.token(&token).await? else {
            return Ok(outcome(None, None));
        };
        let mut last = None;
        for _ in 0..self.tries() {
            let Some(customer) = self.store.customer(record.customer).await? else {
                return Ok(outcome(None, record.conversation));
            };
            let mut updated = customer.clone();
            updated.pending_reissue = Some(PendingReissue {
                token,
                conversation: record.conversation,
                at: now,
            });
            let commit = Commit {
                dedupe_key: Some(DedupeKey::new(&format!("expired:{key}"))),
                customers: vec![Write::update(updated, customer.version)],
                events: vec![TimelineEvent::new(
                    customer.id,
                    record.conversation,
                    None,
                    now,
                    EventKind::ExpiredReplyRefused {
                        from: sender(msg),
                        token,
                    },
                )],
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => return Ok(outcome(Some(customer.id), record.conversation)),
                Err(e) => match retryable(&e) {
                    Some(c) => last = Some(c.clone()),
                    None => return Err(e.into()),
                },
            }
        }
        Err(self.contention("ingest (expired token)", last))
    }
}
