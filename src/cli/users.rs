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
            store.create_user(email.as_str(), role.as_str(), &hash, &token.hash())?;
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
