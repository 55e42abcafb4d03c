//! `plan status` as a table, JSON or Markdown: the earned value and earned schedule figures
//! per scope, and the milestones at risk.

use super::evm::{EarnedValue, Scope};
use super::render::{signed, text_table};
use super::status::{AtRisk, ForecastSource, StatusReport};
use crate::report::markdown::{cell, table};
use crate::report::{date_or, Format};
use std::fmt::Write as _;

fn amount(x: f64) -> String {
    format!("{x:.1}")
}

fn opt_amount(x: Option<f64>) -> String {
    x.map_or("-".to_string(), amount)
}

fn index(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |x| format!("{x:.2}"))
}

fn signed_amount(x: f64) -> String {
    if x > 0.0 {
        format!("+{x:.1}")
    } else {
        format!("{x:.1}")
    }
}

const FIGURE_HEADERS: [&str; 18] = [
    "Scope",
    "Name",
    ">BAC",
    ">PV",
    ">EV",
    ">SV",
    ">SPI",
    ">ES",
    ">AT",
    ">SV(t)",
    ">SPI(t)",
    ">IEAC(t)",
    "Planned finish",
    "Forecast finish",
    ">AC",
    ">CPI",
    ">EAC",
    ">VAC",
];

fn figure_row(kind: &str, s: &Scope) -> Vec<String> {
    let f = &s.figures;
    vec![
        if kind.is_empty() {
            s.id.clone()
        } else {
            format!("{kind} {}", s.id)
        },
        s.name.clone(),
        amount(f.bac),
        amount(f.pv),
        amount(f.ev),
        signed_amount(f.sv),
        index(f.spi),
        amount(f.es),
        amount(f.at),
        signed_amount(f.sv_t),
        index(f.spi_t),
        opt_amount(f.ieac_t),
        s.planned_finish.to_string(),
        date_or(s.forecast_finish, "-"),
        opt_amount(f.ac),
        index(f.cpi),
        opt_amount(f.eac),
        f.vac.map_or("-".to_string(), signed_amount),
    ]
}

/// The headers and rows of the figures: without AC anywhere, no cost columns.
fn figure_table(ev: &EarnedValue) -> (&'static [&'static str], Vec<Vec<String>>) {
    let columns = if ev.program.figures.ac.is_some() {
        FIGURE_HEADERS.len()
    } else {
        FIGURE_HEADERS.len() - 4
    };
    let rows = scopes(ev)
        .into_iter()
        .map(|(k, sc)| {
            let mut row = figure_row(k, sc);
            row.truncate(columns);
            row
        })
        .collect();
    (&FIGURE_HEADERS[..columns], rows)
}

fn scopes(ev: &EarnedValue) -> Vec<(&'static str, &Scope)> {
    let mut out = vec![("", &ev.program)];
    out.extend(ev.phases.iter().map(|s| ("phase", s)));
    out.extend(ev.roles.iter().map(|s| ("role", s)));
    out
}

const MONEY_HEADERS: [&str; 9] = [
    "Scope", "Name", ">BAC", ">PV", ">EV", ">SV", ">AC", ">CV", ">EAC",
];

fn money_rows(ev: &EarnedValue) -> Vec<Vec<String>> {
    scopes(ev)
        .into_iter()
        .filter_map(|(kind, s)| {
            let m = s.money.as_ref()?;
            let mut row = figure_row(kind, s);
            row.truncate(2);
            row.extend([
                amount(m.bac),
                amount(m.pv),
                amount(m.ev),
                signed_amount(m.sv),
                opt_amount(m.ac),
                m.cv.map_or("-".to_string(), signed_amount),
                opt_amount(m.eac),
            ]);
            Some(row)
        })
        .collect()
}

fn earned_value_heading(ev: &EarnedValue) -> String {
    format!(
        "Earned value in person-days; ES, AT, SV(t) and IEAC(t) in working days from the baseline's status date {}",
        ev.baseline_status_date
    )
}

fn notes(ev: &EarnedValue) -> Vec<String> {
    let mut lines = Vec::new();
    let list = |ids: &[String]| ids.join(", ");
    if !ev.unbudgeted.is_empty() {
        lines.push(format!(
            "Not in the baseline (no budget, they earn nothing): {}",
            list(&ev.unbudgeted)
        ));
    }
    if !ev.not_in_model.is_empty() {
        lines.push(format!(
            "Only in the baseline (they keep what they had earned then): {}",
            list(&ev.not_in_model)
        ));
    }
    if !ev.without_actuals.is_empty() {
        lines.push(format!(
            "Started without actual_effort (AC leaves them out): {}",
            list(&ev.without_actuals)
        ));
    }
    if ev.program.figures.ac.is_none() {
        lines.push("No task reports actual_effort: no AC, CPI or EAC".to_string());
    }
    lines
}

