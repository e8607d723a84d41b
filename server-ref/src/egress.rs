//! Where the server may send requests on a store's behalf (partner webhooks): only to public
//! internet addresses, so that an admin cannot aim the server at its own loopback, the private
//! network it runs in, or a cloud metadata service (SSRF).
//!
//! The address is checked twice: when an endpoint is registered (IP literals in every spelling
//! the URL parser accepts, and the addresses its name resolves to), and again at every delivery
//! by the HTTP client's resolver, which connects only to the addresses it has just checked, so a
//! name that resolves elsewhere later (DNS rebinding) is refused too. The client follows no
//! redirects and uses no proxy. `--webhook-allow-private` turns the check off for development.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why `ip` is not a public internet address, or `None` when it is one.
pub fn internal_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6),
    }
}

fn internal_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(if ip.is_loopback() {
        "loopback"
    } else if ip.is_unspecified() || a == 0 {
        "unspecified (\"this network\")"
    } else if ip.is_private() {
        "private"
    } else if ip.is_link_local() {
        "link-local (cloud metadata lives here)"
    } else if a == 100 && (64..128).contains(&b) {
        "shared address space (carrier-grade NAT)"
    } else if a == 192 && b == 0 && c == 0 {
        "IETF protocol assignment"
    } else if a == 198 && (18..20).contains(&b) {
        "benchmarking"
    } else if ip.is_documentation() {
        "documentation"
    } else if ip.is_multicast() {
        "multicast"
    } else if ip.is_broadcast() || a >= 240 {
        "reserved"
    } else {
        return None;
    })
}

fn internal_v6(ip: Ipv6Addr) -> Option<&'static str> {
    // Forms that embed an IPv4 address are judged by that address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return internal_v4(v4);
    }
    let segments = ip.segments();
    let embedded_v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    Some(if ip.is_loopback() {
        "loopback"
    } else if ip.is_unspecified() {
        "unspecified"
    } else if segments[..6] == [0; 6] {
        // IPv4-compatible (::a.b.c.d), deprecated.
        return internal_v4(embedded_v4(segments[6], segments[7])).or(Some("IPv4-compatible"));
    } else if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        // NAT64 (64:ff9b::a.b.c.d) reaches the IPv4 address through a translator.
        return internal_v4(embedded_v4(segments[6], segments[7]));
    } else if segments[0] == 0x2002 {
        // 6to4 (2002:aabb:ccdd::) carries an IPv4 address in its prefix.
        return internal_v4(embedded_v4(segments[1], segments[2]));
    } else if ip.is_unique_local() {
        "unique local (private)"
    } else if ip.is_unicast_link_local() {
        "link-local"
    } else if ip.is_multicast() {
        "multicast"
    } else if segments[0] == 0x2001 && segments[1] == 0 {
        "Teredo tunnel"
    } else if segments[0] == 0x2001 && segments[1] == 0xdb8 {
        "documentation"
    } else if segments[0] == 0x64 && segments[1] == 0xff9b && segments[2] == 1 {
        "local-use NAT64"
    } else if segments[0] == 0x100 && segments[1..4] == [0; 3] {
        "discard-only"
    } else {
        return None;
    })
}

/// Why an outbound target was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The URL's host, or an address it resolves to, is internal.
    #[error("{host} is {kind}")]
    Internal {
        /// The host or address.
        host: String,
        /// What kind of internal address.
        kind: &'static str,
    },
    /// The host name did not resolve.
    #[error("{0} does not resolve")]
    Unresolved(String),
}

fn is_localhost_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    // RFC 6761: every name under .localhost is loopback, whatever a resolver says.
    host == "localhost" || host.ends_with(".localhost")
}

/// How long registration waits for a name to resolve before leaving the check to delivery.
const REGISTRATION_LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Checks the host of `url` as registration does: a literal address must be public, and so
/// must every address a name resolves to now. A name that does not resolve (yet, or within a
/// few seconds) is accepted: its partner may still be setting up DNS, and delivery checks it.
pub async fn check_url(url: &url::Url) -> Result<(), Refused> {
    check_literal(url)?;
    let Some(url::Host::Domain(name)) = url.host() else {
        return Ok(());
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let lookup = tokio::net::lookup_host((name, port));
    match tokio::time::timeout(REGISTRATION_LOOKUP_TIMEOUT, lookup).await {
        Ok(Ok(mut addrs)) => addrs.try_for_each(|addr| check_ip(addr.ip(), name)),
        Ok(Err(_)) | Err(_) => Ok(()),
    }
}

/// The literal host of `url` when it is an address (the resolver never sees those).
pub fn check_literal(url: &url::Url) -> Result<(), Refused> {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => check_ip(IpAddr::V4(ip), &ip.to_string()),
        Some(url::Host::Ipv6(ip)) => check_ip(IpAddr::V6(ip), &ip.to_string()),
        Some(url::Host::Domain(name)) if is_localhost_name(name) => Err(Refused::Internal {
            host: name.to_owned(),
            kind: "loopback",
        }),
        _ => Ok(()),
    }
}

fn check_ip(ip: IpAddr, host: &str) -> Result<(), Refused> {
    match internal_kind(ip) {
        Some(kind) => Err(Refused::Internal {
            host: if host == ip.to_string() {
                host.to_owned()
            } else {
                format!("{host} ({ip})")
            },
            kind,
        }),
        None => Ok(()),
    }
}

/// A resolver for reqwest that hands the connector only public addresses: the connection goes
/// to an address checked at that moment, so no later answer of the name server can redirect it.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            if is_localhost_name(&host) {
                return Err(Refused::Internal {
                    host,
                    kind: "loopback",
                }
                .into());
            }
            let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| Refused::Unresolved(host.clone()))?
                .collect();
            let mut refused = None;
            let public: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|addr| match check_ip(addr.ip(), &host) {
                    Ok(()) => true,
                    Err(why) => {
                        refused.get_or_insert(why);
                        false
                    }
                })
                .collect();
            if public.is_empty() {
                return Err(refused
                    .unwrap_or_else(|| Refused::Unresolved(host.clone()))
                    .into());
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

/// The HTTP client for calls made on a store's behalf: no redirects, no proxy, and (unless
/// `allow_private`) only public addresses.
pub fn client(allow_private: bool) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("colmena-server/", env!("CARGO_PKG_VERSION")));
    if allow_private {
        builder.build()
    } else {
        builder.dns_resolver(Arc::new(PublicOnlyResolver)).build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<&'static str> {
        internal_kind(text.parse().expect("an address"))
    }

    #[test]
    fn internal_addresses_in_every_family_are_recognised() {
        for internal in [
            "127.0.0.1",
            "127.255.1.2",
            "0.0.0.0",
            "0.1.2.3",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001::1",
        ] {
            assert!(kind(internal).is_some(), "{internal} passed as public");
        }
        for public in [
            "93.184.215.14",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert_eq!(kind(public), None, "{public} refused");
        }
    }

    #[test]
    fn url_spellings_of_loopback_are_literals_the_parser_normalises() {
        for spelling in [
            "http://127.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0177.0.0.1/",
            "http://[::ffff:7f00:1]/",
            "http://localhost./",
            "http://api.localhost/",
        ] {
            let url = url::Url::parse(spelling).expect("a URL");
            assert!(check_literal(&url).is_err(), "{spelling} passed");
        }
    }
}
