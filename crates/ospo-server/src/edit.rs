//! Editing a project in the browser: maintainers edit the projects they maintain, OSPO members
//! curate all. The form carries the version it was loaded at: a save over a newer version is
//! refused (never merged silently) and the person's text is shown again, nothing lost.

use crate::AppState;
use crate::auth::check_form;
use crate::pages::{error_page, render};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::context;
use ospo_catalogue::{CatalogueError, Session, now};
use ospo_core::{
    Action, DevelopmentStatus, LicenceExpression, Project, Slug, Target, Url, UseCase, may,
};
use serde::{Deserialize, Serialize};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/projects/{slug}/edit", get(form).post(save))
}

/// The editable fields, as the form sends them.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct Fields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    licence: String,
    #[serde(default)]
    homepage: String,
    #[serde(default)]
    repository: String,
    #[serde(default)]
    documentation: String,
    #[serde(default)]
    issue_tracker: String,
    #[serde(default)]
    status: String,
    /// Comma-separated.
    #[serde(default)]
    topics: String,
    /// Comma-separated.
    #[serde(default)]
    languages: String,
    /// One per line, `domain: what it does there`.
    #[serde(default)]
    use_cases: String,
    /// Why, for the audit log.
    #[serde(default)]
    comment: String,
    #[serde(default)]
    version: u64,
    #[serde(default)]
    csrf: String,
}

impl Fields {
    fn of(p: &Project) -> Fields {
        let url = |u: &Option<Url>| u.as_ref().map(|u| u.to_string()).unwrap_or_default();
        Fields {
            name: p.name.clone(),
            summary: p.summary.clone(),
            description: p.description.clone(),
            licence: p
                .licence
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default(),
            homepage: url(&p.homepage),
            repository: url(&p.repository),
            documentation: url(&p.documentation),
            issue_tracker: url(&p.issue_tracker),
            status: p.status.map(|s| s.to_string()).unwrap_or_default(),
            topics: p.topics.join(", "),
            languages: p.languages.join(", "),
            use_cases: p
                .use_cases
                .iter()
                .map(|u| format!("{}: {}", u.domain, u.text))
                .collect::<Vec<_>>()
                .join("\n"),
            comment: String::new(),
            version: p.version,
            csrf: String::new(),
        }
    }

    /// Applies the fields to the stored project; the first problem is named with its field.
    fn apply(&self, mut p: Project) -> Result<Project, String> {
        let url = |field: &str, v: &str| -> Result<Option<Url>, String> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            Url::parse(v).map(Some).map_err(|e| format!("{field}: {e}"))
        };
        let list = |v: &str| -> Vec<String> {
            v.split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect()
        };
        p.name = self.name.trim().to_owned();
        p.summary = self.summary.trim().to_owned();
        p.description = self.description.trim().replace("\r\n", "\n");
        p.licence = match self.licence.trim() {
            "" => None,
            l => {
                ospo_licence::Expression::parse(l).map_err(|e| format!("Licence: {e}"))?;
                Some(LicenceExpression::parse(l).map_err(|e| format!("Licence: {e}"))?)
            }
        };
        p.homepage = url("Homepage", &self.homepage)?;
        p.repository = url("Repository", &self.repository)?;
        p.documentation = url("Documentation", &self.documentation)?;
        p.issue_tracker = url("Issue tracker", &self.issue_tracker)?;
        p.status = match self.status.trim() {
            "" => None,
            s => Some(
                s.parse::<DevelopmentStatus>()
                    .map_err(|e| format!("Status: {e}"))?,
            ),
        };
        p.topics = list(&self.topics);
        p.languages = list(&self.languages);
        p.use_cases = self
            .use_cases
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (domain, text) = l.split_once(':').ok_or_else(|| {
                    format!("Uses outside physics: '{l}': write 'domain: what it does there'")
                })?;
                Ok(UseCase {
                    domain: domain.trim().to_owned(),
                    text: text.trim().to_owned(),
                })
            })
            .collect::<Result<_, String>>()?;
        p.version = self.version;
        p.validate().map_err(|e| e.to_string())?;
        Ok(p)
    }
}

