//! A runnable replytrack webhook server: the `replytrack-server` router over SQLite or PostgreSQL,
//! with the forward and analysis workers running in the background.
//!
//! ```text
//! REPLYTRACK_SECRET=$(openssl rand -hex 32) \
//! cargo run -p replytrack-server --example webhook_server -- \
//!     --db replytrack.db --listen 127.0.0.1:8025 \
//!     --reply-domain reply.acme.example --from hello@acme.example --owner owner@acme.example
//! ```
//!
//! Every setting is a flag or an environment variable (`--help` lists them). Secrets (the token
//! secret, the basic-auth password, the Mailgun signing key) are best given through the
//! environment; none of them is ever logged. Forwards are written as `.eml` files to `--outbox`
//! (or only logged without it): plug your SMTP or API mailer in instead.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use async_trait::async_trait;
use clap::Parser;
use replytrack::address::AddressFormat;
use replytrack::analysis::LlmAnalyzer;
use replytrack::conversation::AccountSettings;
use replytrack::engine::Engine;
use replytrack::ports::{Mailer, MailerError, OutgoingEmail, SendReceipt};
use replytrack::provider::MailgunSigningKey;
use replytrack::provider::basic_auth::BasicAuthCredentials;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
use replytrack_open::{OpenOptions, StoreTarget};
use replytrack_openai::{OpenAiClient, StructuredOutput};
use replytrack_server::{
    HttpCertificates, HttpSubscriptionConfirmer, SesConfig, SnsCertificates, StaticCertificate,
    Webhooks, WorkerConfig, Workers,
};

/// The replytrack inbound webhook server.
#[derive(Parser)]
#[command(
    version,
    about = "The replytrack inbound webhook server: SendGrid, Mailgun, Postmark, SES and raw MIME into SQLite or PostgreSQL"
)]
struct Args {
    /// The store: a SQLite path, `:memory:`, or a `postgres://` URL.
    #[arg(long, env = "REPLYTRACK_DB", default_value = "replytrack.db")]
    db: String,
    /// PostgreSQL: the schema the tables live in (one per tenant, say).
    #[arg(long, env = "REPLYTRACK_PG_SCHEMA")]
    pg_schema: Option<String>,
    /// PostgreSQL: connections in the pool.
    #[arg(long, env = "REPLYTRACK_PG_POOL", default_value_t = 16)]
    pg_pool: usize,
    /// Address to listen on.
    #[arg(long, env = "REPLYTRACK_LISTEN", default_value = "127.0.0.1:8025")]
    listen: SocketAddr,
    /// The reply domain (`reply+{token}@DOMAIN`).
    #[arg(
        long,
        env = "REPLYTRACK_REPLY_DOMAIN",
        default_value = "reply.example.com"
    )]
    reply_domain: String,
    /// The token signing secret, hex (16 to 64 bytes). Without it a random one is used, and
    /// tokens issued before a restart no longer verify.
    #[arg(long, env = "REPLYTRACK_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// The account's name.
    #[arg(long, env = "REPLYTRACK_ACCOUNT", default_value = "Example")]
    account: String,
    /// The address outgoing email is sent from.
    #[arg(long, env = "REPLYTRACK_FROM", default_value = "hello@example.com")]
    from: String,
    /// The inbox replies are forwarded to.
    #[arg(long, env = "REPLYTRACK_OWNER", default_value = "owner@example.com")]
    owner: String,
    /// Basic-auth user for the SendGrid, Postmark and raw endpoints.
    #[arg(long, env = "REPLYTRACK_BASIC_USER", default_value = "inbound")]
    basic_user: String,
    /// Basic-auth password; without it those endpoints take unauthenticated posts.
    #[arg(long, env = "REPLYTRACK_BASIC_PASSWORD", hide_env_values = true)]
    basic_password: Option<String>,
    /// Mailgun HTTP webhook signing key; enables `/inbound/mailgun`.
    #[arg(long, env = "MAILGUN_SIGNING_KEY", hide_env_values = true)]
    mailgun_key: Option<String>,
    /// SNS topic ARN the SES receipt rule publishes to; enables `/inbound/ses`.
    #[arg(long, env = "REPLYTRACK_SES_TOPIC")]
    ses_topic: Option<String>,
    /// A pinned SNS signing certificate (PEM). Without it, certificates are fetched over HTTPS
    /// from each message's (checked) `SigningCertURL` and cached.
    #[arg(long, env = "REPLYTRACK_SNS_CERT", requires = "ses_topic")]
    sns_cert: Option<PathBuf>,
    /// Confirm SNS subscriptions by opening their `SubscribeURL` (else it is only logged).
    #[arg(long, env = "REPLYTRACK_SNS_CONFIRM", requires = "ses_topic")]
    sns_confirm: bool,
    /// Write forwarded replies as `.eml` files to this directory (else they are only logged).
    #[arg(long, env = "REPLYTRACK_OUTBOX")]
    outbox: Option<PathBuf>,
    /// Seconds between worker polls of an empty queue.
    #[arg(long, env = "REPLYTRACK_POLL_SECS", default_value_t = 5)]
    poll_secs: u64,
    /// Analyse replies with an OpenAI-compatible chat-completions server at this base URL
    /// (`https://api.openai.com/v1`, `http://localhost:11434/v1` for Ollama, `:8080/v1` for
    /// llama.cpp, `:8000/v1` for vLLM) instead of the offline heuristic analyzer.
    #[arg(long, env = "REPLYTRACK_LLM_URL", requires = "llm_model")]
    llm_url: Option<String>,
    /// The model name the LLM server knows (`gpt-4o-mini`, `qwen2.5:7b`, …).
    #[arg(long, env = "REPLYTRACK_LLM_MODEL")]
    llm_model: Option<String>,
    /// The LLM server's API key, if it needs one.
    #[arg(long, env = "REPLYTRACK_LLM_API_KEY", hide_env_values = true)]
    llm_api_key: Option<String>,
    /// How the answer's shape is requested: `json-schema` (strict structured output),
    /// `json-object`, or `off`.
    #[arg(long, env = "REPLYTRACK_LLM_STRUCTURED", default_value = "json-schema")]
    llm_structured: String,
    /// Largest request body, in MiB.
    #[arg(long, env = "REPLYTRACK_MAX_BODY_MIB", default_value_t = 32)]
    max_body_mib: usize,
}

