//! One function per subcommand: turn arguments into library calls and choose the output.

mod bounds;
mod html_report;
mod interchange;
mod simulate;

use crate::cli::{Cli, Command, EstimateArg, FormatArg, GraphFormat, ModelArg, SearchArgs};
use plan::model::{self, EstimateChoice, Model, Scenario};
use plan::report::{self, Format};
use plan::schedule::{check, Schedule, SearchConfig};
use plan::Diagnostics;
use std::fmt;
use std::io::Write;
use std::path::Path;

/// A failed command: bad input (exit 2) or a failure to write the output.
#[derive(Debug)]
pub enum CliError {
    /// Problems in the user's files or arguments.
    Input(Diagnostics),
    /// Anything else, already phrased for the user.
    Other(String),
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(d) => write!(f, "{d}"),
            CliError::Other(s) => write!(f, "error: {s}"),
        }
    }
}

impl From<Diagnostics> for CliError {
    fn from(d: Diagnostics) -> Self {
        CliError::Input(d)
    }
}

/// Runs the parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    match cli.command {
        Command::CriticalPath(a) => critical_path(&a.model, a.format, a.near, a.estimate),
        Command::Validate(a) => validate(&a.model, a.scenario.as_deref()),
        Command::Graph(a) => graph(&a.model, a.format),
        Command::Rcpsp(a) => rcpsp(&a),
        Command::Simulate(a) => simulate::run_simulate(&a),
        Command::Forecast(a) => simulate::run_forecast(&a),
        Command::Schedule(a) => {
            let (_, report) = best_schedule(&a.search)?;
            emit(&report::schedule::render(&report, format(a.format)))?;
            Ok(0)
        }
        Command::Export(a) => interchange::export(&a),
        Command::Import(a) => interchange::import(&a),
        Command::Completions(a) => interchange::completions(a.shell),
        Command::Man => interchange::man(),
        Command::Feasibility(a) => bounds::feasibility(&a),
        Command::Staff(a) => bounds::staff(&a),
        Command::Report(a) => html_report::report(&a),
    }
}

fn load(arg: &ModelArg) -> Result<Model, CliError> {
    Ok(match &arg.model {
        Some(path) => model::load_model(path)?,
        None => model::builtin_model(),
    })
}

fn load_scenario(path: Option<&Path>, model: &Model) -> Result<Option<Scenario>, CliError> {
    path.map(|p| model::load_scenario(p, model))
        .transpose()
        .map_err(CliError::from)
}

fn estimate(e: EstimateArg) -> EstimateChoice {
    match e {
        EstimateArg::Optimistic => EstimateChoice::Optimistic,
        EstimateArg::Likely => EstimateChoice::Likely,
        EstimateArg::Pessimistic => EstimateChoice::Pessimistic,
        EstimateArg::Mean => EstimateChoice::Mean,
    }
}

fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
    }
}

/// Writes to stdout; a closed pipe (`plan … | head`) is not an error.
fn emit(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Other(format!("cannot write the output: {e}"))),
    }
}

fn critical_path(m: &ModelArg, f: FormatArg, near: f64, e: EstimateArg) -> Result<i32, CliError> {
    if !near.is_finite() || near < 0.0 {
        return Err(CliError::Other(format!(
            "--near {near}: give a number of working days of zero or more"
        )));
    }
    let model = load(m)?;
    let choice = estimate(e);
    let result = plan::cpm::analyze_model(&model, choice);
    let rep = report::critical_path::build(&model, &result, choice);
    emit(&report::critical_path::render(&rep, format(f), near))?;
    Ok(0)
}

fn validate(m: &ModelArg, scenario: Option<&Path>) -> Result<i32, CliError> {
    let model = load(m)?;
    let scenario = load_scenario(scenario, &model)?;
    let result = plan::cpm::analyze_model(&model, EstimateChoice::Likely);
    let warnings = report::lint::warnings(&model, &result);
    emit(&report::lint::render(&model, scenario.as_ref(), &warnings))?;
    Ok(0)
}

