//! The inbox wired into the engine, on the memory store: the shared scenarios
//! (`replytrack::inbox::scenarios`, also run on SQLite) and memory-only checks of manual
//! assignment, templates, notes and insights.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use chrono::Duration;
use replytrack::analysis::{Analysis, ResponseType};
use replytrack::conversation::{EventKind, Message, NewCustomer};
use replytrack::engine::{EngineError, OutboundDraft, Segment};
use replytrack::inbox::scenarios::{self, engine, message_from, paris};
use replytrack::inbox::{InboxSettings, Strategy, Template, TemplateError};
use replytrack::ports::{Commit, ConversationQuery, Store, TimelineScope, Write};
use replytrack::store::{MemoryMailer, MemoryStore};

fn run<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

fn memory() -> Arc<dyn Store> {
    Arc::new(MemoryStore::new())
}

#[test]
fn round_robin_skips_an_offline_agent_and_a_full_one() {
    run(scenarios::round_robin_skips_an_offline_agent_and_a_full_one(memory())).unwrap();
}

#[test]
fn a_friday_night_message_gets_one_auto_reply() {
    run(scenarios::a_friday_night_message_gets_one_auto_reply(
        memory(),
    ))
    .unwrap();
}

#[test]
fn an_urgent_label_reassigns_and_notifies_and_rules_cannot_loop() {
    run(scenarios::an_urgent_label_reassigns_and_notifies_and_rules_cannot_loop(memory())).unwrap();
}

#[test]
fn metrics_over_a_seeded_week() {
    run(scenarios::metrics_over_a_seeded_week(memory())).unwrap();
}

#[test]
fn least_loaded_routing_picks_the_agent_with_fewest_open_conversations() {
    run(async {
        let settings = InboxSettings::new()
            .team(
                "sales",
                Strategy::LeastLoaded,
                [("ana", None), ("bob", None)],
            )
            .default_team("sales");
        let e = engine(memory(), settings, Arc::new(MemoryMailer::new()), None).unwrap();
        let now = paris(3, 10, 0);
        let mut got = Vec::new();
        for name in ["a", "b", "c"] {
            let c = e
                .add_customer(NewCustomer::new(format!("{name}@example.fr")), now)
                .await
                .unwrap();
            let out = e
                .ingest(message_from(&c, name, "Bonjour"), now)
                .await
                .unwrap();
            let replytrack::engine::IngestOutcome::Stored(s) = out else {
                panic!("{}", out.explain())
            };
            got.push(s.inbox.routed.unwrap().agent.unwrap());
        }
        assert_eq!(got, ["ana", "bob", "ana"]);
        assert_eq!(e.agent_load("ana").await.unwrap(), 2);
    });
}

#[test]
fn manual_assignment_to_an_agent_a_team_and_back_to_nobody() {
    run(async {
        let settings = InboxSettings::new()
            .team("support", Strategy::RoundRobin, [("ana", None)])
            .team("billing", Strategy::RoundRobin, [("zoe", None)]);
        let e = engine(memory(), settings, Arc::new(MemoryMailer::new()), None).unwrap();
        let now = paris(3, 10, 0);
        let c = e
            .add_customer(NewCustomer::new("marie@example.fr"), now)
            .await
            .unwrap();
        let out = e
            .ingest(message_from(&c, "m", "Bonjour"), now)
            .await
            .unwrap();
        let replytrack::engine::IngestOutcome::Stored(s) = out else {
            panic!()
        };
        assert_eq!(s.inbox.routed, None, "no routing configured");
        let id = s.conversation;
        let conv = e.assign_agent(id, "ana", now).await.unwrap();
        assert_eq!(
            (conv.assignee.as_deref(), conv.team.as_deref()),
            (Some("ana"), None)
        );
        let conv = e.assign_team(id, "support", now).await.unwrap();
        assert_eq!(
            (conv.assignee.as_deref(), conv.team.as_deref()),
            (Some("ana"), Some("support")),
            "ana belongs to support: she keeps it"
        );
        let conv = e.assign_team(id, "billing", now).await.unwrap();
        assert_eq!(
            (conv.assignee, conv.team.as_deref()),
            (None, Some("billing"))
        );
        let conv = e.unassign(id, now).await.unwrap();
        assert_eq!((conv.assignee, conv.team), (None, None));
        let assigned = e
            .timeline(TimelineScope::Conversation(id))
            .await
            .unwrap()
            .into_iter()
            .filter(|ev| matches!(ev.kind, EventKind::Assigned { .. }))
            .count();
        assert_eq!(assigned, 4);
    });
}

