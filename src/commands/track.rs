//! `plan diff`, `plan history`, `plan baseline` and `--baseline` on `critical-path` and
//! `schedule`: the files and git revisions are read here (git through the `git` command), the
//! library compares what it is handed.

use super::common::{
    best_schedule, build_environment, emit, estimate, flag_hint, format, read_scenario,
};
use super::error::CliError;
use crate::cli::{
    BaselineArgs, CriticalPathArgs, DiffArgs, DiffFormat, HistoryArgs, HistoryFormat, ModelArg,
    ReportArgs, ScheduleArgs, StatusArgs, TrackingArgs,
};
use plan::model::scenario::SimulationSettings;
use plan::model::{self, Model, Program, Scenario};
use plan::report::html::Page;
use plan::report::{self, Format};
use plan::run::Environment;
use plan::schedule::SearchConfig;
use plan::simulate::SimConfig;
use plan::tracking::answers::{self, AnswerError, AnswerSettings, Answers};
use plan::tracking::baseline::{self, Baseline, BaselineComparison};
use plan::tracking::history::{trend_row, TrendRow, Version};
use plan::tracking::status::{self as track_status, BaselineInfo, StatusReport};
use plan::tracking::{calibrate, charts, evm, render_status};
use plan::tracking::{changes, diff as plan_diff, render, replay};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn answer_error(e: AnswerError) -> CliError {
    match e {
        AnswerError::Cancelled => CliError::Interrupted,
        AnswerError::Input(d) => CliError::Input(d),
        AnswerError::Search(s) => s.into(),
        AnswerError::Simulation(s) => CliError::Invalid(s),
        e @ AnswerError::Unsound(_) => CliError::Internal(e.to_string()),
    }
}

fn environment(t: &TrackingArgs) -> Result<Environment, CliError> {
    build_environment(
        Environment::builder()
            .seed(t.seed)
            .schedules(t.schedules)
            .threads(t.threads),
    )
}

fn settings(t: &TrackingArgs, env: &Environment, verdicts: bool) -> AnswerSettings {
    let given = SimulationSettings {
        iterations: Some(t.iterations),
        seed: Some(t.seed),
        ..SimulationSettings::default()
    };
    AnswerSettings {
        estimate: estimate(t.estimate),
        search: SearchConfig::for_run(env),
        simulation: (!t.no_simulation)
            .then(|| SimConfig::layered(&given, &SimulationSettings::default(), false)),
        verdicts,
    }
}

fn answer(
    env: &Environment,
    model: &Program,
    scenario: Option<&Scenario>,
    settings: &AnswerSettings,
) -> Result<Answers, CliError> {
    let answers = env
        .install(|| answers::answers(model, scenario, settings, env.cancel_flag()))
        .map_err(answer_error)?;
    // A search stopped by Ctrl-C still returns its best schedule so far: not an answer.
    super::interrupt::check()?;
    Ok(answers)
}

// ---------------------------------------------------------------------------------------
// git
// ---------------------------------------------------------------------------------------

/// Runs `git -C dir ARGS`; its standard output, or its first error line.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(err.lines().next().unwrap_or("git failed").to_string())
    }
}

fn git_text(dir: &Path, args: &[&str]) -> Result<String, String> {
    git(dir, args).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// The repository `dir` is in, or an error saying it is in none.
fn repository_of(dir: &Path, what: &str) -> Result<PathBuf, CliError> {
    match git_text(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(top) => Ok(PathBuf::from(top.trim())),
        Err(e) if e.starts_with("cannot run git") => Err(CliError::Io(format!(
            "{what}: {e}\n  help: install git (e.g. `apt-get install git`)"
        ))),
        Err(_) => Err(CliError::Invalid(format!(
            "{what}: {} is not in a git repository\n  help: run `git init` and commit the model, or give a file path",
            dir.display()
        ))),
    }
}

/// The commit a revision names in `dir`'s repository, or an error naming the revision.
fn commit_of(dir: &Path, rev: &str) -> Result<String, CliError> {
    let spec = format!("{rev}^{{commit}}");
    git_text(dir, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])
        .map(|s| s.trim().to_string())
        .map_err(|_| {
            CliError::Invalid(format!(
                "revision `{rev}` does not exist in the git repository at {}\n  help: check it with `git log --oneline`",
                dir.display()
            ))
        })
}

