//! Runtime configuration shared by the CLI and the server.

use std::path::{Path, PathBuf};

use crate::web::msg;

/// What the server needs to know at start.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    /// Mark the session cookie `Secure` (site served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Behind a reverse proxy: take the client address from X-Forwarded-For and
    /// mark cookies `Secure` when X-Forwarded-Proto says https.
    pub trust_proxy: bool,
    /// 64-byte key for signing and encrypting session cookies.
    pub session_key: Vec<u8>,
}

impl Config {
    /// Builds the configuration for a database, loading the session key from
    /// `EXAMHALL_SESSION_KEY` (hex) or from a key file kept next to the database,
    /// generated once so that restarts do not log everyone out.
    pub fn load(database_url: &str) -> anyhow::Result<Self> {
        let flag = |name: &str| matches!(std::env::var(name).as_deref(), Ok("1" | "true" | "yes"));
        let (secure_cookies, trust_proxy) = (flag("EXAMHALL_SECURE_COOKIES"), flag("EXAMHALL_TRUST_PROXY"));
        let session_key = match std::env::var("EXAMHALL_SESSION_KEY") {
            Ok(hex_key) => {
                let key = hex::decode(hex_key.trim())?;
                anyhow::ensure!(key.len() >= 64, msg::SESSION_KEY_TOO_SHORT);
                key
            }
            Err(_) => load_or_create_key(&key_path(database_url)?)?,
        };
        Ok(Self { database_url: database_url.to_string(), secure_cookies, trust_proxy, session_key })
    }
}

/// Next to the SQLite file; for PostgreSQL in the working directory (several
/// app servers must share one key: set EXAMHALL_SESSION_KEY on all of them).
fn key_path(database_url: &str) -> anyhow::Result<PathBuf> {
    let target = crate::db::parse_url(database_url)?;
    Ok(match target.backend {
        crate::db::Backend::Sqlite => PathBuf::from(format!("{}.session-key", target.location)),
        crate::db::Backend::Postgres => PathBuf::from("examhall.session-key"),
    })
}

fn load_or_create_key(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(text) = std::fs::read_to_string(path) {
        let key = hex::decode(text.trim())?;
        if key.len() >= 64 {
            return Ok(key);
        }
    }
    let key: [u8; 64] = std::array::from_fn(|_| rand::random::<u8>());
    write_private(path, &hex::encode(key))?;
    Ok(key.to_vec())
}

/// Writes the key file whole or not at all: into a temporary file next to
/// it, flushed to disk, then renamed over the name (a crash mid-write must
/// not leave half a key that stops the next start).
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_session_key_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("site.db").to_string_lossy().to_string();
        let first = Config::load(&db).unwrap();
        let second = Config::load(&format!("sqlite://{db}")).unwrap();
        assert_eq!(first.session_key.len(), 64);
        assert_eq!(first.session_key, second.session_key);
        let other = tempfile::tempdir().unwrap();
        let elsewhere = Config::load(&other.path().join("x.db").to_string_lossy()).unwrap();
        assert_ne!(first.session_key, elsewhere.session_key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(format!("{db}.session-key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Written through a temporary file that is renamed: none is left behind.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        assert_eq!(names, ["site.db.session-key"], "{names:?}");
    }
}
