use super::export_access;
use super::snapshot;
use crate::domain::FieldError;
use crate::export::formats::{self, Format};
use crate::export::release::{DEFAULT_K, Disclosure, MIN_K, Options};
use crate::export::{disclosure, release_stored};
use crate::web::AppState;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::streamed;
use actix_web::http::header;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use std::sync::Arc;

pub(crate) struct Params {
    format: Option<Format>,
    k: usize,
    identified: bool,
}

impl Params {
    /// Everything as stored, in `format`.
    pub(crate) fn identified(format: Format) -> Params {
        Params {
            format: Some(format),
            k: DEFAULT_K,
            identified: true,
        }
    }
}

fn params(query: &str, need_format: bool) -> Result<Params, ApiError> {
    let mut p = Params {
        format: None,
        k: DEFAULT_K,
        identified: false,
    };
    let mut errors = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "format" => match Format::parse(&value) {
                Some(f) => p.format = Some(f),
                None => errors.push(FieldError::new(
                    "format",
                    format!("'{value}' is not a format: use csv, parquet, json or datapackage"),
                )),
            },
            "k" => match value.parse::<usize>() {
                Ok(k) if k >= MIN_K => p.k = k,
                _ => errors.push(FieldError::new(
                    "k",
                    format!("k must be a whole number of at least {MIN_K}"),
                )),
            },
            "identified" => match value.as_ref() {
                "true" => p.identified = true,
                "false" => p.identified = false,
                other => errors.push(FieldError::new(
                    "identified",
                    format!("'{other}' is not true or false"),
                )),
            },
            other => errors.push(FieldError::new(other, "unknown parameter")),
        }
    }
    if need_format && p.format.is_none() && errors.iter().all(|e| e.field != "format") {
        errors.push(FieldError::new(
            "format",
            "say which format: csv, parquet, json or datapackage",
        ));
    }
    if errors.is_empty() {
        Ok(p)
    } else {
        Err(ApiError::Invalid(errors))
    }
}

async fn build(
    state: &Data<AppState>,
    slug: &str,
    p: &Params,
) -> Result<(crate::export::release::Release, String), ApiError> {
    let loaded = state.consultation(slug)?;
    let store = state.store.clone();
    let options = Options {
        k: p.k,
        identified: p.identified,
        seed: None,
    };
    let title = loaded.definition.title.clone();
    let r = snapshot::compute(move || {
        Ok(release_stored(
            &store,
            &loaded.definition,
            loaded.stored.id,
            &options,
        )?)
    })
    .await?;
    Ok((r, title))
}

/// The responses of a consultation, one row per response and one column per
/// question (a 0/1 column `<question>__<option>` per multiple-choice
/// option; per theme of a coded free-text question a column
/// `<question>__theme__<id>`: 1 coded with it, 0 coded without it, empty
/// when not coded or not answered), as CSV, Parquet, JSON or a zipped
/// Frictionless Data Package with its codebook and disclosure report. Anonymised (k = 5 unless `k`
/// says otherwise, never below 2) unless `identified=true`, which needs an
/// administrator's API token.
#[utoipa::path(get, path = "/api/consultations/{slug}/export", tag = "exports",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("format" = Format, Query, description = "The file's format"),
        ("k" = Option<usize>, Query, description = "Smallest group size over the quasi-identifiers; default 5, at least 2"),
        ("identified" = Option<bool>, Query, description = "Everything as stored, for the consultation's staff")),
    responses(
        (status = 200, description = "The file, as an attachment"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn get_export(
    state: Data<AppState>,
    slug: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let p = params(req.query_string(), true)?;
    let what = format!("{slug}: {}", req.query_string());
    export_access::check(&state, &req, p.identified, what).await?;
    download(&state, &slug, &p).await
}

/// The export `p` asks for, as an attachment, sent while it is written.
pub(crate) async fn download(
    state: &Data<AppState>,
    slug: &str,
    p: &Params,
) -> Result<HttpResponse, ApiError> {
    let format = p.format.unwrap_or(Format::Csv);
    let (r, title) = build(state, slug, p).await?;
    let slug2 = slug.to_owned();
    // The release moves to the writer's thread and is freed there.
    let body = streamed::body("export-write", move |out| {
        formats::write_to(&r, format, &title, &slug2, out).map_err(|e| e.to_string())
    });
    let name = format!(
        "{slug}-{}.{}",
        if p.identified {
            "identified"
        } else {
            "anonymised"
        },
        format.extension()
    );
    Ok(HttpResponse::Ok()
        .content_type(format.media_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

/// What the export with the same parameters removes, generalises, withholds
/// and scrubs (`?format=markdown` for the readable version).
#[utoipa::path(get, path = "/api/consultations/{slug}/export/disclosure", tag = "exports",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working")),
    responses((status = 200, description = "The disclosure report"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_disclosure(
    state: Data<AppState>,
    slug: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    // `format` here picks the report's own form, not the export's.
    let markdown = form_urlencoded::parse(req.query_string().as_bytes())
        .any(|(k, v)| k == "format" && v == "markdown");
    let rest: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form_urlencoded::parse(req.query_string().as_bytes()).filter(|(k, _)| k != "format"),
        )
        .finish();
    let p = params(&rest, false)?;
    let what = format!("{slug} disclosure: {}", req.query_string());
    export_access::check(&state, &req, p.identified, what).await?;
    let loaded = state.consultation(&slug)?;
    let (s, l) = (state.clone(), loaded.clone());
    let options = Options {
        k: p.k,
        identified: p.identified,
        seed: None,
    };
    let d: Arc<Disclosure> = snapshot::compute(move || {
        Ok(s.disclosures
            .get(&s.store, &l.definition, l.stored, &options)?)
    })
    .await?;
    let (d, title) = (d.as_ref(), &loaded.definition.title);
    Ok(if markdown {
        HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(disclosure::markdown(d, title))
    } else {
        HttpResponse::Ok().json(d)
    })
}
