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
/// baseline's status date, at each earlier version's (`earlier`, e.g. the commits of the
/// model's history, newest first) and at the model's, and its actual cost at those that report
/// one, in person-days; `ev` is [`super::evm::earned_value`] of `model` against `baseline`.
/// Several versions with one status date count once, the first given; versions at or before
/// the baseline's status date, or at or after the model's, are left out.
pub fn earned_value_curve(
    baseline: &Baseline,
    model: &Model,
    ev: &EarnedValue,
    earlier: &[EarnedValue],
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
    let mut seen = HashSet::new();
    let mut between: Vec<&EarnedValue> = earlier
        .iter()
        .filter(|e| e.status_date > baseline.status_date && e.status_date < ev.status_date)
        .filter(|e| seen.insert(e.status_date))
        .collect();
    between.sort_by_key(|e| e.status_date);
    let point = |e: &EarnedValue, value: f64| ValuePoint {
        day: e.program.figures.at,
        date: e.status_date,
        value,
    };
    let earned = earned_then
        .into_iter()
        .chain(between.iter().map(|e| point(e, e.program.figures.ev)))
        .chain([at(f.ev)])
        .collect();
    let actual = between
        .iter()
        .filter_map(|e| e.program.figures.ac.map(|ac| point(e, ac)))
        .chain(f.ac.map(at))
        .collect();
    EarnedValueCurve {
        from: from.to_string(),
        baseline_status_date: baseline.status_date,
        status_date: ev.status_date,
        planned,
        earned,
        planned_now: at(f.pv),
        actual,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracking::history::TrendPoint as Point;

    fn row(commit: &str, status: &str, forecast: &str, error: bool) -> TrendRow {
        TrendRow {
            commit: commit.into(),
            date: String::new(),
            subject: String::new(),
            model: "plan.toml".into(),
            status_date: Some(status.parse().unwrap()),
            milestones: vec![Point {
                id: "M".into(),
                due: None,
                cpm_finish: "2026-01-01".parse().unwrap(),
                scheduled: Some(forecast.parse().unwrap()),
                p50: None,
                p80: None,
                calibrated_p50: None,
                calibrated_p80: None,
            }],
            error: error.then(|| "broken".to_string()),
            note: None,
            calibration: None,
        }
    }

    #[test]
    fn one_point_per_status_date_the_newest_commit_of_it_oldest_first() {
        // Newest first, as plan history gives them.
        let rows = [
            row("c4", "2025-09-29", "2025-11-20", false),
            row("c3", "2025-09-22", "2025-11-14", false),
            row("c2", "2025-09-22", "2025-11-10", false),
            row("c1", "2025-09-15", "2025-11-01", true),
            row("c0", "2025-09-15", "2025-11-03", false),
        ];
        let trend = milestone_trend(&rows, "scheduled");
        assert_eq!((trend.versions, trend.without_forecast), (5, 1));
        let points: Vec<(String, String)> = trend.lines[0]
            .points
            .iter()
            .map(|p| (p.commit.clone(), p.forecast.to_string()))
            .collect();
        let expected = [
            ("c0", "2025-11-03"),
            ("c3", "2025-11-14"),
            ("c4", "2025-11-20"),
        ];
        assert_eq!(
            points,
            expected.map(|(c, d)| (c.to_string(), d.to_string()))
        );
    }
}
