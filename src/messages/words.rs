//! Words and grammar shared by the messages: lists joined with "och"/"and",
//! "did you mean", type nouns with their articles, YAML syntax errors in
//! the user's language.

use crate::i18n::Lang;
use crate::model::Model;

use super::Who;

pub(super) fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn mean(s: &Option<String>, lang: Lang) -> String {
    match (s, lang) {
        (Some(s), Lang::Sv) => format!(" – menade du `{s}`?"),
        (Some(s), Lang::En) => format!(" – did you mean `{s}`?"),
        (None, _) => String::new(),
    }
}

/// "A, B och C" / "A, B and C".
pub(super) fn and_list(items: &[String], lang: Lang) -> String {
    let and = if lang == Lang::En { " and " } else { " och " };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

/// A label in running text: "Förvaltningsplan" → "förvaltningsplan", but
/// "IT-chef" and "PUB-avtal" stay as they are.
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(f), Some(g)) if f.is_uppercase() && !g.is_uppercase() => {
            f.to_lowercase().collect::<String>() + &s[f.len_utf8()..]
        }
        _ => s.to_string(),
    }
}

/// A named fact in a message: an attribute by its label, a core fact by
/// its key (`category`).
pub(super) fn fact_name(model: &Model, fact: &str, en: bool) -> String {
    if let Some(attr) = fact.strip_prefix("attributes.") {
        if let Some(def) = model.attributes.values().find_map(|a| a.get(attr)) {
            return format!("{} (`{fact}`)", def.label(en));
        }
    }
    format!("`{fact}`")
}

/// Who a record must come from, in words, alternatives joined with "or".
pub(super) fn who_list(items: &[Who], lang: Lang, model: &Model) -> String {
    let en = lang == Lang::En;
    let words: Vec<String> = items
        .iter()
        .map(|w| match w {
            Who::Titles(ts) => {
                let labels: Vec<String> = ts
                    .iter()
                    .map(|t| lower_first(&model.title_label(t, en)))
                    .collect();
                if en {
                    format!("a person with the title {}", or_list(&labels, lang))
                } else {
                    format!("en person med titeln {}", or_list(&labels, lang))
                }
            }
            Who::Role(r) => {
                let l = lower_first(&model.role_label(r, en));
                if en {
                    format!("the holder of the role `{r}` ({l})")
                } else {
                    format!("innehavaren av rollen `{r}` ({l})")
                }
            }
            Who::Body(b) => lower_first(&model.body_label(b, en)),
            Who::Namnd(n) => format!("`{n}`"),
            Who::UserNamnd => {
                if en {
                    "a nämnd that uses the system".into()
                } else {
                    "en nämnd som använder systemet".into()
                }
            }
            Who::AnyNamnd => {
                if en {
                    "a nämnd".into()
                } else {
                    "en nämnd".into()
                }
            }
        })
        .collect();
    or_list(&words, lang)
}

pub(super) fn quoted(items: &[String]) -> Vec<String> {
    items.iter().map(|i| format!("`{i}`")).collect()
}

pub(super) fn or_list(items: &[String], lang: Lang) -> String {
    let or = if lang == Lang::En { " or " } else { " eller " };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{or}{last}", init.join(", ")),
    }
}

/// `globset`'s error text in Swedish (its kinds are few and fixed).
pub(super) fn glob_error_sv(error: &str) -> String {
    let known: &[(&str, &str)] = &[
        (
            "invalid use of **",
            "`**` måste stå som en hel del av sökvägen, t.ex. `utkast/**`",
        ),
        (
            "unclosed character class",
            "`[` stängs aldrig – lägg till `]`",
        ),
        ("invalid range", "ogiltigt teckenintervall inom `[…]`"),
        (
            "invalid character range",
            "ogiltigt teckenintervall inom `[…]`",
        ),
        (
            "unopened alternate group",
            "en avslutande klammerparentes utan öppnande",
        ),
        (
            "unclosed alternate group",
            "en öppnande klammerparentes stängs aldrig",
        ),
        (
            "nested alternate groups",
            "klammerparentesgrupper får inte nästlas",
        ),
        ("dangling", "ett omvänt snedstreck sist i mönstret"),
    ];
    known
        .iter()
        .find(|(en, _)| error.starts_with(en))
        .map_or_else(|| error.to_string(), |(_, sv)| (*sv).to_string())
}

