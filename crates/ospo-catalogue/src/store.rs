//! Storage of the catalogue with sqlx: SQLite (one embedded file, created on first use) or
//! PostgreSQL (several stateless servers on one database).
//!
//! Every write is authorised against [`ospo_core::may`], validated, and done in one
//! transaction together with its audit entry; a failure leaves the database as it was.
//! Updates carry the version they were based on, and a stale one is refused.

use crate::error::CatalogueError;
use crate::facets::{FACETS, Segment, body_text, facet_values, highlight, query_words};
use ospo_core::{
    Action, Actor, AuditAction, AuditEntry, EntityKind, Project, Provenance, Slug, Target,
    Timestamp, may,
};
use serde::Serialize;
use sqlx::Row;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Result<T> = std::result::Result<T, CatalogueError>;

/// Runs the same code against whichever pool the catalogue has.
macro_rules! with_pool {
    ($self:expr, $pool:ident => $body:expr) => {
        match &$self.backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}

/// Runs the same code inside a transaction of whichever pool the catalogue has.
macro_rules! in_transaction {
    ($self:expr, $tx:ident, $is_pg:ident => $body:expr) => {
        match &$self.backend {
            Backend::Sqlite(pool) => {
                #[allow(unused_variables)]
                let $is_pg = false;
                // Take the write lock up front: a deferred transaction that reads and then
                // writes fails with "database is locked" when another writer got there first.
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            Backend::Postgres(pool) => {
                #[allow(unused_variables)]
                let $is_pg = true;
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}
pub(crate) use in_transaction;

pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The catalogue.
pub struct Catalogue {
    pub(crate) backend: Backend,
    index: Mutex<Option<Arc<Index>>>,
    text_search: TextSearch,
}

/// Where text queries are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextSearch {
    /// In memory up to [`TextSearch::MEMORY_LIMIT`] projects, in the database beyond.
    Auto,
    /// Always the in-memory index (fastest; the whole catalogue's text is held in memory).
    Memory,
    /// Always the database's full-text index (SQLite FTS5, PostgreSQL tsvector + GIN).
    Database,
}

impl TextSearch {
    /// Above this many projects, `Auto` matches text in the database.
    pub const MEMORY_LIMIT: usize = 100_000;
}

/// A project as listed in search results.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Listing {
    /// The project's slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Software, hardware or both.
    pub kind: String,
    /// Its summary.
    pub summary: String,
    /// Its licence expression.
    pub licence: Option<String>,
}

/// One search hit.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Hit {
    /// The project.
    #[serde(flatten)]
    pub project: Listing,
    /// Relevance (higher is better); 0 without a text query.
    pub score: f64,
    /// The name with the matching words marked.
    pub name_marked: Vec<Segment>,
    /// The summary with the matching words marked.
    pub summary_marked: Vec<Segment>,
}

/// A facet value and how many results have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FacetCount {
    /// The value.
    pub value: String,
    /// Results with this value.
    pub count: usize,
    /// Whether the query filters on it.
    pub selected: bool,
}

/// What to search for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Query {
    /// Free text; words are matched as prefixes, all must match.
    pub text: String,
    /// Facet filters: values of one facet are alternatives (OR), facets combine with AND.
    pub filters: Vec<(String, String)>,
    /// At most this many hits.
    pub limit: usize,
    /// Skip this many hits (pagination).
    pub offset: usize,
}

/// The result of a search.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SearchResults {
    /// How many projects match.
    pub total: usize,
    /// The requested page of hits, best first (by name without a text query).
    pub hits: Vec<Hit>,
    /// For each facet, its values among the matches, most frequent first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// What an import did.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportReport {
    /// Projects added.
    pub created: Vec<String>,
    /// Projects whose fields changed.
    pub updated: Vec<String>,
    /// Projects already up to date.
    pub unchanged: Vec<String>,
    /// Fields not replaced because a higher-ranked source (usually curation) set them.
    pub kept: Vec<String>,
}

/// Figures about the catalogue.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Stats {
    /// Number of projects.
    pub projects: usize,
    /// Counts per facet value.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// The in-memory facet index, rebuilt when the database's generation moves on. Text matching
/// stays in the database (FTS5 or PostgreSQL full-text); filtering, facet counts, ranking and
/// paging happen here, on bitsets and per-project lists.
struct Index {
    /// When the database's generation was last compared with this index's.
    checked: Mutex<std::time::Instant>,
    generation: i64,
    rows: Vec<Listing>,
    by_slug: HashMap<String, u32>,
    by_name: Vec<u32>,
    /// Each project's position in `by_name`: ties in ranking break on it, as an integer.
    name_rank: Vec<u32>,
    /// Lower-cased words of each project's name and summary, for ranking.
    name_words: Vec<Vec<Box<str>>>,
    summary_words: Vec<Vec<Box<str>>>,
    /// Facet values, their projects as bitsets, and each project's values.
    values: Vec<(String, String)>,
    value_ids: HashMap<(String, String), u32>,
    bits: Vec<Vec<u64>>,
    project_values: Vec<Vec<u32>>,
    /// Each value's facet, as its position in FACETS (u8::MAX: not a shown facet).
    value_facet: Vec<u8>,
    /// The value ids of each facet (by position in FACETS).
    facet_values: Vec<Vec<u32>>,
    /// The in-memory full-text index (empty when text is matched in the database).
    text: Option<crate::text::TextIndex>,
    /// Facet counts over the whole catalogue (the search without text or filters).
    all_counts: Vec<usize>,
    /// Results of recent searches over this index. It lives and dies with the index, so a
    /// change to the catalogue (which builds a new index) can never serve a stale result.
    results: Mutex<ResultCache>,
}

