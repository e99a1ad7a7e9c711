//! The public portal: server-rendered pages in large type and high contrast, for readers of
//! every age — home, latest results, each 开奖公告, and checking a ticket.

use fucai_app::{beijing_time, DrawInfo, Reveal};
use fucai_store::{DrawStatus, TicketStatus, WinningStatus};
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use serde::Deserialize;

use crate::draws_api::ResultsQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::welfare_api::escape;
use crate::AppState;

const STYLE: &str = r#"body{font-family:"Noto Sans CJK SC",sans-serif;font-size:20px;line-height:1.6;max-width:960px;margin:1em auto;padding:0 1em;color:#1a1a1a;background:#fff}
nav{font-size:1.1em;margin-bottom:1em}nav a{margin-right:1.2em}a{color:#0645ad}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.4em .6em;text-align:left}td.n{text-align:right}caption{font-size:1.1em;margin:.5em 0}
.result{font-weight:bold;letter-spacing:.05em}.big{font-size:1.6em}
label{display:block;margin:.6em 0 .2em}input{font-size:1.2em;padding:.3em;width:100%;max-width:24em}button{display:block;font-size:1.2em;padding:.4em 1.2em;margin-top:.8em}
.notice{border:2px solid #555;padding:.6em 1em;margin:1em 0}code{word-break:break-all}"#;

/// A whole page: the shared head, the navigation and `body`.
pub(crate) fn layout(title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}</style></head>
<body><nav><a href="/">首页</a><a href="/draws">开奖结果</a><a href="/check">验票查询</a><a href="/stations">投注站查询</a><a href="/instant">即开票</a><a href="/welfare/disclosure?year=2019">公益金使用公告</a></nav>
<main><h1>{title}</h1>
{body}
</main>
<footer><p class="notice">理性购彩，量力而行。未满18周岁不得购买彩票，也不得兑奖。</p></footer>
</body></html>"#,
        title = escape(title),
    ))
}

