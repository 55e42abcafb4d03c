//! Draws the report's tracking charts ([`super::tracking`]): baseline bars for the Gantt
//! chart, the S-curve of PV, EV and AC, and the milestone trend with its diagonal. Nothing is
//! computed here: positions and words only.

use super::page::Page;
use super::svg::{esc, ticks, Scale, Svg};
use super::tracking::{EarnedValueCurve, MilestoneTrend, ValuePoint};
use jiff::civil::Date;
use jiff::ToSpan;
use std::fmt::Write as _;

/// The date of working day `day` of the page (negative: before day 0, from the baseline's
/// dates), clamped to the dates known.
pub(super) fn date_at(page: &Page, day: i64) -> Date {
    if day >= 0 {
        return page.day_date(day as usize);
    }
    let before = page
        .tracking
        .baseline
        .as_ref()
        .map_or(&[][..], |b| &b.days_before[..]);
    let i = (-day - 1) as usize;
    match before.get(i).or(before.last()) {
        Some(d) => *d,
        None => page.status_date,
    }
}

/// The earliest working day a baseline bar reaches (0 without a baseline or none before it).
pub(super) fn earliest_day(page: &Page) -> i64 {
    page.tracking.baseline.as_ref().map_or(0, |b| {
        b.tasks
            .values()
            .chain(b.milestones.values())
            .map(|bar| bar.start)
            .fold(0, i64::min)
    })
}

/// The latest working day a baseline bar reaches.
pub(super) fn latest_day(page: &Page) -> i64 {
    page.tracking.baseline.as_ref().map_or(0, |b| {
        b.tasks
            .values()
            .chain(b.milestones.values())
            .map(|bar| bar.finish)
            .fold(0, i64::max)
    })
}

/// The Gantt legend's words for baseline bars (empty without a baseline).
pub(super) fn baseline_legend(page: &Page) -> String {
    match &page.tracking.baseline {
        None => String::new(),
        Some(b) => format!(
            "<p class=\"legend\">Thin grey bars under the bars and ◇ grey outlines: the baseline \
             of {} ({}), matched by id. Hover one for its dates.</p>",
            b.status_date,
            esc(&b.from)
        ),
    }
}

/// The tracking sections: the S-curve against the baseline and the milestone trend.
pub(super) fn sections(out: &mut String, page: &Page) {
    let t = &page.tracking;
    if t.earned_value.is_none() && t.trend.is_none() && t.notes.is_empty() {
        return;
    }
    out.push_str("<h2 id=\"tracking\">Tracking</h2>");
    for note in &t.notes {
        let _ = write!(out, "<p class=\"legend\">{}</p>", esc(note));
    }
    if let Some(ev) = &t.earned_value {
        let _ = write!(
            out,
            "<h3 id=\"earned-value\">Planned and earned value against the baseline of {}</h3>{}<div class=\"panel\">{}</div>",
            ev.baseline_status_date,
            ev_legend(ev),
            ev_chart(ev)
        );
    }
    if let Some(trend) = &t.trend {
        let _ = write!(
            out,
            "<h3 id=\"milestone-trend\">Milestone trend: {} version(s) of the model</h3>{}<div class=\"panel\">{}</div>",
            trend.versions,
            trend_legend(trend),
            trend_chart(trend)
        );
    }
}

const EV_W: f64 = 820.0;
const EV_H: f64 = 320.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 30.0;
const BASE: f64 = 280.0;

fn ev_legend(ev: &EarnedValueCurve) -> String {
    let ac = if !ev.actual.is_empty() {
        " ■ dotted orange = AC, the actual effort reported (tasks with <code>actual_effort</code>);"
    } else {
        ""
    };
    format!(
        "<p class=\"legend\">Person-days. Solid blue = PV, the baseline's planned value by working \
         day (from {}); ● dashed green = EV, the baseline budget of the work done (at the \
         baseline, at each commit of the history with <code>--history</code>, and at the status date);{ac} dashed purple line = status date {}.</p>",
        esc(&ev.from),
        ev.status_date
    )
}

fn figure(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{v:.2}"))
}

