//! Which address a request comes from, for the rate limits: the
//! connection's own peer, or the address a trusted proxy in front saw.
//! Proxies append to forwarding headers, so only the values they added,
//! counted from the right, can be believed; anything further left is
//! whatever the client chose to send.
use actix_web::HttpRequest;
use actix_web::http::header::{FORWARDED, HeaderName, X_FORWARDED_FOR};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroUsize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAddress {
    /// The connection's peer: no proxy in front.
    #[default]
    Peer,
    /// From `X-Forwarded-For`, behind `proxies` proxies that each append
    /// the address they were reached from (nginx's
    /// `$proxy_add_x_forwarded_for`).
    XForwardedFor { proxies: NonZeroUsize },
    /// From the standard `Forwarded` header's `for=`, likewise.
    Forwarded { proxies: NonZeroUsize },
}

impl ClientAddress {
    /// Behind one proxy that sets `X-Forwarded-For`.
    pub fn one_proxy() -> ClientAddress {
        ClientAddress::XForwardedFor {
            proxies: NonZeroUsize::MIN,
        }
    }

    /// The client's address. When the header does not hold as many values
    /// as there are proxies, or the value is not an address, the peer's
    /// (the proxy's) is used: such requests then share one allowance
    /// rather than escape it.
    pub fn of(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr().map(|a| a.ip());
        let forwarded = match *self {
            ClientAddress::Peer => None,
            ClientAddress::XForwardedFor { proxies } => {
                let values = header_values(req, X_FORWARDED_FOR);
                appended(&values, proxies).and_then(parse_address)
            }
            ClientAddress::Forwarded { proxies } => {
                let values = header_values(req, FORWARDED);
                appended(&values, proxies).and_then(forwarded_for)
            }
        };
        forwarded.or(peer)
    }
}

/// Every comma-separated value of every `name` header, in order. Not
/// valid UTF-8 is read lossily: the values the proxies appended are ASCII.
fn header_values(req: &HttpRequest, name: HeaderName) -> Vec<String> {
    req.headers()
        .get_all(name)
        .flat_map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(',')
                .map(|s| s.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The value the outermost trusted proxy appended: `proxies` from the right.
fn appended(values: &[String], proxies: NonZeroUsize) -> Option<&str> {
    let i = values.len().checked_sub(proxies.get())?;
    values.get(i).map(String::as_str)
}

/// `ip`, `ip:port`, `[v6]` or `[v6]:port`.
fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|t| t.parse().ok())
        })
}

/// The `for=` of one `Forwarded` element (`for=192.0.2.1;proto=https`,
/// `for="[2001:db8::1]:4711"`); `unknown` and obfuscated names are none.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("for") {
            return None;
        }
        parse_address(value.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values(header: &str) -> Vec<String> {
        header.split(',').map(|s| s.trim().to_owned()).collect()
    }

    fn n(proxies: usize) -> NonZeroUsize {
        NonZeroUsize::new(proxies).unwrap_or(NonZeroUsize::MIN)
    }

    #[test]
    fn the_value_the_trusted_proxies_appended_is_taken() {
        let v = values("1.1.1.1, 198.51.100.7, 10.0.0.2");
        assert_eq!(appended(&v, n(1)), Some("10.0.0.2"));
        assert_eq!(appended(&v, n(2)), Some("198.51.100.7"));
        assert_eq!(appended(&v, n(4)), None);
        for (text, ip) in [
            ("198.51.100.7", "198.51.100.7"),
            ("198.51.100.7:4711", "198.51.100.7"),
            ("2001:db8::1", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("[2001:db8::1]:4711", "2001:db8::1"),
        ] {
            assert_eq!(parse_address(text), ip.parse().ok(), "{text}");
        }
        assert_eq!(parse_address("evil.example"), None);
    }

    #[test]
    fn forwarded_elements_give_their_for() {
        for (element, ip) in [
            (
                "for=192.0.2.60;proto=http;by=203.0.113.43",
                Some("192.0.2.60"),
            ),
            (
                "proto=https; For=\"[2001:db8:cafe::17]:4711\"",
                Some("2001:db8:cafe::17"),
            ),
            ("for=unknown", None),
            ("for=_hidden", None),
            ("by=203.0.113.43", None),
        ] {
            assert_eq!(
                forwarded_for(element),
                ip.and_then(|i| i.parse().ok()),
                "{element}"
            );
        }
    }

    proptest! {
        #[test]
        fn nothing_a_client_sends_changes_the_address(
            sent in "[0-9a-f.:, \\[\\]\"=;]{0,40}",
            client in any::<[u8; 4]>(),
            inner in prop::collection::vec(any::<[u8; 4]>(), 0..3),
        ) {
            // The first proxy appends the client's address; any further
            // trusted proxies append the one before them.
            let client = IpAddr::from(client);
            let mut header = format!("{sent}, {client}");
            for hop in &inner {
                header.push_str(&format!(", {}", IpAddr::from(*hop)));
            }
            let proxies = n(inner.len() + 1);
            let v = values(&header);
            prop_assert_eq!(appended(&v, proxies).and_then(parse_address), Some(client));
            let forwarded: Vec<String> = v.iter().map(|a| format!("for=\"{a}\"")).collect();
            prop_assert_eq!(appended(&forwarded, proxies).and_then(forwarded_for), Some(client));
        }
    }
}
