//! A plan diff: what changed in the model and team ([`super::changes`]) and what it did to
//! the answers ([`super::answers`]): critical path in and out, and each milestone's dates,
//! verdict and chance on time, before and after.

use super::answers::{Answers, MilestoneAnswer};
use super::changes::Change;
use super::replay::{Replay, ReplayInfo, Shares};
use super::trace::{trace, Trace};
use crate::calendar::WorkCalendar;
use crate::model::Model;
use crate::report::feasibility::VerdictLabel;
use crate::timeline::{serialize_date, serialize_opt_date};
use jiff::civil::Date;
use serde::Serialize;

/// A value before and after (`null` where a side does not have it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta<T> {
    /// Before.
    pub before: Option<T>,
    /// After.
    pub after: Option<T>,
}

impl<T: PartialEq> Delta<T> {
    /// True when the two sides differ.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// A date before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateDelta {
    /// Before.
    #[serde(serialize_with = "serialize_opt_date")]
    pub before: Option<Date>,
    /// After.
    #[serde(serialize_with = "serialize_opt_date")]
    pub after: Option<Date>,
    /// Working days later (negative: earlier), on the new model's calendar, when both exist.
    pub moved: Option<i64>,
}

impl DateDelta {
    fn new(cal: &mut WorkCalendar, before: Option<Date>, after: Option<Date>) -> Self {
        let moved = match (before, after) {
            (Some(b), Some(a)) => Some(cal.deadline(a) - cal.deadline(b)),
            _ => None,
        };
        DateDelta {
            before,
            after,
            moved,
        }
    }

    /// True when the two sides differ.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// Which answer a slip is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlipMeasure {
    /// The simulated 80th percentile.
    P80,
    /// The team's checked schedule.
    Scheduled,
    /// The critical path with unlimited people.
    Cpm,
}

/// One milestone's answers before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneDelta {
    /// Milestone id.
    pub id: String,
    /// Its name (the new one, else the old).
    pub name: String,
    /// Due date.
    pub due: DateDelta,
    /// CPM date.
    pub cpm_finish: DateDelta,
    /// Scheduled date.
    pub scheduled: DateDelta,
    /// Verdict.
    pub verdict: Delta<VerdictLabel>,
    /// Simulated P80.
    pub p80: DateDelta,
    /// Simulated chance on time.
    pub on_time: Delta<f64>,
    /// The answer slips are measured on: P80 with a simulation, else the scheduled date,
    /// else the CPM date.
    pub slip_measure: SlipMeasure,
    /// Working days that answer moved later (negative: earlier), when on both sides.
    pub slip: Option<i64>,
    /// Why the scheduled date (without a team on both sides, the CPM date) moved: the model
    /// changes on the new driving chain and the days each moved it ([`super::trace`]); `null`
    /// when that date did not move.
    pub trace: Option<Trace>,
    /// Why the P80 moved: the old version re-simulated with the changes applied one at a time
    /// ([`super::replay`]); `null` when the P80 did not move or was not replayed.
    pub p80_trace: Option<P80Trace>,
}

/// Changes applied in one replay step and the working days they moved a milestone's P80.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct P80Cause {
    /// The changes, as in the diff's `changes`.
    pub changes: Vec<Change>,
    /// True when they were applied together (past the replay cap, or because the model
    /// between them does not validate), so the days are theirs together.
    pub together: bool,
    /// Working days they moved the P80 (negative: earlier).
    pub days: i64,
}

/// A change's share of a milestone's P80 move: its move averaged over the orders the replay
/// applied the changes in ([`super::replay::Shares`]), the same whatever order the diff lists
/// them in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct P80Share {
    /// The changes, as in the diff's `changes` (those of one item and kind; past the cap,
    /// every change left).
    pub changes: Vec<Change>,
    /// True when they are of several items (past the cap), so the share is theirs together.
    pub together: bool,
    /// Working days, `mean` rounded so that the shares add up exactly (largest remainder).
    pub days: i64,
    /// The move averaged over the orders, in working days (the Shapley value when every
    /// order was averaged).
    pub mean: f64,
}

/// Why a milestone's P80 moved, change by change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct P80Trace {
    /// The P80 before.
    #[serde(serialize_with = "serialize_date")]
    pub before: Date,
    /// The P80 after.
    #[serde(serialize_with = "serialize_date")]
    pub after: Date,
    /// Working days it moved (the new model's project calendar).
    pub moved: i64,
    /// The replay steps that moved it, in replay order (steps that moved it 0 days are left
    /// out).
    pub causes: Vec<P80Cause>,
    /// `moved` minus the causes' days: from the last step's P80 to the new version's (what
    /// the diff does not list, and the draws of a file in another order).
    pub unexplained: i64,
    /// Each change's share of the move, whatever order the diff lists the changes in, in the
    /// canonical order (shares of 0 days are left out).
    pub shares: Vec<P80Share>,
    /// `moved` minus the shares' days: from the P80 with every change applied to the new
    /// version's.
    pub shares_unexplained: i64,
}

