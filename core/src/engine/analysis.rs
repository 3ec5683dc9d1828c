//! The analysis worker: every stored reply is analysed in the background
//! ([`Engine::run_analysis`], whose docs say what it writes).

use chrono::{DateTime, Utc};

use super::note::{analysis_note, clean_label, priority_for};
use super::{Engine, EngineError};
use crate::analysis::{Analysis, AnalysisContext, ResponseType};
use crate::conversation::{
    Conversation, Direction, EventKind, HIGH_VALUE_LABEL, JobId, JobKind, JobState, Message,
    MessageId, Party, TimelineEvent, preview,
};
use crate::ports::{Commit, JobLease, JobRetry, StoreError, Write};

/// Most bytes of reply text handed to the analyzer (cut at a character boundary).
pub const MAX_ANALYSED_BYTES: usize = 64 * 1024;

/// Most suggested labels applied from one analysis.
const MAX_LABELS: usize = 8;

/// The author of the private notes the worker writes.
pub const NOTE_AUTHOR: &str = "replytrack analysis";

/// What happened to one analysis job in [`Engine::run_analysis`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisStatus {
    /// Analysed; the results were stored with the job's completion.
    Analysed {
        /// The reply's response type.
        response_type: ResponseType,
        /// Labels added to the conversation (suggested ones and the high-value flag).
        labels_added: Vec<String>,
        /// Whether the conversation's priority was raised.
        priority_raised: bool,
    },
    /// Completed without analysing: the message already has an analysis, is not something a
    /// contact said, or has no words of its own (a reply that only quoted).
    Skipped {
        /// Why.
        reason: String,
    },
    /// The attempt failed; the job runs again at `retry_at`.
    Failed {
        /// What went wrong.
        error: String,
        /// When it runs again.
        retry_at: DateTime<Utc>,
    },
    /// The attempt failed and it was the last (or the failure is permanent): the job is
    /// dead-lettered and stays in the store for inspection.
    DeadLettered {
        /// What went wrong.
        error: String,
    },
    /// The lease ended before the results could be stored, and another worker has the job now
    /// (or the failure could not be recorded). Nothing was written.
    LeaseLost {
        /// What the store said.
        error: String,
    },
}

/// One analysis job run by [`Engine::run_analysis`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisReport {
    /// The job.
    pub job: JobId,
    /// The message it analyses.
    pub message: MessageId,
    /// The attempt number this run was (1 for the first).
    pub attempt: u32,
    /// What happened.
    pub status: AnalysisStatus,
}

/// What one [`Engine::run_analysis`] call did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnalysisRun {
    /// Jobs analysed and completed.
    pub analysed: usize,
    /// Jobs completed without analysis (see [`AnalysisStatus::Skipped`]).
    pub skipped: usize,
    /// Attempts that failed and were queued again.
    pub failed: usize,
    /// Jobs dead-lettered.
    pub dead_lettered: usize,
    /// Jobs whose lease was lost (another worker has them).
    pub lease_lost: usize,
    /// Each job claimed, in claim order.
    pub reports: Vec<AnalysisReport>,
}

impl AnalysisRun {
    fn push(&mut self, report: AnalysisReport) {
        match report.status {
            AnalysisStatus::Analysed { .. } => self.analysed += 1,
            AnalysisStatus::Skipped { .. } => self.skipped += 1,
            AnalysisStatus::Failed { .. } => self.failed += 1,
            AnalysisStatus::DeadLettered { .. } => self.dead_lettered += 1,
            AnalysisStatus::LeaseLost { .. } => self.lease_lost += 1,
        }
        self.reports.push(report);
    }
}

/// Why one attempt did not complete.
enum Failure {
    /// Worth another attempt (analyzer error, store hiccup, too much contention).
    Transient(String),
    /// No attempt will help (the message is gone).
    Permanent(String),
    /// The store refused the completion: another worker has the job.
    LeaseLost(String),
}

