//! Population-based search for short schedules: an activity-list genetic
//! algorithm with mode genes (Hartmann), justification of every child
//! (Valls et al.), two-point and peak crossover, and an initial population
//! from regret-based biased random sampling on latest finish times; on
//! time-invariant problems two populations and a self-adapting choice of the
//! serial or parallel pass.
//!
//! The search is generic over its schedule generator (`Decoder`): [`search`] runs it with
//! [`Sgs`], and [`super::calendar_search`] with a generator on working calendars.
//!
//! Deterministic for a seed whatever the thread count: each child is built
//! from an RNG seeded by (seed, generation, child index) and children are
//! merged in index order.
//!
//! # Complexity
//!
//! With a budget of `B` schedules, [`search`] evaluates children until `B` SGS passes
//! are used (one to three per child: forward, then justification, or a single pass with two
//! populations; see
//! [`crate::schedule::sgs`]), so its time is `O(B)` SGS passes (serial ones, see
//! [`crate::schedule::sgs`], or parallel ones, `O(n² · R + E)` each, see
//! `parallel_sgs.rs`). Building a child costs, for `n` activities, `E` precedences and `R`
//! resources, `O(n + E)` by two-point crossover and mutation, `O(n log n + n · R + T)` by
//! peak crossover on a makespan of `T` days, and `O(n² + E)` for a sampled member of the
//! first population (regret weights over the eligible set at every step). Each
//! generation sorts and thins its population of `P` in `O(P log P + P² · n)` (each survivor
//! is compared with those kept before it, see "Diversity").
//! Memory is `O(P · n)`. The search stops earlier at the time limit or when its best schedule
//! reaches the lower bound ([`crate::schedule::lower_bound()`]).
//!
//! # Diversity
//!
//! Parents are drawn by tournament on (tardiness, makespan, sum of finishes): the tie-break
//! prefers, among equally good schedules, those whose work ends earlier overall. Survivors
//! are the best distinct schedules, where a schedule of the same rank as one already kept
//! that starts fewer than 30 % of its activities on other days counts as a copy; copies only
//! fill places nothing else can. Both were measured on PSPLIB (BENCH_RCPSP.md).
//!
//! # Two populations
//!
//! When the problem is time-invariant (constant capacity, no release days, only
//! finish-to-start links with non-negative lags) and has no due dates, a schedule can be
//! mirrored and shifted, and the search is Debels & Vanhoucke's bi-population GA: a
//! population of left-justified (forward) schedules and one of right-justified (backward)
//! ones. Two left-justified parents, read by decreasing finish, make a child scheduled by one
//! backward pass into the right-justified population; two right-justified parents, read by
//! increasing start, make a child scheduled by one forward pass into the left-justified one.
//! Each child is thus the second half of a justification of a mix of justified schedules, for
//! one pass instead of three. A right-justified best is scheduled forward once at the end
//! (never longer), so the result's list is one the forward pass regenerates. On PSPLIB this
//! beat justifying every child (BENCH_RCPSP.md); other problems keep that scheme.
//!
//! # Serial and parallel passes
//!
//! In the two-population search every individual carries a gene (Hartmann 2002's
//! self-adapting GA) saying which generation scheme schedules its children: the serial pass
//! ([`crate::schedule::sgs`], active schedules) or the parallel one
//! (`parallel_sgs.rs`, non-delay schedules, which on large, tightly constrained
//! problems hold good schedules more densely). A child takes its mother's gene, flipped with
//! a small chance, so each problem's population drifts to the pass that works for it. Half
//! the first population starts with each gene (their own schedules are serial and
//! justified). A parallel schedule is not what the serial pass makes of its list, so a
//! parallel best is scheduled serially in start order once at the end (kept unless longer,
//! else the best serial schedule found). On PSPLIB at 5,000 schedules this took j60 from
//! 11.01 % to 10.87 % and j120 from 32.51 % to 31.98 % (BENCH_RCPSP.md).
//!
//! # Early stop
//!
//! The search ranks schedules by (total tardiness, makespan). Tardiness is never below 0 and
//! no schedule it can produce is shorter than the lower bound, so a schedule with tardiness 0
//! and makespan equal to the bound is the least in that order: nothing left to find. That is
//! the only stop before the budget (besides time limit and cancellation), with or without due
//! dates. With due dates that cannot all be met the search never stops early, since no bound
//! on tardiness is known. The check runs after each generation is merged, so where it stops
//! depends only on the seed and budget, not on the threads.

use super::compiled::Compiled;
use super::driver::Driver;
use super::lower_bound::{self, BoundKind, LowerBound};
use super::parallel_sgs::{ParallelSgs, Pass};
use super::problem::{Problem, ProblemError, Schedule};
use super::sgs::{ListError, Sgs, UNPLACEABLE};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use thiserror::Error;

/// An activity list with a mode per activity: the search's genotype, and
/// what callers pass back in to warm-start a later search.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Solution {
    /// Activity indices in scheduling order, every predecessor before its successors.
    pub order: Vec<usize>,
    /// Mode index of each activity, indexed by activity.
    pub modes: Vec<usize>,
}

/// How long to search, how, and for what; [`SearchConfig::default`] is 5,000 schedules,
/// seed 1, automatic population, parallel, no due dates.
#[derive(Clone, Debug)]
pub struct SearchConfig {
    /// Budget in generated schedules; every SGS pass, including each
    /// justification pass, counts as one.
    pub schedules: u64,
    /// Optional wall-clock limit; with it the result depends on timing.
    pub time_limit: Option<Duration>,
    /// Seed of every random choice; a seed and budget (without a time limit) give the
    /// same result on any number of threads.
    pub seed: u64,
    /// Individuals kept between generations; `None` sizes it from the number
    /// of activities (wider for small problems, which converge quickly) and
    /// the budget (wider for bigger budgets).
    pub population: Option<usize>,
    /// Build each generation's children on the rayon pool.
    pub parallel: bool,
    /// `(activity, deadline)` pairs. When given, schedules are ranked by total tardiness
    /// (days each activity finishes after its deadline, summed) and then by makespan, so the
    /// search meets due dates first and finishes early second.
    pub due_dates: Vec<(usize, u32)>,
    /// When set, the search stops after the current generation, as at a time limit.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            schedules: crate::run::DEFAULT_SCHEDULES,
            time_limit: None,
            seed: crate::run::DEFAULT_SEED,
            population: None,
            parallel: true,
            due_dates: Vec::new(),
            cancel: None,
        }
    }
}

