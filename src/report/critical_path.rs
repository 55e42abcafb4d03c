//! The `critical-path` result: JSON/CSV records and the terminal table.

use super::markdown::{cell, table};
use super::{days, fit, round, Format};
use crate::calendar::WorkCalendar;
use crate::cpm::ProgramCpm;
use crate::graph::NodeKind;
use crate::model::{DateConstraint, Deadline, EstimateChoice, Model};
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// The whole result, as the JSON contract spells it. Its task rows borrow their ids and
/// names from the model: a million tasks are not copied again.
#[derive(Debug, Serialize)]
pub struct CriticalPathReport<'m> {
    /// Project name.
    pub project: String,
    /// Project start (day 0).
    pub start: String,
    /// The status date: work before it is the past, nothing unfinished starts before it.
    pub status_date: String,
    /// Which estimate was used.
    pub estimate: String,
    /// Working days from the start to the last finish.
    pub duration: f64,
    /// The last working day of the project.
    pub finish_date: String,
    /// Ids along the critical path, first to last.
    pub critical_path: Vec<String>,
    /// Every task.
    pub tasks: Vec<TaskRow<'m>>,
    /// Every milestone.
    pub milestones: Vec<MilestoneRow>,
    /// The critical path as graph nodes: tasks are rows `0..tasks`, milestones the nodes after.
    #[serde(skip)]
    path: Vec<usize>,
}

/// One task's dates in working days from the start.
#[derive(Debug, Serialize)]
pub struct TaskRow<'m> {
    /// Task id.
    pub id: &'m str,
    /// Task name.
    pub name: &'m str,
    /// Phase id, if any.
    pub phase: Option<&'m str>,
    /// Remaining duration used.
    pub duration: f64,
    /// Earliest start.
    pub early_start: f64,
    /// Earliest finish.
    pub early_finish: f64,
    /// Latest start.
    pub late_start: f64,
    /// Latest finish.
    pub late_finish: f64,
    /// Total float.
    pub total_float: f64,
    /// Free float.
    pub free_float: f64,
    /// Zero total float.
    pub critical: bool,
    /// Date of the earliest start (written YYYY-MM-DD).
    #[serde(serialize_with = "as_text")]
    pub early_start_date: Date,
    /// Date of the earliest finish (written YYYY-MM-DD).
    #[serde(serialize_with = "as_text")]
    pub early_finish_date: Date,
    /// The task's date constraint and what it did, if it has one (boxed, as the next ones:
    /// few tasks have them, and a million rows stay small).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<Box<ConstraintRow>>,
    /// The task's deadline and its lateness, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Box<DeadlineRow>>,
    /// The day work began, if it has (written YYYY-MM-DD).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "maybe_text")]
    pub actual_start: Option<Date>,
    /// The day work ended, if it has (the task is done).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "maybe_text")]
    pub actual_finish: Option<Date>,
}

/// A date constraint as the pass honoured it.
#[derive(Debug, Serialize)]
pub struct ConstraintRow {
    /// The model key: `start_no_earlier`, `must_finish_on`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Its date.
    pub date: String,
    /// Predecessors whose links the constraint breaks (MS Project's default: the constraint
    /// wins over the link); empty when the logic agrees with it.
    pub breaks: Vec<String>,
}

/// A deadline against the early finish.
#[derive(Debug, Serialize)]
pub struct DeadlineRow {
    /// The date.
    pub date: String,
    /// Working days the early finish lies past it (0 when on time).
    pub late_days: f64,
}

/// One milestone against its due date.
#[derive(Debug, Serialize)]
pub struct MilestoneRow {
    /// Milestone id.
    pub id: String,
    /// Milestone name.
    pub name: String,
    /// Due date, if promised.
    pub due: Option<String>,
    /// Earliest finish in working days.
    pub early_finish: f64,
    /// Date of the earliest finish.
    pub early_finish_date: String,
    /// Working days between the earliest finish and the due date (negative when late).
    pub slack: Option<f64>,
    /// Total float: negative when a deadline, a constraint or the due date cannot be met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_float: Option<f64>,
    /// The milestone's date constraint, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<ConstraintRow>,
    /// The milestone's deadline and its lateness, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DeadlineRow>,
}

