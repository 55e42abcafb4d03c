//! A model being imported, before it is a validated [`Model`](crate::model::Model): importers
//! fill a [`ModelDraft`] from a foreign file, and [`ModelDraft::to_toml`] writes it in the model
//! format so that the result is read, checked and edited like any hand-written model.

use crate::model::{ConstraintKind, LinkType, WorkingHours};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A role to declare under `[roles]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleDraft {
    /// The id (`[roles.<id>]`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Cost per person-day, if known.
    pub cost: Option<f64>,
    /// Team size for the scenario.
    pub team: u32,
    /// The id of the `[calendars.<id>]` its people work on, if not the project's.
    pub calendar: Option<String>,
}

/// A named calendar to declare under `[calendars.<id>]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarDraft {
    /// The id (`[calendars.<id>]`).
    pub id: String,
    /// The name the source gave it, for a comment.
    pub name: String,
    /// Worked weekdays, Monday = 0.
    pub workdays: [bool; 7],
    /// Non-working dates on worked weekdays.
    pub holidays: BTreeSet<Date>,
    /// Dates worked although their weekday is not.
    pub extra_workdays: BTreeSet<Date>,
    /// Its working hours (`hours`), when the source gives other than the project's.
    pub hours: Option<WorkingHours>,
}

/// A fixed-duration task or, with `milestone`, a milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDraft {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Phase id.
    pub phase: Option<String>,
    /// Predecessor ids with their link types and lags in working days (negative for a lead).
    pub after: Vec<(String, LinkType, f64)>,
    /// Working days.
    pub duration: f64,
    /// People per role id.
    pub demand: Vec<(String, u32)>,
    /// Fraction complete.
    pub done: f64,
    /// A milestone rather than a task.
    pub milestone: bool,
    /// A milestone's due date.
    pub due: Option<Date>,
    /// A three-point estimate `[optimistic, likely, pessimistic]`, written instead of
    /// `duration` when it is given (`duration` then holds the likely value).
    pub estimate: Option<[f64; 3]>,
    /// The status the source reported, as free text.
    pub status: Option<String>,
    /// Date constraint, deadline and actual dates, when the source has them.
    pub dates: DraftDates,
    /// The id of the `[calendars.<id>]` its duration and lags count in, if not the project's.
    pub calendar: Option<String>,
}

/// A task's or milestone's dates besides its schedule: what the model's `start_no_earlier` …
/// `must_finish_on`, `deadline`, `actual_start` and `actual_finish` hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DraftDates {
    /// The date constraint.
    pub constraint: Option<(ConstraintKind, Date)>,
    /// The deadline (a task's; a milestone's promise stays `due`).
    pub deadline: Option<Date>,
    /// The day work began.
    pub actual_start: Option<Date>,
    /// The day work ended (the task is then done: `done` is not written).
    pub actual_finish: Option<Date>,
}

/// Everything an importer found that the model format can hold.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelDraft {
    /// A comment for the top of the file: where the model came from.
    pub source: String,
    /// Project name.
    pub name: String,
    /// Status date.
    pub start: Date,
    /// Worked weekdays, Monday = 0.
    pub workdays: [bool; 7],
    /// Non-working dates.
    pub holidays: BTreeSet<Date>,
    /// Dates worked although their weekday is not (`[calendar] extra_workdays`).
    pub extra_workdays: BTreeSet<Date>,
    /// The project calendar's working hours (`[calendar] hours`), when the source gives
    /// other than 08:00-12:00 and 13:00-17:00.
    pub hours: Option<WorkingHours>,
    /// Named calendars (`[calendars.<id>]`) that roles and tasks name.
    pub calendars: Vec<CalendarDraft>,
    /// Roles in declaration order.
    pub roles: Vec<RoleDraft>,
    /// Phases (id, name).
    pub phases: Vec<(String, String)>,
    /// Tasks and milestones in file order.
    pub tasks: Vec<TaskDraft>,
    /// The status date, when the source gives one after the start.
    pub status_date: Option<Date>,
}

