//! The website: server-rendered HTML from auto-escaping templates, fast without JavaScript.

use crate::AppState;
use crate::api::{pairs, search_query};
use crate::error::Problem;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use ospo_licence::{Engine, Expression, Mode, Use};
use serde::Serialize;
use std::io::Write;

/// The outbound licences a licence page compares against.
const COMMON_OUTBOUND: &[&str] = &[
    "MIT",
    "BSD-3-Clause",
    "Apache-2.0",
    "LGPL-2.1-or-later",
    "LGPL-3.0-or-later",
    "MPL-2.0",
    "GPL-2.0-only",
    "GPL-3.0-or-later",
    "AGPL-3.0-or-later",
    "EUPL-1.2",
    "CERN-OHL-P-2.0",
    "CERN-OHL-W-2.0",
    "CERN-OHL-S-2.0",
];

/// The templates, compiled once; names ending in `.html` are auto-escaped.
pub(crate) fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    // Markdown descriptions are shown as plain paragraphs (escaped) until a renderer lands.
    env.add_filter("paragraphs", |text: String| -> Vec<String> {
        text.split("\n\n")
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect()
    });
    for (name, text) in [
        ("layout.html", include_str!("../templates/layout.html")),
        ("home.html", include_str!("../templates/home.html")),
        (
            "catalogue.html",
            include_str!("../templates/catalogue.html"),
        ),
        ("project.html", include_str!("../templates/project.html")),
        ("licence.html", include_str!("../templates/licence.html")),
        ("error.html", include_str!("../templates/error.html")),
        ("guide.html", include_str!("../templates/guide.html")),
        ("guides.html", include_str!("../templates/guides.html")),
        ("partners.html", include_str!("../templates/partners.html")),
        ("login.html", include_str!("../templates/login.html")),
        ("edit.html", include_str!("../templates/edit.html")),
        ("api.html", include_str!("../templates/api.html")),
        (
            "inventory.html",
            include_str!("../templates/inventory.html"),
        ),
        (
            "inventory_service.html",
            include_str!("../templates/inventory_service.html"),
        ),
        (
            "inventory_component.html",
            include_str!("../templates/inventory_component.html"),
        ),
        (
            "inventory_where_used.html",
            include_str!("../templates/inventory_where_used.html"),
        ),
        (
            "inventory_where_used_form.html",
            include_str!("../templates/inventory_where_used_form.html"),
        ),
    ] {
        env.add_template(name, text).expect("templates compile");
    }
    crate::checker::templates(&mut env);
    crate::workflow_pages::templates(&mut env);
    crate::reports::templates(&mut env);
    env
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/catalogue", get(catalogue))
        .route("/projects/{slug}", get(project))
        .route("/licences/{id}", get(licence))
        .route("/guides", get(guides))
        .route("/guides/{name}", get(guide))
        .route("/partners", get(partners))
        .route("/api", get(crate::openapi::page))
}

