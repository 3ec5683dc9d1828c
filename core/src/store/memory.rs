//! [`MemoryStore`]: the whole [`Store`] contract in process memory.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use crate::conversation::{
    Conversation, ConversationId, ConversationStatus, Customer, CustomerId, Job, JobId, JobKind,
    JobState, Message, MessageId, TimelineEvent, TokenRecord,
};
use crate::inbox::whatsapp::normalize_phone;
use crate::ports::{
    Commit, CommitOutcome, ConversationCursor, ConversationQuery, DeadLetter, DedupeKey,
    InboxQuery, InboxRecord, JobLease, JobRetry, LastMessage, RawInbound, Seen, Store, StoreError,
    TimelineScope, Write, contact_of, cut_error, search_words, text_words,
};
use crate::token::ReplyToken;

mod check;

/// Why the memory store could not run an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the memory store's lock is poisoned: a thread panicked while writing")]
pub struct Poisoned;

/// A [`Store`] in process memory, with the same checks a database store makes: commits are
/// all-or-nothing, dedupe keys and token records are unique, one conversation per customer is
/// not resolved, updates carry the version they read, and jobs are leased.
///
/// Everything is lost when it is dropped; it is meant for tests, examples and the demo.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    customers: HashMap<CustomerId, Customer>,
    by_email: HashMap<String, CustomerId>,
    by_external: HashMap<String, CustomerId>,
    by_phone: HashMap<String, BTreeSet<CustomerId>>,
    conversations: HashMap<ConversationId, Conversation>,
    active: HashMap<CustomerId, ConversationId>,
    messages: HashMap<MessageId, Message>,
    thread: HashMap<ConversationId, Vec<MessageId>>,
    by_rfc: HashMap<String, MessageId>,
    tokens: HashMap<ReplyToken, TokenRecord>,
    events: Vec<TimelineEvent>,
    events_by_customer: HashMap<CustomerId, Vec<usize>>,
    events_by_conversation: HashMap<ConversationId, Vec<usize>>,
    dedupe: HashMap<DedupeKey, Option<MessageId>>,
    jobs: BTreeMap<JobId, Job>,
    raw: HashMap<String, RawInbound>,
    dead_letters: HashMap<String, DeadLetter>,
    read_marks: HashMap<(ConversationId, String), DateTime<Utc>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        self.state
            .lock()
            .map_err(|_| StoreError::Backend(Box::new(Poisoned)))
    }

    /// How many messages are stored (for tests and benchmarks).
    pub fn message_count(&self) -> usize {
        self.state.lock().map(|s| s.messages.len()).unwrap_or(0)
    }

    /// Every job, in id order (for tests and inspection).
    pub fn jobs(&self) -> Vec<Job> {
        self.state
            .lock()
            .map(|s| s.jobs.values().cloned().collect())
            .unwrap_or_default()
    }
}

