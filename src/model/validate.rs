//! Checks a model's meaning once its syntax is known good: unique ids, known references,
//! phases, and a dependency graph without cycles.

use super::types::*;
use crate::error::{closest, Diagnostic, Diagnostics};
use crate::graph::{IdIndex, Link, NodeKind, ProgramGraph, TaskGraph};
use rayon::prelude::*;
// foldhash: a million ids are hashed several times over; SipHash showed in profiles.
use foldhash::{HashMap, HashMapExt, HashSet};
use std::path::Path;

/// Checks the model and returns its dependency graph, built once here for every later stage.
pub(crate) fn validate(model: &Model) -> Result<ProgramGraph, Diagnostics> {
    // The ids are indexed and the links resolved once, for the checks and the graph alike;
    // the graph is kept only when every check passes, so its cycle is reported only then.
    let (ids, kinds) = model.nodes();
    let index = IdIndex::new(&ids);
    let links = model.links(&ids, &index);
    let refs = Refs {
        ids: &ids,
        index: &index,
        tasks: model.tasks.len(),
        links_sound: links.sound(),
    };
    let (diags, graph) = rayon::join(
        || check_meaning(model, &refs),
        || TaskGraph::with_links(ids.len(), &links.edges),
    );
    if !diags.is_empty() {
        return Err(diags);
    }
    match graph {
        Ok(graph) => Ok(ProgramGraph::from_parts(ids, kinds, index, graph)),
        Err(cycle) => Err(cycle_diagnostic(model, &cycle).into()),
    }
}

/// The model's node ids as the graph indexes them, for the checks.
struct Refs<'a> {
    ids: &'a [String],
    index: &'a IdIndex,
    /// How many of the nodes are tasks (they come first).
    tasks: usize,
    /// Every link names a known node other than its own: nothing to report about them.
    links_sound: bool,
}

impl Refs<'_> {
    /// True when no two nodes share an id.
    fn unique(&self) -> bool {
        self.index.len() == self.ids.len()
    }

    fn known(&self, id: &str) -> bool {
        self.index.get(self.ids, id).is_some()
    }

    /// The ids in node order, the candidates of a "did you mean".
    fn candidates(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }

    /// The task ids in node order.
    fn task_ids(&self) -> impl Iterator<Item = &str> {
        self.candidates().take(self.tasks)
    }
}

/// Every problem of meaning but cycles: unique ids, known references, dates in range.
fn check_meaning(model: &Model, refs: &Refs<'_>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let file = model.file.clone();
    if !refs.unique() {
        check_unique_nodes(&mut diags, model);
    }
    check_unique(
        &mut diags,
        &file,
        "phase",
        model.phases.iter().map(|p| p.id.as_str()),
    );
    check_unique(
        &mut diags,
        &file,
        "risk",
        model.risks.iter().map(|r| r.id.as_str()),
    );

    // Sets for membership: a list would make checking n references cost n² comparisons.
    let phases: HashSet<&str> = model.phases.iter().map(|p| p.id.as_str()).collect();
    for t in &model.tasks {
        if !refs.links_sound {
            check_dependencies(&mut diags, &file, ("task", &t.id), &t.after, refs);
        }
        if let Some(p) = &t.phase {
            if !phases.contains(p.as_str()) {
                let mut d = Diagnostic::new(
                    &file,
                    format!("task \"{}\".phase", t.id),
                    format!("unknown phase \"{p}\""),
                )
                .at(t.location);
                d = match closest(p, model.phases.iter().map(|x| x.id.as_str())) {
                    Some(c) => d.help(format!(
                        "did you mean \"{c}\"? or add a [[phase]] with id = \"{p}\""
                    )),
                    None => d.help(format!("add a [[phase]] with id = \"{p}\"")),
                };
                diags.push(d);
            }
        }
    }
    if !refs.links_sound {
        for m in &model.milestones {
            check_dependencies(&mut diags, &file, ("milestone", &m.id), &m.after, refs);
        }
    }
    check_risk_tasks(&mut diags, model, refs);
    check_constraint_dates(&mut diags, model);
    check_progress_dates(&mut diags, model);
    check_calendars(&mut diags, model);
    diags
}

