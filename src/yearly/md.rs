//! The Markdown report, for a wiki or the catalog repository itself
//! (GitHub/GitLab-flavoured tables). Rendered with minijinja; every value is
//! escaped for Markdown by [`escape`] through the engine's auto-escaping.

use minijinja::value::{Serde, Value};

use super::{html::environment, text, Report, FORMAT_ID};
use crate::i18n::Lang;

/// Escapes text for a Markdown table cell or paragraph: Markdown's
/// punctuation is backslash-escaped, HTML's `<`, `>` (and an `&` that could
/// start an entity) become entities
/// (so catalog text can never become raw HTML), line breaks become spaces
/// (so a value cannot end a table row).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '{' | '}' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Only an `&` that could start an entity (`&lt;`, `&#60;`) needs
            // escaping; "Vård & Omsorg" stays readable in the raw file.
            '&' if chars
                .peek()
                .is_some_and(|c| c.is_alphanumeric() || *c == '#') =>
            {
                out.push_str("&amp;")
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

/// Renders the report as Markdown.
pub fn render(r: &Report, lang: Lang) -> Result<String, minijinja::Error> {
    let mut env = environment()?;
    env.add_global("names", Value::from(Serde(&r.names)));
    let tmpl = env.get_template("report.md")?;
    tmpl.render(minijinja::context! {
        r => Value::from(Serde(r)),
        t => Value::from(Serde(text::texts(lang))),
        format_id => Value::from_safe_string(FORMAT_ID.to_string()),
    })
    // Control characters from catalog text (the template has none): the
    // Markdown is often printed to a terminal. Without any, the rendered
    // text is returned as it is, not copied.
    .map(|s| match crate::report::escape::controls(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(o) => o,
    })
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markdown_is_neutralised() {
        assert_eq!(
            escape("<script>a|b</script>\n*x* [l](u)"),
            "&lt;script&gt;a\\|b&lt;/script&gt; \\*x\\* \\[l\\](u)"
        );
    }
}
