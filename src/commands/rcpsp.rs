//! `plan rcpsp`: solve one PSPLIB instance, or benchmark a directory of them. The library
//! parses, searches, checks and compares with the optima and renders the tables and JSON
//! (`plan::report::rcpsp`); this module reads the files, draws the progress bar, writes the
//! CSV and prints.

use super::common::{build_environment, emit};
use super::error::CliError;
use super::interrupt::EXIT_INTERRUPTED;
use super::output::write_atomic_with;
use crate::cli::{RcpspArgs, RcpspFormat};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use plan::report::rcpsp::{solution_json, solution_table, summary_json, summary_table};
use plan::run::{Environment, EnvironmentBuilder, Progress};
use plan::schedule::bench::{run_bench, BenchError, BenchReport, Instance};
use plan::schedule::psplib::{parse_optimum_csv, parse_sm, Optimum};
use plan::schedule::{search_checked, SearchConfig, SearchFailure, SearchResult};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `plan rcpsp`.
pub fn rcpsp(a: &RcpspArgs) -> Result<i32, CliError> {
    if let Some(csv) = &a.csv {
        super::output::Target::of(csv)?; // a directory is refused before the benchmark
    }
    let settings = Environment::builder()
        .seed(a.seed)
        .schedules(a.schedules)
        .time_limit(a.time_limit)
        .threads(a.threads);
    let text = match (&a.bench, &a.file) {
        (Some(dir), _) => {
            let bar = progress_bar();
            let settings = settings.progress(progress_to(&bar));
            let report = bench(dir, settings);
            bar.finish_and_clear();
            match report? {
                Some(report) => bench_output(a, &report)?,
                None => {
                    eprintln!("interrupted: no output written");
                    return Ok(EXIT_INTERRUPTED);
                }
            }
        }
        (None, Some(file)) => {
            let result = solve(file, build_environment(settings)?)?;
            match a.format {
                RcpspFormat::Json => format!("{}\n", solution_json(&result)),
                RcpspFormat::Table => solution_table(&result),
            }
        }
        (None, None) => {
            return Err(CliError::Invalid(
                "nothing to do: give an instance FILE or --bench DIR".into(),
            ))
        }
    };
    emit(&text)?;
    Ok(0)
}

/// The best checked schedule of one instance file.
fn solve(path: &Path, env: Environment) -> Result<SearchResult, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Io(format!(
            "{}: {e}\n  help: check the path of the instance file; it must be UTF-8 text",
            path.display()
        ))
    })?;
    let problem = parse_sm(&text)
        .map_err(|e| CliError::Invalid(format!("{}: {e}\n  help: {}", path.display(), e.help())))?;
    env.install(|| search_checked(&problem, &SearchConfig::for_run(&env), &[]))
        .map_err(|e| search_failure(path, e))
}

/// Whose fault a failed search is: the instance's (rejected) or plan's (unsound).
fn search_failure(path: &Path, e: SearchFailure) -> CliError {
    let text = format!("{}: {e}", path.display());
    match e {
        SearchFailure::Rejected(_) => CliError::Invalid(text),
        SearchFailure::Unsound(_) => CliError::Internal(text),
    }
}

/// Benchmarks every `*.sm` file of `dir` against its `optimum.csv`; `None` when interrupted.
fn bench(dir: &Path, settings: EnvironmentBuilder) -> Result<Option<BenchReport>, CliError> {
    let env = build_environment(settings)?;
    let instances = read_instances(dir)?;
    let optima = read_optima(dir)?;
    match run_bench(&instances, &optima, &env) {
        Ok(report) => Ok(Some(report)),
        Err(BenchError::Cancelled) => Ok(None),
        Err(e @ BenchError::Parse { .. }) => Err(CliError::Invalid(e.to_string())),
        Err(BenchError::Search { path, source }) => Err(search_failure(&path, source)),
    }
}

/// Every `*.sm` file of `dir`, read, in natural order of file names.
fn read_instances(dir: &Path) -> Result<Vec<Instance>, CliError> {
    let io = |e: std::io::Error| CliError::Io(format!("{}: {e}", dir.display()));
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "sm") {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(CliError::Invalid(format!(
            "{}: no *.sm instances",
            dir.display()
        )));
    }
    // Natural order (j301_2 before j301_10) reads better in the CSV.
    files.sort_by_key(|p| natural_key(&p.file_name().unwrap_or_default().to_string_lossy()));
    files
        .into_iter()
        .map(|file| match std::fs::read_to_string(&file) {
            Ok(text) => Ok(Instance { file, text }),
            Err(e) => Err(CliError::Io(format!("{}: {e}", file.display()))),
        })
        .collect()
}

/// Sort key comparing runs of digits by value.
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

/// `dir/optimum.csv`; a missing one is fine: deviations are then from the critical path.
fn read_optima(dir: &Path) -> Result<HashMap<String, Optimum>, CliError> {
    let path: PathBuf = dir.join("optimum.csv");
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_optimum_csv(&text)
            .map_err(|e| CliError::Invalid(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
        Err(e) => Err(CliError::Io(format!("{}: {e}", path.display()))),
    }
}

/// Hidden unless stderr is a terminal, so logs and pipes stay clean.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} instances, {elapsed} elapsed, eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// The environment's progress callback, moving `bar` (instances done of all).
fn progress_to(bar: &ProgressBar) -> plan::run::ProgressFn {
    let bar = bar.clone();
    Arc::new(move |p: Progress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
    })
}

/// Writes the CSV (when asked), then returns the summary to print.
fn bench_output(a: &RcpspArgs, report: &BenchReport) -> Result<String, CliError> {
    if let Some(csv) = &a.csv {
        write_atomic_with(csv, |file| {
            let mut writer = csv::Writer::from_writer(file);
            for row in &report.instances {
                writer.serialize(row).map_err(std::io::Error::other)?;
            }
            writer.flush()
        })?;
    }
    Ok(match a.format {
        RcpspFormat::Json => format!("{}\n", summary_json(report, a.schedules)),
        RcpspFormat::Table => summary_table(report, a.schedules),
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
}
