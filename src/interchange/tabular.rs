//! The model with its schedule as JSON, CSV and a Mermaid gantt chart.

use super::ExportPlan;
use crate::model::Dependency;
use crate::timeline::Crew;
use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

/// The JSON export: the project, roles with team sizes, and every task and milestone with its
/// links and scheduled dates. It borrows from the plan, and its items are made one at a time
/// as they are written: a large plan's export is never held whole.
#[derive(Serialize)]
pub struct PlanExport<'a> {
    /// Project name.
    pub project: &'a str,
    /// Status date.
    #[serde(serialize_with = "crate::report::serialize_date")]
    pub start: Date,
    /// Scenario (team) name.
    pub scenario: &'a str,
    /// Last working day of the schedule.
    #[serde(serialize_with = "crate::report::serialize_date")]
    pub finish_date: Date,
    /// Working days from the start to the finish.
    pub finish: u32,
    /// Roles with the most people each ever has.
    pub roles: Vec<RoleExport<'a>>,
    /// Tasks and milestones in the model's order (tasks first): [`items`].
    pub items: Items<'a>,
}

/// Every task and milestone of a plan, serialized as a sequence of [`ItemExport`].
pub struct Items<'a>(&'a ExportPlan<'a>);

impl Serialize for Items<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(items(self.0))
    }
}

/// One role.
#[derive(Debug, Serialize)]
pub struct RoleExport<'a> {
    /// Role id.
    pub id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Most people at once (team plus hires).
    pub max_people: u32,
}

/// A link to a predecessor.
#[derive(Debug, Serialize)]
pub struct LinkExport<'a> {
    /// Predecessor id.
    pub id: &'a str,
    /// Working days from the predecessor's end to this item's end that `type` names;
    /// negative for a lead.
    pub lag: f64,
    /// The link type: "FS", "SS", "FF" or "SF".
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// An item's links to its predecessors, serialized as a sequence of [`LinkExport`].
#[derive(Debug, Clone, Copy)]
pub struct Links<'a>(pub &'a [Dependency]);

impl<'a> Links<'a> {
    /// Each link as exported.
    pub fn iter(&self) -> impl Iterator<Item = LinkExport<'a>> + 'a {
        self.0.iter().map(|d| LinkExport {
            id: &d.id,
            lag: d.lag,
            kind: d.kind.name(),
        })
    }
}

impl Serialize for Links<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A task or milestone with its schedule.
#[derive(Debug, Serialize)]
pub struct ItemExport<'a> {
    /// `task` or `milestone`.
    pub kind: &'static str,
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Phase id.
    pub phase: Option<&'a str>,
    /// Finish-to-start predecessors.
    pub after: Links<'a>,
    /// Scheduled working days (remaining work), on the task's own calendars with role and
    /// task calendars (the days off them inside its span do not count).
    pub duration: u32,
    /// Start, working days from the status date (days of the grid, days any calendar works,
    /// with role and task calendars).
    pub start: u32,
    /// Finish, working days from the status date (grid days, as `start`).
    pub finish: u32,
    /// First working day (the milestone's date for milestones).
    #[serde(serialize_with = "crate::report::serialize_date")]
    pub start_date: Date,
    /// Last working day.
    #[serde(serialize_with = "crate::report::serialize_date")]
    pub finish_date: Date,
    /// People per role.
    pub crew: Crew<'a>,
    /// Due date of a milestone.
    #[serde(serialize_with = "crate::report::serialize_opt_date")]
    pub due: Option<Date>,
    /// On the precedence-only critical path.
    pub critical: bool,
}

