//! Routing and assignment: the inbox settings held by the engine, agent availability and load,
//! automatic assignment of conversations the contact opens, and assignment by hand.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::{Engine, EngineError};
use crate::analysis::ResponseType;
use crate::conversation::{Conversation, ConversationId, EventKind};
use crate::inbox::{
    Availability, CustomerFields, InboxSettings, Notifier, RoutingDecision, RoutingInput,
};
use crate::ports::ConversationQuery;

/// Load is counted up to this many conversations per status (enough to compare agents; an
/// agent with a capacity is counted up to it).
pub const MAX_COUNTED_LOAD: u32 = 1_000;

/// The inbox as one engine instance holds it: the host's settings, the agents' availability as
/// the host last pushed it, and each team's round-robin cursor.
pub(crate) struct InboxState {
    pub settings: InboxSettings,
    pub notifier: Option<Arc<dyn Notifier>>,
    pub fields: Option<Arc<dyn CustomerFields>>,
    availability: Mutex<HashMap<String, Availability>>,
    cursors: Mutex<HashMap<String, String>>,
}

impl InboxState {
    pub fn new(
        settings: InboxSettings,
        notifier: Option<Arc<dyn Notifier>>,
        fields: Option<Arc<dyn CustomerFields>>,
    ) -> Self {
        Self {
            settings,
            notifier,
            fields,
            availability: Mutex::new(HashMap::new()),
            cursors: Mutex::new(HashMap::new()),
        }
    }

    fn availability_of(&self, agent: &str) -> Availability {
        self.availability
            .lock()
            .ok()
            .and_then(|m| m.get(agent).copied())
            .unwrap_or_default()
    }

    fn cursor(&self, team: &str) -> Option<String> {
        self.cursors.lock().ok().and_then(|m| m.get(team).cloned())
    }

    fn set_cursor(&self, team: &str, agent: &str) {
        if let Ok(mut m) = self.cursors.lock() {
            m.insert(team.to_string(), agent.to_string());
        }
    }
}

impl std::fmt::Debug for InboxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboxState")
            .field("teams", &self.settings.teams.len())
            .field("rules", &self.settings.rules.len())
            .field("notifier", &self.notifier.is_some())
            .finish_non_exhaustive()
    }
}

/// What routing looks at, gathered from the store and the message.
pub(super) struct RoutingFacts {
    pub labels: BTreeSet<String>,
    pub lang: Option<String>,
    pub response_type: Option<ResponseType>,
    pub text: String,
}

impl Engine {
    /// The inbox settings the engine was built with.
    pub fn inbox_settings(&self) -> &InboxSettings {
        &self.inbox.settings
    }

    /// Set an agent's availability (agents start [`Availability::Online`]). Routing skips
    /// agents who are away or offline.
    ///
    /// Availability is held by this engine instance, not stored: a host running several
    /// instances pushes each change to every instance (or rebuilds them from its own presence
    /// service on start).
    pub fn set_agent_availability(&self, agent: &str, availability: Availability) {
        if let Ok(mut m) = self.inbox.availability.lock() {
            m.insert(agent.to_string(), availability);
        }
    }

    /// An agent's availability as this instance knows it.
    pub fn agent_availability(&self, agent: &str) -> Availability {
        self.inbox.availability_of(agent)
    }

