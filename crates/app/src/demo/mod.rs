//! The demo district: 江苏省 / 常州市 / 武进区 with its towns and streets, 120 stations each
//! with a terminal, one user per role, and the draw calendar around today.

mod draw;
mod instant;
mod outreach;
pub mod reference;
mod training;

pub use draw::{rehearse_last_draw, Rehearsal};

use crate::clock::now_ms;
use chrono::{Duration, NaiveDate};
use fucai_games::Game;
use fucai_store::StationRow;
use fucai_store::StationStatus;

use crate::auth::{hash_password, random_token, token_hash};
use crate::calendar::schedule_draws;
use crate::error::{AppError, AppResult};
use crate::import::ImportKind;
use crate::principal::Role;
use crate::App;

pub const DISTRICT_CODE: &str = "320412";
pub const STATIONS_PER_TOWN: usize = 10;

const TOWNS: [&str; 12] = [
    "湖塘镇",
    "牛塘镇",
    "洛阳镇",
    "遥观镇",
    "横林镇",
    "横山桥镇",
    "雪堰镇",
    "前黄镇",
    "礼嘉镇",
    "嘉泽镇",
    "湟里镇",
    "南夏墅街道",
];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 10] = [
    "建国", "秀英", "海峰", "丽华", "志强", "美玲", "国平", "小燕", "文斌", "春梅",
];
const ROADS: [&str; 5] = ["人民路", "常武路", "湖滨路", "延政路", "长安路"];

/// Credentials created by the demo, printed once.
#[derive(Clone, Debug)]
pub struct DemoCredentials {
    /// (username, role, password)
    pub users: Vec<(String, Role, String)>,
    /// (terminal code, station code, secret)
    pub terminals: Vec<(String, String, String)>,
}

/// Stations of the demo district: code, name, owner, phone, address, town, licence, status.
pub fn demo_stations() -> Vec<StationRow> {
    let mut stations = Vec::new();
    for (t, town) in TOWNS.iter().enumerate() {
        for s in 0..STATIONS_PER_TOWN {
            let n = t * STATIONS_PER_TOWN + s + 1;
            let status = match n {
                37 => StationStatus::Suspended,
                88 => StationStatus::Closed,
                _ => StationStatus::Active,
            };
            stations.push(StationRow {
                id: 0,
                code: format!("{DISTRICT_CODE}{:02}{:03}", t + 1, s + 1),
                name: format!("中国福利彩票{}第{:03}号投注站", town, s + 1),
                owner: format!(
                    "{}{}",
                    SURNAMES[n % SURNAMES.len()],
                    GIVEN[(n * 7) % GIVEN.len()]
                ),
                phone: format!("1390519{:04}", n),
                address: format!("武进区{}{}{}号", town, ROADS[n % ROADS.len()], 10 + n * 3),
                town_code: format!("{DISTRICT_CODE}{:02}", t + 1),
                licence_no: format!("苏福彩证{DISTRICT_CODE}-{:04}", n),
                status,
                opened_on: format!("{}-{:02}-{:02}", 2005 + n % 14, 1 + n % 12, 1 + n % 28),
                closed_on: (status == StationStatus::Closed).then(|| "2019-06-30".to_string()),
                status_reason: if status == StationStatus::Suspended {
                    "整改期间暂停销售".to_string()
                } else {
                    String::new()
                },
            });
        }
    }
    stations
}

/// Adds draws `{year}001`…`{year}{count}` of `game` that are on sale from an hour ago until
/// the next days, whatever the time of day: for load tests and benchmarks, which must not
/// depend on the 20:00–21:30 pause of the real calendar.
pub fn add_practice_draws(app: &App, game: Game, year: u16, count: i64) -> AppResult<()> {
    let now = now_ms();
    const DAY_MS: i64 = 86_400_000;
    app.store.write(|tx| {
        for k in 0..count {
            let closes = now + (k + 1) * DAY_MS;
            tx.insert_draw(
                game.code(),
                &format!("{year}{:03}", k + 1),
                now - 3_600_000,
                closes,
                closes + 4_500_000,
            )?;
        }
        Ok(())
    })?;
    Ok(())
}

impl DemoCredentials {
    /// Terminals of stations that are open for business.
    pub fn active_terminals(&self) -> Vec<(String, String)> {
        let stations = demo_stations();
        self.terminals
            .iter()
            .filter(|(_, station, _)| {
                stations
                    .iter()
                    .any(|s| &s.code == station && s.status == StationStatus::Active)
            })
            .map(|(code, _, secret)| (code.clone(), secret.clone()))
            .collect()
    }
}

