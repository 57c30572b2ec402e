//! `ospo contribution ...`: a developer asks to contribute to an external project; the OSPO
//! advises. Acts as `--as ACCOUNT`, or as the local OSPO member (see `ospo disclosure`).

use super::Status;
use super::catalogue::now;
use super::disclosure::open;
use crate::cli::Format;
use anyhow::Context;
use clap::{Args, Subcommand};
use ospo_catalogue::{Catalogue, ContributionDraft, ContributionFilter};
use ospo_core::{
    Actor, AdviceVerdict, Agreement, ContributionRequest, ExternalProject, LicenceExpression, Url,
};
use std::io::Write;

/// `ospo contribution ...`
#[derive(Debug, Args)]
pub struct ContributionArgs {
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
    pub command: ContributionCommand,
}

/// Contribution subcommands.
#[derive(Debug, Subcommand)]
pub enum ContributionCommand {
    /// Ask to contribute to an external project.
    Request {
        /// The project's name.
        #[arg(long)]
        project: String,
        /// Its repository or home page.
        #[arg(long)]
        url: String,
        /// It serves fields outside physics.
        #[arg(long)]
        outside_physics: bool,
        /// Its licence (SPDX expression).
        #[arg(long)]
        licence: Option<String>,
        /// What contributors sign: none, dco, cla or corporate-cla.
        #[arg(long, default_value = "none")]
        agreement: String,
        /// The project asks contributors to assign their copyright.
        #[arg(long)]
        copyright_assignment: bool,
        /// The platform terms that apply (e.g. "GitHub Terms of Service").
        #[arg(long)]
        platform_terms: Option<String>,
        /// What you want to contribute.
        #[arg(long, default_value = "")]
        description: String,
        /// A feature or sustained work rather than a small fix.
        #[arg(long)]
        significant: bool,
    },
    /// List requests: mine, or all for the OSPO.
    List {
        /// Only my own.
        #[arg(long)]
        mine: bool,
        /// Only those waiting for advice.
        #[arg(long)]
        pending: bool,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one request.
    Show {
        /// The request's number.
        id: u64,
    },
    /// Record the OSPO's advice: go, go-with-conditions or no-go.
    Advise {
        /// The request's number.
        id: u64,
        /// go, go-with-conditions or no-go.
        #[arg(long)]
        verdict: String,
        /// The explanation and any conditions (required unless go).
        #[arg(long, default_value = "")]
        text: String,
    },
}

pub fn run(args: ContributionArgs) -> anyhow::Result<Status> {
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

fn line(r: &ContributionRequest) -> String {
    format!(
        "{:>4}  {:<18}  {:<12}  {}{}",
        r.id,
        r.advice
            .as_ref()
            .map_or("waiting".to_owned(), |a| a.verdict.to_string()),
        r.requester,
        r.project.name,
        if r.significant { "  (significant)" } else { "" }
    )
}

async fn command(
    cat: &Catalogue,
    actor: &Actor,
    command: ContributionCommand,
) -> anyhow::Result<Status> {
    let mut out = std::io::stdout().lock();
    match command {
        ContributionCommand::Request {
            project,
            url,
            outside_physics,
            licence,
            agreement,
            copyright_assignment,
            platform_terms,
            description,
            significant,
        } => {
            let agreement = match agreement.as_str() {
                "none" => Agreement::None,
                "dco" => Agreement::Dco,
                "cla" => Agreement::Cla {
                    corporate: false,
                    url: None,
                },
                "corporate-cla" => Agreement::Cla {
                    corporate: true,
                    url: None,
                },
                other => {
                    anyhow::bail!("--agreement '{other}': expected none, dco, cla or corporate-cla")
                }
            };
            let licence = licence
                .map(|l| {
                    ospo_licence::Expression::parse(&l)
                        .with_context(|| format!("--licence '{l}'"))?;
                    Ok::<_, anyhow::Error>(LicenceExpression::parse(&l)?)
                })
                .transpose()?;
            let draft = ContributionDraft {
                project: ExternalProject {
                    name: project,
                    url: Url::parse(&url).with_context(|| format!("--url '{url}'"))?,
                    outside_physics,
                },
                licence,
                agreement,
                copyright_assignment,
                platform_terms,
                description,
                significant,
            };
            let r = cat.request_contribution(actor, draft, &now()).await?;
            writeln!(out, "contribution request {} filed", r.id)?;
        }
        ContributionCommand::List {
            mine,
            pending,
            format,
        } => {
            let list = cat
                .contributions(actor, ContributionFilter { mine, pending })
                .await?;
            match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                }
                Format::Text => {
                    for r in &list {
                        writeln!(out, "{}", line(r))?;
                    }
                    if list.is_empty() {
                        writeln!(out, "no contribution requests")?;
                    }
                }
            }
        }
        ContributionCommand::Show { id } => {
            let r = cat.contribution(actor, id).await?;
            serde_json::to_writer_pretty(&mut out, &r)?;
            writeln!(out)?;
        }
        ContributionCommand::Advise { id, verdict, text } => {
            let verdict: AdviceVerdict = verdict.parse()?;
            let current = cat.contribution(actor, id).await?;
            let r = cat
                .advise_contribution(actor, id, current.version, verdict, &text, &now())
                .await?;
            writeln!(out, "contribution request {}: {verdict}", r.id)?;
        }
    }
    Ok(Status::Clean)
}
