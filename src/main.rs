//! The `plan` binary: parse arguments, run one command, map errors to exit codes.

mod cli;
mod commands;

use clap::Parser;
use commands::CliError;

fn main() {
    let cli = cli::Cli::parse();
    // A panic is a bug in plan like any other internal failure: exit 1 with the line asking
    // for a report (the default hook has printed where it happened), not Rust's 101.
    let outcome = std::panic::catch_unwind(move || commands::run(cli)).unwrap_or_else(|_| {
        Err(CliError::Internal(
            "plan stopped on a panic (its message is above)".into(),
        ))
    });
    let code = match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{err}");
            err.exit_code()
        }
    };
    std::process::exit(code);
}
