//! Writing a release as CSV, JSON, Parquet (with polars) or a zipped
//! Frictionless Data Package whose Table Schema is the codebook: each
//! column's title, categories, and for theme columns the theme's label,
//! description and what an empty cell means.
use super::disclosure;
use super::neutralise;
use super::release::{ColumnKind, Release};
use super::values::Values;
use polars::prelude::{
    Column as PlColumn, CsvWriter, DataFrame, JsonFormat, JsonWriter, ParquetWriter, PolarsResult,
    SerWriter,
};
use serde_json::{Value, json};
use std::io::Write;
use std::ops::Range;

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
    Parquet,
    DataPackage,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "parquet" => Some(Format::Parquet),
            "datapackage" => Some(Format::DataPackage),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Parquet => "parquet",
            Format::DataPackage => "zip",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::Parquet => "application/vnd.apache.parquet",
            Format::DataPackage => "application/zip",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{0}")]
    Polars(#[from] polars::prelude::PolarsError),
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

/// Rows per frame handed to a writer (a Parquet row group): the frames
/// are built one at a time, so memory does not grow with the release.
const BATCH_ROWS: usize = 100_000;

/// Released rows `range` as a frame; for CSV, text cells that a
/// spreadsheet would run as formulas are neutralised.
fn frame(r: &Release, for_csv: bool, range: Range<usize>) -> PolarsResult<DataFrame> {
    let rows = &r.rows[range];
    let columns = r
        .columns
        .iter()
        .zip(&r.values)
        .map(|(col, values)| {
            let name = col.name.as_str().into();
            match values {
                Values::Flags(v) => {
                    let flags: Vec<Option<i32>> =
                        rows.iter().map(|&i| v[i].map(i32::from)).collect();
                    PlColumn::new(name, flags)
                }
                Values::Codes(v) => {
                    let codes: Vec<Option<&str>> = rows
                        .iter()
                        .map(|&i| {
                            v[i].and_then(|c| col.categories.get(usize::from(c)))
                                .map(|(code, _)| code.as_str())
                        })
                        .collect();
                    PlColumn::new(name, codes)
                }
                Values::Text(v) if for_csv && col.kind == ColumnKind::Text => {
                    let text: Vec<Option<String>> =
                        rows.iter().map(|&i| v.get(i).map(neutralise)).collect();
                    PlColumn::new(name, text)
                }
                Values::Text(v) => {
                    let text: Vec<Option<&str>> = rows.iter().map(|&i| v.get(i)).collect();
                    PlColumn::new(name, text)
                }
            }
        })
        .collect();
    DataFrame::new(rows.len(), columns)
}

/// The release's rows in batches.
fn batches(r: &Release) -> impl Iterator<Item = Range<usize>> {
    let n = r.len();
    (0..n)
        .step_by(BATCH_ROWS)
        .map(move |start| start..(start + BATCH_ROWS).min(n))
}

/// Hands each batch's frame to `write`, the next one built on a second
/// thread while the one before is written.
fn each_frame(
    r: &Release,
    for_csv: bool,
    mut write: impl FnMut(DataFrame) -> Result<(), FormatError>,
) -> Result<(), FormatError> {
    let frames = batches(r).map(|rows| frame(r, for_csv, rows));
    crate::pipeline::ahead(frames, |f| write(f?))
}

fn csv(r: &Release, out: &mut dyn Write) -> Result<(), FormatError> {
    let schema = frame(r, true, 0..0)?.schema().clone();
    let mut w = CsvWriter::new(out).batched(&schema)?;
    each_frame(r, true, |f| Ok(w.write_batch(&f)?))?;
    w.finish()?;
    Ok(())
}

fn parquet(r: &Release, out: &mut dyn Write) -> Result<(), FormatError> {
    let schema = frame(r, false, 0..0)?.schema().clone();
    let w = {
        let mut w = ParquetWriter::new(out).batched(&schema)?;
        each_frame(r, false, |f| Ok(w.write_batch(&f)?))?;
        w
    };
    w.finish()?;
    Ok(())
}

/// Writes the release in `format`.
pub fn write(r: &Release, format: Format, title: &str, slug: &str) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::new();
    write_to(r, format, title, slug, &mut out)?;
    Ok(out)
}