#[test]
fn a_template_is_validated_and_rendered_before_anything_is_sent() {
    run(async {
        let mut settings = InboxSettings::new()
            .template(Template::parse("welcome", "fr", "Bonjour {{name}} !").unwrap())
            .template(Template::parse("welcome", "en", "Hello {{name}}! {{coupon}}").unwrap());
        settings.template_variables = ["name".to_string()].into_iter().collect();
        let mailer = Arc::new(MemoryMailer::new());
        let e = engine(memory(), settings, mailer.clone(), None).unwrap();
        let now = paris(3, 10, 0);
        let c = e
            .add_customer(NewCustomer::new("marie@example.fr"), now)
            .await
            .unwrap();
        let draft = || OutboundDraft::new("Bienvenue", "").start_conversation();
        // A missing value, an unknown variable, an unknown template: nothing is sent.
        let missing = e
            .send_template(
                c.id,
                "welcome",
                "fr-FR",
                &[("nom", "Marie")][..],
                draft(),
                now,
            )
            .await;
        assert!(matches!(
            missing,
            Err(EngineError::Template(TemplateError::MissingValue { .. }))
        ));
        let unknown_var = e
            .send_template(
                c.id,
                "welcome",
                "en",
                &[("name", "Marie")][..],
                draft(),
                now,
            )
            .await;
        assert!(matches!(
            unknown_var,
            Err(EngineError::Template(TemplateError::UnknownVariable { .. }))
        ));
        let unknown = e
            .send_template(c.id, "nope", "fr", &[("name", "Marie")][..], draft(), now)
            .await;
        assert!(matches!(unknown, Err(EngineError::UnknownTemplate { .. })));
        assert!(mailer.sent().is_empty());
        let (composed, sent) = e
            .send_template(
                c.id,
                "welcome",
                "fr-FR",
                &[("name", "Marie")][..],
                draft(),
                now,
            )
            .await
            .unwrap();
        sent.unwrap();
        assert_eq!(composed.message.body, "Bonjour Marie !");
        assert_eq!(mailer.sent().len(), 1);
    });
}

#[test]
fn private_notes_are_never_sent_nor_forwarded() {
    run(async {
        let mailer = Arc::new(MemoryMailer::new());
        let store = memory();
        // Forwarding on: the reply goes to the owner's inbox.
        let e = scenarios::engine_with(
            store.clone(),
            InboxSettings::new(),
            mailer.clone(),
            None,
            replytrack::engine::EngineConfig::default(),
        )
        .unwrap();
        let now = paris(3, 10, 0);
        let c = e
            .add_customer(NewCustomer::new("marie@example.fr"), now)
            .await
            .unwrap();
        let (email, _) = e
            .send(
                c.id,
                OutboundDraft::new("Essai", "Bonjour").start_conversation(),
                now,
            )
            .await
            .unwrap();
        let conv = email.conversation.unwrap();
        let secret = "SECRET-NOTE-do-not-send";
        e.add_note(conv, Some("ana".into()), secret, now)
            .await
            .unwrap();
        // A reply (forwarded to the owner inline) and an answer in the same conversation.
        let reply = replytrack::message::InboundMessage {
            message_id: Some("r@example.fr".into()),
            from: Some(replytrack::message::Mailbox::new("marie@example.fr")),
            to: vec![replytrack::message::Mailbox::new(
                email.reply_address.clone(),
            )],
            text_body: Some("Merci".into()),
            ..Default::default()
        };
        e.ingest(reply, now + Duration::minutes(5)).await.unwrap();
        e.send(
            c.id,
            OutboundDraft::new("Re: Essai", "Voici").continue_conversation(conv),
            now + Duration::minutes(10),
        )
        .await
        .unwrap()
        .1
        .unwrap();
        e.run_forwards(10, now + Duration::minutes(11))
            .await
            .unwrap();
        assert_eq!(mailer.sent().len(), 3, "the email, the forward, the answer");
        for out in mailer.sent() {
            let raw = String::from_utf8_lossy(&out.raw);
            assert!(!raw.contains(secret), "a note leaked into {raw}");
        }
        let notes: Vec<Message> = store
            .messages(conv)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.direction == replytrack::conversation::Direction::Note)
            .collect();
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].delivery, None,
            "a note has no delivery: it is never sent"
        );
    });
}

