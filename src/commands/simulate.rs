//! `plan simulate` and `plan forecast`: settings from flags over the scenario's `[simulation]`
//! table (defaults from [`SimConfig::layered`]), a progress bar on a terminal, Ctrl-C stops
//! the run without output (exit 130).

use super::common::{build_environment, emit, format, load_any, scenarios, NoTeam};
use super::error::CliError;
use super::interrupt::EXIT_INTERRUPTED;
use crate::cli::{DistributionArg, ForecastArgs, SimulateArgs, SimulationArgs};
use plan::model::scenario::{Distribution, SimulationSettings};
use plan::model::{Program, Scenario};
use plan::report;
use plan::run::{Environment, Progress};
use plan::simulate::{simulate_program, SimConfig, SimError, SimResult};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

/// The advice when a simulation gets a model file and neither a scenario nor `--no-resources`.
const NEED_TEAM_OR_NO_RESOURCES: &str =
    "give --scenario FILE with a [team] table, or --no-resources";

/// `plan simulate`.
pub fn run_simulate(a: &SimulateArgs) -> Result<i32, CliError> {
    let mut model = load_any(&a.model)?;
    if a.calibrate {
        // Calibration scales estimates only: the graph stays the one already built.
        model.model = super::track::calibrate(&model)?;
    }
    let scenarios = scenarios(&a.model, &a.scenario, &model, no_team(&a.sim))?;
    match run_all(&model, &scenarios, &a.sim)? {
        Some(results) => {
            emit(&report::simulate::render(&results, format(a.format)))?;
            Ok(0)
        }
        None => Ok(EXIT_INTERRUPTED),
    }
}

/// `plan forecast`.
pub fn run_forecast(a: &ForecastArgs) -> Result<i32, CliError> {
    if !(a.confidence > 0.0 && a.confidence <= 1.0) {
        return Err(CliError::Invalid(format!(
            "--confidence {}: give a probability above 0 and at most 1, e.g. 0.8",
            a.confidence
        )));
    }
    let model = load_any(&a.model)?;
    let given: Vec<PathBuf> = a.scenario.iter().cloned().collect();
    let scenarios = scenarios(&a.model, &given, &model, no_team(&a.sim))?;
    match run_all(&model, &scenarios, &a.sim)? {
        Some(results) => {
            emit(&report::simulate::render_forecast(
                &results[0],
                a.confidence,
                format(a.format),
            ))?;
            Ok(0)
        }
        None => Ok(EXIT_INTERRUPTED),
    }
}

/// Without a team, precedence-only runs go on with an empty one; the others need a scenario.
fn no_team(args: &SimulationArgs) -> NoTeam {
    if args.no_resources {
        NoTeam::Empty
    } else {
        NoTeam::Refuse(NEED_TEAM_OR_NO_RESOURCES)
    }
}

/// Flags over the scenario's `[simulation]` table over the defaults.
fn config(args: &SimulationArgs, scenario: &Scenario) -> Result<SimConfig, CliError> {
    let given = SimulationSettings {
        iterations: args.iterations,
        seed: args.seed,
        distribution: args.distribution.map(distribution),
        correlation: args.correlation,
    };
    let config = SimConfig::layered(&given, &scenario.simulation, !args.no_resources);
    if !(0.0..=1.0).contains(&config.correlation) {
        return Err(CliError::Invalid(format!(
            "--correlation {}: give a number between 0 and 1",
            config.correlation
        )));
    }
    Ok(config)
}

fn distribution(d: DistributionArg) -> Distribution {
    match d {
        DistributionArg::Pert => Distribution::Pert,
        DistributionArg::Triangular => Distribution::Triangular,
        DistributionArg::Lognormal => Distribution::Lognormal,
    }
}

/// Runs every scenario on one environment; `None` when interrupted by Ctrl-C.
fn run_all(
    model: &Program,
    scenarios: &[Scenario],
    args: &SimulationArgs,
) -> Result<Option<Vec<SimResult>>, CliError> {
    let configs = scenarios
        .iter()
        .map(|s| config(args, s))
        .collect::<Result<Vec<_>, _>>()?;
    let total: u64 = configs.iter().map(|c| c.iterations).sum();
    let bar = progress_bar(total);
    let env = environment(args.threads, bar.clone())?;
    let mut results = Vec::new();
    let mut before = 0;
    for (scenario, config) in scenarios.iter().zip(&configs) {
        let mut tick = |done: u64| env.report(before + done, total);
        let outcome =
            env.install(|| simulate_program(model, scenario, config, env.cancel_flag(), &mut tick));
        match outcome {
            Ok(r) => results.push(r),
            Err(SimError::Cancelled) => {
                if let Some(b) = &bar {
                    b.abandon();
                }
                eprintln!("interrupted: no output written");
                return Ok(None);
            }
            Err(SimError::Input(d)) => return Err(CliError::Input(d)),
            Err(SimError::Search(e)) => return Err(e.into()),
            Err(e @ SimError::Config(_)) => return Err(CliError::Invalid(e.to_string())),
        }
        before += config.iterations;
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(Some(results))
}

/// The simulation's environment: its threads, progress to `bar` (and, as every run's, the
/// cancel flag Ctrl-C sets).
fn environment(
    threads: Option<usize>,
    bar: Option<indicatif::ProgressBar>,
) -> Result<Environment, CliError> {
    let mut builder = Environment::builder().threads(threads);
    if let Some(bar) = bar {
        builder = builder.progress(Arc::new(move |p: Progress| bar.set_position(p.done)));
    }
    build_environment(builder)
}

/// A progress bar on stderr, only when stderr is a terminal.
fn progress_bar(total: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} iterations ({eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}
