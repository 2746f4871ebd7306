//! Writing a release as CSV, JSON, Parquet (with polars) or a zipped
//! Frictionless Data Package whose Table Schema is the codebook.
use super::disclosure;
use super::neutralise;
use super::release::{ColumnKind, Release};
use polars::prelude::{
    Column as PlColumn, CsvWriter, DataFrame, JsonFormat, JsonWriter, ParquetWriter, PolarsResult,
    SerWriter,
};
use serde_json::{Value, json};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The release as a frame; for CSV, text cells that a spreadsheet would
/// run as formulas are neutralised.
fn frame(r: &Release, for_csv: bool) -> PolarsResult<DataFrame> {
    let columns = r
        .columns
        .iter()
        .enumerate()
        .map(|(j, col)| {
            let name = col.name.as_str().into();
            match col.kind {
                ColumnKind::Flag => {
                    let values: Vec<Option<i32>> = r
                        .rows
                        .iter()
                        .map(|row| row[j].as_deref().map(|v| i32::from(v == "1")))
                        .collect();
                    PlColumn::new(name, values)
                }
                ColumnKind::Text if for_csv => {
                    let values: Vec<Option<String>> = r
                        .rows
                        .iter()
                        .map(|row| row[j].as_deref().map(neutralise))
                        .collect();
                    PlColumn::new(name, values)
                }
                _ => {
                    let values: Vec<Option<&str>> =
                        r.rows.iter().map(|row| row[j].as_deref()).collect();
                    PlColumn::new(name, values)
                }
            }
        })
        .collect();
    DataFrame::new(r.rows.len(), columns)
}

fn csv(r: &Release) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::new();
    CsvWriter::new(&mut out).finish(&mut frame(r, true)?)?;
    Ok(out)
}

/// Writes the release in `format`.
pub fn write(r: &Release, format: Format, title: &str, slug: &str) -> Result<Vec<u8>, FormatError> {
    Ok(match format {
        Format::Csv => csv(r)?,
        Format::Json => {
            let mut out = Vec::new();
            JsonWriter::new(&mut out)
                .with_json_format(JsonFormat::Json)
                .finish(&mut frame(r, false)?)?;
            out
        }
        Format::Parquet => {
            let mut out = Vec::new();
            ParquetWriter::new(&mut out).finish(&mut frame(r, false)?)?;
            out
        }
        Format::DataPackage => {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let options = zip::write::SimpleFileOptions::default();
            let files: [(&str, Vec<u8>); 4] = [
                ("responses.csv", csv(r)?),
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
            zip.finish()?.into_inner()
        }
    })
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
