//! The precedence-only iteration (`--no-resources`), laid out for speed: nodes renumbered in
//! topological order (positions), predecessors as compressed rows of `u32` positions, the PERT
//! samplers as flat arrays (structure of arrays) reading the shared quantile table, and two
//! uniforms drawn from each 64-bit output of the generator.
//!
//! An iteration draws the uniforms of the random nodes (in node order) and the risks, and runs a
//! CPM forward pass over the positions. When every random node is one PERT estimate (the usual
//! case) the pass is *fused*: each duration is drawn from its node's blended quantile row as the
//! pass reaches it, and [`LANES`] consecutive iterations are walked side by side (one pass over
//! the network for all of them; each still draws from its own generator). Otherwise durations
//! are sampled first, with the samplers. Both give the same figures (tested). The chain that
//! set the finish is walked back as before (first predecessor, in input order, whose finish
//! plus lag equals the start).
//!
//! Uniforms: without correlation each 64-bit output of iteration `i`'s generator gives two
//! 23-bit uniforms `h` (its top 23 bits, then the top 23 bits of its low half); `u = (h + 0.5) /
//! 2^23` lies in (0, 1). Their top 10 bits pick the quantile table's interval and the other 13
//! the position inside it, so a PERT draw needs no float-to-integer conversion. With correlation
//! the copula's uniforms are used (quantised to 23 bits for the PERT table, exact for the other
//! distributions). The risks then draw from the same generator as before (a 53-bit uniform each).
//!
//! # Complexity
//!
//! One iteration over `n` nodes, `e` links, `u` random nodes and risks touching `k` nodes in
//! all is `O(n + e + u + k)`: `u` uniforms, one forward pass reading each link once, the risk
//! delays, and a walk back along the finishing chain (at most each link once more). With
//! correlation the copula adds one normal draw per phase. The fused pass has the same order
//! but walks the network once per [`LANES`] iterations. Memory is `O(n + e)` for the kernel and
//! `O(LANES · n)` per thread for its scratch.

use super::distribution::{pert_table, Sampler, QUANTILE_TABLE};
use super::sample::{iteration_rng, Draws, DurationModel, SamplePlan};
use crate::calendar::GridClock;
use crate::graph::LinkType;
use rand::RngCore;

/// Bits of a uniform.
const U_BITS: u32 = 23;
/// Largest uniform value `h`.
const U_MAX: u32 = (1 << U_BITS) - 1;
/// Bits of `h` below the table interval (QUANTILE_TABLE = 2^10 intervals).
const FRAC_BITS: u32 = U_BITS - QUANTILE_TABLE.trailing_zeros();
/// Values in one row of the quantile table.
const ROW: usize = QUANTILE_TABLE + 1;
/// Float noise below this counts as equality when finding the driving predecessor.
const EPS: f64 = 1e-9;
/// Iterations the fused pass runs side by side (one walk over the network for all of them).
pub const LANES: usize = 4;

const _: () = assert!(QUANTILE_TABLE.is_power_of_two() && FRAC_BITS > 0);

/// The uniform in (0, 1) of a 23-bit draw.
#[inline]
pub fn uniform(h: u32) -> f64 {
    (f64::from(h) + 0.5) * (1.0 / f64::from(1u32 << U_BITS))
}

/// A 23-bit draw of a uniform in (0, 1) (for the copula's uniforms).
#[inline]
fn bits(u: f64) -> u32 {
    ((u * f64::from(1u32 << U_BITS)) as u32).min(U_MAX)
}

/// The 16-bit rank of a draw kept for sensitivity (as `stats::quantise` of its uniform).
#[inline]
pub fn rank16(h: u32) -> u16 {
    (h >> (U_BITS - 16)) as u16
}

/// Most distinct PERT shapes given their own blended quantile row (4 KB each).
const MAX_BLENDED: usize = 1024;

/// How draws become durations.
#[derive(Debug, Clone)]
enum Parts {
    /// Every random node's parts are PERT or fixed: flat arrays, one entry per part, parts of a
    /// node after each other. A part's value is `low + range * Q(u)` (`range` = 0 for a fixed
    /// part); the node's duration is the largest of its parts.
    Pert {
        /// One part per random node (part `p` is random node `p`'s): no maximum to take.
        single: bool,
        /// Index of the part's node among the random nodes (its uniform).
        draw: Vec<u32>,
        /// Position of the part's node.
        pos: Vec<u32>,
        low: Vec<f64>,
        range: Vec<f64>,
        /// Offset of the part's row: in `Shapes::Blended` its own row, else the lower shape's
        /// row of the shared table.
        offset: Vec<u32>,
        shapes: Shapes,
    },
    /// Any distribution, through the samplers of the duration model.
    Generic,
}

/// Where PERT quantiles come from.
#[derive(Debug, Clone)]
enum Shapes {
    /// One row per distinct shape of the run, the two neighbouring grid shapes blended once
    /// (same values as blending per draw, up to f32 rounding): one row read per draw.
    Blended(Vec<f32>),
    /// The shared table's two neighbouring rows, blended per draw with these weights (runs with
    /// more than [`MAX_BLENDED`] distinct shapes).
    Grid(Vec<f32>),
}