/// The words to analyse: what the contact wrote, never the quoted history. `Err` says why there
/// is nothing to analyse.
fn analysed_text(message: &Message) -> Result<String, String> {
    let text = match (message.direction, &message.reply) {
        (Direction::Inbound, Some(reply)) if reply.only_quote => {
            return Err("the reply only quotes earlier mail".to_string());
        }
        (Direction::Inbound, Some(reply)) => reply.text.clone(),
        // Stored before extraction existed, or by a host writing records itself: extract now.
        (Direction::Inbound, None) => crate::reply::extract_text(&message.body).text,
        (Direction::ManualLog, _) if message.party == Some(Party::Contact) => message.body.clone(),
        (direction, _) => {
            return Err(format!(
                "message is {direction:?}, not something the contact said"
            ));
        }
    };
    let text = cut_at_char_boundary(text.trim(), MAX_ANALYSED_BYTES);
    if text.is_empty() {
        return Err("the message has no text of its own".to_string());
    }
    Ok(text.to_string())
}

fn cut_at_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

impl Engine {
    /// Claim up to `batch` due analysis jobs and run them, one after the other.
    ///
    /// Storing a reply (or logging something a contact said) enqueues an analysis job in the
    /// same commit. For each job claimed (with a lease), the engine's
    /// [`Analyzer`](crate::analysis::Analyzer) gets the reply's own words — the extracted reply,
    /// never the quoted history or the signature, at most [`MAX_ANALYSED_BYTES`] — with a short
    /// [`AnalysisContext`]: the subject of the email it answers, the customer's name and funnel
    /// stage, the account's [`language`](crate::conversation::AccountSettings::language). Then,
    /// in **one** commit together with completing the job, the worker:
    ///
    /// - stores the [`Analysis`] on the message ([`Message::analysis`]);
    /// - appends [`EventKind::AnalysisCompleted`] to the timeline, and a private note (a
    ///   [`Direction::Note`] message by [`NOTE_AUTHOR`] and its [`EventKind::NoteAdded`] event,
    ///   visible to the team only, never sent) that sums the analysis up
    ///   ([`analysis_note`]);
    /// - applies what the account enabled in
    ///   [`AnalysisSettings`](crate::conversation::AnalysisSettings): the suggested labels
    ///   (cleaned, at most 8), a raised priority (urgent when the reply is urgent, high when it
    ///   needs attention; never lowered), and the [`HIGH_VALUE_LABEL`] flag on high-value replies.
    ///
    /// An analyzer error fails the attempt: the job is queued again after the backoff of
    /// [`EngineConfig::analysis_retry`](super::EngineConfig::analysis_retry), and dead-lettered
    /// after its last attempt. Each failed attempt is recorded on the job (attempt count, last
    /// error) and on the timeline ([`EventKind::AnalysisFailed`]). A worker whose lease was lost
    /// (it ran past the lease and another worker claimed the job) cannot complete it: the store
    /// refuses and nothing is written. A message that already has an analysis, that only quotes
    /// earlier mail, or that is not something the contact said, is completed without analysis.
    ///
    /// Call it from the host's scheduler or a background task; several workers (in one process
    /// or many) may run it at once: each job is leased to one of them.
    ///
    /// Call it from the host's scheduler or a background task; several workers (in one process
    /// or many) may run it at once: each job is leased to one of them.
    ///
    /// # Errors
    /// [`EngineError::Store`] when jobs cannot be claimed. The failure of one job is reported in
    /// its [`AnalysisReport`] instead.
    pub async fn run_analysis(
        &self,
        batch: usize,
        now: DateTime<Utc>,
    ) -> Result<AnalysisRun, EngineError> {
        let leases = self
            .store
            .claim_jobs(JobKind::Analysis, batch, now, self.lease())
            .await?;
        let mut run = AnalysisRun::default();
        for lease in leases {
            let status = self.run_analysis_job(&lease, now).await;
            run.push(AnalysisReport {
                job: lease.job.id,
                message: lease.job.message,
                attempt: lease.attempt(),
                status,
            });
        }
        Ok(run)
    }

