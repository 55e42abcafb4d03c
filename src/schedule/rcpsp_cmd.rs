//! The `plan rcpsp` command: solve one PSPLIB instance or benchmark a
//! directory of them, printing a table or JSON.

use super::bench::{run_bench, BenchError, BenchReport};
use super::checker::check;
use super::psplib::{parse_sm, PsplibError};
use super::search::{search, SearchConfig, SearchError, SearchResult};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

#[derive(clap::Args, Debug, Clone)]
pub struct RcpspArgs {
    /// PSPLIB `.sm` instance to solve.
    #[arg(required_unless_present = "bench", conflicts_with = "bench")]
    pub file: Option<PathBuf>,
    /// Benchmark every `*.sm` file in DIR against its `optimum.csv`.
    #[arg(long, value_name = "DIR")]
    pub bench: Option<PathBuf>,
    /// Budget per instance, in generated schedules (each justification pass counts).
    #[arg(long, default_value_t = 5000)]
    pub schedules: u64,
    /// Wall-clock limit per instance; makes results timing-dependent.
    #[arg(long, value_name = "SECS")]
    pub time_limit: Option<f64>,
    /// Random seed; the same seed and budget give the same result.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Per-instance results of `--bench` as CSV.
    #[arg(long, value_name = "FILE", requires = "bench")]
    pub csv: Option<PathBuf>,
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Error)]
pub enum RcpspError {
    #[error("{path}: {source}\n  help: check the path of the instance file")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}\n  help: {}", source.help())]
    Parse { path: PathBuf, source: PsplibError },
    #[error("{0}")]
    Search(#[from] SearchError),
    #[error("{0}")]
    Bench(#[from] BenchError),
    #[error("--schedules 0: give a budget of at least 1 schedule")]
    ZeroBudget,
    #[error("--time-limit must be a positive number of seconds, got {0}")]
    TimeLimit(f64),
    #[error("--threads: {0}")]
    Threads(String),
    #[error("nothing to do: give an instance FILE or --bench DIR")]
    NothingToDo,
    #[error("{path}: {source}")]
    WriteCsv {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("writing output: {0}")]
    Output(#[from] std::io::Error),
    #[error("internal error: the search produced an infeasible schedule: {0}")]
    Infeasible(String),
}

impl RcpspError {
    /// 2 for bad input (files, arguments), 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            RcpspError::Read { .. }
            | RcpspError::Parse { .. }
            | RcpspError::Search(_)
            | RcpspError::TimeLimit(_)
            | RcpspError::ZeroBudget
            | RcpspError::Threads(_)
            | RcpspError::NothingToDo => 2,
            RcpspError::Bench(e) => match e {
                BenchError::Infeasible { .. } => 1,
                _ => 2,
            },
            RcpspError::WriteCsv { .. } | RcpspError::Output(_) | RcpspError::Infeasible(_) => 1,
        }
    }
}

pub fn run(args: &RcpspArgs, out: &mut dyn Write) -> Result<(), RcpspError> {
    let config = search_config(args)?;
    let pool = thread_pool(args.threads)?;
    match (&args.bench, &args.file) {
        (Some(dir), _) => {
            let report = pool.install(|| run_benchmark(dir, &config))?;
            write_report(args, &report, out)
        }
        (None, Some(file)) => {
            let result = pool.install(|| solve_file(file, &config))?;
            match args.format {
                Format::Json => writeln!(out, "{}", solution_json(&result))?,
                Format::Table => write_solution_table(&result, out)?,
            }
            Ok(())
        }
        (None, None) => Err(RcpspError::NothingToDo),
    }
}

fn search_config(args: &RcpspArgs) -> Result<SearchConfig, RcpspError> {
    if args.schedules == 0 {
        return Err(RcpspError::ZeroBudget);
    }
    let time_limit = match args.time_limit {
        None => None,
        Some(secs) if secs.is_finite() && secs > 0.0 => Some(Duration::from_secs_f64(secs)),
        Some(secs) => return Err(RcpspError::TimeLimit(secs)),
    };
    Ok(SearchConfig {
        schedules: args.schedules,
        time_limit,
        seed: args.seed,
        ..SearchConfig::default()
    })
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, RcpspError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            return Err(RcpspError::Threads("must be at least 1".into()));
        }
        builder = builder.num_threads(n);
    }
    builder
        .build()
        .map_err(|e| RcpspError::Threads(e.to_string()))
}