/// A TOML basic string with quotes and escapes.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text for a `#` comment: TOML comments cannot hold control characters (a carriage return
/// or a NUL in an imported title broke the team file; found by the `mspdi` fuzz target).
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A key that needs no quotes when it is a valid id, else a quoted key.
fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// Whole numbers at least this large are written in exponent form: as integers they could
/// overflow the 64-bit integers TOML allows.
const EXPONENT_FROM: f64 = 1e15;

/// A number as TOML writes it: whole numbers without a fraction, others with up to 3 decimals,
/// huge ones with an exponent. Only finite numbers ([`ModelDraft::non_finite`] finds others).
fn number(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    if r.abs() >= EXPONENT_FROM {
        format!("{r:e}")
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

/// Where the items of a draft came from in the imported file: byte offsets of their elements,
/// by task or milestone id (one namespace, as in the model), and of their links, for messages
/// about the input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origins {
    items: BTreeMap<String, usize>,
    links: BTreeMap<(String, String), usize>,
}

impl Origins {
    /// Records that the task or milestone `id` came from the element at byte `offset`.
    pub fn insert(&mut self, id: impl Into<String>, offset: usize) {
        self.items.insert(id.into(), offset);
    }

    /// The byte offset of the element `id` came from, if known.
    pub fn of(&self, id: &str) -> Option<usize> {
        self.items.get(id).copied()
    }

    /// Records that the link making `task` wait for `predecessor` came from the element at
    /// byte `offset` (the first such element, when there are several).
    pub fn insert_link(&mut self, task: &str, predecessor: &str, offset: usize) {
        self.links
            .entry((task.to_string(), predecessor.to_string()))
            .or_insert(offset);
    }

    /// The byte offset of the element the link `predecessor` → `task` came from, if known.
    pub fn link(&self, task: &str, predecessor: &str) -> Option<usize> {
        self.links
            .get(&(task.to_string(), predecessor.to_string()))
            .copied()
    }
}

/// Which number of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskNumber {
    /// Its duration.
    Duration,
    /// Its fraction complete.
    Done,
    /// The lag of its `after` entry with this index.
    Lag(usize),
}

/// A number of the draft that TOML cannot hold (NaN or infinite).
#[derive(Debug, Clone, PartialEq)]
pub struct NonFinite {
    /// Index into [`ModelDraft::tasks`].
    pub task: usize,
    /// Which of its numbers.
    pub number: TaskNumber,
    /// The value (`NaN`, `inf`, `-inf`).
    pub value: f64,
}

