//! The reference year's channel data (DESIGN.md §1), generated deterministically and fed
//! through the real imports: the computer games' daily sales from the upstream system and the
//! 中福在线 halls' daily closes, 1 January to 31 August 2019, with no sales during the Spring
//! Festival market closure. Each channel's and each game's total is fixed (below); the days,
//! stations and halls share it by weights that vary with the weekday, the month and the
//! station, and the shares are rounded by largest remainder so that the totals are exact.

use chrono::{Datelike, NaiveDate, Weekday};
use fucai_store::{StationRow, StationStatus};

use super::demo_stations;

/// The period the reference account covers.
pub const FROM: (i32, u32, u32) = (2019, 1, 1);
pub const TO: (i32, u32, u32) = (2019, 8, 31);

/// 电脑票 by game, 元 (1.0228亿 in all: within [1.0206亿, 1.025亿), so that both the channel
/// figure (1.02亿) and the total (2.08亿) round as published). The mix is the demo's; with the
/// demo fund-split policy it makes the district's welfare fund 1872万元.
pub const COMPUTER_YUAN: [(&str, i64); 3] = [
    ("ssq", 67_504_800),
    ("fc3d", 22_501_600),
    ("qlc", 12_273_600),
];

/// 中福在线, 元: the amount wagered in the halls.
pub const VLT_YUAN: i64 = 94_810_000;

/// The 中福在线 halls: code, name, the station running it (its town's first), terminals.
pub const HALLS: [(&str, &str, usize, i64); 6] = [
    ("ZF01", "湖塘中福在线销售厅", 1, 40),
    ("ZF02", "牛塘中福在线销售厅", 2, 30),
    ("ZF03", "洛阳中福在线销售厅", 3, 30),
    ("ZF05", "遥观中福在线销售厅", 5, 30),
    ("ZF07", "横林中福在线销售厅", 7, 24),
    ("ZF10", "湟里中福在线销售厅", 10, 24),
];

fn day(ymd: (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(ymd.0, ymd.1, ymd.2).expect("a date")
}

/// The selling days of the period: every day the market is open (no sales, halls closed in
/// 2019's 春节休市).
pub fn selling_days() -> Vec<NaiveDate> {
    day(FROM)
        .iter_days()
        .take_while(|d| *d <= day(TO))
        .filter(|d| crate::market_closure(*d).is_none())
        .collect()
}

/// More is sold before Spring Festival and in summer; weekends and 双色球 days sell more.
fn weight(d: NaiveDate, n: usize, game: &str) -> u64 {
    let month = [0, 118, 92, 100, 98, 104, 108, 101, 99][d.month() as usize];
    let weekday = match d.weekday() {
        Weekday::Sat | Weekday::Sun => 112,
        _ => 100,
    };
    let draw_day = match (game, d.weekday()) {
        ("ssq", Weekday::Tue | Weekday::Thu | Weekday::Sun) => 125,
        ("qlc", Weekday::Mon | Weekday::Wed | Weekday::Fri) => 120,
        _ => 100,
    };
    let station = 70 + ((n as u64 * 37 + u64::from(d.ordinal()) * 11) % 61);
    month * weekday * draw_day * station
}

/// Shares `total` out by `weights`, rounding by largest remainder (the shares add up to it).
pub(super) fn share(total: i64, weights: &[u64]) -> Vec<i64> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut parts: Vec<(usize, i64, u128)> = weights
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let exact = total as u128 * u128::from(w);
            (i, (exact / sum) as i64, exact % sum)
        })
        .collect();
    let mut left = total - parts.iter().map(|p| p.1).sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].2.cmp(&parts[a].2).then(a.cmp(&b)));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts.into_iter().map(|p| p.1).collect()
}

/// Whether a station sold on a day: open then (a closed station until it closed).
pub(super) fn selling(s: &StationRow, d: NaiveDate) -> bool {
    match s.status {
        StationStatus::Closed => s
            .closed_on
            .as_deref()
            .and_then(|c| c.parse::<NaiveDate>().ok())
            .is_some_and(|closed| d < closed),
        _ => true,
    }
}

/// The upstream system's daily sales report of the period (date, station, game, amount in
/// 元, bets at 2元), every game's total exact.
pub fn computer_sales_report() -> String {
    let stations = demo_stations();
    let mut csv = String::from("date,station,game,amount,bets\n");
    for (game, yuan) in COMPUTER_YUAN {
        let cells: Vec<(NaiveDate, usize)> = selling_days()
            .into_iter()
            .flat_map(|d| {
                stations
                    .iter()
                    .enumerate()
                    .filter(move |(_, s)| selling(s, d))
                    .map(move |(n, _)| (d, n))
            })
            .collect();
        let weights: Vec<u64> = cells.iter().map(|&(d, n)| weight(d, n, game)).collect();
        for ((d, n), bets) in cells.iter().zip(share(yuan / 2, &weights)) {
            csv.push_str(&format!(
                "{d},{},{game},{},{bets}\n",
                stations[*n].code,
                bets * 2
            ));
        }
    }
    csv
}

