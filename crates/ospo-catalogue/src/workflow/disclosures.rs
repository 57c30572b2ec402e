//! Disclosures in the database: drafts, steps of the workflow, reviews, the review queues.

use super::outbox::{Outgoing, Recipient, write_outbox};
use super::recommend::engine_advice;
use super::{parse_document, to_document};
use crate::error::CatalogueError;
use crate::facets::{body_text, facet_values};
use crate::store::{
    Backend, Catalogue, bump_generation, check_project, in_transaction, write_audit, write_project,
};
use ospo_core::disclosure::{
    Ambitions, ChecklistItem, Contributor, DependencySummary, Ownership, Risks,
};
use ospo_core::{
    Action, Actor, AuditAction, AuditEntry, Disclosure, DisclosureAction, DisclosureState,
    EntityKind, FieldChange, LicenceExpression, Office, Project, ProjectKind, ProjectLink,
    Provenance, Review, ReviewingUnit, Role, Target, Timestamp, ToValue, Transition, UseCase,
    ValidationError, Value, may,
};
use serde::{Deserialize, Serialize};

type Result<T> = std::result::Result<T, CatalogueError>;

const KIND: &str = "disclosure";

/// The fields of a disclosure its submitter writes; everything else (state, history, reviews,
/// recommendation) belongs to the workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DisclosureDraft {
    /// A short title.
    pub title: String,
    /// Software, hardware or both (hardware and both go to Knowledge Transfer).
    pub kind: Option<ProjectKind>,
    /// The work: `{"repository": "https://..."}` or `{"catalogue": "slug"}`.
    #[serde(default)]
    pub project: Option<ProjectLink>,
    /// Why publish, for whom, any commercial interest, the preferred kind of licence.
    #[serde(default)]
    pub ambitions: Ambitions,
    /// Who wrote the work, with their affiliations.
    #[serde(default)]
    pub contributors: Vec<Contributor>,
    /// Copyright, agreements, third-party parts, funding.
    #[serde(default)]
    pub ownership: Ownership,
    /// The dependencies, summarised from a scan or an SBOM.
    #[serde(default)]
    pub dependencies: DependencySummary,
    /// The licence the submitter has in mind.
    #[serde(default)]
    pub intended_licence: Option<LicenceExpression>,
    /// Legal, reputational, safety and security, export-control risks.
    #[serde(default)]
    pub risks: Risks,
    /// Uses outside physics.
    #[serde(default)]
    pub uses_outside_physics: Vec<UseCase>,
}

impl DisclosureDraft {
    /// Copies the draft's fields into `d`.
    fn apply_to(self, d: &mut Disclosure) {
        d.title = self.title;
        if let Some(kind) = self.kind {
            d.kind = kind;
        }
        d.project = self.project;
        d.ambitions = self.ambitions;
        d.contributors = self.contributors;
        d.ownership = self.ownership;
        d.dependencies = self.dependencies;
        d.intended_licence = self.intended_licence;
        d.risks = self.risks;
        d.uses_outside_physics = self.uses_outside_physics;
    }

    /// The draft's fields of a stored disclosure (to edit it).
    pub fn of(d: &Disclosure) -> DisclosureDraft {
        DisclosureDraft {
            title: d.title.clone(),
            kind: Some(d.kind),
            project: d.project.clone(),
            ambitions: d.ambitions.clone(),
            contributors: d.contributors.clone(),
            ownership: d.ownership.clone(),
            dependencies: d.dependencies.clone(),
            intended_licence: d.intended_licence.clone(),
            risks: d.risks.clone(),
            uses_outside_physics: d.uses_outside_physics.clone(),
        }
    }
}

/// A unit's review as a reviewer sends it; the reviewer and the time are the catalogue's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// The reviewing unit: ospo, it, kt or legal.
    pub unit: ReviewingUnit,
    /// The unit's checklist with what is done and remarks; default: the unit's standard
    /// checklist, all open.
    #[serde(default)]
    pub checklist: Option<Vec<ChecklistItem>>,
    /// General comments.
    #[serde(default)]
    pub comment: String,
}

