//! Forwarding stored replies to the account's inbox, through the durable job queue.
//!
//! Storing a reply enqueues a forward job in the same commit. The engine tries it at once (when
//! [`EngineConfig::forward_inline`](super::EngineConfig::forward_inline) is on) and
//! [`Engine::run_forwards`] drains whatever is due: retries after a temporary failure (with
//! backoff), and jobs whose worker died holding the lease. A permanent failure, or the last
//! attempt, dead-letters the job; it stays in the store for inspection.
//!
//! The forward goes to the custom reply-to when set, else to the account email. It comes from the
//! account's sending address ("Marie Dupont via Acme"), has the customer in `Reply-To` so the owner
//! can answer directly, `Auto-Submitted: auto-generated` so auto-responders keep quiet, and the
//! [`LOOP_HEADER`] guard so that if it ever comes back to a reply address it is dropped. Only
//! person's replies are forwarded: auto replies, bounces and own loops never reach this point.

use chrono::{DateTime, Utc};

use super::render::{
    AUTO_SUBMITTED_HEADER, CONVERSATION_HEADER, ID_HEADER, LOOP_HEADER, Parts, Person, render,
};
use super::{Engine, EngineError};
use crate::conversation::{
    Customer, EventKind, JobId, JobKind, JobState, Message, MessageId, TimelineEvent,
};
use crate::ports::{Commit, JobLease, JobRetry, MailerError, OutgoingEmail};

/// What happened to a forward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardStatus {
    /// Handed to the mailer.
    Sent {
        /// Where it went.
        to: String,
    },
    /// Not sent yet: it stays queued and is retried by [`Engine::run_forwards`].
    Queued {
        /// The job.
        job: JobId,
        /// When it runs next, when known.
        retry_at: Option<DateTime<Utc>>,
        /// The failure, if an attempt failed.
        error: Option<String>,
    },
    /// Another worker holds the job.
    Busy {
        /// The job.
        job: JobId,
    },
    /// Given up (a permanent failure, or the last attempt failed): dead-lettered.
    Dead {
        /// The job.
        job: JobId,
        /// The last failure.
        error: String,
    },
    /// Forwarding is turned off.
    Disabled,
}

impl ForwardStatus {
    /// A few words on what happened.
    pub fn describe(&self) -> String {
        match self {
            Self::Sent { to } => format!("sent to {to}"),
            Self::Queued {
                retry_at, error, ..
            } => match (retry_at, error) {
                (Some(at), Some(e)) => format!("queued, retry at {} after: {e}", at.to_rfc3339()),
                (_, Some(e)) => format!("queued after: {e}"),
                _ => "queued".to_string(),
            },
            Self::Busy { .. } => "being sent by another worker".to_string(),
            Self::Dead { error, .. } => format!("dead-lettered: {error}"),
            Self::Disabled => "disabled".to_string(),
        }
    }
}

/// One forward job run by [`Engine::run_forwards`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardReport {
    /// The job.
    pub job: JobId,
    /// The reply it forwards.
    pub message: MessageId,
    /// What happened.
    pub status: ForwardStatus,
}

