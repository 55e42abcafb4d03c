//! Statistics over iterations, merged chunk by chunk in iteration order so that every figure is
//! bit-identical whatever the thread count.
//!
//! Percentiles are nearest-rank (the smallest value with at least p of the iterations at or
//! below it). Up to [`EXACT_LIMIT`] iterations every value is kept and the percentiles are exact;
//! above it each series goes into a histogram whose size depends on the range of finish days,
//! not on the iteration count: one bin per working day when durations are whole days
//! (resource-constrained runs: still exact), bins of [`FLOAT_BIN`] days otherwise (error at most
//! half a bin). Sensitivity uses the first [`SENSITIVITY_LIMIT`] iterations, fewer on networks so
//! large that their draws would pass [`SENSITIVITY_DRAWS`]; the milestones' task drivers use
//! fewer still when tasks × milestones × iterations would pass [`DRIVER_WORK`]. Below both
//! bounds (up to 6,700 uncertain tasks at 20,000 iterations, and about 100,000 task-milestone
//! pairs) every figure is the same as with no bound.

/// Most iterations whose values are all kept for exact percentiles.
pub const EXACT_LIMIT: u64 = 100_000;
/// Iterations used for rank correlations (standard error about 1 / sqrt(20,000) = 0.007).
pub const SENSITIVITY_LIMIT: u64 = 20_000;
/// Most quantised draws kept for sensitivity (256 MiB of 16-bit draws): past it, fewer
/// iterations are kept ([`sensitivity_rows`]), about 1,300 at 100,000 uncertain tasks.
pub const SENSITIVITY_DRAWS: u64 = 1 << 27;
/// Most multiply-adds for the milestones' task drivers (a second or two of one core): past it
/// they use fewer of the kept iterations ([`driver_rows`]), about 200 at 100,000 uncertain
/// tasks and 100 milestones.
pub const DRIVER_WORK: u64 = 1 << 31;
/// Fewest iterations sensitivity keeps and task drivers use, whatever the bounds above say.
pub const MIN_SENSITIVITY_ROWS: u64 = 100;
/// Histogram bin width in working days for fractional durations.
pub const FLOAT_BIN: f64 = 1.0 / 64.0;

// Sensitivity's sums stay exact in f64: below 32,768 * 65,535^2 < 2^53.
const _: () = assert!(SENSITIVITY_LIMIT <= 32_768);

use rayon::prelude::*;

/// What one chunk of consecutive iterations contributes.
#[derive(Debug, Clone, Default)]
pub struct ChunkOut {
    /// Values of every series, iteration by iteration (`series` per iteration).
    pub rows: Vec<f64>,
    /// Quantised draws of the random nodes for iterations below [`sensitivity_rows`].
    pub draws: Vec<u16>,
    /// Iterations in which each node was on the critical chain.
    pub critical: Vec<u32>,
    /// Iterations in which each role's capacity delayed the finish.
    pub bottleneck: Vec<u32>,
    /// Sum of each series.
    pub sums: Vec<f64>,
    /// Per risk: iterations in which it happened.
    pub risk_hits: Vec<u32>,
    /// Per risk and series: sum of the series when the risk happened.
    pub risk_sum_hit: Vec<f64>,
}

/// Iterations per value of a series: `(value, count)`, ascending by value.
pub type Histogram = Vec<(f64, u64)>;

/// The nearest-rank percentile `p` of a histogram: the definition [`Accumulator::summary`]
/// uses, so it gives the same figures.
pub fn histogram_percentile(h: &[(f64, u64)], p: f64) -> f64 {
    let total: u64 = h.iter().map(|b| b.1).sum();
    let target = rank(p, total.max(1)) as u64;
    let mut seen = 0;
    for &(value, count) in h {
        seen += count;
        if seen >= target {
            return value;
        }
    }
    h.last().map_or(0.0, |b| b.0)
}

/// Percentile storage of one series.
#[derive(Debug, Clone)]
enum Store {
    Exact(Vec<f64>),
    Histogram { counts: Vec<u64> },
}

/// How percentiles were computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Percentiles {
    /// From every value.
    Exact,
    /// From a histogram with bins of this many working days.
    Histogram(f64),
}

