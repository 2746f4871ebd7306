//! Removing personal details from free text before it leaves the service.
use regex::{Regex, RegexSet};
use serde::Serialize;
use std::borrow::Cow;
use std::sync::OnceLock;

/// What was found and replaced, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scrubbed {
    pub email: u64,
    pub url: u64,
    pub nhs_number: u64,
    pub phone: u64,
    pub postcode: u64,
    pub organisation: u64,
}

impl Scrubbed {
    pub fn add(&mut self, other: &Scrubbed) {
        self.email += other.email;
        self.url += other.url;
        self.nhs_number += other.nhs_number;
        self.phone += other.phone;
        self.postcode += other.postcode;
        self.organisation += other.organisation;
    }

    pub fn total(&self) -> u64 {
        self.email + self.url + self.nhs_number + self.phone + self.postcode + self.organisation
    }
}

struct Patterns {
    /// All of the patterns below: one pass tells whether a text needs any.
    any: RegexSet,
    email: Regex,
    url: Regex,
    international_phone: Regex,
    nhs_number: Regex,
    phone: Regex,
    postcode: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // The patterns are constants: a failure here is a bug caught by the
        // tests, not something input can cause.
        let re = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("pattern {p}: {e}"));
        let sources = [
            r"(?i)[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}",
            // Up to the last character that is not closing punctuation; a
            // quotation mark is never part of a link (`=HYPERLINK("…","y")`).
            r#"(?i)\b(?:https?://|www\.)[^\s<>"]*[^\s<>.,;:!?)'"]"#,
            r"\+\d{1,3}[\s\-]?\(?0?\)?[\s\-]?\d{2,5}[\s\-]?\d{3,4}[\s\-]?\d{3,4}\b",
            // Ten digits, optionally spaced 3-3-4: NHS numbers, checked before
            // domestic phone numbers, which they resemble.
            r"\b\d{3}[ \-]?\d{3}[ \-]?\d{4}\b",
            r"\(?\b0\d{2,5}\)?[\s\-]?\d{3,4}[\s\-]?\d{3,4}\b",
            r"(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b",
        ];
        Patterns {
            any: RegexSet::new(sources).unwrap_or_else(|e| panic!("patterns: {e}")),
            email: re(sources[0]),
            url: re(sources[1]),
            international_phone: re(sources[2]),
            nhs_number: re(sources[3]),
            phone: re(sources[4]),
            postcode: re(sources[5]),
        }
    })
}

/// `text` with every match of `re` replaced; borrowed when nothing matched,
/// as in most answers, so that clean text is never copied.
fn replace<'t>(text: Cow<'t, str>, re: &Regex, marker: &str, count: &mut u64) -> Cow<'t, str> {
    if !re.is_match(&text) {
        return text;
    }
    let mut n = 0;
    let out = re
        .replace_all(&text, |_: &regex::Captures<'_>| {
            n += 1;
            marker
        })
        .into_owned();
    *count += n;
    Cow::Owned(out)
}

/// Whether any pattern could match: each needs a digit, `@`, `:` (in a
/// URL's scheme) or `www.`. Most answers have none, and this look is
/// cheaper than running the patterns.
fn may_match(text: &str) -> bool {
    text.bytes()
        .any(|b| b.is_ascii_digit() || b == b'@' || b == b':')
        || find_ignoring_case(text, "www.", 0).is_some()
}

/// Where `name` next occurs in `text` at or after `from`, ignoring ASCII
/// case. A plain search (compiling a pattern per respondent would
/// dominate an export), jumping between places where its first letter is.
fn find_ignoring_case(text: &str, name: &str, from: usize) -> Option<usize> {
    let (hay, needle) = (text.as_bytes(), name.as_bytes());
    let first = *needle.first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    let window = hay.get(from..=last_start)?;
    memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        window,
    )
    .map(|p| from + p)
    .find(|&i| {
        text.is_char_boundary(i)
            && text.is_char_boundary(i + needle.len())
            && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
    })
}

/// Replaces every occurrence of `name`, ignoring ASCII case; borrowed when
/// there is none.
fn replace_name<'t>(text: Cow<'t, str>, name: &str, marker: &str, count: &mut u64) -> Cow<'t, str> {
    let Some(mut at) = find_ignoring_case(&text, name, 0) else {
        return text;
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    loop {
        out.push_str(&text[copied..at]);
        out.push_str(marker);
        *count += 1;
        copied = at + name.len();
        match find_ignoring_case(&text, name, copied) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Replaces emails, URLs, NHS numbers, phone numbers, postcodes and the
/// respondent's own details (their organisation's name; any identifying
/// answer in `own`) with markers such as `[email removed]`, counting
/// them in `found`. Borrowed when nothing was found, as in most answers.
pub fn scrub<'t>(text: &'t str, own: &[&str], found: &mut Scrubbed) -> Cow<'t, str> {
    let p = patterns();
    let mut out = Cow::Borrowed(text);
    if may_match(text) && p.any.is_match(text) {
        out = scrub_patterns(out, p, found);
    }
    // Names shorter than three characters would take ordinary words.
    for name in own
        .iter()
        .map(|o| o.trim())
        .filter(|o| o.chars().count() >= 3)
    {
        out = replace_name(out, name, "[organisation removed]", &mut found.organisation);
    }
    out
}

