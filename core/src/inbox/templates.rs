//! Message templates: named, in a language, with `{{variables}}`.
//!
//! A template is parsed once ([`Template::parse`]), which catches unbalanced braces and bad
//! variable names with their position; [`Template::check`] refuses variables the host does not
//! provide; [`Template::render`] fills the variables in one pass (linear in the template and the
//! values; a value is inserted as written, never expanded again) and names any missing one.
//!
//! Variable names are letters, digits, `_` and `.`, starting with a letter or `_`
//! (`{{customer.first_name}}`); spaces inside the braces are allowed (`{{ agent }}`). A single
//! `{` or `}` is plain text.
//!
//! ```
//! use std::collections::HashMap;
//! use replytrack::inbox::templates::Template;
//!
//! let t = Template::parse("after_hours", "en", "Hi {{ name }}, we reply from {{opens}}.")?;
//! t.check(&["name", "opens", "agent"])?;
//! let values = HashMap::from([("name", "Marie"), ("opens", "Monday 09:00")]);
//! assert_eq!(t.render(&values)?, "Hi Marie, we reply from Monday 09:00.");
//! # Ok::<(), replytrack::inbox::templates::TemplateError>(())
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Longest template body, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024;
/// Longest variable name, in bytes.
pub const MAX_VARIABLE_LEN: usize = 64;
/// Longest template name or language tag, in bytes.
pub const MAX_NAME_LEN: usize = 128;

/// Where in a template something is: a byte offset, and the 1-based line and column (in
/// characters) a person would look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Position {
    /// Byte offset from the start.
    pub offset: usize,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl Position {
    fn at(text: &str, offset: usize) -> Self {
        let before = text.get(..offset).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self {
            offset,
            line: before.matches('\n').count() + 1,
            column: before.get(line_start..).map_or(0, |l| l.chars().count()) + 1,
        }
    }
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// What is wrong with a template or its values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A `{{` with no `}}` after it (or another `{{` before its `}}`).
    #[error("template {template:?}: `{{{{` at {at} is never closed")]
    UnclosedVariable {
        /// The template's name.
        template: String,
        /// Where the `{{` is.
        at: Position,
    },
    /// A `}}` with no `{{` before it.
    #[error("template {template:?}: `}}}}` at {at} closes nothing")]
    UnopenedClose {
        /// The template's name.
        template: String,
        /// Where the `}}` is.
        at: Position,
    },
    /// A variable name that is empty or not letters, digits, `_` and `.`.
    #[error("template {template:?}: {name:?} at {at} is not a variable name")]
    BadVariableName {
        /// The template's name.
        template: String,
        /// The text between the braces (cut to 64 characters).
        name: String,
        /// Where the `{{` is.
        at: Position,
    },
    /// A variable the host does not provide.
    #[error("template {template:?}: unknown variable {name:?} at {at}")]
    UnknownVariable {
        /// The template's name.
        template: String,
        /// The variable.
        name: String,
        /// Where its first use is.
        at: Position,
    },
    /// A variable with no value at render time.
    #[error("template {template:?}: no value for variable {name:?} (used at {at})")]
    MissingValue {
        /// The template's name.
        template: String,
        /// The variable.
        name: String,
        /// Where its first use is.
        at: Position,
    },
    /// The body is longer than [`MAX_TEMPLATE_BYTES`].
    #[error("template {template:?} is {len} bytes, over the limit of {MAX_TEMPLATE_BYTES}")]
    TooLong {
        /// The template's name.
        template: String,
        /// Its length.
        len: usize,
    },
    /// An empty or overlong template name or language.
    #[error("template name or language {0:?} must be 1 to {MAX_NAME_LEN} bytes")]
    BadName(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(Range<usize>),
    Variable { name: String, at: usize },
}

/// A parsed template. The body is kept as written; the parse is kept beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    name: String,
    lang: String,
    body: String,
    segments: Vec<Segment>,
}

fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= MAX_VARIABLE_LEN
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

fn check_name(s: &str) -> Result<String, TemplateError> {
    let t = s.trim();
    if t.is_empty() || t.len() > MAX_NAME_LEN {
        return Err(TemplateError::BadName(
            s.chars().take(MAX_NAME_LEN).collect(),
        ));
    }
    Ok(t.to_string())
}

