//! `validate`'s findings: what the model holds, and schedule-quality warnings of the DCMA-14
//! kind (open ends, high float, long durations, milestones without a due date).

use crate::cpm::ProgramCpm;
use crate::graph::NodeKind;
use crate::model::{Model, Scenario, Work};
use std::fmt::Write as _;

/// DCMA-14 treats float and durations above 44 working days (two months) as a planning smell.
pub const DCMA_LIMIT_DAYS: f64 = 44.0;

/// One warning: a check and the ids it found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Warning {
    /// Short name of the check.
    pub check: &'static str,
    /// What it means and what to do.
    pub message: String,
    /// Offending ids.
    pub ids: Vec<String>,
}

/// Runs the checks on a validated model and its CPM pass.
pub fn warnings(model: &Model, result: &ProgramCpm) -> Vec<Warning> {
    let g = &result.graph;
    let mut no_pred = Vec::new();
    let mut no_succ = Vec::new();
    let mut high_float = Vec::new();
    let mut long = Vec::new();
    for (node, kind) in g.kinds.iter().enumerate() {
        let NodeKind::Task(t) = *kind else { continue };
        let task = &model.tasks[t];
        if task.done >= 1.0 {
            continue;
        }
        if g.graph.preds(node).is_empty() {
            no_pred.push(task.id.clone());
        }
        if g.graph.succs(node).is_empty() {
            no_succ.push(task.id.clone());
        }
        if result.cpm.total_float[node] > DCMA_LIMIT_DAYS {
            high_float.push(format!(
                "{} ({}d)",
                task.id,
                super::days(result.cpm.total_float[node])
            ));
        }
        if result.durations[node] > DCMA_LIMIT_DAYS {
            long.push(format!(
                "{} ({}d)",
                task.id,
                super::days(result.durations[node])
            ));
        }
    }
    let no_due: Vec<String> = model
        .milestones
        .iter()
        .filter(|m| m.due.is_none())
        .map(|m| m.id.clone())
        .collect();
    let hard = hard_constraints(model);
    let broken: Vec<String> = result
        .cpm
        .broken_links
        .iter()
        .map(|&(p, s)| format!("{} -> {}", g.ids[p], g.ids[s]))
        .collect();
    let mut out = Vec::new();
    let mut add = |check, message: &str, ids: Vec<String>| {
        if !ids.is_empty() {
            out.push(Warning {
                check,
                message: message.to_string(),
                ids,
            });
        }
    };
    add("open start", "unfinished tasks with no predecessor: they can start at the status date; link them to what they wait for", no_pred);
    add(
        "open end",
        "unfinished tasks with no successor: their finish drives nothing; link them to a milestone",
        no_succ,
    );
    add(
        "high float",
        "float above 44 working days: a missing link is likely",
        high_float,
    );
    add(
        "long duration",
        "remaining duration above 44 working days: split the task so progress can be tracked",
        long,
    );
    add(
        "no due date",
        "milestones without a due date: nothing to measure them against",
        no_due,
    );
    add(
        "hard constraints",
        "start_no_later, finish_no_later, must_start_on or must_finish_on (DCMA's hard constraints): they override the logic; prefer a deadline, which shows lateness without moving the work",
        hard,
    );
    add(
        "broken links",
        "links a hard constraint breaks (the constraint wins, as in MS Project): the successor starts before its predecessor allows",
        broken,
    );
    out
}

/// Tasks and milestones whose constraint caps their dates, with the constraint named.
fn hard_constraints(model: &Model) -> Vec<String> {
    let tasks = model.tasks.iter().map(|t| (&t.id, &t.constraint));
    let milestones = model.milestones.iter().map(|m| (&m.id, &m.constraint));
    tasks
        .chain(milestones)
        .filter_map(|(id, c)| {
            let c = c.as_ref().filter(|c| c.kind.bounds_late())?;
            Some(format!("{id} ({} {})", c.kind.key(), c.date))
        })
        .collect()
}

/// The summary and warnings as `validate` prints them.
pub fn render(model: &Model, scenario: Option<&Scenario>, warnings: &[Warning]) -> String {
    let mut out = String::new();
    let effort_tasks = model
        .tasks
        .iter()
        .filter(|t| matches!(t.work, Work::Effort(_)))
        .count();
    let done = model.tasks.iter().filter(|t| t.done >= 1.0).count();
    let _ = writeln!(out, "{}: valid", model.file.display());
    let _ = writeln!(
        out,
        "  project     {} (status date {})",
        model.project.name, model.project.start
    );
    let _ = writeln!(
        out,
        "  tasks       {} ({} effort-driven, {} complete)",
        model.tasks.len(),
        effort_tasks,
        done
    );
    let _ = writeln!(out, "  phases      {}", model.phases.len());
    let _ = writeln!(out, "  milestones  {}", model.milestones.len());
    let roles: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    let _ = writeln!(out, "  roles       {} ({})", roles.len(), roles.join(", "));
    let _ = writeln!(out, "  risks       {}", model.risks.len());
    let _ = writeln!(out, "  holidays    {}", model.calendar.holidays.len());
    if !model.calendars.is_empty() {
        let ids: Vec<&str> = model.calendars.iter().map(|c| c.id.as_str()).collect();
        let _ = writeln!(out, "  calendars   {} ({})", ids.len(), ids.join(", "));
    }
    if !model.calendar.extra_workdays.is_empty() {
        let _ = writeln!(out, "  extra days  {}", model.calendar.extra_workdays.len());
    }
    if let Some(s) = scenario {
        let team: Vec<String> = model
            .roles
            .iter()
            .zip(&s.team)
            .map(|(r, n)| format!("{} {}", r.id, n))
            .collect();
        let _ = writeln!(out, "{}: valid", s.file.display());
        let _ = writeln!(out, "  scenario    {}", s.name);
        let _ = writeln!(out, "  team        {}", team.join(", "));
        let _ = writeln!(
            out,
            "  hires       {}",
            s.hires.iter().map(|h| h.count).sum::<u32>()
        );
        if !s.part_time.is_empty() {
            let part: Vec<String> = s
                .part_time
                .iter()
                .map(|p| {
                    format!(
                        "{} {} at {}",
                        p.count, model.roles[p.role].id, p.availability
                    )
                })
                .collect();
            let _ = writeln!(out, "  part-time   {}", part.join(", "));
        }
        if !s.absences.is_empty() {
            let _ = writeln!(out, "  absences    {}", s.absences.len());
        }
    }
    if warnings.is_empty() {
        let _ = writeln!(out, "no warnings");
    }
    for w in warnings {
        let _ = writeln!(out, "warning: {} ({}): {}", w.check, w.ids.len(), w.message);
        let _ = writeln!(out, "  {}", w.ids.join(", "));
    }
    out
}
