//! Scenarios: who is on the team (headcount per role, hires with ramp-up, people leaving) and
//! the default simulation settings. A scenario is checked against the model it staffs.

use super::read::{field, join, Reader, MAX_PEOPLE};
use super::types::{Model, Task, Work, UNREADABLE_HELP};
use crate::error::{closest, Diagnostic, Diagnostics};
use jiff::civil::Date;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Display name (the file stem when the file gives none).
    pub name: String,
    /// The file it was read from.
    pub file: PathBuf,
    /// People per role from the project start, indexed like `model.roles`.
    pub team: Vec<u32>,
    /// People joining later.
    pub hires: Vec<Hire>,
    /// People leaving.
    pub leaves: Vec<Leave>,
    /// Cost per person-day by role, overriding the model's.
    pub costs: Vec<Option<f64>>,
    /// Defaults for simulation commands.
    pub simulation: SimulationSettings,
}

/// `[[hire]]`: people of a role who join on a date and ramp up linearly.
#[derive(Debug, Clone, PartialEq)]
pub struct Hire {
    /// Role index.
    pub role: usize,
    /// How many people.
    pub count: u32,
    /// First day they work.
    pub start: Date,
    /// Working days from zero to full productivity.
    pub ramp_up: f64,
}

/// `[[leave]]`: people of a role who stop working after a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Leave {
    /// Role index.
    pub role: usize,
    /// How many people.
    pub count: u32,
    /// Their last working day is the day before this date.
    pub date: Date,
}

/// The probability distribution fitted to a three-point estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Distribution {
    /// PERT-beta (the default).
    #[default]
    Pert,
    /// Triangular.
    Triangular,
    /// Lognormal fitted to the three points.
    Lognormal,
}

impl Distribution {
    /// Parses `pert`, `triangular` or `lognormal`.
    pub fn parse(s: &str) -> Option<Distribution> {
        match s {
            "pert" => Some(Distribution::Pert),
            "triangular" => Some(Distribution::Triangular),
            "lognormal" => Some(Distribution::Lognormal),
            _ => None,
        }
    }
}

/// `[simulation]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimulationSettings {
    /// Iterations per run.
    pub iterations: Option<u64>,
    /// Random seed.
    pub seed: Option<u64>,
    /// Duration distribution.
    pub distribution: Option<Distribution>,
    /// Correlation between durations of tasks in the same phase, 0..=1.
    pub correlation: Option<f64>,
}

impl Scenario {
    /// The model's team with nobody in it, for commands run without a scenario.
    pub fn empty(model: &Model) -> Scenario {
        Scenario {
            name: "no team".into(),
            file: PathBuf::new(),
            team: vec![0; model.roles.len()],
            hires: Vec::new(),
            leaves: Vec::new(),
            costs: vec![None; model.roles.len()],
            simulation: SimulationSettings::default(),
        }
    }

    /// Cost per person-day of role `r`: the scenario's, else the model's.
    pub fn cost(&self, model: &Model, r: usize) -> Option<f64> {
        self.costs[r].or(model.roles[r].cost)
    }
}

/// Reads a scenario file and checks it against the model.
pub fn load_scenario(path: &Path, model: &Model) -> Result<Scenario, Diagnostics> {
    super::read::check_utf8(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(path, "", format!("cannot read the scenario file: {e}"))
            .help(UNREADABLE_HELP)
    })?;
    parse_scenario(&text, path, model)
}

/// Parses scenario text; `file` is the name errors use.
pub fn parse_scenario(text: &str, file: &Path, model: &Model) -> Result<Scenario, Diagnostics> {
    let mut r = Reader::new(text, file);
    let Some(doc) = r.parse() else {
        super::read::place_unlocated(&mut r);
        return Err(r.diags);
    };
    r.check_keys(
        &doc,
        "",
        &["name", "team", "hire", "leave", "simulation", "cost"],
    );
    let default_name = file
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    let name = field(&doc, "name")
        .and_then(|v| r.string(v, "name"))
        .unwrap_or(default_name);
    let mut team = vec![0u32; model.roles.len()];
    if let Some(t) = field(&doc, "team").and_then(|v| r.table(v, "team")) {
        for (role, v, _) in role_entries(&mut r, t, "team", model) {
            if let Some(n) = r.count(v, &format!("team.{}", model.roles[role].id)) {
                team[role] = n;
            }
        }
    } else if field(&doc, "team").is_none() {
        r.diags.push(
            Diagnostic::new(file, "team", "the scenario has no [team] table")
                .help("add [team] with the number of people per role, e.g. backend = 5"),
        );
    }
    let mut costs = vec![None; model.roles.len()];
    if let Some(t) = field(&doc, "cost").and_then(|v| r.table(v, "cost")) {
        for (role, v, _) in role_entries(&mut r, t, "cost", model) {
            costs[role] = r.cost(v, &format!("cost.{}", model.roles[role].id));
        }
    }
    let hires = read_people(&mut r, &doc, "hire", model, read_hire);
    let leaves = read_people(&mut r, &doc, "leave", model, read_leave);
    let simulation = read_simulation(&mut r, &doc);
    if r.diags.is_empty() {
        check_team_peak(&mut r, &doc, model, &team, &hires);
        check_team_left(&mut r, &doc, model, &team, &hires, &leaves);
    }
    r.diags.into_result(Scenario {
        name,
        file: file.to_path_buf(),
        team,
        hires,
        leaves,
        costs,
        simulation,
    })
}

