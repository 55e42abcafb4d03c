//! Whole-process scale harness: generates models of 1k to 1M tasks and runs the release `plan`
//! binary on each as a user would, timing the whole process and its peak memory.
//!
//! ```sh
//! cargo run --release --example scale                                   # 1k, 10k, 100k tasks
//! cargo run --release --example scale -- --sizes 1000,10000,100000,1000000 --runs 3
//! cargo run --release --example scale -- --sizes 100000 --commands validate,critical-path
//! ```
//!
//! It prints a markdown table: tasks, TOML size, command, min and median wall-clock seconds over
//! the runs, the median CPU seconds (user + system: on a shared machine the wall clock also
//! counts waiting for a core), and the largest peak resident memory. A command that exceeds `--timeout` is killed and shown
//! as a timeout; one that fails shows its exit code (its stderr goes to this program's stderr).

use clap::Parser;
use jiff::civil::Date;
use jiff::Span;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Command-line options of the harness.
#[derive(Debug, Parser)]
#[command(about = "Time whole `plan` runs on generated models of growing size")]
struct Options {
    /// Model sizes in tasks, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    sizes: Vec<usize>,
    /// Commands to run (default: all), comma-separated, from: validate, critical-path, graph,
    /// export, simulate, simulate-10000, schedule, report.
    #[arg(long, value_delimiter = ',')]
    commands: Vec<String>,
    /// Runs of each command; the table shows the minimum and the median.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Seconds after which a command is killed and reported as a timeout.
    #[arg(long, default_value_t = 120.0)]
    timeout: f64,
    /// The `plan` binary (default: build and use target/release/plan).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Keep the generated files in this directory instead of a temporary one.
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// The generated input files of one size, and where commands write their outputs.
struct Files {
    model: PathBuf,
    scenario: PathBuf,
    out_dir: PathBuf,
}

/// One command of the table, with the sizes it is run at.
struct Case {
    name: &'static str,
    max_tasks: usize,
    args: fn(&Files) -> Vec<OsString>,
}

const CASES: &[Case] = &[
    Case {
        name: "validate",
        max_tasks: usize::MAX,
        args: |f| args(&["validate", "--model"], &[&f.model]),
    },
    Case {
        name: "critical-path",
        max_tasks: usize::MAX,
        args: |f| args(&["critical-path", "--model"], &[&f.model]),
    },
    Case {
        name: "graph",
        max_tasks: usize::MAX,
        args: |f| args(&["graph", "--format", "dot", "--model"], &[&f.model]),
    },
    Case {
        name: "export",
        max_tasks: usize::MAX,
        args: |f| {
            // The default budget (20,000 schedules) takes minutes from 100k tasks on: the same
            // five seconds of search as `schedule`.
            let mut a = args(
                &["export", "--format", "json", "--time-limit", "5", "--model"],
                &[&f.model],
            );
            a.extend(args(&["--scenario"], &[&f.scenario]));
            a.extend(args(&["--out"], &[&f.out_dir.join("export.json")]));
            a
        },
    },
    Case {
        name: "simulate",
        max_tasks: usize::MAX,
        args: |f| {
            let mut a = args(&["simulate", "--no-resources", "--iterations", "1000"], &[]);
            a.extend(args(&["--model"], &[&f.model]));
            a
        },
    },
    Case {
        name: "simulate-10000",
        max_tasks: 10_000,
        args: |f| {
            let mut a = args(
                &["simulate", "--no-resources", "--iterations", "10000"],
                &[],
            );
            a.extend(args(&["--model"], &[&f.model]));
            a
        },
    },
    Case {
        name: "schedule",
        max_tasks: 100_000,
        args: |f| {
            let mut a = args(&["schedule", "--time-limit", "5", "--model"], &[&f.model]);
            a.extend(args(&["--scenario"], &[&f.scenario]));
            a
        },
    },
    Case {
        name: "explain",
        max_tasks: 100_000,
        args: |f| {
            // The first phase's milestone: its chain, what one more person buys (a search per
            // role) and its certificate, with the same five seconds per search as `schedule`.
            let mut a = args(
                &["explain", "M0000", "--time-limit", "5", "--model"],
                &[&f.model],
            );
            a.extend(args(&["--scenario"], &[&f.scenario]));
            a
        },
    },
    Case {
        name: "report",
        max_tasks: 100_000,
        args: |f| {
            let mut a = args(&["report", "--iterations", "1000", "--model"], &[&f.model]);
            a.extend(args(&["--scenario"], &[&f.scenario]));
            a.extend(args(&["--out"], &[&f.out_dir.join("report.html")]));
            a
        },
    },
];

/// Words then paths, as arguments.
fn args(words: &[&str], paths: &[&Path]) -> Vec<OsString> {
    words
        .iter()
        .map(OsString::from)
        .chain(paths.iter().map(|p| p.as_os_str().to_owned()))
        .collect()
}

fn main() -> ExitCode {
    let options = Options::parse();
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> io::Result<()> {
    let cases = selected_cases(&options.commands)?;
    let plan = match &options.plan {
        Some(p) => p.clone(),
        None => build_plan()?,
    };
    let temp = tempfile::tempdir()?;
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let timeout = Duration::from_secs_f64(options.timeout);
    let mut table = String::from(
        "| tasks | model TOML | command | min s | median s | median CPU s | peak MB |\n|---:|---:|---|---:|---:|---:|---:|\n",
    );
    for &n in &options.sizes {
        let files = generate(&dir, n)?;
        let toml_mb = std::fs::metadata(&files.model)?.len() as f64 / 1e6;
        eprintln!("{n} tasks: {} ({toml_mb:.1} MB)", files.model.display());
        for case in cases.iter().filter(|c| n <= c.max_tasks) {
            let cell = measure(&plan, case, &files, options.runs.max(1), timeout)?;
            eprintln!("  {:<15} {cell}", case.name);
            writeln!(table, "| {n} | {toml_mb:.1} MB | {} | {cell} |", case.name)
                .expect("writing to a String");
        }
    }
    print!("{table}");
    Ok(())
}

fn selected_cases(names: &[String]) -> io::Result<Vec<&'static Case>> {
    if names.is_empty() {
        return Ok(CASES.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            CASES.iter().find(|c| c.name == name).ok_or_else(|| {
                let known: Vec<_> = CASES.iter().map(|c| c.name).collect();
                io::Error::other(format!(
                    "unknown command {name:?}; known: {}",
                    known.join(", ")
                ))
            })
        })
        .collect()
}

/// Builds the release binary next to this example and returns its path.
fn build_plan() -> io::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "plan"])
        .status()?;
    if !status.success() {
        return Err(io::Error::other("cargo build --release --bin plan failed"));
    }
    // This example runs from target/release/examples/.
    let exe = std::env::current_exe()?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| io::Error::other("cannot find the target directory"))?;
    Ok(release.join(format!("plan{}", std::env::consts::EXE_SUFFIX)))
}

