//! The draw calendar and one draw's work: seal its sales, enter its result (two people, the
//! same numbers), settle it, expire its unclaimed prizes, and read its 开奖公告.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use fucai_app::draws::{DRAW_OPERATORS, SETTLERS};
use fucai_app::{beijing_time, Access, AppError, DrawInfo, ResultEntry, REGISTER_READERS};
use fucai_games::Game;
use fucai_store::{DrawQuery, DrawStatus};
use minijinja::context;
use serde::Deserialize;

use super::render::{page, Failure, PageResult};
use super::staff::redirect_with;
use super::views::{fact, link, refill, text, Fact, Field, Filter, Paging, Table, PAGE_ROWS};
use super::{Staff, StaffForm};
use crate::extract::ApiPath;
use crate::AppState;

fn status_name(s: DrawStatus) -> &'static str {
    match s {
        DrawStatus::Scheduled => "销售期",
        DrawStatus::Sealing => "封存中",
        DrawStatus::Sealed => "已封存",
        DrawStatus::Resulted => "已开奖",
        DrawStatus::Settled => "已结算",
        DrawStatus::Expired => "兑奖期满",
    }
}

fn draw_href(game: &str, number: &str) -> String {
    format!("/console/draws/{game}/{number}")
}

pub(crate) async fn calendar(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    staff.require(Access::Roles(REGISTER_READERS))?;
    let game = params.get("game").filter(|g| !g.is_empty()).cloned();
    if let Some(g) = &game {
        g.parse::<Game>()
            .map_err(|e| AppError::invalid("game", e))?;
    }
    let status = match params.get("status").filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<DrawStatus>()
                .map_err(|e| AppError::invalid("status", e))?,
        ),
        None => None,
    };
    let mut paging = Paging::new("/console/draws", &params, 0);
    let (total, draws) = state.app.draw_calendar(
        &staff.who,
        &DrawQuery {
            game: game.clone(),
            status,
            from_ms: None,
            to_ms: None,
            limit: PAGE_ROWS,
            offset: paging.offset(),
        },
    )?;
    paging = Paging::new("/console/draws", &params, total);
    let mut table = Table::new("", &["游戏", "期号", "截止销售", "开奖时间", "状态"]);
    for d in &draws {
        table.rows.push(vec![
            text(super::home::game_name(&d.game)),
            link(&d.number, draw_href(&d.game, &d.number)),
            text(beijing_time(d.closes_at)),
            text(beijing_time(d.draw_at)),
            text(status_name(d.status)),
        ]);
    }
    let games = Game::ALL
        .iter()
        .map(|g| (g.code().to_string(), g.name().to_string()))
        .collect();
    let statuses = DrawStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), status_name(*s).to_string()))
        .collect();
    page(
        &staff,
        "/console/draws",
        "console/list.html",
        context! {
            title => "开奖日历",
            path => "/console/draws",
            filters => vec![
                Filter::select("game", "游戏", game.as_ref(), games),
                Filter::select("status", "状态", params.get("status"), statuses),
            ],
            tables => vec![table],
            paging,
        },
    )
}

fn draw_facts(info: &DrawInfo) -> Vec<Fact> {
    let mut facts = vec![
        fact("游戏", super::home::game_name(&info.game)),
        fact("期号", &info.number),
        fact("状态", status_name(info.status)),
        fact("截止销售", beijing_time(info.closes_at)),
        fact("开奖时间", beijing_time(info.draw_at)),
    ];
    if let Some(seal) = &info.seal {
        facts.extend([
            fact("封存票数", seal.rows),
            fact("封存注数", seal.bets),
            fact("封存销售额", seal.amount),
            fact("封存文件 SHA-256", &seal.sha256),
            fact(
                "封存",
                format!("{} 由 {}", beijing_time(seal.sealed_at), seal.sealed_by),
            ),
        ]);
    }
    if let Some(c) = &info.commitment {
        facts.push(fact("可验证开奖承诺 SHA-256", c));
    }
    if let Some(b) = &info.beacon {
        facts.extend([
            fact("drand quicknet 轮次", b.round),
            fact("该轮签名时间", beijing_time(b.round_at)),
            fact("须在此前开奖", beijing_time(b.reveal_by)),
            fact(
                "揭示",
                match b.reveal {
                    fucai_app::Reveal::Pending => "待开奖",
                    fucai_app::Reveal::OnTime => "按时",
                    fucai_app::Reveal::Late => "逾期开奖",
                    fucai_app::Reveal::Abandoned => "已作废（未按时开奖）",
                },
            ),
        ]);
    }
    if let Some(r) = &info.result {
        facts.push(fact("开奖号码", r));
    }
    facts
}

