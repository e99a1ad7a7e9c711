//! The rolling horizon: the calendar keeps every game's draws scheduled some weeks ahead, so
//! that sales never run out of draws (the server's scheduler extends it; 休市 days are skipped
//! by the calendar itself).

use chrono::{Duration, NaiveDate};
use fucai_games::Game;
use fucai_store::Writes;

use crate::calendar::{schedule_draws, DrawSchedule};
use crate::clock::now_ms;
use crate::error::AppResult;
use crate::App;

/// How far ahead of today every game's draws are kept scheduled.
pub const CALENDAR_HORIZON_DAYS: i64 = 60;

/// Adds the draws not yet in the calendar; answers how many were added.
pub(crate) fn add_missing_draws(
    tx: &mut dyn Writes,
    draws: &[DrawSchedule],
) -> fucai_store::StoreResult<usize> {
    let mut added = 0;
    for d in draws {
        let number = d.number.to_string();
        if tx.reader().draw(d.game.code(), &number).is_ok() {
            continue;
        }
        tx.insert_draw(
            d.game.code(),
            &number,
            d.opens_at_ms,
            d.closes_at_ms,
            d.draw_at_ms,
        )?;
        added += 1;
    }
    Ok(added)
}

impl App {
    /// Schedules every game's draws from `today` to the horizon, those missing only (the
    /// scheduler's job; a call with nothing to add writes nothing). Answers the draws added
    /// per game.
    pub async fn extend_calendar(&self, today: NaiveDate) -> AppResult<Vec<(Game, usize)>> {
        let to = today + Duration::days(CALENDAR_HORIZON_DAYS);
        let missing: Vec<DrawSchedule> = self.store.read(|r| {
            let mut missing = Vec::new();
            for game in Game::ALL {
                for d in schedule_draws(game, today, to) {
                    if r.draw(game.code(), &d.number.to_string()).is_err() {
                        missing.push(d);
                    }
                }
            }
            Ok(missing)
        })?;
        if missing.is_empty() {
            return Ok(Vec::new());
        }
        self.writes
            .run(move |tx| {
                let mut added = Vec::new();
                for game in Game::ALL {
                    let draws: Vec<DrawSchedule> =
                        missing.iter().filter(|d| d.game == game).cloned().collect();
                    let n = add_missing_draws(tx, &draws)?;
                    if n > 0 {
                        tx.audit(
                            now_ms(),
                            "system:scheduler",
                            "draws.schedule",
                            game.code(),
                            format!("{today}..{to}: {n}").as_bytes(),
                        )?;
                        added.push((game, n));
                    }
                }
                Ok(added)
            })
            .await
    }
}
