//! Errors a user can act on: each names the file, line and key, says what is wrong and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The file the problem is in (`<built-in>` for the compiled-in model).
    pub file: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub location: Option<(usize, usize)>,
    /// The key the problem is about, e.g. `task[3].after` or `task "S04".estimate`.
    pub key: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem at a known key, without a place in the file yet.
    pub fn new(file: &Path, key: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            location: None,
            key: key.into(),
            message: message.into(),
            help: None,
        }
    }

    /// Attach the 1-based line and column where the problem is.
    pub fn at(mut self, location: Option<(usize, usize)>) -> Self {
        self.location = location;
        self
    }

    /// Attach advice on how to fix the input.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display().to_string();
        write!(f, "error: {}", escape_controls(&file))?;
        if let Some((line, col)) = self.location {
            write!(f, ":{line}:{col}")?;
        }
        let message = escape_controls(&self.message);
        if self.key.is_empty() {
            write!(f, ": {message}")?;
        } else {
            write!(f, ": `{}`: {message}", escape_controls(&self.key))?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", escape_controls(help))?;
        }
        Ok(())
    }
}

/// `text` with control characters written as escapes (`\n`, `\u{1b}`), so an id or name taken
/// from a file can neither start a forged `error:` line nor send terminal escape sequences.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Every problem found in one run: input files are checked whole, not stopped at the first error.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Record one more problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, else all the problems.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// Turns a byte offset into a 1-based (line, column), counting columns in characters.
///
/// Scans the text before `offset`: for many lookups in one file build a [`LineIndex`] once.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(offset)
}

/// The start of every line of one text, so that each offset-to-(line, column) lookup costs a
/// binary search plus the length of its own line, not a scan from the start of the file.
#[derive(Debug, Clone)]
pub struct LineIndex<'s> {
    source: &'s str,
    /// Byte offset of the first character of each line; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    /// Indexes the line starts of `source` in one pass.
    pub fn new(source: &'s str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            source,
            line_starts,
        }
    }

    /// The 1-based (line, column) of a byte offset, the column counted in characters; an offset
    /// past the end means the end, one inside a character means that character.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.source, offset.min(self.source.len()));
        // The number of line starts at or before `offset` is the 1-based line.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let col = self.source[line_start..offset].chars().count() + 1;
        (line, col)
    }
}

/// The largest character boundary at or before `offset` (which is at most `source.len()`).
fn floor_char_boundary(source: &str, mut offset: usize) -> usize {
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Names longer than this (in characters) get no "did you mean": suggestions are for names
/// people type, and the edit distance costs the product of the two lengths.
const MAX_SUGGESTION_LEN: usize = 200;

/// The largest edit distance still taken for a typo between names of these byte lengths.
fn typo_threshold(wanted_bytes: usize, candidate_bytes: usize) -> usize {
    (wanted_bytes.max(candidate_bytes) / 2).max(2)
}

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a likely typo.
///
/// Bounded: names longer than 200 characters get no suggestion, and a
/// candidate whose length alone puts it beyond the threshold is skipped before any distance is
/// computed (the distance is at least the difference in length).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = wanted.to_lowercase();
    let lower_len = lower.chars().count();
    if lower_len > MAX_SUGGESTION_LEN {
        return None;
    }
    candidates
        .into_iter()
        .filter_map(|c| {
            let threshold = typo_threshold(wanted.len(), c.len());
            let c_lower = c.to_lowercase();
            let c_len = c_lower.chars().count();
            if c_len > MAX_SUGGESTION_LEN || lower_len.abs_diff(c_len) > threshold {
                return None;
            }
            let d = strsim::damerau_levenshtein(&lower, &c_lower);
            (d <= threshold).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 4));
    }

    #[test]
    fn control_characters_in_messages_are_escaped() {
        let d = Diagnostic::new(
            Path::new("m.toml"),
            "task \"A\nerror: x\".id",
            "bad \u{1b}[31mred",
        )
        .help("tab\there");
        let text = d.to_string();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains(r#"task "A\nerror: x".id"#), "{text}");
        assert!(text.contains(r"bad \u{1b}[31mred"), "{text}");
        assert!(text.contains(r"tab\there"), "{text}");
        assert!(!text.contains('\u{1b}'));
        assert_eq!(escape_controls("café"), "café");
    }

    #[test]
    fn closest_suggests_a_near_id_and_nothing_for_a_far_one() {
        let ids = ["S09", "S10", "MS-CORE"];
        assert_eq!(closest("S9", ids), Some("S09"));
        assert_eq!(closest("backend-team-lead", ids), None);
    }

    /// The reference the index must agree with: a scan of the text before the offset.
    fn scanned_line_col(source: &str, offset: usize) -> (usize, usize) {
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    #[test]
    fn line_index_agrees_with_a_scan_at_every_character() {
        let src = "a = 1\n\nname = \"Zoë ✓\"\r\n  é = 2\nlast";
        let index = LineIndex::new(src);
        for (offset, _) in src.char_indices().chain([(src.len(), ' ')]) {
            assert_eq!(
                index.line_col(offset),
                scanned_line_col(src, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn line_index_clamps_offsets_past_the_end_or_inside_a_character() {
        let src = "x\né";
        let index = LineIndex::new(src);
        assert_eq!(index.line_col(1000), (2, 2));
        // Byte 3 is inside the two-byte 'é' that starts at byte 2.
        assert_eq!(index.line_col(3), (2, 1));
        assert_eq!(LineIndex::new("").line_col(0), (1, 1));
    }

    #[test]
    fn closest_gives_no_suggestion_for_a_huge_near_miss() {
        let id = "T".repeat(100_000);
        let near = format!("{id}x");
        assert_eq!(closest(&id, [near.as_str(), "T1"]), None);
    }

    #[test]
    fn closest_skips_candidates_too_different_in_length() {
        // "ab" is 2 shorter than "abcd": exactly at the threshold, still suggested; "abcdefghij"
        // is 6 longer, beyond it.
        assert_eq!(closest("abcd", ["abcdefghij", "ab"]), Some("ab"));
        assert_eq!(closest("abcd", ["abcdefghij"]), None);
    }
}
