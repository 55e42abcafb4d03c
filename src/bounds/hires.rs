//! Staffing with hire dates (`plan staff --hires`): people may join at the start of any month
//! up to the last due date instead of being on the team from day 0, and cost only from then on.
//!
//! The lower bound is one small MILP per role on the capacity relaxation: the headcount at the
//! start is an integer variable, the people hired at the start of each month are continuous
//! variables (microlp is fast with one integer variable per role and slow with many), and
//! capacity in a bucket is `n · days + Σ_k h_k · productive days of month k's hires in it`,
//! with the ramp-up the scenario uses for new people, which keeps it linear. The objective is
//! the plan's cost: `cost per person-day × (n · D + Σ_k h_k · (D − start_k))`, `D` the last due
//! date. Hire counts are then rounded so that by every month at least as many people have
//! joined as the LP asked for (`ceil` of the running total): every hire comes no later than
//! the LP's, so the rounded plan still satisfies the relaxation.

use super::capacity::{CapacityBound, Windows};
use super::solver::{self, LpOutcome};
use crate::model::scenario::Hire;
use crate::model::{Model, Scenario};
use crate::resources::ramp_productivity;
use jiff::civil::Date;

/// Running totals of fractional hires within this much of a whole person are not rounded up.
const ROUNDING_SLACK: f64 = 1e-6;

/// A staffing plan: people from the start and people joining at month starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Headcount per role from day 0.
    pub team: Vec<u32>,
    /// `hires[r][k]`: people of role `r` joining at the start of month `k`.
    pub hires: Vec<Vec<u32>>,
}

impl Plan {
    /// A plan without hires.
    pub fn fixed(team: Vec<u32>, months: usize) -> Plan {
        let hires = vec![vec![0; months]; team.len()];
        Plan { team, hires }
    }

    /// Most people of role `r` on the team at once (the start team plus every hire).
    pub fn peak(&self, r: usize) -> u32 {
        self.team[r] + self.hires[r].iter().sum::<u32>()
    }

    /// Person-days of role `r` to working day `horizon`: each person from the day they join.
    pub fn person_days(&self, r: usize, months: &HireMonths, horizon: u32) -> f64 {
        let hired: f64 = self.hires[r]
            .iter()
            .zip(&months.days)
            .map(|(&h, &day)| f64::from(h) * f64::from(horizon.saturating_sub(day)))
            .sum();
        f64::from(self.team[r]) * f64::from(horizon) + hired
    }

    /// Cost to working day `horizon`, with `cost[r]` per person-day.
    pub fn cost(&self, cost: &[f64], months: &HireMonths, horizon: u32) -> f64 {
        (0..self.team.len())
            .map(|r| cost[r] * self.person_days(r, months, horizon))
            .sum()
    }

    /// `scenario` with this plan's team and its hires added as `[[hire]]` entries.
    pub fn scenario(&self, scenario: &Scenario, months: &HireMonths) -> Scenario {
        let mut s = scenario.clone();
        s.team = self.team.clone();
        for (r, counts) in self.hires.iter().enumerate() {
            for (k, &count) in counts.iter().enumerate().filter(|(_, &c)| c > 0) {
                s.hires.push(Hire {
                    role: r,
                    count,
                    start: months.dates[k],
                    ramp_up: months.ramp_up[r],
                    availability: 1.0,
                });
            }
        }
        s
    }
}

/// The dates new people may join: the first working day of each month after the project
/// start, up to the last due date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HireMonths {
    /// First day of each month (the `[[hire]]` start written to the scenario).
    pub dates: Vec<Date>,
    /// Its working-day index.
    pub days: Vec<u32>,
    /// Working days each new person of a role takes to full productivity.
    pub ramp_up: Vec<f64>,
}

impl HireMonths {
    /// Months from the one after the project start up to working day `last_day`.
    pub fn new(model: &Model, scenario: &Scenario, last_day: u32) -> HireMonths {
        let mut cal = model.work_calendar();
        let mut out = HireMonths {
            ramp_up: ramp_convention(model, scenario),
            ..HireMonths::default()
        };
        let mut month = model.project.start.first_of_month();
        while let Ok(next) = month.checked_add(jiff::ToSpan::months(1)) {
            month = next;
            let Ok(before) = month.yesterday() else { break };
            let day = cal.deadline(before).max(0) as u32;
            if day >= last_day {
                break;
            }
            out.dates.push(month);
            out.days.push(day);
        }
        out
    }