/// Which disclosures to list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DisclosureFilter {
    /// Only the actor's own requests.
    pub mine: bool,
    /// Only the open requests waiting for the offices the actor works for (the review queue).
    pub queue: bool,
    /// Only requests in this state.
    pub state: Option<DisclosureState>,
}

/// A disclosure as listed in queues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DisclosureSummary {
    /// Its number.
    pub id: u64,
    /// Its title.
    pub title: String,
    /// Software, hardware or both.
    pub kind: String,
    /// Where it is in the workflow.
    pub state: String,
    /// The office handling it: ospo or kt.
    pub office: String,
    /// The submitter's account id.
    pub submitter: String,
    /// When it was submitted, if it was.
    pub submitted_at: Option<String>,
    /// When it last changed.
    pub updated_at: String,
    /// Its version.
    pub version: u64,
    /// The catalogue entry, once published.
    pub catalogue_entry: Option<String>,
}

fn office_name(office: Office) -> &'static str {
    match office {
        Office::Ospo => "ospo",
        Office::Kt => "kt",
    }
}

fn rejected(what: &'static str, problems: Vec<ValidationError>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CatalogueError::Rejected { what, problems })
    }
}

/// The licence a published work carries: the one given at publication, else the approved
/// one, else the recommended one, else the one the submitter intended.
fn released_licence(
    d: &Disclosure,
    given: Option<&LicenceExpression>,
) -> Option<LicenceExpression> {
    if let Some(l) = given {
        return Some(l.clone());
    }
    let approved = d.history.iter().rev().find_map(|t| match &t.action {
        DisclosureAction::Approve { licence }
        | DisclosureAction::ApproveWithConditions { licence, .. } => Some(licence.clone()),
        _ => None,
    });
    approved
        .or_else(|| d.recommendation.as_ref().map(|r| r.licence.clone()))
        .or_else(|| d.intended_licence.clone())
}

/// Who hears of a transition: always the submitter; the OSPO when the request lands with it
/// or leaves it; KT when it is sent there or KT decided.
fn recipients(d: &Disclosure, t: &Transition, actor: &Actor) -> Vec<Recipient> {
    let mut out = vec![Recipient::Account(d.submitter.clone())];
    let ospo_involved = matches!(
        t.to,
        DisclosureState::Submitted | DisclosureState::Published
    ) || (t.to == DisclosureState::Withdrawn
        && t.from != DisclosureState::Draft)
        || (t.from == DisclosureState::SentToKt && actor.has_role(Role::KtReviewer));
    if ospo_involved {
        out.push(Recipient::Office(Office::Ospo));
    }
    if t.to == DisclosureState::SentToKt || t.from == DisclosureState::SentToKt {
        out.push(Recipient::Office(Office::Kt));
    }
    out
}

fn transition_messages(d: &Disclosure, t: &Transition, actor: &Actor) -> Vec<Outgoing> {
    let comment = t.action.comment();
    let subject = format!(
        "Disclosure #{} \"{}\": {} → {}",
        d.id, d.title, t.from, t.to
    );
    let mut body = format!(
        "Disclosure #{} \"{}\" ({}) moved from {} to {} ({} by {} at {}).\n",
        d.id,
        d.title,
        d.kind,
        t.from,
        t.to,
        t.action.step(),
        actor.name,
        t.at
    );
    if !comment.is_empty() {
        body.push_str(&format!("\n{comment}\n"));
    }
    body.push_str(&format!("\nFollow it at /disclosures/{}\n", d.id));
    let payload = serde_json::json!({
        "event": "disclosure.transition",
        "disclosure": d.id,
        "title": d.title,
        "kind": d.kind,
        "from": t.from,
        "to": t.to,
        "step": t.action.step(),
        "actor": t.actor,
        "at": t.at,
        "comment": comment,
        "office": office_name(d.office()),
        "url": format!("/disclosures/{}", d.id),
    });
    recipients(d, t, actor)
        .into_iter()
        .map(|recipient| Outgoing {
            event: "disclosure.transition",
            entity_kind: KIND,
            entity_id: d.id,
            recipient,
            subject: subject.clone(),
            body: body.clone(),
            payload: payload.clone(),
        })
        .collect()
}

