//! The JSON API of the disclosure and contribution workflow. Every write acts as the bearer
//! token's account; the catalogue checks the step and the role. Answers: 401 without a known
//! token, 403 for a role that may not, 409 for a step the state does not allow or a stale
//! version, 422 for invalid input (the fields are named).

use crate::AppState;
use crate::api::{actor, pairs};
use crate::error::Problem;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ospo_catalogue::{
    ContributionDraft, ContributionFilter, DisclosureDraft, DisclosureFilter, ReviewInput, now,
};
use ospo_core::{
    Actor, AdviceVerdict, Disclosure, DisclosureAction, DisclosureState, LicenceExpression,
    Recommendation, Step,
};
use serde::{Deserialize, Serialize};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/disclosures", get(list).post(create))
        .route("/api/disclosures/{id}", get(show).put(edit))
        .route("/api/disclosures/{id}/transitions", post(step))
        .route("/api/disclosures/{id}/reviews", post(review))
        .route(
            "/api/disclosures/{id}/recommendation",
            get(recommendation).post(recommend),
        )
        .route("/api/disclosures/{id}/audit", get(audit))
        .route("/api/contributions", get(contributions).post(request))
        .route("/api/contributions/{id}", get(contribution))
        .route("/api/contributions/{id}/advice", post(advise))
        .route("/api/notifications", get(notifications))
}

/// A disclosure with what the asking account may do with it now.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct DisclosureView {
    /// The request.
    #[serde(flatten)]
    pub disclosure: Disclosure,
    /// The office handling it now: ospo or kt.
    pub office: ospo_core::Office,
    /// The steps the asking account may take now.
    pub steps: Vec<Step>,
    /// Seconds from submission to decision, once decided.
    pub seconds_to_decision: Option<i64>,
}

impl DisclosureView {
    pub(crate) fn of(d: Disclosure, actor: &Actor) -> DisclosureView {
        DisclosureView {
            office: d.office(),
            steps: d.steps_for(actor),
            seconds_to_decision: d.seconds_to_decision(),
            disclosure: d,
        }
    }
}

/// A step of the workflow with the version it was decided on:
/// `{"version": 3, "step": "approve", "licence": "MIT"}`.
#[derive(Deserialize, schemars::JsonSchema)]
pub(crate) struct StepRequest {
    /// The version of the disclosure the step was decided on (its ETag).
    pub version: u64,
    /// The step and its details.
    #[serde(flatten)]
    pub action: DisclosureAction,
}

/// A unit's review with the version reviewed.
#[derive(Deserialize, schemars::JsonSchema)]
pub(crate) struct ReviewRequest {
    /// The version of the disclosure reviewed.
    pub version: u64,
    /// The review.
    #[serde(flatten)]
    pub review: ReviewInput,
}

/// The licence recommendation a reviewer records: the engine's, or an override with a reason.
#[derive(Deserialize, schemars::JsonSchema)]
pub(crate) struct RecommendRequest {
    /// The version of the disclosure the recommendation was made on.
    pub version: u64,
    /// The recommended licence; default: the engine's.
    #[serde(default)]
    pub licence: Option<LicenceExpression>,
    /// Why the licence differs from the engine's (required then).
    #[serde(default)]
    pub override_reason: Option<String>,
    /// Reasons of the reviewer's own; default: the engine's.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// The OSPO's advice on a contribution request.
#[derive(Deserialize, schemars::JsonSchema)]
pub(crate) struct AdviceRequest {
    /// The version of the request advised on.
    pub version: u64,
    /// go, go-with-conditions or no-go.
    pub verdict: AdviceVerdict,
    /// The explanation and any conditions (required unless the verdict is go).
    #[serde(default)]
    pub text: String,
}

/// Reads a JSON body; an unreadable one is a 422 naming what is wrong.
fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, Problem> {
    b.map(|Json(v)| v).map_err(|e| {
        let text = e.body_text();
        // axum names the path of the bad value: "...target type: risks.legal.level: unknown
        // variant ..."; serde names a missing one: "missing field `title`".
        let detail = text
            .split_once("target type: ")
            .map_or(text.as_str(), |x| x.1);
        let field = detail
            .split_once(": ")
            .map(|(path, _)| path)
            .filter(|p| !p.is_empty() && !p.contains(' '))
            .map(str::to_owned)
            .or_else(|| {
                ["missing field `", "unknown field `"].iter().find_map(|m| {
                    detail
                        .split_once(m)
                        .and_then(|(_, rest)| rest.split_once('`'))
                        .map(|(f, _)| f.to_owned())
                })
            });
        Problem {
            fields: field.into_iter().collect(),
            ..Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "/problems/invalid",
                "Invalid input",
                format!("request body: {text}"),
            )
        }
    })
}

