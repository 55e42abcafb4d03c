//! Three-point estimates turned into samplers by inverse transform: every draw is a uniform
//! `u` in (0, 1) mapped through the distribution's quantile function. One uniform per draw keeps
//! sampling cheap, lets the Gaussian copula of [`super::sample`] correlate any of the three
//! distributions the same way, and makes `u` itself the draw's rank (used for sensitivity).

use crate::model::scenario::Distribution;
use crate::model::Estimate;
use std::sync::OnceLock;

/// Intervals of each tabulated beta quantile function (linear interpolation between them).
pub const QUANTILE_TABLE: usize = 1024;
/// Intervals of the grid of PERT shapes: the mode's position `a = (m - o)/(p - o)` in [0, 1]
/// (linear interpolation between neighbouring shapes).
pub const SHAPE_GRID: usize = 128;
/// Points of the fine grid each beta distribution function is integrated on.
const CDF_GRID: usize = 8192;
/// z-value of the 95th percentile of the standard normal.
const Z95: f64 = 1.644_853_626_951_472_2;

/// Draws one value of a three-point estimate from a uniform `u` in (0, 1).
#[derive(Debug, Clone)]
pub enum Sampler {
    /// A value known exactly (o = p).
    Constant(f64),
    /// PERT-beta on [o, p] with mode m: `o + (p - o) * Q(u)` with `Q` the quantile function
    /// of Beta(1 + 4a, 1 + 4(1 - a)), a = (m - o)/(p - o). PERT shapes form a one-parameter
    /// family, so one table of quantiles over a grid of `a` serves every estimate.
    Pert {
        /// Optimistic value.
        low: f64,
        /// `p - o`.
        range: f64,
        /// Quantiles of the grid shape at or below `a`.
        lower: &'static [f32],
        /// Quantiles of the next grid shape.
        upper: &'static [f32],
        /// Weight of `upper` (`a * SHAPE_GRID` minus the lower row's index).
        weight: f64,
        /// Index of the lower row in [`pert_table`] (the upper row follows it).
        row: u32,
    },
    /// Triangular on [o, p] with mode m.
    Triangular {
        /// Optimistic.
        low: f64,
        /// Most likely.
        mode: f64,
        /// Pessimistic.
        high: f64,
    },
    /// `o + exp(mu + sigma * z)`: a lognormal shifted to start at o (see [`Sampler::lognormal`]).
    Lognormal {
        /// Optimistic: the shift.
        low: f64,
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
}

/// Builds samplers from three-point estimates.
#[derive(Debug, Default)]
pub struct SamplerFactory;

impl SamplerFactory {
    /// The sampler of `estimate` under `distribution`.
    pub fn sampler(&self, estimate: &Estimate, distribution: Distribution) -> Sampler {
        let (o, m, p) = (estimate.optimistic, estimate.likely, estimate.pessimistic);
        if p.partial_cmp(&o) != Some(std::cmp::Ordering::Greater) {
            return Sampler::Constant(m);
        }
        match distribution {
            Distribution::Pert => {
                let pos = ((m - o) / (p - o)).clamp(0.0, 1.0) * SHAPE_GRID as f64;
                let row = (pos as usize).min(SHAPE_GRID - 1);
                let width = QUANTILE_TABLE + 1;
                let grid = pert_grid();
                Sampler::Pert {
                    low: o,
                    range: p - o,
                    lower: &grid[row * width..(row + 1) * width],
                    upper: &grid[(row + 1) * width..(row + 2) * width],
                    weight: pos - row as f64,
                    row: row as u32,
                }
            }
            Distribution::Triangular => Sampler::Triangular {
                low: o,
                mode: m,
                high: p,
            },
            Distribution::Lognormal => Sampler::lognormal(o, m, p),
        }
    }
}

impl Sampler {
    /// The lognormal fitted to (o, m, p), o < p: shifted to start at the optimistic value, with
    /// its mode at the most likely value and its 95th percentile at the pessimistic value, so
    /// about 1 run in 20 is worse than the pessimistic estimate (the long right tail is the
    /// point of choosing it). With Y = X - o: mode(Y) = exp(mu - sigma^2) = m - o and
    /// P95(Y) = exp(mu + 1.645 sigma) = p - o, so sigma^2 + 1.645 sigma = ln((p - o)/(m - o)).
    /// A mode at an end of the range cannot be fitted; it is moved 1% of the range inside.
    pub fn lognormal(o: f64, m: f64, p: f64) -> Sampler {
        let range = p - o;
        let mode = (m - o).clamp(0.01 * range, 0.99 * range);
        let d = (range / mode).ln();
        let sigma = (-Z95 + (Z95 * Z95 + 4.0 * d).sqrt()) / 2.0;
        let mu = mode.ln() + sigma * sigma;
        Sampler::Lognormal { low: o, mu, sigma }
    }

