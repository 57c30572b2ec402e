//! HTTP errors in one place: RFC 9457 problem+json for the API, an HTML page for the website.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ospo_catalogue::CatalogueError;
use ospo_core::TransitionError;
use serde::Serialize;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The catalogue could not be opened.
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    /// The seed could not be loaded.
    #[error(transparent)]
    Seed(#[from] ospo_catalogue::seed::SeedError),
    /// The address could not be bound.
    #[error("cannot listen: {0}")]
    Bind(std::io::Error),
}

/// An API error, answered as `application/problem+json` (RFC 9457).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A short, human-readable summary of the kind.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// The fields of the input that are wrong, as JSON paths (for 422 answers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

impl Problem {
    /// A problem with a status, a kind and a detail.
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Problem {
        Problem {
            kind,
            title,
            status: status.as_u16(),
            detail: detail.into(),
            fields: Vec::new(),
        }
    }

    /// 400: the request could not be read.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "/problems/bad-request",
            "Bad request",
            detail,
        )
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::NOT_FOUND,
            "/problems/not-found",
            "Not found",
            detail,
        )
    }
}

impl From<CatalogueError> for Problem {
    fn from(e: CatalogueError) -> Problem {
        match &e {
            CatalogueError::NotFound(_) => Problem::not_found(e.to_string()),
            CatalogueError::Stale { .. } => Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "/problems/stale-version",
                "The resource changed since your version",
                e.to_string(),
            ),
            CatalogueError::Exists(_) => Problem::new(
                StatusCode::CONFLICT,
                "/problems/exists",
                "Already exists",
                e.to_string(),
            ),
            CatalogueError::Denied(d) if d.anonymous => Problem::new(
                StatusCode::UNAUTHORIZED,
                "/problems/unauthorised",
                "Sign in first",
                e.to_string(),
            ),
            CatalogueError::Denied(_) => Problem::new(
                StatusCode::FORBIDDEN,
                "/problems/forbidden",
                "Forbidden",
                e.to_string(),
            ),
            CatalogueError::NoSuch { .. } => Problem::not_found(e.to_string()),
            CatalogueError::Refused(TransitionError::Denied { denied, .. }) if denied.anonymous => {
                Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "/problems/unauthorised",
                    "Sign in first",
                    e.to_string(),
                )
            }
            CatalogueError::Refused(TransitionError::Denied { .. }) => Problem::new(
                StatusCode::FORBIDDEN,
                "/problems/forbidden",
                "Forbidden",
                e.to_string(),
            ),
            CatalogueError::Refused(
                TransitionError::NotAllowed { .. } | TransitionError::NotInReview { .. },
            )
            | CatalogueError::NotEditable { .. } => Problem::new(
                StatusCode::CONFLICT,
                "/problems/invalid-transition",
                "Not possible in the request's state",
                e.to_string(),
            ),
            CatalogueError::Conflict { .. } => Problem::new(
                StatusCode::CONFLICT,
                "/problems/stale-version",
                "The resource changed since your version",
                e.to_string(),
            ),
            CatalogueError::Refused(TransitionError::Incomplete { problems, .. })
            | CatalogueError::Rejected { problems, .. } => Problem {
                fields: problems.iter().map(|p| p.field().to_owned()).collect(),
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "/problems/invalid",
                    "Invalid input",
                    e.to_string(),
                )
            },
            CatalogueError::InventoryNotFound(m) => Problem::not_found(m.clone()),
            CatalogueError::InventoryInput(m) => Problem::bad_request(m.clone()),
            CatalogueError::Ingest(_) => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "/problems/refused-sbom",
                "The file was refused",
                e.to_string(),
            ),
            CatalogueError::Invalid { .. } | CatalogueError::Licence { .. } => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "/problems/invalid",
                "Invalid project",
                e.to_string(),
            ),
            // Internal failures: the detail stays in the server's log, not in the answer.
            _ => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "/problems/internal",
                "Internal error",
                "the server could not complete the request",
            ),
        }
    }
}

impl From<ospo_licence::LicenceError> for Problem {
    fn from(e: ospo_licence::LicenceError) -> Problem {
        if matches!(
            e,
            ospo_licence::LicenceError::InvalidUse(_) | ospo_licence::LicenceError::NoInbound
        ) {
            return Problem::bad_request(e.to_string());
        }
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "/problems/invalid-licence-expression",
            "Invalid licence expression",
            e.to_string(),
        )
    }
}

impl From<ospo_catalogue::report::ReportError> for Problem {
    fn from(e: ospo_catalogue::report::ReportError) -> Problem {
        use ospo_catalogue::report::ReportError;
        match e {
            ReportError::Year { .. } => Problem::bad_request(e.to_string()),
            ReportError::NoData { .. } => Problem::not_found(e.to_string()),
            ReportError::Catalogue(e) => e.into(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_default();
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}
