//! Disclosures: a lab developer's request to publish their work as open source, and the
//! workflow that reviews, decides and publishes it.
//!
//! ```text
//! draft ──submit──▶ submitted ──start-review──▶ in-review ──recommend──▶ recommendation
//!   (hardware and both: draft ──submit──▶ sent-to-kt)
//! recommendation ──approve─────────────────▶ approved ─────────────────┐
//!                ──approve-with-conditions─▶ approved-with-conditions ─┼─publish─▶ published
//!                ──send-to-kt──────────────▶ sent-to-kt ───────────────┘
//!                ──decline─────────────────▶ declined ◀──decline── sent-to-kt
//!                ──recommend (override)────▶ recommendation
//! draft, submitted, in-review ──withdraw──▶ withdrawn
//! ```
//!
//! Software goes to the OSPO; hardware goes to Knowledge Transfer (KT) on submission, and
//! comes back to the catalogue (`publish`) when KT informs the OSPO of an open-hardware
//! release. Who may take each step is decided by [`crate::access::may`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::access::{Action, Actor, Denied, Office, Role, Target, may};
use crate::address::Url;
use crate::audit::{AuditAction, AuditEntry, EntityKind, FieldChange, ToValue};
use crate::date::Timestamp;
use crate::error::{ValidationError, optional_text, require_text};
use crate::project::{Funding, LicenceExpression, ProjectKind, UseCase};
use crate::slug::Slug;

named_enum! {
    /// Where a disclosure is in the workflow.
    pub enum DisclosureState("state") {
        /// Being written by the submitter.
        Draft => "draft",
        /// Handed to the OSPO, waiting for a reviewer.
        Submitted => "submitted",
        /// Reviewed by the OSPO with IT, KT and legal.
        InReview => "in-review",
        /// A licence recommendation is made; waiting for the decision.
        Recommendation => "recommendation",
        /// Approved for publication under the recommended licence.
        Approved => "approved",
        /// Approved, subject to conditions the submitter must meet.
        ApprovedWithConditions => "approved-with-conditions",
        /// Not to be published.
        Declined => "declined",
        /// With Knowledge Transfer (all hardware, and software with commercial potential).
        SentToKt => "sent-to-kt",
        /// Released; the catalogue entry is created or linked.
        Published => "published",
        /// Withdrawn by the submitter.
        Withdrawn => "withdrawn",
    }
}

impl DisclosureState {
    /// The steps the workflow allows from this state, whoever asks.
    pub fn steps(self) -> &'static [Step] {
        match self {
            Self::Draft => &[Step::Submit, Step::Withdraw],
            Self::Submitted => &[Step::StartReview, Step::Withdraw],
            Self::InReview => &[Step::Recommend, Step::Withdraw],
            Self::Recommendation => &[
                Step::Recommend,
                Step::Approve,
                Step::ApproveWithConditions,
                Step::Decline,
                Step::SendToKt,
            ],
            Self::Approved | Self::ApprovedWithConditions => &[Step::Publish],
            Self::SentToKt => &[Step::Publish, Step::Decline],
            Self::Declined | Self::Published | Self::Withdrawn => &[],
        }
    }

    /// Whether no step leads out of this state.
    pub fn is_closed(self) -> bool {
        self.steps().is_empty()
    }
}

named_enum! {
    /// A step of the workflow, without its details; see [`DisclosureAction`].
    pub enum Step("step") {
        /// Hand the draft to the OSPO (software) or KT (hardware).
        Submit => "submit",
        /// Abandon the request.
        Withdraw => "withdraw",
        /// Take the request into review.
        StartReview => "start-review",
        /// Record the licence recommendation, or override it.
        Recommend => "recommend",
        /// Approve publication.
        Approve => "approve",
        /// Approve publication under conditions.
        ApproveWithConditions => "approve-with-conditions",
        /// Refuse publication.
        Decline => "decline",
        /// Hand the request to Knowledge Transfer.
        SendToKt => "send-to-kt",
        /// Record the release and its catalogue entry.
        Publish => "publish",
    }
}

impl Step {
    /// The permission the step needs (checked with [`crate::access::may`]).
    pub fn permission(self) -> Action {
        match self {
            Self::Submit | Self::Withdraw => Action::SubmitDisclosure,
            Self::Publish => Action::PublishDisclosure,
            _ => Action::ReviewDisclosure,
        }
    }
}

