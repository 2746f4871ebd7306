//! Reading request bodies with a size limit, so that an oversized body is
//! refused with 413 before it is held in memory.
use actix_web::web::{Bytes, BytesMut, Payload};
use futures_util::StreamExt;

/// Largest request body accepted anywhere: 1 MiB.
pub const BODY_LIMIT: usize = 1 << 20;

#[derive(Debug)]
pub enum BodyError {
    TooLarge,
    Read(String),
}

pub async fn read_limited(mut payload: Payload, limit: usize) -> Result<Bytes, BodyError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => BodyError::TooLarge,
            other => BodyError::Read(other.to_string()),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