    async fn run_analysis_job(&self, lease: &JobLease, now: DateTime<Utc>) -> AnalysisStatus {
        let message = match self.store.message(lease.job.message).await {
            Ok(Some(m)) => m,
            Ok(None) => {
                let e = EngineError::not_found("message", lease.job.message);
                return self
                    .fail_analysis(lease, None, Failure::Permanent(e.to_string()), now)
                    .await;
            }
            Err(e) => {
                return self
                    .fail_analysis(lease, None, Failure::Transient(e.to_string()), now)
                    .await;
            }
        };
        let text = if message.analysis.is_some() {
            Err("the message is already analysed".to_string())
        } else {
            analysed_text(&message)
        };
        let text = match text {
            Ok(text) => text,
            Err(reason) => {
                return match self
                    .store
                    .complete_job(lease.job.id, lease.attempt(), now, Commit::default())
                    .await
                {
                    Ok(()) => AnalysisStatus::Skipped { reason },
                    Err(e) => self.completion_failed(lease, Some(&message), e, now).await,
                };
            }
        };
        let context = match self.analysis_context(&message).await {
            Ok(c) => c,
            Err(e) => {
                return self
                    .fail_analysis(
                        lease,
                        Some(&message),
                        Failure::Transient(e.to_string()),
                        now,
                    )
                    .await;
            }
        };
        let analysis = match self.analyzer.analyze(&text, &context).await {
            Ok(a) => a,
            Err(e) => {
                let error = format!("analyzer {} failed: {e}", self.analyzer.name());
                return self
                    .fail_analysis(lease, Some(&message), Failure::Transient(error), now)
                    .await;
            }
        };
        match self.store_analysis(lease, &analysis, now).await {
            Ok(status) => {
                if let (Some(conv), AnalysisStatus::Analysed { labels_added, .. }) =
                    (message.conversation, &status)
                {
                    self.rules_after_analysis(conv, analysis.response_type, labels_added, now)
                        .await;
                }
                status
            }
            Err(failure) => {
                self.fail_analysis(lease, Some(&message), failure, now)
                    .await
            }
        }
    }

    /// The `analysis_completed` rules, then `label_added` for each label the analysis added.
    /// The analysis is stored either way: a rule that fails to apply leaves it as it is, and
    /// the next event runs the rules again.
    async fn rules_after_analysis(
        &self,
        conversation: crate::conversation::ConversationId,
        response_type: ResponseType,
        labels_added: &[String],
        now: DateTime<Utc>,
    ) {
        let events = std::iter::once(crate::inbox::RuleEvent::AnalysisCompleted { response_type })
            .chain(
                labels_added
                    .iter()
                    .map(|l| crate::inbox::RuleEvent::LabelAdded { label: l.clone() }),
            );
        for event in events {
            let _outcome = self.apply_rules(conversation, &event, now).await;
        }
    }

    /// What the analyzer is told besides the text.
    async fn analysis_context(&self, message: &Message) -> Result<AnalysisContext, StoreError> {
        let customer = self.store.customer(message.customer).await?;
        let answered = match message.token {
            Some(t) => match self.store.token(&t).await? {
                Some(r) => self.store.message(r.message).await?,
                None => None,
            },
            None => None,
        };
        let conversation_subject = match message.conversation {
            Some(id) => self.store.conversation(id).await?.and_then(|c| c.subject),
            None => None,
        };
        Ok(AnalysisContext {
            subject: answered
                .and_then(|m| m.subject)
                .or(conversation_subject)
                .or_else(|| message.subject.clone()),
            customer_name: customer.as_ref().and_then(|c| c.name.clone()),
            customer_status: customer.map(|c| c.funnel.name().to_string()),
            account_lang: Some(self.account.language.clone()),
            reply_lang: message.reply.as_ref().and_then(|r| r.lang.clone()),
        })
    }

