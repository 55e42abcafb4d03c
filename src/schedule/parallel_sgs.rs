//! The parallel schedule generation scheme (Kelley; Kolisch 1996) for time-invariant
//! problems ([`Compiled::is_time_invariant`]): time runs from decision point to decision
//! point, and at each one every eligible activity that fits is started, by list position.
//! Its schedules are non-delay: no activity waits while it could run. They are a subset of
//! the active schedules the serial pass ([`super::sgs`]) makes, which on large, tightly
//! constrained problems holds good schedules more densely (Hartmann 2002's self-adapting GA
//! lets each individual choose between the two; see [`super::search`]).
//!
//! Both directions: forward (the list puts predecessors first, the schedule is
//! left-justified) and backward (successors first; right-justified in mirrored time and
//! shifted to start on day 0), as the two-population search needs.
//!
//! # Complexity
//!
//! For `n` activities, `E` precedences and `R` resources one pass is `O(n² · R + E)`: at
//! most `2n` decision points (a start or a finish, or a lag running out), each scanning the
//! eligible set (at most `n`, kept in list order) with an `O(R)` fit test per activity.
//! Memory `O(n + R)`.

use super::compiled::Compiled;
use super::sgs::UNPLACEABLE;

/// Which way a pass reads the precedences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pass {
    /// Predecessors first; starts as early as possible.
    Forward,
    /// Successors first; finishes as late as possible, then shifted to start on day 0.
    Backward,
}

/// Reusable buffers of the parallel pass, one per worker.
#[derive(Clone, Debug, Default)]
pub(crate) struct ParallelSgs {
    position: Vec<u32>,
    missing: Vec<u32>,
    earliest: Vec<u32>,
    eligible: Vec<usize>,
    remaining: Vec<i32>,
    active: Vec<(u32, usize)>,
    pass_starts: Vec<u32>,
}

impl ParallelSgs {
    /// Schedules `order` (a list valid in the direction of `pass`) on a time-invariant
    /// problem, writing real start days into `starts`; returns the makespan, or
    /// [`UNPLACEABLE`] if some activity's demand never fits (not for usable modes).
    pub(crate) fn run(
        &mut self,
        c: &Compiled,
        order: &[usize],
        modes: &[usize],
        pass: Pass,
        starts: &mut [u32],
    ) -> u32 {
        let (before, after) = match pass {
            Pass::Forward => (&c.preds, &c.succs),
            Pass::Backward => (&c.succs, &c.preds),
        };
        self.reset(c, order, |j| before.row(j).len() as u32);
        let mut t = 0u32;
        let mut placed = 0;
        let mut makespan = 0u32;
        while placed < c.n {
            self.release_finished_by(c, modes, t);
            let (count, latest) = self.start_what_fits(c, modes, after, t);
            placed += count;
            makespan = makespan.max(latest);
            if placed == c.n {
                break;
            }
            match self.next_decision_point(t) {
                Some(next) => t = next,
                None => return UNPLACEABLE,
            }
        }
        match pass {
            Pass::Forward => starts.copy_from_slice(&self.pass_starts),
            Pass::Backward => {
                for (j, start) in starts.iter_mut().enumerate() {
                    let finish = self.pass_starts[j] + c.mode(j, modes[j]).duration;
                    *start = makespan - finish;
                }
            }
        }
        makespan
    }

    fn reset(&mut self, c: &Compiled, order: &[usize], before_count: impl Fn(usize) -> u32) {
        let n = c.n;
        self.position.resize(n, 0);
        for (p, &j) in order.iter().enumerate() {
            self.position[j] = p as u32;
        }
        self.missing.clear();
        self.missing.extend((0..n).map(&before_count));
        self.earliest.clear();
        self.earliest.resize(n, 0);
        self.pass_starts.clear();
        self.pass_starts.resize(n, 0);
        self.eligible.clear();
        self.eligible
            .extend(order.iter().copied().filter(|&j| before_count(j) == 0));
        self.remaining.clear();
        self.remaining
            .extend((0..c.resources).map(|k| c.final_capacity(k)));
        self.active.clear();
    }

    /// Gives back the units of every activity finished by day `t`.
    fn release_finished_by(&mut self, c: &Compiled, modes: &[usize], t: u32) {
        let remaining = &mut self.remaining;
        self.active.retain(|&(finish, j)| {
            if finish > t {
                return true;
            }
            for &(k, q) in &c.mode(j, modes[j]).demand {
                remaining[k as usize] += q;
            }
            false
        });
    }