/// How one run ended.
enum Outcome {
    Finished {
        seconds: f64,
        cpu_seconds: f64,
        peak_kb: i64,
        code: Option<i32>,
    },
    TimedOut {
        peak_kb: i64,
    },
}

/// Runs a case `runs` times and formats its table cells (min s, median s, CPU s, peak MB).
fn measure(
    plan: &Path,
    case: &Case,
    files: &Files,
    runs: usize,
    timeout: Duration,
) -> io::Result<String> {
    let mut seconds = Vec::new();
    let mut cpu = Vec::new();
    let mut peak_kb = 0;
    for _ in 0..runs {
        let mut command = Command::new(plan);
        command
            .args((case.args)(files))
            .stdin(Stdio::null())
            .stdout(File::create(files.out_dir.join("stdout.txt"))?)
            .stderr(File::create(files.out_dir.join("stderr.txt"))?);
        match run_measured(&mut command, timeout)? {
            Outcome::Finished {
                seconds: s,
                cpu_seconds,
                peak_kb: kb,
                code,
            } => {
                peak_kb = peak_kb.max(kb);
                if code != Some(0) {
                    let stderr = std::fs::read_to_string(files.out_dir.join("stderr.txt"))?;
                    eprintln!("{} failed ({code:?}):\n{stderr}", case.name);
                    let code = code.map_or("signal".to_string(), |c| format!("exit {c}"));
                    return Ok(format!("{code} | | | {:.0}", kb as f64 / 1024.0));
                }
                seconds.push(s);
                cpu.push(cpu_seconds);
            }
            Outcome::TimedOut { peak_kb: kb } => {
                return Ok(format!(
                    "timeout (> {:.0} s) | | | {:.0}",
                    timeout.as_secs_f64(),
                    kb as f64 / 1024.0
                ));
            }
        }
    }
    seconds.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    Ok(format!(
        "{:.2} | {:.2} | {:.2} | {:.0}",
        seconds[0],
        seconds[seconds.len() / 2],
        cpu[cpu.len() / 2],
        peak_kb as f64 / 1024.0
    ))
}

