//! `fucai bench pages`: the staff dashboard's server time on the demo database (the reference
//! year's data), rendered as the console renders it, against a baseline measured in the same
//! run: the same figures read report by report (four sales reports and the summary, each its
//! own read of the period's sales) instead of the dashboard's one read grouped four ways.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fucai_app::{App, Config, Principal, Role, SalesDimension};

use crate::error::CliError;

const FROM: &str = "2019-01-01";
const TO: &str = "2019-08-31";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn measure(
    runs: usize,
    mut f: impl FnMut() -> Result<(), CliError>,
) -> Result<Vec<Duration>, CliError> {
    f()?; // warm the caches once
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(database_url: &str, runs: usize) -> Result<(), CliError> {
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; run `cargo run --release -p fucai-cli -- bench pages` for real figures");
    }
    let app = Arc::new(
        App::open(&Config::new(database_url)).map_err(|e| CliError::input("--database-url", e))?,
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(e.into()))?;
    let today = fucai_app::beijing_date(fucai_app::now_ms());
    match fucai_app::demo::seed(&app, today) {
        Ok(_) => {
            println!("seeding the reference year into {database_url} (once)…");
            rt.block_on(fucai_app::demo::seed_reference_year_with(&app, &|_| {}))
                .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
        }
        Err(fucai_app::AppError::Conflict(_)) => {}
        Err(e) => return Err(CliError::Internal(anyhow::anyhow!(e))),
    }
    let finance = Principal::User {
        id: 0,
        username: "finance".into(),
        role: Role::Finance,
        station_id: None,
    };
    let cells = app
        .sales_report(
            &finance,
            FROM,
            TO,
            &[
                SalesDimension::Day,
                SalesDimension::Station,
                SalesDimension::Game,
            ],
        )
        .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?
        .rows
        .len();
    println!("fucai bench pages: the dashboard of {FROM}…{TO} on {database_url} ({cells} station × game × day sales cells), {runs} runs each");
    let mut bytes = 0;
    let dashboard = measure(runs, || {
        let html = fucai_web::console::render_dashboard_for_bench(&app, &finance, FROM, TO)
            .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
        bytes = html.len();
        Ok(())
    })?;
    let baseline = measure(runs, || {
        app.summary(&finance, FROM, TO)
            .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
        for by in [
            SalesDimension::Channel,
            SalesDimension::Game,
            SalesDimension::Town,
            SalesDimension::Month,
        ] {
            app.sales_report(&finance, FROM, TO, &[by])
                .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
        }
        Ok(())
    })?;
    // Where the dashboard's time goes.
    let err = |e: fucai_app::AppError| CliError::Internal(anyhow::anyhow!(e));
    let summary = measure(runs, || {
        app.summary(&finance, FROM, TO).map(|_| ()).map_err(err)
    })?;
    let groupings = measure(runs, || {
        app.sales_reports(
            &finance,
            FROM,
            TO,
            &[
                &[SalesDimension::Channel],
                &[SalesDimension::Game],
                &[SalesDimension::Town],
                &[SalesDimension::Month],
            ],
        )
        .map(|_| ())
        .map_err(err)
    })?;
    let figures = measure(runs, || {
        app.dashboard(&finance, FROM, TO).map(|_| ()).map_err(err)
    })?;
    let overdue = measure(runs, || {
        app.overdue_stations(&finance).map(|_| ()).map_err(err)
    })?;
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "", "median ms", "p95 ms", "max ms"
    );
    for (name, t) in [
        ("dashboard page (figures + HTML)", &dashboard),
        ("  of which: the figures (App::dashboard)", &figures),
        ("  of which: the summary paragraph", &summary),
        ("  of which: 4 groupings of one sales read", &groupings),
        ("  of which: overdue remittances", &overdue),
        ("baseline: summary + 4 sales reports, 5 reads", &baseline),
    ] {
        println!(
            "{name:<44} {:>10.1} {:>10.1} {:>10.1}",
            ms(percentile(t, 0.5)),
            ms(percentile(t, 0.95)),
            ms(*t.last().expect("runs > 0"))
        );
    }
    let median = percentile(&dashboard, 0.5);
    println!(
        "dashboard: {:.1} ms median ({} bytes of HTML), {:.2}× the baseline's speed; target under 200 ms: {}",
        ms(median),
        bytes,
        ms(percentile(&baseline, 0.5)) / ms(median),
        if median < Duration::from_millis(200) { "met" } else { "NOT met" }
    );
    Ok(())
}
