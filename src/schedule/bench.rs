//! PSPLIB benchmark runner: searches every instance given and compares the makespans with
//! the known optima the way the literature does (deviation from the optimum, or from the
//! critical path when not all optima are known).
//!
//! The caller reads the instances and the optimum table (the command line reads a directory
//! and its `optimum.csv`); this module never touches the file system.

use super::checked::{search_checked, SearchFailure};
use super::psplib::{parse_sm, Optimum, PsplibError};
use super::search::SearchConfig;
use crate::run::Environment;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use thiserror::Error;

/// One PSPLIB instance, already read.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Where it came from: errors name it, and its file name is the instance's name in the
    /// optimum table and the results.
    pub file: PathBuf,
    /// The `.sm` text.
    pub text: String,
}

/// Why a benchmark stopped.
#[derive(Debug, Error)]
pub enum BenchError {
    /// An instance is not valid PSPLIB.
    #[error("{path}: {source}")]
    Parse {
        /// The instance.
        path: PathBuf,
        /// What is wrong with it.
        source: PsplibError,
    },
    /// The search of an instance failed (rejected it, or found a schedule the checker refuses).
    #[error("{path}: {source}")]
    Search {
        /// The instance.
        path: PathBuf,
        /// Why.
        source: SearchFailure,
    },
    /// The environment's cancel flag was set.
    #[error("interrupted")]
    Cancelled,
}

/// What deviations are measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Every instance has a proven optimum (j30).
    Optimum,
    /// Critical-path lower bound (j60, j120 in the literature).
    CriticalPath,
}

impl Basis {
    /// The basis in words, as the summary table says it.
    pub fn describe(self) -> &'static str {
        match self {
            Basis::Optimum => "optimum",
            Basis::CriticalPath => "critical-path lower bound",
        }
    }
}

/// One instance's result (a row of the benchmark CSV).
#[derive(Clone, Debug, Serialize)]
pub struct InstanceResult {
    /// The instance's file name.
    pub instance: String,
    /// Makespan of the best checked schedule found.
    pub makespan: u32,
    /// The critical-path lower bound.
    pub critical_path: u32,
    /// Best known lower bound from the optimum table.
    pub optimum_lower: Option<u32>,
    /// Optimum or best known upper bound from the optimum table.
    pub optimum_upper: Option<u32>,
    /// Percent above the report's basis.
    pub deviation: f64,
    /// Makespan at or below the optimum / best known upper bound.
    pub at_best: Option<bool>,
    /// Schedules generated.
    pub schedules: u64,
    /// Wall-clock time of the instance.
    pub seconds: f64,
}

/// The benchmark's typed result: every instance and the summary figures.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    /// What deviations are measured against.
    pub basis: Basis,
    /// One row per instance, in input order.
    pub instances: Vec<InstanceResult>,
    /// Mean deviation in percent above the basis.
    pub average_deviation: f64,
    /// Share of instances with a known bound whose makespan reaches it.
    pub share_at_best: f64,
    /// Mean wall-clock time per instance.
    pub average_seconds: f64,
    /// Wall-clock time of the whole run.
    pub total_seconds: f64,
}

/// Searches every instance (in parallel over instances on the environment's threads, each
/// search sequential and so deterministic) and compares each makespan with `optima`, keyed by
/// file name. The environment is told progress in instances, and its cancel flag is read
/// before each instance.
///
/// Each instance costs one search of the environment's budget; results keep the input order.
pub fn run_bench(
    instances: &[Instance],
    optima: &HashMap<String, Optimum>,
    env: &Environment,
) -> Result<BenchReport, BenchError> {
    let started = Instant::now();
    let config = SearchConfig {
        parallel: false,
        ..SearchConfig::for_run(env)
    };
    let done = AtomicU64::new(0);
    let total = instances.len() as u64;
    let mut raw: Vec<InstanceResult> = env.install(|| {
        instances
            .par_iter()
            .map(|instance| {
                if env.is_cancelled() {
                    return Err(BenchError::Cancelled);
                }
                let result = run_instance(instance, &config, optima);
                env.report(done.fetch_add(1, Ordering::SeqCst) + 1, total);
                result
            })
            .collect::<Result<_, _>>()
    })?;
    // A search cut short by the flag returns its best so far: not a result to report.
    if env.is_cancelled() {
        return Err(BenchError::Cancelled);
    }
    let basis = if raw
        .iter()
        .all(|r| r.optimum_lower.is_some() && r.optimum_lower == r.optimum_upper)
    {
        Basis::Optimum
    } else {
        Basis::CriticalPath
    };
    for r in &mut raw {
        let reference = match basis {
            Basis::Optimum => r.optimum_upper.unwrap_or(r.critical_path),
            Basis::CriticalPath => r.critical_path,
        };
        r.deviation = percent_above(r.makespan, reference);
    }
    Ok(summarise(basis, raw, started.elapsed().as_secs_f64()))
}

fn summarise(basis: Basis, instances: Vec<InstanceResult>, total_seconds: f64) -> BenchReport {
    let count = instances.len().max(1) as f64;
    let known: Vec<bool> = instances.iter().filter_map(|r| r.at_best).collect();
    BenchReport {
        basis,
        average_deviation: instances.iter().map(|r| r.deviation).sum::<f64>() / count,
        share_at_best: known.iter().filter(|&&b| b).count() as f64 / known.len().max(1) as f64,
        average_seconds: instances.iter().map(|r| r.seconds).sum::<f64>() / count,
        total_seconds,
        instances,
    }
}

fn percent_above(value: u32, reference: u32) -> f64 {
    if reference == 0 {
        0.0
    } else {
        100.0 * (f64::from(value) - f64::from(reference)) / f64::from(reference)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn run_instance(
    instance: &Instance,
    config: &SearchConfig,
    optima: &HashMap<String, Optimum>,
) -> Result<InstanceResult, BenchError> {
    let started = Instant::now();
    let path = &instance.file;
    let problem = parse_sm(&instance.text).map_err(|source| BenchError::Parse {
        path: path.clone(),
        source,
    })?;
    let result = search_checked(&problem, config, &[]).map_err(|source| BenchError::Search {
        path: path.clone(),
        source,
    })?;
    let name = file_name(path);
    let optimum = optima.get(&name).copied();
    Ok(InstanceResult {
        makespan: result.makespan,
        critical_path: result.critical_path_bound,
        optimum_lower: optimum.and_then(|o| o.lower),
        optimum_upper: optimum.map(|o| o.upper),
        deviation: 0.0,
        at_best: optimum.map(|o| result.makespan <= o.upper),
        schedules: result.schedules,
        seconds: started.elapsed().as_secs_f64(),
        instance: name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deviation_is_relative_percent() {
        assert!((percent_above(44, 40) - 10.0).abs() < 1e-9);
        assert_eq!(percent_above(3, 0), 0.0);
    }
}
