//! Headless Chromium for the tests that load kdl's HTML in a real browser
//! (the yearly report, the site).

use std::path::{Path, PathBuf};
use std::process::Command;

fn which(name: &str) -> Option<PathBuf> {
    let out = Command::new("which").arg(name).output().ok()?;
    out.status
        .success()
        .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// Chromium, or `None` after printing "SKIPPED: … `what` did not run" (a
/// failure when CI asked for it with `KDL_REQUIRE_CHROMIUM`).
pub fn chromium_or_skip(what: &str) -> Option<PathBuf> {
    let browser = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|n| which(n));
    if browser.is_none() {
        assert!(
            std::env::var_os("KDL_REQUIRE_CHROMIUM").is_none(),
            "KDL_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        eprintln!("SKIPPED: no chromium; {what} did not run");
    }
    browser
}

/// `browser` headless, sandbox-less (CI runs as root), with no network of
/// its own and a fresh profile in `profile`; add the action and the URL.
pub fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}