/// The OSPO's licence recommendation: computed by the licence engine from the dependencies and
/// the ambitions, possibly overridden by a reviewer with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recommendation {
    /// The recommended outbound licence.
    pub licence: LicenceExpression,
    /// Why, one reason per line (the engine's reasons, or the reviewer's).
    #[serde(default)]
    pub reasons: Vec<String>,
    /// What the engine computed, when a reviewer chose a different licence.
    #[serde(default)]
    pub computed: Option<LicenceExpression>,
    /// Why the reviewer departed from the engine; required when `computed` differs.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// A step with its details, as sent by a frontend: `{"step": "approve", "licence": "MIT"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum DisclosureAction {
    /// See [`Step::Submit`].
    Submit,
    /// See [`Step::Withdraw`].
    Withdraw {
        /// Why, if the submitter says.
        #[serde(default)]
        reason: String,
    },
    /// See [`Step::StartReview`].
    StartReview,
    /// See [`Step::Recommend`].
    Recommend(Recommendation),
    /// See [`Step::Approve`].
    Approve {
        /// The licence the work is to be published under.
        licence: LicenceExpression,
    },
    /// See [`Step::ApproveWithConditions`].
    ApproveWithConditions {
        /// The licence the work is to be published under.
        licence: LicenceExpression,
        /// What the submitter must do first (remove third-party files, get a partner's consent).
        conditions: String,
    },
    /// See [`Step::Decline`].
    Decline {
        /// Why, for the submitter.
        reason: String,
    },
    /// See [`Step::SendToKt`].
    SendToKt {
        /// What KT should look at.
        #[serde(default)]
        note: String,
    },
    /// See [`Step::Publish`].
    Publish {
        /// The catalogue entry created or linked for the released work.
        project: Slug,
        /// The licence the work was released under, when it differs from the one approved
        /// (hardware that KT released under an open-hardware licence, say).
        #[serde(default)]
        licence: Option<LicenceExpression>,
    },
}

impl DisclosureAction {
    /// The step this action takes.
    pub fn step(&self) -> Step {
        match self {
            Self::Submit => Step::Submit,
            Self::Withdraw { .. } => Step::Withdraw,
            Self::StartReview => Step::StartReview,
            Self::Recommend(_) => Step::Recommend,
            Self::Approve { .. } => Step::Approve,
            Self::ApproveWithConditions { .. } => Step::ApproveWithConditions,
            Self::Decline { .. } => Step::Decline,
            Self::SendToKt { .. } => Step::SendToKt,
            Self::Publish { .. } => Step::Publish,
        }
    }

    /// The free-text part of the action (reason, conditions, note), for the audit log.
    pub fn comment(&self) -> String {
        match self {
            Self::Withdraw { reason } | Self::Decline { reason } => reason.clone(),
            Self::ApproveWithConditions { conditions, .. } => conditions.clone(),
            Self::SendToKt { note } => note.clone(),
            Self::Recommend(r) => r
                .override_reason
                .clone()
                .unwrap_or_else(|| r.reasons.join("\n")),
            Self::Approve { licence } => format!("licence: {licence}"),
            Self::Publish {
                project,
                licence: Some(licence),
            } => format!("catalogue entry: {project}; licence: {licence}"),
            Self::Publish { project, .. } => format!("catalogue entry: {project}"),
            Self::Submit | Self::StartReview => String::new(),
        }
    }

    fn problems(&self) -> Vec<ValidationError> {
        let mut problems = Vec::new();
        match self {
            Self::Decline { reason } => push(&mut problems, require_text("reason", reason, 5000)),
            Self::ApproveWithConditions { conditions, .. } => {
                push(&mut problems, require_text("conditions", conditions, 5000));
            }
            Self::Recommend(r) => {
                for (i, reason) in r.reasons.iter().enumerate() {
                    push(
                        &mut problems,
                        require_text(&format!("reasons[{i}]"), reason, 2000),
                    );
                }
                let overridden = r.computed.as_ref().is_some_and(|c| *c != r.licence);
                let justified = r
                    .override_reason
                    .as_deref()
                    .is_some_and(|t| !t.trim().is_empty());
                if overridden && !justified {
                    problems.push(ValidationError::Empty {
                        field: "override_reason".into(),
                        expected: "why the recommended licence differs from the engine's",
                    });
                }
                if r.reasons.is_empty() && !justified {
                    problems.push(ValidationError::Empty {
                        field: "reasons".into(),
                        expected: "at least one reason for the recommendation",
                    });
                }
            }
            Self::Withdraw { reason } => push(&mut problems, optional_text("reason", reason, 5000)),
            Self::SendToKt { note } => push(&mut problems, optional_text("note", note, 5000)),
            Self::Submit | Self::StartReview | Self::Approve { .. } | Self::Publish { .. } => {}
        }
        problems
    }
}

/// A refused step: not possible from the current state, not allowed for this actor, or
/// missing information.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The workflow does not allow the step from the current state.
    #[error("cannot {step} a disclosure that is {state}; {}", allowed_now(*.state))]
    NotAllowed {
        /// The disclosure's current state.
        state: DisclosureState,
        /// The step asked for.
        step: Step,
        /// The steps the workflow allows from `state`.
        allowed: Vec<Step>,
    },
    /// Reviews are recorded only while the request is under review.
    #[error(
        "reviews can be recorded while a disclosure is in-review, recommendation or sent-to-kt; this one is {state}"
    )]
    NotInReview {
        /// The disclosure's current state.
        state: DisclosureState,
    },
    /// The actor's roles do not allow the step.
    #[error("{denied}; {}", steps_you_may_take(.allowed))]
    Denied {
        /// The refusal, naming who may.
        denied: Denied,
        /// The steps this actor may take now instead.
        allowed: Vec<Step>,
    },
    /// The disclosure or the action lacks information the step needs.
    #[error("cannot {step} yet: {}", join_problems(.problems))]
    Incomplete {
        /// The step asked for.
        step: Step,
        /// What is missing or wrong, each naming its field.
        problems: Vec<ValidationError>,
    },
}

