//! `ospo disclosure ...`: requests to open-source lab work, from draft to publication.
//!
//! Like `ospo access`, the command opens the database directly: access to it is the
//! authority. It acts as the account named by `--as` (so a maintainer's steps are theirs), or
//! as the local OSPO member and admin when none is named.

use super::Status;
use super::catalogue::{default_database, local_actor, now, redact};
use crate::cli::Format;
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use ospo_catalogue::{Catalogue, DisclosureDraft, DisclosureFilter, ReviewInput};
use ospo_core::{
    Actor, Disclosure, DisclosureAction, DisclosureState, LicenceExpression, Recommendation,
    ReviewingUnit, Slug,
};
use std::io::Write;
use std::path::PathBuf;

/// `ospo disclosure ...`
#[derive(Debug, Args)]
pub struct DisclosureArgs {
    /// The catalogue database (as for `ospo catalogue`).
    #[arg(long, global = true, env = "OSPO_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
    /// Act as this account (its roles apply); default: the local OSPO member and admin.
    #[arg(
        long = "as",
        global = true,
        env = "OSPO_ACCOUNT",
        value_name = "ACCOUNT"
    )]
    pub account: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: DisclosureCommand,
}

/// Disclosure subcommands.
#[derive(Debug, Subcommand)]
pub enum DisclosureCommand {
    /// Start a draft from a JSON file (`-` reads stdin): title, kind, project, ambitions,
    /// contributors, ownership, dependencies, intended_licence, risks, uses_outside_physics.
    New {
        /// The draft as JSON.
        file: PathBuf,
        /// Fill the dependencies from an SBOM or lockfile, as `ospo inventory read` reads it.
        #[arg(long, value_name = "SBOM")]
        dependencies: Option<PathBuf>,
    },
    /// Replace the fields of a draft from a JSON file.
    Edit {
        /// The disclosure's number.
        id: u64,
        /// The draft as JSON.
        file: PathBuf,
        /// Fill the dependencies from an SBOM or lockfile.
        #[arg(long, value_name = "SBOM")]
        dependencies: Option<PathBuf>,
    },
    /// List disclosures: mine, or a review queue.
    List {
        /// Only my own.
        #[arg(long)]
        mine: bool,
        /// Only the open requests waiting for my office.
        #[arg(long)]
        queue: bool,
        /// Only those in this state.
        #[arg(long)]
        state: Option<String>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one disclosure: state, history, reviews, recommendation, the steps I may take.
    Show {
        /// The disclosure's number.
        id: u64,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Take a step: submit, withdraw, start-review, approve, approve-with-conditions,
    /// decline, send-to-kt, publish (recommend has its own command).
    Step {
        /// The disclosure's number.
        id: u64,
        /// The step.
        step: String,
        /// The licence (approve, approve-with-conditions; publish: the licence released under).
        #[arg(long)]
        licence: Option<String>,
        /// Why (withdraw, decline).
        #[arg(long)]
        reason: Option<String>,
        /// What must be done first (approve-with-conditions).
        #[arg(long)]
        conditions: Option<String>,
        /// For KT (send-to-kt).
        #[arg(long)]
        note: Option<String>,
        /// The catalogue entry to create or link (publish).
        #[arg(long)]
        project: Option<String>,
        /// The version the step is based on (refused if it changed since); default: the
        /// current one.
        #[arg(long = "at-version", value_name = "VERSION")]
        at_version: Option<u64>,
    },
    /// Record a unit's review: its checklist (items done by number) and a comment.
    Review {
        /// The disclosure's number.
        id: u64,
        /// ospo, it, kt or legal.
        #[arg(long)]
        unit: String,
        /// A checklist item that is done, by its number from 1 (repeatable).
        #[arg(long = "done", value_name = "N")]
        done: Vec<usize>,
        /// A general comment.
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Show the engine's licence recommendation with its reasons and sources.
    Recommendation {
        /// The disclosure's number.
        id: u64,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Record the recommendation: the engine's, or another licence with --override-reason.
    Recommend {
        /// The disclosure's number.
        id: u64,
        /// The licence, when it is not the engine's.
        #[arg(long)]
        licence: Option<String>,
        /// Why it departs from the engine's.
        #[arg(long)]
        override_reason: Option<String>,
    },
    /// The audit log of a disclosure.
    Audit {
        /// The disclosure's number.
        id: u64,
    },
    /// The notifications outbox (all, or about one disclosure), as JSON lines.
    Outbox {
        /// Only messages about this disclosure.
        #[arg(long)]
        disclosure: Option<u64>,
    },
}

/// Opens the catalogue and finds the actor the command acts as.
pub(crate) async fn open(
    database: Option<String>,
    account: Option<String>,
) -> anyhow::Result<(Catalogue, Actor)> {
    let url = match database {
        Some(u) => u,
        None => default_database()?,
    };
    let cat = Catalogue::open(&url)
        .await
        .with_context(|| format!("cannot open the catalogue at {}", redact(&url)))?;
    let actor = match account {
        None => local_actor(),
        Some(id) => cat
            .account(&id)
            .await?
            .with_context(|| {
                format!("no account '{id}': create it with `ospo access account {id} ...`")
            })?
            .actor(),
    };
    Ok((cat, actor))
}

pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &PathBuf) -> anyhow::Result<T> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid request", path.display()))
}

fn with_dependencies(
    mut draft: DisclosureDraft,
    sbom: Option<&PathBuf>,
) -> anyhow::Result<DisclosureDraft> {
    if let Some(path) = sbom {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.display().to_string();
        let ingested = ospo_catalogue::inventory::read(&name, &bytes)?;
        draft.dependencies = ospo_catalogue::dependency_summary(&name, &ingested);
    }
    Ok(draft)
}

fn licence(text: Option<String>, step: &str) -> anyhow::Result<LicenceExpression> {
    let text = text.with_context(|| format!("{step} needs --licence"))?;
    ospo_licence::Expression::parse(&text).with_context(|| format!("--licence '{text}'"))?;
    Ok(LicenceExpression::parse(&text)?)
}

pub fn run(args: DisclosureArgs) -> anyhow::Result<Status> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let (cat, actor) = open(args.database, args.account).await?;
        let result = command(&cat, &actor, args.command).await;
        cat.close().await;
        result
    })
}

