//! The two ways an iteration turns sampled durations into dates, each with the walk back along
//! the chain of work that set the finish:
//!
//! * [`super::kernel::PrecedenceKernel`]: a CPM forward pass over fractional durations (no
//!   people), with its sampling.
//! * [`ResourceNet`]: one serial schedule-generation pass over whole-day durations with a fixed
//!   activity list and fixed crews, against the team's capacity per role and day. It is a lean
//!   copy of the scheduling core's forward SGS (same earliest-fit rule, same result on the same
//!   input, checked by a test) that takes durations per call instead of per problem, so an
//!   iteration neither rebuilds nor clones the problem.
//! * [`CalendarNet`]: the same pass on working calendars (a model whose roles or tasks name
//!   their own), which is the scheduling core's own calendar pass
//!   ([`crate::schedule::calendars::place_pass`]) with the durations of the iteration.

use crate::calendar::GridClock;
use crate::graph::LinkType;
use crate::resources::Steps;
use crate::schedule::calendars::{let_in_by, place_pass, Pass, Why};
use crate::schedule::Problem;
use std::sync::Arc;

/// Compressed rows: `items[start[i]..start[i + 1]]` belong to row `i`.
#[derive(Debug, Clone)]
struct Rows<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T: Clone> Rows<T> {
    fn new(rows: impl IntoIterator<Item = Vec<T>>) -> Self {
        let mut start = vec![0u32];
        let mut items = Vec::new();
        for row in rows {
            items.extend(row);
            start.push(items.len() as u32);
        }
        Rows { start, items }
    }

    #[inline]
    fn row(&self, i: usize) -> &[T] {
        &self.items[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// Resource-constrained network: a fixed activity list, each node's demand per role (units,
/// from its crew), and the capacity steps per role.
#[derive(Debug, Clone)]
pub struct ResourceNet {
    order: Vec<u32>,
    preds: Rows<(u32, i32)>,
    kinds: Rows<LinkType>,
    finish_to_start: bool,
    demand: Rows<(u32, i32)>,
    capacity: Vec<Steps>,
    /// Each node's first possible start (date constraints from below, the status date); empty
    /// when every node may start at day 0.
    release: Vec<u32>,
}

/// Per-thread scratch of [`ResourceNet::run`]: the remaining units per day and role, refilled
/// from a capacity template (built once, grown on demand) so a pass costs no allocation.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    remaining: Vec<i32>,
    days: usize,
    template: Vec<i32>,
    template_days: usize,
    /// Per node, the role that was short on the day before its start when the pass placed
    /// it ([`NOT_SHORT`] when it started as early as its links allow): the chain reads it.
    short: Vec<u32>,
}

/// [`Profile`]'s mark of a node placed as early as its links allow.
const NOT_SHORT: u32 = u32::MAX;

/// Why a node on the chain started when it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// A predecessor's finish plus lag.
    Precedence,
    /// The release of a role's people by the previous node of the chain (or a capacity step,
    /// such as a hire, when the chain ends there).
    Resource(usize),
}

impl ResourceNet {
    /// The network: `order` is a precedence-feasible activity list of `0..nodes`, `preds(n)`
    /// are typed, lagged predecessors `(pred, lag, type)`, `demand(n)` units per role while
    /// `n` runs.
    pub fn new(
        order: &[usize],
        preds: impl Fn(usize) -> Vec<(usize, i32, LinkType)>,
        demand: impl Fn(usize) -> Vec<(usize, u32)>,
        capacity: Vec<Steps>,
        nodes: usize,
    ) -> Self {
        let links: Vec<Vec<(usize, i32, LinkType)>> = (0..nodes).map(preds).collect();
        ResourceNet {
            order: order.iter().map(|&n| n as u32).collect(),
            preds: Rows::new(
                links
                    .iter()
                    .map(|row| row.iter().map(|&(p, l, _)| (p as u32, l)).collect()),
            ),
            kinds: Rows::new(
                links
                    .iter()
                    .map(|row| row.iter().map(|&(_, _, k)| k).collect()),
            ),
            finish_to_start: links.iter().flatten().all(|l| l.2 == LinkType::FS),
            demand: Rows::new((0..nodes).map(|n| {
                demand(n)
                    .into_iter()
                    .filter(|&(_, q)| q > 0)
                    .map(|(r, q)| (r as u32, q as i32))
                    .collect()
            })),
            capacity,
            release: Vec::new(),
        }
    }

