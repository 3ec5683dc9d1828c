//! `OpenAiClient` against a real HTTP server on 127.0.0.1 that speaks the chat-completions API
//! from a script: good answers, fenced and broken JSON, 429 with Retry-After, 500, a hang.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use replytrack::analysis::{
    AnalysisContext, AnalysisError, Analyzer, ChatMessage, ChatRequest, LlmAnalyzer, LlmClient,
    LlmError, ResponseType,
};
use replytrack_openai::OpenAiClient;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer.
#[derive(Clone)]
enum Reply {
    /// Status, extra headers, body.
    Http(u16, Vec<(&'static str, String)>, String),
    /// Read the request, then never answer.
    Hang,
}

/// One request the server saw.
#[derive(Debug, Clone)]
struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Start a server that answers the scripted replies in order (then 500s); return its base URL.
async fn serve(script: Vec<Reply>) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let script = Arc::new(Mutex::new(script.into_iter()));
    let log2 = log.clone();
    tokio::spawn(async move {
        // Bounded: a test never makes more than a handful of requests.
        for _ in 0..32 {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let next = script.lock().expect("script lock").next();
            let log = log2.clone();
            tokio::spawn(handle(stream, next, log));
        }
    });
    (format!("http://{addr}/v1"), log)
}

async fn handle(mut stream: TcpStream, reply: Option<Reply>, log: Log) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Headers.
    let header_end = loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 1 << 20 {
            return;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < header_end + len {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = serde_json::from_slice(&buf[header_end..]).unwrap_or(Value::Null);
    log.lock().expect("log lock").push(Seen {
        request_line,
        headers,
        body,
    });
    match reply.unwrap_or(Reply::Http(500, vec![], "{}".into())) {
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Reply::Http(status, extra, body) => {
            let mut out = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (k, v) in extra {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(&body);
            let _ = stream.write_all(out.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    }
}

fn completion(content: &str) -> Reply {
    Reply::Http(
        200,
        vec![],
        json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": "test-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        })
        .to_string(),
    )
}

const GOOD: &str = r#"{"schema_version":1,"response_type":"high_value","key_insights":["Wants pricing"],"sentiment":"positive","urgency":"medium","opportunity_score":4,"follow_up_needed":true,"product_interest":"interested","action_items":["Send pricing"],"product_usage":null,"monthly_volume":{"raw":"20k emails a month","value":20000,"unit":"emails","period":"month"},"pain_points":[],"references":[],"suggested_labels":["pricing"],"recommended_actions":["Send pricing"],"lang":"en"}"#;

const KEY: &str = "sk-test-0123456789abcdef";

fn client(base: &str) -> OpenAiClient {
    OpenAiClient::builder(base, "test-model")
        .api_key(KEY)
        .timeout(Duration::from_millis(500))
        .connect_timeout(Duration::from_millis(500))
        .max_retries(2)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .max_retry_after(Duration::from_millis(20))
        .build()
        .expect("client builds")
}

fn simple_request() -> ChatRequest {
    ChatRequest {
        messages: vec![ChatMessage::system("s"), ChatMessage::user("u")],
        response_schema: None,
        temperature: Some(0.0),
        max_tokens: Some(100),
    }
}

#[tokio::test]
async fn good_answer_is_analysed_and_the_request_carries_the_strict_schema() {
    let (base, log) = serve(vec![completion(GOOD)]).await;
    let analyzer = LlmAnalyzer::new(client(&base));
    let a = analyzer
        .analyze(
            "We send 20k emails a month, pricing?",
            &AnalysisContext::default(),
        )
        .await
        .expect("analysis");
    assert_eq!(a.response_type, ResponseType::HighValue);
    assert_eq!(a.monthly_volume.map(|v| v.value), Some(20_000));
    assert_eq!(analyzer.name(), "llm:test-model");

    let seen = log.lock().expect("log").clone();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.request_line, "POST /v1/chat/completions HTTP/1.1");
    assert_eq!(
        req.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(req.body["model"], "test-model");
    let rf = &req.body["response_format"];
    assert_eq!(rf["type"], "json_schema");
    assert_eq!(rf["json_schema"]["name"], "reply_analysis");
    assert_eq!(rf["json_schema"]["strict"], true);
    assert_eq!(rf["json_schema"]["schema"]["additionalProperties"], false);
    assert_eq!(req.body["messages"][0]["role"], "system");
    assert_eq!(req.body["messages"][1]["role"], "user");
}

#[tokio::test]
async fn fenced_json_answer_is_repaired() {
    let fenced = format!("Here is the analysis:\n```json\n{GOOD}\n```\nHope this helps!");
    let (base, _log) = serve(vec![completion(&fenced)]).await;
    let a = LlmAnalyzer::new(client(&base))
        .analyze("pricing?", &AnalysisContext::default())
        .await
        .expect("analysis");
    assert_eq!(a.opportunity_score.get(), 4);
}

#[tokio::test]
async fn broken_json_is_retried_with_feedback_then_accepted() {
    let broken = r#"{"response_type": "maybe", "sentiment": "positive""#;
    let (base, log) = serve(vec![completion(broken), completion(GOOD)]).await;
    let a = LlmAnalyzer::new(client(&base))
        .analyze("pricing?", &AnalysisContext::default())
        .await
        .expect("analysis after retry");
    assert_eq!(a.response_type, ResponseType::HighValue);
    let seen = log.lock().expect("log").clone();
    assert_eq!(seen.len(), 2, "one retry");
    let messages = seen[1].body["messages"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(messages.len(), 4, "system, user, the bad answer, feedback");
    assert_eq!(messages[2]["role"], "assistant");
    assert_eq!(messages[2]["content"], broken);
    assert_eq!(messages[3]["role"], "user");
    let feedback = messages[3]["content"].as_str().unwrap_or_default();
    assert!(feedback.contains("response_type"), "{feedback}");
}

#[tokio::test]
async fn answers_that_never_fit_fail_after_max_attempts() {
    let (base, log) = serve(vec![completion("no idea"), completion("still prose")]).await;
    let err = LlmAnalyzer::new(client(&base))
        .with_max_attempts(2)
        .analyze("hi", &AnalysisContext::default())
        .await
        .expect_err("never valid");
    assert!(
        matches!(err, AnalysisError::InvalidOutput { attempts: 2, .. }),
        "{err:?}"
    );
    assert_eq!(log.lock().expect("log").len(), 2);
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_retried() {
    let (base, log) = serve(vec![
        Reply::Http(
            429,
            vec![("retry-after", "0".into())],
            "{\"error\":\"slow down\"}".into(),
        ),
        Reply::Http(
            429,
            vec![("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT".into())],
            "{}".into(),
        ),
        completion("ok"),
    ])
    .await;
    let r = client(&base)
        .complete(&simple_request())
        .await
        .expect("third attempt succeeds");
    assert_eq!(r.content, "ok");
    assert_eq!(r.model.as_deref(), Some("test-model"));
    assert_eq!(log.lock().expect("log").len(), 3);
}

#[tokio::test]
async fn persistent_rate_limit_is_reported_as_such() {
    let limited = Reply::Http(429, vec![("retry-after", "0".into())], "{}".into());
    let (base, log) = serve(vec![limited.clone(), limited.clone(), limited]).await;
    let err = client(&base)
        .complete(&simple_request())
        .await
        .expect_err("rate limited");
    assert_eq!(err, LlmError::RateLimited { attempts: 3 });
    assert_eq!(log.lock().expect("log").len(), 3);
}

#[tokio::test]
async fn server_error_then_success() {
    let (base, log) = serve(vec![
        Reply::Http(500, vec![], "{\"error\":\"boom\"}".into()),
        Reply::Http(503, vec![], "{}".into()),
        completion("fine"),
    ])
    .await;
    let r = client(&base)
        .complete(&simple_request())
        .await
        .expect("success");
    assert_eq!(r.content, "fine");
    assert_eq!(log.lock().expect("log").len(), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried_and_never_show_the_key() {
    let echo = format!("{{\"error\":\"invalid key {KEY}\"}}");
    let (base, log) = serve(vec![Reply::Http(401, vec![], echo)]).await;
    let c = client(&base);
    let err = c.complete(&simple_request()).await.expect_err("401");
    assert!(
        matches!(
            err,
            LlmError::Status {
                status: 401,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains(KEY), "{err}");
    assert!(!format!("{err:?}").contains(KEY));
    assert!(!format!("{c:?}").contains(KEY));
    assert_eq!(log.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn a_hang_past_the_timeout_is_a_timeout() {
    let (base, _log) = serve(vec![Reply::Hang]).await;
    let c = OpenAiClient::builder(&base, "m")
        .timeout(Duration::from_millis(150))
        .max_retries(0)
        .build()
        .expect("client");
    let err = c.complete(&simple_request()).await.expect_err("timeout");
    assert_eq!(err, LlmError::Timeout { after_ms: 150 });
}

#[tokio::test]
async fn azure_style_sends_api_key_header_and_api_version() {
    let (base, log) = serve(vec![completion("ok")]).await;
    let c = OpenAiClient::builder(format!("{base}/openai/deployments/prod"), "ignored")
        .api_key(KEY)
        .azure("2024-10-21")
        .build()
        .expect("client");
    c.complete(&simple_request()).await.expect("ok");
    let seen = log.lock().expect("log").clone();
    assert_eq!(
        seen[0].request_line,
        "POST /v1/openai/deployments/prod/chat/completions?api-version=2024-10-21 HTTP/1.1"
    );
    assert_eq!(seen[0].header("api-key"), Some(KEY));
    assert_eq!(seen[0].header("authorization"), None);
}

#[tokio::test]
async fn refusal_and_malformed_bodies_are_typed_errors() {
    let refusal = Reply::Http(
        200,
        vec![],
        json!({"choices": [{"message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}}]}).to_string(),
    );
    let (base, _log) = serve(vec![refusal, Reply::Http(200, vec![], "not json".into())]).await;
    let c = client(&base);
    assert!(matches!(
        c.complete(&simple_request()).await,
        Err(LlmError::Refused { .. })
    ));
    assert!(matches!(
        c.complete(&simple_request()).await,
        Err(LlmError::InvalidResponse { .. })
    ));
}