impl State {
    /// Write a checked commit.
    fn apply(&mut self, c: Commit, now: Option<DateTime<Utc>>) {
        for w in c.customers {
            let (mut r, version) = match w {
                Write::Insert(r) => (r, 1),
                Write::Update {
                    record,
                    expected_version,
                } => (record, expected_version + 1),
            };
            r.version = version;
            if let Some(old) = self.customers.get(&r.id) {
                for e in &old.emails {
                    self.by_email.remove(&e.address);
                }
                if let Some(ext) = &old.external_id {
                    self.by_external.remove(ext);
                }
                if let Some(phone) = old.phone.as_deref().and_then(normalize_phone)
                    && let Some(set) = self.by_phone.get_mut(&phone)
                {
                    set.remove(&old.id);
                    if set.is_empty() {
                        self.by_phone.remove(&phone);
                    }
                }
            }
            if let Some(phone) = r.phone.as_deref().and_then(normalize_phone) {
                self.by_phone.entry(phone).or_default().insert(r.id);
            }
            for e in &r.emails {
                self.by_email.insert(e.address.clone(), r.id);
            }
            if let Some(ext) = &r.external_id {
                self.by_external.insert(ext.clone(), r.id);
            }
            self.customers.insert(r.id, r);
        }
        for w in c.conversations {
            let (mut r, version) = match w {
                Write::Insert(r) => (r, 1),
                Write::Update {
                    record,
                    expected_version,
                } => (record, expected_version + 1),
            };
            r.version = version;
            if r.status.is_active() {
                self.active.insert(r.customer, r.id);
            } else if self.active.get(&r.customer) == Some(&r.id) {
                self.active.remove(&r.customer);
            }
            self.conversations.insert(r.id, r);
        }
        let mut first_inserted: Option<MessageId> = None;
        for w in c.messages {
            let (mut r, version, inserted) = match w {
                Write::Insert(r) => (r, 1, true),
                Write::Update {
                    record,
                    expected_version,
                } => (record, expected_version + 1, false),
            };
            r.version = version;
            if inserted {
                first_inserted.get_or_insert(r.id);
                if let Some(conv) = r.conversation {
                    self.thread.entry(conv).or_default().push(r.id);
                }
            } else if let Some(old) = self.messages.get(&r.id)
                && old.conversation != r.conversation
            {
                if let Some(prev) = old.conversation
                    && let Some(list) = self.thread.get_mut(&prev)
                {
                    list.retain(|m| *m != r.id);
                }
                if let Some(conv) = r.conversation {
                    self.thread.entry(conv).or_default().push(r.id);
                }
            }
            if let Some(rfc) = &r.rfc_message_id {
                self.by_rfc.insert(rfc.clone(), r.id);
            }
            self.messages.insert(r.id, r);
        }
        for t in c.tokens {
            self.tokens.insert(t.token, t);
        }
        for e in c.events {
            let idx = self.events.len();
            self.events_by_customer
                .entry(e.customer)
                .or_default()
                .push(idx);
            if let Some(conv) = e.conversation {
                self.events_by_conversation
                    .entry(conv)
                    .or_default()
                    .push(idx);
            }
            self.events.push(e);
        }
        for j in c.jobs {
            self.jobs.insert(
                j.id,
                Job {
                    id: j.id,
                    kind: j.kind,
                    message: j.message,
                    state: JobState::Queued,
                    attempts: 0,
                    max_attempts: j.max_attempts,
                    run_at: j.run_at,
                    last_error: None,
                    created_at: now.unwrap_or(j.run_at),
                },
            );
        }
        if let Some(key) = c.dedupe_key {
            self.dedupe.insert(key, first_inserted);
        }
    }

    fn commit(
        &mut self,
        c: Commit,
        now: Option<DateTime<Utc>>,
    ) -> Result<CommitOutcome, StoreError> {
        if let Some(key) = &c.dedupe_key
            && let Some(existing) = self.dedupe.get(key)
        {
            return Ok(CommitOutcome::Duplicate {
                existing: *existing,
            });
        }
        self.check(&c)?;
        self.apply(c, now);
        Ok(CommitOutcome::Applied)
    }

    /// Claim a job if it is due and free; dead-letters it instead when its attempts are spent
    /// (a worker that crashed holding every lease).
    fn try_claim(job: &mut Job, now: DateTime<Utc>, lease: Duration) -> Option<JobLease> {
        let free = match job.state {
            JobState::Queued => job.run_at <= now,
            JobState::Leased { until } => until <= now,
            JobState::Done { .. } | JobState::Dead { .. } => false,
        };
        if !free {
            return None;
        }
        if job.attempts >= job.max_attempts {
            job.state = JobState::Dead { at: now };
            job.last_error
                .get_or_insert_with(|| "attempts exhausted by expired leases".to_string());
            return None;
        }
        let until = now + lease;
        job.attempts += 1;
        job.state = JobState::Leased { until };
        Some(JobLease {
            job: job.clone(),
            until,
        })
    }