/// The export's rows, shared by JSON, CSV and Mermaid: every scheduled task, then every
/// scheduled milestone, in the model's order, made one at a time.
pub fn items<'a>(plan: &'a ExportPlan<'a>) -> impl Iterator<Item = ItemExport<'a>> + 'a {
    let model = plan.model;
    let s = plan.timeline;
    let tasks = model.tasks.iter().enumerate().filter_map(move |(t, task)| {
        let row = s.task(t)?;
        Some(ItemExport {
            kind: "task",
            id: &task.id,
            name: &task.name,
            phase: task.phase.as_deref(),
            after: Links(&task.after),
            duration: row.work_days,
            start: row.start,
            finish: row.finish,
            start_date: row.start_date,
            finish_date: row.finish_date,
            crew: s.crew_of(t),
            due: None,
            critical: plan.task_is_critical(t),
        })
    });
    let milestones = model
        .milestones
        .iter()
        .enumerate()
        .filter_map(move |(m, ms)| {
            let row = s.milestone(m)?;
            Some(ItemExport {
                kind: "milestone",
                id: &ms.id,
                name: &ms.name,
                phase: None,
                after: Links(&ms.after),
                duration: 0,
                start: row.finish,
                finish: row.finish,
                start_date: row.finish_date,
                finish_date: row.finish_date,
                crew: Crew::NONE,
                due: row.due,
                critical: plan.milestone_is_critical(m),
            })
        });
    tasks.chain(milestones)
}

/// The JSON export of a plan (its items made as they are written).
pub fn build<'a>(plan: &'a ExportPlan<'a>) -> PlanExport<'a> {
    let model = plan.model;
    PlanExport {
        project: &model.project.name,
        start: model.project.start,
        scenario: &plan.scenario,
        finish_date: plan.timeline.finish_date,
        finish: plan.timeline.finish,
        roles: model
            .roles
            .iter()
            .zip(&plan.team_peak)
            .map(|(r, &n)| RoleExport {
                id: &r.id,
                name: &r.name,
                max_people: n,
            })
            .collect(),
        items: Items(plan),
    }
}

/// Pretty-printed JSON.
pub fn json(plan: &ExportPlan) -> String {
    String::from_utf8(in_memory(plan, json_to)).expect("serde_json writes UTF-8")
}

/// Pretty-printed JSON, streamed into `out`.
pub fn json_to(plan: &ExportPlan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(plan))?;
    out.write_all(b"\n")
}

/// What `write` writes, in memory.
fn in_memory(
    plan: &ExportPlan,
    write: impl FnOnce(&ExportPlan, &mut dyn Write) -> io::Result<()>,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    write(plan, &mut bytes).expect("writing to memory cannot fail");
    bytes
}

/// One row per task or milestone; links as `ID` or `ID+lag`, crew as `2 backend; 1 qa`.
pub fn csv(plan: &ExportPlan) -> String {
    String::from_utf8(in_memory(plan, csv_to)).expect("csv writes UTF-8")
}

/// The CSV export, streamed into `out`.
pub fn csv_to(plan: &ExportPlan, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "kind",
        "id",
        "name",
        "phase",
        "after",
        "duration",
        "start_date",
        "finish_date",
        "crew",
        "due",
        "critical",
    ])?;
    for item in items(plan) {
        let after: Vec<String> = item
            .after
            .iter()
            .map(|l| {
                // Finish-to-start links keep their old spelling; others name their type
                // after a colon, as in `A:SS+2`.
                let kind = if l.kind == "FS" {
                    String::new()
                } else {
                    format!(":{}", l.kind)
                };
                if l.lag == 0.0 {
                    format!("{}{kind}", l.id)
                } else if l.lag < 0.0 {
                    format!("{}{kind}{}", l.id, l.lag)
                } else {
                    format!("{}{kind}+{}", l.id, l.lag)
                }
            })
            .collect();
        let crew: Vec<String> = item.crew.iter().map(|(r, n)| format!("{n} {r}")).collect();
        w.write_record([
            item.kind,
            item.id,
            item.name,
            item.phase.unwrap_or(""),
            &after.join(";"),
            &item.duration.to_string(),
            &item.start_date.to_string(),
            &item.finish_date.to_string(),
            &crew.join("; "),
            &item.due.map_or(String::new(), |d| d.to_string()),
            &item.critical.to_string(),
        ])?;
    }
    w.flush()
}

/// Mermaid gantt task text may not contain `:`, `;` or `#` (they end or comment the line).
fn mermaid_text(s: &str) -> String {
    s.replace([':', ';', '#'], " ").replace('\n', " ")
}