/// The steps a draw's status allows next, for those who may take them.
fn actions(staff: &Staff, info: &DrawInfo) -> Vec<(&'static str, String)> {
    let base = draw_href(&info.game, &info.number);
    let operator = staff.may(Access::Roles(DRAW_OPERATORS));
    let settler = staff.may(Access::Roles(SETTLERS));
    let mut out = Vec::new();
    match info.status {
        DrawStatus::Scheduled | DrawStatus::Sealing if operator => {
            if info.commitment.is_none() && info.status == DrawStatus::Scheduled {
                out.push(("可验证开奖：提交承诺", format!("{base}/commit")));
            }
            out.push(("封存销售数据", format!("{base}/seal")));
        }
        DrawStatus::Resulted if settler => out.push(("结算", format!("{base}/settle"))),
        DrawStatus::Settled if settler => {
            out.push(("弃奖处理（兑奖期满）", format!("{base}/expire")))
        }
        _ => {}
    }
    if matches!(info.status, DrawStatus::Settled | DrawStatus::Expired) {
        out.push(("开奖公告", format!("/draws/{}/{}", info.game, info.number)));
    }
    out
}

fn result_fields() -> Vec<Field> {
    vec![Field::new("numbers", "开奖号码", "text")
        .hint("按选号格式录入，如 双色球：01 02 03 04 05 06 + 07。须由两人分别录入相同号码。")]
}

fn beacon_fields() -> Vec<Field> {
    vec![Field::new("signature", "该轮 drand 签名（十六进制）", "text").hint(
        "从任一 drand 中继取得已承诺轮次的签名；签名错误、轮次不符或其他网络的签名都会被拒绝，且不写入任何数据。",
    )]
}

