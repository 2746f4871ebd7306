//! The grouped chart, for questions whose answers do not add up to one
//! 100% bar (multiple choice, and free-text themes): a row per group of
//! `by` after "All respondents", a column per option, and in each cell a
//! bar of the share of the group's respondents who chose the option, on
//! the same 0–100% track everywhere. Columns wrap into further blocks (with
//! the group labels repeated) so that many options keep readable widths.
use super::draw::{DrawResult, draw_frame, small_base_bar};
use super::layout::{Frame, LABEL_SIZE, LINE, MARGIN, SMALL_SIZE, WIDTH};
use super::style::{MUTED, SINGLE, TEXT, wrap, wraps_whole};
use super::text::{Face, Pen, bold, font, width};
use crate::analysis::{Breakdown, GroupRow};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, Rectangle};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, RGBColor};

/// The group labels' column, and the gap after it.
const GROUP_WIDTH: i32 = 250;
const GUTTER: i32 = 12;
/// No more columns per block than this, so that a column stays ≥ 100 px,
/// and no fewer unless there are fewer options, so that blocks stay few.
const MAX_COLUMNS: usize = 6;
const MIN_COLUMNS: usize = 3;
const ROW_HEIGHT: i32 = 24;
const BAR: i32 = 12;
/// Bars of all respondents, then of each group.
const ALL_COLOUR: RGBColor = RGBColor(8, 48, 107);
const GROUP_COLOUR: RGBColor = SINGLE;
/// The empty part of a track.
const TRACK: RGBColor = RGBColor(236, 239, 241);

#[derive(Debug, Clone)]
pub struct Row {
    pub label: Vec<String>,
    /// Per option of the block, 0–100; None when nobody in it answered.
    pub shares: Option<Vec<f64>>,
    pub small: bool,
    pub all: bool,
    pub top: i32,
    pub height: i32,
}

#[derive(Debug, Clone)]
pub struct Block {
    /// Per column: the option's label lines, bottom-aligned at `rows_top`.
    pub headers: Vec<Vec<String>>,
    pub rows_top: i32,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Grouped {
    pub frame: Frame,
    pub blocks: Vec<Block>,
    pub column_width: i32,
}

/// "Acute trust (n = 23)", with "small base" when it is one.
pub fn group_label(g: &GroupRow) -> String {
    if g.n > 0 && g.small_base {
        format!("{} (n = {}, small base)", g.label, g.n)
    } else {
        format!("{} (n = {})", g.label, g.n)
    }
}

/// A share as printed: whole percentages, "<1%" for a few.
pub fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.5 {
        "<1%".to_owned()
    } else {
        format!("{p:.0}%")
    }
}

fn left_of_columns() -> i32 {
    MARGIN + GROUP_WIDTH + GUTTER
}

/// How many columns each block has and how wide they are: the most (the
/// options shared evenly between blocks) at which the fewest option
/// labels have to break a word.
fn columns(b: &Breakdown) -> (usize, i32) {
    let options = b.options.len().max(1);
    let mut best: Option<(usize, usize, i32)> = None;
    for most in (MIN_COLUMNS.min(options)..=MAX_COLUMNS.min(options)).rev() {
        let per_block = options.div_ceil(options.div_ceil(most));
        let width = (WIDTH - MARGIN - left_of_columns()) / per_block as i32;
        let broken = b
            .options
            .iter()
            .filter(|o| !wraps_whole(header_face(), &o.label, width - GUTTER))
            .count();
        if best.is_none_or(|(fewest, _, _)| broken < fewest) {
            best = Some((broken, per_block, width));
        }
    }
    best.map_or((1, WIDTH), |(_, per_block, width)| (per_block, width))
}

fn header_face() -> Face {
    bold(LABEL_SIZE)
}

