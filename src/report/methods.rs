//! The `method list` view.

use serde::Serialize;

use crate::engine::Method;

/// One method: built in or added, what it classifies, in a line.
#[derive(Debug, Clone, Serialize)]
pub struct MethodRow {
    pub name: String,
    pub builtin: bool,
    pub measure: &'static str,
    pub window: bool,
    pub description: Option<String>,
}

/// `{"version": 1, "methods": [...]}`: the built-in methods first, then the
/// profiles added, by name.
#[derive(Debug, Clone, Serialize)]
pub struct MethodList {
    pub version: u32,
    pub methods: Vec<MethodRow>,
}

impl MethodList {
    pub fn build(methods: &[Method]) -> MethodList {
        MethodList {
            version: 1,
            methods: methods
                .iter()
                .map(|m| {
                    let p = m.profile();
                    MethodRow {
                        name: p.name.clone(),
                        builtin: m.is_builtin(),
                        measure: p.measure.name(),
                        window: p.window,
                        description: p.description.clone(),
                    }
                })
                .collect(),
        }
    }
}