/// Everything accumulated over a run.
#[derive(Debug, Clone)]
pub struct Accumulator {
    series: usize,
    random_nodes: usize,
    risks: usize,
    whole_days: bool,
    stores: Vec<Store>,
    /// Values of the first [`sensitivity_rows`] iterations, per iteration.
    sens_rows: Vec<f64>,
    /// How many iterations `sens_rows` keeps.
    sens_limit: u64,
    /// Quantised draws of those iterations, chunk by chunk (kept as the chunks made them).
    sens_draws: Vec<Vec<u16>>,
    sums: Vec<f64>,
    critical: Vec<u64>,
    bottleneck: Vec<u64>,
    risk_hits: Vec<u64>,
    risk_sum_hit: Vec<f64>,
    deadlines: Vec<Option<f64>>,
    on_time: Vec<u64>,
    count: u64,
}

/// Five numbers of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Mean.
    pub mean: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 80th percentile.
    pub p80: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Accumulator {
    /// An empty accumulator. `deadlines[s]` is the on-time limit of series `s`, if any;
    /// `whole_days` says whether values are integers (histograms are then exact).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        series: usize,
        random_nodes: usize,
        nodes: usize,
        roles: usize,
        risks: usize,
        deadlines: Vec<Option<f64>>,
        whole_days: bool,
        iterations: u64,
    ) -> Self {
        let exact = iterations <= EXACT_LIMIT;
        let sens_limit = sensitivity_rows(random_nodes);
        let stores = (0..series)
            .map(|_| {
                if exact {
                    Store::Exact(Vec::with_capacity(iterations as usize))
                } else {
                    Store::Histogram { counts: Vec::new() }
                }
            })
            .collect();
        Accumulator {
            series,
            random_nodes,
            risks,
            whole_days,
            stores,
            // Sized once: growing by doubling would copy tens of megabytes on large networks.
            sens_rows: Vec::with_capacity(iterations.min(sens_limit) as usize * series),
            sens_limit,
            sens_draws: Vec::new(),
            sums: vec![0.0; series],
            critical: vec![0; nodes],
            bottleneck: vec![0; roles],
            risk_hits: vec![0; risks],
            risk_sum_hit: vec![0.0; risks * series],
            deadlines,
            on_time: vec![0; series],
            count: 0,
        }
    }

    fn bin_width(&self) -> f64 {
        if self.whole_days {
            1.0
        } else {
            FLOAT_BIN
        }
    }

    /// Adds the next chunk (chunks must come in iteration order).
    pub fn merge(&mut self, mut chunk: ChunkOut) {
        let s = self.series;
        let width = self.bin_width();
        for row in chunk.rows.chunks_exact(s) {
            if self.count < self.sens_limit {
                self.sens_rows.extend_from_slice(row);
            }
            for (k, &v) in row.iter().enumerate() {
                if let Some(d) = self.deadlines[k] {
                    if v <= d + 1e-9 {
                        self.on_time[k] += 1;
                    }
                }
                match &mut self.stores[k] {
                    Store::Exact(values) => values.push(v),
                    Store::Histogram { counts } => {
                        let bin = (v / width + 1e-9).floor().max(0.0) as usize;
                        if bin >= counts.len() {
                            counts.resize(bin + 1, 0);
                        }
                        counts[bin] += 1;
                    }
                }
            }
            self.count += 1;
        }
        if !chunk.draws.is_empty() {
            self.sens_draws.push(std::mem::take(&mut chunk.draws));
        }
        for (a, b) in self.sums.iter_mut().zip(&chunk.sums) {
            *a += b;
        }
        for (a, &b) in self.critical.iter_mut().zip(&chunk.critical) {
            *a += u64::from(b);
        }
        for (a, &b) in self.bottleneck.iter_mut().zip(&chunk.bottleneck) {
            *a += u64::from(b);
        }
        for (a, &b) in self.risk_hits.iter_mut().zip(&chunk.risk_hits) {
            *a += u64::from(b);
        }
        for (a, b) in self.risk_sum_hit.iter_mut().zip(&chunk.risk_sum_hit) {
            *a += b;
        }
    }

    /// Iterations merged so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// How percentiles are computed.
    pub fn percentiles(&self) -> Percentiles {
        match self.stores.first() {
            Some(Store::Histogram { .. }) => Percentiles::Histogram(self.bin_width()),
            _ => Percentiles::Exact,
        }
    }

    /// Mean and percentiles of series `k`.
    pub fn summary(&mut self, k: usize) -> Summary {
        let n = self.count.max(1);
        let mean = self.sums[k] / n as f64;
        let width = self.bin_width();
        let whole = self.whole_days;
        let q: Box<dyn Fn(f64) -> f64> = match &mut self.stores[k] {
            Store::Exact(values) => {
                values.sort_by(f64::total_cmp);
                let values = values.clone();
                Box::new(move |p| values.get(rank(p, n) - 1).copied().unwrap_or(0.0))
            }
            Store::Histogram { counts } => {
                let counts = counts.clone();
                Box::new(move |p| {
                    let target = rank(p, n) as u64;
                    let mut seen = 0;
                    let bin = counts
                        .iter()
                        .position(|&c| {
                            seen += c;
                            seen >= target
                        })
                        .unwrap_or(0);
                    if whole {
                        bin as f64 * width
                    } else {
                        (bin as f64 + 0.5) * width
                    }
                })
            }
        };
        Summary {
            mean,
            p10: q(0.10),
            p50: q(0.50),
            p80: q(0.80),
            p95: q(0.95),
        }
    }

    /// Series `k`'s distribution: each value with its number of iterations, ascending. Exact
    /// up to [`EXACT_LIMIT`] iterations and for whole-day series; above it, fractional values
    /// are their bins' midpoints, as the percentiles read them. O(n log n) for kept values
    /// (they are already sorted once [`Accumulator::summary`] has run), O(bins) otherwise.
    pub fn histogram(&mut self, k: usize) -> Histogram {
        let width = self.bin_width();
        let whole = self.whole_days;
        match &mut self.stores[k] {
            Store::Exact(values) => {
                values.sort_by(f64::total_cmp);
                let mut out: Histogram = Vec::new();
                for &v in values.iter() {
                    match out.last_mut() {
                        Some((last, n)) if *last == v => *n += 1,
                        _ => out.push((v, 1)),
                    }
                }
                out
            }
            Store::Histogram { counts } => counts
                .iter()
                .enumerate()
                .filter(|&(_, &c)| c > 0)
                .map(|(bin, &c)| {
                    let value = if whole {
                        bin as f64 * width
                    } else {
                        (bin as f64 + 0.5) * width
                    };
                    (value, c)
                })
                .collect(),
        }
    }

    /// Share of iterations in which series `k` met its deadline.
    pub fn on_time(&self, k: usize) -> Option<f64> {
        self.deadlines[k].map(|_| self.on_time[k] as f64 / self.count.max(1) as f64)
    }

    /// Share of iterations with each node on the critical chain.
    pub fn criticality(&self) -> Vec<f64> {
        self.shares(&self.critical)
    }

    /// Share of iterations in which each role's capacity delayed the finish.
    pub fn bottlenecks(&self) -> Vec<f64> {
        self.shares(&self.bottleneck)
    }

    fn shares(&self, counts: &[u64]) -> Vec<f64> {
        let n = self.count.max(1) as f64;
        counts.iter().map(|&c| c as f64 / n).collect()
    }

    /// Per risk, the share of iterations it happened in and how many working days it moved
    /// series `k` on average (mean when it happened minus mean when it did not; 0 when either
    /// never occurred).
    pub fn risk_effects(&self, k: usize) -> Vec<(f64, f64)> {
        let n = self.count as f64;
        (0..self.risks)
            .map(|r| {
                let hits = self.risk_hits[r] as f64;
                let sum_hit = self.risk_sum_hit[r * self.series + k];
                let misses = n - hits;
                let shift = if hits > 0.0 && misses > 0.0 {
                    sum_hit / hits - (self.sums[k] - sum_hit) / misses
                } else {
                    0.0
                };
                (hits / n.max(1.0), shift)
            })
            .collect()
    }

    /// Spearman rank correlation of each random node's draw with series `k`: over every
    /// kept iteration ([`sensitivity_rows`]) for the program finish (`k = 0`), over the first
    /// [`driver_rows`] of them for a milestone. A draw's duration is an increasing function of
    /// its uniform `u`, so `u` is its rank scaled to (0, 1): the correlation is Pearson's
    /// between `u` (16 bits) and the series' ranks (ties averaged). The sums are integers
    /// (twice a centred average rank is an integer), so they are exact and any split of the
    /// work over threads gives the same figures. [`Accumulator::sensitivities`] gives every
    /// series in one pass over the draws.
    pub fn sensitivity(&self, k: usize) -> Vec<f64> {
        self.correlations(&[k], self.driver_rows())
            .pop()
            .unwrap_or_default()
    }

    /// [`Accumulator::sensitivity`] of every series (finish first, then the milestones), in
    /// one pass over the kept draws: O(rows × random nodes) for the finish plus O(driver rows ×
    /// random nodes × milestones), which [`DRIVER_WORK`] bounds.
    pub fn sensitivities(&self) -> Vec<Vec<f64>> {
        let mut all = Vec::with_capacity(self.series);
        self.for_each_sensitivity(|_, values| all.push(values));
        all
    }

    /// [`Accumulator::sensitivities`] handed to `f` one series at a time (finish first, then
    /// the milestones, with the series' number), computed in groups of series whose values fit
    /// `SENSITIVITY_VALUES` (8 Mi): a million tasks and a thousand milestones would otherwise hold
    /// every milestone's figure of every task at once (16 GB). The same figures either way.
    pub fn for_each_sensitivity(&self, mut f: impl FnMut(usize, Vec<f64>)) {
        let per_group = (SENSITIVITY_VALUES / self.random_nodes.max(1)).max(1);
        let milestone_rows = self.driver_rows();
        let all: Vec<usize> = (0..self.series).collect();
        for group in all.chunks(per_group) {
            for (k, values) in group.iter().zip(self.correlations(group, milestone_rows)) {
                f(*k, values);
            }
        }
    }

    /// Kept rows.
    fn kept_rows(&self) -> usize {
        self.sens_rows.len() / self.series.max(1)
    }

    /// Kept rows the milestones' task drivers use.
    fn driver_rows(&self) -> usize {
        driver_rows(
            self.kept_rows(),
            self.random_nodes,
            self.series.saturating_sub(1),
        )
    }

    /// The correlations of the `wanted` series, milestones over their first `milestone_rows`.
    fn correlations(&self, wanted: &[usize], milestone_rows: usize) -> Vec<Vec<f64>> {
        let m = self.random_nodes;
        let rows = self.kept_rows();
        if m == 0 || rows < 2 {
            return vec![vec![0.0; m]; wanted.len()];
        }
        let milestone_rows = milestone_rows.clamp(2, rows);
        // Centred ranks (2 * rank - (n + 1), an integer) of each wanted series over its rows.
        let centred: Vec<Vec<f64>> = wanted
            .iter()
            .map(|&k| {
                let n = if k == 0 { rows } else { milestone_rows };
                self.centred_ranks(k, n)
            })
            .collect();
        let draws: Vec<&[u16]> = self
            .sens_draws
            .iter()
            .flat_map(|chunk| chunk.chunks_exact(m))
            .take(rows)
            .collect();
        // Nodes go to threads in blocks small enough that a block's sums of every series
        // stay in cache while the rows stream past.
        let width = (SUMS_PER_BLOCK / wanted.len().max(1)).clamp(8, 1024);
        let blocks: Vec<(usize, usize)> = (0..m)
            .step_by(width)
            .map(|j| (j, (j + width).min(m)))
            .collect();
        let groups = RankGroup::of(&centred);
        let sums: Vec<BlockSums> = blocks
            .par_iter()
            .map(|&(j0, j1)| BlockSums::of(&draws, &groups, centred.len(), milestone_rows, j0, j1))
            .collect();
        centred
            .iter()
            .enumerate()
            .map(|(s, c)| {
                let var_r4: i64 = c.iter().map(|&c| (c * c) as i64).sum();
                let n = c.len();
                sums.iter()
                    .flat_map(|b| b.correlations(s, n == rows, var_r4))
                    .collect()
            })
            .collect()
    }

    /// `2 * rank - (n + 1)` of series `k` over its first `n` kept rows: average ranks are
    /// multiples of 1/2 and sum to n (n + 1) / 2, so these are integers summing to 0.
    fn centred_ranks(&self, k: usize, n: usize) -> Vec<f64> {
        let ys: Vec<f64> = self
            .sens_rows
            .chunks_exact(self.series)
            .take(n)
            .map(|r| r[k])
            .collect();
        average_ranks(&ys)
            .iter()
            .map(|&r| f64::from((2.0 * r) as i32 - (n as i32 + 1)))
            .collect()
    }
}

