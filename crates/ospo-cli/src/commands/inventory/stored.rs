//! The stored inventory: ingest, services, where-used, dependents, policy, review, survey, diff.
//! Each command opens the database, calls one catalogue function and prints its answer.

use super::super::Status;
use super::super::catalogue::{default_database, local_actor, now, redact};
use crate::cli::{Format, InventoryCommand, InventoryCommon, InventoryServicesCommand};
use anyhow::{Context, bail};
use ospo_catalogue::Catalogue;
use ospo_catalogue::inventory::policy::Policy;
use ospo_catalogue::inventory::query::{
    Change, Dependent, Diff, PolicyReport, ServiceFilter, SnapshotSelector, Survey, WhereUsed,
};
use ospo_catalogue::inventory::store::{
    IngestReport, InputFile, ReviewState, ServiceSummary, parse_criticality, parse_exposure,
};
use ospo_core::{IsoDate, Service, Slug, Unit, Url};
use std::fmt::Write as _;
use std::io::Write;

fn common(cmd: &InventoryCommand) -> Option<&InventoryCommon> {
    Some(match cmd {
        InventoryCommand::Read(_) => return None,
        InventoryCommand::Ingest(a) => &a.common,
        InventoryCommand::Services(a) => match &a.command {
            InventoryServicesCommand::Add(a) => &a.common,
            InventoryServicesCommand::List(a) => &a.common,
            InventoryServicesCommand::Show(a) => &a.common,
        },
        InventoryCommand::WhereUsed(a) => &a.common,
        InventoryCommand::Dependents(a) => &a.common,
        InventoryCommand::Policy(a) => &a.common,
        InventoryCommand::Review(a) => &a.common,
        InventoryCommand::Survey(a) => &a.common,
        InventoryCommand::Diff(a) => &a.common,
    })
}

pub fn run(cmd: InventoryCommand) -> anyhow::Result<Status> {
    let Some(c) = common(&cmd) else {
        bail!("not a stored-inventory command");
    };
    let url = match &c.database {
        Some(u) => u.clone(),
        None => default_database()?,
    };
    let format = c.format;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let cat = Catalogue::open(&url)
            .await
            .with_context(|| format!("cannot open the catalogue at {}", redact(&url)))?;
        let status = command(&cat, cmd, format).await;
        cat.close().await;
        status
    })
}

fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

fn emit<T: serde::Serialize>(
    format: Format,
    v: &T,
    text: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(v),
        Format::Text => {
            std::io::stdout().lock().write_all(text(v).as_bytes())?;
            Ok(())
        }
    }
}

