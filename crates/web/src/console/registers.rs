//! The station register: search, filter and page through stations; one station's record,
//! its status history and its latest tickets; exports of every register.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use fucai_app::{beijing_time, Access, REGISTER_READERS, SALES_READERS};
use fucai_store::StationStatus;
use minijinja::context;

use super::home::game_name;
use super::render::PageResult;
use super::views::{fact, link, money, paged, text, Filter, Table};
use super::Staff;
use crate::extract::ApiPath;
use crate::AppState;

pub(crate) async fn stations(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    staff.require(Access::Roles(REGISTER_READERS))?;
    let towns: BTreeMap<String, String> = state.app.public_towns()?.into_iter().collect();
    let search = params
        .get("q")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let town = params.get("town").filter(|t| !t.is_empty());
    let status = params.get("status").filter(|t| !t.is_empty());
    let rows: Vec<_> = state
        .app
        .stations(&staff.who)?
        .into_iter()
        .filter(|s| town.is_none_or(|t| &s.town_code == t))
        .filter(|s| status.is_none_or(|st| s.status.as_str() == st))
        .filter(|s| {
            search.is_empty()
                || s.code.contains(&search)
                || s.name.contains(&search)
                || s.owner.contains(&search)
                || s.address.contains(&search)
        })
        .collect();
    let (rows, paging) = paged(rows, "/console/stations", &params);
    let mut table = Table::new(
        "",
        &[
            "编号",
            "名称",
            "业主",
            "镇（街道）",
            "地址",
            "状态",
            "开业日期",
        ],
    );
    for s in rows {
        table.rows.push(vec![
            link(&s.code, format!("/console/stations/{}", s.code)),
            text(&s.name),
            text(&s.owner),
            text(
                towns
                    .get(&s.town_code)
                    .cloned()
                    .unwrap_or(s.town_code.clone()),
            ),
            text(&s.address),
            text(s.status.as_str()),
            text(&s.opened_on),
        ]);
    }
    let statuses = StationStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.as_str().to_string()))
        .collect();
    page(
        &staff,
        "/console/stations",
        "console/list.html",
        context! {
            title => "投注站",
            path => "/console/stations",
            filters => vec![
                Filter::text("q", "编号、名称、业主或地址", params.get("q")),
                Filter::select("town", "镇（街道）", town, towns.into_iter().collect()),
                Filter::select("status", "状态", status, statuses),
            ],
            tables => vec![table],
            paging,
            exports => vec![
                ("投注站 CSV", "/api/v1/stations/export?format=csv"),
                ("投注站 XLSX", "/api/v1/stations/export?format=xlsx"),
                ("镇街 CSV", "/api/v1/towns/export?format=csv"),
                ("终端 CSV", "/api/v1/terminals/export?format=csv"),
                ("站点人员 CSV", "/api/v1/station-people/export?format=csv"),
            ],
        },
    )
}

use super::render::page;

pub(crate) async fn station(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath(code): ApiPath<String>,
) -> PageResult {
    let s = state.app.station(&staff.who, &code)?;
    let mut facts = vec![
        fact("编号", &s.code),
        fact("名称", &s.name),
        fact("业主", &s.owner),
        fact("电话", &s.phone),
        fact("地址", &s.address),
        fact("镇（街道）", &s.town_code),
        fact("许可证号", &s.licence_no),
        fact("状态", s.status.as_str()),
        fact("开业日期", &s.opened_on),
    ];
    if !s.status_reason.is_empty() {
        facts.push(fact("状态原因", &s.status_reason));
    }
    let mut history = Table::new(
        "状态变更",
        &["原状态", "新状态", "生效日期", "原因", "经办"],
    );
    for e in state
        .app
        .station_history(&staff.who, &code)
        .unwrap_or_default()
    {
        history.rows.push(vec![
            text(e.from.as_str()),
            text(e.to.as_str()),
            text(&e.effective_on),
            text(&e.reason),
            text(&e.actor),
        ]);
    }
    let mut tickets = Table::new(
        "最近售出的彩票",
        &["序列号", "游戏", "期号", "金额（元）", "售出时间", "状态"],
    );
    if staff.may(Access::Roles(SALES_READERS)) {
        for t in state
            .app
            .station_sales(&staff.who, &code, 20, None)
            .unwrap_or_default()
        {
            tickets.rows.push(vec![
                text(&t.serial),
                text(game_name(&t.game)),
                text(t.draws.join("、")),
                money(t.amount),
                text(beijing_time(t.sold_at_ms)),
                text(t.status.to_string()),
            ]);
        }
    }
    page(
        &staff,
        "/console/stations",
        "console/detail.html",
        context! {
            title => format!("投注站 {}", s.name),
            facts,
            tables => vec![history, tickets],
            links => vec![
                ("对账单", format!("/console/stations/{}/statement", s.code)),
                ("返回投注站列表", "/console/stations".to_string()),
            ],
        },
    )
}

