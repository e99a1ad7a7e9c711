//! The public portal's pages (templates in `templates/portal/`, one layout for both modes):
//! home, results by game, each 开奖公告 (or the draw's facts before it), the ticket check
//! with its one-line outcome, the station finder, 即开票 winner files and the welfare
//! disclosure.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};
use fucai_app::{beijing_time, AppError, DrawInfo, Reveal};
use fucai_games::Game;
use fucai_ledger::Money;
use fucai_store::{DrawStatus, TicketStatus, WinningStatus};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::console::views::{money, num, text, Chart, Series, Table};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::portal::{balls, list_href, page, page_with, Ball, Tab, Visitor};
use crate::AppState;

fn game_name(code: &str) -> &str {
    code.parse::<Game>().map_or(code, |g| g.name())
}

/// How a result reads aloud: 红球 … 蓝球 … (colour is never the only signal).
fn balls_label(game: &str, result: &str) -> String {
    let (front, back) = result.split_once('+').unwrap_or((result, ""));
    let back_name = if game == "qlc" { "特别号" } else { "蓝球" };
    if back.trim().is_empty() {
        format!("开奖号码 {}", front.trim())
    } else {
        format!("红球 {}，{back_name} {}", front.trim(), back.trim())
    }
}

/// A page that rendered a raw body (staff documents printed from the API).
pub(crate) fn raw_page(
    state: &AppState,
    visitor: &Visitor,
    title: &str,
    body: String,
) -> Html<String> {
    page(
        state,
        visitor,
        "portal/raw.html",
        title,
        context! { body => Value::from_safe_string(body) },
    )
    .unwrap_or_else(|e| Html(format!("<p>{e}</p>")))
}

#[derive(Serialize)]
struct LatestResult {
    game: String,
    name: String,
    number: String,
    date: String,
    balls: Vec<Ball>,
    label: String,
    pool: Option<String>,
}

