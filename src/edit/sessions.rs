//! Sessions and the login rate limit, in memory (a restart logs everyone out, which is the
//! safe side).
//!
//! * A session is a random 256-bit token (the cookie) → the account name, its CSRF token
//!   (another 256 random bits, sent back in every form) and when it was last used. A session
//!   unused for the idle timeout is gone; logging out removes it.
//! * The rate limit counts failed logins per name and per client address over a sliding
//!   window: after [`MAX_FAILURES`] inside [`WINDOW`], the next attempt is refused without
//!   looking at the password until the oldest failure leaves the window.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use subtle::ConstantTimeEq;

/// Failed logins allowed per name or address inside [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Default idle timeout of a session.
pub const IDLE: Duration = Duration::from_secs(30 * 60);
/// Keys tracked by the limiter at most: beyond, the oldest entries are dropped first (a flood
/// of made-up names must not grow memory without bound).
const MAX_KEYS: usize = 100_000;

/// 32 random bytes from the operating system, as 64 hex digits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `a == b` in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub csrf: String,
    last: Instant,
}

#[derive(Debug)]
pub struct Sessions {
    idle: Duration,
    table: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    pub fn new(idle: Duration) -> Sessions {
        Sessions {
            idle,
            table: Mutex::new(HashMap::new()),
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new session for `user`; returns its token.
    pub fn open(&self, user: &str, now: Instant) -> String {
        let token = random_token();
        let mut t = self.table();
        // Expired sessions are dropped here, so the table holds only live ones.
        t.retain(|_, s| now.duration_since(s.last) < self.idle);
        t.insert(
            token.clone(),
            Session {
                user: user.to_string(),
                csrf: random_token(),
                last: now,
            },
        );
        token
    }

    /// The live session of `token`, its idle clock restarted; an expired one is removed.
    pub fn touch(&self, token: &str, now: Instant) -> Option<Session> {
        let mut t = self.table();
        let s = t.get_mut(token)?;
        if now.duration_since(s.last) >= self.idle {
            t.remove(token);
            return None;
        }
        s.last = now;
        Some(s.clone())
    }

    pub fn close(&self, token: &str) {
        self.table().remove(token);
    }

    /// Ends every session of `user` (removed, or password changed).
    pub fn close_user(&self, user: &str) {
        self.table().retain(|_, s| s.user != user);
    }
}

/// Failed logins per key (`ten:NAME`, `ip:ADDRESS`).
#[derive(Debug, Default)]
pub struct RateLimit {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimit {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Some(wait)` when one of `keys` has [`MAX_FAILURES`] failures inside the window: the
    /// time until its oldest one leaves it.
    pub fn blocked(&self, keys: &[String], now: Instant) -> Option<Duration> {
        let map = self.map();
        keys.iter()
            .filter_map(|k| {
                let recent: Vec<&Instant> = map
                    .get(k)?
                    .iter()
                    .filter(|t| now.duration_since(**t) < WINDOW)
                    .collect();
                (recent.len() >= MAX_FAILURES)
                    .then(|| WINDOW.saturating_sub(now.duration_since(*recent[0])))
            })
            .max()
    }

    pub fn failed(&self, keys: &[String], now: Instant) {
        let mut map = self.map();
        if map.len() >= MAX_KEYS {
            map.retain(|_, v| v.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
            if map.len() >= MAX_KEYS {
                map.clear();
            }
        }
        for k in keys {
            let v = map.entry(k.clone()).or_default();
            while v.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                v.pop_front();
            }
            v.push_back(now);
        }
    }

    /// A successful login clears its name's failures (not its address's: one person's
    /// success must not reset a guesser on the same network).
    pub fn succeeded(&self, key: &str) {
        self.map().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_table() {
        let m = Duration::from_secs(60);
        // (failures at these minutes, asked at this minute, blocked for)
        let cases: &[(&[u64], u64, Option<u64>)] = &[
            (&[], 0, None),
            (&[0, 1, 2, 3], 4, None),
            (&[0, 1, 2, 3, 4], 5, Some(10)),
            (&[0, 1, 2, 3, 4], 14, Some(1)),
            (&[0, 1, 2, 3, 4], 15, None),
            (&[0, 0, 0, 0, 0, 0, 0], 1, Some(14)),
            (&[0, 10, 11, 12, 13], 16, None),
            (&[0, 10, 11, 12, 13, 14], 16, Some(9)),
        ];
        for (at, now, want) in cases {
            let start = Instant::now();
            let r = RateLimit::default();
            let keys = ["ten:an".to_string()];
            for t in *at {
                r.failed(&keys, start + m * (*t as u32));
            }
            let got = r.blocked(&keys, start + m * (*now as u32));
            assert_eq!(got, want.map(|w| m * w as u32), "{at:?} at {now}");
        }
    }

    #[test]
    fn per_key_and_success() {
        let now = Instant::now();
        let r = RateLimit::default();
        for i in 0..5 {
            let name = format!("ten:u{i}");
            r.failed(&[name, "ip:10.0.0.1".into()], now);
        }
        // Five names from one address: the address is blocked, another address is not.
        assert!(r
            .blocked(&["ten:khac".into(), "ip:10.0.0.1".into()], now)
            .is_some());
        assert!(r
            .blocked(&["ten:khac".into(), "ip:10.0.0.2".into()], now)
            .is_none());
        for _ in 0..5 {
            r.failed(&["ten:an".into()], now);
        }
        assert!(r.blocked(&["ten:an".into()], now).is_some());
        r.succeeded("ten:an");
        assert!(r.blocked(&["ten:an".into()], now).is_none());
    }

    #[test]
    fn sessions_expire_and_close() {
        let s = Sessions::new(Duration::from_secs(60));
        let t0 = Instant::now();
        let a = s.open("an", t0);
        assert_eq!(a.len(), 64);
        let csrf = s.touch(&a, t0 + Duration::from_secs(59)).unwrap().csrf;
        assert_ne!(csrf, a);
        // Touched at 59 s: still alive at 118 s, gone 60 s after the last use.
        assert!(s.touch(&a, t0 + Duration::from_secs(118)).is_some());
        assert!(s.touch(&a, t0 + Duration::from_secs(178)).is_none());
        assert!(s.touch(&a, t0).is_none(), "removed once expired");
        let b = s.open("binh", t0);
        s.close(&b);
        assert!(s.touch(&b, t0).is_none());
        let c = s.open("chi", t0);
        s.close_user("chi");
        assert!(s.touch(&c, t0).is_none());
        assert!(same_token(&csrf, &csrf.clone()));
        assert!(!same_token(&csrf, &csrf[1..]));
    }
}
