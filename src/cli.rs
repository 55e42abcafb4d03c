//! The command line: the only file that knows clap.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Capacity planning for programs of work: critical path, resource-constrained schedules,
/// milestone feasibility and risk.
#[derive(Debug, Parser)]
#[command(name = "plan", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The exit codes, as `plan --help` lists them (README.md, "Exit codes", says the same).
pub const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    internal failure: a bug in plan (the message asks you to report it); for
       `plan diff --fail-on-slip DAYS` only, 1 with `slipped:` lines on stderr means a
       milestone moved later by more than DAYS working days (the diff is printed)
  2    bad input: a model, scenario or instance file, a flag value, or a file that cannot be
       read or written
  130  interrupted by Ctrl-C (any command; long ones stop within a second): nothing is
       written";

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The dependency graph's critical path: early/late dates, float, milestone slack.
    CriticalPath(CriticalPathArgs),
    /// Check a model (and a scenario): errors, warnings and a summary.
    Validate(ValidateArgs),
    /// The dependency graph as DOT or Mermaid, critical path marked.
    Graph(GraphArgs),
    /// A resource-constrained schedule for the scenario's team: dates, crews, milestones, load.
    Schedule(ScheduleArgs),
    /// A verdict per milestone: met (checked schedule), infeasible (capacity proof) or unknown.
    Feasibility(FeasibilityArgs),
    /// The cheapest team (headcount per role) whose schedule meets every due date.
    Staff(StaffArgs),
    /// Monte Carlo simulation of milestone dates for one or more scenarios, side by side.
    Simulate(SimulateArgs),
    /// Milestone risk forecast: P50/P80 dates, chance on time, status and risk drivers.
    Forecast(ForecastArgs),
    /// Solve one PSPLIB instance, or benchmark a directory of them against known optima.
    Rcpsp(RcpspArgs),
    /// Write the model and its schedule for other tools: MS Project XML, JSON, CSV, Mermaid, DOT.
    Export(ExportArgs),
    /// Read an MS Project XML (MSPDI), PSPLIB or CSV (spreadsheet, Jira, GitHub Projects) file
    /// into a model (and a team scenario).
    Import(ImportArgs),
    /// One self-contained HTML page: summary, Gantt, forecasts, risk drivers, load, proofs.
    Report(ReportArgs),
    /// What changed between two versions of a plan (files or REV:path) and what it did to
    /// the milestones' dates, verdicts and chances.
    Diff(DiffArgs),
    /// Milestone trend over the model's git history: each commit's forecast.
    History(HistoryArgs),
    /// Freeze the current schedule (dates, P50/P80) with the model's hash to a JSON file.
    Baseline(BaselineArgs),
    /// Print a shell completion script (bash, zsh, fish, ...).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `plan man > plan.1`.
    Man,
    /// Earned value and earned schedule against a baseline (a file or a git revision), and
    /// the milestones at risk.
    Status(StatusArgs),
    /// Why a task or milestone finishes when it does in the schedule: its driving chain back to
    /// the status date, what would move it, and the proof when its due date is impossible.
    Explain(ExplainArgs),
}

/// `plan rcpsp`.
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = RcpspFormat::Table)]
    pub format: RcpspFormat,
    /// Per-instance results of `--bench` as CSV.
    #[arg(long, value_name = "FILE", requires = "bench")]
    pub csv: Option<PathBuf>,
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Output formats of `plan rcpsp` (variants without doc comments, so `--help` keeps its short
/// form).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RcpspFormat {
    Table,
    Json,
}

/// `plan export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    /// File format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file ("-" for standard output). Written atomically.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Export file formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// MS Project XML (MSPDI), read by MS Project, ProjectLibre, MPXJ.
    Mspdi,
    /// The model with its schedule as JSON.
    Json,
    /// The model with its schedule as CSV, one row per task or milestone.
    Csv,
    /// A Mermaid `gantt` chart of the schedule.
    Mermaid,
    /// The dependency graph as Graphviz DOT, critical path marked.
    Dot,
}

