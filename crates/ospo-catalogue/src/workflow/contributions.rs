//! Contribution requests in the database: a developer asks, the OSPO advises.

use super::outbox::{Outgoing, Recipient, write_outbox};
use super::{parse_document, to_document};
use crate::error::CatalogueError;
use crate::store::{Backend, Catalogue, in_transaction, write_audit};
use ospo_core::{
    Action, Actor, AdviceVerdict, Agreement, AuditAction, AuditEntry, ContributionRequest,
    EntityKind, ExternalProject, FieldChange, LicenceExpression, Office, Role, Target, Timestamp,
    ToValue, Value, may,
};
use serde::{Deserialize, Serialize};

type Result<T> = std::result::Result<T, CatalogueError>;

const KIND: &str = "contribution request";

/// A contribution request as the developer sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ContributionDraft {
    /// The external project: name, URL, whether it serves fields outside physics.
    pub project: ExternalProject,
    /// Its licence.
    #[serde(default)]
    pub licence: Option<LicenceExpression>,
    /// What contributors must agree to: `{"type": "none" | "dco" | "cla", ...}`.
    #[serde(default)]
    pub agreement: Agreement,
    /// Whether the project asks contributors to assign their copyright.
    #[serde(default)]
    pub copyright_assignment: bool,
    /// The hosting platform's terms that apply, if relevant.
    #[serde(default)]
    pub platform_terms: Option<String>,
    /// What the developer wants to contribute.
    #[serde(default)]
    pub description: String,
    /// A feature or sustained work (counted in the yearly report), rather than a small fix.
    #[serde(default)]
    pub significant: bool,
}

/// Which contribution requests to list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContributionFilter {
    /// Only the actor's own.
    pub mine: bool,
    /// Only those still waiting for advice.
    pub pending: bool,
}

fn messages(r: &ContributionRequest, event: &'static str, to: Recipient) -> Outgoing {
    let (subject, body) = match &r.advice {
        Some(a) => (
            format!(
                "Contribution request #{} to {}: {}",
                r.id, r.project.name, a.verdict
            ),
            format!(
                "The OSPO advises {} on your request #{} to contribute to {} ({}).\n\n{}\n",
                a.verdict, r.id, r.project.name, r.project.url, a.text
            ),
        ),
        None => (
            format!(
                "Contribution request #{} to {} by {}",
                r.id, r.project.name, r.requester
            ),
            format!(
                "{} asks to contribute to {} ({}).\n\n{}\n\nAdvise at /contributions/{}\n",
                r.requester, r.project.name, r.project.url, r.description, r.id
            ),
        ),
    };
    Outgoing {
        event,
        entity_kind: "contribution",
        entity_id: r.id,
        recipient: to,
        subject,
        body,
        payload: serde_json::json!({
            "event": event,
            "contribution": r.id,
            "requester": r.requester,
            "project": r.project,
            "significant": r.significant,
            "advice": r.advice,
            "url": format!("/contributions/{}", r.id),
        }),
    }
}