impl MilestoneDelta {
    /// True when any answer changed.
    pub fn changed(&self) -> bool {
        self.due.changed()
            || self.cpm_finish.changed()
            || self.scheduled.changed()
            || self.verdict.changed()
            || self.p80.changed()
            || self.on_time.changed()
    }
}

/// The critical path's members that came and went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathDelta {
    /// On the path now, not before.
    pub entered: Vec<String>,
    /// On the path before, not now.
    pub left: Vec<String>,
}

/// A plan diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDiff {
    /// What the old side was read from (a path or `REV:path`).
    pub old: String,
    /// What the new side was read from.
    pub new: String,
    /// Changes in the model and team, in [`super::changes::changes`]'s order.
    pub changes: Vec<Change>,
    /// The critical path's changes.
    pub critical_path: PathDelta,
    /// Milestones of either side, the new model's order first.
    pub milestones: Vec<MilestoneDelta>,
    /// How the P80 moves were traced (`null` when no replay was asked: no simulation).
    pub p80_replay: Option<ReplayInfo>,
}

impl PlanDiff {
    /// Adds each moved P80's trace from `replay` of this diff's changes, counted on
    /// `new_model`'s project calendar.
    pub fn trace_p80(&mut self, replay: &Replay, new_model: &Model) {
        let mut cal = WorkCalendar::new(new_model.calendar.clone(), new_model.project.start);
        for m in &mut self.milestones {
            m.p80_trace = p80_trace(&mut cal, replay, m);
        }
        self.p80_replay = Some(replay.info.clone());
    }

    /// Milestones whose slip measure moved later by more than `days` working days.
    pub fn slipped(&self, days: i64) -> Vec<&MilestoneDelta> {
        self.milestones
            .iter()
            .filter(|m| m.slip.is_some_and(|s| s > days))
            .collect()
    }
}

fn p80_trace(cal: &mut WorkCalendar, replay: &Replay, m: &MilestoneDelta) -> Option<P80Trace> {
    let (before, after) = (m.p80.before?, m.p80.after?);
    if before == after || replay.steps.is_empty() {
        return None;
    }
    let mut at = before;
    let mut causes = Vec::new();
    for step in &replay.steps {
        let Some(&now) = step.p80.get(&m.id) else {
            continue;
        };
        let days = cal.deadline(now) - cal.deadline(at);
        at = now;
        if days != 0 {
            causes.push(P80Cause {
                changes: step.changes.clone(),
                together: step.together,
                days,
            });
        }
    }
    let moved = cal.deadline(after) - cal.deadline(before);
    let shares = replay
        .shares
        .as_ref()
        .map(|s| shares(cal, s, &m.id, before))
        .unwrap_or_default();
    let shared: i64 = shares.iter().map(|s| s.days).sum();
    Some(P80Trace {
        before,
        after,
        moved,
        causes,
        unexplained: cal.deadline(after) - cal.deadline(at),
        shares,
        shares_unexplained: moved - shared,
    })
}

/// Milestone `id`'s P80 move from `before` shared among the units of `s`: each order's steps
/// move it by their P80 differences (a step of several units shares its move equally), and
/// each unit gets its mean over the orders.
fn shares(cal: &mut WorkCalendar, s: &Shares, id: &str, before: Date) -> Vec<P80Share> {
    let start = cal.deadline(before);
    let mut sum = vec![0.0; s.units.len()];
    let mut end = start;
    for order in &s.orders {
        let mut at = start;
        for step in order {
            let Some(&now) = s.states[step.state].get(id) else {
                continue;
            };
            let now = cal.deadline(now);
            let each = (now - at) as f64 / step.units.len() as f64;
            for &u in &step.units {
                sum[u] += each;
            }
            at = now;
        }
        end = at;
    }
    let n = s.orders.len().max(1) as f64;
    let means: Vec<f64> = sum.iter().map(|x| x / n).collect();
    let days = rounded(&means, end - start);
    s.units
        .iter()
        .zip(means.iter().zip(days))
        .filter(|(_, (mean, days))| *days != 0 || mean.abs() > 1e-9)
        .map(|(u, (&mean, days))| P80Share {
            changes: u.changes.clone(),
            together: u.together,
            days,
            mean,
        })
        .collect()
}

