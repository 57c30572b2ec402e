//! Python bindings of ospo (pyo3 + maturin): licence checks, environment audits and
//! catalogue access for physics analysis tooling. It converts types and releases the GIL
//! around core calls, nothing else.
//!
//! This crate is filled by the Python bindings work (issue "Python bindings").
