//! Scenarios: who is on the team (headcount per role, part-time people, hires with ramp-up,
//! people leaving, absences over date ranges) and the default simulation settings. A scenario
//! is checked against the model it staffs.

use super::read::{field, join, Reader, MAX_DAYS, MAX_PEOPLE};
use super::types::{Model, Task, Work, UNREADABLE_HELP};
use crate::calendar::WorkCalendar;
use crate::error::{closest, Diagnostic, Diagnostics};
use jiff::civil::Date;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// Units of capacity that one fully available person supplies per working day: capacity is
/// counted in hundredths of a person, so a person at 60 % availability supplies 60.
pub const UNITS_PER_PERSON: u32 = 100;

/// Units one person at `availability` (a fraction in (0, 1]) supplies per working day.
pub fn availability_units(availability: f64) -> u32 {
    (availability * f64::from(UNITS_PER_PERSON)).round() as u32
}

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
    /// People working part of each week, on top of `team`.
    pub part_time: Vec<PartTime>,
    /// People away for a range of dates (vacations), who come back after it.
    pub absences: Vec<Absence>,
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
    /// Share of a full working day each of them works, in (0, 1] (1 unless the file says).
    pub availability: f64,
}

/// `[[part_time]]`: people of a role who work a share of each working day (or of each week:
/// three days a week is 0.6), from the start or from `from`, up to `until`.
#[derive(Debug, Clone, PartialEq)]
pub struct PartTime {
    /// Role index.
    pub role: usize,
    /// How many people.
    pub count: u32,
    /// Share of a full working day each of them works, in (0, 1].
    pub availability: f64,
    /// First day they work (the project start when absent).
    pub from: Option<Date>,
    /// Last day they work, inclusive (no end when absent).
    pub until: Option<Date>,
}

/// `[[absence]]`: people of a role who do not work from `from` to `until` (inclusive) and
/// come back the day after.
#[derive(Debug, Clone, PartialEq)]
pub struct Absence {
    /// Role index.
    pub role: usize,
    /// How many people.
    pub count: u32,
    /// The availability of the people who are away (1 unless the file says): a part-timer's
    /// absence removes what they supply.
    pub availability: f64,
    /// First day away.
    pub from: Date,
    /// Last day away, inclusive.
    pub until: Date,
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
            part_time: Vec::new(),
            absences: Vec::new(),
            costs: vec![None; model.roles.len()],
            simulation: SimulationSettings::default(),
        }
    }

    /// The availability of the people who are ever on role `role`'s team, as `(units, people)`
    /// with the most available first: full-timers, part-timers and hires.
    pub fn people_by_availability(&self, role: usize) -> Vec<(u32, u64)> {
        let mut groups = std::collections::BTreeMap::<u32, u64>::new();
        *groups.entry(UNITS_PER_PERSON).or_default() += u64::from(self.team[role]);
        for h in self.hires.iter().filter(|h| h.role == role) {
            *groups
                .entry(availability_units(h.availability))
                .or_default() += u64::from(h.count);
        }
        for p in self.part_time.iter().filter(|p| p.role == role) {
            *groups
                .entry(availability_units(p.availability))
                .or_default() += u64::from(p.count);
        }
        groups.retain(|_, n| *n > 0);
        groups.into_iter().rev().collect()
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
        &[
            "name",
            "team",
            "hire",
            "leave",
            "part_time",
            "absence",
            "simulation",
            "cost",
        ],
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
    let part_time = read_people(&mut r, &doc, "part_time", model, read_part_time);
    let absences = read_people(&mut r, &doc, "absence", model, read_absence);
    let simulation = read_simulation(&mut r, &doc);
    let scenario = Scenario {
        name,
        file: file.to_path_buf(),
        team,
        hires,
        leaves,
        part_time,
        absences,
        costs,
        simulation,
    };
    if r.diags.is_empty() {
        check_team_peak(&mut r, &doc, model, &scenario);
        check_team_left(&mut r, &doc, model, &scenario);
        check_absences(&mut r, &doc, model, &scenario);
        check_change_dates(&mut r, &doc, model, &scenario);
    }
    r.diags.into_result(scenario)
}

