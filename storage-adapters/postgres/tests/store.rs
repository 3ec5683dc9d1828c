//! The PostgreSQL store on its own: migrations, schemas, the database's rules, and what the
//! database does not let through (NUL characters, secrets in errors).

mod common;

use std::collections::BTreeSet;

use common::{conversation, customer, event, job, message, now};
use replytrack::conversation::{ConversationStatus, JobKind, JobState};
use replytrack::ports::{
    Commit, CommitOutcome, Conflict, ConversationQuery, DedupeKey, JobRetry, Store, StoreError,
    TimelineScope, Write,
};
use replytrack_postgres::testing::ScratchSchema;
use replytrack_postgres::{PgError, PgStore, migrate::MIGRATIONS};

fn insert_all(
    c: &replytrack::conversation::Customer,
    v: &replytrack::conversation::Conversation,
    m: &replytrack::conversation::Message,
) -> Commit {
    Commit {
        customers: vec![Write::Insert(c.clone())],
        conversations: vec![Write::Insert(v.clone())],
        messages: vec![Write::Insert(m.clone())],
        events: vec![event(c, v, "hello")],
        ..Commit::default()
    }
}

async fn applied_versions(db: &ScratchSchema) -> Vec<i32> {
    let (client, conn) = tokio_postgres::connect(db.url(), tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(conn);
    client
        .query(
            &format!(
                "SELECT version FROM {}.schema_migrations ORDER BY version",
                db.schema()
            ),
            &[],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

async fn admin(db: &ScratchSchema, sql: &str) {
    let (client, conn) = tokio_postgres::connect(db.url(), tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(conn);
    client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_are_applied_once_even_by_many_instances_starting_together() {
    let Some(db) = ScratchSchema::new("migrate").await else {
        return;
    };
    let starts = (0..6).map(|_| db.another_instance(|b| b.pool_size(1)));
    for started in futures::future::join_all(starts).await {
        started.unwrap_or_else(|e| panic!("{e}"));
    }
    let all: Vec<i32> = MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(applied_versions(&db).await, all);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_migrated_by_a_newer_build_is_refused() {
    let Some(db) = ScratchSchema::new("too_new").await else {
        return;
    };
    admin(
        &db,
        &format!(
            "INSERT INTO {}.schema_migrations (version, name, checksum) VALUES (999, 'future', 'x')",
            db.schema()
        ),
    )
    .await;
    let err = db.another_instance(|b| b).await.err();
    assert!(
        matches!(err, Some(PgError::SchemaTooNew { found: 999, .. })),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migration_changed_after_it_was_applied_is_refused() {
    let Some(db) = ScratchSchema::new("changed").await else {
        return;
    };
    admin(
        &db,
        &format!(
            "UPDATE {}.schema_migrations SET checksum = 'edited' WHERE version = 1",
            db.schema()
        ),
    )
    .await;
    let err = db.another_instance(|b| b).await.err();
    assert!(
        matches!(err, Some(PgError::MigrationChanged { version: 1, .. })),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_in_different_schemas_do_not_see_each_other() {
    let (Some(a), Some(b)) = (
        ScratchSchema::new("tenant_a").await,
        ScratchSchema::new("tenant_b").await,
    ) else {
        return;
    };
    let c = customer("marie@example.fr");
    let v = conversation(&c, "Devis");
    let m = message(&c, &v, "Bonjour");
    a.store()
        .commit(insert_all(&c, &v, &m))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(a.store().customer(c.id).await.ok().flatten().is_some());
    assert_eq!(b.store().customer(c.id).await.ok(), Some(None));
    // The same records fit in the other schema: its unique indexes are its own.
    assert!(matches!(
        b.store().commit(insert_all(&c, &v, &m)).await,
        Ok(CommitOutcome::Applied)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_a_typed_error_that_never_shows_the_password() {
    let err = PgStore::builder("postgres://app:hunter2-secret@127.0.0.1:1/nowhere")
        .unwrap_or_else(|e| panic!("{e}"))
        .connect_timeout(std::time::Duration::from_secs(2))
        .schema("rt_unreachable")
        .build()
        .await
        .err();
    let Some(err) = err else {
        panic!("a server on port 1 answered");
    };
    assert!(matches!(err, PgError::Connect { .. }), "{err:?}");
    let shown = format!("{err} / {err:?}");
    assert!(shown.contains("127.0.0.1:1/nowhere"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let as_store: StoreError = err.into();
    assert!(matches!(as_store, StoreError::Backend(_)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_round_trip_and_versions_count_from_one() {
    let Some(db) = ScratchSchema::new("round_trip").await else {
        return;
    };
    let s = db.store();
    let c = customer("marie@example.fr");
    let mut v = conversation(&c, "Devis Pro");
    v.labels = BTreeSet::from(["vip".to_string()]);
    v.assignee = Some("paul".into());
    let m = message(&c, &v, "Bonjour, un devis ?");
    let out = s.commit(insert_all(&c, &v, &m)).await;
    assert!(matches!(out, Ok(CommitOutcome::Applied)), "{out:?}");
    let stored = s.conversation(v.id).await.ok().flatten();
    assert_eq!(stored.as_ref().map(|x| x.version), Some(1));
    assert_eq!(
        stored.map(|x| (x.labels, x.assignee, x.subject)),
        Some((v.labels.clone(), v.assignee.clone(), v.subject.clone()))
    );
    let mut expected = m.clone();
    expected.version = 1;
    assert_eq!(s.message(m.id).await.ok().flatten(), Some(expected.clone()));
    assert_eq!(
        s.message_by_rfc_id(m.rfc_message_id.as_deref().unwrap_or(""))
            .await
            .ok()
            .flatten()
            .map(|x| x.id),
        Some(m.id)
    );
    assert_eq!(s.messages(v.id).await.ok(), Some(vec![expected]));
    assert_eq!(
        s.customer_by_email(" Marie@Example.FR ")
            .await
            .ok()
            .flatten()
            .map(|x| x.id),
        Some(c.id)
    );
    let mut resolved = v.clone();
    resolved.version = 1;
    resolved.status = ConversationStatus::Resolved;
    let out = s
        .commit(Commit {
            conversations: vec![Write::update(resolved, 1)],
            ..Commit::default()
        })
        .await;
    assert!(out.is_ok(), "{out:?}");
    let listed = s
        .conversations(&ConversationQuery {
            status: Some("resolved".into()),
            label: Some("vip".into()),
            ..ConversationQuery::default()
        })
        .await
        .unwrap_or_default();
    assert_eq!(
        listed.iter().map(|x| (x.id, x.version)).collect::<Vec<_>>(),
        vec![(v.id, 2)]
    );
    assert_eq!(s.active_conversation(c.id).await.ok(), Some(None));
    let timeline = s
        .timeline(TimelineScope::Customer(c.id))
        .await
        .unwrap_or_default();
    assert_eq!(timeline.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_rules_come_back_as_conflicts_with_nothing_written() {
    let Some(db) = ScratchSchema::new("conflicts").await else {
        return;
    };
    let s = db.store();
    let c = customer("marie@example.fr");
    let v = conversation(&c, "Devis");
    let m = message(&c, &v, "Bonjour");
    assert!(s.commit(insert_all(&c, &v, &m)).await.is_ok());

    // Someone else with Marie's address.
    let other = customer("MARIE@example.fr");
    let err = s
        .commit(Commit {
            customers: vec![Write::Insert(other.clone())],
            ..Commit::default()
        })
        .await;
    assert!(
        matches!(&err, Err(StoreError::Conflict(Conflict::EmailTaken { customer, .. })) if *customer == c.id),
        "{err:?}"
    );
    assert_eq!(s.customer(other.id).await.ok(), Some(None));

    // A second open conversation for Marie, in a commit that also stores a message first.
    let second = conversation(&c, "Autre");
    let m2 = message(&c, &second, "Encore");
    let err = s
        .commit(Commit {
            dedupe_key: Some(DedupeKey::new("mid:second")),
            conversations: vec![Write::Insert(second.clone())],
            messages: vec![Write::Insert(m2.clone())],
            ..Commit::default()
        })
        .await;
    assert!(
        matches!(&err, Err(StoreError::Conflict(Conflict::ActiveConversation { existing, .. })) if *existing == v.id),
        "{err:?}"
    );
    assert_eq!(s.message(m2.id).await.ok(), Some(None));
    assert_eq!(s.seen(&DedupeKey::new("mid:second")).await.ok(), Some(None));

    // A stale update.
    let mut stale = v.clone();
    stale.subject = Some("changed".into());
    let ok = s
        .commit(Commit {
            conversations: vec![Write::update(stale.clone(), 1)],
            ..Commit::default()
        })
        .await;
    assert!(ok.is_ok(), "{ok:?}");
    let err = s
        .commit(Commit {
            conversations: vec![Write::update(stale, 1)],
            ..Commit::default()
        })
        .await;
    assert!(
        matches!(
            &err,
            Err(StoreError::Conflict(Conflict::Version {
                expected: 1,
                found: 2,
                ..
            }))
        ),
        "{err:?}"
    );

    // An update of nothing.
    let ghost = customer("ghost@example.fr");
    let err = s
        .commit(Commit {
            customers: vec![Write::update(ghost, 3)],
            ..Commit::default()
        })
        .await;
    assert!(
        matches!(
            &err,
            Err(StoreError::NotFound {
                entity: "customer",
                ..
            })
        ),
        "{err:?}"
    );

    // The same message id again.
    let err = s
        .commit(Commit {
            messages: vec![Write::Insert(m.clone())],
            ..Commit::default()
        })
        .await;
    assert!(
        matches!(
            &err,
            Err(StoreError::Conflict(Conflict::IdTaken {
                entity: "message",
                ..
            }))
        ),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_dedupe_key_is_a_duplicate_naming_the_first_message() {
    let Some(db) = ScratchSchema::new("dedupe").await else {
        return;
    };
    let s = db.store();
    let c = customer("marie@example.fr");
    let v = conversation(&c, "Devis");
    let m = message(&c, &v, "Bonjour");
    let key = DedupeKey::new("mid:abc@example.fr");
    let mut first = insert_all(&c, &v, &m);
    first.dedupe_key = Some(key.clone());
    assert!(matches!(s.commit(first).await, Ok(CommitOutcome::Applied)));
    let again = Commit {
        dedupe_key: Some(key.clone()),
        messages: vec![Write::Insert(message(&c, &v, "copy"))],
        ..Commit::default()
    };
    assert_eq!(
        s.commit(again).await.ok(),
        Some(CommitOutcome::Duplicate {
            existing: Some(m.id)
        })
    );
    assert_eq!(
        s.seen(&key).await.ok().flatten().and_then(|x| x.message),
        Some(m.id)
    );
    assert_eq!(s.messages(v.id).await.map(|x| x.len()).ok(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_from_an_email_are_stored_and_read_back() {
    let Some(db) = ScratchSchema::new("nul").await else {
        return;
    };
    let s = db.store();
    let c = customer("marie@example.fr");
    let v = conversation(&c, "Sujet\0bizarre");
    let mut m = message(&c, &v, "Bonjour\0 le monde");
    m.rfc_message_id = Some("odd\0id@example.fr".into());
    let mut commit = insert_all(&c, &v, &m);
    commit.dedupe_key = Some(DedupeKey::new("mid:odd\0id@example.fr"));
    let out = s.commit(commit).await;
    assert!(matches!(out, Ok(CommitOutcome::Applied)), "{out:?}");
    let back = s.message(m.id).await.ok().flatten();
    assert_eq!(back.map(|x| x.body), Some("Bonjour\0 le monde".to_string()));
    assert_eq!(
        s.message_by_rfc_id("odd\0id@example.fr")
            .await
            .ok()
            .flatten()
            .map(|x| x.id),
        Some(m.id)
    );
    assert!(
        s.seen(&DedupeKey::new("mid:odd\0id@example.fr"))
            .await
            .ok()
            .flatten()
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_are_leased_fenced_retried_and_dead_lettered() {
    let Some(db) = ScratchSchema::new("jobs").await else {
        return;
    };
    let s = db.store();
    let c = customer("marie@example.fr");
    let v = conversation(&c, "Devis");
    let m = message(&c, &v, "Bonjour");
    let j = job(JobKind::Forward, m.id, 2);
    let mut commit = insert_all(&c, &v, &m);
    commit.jobs = vec![j.clone()];
    assert!(s.commit(commit).await.is_ok());
    let lease = chrono::Duration::seconds(60);

    let first = s
        .claim_jobs(JobKind::Forward, 10, now(), lease)
        .await
        .unwrap_or_default();
    assert_eq!(
        first
            .iter()
            .map(|l| (l.job.id, l.attempt()))
            .collect::<Vec<_>>(),
        vec![(j.id, 1)]
    );
    assert!(
        s.claim_jobs(JobKind::Forward, 10, now(), lease)
            .await
            .unwrap_or_default()
            .is_empty(),
        "a leased job is not claimed twice"
    );
    assert!(
        s.claim_jobs(JobKind::Analysis, 10, now(), lease)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    let retry_at = now() + chrono::Duration::seconds(30);
    let state = s
        .fail_job(j.id, 1, "smtp 451", JobRetry::At(retry_at), now())
        .await;
    assert_eq!(state.ok(), Some(JobState::Queued));
    assert!(
        s.claim_job(j.id, now(), lease)
            .await
            .ok()
            .flatten()
            .is_none(),
        "not due before its retry time"
    );
    let second = s
        .claim_job(j.id, retry_at, lease)
        .await
        .ok()
        .flatten()
        .map(|l| l.attempt());
    assert_eq!(second, Some(2));
    // The first worker's attempt is fenced off.
    let late = s.complete_job(j.id, 1, retry_at, Commit::default()).await;
    assert!(
        matches!(late, Err(StoreError::LeaseLost { attempt: 1, .. })),
        "{late:?}"
    );
    // The second lease runs out; its attempts are spent, so the next claim dead-letters it.
    let after = retry_at + lease + chrono::Duration::seconds(1);
    assert!(
        s.claim_jobs(JobKind::Forward, 10, after, lease)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    let dead = s.job(j.id).await.ok().flatten();
    assert_eq!(
        dead.as_ref().map(|x| x.state.clone()),
        Some(JobState::Dead { at: after })
    );
    assert_eq!(
        dead.and_then(|x| x.last_error),
        Some("smtp 451".to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_a_job_writes_its_results_in_the_same_transaction() {
    let Some(db) = ScratchSchema::new("complete").await else {
        return;
    };
    let s = db.store();
    let c = customer("marie@example.fr");
    let v = conversation(&c, "Devis");
    let m = message(&c, &v, "Bonjour");
    let j = job(JobKind::Analysis, m.id, 3);
    let mut commit = insert_all(&c, &v, &m);
    commit.jobs = vec![j.clone()];
    assert!(s.commit(commit).await.is_ok());
    let lease = chrono::Duration::seconds(60);
    let l = s.claim_job(j.id, now(), lease).await.ok().flatten();
    assert_eq!(l.map(|l| l.attempt()), Some(1));
    // A result that breaks a rule: the job stays leased and nothing is written.
    let bad = Commit {
        messages: vec![Write::Insert(m.clone())],
        events: vec![event(&c, &v, "analysed")],
        ..Commit::default()
    };
    let err = s.complete_job(j.id, 1, now(), bad).await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    assert!(matches!(
        s.job(j.id).await.ok().flatten().map(|x| x.state),
        Some(JobState::Leased { .. })
    ));
    let good = Commit {
        events: vec![event(&c, &v, "analysed")],
        ..Commit::default()
    };
    let done = s.complete_job(j.id, 1, now(), good).await;
    assert!(done.is_ok(), "{done:?}");
    assert_eq!(
        s.job(j.id).await.ok().flatten().map(|x| x.state),
        Some(JobState::Done { at: now() })
    );
    assert_eq!(
        s.timeline(TimelineScope::Conversation(v.id))
            .await
            .map(|t| t.len())
            .ok(),
        Some(2)
    );
}
