//! Where the quoted history starts, and what of the rest is the person's own text: top-posted,
//! bottom-posted, or interleaved (inline) answers.

use crate::html::QuoteContainer;

use super::lines::Line;
use super::{CutKind, attribution, forward, outlook, signature};

/// The first place quoted history starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut {
    /// First line of the quoted part.
    pub at: usize,
    /// Last line of the attribution, when the cut is one (or a container starts with one).
    pub attribution_end: Option<usize>,
    /// What was found there.
    pub kind: CutKind,
}

/// How the body splits into the person's text and the quoted part (as line indices).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Split {
    /// Lines of the person's text, in order (quoted context lines of inline answers included).
    pub text: Vec<usize>,
    /// Lines cut as quoted history, in order.
    pub quoted: Vec<usize>,
    /// The person's own `-- ` signature found below the quote (after inline or bottom-posted
    /// answers, or under a quote with no answer in it), in order.
    pub signature: Vec<usize>,
    /// What decided the cut, if anything was cut.
    pub cut_by: Option<CutKind>,
}

/// The kind of cut a container marks, if it is one here.
fn container_cut(lines: &[Line<'_>], i: usize, c: QuoteContainer) -> Option<CutKind> {
    match c {
        QuoteContainer::OutlookBorderTop => {
            // Only a quote when a header block follows right there.
            let first = (i..i + 3).find(|&j| lines.get(j).is_some_and(|l| !l.is_blank()))?;
            outlook::header_block_at(lines, first, lines.get(first)?.depth)
                .then_some(CutKind::OutlookHeader)
        }
        _ => Some(CutKind::HtmlContainer(c)),
    }
}

/// Find the first cut: an HTML quote container, a forward separator, an "Original Message"
/// line, an Outlook header block, or an attribution line.
pub(crate) fn find(lines: &[Line<'_>]) -> Option<Cut> {
    for (i, line) in lines.iter().enumerate() {
        if let Some(c) = line.container
            && let Some(kind) = container_cut(lines, i, c)
        {
            let attribution_end = attribution::starting_at(lines, i).map(|a| a.end);
            return Some(Cut {
                at: i,
                attribution_end,
                kind,
            });
        }
        if line.is_blank() {
            continue;
        }
        if line.depth > 0 {
            // A quoted block that opens with a separator or a header block (the header block
            // may have a separator or a dated intro line above it: "> Message du 03/03/25").
            let at = if outlook::header_block_at(lines, i, line.depth) {
                outlook::block_start(lines, i)
            } else {
                i
            };
            if (forward::is_forward_marker(line.content)
                || outlook::is_original_message(line.content)
                || at < i
                || outlook::header_block_at(lines, i, line.depth))
                && opens_quoted_block(lines, at)
            {
                let kind = if forward::is_forward_marker(line.content) {
                    CutKind::Forward
                } else {
                    CutKind::OutlookHeader
                };
                return Some(Cut {
                    at,
                    attribution_end: None,
                    kind,
                });
            }
            // A quoted block that opens with its own attribution ("> On … wrote:").
            if attribution::ends_with_colon(line.content)
                && let Some(a) = attribution::ending_at(lines, i, line.depth)
                && opens_quoted_block(lines, a.start)
            {
                return Some(Cut {
                    at: a.start,
                    attribution_end: Some(a.end),
                    kind: CutKind::Attribution,
                });
            }
            continue;
        }
        if forward::is_forward_marker(line.content) {
            return Some(Cut {
                at: i,
                attribution_end: None,
                kind: CutKind::Forward,
            });
        }
        if outlook::is_original_message(line.content) {
            return Some(Cut {
                at: i,
                attribution_end: None,
                kind: CutKind::OutlookHeader,
            });
        }
        let starts_run = i == 0
            || lines
                .get(i - 1)
                .is_none_or(|p| p.depth != 0 || outlook::label(p.content).is_none());
        if starts_run && outlook::header_block_at(lines, i, 0) {
            return Some(Cut {
                at: outlook::block_start(lines, i),
                attribution_end: None,
                kind: CutKind::OutlookHeader,
            });
        }
        if attribution::ends_with_colon(line.content)
            && let Some(a) = attribution::ending_at(lines, i, 0)
        {
            return Some(Cut {
                at: a.start,
                attribution_end: Some(a.end),
                kind: CutKind::Attribution,
            });
        }
    }
    None
}

/// Whether line `i` is the first non-blank line of a quoted block (after the person's text).
fn opens_quoted_block(lines: &[Line<'_>], i: usize) -> bool {
    lines
        .get(..i)
        .unwrap_or_default()
        .iter()
        .rev()
        .find(|l| !l.is_blank())
        .is_none_or(|l| !l.is_quoted())
}

/// A run of the person's lines between quoted lines: `[first, last]`.
#[derive(Debug, Clone, Copy)]
struct Run {
    first: usize,
    last: usize,
}

/// Whether a run holds an answer, not only a footer ("Sent from my iPhone"), a rule, or a
/// mailing list's footer (a rule, then the list's name and links).
fn is_answer(lines: &[Line<'_>], run: Run) -> bool {
    let run_lines = lines.get(run.first..=run.last).unwrap_or_default();
    let mut own = run_lines.iter().filter(|l| !l.is_blank());
    if own
        .clone()
        .next()
        .is_some_and(|l| outlook::is_rule(l.content))
    {
        return false;
    }
    own.any(|l| !signature::is_footer_line(l.content) && !is_list_footer(l.content))
}

/// Whether a line belongs to a mailing list's footer.
fn is_list_footer(content: &str) -> bool {
    let lower = content.to_lowercase();
    [
        "mailing list",
        "listinfo",
        "unsubscribe",
        "désinscri",
        "abbestell",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Split the lines into the person's text and the quoted part.
pub(crate) fn split(lines: &[Line<'_>]) -> Split {
    let Some(cut) = find(lines) else {
        return Split {
            text: (0..lines.len()).collect(),
            ..Split::default()
        };
    };
    let plain = |cut: &Cut| Split {
        text: (0..cut.at).collect(),
        quoted: (cut.at..lines.len()).collect(),
        cut_by: Some(cut.kind),
        ..Split::default()
    };
    let interleaves = matches!(cut.kind, CutKind::Attribution)
        || matches!(
            cut.kind,
            CutKind::HtmlContainer(
                QuoteContainer::Gmail
                    | QuoteContainer::BlockquoteCite
                    | QuoteContainer::Thunderbird
                    | QuoteContainer::Yahoo
                    | QuoteContainer::Other
            )
        );
    if !interleaves {
        return plain(&cut);
    }
    let after_attribution = cut.attribution_end.map_or(cut.at, |e| e + 1);
    let Some(first_quoted) =
        (after_attribution..lines.len()).find(|&i| lines.get(i).is_some_and(Line::is_quoted))
    else {
        return plain(&cut);
    };
    // Runs of the person's own (depth 0) lines after the first quoted line, up to the person's
    // `-- ` signature delimiter: what follows it is their signature, not an answer.
    let mut runs: Vec<Run> = Vec::new();
    let mut open: Option<Run> = None;
    let mut sig = 0..0;
    for (i, line) in lines.iter().enumerate().skip(first_quoted) {
        if !line.is_quoted() && signature::is_delimiter(line.content) {
            let end = (i..lines.len())
                .take_while(|&j| lines.get(j).is_some_and(|l| !l.is_quoted()))
                .last()
                .map_or(i + 1, |j| j + 1);
            sig = i..end;
            break;
        }
        if line.is_quoted() {
            if let Some(run) = open.take() {
                runs.push(run);
            }
        } else if !line.is_blank() {
            match &mut open {
                Some(run) => run.last = i,
                None => open = Some(Run { first: i, last: i }),
            }
        }
    }
    runs.extend(open);
    runs.retain(|&run| is_answer(lines, run));
    let not_sig = |i: &usize| !sig.contains(i);
    let signature: Vec<usize> = sig.clone().collect();
    let Some(last_run) = runs.last().copied() else {
        return Split {
            text: (0..cut.at).collect(),
            quoted: (cut.at..lines.len()).filter(not_sig).collect(),
            signature,
            cut_by: Some(cut.kind),
        };
    };
    let head_blank = lines
        .get(..cut.at)
        .unwrap_or_default()
        .iter()
        .all(Line::is_blank);
    if head_blank && runs.len() == 1 {
        // Bottom-posted: the answer below the quote is the reply.
        let quoted = (cut.at..last_run.first)
            .chain((last_run.last + 1..lines.len()).filter(not_sig))
            .collect();
        return Split {
            text: (last_run.first..=last_run.last).collect(),
            quoted,
            signature,
            cut_by: Some(CutKind::BottomPost),
        };
    }
    // Inline answers: keep the quoted lines that give them context, from the first quoted line
    // to the person's last line; the attribution and the quoted tail go.
    let text = (0..cut.at).chain(first_quoted..=last_run.last).collect();
    let quoted = (cut.at..first_quoted)
        .chain((last_run.last + 1..lines.len()).filter(not_sig))
        .collect();
    Split {
        text,
        quoted,
        signature,
        cut_by: Some(CutKind::Inline),
    }
}