/// Tasks and milestones share one namespace: each id after its first use is reported there.
fn check_unique_nodes(diags: &mut Diagnostics, model: &Model) {
    let mut seen: HashMap<&str, Location> = HashMap::new();
    let nodes = model
        .tasks
        .iter()
        .map(|t| (t.id.as_str(), t.location, "task"))
        .chain(
            model
                .milestones
                .iter()
                .map(|m| (m.id.as_str(), m.location, "milestone")),
        );
    for (id, location, kind) in nodes {
        if let Some(first) = seen.get(id) {
            let first = first.map_or(String::new(), |(l, _)| format!(" (first on line {l})"));
            diags.push(
                Diagnostic::new(
                    &model.file,
                    format!("{kind} \"{id}\".id"),
                    format!("duplicate id \"{id}\"{first}"),
                )
                .at(location)
                .help("tasks and milestones share one namespace: give each a unique id"),
            );
        } else {
            seen.insert(id, location);
        }
    }
}

/// Every task a risk names exists.
fn check_risk_tasks(diags: &mut Diagnostics, model: &Model, refs: &Refs<'_>) {
    if model.risks.is_empty() {
        return;
    }
    // The index finds the last node of an id, so with shared ids it may miss a task.
    let shared: Option<HashSet<&str>> = (!refs.unique()).then(|| refs.task_ids().collect());
    let is_task = |id: &str| match &shared {
        Some(set) => set.contains(id),
        None => refs.index.get(refs.ids, id).is_some_and(|n| n < refs.tasks),
    };
    for r in &model.risks {
        for t in &r.tasks {
            if !is_task(t) {
                diags.push(unknown_id(
                    &model.file,
                    &format!("risk \"{}\".tasks", r.id),
                    t,
                    r.location,
                    refs.task_ids(),
                ));
            }
        }
    }
}

/// The most calendar days after the project start a constraint or deadline may fall: about
/// 27 years, past any real plan, and near enough that a constraint never makes the schedule
/// (one row per working day) or the calendar run out.
pub const MAX_CONSTRAINT_DAYS: i32 = 10_000;

/// Constraint and deadline dates lie in the project's range: not before its start (nothing is
/// scheduled there) and at most [`MAX_CONSTRAINT_DAYS`] after it.
fn check_constraint_dates(diags: &mut Diagnostics, model: &Model) {
    let start = model.project.start;
    let last = start
        .checked_add(jiff::Span::new().days(MAX_CONSTRAINT_DAYS))
        .unwrap_or(jiff::civil::Date::MAX);
    let dated = model
        .tasks
        .iter()
        .map(|t| ("task", &t.id, &t.constraint, &t.deadline))
        .chain(
            model
                .milestones
                .iter()
                .map(|m| ("milestone", &m.id, &m.constraint, &m.deadline)),
        );
    for (kind, id, constraint, deadline) in dated {
        let keyed = constraint
            .iter()
            .map(|c| (c.kind.key(), c.date, c.location))
            .chain(deadline.iter().map(|d| ("deadline", d.date, d.location)));
        for (key, date, location) in keyed {
            let problem = if date < start {
                format!("{date} is before the project start ({start})")
            } else if date > last {
                format!("{date} is more than {MAX_CONSTRAINT_DAYS} days after the project start ({start})")
            } else {
                continue;
            };
            diags.push(
                Diagnostic::new(&model.file, format!("{kind} \"{id}\".{key}"), problem)
                    .at(location)
                    .help(format!("give a date between {start} and {last}")),
            );
        }
    }
}