/// The best schedule found and what the search knows about it.
#[derive(Clone, Debug)]
pub struct SearchResult {
    /// The best schedule: least total tardiness against the due dates, then shortest.
    pub schedule: Schedule,
    /// Its length in days (the latest finish).
    pub makespan: u32,
    /// The best schedule's activities in start order with their modes: the
    /// serial SGS turns it into a schedule no longer than `schedule`, also
    /// after capacity is added (with non-negative lags). Feed it back as a
    /// warm start.
    pub solution: Solution,
    /// The best of the critical-path and energy bounds over the modes the search uses (those
    /// that fit the eventual capacity): no schedule it can find is shorter.
    pub lower_bound: u32,
    /// Schedules actually generated (stops early at the lower bound).
    pub schedules: u64,
    /// The critical-path bound alone, over the same modes (the basis of PSPLIB deviations).
    pub critical_path_bound: u32,
    /// Which argument gives `lower_bound`.
    pub lower_bound_kind: BoundKind,
    /// Why each activity of `schedule` starts when it does, indexed like the activities
    /// ([`super::driver`]). Recorded once, by replaying the forward pass that made the best
    /// schedule on its own list (the same pass, so the same starts), not inside the search.
    pub drivers: Vec<Driver>,
    /// For an energy bound, the resource whose work gives it.
    pub lower_bound_resource: Option<usize>,
    /// The schedule is proven best for the search's objective: no tardiness and a makespan
    /// equal to `lower_bound` (the search stopped there).
    pub optimal: bool,
}

/// Why [`search`] could not start; it never fails once running.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// The problem fails [`Problem::validate`].
    #[error("invalid problem: {0}")]
    Problem(#[from] ProblemError),
    /// A warm-start solution is not a valid list for this problem.
    #[error("warm-start solution {index}: {error}")]
    InitialSolution {
        /// Its position in the `initial` slice.
        index: usize,
        /// What is wrong with it.
        error: ListError,
    },
    /// [`SearchConfig::due_dates`] names an activity index past the end of the problem.
    #[error("due date for activity {activity}, which does not exist")]
    DueDate {
        /// The index that does not exist.
        activity: usize,
    },
}

#[derive(Clone, Debug)]
struct Individual {
    order: Vec<usize>,
    modes: Vec<usize>,
    starts: Vec<u32>,
    makespan: u32,
    /// Total days past the due dates (0 without due dates).
    tardiness: u64,
    passes: u64,
    /// Every activity's finish, summed: among schedules of equal rank, the one whose work
    /// ends earlier overall is preferred as a parent (more room to shorten it). For a
    /// right-justified schedule, finishes are counted backward from the makespan.
    finish_sum: u64,
    /// Which way the schedule is packed, and so which pass `order` regenerates it with.
    side: Side,
    /// Self-adapting gene (Hartmann 2002): this individual's children are scheduled by the
    /// parallel pass ([`super::parallel_sgs`]) rather than the serial one.
    parallel_gene: bool,
    /// The schedule came from the parallel pass, so the serial pass need not regenerate it
    /// from `order`.
    made_parallel: bool,
}

/// Left-justified schedules come from forward passes (`order` lists predecessors first);
/// right-justified ones from backward passes (`order` lists successors first), shifted to
/// start on day 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

impl Individual {
    /// The result of one pass of a serial generator, with no tardiness counted and the
    /// serial gene.
    fn one_pass(
        (order, modes): (Vec<usize>, Vec<usize>),
        starts: Vec<u32>,
        makespan: u32,
        finish_sum: u64,
        side: Side,
    ) -> Self {
        Individual {
            order,
            modes,
            starts,
            makespan,
            tardiness: 0,
            passes: 1,
            finish_sum,
            side,
            parallel_gene: false,
            made_parallel: false,
        }
    }

    /// What the search minimises: tardiness first, then makespan.
    fn rank(&self) -> (u64, u32) {
        (self.tardiness, self.makespan)
    }

    /// The rank with the finish sum breaking ties: how parents and survivors are chosen.
    fn fitness(&self) -> (u64, u32, u64) {
        (self.tardiness, self.makespan, self.finish_sum)
    }
}

/// What the search needs of a schedule generator: the plain generator of the same problem
/// (whose compiled form the list operators read), a forward pass, justification and each
/// activity's finish. [`Sgs`] is one; [`super::calendars`] decodes lists on working calendars
/// with the same search.
pub(crate) trait Decoder: Clone + Send + Sync {
    /// The plain generator of the problem: its compiled form, list checks and sorts.
    fn plain(&self) -> &Sgs;
    /// A forward pass on a valid list, writing `starts`; returns the latest finish.
    fn forward(&mut self, order: &[usize], modes: &[usize], starts: &mut [u32]) -> u32;
    /// Forward-backward improvement of the schedule `order` made (see [`Sgs::justify`]).
    fn justify(
        &mut self,
        order: &mut Vec<usize>,
        modes: &[usize],
        starts: &mut [u32],
        makespan: u32,
    ) -> (u32, u64);
    /// The finish of activity `j` in `mode` started at `start`.
    fn finish(&self, j: usize, mode: usize, start: u32) -> u32;
    /// [`Decoder::forward`] with the driver of every activity.
    fn forward_recorded(
        &mut self,
        order: &[usize],
        modes: &[usize],
        starts: &mut [u32],
    ) -> (u32, Vec<Driver>);
    /// The activities by start (list position breaking ties), precedence feasible.
    fn start_order(&mut self, order: &[usize], starts: &[u32]) -> Vec<usize>;
    /// Whether every schedule's start order is precedence feasible (peak crossover needs it).
    fn start_order_is_feasible(&self) -> bool;
    /// The plain generator itself when this decoder is it: the two-population search runs
    /// its backward passes, which only the plain generator has.
    fn as_plain_mut(&mut self) -> Option<&mut Sgs> {
        None
    }
}

impl Decoder for Sgs {
    fn plain(&self) -> &Sgs {
        self
    }

    fn forward(&mut self, order: &[usize], modes: &[usize], starts: &mut [u32]) -> u32 {
        self.forward_unchecked(order, modes, starts)
    }

    fn justify(
        &mut self,
        order: &mut Vec<usize>,
        modes: &[usize],
        starts: &mut [u32],
        makespan: u32,
    ) -> (u32, u64) {
        Sgs::justify(self, order, modes, starts, makespan)
    }

    fn finish(&self, j: usize, mode: usize, start: u32) -> u32 {
        start + self.c.mode(j, mode).duration
    }

    fn forward_recorded(
        &mut self,
        order: &[usize],
        modes: &[usize],
        starts: &mut [u32],
    ) -> (u32, Vec<Driver>) {
        Sgs::forward_recorded(self, order, modes, starts)
    }