/// Mermaid ids allow letters, digits and '_' only.
fn mermaid_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A Mermaid `gantt` of the schedule: one section per phase, critical work marked `crit`,
/// milestones as milestones, non-working weekdays and holidays excluded.
pub fn mermaid(plan: &ExportPlan) -> String {
    String::from_utf8(in_memory(plan, mermaid_to)).expect("the chart is UTF-8")
}

/// The Mermaid `gantt`, streamed into `out`.
pub fn mermaid_to(plan: &ExportPlan, out: &mut dyn Write) -> io::Result<()> {
    let model = plan.model;
    out.write_all(b"gantt\n")?;
    writeln!(out, "  title {}", mermaid_text(&model.project.name))?;
    writeln!(out, "  dateFormat YYYY-MM-DD")?;
    let excludes = excludes(plan);
    if !excludes.is_empty() {
        writeln!(out, "  excludes {}", excludes.join(", "))?;
    }
    // One section per phase, then "Other work" for tasks without a phase; work in a phase
    // the model does not have is in no section. Grouped in one pass, in the model's order.
    let section_of: HashMap<&str, usize> = model
        .phases
        .iter()
        .enumerate()
        .map(|(k, p)| (p.id.as_str(), k))
        .collect();
    let other = model.phases.len();
    let mut sections: Vec<Vec<Bar>> = (0..=other).map(|_| Vec::new()).collect();
    let mut milestones = Vec::new();
    for i in items(plan) {
        if i.kind == "milestone" {
            milestones.push(Bar::of(&i));
        } else if i.duration > 0 {
            let section = match i.phase {
                None => Some(other),
                Some(p) => section_of.get(p).copied(),
            };
            if let Some(k) = section {
                sections[k].push(Bar::of(&i));
            }
        }
    }
    let titles = model.phases.iter().map(|p| p.name.as_str());
    for (title, mut rows) in titles.chain(["Other work"]).zip(sections) {
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|b| (b.start, b.finish));
        writeln!(out, "  section {}", mermaid_text(title))?;
        for b in rows {
            let tags = if b.critical { "crit, " } else { "" };
            // Mermaid bars end at the start of the end date: one day after the last working day.
            let end = b.finish_date.checked_add(1.day()).unwrap_or(b.finish_date);
            writeln!(
                out,
                "    {} :{tags}{}, {}, {}",
                mermaid_text(b.name),
                mermaid_id(b.id),
                b.start_date,
                end
            )?;
        }
    }
    if !milestones.is_empty() {
        writeln!(out, "  section Milestones")?;
        for m in milestones {
            let tags = if m.critical { "crit, " } else { "" };
            writeln!(
                out,
                "    {} :milestone, {tags}{}, {}, 0d",
                mermaid_text(m.name),
                mermaid_id(m.id),
                m.finish_date
            )?;
        }
    }
    Ok(())
}

/// What a Mermaid bar shows of an item.
struct Bar<'a> {
    id: &'a str,
    name: &'a str,
    start: u32,
    finish: u32,
    start_date: Date,
    finish_date: Date,
    critical: bool,
}

impl<'a> Bar<'a> {
    fn of(i: &ItemExport<'a>) -> Self {
        Bar {
            id: i.id,
            name: i.name,
            start: i.start,
            finish: i.finish,
            start_date: i.start_date,
            finish_date: i.finish_date,
            critical: i.critical,
        }
    }
}

/// Mermaid `excludes`: `weekends` when Saturday and Sunday are off, other days off by name,
/// and holidays by date; with role and task calendars, only the days none of them works.
fn excludes(plan: &ExportPlan) -> Vec<String> {
    const NAMES: [&str; 7] = crate::calendar::WEEKDAY_NAMES;
    let grid = plan.model.grid_calendar();
    let cal = &grid;
    let mut out = Vec::new();
    let weekend_off = !cal.workdays[5] && !cal.workdays[6];
    if weekend_off {
        out.push("weekends".to_string());
    }
    for (d, name) in NAMES.iter().enumerate() {
        let covered_by_weekends = weekend_off && d >= 5;
        if !cal.workdays[d] && !covered_by_weekends {
            out.push(name.to_string());
        }
    }
    out.extend(cal.holidays.iter().map(|d| d.to_string()));
    out
}
