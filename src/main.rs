//! `plan`: a capacity-planning engine for programs of work.
//! (Stand-in CLI exposing only `rcpsp`; the full CLI lives on the main branch.)

use clap::{Parser, Subcommand};
use plan::schedule::rcpsp_cmd::{run, RcpspArgs};

#[derive(Parser)]
#[command(name = "plan", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Solve or benchmark PSPLIB resource-constrained project scheduling instances.
    Rcpsp(RcpspArgs),
}

fn main() {
    let cli = Cli::parse();
    let Command::Rcpsp(args) = cli.command;
    let stdout = std::io::stdout();
    if let Err(e) = run(&args, &mut stdout.lock()) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