/// Writes each forward to a directory (or only logs it): a stand-in for an SMTP or API mailer.
#[derive(Debug)]
struct OutboxMailer {
    dir: Option<PathBuf>,
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<SendReceipt, MailerError> {
        tracing::info!(message_id = %email.message_id, to = ?email.recipients, bytes = email.raw.len(), "forwarding");
        if let Some(dir) = &self.dir {
            let name: String = email
                .message_id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let path = dir.join(format!("{name}.eml"));
            tokio::fs::write(&path, &email.raw)
                .await
                .map_err(|e| MailerError::Temporary(Box::new(e)))?;
        }
        Ok(SendReceipt::default())
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();

    let target: StoreTarget = args.db.parse().context("--db")?;
    let mut options = OpenOptions::new().pg_pool_size(args.pg_pool);
    if let Some(schema) = &args.pg_schema {
        options = options.pg_schema(schema.clone());
    }
    let store = replytrack_open::open(&target, &options)
        .await
        .with_context(|| format!("opening {target}"))?;
    tracing::info!(store = %target, "store open");

    let secret = match &args.secret {
        Some(hex) => Secret::from_hex(hex).context("REPLYTRACK_SECRET / --secret")?,
        None => {
            tracing::warn!(
                "no --secret: using a random one; tokens will not verify after a restart"
            );
            Secret::generate()
        }
    };
    let key = KeyId::new(0).context("key id 0")?;
    let authority = TokenAuthority::builder(Keyring::single(key, secret))
        .domain(args.reply_domain.clone())
        .build()?;
    let format = AddressFormat::new(&args.reply_domain)?;
    let account = AccountSettings::new(args.account.clone(), &args.from, &args.owner)?;
    if let Some(dir) = &args.outbox {
        tokio::fs::create_dir_all(dir).await?;
    }
    let mut engine = Engine::builder(authority, format, account)
        .store(store)
        .mailer(Arc::new(OutboxMailer {
            dir: args.outbox.clone(),
        }));
    if let (Some(url), Some(model)) = (&args.llm_url, &args.llm_model) {
        let structured = match args.llm_structured.as_str() {
            "json-schema" => StructuredOutput::JsonSchema,
            "json-object" => StructuredOutput::JsonObject,
            "off" => StructuredOutput::Off,
            other => bail!("--llm-structured {other:?}: expected json-schema, json-object or off"),
        };
        let mut client =
            OpenAiClient::builder(url.clone(), model.clone()).structured_output(structured);
        if let Some(key) = &args.llm_api_key {
            client = client.api_key(key.clone());
        }
        engine = engine.analyzer(Arc::new(LlmAnalyzer::new(client.build()?)));
        tracing::info!(url, model, "analysing replies with an LLM");
    } else {
        tracing::info!("analysing replies with the offline heuristic analyzer");
    }
    let engine = engine.build()?;

    let mut webhooks =
        Webhooks::builder(engine.clone()).max_body_bytes(args.max_body_mib * 1024 * 1024);
    if let Some(password) = &args.basic_password {
        let creds = BasicAuthCredentials::new(args.basic_user.clone(), password.clone());
        webhooks = webhooks
            .sendgrid_auth(creds.clone())
            .postmark_auth(creds.clone())
            .raw_auth(creds);
    } else {
        tracing::warn!(
            "no basic-auth password: /inbound/sendgrid, /postmark and /raw take any post"
        );
    }
    if let Some(key) = &args.mailgun_key {
        webhooks = webhooks.mailgun(MailgunSigningKey::new(key.clone()));
    }
    if let Some(topic) = &args.ses_topic {
        let certificates: Arc<dyn SnsCertificates> = match &args.sns_cert {
            Some(path) => {
                let pem = tokio::fs::read(path)
                    .await
                    .with_context(|| format!("reading {}", path.display()))?;
                Arc::new(StaticCertificate::new(pem))
            }
            None => Arc::new(HttpCertificates::new().map_err(|e| anyhow::anyhow!("{e}"))?),
        };
        let mut ses = SesConfig::new(topic.clone(), certificates);
        if args.sns_confirm {
            ses = ses.subscriptions(Arc::new(
                HttpSubscriptionConfirmer::new().map_err(|e| anyhow::anyhow!("{e}"))?,
            ));
        }
        webhooks = webhooks.ses(ses);
    }
    let app = webhooks.build().router();

    let workers = Workers::spawn(
        engine,
        WorkerConfig::default().poll_interval(Duration::from_secs(args.poll_secs.max(1))),
    );
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    tracing::info!(listen = %listener.local_addr()?, "serving /inbound/{{sendgrid,mailgun,postmark,ses,raw}} and /healthz");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    workers.shutdown().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix (what container runtimes send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down: finishing requests in flight, then the workers' batches");
}