/// A blob's text at a commit (`path` from the repository root); `None` when it is not there.
fn show(dir: &Path, commit: &str, path: &str) -> Option<String> {
    git(dir, &["show", &format!("{commit}:{path}")])
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

// ---------------------------------------------------------------------------------------
// plan diff
// ---------------------------------------------------------------------------------------

/// A version's text and the name errors give it (the path, or `REV:path`).
struct Side {
    text: String,
    name: PathBuf,
}

/// Reads `spec`: a file when one exists at that path, else `REV:path` from git (the path from
/// the repository root, or `./path` from the current directory, as git reads it).
fn read_side(spec: &str, what: &str) -> Result<Side, CliError> {
    let path = Path::new(spec);
    if path.exists() {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::Io(format!("{what} {spec}: cannot read it: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::Invalid(format!(
                "{what} {spec}: not UTF-8 text\n  help: save the file as UTF-8"
            ))
        })?;
        return Ok(Side {
            text,
            name: path.to_path_buf(),
        });
    }
    let Some((rev, file)) = spec
        .split_once(':')
        .filter(|(r, f)| !r.is_empty() && !f.is_empty())
    else {
        return Err(CliError::Io(format!(
            "{what} {spec}: no such file\n  help: give a file path, or REV:path to read it from git (e.g. HEAD~1:models/fanz.toml)"
        )));
    };
    let here = Path::new(".");
    repository_of(here, &format!("{what} {spec}"))?;
    let commit = commit_of(here, rev)?;
    let text = show(here, &commit, file).ok_or_else(|| {
        CliError::Invalid(format!(
            "{what} {spec}: `{file}` is not in revision `{rev}`\n  help: paths are from the repository root (or ./path from here); list them with `git ls-tree -r --name-only {rev}`"
        ))
    })?;
    Ok(Side {
        text,
        name: PathBuf::from(spec),
    })
}

fn parse_scenario_side(spec: Option<&str>, model: &Model) -> Result<Option<Scenario>, CliError> {
    let Some(spec) = spec else { return Ok(None) };
    let side = read_side(spec, "scenario")?;
    Ok(Some(model::parse_scenario(&side.text, &side.name, model)?))
}

fn diff_format(f: DiffFormat) -> Format {
    match f {
        DiffFormat::Table => Format::Table,
        DiffFormat::Json => Format::Json,
        DiffFormat::Markdown => Format::Markdown,
    }
}

/// `plan diff`.
pub fn diff(a: &DiffArgs) -> Result<i32, CliError> {
    run_diff(a)
}

fn run_diff(a: &DiffArgs) -> Result<i32, CliError> {
    let (old_side, new_side) = (read_side(&a.old, "OLD")?, read_side(&a.new, "NEW")?);
    let old = model::parse_program(&old_side.text, &old_side.name)?;
    let new = model::parse_program(&new_side.text, &new_side.name)?;
    let new_team = parse_scenario_side(a.scenario.as_deref(), &new)?;
    let old_spec = a.old_scenario.as_deref().or(a.scenario.as_deref());
    let old_team = parse_scenario_side(old_spec, &old)?;
    let env = environment(&a.tracking)?;
    let settings = settings(&a.tracking, &env, true);
    let before = answer(&env, &old, old_team.as_ref(), &settings)?;
    let after = answer(&env, &new, new_team.as_ref(), &settings)?;
    let changes = changes::changes(&old, old_team.as_ref(), &new, new_team.as_ref());
    let mut d = plan_diff::diff((&a.old, &a.new), changes, &before, &new, &after);
    if settings.simulation.is_some() {
        let replay = env
            .install(|| {
                replay::replay(
                    (&old, old_team.as_ref()),
                    (&new, new_team.as_ref()),
                    &d.changes,
                    &settings,
                    &after,
                    a.p80_replays as usize,
                    a.p80_orders as usize,
                    env.cancel_flag(),
                )
            })
            .map_err(answer_error)?;
        super::interrupt::check()?;
        d.trace_p80(&replay, &new);
    }
    emit(&render::render_diff(&d, diff_format(a.format)))?;
    let Some(days) = a.fail_on_slip else {
        return Ok(0);
    };
    let slipped = d.slipped(i64::from(days));
    for m in &slipped {
        eprintln!(
            "slipped: {} {} moved {} working days later (more than {days})",
            m.id,
            render::measure_word(m.slip_measure),
            m.slip.unwrap_or(0)
        );
    }
    Ok(if slipped.is_empty() { 0 } else { 1 })
}

// ---------------------------------------------------------------------------------------
// plan history
// ---------------------------------------------------------------------------------------

/// A commit that changed a followed file, with the file's path in that commit.
struct Touch {
    commit: String,
    date: String,
    subject: String,
    path: String,
}