/// The precedence-only network and its sampling, fixed for a run.
#[derive(Debug, Clone)]
pub struct PrecedenceKernel {
    /// Node at each position.
    node_of: Vec<u32>,
    /// Position of each node.
    pos_of: Vec<u32>,
    /// Predecessors of position `k`: `pred_pos[pred_start[k]..pred_start[k + 1]]`.
    pred_start: Vec<u32>,
    pred_pos: Vec<u32>,
    pred_lag: Vec<f64>,
    /// The type of each link of `pred_pos`.
    pred_kind: Vec<LinkType>,
    /// Whether any lag is not zero.
    lags: bool,
    /// Whether any link is not finish-to-start: then the pass is never fused and takes
    /// [`Self::forward_linked`], so the finish-to-start passes stay as they are.
    linked: bool,
    /// Duration of each position when it does not vary (0 for random nodes).
    base: Vec<f64>,
    /// Random nodes, in node order (the order of their uniforms).
    random_nodes: Vec<usize>,
    /// Position of each random node.
    random_pos: Vec<u32>,
    parts: Parts,
    /// Per position, when every random node is one PERT part with its own blended row: the
    /// sampling folded into the forward pass.
    fused: Option<Vec<Step>>,
    durations: DurationModel,
    correlated: bool,
    /// Each position's first possible start (date constraints from below, the status date);
    /// empty when every node may start at day 0. Not empty makes the pass
    /// [`Self::forward_linked`], so the finish-to-start passes stay as they are.
    release: Vec<f64>,
    /// Which grid days each position works, when tasks have calendars of their own: then
    /// every pass is [`Self::forward_on_calendars`].
    clock: Option<Box<GridClock>>,
}

/// A position's duration `low + range * Q(u)` in the fused pass (`range` = 0 and the spare
/// uniform for fixed durations).
#[derive(Debug, Clone, Copy)]
struct Step {
    low: f64,
    range: f64,
    /// Offset of its blended quantile row.
    offset: u32,
    /// Index of its uniform (the spare last one, always 0, when it does not vary).
    draw: u32,
}

/// Per-thread buffers of [`PrecedenceKernel::iterate`].
#[derive(Debug, Clone)]
pub struct Scratch {
    /// 23-bit uniform of each random node.
    h: Vec<u32>,
    /// Whether each risk happened.
    happened: Vec<bool>,
    /// Duration per position.
    dur: Vec<f64>,
    /// Finish per position.
    finish: Vec<f64>,
    /// Start per position, kept only on calendars (elsewhere it is the finish less the
    /// duration).
    start: Vec<f64>,
    draws: Draws,
    factors: Vec<f64>,
    /// The fused pass's [`LANES`] iterations.
    lanes: Lanes,
}

/// [`LANES`] consecutive iterations run side by side by the fused pass, from `first`; `cur` is
/// the one the caller reads.
#[derive(Debug, Clone)]
struct Lanes {
    first: u64,
    cur: usize,
    /// Uniforms per random node (and a spare 0 at the end), per lane.
    h: Vec<[u32; LANES]>,
    /// Risk delay per position, per lane.
    delay: Vec<[f64; LANES]>,
    /// Whether `delay` holds delays to clear.
    dirty: bool,
    finish: Vec<[f64; LANES]>,
    /// Lane after lane, whether each risk happened.
    happened: Vec<bool>,
    /// Lane after lane, the 16-bit ranks of the uniforms (for sensitivity).
    ranks: Vec<u16>,
    last: [usize; LANES],
}

impl PrecedenceKernel {
    /// The kernel of a network of `nodes` with a topological `order`, predecessors
    /// `preds(node)` (node, lag, link type), durations and draws as `durations` and `plan` say.
    pub fn new(
        order: &[usize],
        preds: impl Fn(usize) -> Vec<(usize, f64, LinkType)>,
        nodes: usize,
        durations: &DurationModel,
        plan: &SamplePlan,
    ) -> Self {
        assert_eq!(order.len(), nodes, "the order covers every node");
        let node_of: Vec<u32> = order.iter().map(|&n| n as u32).collect();
        let mut pos_of = vec![0u32; nodes];
        for (k, &n) in order.iter().enumerate() {
            pos_of[n] = k as u32;
        }
        let mut pred_start = vec![0u32];
        let (mut pred_pos, mut pred_lag, mut pred_kind) = (Vec::new(), Vec::new(), Vec::new());
        for &n in order {
            for (p, lag, kind) in preds(n) {
                pred_pos.push(pos_of[p]);
                pred_lag.push(lag);
                pred_kind.push(kind);
            }
            pred_start.push(pred_pos.len() as u32);
        }
        let lags = pred_lag.iter().any(|&l| l != 0.0);
        let linked = pred_kind.iter().any(|&k| k != LinkType::FS);
        let random_nodes = plan.random_nodes.clone();
        let mut base: Vec<f64> = order.iter().map(|&n| durations.duration(n, 0.5)).collect();
        for &n in &random_nodes {
            base[pos_of[n] as usize] = 0.0;
        }
        let random_pos = random_nodes.iter().map(|&n| pos_of[n]).collect();
        let parts =
            pert_parts(durations, &random_nodes, &pos_of, MAX_BLENDED).unwrap_or(Parts::Generic);
        let fused = if linked {
            None
        } else {
            fused_steps(&parts, &base, random_nodes.len())
        };
        PrecedenceKernel {
            node_of,
            pos_of,
            pred_start,
            pred_pos,
            pred_lag,
            pred_kind,
            lags,
            linked,
            base,
            random_nodes,
            random_pos,
            parts,
            fused,
            durations: durations.clone(),
            correlated: plan.correlated(),
            release: Vec::new(),
            clock: None,
        }
    }

