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
    let n = args.notify;
    let smtp = match n.smtp_url {
        Some(url) => Some(
            ospo_server::SmtpConfig::from_url(
                &url,
                n.smtp_from.unwrap_or_default(),
                n.mail_domain.unwrap_or_default(),
                n.mail_ospo.unwrap_or_default(),
                n.mail_kt.unwrap_or_default(),
                n.smtp_user.zip(n.smtp_password),
            )
            .map_err(anyhow::Error::msg)?,
        ),
        None => None,
    };
    let notify = ospo_server::NotifyConfig {
        webhook_url: n.webhook_url,
        webhook_secret: n.webhook_secret,
        smtp,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let (addr, serve) = ospo_server::start_with(&database, args.listen, auth, notify, &now())
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