    /// Store the results and complete the job in one commit, re-reading the records when a
    /// concurrent write changed them.
    async fn store_analysis(
        &self,
        lease: &JobLease,
        analysis: &Analysis,
        now: DateTime<Utc>,
    ) -> Result<AnalysisStatus, Failure> {
        let mut last = None;
        for _ in 0..self.tries() {
            let transient = |e: StoreError| Failure::Transient(e.to_string());
            let message = self
                .store
                .message(lease.job.message)
                .await
                .map_err(transient)?
                .ok_or_else(|| {
                    Failure::Permanent(
                        EngineError::not_found("message", lease.job.message).to_string(),
                    )
                })?;
            let conversation = match message.conversation {
                Some(id) => self.store.conversation(id).await.map_err(transient)?,
                None => None,
            };
            let (commit, status) = self.analysis_commit(message, conversation, analysis, now);
            match self
                .store
                .complete_job(lease.job.id, lease.attempt(), now, commit)
                .await
            {
                Ok(()) => return Ok(status),
                Err(StoreError::Conflict(c)) => last = Some(c),
                Err(e @ StoreError::LeaseLost { .. }) => {
                    return Err(Failure::LeaseLost(e.to_string()));
                }
                Err(e) => return Err(Failure::Transient(e.to_string())),
            }
        }
        Err(Failure::Transient(
            self.contention("run_analysis", last).to_string(),
        ))
    }

    /// The commit that stores an analysis: the message with it, the completed event, the private
    /// note, and the suggestions the account enabled.
    fn analysis_commit(
        &self,
        message: Message,
        conversation: Option<Conversation>,
        analysis: &Analysis,
        now: DateTime<Utc>,
    ) -> (Commit, AnalysisStatus) {
        let settings = self.account.analysis;
        let customer = message.customer;
        let conversation_id = message.conversation;
        let event = |message: Option<MessageId>, kind| {
            TimelineEvent::new(customer, conversation_id, message, now, kind)
        };
        let note_text = analysis_note(analysis, self.analyzer.name());
        let note = Message {
            id: MessageId::generate(now),
            customer,
            conversation: conversation_id,
            direction: Direction::Note,
            kind: None,
            party: Some(Party::Business),
            author: Some(NOTE_AUTHOR.to_string()),
            from: None,
            to: Vec::new(),
            cc: Vec::new(),
            subject: None,
            body: note_text.clone(),
            html: None,
            preview: preview(&note_text),
            reply: None,
            analysis: None,
            attachments: Vec::new(),
            token: None,
            rfc_message_id: None,
            in_reply_to: Vec::new(),
            references: Vec::new(),
            delivery: None,
            provider_message_id: None,
            created_at: now,
            sent_at: None,
            version: 0,
        };
        let mut events = vec![
            event(
                Some(message.id),
                EventKind::AnalysisCompleted {
                    analysis: analysis.clone(),
                    analyzer: self.analyzer.name().to_string(),
                },
            ),
            event(
                Some(note.id),
                EventKind::NoteAdded {
                    author: Some(NOTE_AUTHOR.to_string()),
                    text: note_text,
                },
            ),
        ];
        let mut labels_added = Vec::new();
        let mut priority_raised = false;
        let mut conversations = Vec::new();
        if let Some(before) = conversation {
            let mut conv = before.clone();
            let mut wanted: Vec<String> = Vec::new();
            if settings.apply_labels {
                wanted.extend(
                    analysis
                        .suggested_labels
                        .iter()
                        .filter_map(|l| clean_label(l))
                        .take(MAX_LABELS),
                );
            }
            if settings.flag_high_value && analysis.response_type == ResponseType::HighValue {
                wanted.push(HIGH_VALUE_LABEL.to_string());
            }
            for label in wanted {
                if conv.labels.insert(label.clone()) {
                    events.push(event(
                        None,
                        EventKind::Labelled {
                            label: label.clone(),
                            added: true,
                        },
                    ));
                    labels_added.push(label);
                }
            }
            if settings.apply_priority
                && let Some(p) = priority_for(analysis)
                && p > conv.priority
            {
                conv.priority = p;
                priority_raised = true;
                events.push(event(None, EventKind::PriorityChanged { priority: p }));
            }
            if conv != before {
                conversations.push(Write::update(conv, before.version));
            }
        }
        let version = message.version;
        let mut analysed = message;
        analysed.analysis = Some(analysis.clone());
        let commit = Commit {
            conversations,
            messages: vec![Write::update(analysed, version), Write::Insert(note)],
            events,
            ..Commit::default()
        };
        (
            commit,
            AnalysisStatus::Analysed {
                response_type: analysis.response_type,
                labels_added,
                priority_raised,
            },
        )
    }

