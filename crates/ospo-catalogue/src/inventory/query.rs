//! Questions to the inventory, shared by the CLI and the server: where is a package used, which
//! critical or exposed services depend on a licence category, which uses break the licence
//! policy, what the inventory looks like as a whole, and what changed between two snapshots.

use super::policy::{Policy, Severity};
use super::range::{VersionRange, syntax};
use super::store::{
    COMPONENT_COLUMNS, ComponentRow, Result, ReviewState, SERVICE_COLUMNS, ServiceRow,
    SnapshotInfo, StoredComponent, component_from_row, on_pool, placeholders, service_from_row,
};
use crate::error::CatalogueError;
use crate::store::{Backend, Catalogue};
use ospo_core::{Action, Actor, IsoDate, PackageUrl, Relation, Scope, Service, Target, may};
use ospo_licence::Category;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A service as named in answers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceRef {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// critical, important or standard.
    pub criticality: String,
    /// internal or external.
    pub exposure: String,
}

/// A service's current use of a component.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceUse {
    /// The service.
    #[serde(flatten)]
    pub service: ServiceRef,
    /// Direct or transitive.
    pub relation: String,
    /// When it is needed.
    pub scope: String,
    /// The service's latest snapshot, where the use was seen.
    pub snapshot: i64,
    /// That snapshot's date.
    pub date: String,
}

/// A snapshot that contains a component.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SnapshotUse {
    /// The service.
    pub service: String,
    /// The snapshot.
    pub snapshot: i64,
    /// Its date.
    pub date: String,
}

/// One matching component version and who uses it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WhereUsedMatch {
    /// The component.
    pub component: StoredComponent,
    /// The services whose latest snapshot has it.
    pub services: Vec<ServiceUse>,
    /// Every snapshot, current or past, that has it.
    pub snapshots: Vec<SnapshotUse>,
}

/// The answer to a where-used question.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WhereUsed {
    /// The name or package URL asked for.
    pub package: String,
    /// The version range, as given.
    pub range: Option<String>,
    /// The matching component versions, by version.
    pub matches: Vec<WhereUsedMatch>,
    /// The services that use a matching version now, by slug.
    pub services: Vec<String>,
    /// Ecosystems of components with that name whose range syntax the range is not written
    /// in (left out of the answer).
    pub skipped_ecosystems: Vec<String>,
}

/// Services that depend on components of some licence categories.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Dependent {
    /// The service.
    pub service: ServiceRef,
    /// The components, with how they are used.
    pub components: Vec<ComponentUse>,
}

/// A component and how a service uses it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ComponentUse {
    /// The component.
    pub component: StoredComponent,
    /// Direct or transitive.
    pub relation: String,
    /// When it is needed.
    pub scope: String,
}

/// Which services a dependents question looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ServiceFilter {
    /// Critical or externally exposed services.
    CriticalOrExposed,
    /// Critical services.
    Critical,
    /// Externally exposed services.
    External,
    /// Every service.
    All,
}

impl std::str::FromStr for ServiceFilter {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "critical-or-exposed" => Ok(Self::CriticalOrExposed),
            "critical" => Ok(Self::Critical),
            "external" => Ok(Self::External),
            "all" => Ok(Self::All),
            _ => Err(format!(
                "unknown service filter '{s}': use critical-or-exposed, critical, external or all"
            )),
        }
    }
}

/// The review of a violation.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Review {
    /// open, accepted or to-fix.
    pub state: ReviewState,
    /// Why (required to accept).
    pub reason: String,
    /// Who set it (empty while open and never reviewed).
    pub by: String,
    /// When.
    pub at: String,
}

/// One use that breaks a policy rule.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Violation {
    /// The service.
    pub service: ServiceRef,
    /// The rule's code.
    pub rule: String,
    /// The rule in words.
    pub title: String,
    /// error or warning.
    pub severity: Severity,
    /// The component.
    pub component: StoredComponent,
    /// Direct or transitive.
    pub relation: String,
    /// When it is needed.
    pub scope: String,
    /// What to do.
    pub advice: String,
    /// The review state (kept across snapshots, per service, rule and package).
    pub review: Review,
}

/// The policy's verdict on the inventory.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyReport {
    /// Every violation, by service, rule and component.
    pub violations: Vec<Violation>,
    /// How many are open (never reviewed).
    pub open: usize,
    /// How many are to be fixed.
    pub to_fix: usize,
    /// How many were accepted with a reason.
    pub accepted: usize,
}

