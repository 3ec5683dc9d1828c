//! Reply analysis: what a customer's reply says for the team that sent the email.
//!
//! - [`schema`]: the typed, versioned [`Analysis`] record (response type, sentiment, urgency,
//!   opportunity score, product interest, action items, volume, references, …).
//! - [`json_schema`]: the record as a JSON Schema in the strict structured-output subset.
//! - [`prompt`]: the versioned prompt, with the reply as datamarked, fenced, untrusted data.
//! - [`repair`]: from what a model returned (fenced, in prose, with trailing commas, French labels…)
//!   to a validated [`Analysis`], or a typed error with feedback for a retry.
//! - [`heuristic`]: the offline analyzer, the default: multilingual lexicons and regexes, no
//!   network.
//! - [`llm`]: the [`LlmClient`] port and the [`LlmAnalyzer`] over it.
//!
//! ```
//! use replytrack::analysis::{AnalysisContext, HeuristicAnalyzer, ResponseType};
//!
//! let reply = "Hi! We send about 20k emails a month. Could you send me pricing for the Pro plan? \
//!              We'd like to upgrade this quarter.";
//! let a = HeuristicAnalyzer::new().analyze_text(reply, &AnalysisContext::default());
//! assert_eq!(a.response_type, ResponseType::HighValue);
//! assert_eq!(a.monthly_volume.map(|v| v.value), Some(20_000));
//! ```

pub mod heuristic;
pub mod json_schema;
pub mod llm;
pub mod prompt;
pub mod repair;
pub mod schema;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use heuristic::HeuristicAnalyzer;
pub use json_schema::{SCHEMA_NAME, analysis_json_schema};
pub use llm::{
    ChatMessage, ChatRequest, ChatResponse, LlmAnalyzer, LlmClient, LlmError, ResponseSchema, Role,
};
pub use prompt::{PROMPT_VERSION, Prompt, PromptBuilder};
pub use repair::{OutputError, ParseError, RepairLimits, ValidationErrors, parse_analysis};
pub use schema::{
    Analysis, MonthlyVolume, OpportunityScore, Period, ProductInterest, RefKind, Reference,
    ResponseType, SCHEMA_VERSION, Sentiment, Urgency,
};

/// What is known around a reply besides its text. Every field is optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnalysisContext {
    /// Subject of the email the customer answered.
    pub subject: Option<String>,
    /// The customer's name.
    pub customer_name: Option<String>,
    /// The customer's status in the host application ("trial", "paying", "churned", …).
    pub customer_status: Option<String>,
    /// The account's language (ISO 639-1): insights and actions are written in it.
    pub account_lang: Option<String>,
    /// The reply's language as detected during extraction, when known.
    pub reply_lang: Option<String>,
}

/// Why an analysis failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// The model API failed.
    #[error(transparent)]
    Llm(#[from] LlmError),
    /// Every answer the model gave failed validation.
    #[error("model output still invalid after {attempts} attempts: {last}")]
    InvalidOutput {
        /// Requests made.
        attempts: u32,
        /// What was wrong with the last answer.
        last: OutputError,
    },
}

/// Analyses one reply. Implemented by [`HeuristicAnalyzer`] (offline) and [`LlmAnalyzer`].
#[async_trait]
pub trait Analyzer: Send + Sync {
    /// Analyse the text of a reply (the extracted reply, without quoted history).
    async fn analyze(
        &self,
        reply: &str,
        context: &AnalysisContext,
    ) -> Result<Analysis, AnalysisError>;

    /// A short name for records: `"heuristic"`, `"llm:gpt-4o-mini"`.
    fn name(&self) -> &str;
}
