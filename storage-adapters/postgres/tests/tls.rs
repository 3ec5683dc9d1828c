//! TLS with libpq's `sslmode` meanings, against the local server (Debian's PostgreSQL has
//! `ssl = on` with the "snakeoil" certificate for `localhost`).

#![allow(clippy::unwrap_used)]

use std::io::Write as _;

use replytrack_postgres::testing::{DEFAULT_URL, ScratchSchema, database_url};
use replytrack_postgres::{PgError, PgStore, TlsVerify};

const SNAKEOIL: &str = "/etc/ssl/certs/ssl-cert-snakeoil.pem";

/// Whether the session of `application_name` is encrypted, asked over a separate plain connection.
async fn encrypted(admin_url: &str, application_name: &str) -> bool {
    let (client, conn) = tokio_postgres::connect(admin_url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let rows = client
        .query(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = $1",
            &[&application_name],
        )
        .await
        .unwrap();
    assert!(!rows.is_empty(), "no session named {application_name}");
    rows.iter().all(|r| r.get::<_, bool>(0))
}

/// The local server, when the test can reason about its certificate; `None` with a notice
/// otherwise.
async fn local_tls_server() -> Option<ScratchSchema> {
    let db = ScratchSchema::new("tls").await?;
    if database_url() != DEFAULT_URL || !std::path::Path::new(SNAKEOIL).exists() {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (TLS part): needs the default local server and {SNAKEOIL}"
        );
        return None;
    }
    let (client, conn) = tokio_postgres::connect(DEFAULT_URL, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let ssl: String = client.query_one("SHOW ssl", &[]).await.unwrap().get(0);
    if ssl != "on" {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (TLS part): the local server has ssl = {ssl}"
        );
        return None;
    }
    Some(db)
}

fn app_name(tag: &str) -> String {
    format!("rt_tls_{tag}_{}", std::process::id())
}

#[tokio::test]
async fn sslmode_require_encrypts_and_disable_does_not() {
    let Some(db) = local_tls_server().await else {
        return;
    };
    let name = app_name("require");
    let store = PgStore::builder(&format!("{DEFAULT_URL}?sslmode=require"))
        .unwrap()
        .schema(db.schema())
        .application_name(&name)
        .build()
        .await
        .unwrap();
    assert!(encrypted(DEFAULT_URL, &name).await);
    drop(store);

    let name = app_name("disable");
    let store = PgStore::builder(&format!("{DEFAULT_URL}?sslmode=disable"))
        .unwrap()
        .schema(db.schema())
        .application_name(&name)
        .build()
        .await
        .unwrap();
    assert!(!encrypted(DEFAULT_URL, &name).await);
    drop(store);
}

#[tokio::test]
async fn verify_full_refuses_an_untrusted_certificate() {
    let Some(db) = local_tls_server().await else {
        return;
    };
    let err = PgStore::builder(
        "postgres://postgres@localhost:5432/test?hostaddr=127.0.0.1&sslmode=verify-full",
    )
    .unwrap()
    .schema(db.schema())
    .connect_timeout(std::time::Duration::from_secs(3))
    .build()
    .await
    .expect_err("the snakeoil certificate is not in the Mozilla roots");
    assert!(matches!(err, PgError::Connect { .. }), "{err}");
}

#[tokio::test]
async fn verify_full_accepts_the_server_with_its_root_and_name() {
    let Some(db) = local_tls_server().await else {
        return;
    };
    let name = app_name("full");
    let url = format!(
        "postgres://postgres@localhost:5432/test?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={SNAKEOIL}"
    );
    let store = PgStore::builder(&url)
        .unwrap()
        .schema(db.schema())
        .application_name(&name)
        .build()
        .await
        .unwrap();
    assert!(encrypted(DEFAULT_URL, &name).await);
    drop(store);

    // The same root given in code; the certificate names `localhost`, not 127.0.0.1.
    let pem = std::fs::read(SNAKEOIL).unwrap();
    let by_ip = PgStore::builder(DEFAULT_URL)
        .unwrap()
        .tls_root_certificates(&pem)
        .unwrap()
        .tls_verify(TlsVerify::Full)
        .schema(db.schema())
        .connect_timeout(std::time::Duration::from_secs(3))
        .build()
        .await;
    assert!(
        matches!(by_ip, Err(PgError::Connect { .. })),
        "the name must match"
    );

    let name = app_name("ca");
    let store = PgStore::builder(DEFAULT_URL)
        .unwrap()
        .tls_root_certificates(&pem)
        .unwrap()
        .tls_verify(TlsVerify::Chain)
        .schema(db.schema())
        .application_name(&name)
        .build()
        .await
        .unwrap();
    assert!(
        encrypted(DEFAULT_URL, &name).await,
        "verify-ca ignores the name"
    );
    drop(store);
}

#[test]
fn a_missing_root_file_is_a_tls_error_naming_the_file() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt
        .block_on(
            PgStore::builder("postgres://u:hunter2@127.0.0.1:1/x?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
                .unwrap()
                .build(),
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, PgError::Tls(_)), "{text}");
    assert!(
        text.contains("/nonexistent/ca.pem") && !text.contains("hunter2"),
        "{text}"
    );
}
