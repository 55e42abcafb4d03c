//! Tracking results as people and tools read them: the plan diff as a table, JSON or a
//! Markdown pull-request comment; the trend as a table, JSON or CSV; baseline variance as a
//! section under `critical-path` and `schedule` output and as new fields in their JSON.

use super::baseline::{Baseline, BaselineComparison, Variance};
use super::changes::{Amount, Change, ConstraintValue};
use super::diff::{DateDelta, Delta, MilestoneDelta, P80Trace, PlanDiff, SlipMeasure};
use super::history::{hindsight, TrendRow};
use super::replay::ReplayInfo;
use super::trace::{Cause, CausePart, Trace, TracedDate};
use crate::report::feasibility::VerdictLabel;
use crate::report::markdown::{cell, table};
use crate::report::{date_or, fit, Format};
use serde_json::{json, Value};
use std::fmt::Write as _;

fn number(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

fn amount(a: &Option<Amount>) -> String {
    match a {
        None => "none".to_string(),
        Some(Amount::Estimate {
            optimistic,
            likely,
            pessimistic,
        }) => {
            if optimistic == likely && likely == pessimistic {
                number(*likely)
            } else {
                format!(
                    "{}/{}/{}",
                    number(*optimistic),
                    number(*likely),
                    number(*pessimistic)
                )
            }
        }
        Some(Amount::People(n)) => n.to_string(),
        Some(Amount::Days(d)) => number(*d),
        Some(Amount::Crew { min, max }) => format!("{min}..{max}"),
    }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn opt_percent(x: Option<f64>) -> String {
    x.map_or("-".to_string(), percent)
}

/// A calendar a task or role names, in words: `project` when none.
fn calendar_name(c: &Option<String>) -> String {
    c.clone().unwrap_or_else(|| "project".to_string())
}

/// A calendar's change in words: `calendar offshore: holidays + 2025-10-06`.
fn calendar_text(change: &Change) -> String {
    let Change::Calendar {
        id,
        workdays_before,
        workdays_after,
        holidays_added,
        holidays_removed,
        extra_workdays_added,
        extra_workdays_removed,
    } = change
    else {
        return String::new();
    };
    let name = id.as_ref().map_or("project calendar".to_string(), |id| {
        format!("calendar {id}")
    });
    match (workdays_before, workdays_after) {
        (None, _) => return format!("{name} added"),
        (_, None) => return format!("{name} removed"),
        _ => {}
    }
    let mut parts = Vec::new();
    if workdays_before != workdays_after {
        let days = |d: &Option<Vec<String>>| d.as_ref().map_or(String::new(), |d| d.join(" "));
        parts.push(format!(
            "workdays {} -> {}",
            days(workdays_before),
            days(workdays_after)
        ));
    }
    for (what, list) in [
        ("holidays +", holidays_added),
        ("holidays -", holidays_removed),
        ("extra workdays +", extra_workdays_added),
        ("extra workdays -", extra_workdays_removed),
    ] {
        if !list.is_empty() {
            parts.push(format!("{what} {}", list.join(", ")));
        }
    }
    format!("{name}: {}", parts.join("; "))
}

/// One change in words, e.g. `S05 duration 10 -> 14`.
pub fn change_text(change: &Change) -> String {
    match change {
        Change::StatusDate { before, after } => format!("status date {before} -> {after}"),
        Change::TaskAdded { id, name } => format!("task {id} added ({name})"),
        Change::TaskRemoved { id, name } => format!("task {id} removed ({name})"),
        Change::Renamed { id, before, after } => format!("{id} renamed: {before} -> {after}"),
        Change::Work {
            id,
            part,
            before,
            after,
        } => format!("{id} {part} {} -> {}", amount(before), amount(after)),
        Change::Links {
            id,
            added,
            removed,
            lags,
            types,
        } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("now after {}", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("no longer after {}", removed.join(", ")));
            }
            for (p, b, a) in lags {
                parts.push(format!("lag after {p} {} -> {}", number(*b), number(*a)));
            }
            for (p, b, a) in types {
                parts.push(format!("link from {p} {} -> {}", b.name(), a.name()));
            }
            format!("{id} {}", parts.join("; "))
        }
        Change::Done { id, before, after } => {
            format!("{id} done {} -> {}", percent(*before), percent(*after))
        }
        Change::ActualEffort { id, before, after } => {
            let spent = |x: &Option<f64>| x.map_or("none".to_string(), number);
            format!(
                "{id} actual effort {} -> {} person-days",
                spent(before),
                spent(after)
            )
        }
        Change::PhaseProgress { id, before, after } => format!(
            "phase {id} progress {} -> {}",
            opt_percent(*before),
            opt_percent(*after)
        ),
        Change::MilestoneAdded { id, name } => format!("milestone {id} added ({name})"),
        Change::MilestoneRemoved { id, name } => format!("milestone {id} removed ({name})"),
        Change::Due { id, before, after } => format!(
            "{id} due {} -> {}",
            date_or(*before, "none"),
            date_or(*after, "none")
        ),
        Change::Risk {
            id,
            before,
            after,
            delay_before,
            delay_after,
            tasks_added,
            tasks_removed,
        } => match (before, after) {
            (None, Some(p)) => format!(
                "risk {id} added (p {}, {} days)",
                percent(*p),
                amount(delay_after)
            ),
            (Some(_), None) => format!("risk {id} removed"),
            _ => {
                let mut text = format!(
                    "risk {id} p {} -> {}, delay {} -> {}",
                    opt_percent(*before),
                    opt_percent(*after),
                    amount(delay_before),
                    amount(delay_after)
                );
                if !tasks_added.is_empty() {
                    text.push_str(&format!(", now on {}", tasks_added.join(", ")));
                }
                if !tasks_removed.is_empty() {
                    text.push_str(&format!(", no longer on {}", tasks_removed.join(", ")));
                }
                text
            }
        },
        Change::Constraint { id, before, after } => {
            let c = |x: &Option<ConstraintValue>| {
                x.as_ref()
                    .map_or("none".to_string(), |c| format!("{} {}", c.kind, c.date))
            };
            format!("{id} constraint {} -> {}", c(before), c(after))
        }
        Change::Deadline { id, before, after } => format!(
            "{id} deadline {} -> {}",
            date_or(*before, "none"),
            date_or(*after, "none")
        ),
        Change::Actual {
            id,
            part,
            before,
            after,
        } => format!(
            "{id} {} {} -> {}",
            part.replace('_', " "),
            date_or(*before, "none"),
            date_or(*after, "none")
        ),
        Change::Calendar { .. } => calendar_text(change),
        Change::TaskCalendar { id, before, after } => format!(
            "{id} calendar {} -> {}",
            calendar_name(before),
            calendar_name(after)
        ),
        Change::RoleCalendar {
            role,
            before,
            after,
        } => format!(
            "role {role} calendar {} -> {}",
            calendar_name(before),
            calendar_name(after)
        ),
        Change::RoleAdded { role, name } => format!("role {role} added ({name})"),
        Change::RoleRemoved { role, name } => format!("role {role} removed ({name})"),
        Change::RoleCost {
            role,
            before,
            after,
        } => {
            let cost = |x: &Option<f64>| x.map_or("none".to_string(), number);
            format!("role {role} cost {} -> {}", cost(before), cost(after))
        }
        Change::Team {
            role,
            before,
            after,
        } => format!("team {role} {before} -> {after}"),
        Change::Staffing {
            what,
            before,
            after,
        } => format!("{what} changed ({before} -> {after} entries)"),
    }
}