/// The S-curve of PV, EV and AC.
fn ev_chart(ev: &EarnedValueCurve) -> String {
    let end = ev
        .planned
        .last()
        .map_or(1.0, |p| p.day)
        .max(ev.planned_now.day)
        .max(1.0);
    let top_value = ev
        .earned
        .iter()
        .chain(ev.actual.iter())
        .map(|p| p.value)
        .fold(ev.bac, f64::max)
        .max(1.0);
    let x = Scale::new((0.0, end), (LEFT, EV_W - RIGHT));
    let y = Scale::new((0.0, top_value * 1.05), (BASE, TOP));
    let mut s = Svg::new(
        "evm-scurve",
        EV_W,
        EV_H,
        "Planned value, earned value and actual cost against the baseline",
    );
    let now = ev.earned.last().copied().unwrap_or(ev.planned_now);
    let ac = ev
        .actual
        .last()
        .filter(|a| a.date == ev.status_date)
        .map_or(String::new(), |a| format!(" · AC {:.1}", a.value));
    s.text(
        LEFT,
        16.0,
        "start",
        "title",
        &format!(
            "At {}: PV {:.1} · EV {:.1}{ac} person-days of {:.1} (SPI {}, SPI(t) {})",
            ev.status_date,
            ev.planned_now.value,
            now.value,
            ev.bac,
            figure(ev.spi),
            figure(ev.spi_t)
        ),
    );
    for v in ticks(0.0, top_value, 5) {
        let py = y.at(v);
        s.line(LEFT, py, EV_W - RIGHT, py, "grid-line");
        s.text(LEFT - 4.0, py + 3.0, "end", "small", &format!("{v:.0}"));
    }
    s.line(LEFT, BASE, LEFT, TOP, "axis");
    s.line(LEFT, BASE, EV_W - RIGHT, BASE, "axis");
    for t in ticks(0.0, end, 6) {
        let px = x.at(t);
        let date = ev
            .days
            .get(t as usize)
            .or(ev.days.last())
            .copied()
            .unwrap_or(ev.baseline_status_date);
        s.line(px, BASE, px, BASE + 4.0, "axis");
        s.text(
            px,
            BASE + 15.0,
            "middle",
            "small",
            &date.strftime("%-d %b %y").to_string(),
        );
    }
    let points = |v: &[ValuePoint]| -> Vec<(f64, f64)> {
        v.iter().map(|p| (x.at(p.day), y.at(p.value))).collect()
    };
    s.polyline(&points(&ev.planned), "pv");
    s.polyline(&points(&ev.earned), "ev");
    if ev.actual.len() > 1 {
        s.polyline(&points(&ev.actual), "ac");
    }
    let sx = x.at(ev.planned_now.day);
    s.line(sx, TOP, sx, BASE, "status");
    let pv = ev.planned_now;
    s.circle_titled(
        x.at(pv.day),
        y.at(pv.value),
        3.5,
        "pv-mark",
        &format!("PV at {}: {:.1} person-days", pv.date, pv.value),
    );
    for p in &ev.earned {
        s.circle_titled(
            x.at(p.day),
            y.at(p.value),
            4.0,
            "ev-mark",
            &format!("EV at {}: {:.1} person-days", p.date, p.value),
        );
    }
    for a in &ev.actual {
        let (ax, ay) = (x.at(a.day), y.at(a.value));
        s.rect_titled(
            ax - 4.0,
            ay - 4.0,
            8.0,
            8.0,
            "ac-mark",
            &format!("AC at {}: {:.1} person-days", a.date, a.value),
        );
    }
    let bac = y.at(ev.bac);
    s.line(LEFT, bac, EV_W - RIGHT, bac, "pline");
    s.text(
        EV_W - RIGHT,
        bac - 4.0,
        "end",
        "small",
        &format!("BAC {:.1}", ev.bac),
    );
    s.finish()
}

const TR_W: f64 = 820.0;
const TR_H: f64 = 420.0;
const TR_BASE: f64 = 380.0;

/// Markers told apart by shape as well as line pattern: with 5 shapes and 4 line patterns,
/// the first 20 milestones each get their own pair.
const SHAPES: usize = 5;

fn trend_legend(trend: &MilestoneTrend) -> String {
    let mut out = format!(
        "<p class=\"legend\">Each line is a milestone's forecast ({}) at each status date of the \
         model's git history; a flat line is a date that holds, a rising one a date that slips. \
         Dotted grey diagonal: forecast = status date (a milestone reached meets it).",
        esc(&trend.measure)
    );
    if trend.without_forecast > 0 {
        let _ = write!(
            out,
            " {} version(s) without a forecast (files that do not read) are left out.",
            trend.without_forecast
        );
    }
    out.push_str("<br>");
    for (i, line) in trend.lines.iter().enumerate() {
        let due = line.due.map_or(String::new(), |d| format!(" (due {d})"));
        let _ = write!(
            out,
            "<svg width=\"34\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"34\" y2=\"5\" class=\"s{}\"/></svg> {} {}{} &nbsp; ",
            i % 4,
            shape_name(i),
            esc(&line.id),
            esc(&due)
        );
    }
    out.push_str("</p>");
    out
}

