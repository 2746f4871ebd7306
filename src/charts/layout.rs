//! Where everything goes on a chart, worked out before drawing so that the
//! height fits the wrapped title, legend and labels.
use super::style::{bold, font, width, wrap};
use crate::analysis::Breakdown;

pub const WIDTH: i32 = 960;
pub const MARGIN: i32 = 20;
pub const LABEL_WIDTH: i32 = 220;
pub const N_WIDTH: i32 = 80;
pub const BAR_HEIGHT: i32 = 26;
pub const ROW_GAP: i32 = 10;
pub const LINE: i32 = 15;
pub const TITLE_SIZE: f64 = 17.0;
pub const LABEL_SIZE: f64 = 13.0;
pub const SMALL_SIZE: f64 = 11.0;

/// One bar: its label lines, base, and share per option (0–100) or None
/// when nobody in it answered.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: Vec<String>,
    pub n: u64,
    pub shares: Option<Vec<f64>>,
    pub top: i32,
    pub height: i32,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub title: Vec<String>,
    /// (option index, x, y) of each legend entry.
    pub legend: Vec<(usize, i32, i32)>,
    pub bars: Vec<Bar>,
    pub bar_left: i32,
    pub bar_right: i32,
    pub source: Vec<String>,
    pub source_top: i32,
    pub height: i32,
}

/// Lays out bars (label, n, shares) under a wrapped title and a legend of
/// `legend_labels`; `gap_after_first` separates "All respondents".
pub fn lay_out(
    title: &str,
    legend_labels: &[String],
    bars: Vec<(String, u64, Option<Vec<f64>>)>,
    gap_after_first: bool,
    source: &str,
) -> Layout {
    let inner = WIDTH - 2 * MARGIN;
    let title_lines = wrap(&bold(TITLE_SIZE), title, inner);
    let mut y = MARGIN + title_lines.len() as i32 * (TITLE_SIZE as i32 + 5) + 8;

    // Legend: swatch and label, flowing into rows.
    let legend_top = y;
    let mut legend = Vec::new();
    let (mut x, mut row) = (MARGIN + LABEL_WIDTH, 0);
    for (i, label) in legend_labels.iter().enumerate() {
        let w = 18 + width(&font(LABEL_SIZE), label) + 16;
        if x + w > WIDTH - MARGIN && x > MARGIN + LABEL_WIDTH {
            row += 1;
            x = MARGIN + LABEL_WIDTH;
        }
        legend.push((i, x, legend_top + row * (LINE + 6)));
        x += w;
    }
    if !legend_labels.is_empty() {
        y = legend_top + (row + 1) * (LINE + 6) + 10;
    }

    let label_font = font(LABEL_SIZE);
    let mut laid = Vec::new();
    for (i, (label, n, shares)) in bars.into_iter().enumerate() {
        let lines = wrap(&label_font, &label, LABEL_WIDTH - 10);
        let height = BAR_HEIGHT.max(lines.len() as i32 * LINE + 6);
        laid.push(Bar {
            label: lines,
            n,
            shares,
            top: y,
            height,
        });
        y += height + ROW_GAP;
        if i == 0 && gap_after_first {
            y += ROW_GAP * 2;
        }
    }
    let source_lines = wrap(&font(SMALL_SIZE), source, inner);
    let source_top = y + 6;
    let height = source_top + source_lines.len() as i32 * LINE + MARGIN;
    Layout {
        title: title_lines,
        legend,
        bars: laid,
        bar_left: MARGIN + LABEL_WIDTH,
        bar_right: WIDTH - MARGIN - N_WIDTH,
        source: source_lines,
        source_top,
        height,
    }
}

/// The stacked chart's bars: all respondents, then each group.
pub fn stacked_bars(b: &Breakdown) -> Vec<(String, u64, Option<Vec<f64>>)> {
    std::iter::once(&b.total)
        .chain(b.groups.iter())
        .map(|g| {
            let shares = (g.n > 0).then(|| {
                b.options
                    .iter()
                    .map(|o| g.percent.get(&o.code).copied().flatten().unwrap_or(0.0))
                    .collect()
            });
            (g.label.clone(), g.n, shares)
        })
        .collect()
}