/// A date as its text, as `Date`'s `Display` writes it.
fn as_text<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

/// A date, if any, as its text.
fn maybe_text<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

impl<'m> CriticalPathReport<'m> {
    /// Tasks with work left, not on the critical path, with total float up to `near` days:
    /// least float first, then earliest start.
    pub fn near_critical(&self, near: f64) -> Vec<&TaskRow<'m>> {
        let on_path = self.on_path();
        let mut rows: Vec<&TaskRow<'m>> = self
            .tasks
            .iter()
            .filter(|t| t.duration > 0.0 && t.total_float <= near && !on_path.contains(t.id))
            .collect();
        rows.sort_by(|a, b| {
            a.total_float
                .total_cmp(&b.total_float)
                .then(a.early_start.total_cmp(&b.early_start))
        });
        rows
    }

    /// The least and the greatest total float along the critical path (its tasks with work
    /// left and its dated milestones); `None` when none of them has a float to show.
    pub fn path_float_range(&self) -> Option<(f64, f64)> {
        let n = self.tasks.len();
        self.path
            .iter()
            .filter_map(|&node| match node.checked_sub(n) {
                None => self.tasks.get(node).and_then(Self::task_float),
                Some(m) => self.milestones.get(m).and_then(|m| m.total_float),
            })
            .fold(None, |range, f| match range {
                None => Some((f, f)),
                Some((lo, hi)) => Some((f64::min(lo, f), f64::max(hi, f))),
            })
    }

    /// The least total float of the program when it is below zero (a date constraint or a
    /// deadline the logic does not allow), with the ids that have it, in model order. This
    /// is the most critical work; it need not lie on the chain that sets the finish.
    pub fn negative_float(&self) -> Option<(f64, Vec<&str>)> {
        let least = self.floats().map(|(_, f)| f).fold(f64::INFINITY, f64::min);
        if least >= 0.0 {
            return None;
        }
        let ids = self
            .floats()
            .filter(|&(_, f)| f == least)
            .map(|(id, _)| id)
            .collect();
        Some((least, ids))
    }

    /// The ids on the critical path.
    fn on_path(&self) -> HashSet<&str> {
        self.critical_path.iter().map(String::as_str).collect()
    }

    /// The task and milestone rows of the critical path by id: the path is short, the
    /// tasks may be a million, so only the rows on it are kept.
    fn path_rows(&self) -> (HashMap<&str, &TaskRow<'m>>, HashMap<&str, &MilestoneRow>) {
        let (mut tasks, mut milestones) = (HashMap::new(), HashMap::new());
        for &node in &self.path {
            match node.checked_sub(self.tasks.len()) {
                None => {
                    if let Some(t) = self.tasks.get(node) {
                        tasks.insert(t.id, t);
                    }
                }
                Some(m) => {
                    if let Some(m) = self.milestones.get(m) {
                        milestones.insert(m.id.as_str(), m);
                    }
                }
            }
        }
        (tasks, milestones)
    }

    /// A task's float when it is reported: it has work left.
    fn task_float(t: &TaskRow<'_>) -> Option<f64> {
        (t.duration > 0.0).then_some(t.total_float)
    }

    /// Each task with work left and each milestone whose float is reported, with that float.
    fn floats(&self) -> impl Iterator<Item = (&str, f64)> {
        let tasks = self
            .tasks
            .iter()
            .filter_map(|t| Self::task_float(t).map(|f| (t.id, f)));
        let milestones = self
            .milestones
            .iter()
            .filter_map(|m| m.total_float.map(|f| (m.id.as_str(), f)));
        tasks.chain(milestones)
    }
}