/// The first line (1-based) of each task's and milestone's table in [`ModelDraft::to_toml`]'s
/// text, with its index into [`ModelDraft::tasks`], in text order.
pub type TableLines = Vec<(usize, usize)>;

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl ModelDraft {
    /// The model file text.
    pub fn to_toml(&self) -> String {
        self.to_toml_with_lines().0
    }

    /// The model file text and where each task's and milestone's table starts in it, so that
    /// a problem found in the text can be traced back to the draft item (and its element).
    pub fn to_toml_with_lines(&self) -> (String, TableLines) {
        let mut out = String::new();
        let mut lines = Vec::with_capacity(self.tasks.len());
        let line_now = |out: &str| out.bytes().filter(|&b| b == b'\n').count() + 1;
        for line in self.source.lines() {
            let _ = writeln!(out, "# {}", comment(line));
        }
        let _ = writeln!(out, "[project]\nname = {}", quoted(&self.name));
        match self.status_date.filter(|&d| d > self.start) {
            Some(status) => {
                let _ = writeln!(out, "start = {}\nstatus_date = {status}\n", self.start);
            }
            None => {
                let _ = writeln!(out, "start = {}\n", self.start);
            }
        }
        self.write_calendar(&mut out);
        for r in &self.roles {
            let _ = writeln!(out, "[roles.{}]\nname = {}", key(&r.id), quoted(&r.name));
            if let Some(c) = r.cost {
                let _ = writeln!(out, "cost = {}", number(c));
            }
            if let Some(c) = &r.calendar {
                let _ = writeln!(out, "calendar = {}", quoted(c));
            }
            out.push('\n');
        }
        for (id, name) in &self.phases {
            let _ = writeln!(
                out,
                "[[phase]]\nid = {}\nname = {}\n",
                quoted(id),
                quoted(name)
            );
        }
        // Counted once up to here, then per table: lines are added, never rescanned.
        let mut line = line_now(&out);
        for milestones in [false, true] {
            for (k, t) in self.tasks.iter().enumerate() {
                if t.milestone != milestones {
                    continue;
                }
                let before = out.len();
                lines.push((line, k));
                if milestones {
                    write_milestone(&mut out, t);
                } else {
                    write_task(&mut out, t);
                }
                line += out[before..].bytes().filter(|&b| b == b'\n').count();
            }
        }
        (out, lines)
    }

    /// Every number TOML cannot hold: NaN or infinite durations, progress and lags.
    pub fn non_finite(&self) -> Vec<NonFinite> {
        let mut found = Vec::new();
        for (task, t) in self.tasks.iter().enumerate() {
            let mut check = |number: TaskNumber, value: f64| {
                if !value.is_finite() {
                    found.push(NonFinite {
                        task,
                        number,
                        value,
                    });
                }
            };
            if !t.milestone {
                check(TaskNumber::Duration, t.duration);
                for value in t.estimate.into_iter().flatten() {
                    check(TaskNumber::Duration, value);
                }
                check(TaskNumber::Done, t.done);
            }
            for (k, (_, _, lag)) in t.after.iter().enumerate() {
                check(TaskNumber::Lag(k), *lag);
            }
        }
        found
    }

    /// Turns each milestone that comes after nothing into a zero-length task (the model's
    /// milestones mark the end of other work, so one without predecessors is not valid);
    /// returns a note for each, naming it, for the list of what was not carried over.
    pub fn anchor_milestones(&mut self) -> Vec<String> {
        let mut notes = Vec::new();
        for t in self
            .tasks
            .iter_mut()
            .filter(|t| t.milestone && t.after.is_empty())
        {
            t.milestone = false;
            t.duration = 0.0;
            t.done = 0.0;
            let due = match t.due.take() {
                Some(d) => format!("; its due date {d} is dropped"),
                None => String::new(),
            };
            notes.push(format!(
                "milestone \"{}\" comes after nothing: imported as a zero-length task{due}",
                t.name
            ));
        }
        notes
    }

    fn write_calendar(&self, out: &mut String) {
        out.push_str("[calendar]\n");
        write_days(out, &self.workdays, &self.holidays, &self.extra_workdays);
        write_hours(out, self.hours.as_ref());
        for c in &self.calendars {
            let _ = writeln!(out, "# {}\n[calendars.{}]", comment(&c.name), key(&c.id));
            write_days(out, &c.workdays, &c.holidays, &c.extra_workdays);
            write_hours(out, c.hours.as_ref());
        }
    }

    /// Makes the calendars the draft names valid for the model: a named calendar with no
    /// working weekday is dropped (roles and tasks naming it work on the project calendar),
    /// and a task whose calendar shares no working weekday with its roles' calendars keeps
    /// its own calendar only (it could never be worked on otherwise). One note each.
    pub fn settle_calendars(&mut self) -> Vec<String> {
        let mut notes = Vec::new();
        let idle: Vec<String> = self
            .calendars
            .iter()
            .filter(|c| !c.workdays.contains(&true))
            .map(|c| c.id.clone())
            .collect();
        for id in &idle {
            let name = self
                .calendars
                .iter()
                .find(|c| &c.id == id)
                .map_or(id.as_str(), |c| c.name.as_str());
            notes.push(format!(
                "calendar \"{name}\": no working weekday; whoever names it works on the project calendar"
            ));
        }
        self.calendars.retain(|c| !idle.contains(&c.id));
        let forget = |c: &mut Option<String>| {
            if c.as_ref().is_some_and(|id| idle.contains(id)) {
                *c = None;
            }
        };
        self.roles.iter_mut().for_each(|r| forget(&mut r.calendar));
        self.tasks.iter_mut().for_each(|t| forget(&mut t.calendar));
        let week = |id: Option<&String>| -> [bool; 7] {
            id.and_then(|id| self.calendars.iter().find(|c| &c.id == id))
                .map_or(self.workdays, |c| c.workdays)
        };
        let role_week: BTreeMap<&str, Option<&String>> = self
            .roles
            .iter()
            .map(|r| (r.id.as_str(), r.calendar.as_ref()))
            .collect();
        let works_on = |own: Option<&String>, demand: &[(String, u32)]| {
            let mut days = week(own);
            for (role, n) in demand {
                if let (true, Some(Some(c))) = (*n > 0, role_week.get(role.as_str())) {
                    let theirs = week(Some(c));
                    days = std::array::from_fn(|d| days[d] && theirs[d]);
                }
            }
            days.contains(&true)
        };
        let never: Vec<(usize, bool)> = self
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.milestone && !works_on(t.calendar.as_ref(), &t.demand))
            .map(|(k, t)| (k, works_on(None, &t.demand)))
            .collect();
        for (k, on_project_calendar) in never {
            let t = &mut self.tasks[k];
            let what = if on_project_calendar {
                t.calendar = None;
                "its own calendar is dropped".to_string()
            } else {
                let roles: Vec<String> = t.demand.drain(..).map(|(r, _)| r).collect();
                format!("its demand for {} is dropped", roles.join(", "))
            };
            notes.push(format!(
                "task \"{}\": its calendar and its roles' calendars share no working weekday; {what} (it could never be worked on)",
                t.name
            ));
        }
        notes
    }

    /// The scenario file text: the team per role.
    pub fn scenario_toml(&self, name: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# The team of the imported model: {}",
            comment(&self.name)
        );
        let _ = writeln!(out, "name = {}\n\n[team]", quoted(name));
        for r in &self.roles {
            let _ = writeln!(out, "{} = {}", key(&r.id), r.team);
        }
        out
    }
}

