//! The out-of-hours auto-reply: outside business hours, a person's message gets one answer from
//! the auto-reply template, at most once per conversation per local day.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::render::{CONVERSATION_HEADER, ID_HEADER, Parts, Person, render};
use super::{Engine, EngineError};
use crate::conversation::{ConversationId, EventKind, MessageId, TimelineEvent};
use crate::inbox::auto_reply::{
    AUTO_REPLIED, AUTO_RESPONSE_SUPPRESS, AUTO_SUBMITTED, AutoReplyDecision, AutoReplyHeaders,
    SkipReason, should_auto_reply,
};
use crate::inbox::settings::AUTO_REPLY_TEMPLATE;
use crate::message::{InboundMessage, classify};
use crate::ports::{Commit, CommitOutcome, DedupeKey, OutgoingEmail, TimelineScope};

/// What became of the auto-reply to one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AutoReplyOutcome {
    /// Sent through the mailer.
    Sent {
        /// Its `Message-ID`, without angle brackets.
        message_id: String,
        /// The address it went to.
        to: String,
        /// The template language used.
        lang: String,
    },
    /// Not sent, for this reason.
    Skipped {
        /// Why.
        reason: SkipReason,
    },
    /// It should have gone but could not be rendered or sent (recorded on the timeline as
    /// `AutoReplyFailed`; not retried, so the contact never gets two).
    Failed {
        /// What went wrong.
        error: String,
    },
}

