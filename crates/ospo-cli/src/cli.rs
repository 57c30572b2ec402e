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
    /// The open-source inventory of the lab's services: SBOMs and lockfiles, where-used,
    /// licence policy, surveys.
    #[command(subcommand)]
    Inventory(InventoryCommand),
    /// Disclosures: requests to open-source lab work, from draft to review, decision and
    /// publication in the catalogue.
    Disclosure(crate::commands::disclosure::DisclosureArgs),
    /// Contribution requests: ask to contribute to an external project; the OSPO advises.
    Contribution(crate::commands::contribution::ContributionArgs),
    /// The yearly OSPO report: KPIs computed from the catalogue, as HTML (with SVG charts),
    /// Markdown or JSON; the same data gives the same bytes.
    Report(ReportArgs),
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
    /// Report the N files that took longest to read, with their times (on stderr; in JSON
    /// output, as `durations`).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub durations: usize,
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
    /// Workflow notifications: where they are delivered.
    #[command(flatten)]
    pub notify: NotifyArgs,
}

/// Where the workflow's notifications go (the outbox keeps them all either way).
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// POST each notification as JSON to this URL (a secret: prefer the environment variable).
    #[arg(long, env = "OSPO_WEBHOOK_URL", hide_env_values = true)]
    pub webhook_url: Option<String>,
    /// Sent to the webhook as `Authorization: Bearer <secret>`.
    #[arg(long, env = "OSPO_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,
    /// Send notifications by e-mail through this relay: smtp://HOST[:PORT] (plain SMTP, e.g. a
    /// local Postfix that handles TLS).
    #[arg(long, env = "OSPO_SMTP_URL", requires_all = ["smtp_from", "mail_domain", "mail_ospo", "mail_kt"])]
    pub smtp_url: Option<String>,
    /// The relay's user, for AUTH PLAIN (only to a relay on this machine).
    #[arg(long, env = "OSPO_SMTP_USER", requires = "smtp_password")]
    pub smtp_user: Option<String>,
    /// The relay's password (set it in the environment: command lines are visible to others).
    #[arg(
        long,
        env = "OSPO_SMTP_PASSWORD",
        hide_env_values = true,
        requires = "smtp_user"
    )]
    pub smtp_password: Option<String>,
    /// The sender address of notification e-mail.
    #[arg(long, env = "OSPO_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// Accounts get e-mail at ACCOUNT@DOMAIN.
    #[arg(long, env = "OSPO_MAIL_DOMAIN")]
    pub mail_domain: Option<String>,
    /// The OSPO's shared mailbox.
    #[arg(long, env = "OSPO_MAIL_OSPO")]
    pub mail_ospo: Option<String>,
    /// Knowledge Transfer's shared mailbox.
    #[arg(long, env = "OSPO_MAIL_KT")]
    pub mail_kt: Option<String>,
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
    /// Read an SBOM or lockfile (CycloneDX JSON or XML; SPDX 2 JSON, YAML or tag-value; SPDX 3
    /// JSON-LD; Cargo.lock, package-lock.json, yarn.lock, poetry.lock, uv.lock, Pipfile.lock,
    /// requirements.txt, go.sum, go.mod, pom.xml, conda environments) and print its components,
    /// licences and warnings (exit 1 when the file needed warnings).
    Read(InventoryReadArgs),
    /// Store one dated snapshot of a service from its SBOMs and lockfiles, in one transaction:
    /// one refused file stores nothing.
    Ingest(InventoryIngestArgs),
    /// Add, change or list the services whose components the inventory tracks.
    Services(InventoryServicesArgs),
    /// Which services (now) and snapshots (ever) use a package, by name or package URL, in a
    /// version range written in the ecosystem's own syntax.
    WhereUsed(InventoryWhereUsedArgs),
    /// Which critical or externally exposed services depend, directly or transitively, on a
    /// licence category.
    Dependents(InventoryDependentsArgs),
    /// Check the services' latest snapshots against the licence policy (exit 1 when a
    /// violation is open or to fix).
    Policy(InventoryPolicyArgs),
    /// Set the review state of a policy violation (kept across snapshots).
    Review(InventoryReviewArgs),
    /// The survey: top components, licence mix, services without an inventory.
    Survey(InventorySurveyArgs),
    /// What changed in a service between two snapshots or two dates.
    Diff(InventoryDiffArgs),
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

/// Output format of `ospo report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A standalone HTML page with SVG bar charts.
    Html,
    /// Markdown, with a table per distribution.
    Markdown,
    /// JSON: every KPI with its value and source.
    Json,
}

/// `ospo report --year YEAR`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The year to report on (the catalogue as it stood on 31 December, events of the year).
    #[arg(long)]
    pub year: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// The catalogue database (as for `ospo catalogue`).
    #[arg(long, env = "OSPO_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
}