    fn start_order(&mut self, order: &[usize], starts: &[u32]) -> Vec<usize> {
        Sgs::start_order(self, order, starts)
    }

    fn start_order_is_feasible(&self) -> bool {
        self.c.nonneg_lags
    }

    fn as_plain_mut(&mut self) -> Option<&mut Sgs> {
        Some(self)
    }
}

/// Schedules one list with justification; the individual keeps the list
/// that regenerates its (justified) schedule.
fn evaluate<D: Decoder>(
    sgs: &mut D,
    mut order: Vec<usize>,
    modes: Vec<usize>,
    due_dates: &[(usize, u32)],
) -> Individual {
    let mut starts = vec![0; order.len()];
    let makespan = sgs.forward(&order, &modes, &mut starts);
    // Justification only guards the makespan; with due dates keep the
    // forward schedule when justifying would make it later on them.
    let forward = (!due_dates.is_empty()).then(|| {
        let tardy = tardiness(sgs, &starts, &modes, makespan, due_dates);
        (order.clone(), starts.clone(), makespan, tardy)
    });
    let (mut makespan, passes) = sgs.justify(&mut order, &modes, &mut starts, makespan);
    let mut tardiness = tardiness(sgs, &starts, &modes, makespan, due_dates);
    if let Some((forward_order, forward_starts, forward_makespan, forward_tardy)) = forward {
        if (forward_tardy, forward_makespan) < (tardiness, makespan) {
            (order, starts, makespan, tardiness) = (
                forward_order,
                forward_starts,
                forward_makespan,
                forward_tardy,
            );
        }
    }
    let finish_sum = finish_sum(sgs, &starts, &modes);
    Individual {
        order,
        modes,
        starts,
        makespan,
        tardiness,
        passes: 1 + passes,
        finish_sum,
        side: Side::Left,
        parallel_gene: false,
        made_parallel: false,
    }
}

/// One forward pass, no justification.
fn forward_individual(sgs: &mut Sgs, order: Vec<usize>, modes: Vec<usize>) -> Individual {
    let mut starts = vec![0; order.len()];
    let makespan = sgs.forward_unchecked(&order, &modes, &mut starts);
    let finish_sum = finish_sum(sgs, &starts, &modes);
    Individual::one_pass((order, modes), starts, makespan, finish_sum, Side::Left)
}

/// One backward pass (a list with successors first) of a time-invariant problem, the
/// schedule shifted to start on day 0; its finish sum counts backward from the makespan.
fn backward_individual(
    sgs: &mut Sgs,
    order: Vec<usize>,
    modes: Vec<usize>,
    horizon: u32,
) -> Individual {
    let mut starts = vec![0; order.len()];
    let makespan = sgs.backward_shifted(&order, &modes, horizon, &mut starts);
    let finish_sum = if makespan == UNPLACEABLE {
        0
    } else {
        starts.iter().map(|&s| u64::from(makespan - s)).sum()
    };
    Individual::one_pass((order, modes), starts, makespan, finish_sum, Side::Right)
}

/// One parallel pass ([`super::parallel_sgs`]) of a time-invariant problem: forward for a
/// list with predecessors first, backward (shifted to start on day 0) for one with
/// successors first.
fn parallel_individual(
    c: &Compiled,
    order: Vec<usize>,
    modes: Vec<usize>,
    pass: Pass,
) -> Individual {
    let mut starts = vec![0; order.len()];
    let makespan = ParallelSgs::default().run(c, &order, &modes, pass, &mut starts);
    let side = match pass {
        Pass::Forward => Side::Left,
        Pass::Backward => Side::Right,
    };
    let finish_sum = if makespan == UNPLACEABLE {
        0
    } else {
        (0..order.len())
            .map(|j| {
                let finish = starts[j] + c.mode(j, modes[j]).duration;
                u64::from(match side {
                    Side::Left => finish,
                    Side::Right => makespan - starts[j],
                })
            })
            .sum()
    };
    Individual {
        parallel_gene: true,
        made_parallel: true,
        ..Individual::one_pass((order, modes), starts, makespan, finish_sum, side)
    }
}

fn finish_sum<D: Decoder>(sgs: &D, starts: &[u32], modes: &[usize]) -> u64 {
    starts
        .iter()
        .zip(modes)
        .enumerate()
        .map(|(j, (&start, &mode))| u64::from(sgs.finish(j, mode, start)))
        .sum()
}

/// Days past the due dates, summed (0 for an unplaceable schedule).
fn tardiness<D: Decoder>(
    sgs: &D,
    starts: &[u32],
    modes: &[usize],
    makespan: u32,
    due_dates: &[(usize, u32)],
) -> u64 {
    if makespan == UNPLACEABLE {
        return 0;
    }
    due_dates
        .iter()
        .map(|&(j, due)| {
            let finish = sgs.finish(j, modes[j], starts[j]);
            u64::from(finish.saturating_sub(due))
        })
        .sum()
}

/// Most passes one evaluation can use (forward + backward + forward).
const PASSES_PER_CHILD: u64 = 3;

/// Runs the search; `initial` solutions join the first population. They
/// are always evaluated (up to 3 schedules each, even past the budget), so
/// the result is never worse than the schedules their lists generate.
pub fn search(
    problem: &Problem,
    config: &SearchConfig,
    initial: &[Solution],
) -> Result<SearchResult, SearchError> {
    let sgs = Sgs::new(problem)?;
    let bound = lower_bound::compute(problem, &sgs.c);
    search_with(sgs, bound, config, initial)
}

/// [`search`] decoding lists with `decoder`, stopping early at `bound`.
pub(crate) fn search_with<D: Decoder>(
    decoder: D,
    bound: LowerBound,
    config: &SearchConfig,
    initial: &[Solution],
) -> Result<SearchResult, SearchError> {
    for (index, s) in initial.iter().enumerate() {
        decoder
            .plain()
            .validate_list(&s.order, &s.modes)
            .map_err(|error| SearchError::InitialSolution { index, error })?;
    }
    let n = decoder.plain().c.n;
    if let Some(&(activity, _)) = config.due_dates.iter().find(|&&(j, _)| j >= n) {
        return Err(SearchError::DueDate { activity });
    }
    Ok(Search::new(decoder, config, bound).run(initial))
}

struct Search<'a, D: Decoder> {
    sgs: D,
    population: usize,
    config: &'a SearchConfig,
    bound: LowerBound,
    /// Latest finish per activity from the critical path: the sampling priority.
    latest_finish: Vec<i64>,
    used: u64,
    started: Instant,
    best: Option<Individual>,
    /// The best left-justified individual the serial forward pass regenerates from its list
    /// (the fallback of a parallel best).
    best_serial: Option<Individual>,
    /// For a time-invariant problem without due dates: the horizon of the backward passes,
    /// and the search keeps a left- and a right-justified population (see "Two populations").
    backward_horizon: Option<u32>,
}

