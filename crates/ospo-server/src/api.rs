//! The JSON API: catalogue search and projects, licence checks and profiles.

use crate::AppState;
use crate::error::Problem;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ospo_catalogue::Query;
use ospo_catalogue::now;
use ospo_core::{Actor, Project, Slug};
use ospo_licence::{CheckRequest, Engine, Inbound, Use};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/projects", get(search).post(create))
        .route("/api/projects/export", get(export))
        .route(
            "/api/projects/{slug}",
            get(project).put(update).delete(remove),
        )
        .route("/api/stats", get(stats))
        .route("/api/licences", get(licences))
        .route("/api/licences/check", get(check_get).post(check_post))
        .route("/api/licences/recommend", get(recommend))
        .route("/api/openapi.json", get(openapi))
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

async fn licences(RawQuery(raw): RawQuery) -> Result<Response, Problem> {
    let all = ospo_licence::KnowledgeBase::get().licences();
    let category = pairs(raw)?
        .into_iter()
        .find(|(k, _)| k == "category")
        .map(|(_, v)| {
            v.parse::<ospo_licence::Category>()
                .map_err(|e| Problem::bad_request(format!("category: {e}")))
        })
        .transpose()?;
    Ok(match category {
        Some(c) => Json(
            all.iter()
                .filter(|p| p.category.value == c)
                .collect::<Vec<_>>(),
        )
        .into_response(),
        None => Json(all).into_response(),
    })
}

async fn openapi() -> Response {
    Json(crate::openapi::document()).into_response()
}

/// Every value of a repeatable query parameter.
fn all_of(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

async fn recommend(RawQuery(raw): RawQuery) -> Result<Response, Problem> {
    let pairs = pairs(raw)?;
    let inbound = all_of(&pairs, "inbound");
    if inbound.is_empty() {
        return Err(Problem::bad_request(
            "give at least one 'inbound' licence expression",
        ));
    }
    let one = |k: &str| all_of(&pairs, k).into_iter().next();
    let use_ = one("use")
        .map(|v| {
            v.parse::<Use>()
                .map_err(|e| Problem::bad_request(format!("use: {e}")))
        })
        .transpose()?
        .unwrap_or(Use::Merged);
    let prefer = one("prefer")
        .map(|v| {
            v.parse::<ospo_licence::Preference>()
                .map_err(|e| Problem::bad_request(format!("prefer: {e}")))
        })
        .transpose()?;
    let kind = one("kind")
        .map(|v| {
            v.parse::<ospo_licence::Domain>()
                .map_err(|e| Problem::bad_request(format!("kind: {e}")))
        })
        .transpose()?;
    let inbound: Vec<&str> = inbound.iter().map(String::as_str).collect();
    let (recs, _warnings) = ospo_licence::recommend(&inbound, use_, prefer, kind)?;
    Ok(Json(recs).into_response())
}

async fn export(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, Problem> {
    use ospo_catalogue::formats::{self, Format};
    let pairs = pairs(raw)?;
    let format: Format = all_of(&pairs, "format")
        .into_iter()
        .next()
        .ok_or_else(|| Problem::bad_request("the 'format' parameter is missing"))?
        .parse()
        .map_err(|e| Problem::bad_request(format!("format: {e}")))?;
    let slugs = all_of(&pairs, "slug");
    let mut projects = s.catalogue.all().await?;
    for slug in &slugs {
        if !projects.iter().any(|p| p.slug.as_str() == slug) {
            return Err(Problem::not_found(format!(
                "no project '{slug}' in the catalogue"
            )));
        }
    }
    if !slugs.is_empty() {
        projects.retain(|p| slugs.iter().any(|s| s == p.slug.as_str()));
    }
    let text =
        formats::render(format, &projects).map_err(|e| Problem::bad_request(e.to_string()))?;
    let media = match format {
        Format::Json | Format::CodeMeta | Format::CodeJson => "application/json",
        Format::Csv => "text/csv; charset=utf-8",
        _ => "application/yaml",
    };
    Ok((
        [
            (header::CONTENT_TYPE, media.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}\"", format.file_name()),
            ),
        ],
        text,
    )
        .into_response())
}