    /// An agent's load: the conversations assigned to them that are open or pending (snoozed
    /// and resolved ones do not count), read from the store; counted up to the agent's capacity
    /// (or [`MAX_COUNTED_LOAD`]) per status.
    ///
    /// # Errors
    /// Store errors.
    pub async fn agent_load(&self, agent: &str) -> Result<u32, EngineError> {
        let cap = self
            .inbox
            .settings
            .capacity_of(agent)
            .map_or(MAX_COUNTED_LOAD, |c| c.min(MAX_COUNTED_LOAD));
        let mut load = 0u32;
        for status in ["open", "pending"] {
            let q = ConversationQuery {
                assignee: Some(agent.to_string()),
                status: Some(status.to_string()),
                limit: cap as usize + 1,
                ..ConversationQuery::default()
            };
            let n = self.store.conversations(&q).await?.len();
            load = load.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(load)
    }

    /// Route a conversation the contact just opened: choose a team and an agent, and record the
    /// decision (`Routed`) and the assignment (`Assigned`) on the timeline. Does nothing when
    /// routing is not configured or the conversation is already assigned.
    pub(super) async fn route_opened(
        &self,
        conversation: ConversationId,
        facts: &RoutingFacts,
        now: DateTime<Utc>,
    ) -> Result<Option<RoutingDecision>, EngineError> {
        let router = &self.inbox.settings.router;
        if router.rules.is_empty() && router.default_team.is_none() {
            return Ok(None);
        }
        let Some(conv) = self.store.conversation(conversation).await? else {
            return Err(EngineError::not_found("conversation", conversation));
        };
        if conv.assignee.is_some() || conv.team.is_some() {
            return Ok(None);
        }
        let fields = match (
            &self.inbox.fields,
            self.store.customer(conv.customer).await?,
        ) {
            (Some(provider), Some(customer)) => provider.fields(&customer).await,
            _ => BTreeMap::new(),
        };
        let input = RoutingInput {
            channel: conv.channel,
            labels: &facts.labels,
            lang: facts.lang.as_deref(),
            response_type: facts.response_type,
            text: &facts.text,
            customer_fields: &fields,
        };
        // First the team (rules only), then the agent among that team's, with their state.
        let team_id = router.route(&input, &[], None).team;
        let mut teams = Vec::new();
        let mut cursor = None;
        if let Some(config) = team_id
            .as_deref()
            .and_then(|t| self.inbox.settings.team_config(t))
        {
            let mut loads = HashMap::new();
            for a in &config.agents {
                let available = self.inbox.availability_of(&a.id) == Availability::Online;
                // Only available agents' load matters; skip the reads for the others.
                let load = if available {
                    self.agent_load(&a.id).await?
                } else {
                    0
                };
                loads.insert(a.id.clone(), load);
            }
            teams.push(config.state(
                |id| self.inbox.availability_of(id),
                |id| loads.get(id).copied().unwrap_or(0),
            ));
            cursor = self.inbox.cursor(&config.id);
        }
        let decision = router.route(&input, &teams, cursor.as_deref());
        self.record_routing(&conv, &decision, now).await?;
        if let (Some(team), Some(agent)) = (&decision.team, &decision.agent) {
            self.inbox.set_cursor(team, agent);
        }
        Ok(Some(decision))
    }

    async fn record_routing(
        &self,
        conv: &Conversation,
        decision: &RoutingDecision,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        let d = decision.clone();
        self.update_conversation(conv.id, now, "route", move |c| {
            let mut kinds = vec![EventKind::Routed {
                team: d.team.clone(),
                agent: d.agent.clone(),
                rule: d.rule.clone(),
                reason: d.reason.clone(),
            }];
            if c.assignee.is_none() && c.team.is_none() && (d.team.is_some() || d.agent.is_some()) {
                c.assignee.clone_from(&d.agent);
                c.team.clone_from(&d.team);
                kinds.push(EventKind::Assigned {
                    assignee: d.agent.clone(),
                    team: d.team.clone(),
                });
            }
            Ok(kinds)
        })
        .await
    }

    /// Assign a conversation to an agent by hand, keeping its team.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors.
    pub async fn assign_agent(
        &self,
        conversation: ConversationId,
        agent: &str,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        let agent = agent.trim().to_string();
        self.update_conversation(conversation, now, "assign_agent", |c| {
            if c.assignee.as_deref() == Some(agent.as_str()) {
                return Ok(Vec::new());
            }
            c.assignee = Some(agent.clone());
            Ok(vec![EventKind::Assigned {
                assignee: c.assignee.clone(),
                team: c.team.clone(),
            }])
        })
        .await
    }

    /// Assign a conversation to a team by hand. Its agent is kept when they belong to the team
    /// (per the settings), else cleared: the team picks it up.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors.
    pub async fn assign_team(
        &self,
        conversation: ConversationId,
        team: &str,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        let team = team.trim().to_string();
        let members: Option<BTreeSet<String>> = self
            .inbox
            .settings
            .team_config(&team)
            .map(|t| t.agents.iter().map(|a| a.id.clone()).collect());
        self.update_conversation(conversation, now, "assign_team", |c| {
            let keep = c
                .assignee
                .as_ref()
                .is_some_and(|a| members.as_ref().is_some_and(|m| m.contains(a)));
            let assignee = if keep { c.assignee.clone() } else { None };
            if c.team.as_deref() == Some(team.as_str()) && c.assignee == assignee {
                return Ok(Vec::new());
            }
            c.team = Some(team.clone());
            c.assignee = assignee;
            Ok(vec![EventKind::Assigned {
                assignee: c.assignee.clone(),
                team: c.team.clone(),
            }])
        })
        .await
    }

    /// Remove a conversation's agent and team.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors.
    pub async fn unassign(
        &self,
        conversation: ConversationId,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        self.assign(conversation, None, None, now).await
    }
}
