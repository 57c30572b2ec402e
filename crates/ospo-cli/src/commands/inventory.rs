//! `ospo inventory read | ingest | services | where-used | dependents | policy | review |
//! survey | diff`: the open-source inventory of the lab's services.

use super::Status;
use crate::cli::{Format, InventoryCommand, InventoryReadArgs};
use anyhow::Context;
use ospo_catalogue::inventory::{self, Ingested};
use ospo_core::{ComponentLicence, Relation};
use std::fmt::Write as _;
use std::io::Write;

mod stored;

pub fn run(cmd: InventoryCommand) -> anyhow::Result<Status> {
    match cmd {
        InventoryCommand::Read(args) => read(args),
        other => stored::run(other),
    }
}

fn read(args: InventoryReadArgs) -> anyhow::Result<Status> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("could not read {}", args.file.display()))?;
    let name = args.file.display().to_string();
    let ingested = inventory::read(&name, &bytes)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &ingested)?;
            writeln!(out)?;
        }
        Format::Text => out.write_all(text(&name, &ingested).as_bytes())?,
    }
    Ok(if ingested.warnings.is_empty() {
        Status::Clean
    } else {
        Status::Findings
    })
}

fn licence(l: Option<&ComponentLicence>) -> String {
    match l {
        None => "-".into(),
        Some(l) => match &l.expression {
            Some(e) => format!("{e} ({}, {}%)", l.normalisation, l.confidence),
            None => format!("none ({})", l.normalisation),
        },
    }
}

fn text(name: &str, ingested: &Ingested) -> String {
    let mut s = String::new();
    let count = |r: Relation| {
        ingested
            .entries
            .iter()
            .filter(|e| e.relation == Some(r))
            .count()
    };
    let _ = writeln!(
        s,
        "{name}: {}{}, {} components ({} direct, {} transitive), {} warnings",
        ingested.format,
        ingested
            .spec_version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default(),
        ingested.entries.len(),
        count(Relation::Direct),
        count(Relation::Transitive),
        ingested.warnings.len()
    );
    if let Some(subject) = &ingested.subject {
        let version = subject.version.as_deref().unwrap_or("");
        let _ = writeln!(s, "describes: {} {version}", subject.name);
    }
    for e in &ingested.entries {
        let c = &e.component;
        let relation = e.relation.map_or("-".to_owned(), |r| r.to_string());
        let _ = writeln!(
            s,
            "  {} {}  [{relation}, {}]  declared: {}  concluded: {}{}",
            c.name,
            c.version.as_deref().unwrap_or("?"),
            e.scope,
            licence(c.declared_licence.as_ref()),
            licence(c.concluded_licence.as_ref()),
            c.purl
                .as_ref()
                .map(|p| format!("  {}", p.as_str()))
                .unwrap_or_default(),
        );
    }
    if !ingested.warnings.is_empty() {
        let _ = writeln!(s, "warnings:");
        for w in &ingested.warnings {
            let _ = writeln!(s, "  {w}");
        }
    }
    s
}