/// A role's team plus all its hires is at most [`MAX_PEOPLE`], so capacity
/// stays inside what the scheduler counts; reported at the hire that passes the limit.
fn check_team_peak(
    r: &mut Reader<'_>,
    doc: &DeTable<'_>,
    model: &Model,
    team: &[u32],
    hires: &[Hire],
) {
    let Some(DeValue::Array(items)) = field(doc, "hire").map(|v| v.get_ref()) else {
        return;
    };
    for (role, &base) in team.iter().enumerate() {
        let mut peak = u64::from(base);
        for (i, h) in hires.iter().enumerate().filter(|(_, h)| h.role == role) {
            peak += u64::from(h.count);
            if peak > u64::from(MAX_PEOPLE) {
                let role_id = &model.roles[role].id;
                let span = items.get(i).map_or(0..0, |v| v.span());
                r.error(
                    span,
                    &format!("hire[{}]", i + 1),
                    format!("with this hire the {role_id} team reaches {peak} people, more than the limit of {}", MAX_PEOPLE),
                    &format!("keep each role's team plus hires at {} people or fewer", MAX_PEOPLE),
                );
                break;
            }
        }
    }
}

/// The scheduler plans with the people left after the last change of the team: a task that
/// needs more people than remain after the leaves is reported at the role's last leave,
/// instead of failing inside the scheduler without a place in the file.
fn check_team_left(
    r: &mut Reader<'_>,
    doc: &DeTable<'_>,
    model: &Model,
    team: &[u32],
    hires: &[Hire],
    leaves: &[Leave],
) {
    let Some(DeValue::Array(items)) = field(doc, "leave").map(|v| v.get_ref()) else {
        return;
    };
    for (role, &base) in team.iter().enumerate() {
        let Some(last) = leaves.iter().rposition(|l| l.role == role) else {
            continue;
        };
        let joined: u64 = hires
            .iter()
            .filter(|h| h.role == role)
            .map(|h| u64::from(h.count))
            .sum();
        let left: u64 = leaves
            .iter()
            .filter(|l| l.role == role)
            .map(|l| u64::from(l.count))
            .sum();
        let remaining = (u64::from(base) + joined).saturating_sub(left);
        let Some((task, need)) = model
            .tasks
            .iter()
            .filter_map(|t| people_needed(t, role).map(|n| (t, n)))
            .find(|&(_, n)| u64::from(n) > remaining)
        else {
            continue;
        };
        let role_id = &model.roles[role].id;
        // Every entry was read without error (the check runs only then), so positions match.
        let key = format!("leave[{}]", last + 1);
        let entry = items.get(last);
        let date = entry.and_then(|v| match v.get_ref() {
            DeValue::Table(t) => field(t, "date").map(|d| d.span()),
            _ => None,
        });
        let span = date.or(entry.map(|v| v.span())).unwrap_or(0..0);
        r.error(
            span,
            &key,
            format!(
                "after the leaves {remaining} {role_id} people remain, but task \"{}\" needs {need} at once; \
                 plan schedules with the team that remains after its last change",
                task.id
            ),
            &format!("keep at least {need} {role_id} people after the leaves, or drop leaves that happen after the work is done"),
        );
    }
}

/// The fewest people of `role` an unfinished task needs at once, if it needs any.
fn people_needed(task: &Task, role: usize) -> Option<u32> {
    if task.done >= 1.0 {
        return None;
    }
    match &task.work {
        Work::Fixed { duration, demand } if duration.pessimistic > 0.0 => demand
            .iter()
            .find(|&&(r, n)| r == role && n > 0)
            .map(|&(_, n)| n),
        Work::Fixed { .. } => None,
        Work::Effort(efforts) => efforts
            .iter()
            .find(|e| e.role == role && e.effort.pessimistic > 0.0)
            .map(|e| e.crew.0),
    }
}

/// The entries of a role-keyed table, with unknown roles reported (suggesting the closest).
fn role_entries<'t, 's>(
    r: &mut Reader<'s>,
    t: &'t DeTable<'s>,
    key: &str,
    model: &Model,
) -> Vec<(usize, &'t toml::Spanned<DeValue<'s>>, Range<usize>)> {
    let mut out = Vec::new();
    for (k, v) in t.iter() {
        match model.role_index(k.get_ref()) {
            Some(i) => out.push((i, v, k.span())),
            None => {
                let role = k.get_ref();
                let help = unknown_role_help(role, model);
                r.error(
                    k.span(),
                    &join(key, role),
                    format!("the model has no role `{role}`"),
                    &help,
                );
            }
        }
    }
    out
}

