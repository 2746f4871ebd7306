//! Per-client-address rate limits on submitting and signing in, answered
//! with 429 and `Retry-After`, and the wait after failed sign-ins for
//! addresses with no account. Each instance counts on its own.
use super::client_address::ClientAddress;
use crate::domain::accounts::lockout_seconds;
use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    /// Submissions per minute per address; 0 turns the limit off.
    pub submissions_per_minute: u32,
    /// Sign-in attempts per minute per address; 0 turns the limit off.
    pub sign_ins_per_minute: u32,
    /// Where the client's address is read from.
    pub client_address: ClientAddress,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            submissions_per_minute: 60,
            sign_ins_per_minute: 10,
            client_address: ClientAddress::Peer,
        }
    }
}

pub struct Limits {
    submissions: Option<DefaultKeyedRateLimiter<IpAddr>>,
    sign_ins: Option<DefaultKeyedRateLimiter<IpAddr>>,
    client_address: ClientAddress,
    /// Failed sign-ins for email addresses that have no account.
    pub unknown_accounts: UnknownAccounts,
}

/// Seconds to wait before trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

fn limiter(per_minute: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    NonZeroU32::new(per_minute).map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)))
}

impl Limits {
    pub fn new(s: LimitSettings) -> Limits {
        Limits {
            submissions: limiter(s.submissions_per_minute),
            sign_ins: limiter(s.sign_ins_per_minute),
            client_address: s.client_address,
            unknown_accounts: UnknownAccounts::default(),
        }
    }

    fn check(
        &self,
        limiter: &Option<DefaultKeyedRateLimiter<IpAddr>>,
        req: &HttpRequest,
    ) -> Result<(), RetryAfter> {
        let (Some(limiter), Some(ip)) = (limiter, self.client_address.of(req)) else {
            return Ok(());
        };
        limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            RetryAfter(wait.as_secs().max(1))
        })
    }

    pub fn submission(&self, req: &HttpRequest) -> Result<(), RetryAfter> {
        self.check(&self.submissions, req)
    }

    pub fn sign_in(&self, req: &HttpRequest) -> Result<(), RetryAfter> {
        self.check(&self.sign_ins, req)
    }
}

/// Addresses remembered at most; past that, those not waiting are forgotten.
const UNKNOWN_ACCOUNTS_HELD: usize = 100_000;

/// Failed sign-ins for email addresses with no account, under the rule
/// accounts follow (`lockout_seconds`), so that both answer alike and the
/// answer does not tell whether an account exists.
#[derive(Default)]
pub struct UnknownAccounts {
    failures: Mutex<HashMap<String, (i32, Option<Instant>)>>,
}

impl UnknownAccounts {
    fn held(&self) -> std::sync::MutexGuard<'_, HashMap<String, (i32, Option<Instant>)>> {
        // A panic elsewhere while holding it leaves counts, not broken state.
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Seconds `email` must still wait, if any.
    pub fn waiting(&self, email: &str) -> Option<u64> {
        let (_, until) = *self.held().get(email)?;
        let left = until?.checked_duration_since(Instant::now())?;
        Some(left.as_secs().max(1))
    }

    pub fn failed(&self, email: &str) {
        let mut held = self.held();
        if held.len() >= UNKNOWN_ACCOUNTS_HELD {
            let now = Instant::now();
            held.retain(|_, (_, until)| until.is_some_and(|u| u > now));
        }
        let entry = held.entry(email.to_owned()).or_insert((0, None));
        entry.0 = entry.0.saturating_add(1);
        entry.1 = lockout_seconds(entry.0)
            .map(|s| Instant::now() + Duration::from_secs(s.unsigned_abs()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_addresses_wait_after_the_third_failure() {
        let u = UnknownAccounts::default();
        for _ in 0..2 {
            u.failed("nobody@example.org");
            assert_eq!(u.waiting("nobody@example.org"), None);
        }
        u.failed("nobody@example.org");
        assert_eq!(u.waiting("nobody@example.org"), Some(1));
        assert_eq!(u.waiting("somebody@example.org"), None);
    }
}
