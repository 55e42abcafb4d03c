//! `plan schedule`'s output: the dated schedule ([`crate::timeline`]) as a table, JSON, CSV or
//! Markdown.

use super::markdown::{cell, table};
use super::{days, fit, Format};
use crate::drivers::TaskDriver;
use crate::schedule::BoundKind;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub use crate::timeline::{
    build, DatedMilestone as ScheduledMilestone, DatedSchedule as ScheduleReport,
    DatedTask as ScheduledTask, WeekLoad,
};

/// Renders the report.
pub fn render(report: &ScheduleReport, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(report).expect("serializable") + "\n",
        Format::Csv => render_csv(report),
        Format::Table => render_table(report),
        Format::Markdown => markdown(report),
    }
}

fn crew_text(crew: &BTreeMap<String, u32>) -> String {
    crew.iter()
        .map(|(r, n)| format!("{n} {r}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_csv(report: &ScheduleReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "kind",
        "id",
        "name",
        "start",
        "finish",
        "start_date",
        "finish_date",
        "crew",
        "due",
        "slack",
        "met",
    ])
    .expect("in memory");
    for t in &report.tasks {
        w.write_record([
            "task",
            &t.id,
            &t.name,
            &t.start.to_string(),
            &t.finish.to_string(),
            &t.start_date.to_string(),
            &t.finish_date.to_string(),
            &crew_text(&t.crew),
            "",
            "",
            "",
        ])
        .expect("in memory");
    }
    for m in &report.milestones {
        let slack = m.slack.map_or(String::new(), |s| s.to_string());
        w.write_record([
            "milestone",
            &m.id,
            &m.name,
            &m.finish.to_string(),
            &m.finish.to_string(),
            &m.finish_date.to_string(),
            &m.finish_date.to_string(),
            "",
            &super::date_or(m.due, ""),
            &slack,
            &m.met.to_string(),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
}

fn render_table(report: &ScheduleReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} · scenario {}", report.project, report.scenario);
    let _ = writeln!(
        out,
        "Finish {} ({} working days; the critical path alone needs {}) · {} schedules searched",
        report.finish_date, report.finish, report.critical_path, report.schedules
    );
    let _ = writeln!(out, "{}", bound_line(report));
    let _ = writeln!(out);
    milestone_table(&mut out, &report.milestones);
    constraints_table(&mut out, report);
    let _ = writeln!(out);
    let _ = writeln!(out, "Tasks, by start");
    let _ = writeln!(
        out,
        "  {:<14} {:<34} {:>10} {:>10} {:>5}  {:<20}  Driven by",
        "ID", "Task", "Start", "Finish", "Days", "Crew"
    );
    let mut rows: Vec<&ScheduledTask> =
        report.tasks.iter().filter(|t| t.finish > t.start).collect();
    rows.sort_by_key(|t| (t.start, t.finish));
    for t in rows {
        let _ = writeln!(
            out,
            "  {:<14} {:<34} {:>10} {:>10} {:>5}  {:<20}  {}",
            fit(&t.id, 14),
            fit(&t.name, 34),
            t.start_date.to_string(),
            t.finish_date.to_string(),
            t.work_days,
            fit(&crew_text(&t.crew), 20),
            driver_text(&t.driver)
        );
    }
    let _ = writeln!(out);
    load_table(&mut out, &report.load);
    out
}

/// A driver in a few words, for the "Driven by" column and the Gantt's tooltips: `FS S01`,
/// `SS S02 +3`, `status date`, `not before 2025-10-01`, `FS S03, calendar` (the link allowed
/// an earlier start, the task's calendar was off until its start), or the role and the task
/// whose finish freed it (`backend: S06` ; `backend: hire` when people joined instead).
pub fn driver_text(driver: &TaskDriver) -> String {
    match driver {
        TaskDriver::Link {
            predecessor,
            link_type,
            lag,
        } => match lag {
            0 => format!("{} {predecessor}", link_type.name()),
            _ => format!("{} {predecessor} {lag:+}", link_type.name()),
        },
        TaskDriver::Constraint { date, .. } => format!("not before {date}"),
        TaskDriver::StatusDate => "status date".to_string(),
        TaskDriver::Calendar { deferred, .. } => format!("{}, calendar", driver_text(deferred)),
        TaskDriver::Capacity { role, freed_by, .. } => match freed_by {
            Some(holder) => format!("{role}: {holder}"),
            None => format!("{role}: hire"),
        },
    }
}

/// The lower bound, what it rests on, and how far the schedule is from it.
fn bound_line(report: &ScheduleReport) -> String {
    let basis = match (report.lower_bound_kind, &report.lower_bound_role) {
        (BoundKind::Energy, Some(role)) => format!("the {role} work alone"),
        (BoundKind::Energy, None) => "the work alone".to_string(),
        (BoundKind::CriticalPath, _) => "the critical path".to_string(),
    };
    let gap = i64::from(report.finish) - i64::from(report.lower_bound);
    let verdict = if report.optimal {
        "optimal: equals the lower bound".to_string()
    } else if gap <= 0 {
        "equals the lower bound, but due dates are missed".to_string()
    } else {
        format!("{gap} working days above it")
    };
    format!(
        "Lower bound {} working days ({basis}) · {verdict}",
        report.lower_bound
    )
}

/// Milestones against due dates, shared with `feasibility`.
pub fn milestone_table(out: &mut String, milestones: &[ScheduledMilestone]) {
    let _ = writeln!(out, "Milestones (slack in working days; negative = late)");
    let _ = writeln!(
        out,
        "  {:<12} {:<40} {:>10} {:>10} {:>6}",
        "ID", "Milestone", "Due", "Scheduled", "Slack"
    );
    for m in milestones {
        let slack = m.slack.map_or("-".into(), |s| days(s as f64));
        let _ = writeln!(
            out,
            "  {:<12} {:<40} {:>10} {:>10} {:>6}  {}",
            fit(&m.id, 12),
            fit(&m.name, 40),
            super::date_or(m.due, "-"),
            m.finish_date.to_string(),
            slack,
            if m.met { "met" } else { "MISSED" }
        );
    }
}

/// Each task's and milestone's date constraint and deadline, in model order, with what the
/// schedule makes of it: met, or how many working days late.
fn constraint_rows(report: &ScheduleReport) -> Vec<(&str, String)> {
    let tasks = report
        .tasks
        .iter()
        .map(|t| (t.id.as_str(), t.constraint.as_ref(), t.deadline.as_ref()));
    let milestones = report
        .milestones
        .iter()
        .map(|m| (m.id.as_str(), m.constraint.as_ref(), m.deadline.as_ref()));
    tasks
        .chain(milestones)
        .filter(|(_, c, d)| c.is_some() || d.is_some())
        .map(|(id, c, d)| {
            let constraint = c.map(|c| format!("{} {}: {}", c.kind, c.date, lateness(c.late_days)));
            let deadline = d.map(|d| format!("deadline {}: {}", d.date, lateness(d.late_days)));
            let what: Vec<String> = constraint.into_iter().chain(deadline).collect();
            (id, what.join("; "))
        })
        .collect()
}

fn lateness(late_days: u32) -> String {
    match late_days {
        0 => "met".to_string(),
        1 => "1 day LATE".to_string(),
        n => format!("{n} days LATE"),
    }
}

/// The date constraints and deadlines against the schedule, as `plan critical-path` lists
/// them against the dependencies alone; nothing when the model has none.
fn constraints_table(out: &mut String, report: &ScheduleReport) {
    let rows = constraint_rows(report);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Date constraints and deadlines (working days late; the schedule keeps every link, so a \
         date it cannot keep is late)"
    );
    for (id, what) in rows {
        let _ = writeln!(out, "  {:<14} {what}", fit(id, 14));
    }
}

/// Person-days used / available per role per week, one row per week, then totals.
fn load_table(out: &mut String, load: &[WeekLoad]) {
    let _ = writeln!(out, "Load per role per week (person-days used / available)");
    let mut roles: Vec<&str> = Vec::new();
    let mut weeks: Vec<Date> = Vec::new();
    for l in load {
        if !roles.contains(&l.role.as_str()) {
            roles.push(&l.role);
        }
        if !weeks.contains(&l.week_start) {
            weeks.push(l.week_start);
        }
    }
    let _ = write!(out, "  {:<10}", "Week of");
    for role in &roles {
        let _ = write!(out, " {:>11}", fit(role, 11));
    }
    let _ = writeln!(out);
    let cell = |used: f64, cap: f64| format!("{}/{}", days(used), days(cap));
    for week in &weeks {
        let _ = write!(out, "  {:<10}", week.to_string());
        for role in &roles {
            let l = load
                .iter()
                .find(|l| l.role == *role && l.week_start == *week);
            let text = l.map_or(String::new(), |l| {
                let mark = if l.used > l.capacity + 1e-9 { "!" } else { "" };
                format!("{}{mark}", cell(l.used, l.capacity))
            });
            let _ = write!(out, " {text:>11}");
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "  {:<10}", "Total");
    for role in &roles {
        let used: f64 = load
            .iter()
            .filter(|l| l.role == *role)
            .map(|l| l.used)
            .sum();
        let cap: f64 = load
            .iter()
            .filter(|l| l.role == *role)
            .map(|l| l.capacity)
            .sum();
        let _ = write!(
            out,
            " {:>11}",
            format!("{:.0}%", 100.0 * used / cap.max(1e-9))
        );
    }
    let _ = writeln!(out);
}

/// `plan schedule --format markdown`.
fn markdown(report: &ScheduleReport) -> String {
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
        report.finish_date, report.finish, report.critical_path, report.schedules
    );
    let _ = writeln!(out, "{}\n", bound_line(report));
    let _ = writeln!(out, "### Milestones\n");
    let rows: Vec<Vec<String>> = report
        .milestones
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                m.name.clone(),
                super::date_or(m.due, "-"),
                m.finish_date.to_string(),
                m.slack.map_or("-".into(), |s| s.to_string()),
                if m.met { "met" } else { "MISSED" }.into(),
            ]
        })
        .collect();
    out.push_str(&table(
        &["ID", "Milestone", "Due", "Scheduled", ">Slack", "Status"],
        &rows,
    ));
    let constraints: Vec<Vec<String>> = constraint_rows(report)
        .into_iter()
        .map(|(id, what)| vec![id.to_string(), what])
        .collect();
    if !constraints.is_empty() {
        let _ = writeln!(out, "\n### Date constraints and deadlines\n");
        out.push_str(&table(&["ID", "Against the schedule"], &constraints));
    }
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
                t.start_date.to_string(),
                t.finish_date.to_string(),
                t.work_days.to_string(),
                crew_text(&t.crew),
                driver_text(&t.driver),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "ID",
            "Task",
            "Start",
            "Finish",
            ">Days",
            "Crew",
            "Driven by",
        ],
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