/// The commits that changed `file` (followed across renames), newest first.
fn touches(dir: &Path, file: &Path) -> Result<Vec<Touch>, CliError> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let log = git_text(
        dir,
        &[
            "log",
            "--follow",
            "--name-only",
            "--format=%x00%H%x09%cI%x09%s",
            "--",
            &name,
        ],
    )
    .map_err(|e| CliError::Io(format!("git log of {}: {e}", file.display())))?;
    Ok(log
        .split('\0')
        .filter_map(|chunk| {
            let mut lines = chunk.lines();
            let mut head = lines.next()?.splitn(3, '\t');
            let (commit, date) = (head.next()?.to_string(), head.next()?.to_string());
            let subject = head.next().unwrap_or("").to_string();
            let path = lines.find(|l| !l.trim().is_empty())?.to_string();
            Some(Touch {
                commit,
                date,
                subject,
                path,
            })
        })
        .collect())
}

/// The commits from `since` (included) to HEAD, newest first (topological order).
fn range(dir: &Path, since: Option<&str>) -> Result<Vec<String>, CliError> {
    let spec = match since {
        Some(rev) => format!("{}..HEAD", commit_of(dir, rev)?),
        None => "HEAD".to_string(),
    };
    let list = git_text(dir, &["rev-list", "--topo-order", &spec])
        .map_err(|e| CliError::Io(format!("git rev-list {spec}: {e}")))?;
    let mut commits: Vec<String> = list.lines().map(str::to_string).collect();
    if let Some(rev) = since {
        commits.push(commit_of(dir, rev)?);
    }
    Ok(commits)
}

/// The followed file's path at each commit of `order` (newest first): the path of the newest
/// change at or before it.
fn paths_at(order: &[String], touches: &[Touch]) -> HashMap<String, String> {
    let by_commit: HashMap<&str, &str> = touches
        .iter()
        .map(|t| (t.commit.as_str(), t.path.as_str()))
        .collect();
    let mut out = HashMap::new();
    let mut current: Option<&str> = None;
    for commit in order.iter().rev() {
        if let Some(p) = by_commit.get(commit.as_str()) {
            current = Some(p);
        }
        if let Some(p) = current {
            out.insert(commit.clone(), p.to_string());
        }
    }
    out
}

/// Where `plan history` reads the team from.
enum Team {
    /// No `--scenario`: precedence only.
    None,
    /// A scenario git tracks in the model's repository: read at each commit.
    Followed { path: PathBuf, touches: Vec<Touch> },
    /// A scenario git does not track there: the file on disk, for every commit.
    Fixed { path: PathBuf, text: String },
}

/// The model's commits and the team: what `plan history` reads.
struct Followed {
    dir: PathBuf,
    order: Vec<String>,
    model: Vec<Touch>,
    team: Team,
}

fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The scenario followed in git when the model's repository tracks it, else read from disk.
fn team_source(scenario: Option<&Path>, top: &Path) -> Result<Team, CliError> {
    let Some(path) = scenario else {
        return Ok(Team::None);
    };
    let dir = directory_of(path);
    let same_repository =
        git_text(&dir, &["rev-parse", "--show-toplevel"]).is_ok_and(|t| Path::new(t.trim()) == top);
    let touches = if same_repository {
        touches(&dir, path)?
    } else {
        Vec::new()
    };
    if !touches.is_empty() {
        return Ok(Team::Followed {
            path: path.to_path_buf(),
            touches,
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Io(format!(
            "--scenario {}: cannot read it: {e}\n  help: check the path given to --scenario",
            path.display()
        ))
    })?;
    Ok(Team::Fixed {
        path: path.to_path_buf(),
        text,
    })
}

fn follow(
    model_path: &Path,
    scenario: Option<&Path>,
    since: Option<&str>,
) -> Result<Followed, CliError> {
    let dir = directory_of(model_path);
    if !model_path.is_file() {
        return Err(CliError::Io(format!(
            "--model {}: no such file\n  help: check the path given to --model",
            model_path.display()
        )));
    }
    let top = repository_of(&dir, &format!("--model {}", model_path.display()))?;
    let model = touches(&dir, model_path)?;
    if model.is_empty() {
        return Err(CliError::Invalid(format!(
            "--model {}: no commit of this file in git\n  help: commit it first (`git add` and `git commit`)",
            model_path.display()
        )));
    }
    let team = team_source(scenario, &top)?;
    let order = range(&dir, since)?;
    Ok(Followed {
        dir,
        order,
        model,
        team,
    })
}

/// `plan history`.
pub fn history(a: &HistoryArgs) -> Result<i32, CliError> {
    run_history(a)
}

fn run_history(a: &HistoryArgs) -> Result<i32, CliError> {
    let Some(model_path) = &a.model else {
        return Err(CliError::Invalid(
            "the built-in model has no history\n  help: give --model FILE, a model file in a git repository".into(),
        ));
    };
    let f = follow(model_path, a.scenario.as_deref(), a.since.as_deref())?;
    let env = environment(&a.tracking)?;
    let settings = settings(&a.tracking, &env, false);
    let rows = trend_rows(&f, &env, &settings, a.calibrate)?;
    let fmt = match a.format {
        HistoryFormat::Table => Format::Table,
        HistoryFormat::Json => Format::Json,
        HistoryFormat::Csv => Format::Csv,
    };
    emit(&render::render_history(&rows, fmt, a.calibrate))?;
    Ok(0)
}

/// Each commit of a followed history answered on its files, newest first.
fn trend_rows(
    f: &Followed,
    env: &Environment,
    settings: &AnswerSettings,
    calibrate: bool,
) -> Result<Vec<TrendRow>, CliError> {
    let model_paths = paths_at(&f.order, &f.model);
    let no_touches = Vec::new();
    let team_touches = match &f.team {
        Team::Followed { touches, .. } => touches,
        _ => &no_touches,
    };
    let team_paths = paths_at(&f.order, team_touches);
    let changed: HashMap<&str, &Touch> = f
        .model
        .iter()
        .chain(team_touches)
        .map(|t| (t.commit.as_str(), t))
        .collect();
    let mut rows: Vec<TrendRow> = Vec::new();
    // Oldest first, so the calibration pool holds what was finished up to each commit.
    let mut pool = calibrate.then(calibrate::Pool::new);
    for commit in f.order.iter().rev() {
        let (Some(touch), Some(path)) = (changed.get(commit.as_str()), model_paths.get(commit))
        else {
            continue;
        };
        let text = show(&f.dir, commit, path);
        // The team as of this commit: its path then and its text (`None`: not there yet).
        let team: Option<(PathBuf, Option<String>)> = match &f.team {
            Team::None => None,
            Team::Fixed { path, text } => Some((path.clone(), Some(text.clone()))),
            Team::Followed { path, .. } => Some(match team_paths.get(commit) {
                Some(p) => (PathBuf::from(p), show(&f.dir, commit, p)),
                None => (path.clone(), None),
            }),
        };
        let version = Version {
            commit,
            date: &touch.date,
            subject: &touch.subject,
            model: (Path::new(path), text.as_deref()),
            scenario: team.as_ref().map(|(p, t)| (p.as_path(), t.as_deref())),
        };
        let row = env
            .install(|| trend_row(&version, settings, pool.as_mut(), env.cancel_flag()))
            .map_err(answer_error)?;
        super::interrupt::check()?;
        rows.push(row);
    }
    rows.reverse();
    Ok(rows)
}

// ---------------------------------------------------------------------------------------
// plan baseline and --baseline
// ---------------------------------------------------------------------------------------

/// The model of `--model` (else the built-in one) with the text it was read from.
fn load_with_text(arg: &ModelArg) -> Result<(Program, String), CliError> {
    let Some(path) = &arg.model else {
        return Ok((model::builtin_program(), model::BUILTIN_MODEL.to_string()));
    };
    // The library's reader words unreadable and non-UTF-8 files; only their text is read here.
    let loaded = model::load_program(path).map_err(|d| flag_hint(d, "--model"))?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Io(format!("--model {}: {e}", path.display())))?;
    Ok((loaded, text))
}

/// The team of `--scenario`, else the built-in team for the built-in model, else none.
fn team(
    arg: &ModelArg,
    scenario: Option<&Path>,
    model: &Model,
) -> Result<Option<Scenario>, CliError> {
    match (scenario, &arg.model) {
        (Some(p), _) => Ok(Some(read_scenario(p, model)?)),
        (None, None) => Ok(Some(model::builtin_scenario(model)?)),
        (None, Some(_)) => Ok(None),
    }
}

/// `plan baseline`.
pub fn baseline(a: &BaselineArgs) -> Result<i32, CliError> {
    run_baseline(a)
}