async fn licence(Path(id): Path<String>) -> Result<Response, Problem> {
    let p = ospo_licence::licence(&id).map_err(|e| Problem::not_found(e.to_string()))?;
    Ok(Json(p).into_response())
}

fn run_check(req: &CheckRequest) -> Result<Response, Problem> {
    if matches!(&req.inbound, Inbound::Many(v) if v.is_empty()) {
        return Err(Problem::bad_request(
            "give at least one inbound licence expression",
        ));
    }
    let report = req.run(&Engine::new(), Use::Merged, false)?;
    Ok(Json(report).into_response())
}

async fn check_get(RawQuery(raw): RawQuery) -> Result<Response, Problem> {
    let pairs = pairs(raw)?;
    let all = |k: &str| all_of(&pairs, k);
    let req = CheckRequest {
        inbound: Inbound::Many(all("inbound")),
        outbound: all("outbound")
            .into_iter()
            .next()
            .ok_or_else(|| Problem::bad_request("the 'outbound' parameter is missing"))?,
        use_: all("use").into_iter().next(),
        strict: all("strict").first().is_some_and(|v| v == "true"),
    };
    run_check(&req)
}

async fn check_post(
    body: Result<Json<CheckRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let Json(req) =
        body.map_err(|e| Problem::bad_request(format!("request body: {}", e.body_text())))?;
    run_check(&req)
}

/// The actor a request acts as: the account of its bearer token, or the anonymous public.
/// A token that is present but unknown or revoked is refused rather than ignored.
pub(crate) async fn actor(s: &AppState, headers: &HeaderMap) -> Result<Actor, Problem> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Actor::anonymous());
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| unauthorised("the Authorization header must be 'Bearer <token>'"))?;
    s.catalogue
        .actor_for_token(token.trim())
        .await?
        .ok_or_else(|| unauthorised("the token is not known or was revoked"))
}

fn unauthorised(detail: &str) -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "/problems/unauthorised",
        "Sign in first",
        detail,
    )
}

/// The version an `If-Match: "N"` header names; updates and deletes require one.
fn if_match(headers: &HeaderMap) -> Result<u64, Problem> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Err(Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "/problems/if-match-required",
            "If-Match required",
            "send If-Match with the ETag of the version you edited, so that a newer edit is never overwritten",
        ));
    };
    v.to_str()
        .ok()
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| {
            Problem::bad_request("If-Match must be the ETag of a project version, e.g. \"3\"")
        })
}

fn stored(status: StatusCode, p: &Project) -> Response {
    let etag = format!("\"{}\"", p.version);
    let location = format!("/api/projects/{}", p.slug);
    (
        status,
        [(header::ETAG, etag), (header::LOCATION, location)],
        Json(p),
    )
        .into_response()
}

fn project_body(
    body: Result<Json<Project>, axum::extract::rejection::JsonRejection>,
) -> Result<Project, Problem> {
    body.map(|Json(p)| p).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "/problems/invalid",
            "Invalid project",
            format!("request body: {}", e.body_text()),
        )
    })
}

async fn create(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<Project>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let p = project_body(body)?;
    let saved = s.catalogue.create(&actor, p, &now()).await?;
    Ok(stored(StatusCode::CREATED, &saved))
}

async fn update(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Result<Json<Project>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let version = if_match(&headers)?;
    let mut p = project_body(body)?;
    if p.slug.as_str() != slug {
        return Err(Problem::bad_request(format!(
            "the body is project '{}', the address '{slug}'",
            p.slug
        )));
    }
    p.version = version;
    let saved = s.catalogue.update(&actor, p, &now(), "").await?;
    Ok(stored(StatusCode::OK, &saved))
}

async fn remove(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let version = if_match(&headers)?;
    let slug = Slug::parse(&slug).map_err(|e| Problem::not_found(e.to_string()))?;
    s.catalogue.delete(&actor, &slug, version, &now()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