    /// A completion (of a skipped job) the store refused.
    async fn completion_failed(
        &self,
        lease: &JobLease,
        message: Option<&Message>,
        error: StoreError,
        now: DateTime<Utc>,
    ) -> AnalysisStatus {
        let failure = match error {
            e @ StoreError::LeaseLost { .. } => Failure::LeaseLost(e.to_string()),
            e => Failure::Transient(e.to_string()),
        };
        self.fail_analysis(lease, message, failure, now).await
    }

    /// Record a failed attempt: queue the job again after the backoff, or dead-letter it after
    /// its last attempt or a permanent failure; then note it on the timeline.
    async fn fail_analysis(
        &self,
        lease: &JobLease,
        message: Option<&Message>,
        failure: Failure,
        now: DateTime<Utc>,
    ) -> AnalysisStatus {
        let (error, permanent) = match failure {
            Failure::LeaseLost(error) => return AnalysisStatus::LeaseLost { error },
            Failure::Transient(e) => (e, false),
            Failure::Permanent(e) => (e, true),
        };
        let attempt = lease.attempt();
        let retry = match self.config.analysis_retry.next_run(attempt, now) {
            Some(at) if !permanent && attempt < lease.job.max_attempts => JobRetry::At(at),
            _ => JobRetry::DeadLetter,
        };
        let status = match self
            .store
            .fail_job(lease.job.id, attempt, &error, retry, now)
            .await
        {
            Ok(JobState::Dead { .. }) => AnalysisStatus::DeadLettered {
                error: error.clone(),
            },
            Ok(_) => match retry {
                JobRetry::At(retry_at) => AnalysisStatus::Failed {
                    error: error.clone(),
                    retry_at,
                },
                JobRetry::DeadLetter => AnalysisStatus::DeadLettered {
                    error: error.clone(),
                },
            },
            Err(e) => {
                return AnalysisStatus::LeaseLost {
                    error: format!("{error}; and the failure was not recorded: {e}"),
                };
            }
        };
        if let Some(m) = message {
            let retry_at = match &status {
                AnalysisStatus::Failed { retry_at, .. } => Some(*retry_at),
                _ => None,
            };
            let commit = Commit {
                events: vec![TimelineEvent::new(
                    m.customer,
                    m.conversation,
                    Some(m.id),
                    now,
                    EventKind::AnalysisFailed {
                        attempt,
                        error,
                        retry_at,
                    },
                )],
                ..Commit::default()
            };
            // The job record already holds the failure; the timeline entry is for the team's
            // eyes, and losing it loses no work.
            let _noted = self.store.commit(commit).await;
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let text = "é".repeat(40_000);
        let cut = cut_at_char_boundary(&text, MAX_ANALYSED_BYTES);
        assert!(cut.len() <= MAX_ANALYSED_BYTES);
        assert_eq!(cut.len() % 2, 0);
        assert_eq!(cut_at_char_boundary("short", 10), "short");
    }
}