pub(super) fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// A date before and after: one date when unchanged, else `before -> after (+N)`.
fn date_delta(d: &DateDelta) -> String {
    if !d.changed() {
        return date_or(d.after, "-");
    }
    let moved = d
        .moved
        .map_or(String::new(), |m| format!(" ({})", signed(m)));
    format!(
        "{} -> {}{moved}",
        date_or(d.before, "-"),
        date_or(d.after, "-")
    )
}

fn verdict_word(v: Option<VerdictLabel>) -> &'static str {
    match v {
        None => "-",
        Some(VerdictLabel::Met) => "met",
        Some(VerdictLabel::Missed) => "missed",
        Some(VerdictLabel::NoDueDate) => "no due date",
        Some(VerdictLabel::Infeasible) => "infeasible",
        Some(VerdictLabel::Unknown) => "unknown",
    }
}

fn verdict_delta(d: &Delta<VerdictLabel>) -> String {
    if d.changed() {
        format!("{} -> {}", verdict_word(d.before), verdict_word(d.after))
    } else {
        verdict_word(d.after).to_string()
    }
}

fn on_time_delta(d: &Delta<f64>) -> String {
    if d.changed() {
        format!("{} -> {}", opt_percent(d.before), opt_percent(d.after))
    } else {
        opt_percent(d.after)
    }
}