/// `hours = ["08:00-12:00", …]` after the calendar's days (before the blank line that ends
/// them).
fn write_hours(out: &mut String, hours: Option<&WorkingHours>) {
    if let Some(h) = hours {
        out.pop();
        let ranges: Vec<String> = h.ranges().iter().map(|r| quoted(r)).collect();
        let _ = writeln!(
            out,
            "hours = [{}]   # {} minutes a day\n",
            ranges.join(", "),
            h.minutes()
        );
    }
}

fn write_days(
    out: &mut String,
    workdays: &[bool; 7],
    holidays: &BTreeSet<Date>,
    extra_workdays: &BTreeSet<Date>,
) {
    let days: Vec<String> = WEEKDAYS
        .iter()
        .zip(workdays)
        .filter(|(_, w)| **w)
        .map(|(d, _)| quoted(d))
        .collect();
    let _ = writeln!(out, "workdays = [{}]", days.join(", "));
    if !holidays.is_empty() {
        let dates: Vec<String> = holidays.iter().map(|d| d.to_string()).collect();
        let _ = writeln!(out, "holidays = [{}]", dates.join(", "));
    }
    if !extra_workdays.is_empty() {
        let dates: Vec<String> = extra_workdays.iter().map(|d| d.to_string()).collect();
        let _ = writeln!(out, "extra_workdays = [{}]", dates.join(", "));
    }
    out.push('\n');
}