/// The portal's home page.
#[utoipa::path(get, path = "/", tag = "public", responses((status = 200, description = "HTML page", content_type = "text/html", body = String)))]
pub async fn home(State(state): State<Arc<AppState>>) -> Html<String> {
    let limits = state.app.claim_limits();
    layout(
        "福利彩票 · 公众服务",
        &format!(
            r#"<p>扶老、助残、救孤、济困——福利彩票公益金用于社会福利和公益事业。</p>
<ul class="big">
<li><a href="/draws">开奖结果与开奖公告</a></li>
<li><a href="/check">验票查询：是否中奖、是否已兑奖、兑奖截止日期</a></li>
<li><a href="/stations">投注站查询：附近的投注站、是否营业</a></li>
<li><a href="/welfare/disclosure?year=2019">彩票公益金使用公告</a></li>
</ul>
<p class="notice">兑奖须知：一次中奖收入 {station}（含）以下可在投注站兑奖，以上请到区福彩中心，超过 {district} 请到省福彩中心；超过 3,000.00元须出示本人身份证。中奖收入超过 10,000.00元的，按 20% 代扣个人所得税。兑奖期限为开奖之日起 60 天（遇休市顺延）。</p>"#,
            station = limits.station,
            district = limits.district,
        ),
    )
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CheckQuery {
    /// The ticket serial printed on the ticket.
    pub serial: Option<String>,
    /// The verification code printed on the ticket.
    pub code: Option<String>,
}

/// Check a ticket: its lines and draws, what it won and whether it is paid.
#[utoipa::path(get, path = "/check", tag = "public", params(CheckQuery),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 404, description = "no such ticket (HTML page)")))]
pub async fn check(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<CheckQuery>,
) -> (StatusCode, Html<String>) {
    let serial = q.serial.unwrap_or_default().trim().to_string();
    let code = q.code.unwrap_or_default().trim().to_string();
    let form = format!(
        r#"<form method="get" action="/check">
<label for="serial">彩票序列号</label><input id="serial" name="serial" inputmode="numeric" value="{s}" required>
<label for="code">校验码</label><input id="code" name="code" value="{c}" required>
<button type="submit">查询</button></form>"#,
        s = escape(&serial),
        c = escape(&code)
    );
    if serial.is_empty() {
        return (StatusCode::OK, layout("验票查询", &form));
    }
    let found = state.app.verify_ticket(&serial, &code).and_then(|t| {
        let prizes = state.app.ticket_prizes(&serial, &code)?;
        Ok((t, prizes))
    });
    let Ok((ticket, prizes)) = found else {
        let body = format!("<p class=\"notice\">未找到这张彩票：请核对序列号和校验码。</p>{form}");
        return (StatusCode::NOT_FOUND, layout("验票查询", &body));
    };
    let lines: String = ticket
        .lines
        .iter()
        .map(|l| {
            let multiple = if l.multiple > 1 {
                format!(" ×{}", l.multiple)
            } else {
                String::new()
            };
            format!("<li>{}{multiple}</li>", escape(&l.selection))
        })
        .collect();
    let outcome = if prizes.is_empty() {
        "<p class=\"notice\">已开奖的期次中，这张彩票没有中奖（未开奖的期次开奖后再来查询）。</p>"
            .to_string()
    } else {
        let rows: String = prizes
            .iter()
            .map(|p| {
                let status = match p.status {
                    WinningStatus::Paid => "已兑奖",
                    WinningStatus::Expired => "已过兑奖期（弃奖）",
                    WinningStatus::Unclaimed => "未兑奖",
                };
                format!(
                    "<tr><td>第{}期</td><td class=\"n\">{}</td><td>{status}</td><td>{}</td></tr>",
                    escape(&p.draw),
                    p.amount,
                    escape(&p.claim_deadline)
                )
            })
            .collect();
        format!(
            "<table><caption>中奖情况</caption><thead><tr><th scope=\"col\">期号</th><th scope=\"col\">中奖金额（税前）</th><th scope=\"col\">状态</th><th scope=\"col\">兑奖截止</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let status = if ticket.status == TicketStatus::Cancelled {
        "（已注销）"
    } else {
        ""
    };
    let body = format!(
        "<p>序列号 {serial}{status}，{game}，第{draws}期，投注站 {station}，金额 {amount}</p><ul class=\"big\">{lines}</ul>{outcome}{form}",
        serial = escape(&ticket.serial),
        game = ticket
            .game
            .parse::<fucai_games::Game>()
            .map_or(ticket.game.as_str(), |g| g.name()),
        draws = escape(&ticket.draws.join("、")),
        station = escape(&ticket.station),
        amount = ticket.amount,
    );
    (StatusCode::OK, layout("验票查询", &body))
}

/// The public page of the latest results (开奖结果), each with its 开奖公告.
#[utoipa::path(get, path = "/draws", tag = "public", params(ResultsQuery),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 400, body = ErrorBody)))]
pub async fn results(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> ApiResult<Html<String>> {
    let list = state.app.recent_results(
        q.game.as_deref(),
        crate::extract::page_limit(q.limit, 30, 200)?,
    )?;
    let rows: String = list
        .iter()
        .map(|r| {
            let name = r.game.parse::<fucai_games::Game>().map_or("", |g| g.name());
            format!(
                "<tr><td>{name}</td><td><a href=\"/draws/{g}/{n}\">第{n}期</a></td><td>{date}</td><td class=\"result\">{numbers}</td><td class=\"n\">{sales}</td></tr>\n",
                g = escape(&r.game),
                n = escape(&r.number),
                date = fucai_app::beijing_date(r.draw_at),
                numbers = escape(&r.numbers),
                sales = r.sales,
            )
        })
        .collect();
    let empty = if list.is_empty() {
        "<p>暂无已开奖的期次。</p>"
    } else {
        ""
    };
    Ok(layout(
        "开奖结果",
        &format!(
            r#"<p>点击期号查看开奖公告（中奖注数、单注奖金、封存文件校验值）。</p>
<table><thead><tr><th scope="col">游戏</th><th scope="col">期号</th><th scope="col">开奖日期</th><th scope="col">开奖号码</th><th scope="col">本期销售额</th></tr></thead>
<tbody>
{rows}</tbody></table>{empty}"#
        ),
    ))
}

/// The public station finder (投注站查询): every station not closed, by town, whether it is
/// open now and what it sells.
#[utoipa::path(get, path = "/stations", tag = "public", params(crate::wire::TownFilter),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 400, body = ErrorBody)))]
pub async fn stations(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<crate::wire::TownFilter>,
) -> ApiResult<Html<String>> {
    let towns = state.app.public_towns()?;
    let chosen = q.town.as_deref().unwrap_or("");
    let options: String = towns
        .iter()
        .map(|(code, name)| {
            let selected = if code == chosen { " selected" } else { "" };
            format!(
                "<option value=\"{c}\"{selected}>{n}</option>",
                c = escape(code),
                n = escape(name)
            )
        })
        .collect();
    let list = state.app.public_stations(q.town.as_deref())?;
    let rows: String = list
        .iter()
        .map(|s| {
            format!(
                "<tr><td>{name}</td><td>{address}</td><td>{town}</td><td>{open}</td><td>{games}</td></tr>\n",
                name = escape(&s.name),
                address = escape(&s.address),
                town = escape(&s.town_name),
                open = if s.open { "营业中" } else { "暂停营业" },
                games = escape(&s.games.join("、")),
            )
        })
        .collect();
    let empty = if list.is_empty() {
        "<p>该镇（街道）暂无投注站。</p>"
    } else {
        ""
    };
    Ok(layout(
        "投注站查询",
        &format!(
            r#"<form method="get" action="/stations"><label for="town">镇（街道）</label>
<select id="town" name="town"><option value="">全部</option>{options}</select>
<button type="submit">查询</button></form>
<p>共 {count} 个投注站。</p>
<table><thead><tr><th scope="col">投注站</th><th scope="col">地址</th><th scope="col">镇（街道）</th><th scope="col">状态</th><th scope="col">销售游戏</th></tr></thead>
<tbody>
{rows}</tbody></table>{empty}"#,
            count = list.len(),
        ),
    ))
}

/// 即开票: each batch's winner-file SHA-256 (published before the batch went on sale, so anyone
/// can check that every paid prize was in it) and the prizes left.
#[utoipa::path(get, path = "/instant", tag = "public", responses((status = 200, description = "HTML page", content_type = "text/html", body = String)))]
pub async fn instant(State(state): State<Arc<AppState>>) -> ApiResult<Html<String>> {
    let batches = state.app.instant_prizes()?;
    let mut body = String::from(
        "<p>每个批次的中奖文件在上市销售前导入，其 SHA-256 在此公布并记入审计链；兑奖时逐张核对中奖文件，任何改动都会使核对失败。</p>\n",
    );
    if batches.is_empty() {
        body.push_str("<p>暂无已导入中奖文件的批次。</p>");
    }
    for b in &batches {
        let rows: String = b
            .prizes
            .iter()
            .map(|(amount, winners, paid, left)| {
                format!(
                    "<tr><td class=\"n\">{amount}</td><td class=\"n\">{winners}</td><td class=\"n\">{paid}</td><td class=\"n\">{left}</td></tr>\n"
                )
            })
            .collect();
        body.push_str(&format!(
            r#"<h2>{name}（{game}）第 {batch} 批</h2>
<p>中奖文件 SHA-256：<code>{sha}</code></p>
<table><thead><tr><th scope="col">奖金</th><th scope="col">中奖张数</th><th scope="col">已兑</th><th scope="col">剩余</th></tr></thead>
<tbody>
{rows}</tbody></table>
"#,
            name = escape(&b.game_name),
            game = escape(&b.game),
            batch = escape(&b.batch),
            sha = escape(&b.winner_sha256),
        ));
    }
    Ok(layout("即开票 · 中奖文件与剩余奖级", &body))
}

/// The printable 开奖公告 page of a settled draw; before that, the draw's public facts so far
/// (status, seal, commitment and beacon round).
#[utoipa::path(get, path = "/draws/{game}/{number}", tag = "public",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "HTML page", content_type = "text/html", body = String), (status = 404, body = ErrorBody)))]
pub async fn announcement(
    State(state): State<Arc<AppState>>,
    ApiPath((game, number)): ApiPath<(String, String)>,
) -> ApiResult<Html<String>> {
    let info = state.app.draw_info(&game, &number)?;
    if !matches!(info.status, DrawStatus::Settled | DrawStatus::Expired) {
        return Ok(draw_so_far(&info));
    }
    let a = state.app.announcement(&game, &number)?;
    let rows: String = a
        .tiers
        .iter()
        .map(|t| {
            format!(
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                escape(&t.name),
                t.bets,
                t.prize
            )
        })
        .collect();
    let method = if a.method == "verifiable" {
        verifiable_facts(&info)
    } else {
        "<p>官方开奖结果（双人录入核对）</p>".to_string()
    };
    let title = format!("{} 第{}期 开奖公告", a.game_name, a.draw);
    Ok(layout(
        &title,
        &format!(
            r#"<p>开奖日期：{date}</p>
<p>开奖号码：<span class="result big">{result}</span></p>
<p>本期销售额：{sales}（{bets} 注）</p>
<table><thead><tr><th scope="col">奖级</th><th scope="col">中奖注数</th><th scope="col">单注奖金</th></tr></thead>
<tbody>
{rows}</tbody></table>
<p>本期奖金合计：{prizes}；奖池滚存：{pool}</p>
<p>兑奖截止日期：{deadline}（逾期未兑奖奖金转入彩票公益金）</p>
{method}
<p>封存文件 SHA-256：<code>{sha}</code>（<a href="/api/v1/public/draws/{game}/{draw}/sealed.parquet">下载封存文件</a>）</p>"#,
            game = escape(&a.game),
            draw = escape(&a.draw),
            date = escape(&a.draw_date),
            result = escape(&a.result),
            sales = a.sales,
            bets = a.bets,
            prizes = a.prizes,
            pool = a.pool_after,
            deadline = escape(&a.claim_deadline),
            sha = escape(&a.seal_sha256),
        ),
    ))
}

/// A draw not settled yet: where it stands, its seal and its commitment.
fn draw_so_far(info: &DrawInfo) -> Html<String> {
    let status = match info.status {
        DrawStatus::Scheduled => "销售中",
        DrawStatus::Sealing | DrawStatus::Sealed => "已截止销售并封存，等待开奖",
        DrawStatus::Resulted => "已开奖，正在计奖",
        DrawStatus::Settled | DrawStatus::Expired => "已计奖",
    };
    let seal = info.seal.as_ref().map_or(String::new(), |seal| {
        format!(
            r#"<p>封存文件 SHA-256：<code>{sha}</code>（{bets} 注，<a href="/api/v1/public/draws/{game}/{draw}/sealed.parquet">下载封存文件</a>）</p>"#,
            sha = escape(&seal.sha256),
            bets = seal.bets,
            game = escape(&info.game),
            draw = escape(&info.number),
        )
    });
    let result = info.result.as_ref().map_or(String::new(), |r| {
        format!(
            r#"<p>开奖号码：<span class="result big">{}</span></p>"#,
            escape(r)
        )
    });
    layout(
        &format!("第{}期", info.number),
        &format!(
            "<p>状态：{status}</p>\n<p>销售截止：{closes}</p>\n{result}{seal}{facts}",
            closes = escape(&beijing_time(info.closes_at)),
            facts = if info.commitment.is_some() {
                verifiable_facts(info)
            } else {
                String::new()
            },
        ),
    )
}

/// fucai's own verifiable draw in words: the commitment, the drand round, whether the draw
/// was run within its window, and how anyone re-checks it.
fn verifiable_facts(info: &DrawInfo) -> String {
    let (game, draw) = (escape(&info.game), escape(&info.number));
    let commitment = escape(info.commitment.as_deref().unwrap_or_default());
    let beacon = info.beacon.as_ref().map_or_else(
        || "<p>随机信标：操作员录入的公开数值（旧算法 fucai-draw-v1）</p>".to_string(),
        |b| {
            let reveal = match b.reveal {
                Reveal::Pending => "等待该轮信标后开奖",
                Reveal::OnTime => "已按时开奖",
                Reveal::Late => "<strong>逾期开奖</strong>（超过规定时限后才开奖，已记入审计链）",
                Reveal::Abandoned => {
                    "<strong>逾期未开奖</strong>（规定时限内未开奖，已记入审计链）"
                }
            };
            format!(
                r#"<p>随机信标：drand quicknet 第 {round} 轮（{round_at} 产生，链 <code>{chain}</code>），在截止销售前承诺，任何人都可从 drand 公共节点获取并核对签名。</p>
<p>开奖时限：{reveal_by} 前；{reveal}</p>"#,
                round = b.round,
                round_at = escape(&beijing_time(b.round_at)),
                chain = escape(&b.chain_hash),
                reveal_by = escape(&beijing_time(b.reveal_by)),
            )
        },
    );
    let check = if info.result.is_some() {
        format!(
            r#"<p>开奖记录：<a href="/api/v1/public/draws/{game}/{draw}/transcript">transcript.json</a>。自行核验：<code>fucai draw verify-transcript transcript.json</code>（核对承诺、信标签名与开奖号码）；中奖注数可用公开的 DuckDB 查询从封存文件独立重算（<code>fucai draw reconcile {game} {draw}</code>）。</p>"#
        )
    } else {
        String::new()
    };
    format!(
        "<h2>可验证开奖</h2>\n<p>承诺（秘密值的 SHA-256）：<code>{commitment}</code></p>\n{beacon}\n{check}"
    )
}