/// The answer a slip is measured on, in words.
pub fn measure_word(m: SlipMeasure) -> &'static str {
    match m {
        SlipMeasure::P80 => "P80",
        SlipMeasure::Scheduled => "scheduled date",
        SlipMeasure::Cpm => "CPM date",
    }
}

/// The columns of the milestone table that some side has.
struct Columns {
    scheduled: bool,
    verdict: bool,
    simulated: bool,
}

fn columns(diff: &PlanDiff) -> Columns {
    let any = |f: fn(&MilestoneDelta) -> bool| diff.milestones.iter().any(f);
    Columns {
        scheduled: any(|m| m.scheduled.before.is_some() || m.scheduled.after.is_some()),
        verdict: any(|m| m.verdict.before.is_some() || m.verdict.after.is_some()),
        simulated: any(|m| m.p80.before.is_some() || m.p80.after.is_some()),
    }
}

fn milestone_rows(diff: &PlanDiff, cols: &Columns) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut headers = vec!["ID", "Milestone", "Due", "CPM"];
    if cols.scheduled {
        headers.push("Scheduled");
    }
    if cols.verdict {
        headers.push("Verdict");
    }
    if cols.simulated {
        headers.extend(["P80", "On time"]);
    }
    headers.push(">Slip");
    let rows = diff
        .milestones
        .iter()
        .map(|m| {
            let mut row = vec![
                m.id.clone(),
                m.name.clone(),
                date_delta(&m.due),
                date_delta(&m.cpm_finish),
            ];
            if cols.scheduled {
                row.push(date_delta(&m.scheduled));
            }
            if cols.verdict {
                row.push(verdict_delta(&m.verdict));
            }
            if cols.simulated {
                row.push(date_delta(&m.p80));
                row.push(on_time_delta(&m.on_time));
            }
            row.push(m.slip.map_or("-".to_string(), signed));
            row
        })
        .collect();
    (headers, rows)
}

fn path_line(diff: &PlanDiff) -> String {
    let p = &diff.critical_path;
    if p.entered.is_empty() && p.left.is_empty() {
        return "Critical path: unchanged".to_string();
    }
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    format!(
        "Critical path: entered {}; left {}",
        list(&p.entered),
        list(&p.left)
    )
}

fn slip_note(diff: &PlanDiff) -> String {
    let measure = diff
        .milestones
        .first()
        .map_or("P80", |m| measure_word(m.slip_measure));
    format!("Slip: working days the {measure} moved later (negative: earlier)")
}

