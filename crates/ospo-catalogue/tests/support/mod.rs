//! Test support: a fresh catalogue on each backend, actors and projects.

#![allow(dead_code)]

use ospo_catalogue::Catalogue;
use ospo_core::{Actor, Project, ProjectKind, Role, Slug, Timestamp};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The backends every storage test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty catalogue: a new SQLite file, or a new PostgreSQL database on the server
/// named by `OSPO_TEST_POSTGRES` (scripts/test.sh starts one and sets it).
pub async fn fresh(backend: Backend) -> (Catalogue, Option<tempfile::TempDir>) {
    let (url, dir) = fresh_url(backend).await;
    (
        Catalogue::open(&url).await.expect("open the catalogue"),
        dir,
    )
}

/// The URL of a fresh, empty database (created, not yet migrated).
pub async fn fresh_url(backend: Backend) -> (String, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("catalogue.db");
            (path.to_str().unwrap().to_owned(), Some(dir))
        }
        Backend::Postgres => {
            let base = std::env::var("OSPO_TEST_POSTGRES").expect(
                "OSPO_TEST_POSTGRES is not set: run ./scripts/test.sh, or export \
                 OSPO_TEST_POSTGRES=$(./scripts/postgres.sh) before cargo test",
            );
            let name = format!(
                "ospo_t_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let admin = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .connect(&base)
                .await
                .expect("connect to the test PostgreSQL server");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name}"
            )))
            .execute(&admin)
            .await
            .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .expect("CREATE DATABASE (the test role needs CREATEDB)");
            admin.close().await;
            let (prefix, query) = base.split_once('?').unwrap_or((&base, ""));
            let db_url = format!(
                "{}/{name}{}{}",
                prefix.rsplit_once('/').unwrap().0,
                if query.is_empty() { "" } else { "?" },
                query
            );
            (db_url, None)
        }
    }
}

pub fn now() -> Timestamp {
    Timestamp::parse("2026-11-25T10:00:00Z").unwrap()
}

pub fn later() -> Timestamp {
    Timestamp::parse("2026-11-25T11:00:00Z").unwrap()
}

pub fn curator() -> Actor {
    Actor::new("ospo-anna", "Anna (OSPO)", [Role::OspoMember])
}

pub fn maintainer_of(slug: &str) -> Actor {
    Actor::new(format!("dev-{slug}"), "A maintainer", [Role::Maintainer])
        .maintaining([Slug::parse(slug).unwrap()])
}

pub fn project(slug: &str, name: &str, kind: ProjectKind) -> Project {
    let mut p = Project::new(Slug::parse(slug).unwrap(), name, kind, now());
    p.summary = format!("{name}, a project of the lab");
    p
}

/// Generates one test per backend from an async test body taking a `Backend`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await
                }
            )*
        }
    };
}

/// The shared SBOM corpus (`../shared/data/sboms`, or `$OSPO_SHARED_DATA/sboms`).
pub fn sboms() -> std::path::PathBuf {
    std::env::var_os("OSPO_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
        })
        .join("sboms")
}

/// Every file of the shared SBOM corpus, sorted.
pub fn sbom_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![sboms()];
    while let Some(dir) = todo.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