/// Loads a disclosure (version and document) inside a transaction.
macro_rules! load_disclosure {
    ($tx:ident, $id:expr) => {{
        let id: u64 = $id;
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT version, document FROM disclosures WHERE id = $1")
                .bind(id as i64)
                .fetch_optional(&mut *$tx)
                .await?;
        let Some((version, doc)) = row else {
            return Err(CatalogueError::NoSuch { kind: KIND, id });
        };
        let mut d: Disclosure = parse_document(KIND, id, &doc)?;
        d.id = id;
        d.version = version as u64;
        d
    }};
}

/// Writes a changed disclosure back, claiming the version it was read at.
macro_rules! save_disclosure {
    ($tx:ident, $d:expr, $read_version:expr) => {{
        let d: &Disclosure = $d;
        let read: u64 = $read_version;
        let doc = to_document(KIND, d.id, d)?;
        let done = sqlx::query(
            "UPDATE disclosures SET version = $1, title = $2, kind = $3, state = $4, office = $5, catalogue_entry = $6, updated_at = $7, submitted_at = $8, decided_at = $9, document = $10 WHERE id = $11 AND version = $12",
        )
        .bind(d.version as i64)
        .bind(&d.title)
        .bind(d.kind.as_str())
        .bind(d.state.as_str())
        .bind(office_name(d.office()))
        .bind(d.catalogue_entry.as_ref().map(|s| s.to_string()))
        .bind(d.updated_at.to_string())
        .bind(d.submitted_at().map(ToString::to_string))
        .bind(d.decision().map(|t| t.at.to_string()))
        .bind(doc)
        .bind(d.id as i64)
        .bind(read as i64)
        .execute(&mut *$tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(CatalogueError::Conflict {
                kind: KIND,
                id: d.id,
                expected: read,
                current: read + 1,
            });
        }
    }};
}

fn check_version(d: &Disclosure, expected: u64) -> Result<()> {
    if d.version == expected {
        Ok(())
    } else {
        Err(CatalogueError::Conflict {
            kind: KIND,
            id: d.id,
            expected,
            current: d.version,
        })
    }
}

type SummaryRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
);

fn summary(row: SummaryRow) -> DisclosureSummary {
    DisclosureSummary {
        id: row.0 as u64,
        title: row.1,
        kind: row.2,
        state: row.3,
        office: row.4,
        submitter: row.5,
        submitted_at: row.6,
        updated_at: row.7,
        version: row.8 as u64,
        catalogue_entry: row.9,
    }
}

