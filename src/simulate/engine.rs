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

use crate::graph::LinkType;
use crate::resources::Steps;

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
}

/// Per-thread scratch of [`ResourceNet::run`]: the remaining units per day and role, refilled
/// from a capacity template (built once, grown on demand) so a pass costs no allocation.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    remaining: Vec<i32>,
    days: usize,
    template: Vec<i32>,
    template_days: usize,
}

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
        }
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
        let r = self.roles();
        for &j in &self.order {
            let j = j as usize;
            let d = duration[j];
            let earliest = if self.finish_to_start {
                self.preds.row(j).iter().fold(0u32, |acc, &(q, lag)| {
                    let q = q as usize;
                    acc.max((i64::from(start[q] + duration[q]) + i64::from(lag)).max(0) as u32)
                })
            } else {
                let links = self.preds.row(j).iter().zip(self.kinds.row(j));
                links.fold(0u32, |acc, (&(q, lag), &kind)| {
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
                    if demand.iter().any(|&(k, q)| row[k as usize] < q) {
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

    /// The resource-aware critical chain from `last` back to a node starting at day 0, each step
    /// with why the node started when it did: a predecessor whose finish plus lag equals the
    /// start (the first in input order), else the node that finished exactly at the start and
    /// held a role this node needs (the one holding most units of it; on a tie the earliest in
    /// the list). When neither exists the start waited for a capacity step (a hire) and the
    /// chain ends with that role. `out` gets (node, link that made it start).
    pub fn chain(
        &self,
        last: usize,
        duration: &[u32],
        start: &[u32],
        out: &mut Vec<(usize, Option<Link>)>,
    ) {
        out.clear();
        // (finish, list position) of every node with work, built at the first resource link:
        // finding who released a start is then a binary search, not a scan of the list (a
        // scan per link made long chains quadratic in the task count).
        let mut finishing: Vec<(u32, u32)> = Vec::new();
        let mut cur = last;
        loop {
            let s = start[cur];
            let by_pred =
                self.preds
                    .row(cur)
                    .iter()
                    .zip(self.kinds.row(cur))
                    .find(|&(&(q, lag), &kind)| {
                        let d = duration[cur];
                        asked(kind, q as usize, lag, d, duration, start).max(0) == i64::from(s)
                    });
            if let Some((&(q, _), _)) = by_pred {
                if s > 0 || duration[q as usize] > 0 || start[q as usize] > 0 {
                    out.push((cur, Some(Link::Precedence)));
                    cur = q as usize;
                    continue;
                }
            }
            if s == 0 {
                out.push((cur, None));
                break;
            }
            if finishing.is_empty() {
                finishing = self.finishing(duration, start);
            }
            match self.releaser(cur, start, &finishing) {
                Some((k, role)) => {
                    out.push((cur, Some(Link::Resource(role))));
                    cur = k;
                }
                None => {
                    let role = self.stepped_role(cur, s);
                    out.push((cur, role.map(Link::Resource)));
                    break;
                }
            }
        }
    }

    /// (finish, position in the list) of every node with work, ascending.
    fn finishing(&self, duration: &[u32], start: &[u32]) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> = self
            .order
            .iter()
            .enumerate()
            .filter(|&(_, &k)| duration[k as usize] > 0)
            .map(|(pos, &k)| (start[k as usize] + duration[k as usize], pos as u32))
            .collect();
        out.sort_unstable();
        out
    }

    /// The node that finished at `cur`'s start holding most units of a role `cur` needs (on a
    /// tie the earliest in the list); `finishing` is [`ResourceNet::finishing`].
    fn releaser(
        &self,
        cur: usize,
        start: &[u32],
        finishing: &[(u32, u32)],
    ) -> Option<(usize, usize)> {
        let s = start[cur];
        let mut best: Option<(i32, usize, usize)> = None;
        let first = finishing.partition_point(|&(f, _)| f < s);
        let at_start = finishing[first..].iter().take_while(|&&(f, _)| f == s);
        for &(_, pos) in at_start {
            let k = self.order[pos as usize] as usize;
            if k == cur {
                continue;
            }
            for &(role, _) in self.demand.row(cur) {
                if let Some(&(_, held)) = self.demand.row(k).iter().find(|&&(r2, _)| r2 == role) {
                    if best.is_none_or(|(h, _, _)| held > h) {
                        best = Some((held, k, role as usize));
                    }
                }
            }
        }
        best.map(|(_, k, role)| (k, role))
    }

    /// A role `cur` needs whose capacity rose at `day`, if any, else its first role.
    fn stepped_role(&self, cur: usize, day: u32) -> Option<usize> {
        let roles = self.demand.row(cur);
        roles
            .iter()
            .find(|&&(r, _)| {
                day > 0 && self.units(r as usize, day - 1) < self.units(r as usize, day)
            })
            .or(roles.first())
            .map(|&(r, _)| r as usize)
    }
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
        net.run(&dur, &mut Profile::default(), &mut start);
        assert_eq!(start, vec![0, 3, 6]);
        let mut chain = Vec::new();
        net.chain(2, &dur, &start, &mut chain);
        assert_eq!(
            chain,
            vec![
                (2, Some(Link::Precedence)),
                (1, Some(Link::Resource(0))),
                (0, None)
            ]
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
        net.run(&[2], &mut Profile::default(), &mut start);
        assert_eq!(start, vec![4]);
        let mut chain = Vec::new();
        net.chain(0, &[2], &start, &mut chain);
        assert_eq!(chain, vec![(0, Some(Link::Resource(0)))]);
    }
}