impl<'a, D: Decoder> Search<'a, D> {
    fn new(mut sgs: D, config: &'a SearchConfig, bound: LowerBound) -> Self {
        let latest_finish = latest_finish(&sgs.plain().c);
        let backward_horizon = sgs
            .as_plain_mut()
            .filter(|plain| config.due_dates.is_empty() && plain.c.is_time_invariant())
            .map(|plain| plain.c.serial_horizon());
        let population = config
            .population
            .unwrap_or_else(|| automatic_population(sgs.plain().c.n, config.schedules))
            .max(2);
        Search {
            backward_horizon,
            population,
            sgs,
            config,
            bound,
            latest_finish,
            used: 0,
            started: Instant::now(),
            best: None,
            best_serial: None,
        }
    }

    fn run(mut self, initial: &[Solution]) -> SearchResult {
        if self.backward_horizon.is_some() {
            return self.run_two_populations(initial);
        }
        let mut population = self.initial_population(initial);
        let mut generation = 0u64;
        while !self.should_stop() && !population.is_empty() {
            generation += 1;
            let children = self.children(&population, generation);
            if children.is_empty() {
                break;
            }
            self.absorb(&children);
            population = survivors(population, children, self.population);
        }
        self.into_result()
    }

    /// The two-population search (Debels & Vanhoucke's bi-population GA): children of two
    /// left-justified parents are scheduled backward (by decreasing parent finish) into the
    /// right-justified population, children of two right-justified parents forward (by
    /// increasing parent start) into the left-justified one. Each child is one pass, and each
    /// is in effect the second half of a justification of a mix of justified schedules.
    fn run_two_populations(mut self, initial: &[Solution]) -> SearchResult {
        let mut left = self.initial_population(initial);
        let mut right: Vec<Individual> = Vec::new();
        let mut generation = 0u64;
        // One pass is kept for scheduling a right-justified best forward at the end.
        while self.remaining() > 1
            && !self.is_done_besides_budget()
            && !(left.is_empty() && right.is_empty())
        {
            generation += 1;
            let count = self.population.min((self.remaining() - 1) as usize);
            let children = self.two_population_children(&left, &right, generation, count);
            if children.is_empty() {
                break;
            }
            self.absorb(&children);
            let (to_left, to_right): (Vec<Individual>, Vec<Individual>) =
                children.into_iter().partition(|c| c.side == Side::Left);
            left = survivors(left, to_left, self.population);
            right = survivors(right, to_right, self.population);
        }
        self.left_justify_best();
        self.into_result()
    }

