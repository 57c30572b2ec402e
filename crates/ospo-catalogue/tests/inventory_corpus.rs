//! Every file of the shared SBOM corpus (`../shared/data/sboms`, or `$OSPO_SHARED_DATA/sboms`)
//! ingested into the stored inventory on both backends: a file the reader accepts becomes a
//! snapshot holding its components; a file it refuses is refused by the ingest with the same
//! reason, and leaves its service without a snapshot.

mod support;

use std::collections::BTreeSet;

use ospo_catalogue::inventory::{self, store::InputFile};
use ospo_core::{Criticality, Exposure, IsoDate, Service, Slug, Unit};
use support::{Backend, curator, fresh, now};

async fn every_file_is_stored_or_refused(backend: Backend) {
    let (cat, _dir) = fresh(backend).await;
    let actor = curator();
    let date = IsoDate::parse("2026-11-25").unwrap();
    let (mut stored, mut refused, mut usages) = (0, 0, 0);
    for (i, path) in support::sbom_files().iter().enumerate() {
        let slug = format!("corpus-{i}");
        let service = Service {
            slug: Slug::parse(&slug).unwrap(),
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            owner: Unit::parse("IT-CDA").unwrap(),
            criticality: Criticality::Standard,
            exposure: Exposure::Internal,
            description: String::new(),
            links: vec![],
            project: None,
        };
        cat.put_service(&actor, &service, &now()).await.unwrap();
        let file = InputFile {
            name: path.display().to_string(),
            bytes: std::fs::read(path).unwrap(),
        };
        let read = inventory::read(&file.name, &file.bytes);
        let ingest = cat
            .ingest(&actor, &slug, &date, std::slice::from_ref(&file), &now())
            .await;
        let snapshots = cat.snapshots(&actor, &slug).await.unwrap();
        match (read, ingest) {
            (Ok(read), Ok(report)) => {
                stored += 1;
                assert_eq!(snapshots.len(), 1, "{}", file.name);
                // One usage per distinct component the file lists (a file may list one twice).
                let listed: BTreeSet<_> = read
                    .entries
                    .iter()
                    .map(|e| {
                        (
                            e.component.purl.as_ref().map(|p| p.to_string()),
                            e.component.name.clone(),
                            e.component.version.clone(),
                        )
                    })
                    .collect();
                assert!(
                    report.snapshot.usages as usize <= read.entries.len()
                        && (read.entries.is_empty() || report.snapshot.usages > 0),
                    "{}: {} usages stored for {} entries ({} distinct)",
                    file.name,
                    report.snapshot.usages,
                    read.entries.len(),
                    listed.len()
                );
                let kept = cat
                    .snapshot_components(&actor, report.snapshot.id)
                    .await
                    .unwrap();
                assert_eq!(kept.len() as i64, report.snapshot.usages, "{}", file.name);
                usages += report.snapshot.usages;
            }
            (Err(why), Err(e)) => {
                refused += 1;
                assert!(snapshots.is_empty(), "{}: refused but stored", file.name);
                let message = e.to_string();
                assert!(
                    message.contains(&why.to_string()) || message.contains(&file.name),
                    "{}: the ingest's refusal ({message}) does not carry the reader's ({why})",
                    file.name
                );
            }
            (read, ingest) => panic!(
                "{}: the reader and the ingest disagree: read {:?}, ingest {:?}",
                file.name,
                read.map(|r| r.entries.len()),
                ingest.map(|r| r.snapshot.usages)
            ),
        }
    }
    // The counts the readers are held to (crates/ospo-catalogue/tests/inventory.rs).
    assert_eq!((stored, refused), (189, 9), "{backend:?}");
    // The 23,729 entries the files list are 16,683 distinct (file, component) usages, the same
    // on both backends.
    assert_eq!(usages, 16_683, "{backend:?}: usages stored");
    cat.close().await;
}

#[tokio::test]
async fn every_real_sbom_is_stored_or_refused_on_sqlite() {
    every_file_is_stored_or_refused(Backend::Sqlite).await;
}

#[tokio::test]
async fn every_real_sbom_is_stored_or_refused_on_postgres() {
    every_file_is_stored_or_refused(Backend::Postgres).await;
}
