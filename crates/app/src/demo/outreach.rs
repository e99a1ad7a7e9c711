//! The reference year's visits, campaign and team event through the real use cases, the
//! clock set to each day: the center's leaders visit a station in each town, hear its opinions
//! and record the problems found, each rectified by the station and verified by someone else;
//! the stations top in the 双色球 campaign (ranked from the ledger) are rewarded on 27 June
//! with a visit to a live draw; the 40-person youth team-building event of 5–6 May.

use chrono::NaiveDate;

use super::{at_hour, demo_stations, user, STATIONS_PER_TOWN, TOWNS};
use crate::clock::{set_clock, shift_clock};
use crate::error::AppResult;
use crate::network::{ActivityInput, CampaignInput, FindingInput, FindingMove, VisitInput};
use crate::App;

const PROBLEMS: [(&str, &str); 4] = [
    ("理性购彩提示牌位置不醒目", "重新张贴于投注机旁"),
    ("开奖公告未及时更新", "每日开奖后当晚更新"),
    ("未满18周岁不得购彩标识缺失", "补贴标识并登记复查"),
    ("兑奖流程公示内容过期", "更换为新版兑奖须知"),
];

fn at(day: &str, hour: i64) -> i64 {
    at_hour(day.parse::<NaiveDate>().expect("a date"), hour)
}

/// Runs the visits, the campaign and the event; the clock is restored after.
pub async fn run_outreach_year(app: &App) -> AppResult<()> {
    let outcome = outreach_year(app).await;
    shift_clock(0);
    outcome
}

async fn outreach_year(app: &App) -> AppResult<()> {
    let (ops, admin) = (user(app, "operations")?, user(app, "admin")?);
    let stations = demo_stations();
    for (t, _) in TOWNS.iter().enumerate() {
        let station = &stations[t * STATIONS_PER_TOWN + 1];
        let visited_on = format!("2019-{:02}-{:02}", 3 + t % 5, 5 + t * 2);
        let (problem, fix) = PROBLEMS[t % PROBLEMS.len()];
        set_clock(at(&visited_on, 10));
        let visit = app
            .record_visit(
                &ops,
                VisitInput {
                    station: station.code.clone(),
                    kind: "visit".into(),
                    visited_on: visited_on.clone(),
                    visitors: "中心主任、运营科科长".into(),
                    opinions: "业主建议增加即开票新游戏供应，希望中心多组织业务培训".into(),
                    scores: Vec::new(),
                    findings: vec![FindingInput {
                        item: None,
                        description: problem.into(),
                        responsible: station.owner.clone(),
                        deadline: format!("2019-{:02}-28", 3 + t % 5),
                    }],
                },
            )
            .await?;
        for f in visit.findings {
            set_clock(at(&visited_on, 15));
            app.move_finding(&ops, f.id, FindingMove::Start).await?;
            set_clock(at(&visited_on, 24 * 5 + 11));
            let evidence = format!("{fix}（整改照片已存档）");
            app.move_finding(&ops, f.id, FindingMove::Submit { evidence })
                .await?;
            set_clock(at(&visited_on, 24 * 7 + 10));
            let note = "回访核实，整改到位".to_string();
            app.move_finding(&admin, f.id, FindingMove::Verify { note })
                .await?;
        }
    }
    // The 双色球 campaign, ranked from the ledger, closed and its top stations rewarded.
    set_clock(at("2019-04-25", 10));
    app.create_campaign(
        &ops,
        CampaignInput {
            code: "2019-SSQ".into(),
            name: "2019年双色球营销活动".into(),
            games: vec!["ssq".into()],
            starts_on: "2019-05-01".into(),
            ends_on: "2019-06-20".into(),
            metric: "volume".into(),
            town: None,
        },
    )
    .await?;
    set_clock(at("2019-06-21", 10));
    let view = app.close_campaign(&ops, "2019-SSQ").await?;
    set_clock(at("2019-06-27", 10));
    for s in view.standings.iter().take(3) {
        app.reward_station(
            &ops,
            "2019-SSQ",
            &s.station_code,
            "观摩双色球开奖现场",
            "2019-06-27",
        )
        .await?;
    }
    set_clock(at("2019-05-06", 18));
    app.record_activity(
        &ops,
        ActivityInput {
            kind: "team_building".into(),
            title: "青年团队拓展活动".into(),
            starts_on: "2019-05-05".into(),
            ends_on: "2019-05-06".into(),
            place: "武进区嬉戏谷".into(),
            organiser: "区福彩中心团支部".into(),
            participants: 40,
            description: "中心青年职工和投注站青年业主共40人参加".into(),
            staff: vec!["operations".into(), "welfare".into()],
        },
    )
    .await?;
    Ok(())
}
