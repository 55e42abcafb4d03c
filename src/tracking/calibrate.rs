//! Forecasts that learn from the past: an estimate-accuracy factor and its spread from the
//! finished tasks' actual effort against their estimates, applied to the remaining estimates
//! (`plan simulate --calibrate`, docs/simulation.md).
//!
//! Each finished task (`done = 1`) that reports `actual_effort` and has planned person-days
//! (see [`task_budget`]) gives a ratio actual / planned. The factor is their geometric mean,
//! the spread their geometric standard deviation: a remaining three-point estimate
//! `[o, m, p]` becomes `[o × f / s, m × f, p × f × s]`.

use super::baseline::task_budget;
use crate::model::{Estimate, EstimateChoice, Model, Work, MAX_DAYS, MAX_EFFORT};
use serde::Serialize;

/// Below this many finished tasks with actual effort, a calibration is a guess: callers
/// warn.
pub const MIN_FINISHED: usize = 5;

/// The factor is kept within [1 / this, this] and the spread at most this: a few wildly
/// wrong actuals must not turn a plan into decades of work.
pub const MAX_FACTOR: f64 = 5.0;

/// What the finished tasks say about the estimates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Finished tasks with actual effort it rests on.
    pub tasks: usize,
    /// Geometric mean of actual / planned person-days (above 1: estimates are low).
    pub factor: f64,
    /// Geometric standard deviation of the ratios (1: all alike).
    pub spread: f64,
    /// Each task's ratio, in model order.
    pub ratios: Vec<(String, f64)>,
    /// True when the factor or the spread was cut to [`MAX_FACTOR`].
    pub clamped: bool,
}

/// The calibration of `model`'s finished tasks, planned on `estimate`; `None` when no finished
/// task reports an actual effort against planned person-days.
pub fn calibration(model: &Model, estimate: EstimateChoice) -> Option<Calibration> {
    let ratios: Vec<(String, f64)> = model
        .tasks
        .iter()
        .filter(|t| t.done >= 1.0)
        .filter_map(|t| {
            let actual = t.actual_effort?;
            let planned: f64 = task_budget(model, t, estimate)
                .iter()
                .map(|b| b.person_days)
                .sum();
            (planned > 0.0 && actual > 0.0).then(|| (t.id.clone(), actual / planned))
        })
        .collect();
    if ratios.is_empty() {
        return None;
    }
    let logs: Vec<f64> = ratios.iter().map(|(_, r)| r.ln()).collect();
    let n = logs.len() as f64;
    let mean = logs.iter().sum::<f64>() / n;
    let variance = logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / n;
    let (factor, spread) = (mean.exp(), variance.sqrt().exp());
    let bounded_factor = factor.clamp(1.0 / MAX_FACTOR, MAX_FACTOR);
    let bounded_spread = spread.min(MAX_FACTOR);
    Some(Calibration {
        tasks: ratios.len(),
        factor: bounded_factor,
        spread: bounded_spread,
        clamped: bounded_factor != factor || bounded_spread != spread,
        ratios,
    })
}

fn scaled(e: &Estimate, c: &Calibration, limit: f64) -> Estimate {
    Estimate {
        optimistic: (e.optimistic * c.factor / c.spread).min(limit),
        likely: (e.likely * c.factor).min(limit),
        pessimistic: (e.pessimistic * c.factor * c.spread).min(limit),
    }
}

/// `model` with every unfinished task's estimates calibrated: durations and efforts scaled
/// by the factor and widened by the spread, each kept within the model's limits (an effort
/// also within [`MAX_DAYS`] working days for its smallest crew).
pub fn calibrated(model: &Model, c: &Calibration) -> Model {
    let mut out = model.clone();
    for task in out.tasks.iter_mut().filter(|t| t.done < 1.0) {
        match &mut task.work {
            Work::Fixed { duration, .. } => *duration = scaled(duration, c, MAX_DAYS),
            Work::Effort(efforts) => {
                for e in efforts {
                    let crew = f64::from(e.crew.0.max(1));
                    e.effort = scaled(&e.effort, c, MAX_EFFORT.min(MAX_DAYS * crew));
                }
            }
        }
    }
    out
}
