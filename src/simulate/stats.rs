//! Statistics over iterations, merged chunk by chunk in iteration order so that every figure is
//! bit-identical whatever the thread count.
//!
//! Percentiles are nearest-rank (the smallest value with at least p of the iterations at or
//! below it). Up to [`EXACT_LIMIT`] iterations every value is kept and the percentiles are exact;
//! above it each series goes into a histogram whose size depends on the range of finish days,
//! not on the iteration count: one bin per working day when durations are whole days
//! (resource-constrained runs: still exact), bins of [`FLOAT_BIN`] days otherwise (error at most
//! half a bin). Sensitivity uses the first [`SENSITIVITY_LIMIT`] iterations.

/// Most iterations whose values are all kept for exact percentiles.
pub const EXACT_LIMIT: u64 = 100_000;
/// Iterations used for rank correlations (standard error about 1 / sqrt(20,000) = 0.007).
pub const SENSITIVITY_LIMIT: u64 = 20_000;
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
    /// Quantised draws of the random nodes for iterations below [`SENSITIVITY_LIMIT`].
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
    /// Values of the first [`SENSITIVITY_LIMIT`] iterations, per iteration.
    sens_rows: Vec<f64>,
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
            sens_rows: Vec::with_capacity(iterations.min(SENSITIVITY_LIMIT) as usize * series),
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
            if self.count < SENSITIVITY_LIMIT {
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

    /// Spearman rank correlation of each random node's draw with series `k`, over the first
    /// [`SENSITIVITY_LIMIT`] iterations. A draw's duration is an increasing function of its
    /// uniform `u`, so `u` is its rank scaled to (0, 1): the correlation is Pearson's between
    /// `u` (16 bits) and the series' ranks (ties averaged). The sums are integers (twice a
    /// centred average rank is an integer), so they are exact and any split of the work over
    /// threads gives the same figures.
    pub fn sensitivity(&self, k: usize) -> Vec<f64> {
        let m = self.random_nodes;
        let rows = self.sens_rows.len() / self.series.max(1);
        if m == 0 || rows < 2 {
            return vec![0.0; m];
        }
        let ys: Vec<f64> = self
            .sens_rows
            .chunks_exact(self.series)
            .map(|r| r[k])
            .collect();
        // 2 * rank - (n + 1): average ranks are multiples of 1/2 and sum to n (n + 1) / 2.
        let centred: Vec<i32> = average_ranks(&ys)
            .iter()
            .map(|&r| (2.0 * r) as i32 - (rows as i32 + 1))
            .collect();
        let var_r4: i64 = centred.iter().map(|&c| i64::from(c) * i64::from(c)).sum();
        // Per node: sum of u, of u^2 and of u * centred rank, over the rows. Threads take
        // whole chunks (read in memory order) and add their integer sums.
        let mut offsets = Vec::with_capacity(self.sens_draws.len());
        let mut row = 0;
        for chunk in &self.sens_draws {
            offsets.push(row);
            row += chunk.len() / m;
        }
        // Sums in f64 are exact here (every term and partial sum is an integer below 2^53:
        // at most 20,000 * 65,535^2 < 2^47), so any split over threads gives the same result,
        // and f64 lanes let the loops vectorise.
        let zeros = || (vec![0f64; m], vec![0f64; m], vec![0f64; m]);
        let sums = self
            .sens_draws
            .par_iter()
            .zip(offsets)
            .fold(zeros, |(mut su, mut suu, mut sur), (chunk, row0)| {
                for (draws, &c) in chunk.chunks_exact(m).zip(&centred[row0..]) {
                    let c = f64::from(c);
                    let cols = draws.iter().zip(&mut su).zip(&mut suu).zip(&mut sur);
                    for (((&u, su), suu), sur) in cols {
                        let u = f64::from(u);
                        *su += u;
                        *suu += u * u;
                        *sur += u * c;
                    }
                }
                (su, suu, sur)
            })
            .reduce(zeros, |mut a, b| {
                let add = |x: &mut Vec<f64>, y: &[f64]| {
                    x.iter_mut().zip(y).for_each(|(x, y)| *x += y);
                };
                add(&mut a.0, &b.0);
                add(&mut a.1, &b.1);
                add(&mut a.2, &b.2);
                a
            });
        let su: Vec<u64> = sums.0.iter().map(|&s| s as u64).collect();
        let suu: Vec<u64> = sums.1.iter().map(|&s| s as u64).collect();
        let sur: Vec<i64> = sums.2.iter().map(|&s| s as i64).collect();
        let n = rows as i128;
        (0..m)
            .map(|j| {
                // n * sum((u - mean u)^2), and sur = 2 * sum(u * (rank - mean rank)).
                let var_u_n = n * i128::from(suu[j]) - i128::from(su[j]) * i128::from(su[j]);
                if var_u_n <= 0 || var_r4 <= 0 {
                    0.0
                } else {
                    sur[j] as f64 / (var_u_n as f64 / n as f64 * var_r4 as f64).sqrt()
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
