//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use ospo_licence::{Category, Domain, Preference, Use};
use std::path::PathBuf;

/// ospo: the toolkit of an Open Source Programme Office.
#[derive(Debug, Parser)]
#[command(name = "ospo", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// JSON for scripts.
    Json,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Licence knowledge and compatibility.
    #[command(subcommand, visible_alias = "license")]
    Licence(LicenceCommand),
}

/// `ospo licence ...`
#[derive(Debug, Subcommand)]
pub enum LicenceCommand {
    /// Is this combination of inbound licences compatible with the outbound licence?
    ///
    /// Exit code 0 when compatible, 1 when incompatible, conditional or unknown, 2 on bad input.
    Check(CheckArgs),
    /// Like check, with every finding, its sources, disputed views and fixes.
    Explain(CheckArgs),
    /// Which outbound licences work for these inbound licences, best first.
    Recommend(RecommendArgs),
    /// The licences and exceptions of the SPDX list with their category.
    List(ListArgs),
    /// Everything known about one licence, with the basis of each fact.
    Show(ShowArgs),
}

/// Arguments of `check` and `explain`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inbound SPDX expressions (all of them apply).
    #[arg(
        value_name = "INBOUND",
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    pub inbound: Vec<String>,
    /// The outbound licence of the combined work.
    #[arg(long, short = 'o', required_unless_present = "batch")]
    pub outbound: Option<String>,
    /// How the inbound code is used.
    #[arg(long = "use", short = 'u', default_value = "merged", value_parser = parse_use)]
    pub use_: Use,
    /// Read JSON lines {"inbound", "outbound", "use"} from FILE ('-' for stdin) and write one
    /// JSON line per input, in order.
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,
    /// Accept only exact SPDX expressions (no licence names, URLs or lower-case operators).
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `recommend`.
#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// Inbound SPDX expressions (all of them apply).
    #[arg(value_name = "INBOUND", required = true)]
    pub inbound: Vec<String>,
    /// How the inbound code is used.
    #[arg(long = "use", short = 'u', default_value = "merged", value_parser = parse_use)]
    pub use_: Use,
    /// The kind of licence preferred for the work.
    #[arg(long, value_parser = parse_preference)]
    pub prefer: Option<Preference>,
    /// Whether the work is software or a hardware design.
    #[arg(long, value_parser = parse_domain)]
    pub kind: Option<Domain>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only licences of this category.
    #[arg(long, value_parser = parse_category)]
    pub category: Option<Category>,
    /// Only OSI-approved licences.
    #[arg(long)]
    pub osi: bool,
    /// Only hardware licences.
    #[arg(long)]
    pub hardware: bool,
    /// Include the exceptions (used after WITH).
    #[arg(long)]
    pub exceptions: bool,
    /// Include deprecated ids.
    #[arg(long)]
    pub deprecated: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An SPDX licence or exception id.
    pub id: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn parse_use(s: &str) -> Result<Use, String> {
    s.parse()
}

fn parse_preference(s: &str) -> Result<Preference, String> {
    s.parse()
}

fn parse_domain(s: &str) -> Result<Domain, String> {
    s.parse()
}

fn parse_category(s: &str) -> Result<Category, String> {
    s.parse()
}
