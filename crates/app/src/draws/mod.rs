//! A draw after its cutoff: seal, result (four-eyes entry or fucai's verifiable draw),
//! settlement and announcement.
//!
//! Status: `scheduled` (on sale) → `sealing` → `sealed` → `resulted` → `settled`. Every step
//! that changes the draw runs in the write queue, so a seal is ordered after every sale
//! committed before it and before any sale that would follow (which then finds the draw
//! closed and is refused).

mod horizon;
mod reconcile;
mod results;
mod seal;
mod settle;
mod verifiable;

pub(crate) use horizon::add_missing_draws;
pub use horizon::CALENDAR_HORIZON_DAYS;
pub use reconcile::{Reconciliation, RECONCILERS};
pub use results::ResultEntry;
pub use seal::{manifest_path, DueSeals};
pub use settle::Announcement;
pub use verifiable::{BeaconInput, BeaconTiming, Commitment, CommittedBeacon, Reveal};

use chrono::NaiveDate;
use fucai_games::Game;
use fucai_store::DrawStatus;
use fucai_store::{DrawRow, ResultRow, SealRow};
use serde::Serialize;

use crate::calendar::beijing_date;
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role, REGISTER_READERS};
use crate::App;

/// Who runs draws: seals, commitments, result entry.
pub const DRAW_OPERATORS: &[Role] = &[Role::Admin, Role::Operations];
/// Who settles draws and expires unclaimed prizes.
pub const SETTLERS: &[Role] = &[Role::Admin, Role::Finance];

/// What the public may see of a draw at any time: the seal (before any result), the
/// commitment of a verifiable draw, the result once recorded.
#[derive(Clone, Debug, Serialize)]
pub struct DrawInfo {
    pub game: String,
    pub number: String,
    pub status: DrawStatus,
    pub closes_at: i64,
    pub draw_at: i64,
    pub seal: Option<SealRow>,
    pub commitment: Option<String>,
    /// The drand round a verifiable draw committed to, and how its reveal went.
    pub beacon: Option<CommittedBeacon>,
    pub result: Option<String>,
    pub method: Option<String>,
}

pub(crate) fn user_name(who: &Principal) -> AppResult<String> {
    match who {
        Principal::User { username, .. } => Ok(username.clone()),
        Principal::Terminal { .. } => Err(AppError::forbidden("terminals cannot run draws")),
    }
}

pub(crate) fn draw_date(draw: &DrawRow) -> NaiveDate {
    beijing_date(draw.draw_at)
}

fn parse_game(game: &str) -> AppResult<Game> {
    game.parse().map_err(|e| AppError::invalid("game", e))
}

impl App {
    pub(crate) fn find_draw(&self, game: &str, number: &str) -> AppResult<(Game, DrawRow)> {
        let g = parse_game(game)?;
        let draw = self.store.read(|r| r.draw(g.code(), number))?;
        Ok((g, draw))
    }

    /// Public facts of a draw.
    pub fn draw_info(&self, game: &str, number: &str) -> AppResult<DrawInfo> {
        let (g, draw) = self.find_draw(game, number)?;
        let (seal, commitment, result) = self.store.read(|r| {
            Ok((
                r.seal(draw.id)?,
                r.commitment(draw.id)?,
                r.draw_result(draw.id)?,
            ))
        })?;
        Ok(DrawInfo {
            game: g.code().to_string(),
            number: draw.number.clone(),
            status: draw.status,
            closes_at: draw.closes_at,
            draw_at: draw.draw_at,
            seal,
            beacon: commitment
                .as_ref()
                .and_then(|c| CommittedBeacon::of(c, result.is_some(), now_ms())),
            commitment: commitment.map(|c| c.commitment),
            result: result.as_ref().map(|r| r.numbers.clone()),
            method: result.map(|r| r.method),
        })
    }

    /// The latest results (settled draws), newest first; `game` narrows to one game.
    /// One page of the draw calendar with the number of matching draws (center staff).
    pub fn draw_calendar(
        &self,
        who: &Principal,
        q: &fucai_store::DrawQuery,
    ) -> AppResult<(i64, Vec<DrawRow>)> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        Ok(self.store.read(|r| r.draw_calendar(q))?)
    }

    pub fn recent_results(&self, game: Option<&str>, limit: usize) -> AppResult<Vec<ResultRow>> {
        let game = game.map(parse_game).transpose()?;
        Ok(self
            .store
            .read(|r| r.settled_draws(game.map(Game::code), limit.clamp(1, 200)))?)
    }
}
