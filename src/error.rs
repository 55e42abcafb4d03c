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
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&wanted.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= (wanted.len().max(c.len()) / 2).max(2))
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
}