/// The status date lies in the project's range, and actual dates between the project start
/// and the status date: what has happened cannot be after the date the plan is known at.
fn check_progress_dates(diags: &mut Diagnostics, model: &Model) {
    let (start, status) = (model.project.start, model.project.status_date);
    let last = start
        .checked_add(jiff::Span::new().days(MAX_CONSTRAINT_DAYS))
        .unwrap_or(jiff::civil::Date::MAX);
    if status < start || status > last {
        diags.push(
            Diagnostic::new(
                &model.file,
                "project.status_date",
                format!("{status} is outside the project's range ({start} to {last})"),
            )
            .at(model.project.status_location)
            .help("give a status date on or after the project start: the day the progress was reported"),
        );
        return;
    }
    for t in &model.tasks {
        let dated = [
            ("actual_start", &t.actual_start),
            ("actual_finish", &t.actual_finish),
        ];
        for (key, d) in dated {
            let Some(d) = d else { continue };
            let problem = if d.date < start {
                format!("{} is before the project start ({start})", d.date)
            } else if d.date > status {
                format!("{} is after the status date ({status})", d.date)
            } else {
                continue;
            };
            diags.push(
                Diagnostic::new(&model.file, format!("task \"{}\".{key}", t.id), problem)
                    .at(d.location)
                    .help("an actual date is in the past: between the project start and [project] status_date (move the status date if the progress is newer)"),
            );
        }
    }
}

/// Every calendar a role or task names exists, and a task shares at least one working weekday
/// with the calendars of the roles it demands (else it could never be worked on).
fn check_calendars(diags: &mut Diagnostics, model: &Model) {
    let names: Vec<&str> = model.calendars.iter().map(|c| c.id.as_str()).collect();
    let mut known = true;
    let refs = model
        .roles
        .iter()
        .map(|r| (("roles.", &r.id, ".calendar"), &r.calendar))
        .chain(
            model
                .tasks
                .iter()
                .map(|t| (("task \"", &t.id, "\".calendar"), &t.calendar)),
        );
    for ((before, id, after), named) in refs {
        let Some(named) = named else { continue };
        if names.contains(&named.id.as_str()) {
            continue;
        }
        known = false;
        let d = Diagnostic::new(
            &model.file,
            format!("{before}{id}{after}"),
            format!("unknown calendar \"{}\"", named.id),
        )
        .at(named.location);
        diags.push(match closest(&named.id, names.iter().copied()) {
            Some(c) => d.help(format!(
                "did you mean \"{c}\"? or add a [calendars.{}] table",
                named.id
            )),
            None => d.help(format!(
                "add a [calendars.{}] table with its workdays and holidays",
                named.id
            )),
        });
    }
    if !known {
        return;
    }
    // Without role and task calendars every task works the project's days.
    if !model.uses_calendars() && model.calendar.workdays.iter().any(|&w| w) {
        return;
    }
    for t in &model.tasks {
        let cals = model.task_calendars(t);
        let shared = (0..7).any(|w| cals.iter().all(|c| c.workdays[w]));
        if !shared {
            diags.push(
                Diagnostic::new(
                    &model.file,
                    format!("task \"{}\".calendar", t.id),
                    "the task's calendar and its roles' calendars share no working weekday: the task could never be worked on",
                )
                .at(t.calendar.as_ref().and_then(|c| c.location).or(t.location))
                .help("give the task (or its roles) calendars that have a weekday in common"),
            );
        }
    }
}

fn check_unique<'a>(
    diags: &mut Diagnostics,
    file: &Path,
    kind: &str,
    ids: impl Iterator<Item = &'a str>,
) {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            diags.push(
                Diagnostic::new(
                    file,
                    format!("{kind} \"{id}\".id"),
                    format!("duplicate {kind} id \"{id}\""),
                )
                .help(format!("give each {kind} a unique id")),
            );
        }
    }
}

/// Checks the `after` list of the `(kind, id)` node: every id known, none its own.
fn check_dependencies(
    diags: &mut Diagnostics,
    file: &Path,
    (kind, own): (&str, &str),
    deps: &[Dependency],
    refs: &Refs<'_>,
) {
    // The key is only written when there is something to report.
    let key = || format!("{kind} \"{own}\".after");
    for d in deps {
        if d.id == own {
            diags.push(
                Diagnostic::new(file, key(), format!("\"{own}\" depends on itself"))
                    .at(d.location)
                    .help("remove it from its own `after` list"),
            );
        } else if !refs.known(&d.id) {
            diags.push(unknown_id(
                file,
                &key(),
                &d.id,
                d.location,
                refs.candidates(),
            ));
        }
    }
}

