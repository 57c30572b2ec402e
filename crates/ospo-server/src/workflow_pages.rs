//! The website's workflow pages: a maintainer writes, submits and follows a disclosure; OSPO
//! members (and KT reviewers for KT's office) work a review queue, review with checklists,
//! recommend (the engine's licence with its reasons, or an override with a reason), decide and
//! publish. Forms carry the session's CSRF token and the version they were loaded at; a refused
//! step shows the page again with why, and the person's input kept.

use crate::AppState;
use crate::auth::check_form;
use crate::pages::{error_page, render};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use ospo_catalogue::{
    CatalogueError, DisclosureDraft, DisclosureFilter, ReviewInput, Session, engine_advice, now,
};
use ospo_core::disclosure::{Affiliation, Contributor, Risk, RiskLevel, Risks};
use ospo_core::{
    Disclosure, DisclosureAction, LicenceExpression, LicencePreference, ProjectKind, ProjectLink,
    Recommendation, ReviewingUnit, Role, Slug, TransitionError, Url, UseCase,
};
use serde::Serialize;
use std::collections::BTreeMap;

pub(crate) fn templates(env: &mut Environment<'static>) {
    for (name, text) in [
        (
            "disclosures.html",
            include_str!("../templates/disclosures.html"),
        ),
        (
            "disclosure.html",
            include_str!("../templates/disclosure.html"),
        ),
        (
            "disclosure_form.html",
            include_str!("../templates/disclosure_form.html"),
        ),
    ] {
        env.add_template(name, text).expect("templates compile");
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/disclosures", get(list))
        .route("/disclosures/new", get(new_form).post(create))
        .route("/disclosures/{id}", get(show))
        .route("/disclosures/{id}/edit", get(edit_form).post(save))
        .route("/disclosures/{id}/step", axum::routing::post(step))
        .route("/disclosures/{id}/review", axum::routing::post(review))
}

type Pairs = Vec<(String, String)>;

fn field<'a>(pairs: &'a Pairs, key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

fn sign_in(next: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/login?next={next}"))],
    )
        .into_response()
}

fn see_other(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// The draft form's fields, as text.
#[derive(Clone, Debug, Default, Serialize)]
struct DraftFields {
    title: String,
    kind: String,
    repository: String,
    catalogue: String,
    why: String,
    community: String,
    commercial_interest: String,
    preference: String,
    contributors: String,
    agreements: String,
    third_party: String,
    lab_copyright: bool,
    dependencies: String,
    unknown_licences: String,
    intended_licence: String,
    uses: String,
    /// The four risks, in the model's order: (key, level, notes).
    risks: Vec<RiskField>,
    version: u64,
}

/// One risk on the draft form.
#[derive(Clone, Debug, Default, Serialize)]
struct RiskField {
    key: &'static str,
    label: &'static str,
    level: String,
    notes: String,
}

/// The form's key and label of each risk the model holds.
const RISKS: [(&str, &str); 4] = [
    ("legal", "Legal"),
    ("reputational", "Reputational"),
    ("safety_security", "Safety and security"),
    ("export_control", "Export control"),
];

/// The form's rows for these risks.
fn risk_fields(risks: &Risks) -> Vec<RiskField> {
    let mut all = risks.clone();
    RISKS
        .iter()
        .map(|(key, label)| {
            let r = risk_mut(&mut all, key).cloned().unwrap_or_default();
            RiskField {
                key,
                label,
                level: r.level.to_string(),
                notes: r.notes,
            }
        })
        .collect()
}

fn risk_mut<'a>(risks: &'a mut Risks, key: &str) -> Option<&'a mut Risk> {
    match key {
        "legal" => Some(&mut risks.legal),
        "reputational" => Some(&mut risks.reputational),
        "safety_security" => Some(&mut risks.safety_security),
        "export_control" => Some(&mut risks.export_control),
        _ => None,
    }
}