async fn command(cat: &Catalogue, cmd: InventoryCommand, format: Format) -> anyhow::Result<Status> {
    let actor = local_actor();
    match cmd {
        InventoryCommand::Read(_) => bail!("not a stored-inventory command"),
        InventoryCommand::Ingest(a) => {
            let date = match &a.date {
                Some(d) => IsoDate::parse(d).map_err(|e| anyhow::anyhow!("--date: {e}"))?,
                None => now().date(),
            };
            let mut files = Vec::new();
            for path in &a.files {
                let bytes = std::fs::read(path)
                    .with_context(|| format!("could not read {}", path.display()))?;
                files.push(InputFile {
                    name: path.display().to_string(),
                    bytes,
                });
            }
            let report = cat
                .ingest(&actor, &a.service, &date, &files, &now())
                .await?;
            emit(format, &report, ingest_text)?;
            Ok(Status::Clean)
        }
        InventoryCommand::Services(s) => match s.command {
            InventoryServicesCommand::Add(a) => {
                let service = Service {
                    slug: Slug::parse(&a.slug)?,
                    name: a.name,
                    owner: Unit::parse(&a.owner).map_err(|e| anyhow::anyhow!("--owner: {e}"))?,
                    criticality: parse_criticality(&a.criticality)?,
                    exposure: parse_exposure(&a.exposure)?,
                    description: a.description,
                    links: a
                        .links
                        .iter()
                        .map(|l| Url::parse(l).map_err(|e| anyhow::anyhow!("--link: {e}")))
                        .collect::<anyhow::Result<_>>()?,
                    project: a.project.as_deref().map(Slug::parse).transpose()?,
                };
                cat.put_service(&actor, &service, &now()).await?;
                emit(format, &service, |s| {
                    format!(
                        "service {} saved ({}, {})\n",
                        s.slug, s.criticality, s.exposure
                    )
                })?;
                Ok(Status::Clean)
            }
            InventoryServicesCommand::List(_) => {
                let services = cat.services(&actor).await?;
                emit(format, &services, services_text)?;
                Ok(Status::Clean)
            }
            InventoryServicesCommand::Show(a) => {
                let Some(service) = cat.service(&actor, &a.slug).await? else {
                    bail!("no service '{}' in the inventory", a.slug);
                };
                let snapshots = cat.snapshots(&actor, &a.slug).await?;
                let components = match &service.latest_snapshot {
                    Some(s) => cat.snapshot_components(&actor, s.id).await?,
                    None => vec![],
                };
                let policy = cat
                    .policy(&actor, Some(&a.slug), &Policy::default())
                    .await?;
                let components: Vec<serde_json::Value> = components
                    .into_iter()
                    .map(|(c, relation, scope)| {
                        let mut v = serde_json::to_value(&c).unwrap_or_default();
                        v["relation"] = relation.as_str().into();
                        v["scope"] = scope.as_str().into();
                        v
                    })
                    .collect();
                let page = serde_json::json!({
                    "service": service,
                    "snapshots": snapshots,
                    "components": components,
                    "violations": policy.violations,
                });
                emit(format, &page, |p| show_text(&service, p))?;
                Ok(Status::Clean)
            }
        },
        InventoryCommand::WhereUsed(a) => {
            let answer = cat
                .where_used(
                    &actor,
                    &a.package,
                    a.ecosystem.as_deref(),
                    a.range.as_deref(),
                )
                .await?;
            emit(format, &answer, where_used_text)?;
            Ok(Status::Clean)
        }
        InventoryCommand::Dependents(a) => {
            let categories = a
                .categories
                .iter()
                .map(|c| c.parse::<ospo_licence::Category>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| anyhow::anyhow!("--category: {e}"))?;
            let filter: ServiceFilter = a
                .services
                .parse()
                .map_err(|e: String| anyhow::anyhow!("--services: {e}"))?;
            let answer = cat.dependents(&actor, &categories, filter).await?;
            emit(format, &answer, |d| dependents_text(d))?;
            Ok(Status::Clean)
        }
        InventoryCommand::Policy(a) => {
            let policy = match &a.policy {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("could not read {}", path.display()))?;
                    let p: Policy = serde_json::from_str(&text)
                        .with_context(|| format!("{}: not a policy", path.display()))?;
                    p.check()
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    p
                }
                None => Policy::default(),
            };
            if a.show {
                emit(format, &policy, policy_rules_text)?;
                return Ok(Status::Clean);
            }
            let report = cat.policy(&actor, a.service.as_deref(), &policy).await?;
            emit(format, &report, policy_text)?;
            Ok(if report.has_unresolved() {
                Status::Findings
            } else {
                Status::Clean
            })
        }
        InventoryCommand::Review(a) => {
            let state: ReviewState = a
                .state
                .parse()
                .map_err(|e: String| anyhow::anyhow!("--state: {e}"))?;
            cat.set_review(
                &actor,
                &a.service,
                &a.rule,
                &a.package,
                state,
                &a.reason,
                &now(),
            )
            .await?;
            let done = serde_json::json!({
                "service": a.service, "rule": a.rule, "package": a.package.to_lowercase(),
                "state": state, "reason": a.reason,
            });
            emit(format, &done, |_| {
                format!(
                    "{} {} {}: {}\n",
                    a.service,
                    a.rule,
                    a.package.to_lowercase(),
                    state.as_str()
                )
            })?;
            Ok(Status::Clean)
        }
        InventoryCommand::Survey(a) => {
            let survey = cat.survey(&actor, a.top).await?;
            emit(format, &survey, survey_text)?;
            Ok(Status::Clean)
        }
        InventoryCommand::Diff(a) => {
            let from: SnapshotSelector = a.from.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            let to: SnapshotSelector = a.to.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            let diff = cat.diff(&actor, &a.service, &from, &to).await?;
            emit(format, &diff, diff_text)?;
            Ok(Status::Clean)
        }
    }
}

