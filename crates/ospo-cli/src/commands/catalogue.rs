//! `ospo catalogue add | edit | show | search | import | sync | export | stats | seed | audit`.

use super::Status;
use crate::cli::{CatalogueArgs, CatalogueCommand, Format};
use crate::output::wrap;
use anyhow::{Context, bail};
use ospo_catalogue::formats::{self, Format as FileFormat};
use ospo_catalogue::{Catalogue, Query, seed};
use ospo_core::{Actor, Role, Timestamp};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The default embedded database: `$XDG_DATA_HOME/ospo/catalogue.db` or
/// `~/.local/share/ospo/catalogue.db`.
pub(crate) fn default_database() -> anyhow::Result<String> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .context("neither XDG_DATA_HOME nor HOME is set: pass --database")?;
    let dir = base.join("ospo");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir.join("catalogue.db").to_string_lossy().into_owned())
}

/// Whoever runs the CLI on a database they can open directly is trusted as an OSPO member:
/// access to the file (or the database credentials) is the authorisation.
pub(crate) fn local_actor() -> Actor {
    let user = std::env::var("USER").unwrap_or_else(|_| "local".into());
    Actor::new(format!("cli:{user}"), user, [Role::OspoMember, Role::Admin])
}

/// The current time (the core crates read no clock).
pub(crate) fn now() -> Timestamp {
    ospo_catalogue::now()
}

pub fn run(args: CatalogueArgs) -> anyhow::Result<Status> {
    // The embedded default database holds real data from its first use.
    let (url, fresh_default) = match args.database {
        Some(u) => (u, false),
        None => {
            let path = default_database()?;
            let fresh = !Path::new(&path).exists();
            (path, fresh)
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let cat = Catalogue::open(&url)
            .await
            .with_context(|| format!("cannot open the catalogue at {}", redact(&url)))?;
        if fresh_default && !matches!(args.command, CatalogueCommand::Seed(_)) {
            seed::seed_if_empty(&cat, &now())
                .await
                .context("cannot seed the new catalogue")?;
        }
        let status = command(&cat, args.command).await;
        cat.close().await;
        status
    })
}

/// Hides a password in a database URL before it is printed.
pub(crate) fn redact(url: &str) -> String {
    ospo_catalogue::redact_url(url)
}

fn read(path: &Path) -> anyhow::Result<(String, String)> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        return Ok(("stdin.json".into(), s));
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok((path.to_string_lossy().into_owned(), text))
}

fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

