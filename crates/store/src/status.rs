//! Every status a row can be in, as a type: its text in the database (the column's `CHECK`
//! lists exactly these), and for the statuses that move, the moves allowed — one table each.
//! Nothing outside the store spells a status as a string.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

/// A status text that is not one of its type's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} status '{text}'")]
pub struct UnknownStatus {
    pub kind: &'static str,
    pub text: String,
}

macro_rules! status {
    (
        $(#[$doc:meta])*
        $name:ident ($kind:literal) { $( $(#[$vdoc:meta])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vdoc])* $variant ),+
        }

        impl $name {
            /// Every status of this kind, as the column's `CHECK` lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownStatus;

            fn from_str(text: &str) -> Result<$name, UnknownStatus> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownStatus { kind: $kind, text: text.to_string() }),
                }
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$name> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e: UnknownStatus| FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

status! {
    /// A draw's life: on sale, closing, sealed, result recorded, settled, prizes expired.
    DrawStatus ("draws.status") {
        Scheduled = "scheduled",
        Sealing = "sealing",
        Sealed = "sealed",
        Resulted = "resulted",
        Settled = "settled",
        Expired = "expired",
    }
}

impl DrawStatus {
    /// The one move out of each status (a draw never goes back).
    pub fn next(self) -> Option<DrawStatus> {
        match self {
            DrawStatus::Scheduled => Some(DrawStatus::Sealing),
            DrawStatus::Sealing => Some(DrawStatus::Sealed),
            DrawStatus::Sealed => Some(DrawStatus::Resulted),
            DrawStatus::Resulted => Some(DrawStatus::Settled),
            DrawStatus::Settled => Some(DrawStatus::Expired),
            DrawStatus::Expired => None,
        }
    }

    /// Whether tickets can still be sold or cancelled for it.
    pub fn is_on_sale(self) -> bool {
        self == DrawStatus::Scheduled
    }
}

status! {
    /// A 中福在线 video-lottery hall: open, suspended (by the center, for a while) or closed.
    HallStatus ("halls.status") {
        Open = "open",
        Suspended = "suspended",
        Closed = "closed",
    }
}

status! {
    /// Where a 即开票 pack is and what may happen to it: on its way to the center, in the
    /// center's stock, on its way to a station, at the station (confirmed), activated (on
    /// sale), settled; or returned, on hold (missing) or blocked (stolen). A pack is in exactly
    /// one of these.
    PackState ("instant_packs.state") {
        InTransit = "in_transit",
        AtCenter = "at_center",
        ToStation = "to_station",
        AtStation = "at_station",
        Activated = "activated",
        Settled = "settled",
        Returned = "returned",
        Held = "held",
        Blocked = "blocked",
    }
}

impl PackState {
    /// The moves a pack may make; anything else is refused.
    pub fn can_become(self, to: PackState) -> bool {
        use PackState::*;
        matches!(
            (self, to),
            (InTransit, AtCenter)
                | (AtCenter, ToStation)
                | (ToStation, AtStation)
                | (AtStation, Activated)
                | (Activated, Settled)
                | (ToStation | AtStation, Returned)
                | (
                    InTransit | AtCenter | ToStation | AtStation | Activated,
                    Held
                )
                | (Held, AtCenter)
                | (
                    InTransit | AtCenter | ToStation | AtStation | Activated | Held,
                    Blocked
                )
        )
    }

    /// Whether a ticket of the pack may be paid: only once it is on sale or settled.
    pub fn pays_prizes(self) -> bool {
        matches!(self, PackState::Activated | PackState::Settled)
    }
}

status! {
    /// Which 即开票 tickets a station pays (兑奖范围): those it sold itself (本站自兑), those
    /// sold in its town (区域通兑), or any of the center's (中心通兑).
    ClaimScope ("stations.instant_claim_scope") {
        Own = "own",
        Area = "area",
        Center = "center",
    }
}

status! {
    /// How a verifiable draw's reveal went against its deadline (the committed round's time
    /// plus the window): run after it, or not run by it. On time leaves no mark.
    RevealMark ("draw_commitments.reveal") {
        Late = "late",
        Abandoned = "abandoned",
    }
}

status! {
    /// A ticket: sold, or cancelled by its terminal within the cancel window.
    TicketStatus ("tickets.status") {
        Sold = "sold",
        Cancelled = "cancelled",
    }
}

status! {
    /// A ticket's winnings in one draw: waiting to be claimed, paid, or expired into the
    /// welfare fund after the claim period.
    WinningStatus ("ticket_winnings.status") {
        Unclaimed = "unclaimed",
        Paid = "paid",
        Expired = "expired",
    }
}

status! {
    /// A welfare programme: drafted by one person, approved or rejected by another, closed.
    ProgrammeStatus ("programmes.status") {
        Draft = "draft",
        Approved = "approved",
        Rejected = "rejected",
        Closed = "closed",
    }
}

impl ProgrammeStatus {
    pub fn can_become(self, to: ProgrammeStatus) -> bool {
        matches!(
            (self, to),
            (ProgrammeStatus::Draft, ProgrammeStatus::Approved)
                | (ProgrammeStatus::Draft, ProgrammeStatus::Rejected)
                | (ProgrammeStatus::Approved, ProgrammeStatus::Closed)
        )
    }
}

status! {
    /// A welfare grant: proposed by one person, then paid (approved) or rejected by another.
    GrantStatus ("grants.status") {
        Proposed = "proposed",
        Rejected = "rejected",
        Paid = "paid",
    }
}

impl GrantStatus {
    pub fn can_become(self, to: GrantStatus) -> bool {
        matches!(
            (self, to),
            (GrantStatus::Proposed, GrantStatus::Paid)
                | (GrantStatus::Proposed, GrantStatus::Rejected)
        )
    }
}

status! {
    /// A sales station in the register.
    StationStatus ("stations.status") {
        Active = "active",
        Suspended = "suspended",
        Closed = "closed",
    }
}

impl StationStatus {
    /// Suspended and reopened any number of times; closed for good.
    pub fn can_become(self, to: StationStatus) -> bool {
        matches!(
            (self, to),
            (StationStatus::Active, StationStatus::Suspended)
                | (StationStatus::Suspended, StationStatus::Active)
                | (StationStatus::Active, StationStatus::Closed)
                | (StationStatus::Suspended, StationStatus::Closed)
        )
    }
}

status! {
    /// What a person does at a station.
    StationPersonRole ("station_people.role") {
        Owner = "owner",
        Clerk = "clerk",
    }
}

status! {
    /// What a training session is: 站点业务培训 for station people, 工作人员培训 for the
    /// center's staff, 外部课程 (a provincial or other outside course staff are sent to).
    TrainingKind ("training_sessions.kind") {
        Station = "station",
        Staff = "staff",
        External = "external",
    }
}

status! {
    /// 走访 (a visit hearing opinions), 巡查 (an inspection against the checklist), 暗访 (an
    /// unannounced one).
    VisitKind ("visits.kind") {
        Visit = "visit",
        Inspection = "inspection",
        Mystery = "mystery",
    }
}

status! {
    /// A finding's rectification (整改): open → in progress → submitted with evidence →
    /// verified and closed, or reopened; withdrawn only when an appeal overturns it.
    FindingStatus ("findings.status") {
        Open = "open",
        InProgress = "in_progress",
        Submitted = "submitted",
        Closed = "closed",
        Reopened = "reopened",
        Withdrawn = "withdrawn",
    }
}

impl FindingStatus {
    /// The moves of a rectification. Closing is only from `Submitted` (nothing skips the
    /// verification); a reopened finding goes round again; withdrawal ends any finding that
    /// is not closed.
    pub fn can_become(self, to: FindingStatus) -> bool {
        use FindingStatus::*;
        matches!(
            (self, to),
            (Open | Reopened, InProgress)
                | (Open | InProgress | Reopened, Submitted)
                | (Submitted, Closed)
                | (Submitted | Closed, Reopened)
                | (Open | InProgress | Submitted | Reopened, Withdrawn)
        )
    }

    /// Still waiting on the station (what the overdue list and the rating count).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            FindingStatus::Open | FindingStatus::InProgress | FindingStatus::Reopened
        )
    }
}

status! {
    /// What a campaign ranks stations by: sales volume, growth over the same period a year
    /// earlier, or sales per day open.
    CampaignMetric ("campaigns.metric") {
        Volume = "volume",
        Growth = "growth",
        PerDay = "per_day",
    }
}

status! {
    /// A campaign: running (its ranking live), or closed (its ranking kept as it stood).
    CampaignStatus ("campaigns.status") {
        Active = "active",
        Closed = "closed",
    }
}

status! {
    /// 党建 (party), 志愿服务 (volunteer), 团建 (team building) or another activity.
    ActivityKind ("activities.kind") {
        Party = "party",
        Volunteer = "volunteer",
        TeamBuilding = "team_building",
        Other = "other",
    }
}

status! {
    /// A news article or notice on the portal: written as a draft (edited and previewed),
    /// published, and perhaps withdrawn from the public later (kept, never deleted).
    ArticleStatus ("articles.status") {
        Draft = "draft",
        Published = "published",
        Withdrawn = "withdrawn",
    }
}

impl ArticleStatus {
    pub fn can_become(self, to: ArticleStatus) -> bool {
        matches!(
            (self, to),
            (ArticleStatus::Draft, ArticleStatus::Published)
                | (ArticleStatus::Published, ArticleStatus::Withdrawn)
        )
    }
}

status! {
    /// 新闻 (news) or 公告 (a notice: closures, rule changes, prize deadlines).
    ArticleKind ("articles.kind") {
        News = "news",
        Notice = "notice",
    }
}

status! {
    /// A sales terminal.
    TerminalStatus ("terminals.status") {
        Active = "active",
        Disabled = "disabled",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_its_text() {
        for s in DrawStatus::ALL {
            assert_eq!(s.as_str().parse::<DrawStatus>().unwrap(), *s);
        }
        for s in GrantStatus::ALL {
            assert_eq!(s.as_str().parse::<GrantStatus>().unwrap(), *s);
        }
        assert!("open".parse::<StationStatus>().is_err());
    }

    #[test]
    fn a_draw_moves_forward_one_step_at_a_time_to_expired() {
        let mut path = vec![DrawStatus::Scheduled];
        while let Some(next) = path.last().unwrap().next() {
            path.push(next);
        }
        assert_eq!(path, DrawStatus::ALL);
    }
}