const STATUSES: &[&str] = &["concept", "development", "beta", "stable", "obsolete"];

fn sign_in_first(slug: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            format!("/login?next=/projects/{slug}/edit"),
        )],
    )
        .into_response()
}

fn page(
    s: &AppState,
    project: &Project,
    fields: &Fields,
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let mut r = render(
        s,
        "edit.html",
        context! {
            project => minijinja::Value::from(minijinja::value::Serde(project)),
            fields => minijinja::Value::from(minijinja::value::Serde(fields)),
            statuses => STATUSES.to_vec(),
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

/// Loads the project and checks the signed-in person may edit it.
async fn editable(s: &AppState, slug: &str, session: &Session) -> Result<Project, Response> {
    let project = match s.catalogue.get(slug).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            return Err(error_page(
                s,
                StatusCode::NOT_FOUND,
                "There is no such project in the catalogue.",
            ));
        }
        Err(_) => {
            return Err(error_page(
                s,
                StatusCode::INTERNAL_SERVER_ERROR,
                "The catalogue is not available.",
            ));
        }
    };
    let slug: &Slug = &project.slug;
    if let Err(denied) = may(&session.actor, Action::EditProject, &Target::Project(slug)) {
        return Err(error_page(
            s,
            StatusCode::FORBIDDEN,
            &format!("You may not edit {}: {}.", project.name, denied.reason),
        ));
    }
    Ok(project)
}

async fn form(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    session: Option<axum::Extension<Session>>,
) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in_first(&slug);
    };
    match editable(&s, &slug, &session).await {
        Ok(project) => page(&s, &project, &Fields::of(&project), None, StatusCode::OK),
        Err(r) => r,
    }
}

async fn save(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    session: Option<axum::Extension<Session>>,
    form: Result<axum::Form<Fields>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Some(axum::Extension(session)) = session else {
        return sign_in_first(&slug);
    };
    let fields = match form {
        Ok(axum::Form(f)) => f,
        Err(e) => return error_page(&s, StatusCode::BAD_REQUEST, &e.body_text()),
    };
    if let Err(r) = check_form(&s, &headers, &session.csrf, &fields.csrf) {
        return *r;
    }
    let stored = match editable(&s, &slug, &session).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let edited = match fields.apply(stored.clone()) {
        Ok(p) => p,
        Err(problem) => {
            return page(
                &s,
                &stored,
                &fields,
                Some(&format!("Not saved. {problem}")),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match s
        .catalogue
        .update(&session.actor, edited, &now(), fields.comment.trim())
        .await
    {
        Ok(saved) => (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/projects/{}?saved={}", saved.slug, saved.version),
            )],
        )
            .into_response(),
        Err(CatalogueError::Stale { current, .. }) => {
            // Keep what they typed; the next save applies it over the newer version knowingly.
            let mut kept = fields.clone();
            kept.version = current;
            page(
                &s,
                &stored,
                &kept,
                Some(&format!(
                    "Not saved: someone else saved this project meanwhile (it is now at version {current}). \
                     Your text is kept below; compare it with the project page and save again to replace theirs."
                )),
                StatusCode::CONFLICT,
            )
        }
        Err(CatalogueError::Denied(d)) => error_page(
            &s,
            StatusCode::FORBIDDEN,
            &format!("You may not edit {}: {}.", stored.name, d.reason),
        ),
        Err(e @ (CatalogueError::Invalid { .. } | CatalogueError::Licence { .. })) => page(
            &s,
            &stored,
            &fields,
            Some(&format!("Not saved. {e}")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(_) => error_page(
            &s,
            StatusCode::INTERNAL_SERVER_ERROR,
            "The catalogue is not available; nothing was saved.",
        ),
    }
}