impl PolicyReport {
    /// Whether some violation is unresolved (open or to fix): the CLI exits 1.
    pub fn has_unresolved(&self) -> bool {
        self.open + self.to_fix > 0
    }
}

/// A count of something in the inventory.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Count {
    /// The thing counted (a package, a licence, a category).
    pub value: String,
    /// How many services use it now.
    pub services: i64,
    /// How many uses (service × component version) there are.
    pub uses: i64,
}

/// The inventory as a whole: the periodic survey.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Survey {
    /// Services registered.
    pub services: i64,
    /// Services with at least one snapshot.
    pub inventoried: i64,
    /// Snapshots stored.
    pub snapshots: i64,
    /// Distinct component versions stored.
    pub components: i64,
    /// Uses in the services' latest snapshots.
    pub uses: i64,
    /// The packages used by most services.
    pub top_components: Vec<Count>,
    /// Uses per licence category.
    pub categories: Vec<Count>,
    /// The most used licence expressions (`none` when unresolved).
    pub licences: Vec<Count>,
    /// Services without any snapshot, by slug.
    pub without_inventory: Vec<String>,
}

/// A package's versions or licences before and after.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Change {
    /// The package (purl without version, else `ecosystem/name`).
    pub package: String,
    /// The name.
    pub name: String,
    /// Before (versions, or licences).
    pub before: Vec<String>,
    /// After.
    pub after: Vec<String>,
}

/// What changed between two snapshots.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Diff {
    /// The earlier snapshot.
    pub from: SnapshotInfo,
    /// The later snapshot.
    pub to: SnapshotInfo,
    /// Packages only in the later one (with their versions).
    pub added: Vec<Change>,
    /// Packages only in the earlier one.
    pub removed: Vec<Change>,
    /// Packages whose versions changed.
    pub version_changed: Vec<Change>,
    /// Packages whose licences changed.
    pub licence_changed: Vec<Change>,
}

/// Which snapshot of a service: by number, or the latest on or before a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotSelector {
    /// A snapshot by its number.
    Id(i64),
    /// The service's latest snapshot taken on or before the date.
    AsOf(IsoDate),
    /// The service's latest snapshot.
    Latest,
}

impl std::str::FromStr for SnapshotSelector {
    type Err = String;
    /// `42` (a snapshot number), `2026-03-31` (the latest on or before) or `latest`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s == "latest" {
            return Ok(Self::Latest);
        }
        if let Ok(n) = s.parse::<i64>() {
            return Ok(Self::Id(n));
        }
        IsoDate::parse(s).map(Self::AsOf).map_err(|_| {
            format!("'{s}' is not a snapshot: give its number, a date (YYYY-MM-DD) or latest")
        })
    }
}

fn service_ref(s: &Service) -> ServiceRef {
    ServiceRef {
        slug: s.slug.to_string(),
        name: s.name.clone(),
        criticality: s.criticality.to_string(),
        exposure: s.exposure.to_string(),
    }
}