/// A YAML syntax error: what is wrong, in the user's language, and how to
/// fix it; the parser's own (English) words only for rare kinds.
pub(super) fn syntax(detail: &str, lang: Lang) -> String {
    use crate::load::syntax::{split, SyntaxKind as K};
    let (kind, parser) = split(detail);
    let (sv, en) = match kind {
        K::Tab => (
            "tabb i indraget – YAML drar in med mellanslag; byt tabben mot mellanslag (t.ex. två per nivå)",
            "a tab in the indentation – YAML indents with spaces; replace the tab with spaces (e.g. two per level)",
        ),
        K::Indent => (
            "raden är felaktigt indragen – nycklar på samma nivå ska börja i samma kolumn, och en nyckel under en annan dras in med mellanslag",
            "the line is wrongly indented – keys on the same level must start in the same column, and a key under another is indented with spaces",
        ),
        K::UnclosedBracket => (
            "hakparentesen `[` stängs aldrig – avsluta listan med `]` på samma rad",
            "the bracket `[` is never closed – end the list with `]` on the same line",
        ),
        K::UnclosedBrace => (
            "klammerparentesen stängs aldrig – avsluta mappningen med en klammerparentes på samma rad, eller skriv den som indragna `nyckel: värde`-rader",
            "the brace is never closed – end the mapping with a closing brace on the same line, or write it as indented `key: value` lines",
        ),
        K::StrayBracket => (
            "en avslutande parentes utan motsvarande öppning – ta bort den, eller sätt värdet inom citattecken",
            "a closing bracket without a matching opening – remove it, or put the value in quotes",
        ),
        K::TextAfterBracket => (
            "text efter listans eller mappningens avslutande parentes – ta bort texten, eller sätt hela värdet inom citattecken",
            "text after the closing bracket of a list or mapping – remove the text, or put the whole value in quotes",
        ),
        K::UnclosedQuote => (
            "citattecknet stängs inte på rätt ställe – avsluta värdet med samma citattecken som det börjar med, och skriv inget efter det",
            "the quote is not closed where it should be – end the value with the quote it starts with, and write nothing after it",
        ),
        K::ColonInValue => (
            "kolon följt av mellanslag inne i ett värde – sätt värdet inom citattecken, t.ex. `name: \"Heroma: HR\"`",
            "a colon followed by a space inside a value – put the value in quotes, e.g. `name: \"Heroma: HR\"`",
        ),
        K::KeyWithoutColon => (
            "nyckeln saknar kolon – skriv `nyckel: värde` (eller `nyckel:` följt av indragna rader)",
            "the key has no colon – write `key: value` (or `key:` followed by indented lines)",
        ),
        K::Alias => (
            "`*` och `&` inleder YAML-alias och ankare – sätt värdet inom citattecken om det är text",
            "`*` and `&` start YAML aliases and anchors – put the value in quotes if it is text",
        ),
        K::Reserved => (
            "värdet börjar med ett tecken som YAML reserverar (`@`, `` ` ``, `%`) – sätt värdet inom citattecken",
            "the value starts with a character YAML reserves (`@`, `` ` ``, `%`) – put the value in quotes",
        ),
        K::Escape => (
            "okänd escape-sekvens inom dubbla citattecken – skriv `\\\\` för ett omvänt snedstreck, eller använd enkla citattecken",
            "unknown escape sequence in double quotes – write `\\\\` for a backslash, or use single quotes",
        ),
        K::ListInMapping => (
            "en listpost (`- …`) där en `nyckel: värde`-rad ska stå – lägg listan under en nyckel, indragen",
            "a list item (`- …`) where a `key: value` line belongs – put the list under a key, indented",
        ),
        K::Other => {
            return match lang {
                Lang::Sv => format!("YAML-syntaxfel (parserns beskrivning: {parser})"),
                Lang::En => format!("YAML syntax error: {parser}"),
            }
        }
    };
    match lang {
        Lang::Sv => format!("YAML-syntaxfel: {sv}"),
        Lang::En => format!("YAML syntax error: {en}"),
    }
}

