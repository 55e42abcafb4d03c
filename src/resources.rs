//! Team capacity over time: how many productive people of each role work on each working day,
//! from a scenario's team, part-time people, hires (with linear ramp-up), leaves and absences,
//! on the model's calendar.
//!
//! Capacity is counted in units of 1/100 of a person so that a hire at 50% of full productivity
//! or a part-timer working half of each day adds 50 units: schedulers work in whole units and
//! stay exact.

use crate::calendar::WorkCalendar;
use crate::model::scenario::availability_units;
use crate::model::{Model, Scenario};
use std::collections::BTreeSet;

pub use crate::model::scenario::UNITS_PER_PERSON;

/// A piecewise-constant capacity: `(day, units)` steps, the first at day 0, constant after the last.
pub type Steps = Vec<(u32, u32)>;

/// Most crew sizes in units kept for one head count of one role (see [`crew_units`]).
const MAX_LEVELS_PER_CREW: usize = 4;

/// Productivity of a hire on the `k`-th working day since their start (k = 0 is the first):
/// linear from 0 to 1 over `ramp_up` working days, then 1.
pub fn ramp_productivity(k: u32, ramp_up: f64) -> f64 {
    if ramp_up <= 0.0 {
        1.0
    } else {
        (f64::from(k) / ramp_up).min(1.0)
    }
}

/// The working-day index of the first working day on or after `date`.
fn first_workday_on_or_after(cal: &mut WorkCalendar, date: jiff::civil::Date) -> u32 {
    let before = date.yesterday().expect("date in range");
    cal.deadline(before).max(0) as u32
}

/// The working-day index of the first working day after `date` (the end of an inclusive range).
fn first_workday_after(cal: &mut WorkCalendar, date: jiff::civil::Date) -> u32 {
    cal.deadline(date).max(0) as u32
}

/// Capacity steps of every role (indexed like `model.roles`), in days of the schedule's grid
/// (the project calendar's working days, or with role and task calendars the days any of them
/// works: a hire's date is the same day for the schedule as for the team).
pub fn capacity_steps(model: &Model, scenario: &Scenario) -> Vec<Steps> {
    let mut cal = model.work_calendar();
    (0..model.roles.len())
        .map(|r| role_steps(scenario, &mut cal, r))
        .collect()
}

/// A hire ramping up: from working day `start`, `units` at full productivity after `ramp_up`.
struct Ramp {
    start: u32,
    units: f64,
    ramp_up: f64,
}

impl Ramp {
    /// Working days of the ramp: from `start`, before full productivity.
    fn days(&self) -> std::ops::Range<u32> {
        self.start..self.start.saturating_add(self.ramp_up.ceil() as u32)
    }
}

/// Everything that changes a role's capacity: constant changes from a day on, and ramps.
fn role_changes(
    scenario: &Scenario,
    cal: &mut WorkCalendar,
    role: usize,
) -> (Vec<(u32, i64)>, Vec<Ramp>) {
    let units = |count: u32, availability: f64| {
        i64::from(count) * i64::from(availability_units(availability))
    };
    let mut deltas = vec![(0, units(scenario.team[role], 1.0))];
    let mut ramps = Vec::new();
    for h in scenario.hires.iter().filter(|h| h.role == role) {
        let ramp = Ramp {
            start: first_workday_on_or_after(cal, h.start),
            units: units(h.count, h.availability) as f64,
            ramp_up: h.ramp_up,
        };
        deltas.push((ramp.days().end, units(h.count, h.availability)));
        if !ramp.days().is_empty() {
            ramps.push(ramp);
        }
    }
    for l in scenario.leaves.iter().filter(|l| l.role == role) {
        deltas.push((first_workday_on_or_after(cal, l.date), -units(l.count, 1.0)));
    }
    for p in scenario.part_time.iter().filter(|p| p.role == role) {
        let from = p.from.map_or(0, |d| first_workday_on_or_after(cal, d));
        let u = units(p.count, p.availability);
        deltas.push((from, u));
        if let Some(until) = p.until {
            // An end before the first day worked leaves nothing (the reader keeps them ordered).
            deltas.push((first_workday_after(cal, until).max(from), -u));
        }
    }
    for a in scenario.absences.iter().filter(|a| a.role == role) {
        let from = first_workday_on_or_after(cal, a.from);
        let back = first_workday_after(cal, a.until).max(from);
        let u = units(a.count, a.availability);
        deltas.extend([(from, -u), (back, u)]);
    }
    deltas.sort_unstable();
    (deltas, ramps)
}

