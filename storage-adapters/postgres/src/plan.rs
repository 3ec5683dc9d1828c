//! A commit as the statements that write it, in the contract's order, each with its parameters
//! and what its row count means.
//!
//! The statements are sent pipelined with the transaction's `BEGIN` and `COMMIT` (see
//! [`crate::pipeline`]), so a commit costs one round trip whatever its size. A statement whose
//! row count matters (the dedupe key is new, a versioned update matched its row, the job is still
//! leased to this attempt) checks it with `require_rows`, which aborts the transaction, so the
//! `COMMIT` that follows rolls it back.

use chrono::{DateTime, Utc};
use replytrack::analysis::ResponseType;
use replytrack::conversation::{Conversation, Customer, Direction, JobId, Message, TimelineEvent};
use replytrack::inbox::whatsapp::normalize_phone;
use replytrack::ports::{Commit, Write};
use tokio_postgres::types::{Json, ToSql};
use uuid::Uuid;

use crate::codec::{
    AsUuid, activity, channel_name, db_version, index_words, opt_text, priority_name, snooze_until,
    status_name, text, version,
};

/// A parameter value, owned by its step.
pub(crate) type Param = Box<dyn ToSql + Sync + Send>;

/// What it means when a step's `require_rows` check fails (SQLSTATE `RT409`).
#[derive(Debug, Clone)]
pub(crate) enum Check {
    /// Nothing to check.
    None,
    /// The dedupe key was already stored.
    Dedupe,
    /// A versioned update matched no row: the record is missing or at another version.
    Updated {
        /// `customer`, `conversation` or `message`.
        entity: &'static str,
        /// `SELECT version FROM … WHERE id = $1` for that entity.
        version_sql: &'static str,
        /// The record's id.
        id: Uuid,
        /// The record's id as shown in errors.
        shown: String,
        /// The version the writer read.
        expected: i64,
    },
    /// The fence of a job completion matched no row: the lease was lost (or there is no job).
    Fence {
        /// The job.
        id: JobId,
        /// The attempt that must still hold it.
        attempt: u32,
    },
}

/// One statement of a commit.
pub(crate) struct Step {
    /// Its SQL (prepared and cached per connection).
    pub sql: &'static str,
    /// Its parameters.
    pub params: Vec<Param>,
    /// What the store was doing, for errors.
    pub operation: &'static str,
    /// What a failed check means.
    pub check: Check,
}

impl Step {
    fn new(sql: &'static str, operation: &'static str, params: Vec<Param>) -> Self {
        Self {
            sql,
            params,
            operation,
            check: Check::None,
        }
    }

    fn checked(mut self, check: Check) -> Self {
        self.check = check;
        self
    }
}

fn owned(s: &str) -> String {
    text(s).into_owned()
}

fn owned_opt(s: Option<&str>) -> Option<String> {
    opt_text(s).map(std::borrow::Cow::into_owned)
}

/// The stored version after a write, and the version an update expects.
fn versions<T>(w: &Write<T>) -> (i64, Option<i64>) {
    match w {
        Write::Insert(_) => (1, None),
        Write::Update {
            expected_version, ..
        } => (
            db_version(expected_version.saturating_add(1)),
            Some(db_version(*expected_version)),
        ),
    }
}

const FINISH_JOB: &str = "WITH f AS (UPDATE jobs SET state = 'done', finished_at = $2, \
                          lease_until = NULL WHERE id = $1 AND attempts = $3 AND state = 'leased' \
                          RETURNING 1) SELECT require_rows(count(*), 'lease lost') FROM f";

/// The step that finishes a leased job, first in a completion: it takes the job's row lock and
/// checks the attempt number in one statement.
pub(crate) fn finish_job(id: JobId, attempt: u32, now: DateTime<Utc>) -> Step {
    Step::new(
        FINISH_JOB,
        "finish the job",
        vec![
            Box::new(id.uuid()),
            Box::new(now),
            Box::new(i64::from(attempt)),
        ],
    )
    .checked(Check::Fence { id, attempt })
}

const INSERT_DEDUPE: &str = "WITH d AS (INSERT INTO dedupe_keys (key, message_id, created_at) \
     VALUES ($1, $2, COALESCE($3::timestamptz, now())) ON CONFLICT (key) DO NOTHING RETURNING 1) \
     SELECT require_rows(count(*), 'duplicate') FROM d";