fn allowed_now(state: DisclosureState) -> String {
    let steps = state.steps();
    if steps.is_empty() {
        format!("{state} is final; no further step is possible")
    } else {
        let names: Vec<&str> = steps.iter().map(|s| s.as_str()).collect();
        format!("allowed from {state}: {}", names.join(", "))
    }
}

fn steps_you_may_take(steps: &[Step]) -> String {
    if steps.is_empty() {
        "you may take no step on it now".to_owned()
    } else {
        let names: Vec<&str> = steps.iter().map(|s| s.as_str()).collect();
        format!("you may: {}", names.join(", "))
    }
}

fn join_problems(problems: &[ValidationError]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// One move of the workflow: timestamped, attributed, with the action's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Transition {
    /// The state before.
    pub from: DisclosureState,
    /// The state after.
    pub to: DisclosureState,
    /// The action taken, with its details.
    pub action: DisclosureAction,
    /// The actor's id.
    pub actor: String,
    /// When.
    pub at: Timestamp,
}

impl Transition {
    /// The audit-log entry for this transition of disclosure `id`.
    pub fn audit_entry(&self, id: u64) -> AuditEntry {
        AuditEntry {
            actor: self.actor.clone(),
            at: self.at.clone(),
            entity_kind: EntityKind::Disclosure,
            entity_id: id.to_string(),
            action: AuditAction::Transition,
            changes: vec![FieldChange::new(
                "state",
                self.from.to_value(),
                self.to.to_value(),
            )],
            comment: format!("{}: {}", self.action.step(), self.action.comment())
                .trim_end_matches([':', ' '])
                .to_owned(),
        }
    }
}

/// What the submitter hopes to achieve by publishing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ambitions {
    /// Why publish: collaboration, reuse, visibility, reproducibility.
    #[serde(default)]
    pub why: String,
    /// The community the work is for.
    #[serde(default)]
    pub community: String,
    /// Any commercial interest (partners, spin-offs, licensing); empty if none.
    #[serde(default)]
    pub commercial_interest: String,
    /// How open derived works should stay, if the submitter has a view; the licence
    /// recommendation ranks licences of this kind first.
    #[serde(default)]
    pub preference: Option<LicencePreference>,
}

named_enum! {
    /// The kind of licence the submitter prefers for their work.
    pub enum LicencePreference("preference") {
        /// As few obligations as possible for re-users.
        Permissive => "permissive",
        /// Changes to the work itself stay open; larger works may use other terms.
        WeakCopyleft => "weak-copyleft",
        /// Every derived work stays open.
        StrongCopyleft => "strong-copyleft",
    }
}

/// Where a contributor worked when they contributed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Affiliation {
    /// Staff or fellows of the lab.
    Lab,
    /// A member of an experiment or collaboration (`ATLAS`, `White Rabbit collaboration`).
    Collaboration {
        /// The collaboration's name.
        name: String,
    },
    /// Someone outside the lab (a university, a company).
    External {
        /// The institution's name.
        name: String,
    },
}

/// A person who wrote part of the work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Contributor {
    /// The contributor's name.
    pub name: String,
    /// Where they worked when contributing.
    pub affiliation: Affiliation,
}

/// Who owns the work, which decides who must agree to publish it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ownership {
    /// Whether the lab holds the copyright of the lab staff's contributions.
    #[serde(default)]
    pub lab_copyright: bool,
    /// Collaboration or partner agreements that cover the work.
    #[serde(default)]
    pub agreements: Vec<String>,
    /// Third-party code or designs included, and under what terms; empty if none.
    #[serde(default)]
    pub third_party: String,
    /// Who funded the work.
    #[serde(default)]
    pub funding: Vec<Funding>,
}

/// The work's dependencies, summarised from a scan or an SBOM.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DependencySummary {
    /// The scan or SBOM file this comes from.
    #[serde(default)]
    pub source: Option<String>,
    /// How many components were found.
    #[serde(default)]
    pub components: u32,
    /// Components per licence expression (as normalised by the engine).
    #[serde(default)]
    pub licences: BTreeMap<String, u32>,
    /// Components whose licence could not be determined.
    #[serde(default)]
    pub unknown_licences: u32,
}

named_enum! {
    /// How serious a risk is judged to be.
    #[derive(Default)]
    pub enum RiskLevel("risk.level") {
        /// Not looked at yet.
        #[default]
        Unassessed => "unassessed",
        /// Looked at; no risk found.
        None => "none",
        /// Minor; note it.
        Low => "low",
        /// Needs a measure before publishing.
        Medium => "medium",
        /// Blocks publication unless resolved.
        High => "high",
    }
}

/// One risk: its level and what was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Risk {
    /// How serious.
    #[serde(default)]
    pub level: RiskLevel,
    /// What was found, and the measures taken.
    #[serde(default)]
    pub notes: String,
}

