//! Charts in the style of the report, drawn with plotters: one horizontal
//! 100%-stacked bar per group plus "All respondents", or a plain bar chart
//! of one question overall. SVG (with a title and description for screen
//! readers) and PNG.
mod draw;
mod layout;
mod style;

use crate::analysis::Breakdown;
use crate::domain::QuestionType;
use draw::{Drawing, draw};
use image::ImageEncoder;
use layout::{Layout, WIDTH, lay_out, stacked_bars};
use plotters::prelude::{BitMapBackend, IntoDrawingArea, SVGBackend};
use plotters::style::RGBColor;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart font could not be loaded")]
    Font,
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("{0}")]
    Unsupported(String),
}

/// What the source line under a chart says.
#[derive(Debug, Clone)]
pub struct Source {
    pub consultation: String,
    pub date: chrono::NaiveDate,
}

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One bar per group plus all respondents (single choice only).
    Stacked,
    /// One bar per option, all respondents.
    Overall,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "stacked" => Some(Kind::Stacked),
            "overall" => Some(Kind::Overall),
            _ => None,
        }
    }
}

struct Prepared {
    layout: Layout,
    legend: Vec<String>,
    legend_colours: Vec<RGBColor>,
    colours: Vec<RGBColor>,
    kind: Kind,
    title: String,
    description: String,
}

fn prepare(b: &Breakdown, kind: Kind, source: &Source) -> Result<Prepared, ChartError> {
    if !style::fonts_ready() {
        return Err(ChartError::Font);
    }
    let neutral: Vec<bool> = b.options.iter().map(|o| o.neutral).collect();
    let colours = style::palette(&neutral);
    let labels: Vec<String> = b.options.iter().map(|o| o.label.clone()).collect();
    let source_line = format!(
        "Source: {}, {}. Base: all who answered (n = {}){}. Percentages are rounded.",
        source.consultation,
        source.date.format("%-d %B %Y"),
        b.total.n,
        if b.kind == QuestionType::MultipleChoice {
            "; respondents could choose more than one option"
        } else {
            ""
        }
    );
    let (layout, legend, legend_colours) = match kind {
        Kind::Stacked => {
            if b.kind != QuestionType::SingleChoice {
                return Err(ChartError::Unsupported(
                    "a stacked chart needs a single-choice question; use the overall chart".into(),
                ));
            }
            let layout = lay_out(
                &b.question_text,
                &labels,
                stacked_bars(b),
                true,
                &source_line,
            );
            (layout, labels.clone(), colours.clone())
        }
        Kind::Overall => {
            let bars = b
                .options
                .iter()
                .map(|o| {
                    let share = b.total.percent.get(&o.code).copied().flatten();
                    (o.label.clone(), b.total.n, share.map(|s| vec![s]))
                })
                .collect();
            (
                lay_out(&b.question_text, &[], bars, false, &source_line),
                Vec::new(),
                Vec::new(),
            )
        }
    };
    Ok(Prepared {
        layout,
        legend,
        legend_colours,
        colours,
        kind,
        title: b.question_text.clone(),
        description: describe(b, kind),
    })
}

/// The chart's content in words, for screen readers.
fn describe(b: &Breakdown, kind: Kind) -> String {
    let row = |g: &crate::analysis::GroupRow| {
        if g.n == 0 {
            return format!("{}: no responses", g.label);
        }
        let parts: Vec<String> = b
            .options
            .iter()
            .map(|o| {
                let p = g.percent.get(&o.code).copied().flatten().unwrap_or(0.0);
                format!("{} {p:.0}%", o.label)
            })
            .collect();
        format!("{} (n = {}): {}", g.label, g.n, parts.join(", "))
    };
    match kind {
        Kind::Stacked => {
            let rows: Vec<String> = std::iter::once(&b.total)
                .chain(&b.groups)
                .map(row)
                .collect();
            format!(
                "100% stacked bar chart by {}. {}.",
                b.by_text.trim_end_matches('?'),
                rows.join("; ")
            )
        }
        Kind::Overall => format!("Bar chart of all respondents. {}.", row(&b.total)),
    }
}

fn drawing<'a>(p: &'a Prepared, colour: &'a dyn Fn(usize, usize) -> RGBColor) -> Drawing<'a> {
    Drawing {
        layout: &p.layout,
        legend_labels: &p.legend,
        legend_colours: &p.legend_colours,
        colour,
        stacked: p.kind == Kind::Stacked,
    }
}

fn colour_fn(p: &Prepared) -> impl Fn(usize, usize) -> RGBColor + '_ {
    // An overall chart has one colour: its options need not be a scale.
    move |_bar, segment| match p.kind {
        Kind::Stacked => p.colours[segment],
        Kind::Overall => style::SINGLE,
    }
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
    let colour = colour_fn(&p);
    let mut out = String::new();
    {
        let size = (WIDTH as u32, p.layout.height as u32);
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&area, &drawing(&p, &colour)).map_err(|e| ChartError::Draw(e.to_string()))?;
        area.present()
            .map_err(|e| ChartError::Draw(e.to_string()))?;
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
    let colour = colour_fn(&p);
    let (w, h) = (WIDTH as u32, p.layout.height as u32);
    let mut pixels = vec![0u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw(&area, &drawing(&p, &colour)).map_err(|e| ChartError::Draw(e.to_string()))?;
        area.present()
            .map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, w, h, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests;
