//! Charts in the style of the report, drawn with plotters: one horizontal
//! 100%-stacked bar per group plus "All respondents" (single choice), a
//! grouped chart of every option per group (multiple choice, themes), or a
//! plain bar chart of one question overall. SVG (with a title and
//! description for screen readers) and PNG.
mod describe;
mod draw;
mod grouped;
mod layout;
mod style;
mod text;

use crate::analysis::Breakdown;
use crate::analysis::breakdown::SMALL_BASE;
use crate::domain::QuestionType;
use describe::describe;
use draw::{Drawing, draw};
use grouped::Grouped;
use image::ImageEncoder;
use layout::{Frame, Layout, WIDTH, lay_out, stacked_bars};
use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::RGBColor;
use text::Pen;

/// Part of every chart's ETag: raised whenever charts are drawn
/// differently, so that a chart cached under an old tag is drawn again.
pub const DRAWING_VERSION: u32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart font could not be loaded")]
    Font,
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("{0}")]
    Unsupported(String),
}

/// What the lines around a chart say besides the question.
#[derive(Debug, Clone)]
pub struct Source {
    pub consultation: String,
    pub date: chrono::NaiveDate,
    /// Which respondents the breakdown kept, in words, when it was
    /// filtered; shown under the title.
    pub filters: Option<String>,
}

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One 100% bar per group plus all respondents (single choice only).
    Stacked,
    /// A row per group plus all respondents, a bar per option: the share
    /// of those in the group who answered who chose it.
    Grouped,
    /// One bar per option, all respondents.
    Overall,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "stacked" => Some(Kind::Stacked),
            "grouped" => Some(Kind::Grouped),
            "overall" => Some(Kind::Overall),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Stacked => "stacked",
            Kind::Grouped => "grouped",
            Kind::Overall => "overall",
        }
    }

    /// A single-choice question's answers add up to 100% per group: they
    /// stack. Those of a multiple-choice question do not: they are grouped.
    pub fn default_for(question: QuestionType) -> Kind {
        if question == QuestionType::SingleChoice {
            Kind::Stacked
        } else {
            Kind::Grouped
        }
    }
}

enum Body {
    Bars {
        layout: Layout,
        legend: Vec<String>,
        legend_colours: Vec<RGBColor>,
        colours: Vec<RGBColor>,
        stacked: bool,
    },
    Grouped(Grouped),
}

struct Prepared {
    body: Body,
    height: i32,
    title: String,
    description: String,
}

fn source_line(b: &Breakdown, kind: Kind, source: &Source) -> String {
    let mut line = format!(
        "Source: {}, {}. ",
        source.consultation,
        source.date.format("%-d %B %Y"),
    );
    match b.total.uncoded {
        // A free-text question's themes count over the answers coded so far.
        Some(uncoded) => line.push_str(&format!(
            "Base: answers coded so far (n = {}; {uncoded} not yet coded are not counted); \
             an answer can carry more than one theme",
            b.total.n
        )),
        None => line.push_str(&format!("Base: all who answered (n = {})", b.total.n)),
    }
    if b.kind == QuestionType::MultipleChoice {
        line.push_str("; respondents could choose more than one option");
    }
    line.push_str(". Percentages are rounded");
    if kind == Kind::Grouped {
        line.push_str(" and are of those in each group who answered");
    }
    let small = std::iter::once(&b.total)
        .chain(&b.groups)
        .any(|g| g.n > 0 && g.small_base);
    // The overall chart has one base, given already.
    if small && kind != Kind::Overall {
        line.push_str(&format!(
            ". Small base: fewer than {SMALL_BASE} in the group answered; its bars are \
             hatched and its figures are indicative only"
        ));
    }
    line.push('.');
    line
}