/// Seeds an empty database with the demo district. Refuses a database that has centers.
pub fn seed(app: &App, today: NaiveDate) -> AppResult<DemoCredentials> {
    if !app.store.read(|r| r.centers())?.is_empty() {
        return Err(AppError::Conflict(
            "the database already holds centers; the demo seeds only an empty one".into(),
        ));
    }
    let stations = demo_stations();
    let first_station = stations[0].code.clone();
    let mut users = Vec::new();
    for role in Role::ALL {
        let username = role.code().replace('_', "");
        users.push((username, role, random_token(6)));
    }
    let hashes: Vec<String> = users
        .iter()
        .map(|(_, _, p)| hash_password(p))
        .collect::<AppResult<_>>()?;
    let terminals: Vec<(String, String, String)> = stations
        .iter()
        .map(|s| (format!("T{}", s.code), s.code.clone(), random_token(16)))
        .collect();
    let from = today - Duration::days(7);
    let to = today + Duration::days(60);
    app.store.write(|tx| {
        let now = now_ms();
        let actor = "system:demo";
        tx.insert_center("32", "江苏省福利彩票发行中心", "province", None)?;
        tx.insert_center("3204", "常州市福利彩票发行中心", "city", Some("32"))?;
        tx.insert_center(
            DISTRICT_CODE,
            "常州市武进区福利彩票中心",
            "district",
            Some("3204"),
        )?;
        for (i, town) in TOWNS.iter().enumerate() {
            tx.insert_town(&format!("{DISTRICT_CODE}{:02}", i + 1), town, DISTRICT_CODE)?;
        }
        for s in &stations {
            tx.upsert_station(s)?;
            tx.audit(now, actor, "station.upsert", &s.code, s.name.as_bytes())?;
        }
        for (code, station, secret) in &terminals {
            tx.insert_terminal(code, station, &token_hash(secret))?;
            tx.audit(now, actor, "terminal.create", code, station.as_bytes())?;
        }
        for ((username, role, _), hash) in users.iter().zip(&hashes) {
            let station = role.is_station_role().then_some(first_station.as_str());
            tx.insert_user(username, role.name(), hash, role.code(), station)?;
            tx.audit(now, actor, "user.create", username, role.code().as_bytes())?;
        }
        for game in Game::ALL {
            crate::draws::add_missing_draws(tx, &schedule_draws(game, from, to))?;
            tx.audit(
                now,
                actor,
                "draws.schedule",
                game.code(),
                format!("{from}..{to}").as_bytes(),
            )?;
        }
        Ok(())
    })?;
    Ok(DemoCredentials { users, terminals })
}

/// Beijing `hour`:00 of `day` (hours past 24 run into the next days), Unix ms: the demo sets
/// the process clock to such moments to rehearse the reference year.
pub(crate) fn at_hour(day: NaiveDate, hour: i64) -> i64 {
    crate::calendar::beijing_day_start_ms(day) + hour * 3_600_000
}

/// The principal of a demo user.
pub(crate) fn user(app: &App, username: &str) -> AppResult<crate::Principal> {
    let u = app.store.read(|r| r.user_by_name(username))?;
    Ok(crate::Principal::User {
        id: u.id,
        username: u.username,
        role: u.role.parse()?,
        station_id: u.station_id,
    })
}

/// The reference year (DESIGN.md §1) through the real use cases: the computer games' daily
/// sales and the 中福在线 halls' daily closes of January–August 2019 ([`reference`]), then the
/// three charity events:
/// 24 Jan, 12 households in 6 towns × 2000元 (济困); 1 Feb, 5万元 to the district elderly
/// center for facility renovation (扶老) and 5万元 to the children's welfare home (救孤).
/// Proposed by the welfare officer, approved by finance, paid through the ledger.
pub async fn seed_reference_year(app: &App) -> AppResult<()> {
    seed_reference_year_with(app, &|_| {}).await
}

/// The steps [`seed_reference_year_with`] reports, for a progress bar.
pub const REFERENCE_STEPS: u64 = 8;

