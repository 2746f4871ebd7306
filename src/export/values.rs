//! A release column's values, held by column: codes as indexes into the
//! column's categories, choices as flags, text as strings. At a million
//! responses a code costs two bytes, not a string.

/// One column's values, one per row; `None` where the question was not
/// answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Values {
    /// Indexes into the column's `categories`.
    Codes(Vec<Option<u16>>),
    /// Whether the option was chosen.
    Flags(Vec<Option<bool>>),
    Text(Vec<Option<String>>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Codes(v) => v.len(),
            Values::Flags(v) => v.len(),
            Values::Text(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` as text: a code, `1`/`0` for a flag, or the text.
    pub fn cell<'a>(&'a self, i: usize, categories: &'a [(String, String)]) -> Option<&'a str> {
        match self {
            Values::Codes(v) => v[i].and_then(|c| {
                categories
                    .get(usize::from(c))
                    .map(|(code, _)| code.as_str())
            }),
            Values::Flags(v) => v[i].map(|f| if f { "1" } else { "0" }),
            Values::Text(v) => v[i].as_deref(),
        }
    }

    /// Room for `n` more rows, exactly: at a million rows, doubling would
    /// hold up to twice the column while it grows.
    pub fn reserve_exact(&mut self, n: usize) {
        match self {
            Values::Codes(v) => v.reserve_exact(n),
            Values::Flags(v) => v.reserve_exact(n),
            Values::Text(v) => v.reserve_exact(n),
        }
    }

    /// Adds `other`'s rows after these (of the same column).
    pub fn append(&mut self, other: Values) {
        match (self, other) {
            (Values::Codes(a), Values::Codes(mut b)) => a.append(&mut b),
            (Values::Flags(a), Values::Flags(mut b)) => a.append(&mut b),
            (Values::Text(a), Values::Text(mut b)) => a.append(&mut b),
            // Both builders come from one column list: never mixed.
            _ => {}
        }
    }

    /// Keeps the rows whose `keep` is true.
    pub fn retain(&mut self, keep: &[bool]) {
        fn go<T>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        match self {
            Values::Codes(v) => go(v, keep),
            Values::Flags(v) => go(v, keep),
            Values::Text(v) => go(v, keep),
        }
    }

    /// The rows in `order`, a permutation of the row numbers.
    pub fn reorder(&mut self, order: &[usize]) {
        fn go<T: Default>(v: &mut Vec<T>, order: &[usize]) {
            let mut old = std::mem::take(v);
            *v = order.iter().map(|&i| std::mem::take(&mut old[i])).collect();
        }
        match self {
            Values::Codes(v) => go(v, order),
            Values::Flags(v) => go(v, order),
            Values::Text(v) => go(v, order),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Values;

    #[test]
    fn rows_are_kept_and_reordered_together() {
        let cats = vec![("a".to_string(), "A".to_string()), ("b".into(), "B".into())];
        let mut codes = Values::Codes(vec![Some(0), None, Some(1)]);
        let mut flags = Values::Flags(vec![Some(true), Some(false), None]);
        assert_eq!(codes.cell(2, &cats), Some("b"));
        assert_eq!(flags.cell(1, &[]), Some("0"));
        for v in [&mut codes, &mut flags] {
            v.reorder(&[2, 0, 1]);
            v.retain(&[true, false, true]);
        }
        assert_eq!(codes, Values::Codes(vec![Some(1), None]));
        assert_eq!(flags, Values::Flags(vec![None, Some(false)]));
    }
}