/// The risks of publishing, as the issue's review lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Risks {
    /// Licences, ownership, patents.
    #[serde(default)]
    pub legal: Risk,
    /// Harm to the lab's name.
    #[serde(default)]
    pub reputational: Risk,
    /// Safety of people and equipment; security of the lab's systems (hostnames, credentials).
    #[serde(default)]
    pub safety_security: Risk,
    /// Dual-use and export-control regulations.
    #[serde(default)]
    pub export_control: Risk,
}

impl Risks {
    /// The highest level among the four risks.
    pub fn highest(&self) -> RiskLevel {
        [
            &self.legal,
            &self.reputational,
            &self.safety_security,
            &self.export_control,
        ]
        .into_iter()
        .map(|r| r.level)
        .max()
        .unwrap_or_default()
    }
}

named_enum! {
    /// The unit a review comes from.
    pub enum ReviewingUnit("unit") {
        /// The OSPO itself.
        Ospo => "ospo",
        /// The IT department (security, infrastructure).
        It => "it",
        /// Knowledge Transfer.
        Kt => "kt",
        /// The legal service.
        Legal => "legal",
    }
}

impl ReviewingUnit {
    /// The unit's starting checklist, all items open.
    pub fn default_checklist(self) -> Vec<ChecklistItem> {
        let items: &[&str] = match self {
            Self::Ospo => &[
                "ambitions and target community discussed with the developer",
                "dependencies scanned and their licences known",
                "outbound licence recommended with reasons",
                "uses outside high-energy physics recorded",
            ],
            Self::It => &[
                "no credentials, internal hostnames or personal data in the history",
                "no security-sensitive configuration of lab systems",
            ],
            Self::Kt => &[
                "commercial potential assessed",
                "patents and other intellectual property considered",
            ],
            Self::Legal => &[
                "copyright holders identified and agreements checked",
                "third-party code and licences compatible with the outbound licence",
                "export control checked",
            ],
        };
        items
            .iter()
            .map(|item| ChecklistItem {
                item: (*item).to_owned(),
                done: false,
                comment: String::new(),
            })
            .collect()
    }
}

/// One line of a review checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChecklistItem {
    /// What to check.
    pub item: String,
    /// Whether it is checked.
    #[serde(default)]
    pub done: bool,
    /// The reviewer's remark.
    #[serde(default)]
    pub comment: String,
}

/// A reviewing unit's assessment of a disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Review {
    /// The unit reviewing.
    pub unit: ReviewingUnit,
    /// The reviewer's actor id.
    pub reviewer: String,
    /// The unit's checklist.
    pub checklist: Vec<ChecklistItem>,
    /// General comments.
    #[serde(default)]
    pub comment: String,
    /// When the review was last changed.
    pub at: Timestamp,
}

impl Review {
    /// Whether every checklist item is done.
    pub fn is_complete(&self) -> bool {
        self.checklist.iter().all(|item| item.done)
    }
}

/// The work a disclosure is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ProjectLink {
    /// A repository with the work: `{"repository": "https://..."}`.
    Repository(Url),
    /// A catalogue entry (possibly a draft): `{"catalogue": "slug"}`.
    Catalogue(Slug),
}

/// A request to publish lab work as open source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Disclosure {
    /// The catalogue's number for the request; 0 before it is stored.
    #[serde(default)]
    pub id: u64,
    /// A short title.
    pub title: String,
    /// Software, hardware or both (hardware and both go to KT).
    pub kind: ProjectKind,
    /// The work itself.
    #[serde(default)]
    pub project: Option<ProjectLink>,
    /// The submitter's actor id.
    pub submitter: String,
    /// What publishing should achieve.
    #[serde(default)]
    pub ambitions: Ambitions,
    /// Who wrote the work.
    #[serde(default)]
    pub contributors: Vec<Contributor>,
    /// Copyright, agreements, third-party parts, funding.
    #[serde(default)]
    pub ownership: Ownership,
    /// Dependencies from a scan or SBOM.
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
    /// One review per reviewing unit.
    #[serde(default)]
    pub reviews: Vec<Review>,
    /// The current licence recommendation.
    #[serde(default)]
    pub recommendation: Option<Recommendation>,
    /// The catalogue entry, once published.
    #[serde(default)]
    pub catalogue_entry: Option<Slug>,
    /// Where the request is in the workflow.
    pub state: DisclosureState,
    /// Every transition so far, oldest first.
    #[serde(default)]
    pub history: Vec<Transition>,
    /// When the request was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Incremented by the catalogue on every stored change (optimistic concurrency).
    #[serde(default)]
    pub version: u64,
}

impl Disclosure {
    /// A new draft by `submitter`, created at `at`.
    pub fn new(
        title: impl Into<String>,
        kind: ProjectKind,
        submitter: impl Into<String>,
        at: Timestamp,
    ) -> Self {
        Self {
            id: 0,
            title: title.into(),
            kind,
            project: None,
            submitter: submitter.into(),
            ambitions: Ambitions::default(),
            contributors: Vec::new(),
            ownership: Ownership::default(),
            dependencies: DependencySummary::default(),
            intended_licence: None,
            risks: Risks::default(),
            uses_outside_physics: Vec::new(),
            reviews: Vec::new(),
            recommendation: None,
            catalogue_entry: None,
            state: DisclosureState::Draft,
            history: Vec::new(),
            created_at: at.clone(),
            updated_at: at,
            version: 0,
        }
    }

