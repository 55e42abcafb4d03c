//! Files other planning tools read and write.
//!
//! Export ([`mspdi::write`], [`tabular`]) turns a model and its checked resource-constrained
//! schedule into MS Project XML (MSPDI), JSON, CSV or a Mermaid gantt chart. Import
//! ([`mspdi_import`], [`xer_import`], [`psplib_import`], [`csv_import`]) turns an MSPDI, P6 XER,
//! PSPLIB or CSV file into a [`draft::ModelDraft`], which is written as a model file and
//! validated like any other.
//!
//! An import never reports its own output: [`import_files`] turns the draft into model and
//! scenario text and reads both back as `plan validate` would, before anything is written. A
//! problem with an imported task (a dependency cycle, a lag that is not a number) is reported
//! against the input file, at the line of the element the task came from, with advice for the
//! planning tool; only a problem outside every task is a bug of the writer.
//!
//! Exports describe the work left at the status date: a task's duration is the remaining
//! duration the schedule gives it (its crew decides it for effort-driven work), and its dates
//! are the schedule's. A round trip export → import therefore gives a model of fixed-duration
//! tasks whose demand is the crew the schedule chose, with the same links and lags.

pub mod csv_import;
pub mod draft;
pub mod mspdi;
pub mod mspdi_import;
pub mod psplib_import;
pub mod tabular;
pub mod xer_import;

use crate::calendar::WorkCalendar;
use crate::cpm::ProgramCpm;
use crate::error::{Diagnostic, Diagnostics};
use crate::graph::NodeKind;
use crate::model::{Model, Scenario};
use crate::resources::{capacity_steps, peak_units, Steps, UNITS_PER_PERSON};
use crate::timeline::Timeline;
use draft::{ModelDraft, NonFinite, Origins, TableLines, TaskNumber};
use jiff::civil::Date;
use std::cell::{RefCell, RefMut};
use std::path::Path;
use thiserror::Error;

/// What an export needs: the model, the team, the checked schedule's dates and crews and the
/// precedence-only critical path (to mark critical work). No export writes a task's drivers,
/// the driving chains or the weekly load, so a [`Timeline`] holds none of them.
pub struct ExportPlan<'a> {
    /// The model.
    pub model: &'a Model,
    /// The team's name.
    pub scenario: String,
    /// The checked schedule, dated.
    pub timeline: &'a Timeline<'a>,
    /// The most people each role ever has (team plus hires), indexed like `model.roles`.
    pub team_peak: Vec<u32>,
    /// Each role's capacity over time in units (part-timers, hires, leaves and absences).
    pub capacity: Vec<Steps>,
    /// What lies on the precedence-only critical path.
    critical: Critical,
    /// The grid's dates, extended as far as any date asked for: one calendar for the whole
    /// export, where a new one per task would walk from the start again for every date
    /// (quadratic in the program's length on large plans).
    grid: RefCell<WorkCalendar>,
}

/// The tasks and milestones with zero total float in the precedence-only pass, as one flag per
/// model task and milestone: taken from the pass before the search, so the pass need not be
/// kept through it.
#[derive(Debug, Clone)]
pub struct Critical {
    tasks: Vec<bool>,
    milestones: Vec<bool>,
}

impl Critical {
    /// The critical tasks and milestones of `cpm` on `model`.
    pub fn of(model: &Model, cpm: &ProgramCpm) -> Self {
        let mut tasks = vec![false; model.tasks.len()];
        let mut milestones = vec![false; model.milestones.len()];
        for (n, kind) in cpm.graph.kinds.iter().enumerate() {
            let flag = match *kind {
                NodeKind::Task(t) => tasks.get_mut(t),
                NodeKind::Milestone(m) => milestones.get_mut(m),
            };
            if let Some(flag) = flag {
                *flag = cpm.cpm.is_critical(n);
            }
        }
        Critical { tasks, milestones }
    }
}

impl<'a> ExportPlan<'a> {
    /// Collects what every export format needs.
    pub fn new(
        model: &'a Model,
        scenario: &Scenario,
        timeline: &'a Timeline<'a>,
        critical: Critical,
    ) -> Self {
        let capacity = capacity_steps(model, scenario);
        let team_peak = capacity
            .iter()
            .map(|s| peak_units(s).div_ceil(UNITS_PER_PERSON))
            .collect();
        ExportPlan {
            model,
            scenario: scenario.name.clone(),
            timeline,
            team_peak,
            capacity,
            critical,
            grid: RefCell::new(model.work_calendar()),
        }
    }

    /// Whether model task `t` is on the precedence-only critical path.
    pub fn task_is_critical(&self, t: usize) -> bool {
        self.critical.tasks.get(t).copied().unwrap_or(false)
    }

