//! Horizontal bar charts of risk drivers: the tornado of rank correlations (which task's
//! duration moves the finish most) and the criticality index (how often a task is on the
//! critical chain). Bars carry their value as text, and the tornado's directions differ in
//! pattern as well as colour.

use super::page::pct;
use super::svg::{Scale, Svg};
use crate::report::fit;

const W: f64 = 620.0;
const LABEL: f64 = 190.0;
const ROW: f64 = 18.0;
/// Bars shown: the top drivers; the rest add little to a reading at a glance.
const TOP_N: usize = 12;

/// The tornado chart of scenario `k`: Spearman correlation of each task's duration with the
/// program finish, strongest first, centred on zero.
pub fn tornado(k: usize, sensitivity: &[(String, f64)]) -> String {
    let mut rows: Vec<&(String, f64)> = sensitivity.iter().collect();
    rows.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    rows.truncate(TOP_N);
    let h = 40.0 + ROW * rows.len().max(1) as f64 + 24.0;
    let reach = rows.iter().map(|r| r.1.abs()).fold(0.1, f64::max);
    let x = Scale::new((-reach, reach), (LABEL, W - 50.0));
    let mut s = Svg::new(
        &format!("tornado-{k}"),
        W,
        h,
        "Top risk drivers: rank correlation of task duration with the finish",
    );
    s.text(
        4.0,
        14.0,
        "start",
        "title",
        "Top risk drivers (Spearman ρ of duration with finish)",
    );
    let zero = x.at(0.0);
    if rows.is_empty() {
        s.text(
            LABEL,
            40.0,
            "start",
            "muted",
            "no uncertain task durations in the model",
        );
    }
    for (i, (id, v)) in rows.iter().enumerate() {
        let y = 30.0 + ROW * i as f64;
        s.text(LABEL - 6.0, y + 12.0, "end", "", &fit(id, 28));
        let px = x.at(*v);
        let (x0, class) = if *v >= 0.0 {
            (zero, "pos")
        } else {
            (px, "neg")
        };
        s.rect_titled(
            x0,
            y + 2.0,
            (px - zero).abs(),
            ROW - 4.0,
            class,
            &format!("{id}: ρ = {v:.2}"),
        );
        let (tx, anchor) = if *v >= 0.0 {
            (px + 4.0, "start")
        } else {
            (px - 4.0, "end")
        };
        s.text(tx, y + 12.0, anchor, "small", &format!("{v:+.2}"));
    }
    let base = 30.0 + ROW * rows.len().max(1) as f64;
    s.line(zero, 24.0, zero, base, "axis");
    s.text(
        zero,
        base + 16.0,
        "middle",
        "small",
        "0 · solid bars: longer task → later finish; dotted: longer → earlier",
    );
    s.finish()
}

/// The criticality index of scenario `k`: share of iterations in which each task was on the
/// critical chain, highest first.
pub fn criticality(k: usize, index: &[(String, f64)]) -> String {
    let mut rows: Vec<&(String, f64)> = index.iter().filter(|r| r.1 > 0.0).collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    rows.truncate(TOP_N);
    let h = 40.0 + ROW * rows.len().max(1) as f64 + 24.0;
    let x = Scale::new((0.0, 1.0), (LABEL, W - 50.0));
    let mut s = Svg::new(
        &format!("criticality-{k}"),
        W,
        h,
        "Criticality index: share of iterations on the critical chain",
    );
    s.text(
        4.0,
        14.0,
        "start",
        "title",
        "Criticality index (share of iterations on the critical chain)",
    );
    if rows.is_empty() {
        s.text(LABEL, 40.0, "start", "muted", "no task was ever critical");
    }
    for (i, (id, v)) in rows.iter().enumerate() {
        let y = 30.0 + ROW * i as f64;
        s.text(LABEL - 6.0, y + 12.0, "end", "", &fit(id, 28));
        s.rect_titled(
            x.at(0.0),
            y + 2.0,
            x.at(*v) - x.at(0.0),
            ROW - 4.0,
            "crit-idx",
            &format!("{id}: critical in {} of iterations", pct(*v)),
        );
        s.text(x.at(*v) + 4.0, y + 12.0, "start", "small", &pct(*v));
    }
    let base = 30.0 + ROW * rows.len().max(1) as f64;
    s.line(x.at(0.0), 24.0, x.at(0.0), base, "axis");
    for p in [0.0, 0.5, 1.0] {
        s.text(x.at(p), base + 14.0, "middle", "small", &pct(p));
    }
    s.finish()
}