    /// Reached the lower bound, the time limit or the cancel flag.
    fn is_done_besides_budget(&self) -> bool {
        self.best.as_ref().is_some_and(|b| self.reaches_bound(b))
            || self
                .config
                .time_limit
                .is_some_and(|limit| self.started.elapsed() >= limit)
            || self
                .config
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    fn two_population_children(
        &self,
        left: &[Individual],
        right: &[Individual],
        generation: u64,
        count: usize,
    ) -> Vec<Individual> {
        let seed = self.config.seed;
        let horizon = self.backward_horizon.unwrap_or(u32::MAX / 2);
        self.generate(count, |sgs, index, _| {
            let sgs = sgs
                .as_plain_mut()
                .expect("two populations run only on the plain generator (Search::new)");
            let mut rng = child_rng(seed, generation, index);
            let from_left = right.is_empty() || (!left.is_empty() && index % 2 == 0);
            let pool = if from_left { left } else { right };
            let mother = tournament(pool, &mut rng);
            let father = tournament(pool, &mut rng);
            let (m, f) = (Flipped::of(&sgs.c, mother), Flipped::of(&sgs.c, father));
            let use_parallel = child_parallel_gene(mother, &mut rng);
            let (mother, father) = (m.parent(mother), f.parent(father));
            let (mut order, mut modes) = if rng.random_bool(tuned::PEAK_CROSSOVER) {
                peak_crossover(&sgs.c, &mother, &father, &mut rng)
            } else {
                crossover(&sgs.c, &mother, &father, &mut rng)
            };
            mutate(&sgs.c, &mut order, &mut modes, from_left, &mut rng);
            let mut child = match (use_parallel, from_left) {
                (true, true) => parallel_individual(&sgs.c, order, modes, Pass::Backward),
                (true, false) => parallel_individual(&sgs.c, order, modes, Pass::Forward),
                (false, true) => backward_individual(sgs, order, modes, horizon),
                (false, false) => forward_individual(sgs, order, modes),
            };
            child.parallel_gene = use_parallel;
            child
        })
    }

    /// A right-justified best is scheduled forward in start order (one pass, never longer),
    /// so the result is a list the forward pass regenerates.
    fn left_justify_best(&mut self) {
        let Some(best) = self.best.take() else {
            return;
        };
        if best.side == Side::Left && !best.made_parallel {
            self.best = Some(best);
            return;
        }
        let sgs = self
            .sgs
            .as_plain_mut()
            .expect("two populations run only on the plain generator (Search::new)");
        let order = match best.side {
            Side::Left => sgs.start_order(&best.order, &best.starts),
            Side::Right => Flipped::of(&sgs.c, &best).order,
        };
        let left = forward_individual(sgs, order, best.modes.clone());
        self.used += left.passes;
        self.best = Some(if left.rank() <= best.rank() {
            left
        } else if best.made_parallel {
            // The serial pass does not regenerate a parallel schedule: the best of what it does.
            match self.best_serial.take() {
                Some(serial) if serial.rank() < left.rank() => serial,
                _ => left,
            }
        } else {
            best
        });
    }

    fn remaining(&self) -> u64 {
        self.config.schedules.saturating_sub(self.used)
    }

    fn should_stop(&self) -> bool {
        self.remaining() < PASSES_PER_CHILD || self.is_done_besides_budget()
    }

    /// Whether `ind` is least in the search's order (see "Early stop" in the module).
    fn reaches_bound(&self, ind: &Individual) -> bool {
        ind.tardiness == 0 && ind.makespan <= self.bound.value
    }

    /// Counts the passes and remembers the best individual (first wins ties).
    fn absorb(&mut self, individuals: &[Individual]) {
        for ind in individuals {
            self.used += ind.passes;
            let improves = match &self.best {
                Some(b) => ind.rank() < b.rank(),
                None => true,
            };
            if ind.makespan != UNPLACEABLE && improves {
                self.best = Some(ind.clone());
            }
            let improves_serial = match &self.best_serial {
                Some(b) => ind.rank() < b.rank(),
                None => true,
            };
            let regenerable = ind.side == Side::Left && !ind.made_parallel;
            if ind.makespan != UNPLACEABLE && regenerable && improves_serial {
                self.best_serial = Some(ind.clone());
            }
        }
    }

    fn initial_population(&mut self, initial: &[Solution]) -> Vec<Individual> {
        let warm: Vec<Individual> = initial
            .iter()
            .map(|s| {
                let due = &self.config.due_dates;
                evaluate(&mut self.sgs, s.order.clone(), s.modes.clone(), due)
            })
            .collect();
        self.absorb(&warm);
        let wanted = self.population.saturating_sub(warm.len());
        let affordable = (self.remaining() / PASSES_PER_CHILD) as usize;
        let count = wanted.min(affordable);
        let seed = self.config.seed;
        let two_populations = self.backward_horizon.is_some();
        let due = &self.config.due_dates;
        let sampled = self.generate(count, |sgs, index, latest_finish| {
            let mut rng = child_rng(seed, 0, index);
            let c = &sgs.plain().c;
            let order = regret_biased_list(c, latest_finish, &mut rng);
            let modes = random_modes(c, &mut rng);
            let mut ind = evaluate(sgs, order, modes, due);
            ind.parallel_gene = two_populations && initial_parallel_gene(&mut rng);
            ind
        });
        self.absorb(&sampled);
        survivors(warm, sampled, self.population)
    }

    fn children(&self, population: &[Individual], generation: u64) -> Vec<Individual> {
        let count = self
            .population
            .min((self.remaining() / PASSES_PER_CHILD) as usize);
        let seed = self.config.seed;
        let due = &self.config.due_dates;
        self.generate(count, |sgs, index, _| {
            let mut rng = child_rng(seed, generation, index);
            let mother = tournament(population, &mut rng);
            let father = tournament(population, &mut rng);
            let use_peak = sgs.start_order_is_feasible() && rng.random_bool(tuned::PEAK_CROSSOVER);
            let c = &sgs.plain().c;
            let (mother, father) = (Parent::of(mother), Parent::of(father));
            let (mut order, mut modes) = if use_peak {
                peak_crossover(c, &mother, &father, &mut rng)
            } else {
                crossover(c, &mother, &father, &mut rng)
            };
            mutate(c, &mut order, &mut modes, false, &mut rng);
            evaluate(sgs, order, modes, due)
        })
    }

    /// Builds `count` individuals, in parallel if configured; results are in
    /// index order either way, and each depends only on its index.
    fn generate<F>(&self, count: usize, make: F) -> Vec<Individual>
    where
        F: Fn(&mut D, u64, &[i64]) -> Individual + Sync,
    {
        let latest_finish = &self.latest_finish;
        if self.config.parallel {
            (0..count)
                .into_par_iter()
                .map_init(
                    || self.sgs.clone(),
                    |sgs, i| make(sgs, i as u64, latest_finish),
                )
                .collect()
        } else {
            let mut sgs = self.sgs.clone();
            (0..count)
                .map(|i| make(&mut sgs, i as u64, latest_finish))
                .collect()
        }
    }

    fn into_result(mut self) -> SearchResult {
        let best = match self.best.take() {
            Some(best) => best,
            // Budget too small to sample: one plain pass on a feasible list.
            None => {
                let c = &self.sgs.plain().c;
                let order = c.topo.clone();
                let modes: Vec<usize> = c
                    .usable_modes
                    .iter()
                    .map(|m| m.first().copied().unwrap_or(0))
                    .collect();
                let mut starts = vec![0; order.len()];
                let makespan = self.sgs.forward(&order, &modes, &mut starts);
                self.used += 1;
                let tardiness =
                    tardiness(&self.sgs, &starts, &modes, makespan, &self.config.due_dates);
                Individual {
                    order,
                    modes,
                    starts,
                    makespan,
                    tardiness,
                    passes: 1,
                    finish_sum: 0,
                    side: Side::Left,
                    parallel_gene: false,
                    made_parallel: false,
                }
            }
        };
        let mut replayed = vec![0; best.starts.len()];
        let (_, drivers) = self
            .sgs
            .forward_recorded(&best.order, &best.modes, &mut replayed);
        debug_assert_eq!(replayed, best.starts, "the replay makes the same schedule");
        let order = self.sgs.start_order(&best.order, &best.starts);
        let optimal = self.reaches_bound(&best);
        SearchResult {
            schedule: Schedule {
                starts: best.starts,
                modes: best.modes.clone(),
            },
            makespan: best.makespan,
            solution: Solution {
                order,
                modes: best.modes,
            },
            lower_bound: self.bound.value,
            schedules: self.used,
            critical_path_bound: self.bound.critical_path,
            lower_bound_kind: self.bound.kind,
            drivers,
            lower_bound_resource: self.bound.resource,
            optimal,
        }
    }
}

/// Tuned on PSPLIB: at 5,000 schedules j30 gains from a wide population
/// (~120), j120 from more generations (~60); bigger budgets want wider
/// populations (j30 at 50,000: 0.04 % with 120, 0.005 % with 380), smaller
/// ones narrower, roughly with the square root of the budget.
fn automatic_population(activities: usize, schedules: u64) -> usize {
    /// Beyond this a budget is "unbounded" (e.g. a time-limited run).
    const SIZING_BUDGET_CAP: u64 = 1_000_000;
    let budget_scale = (schedules.min(SIZING_BUDGET_CAP) as f64 / 5000.0).sqrt();
    let scaled = 680.0 / (activities.max(1) as f64).sqrt() * budget_scale;
    (scaled.round() as usize).clamp(10, 1000)
}

/// Child RNG from (seed, generation, index) through SplitMix-style mixing,
/// so streams of neighbouring children are unrelated.
fn child_rng(seed: u64, generation: u64, index: u64) -> Xoshiro256PlusPlus {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15;
    for part in [generation, index] {
        x = mix(x ^ mix(part.wrapping_add(0x632B_E59B_D9B4_E019)));
    }
    Xoshiro256PlusPlus::seed_from_u64(x)
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whether `b` ranks the same as `a` and starts at most [`tuned::NEAR_COPY`] of its
/// activities on another day: keeping such pairs crowds the population with one schedule.
fn is_near_copy(a: &Individual, b: &Individual) -> bool {
    if a.rank() != b.rank() {
        return false;
    }
    let limit = (a.starts.len() as f64 * tuned::NEAR_COPY) as usize;
    let mut differing = 0;
    for (x, y) in a.starts.iter().zip(&b.starts) {
        differing += usize::from(x != y);
        if differing > limit {
            return false;
        }
    }
    true
}

/// Keeps the best `size` distinct schedules of both groups, near copies (see
/// [`is_near_copy`]) counted as one; ties keep the earlier one, so the outcome depends
/// only on the input order.
fn survivors(
    mut population: Vec<Individual>,
    children: Vec<Individual>,
    size: usize,
) -> Vec<Individual> {
    population.extend(children);
    population.retain(|ind| ind.makespan != UNPLACEABLE);
    population.sort_by_key(Individual::fitness);
    // Chosen by position, the schedules seen borrowed rather than copied: on a large problem
    // a copy of every kept schedule's starts and modes was as big as the population itself.
    let mut kept: Vec<usize> = Vec::with_capacity(size);
    let mut duplicates = Vec::new();
    let mut seen = HashSet::new();
    for (i, ind) in population.iter().enumerate() {
        let close = kept.iter().any(|&k| is_near_copy(&population[k], ind));
        if !close && seen.insert((&ind.starts[..], &ind.modes[..])) {
            kept.push(i);
        } else {
            duplicates.push(i);
        }
        if kept.len() == size {
            break;
        }
    }
    drop(seen);
    // Too few distinct schedules: pad with copies rather than shrink.
    let padding = size.saturating_sub(kept.len());
    kept.extend(duplicates.into_iter().take(padding));
    let mut population: Vec<Option<Individual>> = population.into_iter().map(Some).collect();
    kept.into_iter()
        .filter_map(|i| population[i].take())
        .collect()
}

fn tournament<'p>(population: &'p [Individual], rng: &mut impl Rng) -> &'p Individual {
    let a = &population[rng.random_range(0..population.len())];
    let b = &population[rng.random_range(0..population.len())];
    if b.rank() < a.rank() {
        b
    } else {
        a
    }
}