    fn leased_job(&mut self, id: JobId, attempt: u32) -> Result<&mut Job, StoreError> {
        let job = self.jobs.get_mut(&id).ok_or_else(|| StoreError::NotFound {
            entity: "job",
            id: id.to_string(),
        })?;
        if job.attempts != attempt || !matches!(job.state, JobState::Leased { .. }) {
            return Err(StoreError::LeaseLost { job: id, attempt });
        }
        Ok(job)
    }
}

/// Whether every word is among the words of `text`.
fn has_words(words: &[String], text: &str) -> bool {
    let found: std::collections::HashSet<String> = text_words(text).collect();
    words.iter().all(|w| found.contains(w))
}

impl State {
    /// Whether the conversation's subject, or one of its messages, holds every word.
    fn text_matches(&self, c: &Conversation, words: &[String]) -> bool {
        if c.subject.as_deref().is_some_and(|s| has_words(words, s)) {
            return true;
        }
        self.thread.get(&c.id).is_some_and(|ids| {
            ids.iter().filter_map(|id| self.messages.get(id)).any(|m| {
                let doc = format!("{} {}", m.subject.as_deref().unwrap_or(""), m.body);
                has_words(words, &doc)
            })
        })
    }
}

impl State {
    /// Whether one of the conversation's messages was analysed as the query's response type.
    fn response_matches(&self, c: &Conversation, query: &InboxQuery) -> bool {
        let Some(wanted) = query.response_type else {
            return true;
        };
        self.thread.get(&c.id).is_some_and(|ids| {
            ids.iter().filter_map(|id| self.messages.get(id)).any(|m| {
                m.analysis
                    .as_ref()
                    .is_some_and(|a| a.response_type == wanted)
            })
        })
    }