impl DraftFields {
    fn of(d: &Disclosure) -> DraftFields {
        DraftFields {
            title: d.title.clone(),
            kind: d.kind.to_string(),
            repository: match &d.project {
                Some(ProjectLink::Repository(u)) => u.to_string(),
                _ => String::new(),
            },
            catalogue: match &d.project {
                Some(ProjectLink::Catalogue(s)) => s.to_string(),
                _ => String::new(),
            },
            why: d.ambitions.why.clone(),
            community: d.ambitions.community.clone(),
            commercial_interest: d.ambitions.commercial_interest.clone(),
            preference: d
                .ambitions
                .preference
                .map(|p| p.to_string())
                .unwrap_or_default(),
            contributors: d
                .contributors
                .iter()
                .map(|c| match &c.affiliation {
                    Affiliation::Lab => format!("{}; lab", c.name),
                    Affiliation::Collaboration { name } => {
                        format!("{}; collaboration {name}", c.name)
                    }
                    Affiliation::External { name } => format!("{}; external {name}", c.name),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            agreements: d.ownership.agreements.join("\n"),
            third_party: d.ownership.third_party.clone(),
            lab_copyright: d.ownership.lab_copyright,
            dependencies: d
                .dependencies
                .licences
                .iter()
                .map(|(l, n)| format!("{l}: {n}"))
                .collect::<Vec<_>>()
                .join("\n"),
            unknown_licences: d.dependencies.unknown_licences.to_string(),
            intended_licence: d
                .intended_licence
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            uses: d
                .uses_outside_physics
                .iter()
                .map(|u| format!("{}: {}", u.domain, u.text))
                .collect::<Vec<_>>()
                .join("\n"),
            risks: risk_fields(&d.risks),
            version: d.version,
        }
    }

    fn read(pairs: &Pairs) -> DraftFields {
        let f = |k: &str| field(pairs, k).trim().replace("\r\n", "\n");
        DraftFields {
            title: f("title"),
            kind: f("kind"),
            repository: f("repository"),
            catalogue: f("catalogue"),
            why: f("why"),
            community: f("community"),
            commercial_interest: f("commercial_interest"),
            preference: f("preference"),
            contributors: f("contributors"),
            agreements: f("agreements"),
            third_party: f("third_party"),
            lab_copyright: field(pairs, "lab_copyright") == "on",
            dependencies: f("dependencies"),
            unknown_licences: f("unknown_licences"),
            intended_licence: f("intended_licence"),
            uses: f("uses"),
            risks: RISKS
                .iter()
                .map(|(key, label)| RiskField {
                    key,
                    label,
                    level: f(&format!("risk_{key}")),
                    notes: f(&format!("risk_{key}_notes")),
                })
                .collect(),
            version: f("version").parse().unwrap_or(0),
        }
    }

    /// The draft these fields describe, or the first problem, naming its field.
    fn draft(&self) -> Result<DisclosureDraft, String> {
        let kind = self
            .kind
            .parse::<ProjectKind>()
            .map_err(|e| format!("Kind: {e}"))?;
        let project = match (self.repository.as_str(), self.catalogue.as_str()) {
            ("", "") => None,
            (url, "") => Some(ProjectLink::Repository(
                Url::parse(url).map_err(|e| format!("Repository: {e}"))?,
            )),
            (_, slug) => Some(ProjectLink::Catalogue(
                Slug::parse(slug).map_err(|e| format!("Catalogue entry: {e}"))?,
            )),
        };
        let mut d = DisclosureDraft {
            title: self.title.clone(),
            kind: Some(kind),
            project,
            ..DisclosureDraft::default()
        };
        d.ambitions.why = self.why.clone();
        d.ambitions.community = self.community.clone();
        d.ambitions.commercial_interest = self.commercial_interest.clone();
        d.ambitions.preference = match self.preference.as_str() {
            "" => None,
            p => Some(
                p.parse::<LicencePreference>()
                    .map_err(|e| format!("Preferred kind of licence: {e}"))?,
            ),
        };
        for line in self
            .contributors
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let (name, affiliation) = line.split_once(';').unwrap_or((line, "lab"));
            let affiliation = affiliation.trim();
            let affiliation = if affiliation == "lab" {
                Affiliation::Lab
            } else if let Some(n) = affiliation.strip_prefix("collaboration ") {
                Affiliation::Collaboration {
                    name: n.trim().to_owned(),
                }
            } else if let Some(n) = affiliation.strip_prefix("external ") {
                Affiliation::External {
                    name: n.trim().to_owned(),
                }
            } else {
                return Err(format!(
                    "Contributors: '{line}': write 'Name; lab', 'Name; collaboration NAME' or 'Name; external INSTITUTION'"
                ));
            };
            d.contributors.push(Contributor {
                name: name.trim().to_owned(),
                affiliation,
            });
        }
        d.ownership.lab_copyright = self.lab_copyright;
        d.ownership.agreements = self
            .agreements
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        d.ownership.third_party = self.third_party.clone();
        let mut licences = BTreeMap::new();
        for line in self
            .dependencies
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let (licence, count) = line.rsplit_once(':').ok_or_else(|| {
                format!("Dependencies: '{line}': write 'LICENCE: number of components'")
            })?;
            let count: u32 = count.trim().parse().map_err(|_| {
                format!("Dependencies: '{line}': the number after the colon is not a whole number")
            })?;
            ospo_licence::Expression::parse_with(licence.trim(), ospo_licence::Mode::Lenient)
                .map_err(|e| format!("Dependencies: '{}': {e}", licence.trim()))?;
            *licences.entry(licence.trim().to_owned()).or_insert(0) += count;
        }
        d.dependencies.components = licences.values().sum();
        d.dependencies.licences = licences;
        d.dependencies.unknown_licences = match self.unknown_licences.as_str() {
            "" => 0,
            n => n.parse().map_err(|_| {
                format!("Components without a known licence: '{n}' is not a whole number")
            })?,
        };
        d.dependencies.components += d.dependencies.unknown_licences;
        d.intended_licence = match self.intended_licence.as_str() {
            "" => None,
            l => {
                ospo_licence::Expression::parse(l).map_err(|e| format!("Intended licence: {e}"))?;
                Some(LicenceExpression::parse(l).map_err(|e| format!("Intended licence: {e}"))?)
            }
        };
        for line in self.uses.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (domain, text) = line.split_once(':').ok_or_else(|| {
                format!("Uses outside physics: '{line}': write 'domain: what it does there'")
            })?;
            d.uses_outside_physics.push(UseCase {
                domain: domain.trim().to_owned(),
                text: text.trim().to_owned(),
            });
        }
        for r in &self.risks {
            let Some(risk) = risk_mut(&mut d.risks, r.key) else {
                continue;
            };
            risk.level = match r.level.as_str() {
                "" => RiskLevel::default(),
                l => l
                    .parse::<RiskLevel>()
                    .map_err(|e| format!("{} risk: {e}", r.label))?,
            };
            risk.notes = r.notes.clone();
        }
        Ok(d)
    }
}

