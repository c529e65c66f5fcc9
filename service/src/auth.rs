//! Bearer tokens and the two scopes: evaluation (the student and portal routes) and admin.
//!
//! - No `Authorization: Bearer` header, or a token that is neither configured token: 401.
//! - The evaluation token on an admin route: 403 (it is known, but may not administer).
//! - Admin routes when no admin token is configured: 403 (they are disabled).
//! - Evaluation routes are open when no evaluation token is configured; the admin token is
//!   accepted on them too.
//!
//! Tokens are compared in constant time (`subtle`), so that the time of a refusal does not
//! tell how much of a guessed token was right.

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

/// What a route needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Evaluation, review, rulesets, check, stats.
    Evaluation,
    /// Reload and dry-run.
    Admin,
}

/// The configured tokens.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    admin: Option<Vec<u8>>,
    evaluation: Option<Vec<u8>>,
}

/// True when `a` and `b` are equal, in time that depends only on their lengths.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

impl Tokens {
    /// The tokens; an empty token counts as none.
    pub fn new(admin: Option<String>, evaluation: Option<String>) -> Tokens {
        let keep = |t: Option<String>| {
            t.map(|t| t.trim().as_bytes().to_vec())
                .filter(|t| !t.is_empty())
        };
        Tokens {
            admin: keep(admin),
            evaluation: keep(evaluation),
        }
    }

    /// Whether a request with these headers may call a route of `scope`.
    pub fn authorize(&self, headers: &HeaderMap, scope: Scope) -> Result<(), ApiError> {
        let presented = bearer(headers);
        let is_admin = |t: &[u8]| self.admin.as_deref().is_some_and(|a| same(a, t));
        let is_evaluation = |t: &[u8]| self.evaluation.as_deref().is_some_and(|e| same(e, t));
        match scope {
            Scope::Admin => {
                if self.admin.is_none() {
                    return Err(ApiError::Forbidden(
                        "admin routes are disabled: no admin token is configured".into(),
                    ));
                }
                match presented {
                    None => Err(ApiError::Unauthenticated(
                        "an admin route needs `Authorization: Bearer <token>`".into(),
                    )),
                    Some(t) if is_admin(t) => Ok(()),
                    Some(t) if is_evaluation(t) => Err(ApiError::Forbidden(
                        "this token may evaluate but not call admin routes".into(),
                    )),
                    Some(_) => Err(ApiError::Unauthenticated("the token is not valid".into())),
                }
            }
            Scope::Evaluation => {
                if self.evaluation.is_none() {
                    return Ok(());
                }
                match presented {
                    None => Err(ApiError::Unauthenticated(
                        "this route needs `Authorization: Bearer <token>`".into(),
                    )),
                    Some(t) if is_evaluation(t) || is_admin(t) => Ok(()),
                    Some(_) => Err(ApiError::Unauthenticated("the token is not valid".into())),
                }
            }
        }
    }
}

/// The token of an `Authorization: Bearer` header.
fn bearer(headers: &HeaderMap) -> Option<&[u8]> {
    let value = headers.get(header::AUTHORIZATION)?.as_bytes();
    let (scheme, token) = value.split_at_checked(7)?;
    scheme
        .eq_ignore_ascii_case(b"bearer ")
        .then(|| token.trim_ascii())
}

/// Middleware of the evaluation routes.
pub async fn evaluation(
    State(tokens): State<std::sync::Arc<Tokens>>,
    request: Request,
    next: Next,
) -> Response {
    match tokens.authorize(request.headers(), Scope::Evaluation) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

/// Middleware of the admin routes.
pub async fn admin(
    State(tokens): State<std::sync::Arc<Tokens>>,
    request: Request,
    next: Next,
) -> Response {
    match tokens.authorize(request.headers(), Scope::Admin) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        h
    }

    #[test]
    fn scopes_decide_401_and_403() {
        let tokens = Tokens::new(Some("adm".into()), Some("ev".into()));
        assert!(tokens.authorize(&headers("adm"), Scope::Admin).is_ok());
        assert!(tokens.authorize(&headers("adm"), Scope::Evaluation).is_ok());
        assert!(tokens.authorize(&headers("ev"), Scope::Evaluation).is_ok());
        let forbidden = tokens.authorize(&headers("ev"), Scope::Admin).unwrap_err();
        assert_eq!(forbidden.status(), 403);
        let wrong = tokens.authorize(&headers("adx"), Scope::Admin).unwrap_err();
        assert_eq!(wrong.status(), 401);
        let none = tokens
            .authorize(&HeaderMap::new(), Scope::Evaluation)
            .unwrap_err();
        assert_eq!(none.status(), 401);
    }

    #[test]
    fn admin_routes_are_disabled_without_a_token() {
        let tokens = Tokens::new(None, None);
        assert!(tokens
            .authorize(&HeaderMap::new(), Scope::Evaluation)
            .is_ok());
        let e = tokens.authorize(&headers("x"), Scope::Admin).unwrap_err();
        assert_eq!(e.status(), 403);
    }
}