    /// Starts on day `t`, in list order, every eligible activity that may start and fits
    /// (all placed activities start by `t` and capacity is constant, so what is free on `t`
    /// stays free). Returns how many started and their latest finish.
    fn start_what_fits(
        &mut self,
        c: &Compiled,
        modes: &[usize],
        after: &super::compiled::Rows<(u32, i32)>,
        t: u32,
    ) -> (usize, u32) {
        let (mut count, mut latest) = (0, 0);
        let mut i = 0;
        while i < self.eligible.len() {
            let j = self.eligible[i];
            let mode = c.mode(j, modes[j]);
            let fits = self.earliest[j] <= t
                && mode
                    .demand
                    .iter()
                    .all(|&(k, q)| self.remaining[k as usize] >= q);
            if !fits {
                i += 1;
                continue;
            }
            self.eligible.remove(i);
            for &(k, q) in &mode.demand {
                self.remaining[k as usize] -= q;
            }
            let finish = t + mode.duration;
            if mode.duration > 0 {
                self.active.push((finish, j));
            }
            self.pass_starts[j] = t;
            count += 1;
            latest = latest.max(finish);
            let mut starts_now = false;
            for &(s, lag) in after.row(j) {
                let s = s as usize;
                let ready = (i64::from(finish) + i64::from(lag)).max(0) as u32;
                self.earliest[s] = self.earliest[s].max(ready);
                self.missing[s] -= 1;
                if self.missing[s] == 0 {
                    let at = self
                        .eligible
                        .partition_point(|&e| self.position[e] < self.position[s]);
                    self.eligible.insert(at, s);
                    starts_now |= self.earliest[s] <= t;
                }
            }
            // A successor that may start today (after a zero-length activity) may come
            // earlier in the list than what was passed over: scan again from the start.
            if starts_now {
                i = 0;
            }
        }
        (count, latest)
    }

    /// The next day something finishes or an eligible activity's lag runs out.
    fn next_decision_point(&self, t: u32) -> Option<u32> {
        let finishes = self.active.iter().map(|&(f, _)| f);
        let ready = self.eligible.iter().map(|&j| self.earliest[j]);
        finishes.chain(ready).filter(|&d| d > t).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::checker::check;
    use crate::schedule::problem::Schedule;
    use crate::schedule::psplib::parse_sm;
    use crate::schedule::sgs::Sgs;

    fn instance() -> (crate::schedule::Problem, Sgs) {
        let text = include_str!("../../tests/data/psplib/j301_1.sm");
        let problem = parse_sm(text).unwrap();
        let sgs = Sgs::new(&problem).unwrap();
        (problem, sgs)
    }

    #[test]
    fn both_directions_give_feasible_non_delay_schedules() {
        let (problem, sgs) = instance();
        let c = &sgs.c;
        let modes = vec![0; c.n];
        let mut pass = ParallelSgs::default();
        let mut starts = vec![0; c.n];
        let forward = pass.run(c, &c.topo, &modes, Pass::Forward, &mut starts);
        let schedule = Schedule {
            starts: starts.clone(),
            modes: modes.clone(),
        };
        assert!(check(&problem, &schedule).is_empty());
        let latest = (0..c.n)
            .map(|j| starts[j] + c.mode(j, 0).duration)
            .max()
            .unwrap();
        assert_eq!(forward, latest);
        let reversed: Vec<usize> = c.topo.iter().rev().copied().collect();
        let backward = pass.run(c, &reversed, &modes, Pass::Backward, &mut starts);
        assert_ne!(backward, UNPLACEABLE);
        assert_eq!(starts.iter().min(), Some(&0));
        let schedule = Schedule { starts, modes };
        assert!(check(&problem, &schedule).is_empty());
    }

    #[test]
    fn the_forward_schedule_is_non_delay() {
        let (_, sgs) = instance();
        let c = &sgs.c;
        let modes = vec![0; c.n];
        let mut starts = vec![0; c.n];
        ParallelSgs::default().run(c, &c.topo, &modes, Pass::Forward, &mut starts);
        // No activity with work could start one day earlier: a predecessor or a resource
        // holds it on that day.
        for j in 0..c.n {
            let mode = c.mode(j, 0);
            if starts[j] == 0 || mode.duration == 0 || mode.demand.is_empty() {
                continue;
            }
            let day = starts[j] - 1;
            let held_by_pred = c.preds.row(j).iter().any(|&(p, lag)| {
                starts[p as usize] + c.mode(p as usize, 0).duration + lag as u32 > day
            });
            let held_by_resource = mode.demand.iter().any(|&(k, q)| {
                let used: i32 = (0..c.n)
                    .filter(|&i| starts[i] <= day && day < starts[i] + c.mode(i, 0).duration)
                    .map(|i| {
                        c.mode(i, 0)
                            .demand
                            .iter()
                            .filter(|&&(r, _)| r == k)
                            .map(|&(_, u)| u)
                            .sum::<i32>()
                    })
                    .sum();
                used + q > c.final_capacity(k as usize)
            });
            assert!(
                held_by_pred || held_by_resource,
                "activity {j} waits on day {day}"
            );
        }
    }
}