/// Writes the release in `format` to `out` as it goes: CSV and Parquet a
/// batch of rows at a time, so that a download can be sent while it is
/// written.
pub fn write_to(
    r: &Release,
    format: Format,
    title: &str,
    slug: &str,
    out: &mut dyn Write,
) -> Result<(), FormatError> {
    match format {
        Format::Csv => csv(r, out)?,
        Format::Json => {
            JsonWriter::new(out)
                .with_json_format(JsonFormat::Json)
                .finish(&mut frame(r, false, 0..r.len())?)?;
        }
        Format::Parquet => parquet(r, out)?,
        Format::DataPackage => {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let options = zip::write::SimpleFileOptions::default();
            let mut responses = Vec::new();
            csv(r, &mut responses)?;
            let files: [(&str, Vec<u8>); 4] = [
                ("responses.csv", responses),
                (
                    "datapackage.json",
                    serde_json::to_vec_pretty(&datapackage(r, title, slug))?,
                ),
                ("disclosure.json", serde_json::to_vec_pretty(&r.disclosure)?),
                (
                    "disclosure.md",
                    disclosure::markdown(&r.disclosure, title).into_bytes(),
                ),
            ];
            for (name, bytes) in files {
                zip.start_file(name, options)?;
                zip.write_all(&bytes)?;
            }
            out.write_all(&zip.finish()?.into_inner())?;
        }
    }
    Ok(())
}

/// The codebook: a Tabular Data Package describing `responses.csv`.
pub fn datapackage(r: &Release, title: &str, slug: &str) -> Value {
    let fields: Vec<Value> = r
        .columns
        .iter()
        .map(|col| {
            let mut f = json!({"name": col.name, "title": col.title});
            match col.kind {
                ColumnKind::Id => {
                    f["type"] = json!("string");
                    f["format"] = json!("uuid");
                    f["constraints"] = json!({"required": true, "unique": true});
                }
                ColumnKind::When => {
                    f["type"] = json!("string");
                    if !r.disclosure.identified {
                        f["constraints"] = json!({"pattern": "[0-9]{4}-W[0-9]{2}"});
                    }
                }
                ColumnKind::Code => {
                    f["type"] = json!("string");
                    let codes: Vec<&str> = col.categories.iter().map(|(c, _)| c.as_str()).collect();
                    f["constraints"] = json!({"enum": codes});
                    f["categories"] = Value::Array(
                        col.categories
                            .iter()
                            .map(|(c, l)| json!({"value": c, "label": l}))
                            .collect(),
                    );
                }
                ColumnKind::Flag => {
                    f["type"] = json!("integer");
                    f["constraints"] = json!({"enum": [0, 1]});
                    f["description"] =
                        json!("1 chosen, 0 not chosen, empty when the question was not answered");
                }
                ColumnKind::Text => {
                    f["type"] = json!("string");
                }
                ColumnKind::Theme => {
                    f["type"] = json!("integer");
                    f["constraints"] = json!({"enum": [0, 1]});
                }
            }
            if let Some(d) = &col.description {
                f["description"] = json!(d);
            }
            f
        })
        .collect();
    let name = slug.to_lowercase();
    json!({
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": if r.disclosure.identified {
            "All responses as stored, identifying answers included. For the consultation's own staff only."
        } else {
            "Anonymised responses: see disclosure.md for what was removed, generalised, withheld and scrubbed."
        },
        "created": chrono::Utc::now().to_rfc3339(),
        "resources": [{
            "name": "responses",
            "path": "responses.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": fields,
                "missingValues": [""],
                "primaryKey": ["response_id"]
            }
        }]
    })
}