pub fn lay_out(b: &Breakdown, frame: (Frame, i32), source: &str) -> Grouped {
    let (mut frame, mut y) = frame;
    let (per_block, column_width) = columns(b);
    let label_face = font(LABEL_SIZE);
    let groups: Vec<&GroupRow> = std::iter::once(&b.total).chain(&b.groups).collect();
    let labels: Vec<Vec<String>> = groups
        .iter()
        .map(|g| wrap(label_face, &group_label(g), GROUP_WIDTH))
        .collect();
    let mut blocks = Vec::new();
    for (k, chunk) in b.options.chunks(per_block).enumerate() {
        if k > 0 {
            y += 18;
        }
        let headers: Vec<Vec<String>> = chunk
            .iter()
            .map(|o| wrap(header_face(), &o.label, column_width - GUTTER))
            .collect();
        let deepest = headers.iter().map(Vec::len).max().unwrap_or(1) as i32;
        y += deepest * LINE + 6;
        let rows_top = y;
        let mut rows = Vec::new();
        for (i, (g, label)) in groups.iter().zip(&labels).enumerate() {
            let height = ROW_HEIGHT.max(label.len() as i32 * LINE + 6);
            let shares = (g.n > 0).then(|| {
                chunk
                    .iter()
                    .map(|o| g.percent.get(&o.code).copied().flatten().unwrap_or(0.0))
                    .collect()
            });
            rows.push(Row {
                label: label.clone(),
                shares,
                small: g.n > 0 && g.small_base,
                all: i == 0,
                top: y,
                height,
            });
            // "All respondents" stands apart from the groups.
            y += height + if i == 0 { 8 } else { 0 };
        }
        blocks.push(Block {
            headers,
            rows_top,
            rows,
        });
    }
    frame.close(y + 4, source);
    Grouped {
        frame,
        blocks,
        column_width,
    }
}

pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    g: &Grouped,
    pen: Pen,
) -> DrawResult<DB> {
    draw_frame(area, &g.frame, pen)?;
    let left = left_of_columns();
    let pct_width = width(font(SMALL_SIZE), "100%") + 6;
    let track = g.column_width - GUTTER - pct_width;
    for block in &g.blocks {
        for (c, header) in block.headers.iter().enumerate() {
            let x = left + c as i32 * g.column_width;
            let first = block.rows_top - 6 - header.len() as i32 * LINE;
            for (k, line) in header.iter().enumerate() {
                let at = (x, first + k as i32 * LINE);
                area.draw(&pen.text(line, at, header_face()))?;
            }
        }
        for row in &block.rows {
            let middle = row.top + row.height / 2;
            let ink = if row.small { MUTED } else { TEXT };
            let first = middle - (row.label.len() as i32 - 1) * LINE / 2;
            for (k, line) in row.label.iter().enumerate() {
                let at = (MARGIN, first + k as i32 * LINE);
                let label = pen.text(line, at, font(LABEL_SIZE)).colour(ink);
                area.draw(&label.anchor(HPos::Left, VPos::Center))?;
            }
            let Some(shares) = &row.shares else {
                let none = pen.text("no answers", (left, middle), font(LABEL_SIZE));
                area.draw(&none.colour(MUTED).anchor(HPos::Left, VPos::Center))?;
                continue;
            };
            let base = if row.all { ALL_COLOUR } else { GROUP_COLOUR };
            let (top, bottom) = (middle - BAR / 2, middle + BAR / 2);
            for (c, &share) in shares.iter().enumerate() {
                let x = left + c as i32 * g.column_width;
                let x_end = x + (share * f64::from(track) / 100.0).round() as i32;
                let whole = Rectangle::new([(x, top), (x + track, bottom)], TRACK.filled());
                area.draw(&whole)?;
                if x_end > x && row.small {
                    small_base_bar(area, (x, top), (x_end, bottom), base)?;
                } else if x_end > x {
                    area.draw(&Rectangle::new([(x, top), (x_end, bottom)], base.filled()))?;
                }
                let label = pen.text(percent(share), (x + track + 5, middle), font(SMALL_SIZE));
                area.draw(&label.colour(ink).anchor(HPos::Left, VPos::Center))?;
            }
        }
    }
    Ok(())
}
