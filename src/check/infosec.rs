//! Information security and DPIA (R "Lämplig säkerhet", "Tröskelanalys",
//! "Konsekvensbedömning").

use chrono::Months;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::System;
use crate::diagnostic::{Diagnostic, Msg};

use super::kind::{Cx, Kind, Rule};

/// `infosec/classification`: a selected system has no information
/// classification with a date (select the statuses with `applies-to`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Classification {}

impl Kind for Classification {}

impl Rule for Classification {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        if s.classification.as_ref().is_some_and(|c| c.date.is_some()) {
            return;
        }
        out.push(cx.diag(
            &s.head,
            s.head.id.key,
            "information-classification",
            Msg::ClassificationMissing,
        ));
    }
}

/// `infosec/classification-age`: the classification is older than `years`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ClassificationAge {
    /// Maximum age in years (kdl's default: 3; the seeds name none).
    #[serde(default = "three")]
    pub years: u32,
}

fn three() -> u32 {
    3
}

impl Kind for ClassificationAge {}

impl Rule for ClassificationAge {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        let years = self.years.clamp(1, 100);
        let Some(date) = s.classification.as_ref().and_then(|c| c.date.as_ref()) else {
            return;
        };
        let Some(cutoff) = cx.as_of.checked_sub_months(Months::new(years * 12)) else {
            return;
        };
        if date.v < cutoff {
            out.push(cx.diag(
                &s.head,
                date.span,
                "information-classification.date",
                Msg::ClassificationOld {
                    date: date.v.to_string(),
                    years: i64::from(years),
                },
            ));
        }
    }
}

/// `dpia/threshold`: personal data is processed but no tröskelanalys is
/// documented.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DpiaThreshold {}

impl Kind for DpiaThreshold {}

impl Rule for DpiaThreshold {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        if s.processed() != Some(true) {
            return;
        }
        if s.dpia.as_ref().is_some_and(|d| d.threshold_date.is_some()) {
            return;
        }
        let Some(pd) = &s.personal_data else { return };
        out.push(cx.diag(&s.head, pd.key, "dpia", Msg::DpiaThreshold));
    }
}

/// `dpia/required`: the tröskelanalys meets more than `criteria-threshold`
/// criteria and there is neither an assessment with a date nor a motivation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DpiaRequired {
    /// More criteria than this require an impact assessment (default 2).
    #[serde(default = "two")]
    pub criteria_threshold: i64,
}

fn two() -> i64 {
    2
}

impl Kind for DpiaRequired {}

impl Rule for DpiaRequired {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        let threshold = self.criteria_threshold;
        let Some(d) = &s.dpia else { return };
        let Some(met) = &d.criteria_met else { return };
        if met.v <= threshold || d.assessment_date.is_some() || d.motivation.is_some() {
            return;
        }
        out.push(cx.diag(
            &s.head,
            met.span,
            "dpia.threshold-analysis.criteria-met",
            Msg::DpiaRequired {
                criteria: met.v,
                threshold,
            },
        ));
    }
}

/// `dpia/dso`: an assessment or motivation exists but the data protection
/// officer was not consulted.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DpiaDso {}

impl Kind for DpiaDso {}

impl Rule for DpiaDso {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        let Some(d) = &s.dpia else { return };
        if d.dso_consulted || (d.assessment_date.is_none() && d.motivation.is_none()) {
            return;
        }
        // At the assessment (where `dso-consulted` belongs) when there is one,
        // else at the motivation.
        let span = d
            .assessment
            .or(d.motivation.as_ref().map(|m| m.key))
            .unwrap_or(d.key);
        out.push(cx.diag(&s.head, span, "dpia.assessment", Msg::DpiaDso));
    }
}