    /// The value at quantile `u` in (0, 1).
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Pert {
                low,
                range,
                lower,
                upper,
                weight,
                ..
            } => low + range * pert_quantile(lower, upper, *weight, u),
            Sampler::Triangular { low, mode, high } => triangular_quantile(*low, *mode, *high, u),
            Sampler::Lognormal { low, mu, sigma } => low + (mu + sigma * normal_quantile(u)).exp(),
        }
    }

    /// True when draws vary.
    pub fn is_random(&self) -> bool {
        !matches!(self, Sampler::Constant(_))
    }

    /// The distribution's mean (closed form; the tabulated PERT gives (o + 4m + p) / 6 up to the
    /// table's error).
    pub fn mean(&self) -> f64 {
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Pert {
                low,
                range,
                lower,
                upper,
                weight,
                ..
            } => {
                // Trapezoid over the table: the mean of Q(u) on (0, 1).
                let n = QUANTILE_TABLE;
                let q = |k: usize| pert_quantile(lower, upper, *weight, k as f64 / n as f64);
                let sum: f64 = (0..n).map(|k| (q(k) + q(k + 1)) / 2.0).sum();
                low + range * sum / n as f64
            }
            Sampler::Triangular { low, mode, high } => (low + mode + high) / 3.0,
            Sampler::Lognormal { low, mu, sigma } => low + (mu + sigma * sigma / 2.0).exp(),
        }
    }
}

/// Quantile tables of the PERT shapes a = k / SHAPE_GRID, k = 0..=SHAPE_GRID, one row of
/// QUANTILE_TABLE + 1 values each (f32: 0.5 MB, so the table stays in a core's cache).
/// Row `k` is `pert_table()[k * (QUANTILE_TABLE + 1)..(k + 1) * (QUANTILE_TABLE + 1)]`.
pub fn pert_table() -> &'static [f32] {
    pert_grid()
}

fn pert_grid() -> &'static [f32] {
    static GRID: OnceLock<Vec<f32>> = OnceLock::new();
    GRID.get_or_init(|| {
        let logs = GridLogs::new();
        (0..=SHAPE_GRID)
            .flat_map(|k| {
                let a = k as f64 / SHAPE_GRID as f64;
                beta_quantile_table(&logs, 1.0 + 4.0 * a, 5.0 - 4.0 * a)
            })
            .map(|x| x as f32)
            .collect()
    })
}

/// The standard PERT quantile at `u`: the two neighbouring grid shapes, each interpolated in
/// `u`, blended by `weight`.
#[inline]
fn pert_quantile(lower: &[f32], upper: &[f32], weight: f64, u: f64) -> f64 {
    let pos = u * QUANTILE_TABLE as f64;
    let i = (pos as usize).min(QUANTILE_TABLE - 1);
    let frac = pos - i as f64;
    let at = |t: &[f32]| f64::from(t[i]) + frac * f64::from(t[i + 1] - t[i]);
    let low = at(lower);
    if weight == 0.0 {
        low
    } else {
        low + weight * (at(upper) - low)
    }
}

/// ln x and ln(1 - x) on the integration grid, shared by every shape.
struct GridLogs {
    ln_x: Vec<f64>,
    ln_1mx: Vec<f64>,
}

impl GridLogs {
    fn new() -> Self {
        let h = 1.0 / CDF_GRID as f64;
        let xs = (0..=CDF_GRID).map(|k| k as f64 * h);
        GridLogs {
            ln_x: xs.clone().map(f64::ln).collect(),
            ln_1mx: xs.map(|x| (1.0 - x).ln()).collect(),
        }
    }
}

#[inline]
fn triangular_quantile(o: f64, m: f64, p: f64, u: f64) -> f64 {
    let c = (m - o) / (p - o);
    if u < c {
        o + (u * (p - o) * (m - o)).sqrt()
    } else {
        p - ((1.0 - u) * (p - o) * (p - m)).sqrt()
    }
}