/// The request number in the path; anything else names no request.
fn number(id: &str, what: &str) -> Result<u64, Problem> {
    id.parse()
        .map_err(|_| Problem::not_found(format!("no {what} {id:?}: numbers are whole numbers")))
}

/// The signed-in actor of a write; anonymous writes get 401 before the body is read.
async fn writer(s: &AppState, headers: &HeaderMap) -> Result<Actor, Problem> {
    let a = actor(s, headers).await?;
    if !a.is_signed_in() {
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "/problems/unauthorised",
            "Sign in first",
            "send an API token as 'Authorization: Bearer <token>'",
        ));
    }
    Ok(a)
}

fn with_version(status: StatusCode, d: Disclosure, actor: &Actor) -> Response {
    let etag = format!("\"{}\"", d.version);
    let location = format!("/api/disclosures/{}", d.id);
    (
        status,
        [(header::ETAG, etag), (header::LOCATION, location)],
        Json(DisclosureView::of(d, actor)),
    )
        .into_response()
}

fn flag(pairs: &[(String, String)], key: &str) -> Result<bool, Problem> {
    match pairs.iter().rev().find(|(k, _)| k == key) {
        None => Ok(false),
        Some((_, v)) => match v.as_str() {
            "" | "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(Problem::bad_request(format!(
                "{key} '{v}': expected true or false"
            ))),
        },
    }
}

async fn list(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let pairs = pairs(raw)?;
    let state = pairs
        .iter()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| {
            v.parse::<DisclosureState>()
                .map_err(|e| Problem::bad_request(e.to_string()))
        })
        .transpose()?;
    let filter = DisclosureFilter {
        mine: flag(&pairs, "mine")?,
        queue: flag(&pairs, "queue")?,
        state,
    };
    Ok(Json(s.catalogue.disclosures(&actor, filter).await?).into_response())
}

async fn create(
    State(s): State<AppState>,
    headers: HeaderMap,
    b: Result<Json<DisclosureDraft>, JsonRejection>,
) -> Result<Response, Problem> {
    let actor = writer(&s, &headers).await?;
    let draft = body(b)?;
    let d = s.catalogue.create_disclosure(&actor, draft, &now()).await?;
    Ok(with_version(StatusCode::CREATED, d, &actor))
}

async fn show(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let id = number(&id, "disclosure")?;
    let d = s.catalogue.disclosure(&actor, id).await?;
    Ok(with_version(StatusCode::OK, d, &actor))
}

/// The version named by `If-Match: "N"`.
fn if_match(headers: &HeaderMap) -> Result<u64, Problem> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Err(Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "/problems/if-match-required",
            "If-Match required",
            "send If-Match with the ETag of the version you edited",
        ));
    };
    v.to_str()
        .ok()
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| Problem::bad_request("If-Match must be an ETag such as \"3\""))
}

async fn edit(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Json<DisclosureDraft>, JsonRejection>,
) -> Result<Response, Problem> {
    let actor = writer(&s, &headers).await?;
    let id = number(&id, "disclosure")?;
    let version = if_match(&headers)?;
    let draft = body(b)?;
    let d = s
        .catalogue
        .edit_disclosure(&actor, id, version, draft, &now())
        .await?;
    Ok(with_version(StatusCode::OK, d, &actor))
}