/// `key: value` in backticks (just the value for a list item or the root).
pub(super) fn kv(key: &str, value: &str) -> String {
    if key.is_empty() {
        format!("`{value}`")
    } else if let Some(list) = key.strip_suffix("[]") {
        format!("`{list}: [… {value} …]`")
    } else {
        format!("`{key}: {value}`")
    }
}

/// A key in backticks; the document itself when there is none.
pub(super) fn name(key: &str, lang: Lang) -> String {
    match (key.is_empty(), lang) {
        (true, Lang::Sv) => "dokumentet".into(),
        (true, Lang::En) => "the document".into(),
        (false, lang) => match (key.strip_suffix("[]"), lang) {
            (Some(list), Lang::Sv) => format!("ett värde i `{list}`"),
            (Some(list), Lang::En) => format!("a value in `{list}`"),
            (None, _) => format!("`{key}`"),
        },
    }
}

pub(super) fn looks_like_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

pub(super) fn only_boolean(expected: &[String]) -> bool {
    expected.iter().any(|e| e == "boolean")
        && expected.iter().all(|e| e == "boolean" || e == "null")
}

/// What a value is, with its article: "ett heltal", "a list".
pub(super) fn type_noun(t: &str, lang: Lang) -> &'static str {
    match (t, lang) {
        ("string", Lang::Sv) => "text",
        ("integer", Lang::Sv) => "ett heltal",
        ("number", Lang::Sv) => "ett tal",
        ("boolean", Lang::Sv) => "ett sanningsvärde (`true`/`false`)",
        ("array", Lang::Sv) => "en lista",
        ("object", Lang::Sv) => "en mappning (`nyckel: värde`)",
        ("null", Lang::Sv) => "tomt",
        ("string", Lang::En) => "text",
        ("integer", Lang::En) => "an integer",
        ("number", Lang::En) => "a number",
        ("boolean", Lang::En) => "a boolean (`true`/`false`)",
        ("array", Lang::En) => "a list",
        ("object", Lang::En) => "a mapping (`key: value`)",
        ("null", Lang::En) => "empty",
        (_, Lang::Sv) => "ett värde av annan typ",
        (_, Lang::En) => "a value of another type",
    }
}

/// The accepted types, `null` left out (it only means "may be empty").
pub(super) fn types(expected: &[String], lang: Lang) -> String {
    let names: Vec<String> = expected
        .iter()
        .filter(|t| *t != "null")
        .map(|t| match (t.as_str(), lang) {
            ("boolean", Lang::Sv) => "`true` eller `false`".to_string(),
            ("boolean", Lang::En) => "`true` or `false`".to_string(),
            (t, l) => type_noun(t, l).to_string(),
        })
        .collect();
    or_list(&names, lang)
}

/// An organisation part's expected form, in words.
pub(super) fn shape(expected: &str, lang: Lang) -> String {
    match (expected, lang) {
        ("nämnd-id", Lang::Sv) => "ett nämnd-id".into(),
        ("nämnd-id", Lang::En) => "a nämnd id".into(),
        (e, Lang::Sv) if e.contains("forvaltning") => {
            "en enhet: `forvaltning:` och `unit:` på egna rader".into()
        }
        (e, Lang::En) if e.contains("forvaltning") => {
            "a unit: `forvaltning:` and `unit:` on lines of their own".into()
        }
        (e, _) => e.to_string(),
    }
}

/// The Swedish name of a kind of file (`load::read::kind_of`).
pub fn kind_sv(kind: &str) -> &str {
    match kind {
        "fifo" => "namngiven pipe (fifo)",
        "character device" => "teckenenhet",
        "block device" => "blockenhet",
        "socket" => "uttag (socket)",
        "directory" => "mapp",
        "symbolic link" => "symbolisk länk",
        "file" => "fil",
        _ => "specialfil",
    }
}