/// [`seed_reference_year`], calling `progress` with each step's name as it begins.
pub async fn seed_reference_year_with(app: &App, progress: &dyn Fn(&str)) -> AppResult<()> {
    use crate::welfare::{BeneficiaryInput, GrantInput, ProgrammeInput};
    use fucai_ledger::Money;

    let finance = user(app, "finance")?;
    let officer = user(app, "welfare")?;
    let admin = user(app, "admin")?;
    for (kind, who, file, step) in [
        (
            ImportKind::DailySales,
            &finance,
            reference::computer_sales_report(),
            "电脑票: 2019-01-01..08-31 daily sales",
        ),
        (
            ImportKind::Halls,
            &admin,
            reference::hall_register(),
            "中福在线: halls",
        ),
        (
            ImportKind::HallDays,
            &finance,
            reference::hall_days_report(),
            "中福在线: daily closes",
        ),
        (
            ImportKind::History,
            &finance,
            reference::history_report(),
            "1987–2018 yearly totals",
        ),
    ] {
        progress(step);
        let report = app.import_file(who, kind, file.as_bytes()).await?;
        if !report.errors.is_empty() {
            return Err(AppError::internal(format!(
                "demo {kind:?} refused: {:?}",
                &report.errors[..1]
            )));
        }
    }
    progress("即开票: packs received, issued, activated week by week");
    instant::run_instant_year(app).await?;
    progress("station people and training");
    training::run_training_year(app).await?;
    progress("visits and rectifications, the campaign, the youth event");
    outreach::run_outreach_year(app).await?;
    progress("welfare grants");
    let programmes = [
        ("2019-JK", "2019年春节困难家庭慰问", "poverty", 24_000),
        ("2019-FL", "2019年区老年服务中心设施改造", "elderly", 50_000),
        ("2019-JG", "2019年区儿童福利院资助", "orphans", 50_000),
    ];
    for (code, name, category, budget) in programmes {
        let input = ProgrammeInput {
            code: code.into(),
            name: name.into(),
            category: category.into(),
            year: 2019,
            budget: Money::from_yuan(budget),
        };
        app.create_programme(&officer, input).await?;
        app.approve_programme(&finance, code).await?;
    }
    // Two households in each of six towns.
    let mut households = Vec::new();
    for (t, town) in [1, 3, 5, 7, 9, 11].into_iter().enumerate() {
        for k in 0..2u16 {
            let n = t as u16 * 2 + k;
            let birth = NaiveDate::from_ymd_opt(
                1950 + i32::from(n) * 2,
                1 + u32::from(n % 12),
                3 + u32::from(n),
            )
            .expect("valid date");
            let input = BeneficiaryInput {
                kind: "person".into(),
                name: format!(
                    "{}{}",
                    SURNAMES[usize::from(n) % SURNAMES.len()],
                    GIVEN[usize::from(n * 3) % GIVEN.len()]
                ),
                id_number: Some(id_number(DISTRICT_CODE, birth, 101 + n)),
                town: format!("{DISTRICT_CODE}{town:02}"),
                household: format!("户主，家庭人口{}人", 2 + n % 4),
                tags: "低保户".into(),
                contact: format!("1385199{:04}", 100 + n),
            };
            households.push(app.add_beneficiary(&officer, input).await?.beneficiary.id);
        }
    }
    let institution = |name: &str, town: u32| BeneficiaryInput {
        kind: "institution".into(),
        name: name.into(),
        id_number: None,
        town: format!("{DISTRICT_CODE}{town:02}"),
        household: String::new(),
        tags: String::new(),
        contact: String::new(),
    };
    let elderly = app
        .add_beneficiary(&officer, institution("常州市武进区老年服务中心", 1))
        .await?
        .beneficiary
        .id;
    let children = app
        .add_beneficiary(&officer, institution("常州市武进区儿童福利院", 1))
        .await?
        .beneficiary
        .id;

    let grant = |beneficiary_id, yuan, purpose: &str, date: &str| GrantInput {
        beneficiary_id,
        amount: Money::from_yuan(yuan),
        purpose: purpose.into(),
        date: date.into(),
        note: String::new(),
    };
    let batch = app
        .propose_grants(
            &officer,
            "2019-JK",
            households
                .iter()
                .map(|&h| grant(h, 2_000, "春节困难家庭慰问金", "2019-01-24"))
                .collect(),
        )
        .await?;
    let batch_id = batch[0].batch_id.expect("a batch");
    let decisions = app.approve_batch(&finance, batch_id).await?;
    if let Some(d) = decisions.iter().find(|d| !d.paid) {
        return Err(AppError::internal(format!(
            "demo grant not paid: {}",
            d.message
        )));
    }
    for (programme, beneficiary, purpose) in [
        ("2019-FL", elderly, "老年服务中心设施改造"),
        ("2019-JG", children, "儿童福利院设施改善与助养"),
    ] {
        let proposed = app
            .propose_grants(
                &officer,
                programme,
                vec![grant(beneficiary, 50_000, purpose, "2019-02-01")],
            )
            .await?;
        app.approve_grant(&finance, proposed[0].id).await?;
    }
    Ok(())
}

/// A valid demo 身份证号: region, birth date, sequence, check character.
pub fn id_number(region: &str, birth: NaiveDate, sequence: u16) -> String {
    let first17 = format!("{region}{}{sequence:03}", birth.format("%Y%m%d"));
    format!(
        "{first17}{}",
        crate::idcard::check_character(first17.as_bytes())
    )
}