/// Iterations whose draws are kept for sensitivity on a network of `random_nodes` uncertain
/// nodes: [`SENSITIVITY_LIMIT`], fewer when that many would hold more than
/// [`SENSITIVITY_DRAWS`] draws (but at least [`MIN_SENSITIVITY_ROWS`]), so memory stays bounded
/// on very large networks.
pub fn sensitivity_rows(random_nodes: usize) -> u64 {
    let fit = SENSITIVITY_DRAWS / random_nodes.max(1) as u64;
    fit.clamp(MIN_SENSITIVITY_ROWS, SENSITIVITY_LIMIT)
}

/// Kept rows the milestones' task drivers use: all `rows`, fewer when `random_nodes` ×
/// `milestones` × rows would pass [`DRIVER_WORK`] (but at least [`MIN_SENSITIVITY_ROWS`]).
pub fn driver_rows(rows: usize, random_nodes: usize, milestones: usize) -> usize {
    let per_row = (random_nodes as u64)
        .saturating_mul(milestones as u64)
        .max(1);
    let fit = (DRIVER_WORK / per_row).max(MIN_SENSITIVITY_ROWS);
    rows.min(usize::try_from(fit).unwrap_or(usize::MAX))
}

/// Series sums kept per block of nodes (256 KB of f64: a core's cache).
const SUMS_PER_BLOCK: usize = 32_768;