/// Every write of a commit, in the contract's order.
pub(crate) fn steps(c: &Commit, now: Option<DateTime<Utc>>) -> Vec<Step> {
    let mut out = Vec::new();
    if let Some(key) = &c.dedupe_key {
        let first_message = c.messages.iter().find_map(|w| match w {
            Write::Insert(m) => Some(m.id.uuid()),
            Write::Update { .. } => None,
        });
        out.push(
            Step::new(
                INSERT_DEDUPE,
                "insert the dedupe key",
                vec![
                    Box::new(owned(key.as_str())),
                    Box::new(first_message),
                    Box::new(now),
                ],
            )
            .checked(Check::Dedupe),
        );
    }
    for w in &c.customers {
        customer(&mut out, w);
    }
    for w in &c.conversations {
        out.push(conversation(w));
    }
    // Runs of inserts go in one multi-row statement (a seed or an import writes thousands).
    let mut run: Vec<&Message> = Vec::new();
    for w in &c.messages {
        match w {
            Write::Insert(m) => run.push(m),
            Write::Update { .. } => {
                if !run.is_empty() {
                    out.push(insert_messages(&std::mem::take(&mut run)));
                }
                out.push(update_message(w));
            }
        }
    }
    if !run.is_empty() {
        out.push(insert_messages(&run));
    }
    for t in &c.tokens {
        out.push(Step::new(
            "INSERT INTO tokens (token, customer_id, conversation_id, message_id, expires_at, doc) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            "insert a token record",
            vec![
                Box::new(t.token.to_string()),
                Box::new(t.customer.uuid()),
                Box::new(t.conversation.map(AsUuid::uuid)),
                Box::new(t.message.uuid()),
                Box::new(t.expires_at),
                Box::new(Json(t.clone())),
            ],
        ));
    }
    if !c.events.is_empty() {
        out.push(events(&c.events));
    }
    if !c.jobs.is_empty() {
        out.push(jobs(c, now));
    }
    out
}

fn customer(out: &mut Vec<Step>, w: &Write<Customer>) {
    let (new_version, expected) = versions(w);
    let mut r = w.record().clone();
    r.version = version(new_version);
    let id = r.id.uuid();
    let external = owned_opt(r.external_id.as_deref());
    let addresses: Vec<String> = r.emails.iter().map(|e| owned(&e.address)).collect();
    let shown = r.id.to_string();
    let created = r.created_at;
    let phone = r.phone.as_deref().and_then(normalize_phone);
    match expected {
        None => out.push(Step::new(
            "INSERT INTO customers (id, external_id, version, created_at, doc, phone) \
             VALUES ($1, $2, 1, $3, $4, $5)",
            "insert a customer",
            vec![
                Box::new(id),
                Box::new(external),
                Box::new(created),
                Box::new(Json(r)),
                Box::new(phone),
            ],
        )),
        Some(expected) => {
            out.push(
                Step::new(
                    "WITH u AS (UPDATE customers SET external_id = $2, created_at = $3, doc = $4, \
                     phone = $6, version = version + 1 WHERE id = $1 AND version = $5 \
                     RETURNING 1) \
                     SELECT require_rows(count(*), 'stale') FROM u",
                    "update a customer",
                    vec![
                        Box::new(id),
                        Box::new(external),
                        Box::new(created),
                        Box::new(Json(r)),
                        Box::new(expected),
                        Box::new(phone),
                    ],
                )
                .checked(Check::Updated {
                    entity: "customer",
                    version_sql: "SELECT version FROM customers WHERE id = $1",
                    id,
                    shown,
                    expected,
                }),
            );
            out.push(Step::new(
                "DELETE FROM customer_emails WHERE customer_id = $1 AND NOT (address = ANY($2))",
                "release a customer's addresses",
                vec![Box::new(id), Box::new(addresses.clone())],
            ));
        }
    }
    if !addresses.is_empty() {
        out.push(Step::new(
            "INSERT INTO customer_emails (address, customer_id) \
             SELECT DISTINCT a, $2::uuid FROM unnest($1::text[]) AS a \
             WHERE NOT EXISTS \
               (SELECT 1 FROM customer_emails e WHERE e.address = a AND e.customer_id = $2)",
            "claim a customer's addresses",
            vec![Box::new(addresses), Box::new(id)],
        ));
    }
}

