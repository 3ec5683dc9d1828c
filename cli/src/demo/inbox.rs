//! Sections 3, 4 and 6 of the demo: replies flow through the engine over the store (SQLite by
//! default), forwards go to the mailer, and each customer's timeline is read back.

use chrono::{DateTime, Duration, Utc};
use replytrack::conversation::{Customer, NewCustomer, SnoozePreset};
use replytrack::engine::{
    ComposedEmail, Engine, EngineError, ForwardStatus, IngestOutcome, OutboundDraft,
};
use replytrack::ports::TimelineScope;
use serde_json::{Value, json};

use super::CUSTOMERS;
use crate::mailer::CliMailer;
use crate::show::{event_json, print_table, timeline_rows};

fn outbound(e: &ComposedEmail) -> (&str, &str) {
    (e.reply_address.as_str(), e.email.message_id.as_str())
}

/// A piece of the outgoing Message-ID (which embeds the fresh token) that makes each sample's own
/// Message-ID new on every run.
fn nonce(message_id: &str) -> String {
    message_id
        .split('@')
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(24)
        .collect()
}

/// Marie answers from Gmail, in French, quoting the email.
fn french_gmail(to: (&str, &str)) -> String {
    format!(
        "From: Marie Dupont <marie@boulangerie-dupont.fr>\r\nTo: Acme <{0}>\r\n\
         Subject: Re: Votre essai Acme se termine\r\nMessage-ID: <CAJx8fr+{2}@mail.gmail.com>\r\n\
         In-Reply-To: <{1}>\r\nReferences: <{1}>\r\nDate: Tue, 3 Mar 2026 11:02:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nBonjour,\r\n\r\nNous sommes très intéressés \
         par le forfait Pro et voulons passer au forfait Pro. Nous envoyons environ 5 000 \
         emails par mois. Pouvez-vous m'envoyer un devis ?\r\n\r\nCordialement,\r\nMarie\r\n\r\nLe mar. 3 mars 2026 à 10:12, Acme \
         <hello@acme-demo.example> a écrit :\r\n> Bonjour Marie,\r\n> Votre essai se termine \
         dans 3 jours.\r\n",
        to.0,
        to.1,
        nonce(to.1)
    )
}

/// Juan answers from Outlook, in Spanish, with Outlook's header block above the quote.
fn spanish_outlook(to: (&str, &str)) -> String {
    format!(
        "From: =?UTF-8?Q?Juan_Garc=C3=ADa?= <juan@ferreteria-garcia.es>\r\nTo: <{0}>\r\n\
         Subject: RE: Su prueba de Acme termina pronto\r\nMessage-ID: <DB9P-{2}@outlook.com>\r\n\
         In-Reply-To: <{1}>\r\nReferences: <{1}>\r\nDate: Tue, 3 Mar 2026 12:30:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nHola,\r\n\r\nTenemos un problema con la \
         factura 2024-118, ¿pueden revisarla?\r\n\r\nSaludos,\r\nJuan\r\n\r\n\
         ________________________________\r\nDe: Acme <hello@acme-demo.example>\r\n\
         Enviado el: martes, 3 de marzo de 2026 10:12\r\nPara: Juan García\r\n\
         Asunto: Su prueba de Acme termina pronto\r\n\r\nHola Juan, su prueba termina en 3 \
         días.\r\n",
        to.0,
        to.1,
        nonce(to.1)
    )
}

/// Max's mailbox answers by itself: he is away.
fn out_of_office(to: (&str, &str)) -> String {
    format!(
        "From: Max Müller <max@mueller-gmbh.de>\r\nTo: <{0}>\r\n\
         Subject: Automatische Antwort: Ihre Testphase endet bald\r\n\
         Auto-Submitted: auto-replied\r\nMessage-ID: <ooo-{2}@mueller-gmbh.de>\r\n\
         In-Reply-To: <{1}>\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nIch bin bis zum 10. März nicht im Büro.\r\n",
        to.0,
        to.1,
        nonce(to.1)
    )
}

