//! Inbox scenarios that run against any [`Store`]: the core tests run them on the
//! [`MemoryStore`](crate::store::MemoryStore), the storage adapters on theirs (SQLite,
//! PostgreSQL). Behind the `scenarios` feature; each function panics (an assertion) when the
//! behaviour is wrong, and returns `Err` when the set-up fails.
//!
//! The account is Acme (`hello@acme.example`, replies at `reply.acme.example`), in Paris time,
//! open Monday to Friday 09:00–18:00 where a scenario needs business hours.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;

use super::metrics::{Average, Period, Volume};
use super::routing::{Availability, Strategy};
use super::rules::{Action, Rule, Trigger};
use super::{InboxSettings, MemoryNotifier, Schedule, SkipReason, Template};
use crate::address::AddressFormat;
use crate::conversation::{
    AccountSettings, ConversationId, Customer, EventKind, NewCustomer, TimelineEvent,
};
use crate::engine::{
    AutoReplyOutcome, Engine, EngineConfig, IngestOutcome, ManualReply, OutboundDraft, Stored,
};
use crate::message::{InboundMessage, Mailbox};
use crate::ports::{ConversationQuery, Store, TimelineScope};
use crate::store::MemoryMailer;
use crate::token::{KeyId, Keyring, Secret, TokenAuthority};

/// What a scenario's set-up can fail with.
pub type ScenarioError = Box<dyn std::error::Error + Send + Sync>;

/// The reply domain of the scenarios' account.
pub const DOMAIN: &str = "reply.acme.example";

/// A Paris local time in March 2026 (CET, UTC+1).
pub fn paris(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(2026, 3, day, h, m, 0)
        .single()
        .map_or_else(DateTime::<Utc>::default, |t| t.with_timezone(&Utc))
}

/// Open Monday to Friday 09:00–18:00 in Paris.
///
/// # Errors
/// Never in practice (the intervals are valid).
pub fn paris_office() -> Result<Schedule, ScenarioError> {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    Ok(Schedule::builder(Paris).weekdays(t(9), t(18))?.build())
}

/// An engine for Acme over `store`, with `settings`, a memory mailer and no forwarding.
///
/// # Errors
/// When the engine cannot be built.
pub fn engine(
    store: Arc<dyn Store>,
    settings: InboxSettings,
    mailer: Arc<MemoryMailer>,
    notifier: Option<Arc<MemoryNotifier>>,
) -> Result<Engine, ScenarioError> {
    let config = EngineConfig {
        forward_replies: false,
        analyze_replies: false,
        ..EngineConfig::default()
    };
    engine_with(store, settings, mailer, notifier, config)
}

/// As [`engine`], with tunables.
///
/// # Errors
/// When the engine cannot be built.
pub fn engine_with(
    store: Arc<dyn Store>,
    settings: InboxSettings,
    mailer: Arc<MemoryMailer>,
    notifier: Option<Arc<MemoryNotifier>>,
    config: EngineConfig,
) -> Result<Engine, ScenarioError> {
    let key = KeyId::new(0).ok_or("key id 0")?;
    let keys = Keyring::single(key, Secret::from_bytes(&[7; 32])?);
    let authority = TokenAuthority::builder(keys).domain(DOMAIN).build()?;
    let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example")?
        .from_name("Acme")
        .time_zone(Paris);
    let mut b = Engine::builder(authority, AddressFormat::new(DOMAIN)?, account)
        .store(store)
        .mailer(mailer)
        .config(config)
        .inbox(settings);
    if let Some(n) = notifier {
        b = b.notifier(n);
    }
    Ok(b.build()?)
}

