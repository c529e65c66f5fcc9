//! The one error type of the service and the JSON shape every error answer has.
//!
//! Every answer that is not a success is `{"error": {"status", "code", "message", "field"?,
//! "learner"?, "diagnostics"?}}` (docs/SERVICE.md): axum's own rejections (a body over the
//! limit, a bad path or query) are turned into it here, and [`crate::app()`] rewrites any other
//! error answer without a JSON body (a timeout, an unknown route) into it as well.

use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use creditbank_dsl::diagnostic::JsonDiagnostic;
use creditbank_engine::record::RecordError;
use serde::Serialize;
use utoipa::ToSchema;

/// Why a request failed. Each variant has one HTTP status and one stable `code`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not well-formed JSON (or not UTF-8).
    #[error("{message}")]
    Malformed {
        /// What is wrong, with the line and column.
        message: String,
    },
    /// The JSON is well-formed but a field is missing, unknown, of the wrong type or invalid.
    #[error("{message}")]
    Invalid {
        /// Where: `courses[3].score`; empty for the body as a whole.
        field: String,
        /// The learner, when known.
        learner: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A path or query parameter is not acceptable.
    #[error("{0}")]
    BadParameter(String),
    /// No such ruleset, version or route.
    #[error("{0}")]
    NotFound(String),
    /// The body is larger than the configured limit.
    #[error("the request body is larger than the configured limit")]
    TooLarge,
    /// No token, or not a known one.
    #[error("{0}")]
    Unauthenticated(String),
    /// A known token without the scope the route needs, or admin routes disabled.
    #[error("{0}")]
    Forbidden(String),
    /// A ruleset source or reload has errors; the diagnostics say which.
    #[error("{message}")]
    Rules {
        /// A summary.
        message: String,
        /// Every diagnostic, with line and column.
        diagnostics: Vec<JsonDiagnostic>,
    },
    /// The record is valid but could not be evaluated (no version in force, no date).
    #[error("{0}")]
    Unprocessable(String),
    /// Something failed on the server side (a bug, or a file that could not be written).
    #[error("{0}")]
    Internal(String),
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong, for a frontend to show.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status, repeated.
    pub status: u16,
    /// A stable, machine-readable code: `malformed_json`, `invalid_field`, `bad_parameter`,
    /// `not_found`, `payload_too_large`, `unauthenticated`, `forbidden`, `ruleset_errors`,
    /// `unprocessable`, `method_not_allowed`, `timeout`, `internal`.
    pub code: String,
    /// A sentence a person can read.
    pub message: String,
    /// The field at fault (`courses[3].score`), when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The learner at fault, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learner: Option<String>,
    /// Diagnostics of a ruleset (`ruleset_errors` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub diagnostics: Option<Vec<JsonDiagnostic>>,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed { .. } | ApiError::BadParameter(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid { .. } | ApiError::Rules { .. } | ApiError::Unprocessable(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Malformed { .. } => "malformed_json",
            ApiError::Invalid { .. } => "invalid_field",
            ApiError::BadParameter(_) => "bad_parameter",
            ApiError::NotFound(_) => "not_found",
            ApiError::TooLarge => "payload_too_large",
            ApiError::Unauthenticated(_) => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Rules { .. } => "ruleset_errors",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The error as its JSON body.
    pub fn body(self) -> ErrorBody {
        let status = self.status().as_u16();
        let code = self.code().to_string();
        let message = self.to_string();
        let (field, learner, diagnostics) = match self {
            ApiError::Invalid { field, learner, .. } => (Some(field), learner, None),
            ApiError::Rules { diagnostics, .. } => (None, None, Some(diagnostics)),
            _ => (None, None, None),
        };
        ErrorBody {
            error: ErrorDetail {
                status,
                code,
                message,
                field,
                learner,
                diagnostics,
            },
        }
    }

    /// A record that could not be read: a syntax error is malformed JSON (400), anything
    /// else names the field (422).
    pub fn from_record(error: RecordError) -> ApiError {
        match error {
            RecordError::Syntax { .. } => ApiError::Malformed {
                message: error.to_string(),
            },
            RecordError::Invalid {
                ref learner,
                ref path,
                ..
            } => ApiError::Invalid {
                field: path.clone(),
                learner: learner.clone(),
                message: error.to_string(),
            },
        }
    }

    /// A JSON body that did not deserialize into `T`: syntax errors are 400, data errors 422.
    pub fn from_json(error: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
        let field = error.path().to_string();
        let inner = error.inner();
        match inner.classify() {
            serde_json::error::Category::Data => ApiError::Invalid {
                field: if field == "." { String::new() } else { field },
                learner: None,
                message: inner.to_string(),
            },
            _ => ApiError::Malformed {
                message: inner.to_string(),
            },
        }
    }
}

/// An error answer with the given status, code and message, in the common shape.
pub fn error_response(status: StatusCode, code: &str, message: String) -> Response {
    json_error(
        status,
        &ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                code: code.to_string(),
                message,
                field: None,
                learner: None,
                diagnostics: None,
            },
        },
    )
}

fn json_error(status: StatusCode, body: &ErrorBody) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{\"error\":{}}".to_vec());
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        json_error(status, &self.body())
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::Malformed {
                message: rejection.body_text(),
            }
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadParameter(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadParameter(rejection.body_text())
    }
}
