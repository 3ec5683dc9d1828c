//! The webhook server over SQLite, driven with real HTTP requests on loopback.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use chrono::Utc;
use common::*;
use hmac::{Hmac, Mac};
use replytrack::engine::Engine;
use replytrack::ports::{Store, TimelineScope};
use replytrack::provider::basic_auth::BasicAuthCredentials;
use replytrack::provider::{MailgunSigningKey, SnsMessage, SnsSubscription};
use replytrack_server::{
    BoxError, SesConfig, StaticCertificate, SubscriptionHandler, WebhookResponse, Webhooks,
    WebhooksBuilder, WorkerConfig, Workers,
};
use reqwest::StatusCode;
use rsa::pkcs8::DecodePrivateKey;
use sha2::Sha256;

const MAILGUN_KEY: &str = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:replytrack-inbound";
const CERT_URL: &str = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem";
const SNS_CERT: &[u8] = include_bytes!("../../core/src/provider/testdata/sns-test-cert.pem");
const SNS_KEY: &str = include_str!("../../core/src/provider/testdata/sns-test-key.pem");

/// Everything a test needs: a SQLite store behind a switch, the engine, a customer who was
/// sent an email, and the server.
struct Fixture {
    _dir: TempDir,
    store: Arc<FlakyStore>,
    engine: Engine,
    sent: Sent,
    server: common::Server,
    http: reqwest::Client,
}

impl Fixture {
    async fn new(configure: impl FnOnce(WebhooksBuilder) -> WebhooksBuilder) -> Self {
        let dir = TempDir::new("webhooks");
        let store = sqlite_store(&dir);
        let engine = engine(store.clone() as Arc<dyn Store>);
        let sent = send_to_customer(&engine).await;
        let server = common::Server::start(configure(Webhooks::builder(engine.clone()))).await;
        Self {
            _dir: dir,
            store,
            engine,
            sent,
            server,
            http: reqwest::Client::new(),
        }
    }

    async fn post(&self, path: &str, body: Vec<u8>) -> (StatusCode, WebhookResponse) {
        let response = self
            .http
            .post(self.server.url(path))
            .header("content-type", "message/rfc822")
            .body(body)
            .send()
            .await
            .unwrap();
        answer(response).await
    }

    async fn kinds(&self) -> Vec<String> {
        timeline_kinds(&self.engine, self.sent.customer).await
    }
}

async fn answer(response: reqwest::Response) -> (StatusCode, WebhookResponse) {
    let status = response.status();
    let body: WebhookResponse = response.json().await.unwrap();
    assert_eq!(body.retry, status.is_server_error(), "{body:?}");
    (status, body)
}

fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

// ---------------------------------------------------------------- SendGrid

fn sendgrid_form(sent: &Sent, message_id: &str) -> reqwest::multipart::Form {
    let headers = format!(
        "From: Marie Dupont <{CUSTOMER}>\nTo: {to}\nSubject: Re: Votre essai\nMessage-ID: <{message_id}>\nIn-Reply-To: <{irt}>\nMIME-Version: 1.0\n",
        to = sent.reply_address,
        irt = sent.message_id
    );
    let envelope = serde_json::json!({"to": [sent.reply_address], "from": CUSTOMER}).to_string();
    let charsets = serde_json::json!({"to": "UTF-8", "from": "UTF-8", "subject": "UTF-8", "text": "utf-8", "html": "utf-8"}).to_string();
    reqwest::multipart::Form::new()
        .text("headers", headers)
        .text("from", format!("Marie Dupont <{CUSTOMER}>"))
        .text("to", sent.reply_address.clone())
        .text("subject", "Re: Votre essai")
        .text("text", "Oui, ça m'intéresse. Quel est le prix pour 10 personnes ?\n\nLe lun. 16 nov. 2026, Acme a écrit :\n> Bonjour Marie !\n")
        .text("html", "<p>Oui, ça m'intéresse. Quel est le prix pour 10 personnes ?</p>")
        .text("envelope", envelope)
        .text("charsets", charsets)
        .text("SPF", "pass")
        .text("dkim", "{@example.fr : pass}")
        .text("spam_score", "0.1")
        .text("sender_ip", "203.0.113.7")
}

fn sendgrid_auth() -> BasicAuthCredentials {
    BasicAuthCredentials::new("inbound", "correct horse battery staple")
}

