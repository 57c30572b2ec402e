//! The inventory over HTTP: JSON API under `/api/inventory` and the website's service and
//! component pages. The inventory shows what the lab's (critical) services run, so nothing of
//! it is public: reads need a signed-in account (any role), writes an OSPO member (the access
//! matrix in `ospo_core::access`).

use crate::AppState;
use crate::api::{actor, pairs};
use crate::error::Problem;
use crate::pages::{error_page, render};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use minijinja::context;
use minijinja::value::Serde;
use ospo_catalogue::inventory::policy::Policy;
use ospo_catalogue::inventory::query::{ServiceFilter, SnapshotSelector};
use ospo_catalogue::inventory::store::{InputFile, ReviewState};
use ospo_catalogue::{CatalogueError, Session, now};
use ospo_core::{Actor, IsoDate, Service};
use serde::{Deserialize, Serialize};

/// Largest SBOM or lockfile accepted in one upload (real container SBOMs reach a few MiB).
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/inventory/services", get(services).post(put_service))
        .route("/api/inventory/services/{slug}", get(service))
        .route("/api/inventory/services/{slug}/snapshots", post(ingest))
        .route("/api/inventory/services/{slug}/reviews", put(review))
        .route("/api/inventory/services/{slug}/diff", get(diff))
        .route("/api/inventory/where-used", get(where_used))
        .route("/api/inventory/dependents", get(dependents))
        .route("/api/inventory/policy", get(policy).post(policy_with_rules))
        .route("/api/inventory/survey", get(survey))
        .route("/inventory", get(index_page))
        .route("/inventory/where-used", get(where_used_page))
        .route("/inventory/services/{slug}", get(service_page))
        .route("/inventory/components/{id}", get(component_page))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
}

fn one(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// Catalogue errors as problems (the mapping is in `error.rs`).
fn problem(e: CatalogueError) -> Problem {
    Problem::from(e)
}

/// Everything a service page or `GET /api/inventory/services/{slug}` shows.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct ServicePage {
    /// The service and its latest snapshot.
    service: ospo_catalogue::inventory::store::ServiceSummary,
    /// Every snapshot, oldest first.
    snapshots: Vec<ospo_catalogue::inventory::store::SnapshotInfo>,
    /// The latest snapshot's components with how they are used.
    components: Vec<ComponentRow>,
    /// The policy's violations with their review states.
    policy: ospo_catalogue::inventory::query::PolicyReport,
}

/// A component of a service's latest snapshot.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct ComponentRow {
    /// The component.
    #[serde(flatten)]
    component: ospo_catalogue::inventory::store::StoredComponent,
    /// direct or transitive.
    relation: String,
    /// When it is needed.
    scope: String,
}

async fn service_page_data(s: &AppState, a: &Actor, slug: &str) -> Result<ServicePage, Problem> {
    let service = s
        .catalogue
        .service(a, slug)
        .await
        .map_err(problem)?
        .ok_or_else(|| Problem::not_found(format!("no service '{slug}' in the inventory")))?;
    let snapshots = s.catalogue.snapshots(a, slug).await.map_err(problem)?;
    let components = match &service.latest_snapshot {
        Some(l) => s
            .catalogue
            .snapshot_components(a, l.id)
            .await
            .map_err(problem)?,
        None => vec![],
    };
    let policy = s
        .catalogue
        .policy(a, Some(slug), &Policy::default())
        .await
        .map_err(problem)?;
    Ok(ServicePage {
        service,
        snapshots,
        components: components
            .into_iter()
            .map(|(component, relation, scope)| ComponentRow {
                component,
                relation: relation.to_string(),
                scope: scope.to_string(),
            })
            .collect(),
        policy,
    })
}

async fn services(State(s): State<AppState>, headers: HeaderMap) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    Ok(Json(s.catalogue.services(&a).await.map_err(problem)?).into_response())
}

async fn put_service(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<Service>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    ospo_core::may(
        &a,
        ospo_core::Action::ManageInventory,
        &ospo_core::Target::Inventory,
    )
    .map_err(CatalogueError::from)?;
    let Json(service) = body.map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "/problems/invalid",
            "Invalid service",
            format!("request body: {}", e.body_text()),
        )
    })?;
    s.catalogue
        .put_service(&a, &service, &now())
        .await
        .map_err(problem)?;
    Ok((StatusCode::OK, Json(service)).into_response())
}

async fn service(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    Ok(Json(service_page_data(&s, &a, &slug).await?).into_response())
}