fn form_page(
    s: &AppState,
    id: Option<u64>,
    fields: &DraftFields,
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let mut r = render(
        s,
        "disclosure_form.html",
        context! {
            id,
            fields => Value::from(Serde(fields)),
            kinds => ["software", "hardware", "both"],
            preferences => ["permissive", "weak-copyleft", "strong-copyleft"],
            risk_levels => RiskLevel::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
            message,
        },
    );
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

/// The HTTP status and the sentence a refused change gets on a page.
fn refusal(e: &CatalogueError) -> (StatusCode, String) {
    let status = match e {
        CatalogueError::Denied(_) | CatalogueError::Refused(TransitionError::Denied { .. }) => {
            StatusCode::FORBIDDEN
        }
        CatalogueError::Refused(
            TransitionError::NotAllowed { .. } | TransitionError::NotInReview { .. },
        )
        | CatalogueError::Conflict { .. }
        | CatalogueError::NotEditable { .. } => StatusCode::CONFLICT,
        CatalogueError::Refused(TransitionError::Incomplete { .. })
        | CatalogueError::Rejected { .. }
        | CatalogueError::Invalid { .. }
        | CatalogueError::Licence { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        CatalogueError::NoSuch { .. } => StatusCode::NOT_FOUND,
        _ => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The catalogue is not available; nothing was saved.".into(),
            );
        }
    };
    let mut text = e.to_string();
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    (status, format!("Not done. {text}."))
}