/// Latest finish of every activity relative to the critical-path length
/// (shortest usable modes): `-tail`, where tail is the longest path from
/// the activity's finish to the end of the project.
fn latest_finish(c: &Compiled) -> Vec<i64> {
    let mut tail = vec![0i64; c.n];
    for &j in c.topo.iter().rev() {
        tail[j] = c
            .succs
            .row(j)
            .iter()
            .map(|&(s, lag)| {
                let s = s as usize;
                i64::from(lag) + i64::from(c.shortest_usable_duration(s)) + tail[s]
            })
            .fold(0, i64::max);
    }
    tail.into_iter().map(|t| -t).collect()
}

/// Regret-based biased random sampling: among eligible activities, pick
/// `j` with probability proportional to `1 + max(LFT) - LFT(j)`.
///
/// Each pick costs O(log n) (see [`Eligible`]) instead of a pass over the eligible set, which
/// in a wide program of 100,000 tasks holds thousands; the lists are the same as those of the
/// plain scan (`regret_biased_list_by_scan` in the tests) for the same random numbers.
fn regret_biased_list(c: &Compiled, latest_finish: &[i64], rng: &mut impl Rng) -> Vec<usize> {
    let mut missing: Vec<usize> = (0..c.n).map(|j| c.preds.row(j).len()).collect();
    let mut eligible = Eligible::new(c.n);
    for j in (0..c.n).filter(|&j| missing[j] == 0) {
        eligible.push(j, latest_finish[j]);
    }
    let mut order = Vec::with_capacity(c.n);
    while let Some(total) = eligible.total_weight() {
        let x = rng.random::<f64>() * total as f64;
        let j = eligible.swap_remove(eligible.position_at(x));
        order.push(j);
        for &(s, _) in c.succs.row(j) {
            let s = s as usize;
            missing[s] -= 1;
            if missing[s] == 0 {
                eligible.push(s, latest_finish[s]);
            }
        }
    }
    order
}

/// The eligible activities in pick order, with what weighted picking needs in O(log n): a
/// Fenwick tree over positions of (count, latest finish) and the latest finishes present.
///
/// Position `p` weighs `worst + 1 - lft(p)`, so the weight up to a position is
/// `count * (worst + 1) - sum of lft`: both sums are kept per position, `worst` apart. All
/// weights are whole numbers, so sums in f64 and in i64 agree exactly (below 2^53), and the
/// position found is the one the scan's running subtraction finds.
struct Eligible {
    items: Vec<usize>,
    lft: Vec<i64>,
    tree_count: Vec<i64>,
    tree_lft: Vec<i64>,
    /// How many eligible activities have each latest finish.
    finishes: std::collections::BTreeMap<i64, usize>,
    sum_lft: i64,
}

impl Eligible {
    fn new(capacity: usize) -> Self {
        Eligible {
            items: Vec::with_capacity(capacity),
            lft: Vec::with_capacity(capacity),
            tree_count: vec![0; capacity + 1],
            tree_lft: vec![0; capacity + 1],
            finishes: std::collections::BTreeMap::new(),
            sum_lft: 0,
        }
    }

    /// Adds `delta` (count and latest finish) at 0-based position `p`.
    fn add(&mut self, p: usize, count: i64, lft: i64) {
        let mut i = p + 1;
        while i < self.tree_count.len() {
            self.tree_count[i] += count;
            self.tree_lft[i] += lft;
            i += i & i.wrapping_neg();
        }
    }

    fn push(&mut self, j: usize, lft: i64) {
        let p = self.items.len();
        self.items.push(j);
        self.lft.push(lft);
        self.add(p, 1, lft);
        *self.finishes.entry(lft).or_insert(0) += 1;
        self.sum_lft += lft;
    }

    /// The largest latest finish among the eligible (the scan's `worst`).
    fn worst(&self) -> i64 {
        self.finishes.last_key_value().map_or(0, |(&w, _)| w)
    }

    /// The sum of all weights, or `None` when nothing is eligible.
    fn total_weight(&self) -> Option<i64> {
        let n = self.items.len() as i64;
        (n > 0).then(|| n * (self.worst() + 1) - self.sum_lft)
    }

    /// The first position whose running weight exceeds `x` (the last one if none does).
    fn position_at(&self, x: f64) -> usize {
        let step_weight = self.worst() + 1;
        let size = self.tree_count.len() - 1;
        let (mut pos, mut count, mut lft) = (0, 0i64, 0i64);
        let mut step = if size == 0 { 0 } else { 1 << size.ilog2() };
        while step > 0 {
            let next = pos + step;
            if next <= size {
                let (c, l) = (count + self.tree_count[next], lft + self.tree_lft[next]);
                if ((c * step_weight - l) as f64) <= x {
                    (pos, count, lft) = (next, c, l);
                }
            }
            step >>= 1;
        }
        pos.min(self.items.len() - 1)
    }