impl Catalogue {
    /// Stores a new draft by `actor` (a maintainer) and returns it at version 1.
    pub async fn create_disclosure(
        &self,
        actor: &Actor,
        draft: DisclosureDraft,
        at: &Timestamp,
    ) -> Result<Disclosure> {
        let kind = draft.kind.ok_or_else(|| CatalogueError::Rejected {
            what: "disclosure draft",
            problems: vec![ValidationError::Empty {
                field: "kind".into(),
                expected: "software, hardware or both",
            }],
        })?;
        let mut d = Disclosure::new("", kind, actor.id.clone(), at.clone());
        may(actor, Action::SubmitDisclosure, &d.target())?;
        draft.apply_to(&mut d);
        rejected("disclosure draft", d.draft_problems())?;
        d.version = 1;
        let entry_changes = vec![
            FieldChange::new("title", Value::Null, d.title.to_value()),
            FieldChange::new("state", Value::Null, d.state.to_value()),
        ];
        let id = in_transaction!(self, tx, is_pg => {
            let doc = to_document(KIND, 0, &d)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO disclosures (version, title, kind, state, office, submitter, created_at, updated_at, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
            )
            .bind(1i64)
            .bind(&d.title)
            .bind(d.kind.as_str())
            .bind(d.state.as_str())
            .bind(office_name(d.office()))
            .bind(&d.submitter)
            .bind(at.to_string())
            .bind(doc)
            .fetch_one(&mut *tx)
            .await?;
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Disclosure,
                entity_id: id.to_string(),
                action: AuditAction::Create,
                changes: entry_changes,
                comment: String::new(),
            };
            write_audit!(tx, &entry);
            id as u64
        });
        d.id = id;
        Ok(d)
    }

    /// Replaces the submitter's fields of a draft; `version` is the version edited.
    pub async fn edit_disclosure(
        &self,
        actor: &Actor,
        id: u64,
        version: u64,
        draft: DisclosureDraft,
        at: &Timestamp,
    ) -> Result<Disclosure> {
        in_transaction!(self, tx, is_pg => {
            let mut d = load_disclosure!(tx, id);
            may(actor, Action::SubmitDisclosure, &d.target())?;
            check_version(&d, version)?;
            if d.state != DisclosureState::Draft {
                return Err(CatalogueError::NotEditable { id, state: d.state });
            }
            let before = d.clone();
            draft.apply_to(&mut d);
            rejected("disclosure draft", d.draft_problems())?;
            d.version = version + 1;
            d.updated_at = at.clone();
            save_disclosure!(tx, &d, version);
            let mut changes = Vec::new();
            for (field, old, new) in [
                ("title", before.title.to_value(), d.title.to_value()),
                ("kind", before.kind.to_value(), d.kind.to_value()),
                (
                    "intended_licence",
                    before.intended_licence.to_value(),
                    d.intended_licence.to_value(),
                ),
            ] {
                if old != new {
                    changes.push(FieldChange::new(field, old, new));
                }
            }
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Disclosure,
                entity_id: id.to_string(),
                action: AuditAction::Update,
                changes,
                comment: "draft edited".into(),
            };
            write_audit!(tx, &entry);
            Ok(d)
        })
    }

    /// A disclosure, if `actor` may read it (its submitter, OSPO members, KT reviewers).
    pub async fn disclosure(&self, actor: &Actor, id: u64) -> Result<Disclosure> {
        let row: Option<(i64, String)> = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_as("SELECT version, document FROM disclosures WHERE id = $1")
                    .bind(id as i64)
                    .fetch_optional(pool)
                    .await?
            }
            Backend::Postgres(pool) => {
                sqlx::query_as("SELECT version, document FROM disclosures WHERE id = $1")
                    .bind(id as i64)
                    .fetch_optional(pool)
                    .await?
            }
        };
        let Some((version, doc)) = row else {
            return Err(CatalogueError::NoSuch { kind: KIND, id });
        };
        let mut d: Disclosure = parse_document(KIND, id, &doc)?;
        d.id = id;
        d.version = version as u64;
        may(actor, Action::Read, &d.target())?;
        Ok(d)
    }

    /// The disclosures `actor` may see that match `filter`, newest first. Maintainers see only
    /// their own; the queue of an OSPO member holds the open requests with the OSPO (and those
    /// with KT, which the OSPO publishes), a KT reviewer's those with KT.
    pub async fn disclosures(
        &self,
        actor: &Actor,
        filter: DisclosureFilter,
    ) -> Result<Vec<DisclosureSummary>> {
        if !actor.is_signed_in() {
            return Err(CatalogueError::Denied(ospo_core::Denied {
                actor: actor.id.clone(),
                action: Action::Read,
                target: "disclosures".into(),
                reason: "sign in to see disclosures".into(),
                anonymous: true,
            }));
        }
        let reviewer = actor.has_role(Role::OspoMember) || actor.has_role(Role::KtReviewer);
        let mut clauses: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        if filter.mine || !reviewer {
            binds.push(actor.id.clone());
            clauses.push(format!("submitter = ${}", binds.len()));
        }
        if filter.queue {
            let mut states: Vec<&str> = Vec::new();
            if actor.has_role(Role::OspoMember) {
                states.extend([
                    "submitted",
                    "in-review",
                    "recommendation",
                    "approved",
                    "approved-with-conditions",
                    "sent-to-kt",
                ]);
            } else if actor.has_role(Role::KtReviewer) {
                states.push("sent-to-kt");
            }
            let mut marks = Vec::new();
            for s in states {
                binds.push(s.to_owned());
                marks.push(format!("${}", binds.len()));
            }
            if marks.is_empty() {
                clauses.push("1 = 0".into());
            } else {
                clauses.push(format!("state IN ({})", marks.join(", ")));
            }
        }
        if let Some(state) = filter.state {
            binds.push(state.as_str().to_owned());
            clauses.push(format!("state = ${}", binds.len()));
        }
        let sql = format!(
            "SELECT id, title, kind, state, office, submitter, submitted_at, updated_at, version, catalogue_entry FROM disclosures{} ORDER BY id DESC",
            if clauses.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", clauses.join(" AND "))
            }
        );
        let rows: Vec<SummaryRow> = match &self.backend {
            Backend::Sqlite(pool) => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for b in &binds {
                    q = q.bind(b);
                }
                q.fetch_all(pool).await?
            }
            Backend::Postgres(pool) => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for b in &binds {
                    q = q.bind(b);
                }
                q.fetch_all(pool).await?
            }
        };
        Ok(rows.into_iter().map(summary).collect())
    }

    /// Takes a step of the workflow on disclosure `id` as `actor`; `version` is the version
    /// the step was decided on. The model checks the step and the roles; the new state, the
    /// transition, its audit entry and its notifications are written in one transaction.
    ///
    /// A `recommend` step records the engine's licence as `computed` (whatever the caller
    /// sent), so an override always shows what it departs from and needs a reason. A
    /// `publish` step creates the catalogue entry, or links it when the slug exists.
    pub async fn disclosure_step(
        &self,
        actor: &Actor,
        id: u64,
        version: u64,
        action: DisclosureAction,
        at: &Timestamp,
    ) -> Result<(Disclosure, Transition)> {
        let mut action = action;
        let mut created_project = false;
        let out = in_transaction!(self, tx, is_pg => {
            let mut d = load_disclosure!(tx, id);
            if let DisclosureAction::Recommend(r) = &mut action {
                let advice = engine_advice(&d);
                r.computed = advice
                    .licence
                    .as_deref()
                    .and_then(|l| LicenceExpression::parse(l).ok());
                if r.reasons.is_empty() && r.computed.as_ref() == Some(&r.licence) {
                    r.reasons = advice.reason_lines();
                }
                if r.computed.as_ref() == Some(&r.licence) {
                    r.override_reason = None;
                }
            }
            // Refuse what the model refuses before looking at versions: a wrong role or an
            // impossible step is the answer even to a stale page.
            d.transition(&action, actor)?;
            check_version(&d, version)?;
            let publish = match &action {
                DisclosureAction::Publish { project, licence } => {
                    Some((project.clone(), released_licence(&d, licence.as_ref())))
                }
                _ => None,
            };
            let t = d.apply(action.clone(), actor, at.clone())?;
            if let Some((slug, licence)) = publish {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT version FROM projects WHERE slug = $1")
                        .bind(slug.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    may(actor, Action::CreateProject, &Target::Catalogue)?;
                    let mut p = Project::new(slug.clone(), d.title.clone(), d.kind, at.clone());
                    p.licence = licence;
                    if let Some(ProjectLink::Repository(url)) = &d.project {
                        p.repository = Some(url.clone());
                    }
                    p.summary = d.ambitions.why.chars().take(500).collect::<String>().trim().to_owned();
                    p.use_cases = d.uses_outside_physics.clone();
                    p.funding = d.ownership.funding.clone();
                    p.version = 1;
                    let origin = Provenance::for_actor(actor);
                    let empty = Project::new(slug.clone(), "", d.kind, at.clone());
                    p.record_edit(&empty, &origin);
                    check_project(&p)?;
                    write_project!(tx, is_pg, &p, true);
                    let entry = AuditEntry {
                        actor: actor.id.clone(),
                        at: at.clone(),
                        entity_kind: EntityKind::Project,
                        entity_id: slug.to_string(),
                        action: AuditAction::Create,
                        changes: empty.diff(&p),
                        comment: format!("published from disclosure {id}"),
                    };
                    write_audit!(tx, &entry);
                    bump_generation!(tx);
                    created_project = true;
                }
            }
            d.version = version + 1;
            save_disclosure!(tx, &d, version);
            sqlx::query(
                "INSERT INTO disclosure_transitions (disclosure_id, from_state, to_state, step, actor, at, action) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id as i64)
            .bind(t.from.as_str())
            .bind(t.to.as_str())
            .bind(t.action.step().as_str())
            .bind(&t.actor)
            .bind(t.at.to_string())
            .bind(to_document(KIND, id, &t.action)?)
            .execute(&mut *tx)
            .await?;
            write_audit!(tx, &t.audit_entry(id));
            let messages = transition_messages(&d, &t, actor);
            write_outbox!(tx, at, &messages);
            Ok((d, t))
        });
        if created_project {
            self.invalidate();
        }
        out
    }

    /// Records a unit's review of disclosure `id` (replacing the unit's earlier one);
    /// `version` is the version reviewed.
    pub async fn review_disclosure(
        &self,
        actor: &Actor,
        id: u64,
        version: u64,
        input: ReviewInput,
        at: &Timestamp,
    ) -> Result<Disclosure> {
        let checklist = input
            .checklist
            .unwrap_or_else(|| input.unit.default_checklist());
        let mut problems = Vec::new();
        for (i, item) in checklist.iter().enumerate() {
            if item.item.trim().is_empty() {
                problems.push(ValidationError::Empty {
                    field: format!("checklist[{i}].item"),
                    expected: "what to check",
                });
            }
            if item.comment.chars().count() > 2000 {
                problems.push(ValidationError::TooLong {
                    field: format!("checklist[{i}].comment"),
                    max: 2000,
                    actual: item.comment.chars().count(),
                });
            }
        }
        if input.comment.chars().count() > 5000 {
            problems.push(ValidationError::TooLong {
                field: "comment".into(),
                max: 5000,
                actual: input.comment.chars().count(),
            });
        }
        rejected("review", problems)?;
        let review = Review {
            unit: input.unit,
            reviewer: actor.id.clone(),
            checklist,
            comment: input.comment,
            at: at.clone(),
        };
        in_transaction!(self, tx, is_pg => {
            let mut d = load_disclosure!(tx, id);
            let progress = |r: Option<&Review>| match r {
                None => Value::Null,
                Some(r) => Value::Text(format!(
                    "{}/{} done",
                    r.checklist.iter().filter(|i| i.done).count(),
                    r.checklist.len()
                )),
            };
            let old = progress(d.reviews.iter().find(|r| r.unit == review.unit));
            d.record_review(review.clone(), actor)?;
            check_version(&d, version)?;
            d.version = version + 1;
            d.updated_at = at.clone();
            save_disclosure!(tx, &d, version);
            sqlx::query("DELETE FROM disclosure_reviews WHERE disclosure_id = $1 AND unit = $2")
                .bind(id as i64)
                .bind(review.unit.as_str())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO disclosure_reviews (disclosure_id, unit, reviewer, complete, at, review) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id as i64)
            .bind(review.unit.as_str())
            .bind(&review.reviewer)
            .bind(review.is_complete())
            .bind(at.to_string())
            .bind(to_document(KIND, id, &review)?)
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Disclosure,
                entity_id: id.to_string(),
                action: AuditAction::Update,
                changes: vec![FieldChange::new(
                    format!("reviews.{}", review.unit),
                    old,
                    progress(Some(&review)),
                )],
                comment: review.comment.clone(),
            };
            write_audit!(tx, &entry);
            Ok(d)
        })
    }

    /// The audit log of disclosure `id`, oldest first, for those who may read it.
    pub async fn disclosure_audit(&self, actor: &Actor, id: u64) -> Result<Vec<AuditEntry>> {
        self.disclosure(actor, id).await?;
        self.entity_audit(EntityKind::Disclosure, &id.to_string())
            .await
    }

    /// The audit entries of one entity, oldest first.
    pub(crate) async fn entity_audit(&self, kind: EntityKind, id: &str) -> Result<Vec<AuditEntry>> {
        let sql =
            "SELECT entry FROM audit_log WHERE entity_kind = $1 AND entity_id = $2 ORDER BY id";
        let rows: Vec<(String,)> = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_as(sql)
                    .bind(kind.as_str())
                    .bind(id)
                    .fetch_all(pool)
                    .await?
            }
            Backend::Postgres(pool) => {
                sqlx::query_as(sql)
                    .bind(kind.as_str())
                    .bind(id)
                    .fetch_all(pool)
                    .await?
            }
        };
        rows.iter()
            .map(|(e,)| {
                serde_json::from_str(e).map_err(|err| CatalogueError::Corrupt {
                    slug: format!("audit log of {kind} {id}"),
                    message: err.to_string(),
                })
            })
            .collect()
    }
}