impl Engine {
    /// Claim and run up to `limit` due forward jobs.
    ///
    /// # Errors
    /// [`EngineError::Store`] when jobs cannot be claimed; a failure of one forward is reported in
    /// its [`ForwardReport`] instead.
    pub async fn run_forwards(
        &self,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<ForwardReport>, EngineError> {
        let leases = self
            .store
            .claim_jobs(JobKind::Forward, limit, now, self.lease())
            .await?;
        let mut out = Vec::with_capacity(leases.len());
        for lease in leases {
            let status = self.run_forward(&lease, now, None).await;
            out.push(ForwardReport {
                job: lease.job.id,
                message: lease.job.message,
                status,
            });
        }
        Ok(out)
    }

    /// Run one forward job right after the commit that enqueued it, with the records ingest
    /// already holds (so the forward reads only the original email).
    pub(super) async fn forward_now(
        &self,
        job: JobId,
        now: DateTime<Utc>,
        known: Option<Prefetched>,
    ) -> ForwardStatus {
        match self.store.claim_job(job, now, self.lease()).await {
            Ok(Some(lease)) => self.run_forward(&lease, now, known).await,
            Ok(None) => ForwardStatus::Busy { job },
            Err(e) => ForwardStatus::Queued {
                job,
                retry_at: None,
                error: Some(e.to_string()),
            },
        }
    }

    async fn run_forward(
        &self,
        lease: &JobLease,
        now: DateTime<Utc>,
        known: Option<Prefetched>,
    ) -> ForwardStatus {
        let job = &lease.job;
        let (email, message) = match self.build_forward(job.message, now, known).await {
            Ok(x) => x,
            Err(e @ EngineError::NotFound { .. }) => {
                return self.fail_forward(lease, e.to_string(), true, now).await;
            }
            Err(e) => return self.fail_forward(lease, e.to_string(), false, now).await,
        };
        let to = self.account.forward_to().to_string();
        match self.mailer.send(&email).await {
            Ok(_) => {
                let commit = Commit {
                    events: vec![TimelineEvent::new(
                        message.customer,
                        message.conversation,
                        Some(message.id),
                        now,
                        EventKind::ReplyForwarded { to: to.clone() },
                    )],
                    ..Commit::default()
                };
                match self
                    .store
                    .complete_job(job.id, lease.attempt(), now, commit)
                    .await
                {
                    Ok(()) => ForwardStatus::Sent { to },
                    // Sent, but the store did not hear of it: the job runs again after its
                    // lease; a second copy is better than a lost reply.
                    Err(e) => ForwardStatus::Queued {
                        job: job.id,
                        retry_at: Some(lease.until),
                        error: Some(e.to_string()),
                    },
                }
            }
            Err(MailerError::Temporary(e)) => {
                self.fail_forward(lease, e.to_string(), false, now).await
            }
            Err(MailerError::Permanent(e)) => {
                self.fail_forward(lease, e.to_string(), true, now).await
            }
        }
    }

    async fn fail_forward(
        &self,
        lease: &JobLease,
        error: String,
        permanent: bool,
        now: DateTime<Utc>,
    ) -> ForwardStatus {
        let job = lease.job.id;
        let retry = match self.config.retry.next_run(lease.attempt(), now) {
            Some(at) if !permanent => JobRetry::At(at),
            _ => JobRetry::DeadLetter,
        };
        match self
            .store
            .fail_job(job, lease.attempt(), &error, retry, now)
            .await
        {
            Ok(JobState::Dead { .. }) => ForwardStatus::Dead { job, error },
            Ok(_) => ForwardStatus::Queued {
                job,
                retry_at: match retry {
                    JobRetry::At(at) => Some(at),
                    JobRetry::DeadLetter => None,
                },
                error: Some(error),
            },
            Err(e) => ForwardStatus::Queued {
                job,
                retry_at: Some(lease.until),
                error: Some(format!("{error}; and the failure was not recorded: {e}")),
            },
        }
    }

    /// The forward email for a stored reply (`known`: the records ingest already holds).
    async fn build_forward(
        &self,
        id: MessageId,
        now: DateTime<Utc>,
        known: Option<Prefetched>,
    ) -> Result<(OutgoingEmail, Message), EngineError> {
        let (message, customer, original_id) = match known {
            Some(k) if k.message.id == id => (k.message, k.customer, k.original),
            _ => {
                let message = self
                    .store
                    .message(id)
                    .await?
                    .ok_or_else(|| EngineError::not_found("message", id))?;
                let customer = self
                    .store
                    .customer(message.customer)
                    .await?
                    .ok_or_else(|| EngineError::not_found("customer", message.customer))?;
                let original = match message.token {
                    Some(t) => self.store.token(&t).await?.map(|r| r.message),
                    None => None,
                };
                (message, customer, original)
            }
        };
        let original = match original_id {
            Some(o) => self.store.message(o).await?,
            None => None,
        };
        let sender_address = message
            .from
            .clone()
            .or_else(|| customer.emails.first().map(|e| e.address.clone()))
            .unwrap_or_default();
        let who = customer
            .name
            .clone()
            .unwrap_or_else(|| sender_address.clone());
        let message_id = match message.token {
            Some(t) => self.format.message_id(&t),
            None => format!("{}@{}", MessageId::generate(now), self.format.domain()),
        };
        let in_reply_to = original.as_ref().and_then(|o| o.rfc_message_id.clone());
        let reply_text = message
            .reply
            .as_ref()
            .map(|r| r.text.as_str())
            .unwrap_or(message.body.as_str());
        let mut text = format!("{who} <{sender_address}> replied:\n\n{reply_text}\n");
        if !message.attachments.is_empty() {
            text.push_str("\nAttachments (kept with the reply, not forwarded):\n");
            for a in &message.attachments {
                text.push_str(&format!(
                    "- {} ({}, {} bytes)\n",
                    a.filename.as_deref().unwrap_or("unnamed"),
                    a.content_type,
                    a.size
                ));
            }
        }
        if message.body.trim() != reply_text.trim() {
            text.push_str("\n----- Full message -----\n");
            text.push_str(&message.body);
            text.push('\n');
        }
        text.push_str(&format!(
            "\n-- \nForwarded by {} · conversation {} · answer this email to reply to {who} directly.\n",
            self.account.name,
            message
                .conversation
                .map(|c| c.to_string())
                .unwrap_or_else(|| "none".to_string()),
        ));
        let mut headers = vec![
            (AUTO_SUBMITTED_HEADER, "auto-generated".to_string()),
            (LOOP_HEADER, self.format.domain().to_string()),
            (ID_HEADER, message.id.to_string()),
        ];
        if let Some(c) = message.conversation {
            headers.push((CONVERSATION_HEADER, c.to_string()));
        }
        let parts = Parts {
            from: Person::new(
                Some(&format!("{who} via {}", self.account.name)),
                &self.account.from_address,
            ),
            to: vec![Person::new(None, self.account.forward_to())],
            cc: Vec::new(),
            reply_to: Person::new(customer.name.as_deref(), &sender_address),
            subject: message
                .subject
                .clone()
                .unwrap_or_else(|| "(no subject)".to_string()),
            text,
            html: None,
            message_id: message_id.clone(),
            references: in_reply_to.iter().cloned().collect(),
            in_reply_to,
            date: now,
            headers,
        };
        let raw = render(&parts)?;
        Ok((
            OutgoingEmail {
                envelope_from: self.account.from_address.clone(),
                recipients: vec![self.account.forward_to().to_string()],
                message_id,
                raw,
            },
            message,
        ))
    }
}

/// What ingest already holds when it forwards a reply it has just stored.
#[derive(Debug)]
pub(super) struct Prefetched {
    /// The stored reply.
    pub message: Message,
    /// Its customer.
    pub customer: Customer,
    /// The email the reply answers (the token record's message), if any.
    pub original: Option<MessageId>,
}