async fn list(State(s): State<AppState>, session: Option<axum::Extension<Session>>) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in("/disclosures");
    };
    let actor = &session.actor;
    let mine = s
        .catalogue
        .disclosures(
            actor,
            DisclosureFilter {
                mine: true,
                ..DisclosureFilter::default()
            },
        )
        .await;
    let reviewer = actor.has_role(Role::OspoMember) || actor.has_role(Role::KtReviewer);
    let queue = if reviewer {
        s.catalogue
            .disclosures(
                actor,
                DisclosureFilter {
                    queue: true,
                    ..DisclosureFilter::default()
                },
            )
            .await
            .map(Some)
    } else {
        Ok(None)
    };
    match (mine, queue) {
        (Ok(mine), Ok(queue)) => render(
            &s,
            "disclosures.html",
            context! {
                mine => Value::from(Serde(&mine)),
                queue => Value::from(Serde(&queue)),
                maintainer => actor.has_role(Role::Maintainer),
                kt => actor.has_role(Role::KtReviewer) && !actor.has_role(Role::OspoMember),
            },
        ),
        _ => error_page(
            &s,
            StatusCode::INTERNAL_SERVER_ERROR,
            "The catalogue is not available.",
        ),
    }
}

async fn new_form(
    State(s): State<AppState>,
    session: Option<axum::Extension<Session>>,
) -> Response {
    if session.is_none() {
        return sign_in("/disclosures/new");
    }
    let fields = DraftFields {
        kind: "software".into(),
        contributors: session
            .map(|axum::Extension(s)| format!("{}; lab", s.actor.name))
            .unwrap_or_default(),
        risks: risk_fields(&Risks::default()),
        ..DraftFields::default()
    };
    form_page(&s, None, &fields, None, StatusCode::OK)
}

async fn create(
    State(s): State<AppState>,
    headers: HeaderMap,
    session: Option<axum::Extension<Session>>,
    axum::Form(pairs): axum::Form<Pairs>,
) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in("/disclosures/new");
    };
    if let Err(r) = check_form(&s, &headers, &session.csrf, field(&pairs, "csrf")) {
        return *r;
    }
    let fields = DraftFields::read(&pairs);
    let draft = match fields.draft() {
        Ok(d) => d,
        Err(problem) => {
            return form_page(
                &s,
                None,
                &fields,
                Some(&format!("Not saved. {problem}")),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match s
        .catalogue
        .create_disclosure(&session.actor, draft, &now())
        .await
    {
        Ok(d) => see_other(format!("/disclosures/{}?saved=1", d.id)),
        Err(e) => {
            let (status, message) = refusal(&e);
            form_page(&s, None, &fields, Some(&message), status)
        }
    }
}

async fn load(s: &AppState, id: &str, session: &Session) -> Result<Disclosure, Response> {
    let Ok(id) = id.parse::<u64>() else {
        return Err(error_page(
            s,
            StatusCode::NOT_FOUND,
            "There is no such request.",
        ));
    };
    s.catalogue
        .disclosure(&session.actor, id)
        .await
        .map_err(|e| {
            let (status, message) = refusal(&e);
            error_page(s, status, &message)
        })
}

async fn edit_form(
    State(s): State<AppState>,
    Path(id): Path<String>,
    session: Option<axum::Extension<Session>>,
) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in(&format!("/disclosures/{id}/edit"));
    };
    match load(&s, &id, &session).await {
        Ok(d) => form_page(&s, Some(d.id), &DraftFields::of(&d), None, StatusCode::OK),
        Err(r) => r,
    }
}

