//! Fonts, colours and text measurement for every chart.
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, register_font};
use std::sync::OnceLock;

/// The embedded font is registered once: PNGs then need no system fonts.
pub fn fonts_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold()).is_ok()
    })
}

pub fn font(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
}

pub fn bold(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Bold)
}

/// Width in pixels of `text` in `font`.
pub fn width(font: &FontDesc<'_>, text: &str) -> i32 {
    font.box_size(text).map_or(0, |(w, _)| w as i32)
}

/// Greedy word wrap to `max` pixels; a word longer than a line stands alone
/// on its line (labels are wrapped, never cut).
pub fn wrap(font: &FontDesc<'_>, text: &str, max: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(font, &candidate) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
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
