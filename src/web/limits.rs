//! Per-client-address rate limits on submitting and signing in, answered
//! with 429 and `Retry-After`. Each instance counts on its own.
use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;

#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    /// Submissions per minute per address; 0 turns the limit off.
    pub submissions_per_minute: u32,
    /// Sign-in attempts per minute per address; 0 turns the limit off.
    pub sign_ins_per_minute: u32,
    /// Take the client address from X-Forwarded-For (behind a proxy that
    /// sets it) rather than from the connection.
    pub trust_forwarded: bool,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            submissions_per_minute: 60,
            sign_ins_per_minute: 10,
            trust_forwarded: false,
        }
    }
}

pub struct Limits {
    submissions: Option<DefaultKeyedRateLimiter<IpAddr>>,
    sign_ins: Option<DefaultKeyedRateLimiter<IpAddr>>,
    trust_forwarded: bool,
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
            trust_forwarded: s.trust_forwarded,
        }
    }

    fn address(&self, req: &HttpRequest) -> Option<IpAddr> {
        let info = req.connection_info();
        let text = if self.trust_forwarded {
            info.realip_remote_addr().map(str::to_owned)
        } else {
            req.peer_addr().map(|a| a.ip().to_string())
        }?;
        // "ip" or "ip:port" or "[v6]:port".
        text.parse::<IpAddr>()
            .ok()
            .or_else(|| text.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
    }

    fn check(
        &self,
        limiter: &Option<DefaultKeyedRateLimiter<IpAddr>>,
        req: &HttpRequest,
    ) -> Result<(), RetryAfter> {
        let (Some(limiter), Some(ip)) = (limiter, self.address(req)) else {
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
