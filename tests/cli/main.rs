//! End-to-end tests of the `ospo` command line: the real binary, real files.

mod catalogue;
mod inventory;
mod licence;
mod ready;
mod report;
mod sbom;
mod scan;
mod server;
mod web;
mod workflow;