/// `means` rounded to whole days that add up to `total` (their sum, a whole number): each
/// rounded down, then a day more for the largest remainders, the first unit first on a tie.
fn rounded(means: &[f64], total: i64) -> Vec<i64> {
    // Means are sums of halves, thirds...: a hair below a whole number is that number.
    let floors: Vec<i64> = means.iter().map(|m| (m + 1e-9).floor() as i64).collect();
    let mut left = total - floors.iter().sum::<i64>();
    let mut by_remainder: Vec<usize> = (0..means.len()).collect();
    by_remainder.sort_by(|&a, &b| {
        let rem = |k: usize| means[k] - floors[k] as f64;
        rem(b).total_cmp(&rem(a)).then(a.cmp(&b))
    });
    let mut days = floors;
    for &k in by_remainder.iter().cycle().take(means.len() * 2) {
        if left == 0 {
            break;
        }
        let step = left.signum();
        days[k] += step;
        left -= step;
    }
    days
}

fn measure(old: &Answers, new: &Answers) -> SlipMeasure {
    let all = |a: &Answers, f: fn(&MilestoneAnswer) -> bool| a.milestones.iter().all(f);
    if all(old, |m| m.p80.is_some()) && all(new, |m| m.p80.is_some()) {
        SlipMeasure::P80
    } else if all(old, |m| m.scheduled.is_some()) && all(new, |m| m.scheduled.is_some()) {
        SlipMeasure::Scheduled
    } else {
        SlipMeasure::Cpm
    }
}

fn measured(m: Option<&MilestoneAnswer>, measure: SlipMeasure) -> Option<Date> {
    let m = m?;
    match measure {
        SlipMeasure::P80 => m.p80,
        SlipMeasure::Scheduled => m.scheduled,
        SlipMeasure::Cpm => Some(m.cpm_finish),
    }
}

fn milestone_delta(
    cal: &mut WorkCalendar,
    id: &str,
    old: Option<&MilestoneAnswer>,
    new: Option<&MilestoneAnswer>,
    measure: SlipMeasure,
) -> MilestoneDelta {
    let pick = |f: fn(&MilestoneAnswer) -> Option<Date>| (old.and_then(f), new.and_then(f));
    let mut date = |f: fn(&MilestoneAnswer) -> Option<Date>| {
        let (b, a) = pick(f);
        DateDelta::new(cal, b, a)
    };
    let due = date(|m| m.due);
    let cpm_finish = date(|m| Some(m.cpm_finish));
    let scheduled = date(|m| m.scheduled);
    let p80 = date(|m| m.p80);
    let slip = DateDelta::new(cal, measured(old, measure), measured(new, measure)).moved;
    MilestoneDelta {
        id: id.to_string(),
        name: new.or(old).map_or_else(String::new, |m| m.name.clone()),
        due,
        cpm_finish,
        scheduled,
        verdict: Delta {
            before: old.and_then(|m| m.verdict),
            after: new.and_then(|m| m.verdict),
        },
        p80,
        on_time: Delta {
            before: old.and_then(|m| m.on_time),
            after: new.and_then(|m| m.on_time),
        },
        slip_measure: measure,
        slip,
        trace: None,
        p80_trace: None,
    }
}