    /// The same kernel with a calendar per position (`clock`'s nodes are positions, in the
    /// order the kernel was built with): durations, lags and releases count working days of
    /// each task's calendar, and dates are grid times.
    pub fn with_clock(mut self, clock: GridClock) -> Self {
        self.clock = Some(Box::new(clock));
        self.linked = true;
        self.fused = None;
        self
    }

    /// The same kernel with each node's first possible start in working days (indexed by
    /// node): no iteration starts a node before it.
    pub fn with_release(mut self, release: &[f64]) -> Self {
        if release.iter().all(|&r| r <= 0.0) {
            return self;
        }
        self.release = self.node_of.iter().map(|&n| release[n as usize]).collect();
        self.linked = true;
        self.fused = None;
        self
    }

    /// Empty buffers for one thread.
    pub fn scratch(&self, plan: &SamplePlan) -> Scratch {
        let n = self.node_of.len();
        let fused = if self.fused.is_some() { 1 } else { 0 };
        Scratch {
            h: vec![0; self.random_nodes.len() * (1 - fused)],
            happened: vec![false; plan.risk_count()],
            dur: vec![0.0; n * (1 - fused)],
            finish: vec![0.0; n * (1 - fused)],
            start: vec![0.0; if self.clock.is_some() { n } else { 0 }],
            draws: plan.buffers(n),
            factors: Vec::new(),
            lanes: Lanes {
                first: u64::MAX,
                cur: 0,
                h: vec![[0; LANES]; (self.random_nodes.len() + 1) * fused],
                delay: vec![[0.0; LANES]; n * fused],
                dirty: false,
                finish: vec![[0.0; LANES]; n * fused],
                happened: vec![false; plan.risk_count() * LANES * fused],
                ranks: vec![0; self.random_nodes.len() * LANES * fused],
                last: [0; LANES],
            },
        }
    }

    /// Position of `node`.
    pub fn position(&self, node: usize) -> usize {
        self.pos_of[node] as usize
    }

    /// Finish of position `pos` in the last iteration.
    #[inline]
    pub fn finish(&self, s: &Scratch, pos: usize) -> f64 {
        if self.fused.is_some() {
            s.lanes.finish[pos][s.lanes.cur]
        } else {
            s.finish[pos]
        }
    }

