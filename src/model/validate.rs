//! Checks a model's meaning once its syntax is known good: unique ids, known references,
//! phases, and a dependency graph without cycles.

use super::*;
use crate::error::{closest, Diagnostic};
use crate::graph::ProgramGraph;
// foldhash: a million ids are hashed several times over; SipHash showed in profiles.
use foldhash::{HashMap, HashMapExt, HashSet};

pub(crate) fn validate(model: &Model) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    let file = model.file.clone();
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
                    &file,
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

    let ids: HashSet<&str> = seen.keys().copied().collect();
    let phase_ids: HashSet<&str> = model.phases.iter().map(|x| x.id.as_str()).collect();
    for t in &model.tasks {
        check_dependencies(
            &mut diags,
            &file,
            || format!("task \"{}\".after", t.id),
            &t.id,
            &t.after,
            &ids,
        );
        if let Some(p) = &t.phase {
            if !phase_ids.contains(p.as_str()) {
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
    for m in &model.milestones {
        check_dependencies(
            &mut diags,
            &file,
            || format!("milestone \"{}\".after", m.id),
            &m.id,
            &m.after,
            &ids,
        );
    }
    let task_ids: HashSet<&str> = model.tasks.iter().map(|t| t.id.as_str()).collect();
    for r in &model.risks {
        for t in &r.tasks {
            if !task_ids.contains(t.as_str()) {
                diags.push(unknown_id(
                    &file,
                    &format!("risk \"{}\".tasks", r.id),
                    t,
                    r.location,
                    &task_ids,
                ));
            }
        }
    }
    if diags.is_empty() {
        if let Err(cycle) = ProgramGraph::from_model(model) {
            diags.push(cycle);
        }
    }
    diags.into_result(())
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

fn check_dependencies(
    diags: &mut Diagnostics,
    file: &Path,
    key: impl Fn() -> String,
    own: &str,
    deps: &[Dependency],
    ids: &HashSet<&str>,
) {
    for d in deps {
        if d.id == own {
            diags.push(
                Diagnostic::new(file, key(), format!("\"{own}\" depends on itself"))
                    .at(d.location)
                    .help("remove it from its own `after` list"),
            );
        } else if !ids.contains(d.id.as_str()) {
            diags.push(unknown_id(file, &key(), &d.id, d.location, ids));
        }
    }
}

fn unknown_id(
    file: &Path,
    key: &str,
    id: &str,
    location: Location,
    ids: &HashSet<&str>,
) -> Diagnostic {
    let d = Diagnostic::new(file, key, format!("unknown id \"{id}\"")).at(location);
    match closest(id, ids.iter().copied()) {
        Some(c) => d.help(format!("did you mean \"{c}\"?")),
        None => d.help("refer to the id of a task or milestone defined in this model"),
    }
}