async fn save(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    session: Option<axum::Extension<Session>>,
    axum::Form(pairs): axum::Form<Pairs>,
) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in(&format!("/disclosures/{id}/edit"));
    };
    if let Err(r) = check_form(&s, &headers, &session.csrf, field(&pairs, "csrf")) {
        return *r;
    }
    let d = match load(&s, &id, &session).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let fields = DraftFields::read(&pairs);
    let result = match fields.draft() {
        Ok(draft) => s
            .catalogue
            .edit_disclosure(&session.actor, d.id, fields.version, draft, &now())
            .await
            .map_err(|e| refusal(&e)),
        Err(problem) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Not saved. {problem}"),
        )),
    };
    match result {
        Ok(saved) => see_other(format!("/disclosures/{}?saved=1", saved.id)),
        Err((status, message)) => form_page(&s, Some(d.id), &fields, Some(&message), status),
    }
}

/// The request's page, with the forms of the steps the viewer may take.
fn page(
    s: &AppState,
    d: &Disclosure,
    session: &Session,
    notice: Option<&str>,
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let actor = &session.actor;
    let steps: Vec<&str> = d.steps_for(actor).iter().map(|s| s.as_str()).collect();
    let advice = engine_advice(d);
    // The units this viewer may review now, as the model decides.
    let mut units: Vec<Value> = Vec::new();
    for unit in ReviewingUnit::ALL {
        let current = d.reviews.iter().find(|r| r.unit == *unit);
        let checklist = current
            .map(|r| r.checklist.clone())
            .unwrap_or_else(|| unit.default_checklist());
        let trial = ospo_core::Review {
            unit: *unit,
            reviewer: actor.id.clone(),
            checklist: checklist.clone(),
            comment: String::new(),
            at: d.updated_at.clone(),
        };
        if d.clone().record_review(trial, actor).is_err() {
            continue;
        }
        units.push(context! {
            unit => unit.as_str(),
            checklist => Value::from(Serde(&checklist)),
            comment => current.map(|r| r.comment.clone()).unwrap_or_default(),
        });
    }
    let decided_licence = d
        .recommendation
        .as_ref()
        .map(|r| r.licence.to_string())
        .or_else(|| advice.licence.clone())
        .unwrap_or_default();
    let slug = match &d.project {
        Some(ProjectLink::Catalogue(s)) => s.to_string(),
        _ => Slug::from_name(&d.title)
            .map(|s| s.to_string())
            .unwrap_or_default(),
    };
    let mut r = render(
        s,
        "disclosure.html",
        context! {
            d => Value::from(Serde(d)),
            office => match d.office() { ospo_core::Office::Ospo => "the OSPO", ospo_core::Office::Kt => "Knowledge Transfer" },
            steps,
            advice => Value::from(Serde(&advice)),
            reason_lines => advice.reason_lines(),
            units,
            decided_licence,
            slug,
            is_submitter => actor.id == d.submitter,
            notice,
            message,
        },
    );
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

async fn show(
    State(s): State<AppState>,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<BTreeMap<String, String>>,
    session: Option<axum::Extension<Session>>,
) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in(&format!("/disclosures/{id}"));
    };
    let notice = match (q.get("saved"), q.get("done").map(String::as_str)) {
        (Some(_), _) => Some("Saved.".to_owned()),
        (None, Some("review")) => Some("Review saved.".to_owned()),
        (None, Some(step)) if step.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') => {
            Some(format!("Done: {}.", step.replace('-', " ")))
        }
        _ => None,
    };
    match load(&s, &id, &session).await {
        Ok(d) => page(&s, &d, &session, notice.as_deref(), None, StatusCode::OK),
        Err(r) => r,
    }
}

