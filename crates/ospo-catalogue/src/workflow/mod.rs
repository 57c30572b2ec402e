//! Storage of the disclosure and contribution workflow.
//!
//! Every change goes through the domain model ([`ospo_core::Disclosure::apply`],
//! [`ospo_core::ContributionRequest::advise`]), which checks the step and the actor's roles; it
//! is then written in one transaction together with its audit-log entry and its messages in
//! the notifications outbox, so a refused or failed change leaves nothing behind. Requests
//! carry a version: a change based on an older one is refused with
//! [`crate::CatalogueError::Conflict`].

mod contributions;
mod disclosures;
mod outbox;
mod recommend;

pub use contributions::{ContributionDraft, ContributionFilter};
pub use disclosures::{DisclosureDraft, DisclosureFilter, DisclosureSummary, ReviewInput};
pub use outbox::{Channel, MAX_ATTEMPTS, Notification, Recipient};
pub use recommend::{EngineAdvice, engine_advice};

/// Reads a stored JSON document back, or says which record is unreadable.
fn parse_document<T: serde::de::DeserializeOwned>(
    kind: &str,
    id: u64,
    doc: &str,
) -> Result<T, crate::CatalogueError> {
    serde_json::from_str(doc).map_err(|e| crate::CatalogueError::Corrupt {
        slug: format!("{kind} {id}"),
        message: e.to_string(),
    })
}

/// Serialises a document for storage.
fn to_document<T: serde::Serialize>(
    kind: &str,
    id: u64,
    value: &T,
) -> Result<String, crate::CatalogueError> {
    serde_json::to_string(value).map_err(|e| crate::CatalogueError::Corrupt {
        slug: format!("{kind} {id}"),
        message: e.to_string(),
    })
}

/// The dependency summary of a disclosure from an SBOM or lockfile the inventory read:
/// components per licence expression, and those without a known licence.
pub fn dependency_summary(
    source: &str,
    ingested: &crate::inventory::Ingested,
) -> ospo_core::disclosure::DependencySummary {
    let mut summary = ospo_core::disclosure::DependencySummary {
        source: Some(source.to_owned()),
        ..Default::default()
    };
    for entry in &ingested.entries {
        summary.components += 1;
        match entry.component.licence() {
            Some(l) => *summary.licences.entry(l.to_string()).or_default() += 1,
            None => summary.unknown_licences += 1,
        }
    }
    summary
}
