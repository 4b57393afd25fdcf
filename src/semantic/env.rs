//! The environment each instruction runs in: working directory, variables
//! (ENV and ARG), user and shell, followed through the stage and inherited
//! from the stage a `FROM` names.
//!
//! One meaning of WORKDIR for every rule: a relative WORKDIR is relative to
//! the one before it (BuildKit's rule), `$VAR` is resolved from the ENV and
//! ARG values seen so far, and anything that cannot be resolved makes the
//! working directory unknown (`None`) rather than a guess.

/// `dir/path` with `.` and `..` resolved; an absolute `path` wins.
pub fn join(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let start = if path.starts_with('/') { "" } else { dir };
    for part in start.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The working directory an image starts in, when its documentation says so
/// (the official golang images work in `/go`); `/` otherwise.
pub fn image_workdir(canonical_name: &str) -> &'static str {
    match canonical_name {
        "golang" => "/go",
        _ => "/",
    }
}

/// What is in effect when an instruction runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Env {
    /// Absolute and normalised; `None` when a variable could not be resolved.
    pub workdir: Option<String>,
    /// ENV and ARG names, with their value when it is a literal (`None` for
    /// an ARG without default or a value with a variable that could not be
    /// resolved). A persistent map: every instruction keeps the environment
    /// it runs in, and copying a plain map at each of them would make a
    /// file of many ENV lines quadratic.
    pub vars: rpds::HashTrieMapSync<String, Option<String>>,
    /// The last `USER`, as written (`None`: the image's default user).
    pub user: Option<String>,
    /// The last `SHELL` (`None`: the image's `/bin/sh -c`).
    pub shell: Option<Vec<String>>,
}

impl Env {
    pub fn start(workdir: &str) -> Env {
        Env {
            workdir: Some(workdir.to_owned()),
            vars: rpds::HashTrieMapSync::new_sync(),
            user: None,
            shell: None,
        }
    }

    pub fn var(&self, name: &str) -> Option<&Option<String>> {
        self.vars.get(name)
    }

    pub fn has_var(&self, name: &str) -> bool {
        self.var(name).is_some()
    }

    pub fn set(&mut self, name: &str, value: Option<String>) {
        self.vars.insert_mut(name.to_owned(), value);
    }

    /// `text` with `$NAME` and `${NAME}` replaced by known literal values;
    /// `None` when a variable is unknown or has no literal value.
    pub fn expand(&self, text: &str) -> Option<String> {
        if !text.contains('$') {
            return Some(text.to_owned());
        }
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let (name, tail) = if let Some(braced) = after.strip_prefix('{') {
                let end = braced.find('}')?;
                let name = &braced[..end];
                if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return None;
                }
                (name, &braced[end + 1..])
            } else {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            if name.is_empty() {
                return None;
            }
            out.push_str(self.var(name)?.as_deref()?);
            rest = tail;
        }
        out.push_str(rest);
        Some(out)
    }

    /// Applies a `WORKDIR` argument.
    pub fn change_dir(&mut self, argument: &str) {
        let argument = argument.trim();
        self.workdir = match (self.expand(argument), &self.workdir) {
            (Some(path), _) if path.starts_with('/') => Some(join("/", &path)),
            (Some(path), Some(dir)) => Some(join(dir, &path)),
            _ => None,
        };
    }
}

/// `NAME=value` pairs of an ENV or ARG argument list (BuildKit's word
/// split, quotes removed), and the legacy `ENV NAME value` form.
pub fn assignments(keyword_is_env: bool, words: &[&str]) -> Vec<(String, Option<String>)> {
    if keyword_is_env
        && let Some(first) = words.first()
        && !first.contains('=')
    {
        let value = words[1..].join(" ");
        return vec![((*first).to_owned(), Some(unquote(&value)))];
    }
    words
        .iter()
        .map(|w| match w.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(unquote(value))),
            None => ((*w).to_owned(), None),
        })
        .collect()
}

fn unquote(value: &str) -> String {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner.to_owned();
        }
    }
    v.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_resolves_dots_and_absolute_paths() {
        assert_eq!(join("/app", "src"), "/app/src");
        assert_eq!(join("/app", "./src/"), "/app/src");
        assert_eq!(join("/app", "../x"), "/x");
        assert_eq!(join("/app", "/opt"), "/opt");
        assert_eq!(join("/", "."), "/");
        assert_eq!(join("/a/b", ".."), "/a");
    }

    #[test]
    fn workdir_relative_and_variables() {
        let mut env = Env::start("/");
        env.change_dir("/srv");
        env.change_dir("app");
        assert_eq!(env.workdir.as_deref(), Some("/srv/app"));
        env.set("HOME", Some("/home/u".into()));
        env.change_dir("$HOME/code");
        assert_eq!(env.workdir.as_deref(), Some("/home/u/code"));
        env.change_dir("${NOPE}/x");
        assert_eq!(env.workdir, None);
        // Unknown stays unknown for a relative path, an absolute one recovers.
        env.change_dir("y");
        assert_eq!(env.workdir, None);
        env.change_dir("/z/");
        assert_eq!(env.workdir.as_deref(), Some("/z"));
    }

    #[test]
    fn env_forms() {
        assert_eq!(
            assignments(true, &["A", "b", "c"]),
            [("A".to_owned(), Some("b c".to_owned()))]
        );
        assert_eq!(
            assignments(true, &["A=\"1\"", "B=2"]),
            [
                ("A".to_owned(), Some("1".to_owned())),
                ("B".to_owned(), Some("2".to_owned()))
            ]
        );
        assert_eq!(assignments(false, &["V"]), [("V".to_owned(), None)]);
    }
}
