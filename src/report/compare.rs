//! Methods side by side (`report --method eurostat,opensdg,…` or `all`):
//! one status per method for every target, and whether they disagree.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Catalog, Filter, Report, Row};
use crate::engine::{Method, Status};
use crate::model::Target;

/// What one method says of one target.
#[derive(Debug, Clone, Serialize)]
pub struct Assessed {
    pub status: Status,
    pub method_value: Option<f64>,
    pub method_label: Option<&'static str>,
    pub score: Option<f64>,
}

/// One target: its row by the first method, and every method's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct CompareRow {
    #[serde(flatten)]
    pub row: Row,
    /// By method name.
    pub assessments: BTreeMap<&'static str, Assessed>,
    /// The methods give different statuses.
    pub disagree: bool,
}

/// `{"version": 1, "as_of", "methods", "targets": [...], "disagreements"}`.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub version: u32,
    pub as_of: String,
    pub methods: Vec<Method>,
    pub targets: Vec<CompareRow>,
    /// How many targets the methods disagree on.
    pub disagreements: usize,
}

impl Comparison {
    /// The report of every method on `as_of`, in the first method's order
    /// (the filter applies to the first method's rows).
    pub fn build(
        targets: &[Target],
        catalog: &Catalog,
        as_of: NaiveDate,
        methods: &[Method],
        filter: &Filter,
    ) -> Comparison {
        let reports: Vec<Report> = methods
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let all = Filter::default();
                Report::from_catalog(
                    targets,
                    catalog,
                    as_of,
                    *m,
                    if i == 0 { filter } else { &all },
                )
            })
            .collect();
        let by_id: Vec<BTreeMap<&str, &Row>> = reports
            .iter()
            .map(|r| r.targets.iter().map(|t| (t.id.as_str(), t)).collect())
            .collect();
        let mut rows = Vec::new();
        for first in &reports[0].targets {
            let mut assessments = BTreeMap::new();
            for (m, rows) in methods.iter().zip(&by_id) {
                if let Some(r) = rows.get(first.id.as_str()) {
                    assessments.insert(
                        m.name(),
                        Assessed {
                            status: r.status,
                            method_value: r.method_value,
                            method_label: r.method_label,
                            score: r.score,
                        },
                    );
                }
            }
            let mut statuses = assessments.values().map(|a| a.status);
            let head = statuses.next();
            let disagree = statuses.any(|s| Some(s) != head);
            rows.push(CompareRow {
                row: first.clone(),
                assessments,
                disagree,
            });
        }
        Comparison {
            version: 1,
            as_of: as_of.to_string(),
            methods: methods.to_vec(),
            disagreements: rows.iter().filter(|r| r.disagree).count(),
            targets: rows,
        }
    }
}