fn role_steps(scenario: &Scenario, cal: &mut WorkCalendar, role: usize) -> Steps {
    // Capacity changes only on the days of a change and on each day of a ramp; it is constant
    // from the last of them on.
    let (deltas, ramps) = role_changes(scenario, cal, role);
    let days: BTreeSet<u32> = deltas
        .iter()
        .map(|&(d, _)| d)
        .chain(ramps.iter().flat_map(Ramp::days))
        .collect();
    let mut steps: Steps = Vec::new();
    let (mut next, mut constant) = (0, 0i64);
    for day in days {
        while next < deltas.len() && deltas[next].0 <= day {
            constant += deltas[next].1;
            next += 1;
        }
        let ramping: f64 = ramps
            .iter()
            .filter(|r| r.days().contains(&day))
            .map(|r| r.units * ramp_productivity(day - r.start, r.ramp_up))
            .sum();
        // Round down: a person at 49.7% supplies 49 units, never more than they can give.
        // Below zero only when absences overlap a ramp-up (the reader counts ramping people).
        let units = (constant as f64 + ramping).max(0.0).floor() as u32;
        if steps.last().is_none_or(|&(_, u)| u != units) {
            steps.push((day, units));
        }
    }
    steps
}

/// The availability of the people who are ever on role `role`'s team, as `(units, people)`
/// with the most available first ([`Scenario::people_by_availability`]).
pub fn people_by_availability(scenario: &Scenario, role: usize) -> Vec<(u32, u64)> {
    scenario.people_by_availability(role)
}

/// The units a crew of `people` from `pool` ([`people_by_availability`]) may supply: `k` of
/// the least available and the rest of the most available, for a few `k` from 0 up (so a task
/// can go at a full-timer's pace or, slower, to a part-timer when the full-timers are busy).
/// Without part-timers this is `people` full persons; beyond the pool, full persons too, so
/// a crew the team cannot field is still seen as too large.
pub fn crew_units(pool: &[(u32, u64)], people: u32) -> Vec<u32> {
    let total: u64 = pool.iter().map(|&(_, n)| n).sum();
    if u64::from(people) > total || pool.iter().all(|&(u, _)| u == UNITS_PER_PERSON) {
        return vec![people * UNITS_PER_PERSON];
    }
    let take = |k: u32, from_low: bool| -> u64 {
        let mut left = u64::from(k);
        let mut sum = 0u64;
        let groups: Box<dyn Iterator<Item = &(u32, u64)>> = if from_low {
            Box::new(pool.iter().rev())
        } else {
            Box::new(pool.iter())
        };
        for &(u, n) in groups {
            let m = left.min(n);
            sum += m * u64::from(u);
            left -= m;
        }
        sum
    };
    let below_full: u64 = pool
        .iter()
        .filter(|&&(u, _)| u < UNITS_PER_PERSON)
        .map(|&(_, n)| n)
        .sum();
    let most_low = u64::from(people).min(below_full) as u32;
    let mut levels: Vec<u32> = (0..MAX_LEVELS_PER_CREW as u32)
        .map(|i| most_low * i / (MAX_LEVELS_PER_CREW as u32 - 1))
        .map(|k| (take(k, true) + take(people - k, false)) as u32)
        .collect();
    levels.sort_unstable_by(|a, b| b.cmp(a));
    levels.dedup();
    levels
}

/// Units available on `day` under `steps`.
pub fn units_on(steps: &Steps, day: u32) -> u32 {
    match steps.binary_search_by_key(&day, |&(d, _)| d) {
        Ok(i) => steps[i].1,
        Err(0) => 0,
        Err(i) => steps[i - 1].1,
    }
}