fn ingest_text(r: &IngestReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "snapshot {} of {} on {}: {} components ({} new to the inventory){}",
        r.snapshot.id,
        r.snapshot.service,
        r.snapshot.date,
        r.snapshot.usages,
        r.new_components,
        if r.latest {
            ""
        } else {
            "; kept as history, a later snapshot exists"
        }
    );
    for f in &r.snapshot.sources {
        let _ = writeln!(
            s,
            "  {}: {}{}, {} components, {} warnings",
            f.file,
            f.format,
            f.spec_version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default(),
            f.components,
            f.warnings.len()
        );
    }
    s
}

fn services_text(list: &Vec<ServiceSummary>) -> String {
    let mut s = String::new();
    for x in list {
        let latest = match &x.latest_snapshot {
            Some(l) => format!("snapshot {} on {}, {} components", l.id, l.date, l.usages),
            None => "no inventory".into(),
        };
        let _ = writeln!(
            s,
            "{}  {} [{}, {}, {}]  {latest}",
            x.service.slug,
            x.service.name,
            x.service.criticality,
            x.service.exposure,
            x.service.owner
        );
    }
    if list.is_empty() {
        s.push_str("no services: add one with `ospo inventory services add`\n");
    }
    s
}

fn show_text(service: &ServiceSummary, page: &serde_json::Value) -> String {
    let mut s = String::new();
    let x = &service.service;
    let _ = writeln!(
        s,
        "{} ({}): {}, {}, run by {}",
        x.name, x.slug, x.criticality, x.exposure, x.owner
    );
    if !x.description.is_empty() {
        let _ = writeln!(s, "{}", x.description);
    }
    let _ = writeln!(s, "snapshots:");
    for snap in page["snapshots"].as_array().into_iter().flatten() {
        let _ = writeln!(
            s,
            "  {} on {}: {} components",
            snap["id"],
            snap["date"].as_str().unwrap_or(""),
            snap["usages"]
        );
    }
    let components = page["components"].as_array().cloned().unwrap_or_default();
    let _ = writeln!(s, "components ({}):", components.len());
    for c in &components {
        let _ = writeln!(
            s,
            "  {} {}  [{}]  {} ({})",
            c["name"].as_str().unwrap_or(""),
            c["version"].as_str().unwrap_or("?"),
            c["relation"].as_str().unwrap_or(""),
            c["licence"].as_str().unwrap_or("no licence"),
            c["category"].as_str().unwrap_or("")
        );
    }
    let violations = page["violations"].as_array().cloned().unwrap_or_default();
    let _ = writeln!(s, "violations ({}):", violations.len());
    for v in &violations {
        let _ = writeln!(
            s,
            "  {} {} {}  [{}]",
            v["rule"].as_str().unwrap_or(""),
            v["component"]["package"].as_str().unwrap_or(""),
            v["component"]["version"].as_str().unwrap_or(""),
            v["review"]["state"].as_str().unwrap_or("")
        );
    }
    s
}

fn where_used_text(w: &WhereUsed) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}{}: {} matching versions, used now by {} services",
        w.package,
        w.range
            .as_deref()
            .map(|r| format!(" {r}"))
            .unwrap_or_default(),
        w.matches.len(),
        w.services.len()
    );
    for m in &w.matches {
        let c = &m.component;
        let _ = writeln!(
            s,
            "{} {} ({})  {}",
            c.component.name,
            c.component.version.as_deref().unwrap_or("?"),
            c.package,
            c.licence.as_deref().unwrap_or("no licence")
        );
        for u in &m.services {
            let _ = writeln!(
                s,
                "  {} [{}, {}]  {} {}  snapshot {} on {}",
                u.service.slug,
                u.service.criticality,
                u.service.exposure,
                u.relation,
                u.scope,
                u.snapshot,
                u.date
            );
        }
        let past: Vec<String> = m
            .snapshots
            .iter()
            .map(|x| format!("{}#{} ({})", x.service, x.snapshot, x.date))
            .collect();
        if !past.is_empty() {
            let _ = writeln!(s, "  in snapshots: {}", past.join(", "));
        }
    }
    if !w.skipped_ecosystems.is_empty() {
        let _ = writeln!(
            s,
            "left out (the range is not in their syntax): {}",
            w.skipped_ecosystems.join(", ")
        );
    }
    s
}

