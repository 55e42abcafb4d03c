//! Markdown tables of the tabular commands, for pasting into a status page or a ticket.
//!
//! The rows are the same as the terminal tables' rows, but nothing is cut to a column width:
//! Markdown renderers wrap long cells themselves.

use super::critical_path::CriticalPathReport;
use super::days;
use super::schedule::{FeasibilityReport, ScheduleReport, ScheduledTask};
use std::collections::HashMap;
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

/// `plan critical-path --format markdown`.
pub fn critical_path(report: &CriticalPathReport, near: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", cell(&report.project));
    let _ = writeln!(
        out,
        "Status date {} · finish **{}** · {} working days ({} estimates, unlimited people)\n",
        report.start,
        report.finish_date,
        days(report.duration),
        report.estimate
    );
    let headers = ["ID", "Task", "Start", "Finish", ">Days", ">Float"];
    let _ = writeln!(out, "### Critical path\n");
    let tasks: HashMap<&str, _> = report.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let milestones: HashMap<&str, _> = report
        .milestones
        .iter()
        .map(|m| (m.id.as_str(), m))
        .collect();
    let path_rows: Vec<Vec<String>> = report
        .critical_path
        .iter()
        .filter_map(|id| {
            if let Some(t) = tasks.get(id.as_str()) {
                Some(vec![
                    t.id.clone(),
                    t.name.clone(),
                    t.early_start_date.clone(),
                    t.early_finish_date.clone(),
                    days(t.duration),
                    days(t.total_float),
                ])
            } else {
                milestones.get(id.as_str()).map(|m| {
                    vec![
                        m.id.clone(),
                        format!("◆ {}", m.name),
                        String::new(),
                        m.early_finish_date.clone(),
                        String::new(),
                        "0".into(),
                    ]
                })
            }
        })
        .collect();
    out.push_str(&table(&headers, &path_rows));
    let near_rows = report.near_critical(near);
    let _ = writeln!(
        out,
        "\n### Near-critical work (float ≤ {} days)\n",
        days(near)
    );
    let rows: Vec<Vec<String>> = near_rows
        .iter()
        .map(|t| {
            vec![
                t.id.clone(),
                t.name.clone(),
                t.early_start_date.clone(),
                t.early_finish_date.clone(),
                days(t.duration),
                days(t.total_float),
            ]
        })
        .collect();
    out.push_str(&table(&headers, &rows));
    let _ = writeln!(out, "\n### Milestones\n");
    let rows: Vec<Vec<String>> = report
        .milestones
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                m.name.clone(),
                m.due.clone().unwrap_or_else(|| "-".into()),
                m.early_finish_date.clone(),
                m.slack.map_or("-".into(), days),
                match m.slack {
                    Some(s) if s < 0.0 => "LATE".into(),
                    Some(_) => "on time".into(),
                    None => String::new(),
                },
            ]
        })
        .collect();
    out.push_str(&table(
        &["ID", "Milestone", "Due", "Early finish", ">Slack", "Status"],
        &rows,
    ));
    out
}

fn crew_text(t: &ScheduledTask) -> String {
    t.crew
        .iter()
        .map(|(r, n)| format!("{n} {r}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `plan schedule --format markdown`.
pub fn schedule(report: &ScheduleReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## {} · scenario {}\n",
        cell(&report.project),
        cell(&report.scenario)
    );
    let _ = writeln!(
        out,
        "Finish **{}** ({} working days; the critical path alone needs {}) · {} schedules searched\n",
        report.finish_date, report.finish, report.lower_bound, report.schedules
    );
    let _ = writeln!(out, "### Milestones\n");
    let rows: Vec<Vec<String>> = report
        .milestones
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                m.name.clone(),
                m.due.clone().unwrap_or_else(|| "-".into()),
                m.finish_date.clone(),
                m.slack.map_or("-".into(), |s| s.to_string()),
                if m.met { "met" } else { "MISSED" }.into(),
            ]
        })
        .collect();
    out.push_str(&table(
        &["ID", "Milestone", "Due", "Scheduled", ">Slack", "Status"],
        &rows,
    ));
    let _ = writeln!(out, "\n### Tasks, by start\n");
    let mut tasks: Vec<&ScheduledTask> =
        report.tasks.iter().filter(|t| t.finish > t.start).collect();
    tasks.sort_by_key(|t| (t.start, t.finish));
    let rows: Vec<Vec<String>> = tasks
        .iter()
        .map(|t| {
            vec![
                t.id.clone(),
                t.name.clone(),
                t.start_date.clone(),
                t.finish_date.clone(),
                (t.finish - t.start).to_string(),
                crew_text(t),
            ]
        })
        .collect();
    out.push_str(&table(
        &["ID", "Task", "Start", "Finish", ">Days", "Crew"],
        &rows,
    ));
    let _ = writeln!(out, "\n### Load per role (person-days used / available)\n");
    out.push_str(&table(
        &["Role", ">Used", ">Available", ">Overall", ">Busiest week"],
        &load_rows(report),
    ));
    out
}

/// One row per role: totals over the schedule and the busiest week's utilisation.
fn load_rows(report: &ScheduleReport) -> Vec<Vec<String>> {
    let mut roles: Vec<&str> = Vec::new();
    for l in &report.load {
        if !roles.contains(&l.role.as_str()) {
            roles.push(&l.role);
        }
    }
    roles
        .into_iter()
        .map(|role| {
            let weeks: Vec<_> = report.load.iter().filter(|l| l.role == role).collect();
            let used: f64 = weeks.iter().map(|w| w.used).sum();
            let cap: f64 = weeks.iter().map(|w| w.capacity).sum();
            let peak = weeks
                .iter()
                .map(|w| w.used / w.capacity.max(1e-9))
                .fold(0.0, f64::max);
            vec![
                role.to_string(),
                format!("{used:.0}"),
                format!("{cap:.0}"),
                format!("{:.0}%", 100.0 * used / cap.max(1e-9)),
                format!("{:.0}%", 100.0 * peak),
            ]
        })
        .collect()
}

/// `plan feasibility --format markdown`.
pub fn feasibility(report: &FeasibilityReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## {} · scenario {}\n",
        cell(&report.project),
        cell(&report.scenario)
    );
    let _ = writeln!(
        out,
        "Verdicts from the best resource-constrained schedule found ({} schedules searched)\n",
        report.schedules
    );
    let rows: Vec<Vec<String>> = report
        .milestones
        .iter()
        .map(|m| {
            let verdict = super::schedule::verdict_text(m);
            vec![
                m.id.clone(),
                m.name.clone(),
                m.due.clone().unwrap_or_else(|| "-".into()),
                m.finish_date.clone(),
                m.slack.map_or("-".into(), |s| s.to_string()),
                verdict,
            ]
        })
        .collect();
    out.push_str(&table(
        &["ID", "Milestone", "Due", "Scheduled", ">Slack", "Verdict"],
        &rows,
    ));
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