/// Builds the report from a CPM pass over `model`.
pub fn build<'m>(
    model: &'m Model,
    result: &ProgramCpm,
    choice: EstimateChoice,
) -> CriticalPathReport<'m> {
    let mut cal = model.work_calendar();
    let cpm = &result.cpm;
    let g = &result.graph;
    let breaks = breaks_by_successor(result);
    let mut tasks = Vec::with_capacity(model.tasks.len());
    let mut milestones = Vec::with_capacity(model.milestones.len());
    for (node, kind) in g.kinds.iter().enumerate() {
        match *kind {
            NodeKind::Task(t) => {
                let task = &model.tasks[t];
                if let Some(row) = finished_row(task, &mut cal) {
                    tasks.push(row);
                    continue;
                }
                tasks.push(TaskRow {
                    id: &task.id,
                    name: &task.name,
                    phase: task.phase.as_deref(),
                    duration: round(result.durations[node]),
                    early_start: round(cpm.early_start[node]),
                    early_finish: round(cpm.early_finish[node]),
                    late_start: round(cpm.late_start[node]),
                    late_finish: round(cpm.late_finish[node]),
                    total_float: round(cpm.total_float[node]),
                    free_float: round(cpm.free_float[node]),
                    // Finished work is the past: it drives nothing any more.
                    critical: cpm.is_critical(node) && task.done < 1.0,
                    early_start_date: cal.start_date(cpm.early_start[node]),
                    early_finish_date: cal.finish_date(cpm.early_finish[node]),
                    constraint: constraint_row(task.constraint.as_ref(), result, &breaks, node)
                        .map(Box::new),
                    deadline: deadline_row(task.deadline.as_ref(), result, node).map(Box::new),
                    actual_start: task.actual_start.as_ref().map(|d| d.date),
                    actual_finish: task.actual_finish.as_ref().map(|d| d.date),
                });
            }
            NodeKind::Milestone(m) => {
                let ms = &model.milestones[m];
                let ef = cpm.early_finish[node];
                milestones.push(MilestoneRow {
                    id: ms.id.clone(),
                    name: ms.name.clone(),
                    due: ms.due.map(|d| d.to_string()),
                    early_finish: round(ef),
                    early_finish_date: cal.finish_date(ef).to_string(),
                    slack: ms.due.map(|d| round(cal.deadline(d) as f64 - ef)),
                    total_float: (ms.constraint.is_some() || ms.deadline.is_some())
                        .then(|| round(cpm.total_float[node])),
                    constraint: constraint_row(ms.constraint.as_ref(), result, &breaks, node),
                    deadline: deadline_row(ms.deadline.as_ref(), result, node),
                });
            }
        }
    }
    CriticalPathReport {
        project: model.project.name.clone(),
        start: model.project.start.to_string(),
        status_date: model.project.status_date.to_string(),
        estimate: format!("{choice:?}").to_lowercase(),
        duration: round(cpm.duration),
        finish_date: cal.finish_date(cpm.duration).to_string(),
        critical_path: cpm
            .critical_path
            .iter()
            .map(|&i| g.ids[i].clone())
            .collect(),
        tasks,
        milestones,
        path: cpm.critical_path.clone(),
    }
}

/// A finished task where it happened: its actual dates as early and late dates, no float,
/// nothing left, not critical (the past drives nothing).
fn finished_row<'m>(task: &'m crate::model::Task, cal: &mut WorkCalendar) -> Option<TaskRow<'m>> {
    let (s, f) = (task.actual_start.as_ref()?, task.actual_finish.as_ref()?);
    let start = crate::cpm::start_time(cal, s.date);
    let finish = crate::cpm::finish_time(cal, f.date).max(start);
    Some(TaskRow {
        id: &task.id,
        name: &task.name,
        phase: task.phase.as_deref(),
        duration: 0.0,
        early_start: start,
        early_finish: finish,
        late_start: start,
        late_finish: finish,
        total_float: 0.0,
        free_float: 0.0,
        critical: false,
        early_start_date: s.date,
        early_finish_date: f.date,
        constraint: None,
        deadline: None,
        actual_start: Some(s.date),
        actual_finish: Some(f.date),
    })
}

/// For each node, the links into it that a hard constraint breaks, in the order CPM found
/// them: one pass over them all, so a model full of constraints is not scanned once per
/// constrained task.
fn breaks_by_successor(result: &ProgramCpm) -> Vec<Vec<usize>> {
    let mut breaks = vec![Vec::new(); result.graph.ids.len()];
    for &(pred, succ) in &result.cpm.broken_links {
        if let Some(into) = breaks.get_mut(succ) {
            into.push(pred);
        }
    }
    breaks
}

