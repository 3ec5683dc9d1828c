//! Where `replytrack ingest` finds messages: `.eml` files, directories of them, maildirs and mbox
//! files.
//!
//! - A file ending in `.eml` is one message; so is any other file that does not start with an
//!   mbox `From ` line.
//! - A file starting with `From ` (or ending in `.mbox`) is an mbox: messages are split on
//!   `From ` lines at the start of the file or after an empty line, and `>From ` lines are
//!   un-escaped the mboxrd way (one `>` removed from `>From `, `>>From `, …), which also reads
//!   mboxo files.
//! - A directory with `cur/` or `new/` is a maildir: every file in those two is a message.
//! - Any other directory is walked: `.eml` and `.mbox` files, and maildirs, at any depth (symbolic
//!   links to directories are not followed; at most [`MAX_DEPTH`] levels).
//!
//! Nothing is read whole that could be large: an mbox is read line by line, and a message over
//! the size limit is reported as too large and skipped.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Deepest directory walked below a path given on the command line.
pub const MAX_DEPTH: usize = 32;

/// One input found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file holding one message.
    Message(PathBuf),
    /// An mbox file holding many.
    Mbox(PathBuf),
}

/// One message read from an input.
#[derive(Debug)]
pub struct Item {
    /// `path`, or `path#N` for the Nth message (from 1) of an mbox.
    pub source: String,
    /// The bytes, or why they could not be read.
    pub bytes: Result<Vec<u8>, ReadProblem>,
}

/// Why a message could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadProblem {
    /// Larger than the limit: skipped.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The file could not be read.
    Io(String),
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { limit } => write!(f, "message larger than {limit} bytes: skipped"),
            Self::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

/// Find the inputs under the given paths, in a stable order (paths as given, directory entries
/// sorted by name).
///
/// # Errors
/// A message naming the first path that does not exist or cannot be listed.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let maildir_part = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n == "cur" || n == "new")
            && p.parent().is_some_and(is_maildir);
        if meta.is_dir() && maildir_part {
            // `Maildir/cur` named directly: every file in it, as in a whole maildir.
            maildir_files(p, &mut out)?;
        } else if meta.is_dir() {
            walk(p, 0, &mut out)?;
        } else {
            out.push(classify_file(p, true));
        }
    }
    Ok(out)
}

fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() || dir.join("new").is_dir()
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// A file named on the command line (`named`) is an mbox when it starts with `From `; inside a
/// walked directory only `.eml` and `.mbox` files are taken, which the caller checks.
fn classify_file(p: &Path, named: bool) -> Input {
    if has_ext(p, "mbox") || (named && !has_ext(p, "eml") && starts_with_from_line(p)) {
        Input::Mbox(p.to_path_buf())
    } else {
        Input::Message(p.to_path_buf())
    }
}

fn starts_with_from_line(p: &Path) -> bool {
    let mut head = [0u8; 5];
    File::open(p)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"From "
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// The messages of a maildir's `cur/` or `new/`: every regular file not starting with a dot.
fn maildir_files(d: &Path, out: &mut Vec<Input>) -> Result<(), String> {
    for f in sorted_entries(d)? {
        let regular = std::fs::symlink_metadata(&f).is_ok_and(|m| m.is_file());
        let hidden = f
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if regular && !hidden {
            out.push(Input::Message(f));
        }
    }
    Ok(())
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<Input>) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    if is_maildir(dir) {
        for sub in ["new", "cur"] {
            let d = dir.join(sub);
            if !d.is_dir() {
                continue;
            }
            maildir_files(&d, out)?;
        }
        return Ok(());
    }
    for entry in sorted_entries(dir)? {
        let Ok(meta) = std::fs::symlink_metadata(&entry) else {
            continue;
        };
        if meta.is_dir() {
            walk(&entry, depth + 1, out)?;
        } else if (meta.is_file() || meta.file_type().is_symlink())
            && (has_ext(&entry, "eml") || has_ext(&entry, "mbox"))
            && entry.is_file()
        {
            out.push(classify_file(&entry, false));
        }
    }
    Ok(())
}