/// The other registers, one tab each: centers, towns, terminals, station people, users.
pub(crate) async fn registers(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    staff.require(Access::Roles(REGISTER_READERS))?;
    let tab = params.get("tab").map_or("towns", String::as_str);
    let app = &state.app;
    let (table, exports): (Table, Vec<(&str, &str)>) = match tab {
        "centers" => {
            let mut t = Table::new("福彩中心", &["编号", "名称", "级别", "上级"]);
            for c in app.centers(&staff.who)? {
                t.rows.push(vec![
                    text(&c.code),
                    text(&c.name),
                    text(&c.level),
                    text(c.parent_code.unwrap_or_default()),
                ]);
            }
            (
                t,
                vec![
                    ("CSV", "/api/v1/centers/export?format=csv"),
                    ("XLSX", "/api/v1/centers/export?format=xlsx"),
                ],
            )
        }
        "terminals" => {
            let mut t = Table::new("销售终端", &["终端号", "投注站", "状态"]);
            for term in app.terminals(&staff.who)? {
                t.rows.push(vec![
                    text(&term.code),
                    link(&term.station, format!("/console/stations/{}", term.station)),
                    text(&term.status),
                ]);
            }
            (
                t,
                vec![
                    ("CSV", "/api/v1/terminals/export?format=csv"),
                    ("XLSX", "/api/v1/terminals/export?format=xlsx"),
                ],
            )
        }
        "people" => {
            let mut t = Table::new(
                "站点人员",
                &["投注站", "岗位", "姓名", "电话", "身份证号", "起始", "截止"],
            );
            for p in app.station_people(&staff.who, None)? {
                t.rows.push(vec![
                    link(&p.station, format!("/console/stations/{}", p.station)),
                    text(p.role.as_str()),
                    text(&p.name),
                    text(&p.phone),
                    text(&p.id_number),
                    text(&p.from_on),
                    text(p.to_on.unwrap_or_default()),
                ]);
            }
            (
                t,
                vec![
                    ("CSV", "/api/v1/station-people/export?format=csv"),
                    ("XLSX", "/api/v1/station-people/export?format=xlsx"),
                ],
            )
        }
        "users" => {
            let mut t = Table::new("用户", &["用户名", "姓名", "角色", "投注站", "状态"]);
            for u in app.users(&staff.who)? {
                let role = u
                    .role
                    .parse::<fucai_app::Role>()
                    .map_or(u.role.clone(), |r| r.name().to_string());
                t.rows.push(vec![
                    text(&u.username),
                    text(&u.display_name),
                    text(role),
                    text(u.station.unwrap_or_default()),
                    text(if u.active { "启用" } else { "停用" }),
                ]);
            }
            (
                t,
                vec![
                    ("CSV", "/api/v1/users/export?format=csv"),
                    ("XLSX", "/api/v1/users/export?format=xlsx"),
                ],
            )
        }
        _ => {
            let mut t = Table::new("镇（街道）", &["编号", "名称", "所属中心"]);
            for town in app.towns(&staff.who)? {
                t.rows.push(vec![
                    link(&town.code, format!("/console/stations?town={}", town.code)),
                    text(&town.name),
                    text(&town.center_code),
                ]);
            }
            (
                t,
                vec![
                    ("CSV", "/api/v1/towns/export?format=csv"),
                    ("XLSX", "/api/v1/towns/export?format=xlsx"),
                ],
            )
        }
    };
    let mut tabs = vec![
        ("镇（街道）", "/console/registers?tab=towns".to_string()),
        ("福彩中心", "/console/registers?tab=centers".to_string()),
        ("销售终端", "/console/registers?tab=terminals".to_string()),
        ("站点人员", "/console/registers?tab=people".to_string()),
    ];
    if staff.may(Access::Roles(fucai_app::ADMINS)) {
        tabs.push(("用户", "/console/registers?tab=users".to_string()));
    }
    tabs.push(("导入", "/console/imports".to_string()));
    page(
        &staff,
        "/console/registers",
        "console/list.html",
        context! {
            title => "注册信息",
            actions => tabs,
            tables => vec![table],
            exports,
        },
    )
}
