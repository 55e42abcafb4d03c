//! Team capacity over time: how many productive people of each role work on each working day,
//! from a scenario's team, hires (with linear ramp-up) and leaves, on the model's calendar.
//!
//! Capacity is counted in units of 1/100 of a person so that a hire at 50% of full productivity
//! adds 50 units: schedulers work in whole units and stay exact.

use crate::calendar::WorkCalendar;
use crate::model::{Model, Scenario};

/// Units of capacity that one fully productive person supplies per working day.
pub const UNITS_PER_PERSON: u32 = 100;

/// A piecewise-constant capacity: `(day, units)` steps, the first at day 0, constant after the last.
pub type Steps = Vec<(u32, u32)>;

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

/// Capacity steps of every role (indexed like `model.roles`).
pub fn capacity_steps(model: &Model, scenario: &Scenario) -> Vec<Steps> {
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    (0..model.roles.len())
        .map(|r| role_steps(model, scenario, &mut cal, r))
        .collect()
}

fn role_steps(_model: &Model, scenario: &Scenario, cal: &mut WorkCalendar, role: usize) -> Steps {
    // Changes happen on hire days, each day of a ramp, and leave days; after the last change
    // capacity is constant.
    let hires: Vec<(u32, u32, f64)> = scenario
        .hires
        .iter()
        .filter(|h| h.role == role)
        .map(|h| (first_workday_on_or_after(cal, h.start), h.count, h.ramp_up))
        .collect();
    let leaves: Vec<(u32, u32)> = scenario
        .leaves
        .iter()
        .filter(|l| l.role == role)
        .map(|l| (first_workday_on_or_after(cal, l.date), l.count))
        .collect();
    let last_change = hires
        .iter()
        .map(|&(d, _, ramp)| d + ramp.ceil() as u32)
        .chain(leaves.iter().map(|&(d, _)| d))
        .max()
        .unwrap_or(0);
    let base = scenario.team[role] * UNITS_PER_PERSON;
    let mut steps: Steps = Vec::new();
    for day in 0..=last_change {
        let mut units = f64::from(base);
        for &(start, count, ramp) in &hires {
            if day >= start {
                units += f64::from(count * UNITS_PER_PERSON) * ramp_productivity(day - start, ramp);
            }
        }
        for &(from, count) in &leaves {
            if day >= from {
                units -= f64::from(count * UNITS_PER_PERSON);
            }
        }
        // Round down: a person at 49.7% supplies 49 units, never more than they can give.
        let units = units.max(0.0).floor() as u32;
        if steps.last().is_none_or(|&(_, u)| u != units) {
            steps.push((day, units));
        }
    }
    steps
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
}
