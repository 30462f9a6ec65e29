//! The one mapping from errors to RFC 9457 `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tote_core::{FieldError, Invalid};
use tote_oms::OpError;

/// A problem detail, as RFC 9457 defines it, with the fields at fault.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<ProblemField>)]
    pub errors: Vec<FieldError>,
    /// Set on internal errors: quote it when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// One field at fault.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// A JSON path such as `lines[0].qty`, or a header or query parameter name.
    pub field: String,
    pub problem: String,
}

#[derive(Debug)]
pub struct ApiError(Problem);

impl ApiError {
    /// What a person at a scanner reads: the first field's problem, else the detail.
    pub fn first_problem(&self) -> String {
        self.0
            .errors
            .first()
            .map(|f| f.problem.clone())
            .unwrap_or_else(|| self.0.detail.clone())
    }

    fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> ApiError {
        ApiError(Problem {
            kind,
            title,
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            request_id: None,
        })
    }

    pub fn malformed(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "/problems/malformed-request",
            "Malformed request",
            detail,
        )
    }

    pub fn invalid(invalid: Invalid) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "/problems/invalid-request",
            "Invalid request",
            invalid.to_string(),
        );
        e.0.errors = invalid.0;
        e
    }

    pub fn field(field: &str, problem: impl Into<String>) -> ApiError {
        ApiError::invalid(Invalid::one(field, problem))
    }

    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "/problems/not-found",
            "Not found",
            detail,
        )
    }

    pub fn too_large(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "/problems/too-large",
            "Request too large",
            detail,
        )
    }

    pub fn unsupported_media(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "/problems/unsupported-media-type",
            "Unsupported media type",
            detail,
        )
    }

    /// The problem as it will be answered, for pages that show it in HTML.
    pub fn problem(&self) -> &Problem {
        &self.0
    }

    pub fn not_acceptable(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            "/problems/not-acceptable",
            "Not acceptable",
            detail,
        )
    }

    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "/problems/method-not-allowed",
            "Method not allowed",
            "this path does not take that method",
        )
    }

    pub fn unavailable() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "/problems/unavailable",
            "Service unavailable",
            "the writer has stopped; the server must restart to resume from the last commit",
        )
    }

    /// Logged once here, with the full chain; the client gets an id to quote.
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        let id = request_id();
        tracing::error!(request_id = %id, "internal error: {error}");
        let mut e = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "/problems/internal",
            "Internal error",
            format!("an internal error occurred; request id {id}"),
        );
        e.0.request_id = Some(id);
        e
    }
}

fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("{t:x}-{n:x}")
}

impl From<OpError> for ApiError {
    fn from(e: OpError) -> ApiError {
        match e {
            OpError::Invalid(invalid) => ApiError::invalid(invalid),
            OpError::NotFound { .. } => ApiError::not_found(e.to_string()),
            OpError::Conflict(detail) => ApiError::new(
                StatusCode::CONFLICT,
                "/problems/conflict",
                "Conflict",
                detail,
            ),
            OpError::IdempotencyMismatch(_) => {
                let mut err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "/problems/idempotency-key-reused",
                    "Idempotency key reused",
                    e.to_string(),
                );
                err.0.errors = vec![FieldError::new(
                    "Idempotency-Key",
                    "was used with a different request",
                )];
                err
            }
            OpError::Store(detail) => ApiError::internal(detail),
        }
    }
}

impl From<tote_store::StoreError> for ApiError {
    fn from(e: tote_store::StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<tote_ledger::WriterError> for ApiError {
    fn from(_: tote_ledger::WriterError) -> ApiError {
        ApiError::unavailable()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self.0).expect("problems serialise");
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
