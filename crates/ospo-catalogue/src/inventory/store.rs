//! Storage of the inventory: services, deduplicated components, dated snapshots of use, and
//! the review states of policy violations.
//!
//! An ingest reads every file first with [`super::read`]; if any file is refused, nothing is
//! written. Otherwise the snapshot, its components and usages and the audit entry are written in
//! one transaction. The latest snapshot of each service is copied to `inventory_current`, the
//! narrow table that where-used and policy questions read.

use super::{Format, Warning};
use crate::error::CatalogueError;
use crate::store::{Backend, Catalogue};
use ospo_core::{
    Action, Actor, AuditAction, AuditEntry, Component, ComponentLicence, Criticality, EntityKind,
    Exposure, FieldChange, IsoDate, LicenceExpression, Normalisation, PackageUrl, Relation, Scope,
    Service, Slug, Target, Timestamp, ToValue, Unit, Url, Value, may,
};
use ospo_licence::Category;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(crate) type Result<T> = std::result::Result<T, CatalogueError>;

/// Runs the same code against whichever pool the catalogue has.
macro_rules! on_pool {
    ($cat:expr, $pool:ident => $body:expr) => {
        match &$cat.backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Runs the same code in one transaction of whichever pool the catalogue has (SQLite takes the
/// write lock up front, as the catalogue's writes do).
macro_rules! in_tx {
    ($cat:expr, $tx:ident => $body:expr) => {
        match &$cat.backend {
            Backend::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            Backend::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// Appends an audit entry inside a transaction.
macro_rules! audit {
    ($tx:ident, $entry:expr) => {{
        let e: &AuditEntry = $entry;
        let json = serde_json::to_string(e).unwrap_or_default();
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

/// `$a, $b, ...` placeholders for `n` values from `$start`.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Exceptions whose purpose is to let the licensed code be linked into works under any terms
/// (the licence engine's list of linking exceptions): a strong copyleft licence with one of
/// them binds like a weak, library-scoped copyleft.
const LINKING_EXCEPTIONS: &[&str] = &[
    "Classpath-exception-2.0",
    "GCC-exception-2.0",
    "GCC-exception-3.1",
    "GNAT-exception",
    "LGPL-3.0-linking-exception",
    "LLVM-exception",
    "OCaml-LGPL-linking-exception",
    "Qt-LGPL-exception-1.1",
    "Universal-FOSS-exception-1.0",
    "WxWindows-exception-3.1",
    "eCos-exception-2.0",
    "FLTK-exception",
    "mif-exception",
];

fn rank(c: Category) -> u8 {
    match c {
        Category::PublicDomain => 0,
        Category::Permissive => 1,
        Category::WeakCopyleftFile => 2,
        Category::WeakCopyleftLibrary => 3,
        Category::StrongCopyleft => 4,
        Category::NetworkCopyleft => 5,
        Category::NonFree => 6,
        Category::Unknown => 7,
    }
}

fn expression_category(e: &ospo_licence::Expression) -> Category {
    use ospo_licence::Expression as E;
    let kb = ospo_licence::KnowledgeBase::get();
    match e {
        E::Term(t) => {
            let Some(id) = t.spdx() else {
                return Category::Unknown;
            };
            let c = kb.category(id);
            let linking = t
                .exception
                .as_ref()
                .is_some_and(|x| LINKING_EXCEPTIONS.contains(&x.as_str()));
            if linking && c == Category::StrongCopyleft {
                Category::WeakCopyleftLibrary
            } else {
                c
            }
        }
        // The recipient chooses: the least binding choice counts.
        E::Or(v) => v
            .iter()
            .map(expression_category)
            .min_by_key(|c| rank(*c))
            .unwrap_or(Category::Unknown),
        // All apply: the most binding counts.
        E::And(v) => v
            .iter()
            .map(expression_category)
            .max_by_key(|c| rank(*c))
            .unwrap_or(Category::Unknown),
    }
}

/// The licence category (from the licence engine's knowledge base) a component's effective
/// licence puts on the services that use it: for `OR` the least binding choice, for `AND` the
/// most binding part, a linking exception turns strong copyleft into library copyleft; no
/// licence, or a `LicenseRef-`, is `unknown`.
pub fn licence_category(expression: Option<&str>) -> Category {
    expression
        .and_then(|e| ospo_licence::Expression::parse(e).ok())
        .map_or(Category::Unknown, |e| expression_category(&e))
}

/// A service with what the inventory knows of it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceSummary {
    /// The service.
    #[serde(flatten)]
    pub service: Service,
    /// Its latest snapshot, if any.
    pub latest_snapshot: Option<SnapshotInfo>,
}

/// One snapshot: when, from which files, how many components.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SnapshotInfo {
    /// The snapshot's number (unique across the inventory).
    pub id: i64,
    /// The service.
    pub service: String,
    /// The day the inventory was taken.
    pub date: String,
    /// When it was stored.
    pub ingested_at: String,
    /// Who stored it.
    pub actor: String,
    /// The files it was read from.
    pub sources: Vec<SourceFile>,
    /// How many components the service used.
    pub usages: i64,
}

/// One file of a snapshot.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SourceFile {
    /// The file's name as given.
    pub file: String,
    /// The format detected.
    pub format: String,
    /// The format's own version, when it says.
    pub spec_version: Option<String>,
    /// Components listed.
    pub components: usize,
    /// What the reader tolerated, with locations.
    pub warnings: Vec<String>,
}

/// What an ingest stored.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IngestReport {
    /// The snapshot written.
    pub snapshot: SnapshotInfo,
    /// Components seen for the first time in the inventory.
    pub new_components: usize,
    /// Whether this is now the service's latest snapshot (an older date is kept as history).
    pub latest: bool,
}

/// A component as stored, with its inventory number and licence category.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StoredComponent {
    /// The component's number in the inventory.
    pub id: i64,
    /// The component.
    #[serde(flatten)]
    pub component: Component,
    /// The package across versions (purl without version, else `ecosystem/name`).
    pub package: String,
    /// The licence reasoned with (concluded if resolved, else declared).
    pub licence: Option<String>,
    /// Its category in the licence engine.
    pub category: String,
}

/// The columns [`component_from_row`] reads, in order.
pub(crate) const COMPONENT_COLUMNS: &str = "comp.id, comp.name, comp.version, comp.ecosystem, comp.purl, comp.declared_expression, comp.declared_how, comp.declared_raw, comp.declared_confidence, comp.concluded_expression, comp.concluded_how, comp.concluded_raw, comp.concluded_confidence, comp.supplier, comp.category";

/// A component row, as selected with [`COMPONENT_COLUMNS`].
pub(crate) type ComponentRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i32>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i32>,
    Option<String>,
    String,
);

fn stored_licence(
    expression: Option<String>,
    how: Option<String>,
    raw: Option<String>,
    confidence: Option<i32>,
) -> Option<ComponentLicence> {
    let how = how?;
    Some(ComponentLicence {
        raw: raw.unwrap_or_default(),
        expression: expression.and_then(|e| LicenceExpression::parse(&e).ok()),
        normalisation: how.parse().unwrap_or(Normalisation::Unmatched),
        confidence: confidence.unwrap_or(0).clamp(0, 100) as u8,
    })
}

pub(crate) fn component_from_row(r: ComponentRow) -> StoredComponent {
    let component = Component {
        purl: r.4.and_then(|p| PackageUrl::parse(&p).ok()),
        name: r.1,
        version: r.2,
        ecosystem: r.3,
        declared_licence: stored_licence(r.5, r.6, r.7, r.8),
        concluded_licence: stored_licence(r.9, r.10, r.11, r.12),
        supplier: r.13,
    };
    StoredComponent {
        id: r.0,
        package: component.package_key().to_lowercase(),
        licence: component.licence().map(|l| l.as_str().to_owned()),
        component,
        category: r.14,
    }
}

/// A service row: slug, name, owner, criticality, exposure, description, links, project.
pub(crate) type ServiceRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

pub(crate) const SERVICE_COLUMNS: &str =
    "s.slug, s.name, s.owner, s.criticality, s.exposure, s.description, s.links, s.project";

pub(crate) fn service_from_row(r: ServiceRow) -> Result<Service> {
    let corrupt = |what: &str, e: String| {
        CatalogueError::InventoryInput(format!("stored service '{}': {what}: {e}", r.0))
    };
    Ok(Service {
        slug: Slug::parse(&r.0).map_err(|e| corrupt("slug", e.to_string()))?,
        name: r.1.clone(),
        owner: Unit::parse(&r.2).map_err(|e| corrupt("owner", e.to_string()))?,
        criticality: r
            .3
            .parse()
            .map_err(|e: ospo_core::ValidationError| corrupt("criticality", e.to_string()))?,
        exposure: r
            .4
            .parse()
            .map_err(|e: ospo_core::ValidationError| corrupt("exposure", e.to_string()))?,
        description: r.5.clone(),
        links: serde_json::from_str::<Vec<String>>(&r.6)
            .unwrap_or_default()
            .iter()
            .filter_map(|u| Url::parse(u).ok())
            .collect(),
        project: r.7.as_deref().and_then(|p| Slug::parse(p).ok()),
    })
}

/// A snapshot row: id, service slug, taken_on, ingested_at, actor, sources, usages.
type SnapshotRow = (i64, String, String, String, String, String, i64);

const SNAPSHOT_COLUMNS: &str =
    "sn.id, s.slug, sn.taken_on, sn.ingested_at, sn.actor, sn.sources, sn.usages";

fn snapshot_from_row(r: SnapshotRow) -> SnapshotInfo {
    SnapshotInfo {
        id: r.0,
        service: r.1,
        date: r.2,
        ingested_at: r.3,
        actor: r.4,
        sources: serde_json::from_str(&r.5).unwrap_or_default(),
        usages: r.6,
    }
}

/// One file to ingest: its name (for format detection and messages) and its bytes.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The file's name (`Cargo.lock`, `bom.cdx.json`).
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// One usage ready to store.
struct Edge {
    component: Component,
    fingerprint: String,
    relation: Relation,
    scope: Scope,
}

fn fingerprint(c: &Component) -> String {
    let json = serde_json::to_string(c).unwrap_or_default();
    let digest = Sha256::digest(json.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads every file; the first refusal refuses the whole ingest.
fn read_all(files: &[InputFile]) -> Result<(Vec<Edge>, Vec<SourceFile>)> {
    let mut edges: Vec<Edge> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut sources = Vec::new();
    for f in files {
        let ingested = super::read(&f.name, &f.bytes)?;
        sources.push(SourceFile {
            file: f.name.clone(),
            format: format_name(ingested.format),
            spec_version: ingested.spec_version.clone(),
            components: ingested.entries.len(),
            warnings: ingested.warnings.iter().map(Warning::to_string).collect(),
        });
        for e in ingested.entries {
            // A file that does not say how a component is used lists it itself: direct.
            let relation = e.relation.unwrap_or(Relation::Direct);
            let fp = fingerprint(&e.component);
            match at.get(&fp) {
                Some(&i) => {
                    if relation == Relation::Direct {
                        edges[i].relation = Relation::Direct;
                    }
                    if edges[i].scope == Scope::Unspecified {
                        edges[i].scope = e.scope;
                    }
                }
                None => {
                    at.insert(fp.clone(), edges.len());
                    edges.push(Edge {
                        component: e.component,
                        fingerprint: fp,
                        relation,
                        scope: e.scope,
                    });
                }
            }
        }
    }
    Ok((edges, sources))
}

fn format_name(f: Format) -> String {
    f.to_string()
}

fn check_service(s: &Service) -> Result<()> {
    if let Some(p) = s.problems().into_iter().next() {
        return Err(CatalogueError::InventoryInput(format!(
            "service '{}': {p}",
            s.slug
        )));
    }
    Ok(())
}

fn service_changes(before: Option<&Service>, after: &Service) -> Vec<FieldChange> {
    let fields = |s: Option<&Service>| -> Vec<(&'static str, Value)> {
        vec![
            ("name", s.map(|s| s.name.clone()).to_value()),
            (
                "owner",
                s.map(|s| s.owner.to_value()).unwrap_or(Value::Null),
            ),
            (
                "criticality",
                s.map(|s| s.criticality.to_string()).to_value(),
            ),
            ("exposure", s.map(|s| s.exposure.to_string()).to_value()),
            ("description", s.map(|s| s.description.clone()).to_value()),
            (
                "links",
                s.map(|s| {
                    s.links
                        .iter()
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>()
                        .to_value()
                })
                .unwrap_or(Value::Null),
            ),
            (
                "project",
                s.and_then(|s| s.project.as_ref().map(|p| p.to_string()))
                    .to_value(),
            ),
        ]
    };
    fields(before)
        .into_iter()
        .zip(fields(Some(after)))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((field, old), (_, new))| FieldChange::new(field, old, new))
        .collect()
}

/// A review state of a policy violation, kept across snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// Not reviewed yet.
    Open,
    /// Accepted, with a reason (an exception granted by the OSPO).
    Accepted,
    /// The service's owners are to replace or remove the component.
    ToFix,
}

impl ReviewState {
    /// The name used on the command line, in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Open => "open",
            ReviewState::Accepted => "accepted",
            ReviewState::ToFix => "to-fix",
        }
    }
}

impl std::str::FromStr for ReviewState {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "open" => Ok(ReviewState::Open),
            "accepted" => Ok(ReviewState::Accepted),
            "to-fix" => Ok(ReviewState::ToFix),
            _ => Err(format!(
                "unknown review state '{s}': use open, accepted or to-fix"
            )),
        }
    }
}

