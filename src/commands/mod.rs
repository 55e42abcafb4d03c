//! One function per subcommand: turn arguments into library calls and choose the output.
//!
//! This file only dispatches. The modules below it never import it: what several commands
//! share lives in leaves they import ([`common`], [`error`], [`interrupt`], [`output`]), so
//! no two files of the binary import each other (`src/stages.rs` checks it).

mod bounds;
mod common;
mod error;
mod explain;
mod html_report;
mod interchange;
mod interrupt;
mod network;
mod output;
mod rcpsp;
mod simulate;
mod track;

use crate::cli::{Cli, Command};
pub use error::CliError;
use plan::report;

/// Runs the parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    interrupt::install();
    if common::test_fault(common::PANIC) {
        panic!(
            "{}={} asked for a panic",
            common::FAULT_VARIABLE,
            common::PANIC
        );
    }
    match cli.command {
        Command::CriticalPath(a) => match &a.baseline {
            Some(b) => track::critical_path(&a, b),
            None => network::critical_path(&a.model, a.format, a.near, a.estimate),
        },
        Command::Validate(a) => network::validate(&a.model, a.scenario.as_deref()),
        Command::Graph(a) => network::graph(&a.model, a.format),
        Command::Rcpsp(a) => rcpsp::rcpsp(&a),
        Command::Simulate(a) => simulate::run_simulate(&a),
        Command::Forecast(a) => simulate::run_forecast(&a),
        Command::Schedule(a) => match &a.baseline {
            Some(b) => track::schedule(&a, b),
            None => {
                let (_, rep) = common::best_schedule(&a.search)?;
                common::emit(&report::schedule::render(&rep, common::format(a.format)))?;
                Ok(0)
            }
        },
        Command::Export(a) => interchange::export(&a),
        Command::Import(a) => interchange::import(&a),
        Command::Completions(a) => interchange::completions(a.shell),
        Command::Man => interchange::man(),
        Command::Feasibility(a) => bounds::feasibility(&a),
        Command::Staff(a) => bounds::staff(&a),
        Command::Report(a) => html_report::report(&a),
        Command::Diff(a) => track::diff(&a),
        Command::History(a) => track::history(&a),
        Command::Baseline(a) => track::baseline(&a),
        Command::Status(a) => track::status(&a),
        Command::Explain(a) => explain::explain(&a),
    }
}