/// The portal's home page: each game's latest result, the 双色球 pool, quick links.
#[utoipa::path(get, path = "/", tag = "public", responses((status = 200, description = "HTML page", content_type = "text/html", body = String)))]
pub async fn home(State(state): State<Arc<AppState>>, visitor: Visitor) -> ApiResult<Html<String>> {
    let mut latest = Vec::new();
    for game in Game::ALL {
        if let Some(r) = state
            .app
            .recent_results(Some(game.code()), 1)?
            .into_iter()
            .next()
        {
            let pool = (game == Game::Ssq)
                .then(|| state.app.announcement(&r.game, &r.number).ok())
                .flatten()
                .map(|a| a.pool_after.to_string());
            latest.push(LatestResult {
                label: balls_label(&r.game, &r.numbers),
                balls: balls(&r.numbers),
                name: game.name().into(),
                date: fucai_app::beijing_date(r.draw_at).to_string(),
                game: r.game,
                number: r.number,
                pool,
            });
        }
    }
    let limits = state.app.claim_limits();
    Ok(page(
        &state,
        &visitor,
        "portal/home.html",
        "福利彩票 · 公众服务",
        context! {
            latest,
            news => crate::news::latest(&state, 3)?,
            station_limit => limits.station.to_string(),
            district_limit => limits.district.to_string(),
        },
    )?)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CheckQuery {
    /// The ticket serial printed on the ticket.
    pub serial: Option<String>,
    /// The verification code printed on the ticket.
    pub code: Option<String>,
    /// `1`: the text-only version (the layout reads it from the address).
    #[allow(dead_code)]
    pub text: Option<String>,
}

/// What a ticket's check says in one line, and where to claim.
struct Outcome {
    class: &'static str,
    headline: String,
    claim: Option<String>,
}

fn outcome(
    state: &AppState,
    ticket: &fucai_app::Ticket,
    prizes: &[fucai_app::TicketPrize],
) -> Outcome {
    let unclaimed: Vec<_> = prizes
        .iter()
        .filter(|p| p.status == WinningStatus::Unclaimed)
        .collect();
    if ticket.status == TicketStatus::Cancelled {
        return Outcome {
            class: "none",
            headline: "已注销：这张彩票已注销，不参与开奖。".into(),
            claim: None,
        };
    }
    if !unclaimed.is_empty() {
        let total = Money::checked_sum(unclaimed.iter().map(|p| p.amount)).unwrap_or(Money::ZERO);
        let deadline = unclaimed
            .iter()
            .map(|p| p.claim_deadline.as_str())
            .min()
            .unwrap_or_default();
        let limits = state.app.claim_limits();
        let center = state.app.identity();
        let place = if total <= limits.station {
            "任一投注站".to_string()
        } else if total <= limits.district {
            format!(
                "{}（{}，电话 {}）",
                center.name, center.address, center.phone
            )
        } else {
            "省福利彩票发行中心".to_string()
        };
        let real_name = if total > Money::from_yuan(3_000) {
            "，请带本人身份证"
        } else {
            ""
        };
        return Outcome {
            class: "won",
            headline: format!("中奖：{total}（税前），请在 {deadline} 前兑奖"),
            claim: Some(format!(
                "兑奖地点：{place}{real_name}。兑奖截止：{deadline}。"
            )),
        };
    }
    if prizes.iter().any(|p| p.status == WinningStatus::Paid) {
        return Outcome {
            class: "none",
            headline: "已兑奖：这张彩票的奖金已经兑付。".into(),
            claim: None,
        };
    }
    if prizes.iter().any(|p| p.status == WinningStatus::Expired) {
        return Outcome {
            class: "none",
            headline: "已过期：兑奖期已过，奖金已按规定转入公益金。".into(),
            claim: None,
        };
    }
    let undrawn = ticket.draws.iter().any(|d| {
        state
            .app
            .draw_info(&ticket.game, d)
            .map(|i| !matches!(i.status, DrawStatus::Settled | DrawStatus::Expired))
            .unwrap_or(true)
    });
    if undrawn {
        Outcome {
            class: "none",
            headline: "未开奖：所购期次尚未开奖，开奖后再来查询。".into(),
            claim: None,
        }
    } else {
        Outcome {
            class: "none",
            headline: "未中奖：这张彩票没有中奖。".into(),
            claim: None,
        }
    }
}

/// Check a ticket: one line with the outcome, its lines and draws, what it won, where and by
/// when to claim it.
#[utoipa::path(get, path = "/check", tag = "public", params(CheckQuery),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 404, description = "no such ticket (HTML page)")))]
pub async fn check(
    State(state): State<Arc<AppState>>,
    visitor: Visitor,
    ApiQuery(q): ApiQuery<CheckQuery>,
) -> Response {
    let serial = q.serial.unwrap_or_default().trim().to_string();
    let code = q.code.unwrap_or_default().trim().to_string();
    let render = |status, ctx: Value| {
        page_with(
            status,
            page(
                &state,
                &visitor,
                "portal/check.html",
                "验票查询",
                context! { serial, code, ..ctx },
            ),
        )
    };
    if serial.is_empty() {
        return render(StatusCode::OK, context! {});
    }
    let found = state.app.verify_ticket(&serial, &code).and_then(|t| {
        let prizes = state.app.ticket_prizes(&serial, &code)?;
        Ok((t, prizes))
    });
    let (ticket, prizes) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => {
            return render(
                StatusCode::NOT_FOUND,
                context! { headline => "未找到这张彩票：请核对序列号和校验码。", outcome => "none" },
            )
        }
        Err(e) => return page_with(StatusCode::OK, Err(e)),
    };
    let o = outcome(&state, &ticket, &prizes);
    let station = state
        .app
        .public_stations(None)
        .ok()
        .and_then(|list| list.into_iter().find(|s| s.code == ticket.station))
        .map_or_else(
            || ticket.station.clone(),
            |s| format!("{}（{}）", s.name, s.address),
        );
    let mut table = Table::new(
        "中奖情况",
        &["期号", "中奖金额（税前）", "状态", "兑奖截止"],
    );
    for p in &prizes {
        table.rows.push(vec![
            text(format!("第{}期", p.draw)),
            money(p.amount),
            text(match p.status {
                WinningStatus::Paid => "已兑奖",
                WinningStatus::Expired => "已过期",
                WinningStatus::Unclaimed => "未兑奖",
            }),
            text(&p.claim_deadline),
        ]);
    }
    let lines: Vec<String> = ticket
        .lines
        .iter()
        .map(|l| {
            if l.multiple > 1 {
                format!("{} ×{}", l.selection, l.multiple)
            } else {
                l.selection.clone()
            }
        })
        .collect();
    render(
        StatusCode::OK,
        context! {
            headline => o.headline,
            outcome => o.class,
            claim => o.claim,
            prizes => (!prizes.is_empty()).then_some(table),
            ticket => context! {
                serial => &ticket.serial,
                cancelled => ticket.status == TicketStatus::Cancelled,
                game => game_name(&ticket.game),
                draws => ticket.draws.join("、"),
                station,
                amount => ticket.amount.to_string(),
                lines,
            },
        },
    )
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultsPageQuery {
    /// ssq, fc3d, qlc or kl8; every game when absent.
    pub game: Option<String>,
    /// The page, from 1 (20 draws a page).
    pub page: Option<usize>,
    /// `1`: the text-only version (the layout reads it from the address).
    #[allow(dead_code)]
    pub text: Option<String>,
}

#[derive(Serialize)]
struct ResultRowView {
    game: String,
    name: String,
    number: String,
    date: String,
    balls: Vec<Ball>,
    label: String,
    sales: String,
}

const RESULTS_PER_PAGE: usize = 20;

/// The 休市 from today on (no sales and no draws then), as the schedule lists them.
fn market_closures_ahead() -> Table {
    let today = fucai_app::beijing_date(fucai_app::now_ms());
    let mut t = Table::new("休市安排", &["休市", "起", "止"]);
    for c in fucai_app::closures()
        .iter()
        .filter(|c| c.market && c.to >= today)
    {
        t.rows.push(vec![
            text(&c.name),
            text(c.from.to_string()),
            text(c.to.to_string()),
        ]);
    }
    t
}

/// The results by game (tabs), newest first and paged, and the coming draws.
#[utoipa::path(get, path = "/draws", tag = "public", params(ResultsPageQuery),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 400, body = ErrorBody)))]
pub async fn results(
    State(state): State<Arc<AppState>>,
    visitor: Visitor,
    ApiQuery(q): ApiQuery<ResultsPageQuery>,
) -> ApiResult<Html<String>> {
    let game = match q.game.as_deref().filter(|g| !g.is_empty()) {
        Some(g) => Some(
            g.parse::<Game>()
                .map_err(|e| AppError::invalid("game", e))?,
        ),
        None => None,
    };
    let page_no = q.page.unwrap_or(1);
    if !(1..=10).contains(&page_no) {
        return Err(AppError::invalid("page", "from 1 to 10").into());
    }
    let list = state
        .app
        .recent_results(game.map(|g| g.code()), page_no * RESULTS_PER_PAGE + 1)?;
    let more = list.len() > page_no * RESULTS_PER_PAGE;
    let rows: Vec<ResultRowView> = list
        .into_iter()
        .skip((page_no - 1) * RESULTS_PER_PAGE)
        .take(RESULTS_PER_PAGE)
        .map(|r| ResultRowView {
            name: game_name(&r.game).into(),
            date: fucai_app::beijing_date(r.draw_at).to_string(),
            balls: balls(&r.numbers),
            label: balls_label(&r.game, &r.numbers),
            sales: r.sales.to_string(),
            game: r.game,
            number: r.number,
        })
        .collect();
    let code = game.map_or("", |g| g.code());
    let href = |g: &str, p: usize| list_href("/draws", g, "game", p);
    let mut tabs = vec![Tab {
        name: "全部",
        href: href("", 1),
        current: game.is_none(),
    }];
    tabs.extend(Game::ALL.iter().map(|g| Tab {
        name: g.name(),
        href: href(g.code(), 1),
        current: game == Some(*g),
    }));
    let mut schedule = Table::new("", &["游戏", "期号", "截止销售", "开奖时间"]);
    for g in game.map_or(Game::ALL.to_vec(), |g| vec![g]) {
        for d in state.app.open_draws(Some(g), fucai_app::now_ms(), 2)? {
            schedule.rows.push(vec![
                text(g.name()),
                text(format!("第{}期", d.number)),
                text(beijing_time(d.closes_at)),
                text(beijing_time(d.draw_at)),
            ]);
        }
    }
    Ok(page(
        &state,
        &visitor,
        "portal/results.html",
        "开奖结果",
        context! {
            tabs,
            rows,
            prev => (page_no > 1).then(|| href(code, page_no - 1)),
            next => more.then(|| href(code, page_no + 1)),
            schedule => (!schedule.rows.is_empty()).then_some(schedule),
            closures => market_closures_ahead(),
        },
    )?)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StationFinderQuery {
    /// Town (镇/街道) code.
    pub town: Option<String>,
    /// Only stations selling this game.
    pub game: Option<String>,
    /// `1`: only stations open now.
    pub open: Option<String>,
    /// `1`: the text-only version (the layout reads it from the address).
    #[allow(dead_code)]
    pub text: Option<String>,
}

#[derive(Serialize)]
struct StationView {
    name: String,
    address: String,
    town_name: String,
    open: bool,
    games: String,
}

/// The public station finder (投注站查询): by town, open status and game.
#[utoipa::path(get, path = "/stations", tag = "public", params(StationFinderQuery),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 400, body = ErrorBody)))]
pub async fn stations(
    State(state): State<Arc<AppState>>,
    visitor: Visitor,
    ApiQuery(q): ApiQuery<StationFinderQuery>,
) -> ApiResult<Html<String>> {
    let town = q.town.filter(|t| !t.is_empty());
    let game = q.game.filter(|g| !g.is_empty());
    let open_only = q.open.as_deref() == Some("1");
    let stations: Vec<StationView> = state
        .app
        .public_stations(town.as_deref())?
        .into_iter()
        .filter(|s| !open_only || s.open)
        .filter(|s| game.as_ref().is_none_or(|g| s.games.iter().any(|x| x == g)))
        .map(|s| StationView {
            games: if s.games.is_empty() {
                "暂无销售游戏".into()
            } else {
                s.games
                    .iter()
                    .map(|g| game_name(g))
                    .collect::<Vec<_>>()
                    .join("、")
            },
            name: s.name,
            address: s.address,
            town_name: s.town_name,
            open: s.open,
        })
        .collect();
    let games: Vec<(&str, &str)> = Game::ALL.iter().map(|g| (g.code(), g.name())).collect();
    Ok(page(
        &state,
        &visitor,
        "portal/stations.html",
        "投注站查询",
        context! {
            towns => state.app.public_towns()?,
            town => town.unwrap_or_default(),
            games,
            game => game.unwrap_or_default(),
            open_only,
            stations,
        },
    )?)
}

#[derive(Serialize)]
struct BatchView {
    name: String,
    game: String,
    batch: String,
    sha: String,
    table: Table,
}

/// 即开票: each batch's winner-file SHA-256 (published before the batch went on sale, so anyone
/// can check that every paid prize was in it) and the prizes left.
#[utoipa::path(get, path = "/instant", tag = "public", responses((status = 200, description = "HTML page", content_type = "text/html", body = String)))]
pub async fn instant(
    State(state): State<Arc<AppState>>,
    visitor: Visitor,
) -> ApiResult<Html<String>> {
    let batches: Vec<BatchView> = state
        .app
        .instant_prizes()?
        .into_iter()
        .map(|b| {
            let mut table = Table::new("", &["奖金", "中奖张数", "已兑", "剩余"]);
            for (amount, winners, paid, left) in &b.prizes {
                table
                    .rows
                    .push(vec![money(*amount), num(winners), num(paid), num(left)]);
            }
            BatchView {
                name: b.game_name,
                game: b.game,
                batch: b.batch,
                sha: b.winner_sha256,
                table,
            }
        })
        .collect();
    Ok(page(
        &state,
        &visitor,
        "portal/instant.html",
        "即开票 · 中奖文件与剩余奖级",
        context! { batches },
    )?)
}

#[derive(Serialize)]
struct FactView {
    label: &'static str,
    value: String,
}

/// The printable 开奖公告 page of a settled draw; before that, the draw's public facts so far
/// (status, seal, commitment and beacon round).
#[utoipa::path(get, path = "/draws/{game}/{number}", tag = "public",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 404, body = ErrorBody)))]
pub async fn announcement(
    State(state): State<Arc<AppState>>,
    visitor: Visitor,
    ApiPath((game, number)): ApiPath<(String, String)>,
) -> ApiResult<Html<String>> {
    let info = state.app.draw_info(&game, &number)?;
    let settled = matches!(info.status, DrawStatus::Settled | DrawStatus::Expired);
    let verifiable = info.commitment.as_ref().map(|c| verifiable_view(&info, c));
    if !settled {
        let status = match info.status {
            DrawStatus::Scheduled => "销售中",
            DrawStatus::Sealing | DrawStatus::Sealed => "已截止销售并封存，等待开奖",
            _ => "已开奖，正在计奖",
        };
        let mut facts = vec![
            FactView {
                label: "状态",
                value: status.into(),
            },
            FactView {
                label: "销售截止",
                value: beijing_time(info.closes_at),
            },
        ];
        if let Some(result) = &info.result {
            facts.push(FactView {
                label: "开奖号码",
                value: result.clone(),
            });
        }
        return Ok(page(
            &state,
            &visitor,
            "portal/draw.html",
            &format!("{} 第{}期", game_name(&info.game), info.number),
            context! {
                game => &info.game, number => &info.number, facts,
                balls => info.result.as_deref().map(balls),
                result_label => info.result.as_deref().map(|r| balls_label(&info.game, r)),
                seal => info.seal.as_ref().map(|s| &s.sha256),
                verifiable,
            },
        )?);
    }
    let a = state.app.announcement(&game, &number)?;
    let mut tiers = Table::new("各奖级中奖情况", &["奖级", "中奖注数", "单注奖金"]);
    for t in &a.tiers {
        tiers
            .rows
            .push(vec![text(&t.name), num(t.bets), money(t.prize)]);
    }
    let facts = vec![
        FactView {
            label: "开奖日期",
            value: a.draw_date.clone(),
        },
        FactView {
            label: "开奖号码",
            value: a.result.clone(),
        },
        FactView {
            label: "本期销售额",
            value: format!("{}（{} 注）", a.sales, a.bets),
        },
        FactView {
            label: "本期奖金合计",
            value: a.prizes.to_string(),
        },
        FactView {
            label: "奖池滚存",
            value: a.pool_after.to_string(),
        },
        FactView {
            label: "兑奖截止",
            value: format!("{}（逾期未兑奖奖金转入彩票公益金）", a.claim_deadline),
        },
        FactView {
            label: "开奖方式",
            value: if a.method == "verifiable" {
                "可验证开奖"
            } else {
                "官方开奖结果（双人录入核对）"
            }
            .into(),
        },
    ];
    Ok(page(
        &state,
        &visitor,
        "portal/draw.html",
        &format!("{} 第{}期 开奖公告", a.game_name, a.draw),
        context! {
            game => &a.game, number => &a.draw, facts,
            balls => balls(&a.result),
            result_label => balls_label(&a.game, &a.result),
            tiers,
            seal => &a.seal_sha256,
            verifiable,
        },
    )?)
}

/// fucai's own verifiable draw in words: the commitment, the drand round, whether the draw
/// was run within its window, and (once drawn) how anyone re-checks it.
fn verifiable_view(info: &DrawInfo, commitment: &str) -> Value {
    let beacon = info.beacon.as_ref();
    context! {
        commitment,
        drawn => info.result.is_some(),
        round => beacon.map(|b| b.round),
        round_at => beacon.map(|b| beijing_time(b.round_at)),
        chain => beacon.map(|b| &b.chain_hash),
        reveal_by => beacon.map(|b| beijing_time(b.reveal_by)),
        reveal => beacon.map(|b| match b.reveal {
            Reveal::Pending => "等待该轮信标后开奖",
            Reveal::OnTime => "已按时开奖",
            Reveal::Late => "逾期开奖（超过规定时限后才开奖，已记入审计链）",
            Reveal::Abandoned => "逾期未开奖（规定时限内未开奖，已记入审计链）",
        }),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DisclosureQuery {
    /// The year (default: the current year).
    pub year: Option<i64>,
    /// `1`: the text-only version (the layout reads it from the address).
    #[allow(dead_code)]
    pub text: Option<String>,
}

/// The public 公益金使用公告 of a year: every grant (names masked), totals per category with a
/// chart, a year picker, and a plain message for a year with nothing to disclose.
#[utoipa::path(get, path = "/welfare/disclosure", tag = "public", params(DisclosureQuery),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 400, body = ErrorBody)))]
pub async fn disclosure(
    State(state): State<Arc<AppState>>,
    visitor: Visitor,
    ApiQuery(q): ApiQuery<DisclosureQuery>,
) -> ApiResult<Html<String>> {
    let this_year = i64::from(chrono::Datelike::year(&fucai_app::beijing_date(
        fucai_app::now_ms(),
    )));
    let year = q.year.unwrap_or(this_year);
    if !(1987..=this_year + 1).contains(&year) {
        return Err(AppError::invalid("year", format!("from 1987 to {}", this_year + 1)).into());
    }
    let lines = state.app.disclosure(year)?;
    let summary = state.app.welfare_summary(year)?;
    let total = Money::checked_sum(lines.iter().map(|l| l.amount)).map_err(AppError::caused_by)?;
    let mut table = Table::new(
        "资助明细",
        &[
            "日期",
            "类别",
            "项目",
            "受助对象",
            "镇（街道）",
            "用途",
            "金额",
        ],
    );
    for l in &lines {
        table.rows.push(vec![
            text(&l.date),
            text(&l.category),
            text(&l.programme),
            text(&l.beneficiary),
            text(&l.town),
            text(&l.purpose),
            money(l.amount),
        ]);
    }
    let mut categories = Table::new("按类别合计", &["类别", "笔数", "金额"]);
    for c in &summary.by_category {
        categories
            .rows
            .push(vec![text(&c.name), num(c.grants), money(c.amount)]);
    }
    let chart = Chart {
        id: "by-category".into(),
        kind: "bar",
        title: "各类别资助金额".into(),
        categories: summary.by_category.iter().map(|c| c.name.clone()).collect(),
        series: vec![Series {
            name: "资助金额".into(),
            data: summary
                .by_category
                .iter()
                .map(|c| c.amount.fen() / 100)
                .collect(),
        }],
        unit: "元",
    };
    let years: Vec<i64> = (2019..=this_year).rev().collect();
    let mut by_year = Table::new(
        "福彩公益金历年筹集与使用",
        &["年度", "筹集公益金", "资助支出"],
    );
    for y in state.app.welfare_by_year(this_year as i32)?.iter().rev() {
        by_year.rows.push(vec![
            text(format!("{}年", y.year)),
            money(y.raised),
            y.spent.map_or(text("（开业前记录未含）"), money),
        ]);
    }
    Ok(page(
        &state,
        &visitor,
        "portal/disclosure.html",
        &format!("{year}年彩票公益金使用公告"),
        context! {
            charts => !lines.is_empty(),
            years,
            year,
            count => lines.len(),
            total => total.to_string(),
            chart,
            categories,
            lines => table,
            by_year,
        },
    )?)
}
