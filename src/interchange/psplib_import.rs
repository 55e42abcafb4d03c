//! PSPLIB import: a single-mode instance (`.sm`) becomes a model with roles `R1..Rk`, one
//! fixed-duration task per real job (`J2`, `J3`, … after the file's job numbers), a milestone
//! `END` for the sink, and a team scenario with the resources' capacities.
//!
//! PSPLIB has no dates, so the project starts on a given Monday and works Monday to Friday:
//! day numbers of the instance and working days of the model are then the same.

use super::draft::{ModelDraft, RoleDraft, TaskDraft};
use crate::error::{Diagnostic, Diagnostics};
use crate::schedule::psplib::parse_sm;
use jiff::civil::Date;
use std::collections::BTreeSet;
use std::path::Path;

/// Reads a PSPLIB single-mode file into a model draft starting on `start`.
pub fn import(text: &str, file: &Path, start: Date) -> Result<ModelDraft, Diagnostics> {
    let problem = parse_sm(text).map_err(|e| {
        Diagnostic::new(file, "", e.detail())
            .at(Some((e.line(), 1)))
            .help(e.help())
    })?;
    let n = problem.activities.len();
    if problem.activities.iter().any(|a| a.modes.len() != 1) {
        return Err(Diagnostic::new(
            file,
            "",
            "multi-mode instances are not supported by the import",
        )
        .help("import a single-mode (.sm) instance")
        .into());
    }
    let roles = problem
        .resources
        .iter()
        .enumerate()
        .map(|(r, res)| RoleDraft {
            id: format!("R{}", r + 1),
            name: format!("Renewable resource R{}", r + 1),
            cost: None,
            team: res.capacity.final_units(),
            calendar: None,
        })
        .collect();
    let job_id = |j: usize| format!("J{}", j + 1);
    let is_source = |j: usize| j == 0 && problem.activities[j].preds.is_empty();
    let mut tasks = Vec::new();
    for (j, activity) in problem.activities.iter().enumerate() {
        if is_source(j) {
            continue;
        }
        let mode = &activity.modes[0];
        let sink = j == n - 1 && mode.duration == 0;
        let after = activity
            .preds
            .iter()
            .filter(|p| !is_source(p.pred))
            .map(|p| (job_id(p.pred), p.kind, f64::from(p.lag.max(0))))
            .collect();
        tasks.push(TaskDraft {
            id: if sink { "END".into() } else { job_id(j) },
            name: if sink {
                "All jobs done".into()
            } else {
                format!("Job {}", j + 1)
            },
            phase: None,
            after,
            duration: f64::from(mode.duration),
            demand: mode
                .demand
                .iter()
                .enumerate()
                .filter(|(_, &q)| q > 0)
                .map(|(r, &q)| (format!("R{}", r + 1), q))
                .collect(),
            done: 0.0,
            milestone: sink,
            due: None,
            estimate: None,
            status: None,
            dates: Default::default(),
            calendar: None,
        });
    }
    let stem = file
        .file_stem()
        .map_or("instance".into(), |s| s.to_string_lossy().into_owned());
    Ok(ModelDraft {
        source: format!(
            "Imported from {} (PSPLIB) by `plan import`: roles R1..R{} are its renewable\nresources, the team scenario holds their capacities; day numbers are working days.",
            file.display(),
            problem.resources.len()
        ),
        name: format!("PSPLIB {stem}"),
        start,
        workdays: [true, true, true, true, true, false, false],
        holidays: BTreeSet::new(),
        extra_workdays: Default::default(),
        hours: None,
        calendars: Vec::new(),
        roles,
        phases: Vec::new(),
        tasks,
        status_date: None,
    })
}