#[test]
fn insights_by_segment_flag_high_value_replies_unanswered_after_a_day() {
    run(async {
        let store = memory();
        let settings = InboxSettings::new();
        let e = engine(store.clone(), settings, Arc::new(MemoryMailer::new()), None).unwrap();
        let now = paris(3, 10, 0);
        let mut convs = Vec::new();
        for (name, label, rt) in [
            ("a", "vip", ResponseType::HighValue),
            ("b", "vip", ResponseType::Standard),
            ("c", "trial", ResponseType::HighValue),
        ] {
            let c = e
                .add_customer(NewCustomer::new(format!("{name}@example.fr")), now)
                .await
                .unwrap();
            let out = e
                .ingest(message_from(&c, name, "Combien ?"), now)
                .await
                .unwrap();
            let replytrack::engine::IngestOutcome::Stored(s) = out else {
                panic!()
            };
            e.label(s.conversation, label, true, now).await.unwrap();
            // Store an analysis on the reply, as the worker would.
            let mut m = store.message(s.message).await.unwrap().unwrap();
            let v = m.version;
            m.analysis = Some(Analysis {
                response_type: rt,
                pain_points: vec![format!("pain {label}")],
                action_items: vec!["Call back".into()],
                ..Analysis::default()
            });
            store
                .commit(Commit {
                    messages: vec![Write::update(m, v)],
                    ..Commit::default()
                })
                .await
                .unwrap();
            convs.push((s.conversation, c.id));
        }
        // c's reply is answered; a's is not.
        let (c_conv, c_customer) = convs[2];
        e.send(
            c_customer,
            OutboundDraft::new("Re", "Voici").continue_conversation(c_conv),
            now + Duration::hours(1),
        )
        .await
        .unwrap()
        .1
        .unwrap();
        let later = now + Duration::hours(25);
        let by_label = e
            .insights_by(
                &ConversationQuery::default(),
                None,
                &Segment::Label,
                3,
                later,
            )
            .await
            .unwrap();
        let keys: Vec<&str> = by_label.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["trial", "vip"]);
        let vip = &by_label[1];
        assert_eq!(vip.conversations, 2);
        assert_eq!(vip.insights.analysed, 2);
        assert_eq!(vip.insights.by_response_type["high_value"], 1);
        assert_eq!(vip.high_value_unanswered, [convs[0].0]);
        assert_eq!(vip.top_action_items[0].count, 2);
        assert!(
            by_label[0].high_value_unanswered.is_empty(),
            "c was answered"
        );
        // Not yet a day: nothing flagged.
        let early = e
            .insights_by(
                &ConversationQuery::default(),
                None,
                &Segment::All,
                3,
                now + Duration::hours(2),
            )
            .await
            .unwrap();
        assert!(early[0].high_value_unanswered.is_empty());
        assert_eq!(early[0].insights.analysed, 3);
        let by_channel = e
            .insights_by(
                &ConversationQuery::default(),
                None,
                &Segment::Channel,
                3,
                later,
            )
            .await
            .unwrap();
        assert_eq!(by_channel.len(), 1);
        assert_eq!(by_channel[0].key, "email");
    });
}

#[test]
fn label_colours_are_configured_or_deterministic_defaults() {
    let e = engine(
        memory(),
        InboxSettings::new()
            .label_colour("urgent", "#FF0000")
            .unwrap(),
        Arc::new(MemoryMailer::new()),
        None,
    )
    .unwrap();
    assert_eq!(e.inbox_settings().colour_of("urgent"), "#ff0000");
    assert_eq!(
        e.inbox_settings().colour_of("made-up-inline"),
        replytrack::inbox::default_colour("made-up-inline")
    );
}