/// Quantiles of Beta(alpha, beta), alpha, beta >= 1, at u = k / QUANTILE_TABLE: the density is
/// integrated with the trapezoid rule on a fine grid (it is bounded for shapes >= 1), then the
/// distribution function is inverted by linear interpolation.
fn beta_quantile_table(logs: &GridLogs, alpha: f64, beta: f64) -> Vec<f64> {
    // exp of -inf is 0 and 0 * -inf is NaN: a zero exponent means a factor of exactly 1.
    let power = |e: f64, ln: f64| if e == 0.0 { 0.0 } else { e * ln };
    let density =
        |k: usize| (power(alpha - 1.0, logs.ln_x[k]) + power(beta - 1.0, logs.ln_1mx[k])).exp();
    let h = 1.0 / CDF_GRID as f64;
    let mut cdf = Vec::with_capacity(CDF_GRID + 1);
    cdf.push(0.0);
    let mut prev = density(0);
    let mut acc = 0.0;
    for k in 1..=CDF_GRID {
        let next = density(k);
        acc += (prev + next) * h / 2.0;
        cdf.push(acc);
        prev = next;
    }
    let total = acc;
    let mut table = Vec::with_capacity(QUANTILE_TABLE + 1);
    let mut k = 0usize;
    for q in 0..=QUANTILE_TABLE {
        let target = q as f64 / QUANTILE_TABLE as f64 * total;
        while k < CDF_GRID && cdf[k + 1] < target {
            k += 1;
        }
        let x = if k >= CDF_GRID {
            1.0
        } else {
            let span = cdf[k + 1] - cdf[k];
            let frac = if span > 0.0 {
                ((target - cdf[k]) / span).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (k as f64 + frac) * h
        };
        table.push(x);
    }
    table[0] = 0.0;
    table[QUANTILE_TABLE] = 1.0;
    table
}

/// The standard normal distribution function, from the complementary error function.
#[inline]
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Complementary error function with fractional error below 1.2e-7 everywhere
/// (Chebyshev fit, Press et al., Numerical Recipes, `erfcc`).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let ans = t * poly.exp();
    if x >= 0.0 {
        ans
    } else {
        2.0 - ans
    }
}

/// The standard normal quantile function (Acklam's rational approximation, relative error
/// below 1.2e-9).
pub fn normal_quantile(u: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if u < LOW {
        tail((-2.0 * u.ln()).sqrt())
    } else if u > 1.0 - LOW {
        -tail((-2.0 * (1.0 - u).ln()).sqrt())
    } else {
        let q = u - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(o: f64, m: f64, p: f64) -> Estimate {
        Estimate {
            optimistic: o,
            likely: m,
            pessimistic: p,
        }
    }

    #[test]
    fn pert_table_mean_matches_the_closed_form() {
        let f = SamplerFactory;
        for (o, m, p) in [
            (2.0, 5.0, 14.0),
            (0.0, 0.0, 10.0),
            (3.0, 9.0, 9.0),
            (1.0, 2.0, 3.0),
        ] {
            let s = f.sampler(&est(o, m, p), Distribution::Pert);
            let want = (o + 4.0 * m + p) / 6.0;
            assert!(
                (s.mean() - want).abs() < 1e-4 * (p - o),
                "{o} {m} {p}: {}",
                s.mean()
            );
        }
    }

    #[test]
    fn symmetric_pert_has_its_median_at_the_mode() {
        let s = SamplerFactory.sampler(&est(0.0, 5.0, 10.0), Distribution::Pert);
        assert!((s.quantile(0.5) - 5.0).abs() < 1e-6);
        assert_eq!(s.quantile(0.0), 0.0);
        assert_eq!(s.quantile(1.0), 10.0);
    }

    #[test]
    fn triangular_quantiles_invert_the_distribution_function() {
        // F(x) = (x - o)^2 / ((p - o)(m - o)) below the mode.
        let s = SamplerFactory.sampler(&est(0.0, 4.0, 10.0), Distribution::Triangular);
        assert!((s.quantile(0.4) - 4.0).abs() < 1e-12);
        assert!((s.quantile(0.1) - 2.0).abs() < 1e-12);
        assert!((s.mean() - 14.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn lognormal_fit_puts_the_mode_at_m_and_p95_at_p() {
        let Sampler::Lognormal { low, mu, sigma } = Sampler::lognormal(2.0, 5.0, 14.0) else {
            panic!("lognormal");
        };
        assert!((low + (mu - sigma * sigma).exp() - 5.0).abs() < 1e-9);
        let s = Sampler::lognormal(2.0, 5.0, 14.0);
        assert!((s.quantile(0.95) - 14.0).abs() < 1e-6);
    }

    #[test]
    fn normal_functions_are_inverse() {
        for u in [1e-6, 0.01, 0.2, 0.5, 0.8, 0.975, 0.999_999] {
            let z = normal_quantile(u);
            assert!((normal_cdf(z) - u).abs() < 2e-7 * u.max(1e-3), "{u}");
        }
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-8);
    }

    #[test]
    fn fixed_estimates_never_vary() {
        let s = SamplerFactory.sampler(&Estimate::fixed(3.0), Distribution::Pert);
        assert!(!s.is_random());
        assert_eq!(s.quantile(0.99), 3.0);
    }
}
