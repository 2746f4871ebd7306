//! Request spans for the log, without secrets: private-link and
//! invitation tokens in paths are masked, and query strings (which may
//! hold filters, never credentials) are left out.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

pub struct RedactedSpans;

/// `/consultations/x/r/SECRET/check` → `/consultations/x/r/***/check`.
pub fn redact_path(path: &str) -> String {
    let mut out = Vec::new();
    let mut hide_next = false;
    for segment in path.split('/') {
        if hide_next && !segment.is_empty() {
            out.push("***");
            hide_next = false;
            continue;
        }
        hide_next = segment == "r" || segment == "i";
        out.push(segment);
    }
    out.join("/")
}

impl RootSpanBuilder for RedactedSpans {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing::info_span!(
            "http",
            method = %request.method(),
            path = %redact_path(request.path()),
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(r) => r.status().as_u16(),
            Err(e) => e.as_response_error().status_code().as_u16(),
        };
        span.record("status", status);
    }
}

#[cfg(test)]
mod tests {
    use super::redact_path;

    #[test]
    fn tokens_never_reach_the_log() {
        assert_eq!(
            redact_path("/consultations/x/r/AbC_123/check"),
            "/consultations/x/r/***/check"
        );
        assert_eq!(
            redact_path("/consultations/x/i/AbC_123"),
            "/consultations/x/i/***"
        );
        assert_eq!(
            redact_path("/staff/x/questions/q1"),
            "/staff/x/questions/q1"
        );
        assert_eq!(redact_path("/"), "/");
    }
}