fn run_baseline(a: &BaselineArgs) -> Result<i32, CliError> {
    let (model, text) = load_with_text(&a.model)?;
    let scenario = team(&a.model, a.scenario.as_deref(), &model)?;
    let env = environment(&a.tracking)?;
    let settings = settings(&a.tracking, &env, false);
    let answers = answer(&env, &model, scenario.as_ref(), &settings)?;
    let frozen = baseline::freeze(
        &model,
        baseline::model_hash(&text),
        &answers,
        settings.estimate,
    );
    super::output::write_atomic(&a.out, render::render_baseline(&frozen).as_bytes())?;
    eprintln!(
        "baseline of {} tasks and {} milestones written to {}",
        frozen.tasks.len(),
        frozen.milestones.len(),
        a.out.display()
    );
    Ok(0)
}

/// Reads a baseline file; bad ones are located errors (exit 2).
fn read_baseline(path: &Path) -> Result<baseline::Baseline, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Io(format!(
            "--baseline {}: cannot read it: {e}\n  help: check the path given to --baseline",
            path.display()
        ))
    })?;
    Ok(baseline::parse_baseline(&text, path)?)
}

/// A baseline given with `--baseline`: read from a file, or computed from the model at a git
/// revision.
pub(super) struct GivenBaseline {
    baseline: Baseline,
    /// The file, or `REV:path` of the model it was computed from.
    from: PathBuf,
    /// True when computed from a revision (another model text, by design: no warning).
    revision: bool,
}

/// What a baseline computed from a revision is answered with.
struct RevisionSettings<'a> {
    env: &'a Environment,
    settings: AnswerSettings,
    /// The team's scenario file (`None`: the built-in team for the built-in model, else none).
    scenario: Option<&'a Path>,
}

/// `--baseline FILE|REV`: a file when one exists at that path, else a git revision of the
/// model file, whose model (and the same scenario file) is answered and frozen.
fn given_baseline(
    spec: &Path,
    model_arg: &ModelArg,
    rev: &RevisionSettings<'_>,
) -> Result<GivenBaseline, CliError> {
    if spec.is_file() {
        return Ok(GivenBaseline {
            baseline: read_baseline(spec)?,
            from: spec.to_path_buf(),
            revision: false,
        });
    }
    let name = spec.to_string_lossy();
    let Some(model_path) = &model_arg.model else {
        return Err(CliError::Io(format!(
            "--baseline {name}: no such file\n  help: give a file written by `plan baseline`, or --model FILE (in git) with a revision such as HEAD~1"
        )));
    };
    let dir = directory_of(model_path);
    let file = model_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    repository_of(
        &dir,
        &format!("--baseline {name} (no such file: read as a git revision)"),
    )?;
    let commit = commit_of(&dir, &name).map_err(|_| {
        CliError::Invalid(format!(
            "--baseline {name}: no such file, and no such revision in the git repository at {}\n  help: give a file written by `plan baseline`, or a revision of the model (`git log --oneline -- {file}`)",
            dir.display()
        ))
    })?;
    let label = PathBuf::from(format!("{name}:{}", model_path.display()));
    let text = show(&dir, &commit, &format!("./{file}")).ok_or_else(|| {
        CliError::Invalid(format!(
            "--baseline {name}: {} is not in revision `{name}`\n  help: give a revision at or after the model's first commit (`git log --oneline -- {file}`)",
            model_path.display()
        ))
    })?;
    let old = model::parse_program(&text, &label)?;
    let old_team = match rev.scenario {
        Some(p) => Some(read_scenario(p, &old)?),
        None => None,
    };
    let answers = answer(rev.env, &old, old_team.as_ref(), &rev.settings)?;
    Ok(GivenBaseline {
        baseline: baseline::freeze(
            &old,
            baseline::model_hash(&text),
            &answers,
            rev.settings.estimate,
        ),
        from: label,
        revision: true,
    })
}

/// When a baseline file of another model text gets a warning.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Warn {
    /// On any other text (`critical-path`, `schedule`: the same plan is expected).
    OnAnyEdit,
    /// Only when the project's name differs too (`status`: progress since the baseline
    /// always edits the text).
    OnAnotherProject,
}

/// The comparison of current dates with the baseline; warns on a baseline file of another
/// model text as `warn` says.
fn against(
    given: &GivenBaseline,
    text: &str,
    model: &Model,
    dates: &(Vec<answers::ItemDates>, Vec<answers::ItemDates>),
    warn: Warn,
) -> Result<BaselineComparison, CliError> {
    let cmp = baseline::compare(
        &given.baseline,
        &baseline::model_hash(text),
        model,
        &dates.0,
        &dates.1,
    )
    .map_err(plan::Diagnostics::from)?;
    let another_project = given.baseline.project != model.project.name;
    if cmp.matches_model || given.revision {
        return Ok(cmp);
    }
    if another_project {
        eprintln!(
            "warning: {} is a baseline of another project (\"{}\"; this model is \"{}\"): tasks and milestones are matched by id",
            given.from.display(),
            given.baseline.project,
            model.project.name
        );
    } else if warn == Warn::OnAnyEdit {
        eprintln!(
            "warning: {} was taken from another model text (hash {}): tasks and milestones are matched by id",
            given.from.display(),
            cmp.model_hash
        );
    }
    Ok(cmp)
}