    /// Removes position `p` as `Vec::swap_remove` does (the last item moves into it).
    fn swap_remove(&mut self, p: usize) -> usize {
        let last = self.items.len() - 1;
        let (j, lft) = (self.items[p], self.lft[p]);
        self.add(last, -1, -self.lft[last]);
        if p != last {
            self.add(p, 0, self.lft[last] - lft);
        }
        self.items.swap_remove(p);
        self.lft.swap_remove(p);
        if let Some(n) = self.finishes.get_mut(&lft) {
            *n -= 1;
            if *n == 0 {
                self.finishes.remove(&lft);
            }
        }
        self.sum_lft -= lft;
        j
    }
}

fn random_modes(c: &Compiled, rng: &mut impl Rng) -> Vec<usize> {
    c.usable_modes
        .iter()
        .map(|ms| ms[rng.random_range(0..ms.len())])
        .collect()
}

/// A parent as a child's pass reads it: its list in that pass's direction (predecessors
/// first for a forward pass, successors first for a backward one), its modes, and the day
/// each activity starts counted in the same direction.
struct Parent<'a> {
    order: &'a [usize],
    modes: &'a [usize],
    starts: &'a [u32],
    makespan: u32,
}

impl<'a> Parent<'a> {
    /// The individual as read by the pass that made it.
    fn of(ind: &'a Individual) -> Self {
        Parent {
            order: &ind.order,
            modes: &ind.modes,
            starts: &ind.starts,
            makespan: ind.makespan,
        }
    }
}

/// An individual's list and starts as the opposite pass reads them: a left-justified
/// schedule by decreasing finish (for a backward pass), a right-justified one by increasing
/// start (for a forward pass); among equal days the later in its own list first, as
/// justification orders them.
struct Flipped {
    order: Vec<usize>,
    starts: Vec<u32>,
}

impl Flipped {
    fn of(c: &Compiled, ind: &Individual) -> Self {
        let n = ind.order.len();
        let mut keys = vec![0u64; n];
        let mut starts = vec![0u32; n];
        for (pos, &j) in ind.order.iter().enumerate() {
            let finish = ind.starts[j] + c.mode(j, ind.modes[j]).duration;
            let day = match ind.side {
                Side::Left => ind.makespan - finish,
                Side::Right => ind.starts[j],
            };
            starts[j] = day;
            keys[j] = (u64::from(day) << 32) | u64::from(u32::MAX - pos as u32);
        }
        let mut order = ind.order.clone();
        order.sort_unstable_by_key(|&j| keys[j]);
        Flipped { order, starts }
    }

    fn parent<'a>(&'a self, ind: &'a Individual) -> Parent<'a> {
        Parent {
            order: &self.order,
            modes: &ind.modes,
            starts: &self.starts,
            makespan: ind.makespan,
        }
    }
}

/// Two-point crossover (Hartmann): the mother's list up to `q1`, then the
/// father's order of what is left up to `q2`, then the mother's order of
/// the rest. Each activity takes its mode from the parent it came from.
/// Any mix of this shape keeps precedence feasibility (in either direction).
fn crossover(
    c: &Compiled,
    mother: &Parent,
    father: &Parent,
    rng: &mut impl Rng,
) -> (Vec<usize>, Vec<usize>) {
    let n = c.n;
    let mut q1 = rng.random_range(0..=n);
    let mut q2 = rng.random_range(0..=n);
    if q1 > q2 {
        std::mem::swap(&mut q1, &mut q2);
    }
    let mut taken = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut modes = vec![0; n];
    let mut take = |j: usize, from: &Parent, order: &mut Vec<usize>| {
        if !taken[j] {
            taken[j] = true;
            order.push(j);
            modes[j] = from.modes[j];
        }
    };
    for &j in &mother.order[..q1] {
        take(j, mother, &mut order);
    }
    for &j in father.order {
        if order.len() >= q2 {
            break;
        }
        take(j, father, &mut order);
    }
    for &j in mother.order {
        take(j, mother, &mut order);
    }
    (order, modes)
}

/// Peak crossover (after Valls et al. 2008): the child keeps the activities
/// the mother runs in her most heavily loaded time window, in her order, and
/// arranges the rest as the father does: first those the mother starts
/// before the window, then those she starts after it. Requires
/// non-negative lags, under which start order is precedence feasible.
fn peak_crossover(
    c: &Compiled,
    mother: &Parent,
    father: &Parent,
    rng: &mut impl Rng,
) -> (Vec<usize>, Vec<usize>) {
    let (from, to) = peak_window(c, mother, rng);
    let starts = mother.starts;
    let mut peak: Vec<usize> = mother
        .order
        .iter()
        .copied()
        .filter(|&j| (from..to).contains(&starts[j]))
        .collect();
    // Mother's list regenerates her schedule, so sorting by start keeps it feasible.
    peak.sort_by_key(|&j| starts[j]);
    let mut order = Vec::with_capacity(c.n);
    let mut modes = father.modes.to_vec();
    order.extend(father.order.iter().copied().filter(|&j| starts[j] < from));
    for &j in &peak {
        order.push(j);
        modes[j] = mother.modes[j];
    }
    order.extend(father.order.iter().copied().filter(|&j| starts[j] >= to));
    (order, modes)
}

/// `[from, to)` of random length maximising the mother's summed
/// utilisation (demand relative to capacity, over all resources).
fn peak_window(c: &Compiled, mother: &Parent, rng: &mut impl Rng) -> (u32, u32) {
    let makespan = mother.makespan as usize;
    if makespan == 0 {
        return (0, 1);
    }
    let mut delta = vec![0f64; makespan + 1];
    for j in 0..c.n {
        let mode = c.mode(j, mother.modes[j]);
        let load: f64 = mode
            .demand
            .iter()
            .map(|&(k, q)| f64::from(q) / f64::from(c.final_capacity(k as usize).max(1)))
            .sum();
        let s = mother.starts[j] as usize;
        delta[s.min(makespan)] += load;
        delta[(s + mode.duration as usize).min(makespan)] -= load;
    }
    // window_sum[t] = total utilisation of days before t.
    let mut window_sum = vec![0f64; makespan + 1];
    let mut running = 0.0;
    for t in 0..makespan {
        running += delta[t];
        window_sum[t + 1] = window_sum[t] + running;
    }
    let share = rng.random_range(tuned::PEAK_WINDOW);
    let length = ((makespan as f64) * share).round().max(1.0) as usize;
    let length = length.min(makespan.max(1));
    let best_start = (0..=makespan.saturating_sub(length))
        .max_by(|&a, &b| {
            let wa = window_sum[a + length] - window_sum[a];
            let wb = window_sum[b + length] - window_sum[b];
            wa.total_cmp(&wb).then(b.cmp(&a))
        })
        .unwrap_or(0);
    (best_start as u32, (best_start + length) as u32)
}