/// A tokenless message from a known customer (it lands in their current conversation, or
/// opens one).
pub fn message_from(customer: &Customer, id: &str, text: &str) -> InboundMessage {
    let address = customer
        .emails
        .first()
        .map(|e| e.address.clone())
        .unwrap_or_default();
    InboundMessage {
        message_id: Some(format!("{id}@example.fr")),
        from: Some(Mailbox::new(address)),
        to: vec![Mailbox::new("hello@acme.example")],
        subject: Some("Question".into()),
        text_body: Some(text.to_string()),
        ..InboundMessage::default()
    }
}

fn stored(outcome: IngestOutcome) -> Result<Stored, ScenarioError> {
    match outcome {
        IngestOutcome::Stored(s) => Ok(s),
        other => Err(format!("expected a stored reply, got: {}", other.explain()).into()),
    }
}

async fn customer(e: &Engine, name: &str, now: DateTime<Utc>) -> Result<Customer, ScenarioError> {
    let email = format!("{}@example.fr", name.to_lowercase());
    Ok(e.add_customer(NewCustomer::new(email).name(name), now)
        .await?)
}

async fn timeline(e: &Engine, id: ConversationId) -> Result<Vec<TimelineEvent>, ScenarioError> {
    Ok(e.timeline(TimelineScope::Conversation(id)).await?)
}

/// Round robin over ana, bob (offline), chloé (capacity 1) and dan: five conversations go to
/// ana, chloé, dan, ana, dan — bob is skipped every time, chloé once she is full — and each
/// decision is on the timeline with its reason.
///
/// # Errors
/// When the set-up fails.
pub async fn round_robin_skips_an_offline_agent_and_a_full_one(
    store: Arc<dyn Store>,
) -> Result<(), ScenarioError> {
    let settings = InboxSettings::new()
        .team(
            "support",
            Strategy::RoundRobin,
            [
                ("ana", Some(5)),
                ("bob", Some(5)),
                ("chloe", Some(1)),
                ("dan", None),
            ],
        )
        .default_team("support");
    let e = engine(store, settings, Arc::new(MemoryMailer::new()), None)?;
    e.set_agent_availability("bob", Availability::Offline);
    let now = paris(3, 10, 0);
    let mut agents = Vec::new();
    let mut last = None;
    for (i, name) in ["Marie", "Jean", "Luc", "Sophie", "Paul"]
        .iter()
        .enumerate()
    {
        let c = customer(&e, name, now).await?;
        let at = now + Duration::minutes(i64::try_from(i)? * 5);
        let s = stored(e.ingest(message_from(&c, name, "Bonjour"), at).await?)?;
        assert!(s.opened, "each first message opens a conversation");
        let conv = e
            .conversation(s.conversation)
            .await?
            .ok_or("conversation")?;
        assert_eq!(conv.team.as_deref(), Some("support"));
        agents.push(conv.assignee.clone().unwrap_or_default());
        last = Some((s, conv));
    }
    assert_eq!(agents, ["ana", "chloe", "dan", "ana", "dan"]);
    let (s, _) = last.ok_or("five conversations")?;
    let reason = s.inbox.routed.as_ref().map(|d| d.reason.clone());
    assert_eq!(
        reason.as_deref(),
        Some(
            "no rule matched: default team support; round robin picked dan \
             (skipped bob offline, chloe at capacity 1/1)"
        )
    );
    let events = timeline(&e, s.conversation).await?;
    let routed = events
        .iter()
        .position(|ev| matches!(&ev.kind, EventKind::Routed { agent: Some(a), .. } if a == "dan"))
        .ok_or("a Routed event")?;
    assert!(
        matches!(
            &events.get(routed + 1).map(|ev| &ev.kind),
            Some(EventKind::Assigned { assignee: Some(a), team: Some(t) }) if a == "dan" && t == "support"
        ),
        "the assignment follows the decision: {events:?}"
    );
    assert_eq!(e.agent_load("chloe").await?, 1);
    assert_eq!(e.agent_load("dan").await?, 2);
    // Resolving frees chloé's place: the next conversation goes to her.
    let chloes = e
        .store()
        .conversations(&ConversationQuery {
            assignee: Some("chloe".into()),
            ..ConversationQuery::default()
        })
        .await?;
    let first = chloes.first().ok_or("chloé's conversation")?;
    e.resolve(first.id, now + Duration::hours(1)).await?;
    e.set_agent_availability("ana", Availability::Away);
    let c = customer(&e, "Nina", now).await?;
    let s = stored(
        e.ingest(message_from(&c, "nina", "Allô"), now + Duration::hours(2))
            .await?,
    )?;
    let d = s.inbox.routed.ok_or("routed")?;
    assert_eq!(d.agent.as_deref(), Some("chloe"), "{}", d.reason);
    assert!(d.reason.contains("ana away"), "{}", d.reason);
    Ok(())
}