/// Aligned columns of text cells, cut to `widths` where one is given.
pub(super) fn text_table(out: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    let names: Vec<&str> = headers.iter().map(|h| h.trim_start_matches('>')).collect();
    let width = |c: usize| {
        rows.iter()
            .map(|r| r[c].chars().count())
            .chain([names[c].chars().count()])
            .max()
            .unwrap_or(0)
            .min(if c == 1 { 32 } else { 40 })
    };
    let widths: Vec<usize> = (0..names.len()).map(width).collect();
    let line = |cells: Vec<String>| {
        let cells: Vec<String> = cells
            .iter()
            .zip(&widths)
            .zip(headers)
            .map(|((c, &w), h)| {
                let c = fit(c, w);
                if h.starts_with('>') {
                    format!("{c:>w$}")
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect();
        format!("  {}", cells.join("  ").trim_end())
    };
    let _ = writeln!(
        out,
        "{}",
        line(names.iter().map(|s| s.to_string()).collect())
    );
    for row in rows {
        let _ = writeln!(out, "{}", line(row.clone()));
    }
}

/// What part of a step a cause moved, in words.
fn part_words(part: CausePart) -> &'static str {
    match part {
        CausePart::StatusDate => "every step starts from it",
        CausePart::Added => "new on the chain",
        CausePart::Duration => "its working days",
        CausePart::Wait => "its wait to start",
    }
}

/// A crew in words: `2 backend + 1 qa`.
fn people(crew: &std::collections::BTreeMap<String, u32>) -> String {
    if crew.is_empty() {
        return "none".to_string();
    }
    let each: Vec<String> = crew.iter().map(|(r, n)| format!("{n} {r}")).collect();
    each.join(" + ")
}

/// One cause in words: `+3 DESIGN duration 3/4/8 -> 5/7/10 (its working days)`.
fn cause_text(c: &Cause) -> String {
    let what: Vec<String> = c.changes.iter().map(change_text).collect();
    let on = match (&c.id, c.part) {
        (Some(id), CausePart::Wait | CausePart::Duration)
            if c.changes.iter().any(|x| x.subject() != Some(id.as_str())) =>
        {
            format!("{}, on {id}", part_words(c.part))
        }
        _ => part_words(c.part).to_string(),
    };
    let crew = c
        .crew
        .as_ref()
        .map_or(String::new(), |k| match c.crew_days {
            Some(d) => format!(
                " with its old crew {}; the schedule's crew {}: {} not traced",
                people(&k.before),
                people(&k.after),
                signed(d)
            ),
            None => format!(
                "; crew {} -> {} in the schedule",
                people(&k.before),
                people(&k.after)
            ),
        });
    let days = c.days.map_or("?".to_string(), signed);
    format!("{days} {} ({on}{crew})", what.join("; "))
}

/// The head line of a milestone's trace.
fn trace_head(m: &MilestoneDelta, t: &Trace) -> String {
    let (date, chain) = match t.date {
        TracedDate::Scheduled => ("scheduled", "driving chain"),
        TracedDate::Cpm => ("CPM", "critical chain"),
    };
    format!(
        "{} {date} {} -> {} ({} working days), {chain} {}:",
        m.id,
        t.before,
        t.after,
        signed(t.moved),
        t.chain.join(" -> ")
    )
}

/// A milestone's date trace: its head line, then one line per cause and what is unexplained.
fn date_trace_lines(m: &MilestoneDelta, t: &Trace) -> (String, Vec<String>) {
    let mut lines: Vec<String> = t.causes.iter().map(cause_text).collect();
    if t.causes.is_empty() {
        lines.push("no model change on the driving chain".to_string());
    }
    if t.unexplained != 0 {
        let why = match t.date {
            TracedDate::Cpm if t.own_calendars => "before, another path drove part of it (the chain had float), or a task's own calendar",
            TracedDate::Cpm => "before, another path drove part of it: the chain had float",
            TracedDate::Scheduled => "float on the old schedule, the search settling differently, changes off the chain competing for people, or a task's own calendar",
        };
        lines.push(format!(
            "{} not traced to a change on the chain ({why})",
            signed(t.unexplained)
        ));
    }
    (trace_head(m, t), lines)
}

/// A milestone's P80 trace: `M2 P80 ... moved because (...)`, then each change's share of
/// the move (averaged over `orders` orders, `exact` when every one) and what is unexplained.
fn p80_trace_lines(
    m: &MilestoneDelta,
    t: &P80Trace,
    info: Option<&ReplayInfo>,
) -> (String, Vec<String>) {
    let orders = match info {
        Some(i) if i.exact => format!("every order ({}) of", i.orders),
        Some(i) => format!("{} orders of", i.orders),
        None => "orders of".to_string(),
    };
    let head = format!(
        "{} P80 {} -> {} ({} working days) moved because (each change's share, averaged over {orders} applying the changes to the old plan and re-simulating it):",
        m.id,
        t.before,
        t.after,
        signed(t.moved)
    );
    let mut lines: Vec<String> = t
        .shares
        .iter()
        .map(|c| {
            let what: Vec<String> = c.changes.iter().map(change_text).collect();
            let mut notes = Vec::new();
            if (c.mean - c.days as f64).abs() > 1e-9 {
                notes.push(format!("on average {:+.2}", c.mean));
            }
            if c.together {
                notes.push("applied together".to_string());
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            };
            format!("{} {}{notes}", signed(c.days), what.join("; "))
        })
        .collect();
    if t.shares.is_empty() {
        lines.push("no change moved it".to_string());
    }
    if t.shares_unexplained != 0 {
        lines.push(format!(
            "{} unexplained (what the diff does not list, or the draws of tasks in another order in the new file)",
            signed(t.shares_unexplained)
        ));
    }
    (head, lines)
}

/// Each traced milestone: its date trace, then its P80 trace.
fn trace_lines(diff: &PlanDiff) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for m in &diff.milestones {
        if let Some(t) = &m.trace {
            out.push(date_trace_lines(m, t));
        }
        if let Some(t) = &m.p80_trace {
            out.push(p80_trace_lines(m, t, diff.p80_replay.as_ref()));
        }
    }
    out
}

/// How the P80 moves were traced, when one moved and the replay was capped or skipped.
fn replay_note(diff: &PlanDiff) -> Option<String> {
    let info = diff.p80_replay.as_ref()?;
    if let Some(why) = &info.skipped {
        let moved = diff.milestones.iter().any(|m| m.p80.changed());
        return moved.then(|| format!("P80 moves not traced: {why}"));
    }
    (info.capped_changes > 0).then(|| {
        format!(
            "P80 replay capped at {} simulations (--p80-replays): the last {} change(s) were applied together",
            info.cap, info.capped_changes
        )
    })
}

const TRACE_TITLE: &str = "Why the dates moved";

fn diff_table(diff: &PlanDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Plan diff: {} -> {}", diff.old, diff.new);
    let _ = writeln!(out);
    let _ = writeln!(out, "Model changes ({})", diff.changes.len());
    if diff.changes.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for c in &diff.changes {
        let _ = writeln!(out, "  {}", change_text(c));
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", path_line(diff));
    let _ = writeln!(out);
    let _ = writeln!(out, "Milestones ({})", slip_note(diff));
    let (headers, rows) = milestone_rows(diff, &columns(diff));
    text_table(&mut out, &headers, &rows);
    let traces = trace_lines(diff);
    if !traces.is_empty() {
        let _ = writeln!(out, "\n{TRACE_TITLE} (working days each change moved it)");
    }
    for (head, lines) in traces {
        let _ = writeln!(out, "  {head}");
        for l in lines {
            let _ = writeln!(out, "    {l}");
        }
    }
    if let Some(note) = replay_note(diff) {
        let _ = writeln!(out, "\n{note}");
    }
    out
}

fn diff_markdown(diff: &PlanDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Plan diff: `{}` → `{}`\n",
        diff.old.replace('`', "'"),
        diff.new.replace('`', "'")
    );
    let changed = diff.milestones.iter().filter(|m| m.changed()).count();
    let _ = writeln!(
        out,
        "{} model change(s); {} of {} milestone(s) with a changed answer.\n",
        diff.changes.len(),
        changed,
        diff.milestones.len()
    );
    let _ = writeln!(out, "**What changed in the model**\n");
    if diff.changes.is_empty() {
        let _ = writeln!(out, "- nothing");
    }
    for c in &diff.changes {
        let _ = writeln!(out, "- {}", cell(&change_text(c)).replace("->", "→"));
    }
    let _ = writeln!(out, "\n**What it did to the answers**\n");
    let _ = writeln!(out, "{}\n", cell(&path_line(diff)));
    let (headers, rows) = milestone_rows(diff, &columns(diff));
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.replace("->", "→")).collect())
        .collect();
    out.push_str(&table(&headers, &rows));
    let _ = writeln!(out, "\n_{}_", slip_note(diff));
    let traces = trace_lines(diff);
    if !traces.is_empty() {
        let _ = writeln!(
            out,
            "\n**{TRACE_TITLE}** (working days each change moved it)\n"
        );
    }
    for (head, lines) in traces {
        let _ = writeln!(out, "- {}", cell(&head).replace("->", "→"));
        for l in lines {
            let _ = writeln!(out, "  - {}", cell(&l).replace("->", "→"));
        }
    }
    if let Some(note) = replay_note(diff) {
        let _ = writeln!(out, "\n_{}_", cell(&note));
    }
    out
}