/// The step a form asks for, or what is missing, naming the field.
fn action(pairs: &Pairs, d: &Disclosure) -> Result<DisclosureAction, String> {
    let text = |k: &str| field(pairs, k).trim().replace("\r\n", "\n");
    let licence = |k: &str, label: &str| -> Result<LicenceExpression, String> {
        let l = text(k);
        ospo_licence::Expression::parse(&l).map_err(|e| format!("{label}: {e}"))?;
        LicenceExpression::parse(&l).map_err(|e| format!("{label}: {e}"))
    };
    Ok(match field(pairs, "step") {
        "submit" => DisclosureAction::Submit,
        "withdraw" => DisclosureAction::Withdraw {
            reason: text("reason"),
        },
        "start-review" => DisclosureAction::StartReview,
        "recommend" => {
            let engine = engine_advice(d).licence;
            let chosen = text("licence");
            let licence = if chosen.is_empty() {
                engine
                    .as_deref()
                    .and_then(|l| LicenceExpression::parse(l).ok())
                    .ok_or("Licence: the engine recommends none here; name one and say why")?
            } else {
                licence("licence", "Licence")?
            };
            DisclosureAction::Recommend(Recommendation {
                licence,
                reasons: Vec::new(),
                computed: None,
                override_reason: Some(text("override_reason")).filter(|t| !t.is_empty()),
            })
        }
        "approve" => DisclosureAction::Approve {
            licence: licence("licence", "Licence")?,
        },
        "approve-with-conditions" => DisclosureAction::ApproveWithConditions {
            licence: licence("licence", "Licence")?,
            conditions: text("conditions"),
        },
        "decline" => DisclosureAction::Decline {
            reason: text("reason"),
        },
        "send-to-kt" => DisclosureAction::SendToKt { note: text("note") },
        "publish" => DisclosureAction::Publish {
            project: Slug::parse(&text("project")).map_err(|e| format!("Catalogue entry: {e}"))?,
            licence: match text("licence").as_str() {
                "" => None,
                _ => Some(licence("licence", "Released under")?),
            },
        },
        other => return Err(format!("Unknown step '{other}'")),
    })
}

async fn step(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    session: Option<axum::Extension<Session>>,
    axum::Form(pairs): axum::Form<Pairs>,
) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in(&format!("/disclosures/{id}"));
    };
    if let Err(r) = check_form(&s, &headers, &session.csrf, field(&pairs, "csrf")) {
        return *r;
    }
    let d = match load(&s, &id, &session).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let version: u64 = field(&pairs, "version").parse().unwrap_or(0);
    let done = match action(&pairs, &d) {
        Ok(a) => s
            .catalogue
            .disclosure_step(&session.actor, d.id, version, a, &now())
            .await
            .map_err(|e| refusal(&e)),
        Err(problem) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Not done. {problem}."),
        )),
    };
    match done {
        Ok((d, t)) => see_other(format!("/disclosures/{}?done={}", d.id, t.action.step())),
        Err((status, message)) => page(&s, &d, &session, None, Some(&message), status),
    }
}

async fn review(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    session: Option<axum::Extension<Session>>,
    axum::Form(pairs): axum::Form<Pairs>,
) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in(&format!("/disclosures/{id}"));
    };
    if let Err(r) = check_form(&s, &headers, &session.csrf, field(&pairs, "csrf")) {
        return *r;
    }
    let d = match load(&s, &id, &session).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let unit = match field(&pairs, "unit").parse::<ReviewingUnit>() {
        Ok(u) => u,
        Err(e) => {
            return page(
                &s,
                &d,
                &session,
                None,
                Some(&format!("Not saved. {e}.")),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let mut checklist = d
        .reviews
        .iter()
        .find(|r| r.unit == unit)
        .map(|r| r.checklist.clone())
        .unwrap_or_else(|| unit.default_checklist());
    for (i, item) in checklist.iter_mut().enumerate() {
        item.done = field(&pairs, &format!("done_{i}")) == "on";
        item.comment = field(&pairs, &format!("comment_{i}")).trim().to_owned();
    }
    let version: u64 = field(&pairs, "version").parse().unwrap_or(0);
    let input = ReviewInput {
        unit,
        checklist: Some(checklist),
        comment: field(&pairs, "comment").trim().to_owned(),
    };
    match s
        .catalogue
        .review_disclosure(&session.actor, d.id, version, input, &now())
        .await
    {
        Ok(d) => see_other(format!("/disclosures/{}?done=review", d.id)),
        Err(e) => {
            let (status, message) = refusal(&e);
            page(&s, &d, &session, None, Some(&message), status)
        }
    }
}
