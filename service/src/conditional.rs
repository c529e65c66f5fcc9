//! Conditional GETs for what a portal polls (the rulesets, their versions and sources): each
//! answer carries an `ETag`, the SHA-256 of its body, and `Cache-Control: no-cache`; a request
//! whose `If-None-Match` names that tag is answered `304 Not Modified`, with no body.
//!
//! The tag is taken from the bytes sent, so it changes exactly when the answer does: after a
//! reload that changed a version, a new generation in the list, or a new version of the
//! service that renders a version differently. A version's source is tagged with the
//! version's content hash, the one `GET /v1/rulesets` lists.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use creditbank_engine::library::content_hash;
use serde::Serialize;

use crate::error::ApiError;

/// The answer `body` (of `content_type`) as a conditional GET gives it: `304` when the
/// request's `If-None-Match` names its tag, else `200` with the body.
pub fn answer(request: &HeaderMap, content_type: &'static str, body: String) -> Response {
    let tag = format!("\"{}\"", content_hash(&body));
    let Ok(etag) = HeaderValue::from_str(&tag) else {
        // A hash is ASCII: this never happens, and the answer is still right without a tag.
        return (
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            body,
        )
            .into_response();
    };
    let mut response = if none_match(request, &tag) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        let mut response = body.into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// [`answer`] for a value written as JSON.
pub fn json<T: Serialize>(request: &HeaderMap, value: &T) -> Result<Response, ApiError> {
    let body = serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(answer(request, "application/json", body))
}

/// Whether an `If-None-Match` of the request names `tag` (a quoted entity tag), or is `*`.
/// The comparison is the weak one the header asks for (RFC 9110, 13.1.2): `W/"x"` names
/// `"x"`. A header that is not text names nothing.
fn none_match(request: &HeaderMap, tag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|list| list.split(','))
        .map(str::trim)
        .any(|candidate| {
            candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn a_tag_matches_itself_weakly_in_a_list_or_across_headers_and_star_matches_all() {
        let tag = "\"sha256:ab\"";
        assert!(none_match(&request(&["\"sha256:ab\""]), tag));
        assert!(none_match(&request(&["W/\"sha256:ab\""]), tag));
        assert!(none_match(&request(&["\"x\", \"sha256:ab\""]), tag));
        assert!(none_match(&request(&["\"x\"", "\"sha256:ab\""]), tag));
        assert!(none_match(&request(&["*"]), tag));
        assert!(!none_match(&request(&[]), tag));
        assert!(!none_match(&request(&["\"sha256:ac\""]), tag));
        // Unquoted, the tag is another one.
        assert!(!none_match(&request(&["sha256:ab"]), tag));
    }

    #[test]
    fn the_answer_is_tagged_and_a_matching_request_gets_304_without_a_body() {
        let fresh = answer(&HeaderMap::new(), "text/plain", "text".into());
        assert_eq!(fresh.status(), StatusCode::OK);
        let tag = fresh.headers()[header::ETAG].to_str().unwrap().to_owned();
        assert_eq!(tag, format!("\"{}\"", content_hash("text")));
        assert_eq!(fresh.headers()[header::CACHE_CONTROL], "no-cache");
        let again = answer(&request(&[&tag]), "text/plain", "text".into());
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], tag.as_str());
        assert!(again.headers().get(header::CONTENT_TYPE).is_none());
        let changed = answer(&request(&[&tag]), "text/plain", "text!".into());
        assert_eq!(changed.status(), StatusCode::OK);
        assert_ne!(changed.headers()[header::ETAG], tag.as_str());
    }
}
