//! Earned value and earned schedule at the status date against a baseline.
//!
//! The planned value (PV) of a baseline is its tasks' budgets (person-days per role, see
//! [`super::baseline::task_budget`]) laid out in time: the part already done at the baseline's status date
//! counts as planned by then, the rest is spread evenly over the working days of the task's
//! baseline dates. The earned value (EV) is each baselined task's budget times its `done`
//! now; the actual cost (AC) is the `actual_effort` tasks report. Earned schedule (Lipke)
//! reads the time at which the plan had earned what has been earned now off the PV curve.
//! Time is counted in working days from the baseline's status date on the current model's
//! calendar; money is person-days times the baseline's cost of each role. Definitions and
//! sources: `docs/tracking.md`.

use super::baseline::{check_status_date, curve, days_before, pieces, Baseline, Piece};
use super::status_date;
use crate::calendar::WorkCalendar;
use crate::error::Diagnostic;
use crate::model::Model;
use crate::timeline::serialize_date;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Earned schedule: the time (in periods of the curve) at which the planned value reached
/// `ev`, interpolated linearly within a period (Lipke 2003). Where the plan is flat at `ev`
/// (nothing planned for a while), the point of that stretch nearest `at`: nothing planned and
/// nothing done is on schedule. An `ev` at or above the budget gives the planned duration.
pub fn earned_schedule(pv: &[f64], ev: f64, at: f64) -> f64 {
    let Some(&bac) = pv.last() else { return 0.0 };
    let pd = (pv.len() - 1) as f64;
    let eps = 1e-9 * bac.abs().max(1.0);
    if ev >= bac - eps {
        return pd;
    }
    // The last period whose planned value is at most `ev`.
    let Some(c) = pv.iter().rposition(|&v| v <= ev + eps) else {
        return 0.0;
    };
    if pv[c] < ev - eps {
        return c as f64 + (ev - pv[c]) / (pv[c + 1] - pv[c]);
    }
    let flat_from = pv.iter().position(|&v| v >= ev - eps).unwrap_or(c);
    at.clamp(flat_from as f64, c as f64)
}

/// The planned value of a curve at time `at` (linear between periods; the budget after the
/// last).
fn pv_at(pv: &[f64], at: f64) -> f64 {
    let Some(&bac) = pv.last() else { return 0.0 };
    if at <= 0.0 {
        return pv[0];
    }
    let k = at.floor() as usize;
    if k + 1 >= pv.len() {
        return bac;
    }
    pv[k] + (pv[k + 1] - pv[k]) * (at - k as f64)
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// Earned value and earned schedule figures of one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Budget at completion: the scope's planned work in the baseline.
    pub bac: f64,
    /// Planned value at the status date.
    pub pv: f64,
    /// Earned value: the baselined budget of the work done by the status date.
    pub ev: f64,
    /// Actual cost: the `actual_effort` reported on the scope's tasks (none reported: `null`).
    pub ac: Option<f64>,
    /// The earned value of the tasks that report `actual_effort`: what AC is compared with,
    /// so tasks without actuals do not inflate CPI.
    pub ev_reported: Option<f64>,
    /// Schedule variance EV − PV.
    pub sv: f64,
    /// Schedule performance index EV / PV (`null` when nothing was planned).
    pub spi: Option<f64>,
    /// Cost variance EV − AC (EV of the tasks that report AC).
    pub cv: Option<f64>,
    /// Cost performance index EV / AC (EV of the tasks that report AC).
    pub cpi: Option<f64>,
    /// Estimate at completion BAC / CPI.
    pub eac: Option<f64>,
    /// Variance at completion BAC − EAC.
    pub vac: Option<f64>,
    /// EV / BAC.
    pub percent_complete: Option<f64>,
    /// Earned schedule: working days after the baseline's status date at which the plan had
    /// earned EV.
    pub es: f64,
    /// Actual time: working days from the baseline's status date to the status date.
    pub at: f64,
    /// Planned duration: working days from the baseline's status date to the end of the
    /// scope's planned work.
    pub planned_duration: f64,
    /// Schedule variance in time ES − AT (working days; negative: behind).
    pub sv_t: f64,
    /// Schedule performance index in time ES / AT (`null` at AT = 0 or with nothing planned
    /// after the baseline).
    pub spi_t: Option<f64>,
    /// Independent estimate at completion in time PD / SPI(t), working days from the
    /// baseline's status date.
    pub ieac_t: Option<f64>,
}

