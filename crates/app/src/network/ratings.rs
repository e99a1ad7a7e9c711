//! The yearly star rating (星级评定): every station open in the year, rated from its checklist
//! visits, its sales and its findings still open, by the formula in the rule data
//! ([`super::checklist`]); the grade sets its commission rate. A preview computes it now;
//! recording keeps it for good (a year is rated once).

use std::collections::BTreeMap;

use chrono::Duration;
use fucai_ledger::Money;
use fucai_store::{RatingRow, VisitKind};
use serde::Serialize;

use super::checklist::{hundredths, inspection_rules, RatingInput};
use super::station_spans;
use super::training::{period, NETWORK_EDITORS, NETWORK_READERS};
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal};
use crate::{beijing_date, beijing_day_start_ms, App};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RatingLine {
    pub station: String,
    pub inspections: i64,
    /// `90.00`.
    pub average_score: String,
    pub sales: Money,
    pub open_findings: i64,
    pub points: String,
    pub points_x100: i64,
    pub stars: i64,
    pub commission_permille: i64,
    /// Kept for good (not a preview).
    pub recorded: bool,
}

impl From<RatingRow> for RatingLine {
    fn from(r: RatingRow) -> RatingLine {
        RatingLine {
            station: r.station_code,
            inspections: r.inspections,
            average_score: hundredths(r.average_score_x100),
            sales: r.sales,
            open_findings: r.open_findings,
            points: hundredths(r.points_x100),
            points_x100: r.points_x100,
            stars: r.stars,
            commission_permille: r.commission_permille,
            recorded: true,
        }
    }
}

impl App {
    /// Each station's rating of `year` computed now, best first (ties by station code).
    fn compute_ratings(&self, year: i64, actor: &str) -> AppResult<Vec<RatingRow>> {
        let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
        let (from_day, to_day) = period(&from, &to)?;
        let (from_ms, to_ms) = (
            beijing_day_start_ms(from_day),
            beijing_day_start_ms(to_day + Duration::days(1)),
        );
        let (stations, visits, sales, findings) = self.store.read(|r| {
            Ok((
                r.stations()?,
                r.visits(None, &from, &to)?,
                r.station_sales(&from, &to, from_ms, to_ms)?,
                r.findings(None, None)?,
            ))
        })?;
        let sales: BTreeMap<String, Money> = sales.into_iter().collect();
        // Per station, in one pass each: checklist visits (count, score sum), open findings.
        let mut checked: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for v in visits.iter().filter(|v| v.kind != VisitKind::Visit) {
            let c = checked.entry(v.station_code.as_str()).or_default();
            *c = (c.0 + 1, c.1 + v.score);
        }
        let mut open: BTreeMap<&str, i64> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.status.is_pending()) {
            if let Some(code) = f.station_code.as_deref() {
                *open.entry(code).or_default() += 1;
            }
        }
        let rules = inspection_rules();
        let now = now_ms();
        let mut rows: Vec<RatingRow> = station_spans(&stations)?
            .into_iter()
            .filter(|s| s.open_during(from_day, to_day))
            .map(|s| {
                let (inspections, score_sum) =
                    checked.get(s.code.as_str()).copied().unwrap_or_default();
                let open_findings = open.get(s.code.as_str()).copied().unwrap_or(0);
                let input = RatingInput {
                    inspections,
                    score_sum,
                    sales: sales.get(&s.code).copied().unwrap_or(Money::ZERO),
                    open_findings,
                };
                let rated = rules.rate(&input);
                RatingRow {
                    year,
                    station_code: s.code,
                    inspections,
                    average_score_x100: rated.average_score_x100,
                    sales: input.sales,
                    open_findings,
                    points_x100: rated.points_x100,
                    stars: rated.stars,
                    commission_permille: rated.commission_permille,
                    rule_version: rules.version.clone(),
                    rated_by: actor.to_string(),
                    rated_at: now,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.points_x100
                .cmp(&a.points_x100)
                .then_with(|| a.station_code.cmp(&b.station_code))
        });
        Ok(rows)
    }

    /// The year's ratings: as recorded, or else as they would be computed now.
    pub fn ratings(&self, who: &Principal, year: i64) -> AppResult<Vec<RatingLine>> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        let recorded = self.store.read(|r| r.ratings(year))?;
        if !recorded.is_empty() {
            return Ok(recorded.into_iter().map(RatingLine::from).collect());
        }
        Ok(self
            .compute_ratings(year, &who.actor())?
            .into_iter()
            .map(|r| RatingLine {
                recorded: false,
                ..RatingLine::from(r)
            })
            .collect())
    }

    /// Rates every station for a year that has ended, once, and keeps it.
    pub async fn record_ratings(&self, who: &Principal, year: i64) -> AppResult<Vec<RatingLine>> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        let this_year = i64::from(chrono::Datelike::year(&beijing_date(now_ms())));
        if year >= this_year {
            return Err(AppError::invalid(
                "year",
                format!("a year that has ended (before {this_year})"),
            ));
        }
        let rows = self.compute_ratings(year, &who.actor())?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                for r in &rows {
                    tx.insert_rating(r)?;
                }
                tx.audit(
                    now_ms(),
                    &actor,
                    "rating.record",
                    &format!("ratings:{year}"),
                    format!("{rows:?}").as_bytes(),
                )?;
                Ok(rows.into_iter().map(RatingLine::from).collect())
            })
            .await
    }
}