impl Catalogue {
    /// Files a contribution request in `actor`'s name.
    pub async fn request_contribution(
        &self,
        actor: &Actor,
        draft: ContributionDraft,
        at: &Timestamp,
    ) -> Result<ContributionRequest> {
        may(
            actor,
            Action::RequestContribution,
            &Target::Contribution {
                requester: &actor.id,
            },
        )?;
        let mut r = ContributionRequest {
            id: 0,
            requester: actor.id.clone(),
            project: draft.project,
            licence: draft.licence,
            agreement: draft.agreement,
            copyright_assignment: draft.copyright_assignment,
            platform_terms: draft.platform_terms,
            description: draft.description,
            significant: draft.significant,
            advice: None,
            created_at: at.clone(),
            version: 1,
        };
        let problems = r.problems();
        if !problems.is_empty() {
            return Err(CatalogueError::Rejected {
                what: "contribution request",
                problems,
            });
        }
        let id = in_transaction!(self, tx, is_pg => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO contribution_requests (version, requester, project_name, outside_physics, significant, created_at, document) VALUES (1, $1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&r.requester)
            .bind(&r.project.name)
            .bind(r.project.outside_physics)
            .bind(r.significant)
            .bind(at.to_string())
            .bind(to_document(KIND, 0, &r)?)
            .fetch_one(&mut *tx)
            .await?;
            r.id = id as u64;
            sqlx::query("UPDATE contribution_requests SET document = $1 WHERE id = $2")
                .bind(to_document(KIND, r.id, &r)?)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Contribution,
                entity_id: id.to_string(),
                action: AuditAction::Create,
                changes: vec![FieldChange::new(
                    "project",
                    Value::Null,
                    r.project.name.to_value(),
                )],
                comment: String::new(),
            };
            write_audit!(tx, &entry);
            let out = [messages(&r, "contribution.created", Recipient::Office(Office::Ospo))];
            write_outbox!(tx, at, &out);
            id as u64
        });
        r.id = id;
        Ok(r)
    }

    /// A contribution request, if `actor` may read it (its requester, OSPO members).
    pub async fn contribution(&self, actor: &Actor, id: u64) -> Result<ContributionRequest> {
        let sql = "SELECT version, document FROM contribution_requests WHERE id = $1";
        let row: Option<(i64, String)> = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_as(sql)
                    .bind(id as i64)
                    .fetch_optional(pool)
                    .await?
            }
            Backend::Postgres(pool) => {
                sqlx::query_as(sql)
                    .bind(id as i64)
                    .fetch_optional(pool)
                    .await?
            }
        };
        let Some((version, doc)) = row else {
            return Err(CatalogueError::NoSuch { kind: KIND, id });
        };
        let mut r: ContributionRequest = parse_document(KIND, id, &doc)?;
        r.id = id;
        r.version = version as u64;
        may(
            actor,
            Action::Read,
            &Target::Contribution {
                requester: &r.requester,
            },
        )?;
        Ok(r)
    }

    /// The contribution requests `actor` may see that match `filter`, newest first.
    pub async fn contributions(
        &self,
        actor: &Actor,
        filter: ContributionFilter,
    ) -> Result<Vec<ContributionRequest>> {
        if !actor.is_signed_in() {
            return Err(CatalogueError::Denied(ospo_core::Denied {
                actor: actor.id.clone(),
                action: Action::Read,
                target: "contribution requests".into(),
                reason: "sign in to see contribution requests".into(),
                anonymous: true,
            }));
        }
        let own_only = filter.mine || !actor.has_role(Role::OspoMember);
        let sql = format!(
            "SELECT id, version, document FROM contribution_requests WHERE ($1 = '' OR requester = $1){} ORDER BY id DESC",
            if filter.pending {
                " AND verdict IS NULL"
            } else {
                ""
            }
        );
        let who = if own_only {
            actor.id.clone()
        } else {
            String::new()
        };
        let rows: Vec<(i64, i64, String)> = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(who)
                    .fetch_all(pool)
                    .await?
            }
            Backend::Postgres(pool) => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(who)
                    .fetch_all(pool)
                    .await?
            }
        };
        rows.into_iter()
            .map(|(id, version, doc)| {
                let mut r: ContributionRequest = parse_document(KIND, id as u64, &doc)?;
                r.id = id as u64;
                r.version = version as u64;
                Ok(r)
            })
            .collect()
    }

    /// Records the OSPO's advice on request `id` (replacing earlier advice); `version` is the
    /// version advised on. Only OSPO members may advise.
    pub async fn advise_contribution(
        &self,
        actor: &Actor,
        id: u64,
        version: u64,
        verdict: AdviceVerdict,
        text: &str,
        at: &Timestamp,
    ) -> Result<ContributionRequest> {
        in_transaction!(self, tx, is_pg => {
            let row: Option<(i64, String)> = sqlx::query_as("SELECT version, document FROM contribution_requests WHERE id = $1")
                .bind(id as i64)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((current, doc)) = row else {
                return Err(CatalogueError::NoSuch { kind: KIND, id });
            };
            let mut r: ContributionRequest = parse_document(KIND, id, &doc)?;
            r.id = id;
            r.version = current as u64;
            let old = r.advice.as_ref().map(|a| a.verdict).to_value();
            r.advise(verdict, text.trim(), actor, at.clone())?;
            if r.version != version {
                return Err(CatalogueError::Conflict { kind: KIND, id, expected: version, current: r.version });
            }
            let problems = r.problems();
            if !problems.is_empty() {
                return Err(CatalogueError::Rejected { what: "advice", problems });
            }
            r.version = version + 1;
            let done = sqlx::query("UPDATE contribution_requests SET version = $1, verdict = $2, advised_at = $3, document = $4 WHERE id = $5 AND version = $6")
                .bind(r.version as i64)
                .bind(verdict.as_str())
                .bind(at.to_string())
                .bind(to_document(KIND, id, &r)?)
                .bind(id as i64)
                .bind(version as i64)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(CatalogueError::Conflict { kind: KIND, id, expected: version, current: version + 1 });
            }
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Contribution,
                entity_id: id.to_string(),
                action: AuditAction::Update,
                changes: vec![FieldChange::new("advice", old, verdict.to_value())],
                comment: text.trim().to_owned(),
            };
            write_audit!(tx, &entry);
            let out = [messages(&r, "contribution.advice", Recipient::Account(r.requester.clone()))];
            write_outbox!(tx, at, &out);
            Ok(r)
        })
    }

    /// The audit log of contribution request `id`, for those who may read it.
    pub async fn contribution_audit(&self, actor: &Actor, id: u64) -> Result<Vec<AuditEntry>> {
        self.contribution(actor, id).await?;
        self.entity_audit(EntityKind::Contribution, &id.to_string())
            .await
    }
}
