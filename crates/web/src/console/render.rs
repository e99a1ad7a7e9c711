//! The console's templates (minijinja, compiled into the binary), its menu, and the error
//! pages: every failure a person meets in the console is a Chinese page with its status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use fucai_app::{
    Access, AppError, Principal, ALL_STAFF, CHANNEL_READERS, LEDGER_READERS, REGISTER_READERS,
    SALES_READERS,
};
use minijinja::{context, Value};
use serde::Serialize;

use super::staff::{Staff, FLASH_COOKIE};
use crate::browser_errors::explain;
use crate::error::ApiError;

/// One entry of the menu, shown to the roles its page admits.
struct MenuEntry {
    group: &'static str,
    label: &'static str,
    href: &'static str,
    access: Access,
}

const MENU: &[MenuEntry] = &[
    MenuEntry {
        group: "总览",
        label: "工作台",
        href: "/console",
        access: Access::Roles(ALL_STAFF),
    },
    MenuEntry {
        group: "总览",
        label: "年度概况",
        href: "/console/reports/summary",
        access: Access::Roles(CHANNEL_READERS),
    },
    MenuEntry {
        group: "销售",
        label: "销售报表",
        href: "/console/reports/sales",
        access: Access::Roles(CHANNEL_READERS),
    },
    MenuEntry {
        group: "销售",
        label: "彩票查询",
        href: "/console/tickets",
        access: Access::Roles(SALES_READERS),
    },
    MenuEntry {
        group: "注册信息",
        label: "投注站",
        href: "/console/stations",
        access: Access::Roles(REGISTER_READERS),
    },
    MenuEntry {
        group: "注册信息",
        label: "其他注册信息",
        href: "/console/registers",
        access: Access::Roles(REGISTER_READERS),
    },
    MenuEntry {
        group: "注册信息",
        label: "数据导入",
        href: "/console/imports",
        access: Access::Roles(super::imports::IMPORTERS),
    },
    MenuEntry {
        group: "开奖",
        label: "开奖日历",
        href: "/console/draws",
        access: Access::Roles(REGISTER_READERS),
    },
    MenuEntry {
        group: "兑奖",
        label: "中心兑奖",
        href: "/console/claims",
        access: Access::Roles(fucai_app::claims::DISTRICT_CASHIERS),
    },
    MenuEntry {
        group: "公益金",
        label: "资助项目",
        href: "/console/welfare/programmes",
        access: Access::Roles(fucai_app::welfare::WELFARE_READERS),
    },
    MenuEntry {
        group: "公益金",
        label: "资助审批",
        href: "/console/welfare/grants",
        access: Access::Roles(fucai_app::welfare::WELFARE_READERS),
    },
    MenuEntry {
        group: "公益金",
        label: "受助对象",
        href: "/console/welfare/beneficiaries",
        access: Access::Roles(fucai_app::welfare::WELFARE_READERS),
    },
    MenuEntry {
        group: "站点网络",
        label: "培训",
        href: "/console/network/training",
        access: Access::Roles(fucai_app::network::NETWORK_READERS),
    },
    MenuEntry {
        group: "站点网络",
        label: "巡查走访",
        href: "/console/network/visits",
        access: Access::Roles(fucai_app::network::NETWORK_READERS),
    },
    MenuEntry {
        group: "站点网络",
        label: "巡查整改",
        href: "/console/network/findings",
        access: Access::Roles(fucai_app::network::NETWORK_READERS),
    },
    MenuEntry {
        group: "站点网络",
        label: "营销活动",
        href: "/console/network/campaigns",
        access: Access::Roles(fucai_app::network::NETWORK_READERS),
    },
    MenuEntry {
        group: "站点网络",
        label: "活动",
        href: "/console/network/activities",
        access: Access::Roles(fucai_app::network::NETWORK_READERS),
    },
    MenuEntry {
        group: "渠道",
        label: "即开票库存",
        href: "/console/channels/instant",
        access: Access::Roles(CHANNEL_READERS),
    },
    MenuEntry {
        group: "渠道",
        label: "中福在线",
        href: "/console/channels/halls",
        access: Access::Roles(CHANNEL_READERS),
    },
    MenuEntry {
        group: "财务",
        label: "科目余额",
        href: "/console/finance/balances",
        access: Access::Roles(LEDGER_READERS),
    },
    MenuEntry {
        group: "财务",
        label: "账本校验",
        href: "/console/finance/verify",
        access: Access::Roles(LEDGER_READERS),
    },
    MenuEntry {
        group: "财务",
        label: "逾期缴款",
        href: "/console/finance/overdue",
        access: Access::Roles(fucai_app::network::MONEY_READERS),
    },
    MenuEntry {
        group: "审计",
        label: "审计日志",
        href: "/console/audit",
        access: Access::Roles(AUDITORS),
    },
    MenuEntry {
        group: "公众网站",
        label: "新闻公告",
        href: "/console/news",
        access: Access::Roles(fucai_app::ARTICLE_EDITORS),
    },
];

