//! One function per subcommand: turn arguments into library calls and choose the output.

use crate::cli::{Cli, Command, EstimateArg, FormatArg, GraphFormat, ModelArg};
use plan::model::{self, EstimateChoice, Model, Scenario};
use plan::report::{self, Format};
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
