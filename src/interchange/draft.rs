//! A model being imported, before it is a validated [`Model`](crate::model::Model): importers
//! fill a [`ModelDraft`] from a foreign file, and [`ModelDraft::to_toml`] writes it in the model
//! format so that the result is read, checked and edited like any hand-written model.

use jiff::civil::Date;
use std::collections::BTreeSet;
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
    /// Predecessor ids with lags in working days.
    pub after: Vec<(String, f64)>,
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
    /// Roles in declaration order.
    pub roles: Vec<RoleDraft>,
    /// Phases (id, name).
    pub phases: Vec<(String, String)>,
    /// Tasks and milestones in file order.
    pub tasks: Vec<TaskDraft>,
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

/// A number as TOML writes it: whole numbers without a fraction, others with up to 3 decimals.
fn number(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl ModelDraft {
    /// The model file text.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let _ = writeln!(out, "# {}", comment(line));
        }
        let _ = writeln!(out, "[project]\nname = {}", quoted(&self.name));
        let _ = writeln!(out, "start = {}\n", self.start);
        self.write_calendar(&mut out);
        for r in &self.roles {
            let _ = writeln!(out, "[roles.{}]\nname = {}", key(&r.id), quoted(&r.name));
            if let Some(c) = r.cost {
                let _ = writeln!(out, "cost = {}", number(c));
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
        for t in self.tasks.iter().filter(|t| !t.milestone) {
            write_task(&mut out, t);
        }
        for m in self.tasks.iter().filter(|t| t.milestone) {
            write_milestone(&mut out, m);
        }
        out
    }

    fn write_calendar(&self, out: &mut String) {
        let days: Vec<String> = WEEKDAYS
            .iter()
            .zip(self.workdays)
            .filter(|(_, w)| *w)
            .map(|(d, _)| quoted(d))
            .collect();
        let _ = writeln!(out, "[calendar]\nworkdays = [{}]", days.join(", "));
        if !self.holidays.is_empty() {
            let dates: Vec<String> = self.holidays.iter().map(|d| d.to_string()).collect();
            let _ = writeln!(out, "holidays = [{}]", dates.join(", "));
        }
        out.push('\n');
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

fn after_list(after: &[(String, f64)]) -> String {
    let items: Vec<String> = after
        .iter()
        .map(|(id, lag)| {
            if *lag == 0.0 {
                quoted(id)
            } else {
                format!("{{ id = {}, lag = {} }}", quoted(id), number(*lag))
            }
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
    if !t.after.is_empty() {
        let _ = writeln!(out, "after = {}", after_list(&t.after));
    }
    let _ = writeln!(out, "duration = {}", number(t.duration));
    if !t.demand.is_empty() {
        let items: Vec<String> = t
            .demand
            .iter()
            .map(|(r, n)| format!("{} = {n}", key(r)))
            .collect();
        let _ = writeln!(out, "demand = {{ {} }}", items.join(", "));
    }
    if t.done > 0.0 {
        let _ = writeln!(out, "done = {}", number(t.done));
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
    out.push('\n');
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
            roles: vec![RoleDraft {
                id: "dev".into(),
                name: "Developer".into(),
                cost: Some(500.0),
                team: 2,
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
                },
                TaskDraft {
                    id: "B".into(),
                    name: "Second".into(),
                    phase: None,
                    after: vec![("A".into(), 2.0)],
                    duration: 1.5,
                    demand: vec![],
                    done: 1.0,
                    milestone: false,
                    due: None,
                },
                TaskDraft {
                    id: "M".into(),
                    name: "Done".into(),
                    phase: None,
                    after: vec![("B".into(), 0.0)],
                    duration: 0.0,
                    demand: vec![],
                    done: 0.0,
                    milestone: true,
                    due: Some(jiff::civil::date(2025, 10, 1)),
                },
            ],
        }
    }

    #[test]
    fn the_written_model_validates() {
        let text = draft().to_toml();
        let model = crate::model::parse_model(&text, Path::new("draft.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(model.project.name, "A \"quoted\" name");
        assert_eq!(model.tasks.len(), 2);
        assert_eq!(model.tasks[1].after[0].lag, 2.0);
        assert_eq!(
            model.milestones[0].due,
            Some(jiff::civil::date(2025, 10, 1))
        );
        let scenario = draft().scenario_toml("team");
        crate::model::parse_scenario(&scenario, Path::new("team.toml"), &model).unwrap();
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("Backend Developer"), "backend_developer");
        assert!(is_id(&slug("  ?? ")));
    }
}