    /// Whether model milestone `m` is on the precedence-only critical path.
    pub fn milestone_is_critical(&self, m: usize) -> bool {
        self.critical.milestones.get(m).copied().unwrap_or(false)
    }

    /// The days of the schedule's grid anchored at the project start: the model's calendar,
    /// or with role and task calendars the days any of them works ([`Model::work_calendar`]).
    /// One calendar shared by the whole export: drop it before asking again.
    pub fn calendar(&self) -> RefMut<'_, WorkCalendar> {
        self.grid.borrow_mut()
    }
}

/// The date an instant at working-day time `t` falls on, and whether it is the start of that
/// day (08:00) or its end (17:00): zero-length work at `t > 0` sits at the end of day `t - 1`,
/// as MS Project places milestones.
pub fn instant(cal: &mut WorkCalendar, t: u32, starts_work: bool) -> (Date, bool) {
    if starts_work || t == 0 {
        (cal.date_of(t as usize), true)
    } else {
        (cal.date_of(t as usize - 1), false)
    }
}

/// The file an import read: its path and text, and where each task came from in it.
#[derive(Debug, Clone, Copy)]
pub struct ImportSource<'a> {
    /// The imported file, as given.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// Byte offsets of the elements tasks and milestones came from (empty when unknown).
    pub origins: &'a Origins,
}

/// The texts of an import, read back as a valid model and a valid scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFiles {
    /// The model file's text.
    pub model: String,
    /// The team scenario's text.
    pub scenario: String,
    /// What was changed to make the model valid, one line each, for the list of what was not
    /// carried over as it was.
    pub notes: Vec<String>,
}

/// An import that cannot be written.
#[derive(Debug, Error)]
pub enum ImportError {
    /// Problems in the imported file, each naming it, the element's line and what to do.
    #[error("{0}")]
    Input(Diagnostics),
    /// What the writer made of a draft does not read back: a bug in the writer.
    #[error("the imported {what} does not validate (nothing was written):\n{diagnostics}")]
    Unreadable {
        /// "model" or "team".
        what: &'static str,
        /// What the reader said.
        diagnostics: Diagnostics,
    },
}

/// The advice for every problem of an imported file: the fix belongs in the source plan.
const FIX_AT_SOURCE: &str = "then export the file again (nothing was written)";

/// The model and scenario texts of `draft`, checked as `plan validate` would check the files
/// at `model_path` and `scenario_path`. A milestone that comes after nothing becomes a
/// zero-length task first (see [`ModelDraft::anchor_milestones`]).
pub fn import_files(
    draft: &mut ModelDraft,
    source: &ImportSource<'_>,
    model_path: &Path,
    scenario_path: &Path,
) -> Result<ImportFiles, ImportError> {
    let mut notes = draft.anchor_milestones();
    notes.extend(draft.settle_calendars());
    let lines = LineStarts::new(source.text);
    let non_finite: Vec<Diagnostic> = draft
        .non_finite()
        .into_iter()
        .map(|n| non_finite_at_source(draft, source, &lines, &n))
        .collect();
    if !non_finite.is_empty() {
        return Err(ImportError::Input(Diagnostics(non_finite)));
    }
    let (model_text, tables) = draft.to_toml_with_lines();
    let model = crate::model::parse_model(&model_text, model_path)
        .map_err(|d| against_input(d, draft, source, &lines, &tables))?;
    let scenario_text = draft.scenario_toml(&format!("Team of {}", draft.name));
    crate::model::parse_scenario(&scenario_text, scenario_path, &model).map_err(|d| {
        ImportError::Unreadable {
            what: "team",
            diagnostics: d,
        }
    })?;
    Ok(ImportFiles {
        model: model_text,
        scenario: scenario_text,
        notes,
    })
}

/// A number TOML cannot hold, at the element it came from (the link's, for a lag).
fn non_finite_at_source(
    draft: &ModelDraft,
    source: &ImportSource<'_>,
    lines: &LineStarts,
    n: &NonFinite,
) -> Diagnostic {
    let t = &draft.tasks[n.task];
    let (what, link) = match n.number {
        TaskNumber::Duration => ("its duration".to_string(), None),
        TaskNumber::Done => ("its fraction complete".to_string(), None),
        TaskNumber::Lag(k) => {
            let pred = t.after.get(k).map_or("", |a| a.0.as_str());
            (
                format!("the lag of its link from {pred}"),
                source.origins.link(&t.id, pred),
            )
        }
    };
    let d = at_item(
        draft,
        source,
        lines,
        n.task,
        format!("{what} is {}, not a number", n.value),
    );
    match link {
        Some(offset) => d.at(Some(lines.line_col(offset))),
        None => d,
    }
    .help(format!(
        "give it a number in the planning tool; {FIX_AT_SOURCE}"
    ))
}

