//! The renderer: tokens in, [`HtmlLine`]s out, in one pass.

use std::collections::HashMap;

use super::entities;
use super::tokenizer::{Attr, Token, Tokenizer, attr};
use super::{HtmlLine, MAX_NESTING, QuoteContainer};

/// Elements that start and end a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "caption"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "address"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "legend"
            | "center"
            | "main"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "listing"
            | "hgroup"
            | "menu"
    )
}

/// Elements that never have content or an end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr"
            | "img"
            | "meta"
            | "link"
            | "input"
            | "wbr"
            | "col"
            | "area"
            | "base"
            | "embed"
            | "source"
            | "track"
            | "param"
            | "keygen"
    )
}

/// Elements that may stay inside `<head>` without ending it.
fn belongs_in_head(name: &str) -> bool {
    matches!(
        name,
        "meta" | "link" | "title" | "style" | "script" | "base" | "noscript" | "head" | "html"
    )
}

/// Characters that take no room: dropped.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}' | '\u{2060}'
    )
}

/// Lowercase `style` with whitespace removed, for substring tests.
fn squash_style(style: &str) -> String {
    style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a `style` draws a visible left border: the quote bar webmails put on quoted history
/// (Gmail's `border-left:1px solid #ccc`, Orange, Mail.ru, Roundcube). Gmail's "indent" button
/// makes a blockquote with `border:none`, which is not a quote.
fn has_quote_bar(style: &str) -> bool {
    let style = squash_style(style);
    style.split(';').any(|decl| {
        decl.strip_prefix("border-left:").is_some_and(|value| {
            !value.is_empty()
                && !value.starts_with("none")
                && !value.starts_with("hidden")
                && !value.starts_with('0')
        })
    })
}

/// Which quote container, if any, an element opens.
fn container_of(name: &str, attrs: &[Attr<'_>]) -> Option<QuoteContainer> {
    if let Some(class) = attr(attrs, "class") {
        let class = class.to_ascii_lowercase();
        if class.contains("gmail_quote") {
            return Some(QuoteContainer::Gmail);
        }
        if class.contains("yahoo_quoted") {
            return Some(QuoteContainer::Yahoo);
        }
        if class.contains("moz-cite-prefix") || class.contains("moz-forward-container") {
            return Some(QuoteContainer::Thunderbird);
        }
        if [
            "protonmail_quote",
            "tutanota_quote",
            "zmail_extra",
            "aolreplyquote",
        ]
        .iter()
        .any(|c| class.contains(c))
        {
            return Some(QuoteContainer::Other);
        }
    }
    if let Some(id) = attr(attrs, "id") {
        let id = id.to_ascii_lowercase();
        if id.contains("divrplyfwdmsg")
            || id.contains("olk_src_body_section")
            || id.contains("mail-editor-reference-message-container")
        {
            return Some(QuoteContainer::OutlookReply);
        }
        if id.ends_with("appendonsend") {
            return Some(QuoteContainer::OutlookAppendOnSend);
        }
    }
    if name == "blockquote" && attr(attrs, "type").is_some_and(|t| t.eq_ignore_ascii_case("cite")) {
        return Some(QuoteContainer::BlockquoteCite);
    }
    if name == "blockquote" && attr(attrs, "style").is_some_and(has_quote_bar) {
        return Some(QuoteContainer::Other);
    }
    if name == "div"
        && let Some(style) = attr(attrs, "style")
    {
        let style = squash_style(style);
        if style.contains("border-top:solid") || style.contains("border-top:1pxsolid") {
            return Some(QuoteContainer::OutlookBorderTop);
        }
    }
    None
}

/// Whether an element is hidden by its attributes.
fn is_hidden(attrs: &[Attr<'_>]) -> bool {
    attr(attrs, "hidden").is_some()
        || attr(attrs, "style").is_some_and(|s| {
            let s = squash_style(s);
            s.contains("display:none") || s.contains("mso-hide:all")
        })
}

/// A link's target, as shown after its text: `mailto:` and `tel:` dropped, entities decoded.
fn link_target(href: &str) -> Option<String> {
    let href = entities::decode(href.trim());
    let lower = href.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("mailto:") {
        let start = href.len() - rest.len();
        let addr = href.get(start..).unwrap_or_default();
        let addr = addr.split('?').next().unwrap_or_default();
        return (!addr.is_empty()).then(|| addr.to_string());
    }
    if let Some(rest) = lower.strip_prefix("tel:") {
        let start = href.len() - rest.len();
        return href
            .get(start..)
            .map(str::to_string)
            .filter(|s| !s.is_empty());
    }
    let shown = ["http://", "https://", "ftp://", "www."]
        .iter()
        .any(|p| lower.starts_with(p));
    shown.then_some(href)
}

/// A comparable form of a link text or target: lowercase, no scheme, no `www.`, no trailing `/`.
fn comparable(s: &str) -> String {
    let s = s.trim().to_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let s = s.strip_prefix("www.").unwrap_or(s);
    s.trim_end_matches('/')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether a link's visible text is itself an address the reader can use.
fn text_is_address(text: &str) -> bool {
    let t = text.trim();
    t.contains("://") || t.starts_with("www.") || (t.contains('@') && !t.contains(' '))
}

#[derive(Debug)]
enum ListKind {
    Unordered,
    Ordered(u32),
}

/// An open element.
#[derive(Debug)]
struct Open {
    name: String,
    block: bool,
    emitted_at_open: u64,
    blockquote: bool,
    hidden: bool,
    pre: bool,
    list: bool,
    anchor: Option<Anchor>,
}

/// An open `<a href>`: where its text starts.
#[derive(Debug)]
struct Anchor {
    href: String,
    line: usize,
    byte: usize,
}

/// The rendering state.
#[derive(Debug, Default)]
pub(super) struct Renderer {
    lines: Vec<HtmlLine>,
    cur: String,
    cur_depth: usize,
    pending_container: Option<QuoteContainer>,
    pending_space: bool,
    /// Bumped whenever text or a line is produced: tells whether a block was empty.
    emitted: u64,
    depth: usize,
    hidden: usize,
    pre: usize,
    in_head: bool,
    anchor_open: bool,
    stack: Vec<Open>,
    counts: HashMap<String, usize>,
    lists: Vec<ListKind>,
}

impl Renderer {
    /// Render `html` into lines (blank runs collapsed, ends trimmed).
    pub(super) fn run(html: &str) -> Vec<HtmlLine> {
        let mut r = Renderer::default();
        for token in Tokenizer::new(html) {
            match token {
                Token::Text(t) => r.text(t),
                Token::RawText => {}
                Token::Start { name, attrs, .. } => r.start(name, &attrs),
                Token::End { name } => r.end(&name),
            }
        }
        r.break_line(false);
        tidy(r.lines, r.pending_container)
    }

    fn text(&mut self, raw: &str) {
        if self.hidden > 0 || self.in_head {
            return;
        }
        entities::decode_into(raw, |c| self.push_char(c));
    }

    fn push_char(&mut self, c: char) {
        if is_invisible(c) {
            return;
        }
        if self.pre > 0 {
            match c {
                '\n' => self.break_line(true),
                '\r' => {}
                _ => self.push_visible(if c == '\u{a0}' { ' ' } else { c }),
            }
            return;
        }
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
            if !self.cur.is_empty() {
                self.pending_space = true;
            }
            return;
        }
        if self.pending_space && !self.cur.is_empty() {
            self.cur.push(' ');
        }
        self.pending_space = false;
        self.push_visible(if c == '\u{a0}' { ' ' } else { c });
    }

    fn push_visible(&mut self, c: char) {
        if self.cur.is_empty() {
            self.cur_depth = self.depth;
        }
        self.cur.push(c);
        self.emitted += 1;
    }

    /// End the current line: always when `force`, else only when it has text.
    fn break_line(&mut self, force: bool) {
        self.pending_space = false;
        if self.cur.is_empty() && !force {
            return;
        }
        let depth = if self.cur.is_empty() {
            self.depth
        } else {
            self.cur_depth
        };
        let mut text = std::mem::take(&mut self.cur);
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
        // A container marks the first line with text in it.
        let container = if text.is_empty() {
            None
        } else {
            self.pending_container.take()
        };
        self.lines.push(HtmlLine {
            text,
            depth,
            container,
        });
        self.emitted += 1;
    }

    fn start(&mut self, name: String, attrs: &[Attr<'_>]) {
        if name == "head" {
            self.in_head = true;
            return;
        }
        if self.in_head && !belongs_in_head(&name) {
            self.in_head = false;
        }
        if name == "body" {
            self.in_head = false;
        }
        if self.in_head {
            return;
        }
        if is_void(&name) {
            if self.hidden == 0 {
                match name.as_str() {
                    "br" => self.break_line(true),
                    "hr" => self.break_line(false),
                    _ => {}
                }
            }
            return;
        }
        let block = is_block(&name);
        if block && self.stack.last().is_some_and(|o| o.name == "p") {
            self.close_top();
        }
        if self.stack.len() >= MAX_NESTING {
            if block {
                self.break_line(false);
            }
            return;
        }
        let hidden = is_hidden(attrs);
        if block {
            self.break_line(false);
        }
        if self.hidden == 0
            && !hidden
            && self.pending_container.is_none()
            && let Some(container) = container_of(&name, attrs)
        {
            self.break_line(false);
            self.pending_container = Some(container);
        }
        let mut open = Open {
            name,
            block,
            emitted_at_open: self.emitted,
            blockquote: false,
            hidden,
            pre: false,
            list: false,
            anchor: None,
        };
        match open.name.as_str() {
            "blockquote" => {
                open.blockquote = true;
                self.depth += 1;
            }
            "pre" | "listing" | "plaintext" => {
                open.pre = true;
                self.pre += 1;
            }
            "ul" | "menu" => {
                open.list = true;
                self.lists.push(ListKind::Unordered);
            }
            "ol" => {
                open.list = true;
                let start = attr(attrs, "start")
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .unwrap_or(1);
                self.lists.push(ListKind::Ordered(start));
            }
            "li" if self.hidden == 0 && !hidden => {
                let bullet = match self.lists.last_mut() {
                    Some(ListKind::Ordered(n)) => {
                        let b = format!("{n}. ");
                        *n = n.saturating_add(1);
                        b
                    }
                    _ => "- ".to_string(),
                };
                for c in bullet.chars() {
                    self.push_visible(c);
                }
            }
            "td" | "th" if !self.cur.is_empty() => self.pending_space = true,
            "a" if !self.anchor_open => {
                if let Some(href) = attr(attrs, "href") {
                    self.anchor_open = true;
                    open.anchor = Some(Anchor {
                        href: href.to_string(),
                        line: self.lines.len(),
                        byte: self.cur.len(),
                    });
                }
            }
            _ => {}
        }
        if hidden {
            self.hidden += 1;
        }
        *self.counts.entry(open.name.clone()).or_insert(0) += 1;
        self.stack.push(open);
    }

    fn end(&mut self, name: &str) {
        match name {
            "head" => {
                self.in_head = false;
                return;
            }
            "br" => {
                if self.hidden == 0 && !self.in_head {
                    self.break_line(true);
                }
                return;
            }
            _ => {}
        }
        if self.counts.get(name).copied().unwrap_or(0) == 0 {
            if is_block(name) {
                self.break_line(false);
            }
            return;
        }
        while let Some(top) = self.stack.last() {
            let found = top.name == name;
            self.close_top();
            if found {
                break;
            }
        }
    }

    /// Pop the innermost open element and undo its effects.
    fn close_top(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        if let Some(n) = self.counts.get_mut(&open.name) {
            *n = n.saturating_sub(1);
        }
        if let Some(anchor) = &open.anchor {
            self.anchor_open = false;
            self.finish_anchor(anchor);
        }
        if open.hidden {
            self.hidden = self.hidden.saturating_sub(1);
        }
        if open.block && self.hidden == 0 {
            self.break_line(false);
            if self.emitted == open.emitted_at_open {
                // An empty block shows as a blank line.
                self.break_line(true);
            }
        }
        if open.blockquote {
            self.depth = self.depth.saturating_sub(1);
        }
        if open.pre {
            self.pre = self.pre.saturating_sub(1);
        }
        if open.list {
            self.lists.pop();
        }
    }

    /// Append ` <target>` after a link's text when the text does not already show it.
    fn finish_anchor(&mut self, anchor: &Anchor) {
        if self.hidden > 0 || anchor.line != self.lines.len() {
            return;
        }
        let Some(text) = self.cur.get(anchor.byte..) else {
            return;
        };
        let text = text.trim();
        if text.is_empty() || text_is_address(text) {
            return;
        }
        let Some(target) = link_target(&anchor.href) else {
            return;
        };
        if comparable(text) == comparable(&target) {
            return;
        }
        self.cur.push_str(" <");
        self.cur.push_str(&target);
        self.cur.push('>');
        self.emitted += 1;
    }
}

/// Drop leading and trailing blank lines and collapse runs of blank lines at one depth, keeping
/// every container marker on the next kept line.
fn tidy(lines: Vec<HtmlLine>, trailing: Option<QuoteContainer>) -> Vec<HtmlLine> {
    let mut out: Vec<HtmlLine> = Vec::with_capacity(lines.len());
    let mut carried: Option<QuoteContainer> = None;
    for mut line in lines {
        let blank = line.text.is_empty();
        let drop = blank
            && out
                .last()
                .is_none_or(|prev| prev.text.is_empty() && prev.depth == line.depth);
        if drop {
            carried = carried.or(line.container);
            continue;
        }
        if let Some(c) = carried.take() {
            // The earlier marker is where the quote begins.
            line.container = Some(c);
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.text.is_empty()) {
        if let Some(last) = out.pop() {
            carried = carried.or(last.container);
        }
    }
    if let Some(c) = carried.or(trailing) {
        // A container with nothing after it: keep the marker on an empty last line.
        out.push(HtmlLine {
            text: String::new(),
            depth: 0,
            container: Some(c),
        });
    }
    out
}