fn constraint_row(
    constraint: Option<&DateConstraint>,
    result: &ProgramCpm,
    breaks: &[Vec<usize>],
    node: usize,
) -> Option<ConstraintRow> {
    let c = constraint?;
    let breaks = breaks
        .get(node)
        .into_iter()
        .flatten()
        .map(|&pred| result.graph.ids[pred].clone())
        .collect();
    Some(ConstraintRow {
        kind: c.kind.key().to_string(),
        date: c.date.to_string(),
        breaks,
    })
}

fn deadline_row(
    deadline: Option<&Deadline>,
    result: &ProgramCpm,
    node: usize,
) -> Option<DeadlineRow> {
    let d = deadline?;
    let due = result.windows.deadline[node]?;
    Some(DeadlineRow {
        date: d.date.to_string(),
        late_days: round((result.cpm.early_finish[node] - due).max(0.0)),
    })
}

/// Renders the report.
///
/// # Example
///
/// ```
/// use plan::model::{parse_model, EstimateChoice};
/// use plan::report::{critical_path, Format};
/// use std::path::Path;
///
/// // `model`: the tiny model of `plan::cpm::analyze_model`'s example, where A (3 days)
/// // then B (4 days) is the critical path and C (2 days) runs beside them.
/// # let text = r#"
/// # [project]
/// # name = "Tiny"
/// # start = 2025-09-15
/// # [roles.dev]
/// # [[task]]
/// # id = "A"
/// # duration = 3
/// # demand = { dev = 1 }
/// # [[task]]
/// # id = "B"
/// # after = ["A"]
/// # duration = 4
/// # demand = { dev = 1 }
/// # [[task]]
/// # id = "C"
/// # duration = 2
/// # demand = { dev = 1 }
/// # "#;
/// # let model = parse_model(text, Path::new("tiny.toml")).unwrap();
/// let cpm = plan::cpm::analyze_model(&model, EstimateChoice::Likely);
/// let report = critical_path::build(&model, &cpm, EstimateChoice::Likely);
/// let json: serde_json::Value =
///     serde_json::from_str(&critical_path::render(&report, Format::Json, 0.0)).unwrap();
/// assert_eq!(json["critical_path"], serde_json::json!(["A", "B"]));
/// assert_eq!(json["duration"], 7.0);
/// let table = critical_path::render(&report, Format::Table, 0.0);
/// assert!(table.contains("Tiny"), "{table}");
/// ```
pub fn render(report: &CriticalPathReport<'_>, format: Format, near: f64) -> String {
    match format {
        Format::Json => {
            let mut out = Vec::new();
            write_json(report, &mut out).expect("in memory");
            String::from_utf8(out).expect("JSON is UTF-8")
        }
        Format::Csv => render_csv(report),
        Format::Table => render_table(report, near),
        Format::Markdown => markdown(report, near),
    }
}

/// Writes the report as [`render`] writes it in JSON, straight to `out`: a million tasks
/// are hundreds of megabytes of JSON, not worth holding as one string.
pub fn write_json(
    report: &CriticalPathReport<'_>,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")
}

