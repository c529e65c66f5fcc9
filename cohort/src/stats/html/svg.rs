//! Writing SVG and HTML text: escaping, a small drawing builder, colours and axis ticks.
//!
//! Coordinates are pixels, `f64`, written with one decimal so that the page is byte-for-byte
//! reproducible.

use std::fmt::Write;

/// `text` escaped for HTML and SVG text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A colour from a ruleset, if it is `#rrggbb`; anything else is drawn grey rather than
/// written into the page.
pub fn colour(text: &str) -> &str {
    let valid = text.len() == 7
        && text.starts_with('#')
        && text[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid {
        text
    } else {
        "#888888"
    }
}

/// Black or white, whichever reads better on `background` (`#rrggbb`).
pub fn ink_on(background: &str) -> &'static str {
    let channel = |i: usize| {
        colour(background)
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, f64::from)
    };
    let luma = 0.299 * channel(1) + 0.587 * channel(3) + 0.114 * channel(5);
    if luma > 140.0 {
        "#1a1a1a"
    } else {
        "#ffffff"
    }
}

/// Round ticks from 0 to at least `max` (counts of learners): `(step, top)`, 1, 2 or 5 times a
/// power of ten, at most five steps.
pub fn count_ticks(max: u64) -> (u64, u64) {
    let mut unit = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = unit.saturating_mul(m);
            if max.div_ceil(step) <= 5 {
                let top = max.div_ceil(step).max(1) * step;
                return (step, top);
            }
        }
        if unit > u64::MAX / 10 {
            return (max.max(1), max.max(1));
        }
        unit *= 10;
    }
}

/// An SVG drawing being written.
pub struct Svg {
    out: String,
}

/// `x` as a coordinate.
fn px(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    // No `-0`.
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    if rounded == rounded.trunc() {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// How text is anchored on its `x`.
#[derive(Clone, Copy)]
pub enum Anchor {
    /// Text starts at `x`.
    Start,
    /// Text is centred on `x`.
    Middle,
    /// Text ends at `x`.
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

impl Svg {
    /// A drawing `width` by `height` pixels. `title` is its accessible name (and the tooltip
    /// of its background), `description` says what it shows.
    pub fn new(class: &str, width: f64, height: f64, title: &str, description: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg class=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\">\
             <title>{}</title><desc>{}</desc>",
            escape(class),
            px(width),
            px(height),
            px(width),
            px(height),
            escape(title),
            escape(description)
        );
        out.push('\n');
        Svg { out }
    }

    /// A filled rectangle, with a tooltip.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, tooltip: &str) {
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>",
            px(x),
            px(y),
            px(w.max(0.0)),
            px(h.max(0.0)),
            colour(fill),
            escape(tooltip)
        );
    }

    /// A legend swatch: a small square without tooltip.
    pub fn swatch(&mut self, x: f64, y: f64, size: f64, fill: &str) {
        let _ = writeln!(
            self.out,
            "<rect class=\"swatch\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
            px(x),
            px(y),
            px(size),
            px(size),
            colour(fill)
        );
    }

    /// A line of class `class` (`axis` or `grid`).
    pub fn line(&mut self, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) {
        let _ = writeln!(
            self.out,
            "<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            escape(class),
            px(x1),
            px(y1),
            px(x2),
            px(y2)
        );
    }

    /// Text of class `class`.
    pub fn text(&mut self, class: &str, x: f64, y: f64, anchor: Anchor, text: &str) {
        let _ = writeln!(
            self.out,
            "<text class=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
            escape(class),
            px(x),
            px(y),
            anchor.name(),
            escape(text)
        );
    }

    /// Text in a given colour (a label on a bar).
    pub fn text_in(&mut self, fill: &str, x: f64, y: f64, anchor: Anchor, text: &str) {
        let _ = writeln!(
            self.out,
            "<text class=\"on-bar\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"{}\">{}</text>",
            px(x),
            px(y),
            anchor.name(),
            colour(fill),
            escape(text)
        );
    }

    /// Text turned to read upwards, centred on `(x, y)` (a vertical axis title).
    pub fn text_up(&mut self, class: &str, x: f64, y: f64, text: &str) {
        let _ = writeln!(
            self.out,
            "<text class=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 {} {})\">{}</text>",
            escape(class),
            px(x),
            px(y),
            px(x),
            px(y),
            escape(text)
        );
    }

    /// The finished drawing.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_names_is_escaped() {
        assert_eq!(
            escape(r#"<b>"学分" & 'x'</b>"#),
            "&lt;b&gt;&quot;学分&quot; &amp; &#39;x&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn a_colour_that_is_not_rrggbb_is_not_written() {
        assert_eq!(colour("#f5c518"), "#f5c518");
        assert_eq!(colour("red\" onload=\"x"), "#888888");
        assert_eq!(colour("#f5c51"), "#888888");
    }

    #[test]
    fn labels_on_yellow_are_dark_and_on_red_light() {
        assert_eq!(ink_on("#f5c518"), "#1a1a1a");
        assert_eq!(ink_on("#d0021b"), "#ffffff");
    }

    #[test]
    fn count_ticks_are_round_and_cover_the_maximum() {
        assert_eq!(count_ticks(0), (1, 1));
        assert_eq!(count_ticks(3), (1, 3));
        assert_eq!(count_ticks(7), (2, 8));
        assert_eq!(count_ticks(23), (5, 25));
        assert_eq!(count_ticks(1_000_000), (200_000, 1_000_000));
    }

    #[test]
    fn coordinates_have_at_most_one_decimal() {
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.345), "12.3");
        assert_eq!(px(-0.04), "0");
    }
}
