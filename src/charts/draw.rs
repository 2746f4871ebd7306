//! Drawing a laid-out chart on any plotters backend (SVG or bitmap).
use super::layout::{Frame, LABEL_SIZE, LINE, Layout, MARGIN, SMALL_SIZE, TITLE_LINE, TITLE_SIZE};
use super::style::{MUTED, ink_on, tint};
use super::text::{Label, Pen, bold, font, width};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, PathElement, Rectangle, WHITE};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, RGBColor};

pub type DrawResult<DB> =
    Result<(), plotters::drawing::DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The white ground, the title, the subtitle and the source line.
pub fn draw_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &Frame,
    pen: Pen,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    for (i, line) in f.title.iter().enumerate() {
        let y = MARGIN + i as i32 * TITLE_LINE;
        area.draw(&pen.text(line, (MARGIN, y), bold(TITLE_SIZE)))?;
    }
    for (i, line) in f.subtitle.iter().enumerate() {
        let y = f.subtitle_top + i as i32 * LINE;
        area.draw(&pen.text(line, (MARGIN, y), font(LABEL_SIZE)).colour(MUTED))?;
    }
    for (i, line) in f.source.iter().enumerate() {
        let y = f.source_top + i as i32 * LINE;
        area.draw(&pen.text(line, (MARGIN, y), font(SMALL_SIZE)).colour(MUTED))?;
    }
    Ok(())
}

/// A small base's bar: its colour crossed by lighter stripes, so that it
/// reads as less certain yet keeps its hue (a lightened dark blue would
/// pass for the light blue of the next option).
pub fn small_base_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    colour: RGBColor,
) -> DrawResult<DB> {
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.filled()))?;
    let lines = tint(colour, 0.6);
    let h = y1 - y0;
    let mut k = 0;
    // Each line runs up and to the right from (x0 + k − h, y1), clipped.
    while x0 + k - h < x1 {
        let (mut ax, mut ay) = (x0 + k - h, y1);
        let (mut bx, mut by) = (x0 + k, y0);
        if ax < x0 {
            ay -= x0 - ax;
            ax = x0;
        }
        if bx > x1 {
            by += bx - x1;
            bx = x1;
        }
        if ax < bx {
            area.draw(&PathElement::new(vec![(ax, ay), (bx, by)], lines))?;
        }
        k += 4;
    }
    Ok(())
}

pub struct Drawing<'a> {
    pub layout: &'a Layout,
    pub legend_labels: &'a [String],
    pub legend_colours: &'a [RGBColor],
    /// Colour of segment `s` of bar `b`.
    pub colour: &'a dyn Fn(usize, usize) -> RGBColor,
    /// True: segments fill the bar to 100% with labels inside. False: one
    /// segment per bar, its label after it.
    pub stacked: bool,
}

pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &Drawing<'_>,
    pen: Pen,
) -> DrawResult<DB> {
    let l = d.layout;
    draw_frame(area, &l.frame, pen)?;
    let centred = |label: Label, h| label.anchor(h, VPos::Center);
    for &(i, x, y) in &l.legend {
        let c = d.legend_colours[i];
        area.draw(&Rectangle::new([(x, y + 1), (x + 12, y + 13)], c.filled()))?;
        area.draw(&pen.text(&d.legend_labels[i], (x + 18, y), font(LABEL_SIZE)))?;
    }
    let span = f64::from(l.bar_right - l.bar_left);
    for (b, bar) in l.bars.iter().enumerate() {
        let middle = bar.top + bar.height / 2;
        // Lines centred on the bar as a block.
        let first_centre = middle - (bar.label.len() as i32 - 1) * LINE / 2;
        for (k, line) in bar.label.iter().enumerate() {
            let at = (l.bar_left - 10, first_centre + k as i32 * LINE);
            area.draw(&centred(pen.text(line, at, font(LABEL_SIZE)), HPos::Right))?;
        }
        let n_at = (l.bar_right + 8, middle);
        let Some(shares) = &bar.shares else {
            let at = (l.bar_left + 4, middle);
            let none = pen.text("no answers", at, font(LABEL_SIZE)).colour(MUTED);
            area.draw(&centred(none, HPos::Left))?;
            let n = pen.text("n = 0", n_at, font(LABEL_SIZE)).colour(MUTED);
            area.draw(&centred(n, HPos::Left))?;
            continue;
        };
        let (top, bottom) = (middle - 13, middle + 13);
        let mut cum = 0.0;
        for (s, &share) in shares.iter().enumerate() {
            let x0 = l.bar_left + (cum * span / 100.0).round() as i32;
            cum += share;
            let x1 = l.bar_left + (cum * span / 100.0).round() as i32;
            if x1 <= x0 {
                continue;
            }
            let fill = (d.colour)(b, s);
            if bar.small {
                small_base_bar(area, (x0, top), (x1, bottom), fill)?;
            } else {
                area.draw(&Rectangle::new([(x0, top), (x1, bottom)], fill.filled()))?;
            }
            let text = format!("{share:.0}%");
            let inside = width(font(SMALL_SIZE), &text) + 6 <= x1 - x0;
            if d.stacked && inside {
                let at = ((x0 + x1) / 2, middle);
                if bar.small {
                    // A solid patch under the figure, clear of the stripes.
                    let half = width(font(SMALL_SIZE), &text) / 2 + 3;
                    let patch = [(at.0 - half, middle - 8), (at.0 + half, middle + 8)];
                    area.draw(&Rectangle::new(patch, fill.filled()))?;
                }
                let label = pen.text(text, at, font(SMALL_SIZE)).colour(ink_on(&fill));
                area.draw(&centred(label, HPos::Center))?;
            } else if !d.stacked {
                let label = pen.text(text, (x1 + 6, middle), font(SMALL_SIZE));
                area.draw(&centred(label, HPos::Left))?;
            }
        }
        if d.stacked {
            let n = pen.text(format!("n = {}", bar.n), n_at, font(LABEL_SIZE));
            area.draw(&centred(n.colour(MUTED), HPos::Left))?;
        }
    }
    Ok(())
}