    /// The office handling the request now: KT once it is sent there, else the OSPO.
    pub fn office(&self) -> Office {
        if self.state == DisclosureState::SentToKt {
            Office::Kt
        } else {
            Office::Ospo
        }
    }

    /// The access target for checks on this request.
    pub fn target(&self) -> Target<'_> {
        Target::Disclosure {
            submitter: &self.submitter,
            office: self.office(),
        }
    }

    /// What is wrong with the draft as it stands (too long, untrimmed, malformed), each
    /// naming its field; unlike [`Disclosure::missing_for_submission`], empty fields are fine
    /// except the title. Checked on every save of a draft.
    pub fn draft_problems(&self) -> Vec<ValidationError> {
        let mut problems = Vec::new();
        push(&mut problems, require_text("title", &self.title, 200));
        for (field, text) in [
            ("ambitions.why", &self.ambitions.why),
            ("ambitions.community", &self.ambitions.community),
            (
                "ambitions.commercial_interest",
                &self.ambitions.commercial_interest,
            ),
            ("ownership.third_party", &self.ownership.third_party),
            ("risks.legal.notes", &self.risks.legal.notes),
            ("risks.reputational.notes", &self.risks.reputational.notes),
            (
                "risks.safety_security.notes",
                &self.risks.safety_security.notes,
            ),
            (
                "risks.export_control.notes",
                &self.risks.export_control.notes,
            ),
        ] {
            push(&mut problems, optional_text(field, text, 5000));
        }
        for (i, c) in self.contributors.iter().enumerate() {
            push(
                &mut problems,
                require_text(&format!("contributors[{i}].name"), &c.name, 200),
            );
        }
        for (i, a) in self.ownership.agreements.iter().enumerate() {
            push(
                &mut problems,
                require_text(&format!("ownership.agreements[{i}]"), a, 500),
            );
        }
        for (i, u) in self.uses_outside_physics.iter().enumerate() {
            u.check(&format!("uses_outside_physics[{i}]"), &mut problems);
        }
        for (i, f) in self.ownership.funding.iter().enumerate() {
            f.check(&format!("ownership.funding[{i}]"), &mut problems);
        }
        problems
    }

    /// What must be filled in before the draft can be submitted; empty when ready.
    pub fn missing_for_submission(&self) -> Vec<ValidationError> {
        let mut problems = Vec::new();
        push(&mut problems, require_text("title", &self.title, 200));
        if self.project.is_none() {
            problems.push(ValidationError::Empty {
                field: "project".into(),
                expected: "a repository URL or a catalogue entry",
            });
        }
        push(
            &mut problems,
            require_text("ambitions.why", &self.ambitions.why, 5000),
        );
        if self.contributors.is_empty() {
            problems.push(ValidationError::Empty {
                field: "contributors".into(),
                expected: "at least one contributor with an affiliation",
            });
        }
        for (i, c) in self.contributors.iter().enumerate() {
            push(
                &mut problems,
                require_text(&format!("contributors[{i}].name"), &c.name, 200),
            );
        }
        for (i, u) in self.uses_outside_physics.iter().enumerate() {
            u.check(&format!("uses_outside_physics[{i}]"), &mut problems);
        }
        for (i, f) in self.ownership.funding.iter().enumerate() {
            f.check(&format!("ownership.funding[{i}]"), &mut problems);
        }
        problems
    }

    /// The state `action` by `actor` would lead to, or why it is refused. Changes nothing.
    pub fn transition(
        &self,
        action: &DisclosureAction,
        actor: &Actor,
    ) -> Result<DisclosureState, TransitionError> {
        let step = action.step();
        if !self.state.steps().contains(&step) {
            return Err(TransitionError::NotAllowed {
                state: self.state,
                step,
                allowed: self.state.steps().to_vec(),
            });
        }
        may(actor, step.permission(), &self.target())
            .map_err(|denied| self.denied(denied, actor))?;
        let mut problems = action.problems();
        if step == Step::Submit {
            problems.extend(self.missing_for_submission());
        }
        if !problems.is_empty() {
            return Err(TransitionError::Incomplete { step, problems });
        }
        Ok(match action {
            DisclosureAction::Submit if self.kind.includes_hardware() => DisclosureState::SentToKt,
            DisclosureAction::Submit => DisclosureState::Submitted,
            DisclosureAction::Withdraw { .. } => DisclosureState::Withdrawn,
            DisclosureAction::StartReview => DisclosureState::InReview,
            DisclosureAction::Recommend(_) => DisclosureState::Recommendation,
            DisclosureAction::Approve { .. } => DisclosureState::Approved,
            DisclosureAction::ApproveWithConditions { .. } => {
                DisclosureState::ApprovedWithConditions
            }
            DisclosureAction::Decline { .. } => DisclosureState::Declined,
            DisclosureAction::SendToKt { .. } => DisclosureState::SentToKt,
            DisclosureAction::Publish { .. } => DisclosureState::Published,
        })
    }

    /// Takes `action` as `actor` at `at`: moves the state, keeps the recommendation or the
    /// catalogue entry it carries, appends the transition to the history and returns it (for
    /// the audit log and notifications).
    pub fn apply(
        &mut self,
        action: DisclosureAction,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Transition, TransitionError> {
        let to = self.transition(&action, actor)?;
        match &action {
            DisclosureAction::Recommend(r) => self.recommendation = Some(r.clone()),
            DisclosureAction::Publish { project, .. } => {
                self.catalogue_entry = Some(project.clone());
            }
            _ => {}
        }
        let transition = Transition {
            from: self.state,
            to,
            action,
            actor: actor.id.clone(),
            at: at.clone(),
        };
        self.state = to;
        self.updated_at = at;
        self.history.push(transition.clone());
        Ok(transition)
    }

    fn denied(&self, denied: Denied, actor: &Actor) -> TransitionError {
        TransitionError::Denied {
            denied,
            allowed: self.steps_for(actor),
        }
    }

    /// The steps `actor` may take now (for the buttons of a page).
    pub fn steps_for(&self, actor: &Actor) -> Vec<Step> {
        let target = self.target();
        self.state
            .steps()
            .iter()
            .copied()
            .filter(|step| may(actor, step.permission(), &target).is_ok())
            .collect()
    }

    /// Records `review`, replacing an earlier one from the same unit. Allowed while the request
    /// is in review, has a recommendation or is with KT (hardware is reviewed there), for the
    /// office handling it and, for the KT review, KT reviewers.
    pub fn record_review(&mut self, review: Review, actor: &Actor) -> Result<(), TransitionError> {
        let open = [
            DisclosureState::InReview,
            DisclosureState::Recommendation,
            DisclosureState::SentToKt,
        ];
        if !open.contains(&self.state) {
            return Err(TransitionError::NotInReview { state: self.state });
        }
        let kt_review = review.unit == ReviewingUnit::Kt && actor.has_role(Role::KtReviewer);
        if !kt_review {
            may(actor, Action::ReviewDisclosure, &self.target())
                .map_err(|denied| self.denied(denied, actor))?;
        }
        self.reviews.retain(|r| r.unit != review.unit);
        self.reviews.push(review);
        Ok(())
    }

    /// When the request was first submitted.
    pub fn submitted_at(&self) -> Option<&Timestamp> {
        self.history
            .iter()
            .find(|t| t.action.step() == Step::Submit)
            .map(|t| &t.at)
    }

    /// The transition that decided the request: the first approve, approve-with-conditions,
    /// decline or send-to-kt by a reviewer, or, for hardware sent to KT on submission, KT's
    /// outcome (publish or decline).
    pub fn decision(&self) -> Option<&Transition> {
        self.history.iter().find(|t| match t.action.step() {
            Step::Approve | Step::ApproveWithConditions | Step::Decline | Step::SendToKt => true,
            Step::Publish => t.from == DisclosureState::SentToKt,
            _ => false,
        })
    }

    /// Seconds from submission to decision, for the time-to-decision KPI.
    pub fn seconds_to_decision(&self) -> Option<i64> {
        Some(self.submitted_at()?.seconds_until(&self.decision()?.at))
    }
}

