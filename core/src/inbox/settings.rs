//! What the host tells the engine about its inbox: teams and agents, routing and automation
//! rules, business hours, the out-of-hours auto-reply, label colours and message templates.
//!
//! The host owns its users and teams: nothing here is stored. It hands an [`InboxSettings`] to
//! [`EngineBuilder::inbox`](crate::engine::EngineBuilder::inbox), and pushes agent availability at
//! run time with [`Engine::set_agent_availability`](crate::engine::Engine::set_agent_availability).
//!
//! ```
//! use chrono::NaiveTime;
//! use replytrack::inbox::{InboxSettings, Rule, Schedule, Strategy, Template, Trigger, Action};
//!
//! let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
//! let settings = InboxSettings::new()
//!     .team("support", Strategy::RoundRobin, [("ana", Some(5)), ("bob", None)])
//!     .default_team("support")
//!     .schedule(Schedule::builder(chrono_tz::Europe::Paris).weekdays(t(9), t(18))?.build())
//!     .auto_reply_template(Template::parse("after_hours", "fr", "Bonjour {{name}}, nous répondons dès {{next_open}}.")?)
//!     .rule(Rule::new("urgent", Trigger::LabelAdded).when_label("urgent")
//!         .then(Action::SetPriority { priority: replytrack::conversation::Priority::Urgent }))
//!     .label_colour("urgent", "#d93f0b")?;
//! assert_eq!(settings.colour_of("urgent"), "#d93f0b");
//! assert!(settings.colour_of("billing").starts_with('#'));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::hours::Schedule;
use super::routing::{AgentState, Availability, Router, RoutingRule, Strategy, Team};
use super::rules::Rule;
use super::templates::{Template, TemplateLibrary};

/// The name of the out-of-hours auto-reply template in [`InboxSettings::templates`].
pub const AUTO_REPLY_TEMPLATE: &str = "after_hours";

/// The colours a label created inline gets, chosen by a hash of its name.
pub const DEFAULT_PALETTE: [&str; 12] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939",
];

/// What is wrong with inbox settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// A colour that is not `#rrggbb`.
    #[error("label {label:?}: colour {colour:?} is not #rrggbb")]
    BadColour {
        /// The label.
        label: String,
        /// The colour given.
        colour: String,
    },
    /// Two automation rules share a name (the loop guard and the timeline name rules by it).
    #[error("two automation rules are named {0:?}")]
    DuplicateRule(String),
    /// Two teams share an id.
    #[error("two teams have the id {0:?}")]
    DuplicateTeam(String),
    /// A routing rule or the default team names a team that is not configured.
    #[error("routing sends conversations to team {0:?}, which is not configured")]
    UnknownTeam(String),
}

/// An agent of a team, as the host configures them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentConfig {
    /// The host's id for the agent.
    pub id: String,
    /// How many open or pending conversations they may hold (`None`: no limit).
    pub capacity: Option<u32>,
}

/// A team: its agents in round-robin order, and how it shares conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamConfig {
    /// The host's id for the team.
    pub id: String,
    /// Round robin or least loaded.
    pub strategy: Strategy,
    /// Its agents.
    pub agents: Vec<AgentConfig>,
}

impl TeamConfig {
    /// The team as routing sees it, given each agent's availability and load.
    pub fn state(
        &self,
        availability: impl Fn(&str) -> Availability,
        load: impl Fn(&str) -> u32,
    ) -> Team {
        Team {
            id: self.id.clone(),
            strategy: self.strategy,
            agents: self
                .agents
                .iter()
                .map(|a| AgentState {
                    id: a.id.clone(),
                    availability: availability(&a.id),
                    capacity: a.capacity,
                    load: load(&a.id),
                })
                .collect(),
        }
    }
}

/// Everything the engine needs to run the inbox for one account.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboxSettings {
    /// The teams.
    pub teams: Vec<TeamConfig>,
    /// Routing rules and the default team. With no rule and no default team nothing is routed.
    pub router: Router,
    /// Automation rules, in the order they run.
    pub rules: Vec<Rule>,
    /// Business hours (`None`: always open, so no auto-replies and business time = calendar time).
    pub schedule: Option<Schedule>,
    /// Label colours (`#rrggbb`); other labels get [`InboxSettings::colour_of`]'s default.
    pub label_colours: BTreeMap<String, String>,
    /// Message templates by name and language, including the [`AUTO_REPLY_TEMPLATE`] ones.
    pub templates: TemplateLibrary,
    /// The variables templates may use; empty means any (checked when a template is used).
    pub template_variables: BTreeSet<String>,
}

