//! Milestone finish distributions: the S-curve (chance of finishing by each date) with the due
//! date and P50/P80 marked, the histogram of finish dates with late finishes hatched, and the
//! S-curves of several scenarios overlaid (told apart by dash pattern, not only by colour).

use super::page::{pct, MilestoneForecast, Page};
use super::svg::{esc, ticks, Scale, Svg};

const W: f64 = 410.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 14.0;

/// Legend of the per-scenario S-curves.
pub fn scurve_legend() -> String {
    "<p class=\"legend\">Top: chance of finishing by each date (S-curve); ● = P50, ■ hollow = \
     P80, dashed red line = due date. Bottom: iterations finishing on each working day; \
     hatched bars = late.</p>"
        .to_string()
}

/// The x range that shows a milestone: every finish and its due date, with a margin.
fn domain(m: &MilestoneForecast) -> (f64, f64) {
    let lo = m.histogram.first().map_or(m.p50, |h| h.0);
    let hi = m.histogram.last().map_or(m.p80, |h| h.0);
    let (lo, hi) = match m.deadline {
        Some(d) => (lo.min(d), hi.max(d)),
        None => (lo, hi),
    };
    let pad = ((hi - lo) * 0.05).max(2.0);
    ((lo - pad).max(0.0), hi + pad)
}

/// Points of the cumulative distribution as a step line.
fn cdf_points(m: &MilestoneForecast, x: &Scale, y: &Scale, lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let total: u64 = m.histogram.iter().map(|h| h.1).sum();
    let mut pts = vec![(x.at(lo), y.at(0.0))];
    let mut seen = 0u64;
    for &(day, count) in &m.histogram {
        let before = seen as f64 / total.max(1) as f64;
        seen += count;
        let after = seen as f64 / total.max(1) as f64;
        pts.push((x.at(day), y.at(before)));
        pts.push((x.at(day), y.at(after)));
    }
    pts.push((x.at(hi), y.at(if total > 0 { 1.0 } else { 0.0 })));
    pts
}

/// Date ticks along the bottom of a chart.
fn date_axis(s: &mut Svg, page: &Page, x: &Scale, lo: f64, hi: f64, base: f64) {
    s.line(LEFT, base, W - RIGHT, base, "axis");
    for t in ticks(lo, hi, 4) {
        let px = x.at(t);
        s.line(px, base, px, base + 4.0, "axis");
        s.text(
            px,
            base + 14.0,
            "middle",
            "small",
            &page.finish_date(t).strftime("%-d %b %y").to_string(),
        );
    }
}

/// The probability axis with gridlines at 0, 25, 50, 75 and 100 %.
fn probability_axis(s: &mut Svg, y: &Scale) {
    for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let py = y.at(p);
        s.line(LEFT, py, W - RIGHT, py, "grid-line");
        s.text(LEFT - 4.0, py + 3.0, "end", "small", &pct(p));
    }
    s.line(LEFT, y.at(0.0), LEFT, y.at(1.0), "axis");
}

/// The due date as a dashed vertical line with its label.
fn due_line(s: &mut Svg, x: &Scale, m: &MilestoneForecast, top: f64, base: f64) {
    if let (Some(d), Some(due)) = (m.deadline, m.due) {
        let px = x.at(d);
        s.line(px, top, px, base, "due-line");
        s.text(px + 3.0, top + 9.0, "start", "small", &format!("due {due}"));
    }
}

/// The S-curve of milestone `i` of scenario `k`.
pub fn scurve(page: &Page, k: usize, i: usize, m: &MilestoneForecast) -> String {
    let (h, top, base) = (190.0, 26.0, 168.0);
    let (lo, hi) = domain(m);
    let x = Scale::new((lo, hi), (LEFT, W - RIGHT));
    let y = Scale::new((0.0, 1.0), (base, top));
    let chance = m
        .probability_on_time
        .map_or(String::new(), |p| format!(" · {} on time", pct(p)));
    let mut s = Svg::new(
        &format!("scurve-{k}-{i}"),
        W,
        h,
        &format!("Chance that {} is reached by each date", m.id),
    );
    s.text(LEFT, 14.0, "start", "title", &format!("{}{chance}", m.id));
    probability_axis(&mut s, &y);
    date_axis(&mut s, page, &x, lo, hi, base);
    due_line(&mut s, &x, m, top, base);
    s.polyline(&cdf_points(m, &x, &y, lo, hi), "cdf");
    let (x50, x80) = (x.at(m.p50), x.at(m.p80));
    s.line(x50, y.at(0.5), x50, base, "pline");
    s.line(x80, y.at(0.8), x80, base, "pline");
    s.circle(x50, y.at(0.5), 4.0, "p50");
    s.rect(x80 - 4.0, y.at(0.8) - 4.0, 8.0, 8.0, "p80");
    s.text(
        x50 - 6.0,
        y.at(0.5) - 5.0,
        "end",
        "small",
        &format!("P50 {}", page.finish_date(m.p50)),
    );
    s.text(
        x80 + 7.0,
        y.at(0.8) + 10.0,
        "start",
        "small",
        &format!("P80 {}", page.finish_date(m.p80)),
    );
    s.finish()
}

