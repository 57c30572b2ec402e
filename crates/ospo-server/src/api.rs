//! The JSON API: catalogue search and projects, licence checks and profiles.

use crate::AppState;
use crate::error::Problem;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ospo_catalogue::Query;
use ospo_licence::{Engine, Mode, Use};
use serde::Deserialize;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/projects", get(search))
        .route("/api/projects/{slug}", get(project))
        .route("/api/stats", get(stats))
        .route("/api/licences", get(licences))
        .route("/api/licences/check", get(check_get).post(check_post))
        .route("/api/licences/{id}", get(licence))
}

/// Reads `key=value` pairs of a query string, repeated keys kept.
pub(crate) fn pairs(raw: Option<String>) -> Result<Vec<(String, String)>, Problem> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw.as_deref().unwrap_or(""))
        .map_err(|e| Problem::bad_request(format!("query string: {e}")))
}

/// A search query from `q`, `facet=NAME:VALUE` (repeatable), `limit` and `offset`.
pub(crate) fn search_query(pairs: &[(String, String)]) -> Result<Query, Problem> {
    let mut q = Query {
        limit: 20,
        ..Query::default()
    };
    for (k, v) in pairs {
        match k.as_str() {
            "q" => q.text = v.clone(),
            "facet" => {
                let (f, value) = v.split_once(':').ok_or_else(|| {
                    Problem::bad_request(format!(
                        "facet '{v}': expected NAME:VALUE, e.g. kind:hardware"
                    ))
                })?;
                q.filters.push((f.to_owned(), value.to_owned()));
            }
            "limit" => {
                q.limit = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=200).contains(n))
                    .ok_or_else(|| {
                        Problem::bad_request(format!(
                            "limit '{v}': expected a number from 1 to 200"
                        ))
                    })?;
            }
            "offset" => {
                q.offset = v.parse().map_err(|_| {
                    Problem::bad_request(format!("offset '{v}': expected a whole number"))
                })?;
            }
            _ => {}
        }
    }
    Ok(q)
}

async fn search(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, Problem> {
    let q = search_query(&pairs(raw)?)?;
    let results = s.catalogue.search(&q).await?;
    Ok(Json(results).into_response())
}

async fn project(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let p = s
        .catalogue
        .get(&slug)
        .await?
        .ok_or_else(|| Problem::not_found(format!("no project '{slug}' in the catalogue")))?;
    let etag = format!("\"{}\"", p.version);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    Ok(([(header::ETAG, etag)], Json(p)).into_response())
}

async fn stats(State(s): State<AppState>) -> Result<Response, Problem> {
    Ok(Json(s.catalogue.stats().await?).into_response())
}

async fn licences() -> Response {
    Json(ospo_licence::KnowledgeBase::get().licences()).into_response()
}

async fn licence(Path(id): Path<String>) -> Result<Response, Problem> {
    let p = ospo_licence::licence(&id).map_err(|e| Problem::not_found(e.to_string()))?;
    Ok(Json(p).into_response())
}

/// A check request: inbound expressions (one or several), the outbound licence and the use.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    inbound: OneOrMany,
    outbound: String,
    #[serde(rename = "use", default)]
    use_: Option<String>,
    #[serde(default)]
    strict: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

fn run_check(
    inbound: &[String],
    outbound: &str,
    use_: Option<&str>,
    strict: bool,
) -> Result<Response, Problem> {
    let use_: Use = match use_ {
        Some(u) => u.parse().map_err(Problem::bad_request)?,
        None => Use::Merged,
    };
    if inbound.is_empty() {
        return Err(Problem::bad_request(
            "give at least one inbound licence expression",
        ));
    }
    let refs: Vec<&str> = inbound.iter().map(String::as_str).collect();
    let mode = if strict { Mode::Strict } else { Mode::Lenient };
    let report = Engine::new().check(&refs, outbound, use_, mode)?;
    Ok(Json(report).into_response())
}

async fn check_get(RawQuery(raw): RawQuery) -> Result<Response, Problem> {
    let pairs = pairs(raw)?;
    let all = |k: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let inbound = all("inbound");
    let outbound = all("outbound")
        .into_iter()
        .next()
        .ok_or_else(|| Problem::bad_request("the 'outbound' parameter is missing"))?;
    let use_ = all("use").into_iter().next();
    let strict = all("strict").first().is_some_and(|v| v == "true");
    run_check(&inbound, &outbound, use_.as_deref(), strict)
}

async fn check_post(
    body: Result<Json<CheckRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let Json(req) =
        body.map_err(|e| Problem::bad_request(format!("request body: {}", e.body_text())))?;
    let inbound = match req.inbound {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    };
    run_check(&inbound, &req.outbound, req.use_.as_deref(), req.strict)
}
