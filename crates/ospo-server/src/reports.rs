//! The yearly report on the website (`/reports`, `/reports/{year}`) and in the API
//! (`/api/reports`, `/api/reports/{year}`). Public: the figures are aggregates.

use crate::AppState;
use crate::error::Problem;
use crate::pages::{error_page, render};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use minijinja::{Environment, Value, context};
use ospo_catalogue::report::{self, ReportError, render as report_render};

pub(crate) fn templates(env: &mut Environment<'static>) {
    for (name, text) in [
        ("reports.html", include_str!("../templates/reports.html")),
        ("report.html", include_str!("../templates/report.html")),
    ] {
        env.add_template(name, text).expect("templates compile");
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(index))
        .route("/reports/{year}", get(page))
        .route("/api/reports", get(api_index))
        .route("/api/reports/{year}", get(api_report))
}

/// The HTML answer to a report error: the same status and message as the API's (mapped in
/// `error.rs`).
fn error(s: &AppState, e: ReportError) -> Response {
    let p = Problem::from(e);
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error_page(s, status, &p.detail)
}

async fn index(State(s): State<AppState>) -> Response {
    match s.catalogue.report_years().await {
        Ok(years) => {
            let years: Vec<u16> = years.into_iter().rev().collect();
            render(&s, "reports.html", context! { years })
        }
        Err(e) => error(&s, e),
    }
}

async fn page(State(s): State<AppState>, Path(year): Path<String>) -> Response {
    let report = match report::parse_year(&year) {
        Ok(year) => s.catalogue.report(year).await,
        Err(e) => Err(e),
    };
    match report {
        Ok(r) => render(
            &s,
            "report.html",
            context! {
                year => r.year,
                style => report_render::STYLE,
                report_html => Value::from_safe_string(report_render::html_fragment(&r)),
            },
        ),
        Err(e) => error(&s, e),
    }
}

async fn api_index(State(s): State<AppState>) -> Result<Response, Problem> {
    let years = s.catalogue.report_years().await?;
    Ok(Json(years).into_response())
}

async fn api_report(
    State(s): State<AppState>,
    Path(year): Path<String>,
) -> Result<Response, Problem> {
    let r = s.catalogue.report(report::parse_year(&year)?).await?;
    // The same bytes as `ospo report --format json`.
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        report_render::json(&r),
    )
        .into_response())
}