/// Ana's mailbox does not exist: the receiving server bounces the email.
fn hard_bounce(to: (&str, &str)) -> String {
    format!(
        "From: Mail Delivery Subsystem <mailer-daemon@mx.lojasouza.com.br>\r\n\
         To: <hello@acme-demo.example>\r\nSubject: Undelivered Mail Returned to Sender\r\n\
         Message-ID: <dsn-{2}@mx.lojasouza.com.br>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--b\r\n\
         Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.lojasouza.com.br\
         \r\n\r\nFinal-Recipient: rfc822; ana@lojasouza.com.br\r\nAction: failed\r\n\
         Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unknown\r\n--b\r\n\
         Content-Type: text/rfc822-headers\r\n\r\nFrom: Acme <hello@acme-demo.example>\r\n\
         To: ana@lojasouza.com.br\r\nReply-To: <{0}>\r\nMessage-ID: <{1}>\r\n--b--\r\n",
        to.0,
        to.1,
        nonce(to.1)
    )
}

/// João answers from Apple Mail on his Mac, in Portuguese.
fn portuguese_apple_mail(to: (&str, &str)) -> String {
    format!(
        "From: =?utf-8?Q?Jo=C3=A3o_Pereira?= <joao@pereira-cafe.pt>\r\nTo: Acme <{0}>\r\n\
         Subject: Re: Votre essai Acme se termine\r\n\
         Message-ID: <8E1F{2}-0409-E266@pereira-cafe.pt>\r\nIn-Reply-To: <{1}>\r\n\
         References: <{1}>\r\nDate: Tue, 3 Mar 2026 10:41:00 +0000\r\n\
         X-Mailer: Apple Mail (2.3826.400.131.1.6)\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         Olá,\r\n\r\nGostamos muito do Acme e queremos continuar com o plano Pro. Precisamos \
         de faturação anual: é possível? Enviamos cerca de 2 000 emails por mês.\r\n\r\n\
         Abraço,\r\nJoão\r\n\r\n> A 2/03/2026, às 08:00, Acme <hello@acme-demo.example> \
         escreveu:\r\n>\r\n> Votre essai se termine dans 3 jours.\r\n",
        to.0,
        to.1,
        nonce(to.1)
    )
}

/// Sarah answers the email that brought her a new address, from Apple Mail on her iPhone.
fn english_iphone(to: (&str, &str)) -> String {
    format!(
        "From: Sarah Jones <sarah@jonesandco.co.uk>\r\nTo: Acme <{0}>\r\n\
         Subject: Re: Your Acme trial\r\nMessage-ID: <3F2A{2}@jonesandco.co.uk>\r\n\
         In-Reply-To: <{1}>\r\nReferences: <{1}>\r\nDate: Tue, 3 Mar 2026 09:35:00 +0000\r\n\
         X-Mailer: iPhone Mail (21D61)\r\nMIME-Version: 1.0 (1.0)\r\n\
         Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n\
         Thanks for the new link! We would like to keep going: could you send a quote for 10 \
         seats?\r\n\r\nSent from my iPhone\r\n\r\n> On 3 Mar 2026, at 09:30, Acme \
         <hello@acme-demo.example> wrote:\r\n>\r\n> Here is a fresh link.\r\n",
        to.0,
        to.1,
        nonce(to.1)
    )
}

/// A plain reply from `from` to a reply address.
fn plain(from: &str, id: &str, to: &str, text: &str) -> String {
    format!(
        "From: {from}\r\nTo: <{to}>\r\nSubject: Re: hello\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\r\n{text}\r\n"
    )
}

