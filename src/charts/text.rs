//! Chart text: measured and rasterised with the embedded DejaVu Sans, so
//! that what is measured is what is drawn. plotters' own bitmap text took
//! its size as the font's line height rather than its em, dropped each
//! glyph's side bearing and snapped every glyph to a whole pixel, so PNG
//! text came out larger than the SVG's and unevenly, loosely spaced. Here
//! a size is the em in pixels in both formats: the SVG names the same
//! font (with look-alikes after it) at that size, and the PNG is drawn
//! glyph by glyph at fractional positions with kerning.
use super::style::TEXT;
use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont, point};
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::{DrawingBackend, IntoFont, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor};
use plotters_backend::{BackendCoord, DrawingErrorKind};
use std::sync::OnceLock;

/// The SVG's font list: DejaVu Sans as in the PNG, then faces of nearly
/// the same widths (Vera is its parent; Verdana is as wide), so that
/// wrapped labels still fit where DejaVu is not installed.
const SVG_FAMILY: &str = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif";

/// plotters' SVG writes `font-size` as the size it is given divided by 1.24.
const SVG_SIZE_FACTOR: f64 = 1.24;

/// DejaVu Sans's x-height (1120 of 2048 units): the SVG centres text with
/// `dy="0.5ex"` and puts the top at `dy="0.76em"`; the PNG does the same.
const X_HEIGHT: f32 = 1120.0 / 2048.0;

struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: FontRef::try_from_slice(dejavu::sans::regular()).ok()?,
                bold: FontRef::try_from_slice(dejavu::sans::bold()).ok()?,
            })
        })
        .as_ref()
}

/// Whether the embedded fonts load; PNGs need no system fonts.
pub fn fonts_ready() -> bool {
    fonts().is_some()
}

/// A font size (em, in pixels) and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Face {
    pub size: f64,
    pub bold: bool,
}

pub fn font(size: f64) -> Face {
    Face { size, bold: false }
}

pub fn bold(size: f64) -> Face {
    Face { size, bold: true }
}

impl Face {
    fn font(self) -> Option<&'static FontRef<'static>> {
        fonts().map(|f| if self.bold { &f.bold } else { &f.regular })
    }

    /// ab_glyph scales by line height (ascent − descent), not by em.
    fn scale(self, f: &FontRef<'_>) -> PxScale {
        let em = f.units_per_em().unwrap_or(2048.0);
        PxScale::from(self.size as f32 * f.height_unscaled() / em)
    }

    /// Pen advance after each character, kerning included, from 0.
    fn advances(self, text: &str) -> Vec<(char, f32)> {
        let Some(f) = self.font() else {
            // No font: a generous estimate, so that layout still holds.
            return text
                .chars()
                .enumerate()
                .map(|(i, c)| (c, i as f32 * self.size as f32 * 0.65))
                .collect();
        };
        let scaled = f.as_scaled(self.scale(f));
        let mut x = 0.0;
        let mut previous = None;
        let mut out = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                x += scaled.kern(p, id);
            }
            out.push((c, x));
            x += scaled.h_advance(id);
            previous = Some(id);
        }
        out.push(('\0', x));
        out
    }
}

/// Width in pixels of `text`, rounded up.
pub fn width(face: Face, text: &str) -> i32 {
    face.advances(text)
        .last()
        .map_or(0, |&(_, x)| x.ceil() as i32)
}

/// One line of text at a point, anchored as `h`/`v` say; `raster` draws
/// it glyph by glyph (PNG), otherwise as a `<text>` element (SVG).
pub struct Label {
    pub text: String,
    pub at: (i32, i32),
    pub face: Face,
    pub colour: RGBColor,
    pub h: HPos,
    pub v: VPos,
    pub raster: bool,
}

/// Makes the chart's text for one output: as `<text>` or as pixels.
#[derive(Debug, Clone, Copy)]
pub struct Pen {
    pub raster: bool,
}

impl Pen {
    /// `text` with its top left at `at`, in the chart's text colour.
    pub fn text(self, text: impl Into<String>, at: (i32, i32), face: Face) -> Label {
        Label {
            text: text.into(),
            at,
            face,
            colour: TEXT,
            h: HPos::Left,
            v: VPos::Top,
            raster: self.raster,
        }
    }
}

impl Label {
    pub fn colour(mut self, colour: RGBColor) -> Label {
        self.colour = colour;
        self
    }

    pub fn anchor(mut self, h: HPos, v: VPos) -> Label {
        self.h = h;
        self.v = v;
        self
    }
}

impl<'a> PointCollection<'a, (i32, i32)> for &'a Label {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Once<&'a (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Label {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        parent_dim: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some(at) = points.next() else {
            return Ok(());
        };
        match (self.raster, self.face.font()) {
            (true, Some(f)) => self.rasterise(f, at, backend),
            _ => {
                let style = if self.face.bold {
                    FontStyle::Bold
                } else {
                    FontStyle::Normal
                };
                let desc = FontDesc::new(
                    FontFamily::Name(SVG_FAMILY),
                    self.face.size * SVG_SIZE_FACTOR,
                    style,
                );
                let style = desc
                    .into_font()
                    .color(&self.colour)
                    .pos(Pos::new(self.h, self.v));
                let text = Text::new(self.text.as_str(), (0, 0), style);
                text.draw(std::iter::once(at), backend, parent_dim)
            }
        }
    }
}

impl Label {
    fn rasterise<DB: DrawingBackend>(
        &self,
        f: &FontRef<'static>,
        (x, y): BackendCoord,
        backend: &mut DB,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let scale = self.face.scale(f);
        let em = self.face.size as f32;
        let pens = self.face.advances(&self.text);
        let total = pens.last().map_or(0.0, |&(_, x)| x);
        let left = x as f32
            - match self.h {
                HPos::Left => 0.0,
                HPos::Center => total / 2.0,
                HPos::Right => total,
            };
        // The baselines of plotters' SVG anchors: 0.76em below a top,
        // half an x-height below a centre, half above a bottom.
        let baseline = y as f32
            + match self.v {
                VPos::Top => 0.76 * em,
                VPos::Center => X_HEIGHT * em / 2.0,
                VPos::Bottom => -X_HEIGHT * em / 2.0,
            };
        let (w, h) = backend.get_size();
        for &(c, pen) in &pens[..pens.len().saturating_sub(1)] {
            let glyph: Glyph = f
                .glyph_id(c)
                .with_scale_and_position(scale, point(left + pen, baseline));
            let Some(outline) = f.outline_glyph(glyph) else {
                continue;
            };
            let min = outline.px_bounds().min;
            let mut pixels = Vec::new();
            outline.draw(|gx, gy, cover| {
                pixels.push((min.x as i32 + gx as i32, min.y as i32 + gy as i32, cover));
            });
            for (px, py, cover) in pixels {
                let inside = px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h;
                if inside && cover > 0.0 {
                    let ink = self.colour.mix(f64::from(cover.min(1.0)));
                    backend.draw_pixel((px, py), ink.to_backend_color())?;
                }
            }
        }
        Ok(())
    }
}
