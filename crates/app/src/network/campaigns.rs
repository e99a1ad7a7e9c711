//! Campaigns (营销活动): a period, the games it covers, a metric and a scope (the district or
//! one town). The live ranking is computed from the ledger — each station's sale, upstream
//! report and cancel entries for those games — never from a counter of its own; closing a
//! campaign keeps its ranking as it stood, so later postings never change it. Rewards given
//! to ranked stations are recorded.
//!
//! Ranking: by sales (volume); by growth over the same days a year earlier (stations with no
//! sales then have no growth and follow all that do, by sales); or by sales per day open
//! (days between the later of the start and the opening and the earlier of the end and the
//! closing, both counted). Ties: the greater sales first, then the station code. Ranks run
//! 1, 2, 3 … with no two stations sharing one.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use fucai_games::Game;
use fucai_ledger::{AccountCode, Fund, Money};
use fucai_store::{CampaignMetric, CampaignRow, CampaignStatus, RewardRow, StandingRow};
use serde::Serialize;

use super::coverage::StationSpan;
use super::station_spans;
use super::training::{period, NETWORK_EDITORS, NETWORK_READERS};
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal};
use crate::registers::parse_date;
use crate::tabular::{write_table, Format};
use crate::{beijing_day_start_ms, App};

#[derive(Clone, Debug, Default)]
pub struct CampaignInput {
    pub code: String,
    pub name: String,
    /// Game codes (ssq, fc3d, qlc, kl8).
    pub games: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
    /// volume, growth or per_day.
    pub metric: String,
    /// The town it is limited to; the whole district when none.
    pub town: Option<String>,
}

/// A station in the running: its sales in the period, the same days a year earlier, and its
/// days open in the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entrant {
    pub station: String,
    pub sales: Money,
    pub base: Money,
    pub days_open: i64,
}

/// A campaign with its ranking (live, or as kept at its close) and rewards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignView {
    pub campaign: CampaignRow,
    pub standings: Vec<StandingRow>,
    pub rewards: Vec<RewardRow>,
}

/// Growth in tenths of a percent, rounded half away from zero; `None` without a base.
fn growth_permille(e: &Entrant) -> Option<i128> {
    let base = i128::from(e.base.fen());
    (base > 0).then(|| {
        let num = (i128::from(e.sales.fen()) - base) * 1000;
        let half = base / 2;
        if num >= 0 {
            (num + half) / base
        } else {
            (num - half) / base
        }
    })
}

fn compare(metric: CampaignMetric, a: &Entrant, b: &Entrant) -> Ordering {
    let (sa, sb) = (i128::from(a.sales.fen()), i128::from(b.sales.fen()));
    let by_metric = match metric {
        CampaignMetric::Volume => sb.cmp(&sa),
        // Exact: (sa − ba)/ba against (sb − bb)/bb, cross-multiplied by the positive bases.
        CampaignMetric::Growth => {
            let (ba, bb) = (i128::from(a.base.fen()), i128::from(b.base.fen()));
            match (ba > 0, bb > 0) {
                (true, true) => ((sb - bb) * ba).cmp(&((sa - ba) * bb)),
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => Ordering::Equal,
            }
        }
        CampaignMetric::PerDay => {
            let (da, db) = (
                i128::from(a.days_open.max(1)),
                i128::from(b.days_open.max(1)),
            );
            (sb * da).cmp(&(sa * db))
        }
    };
    by_metric
        .then_with(|| sb.cmp(&sa))
        .then_with(|| a.station.cmp(&b.station))
}

/// The metric's value as shown: `12345.00` (元), `+12.5%`, `617.00` (元 a day).
fn score(metric: CampaignMetric, e: &Entrant) -> String {
    match metric {
        CampaignMetric::Volume => e.sales.display_plain(),
        CampaignMetric::Growth => match growth_permille(e) {
            None => "—".to_string(),
            Some(p) => {
                let sign = if p < 0 { "-" } else { "+" };
                format!("{sign}{}.{}%", p.abs() / 10, p.abs() % 10)
            }
        },
        CampaignMetric::PerDay => {
            let days = e.days_open.max(1);
            let fen = e.sales.fen();
            Money::from_fen((2 * fen + days) / (2 * days)).display_plain()
        }
    }
}

/// Ranks the entrants by the campaign's rule (see the module's documentation).
pub fn rank(metric: CampaignMetric, mut entrants: Vec<Entrant>) -> Vec<StandingRow> {
    entrants.sort_by(|a, b| compare(metric, a, b));
    entrants
        .into_iter()
        .enumerate()
        .map(|(i, e)| StandingRow {
            rank: i as i64 + 1,
            score: score(metric, &e),
            station_code: e.station,
            sales: e.sales,
            base: e.base,
            days_open: e.days_open,
        })
        .collect()
}

/// Days of `[from, to]` the station was open.
fn days_open(s: &StationSpan, from: NaiveDate, to: NaiveDate) -> i64 {
    let first = from.max(s.opened_on);
    let last = s.closed_on.map_or(to, |c| c.min(to));
    ((last - first).num_days() + 1).max(0)
}