fn dependents_text(list: &[Dependent]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} services", list.len());
    for d in list {
        let _ = writeln!(
            s,
            "{} ({}, {}): {} components",
            d.service.slug,
            d.service.criticality,
            d.service.exposure,
            d.components.len()
        );
        for c in &d.components {
            let _ = writeln!(
                s,
                "  {} {}  {} ({})  {}",
                c.component.component.name,
                c.component.component.version.as_deref().unwrap_or("?"),
                c.component.licence.as_deref().unwrap_or("-"),
                c.component.category,
                c.relation
            );
        }
    }
    s
}

fn policy_rules_text(p: &Policy) -> String {
    let mut s = String::new();
    for r in &p.rules {
        let _ = writeln!(
            s,
            "{} [{:?}] {}: {}",
            r.code,
            r.severity,
            r.title,
            r.categories.join(", ")
        );
    }
    s
}

fn policy_text(r: &PolicyReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} violations: {} open, {} to fix, {} accepted",
        r.violations.len(),
        r.open,
        r.to_fix,
        r.accepted
    );
    for v in &r.violations {
        let _ = writeln!(
            s,
            "{} {} {}: {} {} ({}, {})  [{}{}]",
            v.service.slug,
            v.rule,
            v.title,
            v.component.package,
            v.component.component.version.as_deref().unwrap_or("?"),
            v.component.licence.as_deref().unwrap_or("no licence"),
            v.relation,
            v.review.state.as_str(),
            if v.review.reason.is_empty() {
                String::new()
            } else {
                format!(": {}", v.review.reason)
            }
        );
    }
    s
}

fn survey_text(x: &Survey) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} services ({} with an inventory), {} snapshots, {} component versions, {} uses now",
        x.services, x.inventoried, x.snapshots, x.components, x.uses
    );
    let _ = writeln!(s, "top components (services, uses):");
    for c in &x.top_components {
        let _ = writeln!(s, "  {}  {} {}", c.value, c.services, c.uses);
    }
    let _ = writeln!(s, "licence categories (services, uses):");
    for c in &x.categories {
        let _ = writeln!(s, "  {}  {} {}", c.value, c.services, c.uses);
    }
    let _ = writeln!(s, "licences (services, uses):");
    for c in &x.licences {
        let _ = writeln!(s, "  {}  {} {}", c.value, c.services, c.uses);
    }
    let _ = writeln!(
        s,
        "without an inventory: {}",
        if x.without_inventory.is_empty() {
            "none".into()
        } else {
            x.without_inventory.join(", ")
        }
    );
    s
}

fn diff_text(d: &Diff) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: snapshot {} ({}) → snapshot {} ({}): {} added, {} removed, {} version changes, {} licence changes",
        d.from.service,
        d.from.id,
        d.from.date,
        d.to.id,
        d.to.date,
        d.added.len(),
        d.removed.len(),
        d.version_changed.len(),
        d.licence_changed.len()
    );
    let list = |s: &mut String, title: &str, items: &[Change]| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(s, "{title}:");
        for c in items {
            let _ = writeln!(
                s,
                "  {}  {} → {}",
                c.package,
                if c.before.is_empty() {
                    "-".into()
                } else {
                    c.before.join(", ")
                },
                if c.after.is_empty() {
                    "-".into()
                } else {
                    c.after.join(", ")
                }
            );
        }
    };
    list(&mut s, "added", &d.added);
    list(&mut s, "removed", &d.removed);
    list(&mut s, "version changed", &d.version_changed);
    list(&mut s, "licence changed", &d.licence_changed);
    s
}
