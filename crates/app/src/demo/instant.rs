//! The reference year's 即开票 through the real use cases, the process clock set to each day:
//! the printer's winner file for 金多多 (JD20) batch 190101, imported before the year; then
//! week by week the center receives packs, issues them to the stations, the stations confirm
//! them and activate them over the week's days (sales recognised on activation: 1063万元 in
//! all), every other week a winner is paid at the district center, and at the period's end the
//! packs activated 30 days before are settled by the game's rule.

use chrono::NaiveDate;

use super::reference::{selling, selling_days, share};
use super::{at_hour, demo_stations, user};
use crate::channels::instant::{
    instant_rules, InstantClaimRequest, PackAction, PackLabel, PackScan,
};
use crate::clock::{set_clock, shift_clock};
use crate::error::{AppError, AppResult};
use crate::App;

/// 即开票 sales of the period, 元: 10,630 packs of 1,000元.
pub const INSTANT_YUAN: i64 = 10_630_000;
const GAME: &str = "JD20";
const BATCH: &str = "190101";

/// One winner: pack, ticket, 保安区 code, prize in 元.
type Winner = (u32, u32, String, i64);

/// The batch's winners: in each prize group of 100 packs, every other ticket from the first,
/// the largest prizes first.
fn winners() -> Vec<Winner> {
    let game = instant_rules()
        .game(GAME)
        .expect("JD20 is in the rule data");
    let batch = game.batch(BATCH).expect("batch 190101 is in the rule data");
    let prizes: Vec<i64> = game
        .prizes
        .iter()
        .flat_map(|p| std::iter::repeat_n(p.amount.fen() / 100, p.count as usize))
        .collect();
    let mut out = Vec::new();
    for group in 0..batch.packs / game.group_packs() {
        for (k, &yuan) in prizes.iter().enumerate() {
            let index = k as u32 * 2;
            let pack = group * game.group_packs() + index / game.tickets_per_pack + 1;
            let ticket = index % game.tickets_per_pack + 1;
            let code = format!(
                "{:08}",
                (u64::from(pack) * 1000 + u64::from(ticket)) * 7919 % 100_000_000
            );
            out.push((pack, ticket, code, yuan));
        }
    }
    out
}

fn winner_file(winners: &[Winner]) -> String {
    let mut csv = String::from("pack,ticket,code,prize\n");
    for (pack, ticket, code, yuan) in winners {
        csv.push_str(&format!("{pack},{ticket},{code},{yuan}.00\n"));
    }
    csv
}

fn label(pack: u32) -> String {
    PackLabel {
        game: GAME.into(),
        batch: BATCH.into(),
        pack,
    }
    .to_string()
}

async fn scan(
    app: &App,
    who: &crate::Principal,
    action: PackAction,
    packs: &[u32],
    station: Option<&str>,
) -> AppResult<()> {
    for chunk in packs.chunks(1000) {
        let scan = PackScan {
            action: Some(action),
            packs: chunk.iter().map(|&p| label(p)).collect(),
            station: station.map(String::from),
            order: None,
            note: String::new(),
        };
        app.move_packs(who, scan).await?;
    }
    Ok(())
}

/// Runs the year's 即开票 (see the module's description); the clock is restored after.
pub async fn run_instant_year(app: &App) -> AppResult<()> {
    let outcome = instant_year(app).await;
    shift_clock(0);
    outcome
}

async fn instant_year(app: &App) -> AppResult<()> {
    let (ops, finance) = (user(app, "operations")?, user(app, "finance")?);
    let winners = winners();
    set_clock(at_hour(
        NaiveDate::from_ymd_opt(2018, 12, 28).expect("a date"),
        10,
    ));
    app.import_winner_file(&ops, GAME, BATCH, winner_file(&winners).as_bytes())
        .await?;
    let stations = demo_stations();
    let days = selling_days();
    let weeks: Vec<&[NaiveDate]> = days.chunks(7).collect();
    let per_week = share(
        INSTANT_YUAN / 1000,
        &weeks.iter().map(|w| w.len() as u64).collect::<Vec<_>>(),
    );
    let mut next = 1u32;
    for (w, (week, packs)) in weeks.iter().zip(per_week).enumerate() {
        let packs: Vec<u32> = (next..next + packs as u32).collect();
        next += packs.len() as u32;
        set_clock(at_hour(week[0], 9));
        scan(app, &ops, PackAction::Receive, &packs, None).await?;
        let open: Vec<&str> = stations
            .iter()
            .filter(|s| selling(s, week[0]) && s.status == fucai_store::StationStatus::Active)
            .map(|s| s.code.as_str())
            .collect();
        for (i, station) in open.iter().enumerate() {
            let theirs: Vec<u32> = packs.iter().copied().skip(i).step_by(open.len()).collect();
            if !theirs.is_empty() {
                scan(app, &ops, PackAction::Issue, &theirs, Some(station)).await?;
            }
        }
        scan(app, &ops, PackAction::Confirm, &packs, None).await?;
        for (d, day) in week.iter().enumerate() {
            let today: Vec<u32> = packs.iter().copied().skip(d).step_by(week.len()).collect();
            set_clock(at_hour(*day, 10));
            scan(app, &ops, PackAction::Activate, &today, None).await?;
        }
        // Every other week, a winner of the week's packs is paid at the district center.
        if w % 2 == 0 {
            let (pack, ticket, code, _) = winners
                .iter()
                .find(|(p, _, _, yuan)| packs.contains(p) && *yuan <= 100)
                .ok_or_else(|| AppError::internal("a week's packs without a winner"))?;
            set_clock(at_hour(*week.last().expect("a week has days"), 15));
            let request = InstantClaimRequest {
                ticket: format!("{}-{ticket:03}", label(*pack)),
                code: code.clone(),
                claimant_id: None,
            };
            app.claim_instant(&finance, request).await?;
        }
    }
    // At the period's end the scheduler settles the packs activated 30 days or more before.
    set_clock(at_hour(days[days.len() - 1], 23));
    app.settle_due_packs().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_winner_file_has_the_games_structure() {
        let game = instant_rules().game(GAME).unwrap();
        let batch = game.batch(BATCH).unwrap();
        let parsed = crate::channels::instant::rules::parse_winner_file(
            game,
            batch,
            &winner_file(&winners()),
        )
        .unwrap();
        assert_eq!(parsed.len(), 107 * 1906);
        assert!(INSTANT_YUAN / 1000 <= i64::from(batch.packs));
    }
}