/// Renders a plan diff (`Format::Csv` gives the table).
pub fn render_diff(diff: &PlanDiff, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(diff).expect("serializable") + "\n",
        Format::Markdown => diff_markdown(diff),
        Format::Table | Format::Csv => diff_table(diff),
    }
}

/// The milestone ids of a trend, in order of first appearance (newest row first).
fn trend_milestones(rows: &[TrendRow]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for r in rows {
        for m in &r.milestones {
            if !ids.contains(&m.id) {
                ids.push(m.id.clone());
            }
        }
    }
    ids
}

/// The columns `--calibrate` appends to the CSV.
const CALIBRATED_COLUMNS: [&str; 4] = [
    "calibrated_p50",
    "calibrated_p80",
    "calibration_factor",
    "calibration_tasks",
];

fn history_csv(rows: &[TrendRow], calibrated: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "commit",
        "date",
        "status_date",
        "milestone",
        "due",
        "cpm_finish",
        "scheduled",
        "p50",
        "p80",
        "error",
    ];
    if calibrated {
        header.extend(CALIBRATED_COLUMNS);
    }
    w.write_record(&header).expect("in memory");
    for r in rows {
        let status = date_or(r.status_date, "");
        let factor = r
            .calibration
            .as_ref()
            .map_or([String::new(), String::new()], |c| {
                [format!("{:.4}", c.factor), c.tasks.to_string()]
            });
        if r.milestones.is_empty() {
            let error = r.error.clone().unwrap_or_default();
            let mut record = vec![
                r.commit.clone(),
                r.date.clone(),
                status.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                error,
            ];
            if calibrated {
                record.extend([String::new(), String::new()]);
                record.extend(factor.clone());
            }
            w.write_record(&record).expect("in memory");
        }
        for m in &r.milestones {
            let mut record = vec![
                r.commit.clone(),
                r.date.clone(),
                status.clone(),
                m.id.clone(),
                date_or(m.due, ""),
                m.cpm_finish.to_string(),
                date_or(m.scheduled, ""),
                date_or(m.p50, ""),
                date_or(m.p80, ""),
                String::new(),
            ];
            if calibrated {
                record.extend([date_or(m.calibrated_p50, ""), date_or(m.calibrated_p80, "")]);
                record.extend(factor.clone());
            }
            w.write_record(&record).expect("in memory");
        }
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
}

