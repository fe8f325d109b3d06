//! `kdl.yaml`: which model, which entities play the model's organisation
//! parts, per-rule settings, per-path overrides, excluded paths.
//!
//! Everything is read from the span-keeping tree, so a bad setting is a
//! `config/invalid` diagnostic at its own key.

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::{Map, Value as Json};

use crate::diagnostic::Severity;
use crate::load::{Node, Span, Value};

/// What a rule setting says about severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            other => Severity::parse(other).map(Level::On),
        }
    }
}

/// A `rules:` entry: an exact rule id or a `group/*` pattern.
#[derive(Clone, Debug)]
pub struct RuleSetting {
    pub pattern: String,
    pub span: Span,
    pub level: Option<Level>,
    pub params: Map<String, Json>,
    /// Each parameter's key span and value tree, to place a bad parameter.
    pub param_spans: Vec<(String, Span, Node)>,
}

impl RuleSetting {
    pub fn matches(&self, rule: &str) -> bool {
        pattern_matches(&self.pattern, rule)
    }

    fn specificity(&self) -> u8 {
        u8::from(!self.pattern.ends_with("/*"))
    }
}

/// `group/*` matches every rule of the group; anything else is exact.
pub fn pattern_matches(pattern: &str, rule: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(group) => rule.split('/').next() == Some(group),
        None => pattern == rule,
    }
}

#[derive(Clone, Debug)]
pub struct Override {
    pub files: GlobSet,
    pub rules: Vec<RuleSetting>,
}

/// An organisation part: a nämnd id, or a unit of a förvaltning.
#[derive(Clone, Debug)]
pub enum OrgRef {
    Namnd {
        id: String,
        span: Span,
    },
    Unit {
        forvaltning: String,
        unit: String,
        span: Span,
    },
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    pub municipality: Option<String>,
    pub model: String,
    pub model_span: Span,
    /// `model:` is missing or not a string (the run cannot go on: exit 2).
    pub model_invalid: bool,
    pub organisation: Vec<(String, Span, OrgRef)>,
    /// The `organisation:` key, where a missing part is reported.
    pub org_span: Option<Span>,
    pub rules: Vec<RuleSetting>,
    pub overrides: Vec<Override>,
    pub exclude: GlobSet,
    pub max_file_bytes: Option<u64>,
    /// `report.preface`: the text the yearly report opens with.
    pub report_preface: Option<String>,
}

/// A `config/invalid` finding in kdl.yaml.
#[derive(Clone, Debug)]
pub struct ConfigProblem {
    pub span: Span,
    pub what: crate::diagnostic::Msg,
}

/// The largest `max-file-size` a catalog may set (16 MiB).
pub const MAX_FILE_SIZE_CEILING: u64 = 16 * 1024 * 1024;