/// A role's team plus all its hires and part-timers is at most [`MAX_PEOPLE`], so capacity
/// stays inside what the scheduler counts; reported at the entry that passes the limit.
fn check_team_peak(r: &mut Reader<'_>, doc: &DeTable<'_>, model: &Model, s: &Scenario) {
    let joining = |role: usize| {
        let hires = s
            .hires
            .iter()
            .enumerate()
            .filter(move |(_, h)| h.role == role);
        let part = s
            .part_time
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.role == role);
        hires
            .map(|(i, h)| ("hire", i, h.count))
            .chain(part.map(|(i, p)| ("part_time", i, p.count)))
    };
    for (role, &base) in s.team.iter().enumerate() {
        let mut peak = u64::from(base);
        for (name, i, count) in joining(role) {
            peak += u64::from(count);
            if peak > u64::from(MAX_PEOPLE) {
                let role_id = &model.roles[role].id;
                r.error(
                    entry_span(doc, name, i, None),
                    &format!("{name}[{}]", i + 1),
                    format!("with this entry the {role_id} team reaches {peak} people, more than the limit of {}", MAX_PEOPLE),
                    &format!("keep each role's team plus hires and part-timers at {} people or fewer", MAX_PEOPLE),
                );
                break;
            }
        }
    }
}

/// The span of entry `i` of `[[name]]` (of its key `key` when given and present).
fn entry_span(doc: &DeTable<'_>, name: &str, i: usize, key: Option<&str>) -> Range<usize> {
    let Some(DeValue::Array(items)) = field(doc, name).map(|v| v.get_ref()) else {
        return 0..0;
    };
    let entry = items.get(i);
    let inner = entry.and_then(|v| match (v.get_ref(), key) {
        (DeValue::Table(t), Some(k)) => field(t, k).map(|d| d.span()),
        _ => None,
    });
    inner.or(entry.map(|v| v.span())).unwrap_or(0..0)
}

/// The scheduler plans with the people left after the last change of the team: a task that
/// needs more than remains after the leaves (and the end dates of part-timers) is reported at
/// the role's last leave (else its last part-timer's `until`), instead of failing inside the
/// scheduler without a place in the file. Counted in units, as the scheduler counts: a fixed
/// task needs full persons, an effort-driven one its smallest crew of the least available people.
fn check_team_left(r: &mut Reader<'_>, doc: &DeTable<'_>, model: &Model, s: &Scenario) {
    for role in 0..s.team.len() {
        let last_leave = s.leaves.iter().rposition(|l| l.role == role);
        let last_end = s
            .part_time
            .iter()
            .rposition(|p| p.role == role && p.until.is_some());
        let (name, last, at) = match (last_leave, last_end) {
            (Some(i), _) => ("leave", i, "date"),
            (None, Some(i)) => ("part_time", i, "until"),
            (None, None) => continue,
        };
        let remaining = units_remaining(s, role);
        let pool = s.people_by_availability(role);
        let Some((task, need, units)) = model
            .tasks
            .iter()
            .filter_map(|t| people_needed(t, role).map(|n| (t, n)))
            .map(|(t, n)| (t, n, units_needed(t, n, &pool)))
            .find(|&(_, _, u)| u > remaining)
        else {
            continue;
        };
        let role_id = &model.roles[role].id;
        let people = |u: i64| u as f64 / f64::from(UNITS_PER_PERSON);
        // Every entry was read without error (the check runs only then), so positions match.
        let key = format!("{name}[{}]", last + 1);
        let after = if name == "leave" {
            "the leaves"
        } else {
            "its part-timers' end dates"
        };
        // Part-timers: a crew's units differ from its head count.
        let worth = if units == i64::from(need) * i64::from(UNITS_PER_PERSON) {
            String::new()
        } else {
            format!(" ({} of a full person's days)", people(units))
        };
        r.error(
            entry_span(doc, name, last, Some(at)),
            &key,
            format!(
                "after {after} {} {role_id} people remain, but task \"{}\" needs {need} at once{worth}; \
                 plan schedules with the team that remains after its last change",
                people(remaining),
                task.id,
            ),
            &format!("keep at least {} {role_id} people after {after}, or drop changes that happen after the work is done", people(units)),
        );
    }
}

/// Units of `role` after every change that lasts: the team, every hire, part-timers without
/// an end date, less every leave (absences end, so they do not count).
fn units_remaining(s: &Scenario, role: usize) -> i64 {
    let units = |count: u32, availability: f64| {
        i64::from(count) * i64::from(availability_units(availability))
    };
    let team = units(s.team[role], 1.0);
    let hired: i64 = s
        .hires
        .iter()
        .filter(|h| h.role == role)
        .map(|h| units(h.count, h.availability))
        .sum();
    let part: i64 = s
        .part_time
        .iter()
        .filter(|p| p.role == role && p.until.is_none())
        .map(|p| units(p.count, p.availability))
        .sum();
    let left: i64 = s
        .leaves
        .iter()
        .filter(|l| l.role == role)
        .map(|l| units(l.count, 1.0))
        .sum();
    (team + hired + part - left).max(0)
}