/// How many messages the inputs hold (mbox files are scanned for their separators).
pub fn count(inputs: &[Input]) -> usize {
    inputs
        .iter()
        .map(|i| match i {
            Input::Message(_) => 1,
            Input::Mbox(p) => File::open(p)
                .map(|f| MboxReader::new(BufReader::new(f), usize::MAX).separators())
                .unwrap_or(1),
        })
        .sum()
}

/// Every message of the inputs, in order, each at most `limit` bytes.
pub fn items(inputs: Vec<Input>, limit: usize) -> impl Iterator<Item = Item> {
    inputs
        .into_iter()
        .flat_map(move |input| -> Box<dyn Iterator<Item = Item>> {
            match input {
                Input::Message(p) => Box::new(std::iter::once(Item {
                    source: p.display().to_string(),
                    bytes: read_limited(&p, limit),
                })),
                Input::Mbox(p) => match File::open(&p) {
                    Ok(f) => {
                        let name = p.display().to_string();
                        Box::new(MboxReader::new(BufReader::new(f), limit).enumerate().map(
                            move |(i, bytes)| Item {
                                source: format!("{name}#{}", i + 1),
                                bytes,
                            },
                        ))
                    }
                    Err(e) => Box::new(std::iter::once(Item {
                        source: p.display().to_string(),
                        bytes: Err(ReadProblem::Io(e.to_string())),
                    })),
                },
            }
        })
}

fn read_limited(p: &Path, limit: usize) -> Result<Vec<u8>, ReadProblem> {
    let f = File::open(p).map_err(|e| ReadProblem::Io(e.to_string()))?;
    let mut buf = Vec::new();
    f.take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ReadProblem::Io(e.to_string()))?;
    if buf.len() > limit {
        return Err(ReadProblem::TooLarge { limit });
    }
    Ok(buf)
}

/// Splits an mbox into messages.
#[derive(Debug)]
pub struct MboxReader<R> {
    reader: R,
    limit: usize,
    /// Whether the last line read was empty (a `From ` line after it starts a message).
    after_blank: bool,
    /// The separator of the next message has been read.
    started: bool,
    done: bool,
    line: Vec<u8>,
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

impl<R: BufRead> MboxReader<R> {
    /// A reader of messages of at most `limit` bytes.
    pub fn new(reader: R, limit: usize) -> Self {
        Self {
            reader,
            limit,
            after_blank: true,
            started: false,
            done: false,
            line: Vec::new(),
        }
    }

    /// Read one line into `self.line`; false at the end (or on a read error, reported by the
    /// caller through `Err`).
    fn next_line(&mut self) -> std::io::Result<bool> {
        self.line.clear();
        Ok(self.reader.read_until(b'\n', &mut self.line)? > 0)
    }

    fn is_separator(&self) -> bool {
        self.after_blank && self.line.starts_with(b"From ")
    }

