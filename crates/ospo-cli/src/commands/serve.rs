//! `ospo serve`: the OSPO website and JSON API.

use super::Status;
use super::catalogue::{default_database, now, redact};
use crate::cli::ServeArgs;
use anyhow::Context;
use std::io::Write;

pub fn run(args: ServeArgs) -> anyhow::Result<Status> {
    let database = match args.database {
        Some(d) => d,
        None => default_database()?,
    };
    let oidc = match (
        args.oidc_issuer,
        args.oidc_client_id,
        args.oidc_client_secret,
    ) {
        (Some(issuer), Some(client_id), Some(client_secret)) => Some(ospo_server::OidcConfig {
            issuer,
            client_id,
            client_secret,
            account_claim: args.oidc_account_claim,
            label: args.oidc_label,
        }),
        _ => None,
    };
    let auth = ospo_server::AuthConfig {
        public_url: args.public_url,
        oidc,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let (addr, serve) = ospo_server::start(&database, args.listen, auth, &now())
            .await
            .with_context(|| format!("cannot serve the catalogue at {}", redact(&database)))?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "ospo is serving http://{addr}/ (catalogue: {}); Ctrl-C stops it",
            redact(&database)
        )?;
        out.flush()?;
        drop(out);
        serve.await.context("the server stopped")?;
        Ok(Status::Clean)
    })
}