async fn ingest(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    ospo_core::may(
        &a,
        ospo_core::Action::ManageInventory,
        &ospo_core::Target::Inventory,
    )
    .map_err(CatalogueError::from)?;
    let pairs = pairs(raw)?;
    let name = one(&pairs, "file").ok_or_else(|| {
        Problem::bad_request(
            "the 'file' parameter is missing: the file's name tells its format (Cargo.lock, bom.cdx.json)",
        )
    })?;
    let date = match one(&pairs, "date") {
        Some(d) => IsoDate::parse(&d).map_err(|e| Problem::bad_request(format!("date: {e}")))?,
        None => now().date(),
    };
    let files = [InputFile {
        name,
        bytes: body.to_vec(),
    }];
    let report = s
        .catalogue
        .ingest(&a, &slug, &date, &files, &now())
        .await
        .map_err(problem)?;
    Ok((StatusCode::CREATED, Json(report)).into_response())
}

/// A review state to set.
#[derive(Deserialize, schemars::JsonSchema)]
pub(crate) struct ReviewRequest {
    /// The rule's code (INV001).
    rule: String,
    /// The package, as a violation shows it.
    package: String,
    /// open, accepted or to-fix.
    state: ReviewState,
    /// Why (required to accept).
    #[serde(default)]
    reason: String,
}

async fn review(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Result<Json<ReviewRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    ospo_core::may(
        &a,
        ospo_core::Action::ManageInventory,
        &ospo_core::Target::Inventory,
    )
    .map_err(CatalogueError::from)?;
    let Json(r) = body.map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "/problems/invalid",
            "Invalid review",
            format!("request body: {}", e.body_text()),
        )
    })?;
    s.catalogue
        .set_review(&a, &slug, &r.rule, &r.package, r.state, &r.reason, &now())
        .await
        .map_err(problem)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn diff(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    ospo_core::may(&a, ospo_core::Action::Read, &ospo_core::Target::Inventory)
        .map_err(CatalogueError::from)?;
    let pairs = pairs(raw)?;
    let selector = |key: &str, default: &str| -> Result<SnapshotSelector, Problem> {
        one(&pairs, key)
            .unwrap_or_else(|| default.to_owned())
            .parse()
            .map_err(|e: String| Problem::bad_request(format!("{key}: {e}")))
    };
    let from = selector("from", "")?;
    let to = selector("to", "latest")?;
    Ok(Json(
        s.catalogue
            .diff(&a, &slug, &from, &to)
            .await
            .map_err(problem)?,
    )
    .into_response())
}

async fn where_used(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    ospo_core::may(&a, ospo_core::Action::Read, &ospo_core::Target::Inventory)
        .map_err(CatalogueError::from)?;
    let pairs = pairs(raw)?;
    let package = one(&pairs, "package")
        .ok_or_else(|| Problem::bad_request("the 'package' parameter is missing"))?;
    let answer = s
        .catalogue
        .where_used(
            &a,
            &package,
            one(&pairs, "ecosystem").as_deref(),
            one(&pairs, "range").as_deref(),
        )
        .await
        .map_err(problem)?;
    Ok(Json(answer).into_response())
}

