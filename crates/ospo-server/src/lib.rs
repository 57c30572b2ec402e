//! The ospo server: the OSPO's website and JSON API over the catalogue, licence engine,
//! inventory and disclosure workflow (axum). It maps HTTP to the core crates and holds no
//! state of its own, so several instances can share one PostgreSQL database.
//!
//! This crate is filled by the server work (issue "The OSPO server"); until then the
//! `ospo` CLI is the main entry point.