const RISK_HEADERS: [&str; 9] = [
    "ID",
    "Milestone",
    "Due",
    "Forecast",
    ">Late by",
    "P80",
    ">On time",
    "Baseline",
    ">Moved",
];

fn risk_row(r: &AtRisk) -> Vec<String> {
    vec![
        r.id.clone(),
        r.name.clone(),
        r.due.to_string(),
        format!(
            "{} ({})",
            r.forecast,
            match r.forecast_source {
                ForecastSource::Scheduled => "scheduled",
                ForecastSource::Cpm => "CPM",
            }
        ),
        signed(r.late_by),
        date_or(r.p80, "-"),
        r.on_time
            .map_or("-".to_string(), |p| format!("{:.0}%", p * 100.0)),
        date_or(r.baseline_finish, "-"),
        r.finish_variance.map_or("-".to_string(), signed),
    ]
}

fn title(s: &StatusReport) -> String {
    let mut t = format!("Status of {} at {}", s.project, s.status_date);
    if let Some(team) = &s.scenario {
        let _ = write!(t, " (team: {team})");
    }
    t
}

fn baseline_line(s: &StatusReport) -> String {
    let Some(b) = &s.baseline else {
        return "No baseline: earned value needs one (--baseline FILE or REV)".to_string();
    };
    let source = match b.source {
        super::baseline::DateSource::Schedule => "the team's schedule",
        super::baseline::DateSource::CriticalPath => "the critical path",
    };
    let mut line = format!("Baseline {} of {}, from {source}", b.from, b.status_date);
    if let Some(team) = &b.scenario {
        let _ = write!(line, " ({team})");
    }
    if !b.matches_model {
        line.push_str("; the model text has changed since: matched by id");
    }
    line
}

fn risk_heading(s: &StatusReport) -> String {
    format!(
        "Milestones at risk: {} of {} with a due date (forecast or P80 later than due; late by: working days)",
        s.milestones_at_risk.len(),
        s.milestones_checked
    )
}

fn render_table(s: &StatusReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", title(s));
    let _ = writeln!(out, "{}", baseline_line(s));
    if let Some(ev) = &s.earned_value {
        let _ = writeln!(out, "\n{}", earned_value_heading(ev));
        let (headers, rows) = figure_table(ev);
        text_table(&mut out, headers, &rows);
        let money = money_rows(ev);
        if !money.is_empty() {
            let _ = writeln!(
                out,
                "\nIn money (each role's cost per person-day in the baseline)"
            );
            text_table(&mut out, &MONEY_HEADERS, &money);
        }
        for line in notes(ev) {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(out, "\n{}", risk_heading(s));
    if !s.milestones_at_risk.is_empty() {
        let rows: Vec<Vec<String>> = s.milestones_at_risk.iter().map(risk_row).collect();
        text_table(&mut out, &RISK_HEADERS, &rows);
    }
    out
}

fn render_markdown(s: &StatusReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}\n", cell(&title(s)));
    let _ = writeln!(out, "{}", cell(&baseline_line(s)));
    if let Some(ev) = &s.earned_value {
        let _ = writeln!(out, "\n**{}**\n", cell(&earned_value_heading(ev)));
        let (headers, rows) = figure_table(ev);
        out.push_str(&table(headers, &rows));
        let money = money_rows(ev);
        if !money.is_empty() {
            out.push_str("\n**In money**\n\n");
            out.push_str(&table(&MONEY_HEADERS, &money));
        }
        for line in notes(ev) {
            let _ = writeln!(out, "\n{}", cell(&line));
        }
    }
    let _ = writeln!(out, "\n**{}**\n", cell(&risk_heading(s)));
    if !s.milestones_at_risk.is_empty() {
        let rows: Vec<Vec<String>> = s.milestones_at_risk.iter().map(risk_row).collect();
        out.push_str(&table(&RISK_HEADERS, &rows));
    }
    out
}

/// Renders a status (`Format::Csv` gives the table).
pub fn render_status(s: &StatusReport, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(s).expect("serializable") + "\n",
        Format::Markdown => render_markdown(s),
        Format::Table | Format::Csv => render_table(s),
    }
}