async fn command(
    cat: &Catalogue,
    actor: &Actor,
    command: DisclosureCommand,
) -> anyhow::Result<Status> {
    let mut out = std::io::stdout().lock();
    match command {
        DisclosureCommand::New { file, dependencies } => {
            let draft = with_dependencies(read_json(&file)?, dependencies.as_ref())?;
            let d = cat.create_disclosure(actor, draft, &now()).await?;
            writeln!(
                out,
                "disclosure {} created (draft, version {})",
                d.id, d.version
            )?;
        }
        DisclosureCommand::Edit {
            id,
            file,
            dependencies,
        } => {
            let draft = with_dependencies(read_json(&file)?, dependencies.as_ref())?;
            let current = cat.disclosure(actor, id).await?;
            let d = cat
                .edit_disclosure(actor, id, current.version, draft, &now())
                .await?;
            writeln!(out, "disclosure {} saved (version {})", d.id, d.version)?;
        }
        DisclosureCommand::List {
            mine,
            queue,
            state,
            format,
        } => {
            let state = state.map(|s| s.parse::<DisclosureState>()).transpose()?;
            let list = cat
                .disclosures(actor, DisclosureFilter { mine, queue, state })
                .await?;
            match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                }
                Format::Text => {
                    for d in &list {
                        writeln!(
                            out,
                            "{:>4}  {:<24}  {:<8}  {:<4}  {:<12}  {}",
                            d.id, d.state, d.kind, d.office, d.submitter, d.title
                        )?;
                    }
                    if list.is_empty() {
                        writeln!(out, "no disclosures")?;
                    }
                }
            }
        }
        DisclosureCommand::Show { id, format } => {
            let d = cat.disclosure(actor, id).await?;
            match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &d)?;
                    writeln!(out)?;
                }
                Format::Text => out.write_all(text(&d, actor).as_bytes())?,
            }
        }
        DisclosureCommand::Step {
            id,
            step,
            licence: lic,
            reason,
            conditions,
            note,
            project,
            at_version,
        } => {
            let action = match step.as_str() {
                "submit" => DisclosureAction::Submit,
                "withdraw" => DisclosureAction::Withdraw {
                    reason: reason.unwrap_or_default(),
                },
                "start-review" => DisclosureAction::StartReview,
                "approve" => DisclosureAction::Approve {
                    licence: licence(lic, "approve")?,
                },
                "approve-with-conditions" => DisclosureAction::ApproveWithConditions {
                    licence: licence(lic, "approve-with-conditions")?,
                    conditions: conditions.context("approve-with-conditions needs --conditions")?,
                },
                "decline" => DisclosureAction::Decline {
                    reason: reason.context("decline needs --reason")?,
                },
                "send-to-kt" => DisclosureAction::SendToKt {
                    note: note.unwrap_or_default(),
                },
                "publish" => DisclosureAction::Publish {
                    project: Slug::parse(&project.context("publish needs --project SLUG")?)?,
                    licence: lic.map(|l| licence(Some(l), "publish")).transpose()?,
                },
                "recommend" => bail!("use `ospo disclosure recommend {id}` to recommend a licence"),
                other => bail!(
                    "unknown step '{other}': expected submit, withdraw, start-review, approve, approve-with-conditions, decline, send-to-kt or publish"
                ),
            };
            let version = match at_version {
                Some(v) => v,
                None => cat.disclosure(actor, id).await?.version,
            };
            let (d, t) = cat
                .disclosure_step(actor, id, version, action, &now())
                .await?;
            writeln!(
                out,
                "disclosure {}: {} → {} (version {})",
                d.id, t.from, t.to, d.version
            )?;
        }
        DisclosureCommand::Review {
            id,
            unit,
            done,
            comment,
        } => {
            let unit: ReviewingUnit = unit.parse()?;
            let mut checklist = unit.default_checklist();
            for n in done {
                let item = checklist.get_mut(n.wrapping_sub(1)).with_context(|| {
                    format!(
                        "--done {n}: the {unit} checklist has items 1 to {}",
                        unit.default_checklist().len()
                    )
                })?;
                item.done = true;
            }
            let current = cat.disclosure(actor, id).await?;
            let d = cat
                .review_disclosure(
                    actor,
                    id,
                    current.version,
                    ReviewInput {
                        unit,
                        checklist: Some(checklist),
                        comment,
                    },
                    &now(),
                )
                .await?;
            writeln!(
                out,
                "disclosure {}: {unit} review saved (version {})",
                d.id, d.version
            )?;
        }
        DisclosureCommand::Recommendation { id, format } => {
            let d = cat.disclosure(actor, id).await?;
            let advice = ospo_catalogue::engine_advice(&d);
            match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &advice)?;
                    writeln!(out)?;
                }
                Format::Text => {
                    writeln!(
                        out,
                        "recommended licence: {}",
                        advice.licence.as_deref().unwrap_or("none")
                    )?;
                    for r in advice.reason_lines() {
                        writeln!(out, "  - {r}")?;
                    }
                    for c in &advice.conditions {
                        writeln!(out, "  condition: {c}")?;
                    }
                    if !advice.alternatives.is_empty() {
                        writeln!(out, "also possible: {}", advice.alternatives.join(", "))?;
                    }
                }
            }
        }
        DisclosureCommand::Recommend {
            id,
            licence: lic,
            override_reason,
        } => {
            let d = cat.disclosure(actor, id).await?;
            let licence = match lic {
                Some(l) => licence(Some(l), "recommend")?,
                None => ospo_catalogue::engine_advice(&d)
                    .licence
                    .map(|l| LicenceExpression::parse(&l))
                    .transpose()?
                    .context("the engine recommends no licence: name one with --licence and --override-reason")?,
            };
            let action = DisclosureAction::Recommend(Recommendation {
                licence,
                reasons: Vec::new(),
                computed: None,
                override_reason,
            });
            let (d, _) = cat
                .disclosure_step(actor, id, d.version, action, &now())
                .await?;
            let r = d.recommendation.as_ref().expect("just recorded");
            writeln!(
                out,
                "disclosure {}: {} recommended (the engine's: {})",
                d.id,
                r.licence,
                r.computed.as_ref().map_or("none", |c| c.as_str())
            )?;
        }
        DisclosureCommand::Audit { id } => {
            for e in cat.disclosure_audit(actor, id).await? {
                let changes: Vec<String> = e.changes.iter().map(ToString::to_string).collect();
                writeln!(
                    out,
                    "{}  {:<14}  {:<10}  {}{}",
                    e.at,
                    e.actor,
                    e.action,
                    changes.join("; "),
                    if e.comment.is_empty() {
                        String::new()
                    } else {
                        format!("  ({})", e.comment.lines().next().unwrap_or(""))
                    }
                )?;
            }
        }
        DisclosureCommand::Outbox { disclosure } => {
            let entity = disclosure.map(|id| ("disclosure", id));
            for n in cat.outbox(actor, entity).await? {
                writeln!(out, "{}", serde_json::to_string(&n)?)?;
            }
        }
    }
    Ok(Status::Clean)
}

