//! The MIME entity tree of one message: multipart bodies split at their boundaries.
//!
//! The tree is built with an explicit work list, so nesting costs heap, not stack. Every entity
//! is counted against [`Limits::max_parts`] and [`Limits::max_depth`] before its header section is
//! read. A multipart body is split by searching for its delimiter with `memchr::memmem` and
//! accepting only hits at the start of a line followed by blanks or `--` (RFC 2046 §5.1.1), so a
//! boundary string inside text or a longer boundary that starts with it never splits a part.

use std::ops::Range;

use memchr::memmem;

use super::content_type::{ContentType, Disposition, parse_content_type, parse_disposition};
use super::header::{self, Section, SectionKind};
use super::limits::{Budget, Limits, ParseError, check_depth};
use super::mailbox::parse_content_id;
use super::transfer::TransferEncoding;

/// One MIME entity: the message itself, a part, or a multipart container.
#[derive(Debug)]
pub(crate) struct Entity {
    /// Nesting depth (the message is at the depth it was parsed at).
    pub depth: usize,
    /// Where the entity starts, for messages and errors.
    pub offset: usize,
    /// Its header section.
    pub section: Section,
    /// Its content type (the default when none, or an unreadable one, was given).
    pub ctype: ContentType,
    /// Whether `Content-Type` was given and readable.
    pub declared_type: bool,
    /// Its `Content-Disposition`, if any.
    pub disposition: Option<Disposition>,
    /// Its `Content-Transfer-Encoding`.
    pub encoding: TransferEncoding,
    /// Its `Content-ID` without angle brackets.
    pub content_id: Option<String>,
    /// Its body in the buffer given to [`build`].
    pub body: Range<usize>,
    /// Its parts, in order, for a split multipart.
    pub children: Vec<usize>,
}

impl Entity {
    /// `part at byte N (type/subtype)`, for warnings.
    pub fn label(&self) -> String {
        format!("part at byte {} ({})", self.offset, self.ctype.mime())
    }
}

/// A message's entity tree; entity 0 is the message itself.
#[derive(Debug)]
pub(crate) struct Tree {
    /// The entities; each `children` list holds indexes into this.
    pub entities: Vec<Entity>,
    /// Notes on lenient reading (headers that were not UTF-8, missing boundaries, …).
    pub notes: Vec<String>,
}

/// Make an entity from its header section.
fn entity(
    section: Section,
    default: ContentType,
    depth: usize,
    offset: usize,
    body: Range<usize>,
    notes: &mut Vec<String>,
) -> Entity {
    let declared = section
        .get("Content-Type")
        .and_then(|f| parse_content_type(&f.unfolded(), notes));
    let disposition = section
        .get("Content-Disposition")
        .map(|f| parse_disposition(&f.unfolded(), notes));
    let encoding = TransferEncoding::from_header(
        section
            .get("Content-Transfer-Encoding")
            .map(|f| f.unfolded())
            .as_deref(),
    );
    let content_id = section
        .get("Content-ID")
        .and_then(|f| parse_content_id(&f.unfolded()));
    Entity {
        depth,
        offset,
        declared_type: declared.is_some(),
        ctype: declared.unwrap_or(default),
        disposition,
        encoding,
        content_id,
        body,
        children: Vec::new(),
        section,
    }
}

/// Where the parts of a multipart body are (ranges relative to the body).
struct Split {
    parts: Vec<Range<usize>>,
    closed: bool,
}

