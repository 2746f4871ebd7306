//! The site's own address: for links shown to members, and to tell a
//! request from this site's pages from one another site made.
use actix_web::HttpRequest;
use std::fmt;
use std::str::FromStr;
use url::Url;

/// Where people reach the service, such as `https://consult.example.org`:
/// a scheme and host (and port), nothing else, since every route is
/// absolute from there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
    https: bool,
}

impl FromStr for PublicUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<PublicUrl, String> {
        let url = Url::parse(s.trim()).map_err(|e| format!("'{s}' is not a URL: {e}"))?;
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            other => return Err(format!("'{s}': use http or https, not {other}")),
        };
        if url.host().is_none() || !url.username().is_empty() || url.password().is_some() {
            return Err(format!("'{s}': give a host and no user name"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "'{s}': give only the scheme and host, such as https://consult.example.org"
            ));
        }
        Ok(PublicUrl {
            origin: url.origin().ascii_serialization(),
            https,
        })
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)
    }
}

/// The site's origin (`https://host[:port]`): the configured public URL's,
/// or, when none is set, the one the request names.
pub fn origin(public: Option<&PublicUrl>, req: &HttpRequest) -> String {
    match public {
        Some(p) => p.origin.clone(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

/// Whether cookies should be `Secure`.
pub fn is_https(public: Option<&PublicUrl>, req: &HttpRequest) -> bool {
    match public {
        Some(p) => p.https,
        None => req.connection_info().scheme() == "https",
    }
}

/// A link to `path` on this site, for people to keep or follow.
pub fn link(public: Option<&PublicUrl>, req: &HttpRequest, path: &str) -> String {
    format!("{}{path}", origin(public, req))
}

/// Whether a browser says that a request with side effects came from a
/// page of this site. Current browsers send `Sec-Fetch-Site`; all send
/// `Origin` with a POST. A cookie-signed request with neither did not come
/// from a page here, so it is refused too: programs use API tokens.
pub fn from_this_site(public: Option<&PublicUrl>, req: &HttpRequest) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return site == "same-origin";
    }
    header("origin").is_some_and(|o| o == origin(public, req))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn public_urls_are_a_scheme_and_host() {
        for (text, origin) in [
            ("https://consult.example.org", "https://consult.example.org"),
            (
                "https://Consult.Example.org/",
                "https://consult.example.org",
            ),
            ("http://localhost:8080", "http://localhost:8080"),
            (
                "https://consult.example.org:443",
                "https://consult.example.org",
            ),
        ] {
            assert_eq!(
                text.parse::<PublicUrl>().map(|p| p.to_string()),
                Ok(origin.to_owned()),
                "{text}"
            );
        }
        for bad in [
            "consult.example.org",
            "ftp://consult.example.org",
            "https://consult.example.org/consult",
            "https://consult.example.org/?a=b",
            "https://user@consult.example.org",
            "",
        ] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn links_come_from_the_public_url_whatever_the_request_says() {
        let req = TestRequest::default()
            .insert_header(("host", "evil.example"))
            .insert_header(("x-forwarded-host", "evil.example"))
            .to_http_request();
        let public: PublicUrl = "https://consult.example.org"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            link(Some(&public), &req, "/r/x"),
            "https://consult.example.org/r/x"
        );
        assert!(is_https(Some(&public), &req));
        assert_eq!(link(None, &req, "/r/x"), "http://evil.example/r/x");
    }

    #[test]
    fn only_this_sites_pages_may_write_with_a_cookie() {
        let public: PublicUrl = "https://consult.example.org"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let with = |headers: &[(&'static str, &'static str)]| {
            let mut r = TestRequest::default();
            for h in headers {
                r = r.insert_header(*h);
            }
            from_this_site(Some(&public), &r.to_http_request())
        };
        assert!(with(&[("sec-fetch-site", "same-origin")]));
        assert!(with(&[("origin", "https://consult.example.org")]));
        assert!(!with(&[]));
        assert!(!with(&[("sec-fetch-site", "same-site")]));
        assert!(!with(&[("sec-fetch-site", "none")]));
        assert!(!with(&[("origin", "https://evil.example")]));
        assert!(!with(&[("origin", "null")]));
        assert!(!with(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://consult.example.org")
        ]));
    }
}
