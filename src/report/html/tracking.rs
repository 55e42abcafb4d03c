//! What the report's tracking charts show: baseline bars under the Gantt chart's bars, the S-curve of
//! planned, earned and actual value against a baseline, and the milestone trend of a plan's
//! history (status date across, forecast date up, the diagonal where a forecast meets its
//! status date).
//!
//! The figures come from `plan::tracking` as the types below (what the page shows);
//! `tracking_charts.rs` draws them.

use jiff::civil::Date;
use std::collections::BTreeMap;

/// A baseline's dates of one task or milestone, placed on the page's working days.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineBar {
    /// First working day, counted from the page's day 0 (negative: before it).
    pub start: i64,
    /// The working day after the last one (a milestone: the day after it is reached).
    pub finish: i64,
    /// The baseline's start date.
    pub start_date: Date,
    /// The baseline's finish date.
    pub finish_date: Date,
}

/// A baseline drawn under each scenario's Gantt chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineBars {
    /// Where the baseline comes from (a file, or `REV:path`), for the legend.
    pub from: String,
    /// The baseline's status date.
    pub status_date: Date,
    /// Bars by task id.
    pub tasks: BTreeMap<String, BaselineBar>,
    /// Bars by milestone id.
    pub milestones: BTreeMap<String, BaselineBar>,
    /// Dates of working days −1, −2, … back to the earliest bar (the Gantt axis before the
    /// status date).
    pub days_before: Vec<Date>,
}

/// One point of a value curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValuePoint {
    /// Working days from the baseline's status date.
    pub day: f64,
    /// Its date.
    pub date: Date,
    /// Person-days.
    pub value: f64,
}

/// Planned, earned and actual value against a baseline, in person-days.
#[derive(Debug, Clone, PartialEq)]
pub struct EarnedValueCurve {
    /// Where the baseline comes from.
    pub from: String,
    /// The baseline's status date: day 0 of the curve.
    pub baseline_status_date: Date,
    /// The status date.
    pub status_date: Date,
    /// The baseline's planned value, one point per working day up to the budget.
    pub planned: Vec<ValuePoint>,
    /// Earned value: at the baseline's status date, at each earlier version's in between
    /// (with the model's history), and at the status date; oldest first.
    pub earned: Vec<ValuePoint>,
    /// Planned value at the status date.
    pub planned_now: ValuePoint,
    /// Actual cost (tasks reporting `actual_effort`) at the versions that report one, oldest
    /// first; the last is at the status date when the model reports one.
    pub actual: Vec<ValuePoint>,
    /// Budget at completion.
    pub bac: f64,
    /// SPI and SPI(t) at the status date, when defined.
    pub spi: Option<f64>,
    /// SPI(t).
    pub spi_t: Option<f64>,
    /// Dates of working days 0, 1, … from the baseline's status date, as far as the chart
    /// reaches (axis labels).
    pub days: Vec<Date>,
}

/// One version's forecast of a milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// The version's status date.
    pub status_date: Date,
    /// Its forecast of the milestone.
    pub forecast: Date,
    /// The commit (short id).
    pub commit: String,
}

/// One milestone's forecasts over the plan's history, oldest status date first.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendLine {
    /// Milestone id.
    pub id: String,
    /// Its due date on the newest version.
    pub due: Option<Date>,
    /// One point per status date.
    pub points: Vec<TrendPoint>,
}

/// The milestone trend of a plan's history.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneTrend {
    /// What the forecast is, in words (e.g. "scheduled date with Seed team, low end").
    pub measure: String,
    /// Versions (commits) read.
    pub versions: usize,
    /// Versions without a forecast (their files do not read or schedule).
    pub without_forecast: usize,
    /// One line per milestone, in the newest version's order.
    pub lines: Vec<TrendLine>,
}

/// What the page shows about tracking: each part only when asked for and available.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tracking {
    /// Baseline bars under the Gantt charts (`--baseline`).
    pub baseline: Option<BaselineBars>,
    /// The S-curve of PV, EV and AC (`--baseline`).
    pub earned_value: Option<EarnedValueCurve>,
    /// The milestone trend (`--history`).
    pub trend: Option<MilestoneTrend>,
    /// Why a part asked for is missing (e.g. a model outside git has no history).
    pub notes: Vec<String>,
}
