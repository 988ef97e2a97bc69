//! goalpost: a command-line tracker for stated policy targets.
//!
//! Data flows one way (design/style.md): `parse` → `store` → `model` →
//! `engine` → `report` → `render`; `cmd` wires a command through them.

pub mod alloc;
pub mod batch;
pub mod cli;
pub mod cmd;
pub mod dataset;
pub mod engine;
pub mod error;
pub mod import;
pub mod model;
pub mod parse;
pub mod period;
pub mod render;
pub mod report;
pub mod store;
pub mod terminal;