/// A message at 22:00 on a Friday in Paris gets one auto-reply (from the template, with
/// `Auto-Submitted: auto-replied` and the reply address the contact wrote to); a second message
/// that night does not — not even through another engine instance over the same store — and an
/// automatic reply never gets one.
///
/// # Errors
/// When the set-up fails.
pub async fn a_friday_night_message_gets_one_auto_reply(
    store: Arc<dyn Store>,
) -> Result<(), ScenarioError> {
    let settings = InboxSettings::new()
        .schedule(paris_office()?)
        .auto_reply_template(Template::parse(
            "x",
            "fr",
            "Bonjour {{name}}, nous sommes fermés. Nous vous répondrons dès {{next_open}}.",
        )?);
    let mailer = Arc::new(MemoryMailer::new());
    let e = engine(store.clone(), settings.clone(), mailer.clone(), None)?;
    let marie = customer(&e, "Marie", paris(6, 9, 0)).await?;
    let (email, _) = e
        .send(
            marie.id,
            OutboundDraft::new("Votre essai", "Bonjour !").start_conversation(),
            paris(6, 10, 0),
        )
        .await?;
    let reply = |id: &str, text: &str| InboundMessage {
        message_id: Some(format!("{id}@example.fr")),
        references: vec![email.email.message_id.clone()],
        from: Some(Mailbox::with_name("Marie", "marie@example.fr")),
        to: vec![Mailbox::new(email.reply_address.clone())],
        subject: Some("Re: Votre essai".into()),
        text_body: Some(text.to_string()),
        ..InboundMessage::default()
    };
    let to_marie = |m: &MemoryMailer| {
        m.sent()
            .into_iter()
            .filter(|o| o.recipients == ["marie@example.fr"])
            .count()
    };
    assert_eq!(to_marie(&mailer), 1, "the first email");

    let s = stored(
        e.ingest(reply("r1", "Oui, intéressée !"), paris(6, 22, 0))
            .await?,
    )?;
    assert!(
        matches!(&s.inbox.auto_reply, Some(AutoReplyOutcome::Sent { to, .. }) if to == "marie@example.fr"),
        "{:?}",
        s.inbox
    );
    let sent = mailer.sent();
    let auto = sent.last().ok_or("the auto-reply")?;
    let raw = String::from_utf8_lossy(&auto.raw).replace("\r\n ", " ");
    assert!(raw.contains("Auto-Submitted: auto-replied"), "{raw}");
    assert!(
        raw.contains(&format!("Reply-To: \"Acme\" <{}>", email.reply_address))
            || raw.contains(&format!("Reply-To: Acme <{}>", email.reply_address)),
        "{raw}"
    );
    assert!(raw.contains("In-Reply-To: <r1@example.fr>"), "{raw}");
    assert!(raw.contains("Bonjour Marie"), "{raw}");
    assert!(
        raw.contains("2026-03-09 09:00"),
        "next opening, Monday 09:00: {raw}"
    );

    let s = stored(
        e.ingest(reply("r2", "Et le prix ?"), paris(6, 23, 10))
            .await?,
    )?;
    assert!(
        matches!(
            s.inbox.auto_reply,
            Some(AutoReplyOutcome::Skipped {
                reason: SkipReason::AlreadySentToday { .. }
            })
        ),
        "{:?}",
        s.inbox
    );
    // Another instance (or a restart) reads the fact from the timeline.
    let other = engine(store, settings, mailer.clone(), None)?;
    let s = stored(
        other
            .ingest(reply("r3", "Allô ?"), paris(6, 23, 40))
            .await?,
    )?;
    assert!(
        matches!(
            s.inbox.auto_reply,
            Some(AutoReplyOutcome::Skipped {
                reason: SkipReason::AlreadySentToday { .. }
            })
        ),
        "{:?}",
        s.inbox
    );
    // An out-of-office from Marie is recorded, never answered.
    let mut ooo = reply("ooo", "Je suis absente.");
    ooo.headers
        .push(("Auto-Submitted".into(), "auto-replied".into()));
    let out = e.ingest(ooo, paris(7, 10, 0)).await?;
    assert!(
        matches!(out, IngestOutcome::AutoReplyRecorded { .. }),
        "{}",
        out.explain()
    );
    assert_eq!(to_marie(&mailer), 2, "one email and one auto-reply");
    let events = timeline(&e, s.conversation).await?;
    let autos = events
        .iter()
        .filter(|ev| matches!(ev.kind, EventKind::AutoReplySent { .. }))
        .count();
    assert_eq!(autos, 1);
    // Saturday morning is another day: a new message gets a new auto-reply.
    let s = stored(e.ingest(reply("r4", "Bonjour ?"), paris(7, 11, 0)).await?)?;
    assert!(matches!(
        s.inbox.auto_reply,
        Some(AutoReplyOutcome::Sent { .. })
    ));
    // During business hours, none.
    let s = stored(e.ingest(reply("r5", "Re-bonjour"), paris(9, 10, 0)).await?)?;
    assert!(matches!(
        s.inbox.auto_reply,
        Some(AutoReplyOutcome::Skipped {
            reason: SkipReason::WithinHours
        })
    ));
    Ok(())
}

