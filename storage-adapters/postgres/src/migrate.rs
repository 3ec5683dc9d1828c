//! Versioned migrations, embedded in the crate and applied when a store is built.
//!
//! `schema_migrations` records each applied migration with the SHA-256 of its text. Everything
//! runs in one transaction holding an advisory lock derived from the schema name, so instances
//! starting at once apply each migration exactly once and the rest wait, then find nothing to
//! do. A migration that changed after it was applied, or a schema migrated by a newer build, is
//! refused rather than guessed at.

use sha2::{Digest, Sha256};
use tokio_postgres::Client;

use crate::error::PgError;

/// One embedded migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number, from 1, without gaps.
    pub version: i32,
    /// Its file name.
    pub name: &'static str,
    /// Its SQL.
    pub sql: &'static str,
}

impl Migration {
    /// The SHA-256 of its text, hex.
    pub fn checksum(&self) -> String {
        hex::encode(Sha256::digest(self.sql.as_bytes()))
    }
}

/// The migrations this build applies, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_init.sql",
        sql: include_str!("../migrations/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "0002_raw_and_dead_letters.sql",
        sql: include_str!("../migrations/0002_raw_and_dead_letters.sql"),
    },
    Migration {
        version: 3,
        name: "0003_inbox.sql",
        sql: include_str!("../migrations/0003_inbox.sql"),
    },
];

/// The advisory-lock key for migrating `schema`: the first 8 bytes of a SHA-256, so every build
/// and every instance computes the same one.
fn lock_key(schema: &str) -> i64 {
    let digest = Sha256::digest(format!("replytrack-postgres migrate {schema}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// Create `schema` if needed and apply the pending migrations. Returns the versions applied now.
///
/// `schema` must already be validated (a plain identifier): it is written into the SQL.
pub(crate) async fn run(client: &mut Client, schema: &str) -> Result<Vec<i32>, PgError> {
    let step = |operation: &'static str| move |e| PgError::query(operation, e);
    let tx = client
        .transaction()
        .await
        .map_err(step("begin migration"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock_key(schema)])
        .await
        .map_err(step("take the migration lock"))?;
    tx.batch_execute(&format!(
        "CREATE SCHEMA IF NOT EXISTS {schema};
         CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
             version    integer     PRIMARY KEY,
             name       text        NOT NULL,
             checksum   text        NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         );"
    ))
    .await
    .map_err(step("create the schema_migrations table"))?;
    let applied = tx
        .query(
            &format!("SELECT version, checksum FROM {schema}.schema_migrations ORDER BY version"),
            &[],
        )
        .await
        .map_err(step("read schema_migrations"))?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    let mut done = Vec::new();
    for row in &applied {
        let version: i32 = row.try_get(0).map_err(step("read schema_migrations"))?;
        let checksum: String = row.try_get(1).map_err(step("read schema_migrations"))?;
        match MIGRATIONS.iter().find(|m| m.version == version) {
            None => {
                return Err(PgError::SchemaTooNew {
                    schema: schema.to_string(),
                    found: version,
                    known,
                });
            }
            Some(m) if m.checksum() != checksum => {
                return Err(PgError::MigrationChanged {
                    version,
                    name: m.name,
                    applied: checksum,
                    embedded: m.checksum(),
                });
            }
            Some(_) => done.push(version),
        }
    }
    let mut now_applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        tx.batch_execute(m.sql)
            .await
            .map_err(|source| PgError::Migration {
                version: m.version,
                name: m.name,
                source,
            })?;
        tx.execute(
            &format!(
                "INSERT INTO {schema}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)"
            ),
            &[&m.version, &m.name, &m.checksum()],
        )
        .await
        .map_err(step("record a migration"))?;
        now_applied.push(m.version);
    }
    tx.commit().await.map_err(step("commit the migrations"))?;
    Ok(now_applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one_without_gaps() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(usize::try_from(m.version).ok(), Some(i + 1), "{}", m.name);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }

    #[test]
    fn the_lock_key_depends_on_the_schema_only() {
        assert_eq!(lock_key("a"), lock_key("a"));
        assert_ne!(lock_key("a"), lock_key("b"));
    }
}
