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
    /// The catalogue of the lab's open-source software and hardware.
    Catalogue(CatalogueArgs),
    /// Serve the OSPO website and JSON API (seeds an empty catalogue with real data).
    Serve(ServeArgs),
    /// Accounts and API tokens for the server (run where the database is: you act as admin).
    Access(AccessArgs),
    /// Scan a source tree: licences, copyrights, REUSE status, compatibility with the declared
    /// licence (exit 0 clean, 1 findings, 2 the scan failed).
    Scan(ScanArgs),
    /// Readiness for a first public release: licence, README, community files, headers,
    /// third-party code, binaries, secrets, copyright holder (exit 1 when a check fails).
    Ready(ReadyArgs),
    /// The open-source inventory: read SBOMs and lockfiles (exit 1 when a file needed warnings).
    #[command(subcommand)]
    Inventory(InventoryCommand),
}

/// Output format of `ospo scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Human-readable summary and findings.
    Text,
    /// One object per file (path, licences, copyrights, how each was found) and the summary.
    Json,
    /// SARIF 2.1.0, for the code-scanning pages of forges.
    Sarif,
    /// SPDX 2.3 JSON: the tree as a package, each file with its checksum, licences, copyrights.
    SpdxJson,
    /// CycloneDX 1.6 JSON: the tree as the BOM's component, each file a `file` component.
    CyclonedxJson,
}

/// `ospo scan PATH`
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The root of the source tree.
    pub path: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// The licence the whole is distributed under (default: the declared licence).
    #[arg(long, short = 'o')]
    pub outbound: Option<String>,
    /// How the parts are combined, for the compatibility verdict.
    #[arg(long = "use", short = 'u', default_value = "merged", value_parser = parse_use)]
    pub use_: Use,
    /// Files larger than this many bytes are skipped with a note.
    #[arg(long, default_value_t = ospo_catalogue::scan::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// List every file with its licences and copyrights in text output.
    #[arg(long)]
    pub files: bool,
    /// Read files that .gitignore, .ignore or .git/info/exclude leave out.
    #[arg(long)]
    pub no_ignore: bool,
    /// Also run the readiness checks for a first public release (as `ospo ready`).
    #[arg(long)]
    pub readiness: bool,
    /// The copyright holder every file should name, for the readiness checks (default: the
    /// most frequent holder).
    #[arg(long)]
    pub holder: Option<String>,
}

/// `ospo ready PATH`
#[derive(Debug, Args)]
pub struct ReadyArgs {
    /// The root of the source tree.
    pub path: PathBuf,
    /// Output format (text, JSON of the whole scan with its `readiness`, or SARIF).
    #[arg(long, short = 'f', value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// The copyright holder every file should name (default: the most frequent holder).
    #[arg(long)]
    pub holder: Option<String>,
    /// Files larger than this many bytes are skipped with a note.
    #[arg(long, default_value_t = ospo_catalogue::scan::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Read files that .gitignore, .ignore or .git/info/exclude leave out.
    #[arg(long)]
    pub no_ignore: bool,
}

/// `ospo access ...`
#[derive(Debug, Args)]
pub struct AccessArgs {
    /// The catalogue database (as for `ospo catalogue`).
    #[arg(long, global = true, env = "OSPO_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: AccessCommand,
}

/// Access subcommands.
#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Create or replace an account with its roles and maintained projects.
    Account {
        /// The account id (e.g. the single sign-on subject).
        id: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Roles: maintainer, ospo-member, kt-reviewer, admin (repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Slugs of the projects the account maintains (repeatable).
        #[arg(long = "maintains")]
        maintains: Vec<String>,
    },
    /// Issue an API token for an account; it is printed once and stored only as a hash.
    Issue {
        /// The account.
        account: String,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// Revoke an account's tokens with a label.
    Revoke {
        /// The account.
        account: String,
        /// The label.
        #[arg(long, default_value = "api")]
        label: String,
    },
}

/// `ospo serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The catalogue database: a file path, sqlite://PATH or postgres://USER:PASSWORD@HOST/DB.
    /// Default: $OSPO_DATABASE, else the embedded file in the user's data directory.
    #[arg(long, env = "OSPO_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// The address people reach the server at, e.g. https://ospo.example.org (for the single
    /// sign-on redirect; https makes cookies Secure). Default: the address it listens on.
    #[arg(long, env = "OSPO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// OpenID Connect issuer for single sign-on, e.g. https://auth.cern.ch/auth/realms/cern.
    /// Without it, people sign in to the website with an API token.
    #[arg(long, env = "OSPO_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_client_secret"])]
    pub oidc_issuer: Option<String>,
    /// The client id registered with the OpenID Connect provider.
    #[arg(long, env = "OSPO_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// The client secret (prefer the environment variable: command lines are visible to others).
    #[arg(long, env = "OSPO_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// The ID token claim that names the ospo account.
    #[arg(long, env = "OSPO_OIDC_ACCOUNT_CLAIM", default_value = "sub")]
    pub oidc_account_claim: String,
    /// What the sign-in button says.
    #[arg(long, env = "OSPO_OIDC_LABEL", default_value = "Single sign-on")]
    pub oidc_label: String,
}

