//! Extractors that answer every malformed request with problem+json naming the field.

use crate::problem::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// The longest idempotency key accepted.
pub const IDEMPOTENCY_KEY_LEN_MAX: usize = 255;

/// A JSON body, and a hash of the request for idempotency checks.
pub struct ApiJson<T> {
    pub value: T,
    pub request_hash: [u8; 32],
    /// The body as sent, for handlers that pass it on to a string-level entry point.
    pub body: Bytes,
}

/// Turns a serde error at `path` into the field it names.
fn field_error(path: &serde_path_to_error::Path, message: &str) -> (String, String) {
    let mut field = path.to_string();
    if field == "." {
        field.clear();
    }
    // The path of an unknown field already ends with the field's own name.
    if message.starts_with("unknown field `") {
        return (field, "unknown field".into());
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(name) = rest.split('`').next()
    {
        let full = if field.is_empty() {
            name.to_owned()
        } else {
            format!("{field}.{name}")
        };
        return (full, "is required".into());
    }
    let problem = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned();
    (
        if field.is_empty() {
            "body".into()
        } else {
            field
        },
        problem,
    )
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let malformed =
        |e: serde_json::Error| ApiError::malformed(format!("body is not valid JSON: {e}"));
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let inner = e.inner();
        if inner.is_syntax() || inner.is_eof() {
            return malformed(e.into_inner());
        }
        // A shape error can come before a syntax error later in the body; a body
        // that is not JSON at all is a 400 whatever its shape. Checked only here,
        // on the error path, so a good body is parsed once.
        if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return malformed(syntax);
        }
        let (field, problem) = field_error(e.path(), &inner.to_string());
        ApiError::field(&field, problem)
    })?;
    de.end().map_err(malformed)?;
    Ok(value)
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let head = format!("{} {}\n", req.method(), req.uri().path());
        // The body is read before the content type is judged, so the connection stays
        // usable for the client's next request whatever the answer.
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .eq_ignore_ascii_case("application/json")
            });
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large(format!(
                    "the body is larger than {} bytes",
                    crate::serve::BODY_BYTES_MAX
                ))
            } else {
                ApiError::malformed(format!("could not read the body: {e}"))
            }
        })?;
        if json != Some(true) {
            return Err(ApiError::unsupported_media(
                "send the body as application/json",
            ));
        }
        let value = parse_json(&bytes)?;
        let mut h = Sha256::new();
        h.update(head.as_bytes());
        h.update(&bytes);
        Ok(ApiJson {
            value,
            request_hash: h.finalize().into(),
            body: bytes,
        })
    }
}

/// Query parameters, with unknown or ill-typed ones named in a 422.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| {
                let (field, problem) = field_error(e.path(), &e.inner().to_string());
                ApiError::field(if field == "body" { "query" } else { &field }, problem)
            })
    }
}

/// The `Idempotency-Key` header, if sent.
pub struct IdempotencyHeader(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(v) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyHeader(None));
        };
        let key = v
            .to_str()
            .map_err(|_| ApiError::field("Idempotency-Key", "must be printable ASCII"))?;
        if key.is_empty()
            || key.len() > IDEMPOTENCY_KEY_LEN_MAX
            || !key.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(ApiError::field(
                "Idempotency-Key",
                format!("must be 1 to {IDEMPOTENCY_KEY_LEN_MAX} printable ASCII characters"),
            ));
        }
        Ok(IdempotencyHeader(Some(key.to_owned())))
    }
}

/// A body that is read and ignored: an unread body would cost the client its
/// keep-alive connection.
pub struct IgnoredBody;

impl<S: Send + Sync> FromRequest<S> for IgnoredBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::too_large("the body is larger than this request takes"))?;
        Ok(IgnoredBody)
    }
}
