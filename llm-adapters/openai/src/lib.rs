//! # replytrack-openai
//!
//! An [`LlmClient`] for OpenAI-compatible chat-completions APIs: OpenAI, Azure OpenAI, Ollama,
//! vLLM and the llama.cpp server. Requests carry the analysis JSON Schema as
//! `response_format: {type: "json_schema", json_schema: {name, strict: true, schema}}` (or, for
//! servers without it, `json_object` or nothing: the analyzer repairs the answer either way).
//!
//! Rate limits (429) and server errors (5xx) are retried with exponential backoff, honouring
//! `Retry-After` (seconds or an HTTP date) and `retry-after-ms`; every request has a timeout. The API
//! key never appears in `Debug` output, logs or error messages.
//!
//! ```no_run
//! use replytrack::analysis::{Analyzer, AnalysisContext, LlmAnalyzer};
//! use replytrack_openai::OpenAiClient;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = OpenAiClient::builder("https://api.openai.com/v1", "gpt-4o-mini")
//!     .api_key("sk-...")
//!     .build()?;
//! let analyzer = LlmAnalyzer::new(client);
//! let analysis = analyzer.analyze("Can you send me pricing?", &AnalysisContext::default()).await?;
//! println!("{:?}", analysis.response_type);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod retry;
mod wire;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use replytrack::analysis::{ChatRequest, ChatResponse, LlmClient, LlmError};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use subtle::ConstantTimeEq;

pub use retry::{backoff_delay, parse_retry_after};

/// How the API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthStyle {
    /// `Authorization: Bearer KEY` (OpenAI, vLLM, llama.cpp, Ollama).
    #[default]
    Bearer,
    /// `api-key: KEY` (Azure OpenAI).
    ApiKeyHeader,
}

/// How the answer's shape is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StructuredOutput {
    /// `response_format: {type: "json_schema", json_schema: {name, strict: true, schema}}`.
    #[default]
    JsonSchema,
    /// `response_format: {type: "json_object"}` (older servers).
    JsonObject,
    /// No `response_format` (the prompt still carries the schema).
    Off,
}

/// An API key. Its `Debug` output is redacted; compare keys with [`ApiKey::matches`].
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wrap a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// Whether `other` is this key (constant time).
    pub fn matches(&self, other: &str) -> bool {
        self.0.as_bytes().ct_eq(other.as_bytes()).into()
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

/// Settings of an [`OpenAiClient`].
#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// Base URL up to (not including) `/chat/completions`: `https://api.openai.com/v1`,
    /// `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM),
    /// `http://localhost:8080/v1` (llama.cpp), or for Azure
    /// `https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT`.
    pub base_url: String,
    /// The model (ignored by Azure, which takes the deployment from the URL).
    pub model: String,
    /// The API key, if the server needs one.
    pub api_key: Option<ApiKey>,
    /// How the key is sent.
    pub auth: AuthStyle,
    /// `api-version` query parameter (Azure).
    pub api_version: Option<String>,
    /// How the answer's shape is requested.
    pub structured_output: StructuredOutput,
    /// Timeout of one request, connection included (default 60 s).
    pub timeout: Duration,
    /// Timeout to connect (default 10 s).
    pub connect_timeout: Duration,
    /// Retries after the first attempt, on 429, 5xx, timeouts and connection errors (default 3).
    pub max_retries: u32,
    /// First backoff delay; doubles at each retry (default 500 ms).
    pub backoff_base: Duration,
    /// Longest backoff delay (default 20 s).
    pub backoff_max: Duration,
    /// Longest `Retry-After` honoured; a longer one is cut to this (default 60 s).
    pub max_retry_after: Duration,
    /// Largest response body read, in bytes (default 4 MiB).
    pub max_response_bytes: usize,
}

/// Builds an [`OpenAiClient`].
#[derive(Debug, Clone)]
pub struct OpenAiClientBuilder {
    config: OpenAiConfig,
}

impl OpenAiClientBuilder {
    /// Send the key as `Authorization: Bearer` (or with [`OpenAiClientBuilder::azure`], as `api-key`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.config.api_key = Some(ApiKey::new(key));
        self
    }

    /// Azure OpenAI: `api-key` header and `?api-version=VERSION`.
    pub fn azure(mut self, api_version: impl Into<String>) -> Self {
        self.config.auth = AuthStyle::ApiKeyHeader;
        self.config.api_version = Some(api_version.into());
        self
    }

    /// How the key is sent.
    pub fn auth_style(mut self, auth: AuthStyle) -> Self {
        self.config.auth = auth;
        self
    }

    /// How the answer's shape is requested.
    pub fn structured_output(mut self, mode: StructuredOutput) -> Self {
        self.config.structured_output = mode;
        self
    }

    /// Timeout of one request.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.config.timeout = d;
        self
    }

    /// Timeout to connect.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.config.connect_timeout = d;
        self
    }

    /// Retries after the first attempt.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.config.max_retries = n;
        self
    }

    /// First and longest backoff delay.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.config.backoff_base = base;
        self.config.backoff_max = max;
        self
    }

    /// Longest `Retry-After` honoured.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.config.max_retry_after = d;
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<OpenAiClient, LlmError> {
        let c = self.config;
        let base = c.base_url.trim_end_matches('/');
        let url = reqwest::Url::parse(&format!("{base}/chat/completions")).map_err(|e| {
            LlmError::Config {
                message: format!("base_url {:?} is not a URL: {e}", c.base_url),
            }
        })?;
        let mut url = url;
        if let Some(v) = &c.api_version {
            url.query_pairs_mut().append_pair("api-version", v);
        }
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(key) = &c.api_key {
            let (name, value) = match c.auth {
                AuthStyle::Bearer => (AUTHORIZATION, format!("Bearer {}", key.expose())),
                AuthStyle::ApiKeyHeader => (
                    reqwest::header::HeaderName::from_static("api-key"),
                    key.expose().to_string(),
                ),
            };
            let mut v = HeaderValue::from_str(&value).map_err(|_| LlmError::Config {
                message: "the API key contains characters not allowed in an HTTP header"
                    .to_string(),
            })?;
            v.set_sensitive(true);
            headers.insert(name, v);
        }
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(c.timeout)
            .connect_timeout(c.connect_timeout)
            .build()
            .map_err(|e| LlmError::Config {
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(OpenAiClient {
            http,
            url,
            config: c,
        })
    }
}

/// A chat-completions client for OpenAI-compatible servers.
pub struct OpenAiClient {
    http: reqwest::Client,
    url: reqwest::Url,
    config: OpenAiConfig,
}

impl fmt::Debug for OpenAiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiClient")
            .field("url", &self.url.as_str())
            .field("model", &self.config.model)
            .field("api_key", &self.config.api_key)
            .field("auth", &self.config.auth)
            .finish_non_exhaustive()
    }
}