fn scrub_patterns<'t>(text: Cow<'t, str>, p: &Patterns, s: &mut Scrubbed) -> Cow<'t, str> {
    let mut out = replace(text, &p.email, "[email removed]", &mut s.email);
    out = replace(out, &p.url, "[link removed]", &mut s.url);
    out = replace(
        out,
        &p.international_phone,
        "[phone number removed]",
        &mut s.phone,
    );
    out = replace(
        out,
        &p.nhs_number,
        "[NHS number removed]",
        &mut s.nhs_number,
    );
    out = replace(out, &p.phone, "[phone number removed]", &mut s.phone);
    replace(out, &p.postcode, "[postcode removed]", &mut s.postcode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scrubbed(text: &str, own: &[&str]) -> (String, Scrubbed) {
        let mut found = Scrubbed::default();
        let out = scrub(text, own, &mut found).into_owned();
        (out, found)
    }

    #[test]
    fn each_kind_is_replaced_with_its_marker() {
        let (out, s) = scrubbed(
            "Mail jo.bloggs@example.org or see https://example.org/x and www.example.com; \
             NHS no 943 476 5919, call 020 7946 0958 or +44 161 496 0000, \
             we are at LS1 4AP. Northshire NHS Foundation Trust agrees.",
            &["northshire nhs foundation trust"],
        );
        assert_eq!(
            out,
            "Mail [email removed] or see [link removed] and [link removed]; \
             NHS no [NHS number removed], call [phone number removed] or [phone number removed], \
             we are at [postcode removed]. [organisation removed] agrees."
        );
        assert_eq!(
            (
                s.email,
                s.url,
                s.nhs_number,
                s.phone,
                s.postcode,
                s.organisation
            ),
            (1, 2, 1, 2, 1, 1)
        );
        assert_eq!(s.total(), 8);
    }

    #[test]
    fn only_the_link_itself_is_removed() {
        let cases = [
            (
                r#"=HYPERLINK("http://x","y")"#,
                r#"=HYPERLINK("[link removed]","y")"#,
            ),
            ("see <https://example.org/a>.", "see <[link removed]>."),
            ("(www.example.org/x), then", "([link removed]), then"),
            ("'https://example.org' said", "'[link removed]' said"),
            ("https://example.org/a?b=c&d=e#f ok", "[link removed] ok"),
        ];
        for (text, expected) in cases {
            assert_eq!(scrubbed(text, &[]).0, expected, "{text}");
        }
    }

    #[test]
    fn own_names_are_found_in_any_ascii_case_among_other_scripts() {
        let (out, s) = scrubbed(
            "«Northshire Trust» — NORTHSHIRE trust, café",
            &["Northshire Trust"],
        );
        assert_eq!(
            out,
            "«[organisation removed]» — [organisation removed], café"
        );
        assert_eq!(s.organisation, 2);
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let text = "Through provider collaboratives, 3 of 10 systems, since 2019 (s75).";
        assert_eq!(
            scrubbed(text, &["Trustees"]),
            (text.to_owned(), Scrubbed::default())
        );
        // Too short a name would remove ordinary words.
        assert_eq!(scrubbed("an NHS view", &["NH"]).1.organisation, 0);
        // Clean text is not copied.
        let mut found = Scrubbed::default();
        assert!(matches!(
            scrub(text, &["Trustees"], &mut found),
            Cow::Borrowed(_)
        ));
    }

    /// Every occurrence, scanning one byte at a time: what the search
    /// must agree with.
    fn replaced_slowly(text: &str, name: &str, marker: &str) -> (String, u64) {
        let (hay, needle) = (text.as_bytes(), name.as_bytes());
        let (mut out, mut n) = (String::new(), 0);
        let (mut i, mut copied) = (0, 0);
        while i + needle.len() <= hay.len() {
            if text.is_char_boundary(i)
                && text.is_char_boundary(i + needle.len())
                && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
            {
                out.push_str(&text[copied..i]);
                out.push_str(marker);
                n += 1;
                i += needle.len();
                copied = i;
            } else {
                i += 1;
            }
        }
        out.push_str(&text[copied..]);
        (out, n)
    }

    proptest! {
        #[test]
        fn what_the_quick_look_passes_over_no_pattern_matches(
            text in "([a-zA-Z/.+\\- ]|www\\.|WwW\\.){0,40}",
        ) {
            if !may_match(&text) {
                prop_assert!(!patterns().any.is_match(&text));
            }
        }

        #[test]
        fn names_are_replaced_as_a_byte_by_byte_scan_would(
            text in "[aAbBé ]{0,40}",
            name in "[abé]{3,5}",
        ) {
            let mut n = 0;
            let out = replace_name(Cow::Borrowed(&text), &name, "[x]", &mut n);
            prop_assert_eq!((out.into_owned(), n), replaced_slowly(&text, &name, "[x]"));
        }

        #[test]
        fn planted_details_never_survive(
            before in "[a-z ]{0,30}",
            after in "[a-z ]{0,30}",
            user in "[a-z]{1,10}",
            digits in "[0-9]{10}",
        ) {
            let email = format!("{user}@example.org");
            let text = format!("{before} {email} {after} {digits} {after}");
            let (out, _) = scrubbed(&text, &[]);
            prop_assert!(!out.contains(&email));
            prop_assert!(!out.contains(&digits));
        }
    }
}