    /// Whether each risk happened in the last iteration.
    pub fn happened<'s>(&self, s: &'s Scratch) -> &'s [bool] {
        if self.fused.is_some() {
            let r = s.happened.len();
            &s.lanes.happened[s.lanes.cur * r..(s.lanes.cur + 1) * r]
        } else {
            &s.happened
        }
    }

    /// Appends the 16-bit ranks of the last iteration's uniforms, per random node.
    pub fn ranks(&self, s: &Scratch, out: &mut Vec<u16>) {
        let m = self.random_nodes.len();
        if self.fused.is_some() {
            let lane = s.lanes.cur;
            out.extend_from_slice(&s.lanes.ranks[lane * m..(lane + 1) * m]);
        } else {
            out.extend(s.h.iter().map(|&h| rank16(h)));
        }
    }

    /// Samples iteration `i` and dates it. Returns the position that finishes last (on a tie,
    /// the lowest node). The fused pass runs iterations `i..i + LANES` together on the first
    /// call and answers the next ones from them (each depends on its index alone).
    pub fn iterate(&self, plan: &SamplePlan, seed: u64, i: u64, s: &mut Scratch) -> usize {
        if let Some(steps) = &self.fused {
            let lanes = &s.lanes;
            if !(lanes.first <= i && i - lanes.first < LANES as u64) {
                self.run_lanes(steps, plan, seed, i, s);
            }
            let lanes = &mut s.lanes;
            lanes.cur = (i - lanes.first) as usize;
            return lanes.last[lanes.cur];
        }
        s.dur.copy_from_slice(&self.base);
        if self.correlated {
            plan.draw(seed, i, &mut s.draws, &mut s.factors);
            for (h, &u) in s.h.iter_mut().zip(&s.draws.u) {
                *h = bits(u);
            }
            match &self.parts {
                Parts::Pert { .. } => self.pert_durations(&s.h, &mut s.dur),
                Parts::Generic => {
                    for ((&n, &k), &u) in self
                        .random_nodes
                        .iter()
                        .zip(&self.random_pos)
                        .zip(&s.draws.u)
                    {
                        s.dur[k as usize] = self.durations.duration(n, u);
                    }
                }
            }
            s.happened.copy_from_slice(&s.draws.happened);
            if s.happened.iter().any(|&h| h) {
                for (d, &n) in s.dur.iter_mut().zip(&self.node_of) {
                    *d += s.draws.delay[n as usize];
                }
            }
        } else {
            let mut rng = iteration_rng(seed, i);
            fill_uniforms(&mut rng, &mut s.h);
            match &self.parts {
                Parts::Pert { .. } => self.pert_durations(&s.h, &mut s.dur),
                Parts::Generic => {
                    for ((&n, &k), &h) in self.random_nodes.iter().zip(&self.random_pos).zip(&s.h) {
                        s.dur[k as usize] = self.durations.duration(n, uniform(h));
                    }
                }
            }
            let (dur, pos_of) = (&mut s.dur, &self.pos_of);
            plan.draw_risks(&mut rng, &mut s.happened, |n, days| {
                dur[pos_of[n] as usize] += days;
            });
        }
        if let Some(clock) = &self.clock {
            self.forward_on_calendars(clock, &s.dur, &mut s.start, &mut s.finish)
        } else if self.linked {
            self.forward_linked(&s.dur, &mut s.finish)
        } else if self.lags {
            self.forward::<true>(&s.dur, &mut s.finish)
        } else {
            self.forward::<false>(&s.dur, &mut s.finish)
        }
    }

    /// Draws iterations `i..i + LANES` into the lanes and runs the fused pass over them.
    fn run_lanes(&self, steps: &[Step], plan: &SamplePlan, seed: u64, i: u64, s: &mut Scratch) {
        let m = self.random_nodes.len();
        let risks = s.happened.len();
        let lanes = &mut s.lanes;
        if lanes.dirty {
            lanes.delay.fill([0.0; LANES]);
            lanes.dirty = false;
        }
        for lane in 0..LANES {
            let it = i + lane as u64;
            let happened = &mut lanes.happened[lane * risks..(lane + 1) * risks];
            let ranks = &mut lanes.ranks[lane * m..(lane + 1) * m];
            if self.correlated {
                plan.draw(seed, it, &mut s.draws, &mut s.factors);
                for ((h, r), &u) in lanes.h[..m].iter_mut().zip(ranks).zip(&s.draws.u) {
                    h[lane] = bits(u);
                    *r = rank16(h[lane]);
                }
                happened.copy_from_slice(&s.draws.happened);
                if happened.iter().any(|&h| h) {
                    for (d, &n) in lanes.delay.iter_mut().zip(&self.node_of) {
                        d[lane] += s.draws.delay[n as usize];
                    }
                    lanes.dirty = true;
                }
            } else {
                let mut rng = iteration_rng(seed, it);
                // As `fill_uniforms`, two per output, keeping the ranks as well.
                let mut pairs = lanes.h[..m]
                    .chunks_exact_mut(2)
                    .zip(ranks.chunks_exact_mut(2));
                for (h, r) in &mut pairs {
                    let x = rng.next_u64();
                    let (a, b) = (
                        (x >> (64 - U_BITS)) as u32,
                        ((x >> (32 - U_BITS)) as u32) & U_MAX,
                    );
                    (h[0][lane], h[1][lane]) = (a, b);
                    (r[0], r[1]) = (rank16(a), rank16(b));
                }
                if m % 2 == 1 {
                    let a = (rng.next_u64() >> (64 - U_BITS)) as u32;
                    lanes.h[m - 1][lane] = a;
                    lanes.ranks[lane * m + m - 1] = rank16(a);
                }
                let (delay, pos_of, dirty) = (&mut lanes.delay, &self.pos_of, &mut lanes.dirty);
                plan.draw_risks(&mut rng, happened, |n, days| {
                    delay[pos_of[n] as usize][lane] += days;
                    *dirty = true;
                });
            }
        }
        lanes.first = i;
        let rows = self.blended_rows();
        match (self.lags, lanes.dirty) {
            (false, false) => self.forward_lanes::<false, false>(steps, rows, lanes),
            (false, true) => self.forward_lanes::<false, true>(steps, rows, lanes),
            (true, false) => self.forward_lanes::<true, false>(steps, rows, lanes),
            (true, true) => self.forward_lanes::<true, true>(steps, rows, lanes),
        }
    }

    fn blended_rows(&self) -> &[f32] {
        match &self.parts {
            Parts::Pert {
                shapes: Shapes::Blended(rows),
                ..
            } => rows,
            _ => &[],
        }
    }

    /// A fused position's sampled duration for uniform `h`, before risk delays.
    #[inline(always)]
    fn step_duration(step: &Step, rows: &[f32], h: u32) -> f64 {
        let i = (h >> FRAC_BITS) as usize & (QUANTILE_TABLE - 1);
        let frac = ((h & ((1 << FRAC_BITS) - 1)) as f32 + 0.5) * (1.0 / (1 << FRAC_BITS) as f32);
        let at = step.offset as usize;
        let row: &[f32; ROW] = rows[at..at + ROW].try_into().expect("one row");
        let q = row[i] + frac * (row[i + 1] - row[i]);
        step.low + step.range * f64::from(q)
    }

    /// The forward pass over all lanes at once, each position's duration drawn as it is
    /// reached (same values as [`Self::pert_durations`]); with `DELAYS`, risk delays are added.
    #[inline]
    fn forward_lanes<const LAGS: bool, const DELAYS: bool>(
        &self,
        steps: &[Step],
        rows: &[f32],
        lanes: &mut Lanes,
    ) {
        let (h, delay, finish) = (&lanes.h, &lanes.delay, &mut lanes.finish);
        let mut latest = [f64::NEG_INFINITY; LANES];
        let mut last = [0usize; LANES];
        let mut tie = [false; LANES];
        let preds = self.pred_start.windows(2);
        for (k, (pr, step)) in preds.zip(steps).enumerate() {
            let (a, b) = (pr[0] as usize, pr[1] as usize);
            let mut start = [0.0f64; LANES];
            if LAGS {
                for (&p, &lag) in self.pred_pos[a..b].iter().zip(&self.pred_lag[a..b]) {
                    let f = &finish[p as usize];
                    for (s, &f) in start.iter_mut().zip(f) {
                        let ready = f + lag;
                        *s = if ready > *s { ready } else { *s };
                    }
                }
            } else {
                for &p in &self.pred_pos[a..b] {
                    let f = &finish[p as usize];
                    for (s, &f) in start.iter_mut().zip(f) {
                        *s = if f > *s { f } else { *s };
                    }
                }
            }
            let hs = &h[step.draw as usize];
            let mut f = [0.0f64; LANES];
            for l in 0..LANES {
                let mut d = Self::step_duration(step, rows, hs[l]);
                if DELAYS {
                    d += delay[k][l];
                }
                f[l] = start[l] + d;
            }
            finish[k] = f;
            for l in 0..LANES {
                let better = f[l] > latest[l];
                tie[l] = (tie[l] && !better) || f[l] == latest[l];
                latest[l] = if better { f[l] } else { latest[l] };
                last[l] = if better { k } else { last[l] };
            }
        }
        for l in 0..LANES {
            if tie[l] {
                // Rare (say a milestone right after the last task): the lowest node of the tie.
                let (mut best, mut lowest) = (0, u32::MAX);
                for (k, (f, &n)) in finish.iter().zip(&self.node_of).enumerate() {
                    if f[l] == latest[l] && n < lowest {
                        lowest = n;
                        best = k;
                    }
                }
                last[l] = best;
            }
        }
        lanes.last = last;
    }

    /// The same kernel reading the shared table's two rows per draw (as with more than
    /// [`MAX_BLENDED`] shapes).
    #[cfg(test)]
    pub(crate) fn grid_only(&self) -> Self {
        let mut k = self.clone();
        k.parts = pert_parts(&self.durations, &self.random_nodes, &self.pos_of, 0)
            .unwrap_or(Parts::Generic);
        k.fused = None;
        k
    }

    /// The same kernel sampling before the forward pass, never inside it.
    #[cfg(test)]
    pub(crate) fn unfused(&self) -> Self {
        let mut k = self.clone();
        k.fused = None;
        k
    }

    /// Whether sampling is folded into the forward pass.
    #[cfg(test)]
    pub(crate) fn is_fused(&self) -> bool {
        self.fused.is_some()
    }

    /// Durations per node for the 23-bit uniforms `h` of the random nodes, without risks.
    #[cfg(test)]
    pub(crate) fn durations_for(&self, h: &[u32]) -> Vec<f64> {
        let mut dur = self.base.clone();
        match &self.parts {
            Parts::Pert { .. } => self.pert_durations(h, &mut dur),
            Parts::Generic => {
                for ((&n, &k), &h) in self.random_nodes.iter().zip(&self.random_pos).zip(h) {
                    dur[k as usize] = self.durations.duration(n, uniform(h));
                }
            }
        }
        self.pos_of.iter().map(|&k| dur[k as usize]).collect()
    }

    /// PERT durations of the random nodes from their 23-bit uniforms.
    #[inline]
    fn pert_durations(&self, h: &[u32], dur: &mut [f64]) {
        let Parts::Pert { single, shapes, .. } = &self.parts else {
            return;
        };
        match (single, shapes) {
            (true, Shapes::Blended(rows)) => self.pert_loop::<true, true>(h, dur, rows, &[]),
            (false, Shapes::Blended(rows)) => self.pert_loop::<false, true>(h, dur, rows, &[]),
            (true, Shapes::Grid(w)) => self.pert_loop::<true, false>(h, dur, pert_table(), w),
            (false, Shapes::Grid(w)) => self.pert_loop::<false, false>(h, dur, pert_table(), w),
        }
    }

    /// Per part: the quantile row read at `u` (linear interpolation between the two table
    /// entries around it); with `BLENDED` false, the two neighbouring grid shapes are each read
    /// and blended by `weight`. With `SINGLE`, part `p` is random node `p`'s only part.
    #[inline(always)]
    fn pert_loop<const SINGLE: bool, const BLENDED: bool>(
        &self,
        h: &[u32],
        dur: &mut [f64],
        table: &[f32],
        weight: &[f32],
    ) {
        let Parts::Pert {
            draw,
            pos,
            low,
            range,
            offset,
            ..
        } = &self.parts
        else {
            return;
        };
        let width = if BLENDED { ROW } else { 2 * ROW };
        let parts = draw.iter().zip(pos).zip(low).zip(range).zip(offset);
        for (p, ((((&r, &k), &low), &range), &offset)) in parts.enumerate() {
            let h = if SINGLE { h[p] } else { h[r as usize] };
            // i < QUANTILE_TABLE, so i + 1 (and ROW + i + 1) stay inside the row(s).
            let i = (h >> FRAC_BITS) as usize & (QUANTILE_TABLE - 1);
            let frac =
                ((h & ((1 << FRAC_BITS) - 1)) as f32 + 0.5) * (1.0 / (1 << FRAC_BITS) as f32);
            let rows = &table[offset as usize..offset as usize + width];
            let q = if BLENDED {
                let row: &[f32; ROW] = rows.try_into().expect("one row");
                row[i] + frac * (row[i + 1] - row[i])
            } else {
                let rows: &[f32; 2 * ROW] = rows.try_into().expect("two rows");
                let lower = rows[i] + frac * (rows[i + 1] - rows[i]);
                let upper = rows[ROW + i] + frac * (rows[ROW + i + 1] - rows[ROW + i]);
                lower + weight[p] * (upper - lower)
            };
            let v = low + range * f64::from(q);
            let d = &mut dur[k as usize];
            if SINGLE || v > *d {
                *d = v;
            }
        }
    }

    /// CPM forward pass over positions (starts floored at 0, recovered by the chain as finish
    /// minus duration). Returns the position that finishes last (on a tie, the lowest node).
    #[inline]
    fn forward<const LAGS: bool>(&self, dur: &[f64], finish: &mut [f64]) -> usize {
        let mut latest = f64::NEG_INFINITY;
        let (mut last, mut tie) = (0, false);
        let rows = self.pred_start.windows(2);
        for (k, (row, &d)) in rows.zip(dur).enumerate() {
            let (a, b) = (row[0] as usize, row[1] as usize);
            let mut s = 0.0f64;
            if LAGS {
                for (&p, &lag) in self.pred_pos[a..b].iter().zip(&self.pred_lag[a..b]) {
                    let ready = finish[p as usize] + lag;
                    s = if ready > s { ready } else { s };
                }
            } else {
                for &p in &self.pred_pos[a..b] {
                    let ready = finish[p as usize];
                    s = if ready > s { ready } else { s };
                }
            }
            let f = s + d;
            finish[k] = f;
            // Branch-free: the first position reaching the latest finish, and whether a later
            // one ties with it.
            let better = f > latest;
            tie = (tie && !better) || f == latest;
            latest = if better { f } else { latest };
            last = if better { k } else { last };
        }
        if tie {
            // Rare (say a milestone right after the last task): the lowest node of the tie.
            let mut lowest = u32::MAX;
            for (k, (&f, &n)) in finish.iter().zip(&self.node_of).enumerate() {
                if f == latest && n < lowest {
                    lowest = n;
                    last = k;
                }
            }
        }
        last
    }

    /// [`Self::forward`] with links of every type: a link asks for a start from its
    /// predecessor's start (SS, SF) or finish (FS, FF), less this node's duration when it
    /// ends at the finish (FF, SF); starts are floored at 0.
    fn forward_linked(&self, dur: &[f64], finish: &mut [f64]) -> usize {
        let mut latest = f64::NEG_INFINITY;
        let mut last = 0;
        let rows = self.pred_start.windows(2);
        for (k, (row, &d)) in rows.zip(dur).enumerate() {
            let (a, b) = (row[0] as usize, row[1] as usize);
            let mut s = self.release.get(k).copied().unwrap_or(0.0);
            for e in a..b {
                let p = self.pred_pos[e] as usize;
                let ready = self.pred_kind[e].earliest_start(
                    finish[p] - dur[p],
                    finish[p],
                    self.pred_lag[e],
                    d,
                );
                s = if ready > s { ready } else { s };
            }
            finish[k] = s + d;
            if finish[k] > latest {
                latest = finish[k];
                last = k;
            }
        }
        // On a tie, the lowest node, as the finish-to-start pass answers.
        let mut lowest = u32::MAX;
        for (k, (&f, &n)) in finish.iter().zip(&self.node_of).enumerate() {
            if f == latest && n < lowest {
                lowest = n;
                last = k;
            }
        }
        last
    }

    /// The chain that set the finish, as nodes: from position `last` back through the first
    /// predecessor whose link alone sets the start (finish plus lag for finish-to-start),
    /// until a node starts at day 0. Calls `visit(node)` for each.
    pub fn chain(&self, last: usize, s: &Scratch, mut visit: impl FnMut(usize)) {
        if let Some(steps) = &self.fused {
            return self.chain_lanes(steps, last, s, visit);
        }
        if let Some(clock) = &self.clock {
            return self.chain_on_calendars(clock, last, s, visit);
        }
        let mut cur = last;
        loop {
            visit(self.node_of[cur] as usize);
            let start = s.finish[cur] - s.dur[cur];
            let (a, b) = (
                self.pred_start[cur] as usize,
                self.pred_start[cur + 1] as usize,
            );
            let driver = (a..b)
                .map(|e| {
                    (
                        self.pred_pos[e] as usize,
                        self.pred_lag[e],
                        self.pred_kind[e],
                    )
                })
                .find(|&(p, lag, kind)| {
                    let ready = if self.linked {
                        let d = s.dur[cur];
                        kind.earliest_start(s.finish[p] - s.dur[p], s.finish[p], lag, d)
                    } else {
                        s.finish[p] + lag
                    };
                    (ready - start).abs() <= EPS
                });
            let released = self
                .release
                .get(cur)
                .is_some_and(|&r| r > EPS && (start - r).abs() <= EPS);
            match driver {
                Some((p, _, _)) if !released && (start > EPS || s.finish[p] > EPS) => cur = p,
                _ => break,
            }
        }
    }
}

