//! Python bindings of ospo (pyo3 + maturin): licence checks, licence text identification and
//! catalogue access for the `ospo` Python package, whose pure-Python part reads package
//! metadata and lock files. This crate converts types and releases the GIL around core calls,
//! nothing else; errors are mapped in `error.rs`.

mod convert;
mod error;

use convert::to_py;
use ospo_licence::{CheckRequest, Domain, Engine, Inbound, Mode, Preference, Use};
use pyo3::prelude::*;
use serde::Serialize;

/// A check, as the engine answers it for the CLI, the server and the browser.
fn run_check(
    inbound: Vec<String>,
    outbound: String,
    use_: String,
    strict: bool,
) -> Result<ospo_licence::Check, ospo_licence::LicenceError> {
    CheckRequest {
        inbound: Inbound::Many(inbound),
        outbound,
        use_: Some(use_),
        strict,
    }
    .run(&Engine::new(), Use::DynamicLink, false)
}

/// Checks inbound licence expressions against an outbound licence for a use; returns the
/// report the CLI prints with `--format json`.
#[pyfunction]
#[pyo3(signature = (inbound, outbound, r#use, strict))]
fn check<'py>(
    py: Python<'py>,
    inbound: Vec<String>,
    outbound: String,
    r#use: String,
    strict: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let report = py
        .detach(move || run_check(inbound, outbound, r#use, strict))
        .map_err(error::licence)?;
    to_py(py, &report)
}

/// One line of a batch: the report, or the error message of a question that could not be
/// answered.
#[derive(Serialize)]
#[serde(untagged)]
enum BatchLine {
    Report(Box<ospo_licence::Check>),
    Error { error: String },
}

/// Checks many `(inbound, outbound, use)` questions with one release of the GIL; a question
/// that cannot be answered gives `{"error": message}` in its place.
#[pyfunction]
fn check_many<'py>(
    py: Python<'py>,
    questions: Vec<(String, String, String)>,
) -> PyResult<Bound<'py, PyAny>> {
    let lines: Vec<BatchLine> = py.detach(move || {
        questions
            .into_iter()
            .map(|(i, o, u)| match run_check(vec![i], o, u, false) {
                Ok(r) => BatchLine::Report(Box::new(r)),
                Err(e) => BatchLine::Error {
                    error: e.to_string(),
                },
            })
            .collect()
    });
    to_py(py, &lines)
}

#[derive(Serialize)]
struct Reading {
    expression: String,
    warnings: Vec<ospo_licence::Warning>,
}

/// Reads a licence string: strictly (SPDX only) or leniently (names, classifiers, URLs, each
/// reading reported as a warning). Returns `{"expression": ..., "warnings": [...]}`.
#[pyfunction]
fn read<'py>(py: Python<'py>, text: String, strict: bool) -> PyResult<Bound<'py, PyAny>> {
    let mode = if strict { Mode::Strict } else { Mode::Lenient };
    let (e, warnings) = py
        .detach(move || ospo_licence::Expression::parse_with(&text, mode))
        .map_err(|e| error::licence(e.into()))?;
    to_py(
        py,
        &Reading {
            expression: e.to_string(),
            warnings,
        },
    )
}

/// Identifies the SPDX licences in a licence text, with confidence and bundled components.
#[pyfunction]
fn identify<'py>(py: Python<'py>, text: String) -> PyResult<Bound<'py, PyAny>> {
    let id = py.detach(move || ospo_licence::identify(&text));
    to_py(py, &id)
}

/// Everything the engine knows about a licence or exception, each fact with its basis.
#[pyfunction]
fn licence<'py>(py: Python<'py>, id: String) -> PyResult<Bound<'py, PyAny>> {
    let p = py
        .detach(move || ospo_licence::licence(&id))
        .map_err(error::licence)?;
    to_py(py, p)
}

#[derive(Serialize)]
struct Recommendations {
    recommendations: Vec<ospo_licence::Recommendation>,
    warnings: Vec<ospo_licence::Warning>,
}