fn history_table(rows: &[TrendRow], calibrated: bool) -> String {
    let mut out = String::new();
    let ids = trend_milestones(rows);
    let scheduled = rows
        .iter()
        .any(|r| r.milestones.iter().any(|m| m.scheduled.is_some()));
    let simulated = rows
        .iter()
        .any(|r| r.milestones.iter().any(|m| m.p80.is_some()));
    let _ = writeln!(
        out,
        "Milestone trend: {} version(s), newest first; each cell is {}{}",
        rows.len(),
        match (scheduled, simulated) {
            (true, true) => "scheduled / P80",
            (false, true) => "CPM / P80",
            (true, false) => "scheduled",
            (false, false) => "the CPM date",
        },
        if calibrated {
            " / calibrated P80 (Calibration: the factor applied and the finished tasks it rests on)"
        } else {
            ""
        }
    );
    let mut headers = vec!["Commit", "Date", "Status"];
    if calibrated {
        headers.push("Calibration");
    }
    headers.extend(ids.iter().map(String::as_str));
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.commit.chars().take(10).collect(),
                r.date.chars().take(10).collect(),
                date_or(r.status_date, "-"),
            ];
            if calibrated {
                row.push(
                    r.calibration
                        .as_ref()
                        .map_or("-".into(), |c| format!("x{:.2} ({})", c.factor, c.tasks)),
                );
            }
            for id in &ids {
                let cell = match (r.milestones.iter().find(|m| &m.id == id), &r.error) {
                    (_, Some(_)) => "error".to_string(),
                    (None, None) => "-".to_string(),
                    (Some(m), None) => {
                        let first = m.scheduled.unwrap_or(m.cpm_finish).to_string();
                        let cell = match m.p80 {
                            Some(p80) => format!("{first} / {p80}"),
                            None => first,
                        };
                        match (calibrated, m.calibrated_p80) {
                            (true, Some(c)) => format!("{cell} / {c}"),
                            (true, None) => format!("{cell} / -"),
                            (false, _) => cell,
                        }
                    }
                };
                row.push(cell);
            }
            row
        })
        .collect();
    text_table(&mut out, &headers, &table_rows);
    for r in rows {
        let short: String = r.commit.chars().take(10).collect();
        if let Some(e) = &r.error {
            let first = e.lines().next().unwrap_or("");
            let _ = writeln!(out, "  {short}: {first}");
        }
        if let Some(n) = &r.note {
            let _ = writeln!(out, "  {short}: note: {n}");
        }
    }
    if calibrated {
        hindsight_section(&mut out, rows);
    }
    out
}