impl Template {
    /// Parse a template named `name` in language `lang` (a BCP 47 tag such as `fr` or `pt-BR`).
    ///
    /// # Errors
    /// [`TemplateError`] for unbalanced braces, a bad variable name, an overlong body, or an
    /// empty name or language.
    pub fn parse(name: &str, lang: &str, body: &str) -> Result<Self, TemplateError> {
        let name = check_name(name)?;
        let lang = check_name(lang)?;
        if body.len() > MAX_TEMPLATE_BYTES {
            return Err(TemplateError::TooLong {
                template: name,
                len: body.len(),
            });
        }
        let mut segments = Vec::new();
        let mut text_start = 0;
        let mut i = 0;
        let bytes = body.as_bytes();
        while i < bytes.len() {
            match (bytes.get(i), bytes.get(i + 1)) {
                (Some(b'{'), Some(b'{')) => {
                    let inner_start = i + 2;
                    let rest = body.get(inner_start..).unwrap_or("");
                    let close = rest.find("}}");
                    let reopen = rest.find("{{");
                    let Some(close) = close.filter(|c| reopen.is_none_or(|o| o > *c)) else {
                        return Err(TemplateError::UnclosedVariable {
                            at: Position::at(body, i),
                            template: name,
                        });
                    };
                    let inner = rest.get(..close).unwrap_or("").trim();
                    if !is_variable_name(inner) {
                        return Err(TemplateError::BadVariableName {
                            at: Position::at(body, i),
                            name: inner.chars().take(64).collect(),
                            template: name,
                        });
                    }
                    if text_start < i {
                        segments.push(Segment::Text(text_start..i));
                    }
                    segments.push(Segment::Variable {
                        name: inner.to_string(),
                        at: i,
                    });
                    i = inner_start + close + 2;
                    text_start = i;
                }
                (Some(b'}'), Some(b'}')) => {
                    return Err(TemplateError::UnopenedClose {
                        at: Position::at(body, i),
                        template: name,
                    });
                }
                _ => i += 1,
            }
        }
        if text_start < body.len() {
            segments.push(Segment::Text(text_start..body.len()));
        }
        Ok(Self {
            name,
            lang,
            body: body.to_string(),
            segments,
        })
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its language tag.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// The body as written.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The variables it uses, each once, sorted.
    pub fn variables(&self) -> BTreeSet<&str> {
        self.uses().map(|(name, _)| name).collect()
    }

    fn uses(&self) -> impl Iterator<Item = (&str, usize)> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Variable { name, at } => Some((name.as_str(), *at)),
            Segment::Text(_) => None,
        })
    }

    /// Check that every variable is one the host provides (`allowed`).
    ///
    /// # Errors
    /// [`TemplateError::UnknownVariable`] for the first one that is not.
    pub fn check(&self, allowed: &[&str]) -> Result<(), TemplateError> {
        match self.uses().find(|(name, _)| !allowed.contains(name)) {
            Some((name, at)) => Err(TemplateError::UnknownVariable {
                template: self.name.clone(),
                name: name.to_string(),
                at: Position::at(&self.body, at),
            }),
            None => Ok(()),
        }
    }

    /// Fill in the variables from `values` (any map from name to text).
    ///
    /// # Errors
    /// [`TemplateError::MissingValue`] for the first variable with no value.
    pub fn render<V: Values + ?Sized>(&self, values: &V) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(self.body.len());
        for segment in &self.segments {
            match segment {
                Segment::Text(range) => out.push_str(self.body.get(range.clone()).unwrap_or("")),
                Segment::Variable { name, at } => match values.value(name) {
                    Some(v) => out.push_str(v),
                    None => {
                        return Err(TemplateError::MissingValue {
                            template: self.name.clone(),
                            name: name.clone(),
                            at: Position::at(&self.body, *at),
                        });
                    }
                },
            }
        }
        Ok(out)
    }
}

/// Something that gives a variable's value by name (implemented for the usual maps).
pub trait Values {
    /// The value of `name`, if there is one.
    fn value(&self, name: &str) -> Option<&str>;
}

impl<K: std::borrow::Borrow<str> + std::hash::Hash + Eq, V: AsRef<str>, S: std::hash::BuildHasher>
    Values for HashMap<K, V, S>
{
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(AsRef::as_ref)
    }
}

impl<K: std::borrow::Borrow<str> + Ord, V: AsRef<str>> Values for BTreeMap<K, V> {
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(AsRef::as_ref)
    }
}

impl<V: AsRef<str>> Values for [(&str, V)] {
    fn value(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// A set of templates by name and language, with language fallback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateLibrary {
    templates: BTreeMap<(String, String), Template>,
}

impl TemplateLibrary {
    /// An empty library.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a template, replacing one with the same name and language (language compared
    /// case-insensitively).
    pub fn insert(&mut self, template: Template) {
        let key = (template.name.clone(), template.lang.to_ascii_lowercase());
        self.templates.insert(key, template);
    }