fn solve_file(path: &Path, config: &SearchConfig) -> Result<SearchResult, RcpspError> {
    let text = std::fs::read_to_string(path).map_err(|source| RcpspError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let problem = parse_sm(&text).map_err(|source| RcpspError::Parse {
        path: path.to_path_buf(),
        source,
    })?;
    let result = search(&problem, config, &[])?;
    if let Some(v) = check(&problem, &result.schedule).first() {
        return Err(RcpspError::Infeasible(v.to_string()));
    }
    Ok(result)
}

fn solution_json(result: &SearchResult) -> serde_json::Value {
    serde_json::json!({
        "makespan": result.makespan,
        "lower_bound": result.lower_bound,
        "schedules": result.schedules,
        "starts": result.schedule.starts,
    })
}

fn write_solution_table(result: &SearchResult, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "makespan     {}", result.makespan)?;
    writeln!(out, "lower bound  {} (critical path)", result.lower_bound)?;
    writeln!(out, "schedules    {}", result.schedules)?;
    writeln!(out)?;
    writeln!(out, "{:>5}  {:>5}", "job", "start")?;
    for (j, start) in result.schedule.starts.iter().enumerate() {
        writeln!(out, "{:>5}  {:>5}", j + 1, start)?;
    }
    Ok(())
}

fn run_benchmark(dir: &Path, config: &SearchConfig) -> Result<BenchReport, RcpspError> {
    let bar = progress_bar();
    let report = run_bench(dir, config, &|total| {
        bar.set_length(total as u64);
        bar.inc(1);
    });
    bar.finish_and_clear();
    Ok(report?)
}

fn write_report(
    args: &RcpspArgs,
    report: &BenchReport,
    out: &mut dyn Write,
) -> Result<(), RcpspError> {
    if let Some(csv) = &args.csv {
        write_csv_atomically(csv, report).map_err(|source| RcpspError::WriteCsv {
            path: csv.clone(),
            source,
        })?;
    }
    match args.format {
        Format::Json => writeln!(out, "{}", summary_json(report, args.schedules))?,
        Format::Table => write_summary_table(report, args.schedules, out)?,
    }
    Ok(())
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

fn summary_json(report: &BenchReport, budget: u64) -> serde_json::Value {
    serde_json::json!({
        "instances": report.instances.len(),
        "schedules_per_instance": budget,
        "deviation_basis": report.basis,
        "average_deviation_percent": report.average_deviation,
        "share_at_best": report.share_at_best,
        "average_seconds": report.average_seconds,
        "total_seconds": report.total_seconds,
    })
}

fn write_summary_table(
    report: &BenchReport,
    budget: u64,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "instances                {}", report.instances.len())?;
    writeln!(out, "schedules per instance   {budget}")?;
    writeln!(
        out,
        "average deviation        {:.2}% above the {}",
        report.average_deviation,
        report.basis.describe()
    )?;
    writeln!(
        out,
        "at optimum / best known  {:.1}%",
        100.0 * report.share_at_best
    )?;
    writeln!(
        out,
        "time per instance        {:.3} s",
        report.average_seconds
    )?;
    writeln!(
        out,
        "total time               {:.1} s",
        report.total_seconds
    )?;
    Ok(())
}

/// Writes next to the target, then renames, so readers never see half a file.
fn write_csv_atomically(path: &Path, report: &BenchReport) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = write_csv(&temp, report);
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
        return written;
    }
    std::fs::rename(&temp, path)
}

fn write_csv(path: &Path, report: &BenchReport) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_path(path)?;
    for row in &report.instances {
        writer.serialize(row)?;
    }
    writer.flush()
}
