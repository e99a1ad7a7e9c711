//! The HTML templates of the staff console and the public portal (minijinja), compiled into
//! the binary and parsed once.

use std::sync::OnceLock;

use fucai_app::AppError;
use minijinja::{Environment, Value};

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "console/layout.html",
    "console/login.html",
    "console/error.html",
    "console/macros.html",
    "console/list.html",
    "console/detail.html",
    "console/form.html",
    "console/confirm.html",
    "console/dashboard.html",
    "console/import.html",
    "console/article.html",
    "portal/layout.html",
    "portal/macros.html",
    "portal/home.html",
    "portal/check.html",
    "portal/results.html",
    "portal/draw.html",
    "portal/stations.html",
    "portal/instant.html",
    "portal/disclosure.html",
    "portal/error.html",
    "portal/raw.html",
    "portal/article_body.html",
    "portal/article.html",
    "portal/news.html",
);

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        env
    })
}

/// Renders one template; a template fault is an internal error (logged, a 500 page).
pub(crate) fn render(template: &str, ctx: Value) -> Result<String, AppError> {
    env()
        .get_template(template)
        .and_then(|t| t.render(ctx))
        .map_err(|e| AppError::internal(format!("template {template}: {e:#}")))
}
