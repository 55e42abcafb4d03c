//! What the HTML report draws about tracking, computed here from tracking's results: a
//! baseline's bars on the report's working days, the S-curve of planned, earned and actual
//! value at the status date, and the milestone trend of a plan's history. The report's
//! renderers (`report::html::tracking`) only draw these.

use super::baseline::{days_before, Baseline};
use super::evm::EarnedValue;
use super::history::TrendRow;
use crate::calendar::WorkCalendar;
use crate::model::Model;
use crate::report::html::tracking::{
    BaselineBar, BaselineBars, EarnedValueCurve, MilestoneTrend, TrendLine, TrendPoint, ValuePoint,
};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashSet};

/// Most working days before the report's day 0 the Gantt axis is given dates for: a baseline
/// of years ago is drawn from there on.
const MAX_DAYS_BEFORE: i64 = 10_000;

/// The baseline's tasks and milestones on the report's working days (day 0 is the model's
/// `project.start`, as in its schedules), matched by id; `from` names the baseline.
pub fn baseline_bars(baseline: &Baseline, model: &Model, from: &str) -> BaselineBars {
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    let mut bar = |start: Date, finish: Date| BaselineBar {
        start: days_before(&mut cal, start).max(-MAX_DAYS_BEFORE),
        finish: cal.deadline(finish).max(-MAX_DAYS_BEFORE + 1),
        start_date: start,
        finish_date: finish,
    };
    let tasks: BTreeMap<String, BaselineBar> = baseline
        .tasks
        .iter()
        .map(|t| (t.id.clone(), bar(t.start, t.finish)))
        .collect();
    let milestones: BTreeMap<String, BaselineBar> = baseline
        .milestones
        .iter()
        .map(|m| (m.id.clone(), bar(m.finish, m.finish)))
        .collect();
    let earliest = tasks
        .values()
        .chain(milestones.values())
        .map(|b| b.start)
        .fold(0, i64::min);
    BaselineBars {
        from: from.to_string(),
        status_date: baseline.status_date,
        days_before: working_days_before(model, -earliest),
        tasks,
        milestones,
    }
}

/// The dates of the `n` working days before the model's day 0, nearest first.
fn working_days_before(model: &Model, n: i64) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = model.project.start;
    while (out.len() as i64) < n {
        match d.yesterday() {
            Ok(prev) => d = prev,
            Err(_) => break,
        }
        if model.calendar.is_workday(d) {
            out.push(d);
        }
    }
    out
}

/// The S-curve of the program's planned value (the baseline's), its earned value at the
/// baseline's status date and at the model's, and its actual cost at the model's, in
/// person-days; `ev` is [`super::evm::earned_value`] of `model` against `baseline`.
pub fn earned_value_curve(
    baseline: &Baseline,
    model: &Model,
    ev: &EarnedValue,
    from: &str,
) -> EarnedValueCurve {
    let f = &ev.program.figures;
    let mut cal = WorkCalendar::new(model.calendar.clone(), baseline.status_date);
    let planned: Vec<ValuePoint> = baseline
        .planned_value
        .iter()
        .enumerate()
        .map(|(k, p)| ValuePoint {
            day: k as f64,
            date: p.date,
            value: p.person_days,
        })
        .collect();
    let reach = (planned.len() as f64).max(f.at + 1.0).ceil() as usize;
    let days: Vec<Date> = (0..=reach).map(|k| cal.date_of(k)).collect();
    let at = |value: f64| ValuePoint {
        day: f.at,
        date: ev.status_date,
        value,
    };
    // What was done at the baseline is what the plan had earned then.
    let earned_then = planned.first().map(|p| ValuePoint {
        day: 0.0,
        date: baseline.status_date,
        value: p.value,
    });
    EarnedValueCurve {
        from: from.to_string(),
        baseline_status_date: baseline.status_date,
        status_date: ev.status_date,
        planned,
        earned: earned_then.into_iter().chain([at(f.ev)]).collect(),
        planned_now: at(f.pv),
        actual: f.ac.map(at),
        bac: f.bac,
        spi: f.spi,
        spi_t: f.spi_t,
        days,
    }
}

/// The milestone trend of `rows` (newest first, as `plan history` gives them): per milestone
/// of the newest version that has a forecast, its scheduled date (the CPM date where a
/// version has no team) at each status date. Several versions with one status date count
/// once, the newest of them: the forecast that stood at that date.
pub fn milestone_trend(rows: &[TrendRow], measure: &str) -> MilestoneTrend {
    let answered: Vec<&TrendRow> = rows
        .iter()
        .filter(|r| r.error.is_none() && r.status_date.is_some())
        .collect();
    let mut seen = HashSet::new();
    let standing: Vec<&TrendRow> = answered
        .iter()
        .copied()
        .filter(|r| seen.insert(r.status_date))
        .collect();
    let newest = standing.first().map_or(&[][..], |r| &r.milestones[..]);
    let lines = newest
        .iter()
        .map(|m| {
            let mut points: Vec<TrendPoint> = standing
                .iter()
                .filter_map(|r| {
                    let p = r.milestones.iter().find(|p| p.id == m.id)?;
                    Some(TrendPoint {
                        status_date: r.status_date?,
                        forecast: p.scheduled.unwrap_or(p.cpm_finish),
                        commit: r.commit.chars().take(10).collect(),
                    })
                })
                .collect();
            points.reverse();
            TrendLine {
                id: m.id.clone(),
                due: m.due,
                points,
            }
        })
        .collect();
    MilestoneTrend {
        measure: measure.to_string(),
        versions: rows.len(),
        without_forecast: rows.len() - answered.len(),
        lines,
    }
}
