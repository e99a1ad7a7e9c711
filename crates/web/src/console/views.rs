//! What the generic templates show: tables, charts, filters, forms, facts and paging. Pages
//! build these from the use cases' rows; the templates never compute.

use std::collections::BTreeMap;

use fucai_app::{SalesDimension, SalesReport};
use fucai_ledger::Money;
use serde::Serialize;

/// One cell: text, right-aligned when it is a figure, a link when it has one.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub num: bool,
}

pub(crate) fn text(t: impl Into<String>) -> Cell {
    Cell {
        text: t.into(),
        href: None,
        num: false,
    }
}

pub(crate) fn num(t: impl ToString) -> Cell {
    Cell {
        text: t.to_string(),
        href: None,
        num: true,
    }
}

pub(crate) fn money(m: Money) -> Cell {
    num(m)
}

pub(crate) fn link(t: impl Into<String>, href: impl Into<String>) -> Cell {
    Cell {
        text: t.into(),
        href: Some(href.into()),
        num: false,
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Table {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Shown when there are no rows.
    pub empty: String,
}

impl Table {
    pub fn new(caption: impl Into<String>, columns: &[&str]) -> Table {
        Table {
            caption: caption.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            empty: "没有符合条件的记录。".into(),
        }
    }
}

/// A chart drawn by ECharts from its data; the same figures are in a table beside it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Chart {
    pub id: String,
    /// bar, line or pie.
    pub kind: &'static str,
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The unit of the figures, e.g. 万元.
    pub unit: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Series {
    pub name: String,
    /// Whole units (display only: the tables beside keep the exact 分).
    pub data: Vec<i64>,
}

/// A figure in whole 万元 for a chart's axis (rounded half up).
fn chart_wan(m: Money) -> i64 {
    (m.fen() + 500_000) / 1_000_000
}

/// A labelled filter of a list page.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Filter {
    pub name: &'static str,
    pub label: &'static str,
    /// text, date or select.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
}

impl Filter {
    pub fn text(name: &'static str, label: &'static str, value: Option<&String>) -> Filter {
        Filter {
            name,
            label,
            kind: "text",
            value: value.cloned().unwrap_or_default(),
            options: Vec::new(),
        }
    }

    pub fn date(name: &'static str, label: &'static str, value: &str) -> Filter {
        Filter {
            kind: "date",
            value: value.into(),
            ..Filter::text(name, label, None)
        }
    }

    /// A choice; the first option ("" = any) is added.
    pub fn select(
        name: &'static str,
        label: &'static str,
        value: Option<&String>,
        options: Vec<(String, String)>,
    ) -> Filter {
        let mut all = vec![(String::new(), "全部".to_string())];
        all.extend(options);
        Filter {
            kind: "select",
            options: all,
            ..Filter::text(name, label, value)
        }
    }
}

/// One field of a form, with the use case's message when it was refused.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// text, number, date, select, textarea, password or file (an image).
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub hint: &'static str,
    pub options: Vec<(String, String)>,
    /// A textarea's height in lines (0: the default).
    pub rows: u8,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str, kind: &'static str) -> Field {
        Field {
            name,
            label,
            kind,
            value: String::new(),
            error: None,
            hint: "",
            options: Vec::new(),
            rows: 0,
        }
    }

    pub fn rows(mut self, rows: u8) -> Field {
        self.rows = rows;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }

    pub fn options(mut self, options: Vec<(String, String)>) -> Field {
        self.options = options;
        self
    }
}

/// Fills the fields with what was posted and puts `error` (field, message) beside its field;
/// an error naming no field of the form goes beside the first.
pub(crate) fn refill(
    fields: &mut [Field],
    posted: &BTreeMap<String, String>,
    error: Option<(&str, String)>,
) {
    for f in fields.iter_mut() {
        if let Some(v) = posted.get(f.name) {
            f.value = v.clone();
        }
    }
    if let Some((name, message)) = error {
        let at = fields.iter().position(|f| f.name == name).unwrap_or(0);
        if let Some(f) = fields.get_mut(at) {
            f.error = Some(message);
        }
    }
}

