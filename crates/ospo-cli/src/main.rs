//! The `ospo` command: parse the arguments, run, print the error if any, exit.
//!
//! Exit codes: 0 clean (compatible), 1 findings (incompatible, unknown or conditional),
//! 2 the tool could not do the work (bad input included).

use clap::Parser;
use std::process::ExitCode;

mod cli;
mod commands;
mod output;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(status) => status.into(),
        // The reader went away (`ospo ... | head`): stop quietly, like other Unix tools.
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            output::error(&err);
            ExitCode::from(2)
        }
    }
}