async fn command(cat: &Catalogue, cmd: CatalogueCommand) -> anyhow::Result<Status> {
    let actor = local_actor();
    let mut out = std::io::stdout().lock();
    match cmd {
        CatalogueCommand::Add(a) => {
            let (name, text) = read(&a.file)?;
            let imported = if a.file.as_os_str() == "-" {
                formats::parse(FileFormat::Json, &name, &text, now())?
            } else {
                formats::parse_detected(&name, &text, now())?
            };
            for w in &imported.warnings {
                eprintln_warning(w);
            }
            let mut created = Vec::new();
            for p in imported.projects {
                created.push(cat.create(&actor, p, &now()).await?);
            }
            match a.format {
                Format::Json => print_json(&created)?,
                Format::Text => {
                    for p in &created {
                        writeln!(out, "added {} (version {})", p.slug, p.version)?;
                    }
                }
            }
            Ok(Status::Clean)
        }
        CatalogueCommand::Edit(e) => {
            let current = cat
                .get(&e.slug)
                .await?
                .with_context(|| format!("no project '{}' in the catalogue", e.slug))?;
            let mut doc = serde_json::to_value(&current)?;
            for set in &e.set {
                let (field, value) = set
                    .split_once('=')
                    .with_context(|| format!("--set {set}: expected FIELD=VALUE"))?;
                let value = serde_json::from_str(value)
                    .unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
                let obj = doc.as_object_mut().context("a project is a JSON object")?;
                if !obj.contains_key(field)
                    || matches!(
                        field,
                        "slug" | "version" | "created_at" | "updated_at" | "provenance"
                    )
                {
                    bail!("--set {field}: not an editable field of a project");
                }
                obj.insert(field.to_owned(), value);
            }
            let mut edited: ospo_core::Project =
                serde_json::from_value(doc).context("the edited project is not valid")?;
            edited.version = e.if_version.unwrap_or(current.version);
            let saved = cat.update(&actor, edited, &now(), &e.comment).await?;
            match e.format {
                Format::Json => print_json(&saved)?,
                Format::Text => {
                    writeln!(out, "updated {} (version {})", saved.slug, saved.version)?
                }
            }
            Ok(Status::Clean)
        }
        CatalogueCommand::Show(s) => {
            let p = cat
                .get(&s.slug)
                .await?
                .with_context(|| format!("no project '{}' in the catalogue", s.slug))?;
            match s.format {
                Format::Json => print_json(&p)?,
                Format::Text => {
                    writeln!(out, "{} ({}, {})", p.name, p.slug, p.kind)?;
                    if !p.summary.is_empty() {
                        out.write_all(wrap(&p.summary, "  ", 100).as_bytes())?;
                    }
                    let line = |label: &str, v: Option<String>| {
                        v.map(|v| format!("  {label:<13} {v}\n"))
                            .unwrap_or_default()
                    };
                    let mut s = String::new();
                    s += &line("licence", p.licence.as_ref().map(|l| l.as_str().to_owned()));
                    s += &line("homepage", p.homepage.as_ref().map(|u| u.to_string()));
                    s += &line("repository", p.repository.as_ref().map(|u| u.to_string()));
                    s += &line("unit", p.unit.as_ref().map(|u| u.to_string()));
                    s += &line("status", p.status.map(|x| x.to_string()));
                    s += &line(
                        "topics",
                        (!p.topics.is_empty()).then(|| p.topics.join(", ")),
                    );
                    s += &line(
                        "languages",
                        (!p.languages.is_empty()).then(|| p.languages.join(", ")),
                    );
                    s += &line(
                        "compatible",
                        (!p.compatible_with.is_empty()).then(|| {
                            p.compatible_with
                                .iter()
                                .map(|x| x.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }),
                    );
                    for person in &p.people {
                        s += &format!(
                            "  person        {} ({})\n",
                            person.name,
                            person
                                .roles
                                .iter()
                                .map(|r| r.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                    }
                    for uc in &p.use_cases {
                        s += &format!("  use case      {}: {}\n", uc.domain, uc.text);
                    }
                    s += &format!("  version       {} (updated {})\n", p.version, p.updated_at);
                    out.write_all(s.as_bytes())?;
                }
            }
            Ok(Status::Clean)
        }
        CatalogueCommand::Search(s) => {
            let mut filters = Vec::new();
            for f in &s.facets {
                let (k, v) = f
                    .split_once('=')
                    .with_context(|| format!("--facet {f}: expected FACET=VALUE"))?;
                filters.push((k.to_owned(), v.to_owned()));
            }
            let q = Query {
                text: s.text.join(" "),
                filters,
                limit: s.limit,
                offset: s.offset,
            };
            let r = cat.search(&q).await?;
            match s.format {
                Format::Json => print_json(&r)?,
                Format::Text => {
                    writeln!(out, "{} project(s)", r.total)?;
                    for h in &r.hits {
                        let p = &h.project;
                        writeln!(
                            out,
                            "{:<28} {:<9} {:<28} {}",
                            p.slug,
                            p.kind,
                            p.licence.as_deref().unwrap_or("-"),
                            p.name
                        )?;
                    }
                }
            }
            Ok(if r.total == 0 {
                Status::Findings
            } else {
                Status::Clean
            })
        }
        CatalogueCommand::Import(i) | CatalogueCommand::Sync(i) => {
            let mut reports = Vec::new();
            for file in &i.files {
                let (name, text) = read(file)?;
                let format = match &i.as_format {
                    Some(f) => f.parse::<FileFormat>()?,
                    None => FileFormat::detect(&name, &text).with_context(|| {
                        format!("{name}: format not recognised; say it with --as FORMAT")
                    })?,
                };
                let imported = formats::parse(format, &name, &text, now())?;
                for w in &imported.warnings {
                    eprintln_warning(w);
                }
                let origin = format.provenance();
                let report = cat
                    .import(&actor, imported.projects, &origin, &now(), &name)
                    .await
                    .with_context(|| format!("{name}: nothing was imported"))?;
                if i.format == Format::Text {
                    writeln!(
                        out,
                        "{name}: {} created, {} updated, {} unchanged{}",
                        report.created.len(),
                        report.updated.len(),
                        report.unchanged.len(),
                        if report.kept.is_empty() {
                            String::new()
                        } else {
                            format!("; curated values kept: {}", report.kept.join(", "))
                        }
                    )?;
                }
                reports.push(serde_json::json!({"file": name, "format": format.as_str(), "report": report, "warnings": imported.warnings}));
            }
            if i.format == Format::Json {
                print_json(&reports)?;
            }
            Ok(Status::Clean)
        }
        CatalogueCommand::Export(e) => {
            let format: FileFormat = e.as_format.parse()?;
            let mut projects = cat.all().await?;
            if !e.slugs.is_empty() {
                for s in &e.slugs {
                    if !projects.iter().any(|p| p.slug.as_str() == s) {
                        bail!("no project '{s}' in the catalogue");
                    }
                }
                projects.retain(|p| e.slugs.iter().any(|s| s == p.slug.as_str()));
            }
            let text = formats::render(format, &projects)?;
            match &e.output {
                Some(path) => std::fs::write(path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => out.write_all(text.as_bytes())?,
            }
            Ok(Status::Clean)
        }
        CatalogueCommand::Stats(s) => {
            let stats = cat.stats().await?;
            match s.format {
                Format::Json => print_json(&stats)?,
                Format::Text => {
                    writeln!(out, "{} projects", stats.projects)?;
                    for (facet, counts) in &stats.facets {
                        let top: Vec<String> = counts
                            .iter()
                            .take(8)
                            .map(|c| format!("{} {}", c.value, c.count))
                            .collect();
                        out.write_all(
                            wrap(&format!("{facet}: {}", top.join(", ")), "  ", 100).as_bytes(),
                        )?;
                    }
                }
            }
            Ok(Status::Clean)
        }
        CatalogueCommand::Seed(s) => {
            let reports = seed::seed_if_empty(cat, &now()).await?;
            match (s.format, &reports) {
                (Format::Json, _) => print_json(&reports)?,
                (Format::Text, None) => {
                    writeln!(out, "the catalogue is not empty: seed not loaded")?
                }
                (Format::Text, Some(r)) => {
                    let created: usize = r.iter().map(|x| x.created.len()).sum();
                    writeln!(out, "seeded {created} projects")?;
                }
            }
            Ok(Status::Clean)
        }
        CatalogueCommand::Audit(a) => {
            let log = cat.audit(Some(&a.slug)).await?;
            match a.format {
                Format::Json => print_json(&log)?,
                Format::Text => {
                    for e in &log {
                        let fields: Vec<&str> = e.fields().collect();
                        writeln!(
                            out,
                            "{} {} {} {}",
                            e.at,
                            e.actor,
                            e.action,
                            fields.join(", ")
                        )?;
                    }
                }
            }
            Ok(Status::Clean)
        }
    }
}

fn eprintln_warning(w: &str) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {w}");
}