/// `plan import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// MS Project XML (.xml), Primavera P6 XER (.xer), PSPLIB (.sm), or a spreadsheet or
    /// tracker export (.csv, .tsv).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The model file to write (TOML). Written atomically.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The team scenario to write. Default: `<out stem>-team.toml` next to the model.
    #[arg(long, value_name = "FILE")]
    pub scenario_out: Option<PathBuf>,
    /// The input's format. Default: from the extension (.xml, .xer, .sm, .csv, .tsv), else
    /// from the content.
    #[arg(long, value_enum)]
    pub from: Option<ImportFormat>,
    /// First day (status date) of the imported project, for files without one: PSPLIB
    /// (default 2025-01-06) and CSV (default today).
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// CSV: the column names of a tracker's export (see docs/import-csv.md). Implies --from csv.
    #[arg(long, value_enum)]
    pub preset: Option<CsvPreset>,
    /// CSV: read column COLUMN as KEY (id, name, phase, after, estimate, role, done, status,
    /// due, …), before the preset's names. Repeatable.
    #[arg(long = "map", value_name = "COLUMN=KEY")]
    pub map: Vec<String>,
}

/// Column names of a tracker's CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvPreset {
    /// Jira's "Export CSV (all fields)": Issue key, Summary, Issue Type, Status, links, …
    Jira,
    /// GitHub Projects' "Export view data": Title, URL, Status, Assignees, Parent issue, …
    Github,
}

/// Import file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// MS Project XML (MSPDI).
    Mspdi,
    /// PSPLIB single-mode (.sm).
    Psplib,
    /// A spreadsheet or issue tracker export, comma- or tab-separated (.csv, .tsv).
    Csv,
    /// Primavera P6 XER (.xer).
    Xer,
}

/// `plan completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Which model to read.
#[derive(Debug, Args)]
pub struct ModelArg {
    /// Model file (TOML). Default: the built-in FANZ integration program.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

/// `plan critical-path`.
#[derive(Debug, Args)]
pub struct CriticalPathArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Show tasks with total float up to this many working days as near-critical.
    #[arg(long, value_name = "DAYS", default_value_t = 5.0)]
    pub near: f64,
    /// Which value of three-point estimates to use.
    #[arg(long, value_enum, default_value_t = EstimateArg::Likely)]
    pub estimate: EstimateArg,
    /// Add baseline dates and variance (working days) from a `plan baseline` file, or from
    /// the model at a git revision (REV, e.g. HEAD~3).
    #[arg(long, value_name = "FILE|REV")]
    pub baseline: Option<PathBuf>,
}

/// `plan validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Scenario file (TOML) to check against the model.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

/// The team and the search budget.
#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Scenario file (TOML): the team. Default with the built-in model: scenarios/seed-low.toml.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Search budget in generated schedules (each justification pass counts).
    #[arg(long, value_name = "N", default_value_t = 20000)]
    pub schedules: u64,
    /// Stop the search after this many seconds (results then depend on machine speed).
    #[arg(long, value_name = "SECS")]
    pub time_limit: Option<f64>,
    /// Random seed of the search.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: all cores); the result does not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Which value of three-point estimates to schedule with.
    #[arg(long, value_enum, default_value_t = EstimateArg::Likely)]
    pub estimate: EstimateArg,
}

/// `plan schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Add baseline dates and variance (working days) from a `plan baseline` file, or from
    /// the model at a git revision (REV, e.g. HEAD~3).
    #[arg(long, value_name = "FILE|REV")]
    pub baseline: Option<PathBuf>,
}

/// How the tracking commands (`diff`, `history`, `baseline`) answer each version of a plan.
#[derive(Debug, Args)]
pub struct TrackingArgs {
    /// Simulation iterations per version (fixed seed: the same files give the same dates).
    #[arg(long, value_name = "N", default_value_t = 2000,
          value_parser = clap::value_parser!(u64).range(1..=plan::simulate::MAX_ITERATIONS))]
    pub iterations: u64,
    /// No simulation: no P50/P80 or chance on time (slips are then measured on the
    /// scheduled date, or the CPM date without a team).
    #[arg(long)]
    pub no_simulation: bool,
    /// Seed of the simulation and of the schedule search.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Search budget of each team schedule, in generated schedules.
    #[arg(long, value_name = "N", default_value_t = 20000)]
    pub schedules: u64,
    /// Worker threads (default: all cores); the result does not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Which value of three-point estimates the CPM pass and the schedule use.
    #[arg(long, value_enum, default_value_t = EstimateArg::Likely)]
    pub estimate: EstimateArg,
}