/// Run the inbox story on `engine` (whose mailer is `mailer`) and return it as JSON.
pub async fn section(
    engine: &Engine,
    mailer: &CliMailer,
    now: DateTime<Utc>,
) -> Result<Value, EngineError> {
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
    let idx = |email: &str| CUSTOMERS.iter().position(|c| c.email == email).unwrap_or(0);
    let (marie_i, juan_i, ana_i, max_i, sarah_i, joao_i) = (
        idx("marie@boulangerie-dupont.fr"),
        idx("juan@ferreteria-garcia.es"),
        idx("ana@lojasouza.com.br"),
        idx("max@mueller-gmbh.de"),
        idx("sarah@jonesandco.co.uk"),
        idx("joao@pereira-cafe.pt"),
    );
    let marie = outbound(&emails[marie_i]);
    let juan = outbound(&emails[juan_i]);
    let sarah = outbound(&emails[sarah_i]);
    let sarah_id = customers[sarah_i].id;
    let marie_conv = emails[marie_i].conversation;
    let forged = {
        let mut t: Vec<char> = juan.0.chars().collect();
        if let Some(c) = t.get_mut(20) {
            *c = if *c == 'a' { 'b' } else { 'a' };
        }
        t.into_iter().collect::<String>()
    };
    let stranger_id = format!("q{}@evil.example", nonce(juan.1));
    let late_id = format!("late{}@jonesandco.co.uk", nonce(sarah.1));
    let forged_id = format!("forged{}@x.es", nonce(juan.1));
    let cases: Vec<(&str, String)> = vec![
        ("French reply from Gmail", french_gmail(marie)),
        ("Spanish reply from Outlook", spanish_outlook(juan)),
        (
            "Portuguese reply from Apple Mail",
            portuguese_apple_mail(outbound(&emails[joao_i])),
        ),
        (
            "German out-of-office",
            out_of_office(outbound(&emails[max_i])),
        ),
        ("hard bounce", hard_bounce(outbound(&emails[ana_i]))),
        ("the French reply delivered again", french_gmail(marie)),
        (
            "forged reply address",
            plain("juan@ferreteria-garcia.es", &forged_id, &forged, "Hola"),
        ),
        (
            "reply from a stranger",
            plain("mallory@evil.example", &stranger_id, juan.0, "Pay here"),
        ),
        (
            "reply to a 120-day-old email",
            plain("sarah@jonesandco.co.uk", &late_id, sarah.0, "Still on?"),
        ),
    ];
    let mut ingested = Vec::new();
    for (i, (case, raw)) in cases.into_iter().enumerate() {
        let at = now - Duration::hours(3) + Duration::minutes(10 * i as i64);
        ingested.push(ingest_case(engine, case, &raw, at).await?);
    }
    // Sarah is owed a new address: the next email brings one and reopens her conversation.
    let (renewed, _) = engine
        .send(
            sarah_id,
            OutboundDraft::new("Your Acme trial", "Here is a fresh link."),
            now - Duration::minutes(90),
        )
        .await?;
    // She answers it from her iPhone.
    ingested.push(
        ingest_case(
            engine,
            "English reply from Apple Mail (iPhone), on the new address",
            &english_iphone(outbound(&renewed)),
            now - Duration::minutes(80),
        )
        .await?,
    );
    let sent_before = mailer.take();
    // The forward worker hands each stored reply to the mailer, to the account owner.
    let reports = engine
        .run_forwards(100, now - Duration::minutes(60))
        .await?;
    let forwards: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "job": r.job.to_string(),
                "message": r.message.to_string(),
                "sent": matches!(r.status, ForwardStatus::Sent { .. }),
                "status": r.status.describe(),
            })
        })
        .collect();
    let forwarded = mailer.take();
    let forwards_sent = reports
        .iter()
        .filter(|r| matches!(r.status, ForwardStatus::Sent { .. }))
        .count();
    // In the background, the analysis worker analyses each stored reply.
    let analysis =
        super::analysis::section(engine, &customers, now - Duration::minutes(40)).await?;
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
        timelines.push(timeline(engine, c).await?);
    }
    let list = engine
        .inbox(replytrack::ports::InboxQuery {
            reader: Some("owner".into()),
            ..Default::default()
        })
        .await?;
    let list: Vec<Value> = list
        .rows
        .iter()
        .map(|r| {
            json!({
                "conversation": r.conversation.to_string(),
                "contact": r.contact_name.clone().or_else(|| r.contact.clone()),
                "channel": r.channel,
                "status": r.status.to_string(),
                "labels": r.labels.iter().map(|l| json!({"name": l.name, "colour": l.colour})).collect::<Vec<_>>(),
                "last_message": r.last_message.as_ref().map(|m| json!({
                    "direction": m.direction,
                    "preview": m.preview,
                    "at": m.at,
                })),
                "activity": r.activity,
                "waiting": r.waiting,
                "unread": r.unread,
            })
        })
        .collect();
    let mail_json = |m: &crate::mailer::SentMail, kind: &str| {
        json!({
            "kind": kind,
            "to": m.to,
            "subject": m.subject,
            "message_id": m.message_id,
            "file": m.file.as_ref().map(|f| f.display().to_string()),
        })
    };
    let mail: Vec<Value> = sent_before
        .iter()
        .map(|m| mail_json(m, "outgoing"))
        .chain(forwarded.iter().map(|m| mail_json(m, "forward")))
        .collect();
    Ok(json!({
        "ingest": ingested,
        "reissued_token_for": customers[sarah_i].name,
        "new_reply_address": renewed.reply_address,
        "forwards": forwards,
        "forwards_sent": forwards_sent,
        "mail": mail,
        "timelines": timelines,
        "list": list,
        "analysis": analysis,
    }))
}