impl Catalogue {
    /// Adds a service to the inventory, or replaces its fields. OSPO members only; audited.
    pub async fn put_service(
        &self,
        actor: &Actor,
        service: &Service,
        at: &Timestamp,
    ) -> Result<()> {
        may(actor, Action::ManageInventory, &Target::Inventory)?;
        check_service(service)?;
        let links: Vec<String> = service.links.iter().map(|l| l.to_string()).collect();
        let links = serde_json::to_string(&links).unwrap_or_else(|_| "[]".into());
        let before = self.service_unchecked(service.slug.as_str()).await?;
        let changes = service_changes(before.as_ref(), service);
        let entry = AuditEntry {
            actor: actor.id.clone(),
            at: at.clone(),
            entity_kind: EntityKind::Service,
            entity_id: service.slug.to_string(),
            action: if before.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            changes,
            comment: String::new(),
        };
        in_tx!(self, tx => {
            sqlx::query(
                "INSERT INTO inventory_services (slug, name, owner, criticality, exposure, description, links, project, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                 ON CONFLICT (slug) DO UPDATE SET name = $2, owner = $3, criticality = $4, exposure = $5, description = $6, links = $7, project = $8, updated_at = $9",
            )
            .bind(service.slug.as_str())
            .bind(&service.name)
            .bind(service.owner.to_string())
            .bind(service.criticality.as_str())
            .bind(service.exposure.as_str())
            .bind(&service.description)
            .bind(&links)
            .bind(service.project.as_ref().map(|p| p.to_string()))
            .bind(at.to_string())
            .execute(&mut *tx)
            .await?;
            // The current edges carry the service's context: keep them in step.
            sqlx::query(
                "UPDATE inventory_current SET criticality = $2, exposure = $3, service_name = $4 \
                 WHERE service_id = (SELECT id FROM inventory_services WHERE slug = $1)",
            )
            .bind(service.slug.as_str())
            .bind(service.criticality.as_str())
            .bind(service.exposure.as_str())
            .bind(&service.name)
            .execute(&mut *tx)
            .await?;
            audit!(tx, &entry);
        });
        Ok(())
    }

