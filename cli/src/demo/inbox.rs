//! Sections 3 and 4 of the demo: replies flow through the engine over an in-memory store.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, EventKind, NewCustomer, SnoozePreset, Tz};
use replytrack::engine::{ComposedEmail, Engine, EngineError, IngestOutcome, OutboundDraft};
use replytrack::ports::TimelineScope;
use replytrack::store::{MemoryMailer, MemoryStore};
use replytrack::token::TokenAuthority;
use serde_json::{Value, json};

use super::{CUSTOMERS, print_table};

fn outbound(e: &ComposedEmail) -> (&str, &str) {
    (e.reply_address.as_str(), e.email.message_id.as_str())
}

/// Marie answers from Gmail, in French, quoting the email.
fn french_gmail(to: (&str, &str)) -> String {
    format!(
        "From: Marie Dupont <marie@boulangerie-dupont.fr>\r\nTo: Acme <{0}>\r\n\
         Subject: Re: Votre essai Acme se termine\r\nMessage-ID: <CAJx8fr+demo@mail.gmail.com>\r\n\
         In-Reply-To: <{1}>\r\nReferences: <{1}>\r\nDate: Tue, 3 Mar 2026 11:02:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nBonjour,\r\n\r\nNous sommes très intéressés \
         par le forfait Pro et voulons passer au forfait Pro. Nous envoyons environ 5 000 \
         emails par mois. Pouvez-vous m'envoyer un devis ?\r\n\r\nCordialement,\r\nMarie\r\n\r\nLe mar. 3 mars 2026 à 10:12, Acme \
         <hello@acme-demo.example> a écrit :\r\n> Bonjour Marie,\r\n> Votre essai se termine \
         dans 3 jours.\r\n",
        to.0, to.1
    )
}

/// Juan answers from Outlook, in Spanish, with Outlook's header block above the quote.
fn spanish_outlook(to: (&str, &str)) -> String {
    format!(
        "From: =?UTF-8?Q?Juan_Garc=C3=ADa?= <juan@ferreteria-garcia.es>\r\nTo: <{0}>\r\n\
         Subject: RE: Su prueba de Acme termina pronto\r\nMessage-ID: <DB9P-demo@outlook.com>\r\n\
         In-Reply-To: <{1}>\r\nReferences: <{1}>\r\nDate: Tue, 3 Mar 2026 12:30:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nHola,\r\n\r\nTenemos un problema con la \
         factura 2024-118, ¿pueden revisarla?\r\n\r\nSaludos,\r\nJuan\r\n\r\n\
         ________________________________\r\nDe: Acme <hello@acme-demo.example>\r\n\
         Enviado el: martes, 3 de marzo de 2026 10:12\r\nPara: Juan García\r\n\
         Asunto: Su prueba de Acme termina pronto\r\n\r\nHola Juan, su prueba termina en 3 \
         días.\r\n",
        to.0, to.1
    )
}

/// Max's mailbox answers by itself: he is away.
fn out_of_office(to: (&str, &str)) -> String {
    format!(
        "From: Max Müller <max@mueller-gmbh.de>\r\nTo: <{0}>\r\n\
         Subject: Automatische Antwort: Ihre Testphase endet bald\r\n\
         Auto-Submitted: auto-replied\r\nMessage-ID: <ooo-demo@mueller-gmbh.de>\r\n\
         In-Reply-To: <{1}>\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nIch bin bis zum 10. März nicht im Büro.\r\n",
        to.0, to.1
    )
}

/// Ana's mailbox does not exist: the receiving server bounces the email.
fn hard_bounce(to: (&str, &str)) -> String {
    format!(
        "From: Mail Delivery Subsystem <mailer-daemon@mx.lojasouza.com.br>\r\n\
         To: <hello@acme-demo.example>\r\nSubject: Undelivered Mail Returned to Sender\r\n\
         Message-ID: <dsn-demo@mx.lojasouza.com.br>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--b\r\n\
         Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.lojasouza.com.br\
         \r\n\r\nFinal-Recipient: rfc822; ana@lojasouza.com.br\r\nAction: failed\r\n\
         Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unknown\r\n--b\r\n\
         Content-Type: text/rfc822-headers\r\n\r\nFrom: Acme <hello@acme-demo.example>\r\n\
         To: ana@lojasouza.com.br\r\nReply-To: <{0}>\r\nMessage-ID: <{1}>\r\n--b--\r\n",
        to.0, to.1
    )
}

/// A plain reply from `from` to a reply address.
fn plain(from: &str, id: &str, to: &str, text: &str) -> String {
    format!(
        "From: {from}\r\nTo: <{to}>\r\nSubject: Re: hello\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\r\n{text}\r\n"
    )
}

