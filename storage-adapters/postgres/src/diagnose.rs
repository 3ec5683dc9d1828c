//! After a unique index refused a commit: which record is in the way.
//!
//! Runs on the same connection after the rollback, reading committed rows, and walks the commit
//! in the order the contract checks it (customers, conversations with the one-active rule staged
//! over the commit's own writes, messages, tokens, jobs, events). `None` means nothing is in the
//! way any more: the other writer rolled back, and the commit is worth retrying.

use std::collections::HashMap;

use deadpool_postgres::Object;
use replytrack::conversation::{ConversationId, CustomerId};
use replytrack::ports::{Commit, Conflict, StoreError, Write};
use uuid::Uuid;

use crate::codec::{AsUuid, db_version, text, version};
use crate::error::backend;

async fn one_uuid(client: &Object, sql: &str, key: &str) -> Result<Option<Uuid>, StoreError> {
    let stmt = client
        .prepare_cached(sql)
        .await
        .map_err(backend("prepare"))?;
    let row = client
        .query_opt(&stmt, &[&key])
        .await
        .map_err(backend("look up a conflicting record"))?;
    row.map(|r| r.try_get::<_, Uuid>(0))
        .transpose()
        .map_err(backend("look up a conflicting record"))
}

async fn exists(client: &Object, sql: &str, id: Uuid) -> Result<Option<i64>, StoreError> {
    let stmt = client
        .prepare_cached(sql)
        .await
        .map_err(backend("prepare"))?;
    let row = client
        .query_opt(&stmt, &[&id])
        .await
        .map_err(backend("look up a conflicting record"))?;
    row.map(|r| r.try_get::<_, i64>(0))
        .transpose()
        .map_err(backend("look up a conflicting record"))
}

/// Insert of an existing id, or update at a stale version.
fn id_or_version<T>(
    w: &Write<T>,
    entity: &'static str,
    shown: String,
    stored: Option<i64>,
) -> Option<StoreError> {
    match (w, stored) {
        (Write::Insert(_), Some(_)) => Some(Conflict::IdTaken { entity, id: shown }.into()),
        (Write::Update { .. }, None) => Some(StoreError::NotFound { entity, id: shown }),
        (
            Write::Update {
                expected_version, ..
            },
            Some(found),
        ) if found != db_version(*expected_version) => Some(
            Conflict::Version {
                entity,
                id: shown,
                expected: *expected_version,
                found: version(found),
            }
            .into(),
        ),
        _ => None,
    }
}

/// The first rule the commit breaks against what is stored now, if any.
pub(crate) async fn diagnose(
    client: &Object,
    c: &Commit,
) -> Result<Option<StoreError>, StoreError> {
    for w in &c.customers {
        let r = w.record();
        let stored = exists(
            client,
            "SELECT version FROM customers WHERE id = $1",
            r.id.uuid(),
        )
        .await?;
        if let Some(e) = id_or_version(w, "customer", r.id.to_string(), stored) {
            return Ok(Some(e));
        }
        for e in &r.emails {
            let owner = one_uuid(
                client,
                "SELECT customer_id FROM customer_emails WHERE address = $1",
                &text(&e.address),
            )
            .await?;
            if let Some(owner) = owner
                && owner != r.id.uuid()
            {
                return Ok(Some(
                    Conflict::EmailTaken {
                        address: e.address.clone(),
                        customer: CustomerId::from_u128(owner.as_u128()),
                    }
                    .into(),
                ));
            }
        }
        if let Some(ext) = &r.external_id {
            let owner = one_uuid(
                client,
                "SELECT id FROM customers WHERE external_id = $1",
                &text(ext),
            )
            .await?;
            if let Some(owner) = owner
                && owner != r.id.uuid()
            {
                return Ok(Some(
                    Conflict::ExternalIdTaken {
                        external_id: ext.clone(),
                        customer: CustomerId::from_u128(owner.as_u128()),
                    }
                    .into(),
                ));
            }
        }
    }
    let mut staged: HashMap<CustomerId, Option<ConversationId>> = HashMap::new();
    for w in &c.conversations {
        let r = w.record();
        let stored = exists(
            client,
            "SELECT version FROM conversations WHERE id = $1",
            r.id.uuid(),
        )
        .await?;
        if let Some(e) = id_or_version(w, "conversation", r.id.to_string(), stored) {
            return Ok(Some(e));
        }
        let current = match staged.get(&r.customer) {
            Some(s) => *s,
            None => {
                let stmt = client
                    .prepare_cached(
                        "SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'",
                    )
                    .await
                    .map_err(backend("prepare"))?;
                let row = client
                    .query_opt(&stmt, &[&r.customer.uuid()])
                    .await
                    .map_err(backend("look up the active conversation"))?;
                row.map(|row| row.try_get::<_, Uuid>(0))
                    .transpose()
                    .map_err(backend("look up the active conversation"))?
                    .map(|u| ConversationId::from_u128(u.as_u128()))
            }
        };
        if r.status.is_active() {
            if let Some(existing) = current
                && existing != r.id
            {
                return Ok(Some(
                    Conflict::ActiveConversation {
                        customer: r.customer,
                        existing,
                    }
                    .into(),
                ));
            }
            staged.insert(r.customer, Some(r.id));
        } else if current == Some(r.id) {
            staged.insert(r.customer, None);
        } else {
            staged.insert(r.customer, current);
        }
    }
    for w in &c.messages {
        let r = w.record();
        let stored = exists(
            client,
            "SELECT version FROM messages WHERE id = $1",
            r.id.uuid(),
        )
        .await?;
        if let Some(e) = id_or_version(w, "message", r.id.to_string(), stored) {
            return Ok(Some(e));
        }
    }
    for t in &c.tokens {
        let stmt = client
            .prepare_cached("SELECT 1 FROM tokens WHERE token = $1")
            .await
            .map_err(backend("prepare"))?;
        let row = client
            .query_opt(&stmt, &[&t.token.to_string()])
            .await
            .map_err(backend("look up a token"))?;
        if row.is_some() {
            return Ok(Some(Conflict::TokenTaken(t.token).into()));
        }
    }
    for j in &c.jobs {
        if exists(
            client,
            "SELECT 1::bigint FROM jobs WHERE id = $1",
            j.id.uuid(),
        )
        .await?
        .is_some()
        {
            return Ok(Some(
                Conflict::IdTaken {
                    entity: "job",
                    id: j.id.to_string(),
                }
                .into(),
            ));
        }
    }
    for e in &c.events {
        if exists(
            client,
            "SELECT 1::bigint FROM events WHERE id = $1",
            e.id.uuid(),
        )
        .await?
        .is_some()
        {
            return Ok(Some(
                Conflict::IdTaken {
                    entity: "event",
                    id: e.id.to_string(),
                }
                .into(),
            ));
        }
    }
    Ok(None)
}
