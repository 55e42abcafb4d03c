//! What the page shows, as the caller hands it over: schedules, verdicts and forecasts of each
//! scenario, with the working days that map chart positions to dates.

use crate::calendar::WorkCalendar;
use crate::cpm::ProgramCpm;
use crate::model::{EstimateChoice, Model, Scenario};
use crate::report::feasibility::FeasibilityReport;
use crate::report::schedule::ScheduleReport;
use crate::simulate::{SimResult, TaskFigure};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

/// Everything the page shows.
#[derive(Debug)]
pub struct Page {
    /// Project name.
    pub project: String,
    /// The status date: work before it is done, the schedule starts on it.
    pub status_date: Date,
    /// Dates of working days 0, 1, 2, … (days of the grid with role and task calendars), far
    /// enough for every date the page shows.
    pub workdays: Vec<Date>,
    /// Phases in model order: (id, name).
    pub phases: Vec<(String, String)>,
    /// Phase id of each task id (tasks without a phase are absent).
    pub task_phase: BTreeMap<String, String>,
    /// Tasks on the precedence critical path (zero total float).
    pub critical: BTreeSet<String>,
    /// One section per scenario, in command-line order.
    pub scenarios: Vec<ScenarioView>,
    /// How the figures were made (search budget, iterations, seed), for the page's footer.
    pub method: String,
    /// Baseline bars, the S-curve of earned value and the milestone trend, when asked for
    /// (the caller fills it from `plan::tracking`).
    pub tracking: super::tracking::Tracking,
}

/// One scenario: its schedule, verdicts and forecast.
#[derive(Debug)]
pub struct ScenarioView {
    /// Scenario name.
    pub name: String,
    /// Who is on the team, in words ([`team_words`]).
    pub team: String,
    /// The best resource-constrained schedule found.
    pub schedule: ScheduleReport,
    /// Verdicts with capacity-bound certificates.
    pub feasibility: FeasibilityReport,
    /// The Monte Carlo forecast, when one was run.
    pub forecast: Option<Forecast>,
}

/// A Monte Carlo forecast of one scenario.
#[derive(Debug, Clone)]
pub struct Forecast {
    /// Iterations run.
    pub iterations: u64,
    /// Program finish (working days from the start): median.
    pub finish_p50: f64,
    /// Program finish: 80th percentile.
    pub finish_p80: f64,
    /// Milestones in model order.
    pub milestones: Vec<MilestoneForecast>,
    /// Criticality index per task id (share of iterations on the critical chain), descending.
    pub criticality: Vec<(String, f64)>,
    /// Spearman rank correlation of each task's duration with the finish, strongest first.
    pub sensitivity: Vec<(String, f64)>,
}

/// One milestone's finish distribution.
#[derive(Debug, Clone)]
pub struct MilestoneForecast {
    /// Milestone id.
    pub id: String,
    /// Milestone name.
    pub name: String,
    /// The due date, if it has one.
    pub due: Option<jiff::civil::Date>,
    /// The due date's deadline in working days from the start, if it has one.
    pub deadline: Option<f64>,
    /// Median finish, working days from the start.
    pub p50: f64,
    /// 80th percentile finish.
    pub p80: f64,
    /// Share of iterations finishing by the due date.
    pub probability_on_time: Option<f64>,
    /// Iterations per finish time (working days), ascending by time.
    pub histogram: Vec<(f64, u64)>,
}

impl Page {
    /// The date work finishing at working-day time `t` ends on (the last day it occupies),
    /// clamped to the known working days.
    pub fn finish_date(&self, t: f64) -> Date {
        let day = ((t.max(0.0) - 1e-9).ceil() as i64 - 1).max(0) as usize;
        self.day_date(day)
    }

    /// The date of working day `day`, clamped to the known working days.
    pub fn day_date(&self, day: usize) -> Date {
        match self.workdays.get(day).or(self.workdays.last()) {
            Some(d) => *d,
            None => self.status_date,
        }
    }
}

impl Forecast {
    /// A simulation of `model` as the page draws it: each milestone's finish distribution
    /// with its due date, the finish percentiles, criticality and sensitivity. The result must
    /// come from [`crate::simulate::simulate_with_distributions`]; without distributions the
    /// curves and histograms are empty.
    pub fn from_simulation(model: &Model, result: &SimResult) -> Forecast {
        let mut cal = model.work_calendar();
        let milestones = result
            .milestones
            .iter()
            .zip(&model.milestones)
            .map(|(m, ms)| MilestoneForecast {
                id: m.id.clone(),
                name: m.name.clone(),
                due: ms.due,
                deadline: ms.due.map(|d| cal.deadline(d) as f64),
                p50: m.summary.p50,
                p80: m.summary.p80,
                probability_on_time: m.probability_on_time,
                histogram: m.histogram.clone().unwrap_or_default(),
            })
            .collect();
        let figures = |v: &[TaskFigure]| -> Vec<(String, f64)> {
            v.iter().map(|t| (t.id.clone(), t.value)).collect()
        };
        Forecast {
            iterations: result.iterations,
            finish_p50: result.finish.p50,
            finish_p80: result.finish.p80,
            milestones,
            criticality: figures(&result.criticality),
            sensitivity: figures(&result.sensitivity),
        }
    }
}