impl Config {
    /// Reads the settings from the (schema-valid or not) tree. Problems are
    /// returned beside the best-effort configuration.
    pub fn from_node(node: &Node) -> (Config, Vec<ConfigProblem>) {
        let mut problems = Vec::new();
        let mut cfg = Config {
            model: crate::model::DEFAULT_MODEL.to_string(),
            ..Config::default()
        };
        cfg.municipality = node
            .get("municipality")
            .and_then(Node::as_str)
            .map(str::to_string);
        match node.entry("model") {
            Some(e) => match e.value.as_str() {
                Some(m) => {
                    cfg.model = m.to_string();
                    cfg.model_span = e.value.span;
                }
                None => {
                    cfg.model_span = e.key_span;
                    cfg.model_invalid = true;
                }
            },
            None => cfg.model_invalid = true,
        }
        cfg.org_span = node
            .entry("organisation")
            .map(|e| e.key_span)
            .or_else(|| node.entries().first().map(|e| e.key_span));
        if let Some(org) = node.get("organisation") {
            for e in org.entries() {
                let part = match &e.value.value {
                    Value::Str(id) => Some(OrgRef::Namnd {
                        id: id.clone(),
                        span: e.value.span,
                    }),
                    Value::Map(_) => {
                        let f = e.value.get("forvaltning").and_then(Node::as_str);
                        let u = e.value.get("unit").and_then(Node::as_str);
                        match (f, u) {
                            (Some(f), Some(u)) => Some(OrgRef::Unit {
                                forvaltning: f.to_string(),
                                unit: u.to_string(),
                                span: e.value.span,
                            }),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                if let Some(p) = part {
                    cfg.organisation.push((e.key.clone(), e.key_span, p));
                }
            }
        }
        if let Some(rules) = node.get("rules") {
            cfg.rules = rule_settings(rules, &mut problems);
        }
        if let Some(list) = node.get("overrides").and_then(Node::as_seq) {
            for item in list {
                let files: Vec<&Node> = item
                    .get("files")
                    .and_then(Node::as_seq)
                    .map(|s| s.iter().collect())
                    .unwrap_or_default();
                let files = globs(&files, &mut problems);
                let rules = item
                    .get("rules")
                    .map(|r| rule_settings(r, &mut problems))
                    .unwrap_or_default();
                cfg.overrides.push(Override { files, rules });
            }
        }
        let exclude: Vec<&Node> = node
            .get("exclude")
            .and_then(Node::as_seq)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        cfg.exclude = globs(&exclude, &mut problems);
        // The catalog may lower the limit, or raise it up to a ceiling:
        // `kdl.yaml` comes from whoever opens the pull request.
        if let Some(n) = node.get("max-file-size").and_then(Node::as_i64) {
            cfg.max_file_bytes = u64::try_from(n).ok().map(|n| n.min(MAX_FILE_SIZE_CEILING));
        }
        cfg.report_preface = node
            .get("report")
            .and_then(|r| r.get("preface"))
            .and_then(Node::as_str)
            .map(str::to_string);
        (cfg, problems)
    }

    /// The nämnd id configured for an organisation part.
    pub fn org_namnd(&self, part: &str) -> Option<&str> {
        self.organisation.iter().find_map(|(k, _, r)| match r {
            OrgRef::Namnd { id, .. } if k == part => Some(id.as_str()),
            _ => None,
        })
    }

    /// The (förvaltning, unit) configured for an organisation part.
    pub fn org_unit(&self, part: &str) -> Option<(&str, &str)> {
        self.organisation.iter().find_map(|(k, _, r)| match r {
            OrgRef::Unit {
                forvaltning, unit, ..
            } if k == part => Some((forvaltning.as_str(), unit.as_str())),
            _ => None,
        })
    }

    /// The level configured for `rule` in `file`: overrides (last match
    /// wins) over `rules:`, exact ids over `group/*`.
    pub fn level_for(&self, rule: &str, file: &str) -> Option<Level> {
        for o in self.overrides.iter().rev() {
            if o.files.is_match(file) {
                if let Some(l) = best(&o.rules, rule).and_then(|s| s.level) {
                    return Some(l);
                }
            }
        }
        best(&self.rules, rule).and_then(|s| s.level)
    }

    /// Parameters configured for `rule` (group settings first, then exact).
    /// Where a parameter of `rule` set in kdl.yaml is: the deepest part of
    /// `path` that exists, else the rule's key.
    pub fn param_span(&self, rule: &str, path: &[crate::load::PathSeg]) -> Option<Span> {
        let setting = self
            .rules
            .iter()
            .filter(|s| s.matches(rule) && !s.params.is_empty())
            .max_by_key(|s| s.specificity())?;
        let Some((crate::load::PathSeg::Key(first), rest)) = path.split_first() else {
            return Some(setting.span);
        };
        let Some((_, key_span, value)) = setting.param_spans.iter().find(|(k, _, _)| k == first)
        else {
            return Some(setting.span);
        };
        let mut rest = rest.to_vec();
        while !rest.is_empty() {
            if let Some((n, _)) = value.lookup(&rest) {
                return Some(n.span);
            }
            rest.pop();
        }
        Some(*key_span)
    }

    pub fn params_for(&self, rule: &str) -> Map<String, Json> {
        let mut matching: Vec<&RuleSetting> =
            self.rules.iter().filter(|s| s.matches(rule)).collect();
        matching.sort_by_key(|s| s.specificity());
        let mut out = Map::new();
        for s in matching {
            for (k, v) in &s.params {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }
}

fn best<'a>(settings: &'a [RuleSetting], rule: &str) -> Option<&'a RuleSetting> {
    settings
        .iter()
        .filter(|s| s.matches(rule) && s.level.is_some())
        .max_by_key(|s| s.specificity())
}

fn rule_settings(node: &Node, problems: &mut Vec<ConfigProblem>) -> Vec<RuleSetting> {
    use crate::diagnostic::Msg;
    let mut out = Vec::new();
    for e in node.entries() {
        // Whether the id names a rule of the model is checked once the model
        // has loaded (`crate::lint`); here only its shape.
        let shape = e
            .key
            .strip_suffix("/*")
            .map_or(crate::model::validate::is_instance_id(&e.key), |g| {
                !g.is_empty() && g.bytes().all(|b| b.is_ascii_lowercase())
            });
        if !shape {
            problems.push(ConfigProblem {
                span: e.key_span,
                what: Msg::UnknownRule {
                    rule: e.key.clone(),
                    suggestion: None,
                },
            });
            continue;
        }
        let mut setting = RuleSetting {
            pattern: e.key.clone(),
            span: e.key_span,
            level: None,
            params: Map::new(),
            param_spans: Vec::new(),
        };
        match &e.value.value {
            Value::Str(s) => setting.level = level_or_problem(s, e.value.span, problems),
            Value::Map(entries) => {
                for p in entries {
                    if p.key == "severity" {
                        if let Some(s) = p.value.as_str() {
                            setting.level = level_or_problem(s, p.value.span, problems);
                        }
                    } else {
                        setting.params.insert(p.key.clone(), p.value.to_json());
                        setting
                            .param_spans
                            .push((p.key.clone(), p.key_span, p.value.clone()));
                    }
                }
            }
            _ => {}
        }
        out.push(setting);
    }
    out
}

fn level_or_problem(s: &str, span: Span, problems: &mut Vec<ConfigProblem>) -> Option<Level> {
    let level = Level::parse(s);
    if level.is_none() {
        problems.push(ConfigProblem {
            span,
            what: crate::diagnostic::Msg::BadSeverity {
                value: s.to_string(),
            },
        });
    }
    level
}

fn globs(nodes: &[&Node], problems: &mut Vec<ConfigProblem>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for n in nodes {
        let Some(pattern) = n.as_str() else { continue };
        match Glob::new(pattern) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => problems.push(ConfigProblem {
                span: n.span,
                what: crate::diagnostic::Msg::BadGlob {
                    glob: pattern.to_string(),
                    error: e.kind().to_string(),
                },
            }),
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_beats_group_and_overrides_beat_both() {
        let n = crate::load::yaml::parse(
            "model: kungsbacka-2023.1\norganisation: {}\nrules:\n  plan/*: warning\n  plan/late: info\noverrides:\n  - files: [system/pilot-*.yaml]\n    rules:\n      plan/*: off\n",
            Default::default(),
        )
        .unwrap();
        let (cfg, problems) = Config::from_node(&n);
        assert!(problems.is_empty());
        assert_eq!(
            cfg.level_for("plan/late", "system/a.yaml"),
            Some(Level::On(Severity::Info))
        );
        assert_eq!(
            cfg.level_for("plan/missing", "system/a.yaml"),
            Some(Level::On(Severity::Warning))
        );
        assert_eq!(
            cfg.level_for("plan/missing", "system/pilot-x.yaml"),
            Some(Level::Off)
        );
        assert_eq!(cfg.level_for("roles/vacant", "system/a.yaml"), None);
    }

    #[test]
    fn unknown_rule_is_a_problem_at_its_key() {
        let text = "model: x\norganisation: {}\nrules:\n  roles-mandatory: off\n";
        let n = crate::load::yaml::parse(text, Default::default()).unwrap();
        let (_, problems) = Config::from_node(&n);
        assert_eq!(problems.len(), 1);
        let line = crate::load::Lines::new(text).pos(problems[0].span).line;
        assert_eq!(line, 4);
    }
}
