//! Concise output (`--format concise`): one line per finding,
//! `path:line:col: rule message`, like ruff's concise output and what
//! editors' problem matchers parse; then the summary line. Paths are
//! relative to the current directory, like the human output.

use crate::i18n::Lang;
use crate::Run;

pub fn render(run: &Run, lang: Lang, quiet: bool) -> String {
    let paths = super::PathShown::new(&run.root);
    let mut out = String::new();
    if !quiet {
        for d in run.active() {
            let message = d.msg.render(lang, &run.model).replace('\n', " ");
            out.push_str(&format!(
                "{}:{}:{}: {} {message}\n",
                paths.show(run.rel(d.file)),
                d.pos.line.max(1),
                d.pos.col.max(1),
                d.rule,
            ));
        }
    }
    out.push_str(&lang.summary_as_of(&run.summary, Some(run.elapsed_ms), super::shown_as_of(run)));
    out.push('\n');
    out
}