impl Catalogue {
    /// Components by inventory number.
    pub(crate) async fn components_by_id(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, StoredComponent>> {
        let sql = format!(
            "SELECT {COMPONENT_COLUMNS} FROM inventory_components comp WHERE comp.id {{ids}}"
        );
        let rows: Vec<ComponentRow> = self.rows_for_ids(&sql, ids).await?;
        let out: HashMap<i64, StoredComponent> = rows
            .into_iter()
            .map(|r| (r.0, component_from_row(r)))
            .collect();
        Ok(out)
    }

    /// Which services (now) and which snapshots (ever) use `package` — a name or a package
    /// URL — in a version within `range`, written in the ecosystem's own syntax (Cargo and
    /// npm semver, PEP 440, Maven ranges). A package URL with a version asks for that version.
    pub async fn where_used(
        &self,
        actor: &Actor,
        package: &str,
        ecosystem: Option<&str>,
        range: Option<&str>,
    ) -> Result<WhereUsed> {
        may(actor, Action::Read, &Target::Inventory)?;
        let package = package.trim();
        if package.is_empty() {
            return Err(CatalogueError::InventoryInput(
                "give a package name or a package URL (pkg:type/name)".into(),
            ));
        }
        let mut range = range
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned);
        let rows: Vec<ComponentRow> = if package.starts_with("pkg:") {
            let purl = PackageUrl::parse(package)
                .map_err(|e| CatalogueError::InventoryInput(e.to_string()))?;
            if let Some(v) = purl.version() {
                if range.is_some() {
                    return Err(CatalogueError::InventoryInput(format!(
                        "{package} names a version and a range was given too: drop one"
                    )));
                }
                range = Some(format!("={v}"));
            }
            let key = purl.package().to_lowercase();
            let name = key.rsplit('/').next().unwrap_or_default().to_owned();
            let plain = format!("{}/{name}", purl.ecosystem());
            let sql = format!(
                "SELECT {COMPONENT_COLUMNS} FROM inventory_components comp WHERE comp.package IN ($1, $2)"
            );
            on_pool!(self, pool => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&key).bind(&plain).fetch_all(pool).await?
            })
        } else {
            let sql = match ecosystem {
                Some(_) => format!(
                    "SELECT {COMPONENT_COLUMNS} FROM inventory_components comp WHERE comp.name_key = $1 AND comp.ecosystem = $2"
                ),
                None => format!(
                    "SELECT {COMPONENT_COLUMNS} FROM inventory_components comp WHERE comp.name_key = $1"
                ),
            };
            on_pool!(self, pool => {
                let q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(package.to_lowercase());
                let q = match ecosystem { Some(e) => q.bind(e.to_owned()), None => q };
                q.fetch_all(pool).await?
            })
        };
        let candidates: Vec<StoredComponent> = rows.into_iter().map(component_from_row).collect();
        // Read the range once per ecosystem met; refuse it if no ecosystem can read it.
        let mut ranges: BTreeMap<String, std::result::Result<VersionRange, String>> =
            BTreeMap::new();
        let wanted_ecosystem = ecosystem.map(str::to_owned).or_else(|| {
            package
                .starts_with("pkg:")
                .then(|| PackageUrl::parse(package).ok().map(|p| p.ecosystem()))
                .flatten()
        });
        if let (Some(r), Some(e)) = (&range, &wanted_ecosystem) {
            VersionRange::parse(e, r).map_err(|e| CatalogueError::InventoryInput(e.to_string()))?;
        }
        for c in &candidates {
            let eco = c.component.ecosystem.clone().unwrap_or_default();
            ranges.entry(eco.clone()).or_insert_with(|| match &range {
                None => Ok(VersionRange::Any),
                Some(r) => VersionRange::parse(&eco, r).map_err(|e| e.to_string()),
            });
        }
        if range.is_some() && !ranges.is_empty() && ranges.values().all(|r| r.is_err()) {
            let first = ranges.values().find_map(|r| r.as_ref().err()).cloned();
            return Err(CatalogueError::InventoryInput(first.unwrap_or_default()));
        }
        let skipped_ecosystems: Vec<String> = ranges
            .iter()
            .filter(|(_, r)| r.is_err())
            .map(|(e, _)| {
                if e.is_empty() {
                    "unknown".into()
                } else {
                    e.clone()
                }
            })
            .collect();
        let mut matches: Vec<StoredComponent> = candidates
            .into_iter()
            .filter(|c| {
                let eco = c.component.ecosystem.clone().unwrap_or_default();
                match ranges.get(&eco) {
                    Some(Ok(r)) => r.contains(c.component.version.as_deref().unwrap_or("")),
                    _ => false,
                }
            })
            .collect();
        matches.sort_by(|a, b| {
            (&a.package, &a.component.version, a.id).cmp(&(&b.package, &b.component.version, b.id))
        });
        let ids: Vec<i64> = matches.iter().map(|c| c.id).collect();
        let (mut current, mut history) = self.uses_of(&ids).await?;
        let mut services = BTreeSet::new();
        let matches: Vec<WhereUsedMatch> = matches
            .into_iter()
            .map(|c| {
                let uses = current.remove(&c.id).unwrap_or_default();
                services.extend(uses.iter().map(|u| u.service.slug.clone()));
                WhereUsedMatch {
                    snapshots: history.remove(&c.id).unwrap_or_default(),
                    services: uses,
                    component: c,
                }
            })
            .collect();
        Ok(WhereUsed {
            package: package.to_owned(),
            range,
            matches,
            services: services.into_iter().collect(),
            skipped_ecosystems,
        })
    }

    /// The current uses (by service, in slug order) and the snapshots (by service and date) of
    /// each of the components `ids`. The current edges carry what the answer shows of their
    /// service and snapshot, and are read from the covering index on the component alone; the
    /// snapshots that are not current (older ones) are the only ones joined with their service.
    async fn uses_of(
        &self,
        ids: &[i64],
    ) -> Result<(
        HashMap<i64, Vec<ServiceUse>>,
        HashMap<i64, Vec<SnapshotUse>>,
    )> {
        let mut current: HashMap<i64, Vec<ServiceUse>> = HashMap::new();
        let mut history: HashMap<i64, Vec<SnapshotUse>> = HashMap::new();
        if ids.is_empty() {
            return Ok((current, history));
        }
        type EdgeRow = (
            i64,
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        );
        // The two reads are independent: on two connections of the pool they run side by side.
        let (edges, older): (Vec<EdgeRow>, Vec<(i64, i64)>) = tokio::try_join!(
            self.rows_for_ids(
                "SELECT component_id, snapshot_id, service_slug, service_name, criticality, exposure, relation, scope, taken_on \
                 FROM inventory_current WHERE component_id {ids}",
                ids,
            ),
            self.rows_for_ids(
                "SELECT component_id, snapshot_id FROM inventory_usages WHERE component_id {ids} \
                 EXCEPT SELECT component_id, snapshot_id FROM inventory_current WHERE component_id {ids}",
                ids,
            ),
        )?;
        for (component, snapshot, slug, name, criticality, exposure, relation, scope, date) in edges
        {
            history.entry(component).or_default().push(SnapshotUse {
                service: slug.clone(),
                snapshot,
                date: date.clone(),
            });
            current.entry(component).or_default().push(ServiceUse {
                service: ServiceRef {
                    slug,
                    name,
                    criticality,
                    exposure,
                },
                relation,
                scope,
                snapshot,
                date,
            });
        }
        if !older.is_empty() {
            let snapshot_ids: BTreeSet<i64> = older.iter().map(|o| o.1).collect();
            let snapshot_ids: Vec<i64> = snapshot_ids.into_iter().collect();
            let snapshots: HashMap<i64, (String, String)> = self
                .rows_for_ids::<(i64, String, String)>(
                    "SELECT sn.id, s.slug, sn.taken_on FROM inventory_snapshots sn \
                     JOIN inventory_services s ON s.id = sn.service_id WHERE sn.id {ids}",
                    &snapshot_ids,
                )
                .await?
                .into_iter()
                .map(|(id, slug, date)| (id, (slug, date)))
                .collect();
            for (component, snapshot) in older {
                // A snapshot deleted between the reads is left out, as if read after.
                if let Some((slug, date)) = snapshots.get(&snapshot) {
                    history.entry(component).or_default().push(SnapshotUse {
                        service: slug.clone(),
                        snapshot,
                        date: date.clone(),
                    });
                }
            }
        }
        for uses in current.values_mut() {
            uses.sort_by(|a, b| a.service.slug.cmp(&b.service.slug));
        }
        for uses in history.values_mut() {
            uses.sort_by(|a, b| {
                (&a.service, &a.date, a.snapshot).cmp(&(&b.service, &b.date, b.snapshot))
            });
        }
        Ok((current, history))
    }

    /// The rows of `sql`, whose `{ids}` stands for "is one of the ids": `= ANY($1)` with an
    /// array on PostgreSQL, `IN` a JSON array read by `json_each` on SQLite. One statement
    /// whatever the number of ids, so it is prepared once, and no limit on parameters.
    async fn rows_for_ids<T>(&self, sql: &str, ids: &[i64]) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => {
                let sql = sql.replace("{ids}", "IN (SELECT value FROM json_each($1))");
                let list = format!(
                    "[{}]",
                    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
                );
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(list)
                    .fetch_all(pool)
                    .await?
            }
            Backend::Postgres(pool) => {
                let sql = sql.replace("{ids}", "= ANY($1)");
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(ids)
                    .fetch_all(pool)
                    .await?
            }
        })
    }

    /// The services (as `filter` selects them) whose latest snapshot has a component, direct
    /// or transitive, of one of `categories` (the licence engine's categories).
    pub async fn dependents(
        &self,
        actor: &Actor,
        categories: &[Category],
        filter: ServiceFilter,
    ) -> Result<Vec<Dependent>> {
        may(actor, Action::Read, &Target::Inventory)?;
        if categories.is_empty() {
            return Ok(Vec::new());
        }
        // The current edges carry the category and the service's context, each pair indexed.
        let condition = match filter {
            ServiceFilter::CriticalOrExposed => {
                " AND (c.criticality = 'critical' OR c.exposure = 'external')"
            }
            ServiceFilter::Critical => " AND c.criticality = 'critical'",
            ServiceFilter::External => " AND c.exposure = 'external'",
            ServiceFilter::All => "",
        };
        // The edges carry what the answer says of their service: no join with the services.
        let sql = format!(
            "SELECT c.service_slug, c.service_name, c.criticality, c.exposure, c.component_id, c.relation, c.scope \
             FROM inventory_current c WHERE c.category IN ({}){condition}",
            placeholders(1, categories.len())
        );
        type Row = (String, String, String, String, i64, String, String);
        let rows: Vec<Row> = on_pool!(self, pool => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for c in categories {
                q = q.bind(c.as_str());
            }
            q.fetch_all(pool).await?
        });
        let mut ids: Vec<i64> = rows.iter().map(|r| r.4).collect();
        ids.sort_unstable();
        ids.dedup();
        let components = self.components_by_id(&ids).await?;
        let mut by_service: BTreeMap<String, Dependent> = BTreeMap::new();
        for (slug, name, criticality, exposure, id, relation, scope) in rows {
            let Some(component) = components.get(&id) else {
                continue;
            };
            by_service
                .entry(slug.clone())
                .or_insert_with(|| Dependent {
                    service: ServiceRef {
                        slug,
                        name,
                        criticality,
                        exposure,
                    },
                    components: Vec::new(),
                })
                .components
                .push(ComponentUse {
                    component: component.clone(),
                    relation,
                    scope,
                });
        }
        let mut out: Vec<Dependent> = by_service.into_values().collect();
        for d in &mut out {
            d.components.sort_by(|a, b| {
                (&a.component.package, &a.component.component.version)
                    .cmp(&(&b.component.package, &b.component.component.version))
            });
        }
        Ok(out)
    }

    /// The uses in services' latest snapshots that break `policy`, with their review states;
    /// one service, or all.
    pub async fn policy(
        &self,
        actor: &Actor,
        service: Option<&str>,
        policy: &Policy,
    ) -> Result<PolicyReport> {
        may(actor, Action::Read, &Target::Inventory)?;
        policy.check().map_err(CatalogueError::InventoryInput)?;
        if let Some(slug) = service
            && self.service(actor, slug).await?.is_none()
        {
            return Err(CatalogueError::InventoryNotFound(format!(
                "no service '{slug}' in the inventory"
            )));
        }
        let categories = policy.categories();
        if categories.is_empty() {
            return Ok(PolicyReport {
                violations: vec![],
                open: 0,
                to_fix: 0,
                accepted: 0,
            });
        }
        let n = categories.len();
        let sql = format!(
            "SELECT {SERVICE_COLUMNS}, c.component_id, c.relation, c.scope, c.category FROM inventory_current c \
             JOIN inventory_services s ON s.id = c.service_id \
             WHERE c.category IN ({}){}",
            placeholders(1, n),
            if service.is_some() {
                format!(" AND s.slug = ${}", n + 1)
            } else {
                String::new()
            }
        );
        type Row = (ServiceRow, i64, String, String, String);
        let rows: Vec<Row> = on_pool!(self, pool => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for c in &categories {
                q = q.bind(c.clone());
            }
            if let Some(s) = service {
                q = q.bind(s.to_owned());
            }
            let rows = q.fetch_all(pool).await?;
            rows.iter().map(|r| -> Result<Row> {
                use sqlx::Row;
                Ok((sqlx::FromRow::from_row(r)?, r.try_get(8)?, r.try_get(9)?, r.try_get(10)?, r.try_get(11)?))
            }).collect::<Result<Vec<_>>>()?
        });
        let mut ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
        ids.sort_unstable();
        ids.dedup();
        let components = self.components_by_id(&ids).await?;
        // Reviews of the services concerned.
        let review_sql = match service {
            Some(_) => {
                "SELECT s.slug, r.rule, r.package, r.state, r.reason, r.actor, r.at FROM inventory_reviews r JOIN inventory_services s ON s.id = r.service_id WHERE s.slug = $1"
            }
            None => {
                "SELECT s.slug, r.rule, r.package, r.state, r.reason, r.actor, r.at FROM inventory_reviews r JOIN inventory_services s ON s.id = r.service_id"
            }
        };
        type ReviewRow = (String, String, String, String, String, String, String);
        let reviews: Vec<ReviewRow> = on_pool!(self, pool => {
            let q = sqlx::query_as(review_sql);
            let q = match service { Some(s) => q.bind(s.to_owned()), None => q };
            q.fetch_all(pool).await?
        });
        let reviews: HashMap<(String, String, String), Review> = reviews
            .into_iter()
            .map(|r| {
                (
                    (r.0, r.1, r.2),
                    Review {
                        state: r.3.parse().unwrap_or(ReviewState::Open),
                        reason: r.4,
                        by: r.5,
                        at: r.6,
                    },
                )
            })
            .collect();
        let mut violations = Vec::new();
        for (service, id, relation, scope, category) in rows {
            let service = service_from_row(service)?;
            let Some(component) = components.get(&id) else {
                continue;
            };
            let scope_value: Scope = scope.parse().unwrap_or_default();
            for rule in &policy.rules {
                if !rule.applies(&service, &category, scope_value) {
                    continue;
                }
                let key = (
                    service.slug.to_string(),
                    rule.code.clone(),
                    component.package.clone(),
                );
                let review = reviews.get(&key).cloned().unwrap_or(Review {
                    state: ReviewState::Open,
                    reason: String::new(),
                    by: String::new(),
                    at: String::new(),
                });
                violations.push(Violation {
                    service: service_ref(&service),
                    rule: rule.code.clone(),
                    title: rule.title.clone(),
                    severity: rule.severity,
                    component: component.clone(),
                    relation: relation.clone(),
                    scope: scope.clone(),
                    advice: rule.advice.clone(),
                    review,
                });
            }
        }
        violations.sort_by(|a, b| {
            (
                &a.service.slug,
                &a.rule,
                &a.component.package,
                &a.component.component.version,
            )
                .cmp(&(
                    &b.service.slug,
                    &b.rule,
                    &b.component.package,
                    &b.component.component.version,
                ))
        });
        let count = |s: ReviewState| violations.iter().filter(|v| v.review.state == s).count();
        Ok(PolicyReport {
            open: count(ReviewState::Open),
            to_fix: count(ReviewState::ToFix),
            accepted: count(ReviewState::Accepted),
            violations,
        })
    }

    /// The survey: totals, the most used packages, the licence mix, services without an
    /// inventory. `top` limits the lists.
    pub async fn survey(&self, actor: &Actor, top: usize) -> Result<Survey> {
        may(actor, Action::Read, &Target::Inventory)?;
        let top = top.clamp(1, 1000) as i64;
        let scalar = |sql: &'static str| async move {
            let n: i64 = on_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await?);
            Ok::<i64, CatalogueError>(n)
        };
        let services = scalar("SELECT COUNT(*) FROM inventory_services").await?;
        let inventoried =
            scalar("SELECT COUNT(DISTINCT service_id) FROM inventory_snapshots").await?;
        let snapshots = scalar("SELECT COUNT(*) FROM inventory_snapshots").await?;
        let components = scalar("SELECT COUNT(*) FROM inventory_components").await?;
        let uses = scalar("SELECT COUNT(*) FROM inventory_current").await?;
        let counts = |sql: &'static str| async move {
            let rows: Vec<(String, i64, i64)> = on_pool!(self, pool => {
                sqlx::query_as(sql).bind(top).fetch_all(pool).await?
            });
            Ok::<Vec<Count>, CatalogueError>(
                rows.into_iter()
                    .map(|(value, services, uses)| Count {
                        value,
                        services,
                        uses,
                    })
                    .collect(),
            )
        };
        let top_components = counts(
            "SELECT comp.package, COUNT(DISTINCT c.service_id) AS n, COUNT(*) AS u FROM inventory_current c \
             JOIN inventory_components comp ON comp.id = c.component_id GROUP BY comp.package ORDER BY n DESC, u DESC, comp.package LIMIT $1",
        )
        .await?;
        let categories = counts(
            "SELECT comp.category, COUNT(DISTINCT c.service_id) AS n, COUNT(*) AS u FROM inventory_current c \
             JOIN inventory_components comp ON comp.id = c.component_id GROUP BY comp.category ORDER BY u DESC, comp.category LIMIT $1",
        )
        .await?;
        let licences = counts(
            "SELECT COALESCE(comp.licence, 'none') AS l, COUNT(DISTINCT c.service_id) AS n, COUNT(*) AS u FROM inventory_current c \
             JOIN inventory_components comp ON comp.id = c.component_id GROUP BY COALESCE(comp.licence, 'none') ORDER BY u DESC, l LIMIT $1",
        )
        .await?;
        let without_inventory: Vec<String> = on_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT s.slug FROM inventory_services s WHERE NOT EXISTS (SELECT 1 FROM inventory_snapshots sn WHERE sn.service_id = s.id) ORDER BY s.slug",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(Survey {
            services,
            inventoried,
            snapshots,
            components,
            uses,
            top_components,
            categories,
            licences,
            without_inventory,
        })
    }

    /// The snapshot of `service` a selector names.
    pub async fn select_snapshot(
        &self,
        actor: &Actor,
        service: &str,
        selector: &SnapshotSelector,
    ) -> Result<SnapshotInfo> {
        let all = self.snapshots(actor, service).await?;
        let found = match selector {
            SnapshotSelector::Id(id) => all.iter().find(|s| s.id == *id),
            SnapshotSelector::AsOf(date) => all.iter().rev().find(|s| s.date <= date.to_string()),
            SnapshotSelector::Latest => all.last(),
        };
        found.cloned().ok_or_else(|| {
            CatalogueError::InventoryNotFound(match selector {
                SnapshotSelector::Id(id) => {
                    format!("service '{service}' has no snapshot {id}")
                }
                SnapshotSelector::AsOf(date) => {
                    format!("service '{service}' has no snapshot on or before {date}")
                }
                SnapshotSelector::Latest => format!("service '{service}' has no snapshot yet"),
            })
        })
    }

    /// What changed in `service` between two snapshots: packages added and removed, versions
    /// and licences changed.
    pub async fn diff(
        &self,
        actor: &Actor,
        service: &str,
        from: &SnapshotSelector,
        to: &SnapshotSelector,
    ) -> Result<Diff> {
        let from = self.select_snapshot(actor, service, from).await?;
        let to = self.select_snapshot(actor, service, to).await?;
        type Side = BTreeMap<String, (String, BTreeSet<String>, BTreeSet<String>)>;
        let side = |components: Vec<(StoredComponent, Relation, Scope)>| -> Side {
            let mut m = Side::new();
            for (c, _, _) in components {
                let e = m.entry(c.package.clone()).or_insert_with(|| {
                    (c.component.name.clone(), BTreeSet::new(), BTreeSet::new())
                });
                e.1.insert(c.component.version.clone().unwrap_or_default());
                e.2.insert(c.licence.clone().unwrap_or_else(|| "none".into()));
            }
            m
        };
        let before = side(self.snapshot_components(actor, from.id).await?);
        let after = side(self.snapshot_components(actor, to.id).await?);
        let change =
            |package: &str, name: &str, b: &BTreeSet<String>, a: &BTreeSet<String>| Change {
                package: package.to_owned(),
                name: name.to_owned(),
                before: b.iter().cloned().collect(),
                after: a.iter().cloned().collect(),
            };
        let empty = BTreeSet::new();
        let mut diff = Diff {
            from,
            to,
            added: vec![],
            removed: vec![],
            version_changed: vec![],
            licence_changed: vec![],
        };
        for (package, (name, versions, licences)) in &after {
            match before.get(package) {
                None => diff.added.push(change(package, name, &empty, versions)),
                Some((_, old_versions, old_licences)) => {
                    if old_versions != versions {
                        diff.version_changed
                            .push(change(package, name, old_versions, versions));
                    }
                    if old_licences != licences {
                        diff.licence_changed
                            .push(change(package, name, old_licences, licences));
                    }
                }
            }
            let _ = licences;
        }
        for (package, (name, versions, _)) in &before {
            if !after.contains_key(package) {
                diff.removed.push(change(package, name, versions, &empty));
            }
        }
        Ok(diff)
    }

    /// The services whose latest snapshot has any version of the package of component `id`,
    /// for a component's "used by" page.
    pub async fn component(&self, actor: &Actor, id: i64) -> Result<Option<StoredComponent>> {
        may(actor, Action::Read, &Target::Inventory)?;
        Ok(self.components_by_id(&[id]).await?.remove(&id))
    }
}

/// The range syntax of an ecosystem, for help texts.
pub fn range_syntax(ecosystem: &str) -> Option<&'static str> {
    syntax(ecosystem)
}