/// The same day a year earlier (29 February → 28 February).
fn year_earlier(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1)
        .unwrap_or_else(|| d - Duration::days(366))
}

impl App {
    /// Starts a campaign.
    pub async fn create_campaign(
        &self,
        who: &Principal,
        input: CampaignInput,
    ) -> AppResult<CampaignRow> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        if input.code.is_empty()
            || input.code.len() > 32
            || !input
                .code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(AppError::invalid("code", "1–32 letters, digits or '-'"));
        }
        if input.name.trim().is_empty() || input.name.chars().count() > 200 {
            return Err(AppError::invalid(
                "name",
                "required, at most 200 characters",
            ));
        }
        if input.games.is_empty() {
            return Err(AppError::invalid("games", "at least one game"));
        }
        let mut games = Vec::new();
        for g in &input.games {
            let game: Game = g.parse().map_err(|e| AppError::invalid("games", e))?;
            if !games.contains(&game.code()) {
                games.push(game.code());
            }
        }
        period(&input.starts_on, &input.ends_on).map_err(|_| {
            AppError::invalid(
                "ends_on",
                "two dates (YYYY-MM-DD), the end not before the start",
            )
        })?;
        let metric: CampaignMetric = input
            .metric
            .parse()
            .map_err(|_| AppError::invalid("metric", "volume, growth or per_day"))?;
        if let Some(town) = &input.town {
            let known = self
                .store
                .read(|r| r.towns())?
                .iter()
                .any(|t| &t.code == town);
            if !known {
                return Err(AppError::invalid("town", format!("unknown town '{town}'")));
            }
        }
        let row = CampaignRow {
            id: 0,
            code: input.code,
            name: input.name.trim().to_string(),
            games: games.join(","),
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            metric,
            town_code: input.town,
            status: CampaignStatus::Active,
            created_by: who.actor(),
            closed_by: None,
        };
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.insert_campaign(&row, now)?;
                tx.audit(
                    now,
                    &row.created_by,
                    "campaign.create",
                    &row.code,
                    format!("{row:?}").as_bytes(),
                )?;
                Ok(tx.reader().campaign(&row.code)?)
            })
            .await
    }

    pub fn campaigns(&self, who: &Principal) -> AppResult<Vec<CampaignRow>> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        Ok(self.store.read(|r| r.campaigns())?)
    }

    /// The ranking as it stands now, from the ledger.
    fn live_standings(&self, c: &CampaignRow) -> AppResult<Vec<StandingRow>> {
        let (from, to) = period(&c.starts_on, &c.ends_on)?;
        let markers: Vec<String> = c
            .games
            .split(',')
            .map(|g| AccountCode::new("issuer", g, Fund::IssuanceFee).to_string())
            .collect();
        let sales_between =
            |from: NaiveDate, to: NaiveDate| -> AppResult<BTreeMap<String, Money>> {
                let (start, end) = (
                    beijing_day_start_ms(from),
                    beijing_day_start_ms(to + Duration::days(1)),
                );
                Ok(self
                    .store
                    .read(|r| r.ledger_station_sales(&markers, start, end))?
                    .into_iter()
                    .collect())
            };
        let now = sales_between(from, to)?;
        let base = match c.metric {
            CampaignMetric::Growth => sales_between(year_earlier(from), year_earlier(to))?,
            _ => BTreeMap::new(),
        };
        let stations = self.store.read(|r| r.stations())?;
        let entrants = station_spans(&stations)?
            .into_iter()
            .filter(|s| c.town_code.as_ref().is_none_or(|t| &s.town == t))
            .filter(|s| s.open_during(from, to))
            .map(|s| Entrant {
                sales: now.get(&s.code).copied().unwrap_or(Money::ZERO),
                base: base.get(&s.code).copied().unwrap_or(Money::ZERO),
                days_open: days_open(&s, from, to),
                station: s.code,
            })
            .collect();
        Ok(rank(c.metric, entrants))
    }

    /// A campaign with its ranking: live while it runs, as kept once closed.
    pub fn campaign(&self, who: &Principal, code: &str) -> AppResult<CampaignView> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        let c = self.store.read(|r| r.campaign(code))?;
        let standings = match c.status {
            CampaignStatus::Active => self.live_standings(&c)?,
            CampaignStatus::Closed => self.store.read(|r| r.standings(c.id))?,
        };
        let rewards = self.store.read(|r| r.rewards(c.id))?;
        Ok(CampaignView {
            campaign: c,
            standings,
            rewards,
        })
    }

    /// Closes a campaign: its ranking is kept as it stands and never changes again.
    pub async fn close_campaign(&self, who: &Principal, code: &str) -> AppResult<CampaignView> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        let c = self.store.read(|r| r.campaign(code))?;
        if c.status == CampaignStatus::Closed {
            return Err(AppError::Conflict(format!(
                "campaign {code} is already closed"
            )));
        }
        let standings = self.live_standings(&c)?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.close_campaign(c.id, &standings, &actor, now)?;
                tx.audit(
                    now,
                    &actor,
                    "campaign.close",
                    &c.code,
                    format!("{standings:?}").as_bytes(),
                )?;
                Ok(())
            })
            .await?;
        self.campaign(who, code)
    }

    /// Records a reward given to a station of the campaign's ranking.
    pub async fn reward_station(
        &self,
        who: &Principal,
        code: &str,
        station: &str,
        reward: &str,
        given_on: &str,
    ) -> AppResult<CampaignView> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        if reward.trim().is_empty() || reward.chars().count() > 500 {
            return Err(AppError::invalid(
                "reward",
                "required, at most 500 characters",
            ));
        }
        if parse_date(given_on).is_none() {
            return Err(AppError::invalid(
                "given_on",
                format!("'{given_on}' is not a date (YYYY-MM-DD)"),
            ));
        }
        let view = self.campaign(who, code)?;
        if !view.standings.iter().any(|s| s.station_code == station) {
            return Err(AppError::invalid(
                "station",
                format!("station {station} is not in campaign {code}'s ranking"),
            ));
        }
        let (actor, id) = (who.actor(), view.campaign.id);
        let (station, reward, given_on) = (
            station.to_string(),
            reward.trim().to_string(),
            given_on.to_string(),
        );
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.insert_reward(id, &station, &reward, &given_on, &actor, now)?;
                tx.audit(
                    now,
                    &actor,
                    "campaign.reward",
                    &format!("campaign:{id} {station}"),
                    reward.as_bytes(),
                )?;
                Ok(())
            })
            .await?;
        self.campaign(who, code)
    }

    /// The ranking as a spreadsheet.
    pub fn export_campaign(
        &self,
        who: &Principal,
        code: &str,
        format: Format,
    ) -> AppResult<Vec<u8>> {
        let view = self.campaign(who, code)?;
        let rows: Vec<Vec<String>> = view
            .standings
            .iter()
            .map(|s| {
                vec![
                    s.rank.to_string(),
                    s.station_code.clone(),
                    s.sales.display_plain(),
                    s.base.display_plain(),
                    s.days_open.to_string(),
                    s.score.clone(),
                ]
            })
            .collect();
        write_table(
            format,
            "排名",
            &[
                "名次",
                "站点",
                "销售额（元）",
                "去年同期（元）",
                "营业天数",
                "指标",
            ],
            &rows,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(station: &str, sales: i64, base: i64, days: i64) -> Entrant {
        Entrant {
            station: station.into(),
            sales: Money::from_yuan(sales),
            base: Money::from_yuan(base),
            days_open: days,
        }
    }

    fn order(metric: CampaignMetric, entrants: Vec<Entrant>) -> Vec<(String, String)> {
        rank(metric, entrants)
            .into_iter()
            .map(|s| (s.station_code, s.score))
            .collect()
    }

    #[test]
    fn growth_ranks_exactly_and_stations_without_a_base_follow() {
        // A: 1200 on 1000 = +20.0%; B: 600 on 500 = +20.0% (tie: more sales first → A);
        // C: 900 on 1000 = −10.0%; D: 5000 on nothing: no growth, last.
        let got = order(
            CampaignMetric::Growth,
            vec![
                e("D", 5000, 0, 30),
                e("C", 900, 1000, 30),
                e("B", 600, 500, 30),
                e("A", 1200, 1000, 30),
            ],
        );
        let want = [
            ("A", "+20.0%"),
            ("B", "+20.0%"),
            ("C", "-10.0%"),
            ("D", "—"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn per_day_counts_days_open_and_ties_fall_to_the_code() {
        // X: 3000 in 30 days = 100/day; Y: 1000 in 10 days = 100/day, less sales → after X;
        // Z: 1000 in 10 days too, same sales as Y → by code.
        let got = order(
            CampaignMetric::PerDay,
            vec![
                e("Z", 1000, 0, 10),
                e("Y", 1000, 0, 10),
                e("X", 3000, 0, 30),
            ],
        );
        assert_eq!(
            got.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
            ["X", "Y", "Z"]
        );
        assert_eq!(got[0].1, "100.00");
    }

    #[test]
    fn days_open_clip_to_the_period() {
        let span = |opened: &str, closed: Option<&str>| StationSpan {
            code: "S".into(),
            town: "t".into(),
            opened_on: opened.parse().unwrap(),
            closed_on: closed.map(|c| c.parse().unwrap()),
        };
        let (from, to) = ("2019-06-01".parse().unwrap(), "2019-06-30".parse().unwrap());
        assert_eq!(days_open(&span("2010-01-01", None), from, to), 30);
        assert_eq!(days_open(&span("2019-06-21", None), from, to), 10);
        assert_eq!(
            days_open(&span("2010-01-01", Some("2019-06-10")), from, to),
            10
        );
        assert_eq!(
            year_earlier("2020-02-29".parse().unwrap()),
            "2019-02-28".parse().unwrap()
        );
    }
}