    /// The same network with each node's first possible start (indexed by node): the
    /// activities' release days, so no iteration starts work before its constraint or the
    /// status date.
    pub fn with_release(mut self, release: Vec<u32>) -> Self {
        self.release = if release.iter().all(|&r| r == 0) {
            Vec::new()
        } else {
            release
        };
        self
    }

    /// The first day node `j` may start by its release alone.
    #[inline]
    fn release_of(&self, j: usize) -> u32 {
        self.release.get(j).copied().unwrap_or(0)
    }

    fn roles(&self) -> usize {
        self.capacity.len()
    }

    /// Units of `role` on `day` under the capacity steps.
    fn units(&self, role: usize, day: u32) -> i32 {
        crate::resources::units_on(&self.capacity[role], day) as i32
    }

    fn ensure_days(&self, p: &mut Profile, days: usize) {
        if days <= p.days {
            return;
        }
        let r = self.roles();
        let target = days.max(p.days * 2).max(256);
        if target > p.template_days {
            p.template.resize(target * r, 0);
            for day in p.template_days..target {
                for role in 0..r {
                    p.template[day * r + role] = self.units(role, day as u32);
                }
            }
            p.template_days = target;
        }
        p.remaining.resize(target * r, 0);
        p.remaining[p.days * r..target * r].copy_from_slice(&p.template[p.days * r..target * r]);
        p.days = target;
    }

    /// One serial SGS pass: each node in list order at the earliest day its predecessors
    /// (finish plus lag, floored at 0) and the remaining capacity over its whole duration allow.
    pub fn run(&self, duration: &[u32], p: &mut Profile, start: &mut [u32]) {
        p.days = 0;
        p.short.clear();
        p.short.resize(start.len(), NOT_SHORT);
        let r = self.roles();
        for &j in &self.order {
            let j = j as usize;
            let d = duration[j];
            let floor = self.release_of(j);
            let earliest = if self.finish_to_start {
                self.preds.row(j).iter().fold(floor, |acc, &(q, lag)| {
                    let q = q as usize;
                    acc.max((i64::from(start[q] + duration[q]) + i64::from(lag)).max(0) as u32)
                })
            } else {
                let links = self.preds.row(j).iter().zip(self.kinds.row(j));
                links.fold(floor, |acc, (&(q, lag), &kind)| {
                    acc.max(asked(kind, q as usize, lag, d, duration, start).max(0) as u32)
                })
            };
            let demand = self.demand.row(j);
            if d == 0 || demand.is_empty() {
                start[j] = earliest;
                continue;
            }
            let mut t = earliest;
            'window: loop {
                let end = t as usize + d as usize;
                self.ensure_days(p, end);
                for day in (t as usize..end).rev() {
                    let row = &p.remaining[day * r..day * r + r];
                    if let Some(&(k, _)) = demand.iter().find(|&&(k, q)| row[k as usize] < q) {
                        // The last clash is on the day before the start: its role is the wait.
                        p.short[j] = k;
                        t = day as u32 + 1;
                        continue 'window;
                    }
                }
                break;
            }
            for day in t as usize..t as usize + d as usize {
                let row = &mut p.remaining[day * r..day * r + r];
                for &(k, q) in demand {
                    row[k as usize] -= q;
                }
            }
            start[j] = t;
        }
    }