/// Most sensitivity figures (series × random nodes) computed at once: 8 Mi values, 64 MiB of
/// results and as much of sums.
const SENSITIVITY_VALUES: usize = 1 << 23;

/// One block of nodes' sums over the kept rows: of `u` and `u²` over every row and over the
/// milestones' rows, and of `u` × centred rank per wanted series. Integers, exact in f64.
struct BlockSums {
    su: Vec<f64>,
    suu: Vec<f64>,
    su_milestones: Vec<f64>,
    suu_milestones: Vec<f64>,
    /// `sur[s * width + j]`.
    sur: Vec<f64>,
    /// `sum((u - mean u)^2)` per node over every row ([`BlockSums::spreads`]).
    spread: Vec<f64>,
    /// The same over the milestones' rows.
    spread_milestones: Vec<f64>,
}

/// Doubles of the draws held at once per thread while the block's sums are made (2 MiB).
const DRAWS_PER_SLICE: usize = 1 << 18;

/// The wanted series measured over the same first `rows` kept rows, with their centred ranks
/// as a matrix (`centred[k * rows + row]` of series `series[k]`).
struct RankGroup {
    series: Vec<usize>,
    rows: usize,
    centred: Vec<f64>,
}

impl RankGroup {
    /// The wanted series grouped by how many rows they are measured over.
    fn of(centred: &[Vec<f64>]) -> Vec<RankGroup> {
        let mut groups: Vec<RankGroup> = Vec::new();
        for (s, c) in centred.iter().enumerate() {
            let group = match groups.iter_mut().position(|g| g.rows == c.len()) {
                Some(k) => &mut groups[k],
                None => {
                    groups.push(RankGroup {
                        series: Vec::new(),
                        rows: c.len(),
                        centred: Vec::new(),
                    });
                    groups.last_mut().expect("just pushed")
                }
            };
            group.series.push(s);
            group.centred.extend_from_slice(c);
        }
        groups
    }