/// What the tasks that report `actual_effort` have spent and earned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Actuals {
    /// Their actual cost.
    pub ac: f64,
    /// Their earned value.
    pub ev: f64,
}

impl Figures {
    /// The figures of a planned value curve, the earned value and the actuals at `at`.
    pub fn of(pv: &[f64], ev: f64, actuals: Option<Actuals>, at: f64) -> Figures {
        let bac = pv.last().copied().unwrap_or(0.0);
        let planned = pv_at(pv, at);
        let planned_duration = pv.len().saturating_sub(1) as f64;
        let es = earned_schedule(pv, ev, at);
        let cpi = actuals.and_then(|a| ratio(a.ev, a.ac));
        let spi_t = (planned_duration > 0.0).then(|| ratio(es, at)).flatten();
        let eac = cpi.and_then(|cpi| ratio(bac, cpi));
        Figures {
            bac,
            pv: planned,
            ev,
            ac: actuals.map(|a| a.ac),
            ev_reported: actuals.map(|a| a.ev),
            sv: ev - planned,
            spi: ratio(ev, planned),
            cv: actuals.map(|a| a.ev - a.ac),
            cpi,
            eac,
            vac: eac.map(|eac| bac - eac),
            percent_complete: ratio(ev, bac),
            es,
            at,
            planned_duration,
            sv_t: es - at,
            spi_t,
            ieac_t: spi_t.and_then(|s| ratio(planned_duration, s)),
        }
    }
}

/// The money figures of a scope whose roles all have a cost in the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Money {
    /// Budget at completion.
    pub bac: f64,
    /// Planned value at the status date.
    pub pv: f64,
    /// Earned value.
    pub ev: f64,
    /// Actual cost (each task's actual effort split over its roles as its budget is).
    pub ac: Option<f64>,
    /// EV − PV.
    pub sv: f64,
    /// EV − AC.
    pub cv: Option<f64>,
    /// BAC / CPI.
    pub eac: Option<f64>,
}

/// One scope's figures: the program, a phase or a role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scope {
    /// `program`, a phase id or a role id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// In person-days.
    #[serde(flatten)]
    pub figures: Figures,
    /// The date the scope's planned work ends in the baseline.
    #[serde(serialize_with = "serialize_date")]
    pub planned_finish: Date,
    /// The date IEAC(t) forecasts its end (`null` without SPI(t)).
    #[serde(serialize_with = "crate::timeline::serialize_opt_date")]
    pub forecast_finish: Option<Date>,
    /// In money, when every role of the scope has a cost.
    pub money: Option<Money>,
}

/// Earned value and earned schedule of the model at its status date against a baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EarnedValue {
    /// The status date.
    #[serde(serialize_with = "serialize_date")]
    pub status_date: Date,
    /// The baseline's status date: time 0 of ES, AT and PD.
    #[serde(serialize_with = "serialize_date")]
    pub baseline_status_date: Date,
    /// The whole program.
    pub program: Scope,
    /// Per phase (model order; `(no phase)` for tasks without one).
    pub phases: Vec<Scope>,
    /// Per role (model order).
    pub roles: Vec<Scope>,
    /// Tasks of the model the baseline does not have: they earn nothing.
    pub unbudgeted: Vec<String>,
    /// Baselined tasks the model no longer has: they keep what they had earned then.
    pub not_in_model: Vec<String>,
    /// Tasks that progressed since the baseline but report no `actual_effort` while others
    /// do: AC, CPI and EAC leave them out.
    pub without_actuals: Vec<String>,
}

/// What the current model says about a baselined task.
struct Now {
    done: f64,
    actual: Option<f64>,
}

