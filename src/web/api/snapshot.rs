//! What the results, breakdown and chart handlers share: revalidation by
//! ETag and analysis work off the async workers.
use crate::analysis::Snapshot;
use crate::web::error::ApiError;
use actix_web::http::header::{ETag, EntityTag, IfNoneMatch};
use actix_web::web::Header;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// The tag of one representation: it changes with every stored change and
/// every new definition version, and differs between paths, queries and
/// anything else the body depends on (`extra`), so that one question's tag
/// never revalidates another's.
pub fn etag(snapshot: &Snapshot, req: &HttpRequest, extra: &str) -> EntityTag {
    let mut h = Sha256::new();
    for part in [req.path(), req.query_string(), extra] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    EntityTag::new_strong(format!(
        "d{}-v{}-{}",
        snapshot.data_version,
        snapshot.definition_version,
        hex::encode(&digest[..8])
    ))
}

/// 304 with the tag when the client already holds this representation
/// (weak comparison, RFC 9110 §13.1.2).
pub fn not_modified(
    if_none_match: Option<Header<IfNoneMatch>>,
    etag: &EntityTag,
) -> Option<HttpResponse> {
    let held = match if_none_match {
        Some(Header(IfNoneMatch::Any)) => true,
        Some(Header(IfNoneMatch::Items(tags))) => tags.iter().any(|t| t.weak_eq(etag)),
        None => false,
    };
    held.then(|| {
        HttpResponse::NotModified()
            .insert_header(ETag(etag.clone()))
            .finish()
    })
}

/// Runs analysis work on a blocking thread: polars' engine blocks, which
/// the async workers must never do.
pub async fn compute<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    actix_web::web::block(f).await?
}