/// The model reader's problems, moved to the input file when each is about an imported task;
/// otherwise the writer is at fault.
fn against_input(
    found: Diagnostics,
    draft: &ModelDraft,
    source: &ImportSource<'_>,
    lines: &LineStarts,
    tables: &TableLines,
) -> ImportError {
    let mut moved = Vec::with_capacity(found.0.len());
    for d in &found.0 {
        let Some(task) = item_of(d, draft, tables) else {
            return ImportError::Unreadable {
                what: "model",
                diagnostics: found,
            };
        };
        let help = match &d.help {
            Some(h) => format!("{h} (in the planning tool); {FIX_AT_SOURCE}"),
            None => format!("fix it in the planning tool; {FIX_AT_SOURCE}"),
        };
        moved.push(at_item(draft, source, lines, task, d.message.clone()).help(help));
    }
    ImportError::Input(Diagnostics(moved))
}

/// The draft task a reader's problem is about: the table its line falls in, else the id
/// quoted in its key (`task "T3".after`).
fn item_of(d: &Diagnostic, draft: &ModelDraft, tables: &TableLines) -> Option<usize> {
    if let Some((line, _)) = d.location {
        let after = tables.partition_point(|&(start, _)| start <= line);
        return after.checked_sub(1).map(|k| tables[k].1);
    }
    let id = d.key.split('"').nth(1)?;
    draft.tasks.iter().position(|t| t.id == id)
}

/// A problem with draft task `task`, placed at the element it came from in the input.
fn at_item(
    draft: &ModelDraft,
    source: &ImportSource<'_>,
    lines: &LineStarts,
    task: usize,
    message: String,
) -> Diagnostic {
    let t = &draft.tasks[task];
    let kind = if t.milestone { "milestone" } else { "task" };
    Diagnostic::new(
        source.path,
        format!("{kind} {} \"{}\"", t.id, t.name),
        message,
    )
    .at(source
        .origins
        .of(&t.id)
        .map(|offset| lines.line_col(offset)))
}

/// Where each line of a text starts, so that many offsets are placed without rescanning it.
struct LineStarts<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineStarts { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, after: &str) -> draft::TaskDraft {
        draft::TaskDraft {
            id: id.into(),
            name: format!("Task {id}"),
            phase: None,
            after: vec![(after.into(), crate::graph::LinkType::FS, 0.0)],
            duration: 1.0,
            demand: vec![],
            done: 0.0,
            milestone: false,
            due: None,
            estimate: None,
            status: None,
            dates: Default::default(),
            calendar: None,
        }
    }

    fn cyclic() -> ModelDraft {
        ModelDraft {
            source: "test".into(),
            name: "cycle".into(),
            start: jiff::civil::date(2025, 9, 15),
            workdays: [true, true, true, true, true, false, false],
            holidays: std::collections::BTreeSet::new(),
            extra_workdays: Default::default(),
            hours: None,
            calendars: Vec::new(),
            roles: vec![],
            phases: vec![],
            tasks: vec![task("A", "B"), task("B", "A")],
            status_date: None,
        }
    }

    #[test]
    fn a_cycle_is_reported_against_the_input_with_or_without_origins() {
        let text = "<Project>\n  <Task>A</Task>\n  <Task>B</Task>\n</Project>\n";
        let mut origins = Origins::default();
        origins.insert("A", text.find("<Task>A").unwrap());
        for (origins, location) in [(Origins::default(), None), (origins, Some((2, 3)))] {
            let source = ImportSource {
                path: Path::new("in.xml"),
                text,
                origins: &origins,
            };
            let err = import_files(
                &mut cyclic(),
                &source,
                Path::new("m.toml"),
                Path::new("t.toml"),
            )
            .unwrap_err();
            let ImportError::Input(d) = err else {
                panic!("not an input error: {err}");
            };
            assert_eq!(d.0.len(), 1, "{d}");
            assert_eq!(d.0[0].file, Path::new("in.xml"));
            assert_eq!(d.0[0].location, location);
            assert!(d.0[0].key.contains("task A"), "{d}");
            assert!(d.0[0].message.contains("dependency cycle"), "{d}");
        }
    }

    #[test]
    fn line_starts_agree_with_line_col() {
        let text = "a\nbé\n\ncd";
        let lines = LineStarts::new(text);
        for offset in [0, 1, 2, 3, 5, 6, 7, 8, text.len()] {
            assert_eq!(
                lines.line_col(offset),
                crate::error::line_col(text, offset),
                "{offset}"
            );
        }
    }
}
