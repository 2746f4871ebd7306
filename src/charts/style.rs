//! Colours and line wrapping for every chart.
use super::text::{Face, width};
use plotters::style::RGBColor;

/// Greedy word wrap to `max` pixels. A word wider than a line is broken
/// across lines with a hyphen, so that no label runs into its neighbour
/// or off the canvas; nothing is ever cut.
pub fn wrap(face: Face, text: &str, max: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        for piece in break_word(face, word, max) {
            let candidate = if line.is_empty() {
                piece.clone()
            } else {
                format!("{line} {piece}")
            };
            if width(face, &candidate) <= max || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, piece));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A word as pieces no wider than `max`: broken after its own hyphens and
/// slashes first, and only where a part is still too wide, between letters
/// with a hyphen added.
fn break_word(face: Face, word: &str, max: i32) -> Vec<String> {
    if width(face, word) <= max {
        return vec![word.to_owned()];
    }
    let mut pieces: Vec<String> = Vec::new();
    for part in word.split_inclusive(['-', '/']) {
        let parts = if width(face, part) <= max {
            vec![part.to_owned()]
        } else {
            between_letters(face, part, max)
        };
        for p in parts {
            match pieces.last_mut() {
                Some(last) if width(face, &format!("{last}{p}")) <= max => last.push_str(&p),
                _ => pieces.push(p),
            }
        }
    }
    pieces
}

/// `part` cut into the longest runs that fit with a hyphen after them.
fn between_letters(face: Face, part: &str, max: i32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut chars = part.chars().peekable();
    while let Some(c) = chars.next() {
        piece.push(c);
        let Some(&next) = chars.peek() else { break };
        if width(face, &format!("{piece}{next}-")) > max && piece.chars().count() > 1 {
            piece.push('-');
            pieces.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// Whether `text` wraps to `max` without breaking a word anywhere but
/// after its own hyphens and slashes.
pub fn wraps_whole(face: Face, text: &str, max: i32) -> bool {
    text.split_whitespace()
        .flat_map(|w| w.split_inclusive(['-', '/']))
        .all(|part| width(face, part) <= max)
}

pub const TEXT: RGBColor = RGBColor(33, 43, 50);
pub const MUTED: RGBColor = RGBColor(66, 84, 98);
pub const NEUTRAL: RGBColor = RGBColor(189, 189, 189);
/// NHS blue, for charts of one series.
pub const SINGLE: RGBColor = RGBColor(0, 94, 184);

fn mix(a: (u8, u8, u8), b: (u8, u8, u8), t: f64) -> RGBColor {
    let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// A colour-blind-safe diverging palette (blue for the first half of the
/// scale, orange for the second, darkest at the ends), grey for neutral
/// options such as "don't know". `neutral[i]` marks option i.
pub fn palette(neutral: &[bool]) -> Vec<RGBColor> {
    let scale = neutral.iter().filter(|n| !**n).count();
    let positive = scale.div_ceil(2);
    let negative = scale - positive;
    let (dark_blue, light_blue) = ((8, 81, 156), (158, 202, 225));
    let (light_orange, dark_orange) = ((253, 174, 107), (166, 54, 3));
    let step = |i: usize, n: usize| {
        if n <= 1 {
            0.3
        } else {
            i as f64 / (n - 1) as f64
        }
    };
    let mut colours = Vec::new();
    let mut k = 0;
    for &is_neutral in neutral {
        if is_neutral {
            colours.push(NEUTRAL);
            continue;
        }
        colours.push(if k < positive {
            mix(dark_blue, light_blue, step(k, positive))
        } else {
            let j = k - positive;
            // A lone negative option is the dark end, like "disagree".
            let t = if negative <= 1 {
                0.7
            } else {
                step(j, negative)
            };
            mix(light_orange, dark_orange, t)
        });
        k += 1;
    }
    colours
}

/// `c` faded towards white by `t` (0–1), for the stripes of small bases.
pub fn tint(c: RGBColor, t: f64) -> RGBColor {
    mix((c.0, c.1, c.2), (255, 255, 255), t)
}

/// White text on dark fills, dark text on light ones.
pub fn ink_on(fill: &RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = *fill;
    let luminance = 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
    if luminance < 140.0 {
        RGBColor(255, 255, 255)
    } else {
        TEXT
    }
}
