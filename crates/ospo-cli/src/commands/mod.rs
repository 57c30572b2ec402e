//! One module per subcommand; each returns whether it found something.

use crate::cli::{Cli, Command};
use std::process::ExitCode;

mod access;
mod catalogue;
pub(crate) mod contribution;
pub(crate) mod disclosure;
mod inventory;
mod licence;
mod progress;
mod ready;
mod report;
mod scan;
mod serve;

/// How a command ended when it could do its work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing to report: compatible, clean.
    Clean,
    /// Findings: incompatible, unknown or conditional verdicts.
    Findings,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        match s {
            Status::Clean => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
        }
    }
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Licence(cmd) => licence::run(cmd),
        Command::Catalogue(args) => catalogue::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Access(args) => access::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Ready(args) => ready::run(args),
        Command::Inventory(cmd) => inventory::run(cmd),
        Command::Disclosure(args) => disclosure::run(args),
        Command::Contribution(args) => contribution::run(args),
        Command::Report(args) => report::run(args),
    }
}
