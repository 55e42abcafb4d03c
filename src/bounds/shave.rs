//! Shaving: each task's window narrowed by refuting the hypothesis that it starts early (or
//! finishes late) with the team's other checks.
//!
//! For a task `k` with window `[ES, LF)`, suppose it starts by day `s`. Then it finishes by
//! `s + d_max` (its longest mode), so the windows with `LF_k = min(LF_k, s + d_max)` hold for
//! every schedule where the supposition is true. When the heads and tails of [`super::team`],
//! the energy windows and the fixed-crew windows refute those windows, no schedule that meets
//! the dates starts `k` by `s`: `ES_k` becomes `s + 1`, for every schedule. The mirror: if
//! `k` finishes at `f` or later it starts at `f − d_max` or later; refuted, `LF_k` becomes
//! `f − 1`. Each narrowing is implied by every schedule that meets the dates, so the windows
//! stay a relaxation and the checks on them stay proofs; a window shaved shut (or any check
//! refuting the shaved windows) proves the team cannot meet the dates.
//!
//! On models with role or task calendars it is not asked (the hypotheses count grid days).
//!
//! The checks are monotone in the windows (narrower windows force more work into every energy
//! window and fit fewer modes), so the latest refuted start is found by bisection.
//!
//! # Complexity
//!
//! One round tries each task once per side: `O(n · log W)` checks for `n` tasks and windows of
//! `W` days, each a tightening to a fixed point plus the energy and fixed-crew windows (a few
//! milliseconds on FANZ). Rounds repeat while a window moves, at most [`MAX_ROUNDS`].

use super::capacity::{CapacityBound, SolverFailed, Windows};
use super::energetic;
use super::team::{arithmetic_refutation, Refutation, Tightener};
use std::ops::ControlFlow;

/// Most rounds of shaving (each narrows some window, or stops).
pub const MAX_ROUNDS: usize = 4;

/// Refutation by the cheap checks on windows already tightened: a closed window, an
/// overloaded energy window, an overloaded fixed-crew window.
pub(crate) fn quick_refute(bound: &CapacityBound, w: &Windows) -> Option<Refutation> {
    match arithmetic_refutation(bound, w) {
        ControlFlow::Break(answer) => answer,
        ControlFlow::Continue(()) => energetic::find(bound, w).map(Refutation::FixedCrew),
    }
}

/// Longest mode of `k` (the team's modes), at least its shortest.
fn longest(bound: &CapacityBound, k: usize) -> u32 {
    bound.modes[k]
        .iter()
        .map(|m| m.duration)
        .max()
        .unwrap_or(bound.min_duration[k])
}

/// True when the windows `w` with `edit` applied, tightened, are refuted.
fn refuted_with(
    bound: &CapacityBound,
    t: &Tightener,
    w: &Windows,
    edit: impl FnOnce(&mut Windows),
) -> bool {
    let mut x = w.clone();
    edit(&mut x);
    t.tighten(bound, &mut x);
    quick_refute(bound, &x).is_some()
}

/// The latest `s` in `[lo, hi]` for which `refuted(s)` holds, given it holds at `lo`
/// (monotone: refuted at `s` means refuted below it).
fn last_refuted(lo: u32, hi: u32, mut refuted: impl FnMut(u32) -> bool) -> u32 {
    let (mut good, mut bad) = (lo, hi + 1);
    while bad - good > 1 {
        let mid = good + (bad - good) / 2;
        if refuted(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    good
}

/// Raises `k`'s earliest start past every start the checks refute; true if it moved.
fn shave_head(bound: &CapacityBound, t: &Tightener, w: &mut Windows, k: usize) -> bool {
    let Some(lf) = w.finish[k] else { return false };
    let es = w.start[k];
    let latest_start = lf - i64::from(bound.min_duration[k]);
    if latest_start <= i64::from(es) {
        return false;
    }
    let dmax = i64::from(longest(bound, k));
    let by = |s: u32| {
        let cap = (i64::from(s) + dmax).min(lf);
        refuted_with(bound, t, w, |x| x.finish[k] = Some(cap))
    };
    if !by(es) {
        return false;
    }
    let s = last_refuted(es, latest_start as u32 - 1, by);
    w.start[k] = s + 1;
    true
}

/// Lowers `k`'s latest finish below every finish the checks refute; true if it moved.
fn shave_tail(bound: &CapacityBound, t: &Tightener, w: &mut Windows, k: usize) -> bool {
    let Some(lf) = w.finish[k] else { return false };
    let es = w.start[k];
    let earliest_finish = i64::from(es) + i64::from(bound.min_duration[k]);
    if lf <= earliest_finish || lf < 0 {
        return false;
    }
    let dmax = i64::from(longest(bound, k));
    // "Finishes at `lf − e` or later": starts at `lf − e − d_max` or later.
    let late_by = |e: u32| {
        let from = (lf - i64::from(e) - dmax).max(i64::from(es)) as u32;
        refuted_with(bound, t, w, |x| x.start[k] = from)
    };
    if !late_by(0) {
        return false;
    }
    let span = (lf - earliest_finish - 1) as u32;
    let e = last_refuted(0, span, late_by);
    w.finish[k] = Some(lf - i64::from(e) - 1);
    true
}

/// Shaves every task's window of `w` (already tightened) over up to [`MAX_ROUNDS`] rounds,
/// re-tightening after each move; the refutation when the shaved windows are refuted.
pub fn shave(bound: &CapacityBound, w: &mut Windows) -> Option<Refutation> {
    // "Starts by `s`, so finishes by `s + d_max`" counts grid days as working days: on
    // calendars a task's days can span more of the grid, so shaving is not asked there.
    if bound.on_calendars() {
        return None;
    }
    let t = Tightener::new(bound);
    t.tighten(bound, w);
    if let Some(why) = quick_refute(bound, w) {
        return Some(why);
    }
    if w.finish
        .iter()
        .flatten()
        .any(|&f| f > i64::from(bound.horizon))
    {
        return None;
    }
    let tasks: Vec<usize> = bound
        .order
        .iter()
        .copied()
        .filter(|&k| w.finish[k].is_some() && bound.min_duration[k] > 0)
        .collect();
    for _ in 0..MAX_ROUNDS {
        let mut moved = false;
        for &k in &tasks {
            for side in [shave_head, shave_tail] {
                if side(bound, &t, w, k) {
                    moved = true;
                    t.tighten(bound, w);
                    if let Some(why) = quick_refute(bound, w) {
                        return Some(why);
                    }
                }
            }
        }
        if !moved {
            break;
        }
    }
    None
}

/// Why this team cannot meet `deadlines`: the whole-team check ([`super::team::refute`]),
/// then, when it cannot tell, the same cheap checks on the shaved windows
/// ([`Refutation::Shaved`]); `None` when neither can tell.
pub fn refute(
    bound: &CapacityBound,
    deadlines: &[(usize, u32)],
) -> Result<Option<Refutation>, SolverFailed> {
    if let Some(why) = super::team::refute(bound, deadlines)? {
        return Ok(Some(why));
    }
    let mut w = bound.windows(deadlines);
    Ok(shave(bound, &mut w).map(|why| Refutation::Shaved(Box::new(why))))
}