/// Print section 8: the inbox list, as an agent's screen would show it.
pub fn print_list(inbox: &Value) {
    println!();
    println!(
        "8. The inbox list (newest activity first; ● waiting for an answer, unread for the owner)"
    );
    println!();
    let rows: Vec<Vec<String>> = inbox["list"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let marker = match (r["waiting"].as_bool(), r["unread"].as_bool()) {
                (Some(true), Some(true)) => "● unread",
                (Some(true), _) => "●",
                (_, Some(true)) => "unread",
                _ => "",
            };
            let labels: Vec<&str> = r["labels"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l["name"].as_str())
                .collect();
            let preview: String = r["last_message"]["preview"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(48)
                .collect();
            let arrow = match r["last_message"]["direction"].as_str() {
                Some("inbound") => "← ",
                Some("outbound") => "→ ",
                _ => "",
            };
            vec![
                marker.to_string(),
                r["contact"].as_str().unwrap_or("").to_string(),
                r["status"].as_str().unwrap_or("").to_string(),
                labels.join(", "),
                format!("{arrow}{preview}"),
            ]
        })
        .collect();
    crate::show::print_table(&["", "contact", "status", "labels", "last message"], &rows);
}

/// Ingest one sample and describe what happened.
async fn ingest_case(
    engine: &Engine,
    case: &str,
    raw: &str,
    at: DateTime<Utc>,
) -> Result<Value, EngineError> {
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
    Ok(json!({
        "case": case,
        "outcome": outcome.name(),
        "explain": outcome.explain(),
        "reply": reply,
    }))
}

/// A customer's timeline, with their current conversation's status and their funnel stage.
async fn timeline(engine: &Engine, c: &Customer) -> Result<Value, EngineError> {
    let events = engine.timeline(TimelineScope::Customer(c.id)).await?;
    let current = engine.store().active_conversation(c.id).await?;
    Ok(json!({
        "customer": c.name,
        "email": c.emails.first().map(|e| e.address.clone()),
        "status": current.map(|c| c.status.to_string()),
        "funnel": engine.customer(c.id).await?.map(|c| c.funnel.name()),
        "events": events.iter().map(|e| {
            let full = event_json(e);
            json!({
                "at": e.at,
                "type": full["type"],
                "detail": full["detail"].as_str().unwrap_or("").chars().take(100).collect::<String>(),
                "conversation": e.conversation.map(|c| c.to_string()),
                "message": e.message.map(|m| m.to_string()),
            })
        }).collect::<Vec<_>>(),
    }))
}