fn conversation(w: &Write<Conversation>) -> Step {
    let (new_version, expected) = versions(w);
    let mut r = w.record().clone();
    r.version = version(new_version);
    let id = r.id.uuid();
    let shown = r.id.to_string();
    let mut params: Vec<Param> = vec![
        Box::new(id),
        Box::new(r.customer.uuid()),
        Box::new(status_name(&r.status)),
        Box::new(snooze_until(&r.status)),
        Box::new(channel_name(r.channel)),
        Box::new(owned_opt(r.assignee.as_deref())),
        Box::new(owned_opt(r.team.as_deref())),
        Box::new(r.labels.iter().map(|l| owned(l)).collect::<Vec<String>>()),
        Box::new(priority_name(r.priority)),
        Box::new(activity(&r)),
        Box::new(r.created_at),
        Box::new(index_words(&[r.subject.as_deref()])),
    ];
    params.push(Box::new(Json(r)));
    match expected {
        None => Step::new(
            "INSERT INTO conversations (id, customer_id, status, snooze_until, channel, \
             assignee, team, labels, priority, activity_at, created_at, version, search, doc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, \
             array_to_tsvector($12::text[]), $13)",
            "insert a conversation",
            params,
        ),
        Some(expected) => {
            params.push(Box::new(expected));
            Step::new(
                "WITH u AS (UPDATE conversations SET customer_id = $2, status = $3, \
                 snooze_until = $4, channel = $5, assignee = $6, team = $7, labels = $8, \
                 priority = $9, activity_at = $10, created_at = $11, \
                 search = array_to_tsvector($12::text[]), doc = $13, version = version + 1 \
                 WHERE id = $1 AND version = $14 RETURNING 1) \
                 SELECT require_rows(count(*), 'stale') FROM u",
                "update a conversation",
                params,
            )
            .checked(Check::Updated {
                entity: "conversation",
                version_sql: "SELECT version FROM conversations WHERE id = $1",
                id,
                shown,
                expected,
            })
        }
    }
}

/// The `response_type` column: the analysed response type's serde name.
pub(crate) fn response_type_name(r: ResponseType) -> &'static str {
    match r {
        ResponseType::Standard => "standard",
        ResponseType::HighValue => "high_value",
        ResponseType::NeedsAttention => "needs_attention",
    }
}

/// The `direction` column.
pub(crate) fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Outbound => "outbound",
        Direction::Inbound => "inbound",
        Direction::ManualLog => "manual_log",
        Direction::Note => "note",
    }
}

/// Messages inserted in one statement, stored in the order given.
fn insert_messages(messages: &[&Message]) -> Step {
    let stored: Vec<Message> = messages
        .iter()
        .map(|m| {
            let mut r = (*m).clone();
            r.version = 1;
            r
        })
        .collect();
    Step::new(
        "INSERT INTO messages (id, customer_id, conversation_id, direction, rfc_message_id, \
         created_at, version, search, doc, response_type) \
         SELECT id, customer_id, conversation_id, direction, rfc_message_id, created_at, 1, \
                array_to_tsvector(string_to_array(words, ' ')), doc, response_type \
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], \
                     $6::timestamptz[], $7::text[], $8::json[], $9::text[]) WITH ORDINALITY \
              AS m(id, customer_id, conversation_id, direction, rfc_message_id, created_at, \
                   words, doc, response_type, n) \
         ORDER BY n",
        "insert messages",
        vec![
            Box::new(stored.iter().map(|m| m.id.uuid()).collect::<Vec<_>>()),
            Box::new(stored.iter().map(|m| m.customer.uuid()).collect::<Vec<_>>()),
            Box::new(
                stored
                    .iter()
                    .map(|m| m.conversation.map(AsUuid::uuid))
                    .collect::<Vec<_>>(),
            ),
            Box::new(
                stored
                    .iter()
                    .map(|m| direction_name(m.direction))
                    .collect::<Vec<_>>(),
            ),
            Box::new(
                stored
                    .iter()
                    .map(|m| owned_opt(m.rfc_message_id.as_deref()))
                    .collect::<Vec<_>>(),
            ),
            Box::new(stored.iter().map(|m| m.created_at).collect::<Vec<_>>()),
            // Words are runs of letters and digits: a space never occurs inside one.
            Box::new(
                stored
                    .iter()
                    .map(|m| index_words(&[m.subject.as_deref(), Some(&m.body)]).join(" "))
                    .collect::<Vec<_>>(),
            ),
            Box::new(stored.iter().cloned().map(Json).collect::<Vec<_>>()),
            Box::new(
                stored
                    .iter()
                    .map(|m| {
                        m.analysis
                            .as_ref()
                            .map(|a| response_type_name(a.response_type))
                    })
                    .collect::<Vec<_>>(),
            ),
        ],
    )
}