/// Output with a baseline: new JSON fields, or a section after the table or Markdown.
fn with_baseline(
    plain: String,
    report: &impl serde::Serialize,
    cmp: &BaselineComparison,
    fmt: Format,
) -> Result<String, CliError> {
    match fmt {
        Format::Json => Ok(render::with_baseline_json(report, cmp)),
        Format::Table | Format::Markdown => Ok(plain + &render::baseline_section(cmp, fmt)),
        Format::Csv => Err(CliError::Invalid(
            "--baseline with --format csv: not supported\n  help: use --format table, json or markdown with --baseline".into(),
        )),
    }
}

/// `plan critical-path --baseline FILE`.
pub fn critical_path(a: &CriticalPathArgs, path: &Path) -> Result<i32, CliError> {
    if !a.near.is_finite() || a.near < 0.0 {
        return Err(CliError::Invalid(format!(
            "--near {}: give a number of working days of zero or more",
            a.near
        )));
    }
    let (model, text) = load_with_text(&a.model)?;
    let choice = estimate(a.estimate);
    let env = build_environment(Environment::builder())?;
    let rev = RevisionSettings {
        env: &env,
        settings: AnswerSettings {
            estimate: choice,
            search: SearchConfig::for_run(&env),
            simulation: None,
            verdicts: false,
        },
        scenario: None,
    };
    let given = given_baseline(path, &a.model, &rev)?;
    let result = plan::cpm::analyze_program(&model, choice);
    let dates = answers::cpm_dates(&model, &result);
    let cmp = against(&given, &text, &model, &dates, Warn::OnAnyEdit)?;
    let rep = report::critical_path::build(&model, &result, choice);
    let fmt = format(a.format);
    let plain = report::critical_path::render(&rep, fmt, a.near);
    emit(&with_baseline(plain, &rep, &cmp, fmt)?)?;
    Ok(0)
}

/// `plan schedule --baseline FILE`.
pub fn schedule(a: &ScheduleArgs, path: &Path) -> Result<i32, CliError> {
    let (model, text) = load_with_text(&a.search.model)?;
    let env = super::common::environment(&a.search)?;
    let rev = RevisionSettings {
        env: &env,
        settings: AnswerSettings {
            estimate: estimate(a.search.estimate),
            search: SearchConfig::for_run(&env),
            simulation: None,
            verdicts: false,
        },
        scenario: a.search.scenario.as_deref(),
    };
    // The baseline before the search, so a bad file or revision fails fast.
    let given = given_baseline(path, &a.search.model, &rev)?;
    let (_, rep) = best_schedule(&a.search)?;
    let dates = answers::schedule_dates(&rep);
    let cmp = against(&given, &text, &model, &dates, Warn::OnAnyEdit)?;
    let fmt = format(a.format);
    let plain = report::schedule::render(&rep, fmt);
    emit(&with_baseline(plain, &rep, &cmp, fmt)?)?;
    Ok(0)
}

// ---------------------------------------------------------------------------------------
// plan status
// ---------------------------------------------------------------------------------------