    /// The resource-aware critical chain from `last` back, each step with why the node started
    /// when it did: the same rule as the driving chain of a schedule
    /// ([`crate::schedule::driver`]), so the criticality index counts the drivers' chain. A
    /// predecessor whose link asks exactly for the start (the first in input order) is a
    /// precedence step. Else, at day 0 the chain ends. Else the start waited for people: the
    /// first role the node needs that the nodes placed before it left short on the day before
    /// its start; the step goes to the one of those nodes that finished exactly at the start
    /// holding most units of that role (on a tie the first placed). When none did, the role's
    /// capacity rose that day (a hire) and the chain ends with that role. `out` gets (node,
    /// link that made it start).
    pub fn chain(
        &self,
        last: usize,
        duration: &[u32],
        start: &[u32],
        p: &Profile,
        out: &mut Vec<(usize, Option<Link>)>,
    ) {
        out.clear();
        // (finish, list position) of every node with work and each node's position, built at
        // the first resource step: finding who freed a role is then a binary search, not a
        // scan of the list (a scan per step made long chains quadratic in the task count).
        let mut finishing = Finishing::default();
        let mut cur = last;
        // Every step goes to a node placed earlier, so no chain is longer than the list.
        while out.len() < self.order.len() {
            let s = start[cur];
            if let Some(q) = self.binding_pred(cur, duration, start) {
                out.push((cur, Some(Link::Precedence)));
                cur = q;
                continue;
            }
            let role = p.short.get(cur).copied().unwrap_or(NOT_SHORT);
            if s == 0 || role == NOT_SHORT {
                out.push((cur, None));
                break;
            }
            if finishing.ends.is_empty() {
                finishing = self.finishing(duration, start);
            }
            out.push((cur, Some(Link::Resource(role as usize))));
            match self.freed_by(cur, role, start, &finishing) {
                Some(freed_by) => cur = freed_by,
                None => break,
            }
        }
    }

    /// The first predecessor of `cur` whose link asks for exactly its start.
    fn binding_pred(&self, cur: usize, duration: &[u32], start: &[u32]) -> Option<usize> {
        let own = duration[cur];
        let s = i64::from(start[cur]);
        self.preds
            .row(cur)
            .iter()
            .zip(self.kinds.row(cur))
            .find(|&(&(q, lag), &kind)| asked(kind, q as usize, lag, own, duration, start) == s)
            .map(|(&(q, _), _)| q as usize)
    }

    /// Every node with work by (finish, position in the list), ascending, and each node's
    /// position in the list.
    fn finishing(&self, duration: &[u32], start: &[u32]) -> Finishing {
        let mut position = vec![u32::MAX; start.len()];
        for (pos, &k) in self.order.iter().enumerate() {
            position[k as usize] = pos as u32;
        }
        let mut ends: Vec<(u32, u32)> = self
            .order
            .iter()
            .enumerate()
            .filter(|&(_, &k)| duration[k as usize] > 0)
            .map(|(pos, &k)| (start[k as usize] + duration[k as usize], pos as u32))
            .collect();
        ends.sort_unstable();
        Finishing { ends, position }
    }

    /// Of the nodes placed before `cur`, the one that held `role` until exactly `cur`'s start
    /// holding most units of it (on a tie the first placed); `finishing` is
    /// [`ResourceNet::finishing`].
    fn freed_by(
        &self,
        cur: usize,
        role: u32,
        start: &[u32],
        finishing: &Finishing,
    ) -> Option<usize> {
        let s = start[cur];
        let placed = finishing.position.get(cur).copied().unwrap_or(u32::MAX);
        let first = finishing.ends.partition_point(|&(f, _)| f < s);
        let mut best: Option<(i32, usize)> = None;
        for &(_, pos) in finishing.ends[first..]
            .iter()
            .take_while(|&&(f, pos)| f == s && pos < placed)
        {
            let k = self.order[pos as usize] as usize;
            let row = self.demand.row(k);
            if let Some(&(_, units)) = row.iter().find(|&&(r, _)| r == role) {
                if best.is_none_or(|(most, _)| units > most) {
                    best = Some((units, k));
                }
            }
        }
        best.map(|(_, k)| k)
    }
}

/// Resource-constrained network on working calendars: a fixed activity list, one mode per
/// activity (the units of its fixed crew), and the clock of every activity's working days.
/// An iteration is one serial pass of the scheduling core on calendars
/// ([`place_pass`]): an activity works only on its mask's days and holds its crew only on
/// those, so its span in grid days is longer than its working days across days off.
#[derive(Debug, Clone)]
pub struct CalendarNet {
    problem: Problem,
    clock: Arc<GridClock>,
    order: Vec<usize>,
    modes: Vec<usize>,
}

impl CalendarNet {
    /// The network: `problem`'s activities each with the one mode the iterations use (its
    /// duration is not read: every pass takes its own), placed in `order` on `clock`.
    pub fn new(problem: Problem, clock: Arc<GridClock>, order: Vec<usize>) -> Self {
        let modes = vec![0; problem.activities.len()];
        CalendarNet {
            problem,
            clock,
            order,
            modes,
        }
    }