impl OpenAiClient {
    /// A builder for a server at `base_url` (up to `/chat/completions`) and a model.
    pub fn builder(base_url: impl Into<String>, model: impl Into<String>) -> OpenAiClientBuilder {
        OpenAiClientBuilder {
            config: OpenAiConfig {
                base_url: base_url.into(),
                model: model.into(),
                api_key: None,
                auth: AuthStyle::Bearer,
                api_version: None,
                structured_output: StructuredOutput::JsonSchema,
                timeout: Duration::from_secs(60),
                connect_timeout: Duration::from_secs(10),
                max_retries: 3,
                backoff_base: Duration::from_millis(500),
                backoff_max: Duration::from_secs(20),
                max_retry_after: Duration::from_secs(60),
                max_response_bytes: 4 * 1024 * 1024,
            },
        }
    }

    /// The settings in use.
    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    /// Remove the key from text that came back from the server (an echoed request).
    fn redact(&self, text: &str) -> String {
        match &self.config.api_key {
            Some(k) if !k.expose().is_empty() => text.replace(k.expose(), "[redacted]"),
            _ => text.to_string(),
        }
    }

    async fn attempt(&self, body: &[u8]) -> Result<Attempt, LlmError> {
        let sent = self
            .http
            .post(self.url.clone())
            .body(body.to_vec())
            .send()
            .await;
        let resp = match sent {
            Ok(r) => r,
            Err(e) => return Ok(Attempt::Retryable(self.transport_error(&e), None)),
        };
        let status = resp.status();
        let retry_after = retry::retry_after_of(resp.headers(), chrono::Utc::now());
        let bytes = match read_limited(resp, self.config.max_response_bytes).await {
            Ok(b) => b,
            Err(ReadError::TooLarge) => {
                return Err(LlmError::InvalidResponse {
                    message: format!(
                        "response body is larger than {} bytes",
                        self.config.max_response_bytes
                    ),
                });
            }
            Err(ReadError::Http(e)) => {
                return Ok(Attempt::Retryable(self.transport_error(&e), None));
            }
        };
        if status.is_success() {
            return wire::parse_response(&bytes).map(Attempt::Done);
        }
        let excerpt: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
        let code = status.as_u16();
        let error = LlmError::Status {
            status: code,
            attempts: 1,
            body: self.redact(&excerpt),
        };
        if code == 429 || status.is_server_error() {
            Ok(Attempt::Retryable(error, retry_after))
        } else {
            Err(error)
        }
    }

    fn transport_error(&self, e: &reqwest::Error) -> LlmError {
        if e.is_timeout() {
            LlmError::Timeout {
                after_ms: u64::try_from(self.config.timeout.as_millis()).unwrap_or(u64::MAX),
            }
        } else {
            // reqwest's message names the URL, never the headers; redact anyway.
            LlmError::Transport {
                message: self.redact(&e.to_string()),
            }
        }
    }
}

enum Attempt {
    Done(ChatResponse),
    Retryable(LlmError, Option<Duration>),
}

enum ReadError {
    TooLarge,
    Http(reqwest::Error),
}

async fn read_limited(mut resp: reqwest::Response, limit: usize) -> Result<Vec<u8>, ReadError> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(ReadError::Http)? {
        if out.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

#[async_trait]
impl LlmClient for OpenAiClient {
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let body = wire::request_body(&self.config, request);
        let body = serde_json::to_vec(&body).map_err(|e| LlmError::Config {
            message: format!("cannot encode the request: {e}"),
        })?;
        let attempts = self.config.max_retries.saturating_add(1);
        let mut last = LlmError::Transport {
            message: "no attempt made".to_string(),
        };
        for attempt in 1..=attempts {
            match self.attempt(&body).await? {
                Attempt::Done(r) => return Ok(r),
                Attempt::Retryable(err, retry_after) => {
                    last = err;
                    if attempt == attempts {
                        break;
                    }
                    let delay = match retry_after {
                        Some(d) => d.min(self.config.max_retry_after),
                        None => backoff_delay(
                            attempt,
                            self.config.backoff_base,
                            self.config.backoff_max,
                        ),
                    };
                    tokio::time::sleep(delay).await;
                }
            }
        }
        Err(match last {
            LlmError::Status { status: 429, .. } => LlmError::RateLimited { attempts },
            LlmError::Status { status, body, .. } => LlmError::Status {
                status,
                attempts,
                body,
            },
            other => other,
        })
    }

    fn model(&self) -> &str {
        &self.config.model
    }
}