/// The disclosure as a person reads it.
fn text(d: &Disclosure, actor: &Actor) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "disclosure {}: {}", d.id, d.title);
    let _ = writeln!(
        s,
        "  state: {} (with {}), version {}",
        d.state,
        match d.office() {
            ospo_core::Office::Ospo => "the OSPO",
            ospo_core::Office::Kt => "Knowledge Transfer",
        },
        d.version
    );
    let _ = writeln!(s, "  kind: {}, submitter: {}", d.kind, d.submitter);
    if let Some(l) = &d.intended_licence {
        let _ = writeln!(s, "  intended licence: {l}");
    }
    if let Some(r) = &d.recommendation {
        let _ = writeln!(s, "  recommended licence: {}", r.licence);
        if let Some(c) = &r.computed
            && *c != r.licence
        {
            let _ = writeln!(
                s,
                "    overrides the engine's {c}: {}",
                r.override_reason.as_deref().unwrap_or("")
            );
        }
    }
    if let Some(p) = &d.catalogue_entry {
        let _ = writeln!(s, "  catalogue entry: {p}");
    }
    if !d.history.is_empty() {
        let _ = writeln!(s, "history:");
        for t in &d.history {
            let _ = writeln!(
                s,
                "  {}  {:<14}  {} → {} ({})",
                t.at,
                t.actor,
                t.from,
                t.to,
                t.action.step()
            );
        }
    }
    for r in &d.reviews {
        let done = r.checklist.iter().filter(|i| i.done).count();
        let _ = writeln!(
            s,
            "review {} by {}: {done}/{} done{}",
            r.unit,
            r.reviewer,
            r.checklist.len(),
            if r.comment.is_empty() {
                String::new()
            } else {
                format!(" — {}", r.comment)
            }
        );
    }
    let steps: Vec<&str> = d.steps_for(actor).iter().map(|s| s.as_str()).collect();
    let _ = writeln!(
        s,
        "you may: {}",
        if steps.is_empty() {
            "nothing now".to_owned()
        } else {
            steps.join(", ")
        }
    );
    s
}
