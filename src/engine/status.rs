//! The shared vocabulary of statuses (methodology.md §6). The methods that
//! assign them are in `method/`.

use serde::Serialize;

/// The shared vocabulary of statuses, in order of severity (worst first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Missed,
    MovingAway,
    OffTrack,
    /// Neither progress nor movement away: a profile's stagnation band.
    Stalled,
    AtRisk,
    /// A milestone past its deadline with no completion recorded: not known
    /// to be missed (§7).
    Overdue,
    NoData,
    Pending,
    OnTrack,
    Achieved,
    /// Withdrawn or repealed: no longer assessed, counted apart.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::Missed,
        Status::MovingAway,
        Status::OffTrack,
        Status::Stalled,
        Status::AtRisk,
        Status::Overdue,
        Status::NoData,
        Status::Pending,
        Status::OnTrack,
        Status::Achieved,
        Status::Withdrawn,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::Missed => "missed",
            Status::MovingAway => "moving_away",
            Status::OffTrack => "off_track",
            Status::Stalled => "stalled",
            Status::AtRisk => "at_risk",
            Status::Overdue => "overdue",
            Status::NoData => "no_data",
            Status::Pending => "pending",
            Status::OnTrack => "on_track",
            Status::Achieved => "achieved",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn from_name(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.name() == s)
    }
}