fn push(problems: &mut Vec<ValidationError>, result: Result<(), ValidationError>) {
    if let Err(e) = result {
        problems.push(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u8) -> Timestamp {
        Timestamp::parse(&format!("2026-03-{day:02}T10:00:00Z")).unwrap()
    }

    fn licence(text: &str) -> LicenceExpression {
        LicenceExpression::parse(text).unwrap()
    }

    fn submitter() -> Actor {
        Actor::new("dev1", "Developer", [Role::Maintainer])
    }

    fn ospo() -> Actor {
        Actor::new("ospo1", "OSPO member", [Role::OspoMember])
    }

    fn kt() -> Actor {
        Actor::new("kt1", "KT reviewer", [Role::KtReviewer])
    }

    fn ready(kind: ProjectKind) -> Disclosure {
        let mut d = Disclosure::new("Fast track fitter", kind, "dev1", at(1));
        d.project = Some(ProjectLink::Repository(
            Url::parse("https://gitlab.cern.ch/dev1/fitter").unwrap(),
        ));
        d.ambitions.why = "Share with other experiments".into();
        d.contributors = vec![
            Contributor {
                name: "Developer".into(),
                affiliation: Affiliation::Lab,
            },
            Contributor {
                name: "Student".into(),
                affiliation: Affiliation::External {
                    name: "EPFL".into(),
                },
            },
        ];
        d.intended_licence = Some(licence("Apache-2.0"));
        d.risks.export_control.level = RiskLevel::Low;
        d
    }

    fn recommend(d: &mut Disclosure) {
        d.apply(DisclosureAction::Submit, &submitter(), at(2))
            .unwrap();
        d.apply(DisclosureAction::StartReview, &ospo(), at(3))
            .unwrap();
        let r = Recommendation {
            licence: licence("Apache-2.0"),
            reasons: vec!["all dependencies are permissive".into()],
            computed: None,
            override_reason: None,
        };
        d.apply(DisclosureAction::Recommend(r), &ospo(), at(5))
            .unwrap();
    }

    #[test]
    fn software_path_to_approval_and_publication() {
        let mut d = ready(ProjectKind::Software);
        recommend(&mut d);
        let t = d
            .apply(
                DisclosureAction::Approve {
                    licence: licence("Apache-2.0"),
                },
                &ospo(),
                at(12),
            )
            .unwrap();
        assert_eq!(
            (t.from, t.to),
            (DisclosureState::Recommendation, DisclosureState::Approved)
        );
        let project = Slug::parse("fitter").unwrap();
        d.apply(
            DisclosureAction::Publish {
                project: project.clone(),
                licence: None,
            },
            &ospo(),
            at(20),
        )
        .unwrap();
        assert_eq!(d.state, DisclosureState::Published);
        assert_eq!(d.catalogue_entry, Some(project));
        assert_eq!(d.history.len(), 5);
        assert_eq!(d.seconds_to_decision(), Some(10 * 86_400));
        assert!(d.state.is_closed());
    }

    #[test]
    fn conditions_and_declines_need_their_text() {
        let mut d = ready(ProjectKind::Software);
        recommend(&mut d);
        let e = d
            .apply(
                DisclosureAction::Decline { reason: " ".into() },
                &ospo(),
                at(6),
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot decline yet: reason is empty; expected some text"
        );
        let conditional = DisclosureAction::ApproveWithConditions {
            licence: licence("GPL-3.0-or-later"),
            conditions: "remove the vendored Numerical Recipes code".into(),
        };
        d.apply(conditional, &ospo(), at(7)).unwrap();
        assert_eq!(d.state, DisclosureState::ApprovedWithConditions);
        assert_eq!(d.steps_for(&ospo()), [Step::Publish]);
    }

    #[test]
    fn hardware_goes_to_kt_on_submission() {
        let mut d = ready(ProjectKind::Hardware);
        let t = d
            .apply(DisclosureAction::Submit, &submitter(), at(2))
            .unwrap();
        assert_eq!(t.to, DisclosureState::SentToKt);
        assert_eq!(d.office(), Office::Kt);
        assert_eq!(d.steps_for(&kt()), [Step::Decline]);
        assert_eq!(d.steps_for(&ospo()), [Step::Publish]);
        // The OSPO cannot decline for KT.
        let e = d
            .transition(
                &DisclosureAction::Decline {
                    reason: "no".into(),
                },
                &ospo(),
            )
            .unwrap_err();
        assert!(e.to_string().contains("only KT reviewers may"), "{e}");
        d.apply(
            DisclosureAction::Publish {
                project: Slug::parse("babywr").unwrap(),
                licence: Some(licence("CERN-OHL-S-2.0")),
            },
            &ospo(),
            at(30),
        )
        .unwrap();
        assert_eq!(d.state, DisclosureState::Published);
        assert_eq!(d.seconds_to_decision(), Some(28 * 86_400));
    }

    #[test]
    fn software_can_be_sent_to_kt_and_declined_there() {
        let mut d = ready(ProjectKind::Software);
        recommend(&mut d);
        d.apply(
            DisclosureAction::SendToKt {
                note: "spin-off interest".into(),
            },
            &ospo(),
            at(8),
        )
        .unwrap();
        d.apply(
            DisclosureAction::Decline {
                reason: "licensed to a partner".into(),
            },
            &kt(),
            at(9),
        )
        .unwrap();
        assert_eq!(d.state, DisclosureState::Declined);
        assert_eq!(d.decision().unwrap().action.step(), Step::SendToKt);
    }

    #[test]
    fn invalid_and_stale_transitions_are_refused_with_the_allowed_steps() {
        let mut d = ready(ProjectKind::Software);
        let e = d
            .transition(
                &DisclosureAction::Approve {
                    licence: licence("MIT"),
                },
                &ospo(),
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot approve a disclosure that is draft; allowed from draft: submit, withdraw"
        );
        d.apply(DisclosureAction::Submit, &submitter(), at(2))
            .unwrap();
        // A second submit, e.g. from a stale page, is refused and changes nothing.
        let before = d.clone();
        let e = d
            .apply(DisclosureAction::Submit, &submitter(), at(3))
            .unwrap_err();
        assert!(matches!(
            e,
            TransitionError::NotAllowed {
                state: DisclosureState::Submitted,
                ..
            }
        ));
        assert_eq!(
            e.to_string(),
            "cannot submit a disclosure that is submitted; allowed from submitted: start-review, withdraw"
        );
        assert_eq!(d, before);
        d.apply(
            DisclosureAction::Withdraw {
                reason: String::new(),
            },
            &submitter(),
            at(4),
        )
        .unwrap();
        let e = d
            .transition(&DisclosureAction::StartReview, &ospo())
            .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("withdrawn is final; no further step is possible"),
            "{e}"
        );
    }

    #[test]
    fn wrong_roles_are_refused() {
        let mut d = ready(ProjectKind::Software);
        let other = Actor::new("dev2", "Other developer", [Role::Maintainer]);
        let e = d.transition(&DisclosureAction::Submit, &other).unwrap_err();
        assert!(matches!(e, TransitionError::Denied { .. }));
        assert_eq!(
            e.to_string(),
            "dev2 may not submit-disclosure on a disclosure submitted by dev1: \
             only its submitter may change it; you may take no step on it now"
        );
        d.apply(DisclosureAction::Submit, &submitter(), at(2))
            .unwrap();
        let e = d
            .transition(&DisclosureAction::StartReview, &submitter())
            .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("only OSPO members may; you may: withdraw"),
            "{e}"
        );
        assert_eq!(d.steps_for(&submitter()), [Step::Withdraw]);
        assert_eq!(d.steps_for(&Actor::anonymous()), []);
    }

    #[test]
    fn incomplete_drafts_cannot_be_submitted() {
        let d = Disclosure::new("Untitled", ProjectKind::Software, "dev1", at(1));
        let Err(TransitionError::Incomplete { problems, .. }) =
            d.transition(&DisclosureAction::Submit, &submitter())
        else {
            panic!("an empty draft must be refused");
        };
        let fields: Vec<&str> = problems.iter().map(ValidationError::field).collect();
        assert_eq!(fields, ["project", "ambitions.why", "contributors"]);
    }

    #[test]
    fn overriding_the_engine_needs_a_reason() {
        let mut d = ready(ProjectKind::Software);
        recommend(&mut d);
        let mut r = Recommendation {
            licence: licence("EUPL-1.2"),
            reasons: vec![],
            computed: Some(licence("Apache-2.0")),
            override_reason: None,
        };
        let e = d
            .transition(&DisclosureAction::Recommend(r.clone()), &ospo())
            .unwrap_err();
        assert!(e.to_string().contains("override_reason is empty"), "{e}");
        r.override_reason = Some("the partner institutes require EUPL".into());
        d.apply(DisclosureAction::Recommend(r), &ospo(), at(6))
            .unwrap();
        assert_eq!(d.recommendation.as_ref().unwrap().licence, "EUPL-1.2");
    }

    #[test]
    fn reviews_replace_per_unit_and_kt_may_add_its_own() {
        let mut d = ready(ProjectKind::Software);
        let review = |unit: ReviewingUnit, by: &str| Review {
            unit,
            reviewer: by.into(),
            checklist: unit.default_checklist(),
            comment: String::new(),
            at: at(4),
        };
        let e = d
            .record_review(review(ReviewingUnit::It, "ospo1"), &ospo())
            .unwrap_err();
        assert!(e.to_string().ends_with("this one is draft"), "{e}");
        d.apply(DisclosureAction::Submit, &submitter(), at(2))
            .unwrap();
        d.apply(DisclosureAction::StartReview, &ospo(), at(3))
            .unwrap();
        d.record_review(review(ReviewingUnit::It, "ospo1"), &ospo())
            .unwrap();
        d.record_review(review(ReviewingUnit::It, "ospo2"), &ospo())
            .unwrap();
        d.record_review(review(ReviewingUnit::Kt, "kt1"), &kt())
            .unwrap();
        assert!(
            d.record_review(review(ReviewingUnit::Legal, "kt1"), &kt())
                .is_err()
        );
        assert_eq!(d.reviews.len(), 2);
        assert_eq!(d.reviews[0].reviewer, "ospo2");
        assert!(!d.reviews[0].is_complete());
    }

    #[test]
    fn actions_and_history_serialise_for_the_api_and_audit_log() {
        let action: DisclosureAction =
            serde_json::from_str(r#"{"step":"approve-with-conditions","licence":"MIT","conditions":"add REUSE headers"}"#).unwrap();
        assert_eq!(action.step(), Step::ApproveWithConditions);
        let mut d = ready(ProjectKind::Both);
        let t = d
            .apply(DisclosureAction::Submit, &submitter(), at(2))
            .unwrap();
        let entry = t.audit_entry(42);
        assert_eq!(entry.entity_id, "42");
        assert_eq!(
            entry.change("state").unwrap().to_string(),
            "state: \"draft\" → \"sent-to-kt\""
        );
        assert_eq!(entry.comment, "submit");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["state"], "sent-to-kt");
        assert_eq!(json["history"][0]["action"]["step"], "submit");
        assert_eq!(json["contributors"][1]["affiliation"]["type"], "external");
        assert_eq!(json["risks"]["safety_security"]["level"], "unassessed");
        assert_eq!(
            json["project"]["repository"],
            "https://gitlab.cern.ch/dev1/fitter"
        );
        assert_eq!(serde_json::from_value::<Disclosure>(json).unwrap(), d);
        assert_eq!(d.risks.highest(), RiskLevel::Low);
    }
}
