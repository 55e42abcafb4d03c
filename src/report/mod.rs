//! Turns results into what people and tools read: tables, JSON, CSV, DOT and Mermaid.
//! Each submodule renders one command's result; none of them computes anything new.

pub mod bounds;
pub mod critical_path;
pub mod explain;
pub mod feasibility;
pub mod graph;
pub mod html;
pub mod lint;
pub mod markdown;
pub mod rcpsp;
pub mod schedule;
pub mod simulate;

pub use crate::timeline::{serialize_date, serialize_opt_date};

/// Output formats of tabular commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// JSON for other tools.
    Json,
    /// CSV for spreadsheets.
    Csv,
    /// Markdown tables for status pages.
    Markdown,
}

/// Rounds working-day figures for output so that float noise never shows (0.30000000000000004).
pub fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Shortens `s` to at most `width` characters, marking the cut with '…'.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A day count as people read it: whole numbers without decimals.
pub fn days(x: f64) -> String {
    let tenths = (x * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

/// An optional date as text, `absent` when there is none.
pub fn date_or(d: Option<jiff::civil::Date>, absent: &str) -> String {
    d.map_or_else(|| absent.to_string(), |d| d.to_string())
}
