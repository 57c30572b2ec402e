//! The ospo licence engine compiled to WebAssembly for the in-browser checker
//! (wasm-bindgen): it converts types for the browser, nothing else.
//!
//! This crate is filled by the browser checker work (issue "The in-browser licence
//! compatibility checker").
