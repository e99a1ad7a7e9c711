//! What every command that acts on a database needs: open it, sign a person in, map errors.

use anyhow::Context;
use fucai_app::{App, Config};

use crate::error::CliError;

/// Opens an existing database (a typo must not create an empty one).
pub fn open_existing(database_url: &str) -> Result<App, CliError> {
    let path =
        fucai_store::sqlite_path(database_url).map_err(|e| CliError::input("--database-url", e))?;
    if !path.exists() {
        return Err(CliError::input(
            "--database-url",
            format!("{} does not exist", path.display()),
        ));
    }
    App::open(&Config::new(database_url)).map_err(|e| CliError::input("--database-url", e))
}

pub type Action<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), CliError>> + 'a>>;

/// Signs the `--user` in and runs one action as them.
pub fn act<'a>(
    app: &'a App,
    user: Option<&str>,
    f: impl FnOnce(&'a App, fucai_app::Principal) -> Action<'a>,
) -> Result<(), CliError> {
    let username = user.ok_or_else(|| CliError::input("--user", "required: who is acting"))?;
    let password = match std::env::var("FUCAI_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the password")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let who = app
        .authenticate(username, &password)
        .map_err(|e| CliError::input("--user", e))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("runtime")?;
    rt.block_on(f(app, who))
}

pub fn app_error(e: fucai_app::AppError) -> CliError {
    match e {
        fucai_app::AppError::Invalid { field, message } => CliError::Input {
            field: Box::leak(field.into_boxed_str()),
            message,
        },
        other => CliError::Internal(anyhow::anyhow!(other)),
    }
}