fn render_csv(report: &CriticalPathReport<'_>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "kind",
        "id",
        "name",
        "duration",
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float",
        "free_float",
        "critical",
        "early_start_date",
        "early_finish_date",
        "due",
        "slack",
    ];
    w.write_record(header).expect("in memory");
    for t in &report.tasks {
        w.write_record([
            "task".to_string(),
            t.id.to_string(),
            t.name.to_string(),
            t.duration.to_string(),
            t.early_start.to_string(),
            t.early_finish.to_string(),
            t.late_start.to_string(),
            t.late_finish.to_string(),
            t.total_float.to_string(),
            t.free_float.to_string(),
            t.critical.to_string(),
            t.early_start_date.to_string(),
            t.early_finish_date.to_string(),
            String::new(),
            String::new(),
        ])
        .expect("in memory");
    }
    for m in &report.milestones {
        let ef = m.early_finish.to_string();
        w.write_record([
            "milestone".to_string(),
            m.id.clone(),
            m.name.clone(),
            "0".into(),
            ef.clone(),
            ef.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            m.early_finish_date.clone(),
            m.early_finish_date.clone(),
            m.due.clone().unwrap_or_default(),
            m.slack.map_or(String::new(), |s| s.to_string()),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
}

const NAME_WIDTH: usize = 40;

fn task_line(out: &mut String, t: &TaskRow<'_>) {
    let _ = writeln!(
        out,
        "  {:<14} {:<w$} {:>10} {:>10} {:>6} {:>6}",
        fit(t.id, 14),
        fit(t.name, NAME_WIDTH),
        t.early_start_date.to_string(),
        t.early_finish_date.to_string(),
        days(t.duration),
        days(t.total_float),
        w = NAME_WIDTH
    );
}

fn task_header(out: &mut String) {
    let _ = writeln!(
        out,
        "  {:<14} {:<w$} {:>10} {:>10} {:>6} {:>6}",
        "ID",
        "Task",
        "Start",
        "Finish",
        "Days",
        "Float",
        w = NAME_WIDTH
    );
}

fn render_table(report: &CriticalPathReport<'_>, near: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.project);
    let _ = writeln!(
        out,
        "Status date {} · finish {} · {} working days ({} estimates, unlimited people)",
        report.status_date,
        report.finish_date,
        days(report.duration),
        report.estimate
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Critical path ({} steps, {}; each drives the next)",
        report.critical_path.len(),
        path_float_words(report)
    );
    if let Some(note) = negative_float_note(report) {
        let _ = writeln!(out, "{note} (see \"Date constraints and deadlines\" below)");
    }
    task_header(&mut out);
    let (tasks, milestones) = report.path_rows();
    for id in &report.critical_path {
        if let Some(t) = tasks.get(id.as_str()) {
            task_line(&mut out, t);
        } else if let Some(m) = milestones.get(id.as_str()) {
            let name = format!("◆ {}", m.name);
            let _ = writeln!(
                out,
                "  {:<14} {:<w$} {:>10} {:>10} {:>6} {:>6}",
                fit(&m.id, 14),
                fit(&name, NAME_WIDTH),
                "",
                m.early_finish_date,
                "",
                "0",
                w = NAME_WIDTH
            );
        }
    }
    let near_rows = report.near_critical(near);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Near-critical work (float ≤ {} days, not on the path above): {} tasks",
        days(near),
        near_rows.len()
    );
    if !near_rows.is_empty() {
        task_header(&mut out);
        for t in near_rows {
            task_line(&mut out, t);
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Milestones (slack in working days; negative = late)");
    let _ = writeln!(
        out,
        "  {:<12} {:<40} {:>10} {:>12} {:>7}",
        "ID", "Milestone", "Due", "Early finish", "Slack"
    );
    for m in &report.milestones {
        let slack = m.slack.map_or("-".into(), |s| {
            let tag = if s < 0.0 { " LATE" } else { "" };
            format!("{}{tag}", days(s))
        });
        let _ = writeln!(
            out,
            "  {:<12} {:<40} {:>10} {:>12} {:>7}",
            fit(&m.id, 12),
            fit(&m.name, 40),
            m.due.as_deref().unwrap_or("-"),
            m.early_finish_date,
            slack
        );
    }
    constraints_table(&mut out, report);
    progress_table(&mut out, report);
    out
}

/// The float along the critical path in words: zero, as on a plan whose dates all fit, or the
/// range it spans when a constraint or deadline pulls it below zero.
fn path_float_words(report: &CriticalPathReport<'_>) -> String {
    match report.path_float_range() {
        Some((lo, hi)) if lo < 0.0 || hi > 0.0 => {
            format!("float {} to {}", days(lo), days(hi))
        }
        _ => "zero float".into(),
    }
}

/// Most ids the negative-float note names; the rest are counted.
const NEGATIVE_FLOAT_IDS: usize = 4;

/// The program's least float when it is negative: the most critical work, which the chain
/// that sets the finish may not contain.
fn negative_float_note(report: &CriticalPathReport<'_>) -> Option<String> {
    let (least, ids) = report.negative_float()?;
    let mut named = ids
        .iter()
        .take(NEGATIVE_FLOAT_IDS)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > NEGATIVE_FLOAT_IDS {
        let _ = write!(named, " and {} more", ids.len() - NEGATIVE_FLOAT_IDS);
    }
    Some(format!(
        "Least float {} working days ({named}): the most critical work,\nbelow zero where a \
         date constraint or deadline cannot be met",
        days(least)
    ))
}

/// The work with actual dates: done (actual start and finish) or under way (resumes at the
/// status date).
fn progress_table(out: &mut String, report: &CriticalPathReport<'_>) {
    let rows: Vec<&TaskRow<'_>> = report
        .tasks
        .iter()
        .filter(|t| t.actual_start.is_some())
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Progress at the status date {}", report.status_date);
    for t in rows {
        let started = t.actual_start.map_or("-".into(), |d| d.to_string());
        let text = match &t.actual_finish {
            Some(f) => format!("done: {started} to {f}"),
            None => format!(
                "under way since {started}: {} days left, to {}",
                days(t.duration),
                t.early_finish_date
            ),
        };
        let _ = writeln!(out, "  {:<14} {text}", fit(t.id, 14));
    }
}

/// The tasks and milestones with a date constraint or a deadline: what each asks, the float
/// it leaves and the links a constraint breaks.
fn constraints_table(out: &mut String, report: &CriticalPathReport<'_>) {
    let tasks = report.tasks.iter().map(|t| {
        (
            t.id,
            t.constraint.as_deref(),
            t.deadline.as_deref(),
            Some(t.total_float),
        )
    });
    let milestones = report.milestones.iter().map(|m| {
        (
            m.id.as_str(),
            m.constraint.as_ref(),
            m.deadline.as_ref(),
            m.total_float,
        )
    });
    let rows: Vec<_> = tasks
        .chain(milestones)
        .filter(|(_, c, d, _)| c.is_some() || d.is_some())
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Date constraints and deadlines (float in working days; negative = cannot be met)"
    );
    for (id, constraint, deadline, float) in rows {
        let mut what = Vec::new();
        if let Some(c) = constraint {
            let mut text = format!("{} {}", c.kind, c.date);
            if !c.breaks.is_empty() {
                let _ = write!(text, " (breaks the link from {})", c.breaks.join(", "));
            }
            what.push(text);
        }
        if let Some(d) = deadline {
            let late = if d.late_days > 0.0 {
                format!(", {} days LATE", days(d.late_days))
            } else {
                String::new()
            };
            what.push(format!("deadline {}{late}", d.date));
        }
        let float = float.map_or("-".into(), days);
        let _ = writeln!(
            out,
            "  {:<14} float {:>6}  {}",
            fit(id, 14),
            float,
            what.join("; ")
        );
    }
}

/// `plan critical-path --format markdown`.
fn markdown(report: &CriticalPathReport<'_>, near: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", cell(&report.project));
    let _ = writeln!(
        out,
        "Status date {} · finish **{}** · {} working days ({} estimates, unlimited people)\n",
        report.status_date,
        report.finish_date,
        days(report.duration),
        report.estimate
    );
    let headers = ["ID", "Task", "Start", "Finish", ">Days", ">Float"];
    let _ = writeln!(out, "### Critical path\n");
    if let Some(note) = negative_float_note(report) {
        let _ = writeln!(out, "{note}\n");
    }
    let (tasks, milestones) = report.path_rows();
    let path_rows: Vec<Vec<String>> = report
        .critical_path
        .iter()
        .filter_map(|id| {
            if let Some(t) = tasks.get(id.as_str()) {
                Some(vec![
                    t.id.to_string(),
                    t.name.to_string(),
                    t.early_start_date.to_string(),
                    t.early_finish_date.to_string(),
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
                t.id.to_string(),
                t.name.to_string(),
                t.early_start_date.to_string(),
                t.early_finish_date.to_string(),
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