    /// Sum over the rows of draw × centred rank, per series and column of `u` (`rows` × `w`,
    /// row-major): a matrix product. Every term and partial sum is an integer below 2^53, so
    /// the product is exact whatever order it adds in, the same figures as a plain loop.
    fn times(&self, u: &[f64], w: usize) -> Vec<f64> {
        let series = self.series.len();
        let mut out = vec![0.0; series * w];
        if self.rows == 0 || w == 0 {
            return out;
        }
        assert!(self.centred.len() == series * self.rows && u.len() == self.rows * w);
        // SAFETY: the three matrices are row-major with the strides given and the lengths
        // asserted above (`series` × `rows`, `rows` × `w`, `series` × `w`).
        unsafe {
            matrixmultiply::dgemm(
                series,
                self.rows,
                w,
                1.0,
                self.centred.as_ptr(),
                self.rows as isize,
                1,
                u.as_ptr(),
                w as isize,
                1,
                0.0,
                out.as_mut_ptr(),
                w as isize,
                1,
            );
        }
        out
    }
}

impl BlockSums {
    fn of(
        draws: &[&[u16]],
        groups: &[RankGroup],
        series: usize,
        milestone_rows: usize,
        j0: usize,
        j1: usize,
    ) -> Self {
        let width = j1 - j0;
        let rows = draws.len();
        let mut b = BlockSums {
            su: vec![0.0; width],
            suu: vec![0.0; width],
            su_milestones: vec![0.0; width],
            suu_milestones: vec![0.0; width],
            sur: vec![0.0; width * series],
            spread: Vec::new(),
            spread_milestones: Vec::new(),
        };
        // The draws of a slice of the block as f64, every row, in a few MB of cache.
        let slice = (DRAWS_PER_SLICE / rows.max(1)).clamp(8, width.max(8));
        let mut u = vec![0.0f64; rows * slice.min(width)];
        for a0 in (0..width).step_by(slice) {
            let a1 = (a0 + slice).min(width);
            let w = a1 - a0;
            for (row, d) in draws.iter().enumerate() {
                if row == milestone_rows {
                    b.su_milestones[a0..a1].copy_from_slice(&b.su[a0..a1]);
                    b.suu_milestones[a0..a1].copy_from_slice(&b.suu[a0..a1]);
                }
                let ur = &mut u[row * w..(row + 1) * w];
                for (x, &q) in ur.iter_mut().zip(&d[j0 + a0..j0 + a1]) {
                    *x = f64::from(q);
                }
                for ((su, suu), &x) in b.su[a0..a1]
                    .iter_mut()
                    .zip(&mut b.suu[a0..a1])
                    .zip(ur.iter())
                {
                    *su += x;
                    *suu += x * x;
                }
            }
            if milestone_rows >= rows {
                b.su_milestones[a0..a1].copy_from_slice(&b.su[a0..a1]);
                b.suu_milestones[a0..a1].copy_from_slice(&b.suu[a0..a1]);
            }
            for g in groups {
                let sur = g.times(&u[..g.rows * w], w);
                for (&s, values) in g.series.iter().zip(sur.chunks_exact(w)) {
                    b.sur[s * width + a0..s * width + a1].copy_from_slice(values);
                }
            }
        }
        b.spread = BlockSums::spreads(&b.su, &b.suu, rows);
        b.spread_milestones = BlockSums::spreads(
            &b.su_milestones,
            &b.suu_milestones,
            milestone_rows.min(rows),
        );
        b
    }