    async fn service_unchecked(&self, slug: &str) -> Result<Option<Service>> {
        let sql = format!("SELECT {SERVICE_COLUMNS} FROM inventory_services s WHERE s.slug = $1");
        let row: Option<ServiceRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(pool).await?
        });
        row.map(service_from_row).transpose()
    }

    /// One service with its latest snapshot; `None` if there is no such service.
    pub async fn service(&self, actor: &Actor, slug: &str) -> Result<Option<ServiceSummary>> {
        may(actor, Action::Read, &Target::Inventory)?;
        let Some(service) = self.service_unchecked(slug).await? else {
            return Ok(None);
        };
        let latest = self.snapshots(actor, slug).await?.pop();
        Ok(Some(ServiceSummary {
            service,
            latest_snapshot: latest,
        }))
    }

    /// Every service, by slug, with its latest snapshot.
    pub async fn services(&self, actor: &Actor) -> Result<Vec<ServiceSummary>> {
        may(actor, Action::Read, &Target::Inventory)?;
        let sql = format!("SELECT {SERVICE_COLUMNS} FROM inventory_services s ORDER BY s.slug");
        let rows: Vec<ServiceRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?
        });
        let latest_sql = format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM inventory_snapshots sn JOIN inventory_services s ON s.id = sn.service_id \
             WHERE sn.id IN (SELECT (SELECT x.id FROM inventory_snapshots x WHERE x.service_id = y.id ORDER BY x.taken_on DESC, x.id DESC LIMIT 1) FROM inventory_services y)"
        );
        let latest: Vec<SnapshotRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(latest_sql)).fetch_all(pool).await?
        });
        let mut by_slug: HashMap<String, SnapshotInfo> = latest
            .into_iter()
            .map(snapshot_from_row)
            .map(|s| (s.service.clone(), s))
            .collect();
        rows.into_iter()
            .map(|r| {
                let service = service_from_row(r)?;
                Ok(ServiceSummary {
                    latest_snapshot: by_slug.remove(service.slug.as_str()),
                    service,
                })
            })
            .collect()
    }

    /// A service's snapshots, oldest first.
    pub async fn snapshots(&self, actor: &Actor, slug: &str) -> Result<Vec<SnapshotInfo>> {
        may(actor, Action::Read, &Target::Inventory)?;
        let sql = format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM inventory_snapshots sn JOIN inventory_services s ON s.id = sn.service_id \
             WHERE s.slug = $1 ORDER BY sn.taken_on, sn.id"
        );
        let rows: Vec<SnapshotRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(snapshot_from_row).collect())
    }

    /// One snapshot by number.
    pub async fn snapshot(&self, actor: &Actor, id: i64) -> Result<Option<SnapshotInfo>> {
        may(actor, Action::Read, &Target::Inventory)?;
        let sql = format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM inventory_snapshots sn JOIN inventory_services s ON s.id = sn.service_id WHERE sn.id = $1"
        );
        let row: Option<SnapshotRow> = on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(snapshot_from_row))
    }

    /// The components of a snapshot with how they are used, by name.
    pub async fn snapshot_components(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<(StoredComponent, Relation, Scope)>> {
        may(actor, Action::Read, &Target::Inventory)?;
        let sql = format!(
            "SELECT {COMPONENT_COLUMNS}, u.relation, u.scope FROM inventory_usages u JOIN inventory_components comp ON comp.id = u.component_id \
             WHERE u.snapshot_id = $1 ORDER BY comp.name_key, comp.version, comp.id"
        );
        let rows: Vec<(ComponentRow, String, String)> = on_pool!(self, pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(pool).await?;
            rows.iter().map(|r| -> Result<_> {
                use sqlx::Row;
                Ok((sqlx::FromRow::from_row(r)?, r.try_get::<String, _>(15)?, r.try_get::<String, _>(16)?))
            }).collect::<Result<Vec<_>>>()?
        });
        Ok(rows
            .into_iter()
            .map(|(c, relation, scope)| {
                (
                    component_from_row(c),
                    relation.parse().unwrap_or(Relation::Direct),
                    scope.parse().unwrap_or_default(),
                )
            })
            .collect())
    }

    /// Stores one dated snapshot of `service` read from `files` (several files make one
    /// snapshot: a service's Cargo.lock and package-lock.json, say). Every file is read first;
    /// one refused file refuses the ingest and nothing is written. OSPO members only; audited.
    pub async fn ingest(
        &self,
        actor: &Actor,
        service: &str,
        date: &IsoDate,
        files: &[InputFile],
        at: &Timestamp,
    ) -> Result<IngestReport> {
        may(actor, Action::ManageInventory, &Target::Inventory)?;
        if files.is_empty() {
            return Err(CatalogueError::InventoryInput(
                "give at least one SBOM or lockfile to ingest".into(),
            ));
        }
        let (edges, sources) = read_all(files)?;
        let sources_json = serde_json::to_string(&sources).unwrap_or_else(|_| "[]".into());
        let warnings: Vec<&String> = sources.iter().flat_map(|s| &s.warnings).collect();
        let warnings_json = serde_json::to_string(&warnings).unwrap_or_else(|_| "[]".into());
        let usages = edges.len() as i64;
        let (id, new_components, latest) = in_tx!(self, tx => {
            let service_id: Option<i64> = sqlx::query_scalar("SELECT id FROM inventory_services WHERE slug = $1")
                .bind(service)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(service_id) = service_id else {
                return Err(CatalogueError::InventoryNotFound(format!(
                    "no service '{service}' in the inventory: add it first (ospo inventory services add)"
                )));
            };
            let snapshot_id: i64 = sqlx::query_scalar(
                "INSERT INTO inventory_snapshots (service_id, taken_on, ingested_at, actor, sources, warnings, usages) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(service_id)
            .bind(date.as_str())
            .bind(at.to_string())
            .bind(&actor.id)
            .bind(&sources_json)
            .bind(&warnings_json)
            .bind(usages)
            .fetch_one(&mut *tx)
            .await?;
            // Components: look up the known ones, insert the others.
            let mut ids: HashMap<String, i64> = HashMap::with_capacity(edges.len());
            for chunk in edges.chunks(500) {
                let sql = format!(
                    "SELECT fingerprint, id FROM inventory_components WHERE fingerprint IN ({})",
                    placeholders(1, chunk.len())
                );
                let mut q = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql));
                for e in chunk {
                    q = q.bind(&e.fingerprint);
                }
                ids.extend(q.fetch_all(&mut *tx).await?);
            }
            let missing: Vec<&Edge> = edges.iter().filter(|e| !ids.contains_key(&e.fingerprint)).collect();
            let new_components = missing.len();
            const COLS: usize = 18;
            for chunk in missing.chunks(400) {
                let mut sql = String::from(
                    "INSERT INTO inventory_components (fingerprint, package, name, name_key, version, ecosystem, purl, declared_expression, declared_how, declared_raw, declared_confidence, concluded_expression, concluded_how, concluded_raw, concluded_confidence, supplier, licence, category) VALUES ",
                );
                for i in 0..chunk.len() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('(');
                    sql.push_str(&placeholders(i * COLS + 1, COLS));
                    sql.push(')');
                }
                sql.push_str(" ON CONFLICT (fingerprint) DO NOTHING RETURNING fingerprint, id");
                let mut q = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql));
                for e in chunk {
                    let c = &e.component;
                    let licence = c.licence().map(|l| l.as_str().to_owned());
                    let category = licence_category(licence.as_deref());
                    let part = |l: &Option<ComponentLicence>| {
                        (
                            l.as_ref().and_then(|l| l.expression.as_ref().map(|e| e.as_str().to_owned())),
                            l.as_ref().map(|l| l.normalisation.to_string()),
                            l.as_ref().map(|l| l.raw.clone()),
                            l.as_ref().map(|l| i32::from(l.confidence)),
                        )
                    };
                    let d = part(&c.declared_licence);
                    let k = part(&c.concluded_licence);
                    q = q
                        .bind(&e.fingerprint)
                        .bind(c.package_key().to_lowercase())
                        .bind(&c.name)
                        .bind(c.name.to_lowercase())
                        .bind(c.version.clone())
                        .bind(c.ecosystem.clone())
                        .bind(c.purl.as_ref().map(|p| p.as_str().to_owned()))
                        .bind(d.0).bind(d.1).bind(d.2).bind(d.3)
                        .bind(k.0).bind(k.1).bind(k.2).bind(k.3)
                        .bind(c.supplier.clone())
                        .bind(licence)
                        .bind(category.as_str());
                }
                ids.extend(q.fetch_all(&mut *tx).await?);
            }
            // Another writer may have inserted the same component meanwhile (PostgreSQL).
            let still: Vec<&Edge> = edges.iter().filter(|e| !ids.contains_key(&e.fingerprint)).collect();
            for chunk in still.chunks(500) {
                let sql = format!(
                    "SELECT fingerprint, id FROM inventory_components WHERE fingerprint IN ({})",
                    placeholders(1, chunk.len())
                );
                let mut q = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql));
                for e in chunk {
                    q = q.bind(&e.fingerprint);
                }
                ids.extend(q.fetch_all(&mut *tx).await?);
            }
            for chunk in edges.chunks(1000) {
                let mut sql = String::from("INSERT INTO inventory_usages (snapshot_id, component_id, relation, scope) VALUES ");
                for i in 0..chunk.len() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("($1, ${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4));
                }
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(snapshot_id);
                for e in chunk {
                    let id = ids.get(&e.fingerprint).copied().ok_or_else(|| {
                        CatalogueError::InventoryInput(format!("component {} could not be stored", e.component.name))
                    })?;
                    q = q.bind(id).bind(e.relation.as_str()).bind(e.scope.as_str());
                }
                q.execute(&mut *tx).await?;
            }
            let newest: i64 = sqlx::query_scalar(
                "SELECT id FROM inventory_snapshots WHERE service_id = $1 ORDER BY taken_on DESC, id DESC LIMIT 1",
            )
            .bind(service_id)
            .fetch_one(&mut *tx)
            .await?;
            let latest = newest == snapshot_id;
            if latest {
                sqlx::query("DELETE FROM inventory_current WHERE service_id = $1")
                    .bind(service_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO inventory_current (service_id, component_id, snapshot_id, relation, scope, category, criticality, exposure, service_slug, service_name, taken_on) \
                     SELECT $1, u.component_id, u.snapshot_id, u.relation, u.scope, comp.category, s.criticality, s.exposure, s.slug, s.name, sn.taken_on \
                     FROM inventory_usages u JOIN inventory_components comp ON comp.id = u.component_id \
                     JOIN inventory_services s ON s.id = $1 JOIN inventory_snapshots sn ON sn.id = u.snapshot_id WHERE u.snapshot_id = $2",
                )
                .bind(service_id)
                .bind(snapshot_id)
                .execute(&mut *tx)
                .await?;
            }
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Snapshot,
                entity_id: format!("{service}/{snapshot_id}"),
                action: AuditAction::Create,
                changes: vec![
                    FieldChange::new("date", Value::Null, Value::Text(date.to_string())),
                    FieldChange::new(
                        "files",
                        Value::Null,
                        sources.iter().map(|s| s.file.clone()).collect::<Vec<_>>().to_value(),
                    ),
                    FieldChange::new("usages", Value::Null, Value::Integer(usages)),
                ],
                comment: String::new(),
            };
            audit!(tx, &entry);
            (snapshot_id, new_components, latest)
        });
        let snapshot = SnapshotInfo {
            id,
            service: service.to_owned(),
            date: date.to_string(),
            ingested_at: at.to_string(),
            actor: actor.id.clone(),
            sources,
            usages,
        };
        Ok(IngestReport {
            snapshot,
            new_components,
            latest,
        })
    }

    /// Sets the review state of a policy violation: `rule` for `package` in `service`. It is
    /// kept across snapshots (keyed on the package, not the version). Accepting needs a
    /// reason. OSPO members only; audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_review(
        &self,
        actor: &Actor,
        service: &str,
        rule: &str,
        package: &str,
        state: ReviewState,
        reason: &str,
        at: &Timestamp,
    ) -> Result<()> {
        may(actor, Action::ManageInventory, &Target::Inventory)?;
        if state == ReviewState::Accepted && reason.trim().is_empty() {
            return Err(CatalogueError::InventoryInput(
                "accepting a violation needs a reason (--reason), kept with the decision".into(),
            ));
        }
        if rule.is_empty()
            || !rule
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(CatalogueError::InventoryInput(format!(
                "'{rule}' is not a rule code: use the code a violation shows, e.g. INV001"
            )));
        }
        let package = package.to_lowercase();
        in_tx!(self, tx => {
            let service_id: Option<i64> = sqlx::query_scalar("SELECT id FROM inventory_services WHERE slug = $1")
                .bind(service)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(service_id) = service_id else {
                return Err(CatalogueError::InventoryNotFound(format!("no service '{service}' in the inventory")));
            };
            let before: Option<String> = sqlx::query_scalar("SELECT state FROM inventory_reviews WHERE service_id = $1 AND rule = $2 AND package = $3")
                .bind(service_id)
                .bind(rule)
                .bind(&package)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO inventory_reviews (service_id, rule, package, state, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (service_id, rule, package) DO UPDATE SET state = $4, reason = $5, actor = $6, at = $7",
            )
            .bind(service_id)
            .bind(rule)
            .bind(&package)
            .bind(state.as_str())
            .bind(reason)
            .bind(&actor.id)
            .bind(at.to_string())
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                actor: actor.id.clone(),
                at: at.clone(),
                entity_kind: EntityKind::Service,
                entity_id: service.to_owned(),
                action: AuditAction::Update,
                changes: vec![FieldChange::new(
                    format!("review.{rule}.{package}"),
                    Value::Text(before.unwrap_or_else(|| "open".into())),
                    Value::Text(state.as_str().into()),
                )],
                comment: reason.to_owned(),
            };
            audit!(tx, &entry);
        });
        Ok(())
    }

    /// Counts of the inventory's tables (for checks that a refused ingest changed nothing).
    pub async fn inventory_counts(&self) -> Result<[i64; 5]> {
        let mut out = [0i64; 5];
        for (i, table) in [
            "inventory_services",
            "inventory_snapshots",
            "inventory_components",
            "inventory_usages",
            "inventory_current",
        ]
        .iter()
        .enumerate()
        {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            out[i] = on_pool!(self, pool => {
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await?
            });
        }
        Ok(out)
    }
}