/// `ospo catalogue ...`
#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// The catalogue database: a file path, sqlite://PATH or postgres://USER:PASSWORD@HOST/DB.
    /// Default: $OSPO_DATABASE, else the embedded file in the user's data directory.
    #[arg(long, global = true, env = "OSPO_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: CatalogueCommand,
}

/// Catalogue subcommands.
#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Add a project from a file (any supported format; '-' reads JSON from stdin).
    Add(FileArgs),
    /// Change fields of a project: --set FIELD=VALUE (JSON values or plain text).
    Edit(EditArgs),
    /// Show one project.
    Show(SlugArgs),
    /// Search the catalogue, with facet filters.
    Search(SearchArgs),
    /// Import files in bulk (OHWR registry, code.json, catalogue JSON...): one transaction per file.
    Import(ImportArgs),
    /// Re-sync projects from their maintainers' manifests (.ohwr.yaml, publiccode.yml,
    /// codemeta.json, CITATION.cff); curated fields are kept and reported.
    Sync(ImportArgs),
    /// Export projects (all, or the slugs given) in a format.
    Export(ExportArgs),
    /// Figures: projects by kind, licence family, unit, topic, ...
    Stats(StatsArgs),
    /// Load the seed (flagship software and the OHWR registry) into an empty catalogue.
    Seed(StatsArgs),
    /// The audit log of a project.
    Audit(SlugArgs),
}

/// A file argument.
#[derive(Debug, Args)]
pub struct FileArgs {
    /// The file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `edit` arguments.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The project's slug.
    pub slug: String,
    /// FIELD=VALUE; VALUE is read as JSON when it parses as JSON, else as text.
    #[arg(long = "set", value_name = "FIELD=VALUE", required = true)]
    pub set: Vec<String>,
    /// The version your edit is based on (refused if the project changed since).
    #[arg(long = "if-version")]
    pub if_version: Option<u64>,
    /// Why (kept in the audit log).
    #[arg(long, default_value = "")]
    pub comment: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// A slug argument.
#[derive(Debug, Args)]
pub struct SlugArgs {
    /// The project's slug.
    pub slug: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `search` arguments.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to search for (all must match, as prefixes).
    pub text: Vec<String>,
    /// FACET=VALUE filters (kind, licence-family, licence, unit, department, topic, language,
    /// status, domain); values of one facet are alternatives.
    #[arg(long = "facet", value_name = "FACET=VALUE")]
    pub facets: Vec<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Skip this many results.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `import` and `sync` arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to read.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Their format (default: recognised from the name and content).
    #[arg(long = "as", value_name = "FORMAT")]
    pub as_format: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Only these projects.
    pub slugs: Vec<String>,
    /// json, csv, codemeta, publiccode or code-json.
    #[arg(long = "as", value_name = "FORMAT", default_value = "json")]
    pub as_format: String,
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// Arguments of commands that only have an output format.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
    /// JSON line per input, in order (always JSON; a bad line gets "verdict": "error").
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

/// `ospo inventory ...`
#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// Read an SBOM or lockfile (CycloneDX JSON or XML; SPDX JSON, YAML or tag-value;
    /// Cargo.lock; package-lock.json; requirements.txt) and print its components, licences and warnings.
    Read(InventoryReadArgs),
}

/// `ospo inventory read FILE`
#[derive(Debug, Args)]
pub struct InventoryReadArgs {
    /// The SBOM or lockfile.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}