#[tokio::test]
async fn sendgrid_parsed_multipart_is_stored_on_the_customers_timeline() {
    let f = Fixture::new(|b| b.sendgrid_auth(sendgrid_auth())).await;
    let response = f
        .http
        .post(f.server.url("/inbound/sendgrid"))
        .basic_auth("inbound", Some("correct horse battery staple"))
        .multipart(sendgrid_form(&f.sent, "sg-1@example.fr"))
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    assert_eq!(body.outcome, "stored", "{body:?}");
    assert_eq!(body.customer, Some(f.sent.customer.to_string()));
    let kinds = f.kinds().await;
    assert_eq!(count(&kinds, "reply_received"), 1, "{kinds:?}");
    // The reply's own words were stored, without the quoted history.
    let message = f
        .engine
        .store()
        .message(body.message.unwrap().parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let reply = message.reply.unwrap();
    assert!(reply.text.contains("10 personnes"), "{}", reply.text);
    assert!(!reply.text.contains("Bonjour Marie"), "{}", reply.text);
}

#[tokio::test]
async fn sendgrid_raw_mode_email_field_is_stored() {
    let f = Fixture::new(|b| b).await;
    let eml = reply_eml(&f.sent.reply_address, "sg-raw@example.fr", "Oui, merci !");
    let form = reqwest::multipart::Form::new()
        .text("email", String::from_utf8(eml).unwrap())
        .text(
            "envelope",
            serde_json::json!({"to": [f.sent.reply_address], "from": CUSTOMER}).to_string(),
        )
        .text(
            "charsets",
            r#"{"to":"UTF-8","from":"UTF-8","subject":"UTF-8"}"#,
        );
    let response = f
        .http
        .post(f.server.url("/inbound/sendgrid"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(
        (status, body.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{body:?}"
    );
}

#[tokio::test]
async fn wrong_or_missing_basic_auth_is_401_and_stores_nothing() {
    let f = Fixture::new(|b| b.sendgrid_auth(sendgrid_auth())).await;
    for password in [Some("wrong"), None] {
        let mut request = f
            .http
            .post(f.server.url("/inbound/sendgrid"))
            .multipart(sendgrid_form(&f.sent, "sg-auth@example.fr"));
        if let Some(p) = password {
            request = request.basic_auth("inbound", Some(p));
        }
        let response = request.send().await.unwrap();
        assert!(response.headers().contains_key("www-authenticate"));
        let (status, body) = answer(response).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body:?}");
        assert_eq!(body.outcome, "unauthorized");
        assert!(!body.detail.contains("correct horse"), "{body:?}");
    }
    assert_eq!(count(&f.kinds().await, "reply_received"), 0);
}

#[tokio::test]
async fn basic_auth_is_checked_before_the_body_is_read() {
    let f = Fixture::new(|b| {
        b.raw_auth(BasicAuthCredentials::new("mta", "pipe-secret"))
            .max_body_bytes(1024)
    })
    .await;
    let big = vec![b'x'; 64 * 1024];
    let response = f
        .http
        .post(f.server.url("/inbound/raw"))
        .basic_auth("mta", Some("guess"))
        .body(big.clone())
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "refused before the upload: {body:?}"
    );
    let response = f
        .http
        .post(f.server.url("/inbound/raw"))
        .basic_auth("mta", Some("pipe-secret"))
        .body(big)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body:?}");
}

// ---------------------------------------------------------------- raw, duplicates, refusals

#[tokio::test]
async fn raw_mime_is_stored_and_a_second_delivery_is_a_duplicate() {
    let f = Fixture::new(|b| b).await;
    let eml = reply_eml(&f.sent.reply_address, "raw-1@example.fr", "Oui, merci !");
    let (status, first) = f.post("/inbound/raw", eml.clone()).await;
    assert_eq!(
        (status, first.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{first:?}"
    );
    let (status, second) = f.post("/inbound/raw", eml).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(second.outcome, "duplicate", "{second:?}");
    assert_eq!(second.message, first.message, "points at the stored copy");
    assert_eq!(count(&f.kinds().await, "reply_received"), 1);
}

#[tokio::test]
async fn forged_token_is_refused_with_200_and_its_raw_bytes_are_kept() {
    let f = Fixture::new(|b| b).await;
    // Flip one character of the token: the signature no longer matches.
    let (local, domain) = f.sent.reply_address.split_once('@').unwrap();
    let mut chars: Vec<char> = local.chars().collect();
    let last = chars.len() - 1;
    chars[last] = if chars[last] == 'a' { 'b' } else { 'a' };
    let forged = format!("{}@{domain}", chars.into_iter().collect::<String>());
    let eml = reply_eml(&forged, "forged@example.fr", "Envoyez-moi tout.");
    let (status, body) = f.post("/inbound/raw", eml.clone()).await;
    assert_eq!(status, StatusCode::OK, "refused for good: no retry");
    assert_eq!(body.outcome, "rejected", "{body:?}");
    let kept = f
        .store
        .raw_inbound(&sha256_hex(&eml))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.bytes, eml);
    assert_eq!(kept.source, "raw");
    assert_eq!(count(&f.kinds().await, "reply_received"), 0);
}

#[tokio::test]
async fn expired_reply_address_is_refused_with_200() {
    use replytrack::conversation::NewCustomer;
    use replytrack::engine::OutboundDraft;
    let f = Fixture::new(|b| b).await;
    // An email sent to another customer long ago: its reply address has expired since.
    let long_ago = Utc::now() - chrono::TimeDelta::days(120);
    let old = f
        .engine
        .add_customer(NewCustomer::new("ana@example.es"), long_ago)
        .await
        .unwrap();
    let (email, _) = f
        .engine
        .send(
            old.id,
            OutboundDraft::new("Hola", "Hola Ana").start_conversation(),
            long_ago,
        )
        .await
        .unwrap();
    let eml = format!(
        "From: ana@example.es\r\nTo: {}\r\nSubject: Re: Hola\r\nMessage-ID: <late@example.es>\r\n\r\nSí, gracias.\r\n",
        email.reply_address
    );
    let (status, body) = f.post("/inbound/raw", eml.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "refused for good: no retry");
    assert_eq!(body.outcome, "expired", "{body:?}");
    assert_eq!(body.customer, Some(old.id.to_string()));
}

#[tokio::test]
async fn unparseable_payload_is_dead_lettered_with_200() {
    let f = Fixture::new(|b| b).await;
    let payload = b"{\"FromFull\": {\"Email\": ".to_vec();
    let response = f
        .http
        .post(f.server.url("/inbound/postmark"))
        .header("content-type", "application/json")
        .body(payload.clone())
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(
        (status, body.outcome.as_str()),
        (StatusCode::OK, "unparseable"),
        "{body:?}"
    );
    let letters = f.store.dead_letters(10).await.unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].raw.bytes, payload);
    assert_eq!(letters[0].raw.source, "postmark");
    assert!(letters[0].error.contains("JSON"), "{}", letters[0].error);
}

