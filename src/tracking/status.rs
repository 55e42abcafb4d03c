//! What `plan status` reports: earned value and earned schedule against a baseline
//! ([`super::evm`]) and the milestones at risk, forecast later than they are due.

use super::answers::Answers;
use super::baseline::{BaselineComparison, DateSource};
use super::evm::EarnedValue;
use crate::calendar::WorkCalendar;
use crate::model::Model;
use crate::timeline::{serialize_date, serialize_opt_date};
use jiff::civil::Date;
use serde::Serialize;

/// Which date a milestone's forecast is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastSource {
    /// The team's checked schedule.
    Scheduled,
    /// The critical path with unlimited people (no team given).
    Cpm,
}

/// A milestone forecast, or simulated at P80, later than its due date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtRisk {
    /// Milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Due date.
    #[serde(serialize_with = "serialize_date")]
    pub due: Date,
    /// The forecast date: scheduled with a team, else CPM.
    #[serde(serialize_with = "serialize_date")]
    pub forecast: Date,
    /// Which date `forecast` is.
    pub forecast_source: ForecastSource,
    /// Working days the forecast is later than due (zero or less: only the P80 is late).
    pub late_by: i64,
    /// Simulated P80 (with a simulation).
    #[serde(serialize_with = "serialize_opt_date")]
    pub p80: Option<Date>,
    /// Simulated chance of meeting the due date.
    pub on_time: Option<f64>,
    /// The baseline's date for it (with a baseline that has it).
    #[serde(serialize_with = "serialize_opt_date")]
    pub baseline_finish: Option<Date>,
    /// Working days the forecast moved since the baseline.
    pub finish_variance: Option<i64>,
}

/// The milestones whose forecast or P80 is later than due, in model order.
pub fn milestones_at_risk(
    model: &Model,
    answers: &Answers,
    baseline: Option<&BaselineComparison>,
) -> Vec<AtRisk> {
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    answers
        .milestones
        .iter()
        .filter_map(|m| {
            let due = m.due?;
            let (forecast, source) = match m.scheduled {
                Some(d) => (d, ForecastSource::Scheduled),
                None => (m.cpm_finish, ForecastSource::Cpm),
            };
            if forecast <= due && m.p80.is_none_or(|p| p <= due) {
                return None;
            }
            let variance = baseline.and_then(|b| b.variance(&m.id));
            Some(AtRisk {
                id: m.id.clone(),
                name: m.name.clone(),
                due,
                forecast,
                forecast_source: source,
                late_by: cal.deadline(forecast) - cal.deadline(due),
                p80: m.p80,
                on_time: m.on_time,
                baseline_finish: variance.map(|v| v.baseline_finish),
                finish_variance: variance.map(|v| v.finish_variance),
            })
        })
        .collect()
}

/// The baseline a status is measured against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineInfo {
    /// The baseline file, or the git revision the baseline was computed from.
    pub from: String,
    /// The hash of the model text it was taken from.
    pub model_hash: String,
    /// False when that text is not the current model's (items are matched by id).
    pub matches_model: bool,
    /// Its status date.
    #[serde(serialize_with = "serialize_date")]
    pub status_date: Date,
    /// Its scenario.
    pub scenario: Option<String>,
    /// Where its dates come from.
    pub source: DateSource,
}

/// Everything `plan status` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusReport {
    /// Project name.
    pub project: String,
    /// The status date.
    #[serde(serialize_with = "serialize_date")]
    pub status_date: Date,
    /// The team's scenario, with one.
    pub scenario: Option<String>,
    /// The baseline, with one.
    pub baseline: Option<BaselineInfo>,
    /// Earned value and earned schedule (with a baseline).
    pub earned_value: Option<EarnedValue>,
    /// Milestones with a due date, checked for risk.
    pub milestones_checked: usize,
    /// The milestones forecast (or at P80) later than due.
    pub milestones_at_risk: Vec<AtRisk>,
}
