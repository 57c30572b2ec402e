//! `ospo report --year YEAR [--format html|markdown|json] [-o FILE]`: the yearly report.

use super::Status;
use super::catalogue::{default_database, redact};
use crate::cli::{ReportArgs, ReportFormat};
use anyhow::Context;
use ospo_catalogue::Catalogue;
use ospo_catalogue::report::{self, render};
use std::io::Write;

pub fn run(args: ReportArgs) -> anyhow::Result<Status> {
    // A bad year is refused before any database is opened.
    let year = report::parse_year(&args.year)?;
    let url = match args.database {
        Some(u) => u,
        None => default_database()?,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = rt.block_on(async {
        let cat = Catalogue::open(&url)
            .await
            .with_context(|| format!("cannot open the catalogue at {}", redact(&url)))?;
        let report = cat.report(year).await;
        cat.close().await;
        anyhow::Ok(report?)
    })?;
    let format = match args.format {
        ReportFormat::Html => render::Format::Html,
        ReportFormat::Markdown => render::Format::Markdown,
        ReportFormat::Json => render::Format::Json,
    };
    let text = render::render(&report, format);
    match &args.output {
        Some(path) => {
            // Written beside the target and renamed, so a failure never leaves half a report.
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let name = path
                .file_name()
                .with_context(|| format!("{} is not a file name", path.display()))?;
            let tmp = dir.join(format!(".{}.tmp", name.to_string_lossy()));
            std::fs::write(&tmp, text.as_bytes())
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(Status::Clean)
}
