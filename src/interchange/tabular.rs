//! The model with its schedule as JSON, CSV and a Mermaid gantt chart.

use super::ExportPlan;
use crate::model::Dependency;
use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The JSON export: the project, roles with team sizes, and every task and milestone with its
/// links and scheduled dates.
#[derive(Debug, Serialize)]
pub struct PlanExport {
    /// Project name.
    pub project: String,
    /// Status date.
    #[serde(serialize_with = "crate::report::serialize_date")]
    pub start: Date,
    /// Scenario (team) name.
    pub scenario: String,
    /// Last working day of the schedule.
    #[serde(serialize_with = "crate::report::serialize_date")]
    pub finish_date: Date,
    /// Working days from the start to the finish.
    pub finish: u32,
    /// Roles with the most people each ever has.
    pub roles: Vec<RoleExport>,
    /// Tasks and milestones in the model's order (tasks first).
    pub items: Vec<ItemExport>,
}

/// One role.
#[derive(Debug, Serialize)]
pub struct RoleExport {
    /// Role id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Most people at once (team plus hires).
    pub max_people: u32,
}

/// A link to a predecessor.
#[derive(Debug, Serialize)]
pub struct LinkExport {
    /// Predecessor id.
    pub id: String,
    /// Working days from the predecessor's end to this item's end that `type` names;
    /// negative for a lead.
    pub lag: f64,
    /// The link type: "FS", "SS", "FF" or "SF".
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// A task or milestone with its schedule.
#[derive(Debug, Serialize)]
pub struct ItemExport {
    /// `task` or `milestone`.
    pub kind: &'static str,
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Phase id.
    pub phase: Option<String>,
    /// Finish-to-start predecessors.
    pub after: Vec<LinkExport>,
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
    pub crew: BTreeMap<String, u32>,
    /// Due date of a milestone.
    #[serde(serialize_with = "crate::report::serialize_opt_date")]
    pub due: Option<Date>,
    /// On the precedence-only critical path.
    pub critical: bool,
}

fn links(after: &[Dependency]) -> Vec<LinkExport> {
    after
        .iter()
        .map(|d| LinkExport {
            id: d.id.clone(),
            lag: d.lag,
            kind: d.kind.name(),
        })
        .collect()
}

/// The export's rows, shared by JSON and CSV.
pub fn build(plan: &ExportPlan) -> PlanExport {
    let model = plan.model;
    let s = plan.schedule;
    let task_rows: BTreeMap<&str, _> = s.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let milestone_rows: BTreeMap<&str, _> =
        s.milestones.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut items = Vec::new();
    for task in &model.tasks {
        let Some(row) = task_rows.get(task.id.as_str()) else {
            continue;
        };
        items.push(ItemExport {
            kind: "task",
            id: task.id.clone(),
            name: task.name.clone(),
            phase: task.phase.clone(),
            after: links(&task.after),
            duration: row.work_days,
            start: row.start,
            finish: row.finish,
            start_date: row.start_date,
            finish_date: row.finish_date,
            crew: row.crew.clone(),
            due: None,
            critical: plan.critical.contains(&task.id),
        });
    }
    for ms in &model.milestones {
        let Some(row) = milestone_rows.get(ms.id.as_str()) else {
            continue;
        };
        items.push(ItemExport {
            kind: "milestone",
            id: ms.id.clone(),
            name: ms.name.clone(),
            phase: None,
            after: links(&ms.after),
            duration: 0,
            start: row.finish,
            finish: row.finish,
            start_date: row.finish_date,
            finish_date: row.finish_date,
            crew: BTreeMap::new(),
            due: row.due,
            critical: plan.critical.contains(&ms.id),
        });
    }
    PlanExport {
        project: model.project.name.clone(),
        start: model.project.start,
        scenario: plan.scenario.clone(),
        finish_date: s.finish_date,
        finish: s.finish,
        roles: model
            .roles
            .iter()
            .zip(&plan.team_peak)
            .map(|(r, &n)| RoleExport {
                id: r.id.clone(),
                name: r.name.clone(),
                max_people: n,
            })
            .collect(),
        items,
    }
}

/// Pretty-printed JSON.
pub fn json(plan: &ExportPlan) -> String {
    serde_json::to_string_pretty(&build(plan)).expect("plain data serializes") + "\n"
}

/// One row per task or milestone; links as `ID` or `ID+lag`, crew as `2 backend; 1 qa`.
pub fn csv(plan: &ExportPlan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
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
    ])
    .expect("in memory");
    for item in build(plan).items {
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
            &item.id,
            &item.name,
            item.phase.as_deref().unwrap_or(""),
            &after.join(";"),
            &item.duration.to_string(),
            &item.start_date.to_string(),
            &item.finish_date.to_string(),
            &crew.join("; "),
            &item.due.map_or(String::new(), |d| d.to_string()),
            &item.critical.to_string(),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("csv writes UTF-8")
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
    let model = plan.model;
    let mut out = String::from("gantt\n");
    let _ = writeln!(out, "  title {}", mermaid_text(&model.project.name));
    let _ = writeln!(out, "  dateFormat YYYY-MM-DD");
    let excludes = excludes(plan);
    if !excludes.is_empty() {
        let _ = writeln!(out, "  excludes {}", excludes.join(", "));
    }
    let items = build(plan).items;
    let mut sections: Vec<(String, Option<String>)> = model
        .phases
        .iter()
        .map(|p| (p.name.clone(), Some(p.id.clone())))
        .collect();
    sections.push(("Other work".into(), None));
    for (title, phase) in &sections {
        let mut rows: Vec<&super::tabular::ItemExport> = items
            .iter()
            .filter(|i| i.kind == "task" && i.duration > 0 && &i.phase == phase)
            .filter(|i| {
                phase.is_some()
                    || i.phase
                        .as_ref()
                        .is_none_or(|p| !model.phases.iter().any(|ph| &ph.id == p))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|i| (i.start, i.finish));
        let _ = writeln!(out, "  section {}", mermaid_text(title));
        for i in rows {
            let tags = if i.critical { "crit, " } else { "" };
            // Mermaid bars end at the start of the end date: one day after the last working day.
            let end = i.finish_date.checked_add(1.day()).unwrap_or(i.finish_date);
            let _ = writeln!(
                out,
                "    {} :{tags}{}, {}, {}",
                mermaid_text(&i.name),
                mermaid_id(&i.id),
                i.start_date,
                end
            );
        }
    }
    let milestones: Vec<_> = items.iter().filter(|i| i.kind == "milestone").collect();
    if !milestones.is_empty() {
        let _ = writeln!(out, "  section Milestones");
        for m in milestones {
            let tags = if m.critical { "crit, " } else { "" };
            let _ = writeln!(
                out,
                "    {} :milestone, {tags}{}, {}, 0d",
                mermaid_text(&m.name),
                mermaid_id(&m.id),
                m.finish_date
            );
        }
    }
    out
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