/// Run the inbox story and return it as JSON.
pub async fn section(
    authority: TokenAuthority,
    format: AddressFormat,
    now: DateTime<Utc>,
) -> Result<Value, EngineError> {
    let account =
        AccountSettings::new("Acme", "hello@acme-demo.example", "owner@acme-demo.example")?
            .from_name("Acme")
            .time_zone(Tz::Europe__Paris);
    let mailer = Arc::new(MemoryMailer::new());
    let engine = Engine::builder(authority, format, account)
        .store(Arc::new(MemoryStore::new()))
        .mailer(mailer.clone())
        .build()
        .map_err(|e| EngineError::NotFound {
            entity: "engine",
            id: e.to_string(),
        })?;
    let sent_at = now - Duration::hours(26);
    let mut customers = Vec::new();
    let mut emails = Vec::new();
    for c in &CUSTOMERS {
        let customer = engine
            .add_customer(
                NewCustomer::new(c.email).name(c.name),
                sent_at - Duration::days(200),
            )
            .await?;
        // Sarah's email went out four months ago: its reply address has expired.
        let at = if c.lang == "en" {
            now - Duration::days(120)
        } else {
            sent_at
        };
        let (email, _) = engine
            .send(
                customer.id,
                OutboundDraft::new(
                    "Votre essai Acme se termine",
                    "Votre essai se termine dans 3 jours.",
                )
                .start_conversation(),
                at,
            )
            .await?;
        customers.push(customer);
        emails.push(email);
    }
    let by_lang = |lang: &str| CUSTOMERS.iter().position(|c| c.lang == lang).unwrap_or(0);
    let [marie, juan, ana, max, sarah] =
        ["fr", "es", "pt", "de", "en"].map(|l| outbound(&emails[by_lang(l)]));
    let sarah_id = customers[by_lang("en")].id;
    let marie_conv = emails[by_lang("fr")].conversation;
    let forged = {
        let mut t: Vec<char> = juan.0.chars().collect();
        if let Some(c) = t.get_mut(20) {
            *c = if *c == 'a' { 'b' } else { 'a' };
        }
        t.into_iter().collect::<String>()
    };
    let cases: Vec<(&str, String)> = vec![
        ("French reply from Gmail", french_gmail(marie)),
        ("Spanish reply from Outlook", spanish_outlook(juan)),
        ("out-of-office", out_of_office(max)),
        ("hard bounce", hard_bounce(ana)),
        ("the French reply delivered again", french_gmail(marie)),
        (
            "forged reply address",
            plain("juan@ferreteria-garcia.es", "forged@x.es", &forged, "Hola"),
        ),
        (
            "reply from a stranger",
            plain("mallory@evil.example", "q@evil.example", juan.0, "Pay here"),
        ),
        (
            "reply to a 120-day-old email",
            plain(
                "sarah@jonesandco.co.uk",
                "late@jonesandco.co.uk",
                sarah.0,
                "Still on?",
            ),
        ),
    ];
    let mut ingested = Vec::new();
    for (i, (case, raw)) in cases.into_iter().enumerate() {
        let at = now - Duration::hours(3) + Duration::minutes(10 * i as i64);
        let outcome = engine.ingest_raw(raw.as_bytes(), at).await?;
        let reply = match &outcome {
            IngestOutcome::Stored(s) => engine
                .store()
                .message(s.message)
                .await?
                .and_then(|m| m.reply)
                .map(|r| json!({ "text": r.text, "lang": r.lang })),
            _ => None,
        };
        ingested.push(json!({
            "case": case,
            "outcome": outcome.name(),
            "explain": outcome.explain(),
            "reply": reply,
        }));
    }
    // In the background, the analysis worker analyses each stored reply.
    let analysis =
        super::analysis::section(&engine, &customers, now - Duration::minutes(40)).await?;
    // Sarah is owed a new address: the next email brings one and reopens her conversation.
    let (renewed, _) = engine
        .send(
            sarah_id,
            OutboundDraft::new("Your Acme trial", "Here is a fresh link."),
            now - Duration::minutes(30),
        )
        .await?;
    // Marie's conversation is snoozed until tomorrow 09:00 in Paris.
    if let Some(conv) = marie_conv {
        engine
            .snooze(
                conv,
                SnoozePreset::TomorrowMorning,
                None,
                now - Duration::minutes(20),
            )
            .await?;
    }
    let mut timelines = Vec::new();
    for c in &customers {
        let events = engine.timeline(TimelineScope::Customer(c.id)).await?;
        let current = engine.store().active_conversation(c.id).await?;
        timelines.push(json!({
            "customer": c.name,
            "status": current.map(|c| c.status.to_string()),
            "funnel": engine.customer(c.id).await?.map(|c| c.funnel.name()),
            "events": events.iter().map(|e| json!({
                "at": e.at,
                "type": e.kind.name(),
                "detail": detail(&e.kind).chars().take(100).collect::<String>(),
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(json!({
        "ingest": ingested,
        "reissued_token_for": customers[by_lang("en")].name,
        "new_reply_address": renewed.reply_address,
        "forwards_sent": mailer.sent().len().saturating_sub(CUSTOMERS.len() + 1),
        "timelines": timelines,
        "analysis": analysis,
    }))
}

fn detail(kind: &EventKind) -> String {
    match kind {
        EventKind::ConversationOpened { source, .. } => {
            format!("opened by {source:?}").to_lowercase()
        }
        EventKind::EmailSent { subject, .. } => subject.clone().unwrap_or_default(),
        EventKind::ReplyReceived { text, lang, .. } => format!(
            "[{}] {}",
            lang.as_deref().unwrap_or("?"),
            replytrack::conversation::preview(text)
        ),
        EventKind::AutoReplyReceived { subject, .. } => subject.clone().unwrap_or_default(),
        EventKind::BounceReceived {
            addresses,
            hard,
            status,
            ..
        } => format!(
            "{} bounce {} {}",
            if *hard { "hard" } else { "soft" },
            addresses.join(", "),
            status.as_deref().unwrap_or("")
        ),
        EventKind::StatusChanged { from, to, .. } => format!("{} → {to}", from.name()),
        EventKind::FunnelChanged { from, to, .. } => format!("{from} → {to}"),
        EventKind::DeliveryChanged { from, to } => format!("{from} → {to}"),
        EventKind::ReplyForwarded { to } => format!("to {to}"),
        EventKind::ReplyQuarantined { reason } => reason.to_string(),
        EventKind::ExpiredReplyRefused { token, .. } => format!("token {token}"),
        EventKind::TokenReissued { previous, token } => format!("{previous} → {token}"),
        EventKind::AnalysisCompleted { analysis, .. } => super::analysis::summary(analysis),
        EventKind::AnalysisFailed { error, .. } => error.clone(),
        EventKind::NoteAdded { text, .. } => text.lines().next().unwrap_or("").to_string(),
        EventKind::Labelled { label, added } => {
            format!("{}{label}", if *added { "+" } else { "-" })
        }
        EventKind::PriorityChanged { priority } => format!("{priority:?}").to_lowercase(),
        _ => String::new(),
    }
}

/// Print sections 3 and 4.
pub fn print(inbox: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    println!();
    println!("3. Replies arrive as raw MIME and go through ingest (in-memory store)");
    println!();
    let rows: Vec<Vec<String>> = inbox["ingest"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| vec![s(&c["case"]), s(&c["outcome"])])
                .collect()
        })
        .unwrap_or_default();
    print_table(&["case", "outcome"], &rows);
    println!();
    for c in inbox["ingest"].as_array().into_iter().flatten() {
        println!("   · {}: {}", s(&c["case"]), s(&c["explain"]));
    }
    println!();
    println!(
        "   {} replies forwarded to the owner; {} gets a new reply address: {}",
        inbox["forwards_sent"],
        s(&inbox["reissued_token_for"]),
        s(&inbox["new_reply_address"])
    );
    println!();
    println!("4. The timeline of each customer");
    for t in inbox["timelines"].as_array().into_iter().flatten() {
        println!();
        println!(
            "   {} — conversation {}, funnel {}",
            s(&t["customer"]),
            t["status"].as_str().unwrap_or("none"),
            s(&t["funnel"])
        );
        let rows: Vec<Vec<String>> = t["events"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        let at = e["at"].as_str().unwrap_or("");
                        vec![
                            at.get(..16).unwrap_or(at).replace('T', " "),
                            s(&e["type"]),
                            s(&e["detail"]),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default();
        print_table(&["at (UTC)", "event", "detail"], &rows);
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use replytrack::token::{KeyId, Keyring, Secret};

    use super::*;

    #[test]
    fn the_demo_story_shows_every_kind_of_outcome() {
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 12, 0, 0).unwrap();
        let mut ring = Keyring::new();
        ring.add_derived(
            &Secret::from_bytes(&[1; 32]).unwrap(),
            KeyId::new(0).unwrap(),
            now - Duration::days(400),
        )
        .unwrap();
        let authority = TokenAuthority::builder(ring)
            .domain("reply.acme-demo.example")
            .build()
            .unwrap();
        let format = AddressFormat::new("reply.acme-demo.example").unwrap();
        let v = futures::executor::block_on(section(authority, format, now)).unwrap();
        let outcomes: Vec<&str> = v["ingest"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(
            outcomes,
            [
                "stored",
                "stored",
                "auto_reply_recorded",
                "bounce_recorded",
                "duplicate",
                "rejected",
                "quarantined",
                "expired"
            ]
        );
        assert_eq!(v["forwards_sent"], 2);
        assert_eq!(v["timelines"].as_array().unwrap().len(), 5);
        // Both stored replies were analysed: Marie's is high value, Juan's needs attention.
        assert_eq!(v["analysis"]["run"]["analysed"], 2);
        let types: Vec<&str> = v["analysis"]["replies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["analysis"]["response_type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["high_value", "needs_attention"]);
        assert_eq!(v["analysis"]["insights"]["analysed"], 2);
        let marie = &v["timelines"][0]["events"];
        let kinds: Vec<&str> = marie
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"analysis_completed") && kinds.contains(&"note_added"));
    }
}
