//! A small SVG writer: the few shapes the report's charts need, with text escaped and numbers
//! rounded so that files stay small. No fonts are embedded: labels are SVG `<text>` that the
//! browser lays out with its own sans-serif font, so nothing depends on fonts on this machine.

use std::fmt::Write as _;

/// Escapes text for HTML and SVG content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Rounds a coordinate to one decimal: finer detail is invisible and only bloats the file.
pub fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    from: (f64, f64),
    to: (f64, f64),
}

impl Scale {
    /// Maps `from.0..from.1` onto `to.0..to.1`; an empty domain maps everything to `to.0`.
    pub fn new(from: (f64, f64), to: (f64, f64)) -> Self {
        Scale { from, to }
    }

    /// The pixel of a data value.
    pub fn at(&self, v: f64) -> f64 {
        let span = self.from.1 - self.from.0;
        if span.abs() < 1e-12 {
            return self.to.0;
        }
        self.to.0 + (v - self.from.0) / span * (self.to.1 - self.to.0)
    }
}

/// One `<svg>` element being written.
pub struct Svg {
    out: String,
}

impl Svg {
    /// Starts an SVG of `width` × `height` pixels with an id (tests and links find charts by
    /// it) and a title that screen readers announce.
    pub fn new(id: &str, width: f64, height: f64, title: &str) -> Self {
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<svg id="{}" class="chart" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title"><title id="{}-title">{}</title>"#,
            esc(id),
            n(width),
            n(height),
            n(width),
            n(height),
            esc(id),
            esc(id),
            esc(title)
        );
        Svg { out }
    }

    /// Appends raw SVG markup (pattern definitions and the like).
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// A rectangle with a CSS class (colours and patterns live in the page's style sheet).
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, class: &str) {
        let _ = write!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" class="{class}"/>"#,
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        );
    }

    /// A rectangle with a hover tooltip.
    pub fn rect_titled(&mut self, x: f64, y: f64, w: f64, h: f64, class: &str, tip: &str) {
        let _ = write!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" class="{class}"><title>{}</title></rect>"#,
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            esc(tip)
        );
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, class: &str) {
        let _ = write!(
            self.out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" class="{class}"/>"#,
            n(x1),
            n(y1),
            n(x2),
            n(y2)
        );
    }

    /// A polyline through `points`.
    pub fn polyline(&mut self, points: &[(f64, f64)], class: &str) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = write!(
            self.out,
            r#"<polyline points="{}" class="{class}"/>"#,
            pts.join(" ")
        );
    }

    /// A closed polygon (diamonds, triangles).
    pub fn polygon(&mut self, points: &[(f64, f64)], class: &str, tip: &str) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = write!(
            self.out,
            r#"<polygon points="{}" class="{class}"><title>{}</title></polygon>"#,
            pts.join(" "),
            esc(tip)
        );
    }

    /// A diamond of half-size `r` centred on (x, y): the usual milestone marker.
    pub fn diamond(&mut self, x: f64, y: f64, r: f64, class: &str, tip: &str) {
        self.polygon(
            &[(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
            class,
            tip,
        );
    }

    /// A circle.
    pub fn circle(&mut self, x: f64, y: f64, r: f64, class: &str) {
        let _ = write!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{}" class="{class}"/>"#,
            n(x),
            n(y),
            n(r)
        );
    }

    /// A circle with a hover tooltip.
    pub fn circle_titled(&mut self, x: f64, y: f64, r: f64, class: &str, tip: &str) {
        let _ = write!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{}" class="{class}"><title>{}</title></circle>"#,
            n(x),
            n(y),
            n(r),
            esc(tip)
        );
    }

    /// Text; `anchor` is `start`, `middle` or `end`.
    pub fn text(&mut self, x: f64, y: f64, anchor: &str, class: &str, s: &str) {
        let _ = write!(
            self.out,
            r#"<text x="{}" y="{}" text-anchor="{anchor}" class="{class}">{}</text>"#,
            n(x),
            n(y),
            esc(s)
        );
    }

    /// Closes the element and returns its markup.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// Tick positions for `lo..=hi`: about `count` round steps (1, 2, 5 × 10^k).
pub fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    if hi <= lo || count == 0 {
        return vec![lo];
    }
    let raw = (hi - lo) / count as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut v = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while v <= hi + 1e-9 {
        out.push(v);
        v += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn ticks_are_round_and_inside_the_range() {
        assert_eq!(ticks(0.0, 1.0, 4), vec![0.0, 0.5, 1.0]);
        assert!(ticks(3.0, 97.0, 5).iter().all(|t| (3.0..=97.0).contains(t)));
    }

    #[test]
    fn a_scale_maps_ends_and_survives_an_empty_domain() {
        let s = Scale::new((10.0, 20.0), (0.0, 100.0));
        assert_eq!(s.at(15.0), 50.0);
        assert_eq!(Scale::new((5.0, 5.0), (7.0, 9.0)).at(5.0), 7.0);
    }
}