/// `plan status`.
pub fn status(a: &StatusArgs) -> Result<i32, CliError> {
    let (model, text) = load_with_text(&a.model)?;
    let team = team(&a.model, a.scenario.as_deref(), &model)?;
    let env = environment(&a.tracking)?;
    let settings = settings(&a.tracking, &env, false);
    let rev = RevisionSettings {
        env: &env,
        settings: AnswerSettings {
            simulation: None,
            ..settings.clone()
        },
        scenario: a.scenario.as_deref(),
    };
    let given = a
        .baseline
        .as_deref()
        .map(|b| given_baseline(b, &a.model, &rev))
        .transpose()?;
    if let Some(g) = &given {
        // Before the (long) answers: a baseline from the future is refused at once.
        baseline::check_status_date(&g.baseline, &model).map_err(plan::Diagnostics::from)?;
    }
    let now = answer(&env, &model, team.as_ref(), &settings)?;
    let mut report = StatusReport {
        project: model.project.name.clone(),
        status_date: now.status_date,
        scenario: now.scenario.clone(),
        baseline: None,
        earned_value: None,
        milestones_checked: model.milestones.iter().filter(|m| m.due.is_some()).count(),
        milestones_at_risk: track_status::milestones_at_risk(&model, &now, None),
    };
    if let Some(g) = &given {
        let dates = (now.tasks.clone(), now.milestone_dates());
        let cmp = against(g, &text, &model, &dates, Warn::OnAnotherProject)?;
        report.earned_value =
            Some(evm::earned_value(&g.baseline, &model, &g.from).map_err(plan::Diagnostics::from)?);
        report.milestones_at_risk = track_status::milestones_at_risk(&model, &now, Some(&cmp));
        report.baseline = Some(BaselineInfo {
            from: g.from.display().to_string(),
            model_hash: cmp.model_hash.clone(),
            matches_model: cmp.matches_model,
            status_date: cmp.status_date,
            scenario: cmp.scenario.clone(),
            source: cmp.source,
        });
    }
    emit(&render_status::render_status(
        &report,
        diff_format(a.format),
    ))?;
    Ok(0)
}

// ---------------------------------------------------------------------------------------
// plan simulate --calibrate
// ---------------------------------------------------------------------------------------

/// The finished tasks of every committed version of the model file, then of the model itself
/// (the file as it is now), pooled; with the number of commits read. A model outside git, or
/// not committed, is pooled alone.
fn history_pool(model: &Model) -> (calibrate::Pool, usize) {
    let estimate = plan::model::EstimateChoice::Likely;
    let mut pool = calibrate::Pool::new();
    let path = model.file();
    let dir = directory_of(path);
    let in_git = path.is_file() && git_text(&dir, &["rev-parse", "--show-toplevel"]).is_ok();
    let commits = if in_git {
        touches(&dir, path).unwrap_or_default()
    } else {
        Vec::new()
    };
    for t in commits.iter().rev() {
        // A commit whose model does not read adds nothing: a plan's history holds broken ones.
        let version = show(&dir, &t.commit, &t.path)
            .and_then(|text| model::parse_model(&text, Path::new(&t.path)).ok());
        if let Some(v) = version {
            pool.add(&v, estimate);
        }
    }
    pool.add(model, estimate);
    (pool, commits.len())
}

/// The model with its remaining estimates calibrated on the finished tasks of its git history
/// ([`history_pool`]); what it rests on goes to stderr, with a warning below
/// [`calibrate::MIN_FINISHED`] tasks.
pub fn calibrate(model: &Model) -> Result<Model, CliError> {
    let (pool, commits) = history_pool(model);
    let Some(c) = pool.calibration() else {
        return Err(CliError::Invalid(format!(
            "--calibrate: {} has no finished task (done = 1) with an actual_effort{}\n  help: record actual_effort (person-days spent) on finished tasks, or run without --calibrate",
            model.file().display(),
            if commits > 0 { ", now or in any commit of it" } else { "" }
        )));
    };
    let pooled = if commits > 0 {
        format!(
            " ({} of them finished only in earlier versions) from {} commit(s) of {} and the file as it is",
            c.earlier,
            commits,
            model.file().display()
        )
    } else {
        String::new()
    };
    eprintln!(
        "calibrated on {} finished task(s){pooled}: actual effort {:.2} x the estimates (geometric mean), spread x{:.2}; remaining estimates [o, m, p] -> [o x {:.2}, m x {:.2}, p x {:.2}]",
        c.tasks,
        c.factor,
        c.spread,
        c.factor / c.spread,
        c.factor,
        c.factor * c.spread
    );
    if c.tasks < calibrate::MIN_FINISHED {
        eprintln!(
            "warning: the calibration rests on {} finished task(s), fewer than {}: treat it as a guess",
            c.tasks,
            calibrate::MIN_FINISHED
        );
    }
    if c.clamped {
        eprintln!(
            "warning: the factor or the spread was cut to {} (the actuals differ from the estimates by more)",
            calibrate::MAX_FACTOR
        );
    }
    Ok(calibrate::calibrated(model, &c))
}

// ---------------------------------------------------------------------------------------
// plan report --baseline and --history
// ---------------------------------------------------------------------------------------

/// The search of the report's baseline from a revision and of each commit of its trend: the
/// report's own budget, most likely estimates, no simulation.
fn report_settings(env: &Environment, budget: u64) -> AnswerSettings {
    AnswerSettings {
        estimate: plan::model::EstimateChoice::Likely,
        search: SearchConfig {
            schedules: budget,
            ..SearchConfig::for_run(env)
        },
        simulation: None,
        verdicts: false,
    }
}