/// Outbound licences that accept the inbound expressions for a use, best first.
#[pyfunction]
#[pyo3(signature = (inbound, r#use, prefer, kind))]
fn recommend<'py>(
    py: Python<'py>,
    inbound: Vec<String>,
    r#use: String,
    prefer: Option<String>,
    kind: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let use_: Use = r#use.parse().map_err(error::input)?;
    let prefer: Option<Preference> = prefer
        .map(|p| p.parse())
        .transpose()
        .map_err(error::input)?;
    let kind: Option<Domain> = kind.map(|k| k.parse()).transpose().map_err(error::input)?;
    let (recommendations, warnings) = py
        .detach(move || {
            let refs: Vec<&str> = inbound.iter().map(String::as_str).collect();
            ospo_licence::recommend(&refs, use_, prefer, kind)
        })
        .map_err(error::licence)?;
    to_py(
        py,
        &Recommendations {
            recommendations,
            warnings,
        },
    )
}

/// The sources the engine cites (OSADL matrix, SPDX list, ScanCode, knowledge base), with
/// their versions.
#[pyfunction]
fn sources<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
    let kb = ospo_licence::KnowledgeBase::get();
    let sources: Vec<&ospo_licence::Source> = kb.sources().collect();
    to_py(py, &sources)
}

/// A catalogue database (SQLite file or PostgreSQL URL) opened through the Rust catalogue.
#[pyclass(module = "ospo._ospo", frozen)]
struct LocalCatalogue {
    catalogue: ospo_catalogue::Catalogue,
    runtime: tokio::runtime::Runtime,
}

#[pymethods]
impl LocalCatalogue {
    /// Opens the catalogue at `url` (a file path, `sqlite://PATH` or `postgres://...`).
    #[new]
    fn new(py: Python<'_>, url: String) -> PyResult<LocalCatalogue> {
        py.detach(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| {
                    error::CatalogueError::new_err(format!("cannot start the runtime: {e}"))
                })?;
            let catalogue = runtime
                .block_on(ospo_catalogue::Catalogue::open(&url))
                .map_err(error::catalogue)?;
            Ok(LocalCatalogue { catalogue, runtime })
        })
    }

    /// Searches projects: free text (prefix words), facet filters `(name, value)`, a page.
    fn search<'py>(
        &self,
        py: Python<'py>,
        text: String,
        filters: Vec<(String, String)>,
        limit: usize,
        offset: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = ospo_catalogue::Query {
            text,
            filters,
            limit,
            offset,
        };
        let results = py
            .detach(|| self.runtime.block_on(self.catalogue.search(&q)))
            .map_err(error::catalogue)?;
        to_py(py, &results)
    }

    /// One project by slug, or None.
    fn get<'py>(&self, py: Python<'py>, slug: String) -> PyResult<Option<Bound<'py, PyAny>>> {
        let p = py
            .detach(|| self.runtime.block_on(self.catalogue.get(&slug)))
            .map_err(error::catalogue)?;
        p.map(|p| to_py(py, &p)).transpose()
    }

    /// Figures: projects and facet counts.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = py
            .detach(|| self.runtime.block_on(self.catalogue.stats()))
            .map_err(error::catalogue)?;
        to_py(py, &s)
    }
}

/// The native part of the `ospo` package; use the `ospo` module, not this one.
#[pymodule]
fn _ospo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(check_many, m)?)?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(identify, m)?)?;
    m.add_function(wrap_pyfunction!(licence, m)?)?;
    m.add_function(wrap_pyfunction!(recommend, m)?)?;
    m.add_function(wrap_pyfunction!(sources, m)?)?;
    m.add_class::<LocalCatalogue>()?;
    m.add("OspoError", py.get_type::<error::OspoError>())?;
    m.add("InputError", py.get_type::<error::InputError>())?;
    m.add("ExpressionError", py.get_type::<error::ExpressionError>())?;
    m.add(
        "UnknownLicenceError",
        py.get_type::<error::UnknownLicenceError>(),
    )?;
    m.add("MetadataError", py.get_type::<error::MetadataError>())?;
    m.add("CatalogueError", py.get_type::<error::CatalogueError>())?;
    m.add("SPDX_LIST_VERSION", ospo_licence::spdx_list_version())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