    /// The same network on another clock (a longer one, when a pass ran past this one).
    pub fn on_clock(&self, clock: Arc<GridClock>) -> Self {
        CalendarNet {
            clock,
            ..self.clone()
        }
    }

    /// The clock the passes run on ([`GridClock::overran`] tells that one reached past it).
    pub fn clock(&self) -> &Arc<GridClock> {
        &self.clock
    }

    /// The activities with their one mode each.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// One serial pass with `duration` working days per node; starts, finishes (grid days)
    /// and why each start is where it is are left in `pass`.
    pub fn run(&self, duration: &[u32], pass: &mut Pass) {
        let modes = &self.modes;
        place_pass(
            &self.problem,
            &self.clock,
            &self.order,
            modes,
            |j| duration[j],
            pass,
        );
    }

    /// The driving chain from `last` back, by the rule of the drivers `plan schedule` records
    /// on calendars ([`crate::schedule::calendars::place`]): a link steps to its
    /// predecessor; a wait for a role steps to the holder that let the node in (of the nodes
    /// placed before it that held the role on the last day it was short, one that finished by
    /// its start, holding most units, on a tie the first placed), and the chain ends with that
    /// role when none did (its capacity rose, or the holders do not work the node's days); a
    /// release ends it. `out` gets (node, link that made it start), as [`ResourceNet::chain`]
    /// does.
    pub fn chain(&self, last: usize, pass: &Pass, out: &mut Vec<(usize, Option<Link>)>) {
        out.clear();
        // Nodes by finish, built at the first wait on the chain (see ResourceNet::chain).
        let mut finishing = Finishing::default();
        let mut cur = last;
        // Every step goes to a node placed earlier, so no chain is longer than the list.
        while out.len() < self.order.len() {
            match pass.why[cur] {
                Why::Release => {
                    out.push((cur, None));
                    break;
                }
                Why::Link(i) => {
                    out.push((cur, Some(Link::Precedence)));
                    cur = self.problem.activities[cur].preds[i].pred;
                }
                Why::Waited { resource, day, .. } => {
                    out.push((cur, Some(Link::Resource(resource))));
                    if finishing.position.is_empty() {
                        finishing = self.finishing(pass);
                    }
                    match self.let_in_by(cur, resource, day, pass, &finishing) {
                        Some(h) => cur = h,
                        None => break,
                    }
                }
            }
        }
    }

    /// Units of `resource` node `h` holds on its working days.
    fn units(&self, h: usize, resource: usize) -> u32 {
        self.problem.activities[h].modes[0].demand[resource]
    }

    /// Every node that holds people by (finish, position in the list), and each position.
    fn finishing(&self, pass: &Pass) -> Finishing {
        let mut position = vec![u32::MAX; pass.starts.len()];
        for (pos, &k) in self.order.iter().enumerate() {
            position[k] = pos as u32;
        }
        let mut ends: Vec<(u32, u32)> = self
            .order
            .iter()
            .enumerate()
            .filter(|&(_, &k)| pass.finish[k] > pass.starts[k])
            .map(|(pos, &k)| (pass.finish[k], pos as u32))
            .collect();
        ends.sort_unstable();
        Finishing { ends, position }
    }

    /// The holder that let `cur` in after it was last short of `resource` on `day`: only
    /// nodes finishing in `(day, start]` can be it, found by a binary search.
    fn let_in_by(
        &self,
        cur: usize,
        resource: usize,
        day: u32,
        pass: &Pass,
        finishing: &Finishing,
    ) -> Option<usize> {
        let start = pass.starts[cur];
        let placed = finishing.position[cur];
        let first = finishing.ends.partition_point(|&(f, _)| f <= day);
        let mut holders: Vec<u32> = finishing.ends[first..]
            .iter()
            .take_while(|&&(f, _)| f <= start)
            .map(|&(_, pos)| pos)
            .filter(|&pos| {
                let h = self.order[pos as usize];
                pos < placed
                    && self.units(h, resource) > 0
                    && pass.starts[h] <= day
                    && self.clock.works(h, day)
            })
            .collect();
        holders.sort_unstable();
        let holders: Vec<usize> = holders.iter().map(|&p| self.order[p as usize]).collect();
        let_in_by(&holders, &pass.finish, start, |h| self.units(h, resource))
    }
}

