//! The data a new catalogue starts with: the lab's flagship software, curated by the OSPO
//! (`data/seed/flagship.json`), and the 187 projects of the Open Hardware Repository's
//! registry (`data/seed/ohwr-config.yaml`). Sources and licences: `data/seed/SOURCE.md`.

use crate::error::CatalogueError;
use crate::formats::{self, Format};
use crate::store::{Catalogue, ImportReport};
use ospo_core::{Actor, Provenance, Role, Timestamp};

/// The curated flagship software, in the catalogue's JSON.
pub const FLAGSHIP: &str = include_str!("../data/seed/flagship.json");
/// The OHWR registry.
pub const OHWR_REGISTRY: &str = include_str!("../data/seed/ohwr-config.yaml");

/// The account the seed is recorded under in the audit log.
pub fn seed_actor() -> Actor {
    Actor::new("ospo-seed", "ospo seed data", [Role::OspoMember])
}

/// Imports the seed into an empty catalogue; leaves a catalogue with projects alone.
/// Returns the reports of the two imports, or `None` when the catalogue was not empty.
pub async fn seed_if_empty(
    cat: &Catalogue,
    now: &Timestamp,
) -> Result<Option<Vec<ImportReport>>, SeedError> {
    if cat.stats().await?.projects > 0 {
        return Ok(None);
    }
    seed(cat, now).await.map(Some)
}

/// Imports the seed (again): curated flagship entries first, then the OHWR registry, which
/// never overwrites what the OSPO curated.
pub async fn seed(cat: &Catalogue, now: &Timestamp) -> Result<Vec<ImportReport>, SeedError> {
    let actor = seed_actor();
    let flagship = formats::parse(Format::Json, "flagship.json", FLAGSHIP, now.clone())?;
    let ohwr = formats::parse(
        Format::OhwrRegistry,
        "ohwr-config.yaml",
        OHWR_REGISTRY,
        now.clone(),
    )?;
    let a = cat
        .import(
            &actor,
            flagship.projects,
            &Provenance::Curation,
            now,
            "seed: flagship.json",
        )
        .await?;
    let b = cat
        .import(
            &actor,
            ohwr.projects,
            &Provenance::Import {
                source: "ohwr-registry".into(),
            },
            now,
            "seed: ohwr-config.yaml",
        )
        .await?;
    Ok(vec![a, b])
}

/// Why the seed could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A seed file did not parse (a packaging error).
    #[error("seed data: {0}")]
    Format(#[from] formats::FormatError),
    /// The catalogue refused it.
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
}
