//! `ospo access account | issue | revoke`: accounts and API tokens for the server.

use super::Status;
use super::catalogue::{default_database, local_actor, now, redact};
use crate::cli::{AccessArgs, AccessCommand};
use anyhow::Context;
use ospo_catalogue::{Account, Catalogue};
use ospo_core::{Role, Slug};
use std::io::Write;

pub fn run(args: AccessArgs) -> anyhow::Result<Status> {
    let url = match args.database {
        Some(u) => u,
        None => default_database()?,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let cat = Catalogue::open(&url)
            .await
            .with_context(|| format!("cannot open the catalogue at {}", redact(&url)))?;
        let admin = local_actor();
        let mut out = std::io::stdout().lock();
        match args.command {
            AccessCommand::Account {
                id,
                name,
                roles,
                maintains,
            } => {
                let account = Account {
                    id,
                    name,
                    roles: roles
                        .iter()
                        .map(|r| r.parse::<Role>())
                        .collect::<Result<_, _>>()?,
                    maintains: maintains
                        .iter()
                        .map(|s| Slug::parse(s))
                        .collect::<Result<_, _>>()?,
                };
                cat.put_account(&admin, &account, &now()).await?;
                writeln!(out, "account {} saved", account.id)?;
            }
            AccessCommand::Issue { account, label } => {
                let issued = cat.issue_token(&admin, &account, &label, &now()).await?;
                writeln!(out, "{}", issued.token)?;
            }
            AccessCommand::Revoke { account, label } => {
                let n = cat.revoke_tokens(&admin, &account, &label, &now()).await?;
                writeln!(out, "{n} token(s) revoked")?;
            }
        }
        cat.close().await;
        Ok(Status::Clean)
    })
}