fn is_colour(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

impl InboxSettings {
    /// No teams, no rules, always open.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a team with its agents `(id, capacity)` in round-robin order.
    pub fn team<'a>(
        mut self,
        id: impl Into<String>,
        strategy: Strategy,
        agents: impl IntoIterator<Item = (&'a str, Option<u32>)>,
    ) -> Self {
        self.teams.push(TeamConfig {
            id: id.into(),
            strategy,
            agents: agents
                .into_iter()
                .map(|(id, capacity)| AgentConfig {
                    id: id.to_string(),
                    capacity,
                })
                .collect(),
        });
        self
    }

    /// Add a routing rule (tried in order; the first match chooses the team).
    pub fn routing_rule(mut self, rule: RoutingRule) -> Self {
        self.router.rules.push(rule);
        self
    }

    /// The team conversations go to when no routing rule matches.
    pub fn default_team(mut self, team: impl Into<String>) -> Self {
        self.router.default_team = Some(team.into());
        self
    }

    /// Add an automation rule.
    pub fn rule(mut self, rule: Rule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Business hours.
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = Some(schedule);
        self
    }

    /// Add a template (replacing one with the same name and language).
    pub fn template(mut self, template: Template) -> Self {
        self.templates.insert(template);
        self
    }

    /// Add an auto-reply template for its language: `template` is stored under the name
    /// [`AUTO_REPLY_TEMPLATE`] whatever it was parsed with.
    ///
    /// Its variables may be `name` (the contact's name, or empty), `account` (the account's
    /// name), `next_open` (the next opening, local time, `YYYY-MM-DD HH:MM`) and `subject`.
    pub fn auto_reply_template(self, template: Template) -> Self {
        let renamed = Template::parse(AUTO_REPLY_TEMPLATE, template.lang(), template.body());
        match renamed {
            Ok(t) => self.template(t),
            Err(_) => self.template(template),
        }
    }

    /// Give a label its colour (`#rrggbb`).
    ///
    /// # Errors
    /// [`SettingsError::BadColour`].
    pub fn label_colour(
        mut self,
        label: impl Into<String>,
        colour: &str,
    ) -> Result<Self, SettingsError> {
        let label = label.into();
        if !is_colour(colour) {
            return Err(SettingsError::BadColour {
                label,
                colour: colour.to_string(),
            });
        }
        self.label_colours
            .insert(label.trim().to_string(), colour.to_ascii_lowercase());
        Ok(self)
    }

    /// A label's colour: the configured one, else a default from [`DEFAULT_PALETTE`] picked by
    /// a hash (FNV-1a) of the label, so a label created inline keeps the same colour everywhere.
    pub fn colour_of(&self, label: &str) -> String {
        if let Some(c) = self.label_colours.get(label.trim()) {
            return c.clone();
        }
        default_colour(label).to_string()
    }

    /// The team with this id.
    pub fn team_config(&self, id: &str) -> Option<&TeamConfig> {
        self.teams.iter().find(|t| t.id == id)
    }

    /// Whether any agent is configured with this id.
    pub fn has_agent(&self, id: &str) -> bool {
        self.teams
            .iter()
            .any(|t| t.agents.iter().any(|a| a.id == id))
    }

    /// The capacity of an agent (the smallest configured, when they are in several teams).
    pub fn capacity_of(&self, id: &str) -> Option<u32> {
        self.teams
            .iter()
            .flat_map(|t| t.agents.iter())
            .filter(|a| a.id == id)
            .filter_map(|a| a.capacity)
            .min()
    }

    /// Check the settings hang together: unique team ids and rule names, routing to known teams.
    ///
    /// # Errors
    /// [`SettingsError`].
    pub fn validate(&self) -> Result<(), SettingsError> {
        let mut seen = BTreeSet::new();
        for t in &self.teams {
            if !seen.insert(t.id.as_str()) {
                return Err(SettingsError::DuplicateTeam(t.id.clone()));
            }
        }
        let mut names = BTreeSet::new();
        for r in &self.rules {
            if !names.insert(r.name.as_str()) {
                return Err(SettingsError::DuplicateRule(r.name.clone()));
            }
        }
        let targets = self
            .router
            .rules
            .iter()
            .map(|r| &r.team)
            .chain(self.router.default_team.as_ref());
        for team in targets {
            if !seen.contains(team.as_str()) {
                return Err(SettingsError::UnknownTeam(team.clone()));
            }
        }
        Ok(())
    }
}

/// The default colour of a label: [`DEFAULT_PALETTE`] indexed by the FNV-1a hash of its trimmed,
/// lowercased name.
pub fn default_colour(label: &str) -> &'static str {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in label.trim().to_lowercase().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let i = usize::try_from(h % DEFAULT_PALETTE.len() as u64).unwrap_or(0);
    DEFAULT_PALETTE.get(i).copied().unwrap_or("#7f7f7f")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_created_inline_always_gets_the_same_default_colour() {
        let s = InboxSettings::new();
        assert_eq!(s.colour_of("billing"), s.colour_of(" Billing "));
        assert_eq!(s.colour_of("billing"), default_colour("billing"));
        assert!(DEFAULT_PALETTE.contains(&default_colour("anything at all")));
    }

    #[test]
    fn configured_colours_win_and_bad_ones_are_refused() {
        let s = InboxSettings::new().label_colour("vip", "#AABBCC").unwrap();
        assert_eq!(s.colour_of("vip"), "#aabbcc");
        assert!(matches!(
            InboxSettings::new().label_colour("vip", "red"),
            Err(SettingsError::BadColour { .. })
        ));
    }

    #[test]
    fn routing_to_an_unknown_team_or_twin_rules_are_refused() {
        let s = InboxSettings::new().default_team("nobody");
        assert_eq!(
            s.validate(),
            Err(SettingsError::UnknownTeam("nobody".into()))
        );
        let r = super::super::rules::Trigger::LabelAdded;
        let s = InboxSettings::new()
            .rule(Rule::new("a", r))
            .rule(Rule::new("a", r));
        assert_eq!(s.validate(), Err(SettingsError::DuplicateRule("a".into())));
    }
}