/// A scope's pieces with their progress now.
fn scope_figures(
    id: &str,
    name: &str,
    pieces: &[&Piece<'_>],
    now: &HashMap<&str, Now>,
    at: f64,
    cal: &mut WorkCalendar,
) -> Scope {
    let done = |p: &Piece<'_>| now.get(p.task.id.as_str()).map_or(p.task.done, |n| n.done);
    let actual = |p: &Piece<'_>| {
        now.get(p.task.id.as_str())
            .and_then(|n| n.actual)
            .map(|a| a * p.share)
    };
    let pv = curve(pieces, |p| p.person_days);
    let ev: f64 = pieces.iter().map(|p| done(p) * p.person_days).sum();
    let reporting: Vec<(&Piece<'_>, f64)> = pieces
        .iter()
        .filter_map(|p| actual(p).map(|a| (*p, a)))
        .collect();
    let actuals = (!reporting.is_empty()).then(|| Actuals {
        ac: reporting.iter().map(|(_, a)| a).sum(),
        ev: reporting.iter().map(|(p, _)| done(p) * p.person_days).sum(),
    });
    let figures = Figures::of(&pv, ev, actuals, at);
    let money = pieces.iter().all(|p| p.rate.is_some()).then(|| {
        let rate = |p: &Piece<'_>| p.rate.unwrap_or(0.0);
        let pv_money = curve(pieces, |p| p.person_days * rate(p));
        let ev: f64 = pieces
            .iter()
            .map(|p| done(p) * p.person_days * rate(p))
            .sum();
        let spent = actuals.map(|_| Actuals {
            ac: reporting.iter().map(|(p, a)| a * rate(p)).sum(),
            ev: reporting
                .iter()
                .map(|(p, _)| done(p) * p.person_days * rate(p))
                .sum(),
        });
        let bac = pv_money.last().copied().unwrap_or(0.0);
        let pv = pv_at(&pv_money, at);
        Money {
            bac,
            pv,
            ev,
            ac: spent.map(|a| a.ac),
            sv: ev - pv,
            cv: spent.map(|a| a.ev - a.ac),
            eac: spent
                .and_then(|a| ratio(a.ac, a.ev))
                .map(|inverse_cpi| bac * inverse_cpi),
        }
    });
    Scope {
        id: id.to_string(),
        name: name.to_string(),
        planned_finish: cal.finish_date(figures.planned_duration),
        forecast_finish: figures.ieac_t.map(|t| cal.finish_date(t)),
        figures,
        money,
    }
}

/// Earned value and earned schedule of `model` at its status date against `baseline`
/// (read from `baseline_file`), tasks matched by id. A status date before the baseline's,
/// or a baseline without planned value (written before budgets were recorded, or a plan
/// whose tasks keep nobody busy), is an error.
pub fn earned_value(
    baseline: &Baseline,
    model: &Model,
    baseline_file: &Path,
) -> Result<EarnedValue, Diagnostic> {
    check_status_date(baseline, model)?;
    let status = status_date(model);
    let mut cal = WorkCalendar::new(model.calendar.clone(), baseline.status_date);
    let all = pieces(&baseline.tasks, &baseline.roles, &mut cal);
    if all.iter().all(|p| p.person_days <= 0.0) {
        return Err(Diagnostic::new(
            baseline_file,
            "tasks[].budget",
            "the baseline has no planned value: no task has a budget of person-days",
        )
        .help("write the baseline again with this plan's `plan baseline` (older ones have no budgets); tasks need `effort` or a `demand`"));
    }
    let at = days_before(&mut cal, status) as f64;
    let now: HashMap<&str, Now> = model
        .tasks
        .iter()
        .map(|t| {
            let n = Now {
                done: t.done,
                actual: t.actual_effort,
            };
            (t.id.as_str(), n)
        })
        .collect();
    let refs: Vec<&Piece<'_>> = all.iter().collect();
    let program = scope_figures("program", "Program", &refs, &now, at, &mut cal);
    let phases = phase_scopes(model, &all, &now, at, &mut cal);
    let roles = role_scopes(model, &all, &now, at, &mut cal);
    let baselined: HashSet<&str> = baseline.tasks.iter().map(|t| t.id.as_str()).collect();
    let any_actual = model.tasks.iter().any(|t| t.actual_effort.is_some());
    Ok(EarnedValue {
        status_date: status,
        baseline_status_date: baseline.status_date,
        program,
        phases,
        roles,
        unbudgeted: model
            .tasks
            .iter()
            .filter(|t| !baselined.contains(t.id.as_str()))
            .map(|t| t.id.clone())
            .collect(),
        not_in_model: baseline
            .tasks
            .iter()
            .filter(|t| !now.contains_key(t.id.as_str()))
            .map(|t| t.id.clone())
            .collect(),
        without_actuals: baseline
            .tasks
            .iter()
            .filter(|b| {
                model.tasks.iter().any(|t| {
                    t.id == b.id && any_actual && t.done > b.done && t.actual_effort.is_none()
                })
            })
            .map(|b| b.id.clone())
            .collect(),
    })
}

fn phase_scopes(
    model: &Model,
    all: &[Piece<'_>],
    now: &HashMap<&str, Now>,
    at: f64,
    cal: &mut WorkCalendar,
) -> Vec<Scope> {
    let mut ids: Vec<(Option<&str>, String)> = model
        .phases
        .iter()
        .map(|p| (Some(p.id.as_str()), p.name.clone()))
        .collect();
    for p in all {
        let phase = p.task.phase.as_deref();
        if !ids.iter().any(|(id, _)| *id == phase) {
            let name = phase.map_or("(no phase)".to_string(), str::to_string);
            ids.push((phase, name));
        }
    }
    ids.iter()
        .filter_map(|(id, name)| {
            let mine: Vec<&Piece<'_>> = all
                .iter()
                .filter(|p| p.task.phase.as_deref() == *id)
                .collect();
            (!mine.is_empty())
                .then(|| scope_figures(id.unwrap_or("(no phase)"), name, &mine, now, at, cal))
        })
        .collect()
}

fn role_scopes(
    model: &Model,
    all: &[Piece<'_>],
    now: &HashMap<&str, Now>,
    at: f64,
    cal: &mut WorkCalendar,
) -> Vec<Scope> {
    let mut ids: Vec<(String, String)> = model
        .roles
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    for p in all {
        if !ids.iter().any(|(id, _)| id == p.role) {
            ids.push((p.role.to_string(), p.role.to_string()));
        }
    }
    ids.iter()
        .filter_map(|(id, name)| {
            let mine: Vec<&Piece<'_>> = all.iter().filter(|p| p.role == id).collect();
            (!mine.is_empty()).then(|| scope_figures(id, name, &mine, now, at, cal))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earned_schedule_interpolates_within_the_period_the_plan_earned_ev_in() {
        let pv = [0.0, 10.0, 30.0, 60.0, 100.0];
        assert_eq!(earned_schedule(&pv, 20.0, 3.0), 1.5);
        assert_eq!(earned_schedule(&pv, 100.0, 3.0), 4.0);
        assert_eq!(earned_schedule(&pv, 0.0, 3.0), 0.0);
    }

    #[test]
    fn a_flat_plan_at_ev_puts_es_nearest_the_actual_time() {
        // Nothing planned from period 1 to 3: a status inside that stretch with nothing more
        // earned is on schedule.
        let pv = [0.0, 10.0, 10.0, 10.0, 40.0];
        assert_eq!(earned_schedule(&pv, 10.0, 2.0), 2.0);
        assert_eq!(earned_schedule(&pv, 10.0, 4.0), 3.0);
        assert_eq!(earned_schedule(&pv, 10.0, 0.0), 1.0);
    }

    #[test]
    fn figures_follow_the_definitions() {
        let pv = [0.0, 10.0, 30.0, 60.0, 100.0];
        let f = Figures::of(&pv, 20.0, Some(Actuals { ac: 25.0, ev: 20.0 }), 2.0);
        assert_eq!(f.pv, 30.0);
        assert_eq!(f.sv, -10.0);
        assert_eq!(f.spi, Some(20.0 / 30.0));
        assert_eq!(f.cpi, Some(0.8));
        assert_eq!(f.eac, Some(125.0));
        assert_eq!(f.es, 1.5);
        assert_eq!(f.sv_t, -0.5);
        assert_eq!(f.spi_t, Some(0.75));
        assert_eq!(f.ieac_t, Some(4.0 / 0.75));
    }
}