fn after_list(after: &[(String, LinkType, f64)]) -> String {
    let items: Vec<String> = after
        .iter()
        .map(|(id, kind, lag)| match (kind, *lag == 0.0) {
            (LinkType::FS, true) => quoted(id),
            (LinkType::FS, false) => format!("{{ id = {}, lag = {} }}", quoted(id), number(*lag)),
            (_, true) => format!("{{ id = {}, type = \"{}\" }}", quoted(id), kind.name()),
            (_, false) => format!(
                "{{ id = {}, type = \"{}\", lag = {} }}",
                quoted(id),
                kind.name(),
                number(*lag)
            ),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn write_task(out: &mut String, t: &TaskDraft) {
    let _ = writeln!(
        out,
        "[[task]]\nid = {}\nname = {}",
        quoted(&t.id),
        quoted(&t.name)
    );
    if let Some(p) = &t.phase {
        let _ = writeln!(out, "phase = {}", quoted(p));
    }
    if let Some(c) = &t.calendar {
        let _ = writeln!(out, "calendar = {}", quoted(c));
    }
    if !t.after.is_empty() {
        let _ = writeln!(out, "after = {}", after_list(&t.after));
    }
    match t.estimate {
        Some([o, m, p]) => {
            let _ = writeln!(
                out,
                "estimate = [{}, {}, {}]",
                number(o),
                number(m),
                number(p)
            );
        }
        None => {
            let _ = writeln!(out, "duration = {}", number(t.duration));
        }
    }
    if !t.demand.is_empty() {
        let items: Vec<String> = t
            .demand
            .iter()
            .map(|(r, n)| format!("{} = {n}", key(r)))
            .collect();
        let _ = writeln!(out, "demand = {{ {} }}", items.join(", "));
    }
    if t.done > 0.0 && t.dates.actual_finish.is_none() {
        let _ = writeln!(out, "done = {}", number(t.done));
    }
    write_dates(out, &t.dates);
    if let Some(s) = &t.status {
        let _ = writeln!(out, "status = {}", quoted(s));
    }
    out.push('\n');
}

fn write_milestone(out: &mut String, m: &TaskDraft) {
    let _ = writeln!(
        out,
        "[[milestone]]\nid = {}\nname = {}",
        quoted(&m.id),
        quoted(&m.name)
    );
    if let Some(d) = m.due {
        let _ = writeln!(out, "due = {d}");
    }
    if !m.after.is_empty() {
        let _ = writeln!(out, "after = {}", after_list(&m.after));
    }
    write_dates(out, &m.dates);
    out.push('\n');
}

fn write_dates(out: &mut String, d: &DraftDates) {
    if let Some((kind, date)) = d.constraint {
        let _ = writeln!(out, "{} = {date}", kind.key());
    }
    if let Some(date) = d.deadline {
        let _ = writeln!(out, "deadline = {date}");
    }
    if let Some(date) = d.actual_start {
        let _ = writeln!(out, "actual_start = {date}");
    }
    if let Some(date) = d.actual_finish {
        let _ = writeln!(out, "actual_finish = {date}");
    }
}

/// An id made from free text: letters, digits, `-` and `_` kept, everything else `_`.
pub fn slug(text: &str) -> String {
    let s: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('_').to_string();
    if s.is_empty() {
        "role".into()
    } else {
        s
    }
}

/// True for text the model format accepts as an id.
pub fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn draft() -> ModelDraft {
        ModelDraft {
            source: "test".into(),
            name: "A \"quoted\" name".into(),
            start: jiff::civil::date(2025, 9, 15),
            workdays: [true, true, true, true, true, false, false],
            holidays: [jiff::civil::date(2025, 9, 22)].into_iter().collect(),
            extra_workdays: [jiff::civil::date(2025, 9, 27)].into_iter().collect(),
            hours: None,
            calendars: Vec::new(),
            roles: vec![RoleDraft {
                id: "dev".into(),
                name: "Developer".into(),
                cost: Some(500.0),
                team: 2,
                calendar: None,
            }],
            phases: vec![("P1".into(), "Build".into())],
            tasks: vec![
                TaskDraft {
                    id: "A".into(),
                    name: "First".into(),
                    phase: Some("P1".into()),
                    after: vec![],
                    duration: 3.0,
                    demand: vec![("dev".into(), 2)],
                    done: 0.0,
                    milestone: false,
                    due: None,
                    estimate: None,
                    status: None,
                    dates: Default::default(),
                    calendar: None,
                },
                TaskDraft {
                    id: "B".into(),
                    name: "Second".into(),
                    phase: None,
                    after: vec![("A".into(), LinkType::FS, 2.0)],
                    duration: 1.5,
                    demand: vec![],
                    done: 1.0,
                    milestone: false,
                    due: None,
                    estimate: None,
                    status: None,
                    dates: Default::default(),
                    calendar: None,
                },
                TaskDraft {
                    id: "M".into(),
                    name: "Done".into(),
                    phase: None,
                    after: vec![("B".into(), LinkType::SS, 0.0)],
                    duration: 0.0,
                    demand: vec![],
                    done: 0.0,
                    milestone: true,
                    due: Some(jiff::civil::date(2025, 10, 1)),
                    estimate: None,
                    status: None,
                    dates: Default::default(),
                    calendar: None,
                },
            ],
            status_date: None,
        }
    }

    #[test]
    fn the_written_model_validates() {
        let text = draft().to_toml();
        let model = crate::model::parse_model(&text, Path::new("draft.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(model.project.name, "A \"quoted\" name");
        assert!(model
            .calendar
            .extra_workdays
            .contains(&jiff::civil::date(2025, 9, 27)));
        assert_eq!(model.tasks.len(), 2);
        assert_eq!(model.tasks[1].after[0].lag, 2.0);
        assert_eq!(model.milestones[0].after[0].kind, LinkType::SS);
        assert_eq!(
            model.milestones[0].due,
            Some(jiff::civil::date(2025, 10, 1))
        );
        let scenario = draft().scenario_toml("team");
        crate::model::parse_scenario(&scenario, Path::new("team.toml"), &model).unwrap();
    }

    #[test]
    fn table_lines_point_at_each_items_table() {
        let d = draft();
        let (text, lines) = d.to_toml_with_lines();
        let all: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), d.tasks.len());
        for (line, k) in lines {
            let header = if d.tasks[k].milestone {
                "[[milestone]]"
            } else {
                "[[task]]"
            };
            assert_eq!(all[line - 1], header);
            assert_eq!(all[line], format!("id = \"{}\"", d.tasks[k].id));
        }
    }

    #[test]
    fn non_finite_numbers_are_found_and_huge_ones_stay_valid_toml() {
        let mut d = draft();
        d.tasks[1].after[0].2 = f64::NAN;
        d.tasks[0].duration = f64::INFINITY;
        let found = d.non_finite();
        let keys: Vec<(usize, TaskNumber)> = found.iter().map(|n| (n.task, n.number)).collect();
        assert_eq!(keys, [(0, TaskNumber::Duration), (1, TaskNumber::Lag(0))]);
        d.tasks[0].duration = 1e300;
        d.tasks[1].after[0].2 = 2.0;
        let text = d.to_toml();
        assert!(text.parse::<toml::Table>().is_ok(), "{text}");
    }

    #[test]
    fn a_milestone_after_nothing_becomes_a_zero_length_task() {
        let mut d = draft();
        d.tasks[2].after.clear();
        let notes = d.anchor_milestones();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("\"Done\"") && notes[0].contains("2025-10-01"));
        assert!(!d.tasks[2].milestone);
        let model = crate::model::parse_model(&d.to_toml(), Path::new("d.toml")).unwrap();
        assert_eq!(model.tasks.len(), 3);
    }

    /// What the model would refuse is made valid with a note: a calendar with no working
    /// weekday is dropped (its role works on the project calendar), and a task whose weekend
    /// calendar shares no weekday with its role's weekday one loses its own calendar.
    #[test]
    fn calendars_the_model_would_refuse_are_settled_with_a_note() {
        let mut d = draft();
        let calendar = |id: &str, workdays: [bool; 7]| CalendarDraft {
            id: id.into(),
            name: id.into(),
            workdays,
            holidays: BTreeSet::new(),
            extra_workdays: BTreeSet::new(),
            hours: None,
        };
        d.calendars = vec![
            calendar("never", [false; 7]),
            calendar("weekend", [false, false, false, false, false, true, true]),
            calendar("weekdays", [true, true, true, true, true, false, false]),
        ];
        d.roles[0].calendar = Some("weekdays".into());
        d.tasks[0].calendar = Some("weekend".into());
        d.tasks[1].calendar = Some("never".into());
        let notes = d.settle_calendars();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("calendar \"never\": no working weekday"));
        assert!(
            notes[1].contains("task \"First\"") && notes[1].contains("its own calendar is dropped")
        );
        assert_eq!(d.tasks[0].calendar, None);
        assert_eq!(d.tasks[1].calendar, None);
        assert_eq!(d.tasks[0].demand, [("dev".to_string(), 2)]);
        let text = d.to_toml();
        let model = crate::model::parse_model(&text, Path::new("d.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(model.calendars.len(), 2);
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("Backend Developer"), "backend_developer");
        assert!(is_id(&slug("  ?? ")));
    }
}
