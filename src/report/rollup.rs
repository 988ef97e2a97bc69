//! Roll-ups (`report --group-by`): the targets counted per programme,
//! owner, entity or tag, by status, with the share that has a verdict.
//! The counts are added up as the rows come (a report streams); a target
//! with several tags counts in each of their groups, so that tag groups
//! overlap.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Row;
use crate::engine::Status;
use crate::model::Labels;

/// The group of the targets that have no programme (owner, entity, tag).
pub const NONE: &str = "(none)";

/// What targets are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Programme,
    Owner,
    Entity,
    Tag,
    /// One dimension of the targets' indicators (`dim:sex`), the key as
    /// given (dimensions compare in any case).
    Dim(&'static str),
}

impl GroupBy {
    /// What the group column is headed: `programme`, …, or the
    /// dimension's key (`sex`).
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Programme => "programme",
            GroupBy::Owner => "owner",
            GroupBy::Entity => "entity",
            GroupBy::Tag => "tag",
            GroupBy::Dim(key) => key,
        }
    }

    /// The groups `row` is in: one, or one per tag (`(none)` when it has
    /// none).
    pub fn keys(self, row: &Row) -> Vec<String> {
        let one = |s: &Option<String>| vec![s.clone().unwrap_or_else(|| NONE.to_string())];
        match self {
            GroupBy::Programme => one(&row.programme),
            GroupBy::Owner => one(&row.owner),
            GroupBy::Entity => one(&row.entity),
            GroupBy::Tag if row.tags.is_empty() => vec![NONE.to_string()],
            GroupBy::Tag => row.tags.clone(),
            GroupBy::Dim(key) => vec![
                crate::model::dim_in(&row.dims, key)
                    .unwrap_or(NONE)
                    .to_string(),
            ],
        }
    }

    /// Whether one target can be in several groups.
    pub fn overlaps(self) -> bool {
        self == GroupBy::Tag
    }
}

impl std::str::FromStr for GroupBy {
    type Err = String;

    /// `programme`, `owner`, `entity`, `tag` or `dim:KEY`.
    fn from_str(s: &str) -> Result<GroupBy, String> {
        match s.trim() {
            "programme" => Ok(GroupBy::Programme),
            "owner" => Ok(GroupBy::Owner),
            "entity" => Ok(GroupBy::Entity),
            "tag" => Ok(GroupBy::Tag),
            other => match other.strip_prefix("dim:").map(str::trim) {
                // one small string for the life of the command
                Some(key) if !key.is_empty() => Ok(GroupBy::Dim(Box::leak(key.into()))),
                _ => Err(format!(
                    "'{s}': group by programme, owner, entity, tag or dim:KEY (a dimension, e.g. dim:sex)"
                )),
            },
        }
    }
}

/// `"programme"`, …, `"dim:sex"` in JSON.
impl Serialize for GroupBy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            GroupBy::Dim(key) => s.serialize_str(&format!("dim:{key}")),
            other => s.serialize_str(other.name()),
        }
    }
}

/// The order of groups: by name in any case, `(none)` last.
pub fn order(key: &str) -> (bool, String, String) {
    (key == NONE, key.to_lowercase(), key.to_string())
}

/// Whether a target has a verdict: every status but `no_data` (not enough
/// data) and `withdrawn` (no longer assessed, counted apart).
pub fn assessed(status: Status) -> bool {
    !matches!(status, Status::NoData | Status::Withdrawn)
}

/// One group's line of the roll-up (`{"group", "targets", "statuses",
/// "assessed", "share_assessed"}` in JSON).
#[derive(Debug, Clone, Serialize)]
pub struct GroupSummary {
    pub group: String,
    /// Every target in the group, withdrawn ones included.
    pub targets: usize,
    /// The count of each status present, in severity order.
    pub statuses: BTreeMap<Status, usize>,
    /// Targets with a verdict (every status but no_data and withdrawn).
    pub assessed: usize,
    /// `assessed` over the targets still assessed (withdrawn ones left
    /// out); none when every target is withdrawn.
    pub share_assessed: Option<f64>,
}

impl GroupSummary {
    pub fn count(&self, s: Status) -> usize {
        self.statuses.get(&s).copied().unwrap_or(0)
    }
}