/// The nodes with work by when they finish, for [`ResourceNet::freed_by`].
#[derive(Default)]
struct Finishing {
    /// (finish, position in the list), ascending.
    ends: Vec<(u32, u32)>,
    /// Each node's position in the list.
    position: Vec<u32>,
}

/// The start a link of type `kind` from `pred` asks for a node of `own` days (before the
/// clamp at day 0).
#[inline]
fn asked(kind: LinkType, pred: usize, lag: i32, own: u32, duration: &[u32], start: &[u32]) -> i64 {
    let anchor = if kind.from_start() {
        start[pred]
    } else {
        start[pred] + duration[pred]
    };
    let end = if kind.to_finish() { own } else { 0 };
    i64::from(anchor) + i64::from(lag) - i64::from(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A random network of 1 to 11 activities with every link type and leads, on two roles
    /// (one hiring a third person at a random day), and the roles' capacity steps.
    fn random_network(
        rng: &mut rand_xoshiro::Xoshiro256PlusPlus,
    ) -> (crate::schedule::Problem, Vec<Vec<(u32, u32)>>) {
        use crate::schedule::{Activity, Capacity, Problem, Resource};
        use rand::Rng;
        let n = rng.random_range(1..12);
        let activities: Vec<Activity> = (0..n)
            .map(|j| {
                let demand = vec![rng.random_range(0..3), rng.random_range(0..2)];
                let mut a = Activity::single(rng.random_range(0..5), demand);
                for p in 0..j {
                    if rng.random_bool(0.3) {
                        let kind = LinkType::ALL[rng.random_range(0..4)];
                        a = a.linked(p, kind, rng.random_range(-2..3));
                    }
                }
                a
            })
            .collect();
        let steps = vec![vec![(0, 2), (rng.random_range(1..8), 3)], vec![(0, 1)]];
        let problem = Problem {
            resources: steps
                .iter()
                .map(|s| Resource {
                    name: "r".into(),
                    capacity: Capacity::from_steps(s.clone()).unwrap(),
                })
                .collect(),
            activities,
            horizon_hint: 0,
        };
        (problem, steps)
    }

    /// Asserts that `chain`, traced from activity `j`, is the driving chain the recorded
    /// `drivers` give, step by step with the same kind of link; returns its resource steps.
    fn assert_chain_is_drivers(
        chain: &[(usize, Option<Link>)],
        drivers: &[crate::schedule::Driver],
        j: usize,
        seed: u64,
    ) -> usize {
        use crate::schedule::{driving_chain, Driver};
        let nodes: Vec<usize> = chain.iter().map(|&(k, _)| k).collect();
        assert_eq!(nodes, driving_chain(drivers, j), "seed {seed}, node {j}");
        for &(k, link) in chain {
            let same = match (&drivers[k], link) {
                (Driver::Link { .. }, Some(Link::Precedence)) => true,
                (Driver::Capacity(w), Some(Link::Resource(r))) => w.resource == r,
                (Driver::Release { .. }, None) => true,
                _ => false,
            };
            assert!(same, "seed {seed}, node {k}: {:?} vs {link:?}", drivers[k]);
        }
        chain
            .iter()
            .filter(|(_, l)| matches!(l, Some(Link::Resource(_))))
            .count()
    }

    #[test]
    fn a_shared_person_serialises_work_and_the_chain_names_the_role() {
        // Two 3-day tasks needing the one backend person, then a milestone.
        let preds = |n: usize| {
            if n == 2 {
                vec![(0, 0, LinkType::FS), (1, 0, LinkType::FS)]
            } else {
                vec![]
            }
        };
        let demand = |n: usize| if n < 2 { vec![(0, 100)] } else { vec![] };
        let net = ResourceNet::new(&[0, 1, 2], preds, demand, vec![vec![(0, 100)]], 3);
        let mut start = vec![0; 3];
        let dur = [3, 3, 0];
        let mut profile = Profile::default();
        net.run(&dur, &mut profile, &mut start);
        assert_eq!(start, vec![0, 3, 6]);
        let mut chain = Vec::new();
        net.chain(2, &dur, &start, &profile, &mut chain);
        assert_eq!(
            chain,
            vec![
                (2, Some(Link::Precedence)),
                (1, Some(Link::Resource(0))),
                (0, None)
            ]
        );
    }

    /// The criticality index counts the driving chain: on the same list and durations, the
    /// chain this pass traces is the one the scheduling core's recorded drivers give.
    #[test]
    fn the_chain_is_the_driving_chain_of_the_scheduling_core() {
        use crate::schedule::Sgs;
        use rand::SeedableRng;
        let mut waits = 0;
        for seed in 0..300 {
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
            let (problem, steps) = random_network(&mut rng);
            let n = problem.activities.len();
            let order = problem.topological_order().unwrap();
            let (schedule, drivers) = Sgs::new(&problem)
                .unwrap()
                .schedule_with_drivers(&order, &vec![0; n])
                .unwrap();
            let a = &problem.activities;
            let net = ResourceNet::new(
                &order,
                |j| a[j].preds.iter().map(|p| (p.pred, p.lag, p.kind)).collect(),
                |j| a[j].modes[0].demand.iter().copied().enumerate().collect(),
                steps,
                n,
            );
            let duration: Vec<u32> = a.iter().map(|a| a.modes[0].duration).collect();
            let mut start = vec![0; n];
            let mut profile = Profile::default();
            net.run(&duration, &mut profile, &mut start);
            assert_eq!(start, schedule.starts, "seed {seed}");
            let mut chain = Vec::new();
            for j in 0..n {
                net.chain(j, &duration, &start, &profile, &mut chain);
                waits += assert_chain_is_drivers(&chain, &drivers, j, seed);
            }
        }
        assert!(
            waits > 100,
            "only {waits} resource steps: the test hardly compares them"
        );
    }

    /// On calendars the pass is the scheduling core's own, and the chain it traces is the one
    /// the drivers `plan schedule` records on calendars give, on random networks with every
    /// link type, random working days per activity and a hire.
    #[test]
    fn the_calendar_chain_is_the_driving_chain_of_the_calendar_schedule() {
        use crate::schedule::calendars::place;
        use rand::{Rng, SeedableRng};
        let mut waits = 0;
        for seed in 0..300 {
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
            let (problem, _) = random_network(&mut rng);
            let n = problem.activities.len();
            // Three calendars over 200 grid days, each working about 3 days in 4.
            let masks: Vec<Vec<bool>> = (0..3)
                .map(|_| (0..200).map(|_| rng.random_bool(0.75)).collect())
                .collect();
            let node_mask = (0..n).map(|_| rng.random_range(0..3)).collect();
            let clock = Arc::new(GridClock::from_masks(masks, node_mask));
            let order = problem.topological_order().unwrap();
            let modes = vec![0; n];
            let (starts, finish, drivers) = place(&problem, &clock, &order, &modes, true);
            let duration: Vec<u32> = problem
                .activities
                .iter()
                .map(|a| a.modes[0].duration)
                .collect();
            let net = CalendarNet::new(problem, clock, order);
            let mut pass = Pass::default();
            net.run(&duration, &mut pass);
            assert_eq!(
                (&pass.starts, &pass.finish),
                (&starts, &finish),
                "seed {seed}"
            );
            let mut chain = Vec::new();
            for j in 0..n {
                net.chain(j, &pass, &mut chain);
                waits += assert_chain_is_drivers(&chain, &drivers, j, seed);
            }
        }
        assert!(
            waits > 100,
            "only {waits} resource steps: the test hardly compares them"
        );
    }

    #[test]
    fn a_hire_ends_the_chain_with_its_role() {
        let net = ResourceNet::new(
            &[0],
            |_| vec![],
            |_| vec![(0, 100)],
            vec![vec![(0, 0), (4, 100)]],
            1,
        );
        let mut start = vec![0];
        let mut profile = Profile::default();
        net.run(&[2], &mut profile, &mut start);
        assert_eq!(start, vec![4]);
        let mut chain = Vec::new();
        net.chain(0, &[2], &start, &profile, &mut chain);
        assert_eq!(chain, vec![(0, Some(Link::Resource(0)))]);
    }
}
