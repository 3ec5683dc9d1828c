use super::*;
use chrono::{NaiveTime, TimeZone};
use chrono_tz::Europe::Paris;

use crate::conversation::{CustomerId, OpenedBy};

/// A local Paris time in the week of Monday 2 March 2026 (CET, UTC+1).
fn paris(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(2026, 3, day, h, m, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn office() -> Schedule {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    Schedule::builder(Paris)
        .weekdays(t(9), t(18))
        .unwrap()
        .build()
}

struct Seed {
    customer: CustomerId,
    conversation: ConversationId,
    events: Vec<TimelineEvent>,
}

impl Seed {
    fn opened(channel: Channel, agent: &str, at: DateTime<Utc>) -> Self {
        let mut s = Self {
            customer: CustomerId::generate(at),
            conversation: ConversationId::generate(at),
            events: Vec::new(),
        };
        s.push(
            at,
            EventKind::ConversationOpened {
                source: OpenedBy::Contact,
                channel,
            },
        );
        s.push(
            at,
            EventKind::Assigned {
                assignee: Some(agent.into()),
                team: None,
            },
        );
        s.contact(at)
    }

    fn push(&mut self, at: DateTime<Utc>, kind: EventKind) {
        self.events.push(TimelineEvent::new(
            self.customer,
            Some(self.conversation),
            None,
            at,
            kind,
        ));
    }

    fn contact(mut self, at: DateTime<Utc>) -> Self {
        self.push(
            at,
            EventKind::ReplyReceived {
                from: "c@example.com".into(),
                subject: None,
                text: "question".into(),
                lang: None,
            },
        );
        self
    }

    fn answer(mut self, at: DateTime<Utc>) -> Self {
        self.push(
            at,
            EventKind::ManualReplyLogged {
                party: Party::Business,
                author: None,
                text: "answer".into(),
            },
        );
        self
    }

    fn resolve(mut self, at: DateTime<Utc>) -> Self {
        self.push(
            at,
            EventKind::StatusChanged {
                from: ConversationStatus::Open,
                to: ConversationStatus::Resolved,
                cause: "resolve".into(),
            },
        );
        self
    }

    fn metrics(&self) -> ConversationMetrics {
        conversation_metrics(&self.events, &office()).unwrap()
    }
}

/// A: email, Ana. Monday 17:00 question, Tuesday 10:00 answer, Tuesday 14:00 question,
/// 14:30 answer, resolved 15:00.
fn a() -> Seed {
    Seed::opened(Channel::Email, "ana", paris(2, 17, 0))
        .answer(paris(3, 10, 0))
        .contact(paris(3, 14, 0))
        .answer(paris(3, 14, 30))
        .resolve(paris(3, 15, 0))
}

/// B: WhatsApp, Bob. Thursday 20:00 question, Friday 09:30 answer; still open.
fn b() -> Seed {
    Seed::opened(Channel::Whatsapp, "bob", paris(5, 20, 0)).answer(paris(6, 9, 30))
}

/// C: email, Ana. Wednesday 11:00 question, 11:30 answer, resolved 12:00.
fn c() -> Seed {
    Seed::opened(Channel::Email, "ana", paris(4, 11, 0))
        .answer(paris(4, 11, 30))
        .resolve(paris(4, 12, 0))
}

#[test]
fn first_response_over_the_night_counts_one_business_hour_each_side() {
    let m = a().metrics();
    let fr = m.first_response.unwrap();
    assert_eq!(fr.calendar, Duration::hours(17));
    assert_eq!(fr.business, Duration::hours(2)); // 17–18 Monday, 9–10 Tuesday
    assert_eq!(m.reply_times.len(), 2);
    assert_eq!(m.reply_times[1].calendar, Duration::minutes(30));
    let res = m.resolution.unwrap();
    assert_eq!(res.calendar, Duration::hours(22));
    assert_eq!(res.business, Duration::hours(7)); // 1 h Monday + 09:00–15:00 Tuesday
    assert_eq!(m.channel, Some(Channel::Email));
    assert_eq!(m.agent.as_deref(), Some("ana"));
}

#[test]
fn a_reopened_conversation_has_no_resolution_time() {
    let mut s = c();
    s.push(
        paris(4, 13, 0),
        EventKind::StatusChanged {
            from: ConversationStatus::Resolved,
            to: ConversationStatus::Open,
            cause: "contact_message".into(),
        },
    );
    assert_eq!(s.metrics().resolution, None);
}

#[test]
fn metrics_over_a_seeded_week_match_hand_computed_values() {
    let week = Period {
        start: paris(2, 0, 0),
        end: paris(9, 0, 0),
    };
    let all = [a().metrics(), b().metrics(), c().metrics()];
    let r = report(&all, week, &office());

    assert_eq!((r.opened, r.resolved), (3, 2));
    assert_eq!(r.resolution_rate, Some(2.0 / 3.0));

    // First responses: 17 h / 2 h, 13 h 30 / 30 min, 30 min / 30 min.
    let fr = r.first_response.unwrap();
    assert_eq!(fr.count, 3);
    assert_eq!(fr.calendar, Duration::minutes(620)); // (1020 + 810 + 30) / 3
    assert_eq!(fr.business, Duration::minutes(60)); // (120 + 30 + 30) / 3

    // Every wait: A's two, B's and C's.
    let rt = r.reply_time.unwrap();
    assert_eq!(rt.count, 4);
    assert_eq!(rt.calendar, Duration::seconds(28_350)); // (1020 + 30 + 810 + 30) / 4 min
    assert_eq!(rt.business, Duration::seconds(3_150)); // (120 + 30 + 30 + 30) / 4 min

    // Resolutions: A 22 h / 7 h, C 1 h / 1 h.
    let res = r.resolution_time.unwrap();
    assert_eq!(res.count, 2);
    assert_eq!(res.calendar, Duration::minutes(690));
    assert_eq!(res.business, Duration::minutes(240));

    let v = |inbound, outbound| Volume { inbound, outbound };
    assert_eq!(r.by_channel["email"], v(3, 3));
    assert_eq!(r.by_channel["whatsapp"], v(1, 1));
    assert_eq!(r.by_agent["ana"], v(3, 3));
    assert_eq!(r.by_agent["bob"], v(1, 1));
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    assert_eq!(
        r.by_day.clone().into_iter().collect::<Vec<_>>(),
        vec![
            (day(2), v(1, 0)),
            (day(3), v(1, 2)),
            (day(4), v(1, 1)),
            (day(5), v(1, 0)),
            (day(6), v(0, 1)),
        ]
    );
}

#[test]
fn events_outside_the_period_are_not_counted() {
    let monday_only = Period {
        start: paris(2, 0, 0),
        end: paris(3, 0, 0),
    };
    let r = report(&[a().metrics(), b().metrics()], monday_only, &office());
    assert_eq!(r.opened, 1);
    assert_eq!(r.first_response, None); // A's answer came on Tuesday
    assert_eq!(
        r.by_channel["email"],
        Volume {
            inbound: 1,
            outbound: 0
        }
    );
    assert!(!r.by_channel.contains_key("whatsapp"));
    assert_eq!(report(&[], monday_only, &office()).resolution_rate, None);
}

#[test]
fn events_out_of_order_are_sorted_first() {
    let mut s = c();
    let in_order = s.metrics();
    s.events.reverse();
    assert_eq!(s.metrics(), in_order);
}