/// A sampled individual's pass gene (see "Serial and parallel passes" in the module): the
/// parallel pass with [`tuned::PARALLEL_INITIAL`].
fn initial_parallel_gene(rng: &mut impl Rng) -> bool {
    rng.random_bool(tuned::PARALLEL_INITIAL)
}

/// A child's pass gene, and so its pass: the mother's, flipped with [`tuned::PARALLEL_FLIP`].
fn child_parallel_gene(mother: &Individual, rng: &mut impl Rng) -> bool {
    mother.parallel_gene != rng.random_bool(tuned::PARALLEL_FLIP)
}

/// Search parameters tuned on PSPLIB j30/j60/j120 at 5,000 schedules.
mod tuned {
    /// Share of children made by peak crossover (the rest: two-point).
    pub const PEAK_CROSSOVER: f64 = 0.5;
    /// Peak window length as a share of the mother's makespan.
    pub const PEAK_WINDOW: std::ops::RangeInclusive<f64> = 0.1..=0.3;
    /// Expected neighbour swaps per child, whatever the list length.
    pub const SWAPS_PER_CHILD: f64 = 3.0;
    /// Chance to resample each activity's mode.
    pub const MODE_CHANGE: f64 = 0.05;
    /// Share of the first population whose gene asks for the parallel pass.
    pub const PARALLEL_INITIAL: f64 = 0.5;
    /// Chance that a child's pass is not its mother's (the gene mutates).
    pub const PARALLEL_FLIP: f64 = 0.1;
    /// Share of activities on other days below which two survivors of equal rank count as
    /// one schedule (the later one is dropped while others are left).
    pub const NEAR_COPY: f64 = 0.3;
}

/// Swaps neighbours that are not precedence-related and resamples modes,
/// each with a small probability. `backward` lists put successors first.
fn mutate(
    c: &Compiled,
    order: &mut [usize],
    modes: &mut [usize],
    backward: bool,
    rng: &mut impl Rng,
) {
    let swap = (tuned::SWAPS_PER_CHILD / order.len().max(1) as f64).min(0.5);
    let must_precede = if backward { &c.succs } else { &c.preds };
    for i in 0..order.len().saturating_sub(1) {
        if rng.random_bool(swap) {
            let (a, b) = (order[i], order[i + 1]);
            if !must_precede.row(b).iter().any(|&(p, _)| p as usize == a) {
                order.swap(i, i + 1);
            }
        }
    }
    for (j, mode) in modes.iter_mut().enumerate() {
        let usable = &c.usable_modes[j];
        if usable.len() > 1 && rng.random_bool(tuned::MODE_CHANGE) {
            *mode = usable[rng.random_range(0..usable.len())];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::psplib::parse_sm;

    /// The plain O(n * eligible) sampling that [`regret_biased_list`] must reproduce.
    fn regret_biased_list_by_scan(
        c: &Compiled,
        latest_finish: &[i64],
        rng: &mut impl Rng,
    ) -> Vec<usize> {
        let mut missing: Vec<usize> = (0..c.n).map(|j| c.preds.row(j).len()).collect();
        let mut eligible: Vec<usize> = (0..c.n).filter(|&j| missing[j] == 0).collect();
        let mut order = Vec::with_capacity(c.n);
        let mut weights = Vec::with_capacity(c.n);
        while !eligible.is_empty() {
            let worst = eligible
                .iter()
                .map(|&j| latest_finish[j])
                .max()
                .unwrap_or(0);
            weights.clear();
            weights.extend(
                eligible
                    .iter()
                    .map(|&j| (worst - latest_finish[j] + 1) as f64),
            );
            let pick = weighted_index(&weights, rng);
            let j = eligible.swap_remove(pick);
            order.push(j);
            for &(s, _) in c.succs.row(j) {
                let s = s as usize;
                missing[s] -= 1;
                if missing[s] == 0 {
                    eligible.push(s);
                }
            }
        }
        order
    }

    fn weighted_index(weights: &[f64], rng: &mut impl Rng) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = rng.random::<f64>() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    #[test]
    fn regret_lists_are_those_of_the_plain_scan() {
        let text = include_str!("../../tests/data/psplib/j301_1.sm");
        let sgs = Sgs::new(&parse_sm(text).unwrap()).unwrap();
        let mut lfts = vec![latest_finish(&sgs.c)];
        let mut rng = child_rng(7, 0, 0);
        for spread in [1, 3, 1000, 1 << 40] {
            // Few distinct values (many ties), many, and huge ones.
            lfts.push((0..sgs.c.n).map(|_| rng.random_range(0..spread)).collect());
        }
        for (k, lft) in lfts.iter().enumerate() {
            for seed in 0..300 {
                let fast = regret_biased_list(&sgs.c, lft, &mut child_rng(seed, 1, 0));
                let scan = regret_biased_list_by_scan(&sgs.c, lft, &mut child_rng(seed, 1, 0));
                assert_eq!(fast, scan, "latest finishes {k}, seed {seed}");
            }
        }
    }

    #[test]
    fn justification_never_worsens_the_due_date_rank() {
        let text = include_str!("../../tests/data/psplib/j301_1.sm");
        let problem = parse_sm(text).unwrap();
        let mut sgs = Sgs::new(&problem).unwrap();
        let latest = latest_finish(&sgs.c);
        for seed in 0..200 {
            let mut rng = child_rng(seed, 0, 0);
            let due_dates: Vec<(usize, u32)> = (0..4)
                .map(|_| (rng.random_range(0..sgs.c.n), rng.random_range(5..40)))
                .collect();
            let order = regret_biased_list(&sgs.c, &latest, &mut rng);
            let modes = vec![0; sgs.c.n];
            let mut starts = vec![0; sgs.c.n];
            let makespan = sgs.forward_unchecked(&order, &modes, &mut starts);
            let plain = (
                tardiness(&sgs, &starts, &modes, makespan, &due_dates),
                makespan,
            );
            let ind = evaluate(&mut sgs, order, modes.clone(), &due_dates);
            assert!(ind.rank() <= plain, "seed {seed}");
            let mut again = vec![0; sgs.c.n];
            assert_eq!(
                sgs.forward_unchecked(&ind.order, &modes, &mut again),
                ind.makespan
            );
            assert_eq!(again, ind.starts);
        }
    }
}