/// Who reads the audit log.
pub(crate) const AUDITORS: &[fucai_app::Role] = &[fucai_app::Role::Admin, fucai_app::Role::Auditor];

#[derive(Serialize)]
struct MenuItem {
    label: &'static str,
    href: &'static str,
    current: bool,
}

#[derive(Serialize)]
struct MenuGroup {
    group: &'static str,
    items: Vec<MenuItem>,
}

/// The menu `who` sees, by group, `current` marked.
fn menu(who: &Principal, current: &str) -> Vec<MenuGroup> {
    let mut groups: Vec<MenuGroup> = Vec::new();
    for e in MENU.iter().filter(|e| who.allows(e.access, None)) {
        let item = MenuItem {
            label: e.label,
            href: e.href,
            current: e.href == current,
        };
        match groups.last_mut() {
            Some(g) if g.group == e.group => g.items.push(item),
            _ => groups.push(MenuGroup {
                group: e.group,
                items: vec![item],
            }),
        }
    }
    groups
}

/// The pages of the menu a role sees, in order (the browser tests compare the page with it).
pub fn menu_hrefs(who: &Principal) -> Vec<&'static str> {
    MENU.iter()
        .filter(|e| who.allows(e.access, None))
        .map(|e| e.href)
        .collect()
}

pub(crate) type PageResult = Result<Response, Failure>;

/// Renders `template` inside the layout, for `staff`, with the menu entry `current` marked.
pub(crate) fn page(staff: &Staff, current: &str, template: &str, ctx: Value) -> PageResult {
    let html = render(template, context! { ..ctx, ..frame(staff, current) })?;
    let mut response = Html(html).into_response();
    if staff.flash.is_some() {
        let clear = format!("{FLASH_COOKIE}=; HttpOnly; SameSite=Strict; Path=/console; Max-Age=0");
        if let Ok(value) = HeaderValue::from_str(&clear) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// What the layout shows of the person: name, role, CSRF token for signing out, the menu and
/// the message of the last action.
fn frame(staff: &Staff, current: &str) -> Value {
    context! {
        staff => context! {
            username => &staff.username,
            role => staff.role.name(),
            station => &staff.station,
            csrf => &staff.csrf,
        },
        menu => menu(&staff.who, current),
        flash => &staff.flash,
    }
}

pub(crate) fn render(template: &str, ctx: Value) -> Result<String, Failure> {
    crate::templates::render(template, ctx).map_err(Failure::from)
}

/// The dashboard page as the console renders it for `who`, for `fucai bench pages`.
pub fn render_dashboard_for_bench(
    app: &fucai_app::App,
    who: &Principal,
    from: &str,
    to: &str,
) -> Result<String, String> {
    let ctx = super::home::dashboard_context(app, who, from, to).map_err(|f| f.message)?;
    render("console/dashboard.html", ctx).map_err(|f| f.message)
}

/// A failure shown as a Chinese page with its status.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub message: String,
    /// The signed-in person, when known: the page keeps their menu and sign-out.
    pub staff: Option<Box<Staff>>,
}

impl Failure {
    pub fn csrf(staff: &Staff) -> Failure {
        Failure {
            status: StatusCode::FORBIDDEN,
            message: "表单缺少有效的安全令牌（CSRF），未执行任何操作。请回到页面重新提交。".into(),
            staff: Some(Box::new(staff.clone())),
        }
    }

    pub fn for_staff(mut self, staff: &Staff) -> Failure {
        self.staff = Some(Box::new(staff.clone()));
        self
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        let api = ApiError::from(e);
        Failure {
            status: api.status,
            message: api.message,
            staff: None,
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (title, advice) = explain(self.status);
        let ctx =
            context! { title, advice, status => self.status.as_u16(), detail => self.message };
        let ctx = match &self.staff {
            Some(staff) => context! { ..ctx, ..frame(staff, "") },
            None => ctx,
        };
        let html = render("console/error.html", ctx)
            .unwrap_or_else(|_| format!("<h1>{}</h1>", self.status));
        (self.status, Html(html)).into_response()
    }
}