/// The end of the line starting at `from`, and where the next line starts.
fn line_end(body: &[u8], from: usize) -> (usize, usize) {
    match body
        .get(from..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
    {
        Some(i) => (from + i, from + i + 1),
        None => (body.len(), body.len()),
    }
}

/// Split a multipart body at `--boundary` lines. `None` when no delimiter line is found. Stops
/// after `max_parts` parts (the caller's part count then reports the limit).
fn split_parts(body: &[u8], boundary: &str, max_parts: usize) -> Option<Split> {
    let delimiter = format!("--{boundary}");
    let finder = memmem::Finder::new(delimiter.as_bytes());
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    let mut seen = false;
    let mut closed = false;
    for hit in finder.find_iter(body) {
        if hit != 0 && body.get(hit - 1) != Some(&b'\n') {
            continue;
        }
        let after = hit + delimiter.len();
        let (end, next) = line_end(body, after);
        let rest = body.get(after..end).unwrap_or_default();
        let blank = |s: &[u8]| s.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
        let is_close = rest.starts_with(b"--") && blank(rest.get(2..).unwrap_or_default());
        if !is_close && !blank(rest) {
            continue;
        }
        seen = true;
        if let Some(start) = open.take() {
            // The line break before a delimiter belongs to the delimiter.
            let mut stop = hit;
            if stop > start && body.get(stop - 1) == Some(&b'\n') {
                stop -= 1;
                if stop > start && body.get(stop - 1) == Some(&b'\r') {
                    stop -= 1;
                }
            }
            parts.push(start..stop.max(start));
            if parts.len() > max_parts {
                return Some(Split { parts, closed });
            }
        }
        if is_close {
            closed = true;
            break;
        }
        open = Some(next);
    }
    if let Some(start) = open {
        parts.push(start..body.len());
    }
    seen.then_some(Split { parts, closed })
}

/// Build the entity tree of the message in `buf`, which starts at `base_offset` of the raw input
/// and sits at nesting `depth`.
pub(crate) fn build(
    buf: &[u8],
    base_offset: usize,
    depth: usize,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<Tree, ParseError> {
    check_depth(depth, base_offset, limits)?;
    budget.add_part(limits)?;
    let mut notes = Vec::new();
    let section = header::split(buf, base_offset, SectionKind::Message, limits, budget)?;
    notes.extend(section.notes.iter().cloned());
    let body = section.body_start..buf.len();
    let root = entity(
        section,
        ContentType::text_plain(),
        depth,
        base_offset,
        body,
        &mut notes,
    );
    let mut tree = Tree {
        entities: vec![root],
        notes,
    };
    let mut work = vec![0usize];
    while let Some(index) = work.pop() {
        expand(
            &mut tree,
            index,
            buf,
            base_offset,
            limits,
            budget,
            &mut work,
        )?;
    }
    Ok(tree)
}

/// Split entity `index` if it is a multipart, adding its parts to the tree and the work list.
fn expand(
    tree: &mut Tree,
    index: usize,
    buf: &[u8],
    base_offset: usize,
    limits: &Limits,
    budget: &mut Budget,
    work: &mut Vec<usize>,
) -> Result<(), ParseError> {
    let Some(parent) = tree.entities.get(index) else {
        return Ok(());
    };
    if parent.ctype.main != "multipart" {
        return Ok(());
    }
    let label = parent.label();
    let boundary = parent
        .ctype
        .param("boundary")
        .unwrap_or_default()
        .to_string();
    let body = parent.body.clone();
    let depth = parent.depth + 1;
    let child_default = if parent.ctype.sub == "digest" {
        ContentType::message_rfc822()
    } else {
        ContentType::text_plain()
    };
    let body_bytes = buf.get(body.clone()).unwrap_or_default();
    let remaining = limits.max_parts.saturating_sub(budget.parts);
    let split = if boundary.is_empty() {
        None
    } else {
        split_parts(body_bytes, &boundary, remaining)
    };
    let Some(split) = split else {
        if let Some(parent) = tree.entities.get_mut(index) {
            parent.ctype = ContentType::text_plain();
        }
        tree.notes.push(format!(
            "{label}: no boundary line found; body kept as text/plain"
        ));
        return Ok(());
    };
    if !split.closed {
        tree.notes.push(format!(
            "{label}: closing boundary missing; last part runs to the end"
        ));
    }
    let mut children = Vec::with_capacity(split.parts.len());
    for part in split.parts {
        let start = body.start + part.start;
        let end = body.start + part.end;
        let offset = base_offset + start;
        check_depth(depth, offset, limits)?;
        budget.add_part(limits)?;
        let bytes = buf.get(start..end).unwrap_or_default();
        let section = header::split(bytes, offset, SectionKind::Part, limits, budget)?;
        tree.notes.extend(section.notes.iter().cloned());
        let body = (start + section.body_start).min(end)..end;
        let child = entity(
            section,
            child_default.clone(),
            depth,
            offset,
            body,
            &mut tree.notes,
        );
        children.push(tree.entities.len());
        work.push(tree.entities.len());
        tree.entities.push(child);
    }
    if let Some(parent) = tree.entities.get_mut(index) {
        parent.children = children;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(raw: &str) -> Tree {
        build(
            raw.as_bytes(),
            0,
            1,
            &Limits::default(),
            &mut Budget::default(),
        )
        .unwrap()
    }

    #[test]
    fn boundaries_split_only_at_line_starts() {
        let raw = "Content-Type: multipart/mixed; boundary=b\n\npreamble --b inline\n--b\n\none\n--bb\nstill one\n--b\nContent-Type: text/html\n\n<p>two</p>\n--b--\nepilogue";
        let t = tree(raw);
        let root = &t.entities[0];
        assert_eq!(root.children.len(), 2);
        let one = &t.entities[root.children[0]];
        assert_eq!(&raw.as_bytes()[one.body.clone()], b"one\n--bb\nstill one");
        let two = &t.entities[root.children[1]];
        assert!(two.ctype.is("text", "html"));
        assert_eq!(&raw.as_bytes()[two.body.clone()], b"<p>two</p>");
    }

    #[test]
    fn a_multipart_without_its_boundary_is_kept_as_text() {
        let t = tree("Content-Type: multipart/mixed; boundary=zz\n\nno parts here");
        assert!(t.entities[0].ctype.is("text", "plain"));
        assert_eq!(t.notes.len(), 1);
    }

    #[test]
    fn digest_parts_default_to_messages() {
        let t =
            tree("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: x\n\nhi\n--d--\n");
        let child = &t.entities[t.entities[0].children[0]];
        assert!(child.ctype.is("message", "rfc822"));
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let mut raw = String::new();
        for i in 0..40 {
            raw.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"
            ));
        }
        let err = build(
            raw.as_bytes(),
            0,
            1,
            &Limits::default(),
            &mut Budget::default(),
        );
        assert!(matches!(
            err,
            Err(ParseError::TooDeep {
                depth: 33,
                limit: 32,
                ..
            })
        ));
    }

    #[test]
    fn too_many_parts_are_refused() {
        let raw = format!(
            "Content-Type: multipart/mixed; boundary=b\n\n{}",
            "--b\n\nx\n".repeat(50)
        );
        let limits = Limits {
            max_parts: 10,
            ..Limits::default()
        };
        let err = build(raw.as_bytes(), 0, 1, &limits, &mut Budget::default());
        assert_eq!(
            err.unwrap_err(),
            ParseError::TooManyParts {
                count: 11,
                limit: 10
            }
        );
    }
}