/// The fewest units a task needing `people` of a role can run with: full persons for fixed
/// work; for effort-driven work the `people` least available of the role's `pool` (as the
/// scheduler's slowest mode of that crew size), or full persons beyond the pool.
fn units_needed(task: &Task, people: u32, pool: &[(u32, u64)]) -> i64 {
    let full = i64::from(people) * i64::from(UNITS_PER_PERSON);
    let in_pool: u64 = pool.iter().map(|&(_, n)| n).sum();
    if matches!(task.work, Work::Fixed { .. }) || u64::from(people) > in_pool {
        return full;
    }
    let mut left = u64::from(people);
    let mut sum = 0i64;
    for &(u, n) in pool.iter().rev() {
        let m = left.min(n);
        sum += m as i64 * i64::from(u);
        left -= m;
    }
    sum
}

/// Capacity units of `role` on `date` from everything but absences: the team, part-timers
/// working that day, hires who have joined (ramping up or not: they are on the team) and
/// leaves that have happened.
fn units_present(s: &Scenario, role: usize, date: Date) -> i64 {
    let units = |count: u32, availability: f64| {
        i64::from(count) * i64::from(availability_units(availability))
    };
    let team = i64::from(s.team[role]) * i64::from(UNITS_PER_PERSON);
    let part: i64 = s
        .part_time
        .iter()
        .filter(|p| p.role == role && p.from.is_none_or(|f| f <= date))
        .filter(|p| p.until.is_none_or(|u| date <= u))
        .map(|p| units(p.count, p.availability))
        .sum();
    let hired: i64 = s
        .hires
        .iter()
        .filter(|h| h.role == role && h.start <= date)
        .map(|h| units(h.count, h.availability))
        .sum();
    let left: i64 = s
        .leaves
        .iter()
        .filter(|l| l.role == role && l.date <= date)
        .map(|l| units(l.count, 1.0))
        .sum();
    team + part + hired - left
}

/// Dates on which the team of `role` (before absences) may change.
fn change_dates(s: &Scenario, role: usize) -> Vec<Date> {
    let mut out: Vec<Date> = Vec::new();
    for p in s.part_time.iter().filter(|p| p.role == role) {
        out.extend(p.from);
        out.extend(p.until.and_then(|u| u.tomorrow().ok()));
    }
    out.extend(s.hires.iter().filter(|h| h.role == role).map(|h| h.start));
    out.extend(s.leaves.iter().filter(|l| l.role == role).map(|l| l.date));
    out.extend(s.absences.iter().filter(|a| a.role == role).map(|a| a.from));
    out
}

/// An absence cannot take away more people than the role has on the days it covers
/// (together with the other absences on those days); reported at the absence's `count`.
fn check_absences(r: &mut Reader<'_>, doc: &DeTable<'_>, model: &Model, s: &Scenario) {
    let mut reported = std::collections::BTreeSet::new();
    for a in &s.absences {
        let mut days: Vec<Date> = change_dates(s, a.role)
            .into_iter()
            .filter(|&d| a.from <= d && d <= a.until)
            .collect();
        days.push(a.from);
        days.sort_unstable();
        let away_on = |day: Date| -> (i64, Option<usize>) {
            let on_day = s
                .absences
                .iter()
                .enumerate()
                .filter(|(_, b)| b.role == a.role && b.from <= day && day <= b.until);
            on_day.fold((0, None), |(units, _), (i, b)| {
                let u = i64::from(b.count) * i64::from(availability_units(b.availability));
                (units + u, Some(i))
            })
        };
        let short = days.into_iter().find_map(|day| {
            let present = units_present(s, a.role, day);
            let (away, last) = away_on(day);
            (away > present).then_some((day, present, away, last))
        });
        let Some((day, present, away, Some(last))) = short else {
            continue;
        };
        // Overlapping absences are reported once, at the last one of them.
        if !reported.insert((a.role, day)) {
            continue;
        }
        let role_id = &model.roles[a.role].id;
        r.error(
            entry_span(doc, "absence", last, Some("count")),
            &format!("absence[{}].count", last + 1),
            format!(
                "on {day} the {role_id} team has {}, but the absences on that day take {} away",
                persons(present),
                persons(away)
            ),
            &format!("lower the count, or add the absent {role_id} people to [team], [[part_time]] or a [[hire]] first"),
        );
    }
}