/// The counts of every group, added up a row at a time.
#[derive(Debug, Clone, Default)]
pub struct Rollup {
    groups: BTreeMap<(bool, String, String), BTreeMap<Status, usize>>,
}

impl Rollup {
    /// Counts a target of `status` in group `key`.
    pub fn add(&mut self, key: &str, status: Status) {
        *self
            .groups
            .entry(order(key))
            .or_default()
            .entry(status)
            .or_default() += 1;
    }

    /// Every group's line, in group order.
    pub fn summaries(&self) -> Vec<GroupSummary> {
        self.groups
            .iter()
            .map(|((_, _, name), statuses)| {
                let targets: usize = statuses.values().sum();
                let withdrawn = statuses.get(&Status::Withdrawn).copied().unwrap_or(0);
                let assessed: usize = statuses
                    .iter()
                    .filter(|(s, _)| assessed(**s))
                    .map(|(_, n)| n)
                    .sum();
                let still = targets - withdrawn;
                GroupSummary {
                    group: name.clone(),
                    targets,
                    statuses: statuses.clone(),
                    assessed,
                    share_assessed: (still > 0).then(|| assessed as f64 / still as f64),
                }
            })
            .collect()
    }
}

/// Which programmes, owners and tags a view keeps: any of the values
/// given for each (none given: all); programmes and owners match part of
/// the name, tags the whole tag, in any case; `(none)` keeps the targets
/// without one.
#[derive(Debug, Clone, Default)]
pub struct LabelFilter {
    pub programmes: Vec<String>,
    pub owners: Vec<String>,
    pub tags: Vec<String>,
}

impl LabelFilter {
    pub fn keeps(&self, l: &Labels) -> bool {
        self.keeps_parts(l.programme.as_deref(), l.owner.as_deref(), &l.tags)
    }

    /// [`LabelFilter::keeps`] on the parts of labels (a report row's).
    pub fn keeps_parts(
        &self,
        programme: Option<&str>,
        owner: Option<&str>,
        tags: &[String],
    ) -> bool {
        let part = |have: Option<&str>, wanted: &[String]| {
            wanted.is_empty()
                || wanted.iter().any(|w| match have {
                    None => w == NONE,
                    Some(h) => w != NONE && h.to_lowercase().contains(&w.to_lowercase()),
                })
        };
        part(programme, &self.programmes)
            && part(owner, &self.owners)
            && (self.tags.is_empty()
                || self.tags.iter().any(|w| {
                    if w == NONE {
                        tags.is_empty()
                    } else {
                        tags.iter().any(|t| t.eq_ignore_ascii_case(w))
                    }
                }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(programme: Option<&str>, tags: &[&str]) -> Labels {
        Labels {
            programme: programme.map(String::from),
            owner: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn filters_match_part_of_a_name_the_whole_tag_and_none() {
        let f = LabelFilter {
            programmes: vec!["strategy".into()],
            ..Default::default()
        };
        assert!(f.keeps(&labels(Some("EAEU Strategy 2025"), &[])));
        assert!(!f.keeps(&labels(None, &[])));
        let none = LabelFilter {
            programmes: vec![NONE.into()],
            ..Default::default()
        };
        assert!(none.keeps(&labels(None, &[])));
        assert!(!none.keeps(&labels(Some("x"), &[])));
        let tag = LabelFilter {
            tags: vec!["Exports".into()],
            ..Default::default()
        };
        assert!(tag.keeps(&labels(None, &["exports", "trade"])));
        assert!(!tag.keeps(&labels(None, &["export"])));
    }

    #[test]
    fn the_share_assessed_leaves_withdrawn_targets_out() {
        let mut r = Rollup::default();
        for s in [
            Status::OnTrack,
            Status::NoData,
            Status::Withdrawn,
            Status::Pending,
        ] {
            r.add("a", s);
        }
        r.add(NONE, Status::Withdrawn);
        r.add("B", Status::Missed);
        let s = r.summaries();
        let names: Vec<&str> = s.iter().map(|g| g.group.as_str()).collect();
        assert_eq!(names, ["a", "B", NONE]);
        assert_eq!((s[0].targets, s[0].assessed), (4, 2));
        assert_eq!(s[0].share_assessed, Some(2.0 / 3.0));
        assert_eq!(s[2].share_assessed, None);
    }
}
