//! The chat-completions wire format: request body and response parsing.

use replytrack::analysis::{ChatRequest, ChatResponse, LlmError};
use serde_json::{Value, json};

use crate::{OpenAiConfig, StructuredOutput};

/// The JSON body of a chat-completions request.
pub(crate) fn request_body(config: &OpenAiConfig, request: &ChatRequest) -> Value {
    let messages: Vec<Value> = request
        .messages
        .iter()
        .map(|m| json!({"role": m.role, "content": m.content}))
        .collect();
    let mut body = json!({
        "model": config.model,
        "messages": messages,
    });
    if let Some(o) = body.as_object_mut() {
        if let Some(t) = request.temperature {
            o.insert("temperature".into(), json!(t));
        }
        if let Some(n) = request.max_tokens {
            o.insert("max_tokens".into(), json!(n));
        }
        match (config.structured_output, &request.response_schema) {
            (StructuredOutput::JsonSchema, Some(s)) => {
                o.insert(
                    "response_format".into(),
                    json!({
                        "type": "json_schema",
                        "json_schema": {"name": s.name, "strict": true, "schema": s.schema},
                    }),
                );
            }
            (StructuredOutput::JsonObject, Some(_)) => {
                o.insert("response_format".into(), json!({"type": "json_object"}));
            }
            _ => {}
        }
    }
    body
}

fn invalid(message: impl Into<String>) -> LlmError {
    LlmError::InvalidResponse {
        message: message.into(),
    }
}

/// Read `choices[0].message.content` (or its refusal) from a 2xx body.
pub(crate) fn parse_response(bytes: &[u8]) -> Result<ChatResponse, LlmError> {
    let v: Value =
        serde_json::from_slice(bytes).map_err(|e| invalid(format!("body is not JSON: {e}")))?;
    let choice = v
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .ok_or_else(|| invalid("no choices[0]"))?;
    let message = choice
        .get("message")
        .ok_or_else(|| invalid("no choices[0].message"))?;
    if let Some(refusal) = message.get("refusal").and_then(Value::as_str) {
        return Err(LlmError::Refused {
            message: refusal.chars().take(300).collect(),
        });
    }
    let content = match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        // Some servers return content parts: [{"type": "text", "text": "..."}].
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        _ => return Err(invalid("choices[0].message.content is missing or not text")),
    };
    Ok(ChatResponse {
        content,
        model: v.get("model").and_then(Value::as_str).map(str::to_string),
        finish_reason: choice
            .get("finish_reason")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}