    /// The block's correlations with wanted series `s`, measured over all kept rows when
    /// `all_rows`, else the milestones' rows, whose centred ranks square-sum to `var_r4`.
    fn correlations(&self, s: usize, all_rows: bool, var_r4: i64) -> Vec<f64> {
        let spread = if all_rows {
            &self.spread
        } else {
            &self.spread_milestones
        };
        let width = self.su.len();
        let sur = &self.sur[s * width..(s + 1) * width];
        spread
            .iter()
            .zip(sur)
            .map(|(&v, &sur)| {
                if v <= 0.0 || var_r4 <= 0 {
                    0.0
                } else {
                    (sur as i64) as f64 / (v * var_r4 as f64).sqrt()
                }
            })
            .collect()
    }

    /// Each node's `sum((u - mean u)^2)` over `n` rows from its sums (0 when the draws do not
    /// vary), found once per block rather than once per series: an exact integer `n *
    /// var(u)` in i128, then divided by `n`.
    fn spreads(su: &[f64], suu: &[f64], n: usize) -> Vec<f64> {
        let n = n as i128;
        su.iter()
            .zip(suu)
            .map(|(&su, &suu)| {
                let (su, suu) = (su as u64, suu as u64);
                // n * sum((u - mean u)^2), and sur = 2 * sum(u * (rank - mean rank)).
                let var_u_n = n * i128::from(suu) - i128::from(su) * i128::from(su);
                if var_u_n <= 0 {
                    0.0
                } else {
                    var_u_n as f64 / n as f64
                }
            })
            .collect()
    }
}

/// The 1-based nearest rank of percentile `p` among `n` values.
fn rank(p: f64, n: u64) -> usize {
    ((p * n as f64 - 1e-9).ceil() as usize).clamp(1, n as usize)
}

/// Ranks 1..=n with tied values sharing their average rank.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && values[idx[j + 1]] == values[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = avg;
        }
        i = j + 1;
    }
    ranks
}