    /// The template `name` for language `lang`: the exact tag, then its primary language
    /// (`pt-BR` → `pt`), then `fallback_lang`.
    pub fn find(&self, name: &str, lang: &str, fallback_lang: &str) -> Option<&Template> {
        let lang = lang.to_ascii_lowercase();
        let primary = lang.split(['-', '_']).next().unwrap_or("").to_string();
        [lang, primary, fallback_lang.to_ascii_lowercase()]
            .into_iter()
            .find_map(|l| self.templates.get(&(name.to_string(), l)))
    }

    /// Every language version of the template `name`, by language.
    pub fn versions<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Template> + 'a {
        self.templates
            .iter()
            .filter(move |((n, _), _)| n == name)
            .map(|(_, t)| t)
    }

    /// How many templates it holds.
    pub fn len(&self) -> usize {
        self.templates.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn variables_are_filled_in_and_listed_once() {
        let t =
            Template::parse("welcome", "en", "{{name}}, {{ name }} and {{agent.name}}").unwrap();
        assert_eq!(
            t.variables().into_iter().collect::<Vec<_>>(),
            ["agent.name", "name"]
        );
        let out = t
            .render(&[("name", "Ana"), ("agent.name", "Luc")][..])
            .unwrap();
        assert_eq!(out, "Ana, Ana and Luc");
    }

    #[test]
    fn an_unclosed_variable_names_its_line_and_column() {
        let err = Template::parse("t", "fr", "Bonjour,\nà {{ bientôt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "template \"t\": `{{` at line 2, column 3 is never closed"
        );
        let err = Template::parse("t", "fr", "{{a {{b}}").unwrap_err();
        assert!(matches!(err, TemplateError::UnclosedVariable { at, .. } if at.offset == 0));
    }

    #[test]
    fn a_stray_close_is_an_error_but_single_braces_are_text() {
        let err = Template::parse("t", "en", "done }} here").unwrap_err();
        assert!(matches!(err, TemplateError::UnopenedClose { at, .. } if at.column == 6));
        let t = Template::parse("t", "en", "json {\"a\": 1}").unwrap();
        assert_eq!(
            t.render(&HashMap::<String, String>::new()).unwrap(),
            "json {\"a\": 1}"
        );
    }

    #[test]
    fn bad_variable_names_are_refused() {
        for body in ["{{}}", "{{ 1st }}", "{{first name}}", "{{a-b}}"] {
            let err = Template::parse("t", "en", body).unwrap_err();
            assert!(
                matches!(err, TemplateError::BadVariableName { .. }),
                "{body}"
            );
        }
    }

    #[test]
    fn unknown_variables_and_missing_values_are_named() {
        let t = Template::parse("after_hours", "en", "Hi {{name}}, {{ coupon }}").unwrap();
        let err = t.check(&["name"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "template \"after_hours\": unknown variable \"coupon\" at line 1, column 14"
        );
        let err = t.render(&BTreeMap::from([("name", "Ana")])).unwrap_err();
        assert!(matches!(err, TemplateError::MissingValue { ref name, .. } if name == "coupon"));
    }

    #[test]
    fn values_are_not_expanded_again() {
        let t = Template::parse("t", "en", "{{a}}").unwrap();
        assert_eq!(t.render(&[("a", "{{a}}")][..]).unwrap(), "{{a}}");
    }

    #[test]
    fn the_library_falls_back_from_region_to_language_to_default() {
        let mut lib = TemplateLibrary::new();
        lib.insert(Template::parse("hours", "en", "Closed").unwrap());
        lib.insert(Template::parse("hours", "pt", "Fechado").unwrap());
        assert_eq!(
            lib.find("hours", "pt-BR", "en").map(Template::body),
            Some("Fechado")
        );
        assert_eq!(
            lib.find("hours", "de", "en").map(Template::body),
            Some("Closed")
        );
        assert!(lib.find("other", "en", "en").is_none());
        assert_eq!(lib.len(), 2);
    }

    #[test]
    fn overlong_bodies_and_empty_names_are_refused() {
        let big = "x".repeat(MAX_TEMPLATE_BYTES + 1);
        assert!(matches!(
            Template::parse("t", "en", &big),
            Err(TemplateError::TooLong { .. })
        ));
        assert!(matches!(
            Template::parse(" ", "en", "x"),
            Err(TemplateError::BadName(_))
        ));
    }

    proptest! {
        #[test]
        fn parsing_and_rendering_never_panic(body in "[{}a-z .\\n\u{e9}]{0,200}") {
            if let Ok(t) = Template::parse("p", "en", &body) {
                let _ = t.check(&["a"]);
                let _ = t.render(&[("a", "x")][..]);
            }
        }
    }
}
