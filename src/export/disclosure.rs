//! The disclosure report in words, shipped with every export.
use super::release::Disclosure;

pub fn markdown(d: &Disclosure, title: &str) -> String {
    let mut md = format!("# Disclosure report: {title}\n\n");
    if d.identified {
        md.push_str(
            "This is the **identified** export: every answer as stored, with identifying \
             answers and exact times. It is for the consultation's own staff only.\n\n",
        );
        md.push_str(&format!("- Rows: {}\n", d.rows_released));
        return md;
    }
    md.push_str(&format!(
        "- Rows stored: {}; released: {}; withheld: {} (their combination of quasi-identifiers could not reach k).\n",
        d.rows_stored, d.rows_released, d.suppressed_rows
    ));
    md.push_str(&format!(
        "- k-anonymity: every combination of {} is shared by at least {} rows (k = {}).\n",
        if d.quasi_identifiers.is_empty() {
            "quasi-identifiers (there are none)".to_owned()
        } else {
            d.quasi_identifiers.join(", ")
        },
        d.min_k.map_or("no".into(), |m| m.to_string()),
        d.k
    ));
    md.push_str(&format!("- Removed: {}.\n", d.removed.join("; ")));
    md.push_str(&format!("- Submission times: {}.\n", d.timestamps));
    if d.generalised.is_empty() {
        md.push_str("- Generalised: nothing.\n");
    }
    for g in &d.generalised {
        md.push_str(&format!(
            "- Generalised: in {}, {} shown as `{}` ({}).\n",
            g.question,
            g.merged.join(", "),
            g.into,
            g.label
        ));
    }
    if d.suppressed_columns.is_empty() {
        md.push_str("- Withheld for every row: nothing.\n");
    } else {
        md.push_str(&format!(
            "- Withheld for every row (shown as `_withheld`): {}.\n",
            d.suppressed_columns.join(", ")
        ));
    }
    let s = &d.scrubbed;
    md.push_str(&format!(
        "- Scrubbed from free text: {} email addresses, {} links, {} NHS numbers, {} phone numbers, {} postcodes, {} mentions of the respondent's own organisation.\n",
        s.email, s.url, s.nhs_number, s.phone, s.postcode, s.organisation
    ));
    md.push_str("- Rows are shuffled and response ids are fresh and random: they cannot be matched to stored responses.\n");
    md.push_str("- In CSV, text cells beginning with =, +, -, @, tab or carriage return start with an apostrophe, so spreadsheets show them as text.\n");
    md
}