impl PrecedenceKernel {
    /// [`Self::chain`] in the current lane of the fused pass, durations recomputed as the pass
    /// computed them (adding a zero delay changes nothing).
    fn chain_lanes(&self, steps: &[Step], last: usize, s: &Scratch, mut visit: impl FnMut(usize)) {
        let (lanes, lane, rows) = (&s.lanes, s.lanes.cur, self.blended_rows());
        let mut cur = last;
        loop {
            visit(self.node_of[cur] as usize);
            let step = &steps[cur];
            let d = Self::step_duration(step, rows, lanes.h[step.draw as usize][lane])
                + lanes.delay[cur][lane];
            let start = lanes.finish[cur][lane] - d;
            let (a, b) = (
                self.pred_start[cur] as usize,
                self.pred_start[cur + 1] as usize,
            );
            let preds = self.pred_pos[a..b].iter().zip(&self.pred_lag[a..b]);
            let driver = preds
                .map(|(&p, &lag)| (p as usize, lanes.finish[p as usize][lane] + lag))
                .find(|&(_, ready)| (ready - start).abs() <= EPS);
            match driver {
                Some((p, _)) if start > EPS || lanes.finish[p][lane] > EPS => cur = p,
                _ => break,
            }
        }
    }
}

/// Fills `out` with 23-bit uniforms, two from each 64-bit output of `rng` (its top 23 bits,
/// then the top 23 bits of its low half); an odd last one takes the top of a fresh output.
impl PrecedenceKernel {
    /// [`Self::forward_linked`] with a calendar per position: each link's start is asked in
    /// the successor's working days (its lag counts there), and work starts at the beginning
    /// of a working day of its own and ends at the end of one (see [`crate::cpm::WorkTime`]).
    fn forward_on_calendars(
        &self,
        clock: &GridClock,
        dur: &[f64],
        start: &mut [f64],
        finish: &mut [f64],
    ) -> usize {
        let mut latest = f64::NEG_INFINITY;
        let mut last = 0;
        let rows = self.pred_start.windows(2);
        for (k, (row, &d)) in rows.zip(dur).enumerate() {
            let (a, b) = (row[0] as usize, row[1] as usize);
            let release = self.release.get(k).copied().unwrap_or(0.0);
            let mut c = clock.count(k, release);
            for e in a..b {
                let p = self.pred_pos[e] as usize;
                let ready = self.pred_kind[e].earliest_start(
                    clock.count(k, start[p]),
                    clock.count(k, finish[p]),
                    self.pred_lag[e],
                    d,
                );
                c = if ready > c { ready } else { c };
            }
            finish[k] = clock.finish_at(k, c + d);
            start[k] = if d > 0.0 {
                clock.start_at(k, c)
            } else {
                finish[k]
            };
            if finish[k] > latest {
                latest = finish[k];
                last = k;
            }
        }
        let mut lowest = u32::MAX;
        for (k, (&f, &n)) in finish.iter().zip(&self.node_of).enumerate() {
            if f == latest && n < lowest {
                lowest = n;
                last = k;
            }
        }
        last
    }

