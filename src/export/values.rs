//! A release column's values, held by column: codes as indexes into the
//! column's categories, choices as flags, text as strings. At a million
//! responses a code costs two bytes, not a string.

/// Text cells in one buffer: at a million rows, one allocation per column
/// rather than one per cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    buf: String,
    /// Where each cell ends in `buf`.
    ends: Vec<usize>,
    present: Vec<bool>,
}

impl Texts {
    pub fn push(&mut self, t: Option<&str>) {
        if let Some(t) = t {
            self.buf.push_str(t);
        }
        self.ends.push(self.buf.len());
        self.present.push(t.is_some());
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        if !self.present[i] {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.buf.get(start..self.ends[i])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> {
        (0..self.len()).map(|i| self.get(i))
    }

    fn reserve_exact(&mut self, rows: usize) {
        self.ends.reserve_exact(rows);
        self.present.reserve_exact(rows);
    }

    fn append(&mut self, other: Texts) {
        let offset = self.buf.len();
        self.buf.push_str(&other.buf);
        self.ends.extend(other.ends.iter().map(|e| e + offset));
        self.present.extend(other.present);
    }
}

impl<'a> FromIterator<Option<&'a str>> for Texts {
    fn from_iter<I: IntoIterator<Item = Option<&'a str>>>(items: I) -> Self {
        let mut t = Texts::default();
        for item in items {
            t.push(item);
        }
        t
    }
}

impl From<Vec<Option<String>>> for Texts {
    fn from(v: Vec<Option<String>>) -> Self {
        v.iter().map(Option::as_deref).collect()
    }
}

/// One column's values, one per row; `None` where the question was not
/// answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Values {
    /// Indexes into the column's `categories`.
    Codes(Vec<Option<u16>>),
    /// Whether the option was chosen.
    Flags(Vec<Option<bool>>),
    Text(Texts),
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
            Values::Text(v) => v.get(i),
        }
    }

    /// Room for `rows` more rows, exactly: a page's size is known.
    pub fn reserve_exact(&mut self, rows: usize) {
        match self {
            Values::Codes(v) => v.reserve_exact(rows),
            Values::Flags(v) => v.reserve_exact(rows),
            Values::Text(v) => v.reserve_exact(rows),
        }
    }

    /// Adds `other`'s rows after these; false, adding nothing, when
    /// `other` holds another kind of value.
    #[must_use]
    pub fn append(&mut self, other: Values) -> bool {
        match (self, other) {
            (Values::Codes(a), Values::Codes(mut b)) => a.append(&mut b),
            (Values::Flags(a), Values::Flags(mut b)) => a.append(&mut b),
            (Values::Text(a), Values::Text(b)) => a.append(b),
            _ => return false,
        }
        true
    }

    pub fn codes_mut(&mut self) -> Option<&mut Vec<Option<u16>>> {
        match self {
            Values::Codes(v) => Some(v),
            _ => None,
        }
    }

    pub fn flags_mut(&mut self) -> Option<&mut Vec<Option<bool>>> {
        match self {
            Values::Flags(v) => Some(v),
            _ => None,
        }
    }

    pub fn texts_mut(&mut self) -> Option<&mut Texts> {
        match self {
            Values::Text(v) => Some(v),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Values;

    #[test]
    fn cells_read_as_text() {
        let cats = vec![("a".to_string(), "A".to_string()), ("b".into(), "B".into())];
        let codes = Values::Codes(vec![Some(0), None, Some(1)]);
        let flags = Values::Flags(vec![Some(true), Some(false), None]);
        assert_eq!(codes.cell(2, &cats), Some("b"));
        assert_eq!(codes.cell(1, &cats), None);
        assert_eq!(flags.cell(0, &[]), Some("1"));
        assert_eq!(flags.cell(1, &[]), Some("0"));
        assert_eq!(flags.cell(2, &[]), None);
    }

    #[test]
    fn texts_keep_empty_and_missing_cells_apart() {
        let cells = vec![
            Some("a".to_string()),
            None,
            Some(String::new()),
            Some("dé".into()),
        ];
        let mut t = Values::Text(cells.clone().into());
        assert_eq!(t.len(), 4);
        assert_eq!(t.cell(1, &[]), None);
        assert_eq!(t.cell(2, &[]), Some(""));
        assert_eq!(t.cell(3, &[]), Some("dé"));
        assert!(t.append(Values::Text(vec![Some("z".to_string())].into())));
        assert!(
            !t.append(Values::Flags(vec![Some(true)])),
            "another kind is refused"
        );
        let got: Vec<Option<&str>> = (0..t.len()).map(|i| t.cell(i, &[])).collect();
        assert_eq!(got, [Some("a"), None, Some(""), Some("dé"), Some("z")]);
    }
}