    /// Count the separators (consumes the reader).
    pub fn separators(mut self) -> usize {
        let mut n = 0;
        while let Ok(true) = self.next_line() {
            if self.is_separator() {
                n += 1;
            }
            self.after_blank = is_blank(&self.line);
        }
        n
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = Result<Vec<u8>, ReadProblem>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        // Find the first separator (text before it is not a message).
        while !self.started {
            match self.next_line() {
                Ok(true) => {
                    if self.is_separator() {
                        self.started = true;
                    }
                    self.after_blank = is_blank(&self.line);
                }
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(ReadProblem::Io(e.to_string())));
                }
            }
        }
        self.after_blank = false;
        let mut msg: Vec<u8> = Vec::new();
        let mut too_large = false;
        loop {
            match self.next_line() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(ReadProblem::Io(e.to_string())));
                }
            }
            if self.is_separator() {
                break;
            }
            self.after_blank = is_blank(&self.line);
            if too_large {
                continue;
            }
            // mboxrd: `>From `, `>>From `… lose one `>`.
            let gt = self.line.iter().take_while(|&&b| b == b'>').count();
            let line: &[u8] = if gt > 0 && self.line[gt..].starts_with(b"From ") {
                &self.line[1..]
            } else {
                &self.line
            };
            if msg.len() + line.len() > self.limit.saturating_add(2) {
                too_large = true;
                msg = Vec::new();
                continue;
            }
            msg.extend_from_slice(line);
        }
        if too_large {
            return Some(Err(ReadProblem::TooLarge { limit: self.limit }));
        }
        // The empty line before the next separator belongs to the mbox, not the message.
        if msg.ends_with(b"\r\n\r\n") {
            msg.truncate(msg.len() - 2);
        } else if msg.ends_with(b"\n\n") {
            msg.truncate(msg.len() - 1);
        }
        if msg.len() > self.limit {
            return Some(Err(ReadProblem::TooLarge { limit: self.limit }));
        }
        Some(Ok(msg))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn split(text: &str, limit: usize) -> Vec<Result<String, ReadProblem>> {
        MboxReader::new(text.as_bytes(), limit)
            .map(|r| r.map(|b| String::from_utf8(b).unwrap()))
            .collect()
    }

    #[test]
    fn mbox_splits_on_from_lines_and_unescapes() {
        let mbox = "From a@x Tue Mar  3 10:00:00 2026\nSubject: one\n\nHello\n>From here\n>>From there\n\n\
                    From b@x Tue Mar  3 11:00:00 2026\nSubject: two\n\nHi\nFrom the start, in a body\n";
        let got = split(mbox, 1000);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].as_ref().unwrap(),
            "Subject: one\n\nHello\nFrom here\n>From there\n"
        );
        // A `From ` line not after an empty line is body text.
        assert_eq!(
            got[1].as_ref().unwrap(),
            "Subject: two\n\nHi\nFrom the start, in a body\n"
        );
        assert_eq!(MboxReader::new(mbox.as_bytes(), 10).separators(), 2);
    }

    #[test]
    fn mbox_skips_what_is_too_large_and_text_before_the_first_message() {
        let big = "x".repeat(200);
        let mbox = format!(
            "preamble\n\nFrom a@x\nSubject: big\n\n{big}\n\nFrom b@x\nSubject: small\n\nok\n"
        );
        let got = split(&mbox, 100);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], Err(ReadProblem::TooLarge { limit: 100 }));
        assert_eq!(got[1].as_ref().unwrap(), "Subject: small\n\nok\n");
        assert!(split("", 10).is_empty());
        assert!(split("no separator at all\n", 10).is_empty());
    }

    #[test]
    fn directories_maildirs_and_files_expand_in_order() {
        let root = std::env::temp_dir().join(format!("rt-cli-sources-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let md = root.join("inbox");
        for d in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(md.join(d)).unwrap();
        }
        std::fs::write(md.join("cur/1:2,S"), "Subject: a\n\nA\n").unwrap();
        std::fs::write(md.join("new/2"), "Subject: b\n\nB\n").unwrap();
        std::fs::write(md.join("tmp/3"), "partial").unwrap();
        std::fs::create_dir_all(root.join("x/y")).unwrap();
        std::fs::write(root.join("x/y/r.eml"), "Subject: c\n\nC\n").unwrap();
        std::fs::write(root.join("x/notes.txt"), "not mail").unwrap();
        std::fs::write(root.join("x/all.mbox"), "From a\nSubject: d\n\nD\n").unwrap();
        let bare = root.join("bare");
        std::fs::write(&bare, "From a\nSubject: e\n\nE\n").unwrap();
        let inputs = expand(&[root.clone(), bare.clone()]).unwrap();
        assert_eq!(
            inputs,
            [
                Input::Message(md.join("new/2")),
                Input::Message(md.join("cur/1:2,S")),
                Input::Mbox(root.join("x/all.mbox")),
                Input::Message(root.join("x/y/r.eml")),
                Input::Mbox(bare),
            ]
        );
        assert_eq!(count(&inputs), inputs.len());
        assert_eq!(
            expand(&[md.join("cur")]).unwrap(),
            [Input::Message(md.join("cur/1:2,S"))]
        );
        assert!(expand(&[root.join("missing")]).is_err());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
