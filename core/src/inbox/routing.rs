//! Routing: which team and which agent a new conversation goes to.
//!
//! Rules are tried in order; the first whose conditions all hold names the team (else the
//! router's default team). Then an agent is picked among the team's *available* ones — online,
//! and under their capacity — by round robin (the next one after the last agent picked) or least
//! loaded (fewest open conversations, team order breaking ties). The decision carries a sentence
//! saying why, for the timeline.
//!
//! The function is pure: the host passes the agents' availability and load, and the last agent
//! round robin picked in that team, and keeps [`RoutingDecision::agent`] as the next cursor.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::analysis::ResponseType;
use crate::conversation::Channel;

/// Whether an agent takes new conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Working: gets new conversations.
    #[default]
    Online,
    /// Briefly away: keeps theirs, gets no new ones.
    Away,
    /// Not working.
    Offline,
}

/// An agent as routing sees them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AgentState {
    /// The agent's id.
    pub id: String,
    /// Whether they take new conversations.
    pub availability: Availability,
    /// How many open conversations they may hold (`None`: no limit).
    pub capacity: Option<u32>,
    /// How many open conversations they hold now.
    pub load: u32,
}

impl AgentState {
    /// An online agent with no limit and no load.
    pub fn online(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// Why they cannot take one more conversation, if they cannot.
    fn unavailable_because(&self) -> Option<String> {
        match (self.availability, self.capacity) {
            (Availability::Away, _) => Some("away".into()),
            (Availability::Offline, _) => Some("offline".into()),
            (Availability::Online, Some(cap)) if self.load >= cap => {
                Some(format!("at capacity {}/{cap}", self.load))
            }
            _ => None,
        }
    }
}

/// How a team shares its conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Each in turn.
    #[default]
    RoundRobin,
    /// Whoever holds the fewest open conversations.
    LeastLoaded,
}

/// A team and its agents (in their round-robin order).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Team {
    /// The team's id.
    pub id: String,
    /// How it shares conversations.
    pub strategy: Strategy,
    /// Its agents.
    pub agents: Vec<AgentState>,
}

/// What routing looks at in a conversation.
#[derive(Debug, Clone, Copy)]
pub struct RoutingInput<'a> {
    /// Its channel.
    pub channel: Channel,
    /// Its labels.
    pub labels: &'a BTreeSet<String>,
    /// The language of the contact's message (ISO 639-1), if known.
    pub lang: Option<&'a str>,
    /// The analysis's response type, once analysed.
    pub response_type: Option<ResponseType>,
    /// The contact's message (subject and text), for keywords.
    pub text: &'a str,
    /// The customer record's fields (plan, country, …).
    pub customer_fields: &'a BTreeMap<String, String>,
}

/// One condition of a routing rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Condition {
    /// The conversation is on this channel.
    Channel {
        /// The channel.
        channel: Channel,
    },
    /// It carries this label.
    Label {
        /// The label.
        label: String,
    },
    /// The message is in this language (case-insensitive).
    Language {
        /// ISO 639-1 code.
        lang: String,
    },
    /// The analysis gave this response type.
    ResponseType {
        /// The response type.
        response_type: ResponseType,
    },
    /// The message contains any of these words (case-insensitive substring).
    Keywords {
        /// The words.
        any: Vec<String>,
    },
    /// A customer field has this value (case-insensitive).
    CustomerField {
        /// The field.
        name: String,
        /// The value.
        value: String,
    },
}

impl Condition {
    /// Whether it holds; `lower_text` is the message lowercased once by the caller.
    fn holds(&self, input: &RoutingInput<'_>, lower_text: &str) -> bool {
        match self {
            Self::Channel { channel } => input.channel == *channel,
            Self::Label { label } => input.labels.contains(label),
            Self::Language { lang } => input.lang.is_some_and(|l| l.eq_ignore_ascii_case(lang)),
            Self::ResponseType { response_type } => input.response_type == Some(*response_type),
            Self::Keywords { any } => any.iter().any(|k| {
                let k = k.trim().to_lowercase();
                !k.is_empty() && lower_text.contains(&k)
            }),
            Self::CustomerField { name, value } => input
                .customer_fields
                .get(name)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(value.trim())),
        }
    }
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Channel { channel } => write!(f, "channel {channel:?}"),
            Self::Label { label } => write!(f, "label {label:?}"),
            Self::Language { lang } => write!(f, "language {lang}"),
            Self::ResponseType { response_type } => write!(f, "response type {response_type:?}"),
            Self::Keywords { any } => write!(f, "keywords {any:?}"),
            Self::CustomerField { name, value } => write!(f, "customer {name} = {value:?}"),
        }
    }
}

