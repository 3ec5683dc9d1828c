//! The CLI's mailer: every email handed to it is remembered, and written as an `.eml` file when an
//! outbox directory is given. Nothing leaves the machine.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;
use replytrack::message::{InboundMessage, Limits};
use replytrack::ports::{Mailer, MailerError, OutgoingEmail, SendReceipt};
use serde_json::{Value, json};

/// An email the mailer accepted.
#[derive(Debug, Clone)]
pub struct SentMail {
    /// Envelope recipients.
    pub to: Vec<String>,
    /// The decoded subject.
    pub subject: String,
    /// The `Message-ID`, without brackets.
    pub message_id: String,
    /// The file it was written to, with an outbox.
    pub file: Option<PathBuf>,
    /// The RFC 5322 bytes.
    pub raw: Vec<u8>,
}

impl SentMail {
    /// As JSON; the raw message is included when it was not written to a file.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "to": self.to,
            "subject": self.subject,
            "message_id": self.message_id,
            "file": self.file.as_ref().map(|f| f.display().to_string()),
        });
        if self.file.is_none() {
            v["raw"] = json!(String::from_utf8_lossy(&self.raw));
        }
        v
    }
}

/// A mailer that keeps what it is given, and writes it to an outbox directory when there is one.
#[derive(Debug, Default)]
pub struct CliMailer {
    outbox: Option<PathBuf>,
    sent: Mutex<Vec<SentMail>>,
}

impl CliMailer {
    /// A mailer writing to `outbox` (created if missing), or only remembering.
    ///
    /// # Errors
    /// When the directory cannot be created.
    pub fn new(outbox: Option<&Path>) -> std::io::Result<Self> {
        if let Some(dir) = outbox {
            std::fs::create_dir_all(dir)?;
        }
        Ok(Self {
            outbox: outbox.map(Path::to_path_buf),
            sent: Mutex::new(Vec::new()),
        })
    }

    /// The emails accepted since the last call.
    pub fn take(&self) -> Vec<SentMail> {
        self.sent
            .lock()
            .map(|mut g| std::mem::take(&mut *g))
            .unwrap_or_default()
    }

    /// Write one email to the outbox (a temporary name, then renamed, so a reader never sees half
    /// a file). Returns the path.
    fn write(&self, dir: &Path, email: &OutgoingEmail) -> std::io::Result<PathBuf> {
        let millis = chrono::Utc::now().timestamp_millis();
        let name = file_stem(&email.message_id);
        let mut path = dir.join(format!("{millis}-{name}.eml"));
        let mut n = 1;
        while path.exists() {
            n += 1;
            path = dir.join(format!("{millis}-{name}-{n}.eml"));
        }
        let tmp = path.with_extension("eml.tmp");
        std::fs::write(&tmp, &email.raw)?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

/// A file-name-safe form of a Message-ID: letters, digits, `.`, `-`, `_`; at most 80 characters.
pub fn file_stem(message_id: &str) -> String {
    let s: String = message_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if s.is_empty() {
        "message".to_string()
    } else {
        s
    }
}

/// The decoded subject of raw RFC 5322 bytes, or an empty string.
pub fn subject_of(raw: &[u8]) -> String {
    InboundMessage::parse(raw, &Limits::default())
        .ok()
        .and_then(|m| m.subject)
        .unwrap_or_default()
}

#[async_trait]
impl Mailer for CliMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<SendReceipt, MailerError> {
        let file = match &self.outbox {
            Some(dir) => Some(
                self.write(dir, email)
                    .map_err(|e| MailerError::Temporary(Box::new(e)))?,
            ),
            None => None,
        };
        let mail = SentMail {
            to: email.recipients.clone(),
            subject: subject_of(&email.raw),
            message_id: email.message_id.clone(),
            file,
            raw: email.raw.clone(),
        };
        if let Ok(mut g) = self.sent.lock() {
            g.push(mail);
        }
        Ok(SendReceipt::default())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(
            file_stem("abc.def@reply.example.com"),
            "abc.def_reply.example.com"
        );
        assert_eq!(file_stem("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(file_stem(""), "message");
        assert_eq!(file_stem(&"x".repeat(300)).len(), 80);
    }

    #[test]
    fn the_outbox_gets_one_file_per_email() {
        let dir = std::env::temp_dir().join(format!("rt-cli-mailer-{}", std::process::id()));
        let mailer = CliMailer::new(Some(&dir)).unwrap();
        let email = OutgoingEmail {
            envelope_from: "a@example.com".into(),
            recipients: vec!["b@example.com".into()],
            message_id: "m1@example.com".into(),
            raw: b"Subject: Hi\r\nMessage-ID: <m1@example.com>\r\n\r\nHello\r\n".to_vec(),
        };
        futures::executor::block_on(async {
            mailer.send(&email).await.unwrap();
            mailer.send(&email).await.unwrap();
        });
        let sent = mailer.take();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].subject, "Hi");
        assert_ne!(sent[0].file, sent[1].file);
        for s in &sent {
            assert_eq!(std::fs::read(s.file.as_ref().unwrap()).unwrap(), email.raw);
        }
        assert!(mailer.take().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