pub(crate) fn render(s: &AppState, name: &str, ctx: Value) -> Response {
    // Every page knows who is signed in (for the header and the edit links).
    let ctx = context! { viewer => Value::from(Serde(crate::auth::viewer())), ..ctx };
    match s.templates.get_template(name).and_then(|t| t.render(ctx)) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            // The detail goes to the server's log, not to the visitor.
            let _ = writeln!(std::io::stderr(), "template {name}: {e:#}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

pub(crate) fn error_page(s: &AppState, status: StatusCode, message: &str) -> Response {
    let mut r = render(
        s,
        "error.html",
        context! { status => status.as_u16(), message },
    );
    *r.status_mut() = status;
    r
}

/// Answers unknown paths: problem+json under `/api`, an HTML page elsewhere.
pub(crate) async fn fallback(State(s): State<AppState>, uri: Uri) -> Response {
    if uri.path().starts_with("/api") {
        return Problem::not_found(format!("no API endpoint at {}", uri.path())).into_response();
    }
    error_page(
        &s,
        StatusCode::NOT_FOUND,
        "There is no page at this address.",
    )
}

async fn home(State(s): State<AppState>) -> Response {
    match s.catalogue.stats().await {
        Ok(stats) => render(
            &s,
            "home.html",
            context! { stats => Value::from(Serde(&stats)) },
        ),
        Err(_) => error_page(
            &s,
            StatusCode::INTERNAL_SERVER_ERROR,
            "The catalogue is not available.",
        ),
    }
}

async fn catalogue(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs = match pairs(raw) {
        Ok(p) => p,
        Err(p) => return error_page(&s, StatusCode::BAD_REQUEST, &p.detail),
    };
    let q = match search_query(&pairs) {
        Ok(q) => q,
        Err(p) => return error_page(&s, StatusCode::BAD_REQUEST, &p.detail),
    };
    match s.catalogue.search(&q).await {
        Ok(results) => {
            // Links that toggle a facet value keep the rest of the query.
            let base: Vec<(String, String)> = pairs
                .iter()
                .filter(|(k, _)| k != "offset")
                .cloned()
                .collect();
            let toggle = |facet: &str, value: &str| -> String {
                let key = format!("{facet}:{value}");
                let mut p: Vec<(String, String)> = base.clone();
                if p.iter().any(|(k, v)| k == "facet" && *v == key) {
                    p.retain(|(k, v)| !(k == "facet" && *v == key));
                } else {
                    p.push(("facet".into(), key));
                }
                format!(
                    "/catalogue?{}",
                    serde_urlencoded::to_string(&p).unwrap_or_default()
                )
            };
            #[derive(Serialize)]
            struct FacetView {
                name: String,
                values: Vec<(String, usize, bool, String)>,
            }
            let facets: Vec<FacetView> = ospo_catalogue::facets::FACETS
                .iter()
                .filter_map(|f| {
                    results.facets.get(*f).map(|counts| FacetView {
                        name: (*f).to_owned(),
                        values: counts
                            .iter()
                            .map(|c| (c.value.clone(), c.count, c.selected, toggle(f, &c.value)))
                            .collect(),
                    })
                })
                .collect();
            let page = |offset: usize| -> String {
                let mut p = base.clone();
                p.push(("offset".into(), offset.to_string()));
                format!(
                    "/catalogue?{}",
                    serde_urlencoded::to_string(&p).unwrap_or_default()
                )
            };
            let next = (q.offset + q.limit < results.total).then(|| page(q.offset + q.limit));
            let previous = (q.offset > 0).then(|| page(q.offset.saturating_sub(q.limit)));
            render(
                &s,
                "catalogue.html",
                context! {
                    q => q.text,
                    results => Value::from(Serde(&results)),
                    facets => Value::from(Serde(&facets)),
                    next,
                    previous,
                    first => q.offset + 1,
                },
            )
        }
        Err(_) => error_page(
            &s,
            StatusCode::INTERNAL_SERVER_ERROR,
            "The catalogue is not available.",
        ),
    }
}

async fn project(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    session: Option<axum::Extension<ospo_catalogue::Session>>,
    RawQuery(raw): RawQuery,
) -> Response {
    match s.catalogue.get(&slug).await {
        Ok(Some(p)) => {
            let can_edit = session.is_some_and(|axum::Extension(sess)| {
                ospo_core::may(
                    &sess.actor,
                    ospo_core::Action::EditProject,
                    &ospo_core::Target::Project(&p.slug),
                )
                .is_ok()
            });
            let saved = pairs(raw)
                .unwrap_or_default()
                .into_iter()
                .any(|(k, v)| k == "saved" && v == p.version.to_string());
            let licences: Vec<String> = p
                .licence
                .as_ref()
                .and_then(|l| Expression::parse_with(l.as_str(), Mode::Lenient).ok())
                .map(|(e, _)| {
                    e.terms()
                        .iter()
                        .map(|t| t.licence.as_str().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            render(
                &s,
                "project.html",
                context! { p => Value::from(Serde(&p)), licences, can_edit, saved },
            )
        }
        Ok(None) => error_page(
            &s,
            StatusCode::NOT_FOUND,
            &format!("There is no project '{slug}' in the catalogue."),
        ),
        Err(_) => error_page(
            &s,
            StatusCode::INTERNAL_SERVER_ERROR,
            "The catalogue is not available.",
        ),
    }
}

async fn licence(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let profile = match ospo_licence::licence(&id) {
        Ok(p) => p,
        Err(e) => return error_page(&s, StatusCode::NOT_FOUND, &e.to_string()),
    };
    if profile.id != id {
        // One address per licence: redirect `mit` to `MIT`.
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("/licences/{}", profile.id))],
        )
            .into_response();
    }
    let kb = ospo_licence::KnowledgeBase::get();
    let engine = Engine::new();
    #[derive(Serialize)]
    struct Row {
        outbound: String,
        merged: String,
        dynamic: String,
        explanation: String,
        sources: Vec<String>,
    }
    let rows: Vec<Row> = if profile.exception {
        Vec::new()
    } else {
        COMMON_OUTBOUND
            .iter()
            .filter_map(|out| {
                let merged = engine
                    .check(&[&profile.id], out, Use::Merged, Mode::Strict)
                    .ok()?;
                let dynamic = engine
                    .check(&[&profile.id], out, Use::DynamicLink, Mode::Strict)
                    .ok()?;
                Some(Row {
                    outbound: (*out).to_owned(),
                    merged: merged.verdict.to_string(),
                    dynamic: dynamic.verdict.to_string(),
                    explanation: merged
                        .findings
                        .first()
                        .map(|f| f.explanation.clone())
                        .unwrap_or_default(),
                    sources: merged
                        .sources
                        .iter()
                        .map(|s| format!("{} ({})", s.title, s.version))
                        .collect(),
                })
            })
            .collect()
    };
    let cite = |c: &ospo_licence::Citation| -> String {
        let title = kb
            .source(&c.source)
            .map(|s| format!("{} ({})", s.title, s.version))
            .unwrap_or_else(|| c.source.clone());
        match &c.clause {
            Some(cl) => format!("{title}, {cl}"),
            None => title,
        }
    };
    let category_basis: Vec<String> = profile.category.basis.iter().map(cite).collect();
    render(
        &s,
        "licence.html",
        context! { l => Value::from(Serde(profile)), rows => Value::from(Serde(&rows)), category_basis },
    )
}

/// The guides: Markdown files in the repository, rendered at request time.
const GUIDES: &[(&str, &str)] = &[
    ("open-sourcing", include_str!("../guides/open-sourcing.md")),
    (
        "choosing-a-licence",
        include_str!("../guides/choosing-a-licence.md"),
    ),
    ("reuse", include_str!("../guides/reuse.md")),
    ("contributing", include_str!("../guides/contributing.md")),
];

fn guide_title(markdown: &str) -> &str {
    markdown
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim()
}

/// Renders Markdown to HTML; raw HTML in the source is shown as text, never passed through.
pub(crate) fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let events = Parser::new_ext(text, Options::ENABLE_TABLES).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

async fn guides(State(s): State<AppState>) -> Response {
    let list: Vec<(String, String)> = GUIDES
        .iter()
        .map(|(n, t)| ((*n).to_owned(), guide_title(t).to_owned()))
        .collect();
    render(&s, "guides.html", context! { guides => list })
}

async fn guide(State(s): State<AppState>, Path(name): Path<String>) -> Response {
    match GUIDES.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => render(
            &s,
            "guide.html",
            context! { title => guide_title(text), body => Value::from_safe_string(markdown(text)) },
        ),
        None => error_page(&s, StatusCode::NOT_FOUND, "There is no such guide."),
    }
}

async fn partners(State(s): State<AppState>) -> Response {
    let Ok(stats) = s.catalogue.stats().await else {
        return error_page(
            &s,
            StatusCode::INTERNAL_SERVER_ERROR,
            "The catalogue is not available.",
        );
    };
    let mut groups = Vec::new();
    for domain in stats
        .facets
        .get("domain")
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let q = ospo_catalogue::Query {
            filters: vec![("domain".into(), domain.value.clone())],
            limit: 50,
            ..ospo_catalogue::Query::default()
        };
        if let Ok(r) = s.catalogue.search(&q).await {
            groups.push((
                domain.value.clone(),
                r.hits.into_iter().map(|h| h.project).collect::<Vec<_>>(),
            ));
        }
    }
    render(
        &s,
        "partners.html",
        context! { groups => Value::from(Serde(&groups)) },
    )
}