#[tokio::test]
async fn store_down_is_503_with_retry_after_and_the_retry_stores() {
    let f = Fixture::new(|b| b.retry_after_secs(120)).await;
    let eml = reply_eml(&f.sent.reply_address, "down-1@example.fr", "Oui !");
    f.store.set_down(true);
    let response = f
        .http
        .post(f.server.url("/inbound/raw"))
        .body(eml.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["retry-after"], "120");
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body:?}");
    assert_eq!(body.outcome, "unavailable");
    let health = f.http.get(f.server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);

    f.store.set_down(false);
    let (status, body) = f.post("/inbound/raw", eml).await;
    assert_eq!(
        (status, body.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{body:?}"
    );
    let health = f.http.get(f.server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn oversize_body_is_413() {
    let f = Fixture::new(|b| b.max_body_bytes(4 * 1024)).await;
    let big = "x".repeat(8 * 1024);
    let eml = reply_eml(&f.sent.reply_address, "big@example.fr", &big);
    let (status, body) = f.post("/inbound/raw", eml).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body:?}");
    assert_eq!(body.outcome, "too_large");
    // A small one still goes through.
    let eml = reply_eml(&f.sent.reply_address, "small@example.fr", "Oui.");
    let (status, _) = f.post("/inbound/raw", eml).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_store_that_stops_answering_gets_503_after_the_request_timeout() {
    let f = Fixture::new(|b| b).await;
    // A second instance on the same engine, with a short timeout.
    let impatient = common::Server::start(
        Webhooks::builder(f.engine.clone()).request_timeout(Duration::from_millis(100)),
    )
    .await;
    f.store.set_hanging(true);
    let eml = reply_eml(&f.sent.reply_address, "hang-1@example.fr", "Oui !");
    let response = f
        .http
        .post(impatient.url("/inbound/raw"))
        .body(eml.clone())
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("retry-after"));
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body:?}");
    assert_eq!(body.outcome, "timeout");
    // The provider's retry, once the database answers again, stores it.
    f.store.set_hanging(false);
    let (status, body) = f.post("/inbound/raw", eml).await;
    assert_eq!(
        (status, body.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{body:?}"
    );
}

// ---------------------------------------------------------------- Postmark

#[tokio::test]
async fn postmark_json_is_stored() {
    let f = Fixture::new(|b| b.postmark_auth(BasicAuthCredentials::new("pm", "pm-pass"))).await;
    let payload = serde_json::json!({
        "FromFull": {"Email": CUSTOMER, "Name": "Marie Dupont", "MailboxHash": ""},
        "From": CUSTOMER,
        "ToFull": [{"Email": f.sent.reply_address, "Name": "", "MailboxHash": ""}],
        "OriginalRecipient": f.sent.reply_address,
        "Subject": "Re: Votre essai",
        "MessageID": "7b0b8d0c-0000-4000-8000-000000000001",
        "TextBody": "Oui, avec plaisir. Pouvez-vous m'appeler demain ?",
        "HtmlBody": "",
        "Headers": [
            {"Name": "Message-ID", "Value": "<pm-1@example.fr>"},
            {"Name": "In-Reply-To", "Value": format!("<{}>", f.sent.message_id)}
        ],
        "Attachments": []
    });
    let response = f
        .http
        .post(f.server.url("/inbound/postmark"))
        .basic_auth("pm", Some("pm-pass"))
        .json(&payload)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(
        (status, body.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{body:?}"
    );
    assert_eq!(count(&f.kinds().await, "reply_received"), 1);
}

// ---------------------------------------------------------------- Mailgun

fn mailgun_signature(timestamp: i64, token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(MAILGUN_KEY.as_bytes()).unwrap();
    mac.update(timestamp.to_string().as_bytes());
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn mailgun_form(
    sent: &Sent,
    message_id: &str,
    timestamp: i64,
    token: &str,
    signature: &str,
) -> reqwest::multipart::Form {
    let eml = reply_eml(&sent.reply_address, message_id, "Oui, envoyez le devis.");
    reqwest::multipart::Form::new()
        .text("recipient", sent.reply_address.clone())
        .text("sender", CUSTOMER)
        .text("from", format!("Marie Dupont <{CUSTOMER}>"))
        .text("subject", "Re: Votre essai")
        .text("body-mime", String::from_utf8(eml).unwrap())
        .text("timestamp", timestamp.to_string())
        .text("token", token.to_string())
        .text("signature", signature.to_string())
}

#[tokio::test]
async fn mailgun_signed_form_is_stored_and_bad_stale_or_replayed_signatures_are_refused() {
    let f = Fixture::new(|b| b.mailgun(MailgunSigningKey::new(MAILGUN_KEY))).await;
    let url = f.server.url("/inbound/mailgun");
    let now = Utc::now().timestamp();
    let token = "f8e1b0a9c3d24e5f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e";
    let good = mailgun_signature(now, token);

    // Wrong key on our side (or a forger): 401, so Mailgun retries with the same signature.
    let bad = mailgun_signature(now, "another-token");
    let form = mailgun_form(&f.sent, "mg-1@example.fr", now, token, &bad);
    let (status, body) = answer(f.http.post(&url).multipart(form).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body:?}");

    // Signed by the key: stored.
    let form = mailgun_form(&f.sent, "mg-1@example.fr", now, token, &good);
    let (status, body) = answer(f.http.post(&url).multipart(form).send().await.unwrap()).await;
    assert_eq!(
        (status, body.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{body:?}"
    );

    // The same signature again, on another body: a replay. 406: Mailgun does not retry.
    let form = mailgun_form(&f.sent, "mg-2@example.fr", now, token, &good);
    let (status, body) = answer(f.http.post(&url).multipart(form).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE, "{body:?}");
    assert!(body.detail.contains("already used"), "{body:?}");

    // Signed ten hours ago: stale, past Mailgun's 8-hour retry window.
    let old = now - 10 * 3_600;
    let stale_token = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182";
    let form = mailgun_form(
        &f.sent,
        "mg-3@example.fr",
        old,
        stale_token,
        &mailgun_signature(old, stale_token),
    );
    let (status, body) = answer(f.http.post(&url).multipart(form).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE, "{body:?}");
    assert!(body.detail.contains("stale"), "{body:?}");

    assert_eq!(count(&f.kinds().await, "reply_received"), 1);
}

#[tokio::test]
async fn mailgun_delivery_answered_503_can_be_retried_with_the_same_signature() {
    let f = Fixture::new(|b| b.mailgun(MailgunSigningKey::new(MAILGUN_KEY))).await;
    let url = f.server.url("/inbound/mailgun");
    let now = Utc::now().timestamp();
    let token = "1111111111222222222233333333334444444444555555555a";
    let sig = mailgun_signature(now, token);
    f.store.set_down(true);
    let form = mailgun_form(&f.sent, "mg-retry@example.fr", now, token, &sig);
    let (status, _) = answer(f.http.post(&url).multipart(form).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    f.store.set_down(false);
    let form = mailgun_form(&f.sent, "mg-retry@example.fr", now, token, &sig);
    let (status, body) = answer(f.http.post(&url).multipart(form).send().await.unwrap()).await;
    assert_eq!(
        (status, body.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{body:?}"
    );
}

#[tokio::test]
async fn mailgun_and_ses_endpoints_are_404_until_configured() {
    let f = Fixture::new(|b| b).await;
    for path in ["/inbound/mailgun", "/inbound/ses"] {
        let (status, body) = f.post(path, b"{}".to_vec()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body:?}");
        assert_eq!(body.outcome, "not_configured");
    }
}

// ---------------------------------------------------------------- SES through SNS

#[derive(Debug, Default)]
struct RecordingSubscriptions(Mutex<Vec<SnsSubscription>>);

#[async_trait]
impl SubscriptionHandler for RecordingSubscriptions {
    async fn confirm(&self, subscription: &SnsSubscription) -> Result<(), BoxError> {
        self.0.lock().unwrap().push(subscription.clone());
        Ok(())
    }
}

/// Sign an SNS envelope (version 2, SHA256withRSA) with the test key, as SNS does.
fn sign_sns(mut envelope: serde_json::Value) -> Vec<u8> {
    let unsigned = serde_json::to_vec(&envelope).unwrap();
    let sns = SnsMessage::parse(&unsigned, &Default::default()).unwrap();
    let string_to_sign = sns.string_to_sign().unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(SNS_KEY).unwrap();
    use sha2::Digest;
    let digest = Sha256::digest(string_to_sign.as_bytes());
    let signature = key
        .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest)
        .unwrap();
    envelope["Signature"] =
        serde_json::Value::String(base64::engine::general_purpose::STANDARD.encode(signature));
    serde_json::to_vec(&envelope).unwrap()
}

fn ses_notification(sent: &Sent, message_id: &str) -> serde_json::Value {
    let eml = reply_eml(&sent.reply_address, message_id, "Oui, c'est parfait.");
    let notification = serde_json::json!({
        "notificationType": "Received",
        "mail": {
            "timestamp": Utc::now().to_rfc3339(),
            "source": CUSTOMER,
            "messageId": "o3vrnil0e2ic28trm7dfhrc2v0cnbrsmg8tl1u01",
            "destination": [sent.reply_address],
        },
        "receipt": {
            "recipients": [sent.reply_address],
            "spamVerdict": {"status": "PASS"},
            "virusVerdict": {"status": "PASS"},
            "spfVerdict": {"status": "PASS"},
            "dkimVerdict": {"status": "PASS"},
            "dmarcVerdict": {"status": "PASS"},
            "action": {"type": "SNS", "topicArn": TOPIC, "encoding": "BASE64"}
        },
        "content": base64::engine::general_purpose::STANDARD.encode(eml),
    });
    serde_json::json!({
        "Type": "Notification",
        "MessageId": "d6a5b1c2-0f2e-5b7e-9d2a-4a8c6e7f1b02",
        "TopicArn": TOPIC,
        "Subject": "Amazon SES Email Receipt Notification",
        "Message": notification.to_string(),
        "Timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "SignatureVersion": "2",
        "SigningCertURL": CERT_URL,
        "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x",
    })
}

fn ses_config(subscriptions: Arc<RecordingSubscriptions>) -> SesConfig {
    SesConfig::new(TOPIC, Arc::new(StaticCertificate::new(SNS_CERT))).subscriptions(subscriptions)
}

#[tokio::test]
async fn ses_notification_signed_by_sns_is_stored_and_a_tampered_one_is_403() {
    let subs = Arc::new(RecordingSubscriptions::default());
    let f = Fixture::new(|b| b.ses(ses_config(subs.clone()))).await;
    let body = sign_sns(ses_notification(&f.sent, "ses-1@example.fr"));

    // Altered after signing: the signature no longer matches.
    let tampered = String::from_utf8(body.clone()).unwrap().replace(
        "Amazon SES Email Receipt Notification",
        "Amazon SES Email Receipt Notificatio",
    );
    let (status, answer_body) = f.post("/inbound/ses", tampered.into_bytes()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer_body:?}");
    assert_eq!(answer_body.outcome, "forbidden");

    let (status, answer_body) = f.post("/inbound/ses", body).await;
    assert_eq!(
        (status, answer_body.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{answer_body:?}"
    );
    assert_eq!(count(&f.kinds().await, "reply_received"), 1);
    assert!(subs.0.lock().unwrap().is_empty());
}

#[tokio::test]
async fn ses_subscription_confirmation_goes_to_the_handler() {
    let subs = Arc::new(RecordingSubscriptions::default());
    let f = Fixture::new(|b| b.ses(ses_config(subs.clone()))).await;
    let confirmation = serde_json::json!({
        "Type": "SubscriptionConfirmation",
        "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
        "TopicArn": TOPIC,
        "Message": format!("You have chosen to subscribe to the topic {TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message."),
        "SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:123456789012:replytrack-inbound&Token=2336412f37",
        "Timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "SignatureVersion": "2",
        "SigningCertURL": CERT_URL,
    });
    let (status, body) = f.post("/inbound/ses", sign_sns(confirmation)).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    assert_eq!(body.outcome, "subscription_confirmation");
    let seen = subs.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].topic_arn, TOPIC);
    assert!(seen[0].subscribe_url.contains("ConfirmSubscription"));
}

#[tokio::test]
async fn ses_message_of_another_topic_is_403() {
    let subs = Arc::new(RecordingSubscriptions::default());
    let f = Fixture::new(|b| b.ses(ses_config(subs))).await;
    let mut envelope = ses_notification(&f.sent, "ses-other@example.fr");
    envelope["TopicArn"] = "arn:aws:sns:eu-west-1:123456789012:someone-else".into();
    let (status, body) = f.post("/inbound/ses", sign_sns(envelope)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body:?}");
    assert!(body.detail.contains("not the expected topic"), "{body:?}");
}

// ---------------------------------------------------------------- workers

#[tokio::test]
async fn workers_analyse_stored_replies_in_the_background_and_stop_on_shutdown() {
    let f = Fixture::new(|b| b).await;
    let workers = Workers::spawn(
        f.engine.clone(),
        WorkerConfig::default().poll_interval(Duration::from_millis(20)),
    );
    let eml = reply_eml(
        &f.sent.reply_address,
        "work-1@example.fr",
        "Oui, très intéressée ! Quel est le prix pour 10 personnes ? C'est urgent.",
    );
    let (status, body) = f.post("/inbound/raw", eml).await;
    assert_eq!(
        (status, body.outcome.as_str()),
        (StatusCode::OK, "stored"),
        "{body:?}"
    );
    let conversation = body.conversation.unwrap().parse().unwrap();

    // Wait (polling, no deadline assertion) until the analysis worker has run.
    let mut analysed = false;
    for _ in 0..1_000 {
        let kinds: Vec<String> = f
            .engine
            .timeline(TimelineScope::Conversation(conversation))
            .await
            .unwrap()
            .iter()
            .map(|e| e.kind.name().to_string())
            .collect();
        if kinds.iter().any(|k| k == "analysis_completed") {
            analysed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(analysed, "the analysis worker never completed the job");
    assert!(workers.stats().analyses() >= 1);
    assert_eq!(workers.stats().errors(), 0);
    workers.shutdown().await;
}

// ---------------------------------------------------------------- fetching certificates

#[tokio::test]
async fn http_certificates_are_fetched_once_and_cached_and_oversize_ones_refused() {
    use replytrack_server::{HttpCertificates, MAX_CERT_BYTES, SnsCertificates};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = axum::Router::new()
        .route(
            "/cert.pem",
            axum::routing::get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { SNS_CERT.to_vec() }
            }),
        )
        .route(
            "/huge.pem",
            axum::routing::get(|| async { vec![b'A'; MAX_CERT_BYTES + 1] }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let certs = HttpCertificates::new().unwrap();
    let url = format!("http://{addr}/cert.pem");
    assert_eq!(certs.certificate(&url).await.unwrap(), SNS_CERT);
    assert_eq!(certs.certificate(&url).await.unwrap(), SNS_CERT);
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "the second call is served from the cache"
    );
    let err = certs
        .certificate(&format!("http://{addr}/huge.pem"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    let err = certs
        .certificate(&format!("http://{addr}/missing.pem"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
    server.abort();
}
