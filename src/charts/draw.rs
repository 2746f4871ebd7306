//! Drawing a laid-out chart on any plotters backend (SVG or bitmap).
use super::layout::{LABEL_SIZE, LINE, Layout, MARGIN, SMALL_SIZE, TITLE_SIZE};
use super::style::{MUTED, TEXT, bold, font, ink_on, width};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoFont, Rectangle, Text, WHITE};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor, TextStyle};

type DrawResult<DB> =
    Result<(), plotters::drawing::DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

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

fn style(size: f64, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size).into_font().color(&colour).pos(Pos::new(h, v))
}

pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, d: &Drawing<'_>) -> DrawResult<DB> {
    let l = d.layout;
    area.fill(&WHITE)?;
    let title = bold(TITLE_SIZE)
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Top));
    for (i, line) in l.title.iter().enumerate() {
        let y = MARGIN + i as i32 * (TITLE_SIZE as i32 + 5);
        area.draw(&Text::new(line.clone(), (MARGIN, y), title.clone()))?;
    }
    for &(i, x, y) in &l.legend {
        let c = d.legend_colours[i];
        area.draw(&Rectangle::new([(x, y + 1), (x + 12, y + 13)], c.filled()))?;
        let s = style(LABEL_SIZE, TEXT, HPos::Left, VPos::Top);
        area.draw(&Text::new(d.legend_labels[i].clone(), (x + 18, y), s))?;
    }
    let span = f64::from(l.bar_right - l.bar_left);
    for (b, bar) in l.bars.iter().enumerate() {
        let middle = bar.top + bar.height / 2;
        // Lines centred on the bar as a block.
        let first_centre = middle - (bar.label.len() as i32 - 1) * LINE / 2;
        for (k, line) in bar.label.iter().enumerate() {
            let s = style(LABEL_SIZE, TEXT, HPos::Right, VPos::Center);
            let y = first_centre + k as i32 * LINE;
            area.draw(&Text::new(line.clone(), (l.bar_left - 10, y), s))?;
        }
        let n_style = style(LABEL_SIZE, MUTED, HPos::Left, VPos::Center);
        let Some(shares) = &bar.shares else {
            let s = style(LABEL_SIZE, MUTED, HPos::Left, VPos::Center);
            area.draw(&Text::new("no responses", (l.bar_left + 4, middle), s))?;
            area.draw(&Text::new("n = 0", (l.bar_right + 8, middle), n_style))?;
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
            area.draw(&Rectangle::new([(x0, top), (x1, bottom)], fill.filled()))?;
            let text = format!("{share:.0}%");
            let inside = width(&font(SMALL_SIZE), &text) + 6 <= x1 - x0;
            if d.stacked && inside {
                let s = style(SMALL_SIZE, ink_on(&fill), HPos::Center, VPos::Center);
                area.draw(&Text::new(text, ((x0 + x1) / 2, middle), s))?;
            } else if !d.stacked {
                let s = style(SMALL_SIZE, TEXT, HPos::Left, VPos::Center);
                area.draw(&Text::new(text, (x1 + 6, middle), s))?;
            }
        }
        if d.stacked {
            area.draw(&Text::new(
                format!("n = {}", bar.n),
                (l.bar_right + 8, middle),
                n_style,
            ))?;
        }
    }
    let source = style(SMALL_SIZE, MUTED, HPos::Left, VPos::Top);
    for (i, line) in l.source.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (MARGIN, l.source_top + i as i32 * LINE),
            source.clone(),
        ))?;
    }
    Ok(())
}