async fn dependents(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    ospo_core::may(&a, ospo_core::Action::Read, &ospo_core::Target::Inventory)
        .map_err(CatalogueError::from)?;
    let pairs = pairs(raw)?;
    let categories = pairs
        .iter()
        .filter(|(k, _)| k == "category")
        .map(|(_, v)| {
            v.parse::<ospo_licence::Category>()
                .map_err(|e| Problem::bad_request(format!("category: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if categories.is_empty() {
        return Err(Problem::bad_request(
            "give at least one 'category', e.g. strong-copyleft",
        ));
    }
    let filter: ServiceFilter = one(&pairs, "services")
        .unwrap_or_else(|| "critical-or-exposed".into())
        .parse()
        .map_err(|e: String| Problem::bad_request(format!("services: {e}")))?;
    Ok(Json(
        s.catalogue
            .dependents(&a, &categories, filter)
            .await
            .map_err(problem)?,
    )
    .into_response())
}

async fn policy(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    let pairs = pairs(raw)?;
    let report = s
        .catalogue
        .policy(&a, one(&pairs, "service").as_deref(), &Policy::default())
        .await
        .map_err(problem)?;
    Ok(Json(report).into_response())
}

/// The same answer under the rules in the body (a policy file, as `ospo inventory policy
/// --policy FILE.json` reads), for a lab whose rules differ from the default ones.
async fn policy_with_rules(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Result<Json<Policy>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    let pairs = pairs(raw)?;
    let invalid = |detail: String| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "/problems/invalid",
            "Invalid policy",
            detail,
        )
    };
    let Json(rules) = body.map_err(|e| invalid(format!("request body: {}", e.body_text())))?;
    rules
        .check()
        .map_err(|e| invalid(format!("request body: {e}")))?;
    let report = s
        .catalogue
        .policy(&a, one(&pairs, "service").as_deref(), &rules)
        .await
        .map_err(problem)?;
    Ok(Json(report).into_response())
}

async fn survey(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let a = actor(&s, &headers).await?;
    let pairs = pairs(raw)?;
    let top = match one(&pairs, "top") {
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| Problem::bad_request(format!("top '{t}': a number from 1 to 1000")))?,
        None => 10,
    };
    Ok(Json(s.catalogue.survey(&a, top).await.map_err(problem)?).into_response())
}

/// The website's pages need a signed-in visitor: anonymous ones are sent to sign in.
fn signed_in(session: Option<axum::Extension<Session>>) -> Option<Actor> {
    session.map(|axum::Extension(s)| s.actor)
}

fn sign_in_first(path: &str) -> Response {
    Redirect::to(&format!("/login?next={path}")).into_response()
}

fn page_error(s: &AppState, p: Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error_page(s, status, &p.detail)
}

async fn index_page(
    State(s): State<AppState>,
    session: Option<axum::Extension<Session>>,
) -> Response {
    let Some(a) = signed_in(session) else {
        return sign_in_first("/inventory");
    };
    let (list, survey) = match (
        s.catalogue.services(&a).await,
        s.catalogue.survey(&a, 10).await,
    ) {
        (Ok(l), Ok(v)) => (l, v),
        (Err(e), _) | (_, Err(e)) => return page_error(&s, problem(e)),
    };
    render(
        &s,
        "inventory.html",
        context! { services => Serde(&list), survey => Serde(&survey) },
    )
}

async fn service_page(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    session: Option<axum::Extension<Session>>,
) -> Response {
    let Some(a) = signed_in(session) else {
        return sign_in_first(&format!("/inventory/services/{slug}"));
    };
    match service_page_data(&s, &a, &slug).await {
        Ok(page) => render(
            &s,
            "inventory_service.html",
            context! { page => Serde(&page) },
        ),
        Err(p) => page_error(&s, p),
    }
}

async fn component_page(
    State(s): State<AppState>,
    Path(id): Path<String>,
    session: Option<axum::Extension<Session>>,
) -> Response {
    let Some(a) = signed_in(session) else {
        return sign_in_first(&format!("/inventory/components/{id}"));
    };
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&s, StatusCode::NOT_FOUND, "no such component");
    };
    let component = match s.catalogue.component(&a, id).await {
        Ok(Some(c)) => c,
        Ok(None) => return error_page(&s, StatusCode::NOT_FOUND, "no such component"),
        Err(e) => return page_error(&s, problem(e)),
    };
    // "Used by": every version of the package, which services use it now and since when.
    let lookup = match &component.component.purl {
        Some(p) => p.package().to_owned(),
        None => component.component.name.clone(),
    };
    let eco = component.component.ecosystem.clone();
    let used = match s
        .catalogue
        .where_used(&a, &lookup, eco.as_deref(), None)
        .await
    {
        Ok(w) => w,
        Err(e) => return page_error(&s, problem(e)),
    };
    render(
        &s,
        "inventory_component.html",
        context! { c => Serde(&component), used => Serde(&used) },
    )
}

/// "Who uses X?" on the website: the form of the inventory page, answered with the services
/// using a version in the range now and the snapshots that ever held one. A range the package's
/// ecosystem cannot read is said on the page, next to the form, with status 400.
async fn where_used_page(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    session: Option<axum::Extension<Session>>,
) -> Response {
    let Some(a) = signed_in(session) else {
        // Back to the same question after signing in.
        let back = match raw.as_deref() {
            Some(q) => format!("/inventory/where-used?{q}"),
            None => "/inventory/where-used".to_owned(),
        };
        let next = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
        return Redirect::to(&format!("/login?{next}")).into_response();
    };
    let pairs = match pairs(raw) {
        Ok(p) => p,
        Err(p) => return page_error(&s, p),
    };
    let field = |k: &str| {
        one(&pairs, k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let (package, ecosystem, range) = (field("package"), field("ecosystem"), field("range"));
    let Some(package) = package else {
        return render(
            &s,
            "inventory_where_used.html",
            context! { ecosystem, range },
        );
    };
    match s
        .catalogue
        .where_used(&a, &package, ecosystem.as_deref(), range.as_deref())
        .await
    {
        Ok(used) => render(
            &s,
            "inventory_where_used.html",
            context! { package, ecosystem, range, used => Serde(&used) },
        ),
        Err(e) => {
            let p = problem(e);
            if p.status != 400 {
                return page_error(&s, p);
            }
            let mut r = render(
                &s,
                "inventory_where_used.html",
                context! { package, ecosystem, range, error => p.detail },
            );
            *r.status_mut() = StatusCode::BAD_REQUEST;
            r
        }
    }
}
