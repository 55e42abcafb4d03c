//! `plan simulate` and `plan forecast`: settings from flags over the scenario's `[simulation]`
//! table, a progress bar on a terminal, Ctrl-C stops the run without output (exit 130).

use super::{emit, format, load, thread_pool, CliError};
use crate::cli::{DistributionArg, ForecastArgs, ModelArg, SimulateArgs, SimulationArgs};
use plan::model::scenario::Distribution;
use plan::model::{self, Model, Scenario};
use plan::report;
use plan::simulate::{simulate, SimConfig, SimError, SimResult};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// Exit code of a run interrupted by Ctrl-C (128 + SIGINT).
const INTERRUPTED: i32 = 130;
/// Iterations when neither the flag nor the scenario gives them.
const DEFAULT_ITERATIONS: u64 = 10_000;
/// Seed when neither the flag nor the scenario gives one.
const DEFAULT_SEED: u64 = 1;

/// Set by the Ctrl-C handler; the simulation checks it between chunks.
static CANCEL: AtomicBool = AtomicBool::new(false);

fn install_ctrlc() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        // Without a handler Ctrl-C still ends the process, only less tidily: not fatal.
        let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::SeqCst));
    });
}

/// `plan simulate`.
pub fn run_simulate(a: &SimulateArgs) -> Result<i32, CliError> {
    let model = load(&a.model)?;
    let scenarios = scenarios(&a.model, &a.scenario, &model, a.sim.no_resources)?;
    match run_all(&model, &scenarios, &a.sim)? {
        Some(results) => {
            emit(&report::simulate::render(&results, format(a.format)))?;
            Ok(0)
        }
        None => Ok(INTERRUPTED),
    }
}

/// `plan forecast`.
pub fn run_forecast(a: &ForecastArgs) -> Result<i32, CliError> {
    if !(a.confidence > 0.0 && a.confidence <= 1.0) {
        return Err(CliError::Other(format!(
            "--confidence {}: give a probability above 0 and at most 1, e.g. 0.8",
            a.confidence
        )));
    }
    let model = load(&a.model)?;
    let given: Vec<PathBuf> = a.scenario.iter().cloned().collect();
    let scenarios = scenarios(&a.model, &given, &model, a.sim.no_resources)?;
    match run_all(&model, &scenarios, &a.sim)? {
        Some(results) => {
            emit(&report::simulate::render_forecast(
                &results[0],
                a.confidence,
                format(a.format),
            ))?;
            Ok(0)
        }
        None => Ok(INTERRUPTED),
    }
}

/// The scenarios to run: the given files, else the built-in team for the built-in model, else
/// (precedence-only) an empty team.
fn scenarios(
    m: &ModelArg,
    given: &[PathBuf],
    model: &Model,
    no_resources: bool,
) -> Result<Vec<Scenario>, CliError> {
    if !given.is_empty() {
        return given
            .iter()
            .map(|p| model::load_scenario(p, model).map_err(CliError::from))
            .collect();
    }
    match (&m.model, no_resources) {
        (None, _) => Ok(vec![model::parse_scenario(
            model::BUILTIN_SCENARIO,
            Path::new(model::BUILTIN_SCENARIO_NAME),
            model,
        )?]),
        (Some(_), true) => Ok(vec![Scenario::empty(model)]),
        (Some(_), false) => Err(CliError::Other(
            "no team: give --scenario FILE with a [team] table, or --no-resources".into(),
        )),
    }
}

/// Flags over the scenario's `[simulation]` table over the defaults.
fn config(args: &SimulationArgs, scenario: &Scenario) -> Result<SimConfig, CliError> {
    let s = &scenario.simulation;
    let correlation = args.correlation.or(s.correlation).unwrap_or(0.0);
    if !(0.0..=1.0).contains(&correlation) {
        return Err(CliError::Other(format!(
            "--correlation {correlation}: give a number between 0 and 1"
        )));
    }
    Ok(SimConfig {
        iterations: args
            .iterations
            .or(s.iterations)
            .unwrap_or(DEFAULT_ITERATIONS),
        seed: args.seed.or(s.seed).unwrap_or(DEFAULT_SEED),
        distribution: args
            .distribution
            .map(distribution)
            .or(s.distribution)
            .unwrap_or_default(),
        correlation,
        resources: !args.no_resources,
    })
}

fn distribution(d: DistributionArg) -> Distribution {
    match d {
        DistributionArg::Pert => Distribution::Pert,
        DistributionArg::Triangular => Distribution::Triangular,
        DistributionArg::Lognormal => Distribution::Lognormal,
    }
}

/// Runs every scenario on one thread pool; `None` when interrupted.
fn run_all(
    model: &Model,
    scenarios: &[Scenario],
    args: &SimulationArgs,
) -> Result<Option<Vec<SimResult>>, CliError> {
    let configs = scenarios
        .iter()
        .map(|s| config(args, s))
        .collect::<Result<Vec<_>, _>>()?;
    let pool = thread_pool(args.threads)?;
    install_ctrlc();
    let total: u64 = configs.iter().map(|c| c.iterations).sum();
    let bar = progress_bar(total);
    let mut results = Vec::new();
    let mut before = 0;
    for (scenario, config) in scenarios.iter().zip(&configs) {
        let mut tick = |done: u64| {
            if let Some(b) = &bar {
                b.set_position(before + done);
            }
        };
        let outcome = pool.install(|| simulate(model, scenario, config, &CANCEL, &mut tick));
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
            Err(e) => return Err(CliError::Other(e.to_string())),
        }
        before += config.iterations;
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(Some(results))
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
