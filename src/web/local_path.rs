//! Where signing in may send a browser back to: a path on this site, never
//! an address elsewhere.
use url::Url;

/// What a browser would resolve `next` against; only its origin matters.
const BASE: &str = "https://consult.invalid/";

/// A path (and query) on this site, as a browser reads it, percent-encoded
/// so that it is always a valid `Location` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    /// Where staff land when `next` is missing or not a local path.
    pub fn staff() -> LocalPath {
        LocalPath("/staff".to_owned())
    }

    /// `raw` if it is a local path. Browsers drop tabs and newlines and read
    /// `\` as `/` (`/\t/evil.example` is `//evil.example`), so control
    /// characters and backslashes are refused outright; what is left is
    /// read with the URL standard's parser and must stay on this origin.
    pub fn parse(raw: &str) -> Option<LocalPath> {
        if !raw.starts_with('/')
            || raw.starts_with("//")
            || raw.chars().any(|c| c.is_control() || c == '\\')
        {
            return None;
        }
        let base = Url::parse(BASE).ok()?;
        let url = base.join(raw).ok()?;
        // Dot segments can leave `//` at the start (`/.//evil.example`).
        if url.origin() != base.origin() || url.path().starts_with("//") {
            return None;
        }
        let mut path = url.path().to_owned();
        if let Some(query) = url.query() {
            path.push('?');
            path.push_str(query);
        }
        Some(LocalPath(path))
    }

    /// `raw` if it is a local path, otherwise the staff pages.
    pub fn or_staff(raw: Option<&str>) -> LocalPath {
        raw.and_then(LocalPath::parse)
            .unwrap_or_else(LocalPath::staff)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for LocalPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn local_paths_pass_and_everything_else_goes_to_staff() {
        let cases = [
            ("/staff", "/staff"),
            ("/staff/x?by=region&q=1", "/staff/x?by=region&q=1"),
            ("/staff/a b", "/staff/a%20b"),
            ("/staff/../research", "/research"),
            ("/\t/evil.example", "/staff"),
            ("/\r\n/evil.example", "/staff"),
            ("/\\evil.example", "/staff"),
            ("/.//evil.example", "/staff"),
            ("/%2e/%2e//evil.example", "/staff"),
            ("//evil.example", "/staff"),
            ("https://evil.example", "/staff"),
            ("evil.example", "/staff"),
            ("", "/staff"),
        ];
        for (raw, expected) in cases {
            assert_eq!(LocalPath::or_staff(Some(raw)).as_str(), expected, "{raw:?}");
        }
        assert_eq!(LocalPath::or_staff(None), LocalPath::staff());
    }

    proptest! {
        #[test]
        fn a_browser_never_leaves_the_site(
            raw in "[/\\\\.:%?#@a-z2eEfF \\t\\n\\r\\u{0}\\u{b}\\u{c}\\u{85}\\u{3000}é]{0,14}",
        ) {
            let next = LocalPath::or_staff(Some(&raw));
            let text = next.as_str();
            prop_assert!(text.starts_with('/') && !text.starts_with("//"), "{:?}", text);
            prop_assert!(text.bytes().all(|b| b.is_ascii_graphic()), "{:?}", text);
            // Resolved as a browser would from any page of the site.
            let page = Url::parse("https://consult.example.org/staff/a/b?c")
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let there = page.join(text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(there.origin(), page.origin());
            // Cleaning is done once: a cleaned path comes through unchanged.
            prop_assert_eq!(LocalPath::parse(text), Some(next.clone()));
        }
    }
}