/// `plan diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: a model file, or `REV:path` read from git (e.g. `HEAD~1:models/fanz.toml`).
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new version: a model file, or `REV:path`.
    #[arg(value_name = "NEW")]
    pub new: String,
    /// The team (a file or `REV:path`): schedules, verdicts and resource-aware simulation.
    #[arg(long, value_name = "S")]
    pub scenario: Option<String>,
    /// The old version's team, when it differs from --scenario (a file or `REV:path`).
    #[arg(long, value_name = "S", requires = "scenario")]
    pub old_scenario: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Exit 1 when a milestone's P80 (the scheduled date without a simulation; the CPM date
    /// without a team either) moves later by more than DAYS working days.
    #[arg(long, value_name = "DAYS")]
    pub fail_on_slip: Option<u32>,
    #[command(flatten)]
    pub tracking: TrackingArgs,
    /// The most re-simulations that trace the P80 moves (each applies one change to the old
    /// version; past N-1 the rest are applied together); 0: P80 moves are not traced.
    #[arg(long, value_name = "N", default_value_t = plan::tracking::replay::DEFAULT_CAP as u32,
          value_parser = clap::value_parser!(u32).range(0..=plan::tracking::replay::MAX_CAP as i64))]
    pub p80_replays: u32,
    /// The orders of applying the changes each change's P80 share is averaged over (every
    /// order when that costs no more; each order costs up to one simulation per change).
    #[arg(long, value_name = "K", default_value_t = plan::tracking::replay::DEFAULT_ORDERS as u32,
          value_parser = clap::value_parser!(u32).range(1..=plan::tracking::replay::MAX_ORDERS as i64))]
    pub p80_orders: u32,
}

/// Output formats of `plan diff`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// Aligned text.
    Table,
    /// JSON.
    Json,
    /// Markdown, to paste as a pull-request comment.
    Markdown,
}

/// `plan history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Model file (TOML) in a git repository.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Scenario file (TOML) in the same repository, read at each commit too.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Only commits from this revision on (it included).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
    #[command(flatten)]
    pub tracking: TrackingArgs,
    /// Also give each commit's P50/P80 with its remaining estimates calibrated on the finished
    /// tasks of that commit and the ones before it (as `plan simulate --calibrate` would have
    /// then), and how the plain and calibrated P50s did against the newest commit's.
    #[arg(long, conflicts_with = "no_simulation")]
    pub calibrate: bool,
}

/// Output formats of `plan history`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HistoryFormat {
    /// Aligned text.
    Table,
    /// JSON.
    Json,
    /// CSV, one row per commit and milestone.
    Csv,
}

/// `plan baseline`.
#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Scenario file (TOML): freeze the team's schedule. Without it, the critical path's
    /// dates (the built-in model: scenarios/seed-low.toml).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The baseline file to write (JSON). Written atomically.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub tracking: TrackingArgs,
}

/// `plan status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Scenario file (TOML): forecast with the team's schedule. Default with the built-in
    /// model: scenarios/seed-low.toml; without one, the critical path.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The baseline: a `plan baseline` file, or a git revision of the model file (REV, e.g.
    /// HEAD~3), whose model is answered and frozen as the baseline.
    #[arg(long, value_name = "FILE|REV")]
    pub baseline: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    #[command(flatten)]
    pub tracking: TrackingArgs,
}

/// `plan feasibility`.
#[derive(Debug, Args)]
pub struct FeasibilityArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Time buckets of the capacity bound.
    #[arg(long, value_enum, default_value_t = BucketArg::Week)]
    pub bucket: BucketArg,
    /// Also report what one more person of each role buys.
    #[arg(long)]
    pub marginal: bool,
}

/// `plan staff`.
#[derive(Debug, Args)]
pub struct StaffArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    /// Most people of a role, e.g. `--max backend=8` (repeatable).
    #[arg(long, value_name = "ROLE=N")]
    pub max: Vec<String>,
    /// Also let people join at the start of a later month (they cost only from then on).
    #[arg(long)]
    pub hires: bool,
    /// Ask each milestone to be met with this probability in simulation (0 < P < 1).
    #[arg(long, value_name = "P")]
    pub confidence: Option<f64>,
    /// Simulation iterations per check with --confidence.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub iterations: u64,
    /// Time buckets of the capacity bound.
    #[arg(long, value_enum, default_value_t = BucketArg::Week)]
    pub bucket: BucketArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StaffFormat::Table)]
    pub format: StaffFormat,
}

/// Time buckets of the capacity bound.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BucketArg {
    /// One working day per bucket (tighter, larger LP).
    Day,
    /// One calendar week per bucket.
    Week,
}