    /// [`Self::chain`] on calendars: the first predecessor whose link alone asks for the
    /// start, in the node's working days, until a node starts at its release or day 0.
    fn chain_on_calendars(
        &self,
        clock: &GridClock,
        last: usize,
        s: &Scratch,
        mut visit: impl FnMut(usize),
    ) {
        let mut cur = last;
        loop {
            visit(self.node_of[cur] as usize);
            let d = s.dur[cur];
            let start = clock.count(cur, s.finish[cur]) - d;
            let (a, b) = (
                self.pred_start[cur] as usize,
                self.pred_start[cur + 1] as usize,
            );
            let driver = (a..b)
                .map(|e| (self.pred_pos[e] as usize, e))
                .find(|&(p, e)| {
                    let ready = self.pred_kind[e].earliest_start(
                        clock.count(cur, s.start[p]),
                        clock.count(cur, s.finish[p]),
                        self.pred_lag[e],
                        d,
                    );
                    (ready - start).abs() <= EPS
                });
            let release = self.release.get(cur).copied().unwrap_or(0.0);
            let released = release > EPS && (start - clock.count(cur, release)).abs() <= EPS;
            match driver {
                Some((p, _)) if !released && (start > EPS || s.finish[p] > EPS) => cur = p,
                _ => break,
            }
        }
    }
}