/// The most recently used search results, at most [`RESULTS_CACHED`] of them.
#[derive(Default)]
struct ResultCache {
    tick: u64,
    entries: HashMap<Query, (u64, SearchResults)>,
}

/// How many distinct searches each index remembers (catalogue pages and facet links repeat).
pub const RESULTS_CACHED: usize = 256;

impl Index {
    fn cached(&self, q: &Query) -> Option<SearchResults> {
        let mut cache = self.results.lock().unwrap_or_else(|e| e.into_inner());
        cache.tick += 1;
        let tick = cache.tick;
        let (used, results) = cache.entries.get_mut(q)?;
        *used = tick;
        Some(results.clone())
    }

    fn remember(&self, q: &Query, results: &SearchResults) {
        let mut cache = self.results.lock().unwrap_or_else(|e| e.into_inner());
        if cache.entries.len() >= RESULTS_CACHED
            && let Some(oldest) = cache
                .entries
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(k, _)| k.clone())
        {
            cache.entries.remove(&oldest);
        }
        let tick = cache.tick;
        cache.entries.insert(q.clone(), (tick, results.clone()));
    }
}

fn words_for(n: usize) -> usize {
    n.div_ceil(64)
}

fn lower_words(text: &str) -> Vec<Box<str>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().into_boxed_str())
        .collect()
}

impl Index {
    fn all(&self) -> Vec<u64> {
        let n = self.rows.len();
        let mut v = vec![u64::MAX; words_for(n)];
        if !n.is_multiple_of(64)
            && let Some(last) = v.last_mut()
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        v
    }

    /// Relevance of a text match: words in the name weigh most, then the summary; every
    /// match found by the database's full-text index (description, topics, people, use
    /// cases) counts at least 1.
    fn score(&self, i: usize, words: &[String]) -> f64 {
        let hit = |ws: &[Box<str>], w: &str| ws.iter().any(|x| x.starts_with(w));
        let mut score = 1.0;
        for w in words {
            if hit(&self.name_words[i], w) {
                score += 10.0;
            }
            if hit(&self.summary_words[i], w) {
                score += 4.0;
            }
        }
        // Shorter names are more specific matches.
        score - self.name_words[i].len() as f64 * 0.01
    }
}

/// How long a search trusts the in-memory index before asking the database whether another
/// server changed the catalogue.
pub const GENERATION_CHECK: Duration = Duration::from_millis(250);

/// How many values of one facet a search returns at most (the selected ones always).
pub const FACET_VALUES_SHOWN: usize = 40;

fn migrator(postgres: bool) -> Migrator {
    let files: [(i64, &str, &'static str, &'static str); 6] = [
        (
            1,
            "catalogue",
            include_str!("../migrations/sqlite/0001_catalogue.sql"),
            include_str!("../migrations/postgres/0001_catalogue.sql"),
        ),
        (
            2,
            "accounts",
            include_str!("../migrations/sqlite/0002_accounts.sql"),
            include_str!("../migrations/postgres/0002_accounts.sql"),
        ),
        (
            3,
            "sessions",
            include_str!("../migrations/sqlite/0003_sessions.sql"),
            include_str!("../migrations/postgres/0003_sessions.sql"),
        ),
        (
            4,
            "inventory",
            include_str!("../migrations/sqlite/0004_inventory.sql"),
            include_str!("../migrations/postgres/0004_inventory.sql"),
        ),
        (
            5,
            "workflow",
            include_str!("../migrations/sqlite/0005_workflow.sql"),
            include_str!("../migrations/postgres/0005_workflow.sql"),
        ),
        (
            6,
            "inventory covering indexes",
            include_str!("../migrations/sqlite/0006_inventory_covering.sql"),
            include_str!("../migrations/postgres/0006_inventory_covering.sql"),
        ),
    ];
    let migrations = files
        .into_iter()
        .map(|(version, name, sqlite, pg)| {
            Migration::new(
                version,
                Cow::Borrowed(name),
                MigrationType::Simple,
                sqlx::SqlStr::from_static(if postgres { pg } else { sqlite }),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// A database URL fit for messages and logs: the password (in the user part or a
/// `password=` parameter) replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let (Some(s), Some(at)) = (out.find("://"), out.rfind('@'))
        && at > s
        && let Some(colon) = out[s + 3..at].find(':')
    {
        out.replace_range(s + 3 + colon + 1..at, "***");
    }
    if let Some(q) = out.find('?') {
        let (base, query) = out.split_at(q + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _))
                    if k.eq_ignore_ascii_case("password")
                        || k.eq_ignore_ascii_case("sslpassword") =>
                {
                    format!("{k}=***")
                }
                _ => kv.to_owned(),
            })
            .collect();
        out = format!("{base}{}", query.join("&"));
    }
    out
}