/// A routing rule: when every condition holds, the conversation goes to `team`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    /// The rule's name, quoted in reasons.
    pub name: String,
    /// All must hold (an empty list always holds).
    pub conditions: Vec<Condition>,
    /// The team it sends to.
    pub team: String,
}

/// The rules, in order, and where conversations go when none matches.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Router {
    /// Tried in order; the first match wins.
    pub rules: Vec<RoutingRule>,
    /// The team when no rule matches (`None`: leave unassigned).
    pub default_team: Option<String>,
}

/// Where a conversation goes, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingDecision {
    /// The team (none: no rule matched and there is no default).
    pub team: Option<String>,
    /// The agent (none: nobody in the team is available, or no team).
    pub agent: Option<String>,
    /// The rule that chose the team, if one did.
    pub rule: Option<String>,
    /// A sentence for the timeline.
    pub reason: String,
}

impl Router {
    /// Route a conversation. `teams` are looked up by id; `last_round_robin` is the agent round
    /// robin picked last time in the chosen team (the host keeps it per team).
    pub fn route(
        &self,
        input: &RoutingInput<'_>,
        teams: &[Team],
        last_round_robin: Option<&str>,
    ) -> RoutingDecision {
        let lower = input.text.to_lowercase();
        let matched = self
            .rules
            .iter()
            .find(|r| r.conditions.iter().all(|c| c.holds(input, &lower)));
        let (team_id, mut reason) = match (matched, &self.default_team) {
            (Some(rule), _) => {
                let why: Vec<String> = rule.conditions.iter().map(ToString::to_string).collect();
                let why = if why.is_empty() {
                    "always".to_string()
                } else {
                    why.join(", ")
                };
                (
                    rule.team.clone(),
                    format!("rule {:?} matched ({why}): team {}", rule.name, rule.team),
                )
            }
            (None, Some(team)) => (
                team.clone(),
                format!("no rule matched: default team {team}"),
            ),
            (None, None) => {
                return RoutingDecision {
                    team: None,
                    agent: None,
                    rule: None,
                    reason: "no rule matched and there is no default team: left unassigned".into(),
                };
            }
        };
        let rule = matched.map(|r| r.name.clone());
        let Some(team) = teams.iter().find(|t| t.id == team_id) else {
            reason.push_str(", which has no agents configured: left to the team");
            return RoutingDecision {
                team: Some(team_id),
                agent: None,
                rule,
                reason,
            };
        };
        let agent = pick_agent(team, last_round_robin, &mut reason);
        RoutingDecision {
            team: Some(team_id),
            agent,
            rule,
            reason,
        }
    }
}