/// The histogram of milestone `i` of scenario `k`'s finish, one bar per working day (or per
/// group of days when the range is wide), late bars hatched.
pub fn histogram(page: &Page, k: usize, i: usize, m: &MilestoneForecast) -> String {
    let (h, top, base) = (120.0, 8.0, 98.0);
    let (lo, hi) = domain(m);
    let x = Scale::new((lo, hi), (LEFT, W - RIGHT));
    let bins = bin(&m.histogram, lo, hi);
    let peak = bins.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let total: u64 = m.histogram.iter().map(|b| b.1).sum();
    let y = Scale::new((0.0, peak as f64), (base, top));
    let mut s = Svg::new(
        &format!("hist-{k}-{i}"),
        W,
        h,
        &format!("Histogram of the finish of {}", m.id),
    );
    let width = bins_width(lo, hi);
    for &(start, count) in &bins {
        let late = m.deadline.is_some_and(|d| start + width / 2.0 > d);
        let (x0, x1) = (x.at(start), x.at(start + width));
        s.rect_titled(
            x0,
            y.at(count as f64),
            (x1 - x0 - 0.5).max(0.8),
            base - y.at(count as f64),
            if late { "hist-late" } else { "hist" },
            &format!(
                "finish {}: {} of iterations",
                page.finish_date(start + width),
                pct(count as f64 / total.max(1) as f64)
            ),
        );
    }
    s.text(
        LEFT - 4.0,
        top + 8.0,
        "end",
        "small",
        &pct(peak as f64 / total.max(1) as f64),
    );
    due_line(&mut s, &x, m, top, base);
    date_axis(&mut s, page, &x, lo, hi, base);
    s.finish()
}

/// Bin width in working days: one day unless that makes more than about 90 bars.
fn bins_width(lo: f64, hi: f64) -> f64 {
    ((hi - lo) / 90.0).ceil().max(1.0)
}

/// Groups the histogram into bins of [`bins_width`] starting at `lo`: (bin start, count).
fn bin(hist: &[(f64, u64)], lo: f64, hi: f64) -> Vec<(f64, u64)> {
    let w = bins_width(lo, hi);
    let mut out: Vec<(f64, u64)> = Vec::new();
    for &(day, count) in hist {
        // Finish time t means the work ends on day t; it belongs to the bin (t - 1, t].
        let start = lo + ((day - 1.0 - lo) / w).floor() * w;
        match out.last_mut() {
            Some(last) if (last.0 - start).abs() < 1e-9 => last.1 += count,
            _ => out.push((start, count)),
        }
    }
    out
}

/// The legend of the overlaid S-curves: one line sample per scenario.
pub fn legend(page: &Page) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (k, sc) in page.scenarios.iter().enumerate() {
        out.push_str(&format!(
            "<svg width=\"34\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"34\" y2=\"5\" class=\"s{}\"/></svg> {} &nbsp; ",
            k % 4,
            esc(&sc.name)
        ));
    }
    out.push_str("— dashed red vertical line = due date.</p>");
    out
}

/// The S-curves of milestone `i` in every scenario, in one chart.
pub fn overlay(page: &Page, i: usize) -> String {
    let forecasts: Vec<&MilestoneForecast> = page
        .scenarios
        .iter()
        .filter_map(|s| s.forecast.as_ref().and_then(|f| f.milestones.get(i)))
        .collect();
    let Some(first) = forecasts.first() else {
        return String::new();
    };
    let (lo, hi) = forecasts
        .iter()
        .map(|m| domain(m))
        .fold((f64::MAX, f64::MIN), |a, b| (a.0.min(b.0), a.1.max(b.1)));
    let (h, top, base) = (190.0, 26.0, 168.0);
    let x = Scale::new((lo, hi), (LEFT, W - RIGHT));
    let y = Scale::new((0.0, 1.0), (base, top));
    let mut s = Svg::new(
        &format!("compare-{i}"),
        W,
        h,
        &format!(
            "Chance that {} is reached by each date, per scenario",
            first.id
        ),
    );
    let chances: Vec<String> = forecasts
        .iter()
        .filter_map(|m| m.probability_on_time.map(pct))
        .collect();
    s.text(
        LEFT,
        14.0,
        "start",
        "title",
        &format!("{} · on time: {}", first.id, chances.join(" vs ")),
    );
    probability_axis(&mut s, &y);
    date_axis(&mut s, page, &x, lo, hi, base);
    due_line(&mut s, &x, first, top, base);
    for (k, m) in forecasts.iter().enumerate() {
        s.polyline(&cdf_points(m, &x, &y, lo, hi), &format!("s{}", k % 4));
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_keep_every_iteration() {
        let hist: Vec<(f64, u64)> = (10..400).map(|d| (d as f64, 3)).collect();
        let bins = bin(&hist, 5.0, 410.0);
        assert!(bins.len() <= 91, "{}", bins.len());
        assert_eq!(bins.iter().map(|b| b.1).sum::<u64>(), 390 * 3);
    }
}