#[test]
fn rules_run_after_the_analysis_worker_and_on_status_changes_by_hand() {
    use replytrack::inbox::{Action, MemoryNotifier, Rule, RuleCondition, Trigger};
    run(async {
        let settings = InboxSettings::new()
            .rule(
                Rule::new("note analysed", Trigger::AnalysisCompleted).then(Action::AddNote {
                    text: "Analysed: look at it".into(),
                }),
            )
            .rule(
                Rule::new("tell on resolve", Trigger::StatusChanged)
                    .when(RuleCondition::Status {
                        status: "resolved".into(),
                    })
                    .then(Action::Notify {
                        target: "lead".into(),
                        message: "Resolved".into(),
                    }),
            );
        let notifier = Arc::new(MemoryNotifier::new());
        let e = scenarios::engine_with(
            memory(),
            settings,
            Arc::new(MemoryMailer::new()),
            Some(notifier.clone()),
            replytrack::engine::EngineConfig {
                forward_replies: false,
                ..Default::default()
            },
        )
        .unwrap();
        let now = paris(3, 10, 0);
        let c = e
            .add_customer(NewCustomer::new("marie@example.fr"), now)
            .await
            .unwrap();
        let out = e
            .ingest(
                message_from(&c, "m", "Bonjour, quel est le prix du forfait Pro ?"),
                now,
            )
            .await
            .unwrap();
        let replytrack::engine::IngestOutcome::Stored(s) = out else {
            panic!()
        };
        let run = e
            .run_analysis(10, now + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(run.analysed, 1);
        let notes: Vec<String> = e
            .timeline(TimelineScope::Conversation(s.conversation))
            .await
            .unwrap()
            .into_iter()
            .filter_map(|ev| match ev.kind {
                EventKind::NoteAdded { author, text } => Some(format!("{author:?}: {text}")),
                _ => None,
            })
            .collect();
        assert!(
            notes
                .iter()
                .any(|n| n == "Some(\"rule: note analysed\"): Analysed: look at it"),
            "{notes:?}"
        );
        assert!(notifier.delivered().is_empty());
        e.resolve(s.conversation, now + Duration::minutes(2))
            .await
            .unwrap();
        let delivered = notifier.delivered();
        assert_eq!(delivered.len(), 1);
        assert_eq!(delivered[0].rule, "tell on resolve");
        assert_eq!(delivered[0].conversation, s.conversation);
    });
}

#[test]
fn a_failed_auto_reply_is_recorded_and_never_sent_twice() {
    run(async {
        let settings = InboxSettings::new()
            .schedule(scenarios::paris_office().unwrap())
            .auto_reply_template(
                Template::parse("x", "en", "Closed until {{next_open}}.").unwrap(),
            );
        let mailer = Arc::new(MemoryMailer::new());
        let e = engine(memory(), settings, mailer.clone(), None).unwrap();
        let c = e
            .add_customer(NewCustomer::new("marie@example.fr"), paris(6, 9, 0))
            .await
            .unwrap();
        mailer.fail_next_permanently(1);
        let out = e
            .ingest(message_from(&c, "n1", "Hello?"), paris(6, 22, 0))
            .await
            .unwrap();
        let replytrack::engine::IngestOutcome::Stored(s) = out else {
            panic!()
        };
        assert!(matches!(
            s.inbox.auto_reply,
            Some(replytrack::engine::AutoReplyOutcome::Failed { .. })
        ));
        let out = e
            .ingest(message_from(&c, "n2", "Hello again?"), paris(6, 22, 30))
            .await
            .unwrap();
        let replytrack::engine::IngestOutcome::Stored(s2) = out else {
            panic!()
        };
        assert!(matches!(
            s2.inbox.auto_reply,
            Some(replytrack::engine::AutoReplyOutcome::Skipped { .. })
        ));
        assert!(mailer.sent().is_empty());
        let kinds: Vec<&str> = e
            .timeline(TimelineScope::Conversation(s.conversation))
            .await
            .unwrap()
            .iter()
            .map(|ev| ev.kind.name())
            .filter(|n| n.starts_with("auto_reply"))
            .collect();
        assert_eq!(kinds, ["auto_reply_sent", "auto_reply_failed"]);
    });
}