fn graph(m: &ModelArg, f: GraphFormat) -> Result<i32, CliError> {
    let model = load(m)?;
    let result = plan::cpm::analyze_model(&model, EstimateChoice::Likely);
    let text = match f {
        GraphFormat::Dot => report::graph::dot(&model, &result),
        GraphFormat::Mermaid => report::graph::mermaid(&model, &result),
    };
    emit(&text)?;
    Ok(0)
}

fn rcpsp(args: &plan::schedule::rcpsp_cmd::RcpspArgs) -> Result<i32, CliError> {
    let mut out = std::io::stdout().lock();
    match plan::schedule::rcpsp_cmd::run(args, &mut out) {
        Ok(()) => Ok(0),
        Err(e) if e.exit_code() == 2 => Err(CliError::Other(e.to_string())),
        Err(e) => {
            eprintln!("error: {e}");
            Ok(e.exit_code())
        }
    }
}

/// The scenario of a search: the given file, else the built-in default for the built-in model.
fn search_scenario(args: &SearchArgs, model: &Model) -> Result<Scenario, CliError> {
    match (&args.scenario, &args.model.model) {
        (Some(path), _) => Ok(model::load_scenario(path, model)?),
        (None, None) => Ok(model::parse_scenario(
            model::BUILTIN_SCENARIO,
            Path::new(model::BUILTIN_SCENARIO_NAME),
            model,
        )?),
        (None, Some(_)) => Err(CliError::Other(
            "no team: give --scenario FILE with a [team] table (headcount per role)".into(),
        )),
    }
}

fn search_config(args: &SearchArgs) -> Result<SearchConfig, CliError> {
    if args.schedules == 0 {
        return Err(CliError::Other(
            "--schedules 0: give a budget of at least 1 schedule".into(),
        ));
    }
    let time_limit = match args.time_limit {
        None => None,
        Some(s) if s.is_finite() && s > 0.0 => Some(std::time::Duration::from_secs_f64(s)),
        Some(s) => {
            return Err(CliError::Other(format!(
                "--time-limit {s}: give a positive number of seconds"
            )))
        }
    };
    Ok(SearchConfig {
        schedules: args.schedules,
        time_limit,
        seed: args.seed,
        ..SearchConfig::default()
    })
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    let mut b = rayon::ThreadPoolBuilder::new();
    match threads {
        Some(0) => {
            return Err(CliError::Other(
                "--threads 0: give at least 1 thread".into(),
            ))
        }
        Some(n) => b = b.num_threads(n),
        None => {}
    }
    b.build()
        .map_err(|e| CliError::Other(format!("cannot start worker threads: {e}")))
}

/// Searches the best schedule of the model with the scenario's team, checks it independently,
/// and reports it.
fn best_schedule(
    args: &SearchArgs,
) -> Result<(Schedule, report::schedule::ScheduleReport), CliError> {
    let model = load(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    let config = search_config(args)?;
    let pp = plan::program::build(&model, &scenario, estimate(args.estimate))?;
    let pool = thread_pool(args.threads)?;
    let result = pool
        .install(|| pp.search(&config, &[]))
        .map_err(|e| CliError::Other(format!("the scheduler rejected the model: {e}")))?;
    let violations = check(&pp.problem, &result.schedule);
    if !violations.is_empty() {
        let list: Vec<String> = violations.iter().take(5).map(|v| v.to_string()).collect();
        return Err(CliError::Other(format!(
            "internal error: the schedule found fails the independent check: {}",
            list.join("; ")
        )));
    }
    let rep = report::schedule::build(
        &model,
        &scenario.name,
        &pp,
        &result.schedule,
        pp.lower_bound(),
        result.schedules,
    );
    Ok((result.schedule, rep))
}