fn unknown_role_help(role: &str, model: &Model) -> String {
    let ids: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    match closest(role, ids.iter().copied()) {
        Some(c) => format!(
            "did you mean `{c}`? the model's roles are: {}",
            ids.join(", ")
        ),
        None => format!("the model's roles are: {}", ids.join(", ")),
    }
}

/// Reads one `[[hire]]` or `[[leave]]` entry once its role and count are known.
type ReadPerson<'s, T> =
    fn(&mut Reader<'s>, &DeTable<'s>, Range<usize>, &str, usize, u32) -> Option<T>;

fn read_people<'s, T>(
    r: &mut Reader<'s>,
    doc: &DeTable<'s>,
    name: &str,
    model: &Model,
    read_one: ReadPerson<'s, T>,
) -> Vec<T> {
    let Some(v) = field(doc, name) else {
        return Vec::new();
    };
    let DeValue::Array(items) = v.get_ref() else {
        r.error(
            v.span(),
            name,
            format!("expected [[{name}]] tables"),
            &format!("write each entry as a [[{name}]] table"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = format!("{name}[{}]", i + 1);
        let Some(t) = r.table(item, &key) else {
            continue;
        };
        r.check_keys(t, &key, allowed_person_keys(name));
        let role = match field(t, "role") {
            Some(v) => {
                r.string(v, &join(&key, "role"))
                    .and_then(|role| match model.role_index(&role) {
                        Some(i) => Some(i),
                        None => {
                            let help = unknown_role_help(&role, model);
                            r.error(
                                v.span(),
                                &join(&key, "role"),
                                format!("the model has no role `{role}`"),
                                &help,
                            );
                            None
                        }
                    })
            }
            None => {
                r.error(
                    item.span(),
                    &join(&key, "role"),
                    "missing",
                    "add role = \"backend\" (a role of the model)",
                );
                None
            }
        };
        let count = field(t, "count").map_or(Some(1), |v| r.count(v, &join(&key, "count")));
        // Read the rest even when role or count is bad, so its errors are reported too.
        let entry = read_one(
            r,
            t,
            item.span(),
            &key,
            role.unwrap_or(0),
            count.unwrap_or(0),
        );
        if let (Some(_), Some(_), Some(x)) = (role, count, entry) {
            out.push(x);
        }
    }
    out
}

/// The keys a `[[hire]]` or `[[leave]]` entry may have.
fn allowed_person_keys(name: &str) -> &'static [&'static str] {
    if name == "hire" {
        &["role", "count", "start", "ramp_up"]
    } else {
        &["role", "count", "date"]
    }
}

fn required_date(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
    name: &str,
) -> Option<Date> {
    match field(t, name) {
        Some(v) => r.date(v, &join(key, name)),
        None => {
            r.error(
                span,
                &join(key, name),
                "missing",
                &format!("add {name} = YYYY-MM-DD"),
            );
            None
        }
    }
}

fn read_hire(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
    role: usize,
    count: u32,
) -> Option<Hire> {
    let start = required_date(r, t, span, key, "start");
    let ramp_up = field(t, "ramp_up").map_or(Some(0.0), |v| r.days(v, &join(key, "ramp_up")));
    Some(Hire {
        role,
        count,
        start: start?,
        ramp_up: ramp_up?,
    })
}

fn read_leave(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
    role: usize,
    count: u32,
) -> Option<Leave> {
    let date = required_date(r, t, span, key, "date");
    Some(Leave {
        role,
        count,
        date: date?,
    })
}

fn read_simulation(r: &mut Reader<'_>, doc: &DeTable<'_>) -> SimulationSettings {
    let mut s = SimulationSettings::default();
    let Some(t) = field(doc, "simulation").and_then(|v| r.table(v, "simulation")) else {
        return s;
    };
    r.check_keys(
        t,
        "simulation",
        &["iterations", "seed", "distribution", "correlation"],
    );
    if let Some(v) = field(t, "iterations") {
        s.iterations = r.whole(v, "simulation.iterations");
        if s.iterations == Some(0) {
            r.error(
                v.span(),
                "simulation.iterations",
                "0 iterations simulate nothing",
                "use e.g. iterations = 10000",
            );
        }
    }
    if let Some(v) = field(t, "seed") {
        s.seed = r.whole(v, "simulation.seed");
    }
    if let Some(v) = field(t, "distribution") {
        if let Some(name) = r.string(v, "simulation.distribution") {
            s.distribution = Distribution::parse(&name);
            if s.distribution.is_none() {
                r.error(
                    v.span(),
                    "simulation.distribution",
                    format!("unknown distribution \"{name}\""),
                    "use \"pert\", \"triangular\" or \"lognormal\"",
                );
            }
        }
    }
    if let Some(v) = field(t, "correlation") {
        s.correlation = r.fraction(v, "simulation.correlation");
    }
    s
}
