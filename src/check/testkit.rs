//! Unit-test support for rule kinds: a model text and a few entity files
//! in, the findings of the check stage out — no schema stage, no disk.

use chrono::NaiveDate;

use crate::catalog::{Catalog, Entity, Index};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::i18n::Lang;
use crate::load::{self, SourceFile};
use crate::model::Model;

/// A tiny model: the given `extra` YAML (vocabularies, `rules:`) after a
/// lifecycle, titles, roles and categories the tests share.
pub fn model(extra: &str) -> Model {
    let text = format!(
        "format: 2
id: test
name: Test
lifecycle:
  order: [behov, upphandling, inforande, i-drift, avvecklad]
  retired: avvecklad
  in-use: [i-drift]
organisation:
  ks: namnd
titles:
  it-chef: {{label: IT-chef, label-en: Head of IT}}
  handlaggare: {{label: Handläggare, label-en: Case officer}}
roles:
  systemagare: {{label: Systemägare, single: true, holder: namnd}}
  systemansvarig: {{label: Systemansvarig}}
namnd-types:
  kommunstyrelse: {{label: Kommunstyrelse}}
  namnd: {{label: Nämnd}}
  bolagsstyrelse: {{label: Bolagsstyrelse}}
bodies:
  it-styrgruppen: {{label: IT-styrgruppen}}
categories:
  lokal: {{label: Lokal}}
  gemensam: {{label: Gemensam}}
{extra}"
    );
    match Model::from_text(&text) {
        Ok(m) => m,
        Err(e) => panic!("model: {} at {}:{}", e.message, e.pos.line, e.pos.col),
    }
}

/// The model error of `extra`, in English.
pub fn model_error(extra: &str) -> String {
    let text = format!(
        "format: 2\nid: test\nname: Test\nlifecycle:\n  order: [behov, i-drift]\norganisation:\n  ks: namnd\ntitles:\n  it-chef: {{label: IT-chef}}\nroles:\n  systemagare: {{label: Systemägare}}\ncategories:\n  lokal: {{label: Lokal}}\n{extra}"
    );
    match Model::from_text(&text) {
        Ok(_) => String::new(),
        Err(e) => e.message,
    }
}

/// Runs every rule of `model` over the entity files (`(path, text)`),
/// with `ks` as the organisation part `ks`, on `as_of`.
pub fn run(model: &Model, files: &[(&str, &str)], as_of: &str) -> Vec<Diagnostic> {
    let config_text = "model: test\norganisation:\n  ks: kommunstyrelsen\n";
    let parse = |t: &str| load::yaml::parse(t, load::Budget::default()).expect("yaml");
    let config_node = parse(config_text);
    let (config, _) = Config::from_node(&config_node);
    let mut sources = vec![SourceFile::new(
        "kdl.yaml".into(),
        config_text.into(),
        Ok(config_node),
    )];
    let mut entities = Vec::new();
    for (i, (rel, text)) in files.iter().enumerate() {
        let node = parse(text);
        let kind = node.get("kind").and_then(load::Node::as_str).expect("kind");
        entities.push(Entity::from_node(kind, &node, i + 1).expect("entity"));
        sources.push(SourceFile::new((*rel).into(), (*text).into(), Ok(node)));
    }
    let failed_keys = vec![Vec::new(); entities.len()];
    let cat = Catalog {
        files: sources,
        entities,
        failed_keys,
        set_aside: Default::default(),
    };
    let ix = Index::build(&cat);
    let (instances, problems) = super::compile(model, &config, |_| true);
    assert!(problems.is_empty(), "{problems:?}");
    let date = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").expect("date");
    let ctx = super::Ctx::new(&cat, &ix, model, &config, date, instances);
    let mut out = super::run(&ctx);
    cat.locate(&mut out);
    out.sort_by(|a, b| {
        (a.file, a.pos.line, a.subject.clone()).cmp(&(b.file, b.pos.line, b.subject.clone()))
    });
    out
}

/// A finding as `rule file:line [subject] message` (English), for asserts.
pub fn show(model: &Model, files: &[(&str, &str)], d: &Diagnostic) -> String {
    let file = files
        .get(d.file.wrapping_sub(1))
        .map_or("kdl.yaml", |f| f.0);
    let subject = d
        .subject
        .as_ref()
        .map(|s| format!(" [{s}]"))
        .unwrap_or_default();
    format!(
        "{} {file}:{}{subject} {}",
        d.rule,
        d.pos.line,
        d.msg.render(Lang::En, model)
    )
}

/// All findings, shown.
pub fn findings(model: &Model, files: &[(&str, &str)], as_of: &str) -> Vec<String> {
    run(model, files, as_of)
        .iter()
        .map(|d| show(model, files, d))
        .collect()
}