fn prepare(b: &Breakdown, kind: Kind, source: &Source) -> Result<Prepared, ChartError> {
    if !text::fonts_ready() {
        return Err(ChartError::Font);
    }
    let neutral: Vec<bool> = b.options.iter().map(|o| o.neutral).collect();
    let labels: Vec<String> = b.options.iter().map(|o| o.label.clone()).collect();
    let line = source_line(b, kind, source);
    let frame = || Frame::open(&b.question_text, source.filters.as_deref());
    let body = match kind {
        Kind::Stacked => {
            if b.kind != QuestionType::SingleChoice {
                return Err(ChartError::Unsupported(
                    "a stacked chart needs a single-choice question; use grouped or overall".into(),
                ));
            }
            let colours = style::palette(&neutral);
            Body::Bars {
                layout: lay_out(frame(), &labels, stacked_bars(b), true, &line),
                legend: labels,
                legend_colours: colours.clone(),
                colours,
                stacked: true,
            }
        }
        Kind::Overall => {
            let bars = b
                .options
                .iter()
                .map(|o| {
                    let share = b.total.percent.get(&o.code).copied().flatten();
                    (o.label.clone(), b.total.n, share.map(|s| vec![s]), false)
                })
                .collect();
            Body::Bars {
                layout: lay_out(frame(), &[], bars, false, &line),
                legend: Vec::new(),
                legend_colours: Vec::new(),
                // An overall chart has one colour: its options need not be a scale.
                colours: vec![style::SINGLE],
                stacked: false,
            }
        }
        Kind::Grouped => Body::Grouped(grouped::lay_out(b, frame(), &line)),
    };
    let height = match &body {
        Body::Bars { layout, .. } => layout.frame.height,
        Body::Grouped(g) => g.frame.height,
    };
    Ok(Prepared {
        body,
        height,
        title: b.question_text.clone(),
        description: describe(b, kind, source.filters.as_deref()),
    })
}

fn render<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Prepared,
    pen: Pen,
) -> Result<(), ChartError> {
    let failed = |e: &dyn std::fmt::Display| ChartError::Draw(e.to_string());
    match &p.body {
        Body::Bars {
            layout,
            legend,
            legend_colours,
            colours,
            stacked,
        } => {
            let colour = |_bar: usize, segment: usize| {
                colours
                    .get(segment)
                    .or(colours.first())
                    .copied()
                    .unwrap_or(style::SINGLE)
            };
            let d = Drawing {
                layout,
                legend_labels: legend,
                legend_colours,
                colour: &colour,
                stacked: *stacked,
            };
            draw(area, &d, pen).map_err(|e| failed(&e))?;
        }
        Body::Grouped(g) => grouped::draw(area, g, pen).map_err(|e| failed(&e))?,
    }
    area.present().map_err(|e| failed(&e))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as SVG, titled and described for assistive technology.
pub fn svg(b: &Breakdown, kind: Kind, source: &Source) -> Result<String, ChartError> {
    let p = prepare(b, kind, source)?;
    let mut out = String::new();
    {
        let size = (WIDTH as u32, p.height as u32);
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        render(&area, &p, Pen { raster: false })?;
    }
    let Some(open_end) = out
        .find("<svg")
        .and_then(|s| out[s..].find('>').map(|e| s + e))
    else {
        return Err(ChartError::Draw("no <svg> element".into()));
    };
    // Ids carry the question so that several charts can share a page.
    let id = format!("chart-{}", b.question);
    let accessible = format!(
        " role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&p.title),
        escape(&p.description)
    );
    out.replace_range(open_end..=open_end, &accessible);
    Ok(out)
}

/// The chart as PNG, 960 pixels wide.
pub fn png(b: &Breakdown, kind: Kind, source: &Source) -> Result<Vec<u8>, ChartError> {
    let p = prepare(b, kind, source)?;
    let (w, h) = (WIDTH as u32, p.height as u32);
    let mut pixels = vec![0u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        render(&area, &p, Pen { raster: true })?;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, w, h, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod grouped_tests;
#[cfg(test)]
mod tests;
