//! Load per role per week against capacity: one small chart per role, bars for the
//! person-days scheduled, a step line for the person-days the role can supply. Hires and
//! ramp-up show as steps in the line; weeks over capacity (never, in a checked schedule) would
//! be hatched. A program of years draws each bar as the mean of several weeks.

use super::svg::{ticks, Scale, Svg};
use crate::report::schedule::{ScheduleReport, WeekLoad};

const W: f64 = 1290.0;
const H: f64 = 120.0;
const LEFT: f64 = 46.0;
const TOP: f64 = 20.0;
const BASE: f64 = 96.0;

/// The legend above the load charts.
pub fn legend() -> String {
    "<p class=\"legend\">Bars: person-days scheduled per week; black step line: person-days \
     the role can supply (hires, ramp-up and part-timers raise it; leaves and absences lower it); hatched red: over capacity.</p>"
        .to_string()
}

/// One chart per role of scenario `k`, in the order roles first appear.
pub fn charts(k: usize, report: &ScheduleReport) -> String {
    let mut roles: Vec<&str> = Vec::new();
    for w in &report.load {
        if !roles.contains(&w.role.as_str()) {
            roles.push(&w.role);
        }
    }
    roles
        .iter()
        .map(|role| {
            let weeks: Vec<&WeekLoad> = report.load.iter().filter(|w| w.role == *role).collect();
            let span = weeks.len().div_ceil(MAX_BARS).max(1);
            let bars: Vec<WeekLoad> = weeks.chunks(span).map(mean_week).collect();
            role_chart(k, role, &bars, span)
        })
        .collect()
}

/// Most bars a chart draws: past it (a program of years) each bar is the mean of several
/// consecutive weeks, as the chart is only about a thousand pixels wide.
const MAX_BARS: usize = 260;

/// Consecutive weeks as one: the first week's Monday, mean work and capacity per week.
fn mean_week(weeks: &[&WeekLoad]) -> WeekLoad {
    let n = weeks.len().max(1) as f64;
    WeekLoad {
        role: weeks[0].role.clone(),
        week_start: weeks[0].week_start,
        used: weeks.iter().map(|w| w.used).sum::<f64>() / n,
        capacity: weeks.iter().map(|w| w.capacity).sum::<f64>() / n,
    }
}

/// One role's chart; each bar stands for `span` weeks (1 unless the program is long).
fn role_chart(k: usize, role: &str, weeks: &[WeekLoad], span: usize) -> String {
    let peak = weeks
        .iter()
        .map(|w| w.used.max(w.capacity))
        .fold(1.0, f64::max);
    let x = Scale::new((0.0, weeks.len().max(1) as f64), (LEFT, W - 10.0));
    let y = Scale::new((0.0, peak * 1.1), (BASE, TOP));
    let mut s = Svg::new(
        &format!("load-{k}-{role}"),
        W,
        H,
        &format!("Weekly load of {role} against capacity"),
    );
    s.text(
        LEFT,
        13.0,
        "start",
        "title",
        &format!("{role}: person-days per week"),
    );
    for t in ticks(0.0, peak * 1.1, 3) {
        s.line(LEFT, y.at(t), W - 10.0, y.at(t), "grid-line");
        s.text(
            LEFT - 4.0,
            y.at(t) + 3.0,
            "end",
            "small",
            &format!("{t:.0}"),
        );
    }
    let mut cap = Vec::with_capacity(weeks.len() * 2);
    let mut last_month = None;
    for (i, w) in weeks.iter().enumerate() {
        let (x0, x1) = (x.at(i as f64), x.at(i as f64 + 1.0));
        let tip = if span == 1 {
            format!(
                "{role}, week of {}: {:.1} of {:.1} person-days",
                w.week_start, w.used, w.capacity
            )
        } else {
            format!(
                "{role}, {span} weeks from {}: {:.1} of {:.1} person-days per week (mean)",
                w.week_start, w.used, w.capacity
            )
        };
        let within = w.used.min(w.capacity);
        s.rect_titled(
            x0,
            y.at(within),
            (x1 - x0 - 1.0).max(0.5),
            BASE - y.at(within),
            "used",
            &tip,
        );
        if w.used > w.capacity + 1e-9 {
            s.rect_titled(
                x0,
                y.at(w.used),
                (x1 - x0 - 1.0).max(0.5),
                y.at(within) - y.at(w.used),
                "over",
                &tip,
            );
        }
        cap.push((x0, y.at(w.capacity)));
        cap.push((x1, y.at(w.capacity)));
        // Months label the axis; years when bars stand for several weeks.
        let month = if span == 1 {
            Some((w.week_start.year(), w.week_start.month()))
        } else {
            Some((w.week_start.year(), 1))
        };
        if month != last_month {
            if i > 0 || weeks.len() < 2 {
                s.line(x0, BASE, x0, BASE + 4.0, "axis");
            }
            let format = if span == 1 { "%b %y" } else { "%Y" };
            let label = w.week_start.strftime(format).to_string();
            s.text(x0 + 1.0, BASE + 14.0, "start", "small", &label);
            last_month = month;
        }
    }
    s.polyline(&cap, "cap");
    s.line(LEFT, BASE, W - 10.0, BASE, "axis");
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use jiff::ToSpan;

    fn weeks(n: usize) -> Vec<WeekLoad> {
        (0..n)
            .map(|i| WeekLoad {
                role: "dev".into(),
                week_start: date(2026, 1, 5).checked_add((7 * i as i64).days()).unwrap(),
                used: (i % 5) as f64,
                capacity: 5.0,
            })
            .collect()
    }

    /// A long program's chart has at most [`MAX_BARS`] bars, each the mean of its weeks; a
    /// short one a bar per week.
    #[test]
    fn long_programs_draw_a_bar_per_group_of_weeks() {
        let bars = |n: usize| {
            let report_weeks = weeks(n);
            let refs: Vec<&WeekLoad> = report_weeks.iter().collect();
            let span = refs.len().div_ceil(MAX_BARS).max(1);
            let chart = role_chart(
                0,
                "dev",
                &refs.chunks(span).map(mean_week).collect::<Vec<_>>(),
                span,
            );
            (chart.matches("class=\"used\"").count(), chart)
        };
        let (short, chart) = bars(100);
        assert_eq!(short, 100);
        assert!(chart.contains("dev, week of 2026-01-12: 1.0 of 5.0 person-days"));
        let (long, chart) = bars(3_000);
        assert_eq!(long, 3_000_usize.div_ceil(12));
        assert!(long <= MAX_BARS);
        assert!(
            chart.contains("dev, 12 weeks from 2026-01-05: 1.8 of 5.0 person-days per week (mean)")
        );
        assert!(chart.contains(">2030</text>") && !chart.contains("Jan 30"));
    }
}
