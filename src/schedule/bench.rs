//! PSPLIB benchmark runner: searches every `*.sm` instance of a directory
//! and compares the makespans with `optimum.csv` the way the literature
//! does (deviation from the optimum, or from the critical path when not
//! all optima are known).

use super::checker::{check, Violation};
use super::psplib::{parse_optimum_csv, parse_sm, Optimum, PsplibError};
use super::search::{search, SearchConfig, SearchError};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum BenchError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse { path: PathBuf, source: PsplibError },
    #[error("{path}: {source}")]
    Search { path: PathBuf, source: SearchError },
    #[error("{path}: search produced an infeasible schedule: {}", first_violation(.violations))]
    Infeasible {
        path: PathBuf,
        violations: Vec<Violation>,
    },
    #[error("{0}: no *.sm instances")]
    Empty(PathBuf),
}

fn first_violation(violations: &[Violation]) -> String {
    violations
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
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
    pub fn describe(self) -> &'static str {
        match self {
            Basis::Optimum => "optimum",
            Basis::CriticalPath => "critical-path lower bound",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct InstanceResult {
    pub instance: String,
    pub makespan: u32,
    pub critical_path: u32,
    pub optimum_lower: Option<u32>,
    pub optimum_upper: Option<u32>,
    /// Percent above the report's basis.
    pub deviation: f64,
    /// Makespan at or below the optimum / best known upper bound.
    pub at_best: Option<bool>,
    pub schedules: u64,
    pub seconds: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    pub basis: Basis,
    pub instances: Vec<InstanceResult>,
    pub average_deviation: f64,
    /// Share of instances with a known bound whose makespan reaches it.
    pub share_at_best: f64,
    pub average_seconds: f64,
    pub total_seconds: f64,
}

/// Searches every `*.sm` file in `dir` (sorted by name, in parallel over
/// instances, each search sequential and so deterministic).
/// `on_instance(total)` is called after each instance, e.g. to advance a
/// progress bar of `total` steps.
pub fn run_bench(
    dir: &Path,
    config: &SearchConfig,
    on_instance: &(dyn Fn(usize) + Sync),
) -> Result<BenchReport, BenchError> {
    let started = Instant::now();
    let files = instance_files(dir)?;
    if files.is_empty() {
        return Err(BenchError::Empty(dir.to_path_buf()));
    }
    let optima = read_optima(dir)?;
    let config = SearchConfig {
        parallel: false,
        ..config.clone()
    };
    let mut raw: Vec<InstanceResult> = files
        .par_iter()
        .map(|path| {
            let result = run_instance(path, &config, &optima);
            on_instance(files.len());
            result
        })
        .collect::<Result<_, _>>()?;
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

fn instance_files(dir: &Path) -> Result<Vec<PathBuf>, BenchError> {
    let io = |source| BenchError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "sm") {
            files.push(path);
        }
    }
    // Natural order (j301_2 before j301_10) reads better in the CSV.
    files.sort_by_key(|p| natural_key(&file_name(p)));
    Ok(files)
}

fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for ch in name.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            if !digits.is_empty() {
                key.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.push(ch);
        }
    }
    key.push((text, digits.parse().unwrap_or(0)));
    key
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Missing `optimum.csv` is fine: deviations are then from the critical path.
fn read_optima(dir: &Path) -> Result<HashMap<String, Optimum>, BenchError> {
    let path = dir.join("optimum.csv");
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_optimum_csv(&text).map_err(|source| BenchError::Parse { path, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
        Err(source) => Err(BenchError::Io { path, source }),
    }
}

fn run_instance(
    path: &Path,
    config: &SearchConfig,
    optima: &HashMap<String, Optimum>,
) -> Result<InstanceResult, BenchError> {
    let started = Instant::now();
    let text = std::fs::read_to_string(path).map_err(|source| BenchError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let problem = parse_sm(&text).map_err(|source| BenchError::Parse {
        path: path.to_path_buf(),
        source,
    })?;
    let result = search(&problem, config, &[]).map_err(|source| BenchError::Search {
        path: path.to_path_buf(),
        source,
    })?;
    let violations = check(&problem, &result.schedule);
    if !violations.is_empty() {
        return Err(BenchError::Infeasible {
            path: path.to_path_buf(),
            violations,
        });
    }
    let instance = file_name(path);
    let optimum = optima.get(&instance).copied();
    Ok(InstanceResult {
        makespan: result.makespan,
        critical_path: result.lower_bound,
        optimum_lower: optimum.and_then(|o| o.lower),
        optimum_upper: optimum.map(|o| o.upper),
        deviation: 0.0,
        at_best: optimum.map(|o| result.makespan <= o.upper),
        schedules: result.schedules,
        seconds: started.elapsed().as_secs_f64(),
        instance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_sorts_numbers_by_value() {
        let mut names = vec!["j301_10.sm", "j301_2.sm", "j3010_1.sm", "j301_1.sm"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(
            names,
            vec!["j301_1.sm", "j301_2.sm", "j301_10.sm", "j3010_1.sm"]
        );
    }

    #[test]
    fn deviation_is_relative_percent() {
        assert!((percent_above(44, 40) - 10.0).abs() < 1e-9);
        assert_eq!(percent_above(3, 0), 0.0);
    }
}