fn update_message(w: &Write<Message>) -> Step {
    let (new_version, expected) = versions(w);
    let expected = expected.unwrap_or(0);
    let mut r = w.record().clone();
    r.version = version(new_version);
    let id = r.id.uuid();
    let shown = r.id.to_string();
    let mut params: Vec<Param> = vec![
        Box::new(id),
        Box::new(r.customer.uuid()),
        Box::new(r.conversation.map(AsUuid::uuid)),
        Box::new(direction_name(r.direction)),
        Box::new(owned_opt(r.rfc_message_id.as_deref())),
        Box::new(r.created_at),
        Box::new(index_words(&[r.subject.as_deref(), Some(&r.body)])),
    ];
    let response = r
        .analysis
        .as_ref()
        .map(|a| response_type_name(a.response_type));
    params.push(Box::new(Json(r)));
    params.push(Box::new(expected));
    params.push(Box::new(response));
    Step::new(
        "WITH u AS (UPDATE messages SET customer_id = $2, \
         seq = CASE WHEN conversation_id IS DISTINCT FROM $3 \
               THEN nextval('message_seq') ELSE seq END, \
         conversation_id = $3, direction = $4, rfc_message_id = $5, created_at = $6, \
         search = array_to_tsvector($7::text[]), doc = $8, response_type = $10, \
         version = version + 1 \
         WHERE id = $1 AND version = $9 RETURNING 1) \
         SELECT require_rows(count(*), 'stale') FROM u",
        "update a message",
        params,
    )
    .checked(Check::Updated {
        entity: "message",
        version_sql: "SELECT version FROM messages WHERE id = $1",
        id,
        shown,
        expected,
    })
}

fn events(events: &[TimelineEvent]) -> Step {
    Step::new(
        "INSERT INTO events (id, customer_id, conversation_id, message_id, at, kind, doc) \
         SELECT id, customer_id, conversation_id, message_id, at, kind, doc \
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], \
                     $6::text[], $7::json[]) \
              WITH ORDINALITY AS e(id, customer_id, conversation_id, message_id, at, kind, doc, n) \
         ORDER BY n",
        "insert timeline events",
        vec![
            Box::new(events.iter().map(|e| e.id.uuid()).collect::<Vec<_>>()),
            Box::new(events.iter().map(|e| e.customer.uuid()).collect::<Vec<_>>()),
            Box::new(
                events
                    .iter()
                    .map(|e| e.conversation.map(AsUuid::uuid))
                    .collect::<Vec<_>>(),
            ),
            Box::new(
                events
                    .iter()
                    .map(|e| e.message.map(AsUuid::uuid))
                    .collect::<Vec<_>>(),
            ),
            Box::new(events.iter().map(|e| e.at).collect::<Vec<_>>()),
            Box::new(events.iter().map(|e| e.kind.name()).collect::<Vec<_>>()),
            Box::new(events.iter().cloned().map(Json).collect::<Vec<_>>()),
        ],
    )
}

fn jobs(c: &Commit, now: Option<DateTime<Utc>>) -> Step {
    Step::new(
        "INSERT INTO jobs (id, kind, message_id, state, attempts, max_attempts, run_at, created_at) \
         SELECT id, kind, message_id, 'queued', 0, max_attempts, run_at, \
                COALESCE($6::timestamptz, run_at) \
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::timestamptz[]) \
              AS j(id, kind, message_id, max_attempts, run_at)",
        "enqueue jobs",
        vec![
            Box::new(c.jobs.iter().map(|j| j.id.uuid()).collect::<Vec<_>>()),
            Box::new(c.jobs.iter().map(|j| j.kind.name()).collect::<Vec<_>>()),
            Box::new(c.jobs.iter().map(|j| j.message.uuid()).collect::<Vec<_>>()),
            Box::new(
                c.jobs
                    .iter()
                    .map(|j| i64::from(j.max_attempts))
                    .collect::<Vec<_>>(),
            ),
            Box::new(c.jobs.iter().map(|j| j.run_at).collect::<Vec<_>>()),
            Box::new(now),
        ],
    )
}