/// How the earlier versions' plain and calibrated P50s did against the newest version's.
fn hindsight_section(out: &mut String, rows: &[TrendRow]) {
    let found = hindsight(rows);
    if found.is_empty() {
        let _ = writeln!(
            out,
            "\nHow calibrated forecasts would have done: no earlier version has a calibrated P50"
        );
        return;
    }
    let _ = writeln!(
        out,
        "\nHow calibrated forecasts would have done: earlier versions' P50 against the newest version's (calendar days; bias + = later, - = too early)"
    );
    let days = |x: f64| format!("{x:+.1}");
    let table_rows: Vec<Vec<String>> = found
        .iter()
        .map(|h| {
            vec![
                h.id.clone(),
                h.reference.to_string(),
                h.versions.to_string(),
                days(h.bias),
                format!("{:.1}", h.error),
                days(h.calibrated_bias),
                format!("{:.1}", h.calibrated_error),
            ]
        })
        .collect();
    text_table(
        out,
        &[
            "Milestone",
            "Newest P50",
            ">Versions",
            ">P50 bias",
            ">P50 |error|",
            ">Calibrated bias",
            ">Calibrated |error|",
        ],
        &table_rows,
    );
}

/// Renders a milestone trend (`Format::Markdown` gives the table).
pub fn render_history(rows: &[TrendRow], format: Format, calibrated: bool) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(rows).expect("serializable") + "\n",
        Format::Csv => history_csv(rows, calibrated),
        Format::Table | Format::Markdown => history_table(rows, calibrated),
    }
}

/// A baseline file's text.
pub fn render_baseline(baseline: &Baseline) -> String {
    serde_json::to_string_pretty(baseline).expect("serializable") + "\n"
}

