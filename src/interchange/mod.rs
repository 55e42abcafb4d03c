//! Files other planning tools read and write.
//!
//! Export ([`mspdi::write`], [`tabular`]) turns a model and its checked resource-constrained
//! schedule into MS Project XML (MSPDI), JSON, CSV or a Mermaid gantt chart. Import
//! ([`mspdi_import`], [`psplib_import`]) turns an MSPDI or PSPLIB file into a [`draft::ModelDraft`],
//! which is written as a model file and validated like any other.
//!
//! Exports describe the work left at the status date: a task's duration is the remaining
//! duration the schedule gives it (its crew decides it for effort-driven work), and its dates
//! are the schedule's. A round trip export → import therefore gives a model of fixed-duration
//! tasks whose demand is the crew the schedule chose, with the same links and lags.

pub mod draft;
pub mod mspdi;
pub mod mspdi_import;
pub mod psplib_import;
pub mod tabular;

use crate::calendar::WorkCalendar;
use crate::cpm::ProgramCpm;
use crate::model::{Model, Scenario};
use crate::resources::{capacity_steps, peak_units, UNITS_PER_PERSON};
use crate::timeline::DatedSchedule;
use jiff::civil::Date;
use std::collections::BTreeSet;

/// What an export needs: the model, the team, the checked schedule and the precedence-only
/// critical path (to mark critical work).
pub struct ExportPlan<'a> {
    /// The model.
    pub model: &'a Model,
    /// The team's name.
    pub scenario: String,
    /// The checked schedule, dated.
    pub schedule: &'a DatedSchedule,
    /// The most people each role ever has (team plus hires), indexed like `model.roles`.
    pub team_peak: Vec<u32>,
    /// Ids of the tasks and milestones with zero total float in the precedence-only pass.
    pub critical: BTreeSet<String>,
}

impl<'a> ExportPlan<'a> {
    /// Collects what every export format needs.
    pub fn new(
        model: &'a Model,
        scenario: &Scenario,
        schedule: &'a DatedSchedule,
        cpm: &ProgramCpm,
    ) -> Self {
        let team_peak = capacity_steps(model, scenario)
            .iter()
            .map(|s| peak_units(s).div_ceil(UNITS_PER_PERSON))
            .collect();
        let critical = (0..cpm.graph.ids.len())
            .filter(|&n| cpm.cpm.is_critical(n))
            .map(|n| cpm.graph.ids[n].clone())
            .collect();
        ExportPlan {
            model,
            scenario: scenario.name.clone(),
            schedule,
            team_peak,
            critical,
        }
    }

    /// The model's calendar anchored at its status date.
    pub fn calendar(&self) -> WorkCalendar {
        WorkCalendar::new(self.model.calendar.clone(), self.model.project.start)
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
