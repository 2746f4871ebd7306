//! `consult users ...`: accounts from the command line.
use super::UsersCommand;
use crate::domain::accounts::{Email, Role, hash_password, new_password};
use crate::domain::tokens::AccessToken;
use crate::storage::Store;
use anyhow::{anyhow, bail};

pub fn run(database: &str, command: UsersCommand) -> anyhow::Result<()> {
    let store = Store::open(database)?;
    match command {
        UsersCommand::Create { email, role } => {
            let email = Email::parse(&email).map_err(|e| anyhow!("--email: {e}"))?;
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow!("--role: '{role}' is not admin, staff or researcher"))?;
            let password = new_password();
            let token = AccessToken::generate();
            let hash =
                hash_password(&password).map_err(|e| anyhow!("cannot hash the password: {e}"))?;
            store.create_user(email.as_str(), role, &hash, &token.hash())?;
            // Only this JSON goes to stdout, so that scripts can read it.
            println!(
                "{}",
                serde_json::json!({
                    "email": email.as_str(),
                    "role": role.as_str(),
                    "password": password,
                    "token": token.as_str(),
                })
            );
        }
        UsersCommand::RevokeToken { email } => {
            let email = Email::parse(&email).map_err(|e| anyhow!("--email: {e}"))?;
            let n = store.revoke_tokens(email.as_str())?;
            eprintln!("revoked {n} token(s) of {}", email.as_str());
        }
        UsersCommand::Disable { email } => {
            let email = Email::parse(&email).map_err(|e| anyhow!("--email: {e}"))?;
            if !store.disable_user(email.as_str())? {
                bail!("no account for {}", email.as_str());
            }
            eprintln!("disabled {}", email.as_str());
        }
    }
    Ok(())
}

pub fn invite(
    database: &str,
    slug: &str,
    emails: &std::path::Path,
    base_url: &str,
    consultations: &std::path::Path,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(emails)
        .map_err(|e| anyhow!("cannot read {}: {e}", emails.display()))?;
    // Every address is checked before any invitation is made.
    let mut parsed = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match Email::parse(line) {
            Ok(e) => parsed.push(e),
            Err(e) => bad.push(format!("  - line {}: {e}", i + 1)),
        }
    }
    if !bad.is_empty() {
        bail!(
            "{} has bad addresses; no invitations were made:\n{}",
            emails.display(),
            bad.join("\n")
        );
    }
    let store = Store::open(database)?;
    let catalogue = crate::catalogue::Catalogue::load(consultations, &store)?;
    let loaded = catalogue
        .get(slug)
        .ok_or_else(|| anyhow!("no consultation '{slug}' in {}", consultations.display()))?;
    if !loaded.definition.invite_only {
        eprintln!(
            "note: {slug} is open to everyone; set \"invite_only\": true in its definition to require these links"
        );
    }
    let base = base_url.trim_end_matches('/');
    println!("email,link");
    for email in parsed {
        match store.create_invitation(loaded.stored.id, email.as_str())? {
            Some(token) => println!(
                "{},{base}/consultations/{slug}/i/{}",
                email.as_str(),
                token.as_str()
            ),
            None => eprintln!("skipped {}: invited before", email.as_str()),
        }
    }
    Ok(())
}