/// The report's `--baseline`, read (or answered from a revision with the first scenario)
/// before the report's long work, so a bad file, revision or status date fails at once.
pub(super) fn report_baseline(
    a: &ReportArgs,
    model: &Model,
    env: &Environment,
    budget: u64,
) -> Result<Option<GivenBaseline>, CliError> {
    let Some(spec) = &a.baseline else {
        return Ok(None);
    };
    let rev = RevisionSettings {
        env,
        settings: report_settings(env, budget),
        scenario: a.scenario.first().map(PathBuf::as_path),
    };
    let given = given_baseline(spec, &a.model, &rev)?;
    baseline::check_status_date(&given.baseline, model).map_err(plan::Diagnostics::from)?;
    if !given.revision && given.baseline.project != model.project.name {
        eprintln!(
            "warning: {} is a baseline of another project (\"{}\"; this model is \"{}\"): tasks and milestones are matched by id",
            given.from.display(),
            given.baseline.project,
            model.project.name
        );
    }
    Ok(Some(given))
}

/// Fills the page's tracking parts: baseline bars and the S-curve of earned value from
/// `given`, and with `--history` the milestone trend from git (a model outside git gets a
/// note on the page and a warning, not an error).
pub(super) fn report_tracking(
    a: &ReportArgs,
    model: &Model,
    given: Option<&GivenBaseline>,
    env: &Environment,
    budget: u64,
    page: &mut Page,
) -> Result<(), CliError> {
    let history = if a.history {
        report_trend(a, env, budget, page)?
    } else {
        None
    };
    if let Some(g) = given {
        let from = g.from.display().to_string();
        page.tracking.baseline = Some(charts::baseline_bars(&g.baseline, model, &from));
        match evm::earned_value(&g.baseline, model, &g.from) {
            Ok(ev) => {
                let earlier = history.map_or_else(Vec::new, |(f, rows)| {
                    earned_value_at_commits(&f, &rows, &g.baseline, &g.from)
                });
                let curve = charts::earned_value_curve(&g.baseline, model, &ev, &earlier, &from);
                page.tracking.earned_value = Some(curve);
            }
            Err(d) => note(page, format!("No earned value S-curve: {}", d.message)),
        }
    }
    Ok(())
}

/// The earned value of each commit of the history against the baseline (commits whose model
/// does not read, or whose status date is before the baseline's, are left out): the S-curve's
/// earlier EV and AC points.
fn earned_value_at_commits(
    f: &Followed,
    rows: &[TrendRow],
    baseline: &Baseline,
    from: &Path,
) -> Vec<evm::EarnedValue> {
    rows.iter()
        .filter(|r| r.error.is_none())
        .filter_map(|r| {
            let text = show(&f.dir, &r.commit, &r.model)?;
            let version = model::parse_model(&text, Path::new(&r.model)).ok()?;
            evm::earned_value(baseline, &version, from).ok()
        })
        .collect()
}

fn note(page: &mut Page, text: String) {
    eprintln!("warning: {text}");
    page.tracking.notes.push(text);
}

/// The milestone trend of the report's model, put on the page; the history it was read from,
/// for the S-curve's earlier points (`None`: no history, noted on the page).
fn report_trend(
    a: &ReportArgs,
    env: &Environment,
    budget: u64,
    page: &mut Page,
) -> Result<Option<(Followed, Vec<TrendRow>)>, CliError> {
    let Some(path) = &a.model.model else {
        note(
            page,
            "No milestone trend: the built-in model has no git history (give --model FILE, a model file in git)".into(),
        );
        return Ok(None);
    };
    let dir = directory_of(path);
    let committed = git_text(&dir, &["rev-parse", "--show-toplevel"]).is_ok()
        && touches(&dir, path).is_ok_and(|t| !t.is_empty());
    if !committed {
        note(
            page,
            format!(
                "No milestone trend: {} is not committed in a git repository",
                path.display()
            ),
        );
        return Ok(None);
    }
    let scenario = a.scenario.first().map(PathBuf::as_path);
    let f = follow(path, scenario, a.since.as_deref())?;
    let rows = trend_rows(&f, env, &report_settings(env, budget), false)?;
    let measure = match scenario {
        Some(s) => format!(
            "scheduled date with {} as of each commit; CPM where a commit has no team",
            s.display()
        ),
        None => "CPM date".to_string(),
    };
    page.tracking.trend = Some(charts::milestone_trend(&rows, &measure));
    Ok(Some((f, rows)))
}