    /// Productivity (0..=1) of one person of role `r` hired in month `k`, on each working day
    /// up to `horizon`.
    fn productivity(&self, r: usize, k: usize, horizon: u32) -> Vec<f64> {
        let start = self.days[k];
        (0..horizon)
            .map(|d| {
                if d < start {
                    0.0
                } else {
                    ramp_productivity(d - start, self.ramp_up[r])
                }
            })
            .collect()
    }
}

/// The ramp-up the scenario already uses for hires of each role (the longest, to stay on the
/// cautious side), else the longest it uses for any role, else none.
fn ramp_convention(model: &Model, scenario: &Scenario) -> Vec<f64> {
    let longest = |pick: &dyn Fn(&&Hire) -> bool| {
        scenario
            .hires
            .iter()
            .filter(pick)
            .map(|h| h.ramp_up)
            .fold(None, |acc: Option<f64>, x| {
                Some(acc.map_or(x, |a| a.max(x)))
            })
    };
    let any = longest(&|_| true).unwrap_or(0.0);
    (0..model.roles.len())
        .map(|r| longest(&|h: &&Hire| h.role == r).unwrap_or(any))
        .collect()
}

/// One role's cheapest start headcount and (rounded) monthly hires under the relaxation for
/// windows `w`, and the LP's cost in person-days (a lower bound for plans hiring at month
/// starts). `extra` is what the scenario's own hires supply per day; `floor` the fewest people
/// any task needs at once. `Ok(None)`: no plan meets the windows.
pub fn cheapest_role_plan(
    bound: &CapacityBound,
    w: &Windows,
    r: usize,
    extra: &[f64],
    floor: u32,
    months: &HireMonths,
    horizon: u32,
) -> Result<Option<(u32, Vec<u32>, f64)>, String> {
    let columns: Vec<Vec<f64>> = (0..months.days.len())
        .map(|k| months.productivity(r, k, bound.horizon))
        .collect();
    let (mut lp, n, hired) = bound.role_lp_hiring(w, r, Some(extra), &columns);
    let n = n.expect("a headcount variable was asked for");
    lp.vars[n].cost = f64::from(horizon);
    for (&h, &day) in hired.iter().zip(&months.days) {
        // A person who joins on the last due date still costs something, so that the LP
        // never hires without need.
        lp.vars[h].cost = f64::from(horizon.saturating_sub(day)).max(1.0);
    }
    // Some task needs `floor` people at once: someone must have joined by then.
    let mut everyone = vec![(n, 1.0)];
    everyone.extend(hired.iter().map(|&h| (h, 1.0)));
    lp.rows.push(solver::Row {
        terms: everyone,
        lower: f64::from(floor),
        upper: f64::INFINITY,
    });
    match solver::solve(&lp, bound.time_limit) {
        LpOutcome::Optimal(x) => {
            let fractional: Vec<f64> = hired.iter().map(|&h| x[h]).collect();
            let cost = lp.vars.iter().zip(&x).map(|(v, x)| v.cost * x).sum();
            Ok(Some((
                x[n].round().max(0.0) as u32,
                round_hires(&fractional),
                cost,
            )))
        }
        LpOutcome::Infeasible => Ok(None),
        LpOutcome::Unknown(why) => Err(why),
    }
}

/// Whole hires per month such that by every month at least as many people have joined as the
/// fractional plan: `ceil` of each running total, less what earlier months already hired.
pub fn round_hires(fractional: &[f64]) -> Vec<u32> {
    let mut total = 0.0;
    let mut hired = 0u32;
    fractional
        .iter()
        .map(|&h| {
            total += h.max(0.0);
            let needed = (total - ROUNDING_SLACK).ceil().max(0.0) as u32;
            let now = needed.saturating_sub(hired);
            hired += now;
            now
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_hires_never_lets_the_running_total_fall_behind() {
        assert_eq!(round_hires(&[0.4, 0.7, 0.0, 1.0]), vec![1, 1, 0, 1]);
        assert_eq!(round_hires(&[0.0, 2.0000000001, 0.5]), vec![0, 2, 1]);
        assert_eq!(round_hires(&[]), Vec::<u32>::new());
    }

    #[test]
    fn a_plan_costs_hires_only_from_their_start() {
        let months = HireMonths {
            dates: vec![Date::constant(2025, 10, 1)],
            days: vec![10],
            ramp_up: vec![0.0],
        };
        let plan = Plan {
            team: vec![2],
            hires: vec![vec![1]],
        };
        assert_eq!(plan.person_days(0, &months, 30), 2.0 * 30.0 + 20.0);
        assert_eq!(plan.peak(0), 3);
    }
}