/// Labelling a conversation "urgent" runs the rule that reassigns it to a senior agent and
/// notifies the manager, recorded on the timeline with the rule's name; a pair of rules that
/// would trigger each other forever runs each once.
///
/// # Errors
/// When the set-up fails.
pub async fn an_urgent_label_reassigns_and_notifies_and_rules_cannot_loop(
    store: Arc<dyn Store>,
) -> Result<(), ScenarioError> {
    let settings = InboxSettings::new()
        .team("support", Strategy::RoundRobin, [("ana", None)])
        .team("seniors", Strategy::RoundRobin, [("sarah", None)])
        .default_team("support")
        .rule(
            Rule::new("urgent to a senior", Trigger::LabelAdded)
                .when_label("urgent")
                .then(Action::Assign {
                    agent: Some("sarah".into()),
                    team: Some("seniors".into()),
                })
                .then(Action::Notify {
                    target: "manager".into(),
                    message: "An urgent conversation".into(),
                }),
        )
        .rule(
            Rule::new("ping", Trigger::LabelAdded)
                .when_label("ping")
                .then(Action::RemoveLabel {
                    label: "pong".into(),
                })
                .then(Action::AddLabel {
                    label: "pong".into(),
                }),
        )
        .rule(
            Rule::new("pong", Trigger::LabelAdded)
                .when_label("pong")
                .then(Action::RemoveLabel {
                    label: "ping".into(),
                })
                .then(Action::AddLabel {
                    label: "ping".into(),
                }),
        );
    let notifier = Arc::new(MemoryNotifier::new());
    let e = engine(
        store,
        settings,
        Arc::new(MemoryMailer::new()),
        Some(notifier.clone()),
    )?;
    let now = paris(3, 10, 0);
    let marie = customer(&e, "Marie", now).await?;
    let s = stored(
        e.ingest(message_from(&marie, "m1", "Au secours"), now)
            .await?,
    )?;
    let conv = e
        .conversation(s.conversation)
        .await?
        .ok_or("conversation")?;
    assert_eq!(conv.assignee.as_deref(), Some("ana"));

    let conv = e
        .label(s.conversation, "urgent", true, now + Duration::minutes(1))
        .await?;
    assert_eq!(conv.assignee.as_deref(), Some("sarah"));
    assert_eq!(conv.team.as_deref(), Some("seniors"));
    let notes = notifier.delivered();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes.first().map(|n| n.target.as_str()), Some("manager"));
    assert_eq!(
        notes.first().map(|n| n.rule.as_str()),
        Some("urgent to a senior")
    );
    let events = timeline(&e, s.conversation).await?;
    let applied: Vec<&str> = events
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::RuleApplied { rule, .. } => Some(rule.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(applied, ["urgent to a senior", "urgent to a senior"]);

    // ping adds pong, pong re-adds ping, ping would add pong again: the guard stops it.
    let before = events.len();
    let conv = e
        .label(s.conversation, "ping", true, now + Duration::minutes(2))
        .await?;
    assert!(conv.labels.contains("ping") && conv.labels.contains("pong"));
    let events = timeline(&e, s.conversation).await?;
    let applied: Vec<&str> = events
        .iter()
        .skip(before)
        .filter_map(|ev| match &ev.kind {
            EventKind::RuleApplied { rule, .. } => Some(rule.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(applied, ["ping", "ping", "pong", "pong"]);
    let outcome = e
        .apply_rules(
            s.conversation,
            &super::RuleEvent::LabelAdded {
                label: "ping".into(),
            },
            now + Duration::minutes(3),
        )
        .await?;
    assert_eq!(outcome.suppressed, ["ping"]);
    Ok(())
}

/// The business answers by email in a conversation at `at`.
async fn answer(
    e: &Engine,
    customer: crate::conversation::CustomerId,
    conv: ConversationId,
    at: DateTime<Utc>,
) -> Result<(), ScenarioError> {
    let draft = OutboundDraft::new("Re: Question", "Voici la réponse.").continue_conversation(conv);
    let (_, sent) = e.send(customer, draft, at).await?;
    sent?;
    Ok(())
}

/// The hand-computed report of [`metrics_over_a_seeded_week`].
fn avg(count: u32, calendar: i64, business: i64) -> Option<Average> {
    Some(Average {
        count,
        calendar: Duration::seconds(calendar),
        business: Duration::seconds(business),
    })
}

/// A week (Monday 2 to Sunday 8 March 2026, Paris, open weekdays 09:00–18:00) of three
/// conversations, whose metrics are computed by hand:
///
/// - A (email, ana): Marie writes Mon 10:00, answered 11:30, resolved 12:00 — first response
///   1 h 30 (1 h 30 business), resolution 2 h (2 h);
/// - B (email, bob): Jean writes Tue 17:00, answered Wed 10:00 — 17 h calendar, 2 h business;
///   writes Wed 11:00, answered 11:20 — 20 min; not resolved;
/// - C (logged call, ana): Luc calls Fri 17:30, answered Sat 10:00 — 16 h 30 calendar, 30 min
///   business; resolved Sat 10:05 — 16 h 35 calendar, 30 min business.
///
/// # Errors
/// When the set-up fails.
pub async fn metrics_over_a_seeded_week(store: Arc<dyn Store>) -> Result<(), ScenarioError> {
    let settings = InboxSettings::new().schedule(paris_office()?);
    let e = engine(store, settings, Arc::new(MemoryMailer::new()), None)?;
    let early = paris(1, 12, 0);
    let (marie, jean, luc) = (
        customer(&e, "Marie", early).await?,
        customer(&e, "Jean", early).await?,
        customer(&e, "Luc", early).await?,
    );
    // A
    let a = stored(
        e.ingest(message_from(&marie, "a1", "Question A"), paris(2, 10, 0))
            .await?,
    )?;
    e.assign_agent(a.conversation, "ana", paris(2, 10, 0))
        .await?;
    answer(&e, marie.id, a.conversation, paris(2, 11, 30)).await?;
    e.resolve(a.conversation, paris(2, 12, 0)).await?;
    // B
    let b = stored(
        e.ingest(message_from(&jean, "b1", "Question B"), paris(3, 17, 0))
            .await?,
    )?;
    e.assign_agent(b.conversation, "bob", paris(3, 17, 0))
        .await?;
    answer(&e, jean.id, b.conversation, paris(4, 10, 0)).await?;
    e.ingest(message_from(&jean, "b2", "Encore une"), paris(4, 11, 0))
        .await?;
    answer(&e, jean.id, b.conversation, paris(4, 11, 20)).await?;
    // C
    let c = e
        .log_manual_reply(
            luc.id,
            ManualReply::from_contact("Appel : question C"),
            paris(6, 17, 30),
        )
        .await?;
    e.assign_agent(c.conversation, "ana", paris(6, 17, 30))
        .await?;
    e.log_manual_reply(
        luc.id,
        ManualReply {
            conversation: Some(c.conversation),
            ..ManualReply::from_business("Rappelé, réglé")
        },
        paris(7, 10, 0),
    )
    .await?;
    e.resolve(c.conversation, paris(7, 10, 5)).await?;

    let week = Period {
        start: paris(2, 0, 0),
        end: paris(9, 0, 0),
    };
    let r = e.metrics(week, &ConversationQuery::default()).await?;
    assert_eq!((r.opened, r.resolved), (3, 2));
    assert_eq!(r.resolution_rate, Some(2.0 / 3.0));
    // (1h30 + 17h + 16h30) / 3 = 11h40; business (1h30 + 2h + 30min) / 3 = 1h20.
    assert_eq!(r.first_response, avg(3, 42_000, 4_800));
    // (1h30 + 17h + 20min + 16h30) / 4 = 8h50; business (1h30 + 2h + 20min + 30min) / 4 = 1h05.
    assert_eq!(r.reply_time, avg(4, 31_800, 3_900));
    // (2h + 16h35) / 2; business (2h + 30min) / 2.
    assert_eq!(r.resolution_time, avg(2, 33_450, 4_500));
    let v = |inbound, outbound| Volume { inbound, outbound };
    assert_eq!(r.by_channel.get("email"), Some(&v(3, 3)));
    assert_eq!(r.by_channel.get("manual"), Some(&v(1, 1)));
    assert_eq!(r.by_agent.get("ana"), Some(&v(2, 2)));
    assert_eq!(r.by_agent.get("bob"), Some(&v(2, 2)));
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default();
    let days: Vec<(chrono::NaiveDate, Volume)> = r.by_day.into_iter().collect();
    assert_eq!(
        days,
        [
            (day(2), v(1, 1)),
            (day(3), v(1, 0)),
            (day(4), v(1, 2)),
            (day(6), v(1, 0)),
            (day(7), v(0, 1)),
        ]
    );
    // Filters apply: only ana's conversations.
    let ana = e
        .metrics(
            week,
            &ConversationQuery {
                assignee: Some("ana".into()),
                ..ConversationQuery::default()
            },
        )
        .await?;
    assert_eq!((ana.opened, ana.resolved), (2, 2));
    assert_eq!(
        ana.first_response,
        avg(2, (5_400 + 59_400) / 2, (5_400 + 1_800) / 2)
    );
    // The week after holds nothing of it.
    let next = Period {
        start: paris(9, 0, 0),
        end: paris(16, 0, 0),
    };
    let r = e.metrics(next, &ConversationQuery::default()).await?;
    assert_eq!(r.opened, 0);
    assert_eq!(r.first_response, None);
    Ok(())
}