/// Output formats of `plan staff`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StaffFormat {
    /// Aligned text.
    Table,
    /// JSON.
    Json,
}

/// `plan graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Graph language.
    #[arg(long, value_enum)]
    pub format: GraphFormat,
}

/// Tabular output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Aligned text.
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
    /// Markdown tables.
    Markdown,
}

/// Graph output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

/// Estimate choices.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EstimateArg {
    /// Optimistic.
    Optimistic,
    /// Most likely.
    Likely,
    /// Pessimistic.
    Pessimistic,
    /// PERT mean (o + 4m + p) / 6.
    Mean,
}

/// `plan report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Scenario file (TOML), repeatable: one section each, and a comparison when several.
    /// Default with the built-in model: scenarios/seed-low.toml.
    #[arg(long, value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
    /// Monte Carlo iterations per scenario. Default: the scenario's `[simulation]`, else 10000
    /// up to 1,000 tasks, 10 million / tasks above (1000 at 10,000 tasks), at least 200.
    #[arg(long, value_name = "N")]
    pub iterations: Option<u64>,
    /// Seed of the simulation. Default: the scenario's `[simulation]`, else 1.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Search budget in generated schedules per scenario. Default: 20000 up to 1,000 tasks,
    /// 20 million / tasks above (2000 at 10,000 tasks), at least 100.
    #[arg(long, value_name = "N")]
    pub schedules: Option<u64>,
    /// Worker threads (default: all cores); the result does not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// The HTML file to write. Written atomically.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Draw baseline bars under the Gantt bars and the S-curve of planned, earned and actual
    /// value, from a `plan baseline` file or the model at a git revision (REV, e.g. HEAD~3).
    #[arg(long, value_name = "FILE|REV")]
    pub baseline: Option<PathBuf>,
    /// Add the milestone trend chart from the model's git history (the first scenario's
    /// scheduled date at each commit's status date). A model outside git gets a note, not an
    /// error.
    #[arg(long)]
    pub history: bool,
    /// With --history: only commits from this revision on (it included).
    #[arg(long, value_name = "REV", requires = "history")]
    pub since: Option<String>,
}

/// Settings shared by `plan simulate` and `plan forecast`; unset ones come from the scenario's
/// `[simulation]` table.
#[derive(Debug, Args)]
pub struct SimulationArgs {
    /// Iterations (default: the scenario's, else 10000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=plan::simulate::MAX_ITERATIONS))]
    pub iterations: Option<u64>,
    /// Random seed (default: the scenario's, else 1).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores); the result does not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Precedence-only: ignore the team (no resource limits).
    #[arg(long)]
    pub no_resources: bool,
    /// Distribution of three-point estimates (default: the scenario's, else pert).
    #[arg(long, value_enum)]
    pub distribution: Option<DistributionArg>,
    /// Correlation of durations of tasks in the same phase, 0..=1 (default: the scenario's, else 0).
    #[arg(long, value_name = "R")]
    pub correlation: Option<f64>,
}

/// `plan simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Scenario file (TOML); repeat to compare scenarios side by side. Default with the
    /// built-in model: scenarios/seed-low.toml.
    #[arg(long, value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
    #[command(flatten)]
    pub sim: SimulationArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Scale the remaining estimates by the accuracy of the finished tasks' estimates
    /// (their `actual_effort` against their planned person-days), pooled over the model
    /// file's git history when it is committed (docs/tracking.md).
    #[arg(long)]
    pub calibrate: bool,
}

/// `plan forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Scenario file (TOML). Default with the built-in model: scenarios/seed-low.toml.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimulationArgs,
    /// Chance of being on time a milestone needs to be "on track", in (0, 1].
    #[arg(long, value_name = "P", default_value_t = 0.8)]
    pub confidence: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

/// Distributions of three-point estimates.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DistributionArg {
    /// PERT-beta.
    Pert,
    /// Triangular.
    Triangular,
    /// Lognormal fitted to the three points.
    Lognormal,
}

/// `plan explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The task or milestone id to explain.
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub search: SearchArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Table)]
    pub format: ExplainFormat,
    /// Time buckets of the capacity bound behind the certificate and the role gains.
    #[arg(long, value_enum, default_value_t = BucketArg::Week)]
    pub bucket: BucketArg,
}

/// Output formats of `plan explain`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExplainFormat {
    /// The explanation in words.
    Table,
    /// JSON.
    Json,
}