/// Print sections 3 and 4.
pub fn print(inbox: &Value, store: &str) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    println!();
    println!("3. Replies arrive as raw MIME and go through ingest ({store})");
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
        "   {} gets a new reply address: {}",
        s(&inbox["reissued_token_for"]),
        s(&inbox["new_reply_address"])
    );
    println!();
    println!(
        "4. The forward worker sends each stored reply to the account owner ({} forwarded)",
        inbox["forwards_sent"]
    );
    println!();
    let rows: Vec<Vec<String>> = inbox["mail"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    let to: Vec<String> = m["to"]
                        .as_array()
                        .map(|t| t.iter().map(s).collect())
                        .unwrap_or_default();
                    vec![
                        s(&m["kind"]),
                        to.join(", "),
                        s(&m["subject"]),
                        m["file"]
                            .as_str()
                            .unwrap_or("(not written: no --outbox)")
                            .to_string(),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    print_table(&["mail", "to", "subject", "file"], &rows);
}

/// Print section 6: each customer's timeline.
pub fn print_timelines(inbox: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    println!();
    println!("6. The timeline of each customer");
    for t in inbox["timelines"].as_array().into_iter().flatten() {
        println!();
        println!(
            "   {} — conversation {}, funnel {}",
            s(&t["customer"]),
            t["status"].as_str().unwrap_or("none"),
            s(&t["funnel"])
        );
        print_table(
            &["at (UTC)", "event", "detail"],
            &timeline_rows(&t["events"]),
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use chrono::TimeZone;
    use replytrack::address::AddressFormat;
    use replytrack::conversation::{AccountSettings, Tz};
    use replytrack::engine::EngineConfig;
    use replytrack::store::MemoryStore;
    use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

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
        let account =
            AccountSettings::new("Acme", "hello@acme-demo.example", "owner@acme-demo.example")
                .unwrap()
                .time_zone(Tz::Europe__Paris);
        let mailer = Arc::new(CliMailer::new(None).unwrap());
        let engine = Engine::builder(authority, format, account)
            .store(Arc::new(MemoryStore::new()))
            .mailer(mailer.clone())
            .config(EngineConfig {
                forward_inline: false,
                ..EngineConfig::default()
            })
            .build()
            .unwrap();
        let v = futures::executor::block_on(section(&engine, &mailer, now)).unwrap();
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
                "stored",
                "auto_reply_recorded",
                "bounce_recorded",
                "duplicate",
                "rejected",
                "quarantined",
                "expired",
                "stored"
            ]
        );
        // Marie's, Juan's, João's and Sarah's replies, forwarded by the worker.
        assert_eq!(v["forwards_sent"], 4);
        let kinds: Vec<&str> = v["mail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.iter().filter(|k| **k == "outgoing").count(), 7);
        assert_eq!(kinds.iter().filter(|k| **k == "forward").count(), 4);
        assert_eq!(v["timelines"].as_array().unwrap().len(), 6);
        let list = v["list"].as_array().unwrap();
        assert_eq!(list.len(), 6, "one row per conversation");
        let marie = list
            .iter()
            .find(|r| r["contact"] == "Marie Dupont")
            .unwrap();
        assert_eq!(marie["waiting"], true);
        assert_eq!(marie["last_message"]["direction"], "inbound");
        assert!(
            marie["labels"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["name"] == "high-value")
        );
        assert_eq!(v["analysis"]["run"]["analysed"], 4);
        let types: Vec<&str> = v["analysis"]["replies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["analysis"]["response_type"].as_str().unwrap())
            .collect();
        assert_eq!(types[..2], ["high_value", "needs_attention"]);
        assert_eq!(v["analysis"]["insights"]["analysed"], 4);
        let marie = &v["timelines"][0]["events"];
        let kinds: Vec<&str> = marie
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"analysis_completed") && kinds.contains(&"note_added"));
        assert!(kinds.contains(&"reply_forwarded"));
        let sarah = &v["timelines"][4]["events"];
        let kinds: Vec<&str> = sarah
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"token_reissued") && kinds.contains(&"reply_received"));
    }
}