/// A labelled fact (detail and confirmation pages).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Fact {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

pub(crate) fn fact(label: impl Into<String>, value: impl ToString) -> Fact {
    Fact {
        label: label.into(),
        value: value.to_string(),
        href: None,
    }
}

/// Page numbers of a list: 50 rows a page.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Paging {
    pub page: usize,
    pub pages: usize,
    pub total: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

pub(crate) const PAGE_ROWS: usize = 50;

/// The requested page (from 1) of `params`.
pub(crate) fn page_of(params: &BTreeMap<String, String>) -> usize {
    params
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

impl Paging {
    /// Paging for `total` rows, links keeping the other parameters.
    pub fn new(path: &str, params: &BTreeMap<String, String>, total: i64) -> Paging {
        let page = page_of(params);
        let pages = (total.max(0) as usize).div_ceil(PAGE_ROWS).max(1);
        let href = |p: usize| {
            let mut q = params.clone();
            q.insert("page".into(), p.to_string());
            format!(
                "{path}?{}",
                serde_urlencoded::to_string(&q).unwrap_or_default()
            )
        };
        Paging {
            page,
            pages,
            total,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
        }
    }

    pub fn offset(&self) -> usize {
        (self.page - 1) * PAGE_ROWS
    }
}

/// Pages `rows` in memory (lists the use cases give whole).
pub(crate) fn paged<T>(
    rows: Vec<T>,
    path: &str,
    params: &BTreeMap<String, String>,
) -> (Vec<T>, Paging) {
    let paging = Paging::new(path, params, rows.len() as i64);
    let rows = rows
        .into_iter()
        .skip(paging.offset())
        .take(PAGE_ROWS)
        .collect();
    (rows, paging)
}

/// A sales report as a chart (this period and a year earlier) and the table beside it.
pub(crate) fn sales_views(
    id: &str,
    title: &str,
    report: &SalesReport,
    name_of: &dyn Fn(SalesDimension, &str) -> String,
    kind: &'static str,
) -> (Chart, Table) {
    let label = |key: &[String]| {
        key.iter()
            .zip(&report.by)
            .map(|(k, d)| name_of(*d, k))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let categories: Vec<String> = report.rows.iter().map(|r| label(&r.key)).collect();
    let chart = Chart {
        id: id.into(),
        kind,
        title: title.into(),
        categories,
        series: vec![
            Series {
                name: "本期".into(),
                data: report.rows.iter().map(|r| chart_wan(r.amount)).collect(),
            },
            Series {
                name: "上年同期".into(),
                data: report.rows.iter().map(|r| chart_wan(r.last_year)).collect(),
            },
        ],
        unit: "万元",
    };
    let mut columns: Vec<&str> = report.by.iter().map(|d| d.title()).collect();
    columns.extend(["销售额（元）", "上年同期（元）", "同比"]);
    let mut table = Table::new(title, &columns);
    for r in &report.rows {
        let mut row: Vec<Cell> = r
            .key
            .iter()
            .zip(&report.by)
            .map(|(k, d)| text(name_of(*d, k)))
            .collect();
        row.extend([
            money(r.amount),
            money(r.last_year),
            num(r.growth_text().unwrap_or_else(|| "—".into())),
        ]);
        table.rows.push(row);
    }
    let total = fucai_app::SalesReportRow {
        key: Vec::new(),
        amount: report.total,
        last_year: report.last_year_total,
    };
    let mut row: Vec<Cell> = report.by.iter().map(|_| text("")).collect();
    if let Some(first) = row.first_mut() {
        first.text = "合计".into();
    }
    row.extend([
        money(report.total),
        money(report.last_year_total),
        num(total.growth_text().unwrap_or_else(|| "—".into())),
    ]);
    table.rows.push(row);
    (chart, table)
}