/// The diff of two answered versions: `changes` from [`super::changes::changes`], `old` and
/// `new` from [`super::answers::answers`] on each side; working-day moves are counted on
/// `new_model`'s calendar.
pub fn diff(
    labels: (&str, &str),
    changes: Vec<Change>,
    old: &Answers,
    new_model: &Model,
    new: &Answers,
) -> PlanDiff {
    let mut cal = WorkCalendar::new(new_model.calendar.clone(), new_model.project.start);
    let measure = measure(old, new);
    let uses = super::trace::uses(new_model);
    let ids = new
        .milestones
        .iter()
        .chain(
            old.milestones
                .iter()
                .filter(|o| new.milestone(&o.id).is_none()),
        )
        .map(|m| m.id.clone());
    let milestones = ids
        .map(|id| MilestoneDelta {
            trace: trace(&mut cal, &changes, (old, new), &uses, &id).map(|t| Trace {
                own_calendars: new_model.uses_calendars(),
                ..t
            }),
            ..milestone_delta(
                &mut cal,
                &id,
                old.milestone(&id),
                new.milestone(&id),
                measure,
            )
        })
        .collect();
    let on = |path: &[String], id: &String| path.contains(id);
    PlanDiff {
        old: labels.0.to_string(),
        new: labels.1.to_string(),
        changes,
        critical_path: PathDelta {
            entered: new
                .critical_path
                .iter()
                .filter(|id| !on(&old.critical_path, id))
                .cloned()
                .collect(),
            left: old
                .critical_path
                .iter()
                .filter(|id| !on(&new.critical_path, id))
                .cloned()
                .collect(),
        },
        milestones,
        p80_replay: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::SimulationSettings;
    use crate::model::{parse_program, parse_scenario, EstimateChoice, Program};
    use crate::schedule::SearchConfig;
    use crate::simulate::SimConfig;
    use crate::tracking::answers::{answers, AnswerSettings};
    use crate::tracking::changes::changes;
    use crate::tracking::replay::replay;
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::atomic::AtomicBool;

    const SMALL: &str = include_str!("../../tests/data/small.toml");
    const TEAM: &str = include_str!("../../tests/data/team-2.toml");

    fn program(text: &str) -> Program {
        parse_program(text, Path::new("m.toml")).unwrap()
    }

    fn settings() -> AnswerSettings {
        let given = SimulationSettings {
            iterations: Some(200),
            seed: Some(7),
            ..SimulationSettings::default()
        };
        AnswerSettings {
            estimate: EstimateChoice::Likely,
            search: SearchConfig {
                schedules: 50,
                ..SearchConfig::default()
            },
            simulation: Some(SimConfig::layered(
                &given,
                &SimulationSettings::default(),
                false,
            )),
            verdicts: false,
        }
    }

    /// Each milestone's shares, by the text of their changes.
    type Shares = BTreeMap<String, Vec<(String, i64, String)>>;

    /// The diff of `old` to `new` with the team, its changes listed in `order`, traced.
    fn shares_in(old: &Program, new: &Program, order: &dyn Fn(&mut Vec<Change>)) -> Shares {
        let team = |m: &Model| parse_scenario(TEAM, Path::new("t.toml"), m).unwrap();
        let (old_team, new_team) = (team(&old.model), team(&new.model));
        let settings = settings();
        let cancel = AtomicBool::new(false);
        let before = answers(old, Some(&old_team), &settings, &cancel).unwrap();
        let after = answers(new, Some(&new_team), &settings, &cancel).unwrap();
        let mut listed = changes(&old.model, Some(&old_team), &new.model, Some(&new_team));
        order(&mut listed);
        let mut d = diff(("a", "b"), listed, &before, &new.model, &after);
        let r = replay(
            (&old.model, Some(&old_team)),
            (&new.model, Some(&new_team)),
            &d.changes,
            &settings,
            &after,
            8,
            4,
            &cancel,
        )
        .unwrap();
        d.trace_p80(&r, &new.model);
        d.milestones
            .iter()
            .filter_map(|m| Some((m.id.clone(), m.p80_trace.as_ref()?)))
            .map(|(id, t)| {
                let shared: i64 = t.shares.iter().map(|s| s.days).sum();
                assert_eq!(shared + t.shares_unexplained, t.moved, "{id}: {t:?}");
                let each = t
                    .shares
                    .iter()
                    .map(|s| {
                        let text = serde_json::to_string(&s.changes).unwrap();
                        (text, s.days, format!("{:.6}", s.mean))
                    })
                    .collect();
                (id, each)
            })
            .collect()
    }

    #[test]
    fn listing_the_changes_in_another_order_gives_every_change_the_same_share() {
        let old = program(SMALL);
        let edited = SMALL
            .replace("estimate = [3, 4, 8]", "estimate = [5, 7, 10]")
            .replace("duration = 3\n", "duration = 5\n")
            .replace("probability = 0.3", "probability = 0.6");
        assert_ne!(edited, SMALL);
        let new = program(&edited);
        let forward = shares_in(&old, &new, &|_| {});
        let reversed = shares_in(&old, &new, &|c| c.reverse());
        let rotated = shares_in(&old, &new, &|c| c.rotate_left(1));
        assert!(!forward.is_empty(), "no P80 moved");
        assert!(forward.values().any(|s| s.len() >= 2), "{forward:?}");
        assert_eq!(forward, reversed);
        assert_eq!(forward, rotated);
    }

    #[test]
    fn shares_are_rounded_to_whole_days_that_add_up() {
        assert_eq!(rounded(&[1.5, 1.5, -1.0], 2), [2, 1, -1]);
        assert_eq!(rounded(&[2.0 / 3.0, 1.0 / 3.0], 1), [1, 0]);
        assert_eq!(rounded(&[-0.5, -0.5], -1), [0, -1]);
        assert_eq!(rounded(&[2.999_999_999_9, -1.0], 2), [3, -1]);
    }
}