fn parse_doc(slug: &str, doc: &str) -> Result<Project> {
    serde_json::from_str(doc).map_err(|e| CatalogueError::Corrupt {
        slug: slug.to_owned(),
        message: e.to_string(),
    })
}

pub(crate) fn check_project(p: &Project) -> Result<()> {
    p.validate().map_err(|error| CatalogueError::Invalid {
        slug: p.slug.to_string(),
        error,
    })?;
    if let Some(l) = &p.licence {
        ospo_licence::Expression::parse(l.as_str()).map_err(|error| CatalogueError::Licence {
            slug: p.slug.to_string(),
            error,
        })?;
    }
    Ok(())
}

fn fts_query_sqlite(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn fts_query_pg(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("{w}:*"))
        .collect::<Vec<_>>()
        .join(" & ")
}

impl Catalogue {
    /// Opens (and creates, for SQLite) the catalogue at `url`, bringing its schema up to date.
    /// `url` is a file path, `sqlite://PATH` or `postgres://...`.
    pub async fn open(url: &str) -> Result<Catalogue> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            migrator(true).run(&pool).await?;
            Backend::Postgres(pool)
        } else {
            let options = if url.starts_with("sqlite:") {
                SqliteConnectOptions::from_str(url)
                    .map_err(|_| CatalogueError::Url(url.to_owned()))?
            } else if url.contains("://") {
                return Err(CatalogueError::Url(url.to_owned()));
            } else {
                SqliteConnectOptions::new().filename(url)
            };
            let options = options
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            migrator(false).run(&pool).await?;
            Backend::Sqlite(pool)
        };
        Ok(Catalogue {
            backend,
            index: Mutex::new(None),
            text_search: TextSearch::Auto,
        })
    }

    /// Chooses where text queries are matched (default: [`TextSearch::Auto`]).
    pub fn with_text_search(mut self, mode: TextSearch) -> Catalogue {
        self.text_search = mode;
        self
    }

    /// Drops the in-memory index after a write through this catalogue.
    pub(crate) fn invalidate(&self) {
        *self.index.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Which backend this is: `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Closes the pool.
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }

    /// A project by slug.
    pub async fn get(&self, slug: &str) -> Result<Option<Project>> {
        let row = with_pool!(self, pool => {
            sqlx::query("SELECT document FROM projects WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
                .map(|r| r.get::<String, _>(0))
        });
        row.map(|doc| parse_doc(slug, &doc)).transpose()
    }

    /// Every project, ordered by slug (for export).
    pub async fn all(&self) -> Result<Vec<Project>> {
        let rows: Vec<(String, String)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT slug, document FROM projects ORDER BY slug").fetch_all(pool).await?
        });
        rows.iter()
            .map(|(slug, doc)| parse_doc(slug, doc))
            .collect()
    }

    /// Adds a project (version 1). The actor must be allowed to create projects.
    pub async fn create(
        &self,
        actor: &Actor,
        mut project: Project,
        at: &Timestamp,
    ) -> Result<Project> {
        may(actor, Action::CreateProject, &Target::Catalogue)?;
        check_project(&project)?;
        project.version = 1;
        project.created_at = at.clone();
        project.updated_at = at.clone();
        let origin = Provenance::for_actor(actor);
        let empty = Project::new(project.slug.clone(), "", project.kind, at.clone());
        project.record_edit(&empty, &origin);
        let entry = AuditEntry {
            actor: actor.id.clone(),
            at: at.clone(),
            entity_kind: EntityKind::Project,
            entity_id: project.slug.to_string(),
            action: AuditAction::Create,
            changes: empty.diff(&project),
            comment: String::new(),
        };
        in_transaction!(self, tx, is_pg => {
            let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM projects WHERE slug = $1")
                .bind(project.slug.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(CatalogueError::Exists(project.slug.to_string()));
            }
            let written: std::result::Result<(), CatalogueError> = async {
                write_project!(tx, is_pg, &project, true);
                Ok(())
            }
            .await;
            match written {
                Err(CatalogueError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                    return Err(CatalogueError::Exists(project.slug.to_string()));
                }
                other => other?,
            }
            write_audit!(tx, &entry);
            bump_generation!(tx);
        });
        self.invalidate();
        Ok(project)
    }

    /// Replaces a project's fields. `project.version` must be the version the edit was based
    /// on; a stale one is refused with [`CatalogueError::Stale`] and nothing is written.
    pub async fn update(
        &self,
        actor: &Actor,
        mut project: Project,
        at: &Timestamp,
        comment: &str,
    ) -> Result<Project> {
        may(actor, Action::EditProject, &Target::Project(&project.slug))?;
        check_project(&project)?;
        let slug = project.slug.to_string();
        let expected = project.version;
        in_transaction!(self, tx, is_pg => {
            let row: Option<(i64, String)> = sqlx::query_as("SELECT version, document FROM projects WHERE slug = $1")
                .bind(&slug)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((current, doc)) = row else {
                return Err(CatalogueError::NotFound(slug));
            };
            if current as u64 != expected {
                return Err(CatalogueError::Stale { slug, expected, current: current as u64 });
            }
            let before = parse_doc(&slug, &doc)?;
            // Provenance is the catalogue's record, not the caller's to send.
            project.provenance = before.provenance.clone();
            project.record_edit(&before, &Provenance::for_actor(actor));
            project.created_at = before.created_at.clone();
            project.updated_at = at.clone();
            project.version = expected + 1;
            let changes = before.diff(&project);
            let done = sqlx::query("UPDATE projects SET version = $1 WHERE slug = $2 AND version = $3")
                .bind(project.version as i64)
                .bind(&slug)
                .bind(expected as i64)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(CatalogueError::Stale { slug, expected, current: expected + 1 });
            }
            write_project!(tx, is_pg, &project, false);
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Project,
                entity_id: slug.clone(),
                action: AuditAction::Update,
                changes,
                comment: comment.to_owned(),
            };
            write_audit!(tx, &entry);
            bump_generation!(tx);
        });
        self.invalidate();
        Ok(project)
    }

    /// Removes a project; `expected_version` guards against deleting a newer edit.
    pub async fn delete(
        &self,
        actor: &Actor,
        slug: &Slug,
        expected_version: u64,
        at: &Timestamp,
    ) -> Result<()> {
        may(actor, Action::DeleteProject, &Target::Project(slug))?;
        in_transaction!(self, tx, is_pg => {
            let row: Option<(i64, String)> = sqlx::query_as("SELECT version, document FROM projects WHERE slug = $1")
                .bind(slug.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            let Some((current, doc)) = row else {
                return Err(CatalogueError::NotFound(slug.to_string()));
            };
            let before = parse_doc(slug.as_str(), &doc)?;
            if current as u64 != expected_version {
                return Err(CatalogueError::Stale { slug: slug.to_string(), expected: expected_version, current: current as u64 });
            }
            sqlx::query("DELETE FROM project_facets WHERE slug = $1").bind(slug.as_str()).execute(&mut *tx).await?;
            if !is_pg {
                sqlx::query("DELETE FROM project_text WHERE slug = $1").bind(slug.as_str()).execute(&mut *tx).await?;
            }
            let gone = sqlx::query("DELETE FROM projects WHERE slug = $1 AND version = $2")
                .bind(slug.as_str())
                .bind(current)
                .execute(&mut *tx)
                .await?;
            if gone.rows_affected() != 1 {
                return Err(CatalogueError::Stale { slug: slug.to_string(), expected: expected_version, current: current as u64 + 1 });
            }
            sqlx::query("UPDATE catalogue_meta SET generation = generation + 1 WHERE id = 1").execute(&mut *tx).await?;
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Project,
                entity_id: slug.to_string(),
                action: AuditAction::Delete,
                changes: before.diff(&Project::new(before.slug.clone(), "", before.kind, at.clone())),
                comment: String::new(),
            };
            write_audit!(tx, &entry);
        });
        self.invalidate();
        Ok(())
    }

    /// Imports (or re-syncs) projects from one source in one transaction: new projects are
    /// created, existing ones take the incoming fields their provenance allows
    /// ([`Project::sync_from`]); if any project is invalid, nothing is written.
    pub async fn import(
        &self,
        actor: &Actor,
        projects: Vec<Project>,
        origin: &Provenance,
        at: &Timestamp,
        source: &str,
    ) -> Result<ImportReport> {
        may(actor, Action::ImportCatalogue, &Target::Catalogue)?;
        for p in &projects {
            check_project(p)?;
        }
        let mut report = ImportReport::default();
        in_transaction!(self, tx, is_pg => {
            for incoming in &projects {
                let slug = incoming.slug.to_string();
                let row: Option<(String,)> = sqlx::query_as("SELECT document FROM projects WHERE slug = $1")
                    .bind(&slug)
                    .fetch_optional(&mut *tx)
                    .await?;
                match row {
                    Some((doc,)) => {
                        let mut current = parse_doc(&slug, &doc)?;
                        let outcome = current.sync_from(incoming, origin);
                        report.kept.extend(outcome.kept.iter().map(|f| format!("{slug}.{}", f.as_str())));
                        if outcome.changes.is_empty() {
                            report.unchanged.push(slug);
                            continue;
                        }
                        check_project(&current)?;
                        let read = current.version;
                        current.version += 1;
                        current.updated_at = at.clone();
                        // Claim the version read: a concurrent edit in between makes the import fail whole.
                        let claimed = sqlx::query("UPDATE projects SET version = $1 WHERE slug = $2 AND version = $3")
                            .bind(current.version as i64)
                            .bind(&slug)
                            .bind(read as i64)
                            .execute(&mut *tx)
                            .await?;
                        if claimed.rows_affected() != 1 {
                            return Err(CatalogueError::Stale { slug, expected: read, current: read + 1 });
                        }
                        write_project!(tx, is_pg, &current, false);
                        let entry = AuditEntry {
                            actor: actor.id.clone(),
                            at: at.clone(),
                            entity_kind: EntityKind::Project,
                            entity_id: slug.clone(),
                            action: AuditAction::Sync,
                            changes: outcome.changes,
                            comment: format!("import from {source}"),
                        };
                        write_audit!(tx, &entry);
                        report.updated.push(slug);
                    }
                    None => {
                        let mut p = incoming.clone();
                        p.version = 1;
                        p.created_at = at.clone();
                        p.updated_at = at.clone();
                        let empty = Project::new(p.slug.clone(), "", p.kind, at.clone());
                        for field in ospo_core::FieldName::ALL {
                            if !p.field_value(*field).is_empty() && !p.provenance.contains_key(field) {
                                p.provenance.insert(*field, origin.clone());
                            }
                        }
                        write_project!(tx, is_pg, &p, true);
                        let entry = AuditEntry {
                            actor: actor.id.clone(),
                            at: at.clone(),
                            entity_kind: EntityKind::Project,
                            entity_id: slug.clone(),
                            action: AuditAction::Create,
                            changes: empty.diff(&p),
                            comment: format!("import from {source}"),
                        };
                        write_audit!(tx, &entry);
                        report.created.push(slug);
                    }
                }
            }
            if !report.created.is_empty() || !report.updated.is_empty() {
                bump_generation!(tx);
            }
        });
        self.invalidate();
        Ok(report)
    }

    /// The audit log of one project (oldest first), or of the whole catalogue.
    pub async fn audit(&self, slug: Option<&str>) -> Result<Vec<AuditEntry>> {
        let rows: Vec<(String,)> = with_pool!(self, pool => {
            match slug {
                Some(s) => sqlx::query_as("SELECT entry FROM audit_log WHERE entity_kind = 'project' AND entity_id = $1 ORDER BY id")
                    .bind(s)
                    .fetch_all(pool)
                    .await?,
                None => sqlx::query_as("SELECT entry FROM audit_log ORDER BY id").fetch_all(pool).await?,
            }
        });
        rows.iter()
            .map(|(e,)| {
                serde_json::from_str(e).map_err(|err| CatalogueError::Corrupt {
                    slug: slug.unwrap_or("audit log").to_owned(),
                    message: err.to_string(),
                })
            })
            .collect()
    }

    async fn generation(&self) -> Result<i64> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT generation FROM catalogue_meta WHERE id = 1").fetch_one(pool).await?
        }))
    }

    async fn index(&self) -> Result<Arc<Index>> {
        // Writes through this catalogue drop the index at once (see `invalidate`); writes by
        // other servers sharing the database are seen within GENERATION_CHECK.
        if let Some(ix) = self
            .index
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            && ix
                .checked
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .elapsed()
                < GENERATION_CHECK
        {
            return Ok(ix.clone());
        }
        let generation = self.generation().await?;
        if let Some(ix) = self
            .index
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            && ix.generation == generation
        {
            *ix.checked.lock().unwrap_or_else(|e| e.into_inner()) = std::time::Instant::now();
            return Ok(ix.clone());
        }
        type Row = (String, String, String, String, Option<String>, String);
        let (rows, facets): (Vec<Row>, Vec<(String, String, String)>) = with_pool!(self, pool => {
            let rows = sqlx::query_as("SELECT slug, name, kind, summary, licence, search_text FROM projects ORDER BY slug")
                .fetch_all(pool)
                .await?;
            let facets = sqlx::query_as("SELECT slug, facet, value FROM project_facets ORDER BY facet, value")
                .fetch_all(pool)
                .await?;
            (rows, facets)
        });
        let n = rows.len();
        let memory_text = match self.text_search {
            TextSearch::Memory => true,
            TextSearch::Database => false,
            TextSearch::Auto => n <= TextSearch::MEMORY_LIMIT,
        };
        let text = memory_text.then(|| {
            crate::text::TextIndex::build(
                rows.iter()
                    .map(|r| (r.1.as_str(), r.3.as_str(), r.5.as_str())),
            )
        });
        let rows: Vec<Listing> = rows
            .into_iter()
            .map(|(slug, name, kind, summary, licence, _)| Listing {
                slug,
                name,
                kind,
                summary,
                licence,
            })
            .collect();
        let by_slug: HashMap<String, u32> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.slug.clone(), i as u32))
            .collect();
        let mut by_name: Vec<u32> = (0..n as u32).collect();
        by_name.sort_by_cached_key(|&i| rows[i as usize].name.to_lowercase());
        let mut name_rank = vec![0u32; n];
        for (rank, &i) in by_name.iter().enumerate() {
            name_rank[i as usize] = rank as u32;
        }
        let name_words = rows.iter().map(|r| lower_words(&r.name)).collect();
        let summary_words = rows.iter().map(|r| lower_words(&r.summary)).collect();
        let mut values: Vec<(String, String)> = Vec::new();
        let mut value_ids: HashMap<(String, String), u32> = HashMap::new();
        let mut bits: Vec<Vec<u64>> = Vec::new();
        let mut project_values: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (slug, facet, value) in facets {
            let Some(&i) = by_slug.get(&slug) else {
                continue;
            };
            let key = (facet, value);
            let id = match value_ids.get(&key) {
                Some(&id) => id,
                None => {
                    let id = values.len() as u32;
                    values.push(key.clone());
                    value_ids.insert(key, id);
                    bits.push(vec![0; words_for(n)]);
                    id
                }
            };
            bits[id as usize][i as usize / 64] |= 1 << (i % 64);
            project_values[i as usize].push(id);
        }
        let value_facet: Vec<u8> = values
            .iter()
            .map(|(f, _)| {
                FACETS
                    .iter()
                    .position(|x| x == f)
                    .map_or(u8::MAX, |p| p as u8)
            })
            .collect();
        let mut facet_values: Vec<Vec<u32>> = vec![Vec::new(); FACETS.len()];
        for (id, &k) in value_facet.iter().enumerate() {
            if let Some(list) = facet_values.get_mut(k as usize) {
                list.push(id as u32);
            }
        }
        let mut all_counts = vec![0usize; values.len()];
        for list in &project_values {
            for &id in list {
                all_counts[id as usize] += 1;
            }
        }
        let ix = Arc::new(Index {
            checked: Mutex::new(std::time::Instant::now()),
            generation,
            rows,
            by_slug,
            by_name,
            name_rank,
            name_words,
            summary_words,
            values,
            value_ids,
            bits,
            project_values,
            value_facet,
            facet_values,
            all_counts,
            text,
            results: Mutex::new(ResultCache::default()),
        });
        *self.index.lock().unwrap_or_else(|e| e.into_inner()) = Some(ix.clone());
        Ok(ix)
    }

    /// The slugs the database's full-text index matches, in one aggregated row (ranking is
    /// done in memory: scoring every match in SQL costs a few microseconds each).
    async fn text_matches(&self, words: &[String]) -> Result<Vec<String>> {
        let joined: Option<String> = match &self.backend {
            Backend::Sqlite(pool) => sqlx::query_scalar("SELECT group_concat(slug, ' ') FROM project_text WHERE project_text MATCH $1")
                .bind(fts_query_sqlite(words))
                .fetch_one(pool)
                .await?,
            Backend::Postgres(pool) => sqlx::query_scalar(
                "SELECT string_agg(slug, ' ') FROM projects WHERE search @@ to_tsquery('english', $1)",
            )
            .bind(fts_query_pg(words))
            .fetch_one(pool)
            .await?,
        };
        Ok(joined
            .map(|j| j.split(' ').map(str::to_owned).collect())
            .unwrap_or_default())
    }

    /// Full-text search with facet filters and counts, ranked, with the matches marked.
    pub async fn search(&self, q: &Query) -> Result<SearchResults> {
        let ix = self.index().await?;
        if let Some(hit) = ix.cached(q) {
            return Ok(hit);
        }
        let results = self.search_in(&ix, q).await?;
        ix.remember(q, &results);
        Ok(results)
    }

    async fn search_in(&self, ix: &Index, q: &Query) -> Result<SearchResults> {
        let words = query_words(&q.text);
        let n = ix.rows.len();
        let mut candidates = ix.all();
        let mut text_scores: Option<Vec<f64>> = None;
        if !words.is_empty() {
            match &ix.text {
                Some(text) => {
                    let (bits, scores) = text.search(&words, n);
                    candidates = bits;
                    text_scores = Some(scores);
                }
                None => {
                    let mut bits = vec![0u64; words_for(n)];
                    for slug in self.text_matches(&words).await? {
                        if let Some(&i) = ix.by_slug.get(&slug) {
                            bits[i as usize / 64] |= 1 << (i % 64);
                        }
                    }
                    candidates = bits;
                }
            }
        }
        // Filters: values of one facet are alternatives, facets combine with AND.
        let mut by_facet: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        let mut unknown_value = false;
        for (f, _) in &q.filters {
            if !FACETS.contains(&f.as_str()) {
                return Err(CatalogueError::Query(format!(
                    "unknown facet '{f}': filter on one of {}",
                    FACETS.join(", ")
                )));
            }
        }
        for (f, v) in &q.filters {
            match ix.value_ids.get(&(f.clone(), v.clone())) {
                Some(&id) => by_facet.entry(f.as_str()).or_default().push(id),
                None => {
                    by_facet.entry(f.as_str()).or_default();
                    unknown_value = true;
                }
            }
        }
        let filtered_except = |skip: Option<&str>| -> Vec<u64> {
            let mut c = candidates.clone();
            for (facet, ids) in &by_facet {
                if Some(*facet) == skip {
                    continue;
                }
                let mut any = vec![0u64; c.len()];
                for &id in ids {
                    for (a, b) in any.iter_mut().zip(&ix.bits[id as usize]) {
                        *a |= *b;
                    }
                }
                for (a, b) in c.iter_mut().zip(&any) {
                    *a &= *b;
                }
            }
            c
        };
        let matched = filtered_except(None);
        let ones = |bits: &[u64]| -> Vec<u32> {
            let mut out = Vec::new();
            for (w, &word) in bits.iter().enumerate() {
                let mut x = word;
                while x != 0 {
                    out.push((w * 64) as u32 + x.trailing_zeros());
                    x &= x - 1;
                }
            }
            out
        };
        let matched_list = ones(&matched);
        let total = matched_list.len();
        // Facet counts: each facet counted over what the *other* facets' filters leave.
        let mut counts = if words.is_empty() && by_facet.is_empty() {
            ix.all_counts.clone()
        } else {
            vec![0usize; ix.values.len()]
        };
        // Which facets (by position in FACETS) the query filters on: a table, not string
        // comparisons, since this loop runs for every value of every matched project.
        let mut filtered = [false; 16];
        for f in by_facet.keys() {
            if let Some(k) = FACETS.iter().position(|x| x == f) {
                filtered[k] = true;
            }
        }
        // Facets with few values are counted by intersecting bitsets (a popcount per value);
        // facets with many values by walking the projects' value lists once.
        const FEW: usize = 64;
        let popcount = |base: &[u64], id: u32| -> usize {
            base.iter()
                .zip(&ix.bits[id as usize])
                .map(|(a, b)| (a & b).count_ones() as usize)
                .sum()
        };
        if !(words.is_empty() && by_facet.is_empty()) {
            let mut walk = [false; 16];
            for (k, ids) in ix.facet_values.iter().enumerate() {
                if filtered[k] {
                    continue;
                }
                if ids.len() <= FEW {
                    for &id in ids {
                        counts[id as usize] = popcount(&matched, id);
                    }
                } else {
                    walk[k] = true;
                }
            }
            if walk.iter().any(|&w| w) {
                for &i in &matched_list {
                    for &id in &ix.project_values[i as usize] {
                        if walk
                            .get(ix.value_facet[id as usize] as usize)
                            .copied()
                            .unwrap_or(false)
                        {
                            counts[id as usize] += 1;
                        }
                    }
                }
            }
        }
        for facet in by_facet.keys() {
            let k = FACETS.iter().position(|x| x == facet).unwrap_or(usize::MAX);
            let Some(ids) = ix.facet_values.get(k) else {
                continue;
            };
            let base = filtered_except(Some(facet));
            if ids.len() <= FEW {
                for &id in ids {
                    counts[id as usize] = popcount(&base, id);
                }
            } else {
                for i in ones(&base) {
                    for &id in &ix.project_values[i as usize] {
                        if ix.value_facet[id as usize] as usize == k {
                            counts[id as usize] += 1;
                        }
                    }
                }
            }
        }
        // Per facet: the selected values, then the most frequent; strings only for those shown.
        let mut per_facet: BTreeMap<&str, Vec<(bool, usize, u32)>> = BTreeMap::new();
        let selected_ids: Vec<u32> = by_facet.values().flatten().copied().collect();
        for (id, (facet, _)) in ix.values.iter().enumerate() {
            if ix.value_facet[id] == u8::MAX || (counts[id] == 0 && selected_ids.is_empty()) {
                continue;
            }
            let selected = selected_ids.contains(&(id as u32));
            if counts[id] > 0 || selected {
                per_facet
                    .entry(facet.as_str())
                    .or_default()
                    .push((selected, counts[id], id as u32));
            }
        }
        let mut facets: BTreeMap<String, Vec<FacetCount>> = BTreeMap::new();
        for (facet, mut list) in per_facet {
            let shown = FACET_VALUES_SHOWN.max(list.iter().filter(|c| c.0).count());
            let by_rank = |a: &(bool, usize, u32), b: &(bool, usize, u32)| {
                b.0.cmp(&a.0)
                    .then(b.1.cmp(&a.1))
                    .then_with(|| ix.values[a.2 as usize].1.cmp(&ix.values[b.2 as usize].1))
            };
            if list.len() > shown {
                list.select_nth_unstable_by(shown - 1, by_rank);
                list.truncate(shown);
            }
            list.sort_by(by_rank);
            facets.insert(
                facet.to_owned(),
                list.into_iter()
                    .map(|(selected, count, id)| FacetCount {
                        value: ix.values[id as usize].1.clone(),
                        count,
                        selected,
                    })
                    .collect(),
            );
        }
        let (order, scores): (Vec<u32>, Vec<f64>) = if unknown_value {
            (Vec::new(), Vec::new())
        } else if words.is_empty() {
            let is_set = |i: u32| matched[i as usize / 64] & (1 << (i % 64)) != 0;
            let wanted = q
                .offset
                .saturating_add(if q.limit == 0 { 20 } else { q.limit.min(1000) });
            (
                ix.by_name
                    .iter()
                    .copied()
                    .filter(|&i| is_set(i))
                    .take(wanted)
                    .collect(),
                Vec::new(),
            )
        } else {
            let scores = text_scores.unwrap_or_else(|| {
                let mut scores = vec![0.0; n];
                for &i in &matched_list {
                    scores[i as usize] = ix.score(i as usize, &words);
                }
                scores
            });
            // Best score first, ties by name; only the requested page needs to be in order.
            let mut order = matched_list.clone();
            let rank = |a: &u32, b: &u32| {
                scores[*b as usize]
                    .total_cmp(&scores[*a as usize])
                    .then(ix.name_rank[*a as usize].cmp(&ix.name_rank[*b as usize]))
            };
            let wanted = q
                .offset
                .saturating_add(if q.limit == 0 { 20 } else { q.limit.min(1000) });
            if wanted < order.len() {
                order.select_nth_unstable_by(wanted, rank);
                order.truncate(wanted);
            }
            order.sort_unstable_by(rank);
            (order, scores)
        };
        let total = if unknown_value { 0 } else { total };
        let limit = if q.limit == 0 { 20 } else { q.limit.min(1000) };
        let hits = order
            .iter()
            .skip(q.offset)
            .take(limit)
            .map(|&i| {
                let row = &ix.rows[i as usize];
                Hit {
                    project: row.clone(),
                    score: scores.get(i as usize).copied().unwrap_or(0.0),
                    name_marked: highlight(&row.name, &words),
                    summary_marked: highlight(&row.summary, &words),
                }
            })
            .collect();
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }

    /// Figures for the home page and reports.
    pub async fn stats(&self) -> Result<Stats> {
        let r = self
            .search(&Query {
                limit: 1,
                ..Query::default()
            })
            .await?;
        Ok(Stats {
            projects: r.total,
            facets: r.facets,
        })
    }
}

/// Writes a project's row, facets and search text inside a transaction.
macro_rules! write_project {
    ($tx:ident, $is_pg:ident, $p:expr, $insert:expr) => {{
        let p: &Project = $p;
        let slug = p.slug.as_str();
        let doc = serde_json::to_string(p).map_err(|e| CatalogueError::Corrupt { slug: slug.to_owned(), message: e.to_string() })?;
        let licence = p.licence.as_ref().map(|l| l.as_str().to_owned());
        let body = body_text(p);
        let sql = match ($is_pg, $insert) {
            (false, true) => "INSERT INTO projects (slug, version, name, kind, summary, licence, document, created_at, updated_at, search_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            (false, false) => "UPDATE projects SET version = $2, name = $3, kind = $4, summary = $5, licence = $6, document = $7, created_at = $8, updated_at = $9, search_text = $10 WHERE slug = $1",
            (true, true) => "INSERT INTO projects (slug, version, name, kind, summary, licence, document, created_at, updated_at, search_text, search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, setweight(to_tsvector('english', $3), 'A') || setweight(to_tsvector('english', $5), 'B') || setweight(to_tsvector('english', $10), 'C'))",
            (true, false) => "UPDATE projects SET version = $2, name = $3, kind = $4, summary = $5, licence = $6, document = $7, created_at = $8, updated_at = $9, search_text = $10, search = setweight(to_tsvector('english', $3), 'A') || setweight(to_tsvector('english', $5), 'B') || setweight(to_tsvector('english', $10), 'C') WHERE slug = $1",
        };
        let query = sqlx::query(sql)
            .bind(slug)
            .bind(p.version as i64)
            .bind(&p.name)
            .bind(p.kind.to_string())
            .bind(&p.summary)
            .bind(licence)
            .bind(doc)
            .bind(p.created_at.to_string())
            .bind(p.updated_at.to_string())
            .bind(body.clone());
        query.execute(&mut *$tx).await?;
        if !$insert {
            sqlx::query("DELETE FROM project_facets WHERE slug = $1").bind(slug).execute(&mut *$tx).await?;
        }
        let facets = facet_values(p);
        if !facets.is_empty() {
            let mut sql = String::from("INSERT INTO project_facets (slug, facet, value) VALUES ");
            for i in 0..facets.len() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(slug);
            for (facet, value) in facets {
                q = q.bind(facet).bind(value);
            }
            q.execute(&mut *$tx).await?;
        }
        if !$is_pg {
            if !$insert {
                sqlx::query("DELETE FROM project_text WHERE slug = $1").bind(slug).execute(&mut *$tx).await?;
            }
            sqlx::query("INSERT INTO project_text (slug, name, summary, body) VALUES ($1, $2, $3, $4)")
                .bind(slug)
                .bind(&p.name)
                .bind(&p.summary)
                .bind(body)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use write_project;

/// Tells servers sharing the database that their in-memory index is stale.
macro_rules! bump_generation {
    ($tx:ident) => {
        sqlx::query("UPDATE catalogue_meta SET generation = generation + 1 WHERE id = 1")
            .execute(&mut *$tx)
            .await?;
    };
}
pub(crate) use bump_generation;

/// Appends an audit entry inside a transaction.
macro_rules! write_audit {
    ($tx:ident, $entry:expr) => {{
        let e: &AuditEntry = $entry;
        let json = serde_json::to_string(e).map_err(|err| CatalogueError::Corrupt { slug: e.entity_id.clone(), message: err.to_string() })?;
        sqlx::query("INSERT INTO audit_log (at, actor, entity_kind, entity_id, action, entry) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(e.at.to_string())
            .bind(&e.actor)
            .bind(e.entity_kind.to_string())
            .bind(&e.entity_id)
            .bind(e.action.to_string())
            .bind(json)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use write_audit;
