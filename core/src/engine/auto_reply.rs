//! Automatic replies (out of office): recorded on the timeline, never reopening, forwarding or
//! answering anything.

use chrono::{DateTime, Utc};

use super::ingest::Found;
use super::outcome::{IngestOutcome, RejectReason};
use super::records::{dedupe_key, inbound_message, sender};
use super::{Engine, EngineError};
use crate::conversation::{EventKind, TimelineEvent, preview};
use crate::message::{InboundMessage, MessageKind};
use crate::ports::{Commit, CommitOutcome, Write};

impl Engine {
    pub(super) async fn ingest_auto_reply(
        &self,
        msg: &InboundMessage,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        let key = dedupe_key(msg);
        let (customer, conversation, token) = match self.find_token(msg, now) {
            Found::Valid { token, .. } => {
                let Some((record, customer)) = self.token_owner(&token).await? else {
                    return Ok(IngestOutcome::AutoReplyDropped {
                        reason: RejectReason::UnknownToken(token),
                    });
                };
                if let Err(reason) = self.check_sender(msg, &customer, Some(&record)) {
                    return self
                        .quarantine(customer.id, record.conversation, reason, &key, now)
                        .await;
                }
                let conversation = match record.conversation {
                    Some(c) => Some(c),
                    None => self
                        .store
                        .active_conversation(customer.id)
                        .await?
                        .map(|c| c.id),
                };
                (customer, conversation, Some(token))
            }
            found => {
                let known = match sender(msg) {
                    Some(from) => self.store.customer_by_email(&from).await?,
                    None => None,
                };
                let Some(customer) = known else {
                    let reason = match found {
                        Found::Refused(r) => r,
                        _ => RejectReason::NoToken,
                    };
                    return Ok(IngestOutcome::AutoReplyDropped { reason });
                };
                let conversation = self
                    .store
                    .active_conversation(customer.id)
                    .await?
                    .map(|c| c.id);
                (customer, conversation, None)
            }
        };
        let mut m = inbound_message(msg, MessageKind::AutoReply, customer.id, now);
        m.conversation = conversation;
        m.token = token;
        m.preview = preview(&m.body);
        let event = TimelineEvent::new(
            customer.id,
            conversation,
            Some(m.id),
            now,
            EventKind::AutoReplyReceived {
                from: m.from.clone().unwrap_or_default(),
                subject: m.subject.clone(),
            },
        );
        let id = m.id;
        let commit = Commit {
            dedupe_key: Some(key),
            messages: vec![Write::Insert(m)],
            events: vec![event],
            ..Commit::default()
        };
        Ok(match self.store.commit(commit).await? {
            CommitOutcome::Duplicate { existing } => IngestOutcome::Duplicate { existing },
            CommitOutcome::Applied => IngestOutcome::AutoReplyRecorded {
                message: id,
                customer: customer.id,
                conversation,
            },
        })
    }
}
