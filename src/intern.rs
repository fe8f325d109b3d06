//! Interned rule ids. A model names its own rule instances; findings carry
//! the instance id as `&'static str` so they stay cheap to copy, compare
//! and sort. Each distinct id is leaked once per process (a model file is
//! size-limited, so the pool is bounded by what the loaded models name).

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// The `&'static str` for `id`, the same pointer for equal ids.
pub fn rule_id(id: &str) -> &'static str {
    static POOL: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let pool = POOL.get_or_init(|| Mutex::new(HashSet::new()));
    let mut set = match pool.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(s) = set.get(id) {
        return s;
    }
    let leaked: &'static str = Box::leak(id.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_ids_share_one_allocation() {
        let a = super::rule_id("soc/nytt-system");
        let b = super::rule_id(&String::from("soc/nytt-system"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "soc/nytt-system");
    }
}
