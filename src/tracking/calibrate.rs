//! Forecasts that learn from the past: an estimate-accuracy factor and its spread from the
//! finished tasks' actual effort against their estimates, applied to the remaining estimates
//! (`plan simulate --calibrate`, docs/simulation.md).
//!
//! Each finished task (`done = 1`) that reports `actual_effort` and has planned person-days
//! (see [`task_budget`]) gives a ratio actual / planned. The factor is their geometric mean,
//! the spread their geometric standard deviation: a remaining three-point estimate
//! `[o, m, p]` becomes `[o × f / s, m × f, p × f × s]`. A [`Pool`] gathers the finished tasks
//! of a model's successive versions (its git history), each task once.

use super::baseline::task_budget;
use crate::model::{Estimate, EstimateChoice, Model, Task, Work, MAX_DAYS, MAX_EFFORT};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    /// Each task's ratio: the newest version's finished tasks in its order, then those only
    /// earlier versions finished.
    pub ratios: Vec<(String, f64)>,
    /// True when the factor or the spread was cut to [`MAX_FACTOR`].
    pub clamped: bool,
    /// Versions of the model pooled (1: the model alone).
    pub versions: usize,
    /// Of `tasks`, those counted from an earlier version only: the newest version does not
    /// have them finished with an actual effort (removed, or reopened, since).
    pub earlier: usize,
}

/// A finished task's ratio of actual to planned person-days (planned on `estimate`); `None`
/// for a task not finished, without an actual effort or without planned person-days.
fn ratio(model: &Model, task: &Task, estimate: EstimateChoice) -> Option<f64> {
    if task.done < 1.0 {
        return None;
    }
    let actual = task.actual_effort?;
    let planned: f64 = task_budget(model, task, estimate)
        .iter()
        .map(|b| b.person_days)
        .sum();
    (planned > 0.0 && actual > 0.0).then(|| actual / planned)
}

/// The finished tasks of successive versions of a model, pooled: each task (by id) counted
/// once, at the newest version that has it finished with an actual effort. Versions are added
/// oldest first, so a later finished state replaces an earlier one and a task removed or
/// reopened since keeps the ratio it had when last finished.
#[derive(Debug, Clone, Default)]
pub struct Pool {
    ratios: BTreeMap<String, f64>,
    newest: Vec<String>,
    versions: usize,
}

impl Pool {
    /// An empty pool.
    pub fn new() -> Self {
        Pool::default()
    }

    /// Adds the next (newer) version of the model.
    pub fn add(&mut self, model: &Model, estimate: EstimateChoice) {
        self.newest.clear();
        for task in &model.tasks {
            if let Some(r) = ratio(model, task, estimate) {
                self.ratios.insert(task.id.clone(), r);
                self.newest.push(task.id.clone());
            }
        }
        self.versions += 1;
    }

    /// The calibration of the pooled tasks; `None` while no version had a finished task with
    /// an actual effort against planned person-days.
    pub fn calibration(&self) -> Option<Calibration> {
        let in_newest: BTreeSet<&str> = self.newest.iter().map(String::as_str).collect();
        let ratios: Vec<(String, f64)> = self
            .newest
            .iter()
            .chain(
                self.ratios
                    .keys()
                    .filter(|id| !in_newest.contains(id.as_str())),
            )
            .filter_map(|id| Some((id.clone(), *self.ratios.get(id)?)))
            .collect();
        let earlier = ratios.len() - self.newest.len();
        from_ratios(ratios, self.versions, earlier)
    }
}

/// The calibration of `model`'s finished tasks alone, planned on `estimate`; `None` when no
/// finished task reports an actual effort against planned person-days.
pub fn calibration(model: &Model, estimate: EstimateChoice) -> Option<Calibration> {
    let mut pool = Pool::new();
    pool.add(model, estimate);
    pool.calibration()
}

fn from_ratios(ratios: Vec<(String, f64)>, versions: usize, earlier: usize) -> Option<Calibration> {
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
        versions,
        earlier,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_model;
    use std::path::Path;

    fn version(progress: &str) -> Model {
        let text = format!(
            "[project]\nname = \"P\"\nstart = 2025-09-15\n[roles.dev]\n[[task]]\nid = \"T\"\nduration = 4\ndemand = {{ dev = 1 }}\n{progress}\n[[task]]\nid = \"R\"\nduration = 2\ndemand = {{ dev = 1 }}\n"
        );
        parse_model(&text, Path::new("p.toml")).unwrap()
    }

    #[test]
    fn a_pooled_task_counts_once_at_its_newest_finished_state() {
        let likely = EstimateChoice::Likely;
        let mut pool = Pool::new();
        assert_eq!(pool.calibration(), None);
        pool.add(&version("done = 1\nactual_effort = 6"), likely);
        pool.add(&version("done = 1\nactual_effort = 8"), likely);
        let c = pool.calibration().unwrap();
        assert_eq!((c.tasks, c.earlier, c.versions), (1, 0, 2));
        assert_eq!(c.ratios, [("T".to_string(), 2.0)]);
        // Reopened since: it keeps the ratio it had when last finished.
        pool.add(&version("done = 0.5"), likely);
        let c = pool.calibration().unwrap();
        assert_eq!((c.tasks, c.earlier, c.versions), (1, 1, 3));
        assert!((c.factor - 2.0).abs() < 1e-12);
    }
}