/// The most units the role ever has.
pub fn peak_units(steps: &Steps) -> u32 {
    steps.iter().map(|&(_, u)| u).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_model;
    use crate::model::parse_scenario;
    use std::path::Path;

    fn model() -> Model {
        let text = "[project]\nname = \"t\"\nstart = 2025-09-15\n[roles.backend]\n[roles.qa]\n\
                    [[task]]\nid = \"A\"\nduration = 1\n";
        parse_model(text, Path::new("t.toml")).unwrap()
    }

    #[test]
    fn a_hire_ramps_up_linearly_to_full_productivity() {
        let m = model();
        // 2025-09-22 is working day 5; ramp over 4 working days.
        let s = parse_scenario(
            "[team]\nbackend = 2\n[[hire]]\nrole = \"backend\"\ncount = 2\nstart = 2025-09-22\nramp_up = 4\n",
            Path::new("s.toml"),
            &m,
        )
        .unwrap();
        let steps = &capacity_steps(&m, &s)[0];
        let per_day: Vec<u32> = (0..11).map(|d| units_on(steps, d)).collect();
        assert_eq!(
            per_day,
            [200, 200, 200, 200, 200, 200, 250, 300, 350, 400, 400]
        );
        // Half-way through the ramp each new person gives half a person-day per day.
        assert_eq!(units_on(steps, 7) - 200, 2 * UNITS_PER_PERSON / 2);
        assert_eq!(units_on(steps, 1000), 400);
        assert_eq!(units_on(&capacity_steps(&m, &s)[1], 3), 0);
    }

    #[test]
    fn a_leave_removes_people_from_its_date() {
        let m = model();
        let s = parse_scenario(
            "[team]\nqa = 3\n[[leave]]\nrole = \"qa\"\ncount = 1\ndate = 2025-09-20\n",
            Path::new("s.toml"),
            &m,
        )
        .unwrap();
        // Saturday 20 September: the first working day without them is Monday 22 = day 5.
        let steps = &capacity_steps(&m, &s)[1];
        assert_eq!(units_on(steps, 4), 300);
        assert_eq!(units_on(steps, 5), 200);
    }

    fn scenario(m: &Model, text: &str) -> Scenario {
        parse_scenario(text, Path::new("s.toml"), m).unwrap()
    }

    #[test]
    fn a_part_timer_supplies_their_availability_from_the_start() {
        let m = model();
        let s = scenario(
            &m,
            "[team]\nbackend = 2\n[[part_time]]\nrole = \"backend\"\navailability = 0.6\n",
        );
        assert_eq!(capacity_steps(&m, &s)[0], vec![(0, 260)]);
    }

    #[test]
    fn a_part_timer_with_dates_works_only_between_them() {
        let m = model();
        // Wednesday 17 September is day 2; Friday 19 (inclusive) is day 4, so day 5 is without.
        let s = scenario(
            &m,
            "[team]\nqa = 1\n[[part_time]]\nrole = \"qa\"\ncount = 2\navailability = 0.5\n\
             from = 2025-09-17\nuntil = 2025-09-19\n",
        );
        let steps = &capacity_steps(&m, &s)[1];
        let per_day: Vec<u32> = (0..7).map(|d| units_on(steps, d)).collect();
        assert_eq!(per_day, [100, 100, 200, 200, 200, 100, 100]);
    }

    #[test]
    fn an_absence_takes_people_away_for_its_days_and_they_come_back() {
        let m = model();
        // Away Tuesday 16 to Monday 22 September inclusive: days 1 to 5; back on day 6.
        let s = scenario(
            &m,
            "[team]\nbackend = 3\n[[absence]]\nrole = \"backend\"\ncount = 2\n\
             from = 2025-09-16\nuntil = 2025-09-22\n",
        );
        let steps = &capacity_steps(&m, &s)[0];
        let per_day: Vec<u32> = (0..8).map(|d| units_on(steps, d)).collect();
        assert_eq!(per_day, [300, 100, 100, 100, 100, 100, 300, 300]);
    }

    #[test]
    fn a_part_timers_absence_removes_only_what_they_supply() {
        let m = model();
        let s = scenario(
            &m,
            "[team]\nbackend = 1\n[[part_time]]\nrole = \"backend\"\navailability = 0.6\n\
             [[absence]]\nrole = \"backend\"\navailability = 0.6\nfrom = 2025-09-15\nuntil = 2025-09-15\n",
        );
        let steps = &capacity_steps(&m, &s)[0];
        assert_eq!((units_on(steps, 0), units_on(steps, 1)), (100, 160));
    }

    #[test]
    fn a_hire_at_half_availability_ramps_up_to_half_a_person() {
        let m = model();
        let s = scenario(
            &m,
            "[team]\nbackend = 0\n[[hire]]\nrole = \"backend\"\nstart = 2025-09-15\nramp_up = 2\n\
             availability = 0.5\n",
        );
        let steps = &capacity_steps(&m, &s)[0];
        let per_day: Vec<u32> = (0..4).map(|d| units_on(steps, d)).collect();
        assert_eq!(per_day, [0, 25, 50, 50]);
    }

    #[test]
    fn crews_come_in_the_units_the_team_can_supply() {
        let pool = [(100, 3), (60, 1)];
        assert_eq!(crew_units(&pool, 1), [100, 60]);
        assert_eq!(crew_units(&pool, 4), [360]);
        assert_eq!(crew_units(&[(100, 2)], 2), [200]);
        // More people than the team ever has: full persons, so no schedule can field them.
        assert_eq!(crew_units(&pool, 5), [500]);
    }
}
