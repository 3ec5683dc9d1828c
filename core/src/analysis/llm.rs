//! Analysis by a language model: the [`LlmClient`] port and the [`LlmAnalyzer`] over it.
//!
//! An [`LlmClient`] sends one chat request and returns the model's text; adapters (such as
//! `replytrack-openai`) implement it and handle transport concerns (timeouts, rate limits, 5xx
//! retries). [`LlmAnalyzer`] builds the prompt, repairs and validates the answer, and when the
//! answer does not fit the schema, asks again with [`OutputError::feedback`] up to
//! [`LlmAnalyzer::max_attempts`] times.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json_schema::{SCHEMA_NAME, analysis_json_schema};
use super::prompt::PromptBuilder;
use super::repair::{OutputError, RepairLimits, parse_analysis_with};
use super::schema::Analysis;
use super::{AnalysisContext, AnalysisError, Analyzer};

/// Who wrote a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions.
    System,
    /// The data to work on, or feedback.
    User,
    /// The model's earlier answer.
    Assistant,
}

/// One message of a chat request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Who wrote it.
    pub role: Role,
    /// Its text.
    pub content: String,
}

impl ChatMessage {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: Role::System,
            content: content.into(),
        }
    }
    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }
    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// The JSON Schema the answer must follow, for APIs with structured output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseSchema {
    /// The schema's name (`json_schema.name`).
    pub name: String,
    /// The schema.
    pub schema: Value,
}

/// One chat-completion request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    /// The conversation so far.
    pub messages: Vec<ChatMessage>,
    /// The schema the answer must follow, when structured output is wanted.
    pub response_schema: Option<ResponseSchema>,
    /// Sampling temperature (default for analysis: 0).
    pub temperature: Option<f32>,
    /// Cap on the answer's length in tokens.
    pub max_tokens: Option<u32>,
}

/// A model's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChatResponse {
    /// The answer's text.
    pub content: String,
    /// The model that answered, when the API says.
    pub model: Option<String>,
    /// Why the model stopped ("stop", "length", …), when the API says.
    pub finish_reason: Option<String>,
}

/// Why a chat request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// No answer within the timeout.
    #[error("no answer from the model API within {after_ms} ms")]
    Timeout {
        /// The timeout, in milliseconds.
        after_ms: u64,
    },
    /// Still rate limited (HTTP 429) after every retry.
    #[error("rate limited by the model API after {attempts} attempts")]
    RateLimited {
        /// Attempts made.
        attempts: u32,
    },
    /// The API answered with an error status (after retries, for 5xx).
    #[error("model API answered HTTP {status} after {attempts} attempts: {body}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// Attempts made.
        attempts: u32,
        /// The start of the error body (secrets never appear in it).
        body: String,
    },
    /// The connection failed.
    #[error("cannot reach the model API: {message}")]
    Transport {
        /// What went wrong.
        message: String,
    },
    /// The API answered 2xx but not in the chat-completions shape.
    #[error("model API answer is not a chat completion: {message}")]
    InvalidResponse {
        /// What was wrong with it.
        message: String,
    },
    /// The model refused to answer.
    #[error("the model refused: {message}")]
    Refused {
        /// The refusal text.
        message: String,
    },
    /// The client is misconfigured (bad URL, bad header value).
    #[error("model client misconfigured: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

/// Sends chat requests to a language model.
#[async_trait]
pub trait LlmClient: Send + Sync + fmt::Debug {
    /// Send one request and return the model's answer.
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError>;

    /// The model's name, for records ("gpt-4o-mini", "llama3.1:8b").
    fn model(&self) -> &str;
}

#[async_trait]
impl<T: LlmClient + ?Sized> LlmClient for Arc<T> {
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        (**self).complete(request).await
    }
    fn model(&self) -> &str {
        (**self).model()
    }
}

/// The longest earlier answer echoed back to the model with feedback, in characters.
const MAX_ECHO_CHARS: usize = 4000;

/// Analyses replies with a language model, repairing and validating its answers.
#[derive(Debug, Clone)]
pub struct LlmAnalyzer {
    client: Arc<dyn LlmClient>,
    prompts: PromptBuilder,
    limits: RepairLimits,
    /// Requests per reply, the first included (default 3): a reply whose answers never fit the
    /// schema fails with [`AnalysisError::InvalidOutput`] after this many.
    pub max_attempts: u32,
    /// Cap on the answer's length in tokens (default 1200).
    pub max_tokens: u32,
    name: String,
}

impl LlmAnalyzer {
    /// An analyzer over `client` with default settings.
    pub fn new(client: impl LlmClient + 'static) -> Self {
        Self::from_arc(Arc::new(client))
    }

    /// An analyzer over a shared client.
    pub fn from_arc(client: Arc<dyn LlmClient>) -> Self {
        let name = format!("llm:{}", client.model());
        Self {
            client,
            prompts: PromptBuilder::default(),
            limits: RepairLimits::default(),
            max_attempts: 3,
            max_tokens: 1200,
            name,
        }
    }

    /// Use these prompt limits.
    pub fn with_prompt_builder(mut self, prompts: PromptBuilder) -> Self {
        self.prompts = prompts;
        self
    }

    /// Make at most `n` requests per reply (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Use these limits when reading answers.
    pub fn with_repair_limits(mut self, limits: RepairLimits) -> Self {
        self.limits = limits;
        self
    }
}

#[async_trait]
impl Analyzer for LlmAnalyzer {
    async fn analyze(
        &self,
        reply: &str,
        context: &AnalysisContext,
    ) -> Result<Analysis, AnalysisError> {
        let prompt = self.prompts.build(reply, context);
        let mut request = ChatRequest {
            messages: prompt.messages(),
            response_schema: Some(ResponseSchema {
                name: SCHEMA_NAME.to_string(),
                schema: analysis_json_schema(),
            }),
            temperature: Some(0.0),
            max_tokens: Some(self.max_tokens),
        };
        let mut last: Option<OutputError> = None;
        for _ in 0..self.max_attempts.max(1) {
            let answer = self.client.complete(&request).await?;
            match parse_analysis_with(&answer.content, self.limits) {
                Ok(analysis) => return Ok(analysis),
                Err(e) => {
                    let echoed: String = answer.content.chars().take(MAX_ECHO_CHARS).collect();
                    request.messages.push(ChatMessage::assistant(echoed));
                    request.messages.push(ChatMessage::user(e.feedback()));
                    last = Some(e);
                }
            }
        }
        Err(AnalysisError::InvalidOutput {
            attempts: self.max_attempts.max(1),
            last: last.unwrap_or(OutputError::Parse(super::repair::ParseError::Empty)),
        })
    }

    fn name(&self) -> &str {
        &self.name
    }
}