/// Working days drawn beyond the last date any chart needs, so axes never run out of dates.
const SPARE_DAYS: usize = 60;

impl Page {
    /// Puts the page together: phases, the critical path of `cpm` (precedence-only, likely
    /// estimates), and dates for every working day shown. `schedules` is the search budget per
    /// scenario, for the footer.
    pub fn new(
        model: &Model,
        cpm: &ProgramCpm,
        scenarios: Vec<ScenarioView>,
        schedules: u64,
    ) -> Page {
        let cp = crate::report::critical_path::build(model, cpm, EstimateChoice::Likely);
        let critical = cp
            .tasks
            .iter()
            .filter(|t| t.critical)
            .map(|t| t.id.to_string())
            .collect();
        // With role and task calendars chart positions are days of the grid (days any
        // calendar works); without them, the project calendar's working days.
        let mut cal = model.work_calendar();
        let last = last_day(model, &scenarios, &mut cal) + SPARE_DAYS;
        let workdays = (0..=last).map(|d| cal.date_of(d)).collect();
        let iterations: Vec<String> = scenarios
            .iter()
            .filter_map(|s| s.forecast.as_ref().map(|f| f.iterations.to_string()))
            .collect();
        Page {
        project: model.project.name.clone(),
        status_date: model.project.start,
        workdays,
        phases: model
            .phases
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
        task_phase: model
            .tasks
            .iter()
            .filter_map(|t| t.phase.clone().map(|p| (t.id.clone(), p)))
            .collect(),
        critical,
        scenarios,
        tracking: super::tracking::Tracking::default(),
        method: format!(
            "Made by plan {} from {}: best of {} generated schedules per scenario (checked independently); {}; {}. Critical path: precedence-only CPM with likely estimates.",
            env!("CARGO_PKG_VERSION"),
            model.file().display(),
            schedules,
            if model.uses_calendars() {
                "on role and task calendars, each task on its own working days; verdicts from the weekly capacity bound, which counts each task on its own working days"
            } else {
                "verdicts from the weekly capacity bound"
            },
            if iterations.is_empty() {
                "no Monte Carlo forecast".to_string()
            } else {
                format!("Monte Carlo with {} iterations", iterations.join(" / "))
            }
        ),
    }
    }
}

/// The last working day any chart shows: finishes, due dates and simulated finishes.
fn last_day(model: &Model, scenarios: &[ScenarioView], cal: &mut WorkCalendar) -> usize {
    let dues = model
        .milestones
        .iter()
        .filter_map(|m| m.due)
        .map(|d| cal.deadline(d).max(0) as f64);
    let finishes = scenarios.iter().map(|s| s.schedule.finish as f64);
    let simulated = scenarios
        .iter()
        .filter_map(|s| s.forecast.as_ref())
        .flat_map(|f| f.milestones.iter())
        .filter_map(|m| m.histogram.last().map(|h| h.0));
    dues.chain(finishes)
        .chain(simulated)
        .fold(0.0, f64::max)
        .ceil() as usize
}

/// A share as a whole percentage.
pub(super) fn pct(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// The scenario's team in words: head count per role with part-timers at their availability,
/// then hires, leaves and absences, e.g. "backend 4 + 1 at 0.6, qa 2; away: 1 qa
/// 2025-12-22 to 2026-01-02".
pub fn team_words(model: &Model, scenario: &Scenario) -> String {
    let role = |r: usize| model.roles[r].id.as_str();
    let roles: Vec<String> = (0..model.roles.len())
        .map(|r| {
            let part: Vec<String> = scenario
                .part_time
                .iter()
                .filter(|p| p.role == r)
                .map(|p| format!(" + {} at {}", p.count, p.availability))
                .collect();
            format!("{} {}{}", role(r), scenario.team[r], part.concat())
        })
        .collect();
    let mut out = roles.join(", ");
    let mut changes = |label: &str, items: Vec<String>| {
        if !items.is_empty() {
            out += &format!("; {label}: {}", items.join(", "));
        }
    };
    changes(
        "joining",
        scenario
            .hires
            .iter()
            .map(|h| format!("{} {} {}", h.count, role(h.role), h.start))
            .collect(),
    );
    changes(
        "leaving",
        scenario
            .leaves
            .iter()
            .map(|l| format!("{} {} {}", l.count, role(l.role), l.date))
            .collect(),
    );
    changes(
        "away",
        scenario
            .absences
            .iter()
            .map(|a| format!("{} {} {} to {}", a.count, role(a.role), a.from, a.until))
            .collect(),
    );
    out
}