/// Every date on which the team changes lies at most [`MAX_DAYS`] working days after the
/// start: the scheduler keeps one row per working day up to the last change, so an absence
/// until 8999 (a typo for a permanent leave) would make it crawl through millennia.
fn check_change_dates(r: &mut Reader<'_>, doc: &DeTable<'_>, model: &Model, s: &Scenario) {
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    let last = cal.date_of(MAX_DAYS as usize);
    let mut dates: Vec<(&str, usize, &str, Date)> = Vec::new();
    dates.extend(
        s.hires
            .iter()
            .enumerate()
            .map(|(i, h)| ("hire", i, "start", h.start)),
    );
    dates.extend(
        s.leaves
            .iter()
            .enumerate()
            .map(|(i, l)| ("leave", i, "date", l.date)),
    );
    for (i, p) in s.part_time.iter().enumerate() {
        dates.extend(p.from.map(|d| ("part_time", i, "from", d)));
        dates.extend(p.until.map(|d| ("part_time", i, "until", d)));
    }
    for (i, a) in s.absences.iter().enumerate() {
        dates.extend([
            ("absence", i, "from", a.from),
            ("absence", i, "until", a.until),
        ]);
    }
    for (name, i, key, date) in dates.into_iter().filter(|&(.., d)| d > last) {
        r.error(
            entry_span(doc, name, i, Some(key)),
            &format!("{name}[{}].{key}", i + 1),
            format!("{date} is more than {MAX_DAYS} working days after the project start (after {last})"),
            "give a date within the plan; someone who does not come back is a [[leave]]",
        );
    }
}

/// Capacity units in words: "1 person", "2.6 people".
fn persons(units: i64) -> String {
    let x = units as f64 / f64::from(UNITS_PER_PERSON);
    if x == 1.0 {
        "1 person".into()
    } else {
        format!("{x} people")
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
        let count = match (count, field(t, "count")) {
            (Some(0), Some(v)) if matches!(name, "part_time" | "absence") => {
                r.error(
                    v.span(),
                    &join(&key, "count"),
                    "0 people",
                    "give the number of people, 1 or more, or remove the entry",
                );
                None
            }
            (count, _) => count,
        };
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

/// The keys a `[[hire]]`, `[[leave]]`, `[[part_time]]` or `[[absence]]` entry may have.
fn allowed_person_keys(name: &str) -> &'static [&'static str] {
    match name {
        "hire" => &["role", "count", "start", "ramp_up", "availability"],
        "part_time" => &["role", "count", "availability", "from", "until"],
        "absence" => &["role", "count", "availability", "from", "until"],
        _ => &["role", "count", "date"],
    }
}

/// `availability`: a share of a full working day in (0, 1], at least 1/100 (one unit).
fn availability(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
    default: Option<f64>,
) -> Option<f64> {
    let key = join(key, "availability");
    let Some(v) = field(t, "availability") else {
        if default.is_none() {
            r.error(
                span,
                &key,
                "missing",
                "add availability = 0.5 (the share of a full working day, in (0, 1])",
            );
        }
        return default;
    };
    let x = r.number(v, &key)?;
    if x > 1.0 || availability_units(x) == 0 {
        r.error(
            v.span(),
            &key,
            format!("{x} is outside (0, 1] (plan counts availability in hundredths of a person)"),
            "give the share of a full working day, e.g. 0.6 for three days a week",
        );
        return None;
    }
    Some(x)
}

/// `until`, when present, is on or after `from`.
fn check_order(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    key: &str,
    from: Option<Date>,
    until: Option<Date>,
) -> bool {
    match (from, until, field(t, "until")) {
        (Some(f), Some(u), Some(v)) if u < f => {
            r.error(
                v.span(),
                &join(key, "until"),
                format!("{u} is before from = {f}"),
                "give the last day (inclusive) on or after the first",
            );
            false
        }
        _ => true,
    }
}

fn optional_date(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    key: &str,
    name: &str,
) -> Option<Option<Date>> {
    match field(t, name) {
        Some(v) => r.date(v, &join(key, name)).map(Some),
        None => Some(None),
    }
}

fn read_part_time(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
    role: usize,
    count: u32,
) -> Option<PartTime> {
    let availability = availability(r, t, span, key, None);
    let from = optional_date(r, t, key, "from");
    let until = optional_date(r, t, key, "until");
    let (from, until) = (from?, until?);
    check_order(r, t, key, from, until).then_some(PartTime {
        role,
        count,
        availability: availability?,
        from,
        until,
    })
}

fn read_absence(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
    role: usize,
    count: u32,
) -> Option<Absence> {
    let availability = availability(r, t, span.clone(), key, Some(1.0));
    let from = required_date(r, t, span.clone(), key, "from");
    let until = required_date(r, t, span, key, "until");
    check_order(r, t, key, from, until).then_some(())?;
    Some(Absence {
        role,
        count,
        availability: availability?,
        from: from?,
        until: until?,
    })
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
    let start = required_date(r, t, span.clone(), key, "start");
    let ramp_up = field(t, "ramp_up").map_or(Some(0.0), |v| r.days(v, &join(key, "ramp_up")));
    let availability = availability(r, t, span, key, Some(1.0));
    Some(Hire {
        role,
        count,
        start: start?,
        ramp_up: ramp_up?,
        availability: availability?,
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