async fn step(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Json<StepRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let actor = writer(&s, &headers).await?;
    let id = number(&id, "disclosure")?;
    let req = body(b)?;
    let (d, _) = s
        .catalogue
        .disclosure_step(&actor, id, req.version, req.action, &now())
        .await?;
    Ok(with_version(StatusCode::OK, d, &actor))
}

async fn review(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Json<ReviewRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let actor = writer(&s, &headers).await?;
    let id = number(&id, "disclosure")?;
    let req = body(b)?;
    let d = s
        .catalogue
        .review_disclosure(&actor, id, req.version, req.review, &now())
        .await?;
    Ok(with_version(StatusCode::OK, d, &actor))
}

async fn recommendation(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let id = number(&id, "disclosure")?;
    let d = s.catalogue.disclosure(&actor, id).await?;
    Ok(Json(ospo_catalogue::engine_advice(&d)).into_response())
}

async fn recommend(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Json<RecommendRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let actor = writer(&s, &headers).await?;
    let id = number(&id, "disclosure")?;
    let req = body(b)?;
    let d = s.catalogue.disclosure(&actor, id).await?;
    let licence = match req.licence {
        Some(l) => l,
        None => ospo_catalogue::engine_advice(&d)
            .licence
            .and_then(|l| LicenceExpression::parse(&l).ok())
            .ok_or_else(|| Problem {
                fields: vec!["licence".into()],
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "/problems/invalid",
                    "Invalid input",
                    "licence: the engine recommends no licence for these dependencies; name one, with an override_reason",
                )
            })?,
    };
    let action = DisclosureAction::Recommend(Recommendation {
        licence,
        reasons: req.reasons,
        computed: None,
        override_reason: req.override_reason,
    });
    let (d, _) = s
        .catalogue
        .disclosure_step(&actor, id, req.version, action, &now())
        .await?;
    Ok(with_version(StatusCode::OK, d, &actor))
}

async fn audit(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let id = number(&id, "disclosure")?;
    Ok(Json(s.catalogue.disclosure_audit(&actor, id).await?).into_response())
}

async fn contributions(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let pairs = pairs(raw)?;
    let filter = ContributionFilter {
        mine: flag(&pairs, "mine")?,
        pending: flag(&pairs, "pending")?,
    };
    Ok(Json(s.catalogue.contributions(&actor, filter).await?).into_response())
}

async fn request(
    State(s): State<AppState>,
    headers: HeaderMap,
    b: Result<Json<ContributionDraft>, JsonRejection>,
) -> Result<Response, Problem> {
    let actor = writer(&s, &headers).await?;
    let draft = body(b)?;
    let r = s
        .catalogue
        .request_contribution(&actor, draft, &now())
        .await?;
    let location = format!("/api/contributions/{}", r.id);
    Ok((
        StatusCode::CREATED,
        [
            (header::ETAG, format!("\"{}\"", r.version)),
            (header::LOCATION, location),
        ],
        Json(r),
    )
        .into_response())
}

async fn contribution(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let id = number(&id, "contribution request")?;
    let r = s.catalogue.contribution(&actor, id).await?;
    Ok(([(header::ETAG, format!("\"{}\"", r.version))], Json(r)).into_response())
}

async fn advise(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Json<AdviceRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let actor = writer(&s, &headers).await?;
    let id = number(&id, "contribution request")?;
    let req = body(b)?;
    let r = s
        .catalogue
        .advise_contribution(&actor, id, req.version, req.verdict, &req.text, &now())
        .await?;
    Ok(([(header::ETAG, format!("\"{}\"", r.version))], Json(r)).into_response())
}

async fn notifications(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let actor = actor(&s, &headers).await?;
    let pairs = pairs(raw)?;
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let entity = match (one("disclosure"), one("contribution")) {
        (Some(id), None) => Some(("disclosure", number(&id, "disclosure")?)),
        (None, Some(id)) => Some(("contribution", number(&id, "contribution request")?)),
        (None, None) => None,
        (Some(_), Some(_)) => {
            return Err(Problem::bad_request(
                "give disclosure or contribution, not both",
            ));
        }
    };
    Ok(Json(s.catalogue.outbox(&actor, entity).await?).into_response())
}