/// The hall register.
pub fn hall_register() -> String {
    let stations = demo_stations();
    let mut csv = String::from(
        "code,name,station,address,terminals,opening_hours,status,opening_card_balance\n",
    );
    for (code, name, town, terminals) in HALLS {
        let s = &stations[(town - 1) * super::STATIONS_PER_TOWN];
        csv.push_str(&format!(
            "{code},{name},{},{},{terminals},09:00-23:00,open,30000.00\n",
            s.code, s.address
        ));
    }
    csv
}

/// The halls' daily closes: the amount wagered shares [`VLT_YUAN`] out; prizes about 65% of
/// it, cash-outs about 92% of the prizes, the cards' balances drifting a little — and the
/// top-ups whatever makes 充值 − 兑付 = 投注额 − 中奖额 + the change in card balances.
pub fn hall_days_report() -> String {
    let mut csv =
        String::from("date,hall,wagered,prizes,top_ups,cash_outs,card_balance,terminals_online\n");
    let cells: Vec<(NaiveDate, usize)> = selling_days()
        .into_iter()
        .flat_map(|d| (0..HALLS.len()).map(move |h| (d, h)))
        .collect();
    let weights: Vec<u64> = cells
        .iter()
        .map(|&(d, h)| weight(d, h * 7 + 3, "vlt") * HALLS[h].3 as u64)
        .collect();
    let mut balances = [30_000i64; HALLS.len()];
    for ((d, h), wagered) in cells.iter().zip(share(VLT_YUAN, &weights)) {
        let jitter = (d.ordinal() as i64 * 13 + *h as i64 * 7) % 7 - 3; // −3..3 %
        let prizes = wagered * (65 + jitter) / 100;
        let cash_outs = prizes * 92 / 100;
        let drift = ((d.ordinal() as i64 * 31 + *h as i64 * 17) % 2001) - 1000;
        let before = balances[*h];
        let after = (before + drift).max(0);
        balances[*h] = after;
        let top_ups = wagered - prizes + (after - before) + cash_outs;
        let (code, _, _, terminals) = HALLS[*h];
        let online = terminals - (d.ordinal() as i64 + *h as i64) % 3;
        csv.push_str(&format!(
            "{d},{code},{wagered}.00,{prizes}.00,{top_ups}.00,{cash_outs}.00,{after}.00,{online}\n"
        ));
    }
    csv
}

/// Sales 1987–2018, 元: with the reference period's 2.08亿, 34亿 since 1987 (whole 亿).
pub const HISTORY_SALES_YUAN: i64 = 3_190_000_000;
/// Welfare fund raised 1987–2018, 元: with the period's 1872万, 3亿 (whole 亿).
pub const HISTORY_WELFARE_YUAN: i64 = 281_000_000;

/// The years before fucai: sales growing about 10% a year (1987: 即开票 only; 电脑票 from
/// 1995; 中福在线 from 2005), the welfare fund raised in proportion; each total exact.
pub fn history_report() -> String {
    let years: Vec<i32> = (1987..=2018).collect();
    let weights: Vec<u64> = (0..years.len() as u32)
        .map(|k| (1_000_000f64 * 1.1f64.powi(k as i32)) as u64)
        .collect();
    let sales = share(HISTORY_SALES_YUAN, &weights);
    let welfare = share(HISTORY_WELFARE_YUAN, &weights);
    let mut csv = String::from("year,computer,instant,vlt,welfare\n");
    for ((year, total), welfare) in years.iter().zip(sales).zip(welfare) {
        // Shares in percent of the year's sales by channel.
        let (computer, vlt) = match year {
            ..=1994 => (0, 0),
            1995..=2004 => (40 + (year - 1995) as i64 * 3, 0),
            _ => (55, 35),
        };
        let computer = total * computer / 100;
        let vlt = total * vlt / 100;
        let instant = total - computer - vlt;
        csv.push_str(&format!("{year},{computer},{instant},{vlt},{welfare}\n"));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_exactly() {
        let parts = share(1_000, &[1, 2, 3, 4]);
        assert_eq!(parts.iter().sum::<i64>(), 1_000);
        assert_eq!(parts, [100, 200, 300, 400]);
        assert_eq!(share(10, &[1, 1, 1]).iter().sum::<i64>(), 10);
    }

    #[test]
    fn no_sales_in_the_spring_festival_closure() {
        let days = selling_days();
        assert_eq!(days.len(), 243 - 7);
        assert!(!days.contains(&NaiveDate::from_ymd_opt(2019, 2, 5).unwrap()));
    }
}
