//! Request extractors whose rejections answer in the service's error shape.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts};
use serde::de::DeserializeOwned;

/// The raw body (a body over the limit is a 413 in the common shape).
pub struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        Ok(Body(Bytes::from_request(request, state).await?))
    }
}

/// Query parameters (a bad one is a 400 in the common shape).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// Path parameters (a bad one is a 400 in the common shape).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// The body as UTF-8 text: checked with SIMD instructions (`simdutf8`), and only a body that
/// fails checked again the standard way, for the error's position.
pub fn text(bytes: &[u8]) -> Result<&str, ApiError> {
    simdutf8::basic::from_utf8(bytes)
        .or_else(|_| std::str::from_utf8(bytes))
        .map_err(|e| ApiError::Malformed {
            message: format!("the body is not UTF-8: {e}"),
        })
}

/// The body as JSON of type `T`: not UTF-8 or not well-formed is 400; a missing, unknown or
/// mistyped field is 422 naming the field.
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text = text(bytes)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(ApiError::from_json)?;
    de.end().map_err(|e| ApiError::Malformed {
        message: e.to_string(),
    })?;
    Ok(value)
}