#[inline]
fn fill_uniforms(rng: &mut impl RngCore, out: &mut [u32]) {
    let mut pairs = out.chunks_exact_mut(2);
    for pair in &mut pairs {
        let x = rng.next_u64();
        pair[0] = (x >> (64 - U_BITS)) as u32;
        pair[1] = ((x >> (32 - U_BITS)) as u32) & U_MAX;
    }
    if let [h] = pairs.into_remainder() {
        *h = (rng.next_u64() >> (64 - U_BITS)) as u32;
    }
}

/// The fused pass's steps per position, when every random node has one PERT part and the
/// shapes have blended rows: `draw_count` is the spare uniform's index.
fn fused_steps(parts: &Parts, base: &[f64], draw_count: usize) -> Option<Vec<Step>> {
    let Parts::Pert {
        single: true,
        draw,
        pos,
        low,
        range,
        offset,
        shapes: Shapes::Blended(_),
    } = parts
    else {
        return None;
    };
    let mut steps: Vec<Step> = base
        .iter()
        .map(|&b| Step {
            low: b,
            range: 0.0,
            offset: 0,
            draw: draw_count as u32,
        })
        .collect();
    for ((((&r, &k), &low), &range), &offset) in
        draw.iter().zip(pos).zip(low).zip(range).zip(offset)
    {
        steps[k as usize] = Step {
            low,
            range,
            offset,
            draw: r,
        };
    }
    Some(steps)
}

