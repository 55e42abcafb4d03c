//! Asking the capacity relaxation about deadlines: whether a set of them passes (energy
//! windows first, then each role's LP), the earliest date a milestone passes, and the
//! certificate of a date that does not.

use super::capacity::{CapacityBound, SolverFailed};
use super::certificate::{self, Certificate};
use super::solver::{self, LpOutcome};

impl CapacityBound {
    /// Whether the relaxation has a solution for these deadlines: the precedence windows fit,
    /// no energy window is overloaded, and every role's LP is feasible.
    pub fn feasible(&self, deadlines: &[(usize, u32)]) -> Result<bool, SolverFailed> {
        let w = self.windows(deadlines);
        if self.precedence_conflict(&w).is_some() {
            return Ok(false);
        }
        if w.finish
            .iter()
            .flatten()
            .any(|&f| f > i64::from(self.horizon))
        {
            // Past the horizon the bound has no capacity figures: assume nothing.
            return Ok(true);
        }
        if certificate::find(self, &w).is_some() {
            return Ok(false);
        }
        for r in 0..self.roles.len() {
            match solver::solve(&self.role_lp(&w, r), self.time_limit) {
                LpOutcome::Optimal(_) => {}
                LpOutcome::Infeasible => return Ok(false),
                LpOutcome::Unknown(why) => return Err(SolverFailed(why)),
            }
        }
        Ok(true)
    }

    /// The earliest deadline (working days) at which milestone `m` alone passes the bound,
    /// searching up to `hint` first (a day known to be feasible, such as a schedule's finish).
    /// `Ok(None)`: not within the horizon.
    pub fn earliest(&self, m: usize, hint: Option<u32>) -> Result<Option<u32>, SolverFailed> {
        let node = self.milestone_nodes[m];
        let ok = |d: u32| self.feasible(&[(node, d)]);
        let mut lo = self.early_start[node];
        if ok(lo)? {
            return Ok(Some(lo));
        }
        // `lo` fails; find a passing `hi`, then bisect.
        let mut hi = hint.unwrap_or(lo + 1).max(lo + 1).min(self.horizon);
        while !ok(hi)? {
            if hi >= self.horizon {
                return Ok(None);
            }
            lo = hi;
            hi = (hi.saturating_mul(2)).min(self.horizon);
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if ok(mid)? {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(Some(hi))
    }

    /// The evidence that milestone `m` cannot be reached by working day `deadline`, if the
    /// precedence pass or an energy window shows it (checked by plain arithmetic).
    pub fn certificate(&self, m: usize, deadline: u32) -> Option<Certificate> {
        let node = self.milestone_nodes[m];
        let w = self.windows(&[(node, deadline)]);
        let cert = if self.precedence_conflict(&w).is_some() {
            certificate::critical_path(self, node, deadline)
        } else {
            certificate::find(self, &w).map(|c| Certificate {
                deadline: Some((node, deadline)),
                ..c
            })
        }?;
        cert.recheck(self).then_some(cert)
    }
}