fn unknown_id<'a>(
    file: &Path,
    key: &str,
    id: &str,
    location: Location,
    ids: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(file, key, format!("unknown id \"{id}\"")).at(location);
    match closest(id, ids) {
        Some(c) => d.help(format!("did you mean \"{c}\"?")),
        None => d.help("refer to the id of a task or milestone defined in this model"),
    }
}

/// The links of a model resolved to node numbers.
struct Links {
    edges: Vec<(usize, usize, Link)>,
    /// Links naming no node, or their own.
    unsound: usize,
}

impl Links {
    fn sound(&self) -> bool {
        self.unsound == 0
    }
}

impl Model {
    /// The dependency graph of the model's tasks (nodes `0..tasks`) and milestones (the nodes
    /// after them). A cycle is reported as a diagnostic naming the whole cycle; a model read by
    /// [`parse_model`](super::parse_model) has none. Complexity: O(n + e).
    pub fn graph(&self) -> Result<ProgramGraph, Diagnostic> {
        let (ids, kinds) = self.nodes();
        let index = IdIndex::new(&ids);
        let links = self.links(&ids, &index);
        ProgramGraph::indexed(ids, kinds, index, &links.edges)
            .map_err(|cycle| cycle_diagnostic(self, &cycle))
    }

    /// The graph's node ids and kinds: the tasks, then the milestones.
    fn nodes(&self) -> (Vec<String>, Vec<NodeKind>) {
        let mut ids = Vec::with_capacity(self.tasks.len() + self.milestones.len());
        let mut kinds = Vec::with_capacity(ids.capacity());
        for (i, t) in self.tasks.iter().enumerate() {
            ids.push(t.id.clone());
            kinds.push(NodeKind::Task(i));
        }
        for (i, m) in self.milestones.iter().enumerate() {
            ids.push(m.id.clone());
            kinds.push(NodeKind::Milestone(i));
        }
        (ids, kinds)
    }

    /// Every `after` entry naming a known node, as a `(from, to, link)` edge in node order;
    /// the others are counted. Nodes are resolved in parallel: a million tasks have millions
    /// of links, each one hash lookup.
    fn links(&self, ids: &[String], index: &IdIndex) -> Links {
        let afters: Vec<&[Dependency]> = self
            .tasks
            .iter()
            .map(|t| t.after.as_slice())
            .chain(self.milestones.iter().map(|m| m.after.as_slice()))
            .collect();
        let edges: Vec<(usize, usize, Link)> = afters
            .par_iter()
            .enumerate()
            .flat_map_iter(|(node, after)| {
                after.iter().filter_map(move |d| {
                    let link = Link {
                        kind: d.kind,
                        lag: d.lag,
                    };
                    index.get(ids, &d.id).map(|p| (p, node, link))
                })
            })
            .collect();
        let named: usize = afters.iter().map(|a| a.len()).sum();
        let own = edges.iter().filter(|(p, node, _)| p == node).count();
        let unsound = named - edges.len() + own;
        Links { edges, unsound }
    }
}

/// A cycle of graph nodes (tasks, then milestones) in words: every id on it, back to the
/// first, at the first one's line.
fn cycle_diagnostic(model: &Model, cycle: &[usize]) -> Diagnostic {
    let tasks = model.tasks.len();
    let node = |i: usize| match i.checked_sub(tasks) {
        None => (model.tasks[i].id.as_str(), model.tasks[i].location),
        Some(m) => (
            model.milestones[m].id.as_str(),
            model.milestones[m].location,
        ),
    };
    let mut names: Vec<&str> = cycle.iter().map(|&i| node(i).0).collect();
    if let Some(first) = names.first().copied() {
        names.push(first);
    }
    let location = cycle.first().and_then(|&i| node(i).1);
    Diagnostic::new(
        &model.file,
        "after",
        format!("dependency cycle: {}", names.join(" -> ")),
    )
    .at(location)
    .help("a task cannot (indirectly) wait for itself: remove one of these dependencies")
}