/// Runs the command to its end (or kills it after `timeout`), with the wall time and the peak
/// resident set size that the kernel reports for the child when it is reaped.
fn run_measured(command: &mut Command, timeout: Duration) -> io::Result<Outcome> {
    let start = Instant::now();
    let mut child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut killed = false;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: all-zero bytes are a valid `rusage` (a struct of integers).
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if killed { 0 } else { libc::WNOHANG };
        // SAFETY: `pid` is our own child, not yet reaped (std never waits on it: we do not call
        // `wait`), and both pointers are to live locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        if reaped < 0 {
            return Err(io::Error::last_os_error());
        }
        if reaped == pid {
            let peak_kb = usage.ru_maxrss;
            if killed {
                return Ok(Outcome::TimedOut { peak_kb });
            }
            let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            return Ok(Outcome::Finished {
                seconds: start.elapsed().as_secs_f64(),
                cpu_seconds: seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime),
                peak_kb,
                code,
            });
        }
        if start.elapsed() > timeout {
            child.kill()?;
            killed = true;
        } else {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

fn seconds_of(t: libc::timeval) -> f64 {
    t.tv_sec as f64 + t.tv_usec as f64 / 1e6
}

const ROLES: [(&str, &str, u32); 5] = [
    ("backend", "Backend developer", 800),
    ("frontend", "Frontend developer", 750),
    ("devops", "DevOps engineer", 780),
    ("qa", "QA engineer", 600),
    ("security", "Security engineer", 900),
];

/// One generated task, as far as the generator needs it to place milestones and size the team.
struct GenTask {
    finish: f64,
}

/// Writes `model-N.toml` and `team-N.toml` and returns their paths.
///
/// The shape of a large program: phases in sequence, each task after about three earlier tasks
/// drawn from a window of recent ones (√n wide, so the critical path grows slower than the
/// program), three-point estimates, one or two roles of demand, a tenth effort-driven with crew
/// bounds, a milestone at the end of each phase, risks on random tasks, the first tasks done.
fn generate(dir: &Path, n: usize) -> io::Result<Files> {
    let model = dir.join(format!("model-{n}.toml"));
    let scenario = dir.join(format!("team-{n}.toml"));
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(n as u64);
    let start = Date::constant(2026, 1, 5);
    let phases = (n / 1000).clamp(5, 1000);
    let window = ((n as f64).sqrt() as usize).max(30);
    let mut w = BufWriter::new(File::create(&model)?);
    writeln!(
        w,
        "[project]\nname = \"Generated program of {n} tasks\"\nstart = {start}\n"
    )?;
    writeln!(w, "[calendar]\nholidays = [2026-12-25, 2027-01-01]\n")?;
    for (id, name, cost) in ROLES {
        writeln!(w, "[roles.{id}]\nname = \"{name}\"\ncost = {cost}\n")?;
    }
    for p in 0..phases {
        writeln!(
            w,
            "[[phase]]\nid = \"P{p:04}\"\nname = \"Phase {}\"\n",
            p + 1
        )?;
    }
    let mut tasks: Vec<GenTask> = Vec::with_capacity(n);
    let mut role_work = [0.0f64; ROLES.len()];
    for i in 0..n {
        let phase = i * phases / n;
        writeln!(
            w,
            "[[task]]\nid = \"T{i:07}\"\nname = \"Task {}\"\nphase = \"P{phase:04}\"",
            i + 1
        )?;
        let mut earliest = 0.0f64;
        if i > 0 {
            let count = rng.random_range(2..=4).min(i);
            let lo = i.saturating_sub(window);
            let mut preds: Vec<usize> = (0..count).map(|_| rng.random_range(lo..i)).collect();
            preds.sort_unstable();
            preds.dedup();
            let items: Vec<String> = preds
                .iter()
                .map(|&p| {
                    let lag = if rng.random_bool(0.1) { 2.0 } else { 0.0 };
                    earliest = earliest.max(tasks[p].finish + lag);
                    if lag > 0.0 {
                        format!("{{ id = \"T{p:07}\", lag = {lag} }}")
                    } else {
                        format!("\"T{p:07}\"")
                    }
                })
                .collect();
            writeln!(w, "after = [{}]", items.join(", "))?;
        }
        let likely = rng.random_range(1..=10) as f64;
        let optimistic = (likely - rng.random_range(0..=2) as f64).max(0.5);
        let pessimistic = likely + rng.random_range(1..=likely as u32 + 3) as f64;
        let role = rng.random_range(0..ROLES.len());
        let duration = if rng.random_bool(0.1) {
            let (o, m, p) = (optimistic * 3.0, likely * 3.0, pessimistic * 3.0);
            let id = ROLES[role].0;
            writeln!(w, "effort = {{ {id} = [{o}, {m}, {p}] }}")?;
            writeln!(w, "crew = {{ {id} = [1, 3] }}")?;
            role_work[role] += m;
            m / 2.0
        } else {
            writeln!(w, "estimate = [{optimistic}, {likely}, {pessimistic}]")?;
            let mut demand = vec![(role, rng.random_range(1..=2u32))];
            if rng.random_bool(0.3) {
                let other = (role + 1 + rng.random_range(0..ROLES.len() - 1)) % ROLES.len();
                demand.push((other, 1));
            }
            let parts: Vec<String> = demand
                .iter()
                .map(|&(r, c)| {
                    role_work[r] += likely * c as f64;
                    format!("{} = {c}", ROLES[r].0)
                })
                .collect();
            writeln!(w, "demand = {{ {} }}", parts.join(", "))?;
            likely
        };
        let done = if i < n / 100 {
            1.0
        } else if i < n / 50 {
            0.5
        } else {
            0.0
        };
        if done > 0.0 {
            writeln!(w, "done = {done}")?;
        }
        writeln!(w)?;
        tasks.push(GenTask {
            finish: earliest + duration * (1.0 - done),
        });
    }
    let length = tasks.iter().map(|t| t.finish).fold(0.0, f64::max);
    for p in 0..phases {
        let last = ((p + 1) * n / phases).max(1) - 1;
        let first = (p * n / phases).min(last);
        let after: Vec<String> = (first.max(last.saturating_sub(2))..=last)
            .map(|i| format!("\"T{i:07}\""))
            .collect();
        let finish = (first..=last).map(|i| tasks[i].finish).fold(0.0, f64::max);
        // Working days to calendar days, with a little slack: most milestones are met on
        // dependencies alone, and the team decides the rest.
        let due = start
            .checked_add(Span::new().days((finish * 1.1 * 7.0 / 5.0).ceil() as i64))
            .map_err(io::Error::other)?;
        writeln!(
            w,
            "[[milestone]]\nid = \"M{p:04}\"\nname = \"End of phase {}\"\ndue = {due}\nafter = [{}]\n",
            p + 1,
            after.join(", ")
        )?;
    }
    for r in 0..(n / 500).max(2) {
        let a = rng.random_range(0..n);
        let b = (a + 1 + rng.random_range(0..n.max(2) - 1)) % n;
        let tasks = if a == b {
            format!("\"T{a:07}\"")
        } else {
            format!("\"T{a:07}\", \"T{b:07}\"")
        };
        writeln!(
            w,
            "[[risk]]\nid = \"R{r:04}\"\nname = \"Risk {}\"\nprobability = 0.2\ndelay = [2, 5, 15]\ntasks = [{tasks}]\n",
            r + 1
        )?;
    }
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    write_team(&scenario, &role_work, length)?;
    let out_dir = dir.join(format!("out-{n}"));
    std::fs::create_dir_all(&out_dir)?;
    Ok(Files {
        model,
        scenario,
        out_dir,
    })
}

/// A team that does each role's work in about 1.5 times the unconstrained length.
fn write_team(path: &Path, role_work: &[f64], length: f64) -> io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    writeln!(w, "name = \"Generated team\"\n\n[team]")?;
    for ((id, _, _), work) in ROLES.iter().zip(role_work) {
        let people = (work / (length.max(1.0) * 1.5)).ceil().max(2.0);
        writeln!(w, "{id} = {people}")?;
    }
    w.flush()
}
