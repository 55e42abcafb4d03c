//! Markdown tables for the tabular commands (each report renders its own with these), for
//! pasting into a status page or a ticket.
//!
//! The rows are the same as the terminal tables' rows, but nothing is cut to a column width:
//! Markdown renderers wrap long cells themselves.

use std::fmt::Write as _;

/// Escapes text for a table cell: a `|` would end the cell, a newline the row.
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// A GitHub-flavoured Markdown table. Columns whose header starts with '>' are right-aligned
/// (the '>' is not shown). Cells are escaped.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let names: Vec<String> = headers
        .iter()
        .map(|h| cell(h.trim_start_matches('>')))
        .collect();
    let _ = writeln!(out, "| {} |", names.join(" | "));
    let rules: Vec<&str> = headers
        .iter()
        .map(|h| if h.starts_with('>') { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |", rules.join(" | "));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn right_aligned_columns_get_a_colon() {
        let t = table(&["ID", ">Days"], &[vec!["S01".into(), "3".into()]]);
        assert_eq!(t, "| ID | Days |\n| --- | ---: |\n| S01 | 3 |\n");
    }
}