fn variance_rows(cmp: &BaselineComparison) -> Vec<Vec<String>> {
    cmp.tasks
        .iter()
        .chain(&cmp.milestones)
        .map(|v: &Variance| {
            vec![
                v.id.clone(),
                v.baseline_start.to_string(),
                v.baseline_finish.to_string(),
                v.start.to_string(),
                v.finish.to_string(),
                signed(v.start_variance),
                signed(v.finish_variance),
            ]
        })
        .collect()
}

const VARIANCE_HEADERS: [&str; 7] = [
    "ID",
    "Base start",
    "Base finish",
    "Start",
    "Finish",
    ">Start var",
    ">Finish var",
];

fn baseline_heading(cmp: &BaselineComparison) -> String {
    let mut text = format!(
        "Against the baseline of {} (variance in working days; + = later than the baseline)",
        cmp.status_date
    );
    if !cmp.matches_model {
        text.push_str(" · taken from another model text: matched by id");
    }
    text
}

fn unmatched_lines(cmp: &BaselineComparison) -> Vec<String> {
    let mut lines = Vec::new();
    if !cmp.only_in_baseline.is_empty() {
        lines.push(format!(
            "Only in the baseline: {}",
            cmp.only_in_baseline.join(", ")
        ));
    }
    if !cmp.only_in_model.is_empty() {
        lines.push(format!(
            "Not in the baseline: {}",
            cmp.only_in_model.join(", ")
        ));
    }
    lines
}

/// The section `--baseline` adds under a table or Markdown output.
pub fn baseline_section(cmp: &BaselineComparison, format: Format) -> String {
    let mut out = String::new();
    let rows = variance_rows(cmp);
    if format == Format::Markdown {
        let _ = writeln!(out, "\n### {}\n", cell(&baseline_heading(cmp)));
        out.push_str(&table(&VARIANCE_HEADERS, &rows));
        for line in unmatched_lines(cmp) {
            let _ = writeln!(out, "\n{}", cell(&line));
        }
    } else {
        let _ = writeln!(out, "\n{}", baseline_heading(cmp));
        text_table(&mut out, &VARIANCE_HEADERS, &rows);
        for line in unmatched_lines(cmp) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

fn add_row_fields(rows: Option<&mut Value>, cmp: &BaselineComparison) {
    let Some(Value::Array(rows)) = rows else {
        return;
    };
    for row in rows {
        let Some(obj) = row.as_object_mut() else {
            continue;
        };
        let v = obj
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| cmp.variance(id));
        let fields = match v {
            Some(v) => json!({
                "baseline_start": v.baseline_start.to_string(),
                "baseline_finish": v.baseline_finish.to_string(),
                "start_variance": v.start_variance,
                "finish_variance": v.finish_variance,
            }),
            None => json!({
                "baseline_start": null,
                "baseline_finish": null,
                "start_variance": null,
                "finish_variance": null,
            }),
        };
        if let Value::Object(fields) = fields {
            obj.extend(fields);
        }
    }
}

/// A report's JSON (`critical-path` or `schedule`, with `tasks` and `milestones` arrays of
/// rows with an `id`) with the baseline added: `baseline_start`, `baseline_finish`,
/// `start_variance` and `finish_variance` on every row (`null` when not in the baseline) and
/// a top-level `baseline` object. Existing fields are left as they are.
pub fn with_baseline_json(report: &impl serde::Serialize, cmp: &BaselineComparison) -> String {
    let mut value = serde_json::to_value(report).expect("serializable");
    add_row_fields(value.get_mut("tasks"), cmp);
    add_row_fields(value.get_mut("milestones"), cmp);
    if let Value::Object(obj) = &mut value {
        obj.insert(
            "baseline".to_string(),
            json!({
                "model_hash": cmp.model_hash,
                "matches_model": cmp.matches_model,
                "status_date": cmp.status_date.to_string(),
                "scenario": cmp.scenario,
                "source": cmp.source,
                "only_in_baseline": cmp.only_in_baseline,
                "only_in_model": cmp.only_in_model,
            }),
        );
    }
    serde_json::to_string_pretty(&value).expect("serializable") + "\n"
}
