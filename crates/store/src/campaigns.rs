//! Campaigns (营销活动): their terms, the standings kept when one closes, their rewards —
//! and the ledger read the live ranking is computed from.

use fucai_ledger::Money;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::registers::duplicate;
use crate::{CampaignMetric, CampaignStatus, Reader, StoreError, StoreResult, WriteTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Game codes, comma-separated.
    pub games: String,
    pub starts_on: String,
    pub ends_on: String,
    pub metric: CampaignMetric,
    /// The town it is limited to (the whole district when none).
    pub town_code: Option<String>,
    pub status: CampaignStatus,
    pub created_by: String,
    pub closed_by: Option<String>,
}

/// One line of a campaign's ranking, as kept at its close.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StandingRow {
    pub rank: i64,
    pub station_code: String,
    pub sales: Money,
    /// The same period a year earlier (growth campaigns).
    pub base: Money,
    pub days_open: i64,
    /// The metric's value as shown.
    pub score: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RewardRow {
    pub id: i64,
    pub station_code: String,
    pub reward: String,
    pub given_on: String,
    pub recorded_by: String,
}

const CAMPAIGN_COLUMNS: &str = "c.id, c.code, c.name, c.games, c.starts_on, c.ends_on, c.metric, c.town_code, c.status, c.created_by, c.closed_by";

fn campaign_row(r: &Row<'_>) -> rusqlite::Result<CampaignRow> {
    Ok(CampaignRow {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        games: r.get(3)?,
        starts_on: r.get(4)?,
        ends_on: r.get(5)?,
        metric: r.get(6)?,
        town_code: r.get(7)?,
        status: r.get(8)?,
        created_by: r.get(9)?,
        closed_by: r.get(10)?,
    })
}