/// A uniform in (0, 1) quantised to 16 bits for storage (ranks need no more).
#[inline]
pub fn quantise(u: f64) -> u16 {
    (u * 65536.0).min(65535.0) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc_with(values: &[f64], whole: bool, iterations: u64) -> Accumulator {
        let mut acc = Accumulator::new(1, 0, 0, 0, 0, vec![Some(2.0)], whole, iterations);
        acc.merge(ChunkOut {
            rows: values.to_vec(),
            sums: vec![values.iter().sum()],
            ..ChunkOut::default()
        });
        acc
    }

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let mut acc = acc_with(&values, true, 10);
        let s = acc.summary(0);
        assert_eq!((s.p10, s.p50, s.p80, s.p95), (1.0, 5.0, 8.0, 10.0));
        assert_eq!(s.mean, 5.5);
        assert_eq!(acc.on_time(0), Some(0.2));
    }

    #[test]
    fn whole_day_histograms_are_exact() {
        let values: Vec<f64> = (0..1000).map(|i| f64::from(i % 37)).collect();
        let exact = acc_with(&values, true, 1000).summary(0);
        let hist = acc_with(&values, true, EXACT_LIMIT + 1).summary(0);
        assert_eq!(exact, hist);
    }

    #[test]
    fn float_histograms_are_within_half_a_bin() {
        let values: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.0137).collect();
        let exact = acc_with(&values, false, 1000).summary(0);
        let hist = acc_with(&values, false, EXACT_LIMIT + 1).summary(0);
        for (a, b) in [
            (exact.p10, hist.p10),
            (exact.p50, hist.p50),
            (exact.p95, hist.p95),
        ] {
            assert!((a - b).abs() <= FLOAT_BIN / 2.0 + 1e-9, "{a} {b}");
        }
    }

    #[test]
    fn sensitivity_is_pearson_of_draws_and_ranks() {
        // 3 nodes, chunks of 7 and 4 rows (rows left over after groups of four), tied series.
        let m = 3;
        let mut acc = Accumulator::new(1, m, 0, 0, 0, vec![None], false, 11);
        let mut state = 12345u32;
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u16
        };
        let (mut ys, mut us): (Vec<f64>, Vec<u16>) = (Vec::new(), Vec::new());
        for rows in [7, 4] {
            let draws: Vec<u16> = (0..rows * m).map(|_| next()).collect();
            let values: Vec<f64> = draws
                .chunks(m)
                .map(|d| f64::from(d[0] / 8192) + f64::from(d[1]) / 65536.0 * 0.5)
                .map(|v| (v * 2.0).round() / 2.0)
                .collect();
            ys.extend(&values);
            us.extend(&draws);
            acc.merge(ChunkOut {
                sums: vec![values.iter().sum()],
                rows: values,
                draws,
                ..ChunkOut::default()
            });
        }
        let ranks = average_ranks(&ys);
        let n = ys.len() as f64;
        let mr = ranks.iter().sum::<f64>() / n;
        let got = acc.sensitivity(0);
        for (j, &got) in got.iter().enumerate() {
            let u: Vec<f64> = us
                .iter()
                .skip(j)
                .step_by(m)
                .map(|&u| f64::from(u))
                .collect();
            let mu = u.iter().sum::<f64>() / n;
            let cov: f64 = u.iter().zip(&ranks).map(|(u, r)| (u - mu) * (r - mr)).sum();
            let vu: f64 = u.iter().map(|u| (u - mu).powi(2)).sum();
            let vr: f64 = ranks.iter().map(|r| (r - mr).powi(2)).sum();
            let want = cov / (vu * vr).sqrt();
            assert!((got - want).abs() < 1e-12, "{j}: {got} {want}");
            if j == 0 {
                assert!(got > 0.5, "{got}");
            }
        }
    }

    /// Pearson's correlation of node `j`'s draws with the ranks of `ys`, written out.
    fn reference(us: &[u16], m: usize, j: usize, ys: &[f64]) -> f64 {
        let ranks = average_ranks(ys);
        let n = ys.len() as f64;
        let mr = ranks.iter().sum::<f64>() / n;
        let u: Vec<f64> = us
            .iter()
            .skip(j)
            .step_by(m)
            .take(ys.len())
            .map(|&u| f64::from(u))
            .collect();
        let mu = u.iter().sum::<f64>() / n;
        let cov: f64 = u.iter().zip(&ranks).map(|(u, r)| (u - mu) * (r - mr)).sum();
        let vu: f64 = u.iter().map(|u| (u - mu).powi(2)).sum();
        let vr: f64 = ranks.iter().map(|r| (r - mr).powi(2)).sum();
        cov / (vu * vr).sqrt()
    }

    /// Every series in one pass gives each series' own figures; milestones measured over
    /// fewer rows give the correlation over exactly those first rows, the finish over all.
    #[test]
    fn all_series_at_once_and_milestones_over_fewer_rows() {
        // More nodes than one block of three series holds (1,024), so two blocks.
        let (m, series, rows) = (1_100, 3, 40);
        let mut acc = Accumulator::new(series, m, 0, 0, 0, vec![None; series], false, rows);
        let mut state = 777u32;
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u16
        };
        let draws: Vec<u16> = (0..rows as usize * m).map(|_| next()).collect();
        let values: Vec<f64> = draws
            .chunks(m)
            .flat_map(|d| {
                let a = f64::from(d[0]) + f64::from(d[5]);
                [a, f64::from(d[3] / 4096), a - f64::from(d[1_090])]
            })
            .collect();
        acc.merge(ChunkOut {
            sums: vec![0.0; series],
            rows: values.clone(),
            draws: draws.clone(),
            ..ChunkOut::default()
        });
        let ys = |k: usize, n: usize| -> Vec<f64> {
            values.chunks(series).take(n).map(|r| r[k]).collect()
        };
        let all = acc.sensitivities();
        for (k, figures) in all.iter().enumerate() {
            assert_eq!(*figures, acc.sensitivity(k), "series {k}");
        }
        let fewer = acc.correlations(&[0, 1, 2], 13);
        for j in 0..m {
            let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
            assert!(close(fewer[0][j], reference(&draws, m, j, &ys(0, 40))));
            assert!(close(fewer[1][j], reference(&draws, m, j, &ys(1, 13))));
            assert!(close(fewer[2][j], reference(&draws, m, j, &ys(2, 13))));
            assert!(close(all[2][j], reference(&draws, m, j, &ys(2, 40))));
        }
        assert!(fewer[0][0] > 0.5 && all[2][1_090] < -0.3);
    }

    #[test]
    fn large_networks_keep_fewer_rows_within_the_bounds() {
        assert_eq!(sensitivity_rows(1_000), SENSITIVITY_LIMIT);
        assert_eq!(sensitivity_rows(100_000), (1 << 27) / 100_000);
        assert_eq!(sensitivity_rows(100_000_000), MIN_SENSITIVITY_ROWS);
        assert!(sensitivity_rows(100_000) * 100_000 <= SENSITIVITY_DRAWS);
        assert_eq!(driver_rows(20_000, 1_000, 10), 20_000);
        assert_eq!(driver_rows(1_342, 100_000, 100), (1 << 31) / 10_000_000);
        assert_eq!(driver_rows(1_342, 1_000_000, 1_000), 100);
    }

    #[test]
    fn ties_share_their_average_rank() {
        assert_eq!(
            average_ranks(&[3.0, 1.0, 3.0, 2.0]),
            vec![3.5, 1.0, 3.5, 2.0]
        );
    }

    /// Above the exact limit values go into bins; for whole days the distribution read back
    /// must be the one kept exactly, and its percentiles the summary's.
    #[test]
    fn binned_and_kept_values_give_the_same_histogram() {
        let values = [12.0, 3.0, 7.0, 7.0, 12.0, 12.0, 30.0];
        let run = |iterations: u64| {
            let mut acc = Accumulator::new(1, 0, 0, 0, 0, vec![None], true, iterations);
            acc.merge(ChunkOut {
                rows: values.to_vec(),
                sums: vec![values.iter().sum()],
                ..ChunkOut::default()
            });
            let summary = acc.summary(0);
            (acc.histogram(0), summary, acc.percentiles())
        };
        let (exact, s1, p1) = run(values.len() as u64);
        let (binned, s2, p2) = run(EXACT_LIMIT + 1);
        assert_eq!(p1, Percentiles::Exact);
        assert_eq!(p2, Percentiles::Histogram(1.0));
        assert_eq!(exact, vec![(3.0, 1), (7.0, 2), (12.0, 3), (30.0, 1)]);
        assert_eq!(binned, exact);
        assert_eq!(s1, s2);
        for (q, want) in [(0.1, s1.p10), (0.5, s1.p50), (0.8, s1.p80), (0.95, s1.p95)] {
            assert_eq!(histogram_percentile(&exact, q), want, "P{q}");
        }
    }
}