/// Pick an available agent of `team`, appending the why to `reason`.
pub fn pick_agent(
    team: &Team,
    last_round_robin: Option<&str>,
    reason: &mut String,
) -> Option<String> {
    let n = team.agents.len();
    let start = match (team.strategy, last_round_robin) {
        (Strategy::RoundRobin, Some(last)) => team
            .agents
            .iter()
            .position(|a| a.id == last)
            .map_or(0, |i| (i + 1) % n.max(1)),
        _ => 0,
    };
    let order = (0..n).filter_map(|k| team.agents.get((start + k) % n));
    let mut skipped = Vec::new();
    let mut candidates = Vec::new();
    for agent in order {
        match agent.unavailable_because() {
            Some(why) => skipped.push(format!("{} {why}", agent.id)),
            None => candidates.push(agent),
        }
    }
    let chosen = match team.strategy {
        Strategy::RoundRobin => candidates.first().copied(),
        Strategy::LeastLoaded => {
            // Team order breaks ties: `candidates` is in team order here (start is 0).
            candidates.iter().copied().min_by_key(|a| a.load)
        }
    };
    match chosen {
        Some(a) => {
            let how = match team.strategy {
                Strategy::RoundRobin => "round robin".to_string(),
                Strategy::LeastLoaded => format!("least loaded ({} open)", a.load),
            };
            let _ = write!(reason, "; {how} picked {}", a.id);
        }
        None => reason.push_str("; no agent available: left to the team"),
    }
    if !skipped.is_empty() {
        let _ = write!(reason, " (skipped {})", skipped.join(", "));
    }
    chosen.map(|a| a.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str, availability: Availability, capacity: Option<u32>, load: u32) -> AgentState {
        AgentState {
            id: id.into(),
            availability,
            capacity,
            load,
        }
    }

    fn support(strategy: Strategy) -> Team {
        Team {
            id: "support".into(),
            strategy,
            agents: vec![
                agent("ana", Availability::Online, Some(5), 2),
                agent("bob", Availability::Offline, Some(5), 0),
                agent("chloe", Availability::Online, Some(3), 3),
                agent("dan", Availability::Online, None, 7),
            ],
        }
    }

    fn input<'a>(
        labels: &'a BTreeSet<String>,
        fields: &'a BTreeMap<String, String>,
        text: &'a str,
    ) -> RoutingInput<'a> {
        RoutingInput {
            channel: Channel::Email,
            labels,
            lang: Some("fr"),
            response_type: None,
            text,
            customer_fields: fields,
        }
    }

    fn router() -> Router {
        Router {
            rules: vec![
                RoutingRule {
                    name: "billing".into(),
                    conditions: vec![Condition::Keywords {
                        any: vec!["Invoice".into(), "facture".into()],
                    }],
                    team: "billing".into(),
                },
                RoutingRule {
                    name: "hot leads".into(),
                    conditions: vec![Condition::ResponseType {
                        response_type: ResponseType::HighValue,
                    }],
                    team: "sales".into(),
                },
            ],
            default_team: Some("support".into()),
        }
    }

    #[test]
    fn round_robin_skips_an_offline_agent_and_a_full_one() {
        let (labels, fields) = (BTreeSet::new(), BTreeMap::new());
        let d = router().route(
            &input(&labels, &fields, "hello"),
            &[support(Strategy::RoundRobin)],
            Some("ana"),
        );
        assert_eq!(d.team.as_deref(), Some("support"));
        assert_eq!(d.agent.as_deref(), Some("dan"));
        assert_eq!(
            d.reason,
            "no rule matched: default team support; round robin picked dan \
             (skipped bob offline, chloe at capacity 3/3)"
        );
        // Next time round robin goes on from dan, back to ana.
        let d = router().route(
            &input(&labels, &fields, "hello"),
            &[support(Strategy::RoundRobin)],
            d.agent.as_deref(),
        );
        assert_eq!(d.agent.as_deref(), Some("ana"));
    }

    #[test]
    fn least_loaded_picks_the_emptiest_available_agent() {
        let (labels, fields) = (BTreeSet::new(), BTreeMap::new());
        let d = router().route(
            &input(&labels, &fields, "hi"),
            &[support(Strategy::LeastLoaded)],
            None,
        );
        assert_eq!(d.agent.as_deref(), Some("ana"));
        assert!(d.reason.contains("least loaded (2 open) picked ana"));
    }

    #[test]
    fn the_first_matching_rule_chooses_the_team() {
        let (labels, fields) = (BTreeSet::new(), BTreeMap::new());
        let mut i = input(&labels, &fields, "Où est ma FACTURE ?");
        i.response_type = Some(ResponseType::HighValue);
        let d = router().route(&i, &[], None);
        assert_eq!(d.team.as_deref(), Some("billing"));
        assert_eq!(d.rule.as_deref(), Some("billing"));
        assert!(d.reason.starts_with("rule \"billing\" matched (keywords"));
        assert_eq!(d.agent, None);
    }

    #[test]
    fn labels_languages_channels_and_customer_fields_all_must_hold() {
        let labels = BTreeSet::from(["vip".to_string()]);
        let fields = BTreeMap::from([("plan".to_string(), "Enterprise".to_string())]);
        let r = Router {
            rules: vec![RoutingRule {
                name: "vip fr".into(),
                conditions: vec![
                    Condition::Label {
                        label: "vip".into(),
                    },
                    Condition::Language { lang: "FR".into() },
                    Condition::Channel {
                        channel: Channel::Email,
                    },
                    Condition::CustomerField {
                        name: "plan".into(),
                        value: "enterprise".into(),
                    },
                ],
                team: "vip".into(),
            }],
            default_team: None,
        };
        let mut i = input(&labels, &fields, "");
        assert_eq!(r.route(&i, &[], None).team.as_deref(), Some("vip"));
        i.channel = Channel::Whatsapp;
        let d = r.route(&i, &[], None);
        assert_eq!(d.team, None);
        assert!(d.reason.contains("left unassigned"));
    }

    #[test]
    fn nobody_available_leaves_it_to_the_team() {
        let team = Team {
            id: "support".into(),
            strategy: Strategy::RoundRobin,
            agents: vec![
                agent("ana", Availability::Away, None, 0),
                agent("bob", Availability::Online, Some(0), 0),
            ],
        };
        let (labels, fields) = (BTreeSet::new(), BTreeMap::new());
        let d = router().route(&input(&labels, &fields, ""), &[team], Some("zed"));
        assert_eq!(d.agent, None);
        assert!(d.reason.ends_with(
            "no agent available: left to the team (skipped ana away, bob at capacity 0/0)"
        ));
    }
}