impl Engine {
    /// Send the out-of-hours auto-reply for a stored reply, when the settings have a schedule
    /// and an [`AUTO_REPLY_TEMPLATE`], the business is closed, the message is a person's (not an
    /// auto reply, bounce, list mail or our own) and the conversation has had none this local
    /// day. `None` when auto-replies are not configured.
    pub(super) async fn auto_reply_if_closed(
        &self,
        conversation: ConversationId,
        message: MessageId,
        email: &InboundMessage,
        now: DateTime<Utc>,
    ) -> Result<Option<AutoReplyOutcome>, EngineError> {
        let settings = &self.inbox.settings;
        let Some(schedule) = &settings.schedule else {
            return Ok(None);
        };
        let class = classify(email, &self.classify_options());
        // Decide without the timeline first: it is only read when the business is closed.
        if let AutoReplyDecision::Skip(reason) =
            should_auto_reply(class.kind, class.mailing_list, None, schedule, now)
        {
            return Ok(Some(AutoReplyOutcome::Skipped { reason }));
        }
        let timeline = self
            .store
            .timeline(TimelineScope::Conversation(conversation))
            .await?;
        let last = timeline
            .iter()
            .rev()
            .find(|e| matches!(e.kind, EventKind::AutoReplySent { .. }))
            .map(|e| e.at);
        if let AutoReplyDecision::Skip(reason) =
            should_auto_reply(class.kind, class.mailing_list, last, schedule, now)
        {
            return Ok(Some(AutoReplyOutcome::Skipped { reason }));
        }
        let Some(conv) = self.store.conversation(conversation).await? else {
            return Err(EngineError::not_found("conversation", conversation));
        };
        let stored = self.store.message(message).await?;
        let lang = stored
            .as_ref()
            .and_then(|m| m.reply.as_ref())
            .and_then(|r| r.lang.clone())
            .unwrap_or_else(|| self.account.language.clone());
        // The contact's language, else the account's, else any version there is.
        let Some(template) = settings
            .templates
            .find(AUTO_REPLY_TEMPLATE, &lang, &self.account.language)
            .or_else(|| settings.templates.versions(AUTO_REPLY_TEMPLATE).next())
        else {
            return Ok(None);
        };
        let customer = self.store.customer(conv.customer).await?;
        let Some(to) = super::records::sender(email) else {
            return Ok(Some(AutoReplyOutcome::Skipped {
                reason: SkipReason::OwnMail,
            }));
        };
        let next_open = schedule
            .next_open(now)
            .map(|t| {
                t.with_timezone(&schedule.time_zone())
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        let subject = email.subject.clone().unwrap_or_default();
        let name = customer
            .as_ref()
            .and_then(|c| c.name.clone())
            .unwrap_or_default();
        let values = [
            ("name", name.as_str()),
            ("account", self.account.name.as_str()),
            ("next_open", next_open.as_str()),
            ("subject", subject.as_str()),
        ];
        let day = schedule.local_date(now);
        let event = |kind| TimelineEvent::new(conv.customer, Some(conv.id), None, now, kind);
        let text = match template.render(&values[..]) {
            Ok(t) => t,
            Err(e) => return self.auto_reply_failed(&conv, e.to_string(), now).await,
        };
        // The address the contact wrote to (their reply address), so an answer threads.
        let domain = self.format.domain().to_ascii_lowercase();
        let reply_to = email
            .to
            .iter()
            .chain(email.cc.iter())
            .map(|m| m.address.trim().to_ascii_lowercase())
            .find(|a| a.rsplit_once('@').is_some_and(|(_, d)| d == domain))
            .or_else(|| {
                stored
                    .as_ref()
                    .and_then(|m| m.token)
                    .map(|t| self.format.address(&t))
            })
            .or_else(|| self.account.custom_reply_to.clone())
            .unwrap_or_else(|| self.account.from_address.clone());
        let id = MessageId::generate(now);
        let rfc_id = format!("auto.{id}@{}", self.format.domain());
        let threading = AutoReplyHeaders::answering(email.message_id.as_deref(), &email.references);
        let parts = Parts {
            from: Person::new(
                self.account.from_name.as_deref(),
                &self.account.from_address,
            ),
            to: vec![Person::new(
                customer.as_ref().and_then(|c| c.name.as_deref()),
                &to,
            )],
            cc: Vec::new(),
            reply_to: Person::new(self.account.from_name.as_deref(), &reply_to),
            subject: if subject.to_ascii_lowercase().starts_with("re:") {
                subject.clone()
            } else {
                format!("Re: {subject}")
            },
            text,
            html: None,
            message_id: rfc_id.clone(),
            in_reply_to: threading.in_reply_to.clone(),
            references: threading.references.clone(),
            date: now,
            headers: vec![
                (AUTO_SUBMITTED, AUTO_REPLIED.to_string()),
                (AUTO_RESPONSE_SUPPRESS, "All".to_string()),
                (ID_HEADER, id.to_string()),
                (CONVERSATION_HEADER, conv.id.to_string()),
            ],
        };
        let raw = match render(&parts) {
            Ok(raw) => raw,
            Err(e) => return self.auto_reply_failed(&conv, e.to_string(), now).await,
        };
        // Record first, under a key per conversation and local day: of two instances racing,
        // one commits and sends; the other finds the key taken.
        let commit = Commit {
            dedupe_key: Some(DedupeKey::new(&format!("auto-reply:{}:{day}", conv.id))),
            events: vec![event(EventKind::AutoReplySent {
                template: AUTO_REPLY_TEMPLATE.to_string(),
                lang: template.lang().to_string(),
                to: to.clone(),
                message_id: rfc_id.clone(),
            })],
            ..Commit::default()
        };
        if let CommitOutcome::Duplicate { .. } = self.store.commit(commit).await? {
            return Ok(Some(AutoReplyOutcome::Skipped {
                reason: SkipReason::AlreadySentToday { at: now, day },
            }));
        }
        let outgoing = OutgoingEmail {
            envelope_from: self.account.from_address.clone(),
            recipients: vec![to.clone()],
            message_id: rfc_id.clone(),
            raw,
        };
        match self.mailer.send(&outgoing).await {
            Ok(_) => Ok(Some(AutoReplyOutcome::Sent {
                message_id: rfc_id,
                to,
                lang: template.lang().to_string(),
            })),
            Err(e) => self.auto_reply_failed(&conv, e.to_string(), now).await,
        }
    }

    async fn auto_reply_failed(
        &self,
        conv: &crate::conversation::Conversation,
        error: String,
        now: DateTime<Utc>,
    ) -> Result<Option<AutoReplyOutcome>, EngineError> {
        let commit = Commit {
            events: vec![TimelineEvent::new(
                conv.customer,
                Some(conv.id),
                None,
                now,
                EventKind::AutoReplyFailed {
                    error: error.clone(),
                },
            )],
            ..Commit::default()
        };
        self.store.commit(commit).await?;
        Ok(Some(AutoReplyOutcome::Failed { error }))
    }
}
