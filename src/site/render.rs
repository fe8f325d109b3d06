//! Lays the site out: the yearly report's template environment (the same
//! HTML auto-escaping and filters) with the site's templates added, a
//! style sheet, a script and the search index.

use minijinja::value::{Serde, Value};
use minijinja::Environment;
use serde::Serialize;

use super::model::{ListPage, Page, Site};
use super::{text, FORMAT_ID, VERSION};
use crate::i18n::Lang;

pub const CSS: &str = include_str!("templates/site.css");
pub const JS: &str = include_str!("templates/site.js");

/// The report's environment plus the site's templates.
pub fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = crate::yearly::html::environment()?;
    env.add_filter("path", path);
    env.add_template("site/layout.html", include_str!("templates/layout.html"))?;
    env.add_template("site/macros.html", include_str!("templates/macros.html"))?;
    env.add_template("site/entity.html", include_str!("templates/entity.html"))?;
    env.add_template("site/index.html", include_str!("templates/index.html"))?;
    env.add_template("site/list.html", include_str!("templates/list.html"))?;
    env.add_template("site/search.html", include_str!("templates/search.html"))?;
    Ok(env)
}

/// `x | path`: a link target the site made (`../system/heroma.html`,
/// `#main`), written as it is; anything else is escaped as usual.
fn path(v: String) -> Value {
    let plain = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'_' | b'-' | b'#'));
    if plain {
        Value::from_safe_string(v)
    } else {
        Value::from(v)
    }
}

#[derive(Serialize)]
struct Nav<'a> {
    kind: &'a str,
    label: &'a str,
}

/// What every page's frame reads.
struct Common {
    frame: Value,
    texts: Value,
    nav: Value,
    site_title: String,
}

impl Common {
    fn new(site: &Site) -> Common {
        let lang = if site.frame.lang == "en" {
            Lang::En
        } else {
            Lang::Sv
        };
        let nav: Vec<Nav> = site
            .home
            .kinds
            .iter()
            .map(|k| Nav {
                kind: k.kind,
                label: &k.label,
            })
            .collect();
        let title = text::word("site_title", lang);
        Common {
            frame: Value::from(Serde(&site.frame)),
            texts: Value::from(Serde(text::texts(lang))),
            nav: Value::from(Serde(&nav)),
            site_title: match &site.frame.municipality {
                Some(m) => format!("{m} – {title}"),
                None => title,
            },
        }
    }

    fn render(
        &self,
        env: &Environment,
        name: &str,
        root: &str,
        page: Value,
        home: Value,
    ) -> Result<String, minijinja::Error> {
        let tmpl = env.get_template(name)?;
        let ctx = minijinja::context! {
            f => self.frame.clone(),
            t => self.texts.clone(),
            nav => self.nav.clone(),
            site_title => self.site_title.clone(),
            root => root,
            format_id => FORMAT_ID,
            version => VERSION,
            p => page,
            h => home,
        };
        tmpl.render(ctx)
            // Control characters from catalog text (the templates have none).
            .map(|s| crate::report::escape::controls(&s).into_owned())
    }
}

/// Renders the site's documents one at a time (pages in parallel).
pub struct Renderer {
    env: Environment<'static>,
    common: Common,
}

impl Renderer {
    pub fn new(site: &Site) -> Result<Renderer, minijinja::Error> {
        Ok(Renderer {
            env: environment()?,
            common: Common::new(site),
        })
    }

    pub fn page(&self, p: &Page) -> Result<String, minijinja::Error> {
        self.common.render(
            &self.env,
            "site/entity.html",
            "../",
            Value::from(Serde(p)),
            Value::from(()),
        )
    }

    pub fn home(&self, site: &Site) -> Result<String, minijinja::Error> {
        self.common.render(
            &self.env,
            "site/index.html",
            "",
            Value::from(()),
            Value::from(Serde(&site.home)),
        )
    }

    /// A page of a long list ([`super::model::HOME_ROWS`]), in the root.
    pub fn list(&self, l: &ListPage) -> Result<String, minijinja::Error> {
        self.common.render(
            &self.env,
            "site/list.html",
            "",
            Value::from(Serde(l)),
            Value::from(()),
        )
    }

    pub fn search_page(&self) -> Result<String, minijinja::Error> {
        self.common.render(
            &self.env,
            "site/search.html",
            "",
            Value::from(()),
            Value::from(()),
        )
    }
}

/// `search.json`: the kinds' labels and one entry per page.
pub fn search_index(site: &Site) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Index<'a> {
        format: &'a str,
        version: u32,
        lang: &'a str,
        kinds: std::collections::BTreeMap<&'a str, String>,
        entries: &'a [super::model::Entry],
    }
    let lang = if site.frame.lang == "en" {
        Lang::En
    } else {
        Lang::Sv
    };
    // each kind's name in the singular, shown beside a result
    let kinds = site
        .home
        .kinds
        .iter()
        .map(|k| (k.kind, text::word(&format!("k_{}", k.kind), lang)))
        .collect();
    // one entry per line: readable, and a diff of two sites stays small
    let mut out = serde_json::to_string(&Index {
        format: FORMAT_ID,
        version: VERSION,
        lang: site.frame.lang,
        kinds,
        entries: &[],
    })?;
    out.truncate(out.len().saturating_sub(3));
    out.push_str("[\n");
    for (i, e) in site.search.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&serde_json::to_string(e)?);
    }
    out.push_str("\n]}\n");
    // `<`, `>` and `&` only occur inside strings: escaped there, so the
    // index is inert even if some client parsed it as HTML
    Ok(out
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}