/// The database and output format every stored-inventory command takes.
#[derive(Debug, Args)]
pub struct InventoryCommon {
    /// The catalogue database: a file path, sqlite://PATH or postgres://USER:PASSWORD@HOST/DB.
    /// Default: $OSPO_DATABASE, else the embedded file in the user's data directory.
    #[arg(long, env = "OSPO_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `ospo inventory ingest --service SLUG FILE...`
#[derive(Debug, Args)]
pub struct InventoryIngestArgs {
    /// The service the files describe.
    #[arg(long)]
    pub service: String,
    /// The day the inventory was taken, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// The SBOMs and lockfiles: together they make one snapshot.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory services ...`
#[derive(Debug, Args)]
pub struct InventoryServicesArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: InventoryServicesCommand,
}

/// Services subcommands.
#[derive(Debug, Subcommand)]
pub enum InventoryServicesCommand {
    /// Add a service, or replace the fields of an existing one.
    Add(InventoryServiceAddArgs),
    /// List the services with their latest snapshot.
    List(InventoryCommonArgs),
    /// One service: its latest snapshot's components, licences and violations, and its snapshots.
    Show(InventoryServiceShowArgs),
}

/// Arguments of commands that take only the common ones.
#[derive(Debug, Args)]
pub struct InventoryCommonArgs {
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory services add SLUG ...`
#[derive(Debug, Args)]
pub struct InventoryServiceAddArgs {
    /// The service's identifier (lowercase, digits, '-').
    pub slug: String,
    /// The display name.
    #[arg(long)]
    pub name: String,
    /// The unit that runs it, DEPT or DEPT-GROUP (IT-CDA).
    #[arg(long)]
    pub owner: String,
    /// critical, important or standard.
    #[arg(long, default_value = "standard")]
    pub criticality: String,
    /// internal or external (reachable from the internet).
    #[arg(long, default_value = "internal")]
    pub exposure: String,
    /// What it does.
    #[arg(long, default_value = "")]
    pub description: String,
    /// Home page, documentation, status page (repeatable).
    #[arg(long = "link")]
    pub links: Vec<String>,
    /// The catalogue project it runs.
    #[arg(long)]
    pub project: Option<String>,
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory services show SLUG`
#[derive(Debug, Args)]
pub struct InventoryServiceShowArgs {
    /// The service.
    pub slug: String,
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory where-used PACKAGE [RANGE]`
#[derive(Debug, Args)]
pub struct InventoryWhereUsedArgs {
    /// A package name (serde, log4j-core) or package URL (pkg:maven/org.apache.logging.log4j/log4j-core,
    /// with @VERSION for one version).
    pub package: String,
    /// A version range in the ecosystem's syntax: Cargo "^1.2, <1.5", npm ">=1.2 <2 || 3.x",
    /// PyPI ">=2.0,<3", Maven "[2.0,2.17.1)"; "=VERSION" in any ecosystem.
    pub range: Option<String>,
    /// Only this ecosystem (a purl type: cargo, npm, pypi, maven, golang, ...).
    #[arg(long)]
    pub ecosystem: Option<String>,
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory dependents --category ...`
#[derive(Debug, Args)]
pub struct InventoryDependentsArgs {
    /// Licence categories (repeatable): strong-copyleft, network-copyleft, weak-copyleft-library,
    /// weak-copyleft-file, non-free, unknown, permissive, public-domain.
    #[arg(long = "category", required = true)]
    pub categories: Vec<String>,
    /// Which services: critical-or-exposed, critical, external or all.
    #[arg(long, default_value = "critical-or-exposed")]
    pub services: String,
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory policy [--service SLUG]`
#[derive(Debug, Args)]
pub struct InventoryPolicyArgs {
    /// Only this service.
    #[arg(long)]
    pub service: Option<String>,
    /// A policy file (JSON, the shape `-f json` of `--show` prints); default: the lab's policy.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Print the policy's rules instead of checking.
    #[arg(long)]
    pub show: bool,
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory review --service SLUG --rule CODE --package PACKAGE --state STATE`
#[derive(Debug, Args)]
pub struct InventoryReviewArgs {
    /// The service.
    #[arg(long)]
    pub service: String,
    /// The rule's code, as a violation shows it (INV001).
    #[arg(long)]
    pub rule: String,
    /// The package, as a violation shows it (pkg:npm/foo, or ecosystem/name).
    #[arg(long)]
    pub package: String,
    /// open, accepted or to-fix.
    #[arg(long)]
    pub state: String,
    /// Why (required to accept).
    #[arg(long, default_value = "")]
    pub reason: String,
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory survey`
#[derive(Debug, Args)]
pub struct InventorySurveyArgs {
    /// How many entries the top lists show.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub common: InventoryCommon,
}

/// `ospo inventory diff --service SLUG FROM TO`
#[derive(Debug, Args)]
pub struct InventoryDiffArgs {
    /// The service.
    #[arg(long)]
    pub service: String,
    /// The earlier snapshot: its number, a date (the latest on or before it) or latest.
    pub from: String,
    /// The later snapshot, likewise.
    #[arg(default_value = "latest")]
    pub to: String,
    #[command(flatten)]
    pub common: InventoryCommon,
}