/// Parses a criticality name (`critical`, `important`, `standard`).
pub fn parse_criticality(s: &str) -> Result<Criticality> {
    s.parse()
        .map_err(|e: ospo_core::ValidationError| CatalogueError::InventoryInput(e.to_string()))
}

/// Parses an exposure name (`internal`, `external`).
pub fn parse_exposure(s: &str) -> Result<Exposure> {
    s.parse()
        .map_err(|e: ospo_core::ValidationError| CatalogueError::InventoryInput(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_categories_follow_the_expression() {
        let c = |e: &str| licence_category(Some(e));
        assert_eq!(c("MIT"), Category::Permissive);
        assert_eq!(c("GPL-3.0-only"), Category::StrongCopyleft);
        assert_eq!(c("AGPL-3.0-or-later"), Category::NetworkCopyleft);
        assert_eq!(c("MIT OR GPL-3.0-only"), Category::Permissive);
        assert_eq!(c("MIT AND GPL-2.0-only"), Category::StrongCopyleft);
        assert_eq!(
            c("GPL-2.0-only WITH Classpath-exception-2.0"),
            Category::WeakCopyleftLibrary
        );
        assert_eq!(c("LicenseRef-internal"), Category::Unknown);
        assert_eq!(licence_category(None), Category::Unknown);
    }
}