    /// The row of a conversation.
    fn inbox_record(&self, c: &Conversation, reader: Option<&str>) -> InboxRecord {
        let (contact_name, contact) = self
            .customers
            .get(&c.customer)
            .map(contact_of)
            .unwrap_or_default();
        let last_message = self.thread.get(&c.id).and_then(|ids| {
            ids.iter()
                .rev()
                .filter_map(|id| self.messages.get(id))
                .find(|m| LastMessage::counts(m))
                .map(LastMessage::of)
        });
        let read_at = reader.and_then(|r| self.read_marks.get(&(c.id, r.to_string())).copied());
        InboxRecord {
            conversation: c.clone(),
            contact_name,
            contact,
            last_message,
            read_at,
        }
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn commit(&self, commit: Commit) -> Result<CommitOutcome, StoreError> {
        let now = commit.events.first().map(|e| e.at);
        self.lock()?.commit(commit, now)
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        Ok(self.lock()?.customers.get(&id).cloned())
    }

    async fn customer_by_email(&self, address: &str) -> Result<Option<Customer>, StoreError> {
        let s = self.lock()?;
        let key = address.trim().to_lowercase();
        Ok(s.by_email
            .get(&key)
            .and_then(|id| s.customers.get(id))
            .cloned())
    }

    async fn customer_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Customer>, StoreError> {
        let s = self.lock()?;
        Ok(s.by_external
            .get(external_id)
            .and_then(|id| s.customers.get(id))
            .cloned())
    }

    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>, StoreError> {
        Ok(self.lock()?.conversations.get(&id).cloned())
    }

    async fn active_conversation(
        &self,
        customer: CustomerId,
    ) -> Result<Option<Conversation>, StoreError> {
        let s = self.lock()?;
        Ok(s.active
            .get(&customer)
            .and_then(|id| s.conversations.get(id))
            .cloned())
    }

    async fn conversations(
        &self,
        query: &ConversationQuery,
    ) -> Result<Vec<Conversation>, StoreError> {
        let s = self.lock()?;
        let words = query.text.as_deref().map(search_words);
        if words.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        let mut found: Vec<&Conversation> = s
            .conversations
            .values()
            .filter(|c| query.matches(c))
            .filter(|c| words.as_ref().is_none_or(|w| s.text_matches(c, w)))
            .collect();
        found.sort_by_key(|c| std::cmp::Reverse(ConversationCursor::of(c)));
        Ok(found.into_iter().take(query.page_size()).cloned().collect())
    }

    async fn inbox(&self, query: &InboxQuery) -> Result<Vec<InboxRecord>, StoreError> {
        let s = self.lock()?;
        let words = query.text.as_deref().map(search_words);
        if words.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        let mut found: Vec<&Conversation> = s
            .conversations
            .values()
            .filter(|c| query.matches(c))
            .filter(|c| s.response_matches(c, query))
            .filter(|c| words.as_ref().is_none_or(|w| s.text_matches(c, w)))
            .collect();
        found.sort_by_key(|c| std::cmp::Reverse(ConversationCursor::of(c)));
        let reader = query.read_by();
        Ok(found
            .into_iter()
            .take(query.store_limit())
            .map(|c| s.inbox_record(c, reader))
            .collect())
    }

    async fn customer_by_phone(&self, phone: &str) -> Result<Option<Customer>, StoreError> {
        let Some(phone) = normalize_phone(phone) else {
            return Ok(None);
        };
        let s = self.lock()?;
        Ok(s.by_phone
            .get(&phone)
            .and_then(|ids| ids.first())
            .and_then(|id| s.customers.get(id))
            .cloned())
    }

    async fn mark_read(
        &self,
        conversation: ConversationId,
        agent: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut s = self.lock()?;
        if !s.conversations.contains_key(&conversation) {
            return Err(StoreError::NotFound {
                entity: "conversation",
                id: conversation.to_string(),
            });
        }
        let mark = s
            .read_marks
            .entry((conversation, agent.to_string()))
            .or_insert(at);
        *mark = (*mark).max(at);
        Ok(())
    }

    async fn due_snoozes(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Conversation>, StoreError> {
        let s = self.lock()?;
        let mut due: Vec<(DateTime<Utc>, &Conversation)> = s
            .active
            .values()
            .filter_map(|id| s.conversations.get(id))
            .filter_map(|c| match c.status {
                ConversationStatus::Snoozed { until } if until <= now => Some((until, c)),
                _ => None,
            })
            .collect();
        due.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        Ok(due
            .into_iter()
            .take(limit)
            .map(|(_, c)| c.clone())
            .collect())
    }

    async fn message(&self, id: MessageId) -> Result<Option<Message>, StoreError> {
        Ok(self.lock()?.messages.get(&id).cloned())
    }

    async fn message_by_rfc_id(&self, rfc_message_id: &str) -> Result<Option<Message>, StoreError> {
        let s = self.lock()?;
        Ok(s.by_rfc
            .get(rfc_message_id)
            .and_then(|id| s.messages.get(id))
            .cloned())
    }

    async fn messages(&self, conversation: ConversationId) -> Result<Vec<Message>, StoreError> {
        let s = self.lock()?;
        Ok(s.thread
            .get(&conversation)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| s.messages.get(id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn seen(&self, key: &DedupeKey) -> Result<Option<Seen>, StoreError> {
        Ok(self
            .lock()?
            .dedupe
            .get(key)
            .map(|message| Seen { message: *message }))
    }

    async fn token(&self, token: &ReplyToken) -> Result<Option<TokenRecord>, StoreError> {
        Ok(self.lock()?.tokens.get(token).cloned())
    }

    async fn timeline(&self, scope: TimelineScope) -> Result<Vec<TimelineEvent>, StoreError> {
        let s = self.lock()?;
        let idx = match scope {
            TimelineScope::Customer(id) => s.events_by_customer.get(&id),
            TimelineScope::Conversation(id) => s.events_by_conversation.get(&id),
        };
        Ok(idx
            .map(|v| v.iter().filter_map(|i| s.events.get(*i)).cloned().collect())
            .unwrap_or_default())
    }

    async fn claim_jobs(
        &self,
        kind: JobKind,
        limit: usize,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<JobLease>, StoreError> {
        let mut s = self.lock()?;
        let mut due: Vec<(DateTime<Utc>, JobId)> = s
            .jobs
            .values()
            .filter(|j| j.kind == kind)
            .filter(|j| match j.state {
                JobState::Queued => j.run_at <= now,
                JobState::Leased { until } => until <= now,
                _ => false,
            })
            .map(|j| (j.run_at, j.id))
            .collect();
        due.sort();
        let mut out = Vec::new();
        for (_, id) in due {
            if out.len() >= limit {
                break;
            }
            if let Some(job) = s.jobs.get_mut(&id)
                && let Some(l) = State::try_claim(job, now, lease)
            {
                out.push(l);
            }
        }
        Ok(out)
    }

    async fn claim_job(
        &self,
        id: JobId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<JobLease>, StoreError> {
        let mut s = self.lock()?;
        Ok(s.jobs
            .get_mut(&id)
            .and_then(|job| State::try_claim(job, now, lease)))
    }

    async fn complete_job(
        &self,
        id: JobId,
        attempt: u32,
        now: DateTime<Utc>,
        commit: Commit,
    ) -> Result<(), StoreError> {
        let mut s = self.lock()?;
        s.leased_job(id, attempt)?;
        // A duplicate means the results were already stored under that key: the job is done.
        let _outcome = s.commit(commit, Some(now))?;
        let job = s.leased_job(id, attempt)?;
        job.state = JobState::Done { at: now };
        Ok(())
    }

    async fn fail_job(
        &self,
        id: JobId,
        attempt: u32,
        error: &str,
        retry: JobRetry,
        now: DateTime<Utc>,
    ) -> Result<JobState, StoreError> {
        let mut s = self.lock()?;
        let job = s.leased_job(id, attempt)?;
        job.last_error = Some(cut_error(error));
        job.state = match retry {
            JobRetry::At(at) => {
                job.run_at = at;
                JobState::Queued
            }
            JobRetry::DeadLetter => JobState::Dead { at: now },
        };
        Ok(job.state.clone())
    }

    async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        Ok(self.lock()?.jobs.get(&id).cloned())
    }

    async fn keep_raw(&self, raw: RawInbound) -> Result<bool, StoreError> {
        let mut s = self.lock()?;
        if s.raw.contains_key(&raw.sha256) {
            return Ok(false);
        }
        s.raw.insert(raw.sha256.clone(), raw);
        Ok(true)
    }

    async fn raw_inbound(&self, sha256: &str) -> Result<Option<RawInbound>, StoreError> {
        Ok(self.lock()?.raw.get(sha256).cloned())
    }

    async fn purge_raw(&self, received_before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut s = self.lock()?;
        let before = s.raw.len();
        s.raw.retain(|_, r| r.received_at >= received_before);
        Ok(u64::try_from(before - s.raw.len()).unwrap_or(u64::MAX))
    }

    async fn dead_letter(&self, letter: DeadLetter) -> Result<bool, StoreError> {
        let mut s = self.lock()?;
        let error = cut_error(&letter.error);
        if let Some(kept) = s.dead_letters.get_mut(&letter.raw.sha256) {
            kept.error = error;
            return Ok(false);
        }
        s.dead_letters.insert(
            letter.raw.sha256.clone(),
            DeadLetter {
                raw: letter.raw,
                error,
            },
        );
        Ok(true)
    }

    async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        let s = self.lock()?;
        let mut all: Vec<&DeadLetter> = s.dead_letters.values().collect();
        all.sort_by(|a, b| {
            (b.raw.received_at, &b.raw.sha256).cmp(&(a.raw.received_at, &a.raw.sha256))
        });
        Ok(all.into_iter().take(limit).cloned().collect())
    }

    async fn remove_dead_letter(&self, sha256: &str) -> Result<bool, StoreError> {
        Ok(self.lock()?.dead_letters.remove(sha256).is_some())
    }
}
