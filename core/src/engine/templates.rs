//! Templates in use: found by name and language, validated, rendered, then sent as any email.

use chrono::{DateTime, Utc};

use super::compose::{ComposedEmail, OutboundDraft};
use super::{Engine, EngineError};
use crate::conversation::CustomerId;
use crate::inbox::{Template, Values};
use crate::ports::{MailerError, SendReceipt};

impl Engine {
    /// The template `name` for `lang` (exact tag, then its primary language, then the account's
    /// language), checked against [`InboxSettings::template_variables`] when that is set.
    ///
    /// [`InboxSettings::template_variables`]: crate::inbox::InboxSettings::template_variables
    ///
    /// # Errors
    /// [`EngineError::UnknownTemplate`]; [`EngineError::Template`] for a variable the host does
    /// not provide.
    pub fn template(&self, name: &str, lang: &str) -> Result<&Template, EngineError> {
        let settings = &self.inbox.settings;
        let t = settings
            .templates
            .find(name, lang, &self.account.language)
            .ok_or_else(|| EngineError::UnknownTemplate {
                name: name.to_string(),
                lang: lang.to_string(),
            })?;
        if !settings.template_variables.is_empty() {
            let allowed: Vec<&str> = settings
                .template_variables
                .iter()
                .map(String::as_str)
                .collect();
            t.check(&allowed)?;
        }
        Ok(t)
    }

    /// Render a template with `values`, validated first ([`Engine::template`]); every variable
    /// must have a value.
    ///
    /// # Errors
    /// As [`Engine::template`]; [`EngineError::Template`] with
    /// [`TemplateError::MissingValue`](crate::inbox::TemplateError::MissingValue).
    pub fn render_template<V: Values + ?Sized>(
        &self,
        name: &str,
        lang: &str,
        values: &V,
    ) -> Result<String, EngineError> {
        Ok(self.template(name, lang)?.render(values)?)
    }

    /// Send an email whose text is a template: validated and rendered before anything is
    /// composed, so a bad template or a missing value sends nothing. `draft` gives the subject,
    /// the thread and the rest; its text is replaced by the rendered template.
    ///
    /// # Errors
    /// As [`Engine::render_template`] and [`Engine::send`].
    pub async fn send_template<V: Values + Sync + ?Sized>(
        &self,
        customer: CustomerId,
        name: &str,
        lang: &str,
        values: &V,
        draft: OutboundDraft,
        now: DateTime<Utc>,
    ) -> Result<(ComposedEmail, Result<SendReceipt, MailerError>), EngineError> {
        let text = self.render_template(name, lang, values)?;
        let draft = OutboundDraft { text, ..draft };
        self.send(customer, draft, now).await
    }
}
