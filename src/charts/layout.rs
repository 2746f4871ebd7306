//! Where everything goes on a chart, worked out before drawing so that the
//! height fits the wrapped title, legend and labels.
use super::style::wrap;
use super::text::{bold, font, width};
use crate::analysis::Breakdown;

pub const WIDTH: i32 = 960;
pub const MARGIN: i32 = 20;
pub const LABEL_WIDTH: i32 = 220;
pub const N_WIDTH: i32 = 80;
pub const BAR_HEIGHT: i32 = 26;
pub const ROW_GAP: i32 = 10;
pub const LINE: i32 = 15;
pub const TITLE_SIZE: f64 = 17.0;
pub const TITLE_LINE: i32 = 22;
pub const LABEL_SIZE: f64 = 13.0;
pub const SMALL_SIZE: f64 = 11.0;

/// What every chart has around its body: the question as a wrapped title,
/// an optional subtitle (the filters), and the source line at the foot.
#[derive(Debug, Clone)]
pub struct Frame {
    pub title: Vec<String>,
    pub subtitle: Vec<String>,
    pub subtitle_top: i32,
    pub source: Vec<String>,
    pub source_top: i32,
    pub height: i32,
}

impl Frame {
    /// The title and subtitle; returns where the body starts.
    pub fn open(title: &str, subtitle: Option<&str>) -> (Frame, i32) {
        let inner = WIDTH - 2 * MARGIN;
        let title = wrap(bold(TITLE_SIZE), title, inner);
        let subtitle_top = MARGIN + title.len() as i32 * TITLE_LINE;
        let subtitle = subtitle.map_or_else(Vec::new, |s| wrap(font(LABEL_SIZE), s, inner));
        let gap = if subtitle.is_empty() { 8 } else { 12 };
        let body = subtitle_top + subtitle.len() as i32 * LINE + gap;
        let frame = Frame {
            title,
            subtitle,
            subtitle_top,
            source: Vec::new(),
            source_top: body,
            height: body,
        };
        (frame, body)
    }

    /// The source line (and notes) under a body ending at `bottom`.
    pub fn close(&mut self, bottom: i32, source: &str) {
        self.source = wrap(font(SMALL_SIZE), source, WIDTH - 2 * MARGIN);
        self.source_top = bottom + 6;
        self.height = self.source_top + self.source.len() as i32 * LINE + MARGIN;
    }
}

/// One bar: its label lines, base, and share per option (0–100) or None
/// when nobody in it answered.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: Vec<String>,
    pub n: u64,
    /// Drawn hatched, and said so in the label.
    pub small: bool,
    pub shares: Option<Vec<f64>>,
    pub top: i32,
    pub height: i32,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub frame: Frame,
    /// (option index, x, y) of each legend entry.
    pub legend: Vec<(usize, i32, i32)>,
    pub bars: Vec<Bar>,
    pub bar_left: i32,
    pub bar_right: i32,
}

/// Lays out bars in a frame, under a legend of `legend_labels`;
/// `gap_after_first` separates "All respondents".
pub fn lay_out(
    frame: (Frame, i32),
    legend_labels: &[String],
    bars: Vec<Bars>,
    gap_after_first: bool,
    source: &str,
) -> Layout {
    let (mut frame, mut y) = frame;

    // Legend: swatch and label, flowing into rows.
    let legend_top = y;
    let mut legend = Vec::new();
    let (mut x, mut row) = (MARGIN + LABEL_WIDTH, 0);
    for (i, label) in legend_labels.iter().enumerate() {
        let w = 18 + width(font(LABEL_SIZE), label) + 16;
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

    let mut laid = Vec::new();
    for (i, (label, n, shares, small)) in bars.into_iter().enumerate() {
        let lines = wrap(font(LABEL_SIZE), &label, LABEL_WIDTH - 10);
        let height = BAR_HEIGHT.max(lines.len() as i32 * LINE + 6);
        laid.push(Bar {
            label: lines,
            n,
            small,
            shares,
            top: y,
            height,
        });
        y += height + ROW_GAP;
        if i == 0 && gap_after_first {
            y += ROW_GAP * 2;
        }
    }
    frame.close(y, source);
    Layout {
        frame,
        legend,
        bars: laid,
        bar_left: MARGIN + LABEL_WIDTH,
        bar_right: WIDTH - MARGIN - N_WIDTH,
    }
}

/// A bar's label, base, shares per option (None: nobody answered), and
/// whether its base is small.
pub type Bars = (String, u64, Option<Vec<f64>>, bool);

/// The stacked chart's bars: all respondents, then each group.
pub fn stacked_bars(b: &Breakdown) -> Vec<Bars> {
    std::iter::once(&b.total)
        .chain(b.groups.iter())
        .map(|g| {
            let shares = (g.n > 0).then(|| {
                b.options
                    .iter()
                    .map(|o| g.percent.get(&o.code).copied().flatten().unwrap_or(0.0))
                    .collect()
            });
            let small = g.n > 0 && g.small_base;
            let label = if small {
                format!("{} (small base)", g.label)
            } else {
                g.label.clone()
            };
            (label, g.n, shares, small)
        })
        .collect()
}