/// Flat PERT parts of the random nodes, or `None` when some part is neither PERT nor fixed.
fn pert_parts(
    durations: &DurationModel,
    random_nodes: &[usize],
    pos_of: &[u32],
    max_blended: usize,
) -> Option<Parts> {
    let (mut draw, mut pos, mut low, mut range, mut grid, mut weight) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for (r, &n) in random_nodes.iter().enumerate() {
        for (sampler, scale) in durations.parts(n) {
            let (l, g, row, w) = match *sampler {
                Sampler::Constant(v) => (v * scale, 0.0, 0, 0.0),
                Sampler::Pert {
                    low,
                    range,
                    weight,
                    row,
                    ..
                } => (low * scale, range * scale, row, weight as f32),
                _ => return None,
            };
            draw.push(r as u32);
            pos.push(pos_of[n]);
            low.push(l);
            range.push(g);
            grid.push(row);
            weight.push(w);
        }
    }
    let single = draw.len() == random_nodes.len();
    // Distinct shapes (grid row, weight), each blended once into its own row.
    let mut keys: Vec<(u32, u32)> = grid
        .iter()
        .zip(&weight)
        .map(|(&r, w)| (r, w.to_bits()))
        .collect();
    // At least one row: fixed durations in the fused pass read row 0 (times a zero range).
    keys.push((0, 0));
    keys.sort_unstable();
    keys.dedup();
    let table = pert_table();
    let (offset, shapes) = if keys.len() <= max_blended {
        let mut rows = Vec::with_capacity(keys.len() * ROW);
        for &(row, w) in &keys {
            let w = f32::from_bits(w);
            let at = row as usize * ROW;
            let (lower, upper) = (&table[at..at + ROW], &table[at + ROW..at + 2 * ROW]);
            rows.extend(lower.iter().zip(upper).map(|(&a, &b)| a + w * (b - a)));
        }
        let offset = grid
            .iter()
            .zip(&weight)
            .map(|(&r, w)| {
                let k = keys
                    .binary_search(&(r, w.to_bits()))
                    .expect("a listed shape");
                (k * ROW) as u32
            })
            .collect();
        (offset, Shapes::Blended(rows))
    } else {
        let offset = grid.iter().map(|&r| r * ROW as u32).collect();
        (offset, Shapes::Grid(weight))
    };
    Some(Parts::Pert {
        single,
        draw,
        pos,
        low,
        range,
        offset,
        shapes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniforms_split_into_table_interval_and_fraction() {
        assert!(uniform(0) > 0.0 && uniform(U_MAX) < 1.0);
        assert_eq!(bits(uniform(12345)), 12345);
        assert_eq!(rank16(U_MAX), u16::MAX);
        assert_eq!(rank16(bits(0.5)), super::super::stats::quantise(0.5));
        // Interval index from the top bits equals floor(u * QUANTILE_TABLE).
        for h in [0, 1 << FRAC_BITS, 777_777, U_MAX] {
            let u = uniform(h);
            assert_eq!(
                (h >> FRAC_BITS) as usize,
                (u * QUANTILE_TABLE as f64) as usize
            );
        }
    }
}
