//! Lags written as a percentage of the predecessor's duration (`lag_percent = 50`, MS
//! Project's percentage lags): each becomes that share of the predecessor's most likely
//! duration in working days when the model is read, so every stage (critical path, the
//! schedules and their checker, bounds, the simulations, the exports) honours it as a lag,
//! and it follows the predecessor's estimate whenever the file changes.

use super::read::MAX_DAYS;
use super::types::{Dependency, Model, Work};
use crate::error::{Diagnostic, Diagnostics};
use std::collections::HashMap;

/// Sets `lag` of every dependency given as `lag_percent`. A predecessor whose duration
/// follows from its crew (effort-driven) has no duration to take a share of: an error.
pub(super) fn resolve(model: &mut Model) -> Result<(), Diagnostics> {
    let any = |after: &[Dependency]| after.iter().any(|d| d.lag_percent.is_some());
    if !model.tasks.iter().any(|t| any(&t.after)) && !model.milestones.iter().any(|m| any(&m.after))
    {
        return Ok(());
    }
    let mut durations: HashMap<String, Option<f64>> = model
        .tasks
        .iter()
        .map(|t| {
            let d = match &t.work {
                Work::Fixed { duration, .. } => Some(duration.likely),
                Work::Effort(_) => None,
            };
            (t.id.clone(), d)
        })
        .collect();
    durations.extend(model.milestones.iter().map(|m| (m.id.clone(), Some(0.0))));
    let mut diags = Diagnostics::default();
    let file = model.file.clone();
    let owners = model
        .tasks
        .iter_mut()
        .map(|t| (("task", t.id.clone()), &mut t.after))
        .chain(
            model
                .milestones
                .iter_mut()
                .map(|m| (("milestone", m.id.clone()), &mut m.after)),
        );
    for ((kind, own), after) in owners {
        for dep in after.iter_mut() {
            let Some(percent) = dep.lag_percent else {
                continue;
            };
            let key = format!("{kind} \"{own}\".after.lag_percent");
            match durations.get(&dep.id) {
                Some(Some(days)) => {
                    let lag = percent / 100.0 * days;
                    if lag.abs() > MAX_DAYS {
                        diags.push(
                            Diagnostic::new(&file, key, format!("{percent}% of \"{}\"'s {days} days is a lag beyond the limit of {MAX_DAYS} working days", dep.id))
                                .at(dep.location)
                                .help("give a smaller percentage"),
                        );
                    }
                    dep.lag = lag;
                }
                Some(None) => diags.push(
                    Diagnostic::new(
                        &file,
                        key,
                        format!("\"{}\" is effort-driven: its duration follows from its crew, so it has no duration to take a percentage of", dep.id),
                    )
                    .at(dep.location)
                    .help("give the lag in working days (`lag`), or a fixed `duration` to the predecessor"),
                ),
                // An unknown predecessor is reported with the other references.
                None => {}
            }
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}