fn shape_name(i: usize) -> &'static str {
    ["●", "■", "◆", "▲", "▼"][i % SHAPES]
}

fn marker(s: &mut Svg, i: usize, x: f64, y: f64, tip: &str) {
    let class = format!("m{}", i % 4);
    match i % SHAPES {
        0 => s.circle_titled(x, y, 3.5, &class, tip),
        1 => s.rect_titled(x - 3.5, y - 3.5, 7.0, 7.0, &class, tip),
        2 => s.diamond(x, y, 4.5, &class, tip),
        3 => s.polygon(
            &[(x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)],
            &class,
            tip,
        ),
        _ => s.polygon(
            &[(x, y + 4.5), (x + 4.5, y - 3.5), (x - 4.5, y - 3.5)],
            &class,
            tip,
        ),
    }
}

/// Calendar days from `origin` to `date`.
fn days_from(origin: Date, date: Date) -> f64 {
    origin.until(date).map_or(0.0, |s| f64::from(s.get_days()))
}

fn date_after(origin: Date, days: f64) -> Date {
    origin
        .checked_add((days.round() as i64).days())
        .unwrap_or(origin)
}

/// The milestone trend chart.
fn trend_chart(trend: &MilestoneTrend) -> String {
    let points = trend.lines.iter().flat_map(|l| &l.points);
    let statuses: Vec<Date> = points.clone().map(|p| p.status_date).collect();
    let forecasts: Vec<Date> = points.map(|p| p.forecast).collect();
    let mut s = Svg::new(
        "milestone-trend",
        TR_W,
        TR_H,
        "Milestone trend: each milestone's forecast date at each status date",
    );
    let (Some(&first), Some(&last)) = (statuses.iter().min(), statuses.iter().max()) else {
        s.text(LEFT, 40.0, "start", "muted", "no version with a forecast");
        return s.finish();
    };
    let pad = (days_from(first, last) * 0.05).max(3.0);
    let x_range = (-pad, days_from(first, last) + pad);
    let low = forecasts.iter().copied().min().unwrap_or(first).min(first);
    let high = forecasts.iter().copied().max().unwrap_or(last).max(last);
    let y_pad = (days_from(low, high) * 0.05).max(3.0);
    let y_range = (
        days_from(first, low) - y_pad,
        days_from(first, high) + y_pad,
    );
    let x = Scale::new(x_range, (LEFT + 10.0, TR_W - RIGHT));
    let y = Scale::new(y_range, (TR_BASE, TOP));
    s.text(LEFT, 16.0, "start", "title", "Forecast date by status date");
    for t in ticks(y_range.0, y_range.1, 6) {
        let py = y.at(t);
        s.line(LEFT, py, TR_W - RIGHT, py, "grid-line");
        s.text(
            LEFT - 4.0,
            py + 3.0,
            "end",
            "small",
            &date_after(first, t).strftime("%-d %b %y").to_string(),
        );
    }
    s.line(LEFT, TR_BASE, LEFT, TOP, "axis");
    s.line(LEFT, TR_BASE, TR_W - RIGHT, TR_BASE, "axis");
    for t in ticks(x_range.0, x_range.1, 6) {
        let px = x.at(t);
        s.line(px, TR_BASE, px, TR_BASE + 4.0, "axis");
        s.text(
            px,
            TR_BASE + 15.0,
            "middle",
            "small",
            &date_after(first, t).strftime("%-d %b %y").to_string(),
        );
    }
    // Forecast = status date, within the chart.
    let lo = x_range.0.max(y_range.0);
    let hi = x_range.1.min(y_range.1);
    if lo < hi {
        s.line(x.at(lo), y.at(lo), x.at(hi), y.at(hi), "diag");
    }
    for (i, line) in trend.lines.iter().enumerate() {
        let pts: Vec<(f64, f64)> = line
            .points
            .iter()
            .map(|p| {
                (
                    x.at(days_from(first, p.status_date)),
                    y.at(days_from(first, p.forecast)),
                )
            })
            .collect();
        s.polyline(&pts, &format!("s{}", i % 4));
        for (p, &(px, py)) in line.points.iter().zip(&pts) {
            let tip = format!(
                "{} at status {}: forecast {} (commit {})",
                line.id, p.status_date, p.forecast, p.commit
            );
            marker(&mut s, i, px, py, &tip);
        }
        if let Some(&(px, py)) = pts.last() {
            s.text(px + 6.0, py + 3.0, "start", "small", &line.id);
        }
    }
    s.finish()
}