/// A draw's page. A sealed draw takes its result there: from its committed drand round when
/// it has one (`fields` are then the signature's), else from two people's entries.
fn draw_page(staff: &Staff, info: &DrawInfo, fields: Vec<Field>, status: StatusCode) -> PageResult {
    let href = draw_href(&info.game, &info.number);
    let may_draw = info.status == DrawStatus::Sealed && staff.may(Access::Roles(DRAW_OPERATORS));
    let form = may_draw.then(|| match &info.beacon {
        Some(_) => context! {
            title => "可验证开奖：输入承诺轮次的签名",
            action => format!("{href}/verifiable"),
            fields => if fields.iter().any(|f| f.name == "signature") { fields } else { beacon_fields() },
            submit => "验证签名并开奖",
        },
        None => context! {
            title => "录入开奖号码（双人复核）",
            action => format!("{href}/result"),
            fields,
            submit => "提交开奖号码",
        },
    });
    let mut response = page(
        staff,
        "/console/draws",
        "console/detail.html",
        context! {
            title => format!("{} 第{}期", super::home::game_name(&info.game), info.number),
            facts => draw_facts(info),
            actions => actions(staff, info),
            form,
            links => vec![("公开页面", format!("/draws/{}/{}", info.game, info.number)), ("返回开奖日历", "/console/draws".to_string())],
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub(crate) async fn draw(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath((game, number)): ApiPath<(String, String)>,
) -> PageResult {
    staff.require(Access::Roles(REGISTER_READERS))?;
    let info = state.app.draw_info(&game, &number)?;
    draw_page(&staff, &info, result_fields(), StatusCode::OK)
}

#[derive(Deserialize)]
pub(crate) struct ResultForm {
    #[serde(default)]
    numbers: String,
}

pub(crate) async fn enter_result(
    State(state): State<Arc<AppState>>,
    ApiPath((game, number)): ApiPath<(String, String)>,
    form: StaffForm<ResultForm>,
) -> PageResult {
    let StaffForm { staff, fields, raw } = form;
    staff.require(Access::Roles(DRAW_OPERATORS))?;
    let href = draw_href(&game, &number);
    let refuse = |message: String, status: StatusCode| -> PageResult {
        let info = state.app.draw_info(&game, &number)?;
        let mut f = result_fields();
        refill(&mut f, &raw, Some(("numbers", message)));
        draw_page(&staff, &info, f, status)
    };
    match state
        .app
        .enter_result(&staff.who, &game, &number, &fields.numbers)
        .await
    {
        Ok(ResultEntry::AwaitingSecond) => Ok(redirect_with(
            &href,
            "第一次录入已保存，请由另一位工作人员再次录入相同号码。",
        )),
        Ok(ResultEntry::Recorded { .. }) => Ok(redirect_with(
            &href,
            "两次录入一致，开奖号码已记录。下一步：结算。",
        )),
        Ok(ResultEntry::Mismatch) => refuse(
            "两次录入的号码不一致，均未记录，请两人重新录入。".into(),
            StatusCode::CONFLICT,
        ),
        Err(AppError::Invalid { message, .. }) => refuse(message, StatusCode::BAD_REQUEST),
        Err(AppError::Conflict(m)) => refuse(m, StatusCode::CONFLICT),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct BeaconForm {
    #[serde(default)]
    signature: String,
}

pub(crate) async fn verifiable(
    State(state): State<Arc<AppState>>,
    ApiPath((game, number)): ApiPath<(String, String)>,
    form: StaffForm<BeaconForm>,
) -> PageResult {
    let StaffForm { staff, fields, raw } = form;
    staff.require(Access::Roles(DRAW_OPERATORS))?;
    let input = fucai_app::BeaconInput::Drand {
        round: None,
        signature: fields.signature.trim().to_string(),
    };
    match state
        .app
        .verifiable_draw(&staff.who, &game, &number, input)
        .await
    {
        Ok(t) => Ok(redirect_with(
            &draw_href(&game, &number),
            &format!("可验证开奖完成，开奖号码：{}。下一步：结算。", t.result),
        )),
        Err(AppError::Invalid { message, .. }) => {
            let info = state.app.draw_info(&game, &number)?;
            let mut f = beacon_fields();
            refill(&mut f, &raw, Some(("signature", message)));
            draw_page(&staff, &info, f, StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}

/// The irreversible steps, each confirmed first.
#[derive(Clone, Copy)]
enum Step {
    Commit,
    Seal,
    Settle,
    Expire,
}

impl Step {
    fn parse(action: &str) -> Result<Step, Failure> {
        match action {
            "commit" => Ok(Step::Commit),
            "seal" => Ok(Step::Seal),
            "settle" => Ok(Step::Settle),
            "expire" => Ok(Step::Expire),
            other => Err(AppError::NotFound(format!("draw action {other}")).into()),
        }
    }

    fn access(self) -> Access {
        match self {
            Step::Commit | Step::Seal => Access::Roles(DRAW_OPERATORS),
            Step::Settle | Step::Expire => Access::Roles(SETTLERS),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Step::Commit => "提交可验证开奖承诺",
            Step::Seal => "封存销售数据",
            Step::Settle => "结算",
            Step::Expire => "弃奖处理",
        }
    }

    fn warning(self) -> &'static str {
        match self {
            Step::Commit => "承诺一个随机密钥的 SHA-256 和截止销售后的一个 drand quicknet 轮次，立即公开；此后本期只能用该轮的签名开奖，须在期限内完成，不可撤销。",
            Step::Seal => "封存后本期停止销售，售出的全部投注写入封存文件并公布其 SHA-256，不可撤销。",
            Step::Settle => "结算将按已记录的开奖号码计算各奖级中奖注数和奖金，把奖金记入奖池应付并生成开奖公告，不可撤销。",
            Step::Expire => "兑奖期满后，本期未兑奖金全部转入公益金（弃奖），之后不能再兑付，不可撤销。",
        }
    }
}

pub(crate) async fn confirm_page(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath((game, number, action)): ApiPath<(String, String, String)>,
) -> PageResult {
    let step = Step::parse(&action)?;
    staff.require(step.access())?;
    let info = state.app.draw_info(&game, &number)?;
    let mut facts = draw_facts(&info);
    if let (Step::Settle, Some(seal)) = (step, &info.seal) {
        facts.push(fact("参与结算的销售额", seal.amount));
    }
    let href = draw_href(&game, &number);
    page(
        &staff,
        "/console/draws",
        "console/confirm.html",
        context! {
            title => format!("确认{}：{} 第{}期", step.name(), super::home::game_name(&game), number),
            warning => step.warning(),
            facts,
            action => format!("{href}/{action}"),
            hidden => Vec::<(String, String)>::new(),
            submit => format!("确认{}", step.name()),
            cancel => href,
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct Empty {}

pub(crate) async fn act(
    State(state): State<Arc<AppState>>,
    ApiPath((game, number, action)): ApiPath<(String, String, String)>,
    form: StaffForm<Empty>,
) -> PageResult {
    let staff = form.staff;
    let step = Step::parse(&action)?;
    staff.require(step.access())?;
    let href = draw_href(&game, &number);
    let message = match step {
        Step::Commit => {
            let c = state.app.commit_draw(&staff.who, &game, &number).await?;
            format!(
                "承诺已公开：SHA-256 {}，drand 轮次 {}（{} 签名），须在 {} 前开奖。",
                c.commitment,
                c.beacon.round,
                beijing_time(c.beacon.round_at),
                beijing_time(c.beacon.reveal_by)
            )
        }
        Step::Seal => {
            let seal = state.app.seal_draw(&staff.who, &game, &number).await?;
            format!(
                "已封存：{} 张票，{} 注，销售额 {}，SHA-256 {}。",
                seal.rows, seal.bets, seal.amount, seal.sha256
            )
        }
        Step::Settle => {
            let a = state.app.settle_draw(&staff.who, &game, &number).await?;
            format!("已结算，开奖公告已生成（销售额 {}）。", a.sales)
        }
        Step::Expire => {
            let today = fucai_app::beijing_date(fucai_app::now_ms());
            let (prizes, amount) = state
                .app
                .expire_draw(&staff.who, &game, &number, today)
                .await?;
            format!("弃奖处理完成：{prizes} 注，{amount} 转入公益金。")
        }
    };
    Ok(redirect_with(&href, &message).into_response())
}