impl CampaignsReads for Reader<'_> {
    fn campaigns(&self) -> StoreResult<Vec<CampaignRow>> {
        let sql =
            format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns c ORDER BY c.starts_on DESC, c.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], campaign_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn campaign(&self, code: &str) -> StoreResult<CampaignRow> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns c WHERE c.code = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([code], campaign_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("campaign {code}")))
    }

    fn standings(&self, campaign_id: i64) -> StoreResult<Vec<StandingRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT g.rank, s.code, g.sales_fen, g.base_fen, g.days_open, g.score FROM campaign_standings g
             JOIN stations s ON s.id = g.station_id WHERE g.campaign_id = ?1 ORDER BY g.rank",
        )?;
        let rows = stmt.query_map([campaign_id], |r| {
            Ok(StandingRow {
                rank: r.get(0)?,
                station_code: r.get(1)?,
                sales: r.get(2)?,
                base: r.get(3)?,
                days_open: r.get(4)?,
                score: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn rewards(&self, campaign_id: i64) -> StoreResult<Vec<RewardRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT w.id, s.code, w.reward, w.given_on, w.recorded_by FROM campaign_rewards w
             JOIN stations s ON s.id = w.station_id WHERE w.campaign_id = ?1 ORDER BY w.id",
        )?;
        let rows = stmt.query_map([campaign_id], |r| {
            Ok(RewardRow {
                id: r.get(0)?,
                station_code: r.get(1)?,
                reward: r.get(2)?,
                given_on: r.get(3)?,
                recorded_by: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn ledger_station_sales(
        &self,
        marker_accounts: &[String],
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<(String, Money)>> {
        if marker_accounts.is_empty() {
            return Ok(Vec::new());
        }
        let markers = vec!["?"; marker_accounts.len()].join(", ");
        // A station's receivable line of every sale, upstream report and cancel posted in the
        // period whose entry also posts to one of the games' marker accounts.
        let sql = format!(
            "SELECT substr(l.account, 9, length(l.account) - 19), SUM(l.amount_fen)
             FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
             WHERE e.kind IN ('sale', 'daily_sales', 'cancel') AND e.posted_at >= ? AND e.posted_at < ?
               AND l.account LIKE 'station/%/receivable'
               AND EXISTS (SELECT 1 FROM journal_lines g WHERE g.entry_id = l.entry_id AND g.account IN ({markers}))
             GROUP BY l.account ORDER BY l.account"
        );
        let mut values: Vec<rusqlite::types::Value> = vec![from_ms.into(), to_ms.into()];
        values.extend(marker_accounts.iter().map(|a| a.clone().into()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl CampaignsWrites for WriteTx<'_> {
    fn insert_campaign(&mut self, c: &CampaignRow, at: i64) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO campaigns (code, name, games, starts_on, ends_on, metric, town_code, status, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![c.code, c.name, c.games, c.starts_on, c.ends_on, c.metric, c.town_code, CampaignStatus::Active, c.created_by, at])
            .map_err(duplicate(format!("campaign {}", c.code)))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn close_campaign(
        &mut self,
        campaign_id: i64,
        standings: &[StandingRow],
        by: &str,
        at: i64,
    ) -> StoreResult<()> {
        let n = self
            .tx
            .prepare_cached("UPDATE campaigns SET status = ?2, closed_by = ?3, closed_at = ?4 WHERE id = ?1 AND status = ?5")?
            .execute(params![campaign_id, CampaignStatus::Closed, by, at, CampaignStatus::Active])?;
        if n != 1 {
            return Err(StoreError::Conflict(format!(
                "campaign #{campaign_id} is already closed"
            )));
        }
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO campaign_standings (campaign_id, rank, station_id, sales_fen, base_fen, days_open, score)
             VALUES (?1, ?2, (SELECT id FROM stations WHERE code = ?3), ?4, ?5, ?6, ?7)",
        )?;
        for s in standings {
            insert.execute(params![
                campaign_id,
                s.rank,
                s.station_code,
                s.sales,
                s.base,
                s.days_open,
                s.score
            ])?;
        }
        Ok(())
    }

    fn insert_reward(
        &mut self,
        campaign_id: i64,
        station_code: &str,
        reward: &str,
        given_on: &str,
        by: &str,
        at: i64,
    ) -> StoreResult<i64> {
        let station = self.id_of("stations", station_code)?;
        self.tx
            .prepare_cached(
                "INSERT INTO campaign_rewards (campaign_id, station_id, reward, given_on, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![campaign_id, station, reward, given_on, by, at])?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// The reads of campaigns. SQLite implements it on [`Reader`](crate::Reader).
pub trait CampaignsReads {
    fn campaigns(&self) -> StoreResult<Vec<CampaignRow>>;
    fn campaign(&self, code: &str) -> StoreResult<CampaignRow>;
    /// The ranking kept when the campaign closed (empty while it runs).
    fn standings(&self, campaign_id: i64) -> StoreResult<Vec<StandingRow>>;
    fn rewards(&self, campaign_id: i64) -> StoreResult<Vec<RewardRow>>;
    /// Each station's sales in `[from_ms, to_ms)` from the ledger: the receivable side of
    /// every sale, upstream report and cancel whose entry also posts to one of
    /// `marker_accounts` (a game's issuance-fee account marks the game).
    fn ledger_station_sales(
        &self,
        marker_accounts: &[String],
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<(String, Money)>>;
}

/// The writes of campaigns.
pub trait CampaignsWrites {
    fn insert_campaign(&mut self, c: &CampaignRow, at: i64) -> StoreResult<i64>;
    /// Closes a running campaign and keeps its ranking as it stands.
    fn close_campaign(
        &mut self,
        campaign_id: i64,
        standings: &[StandingRow],
        by: &str,
        at: i64,
    ) -> StoreResult<()>;
    #[allow(clippy::too_many_arguments)]
    fn insert_reward(
        &mut self,
        campaign_id: i64,
        station_code: &str,
        reward: &str,
        given_on: &str,
        by: &str,
        at: i64,
    ) -> StoreResult<i64>;
}
