//! Image references with the full grammar: `[registry[:port]/]path[:tag][@digest]`.
//!
//! Splitting on the first `:` breaks `localhost:5000/app:1`; the registry is
//! the first path component only when it looks like a host (has a `.` or a
//! `:`, or is `localhost`), and the tag is a `:` after the last `/`.

use super::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// The reference as written.
    pub text: String,
    /// Where it is in the source.
    pub range: TextRange,
    /// `registry.example.com:5000`, when the reference names one.
    pub registry: Option<String>,
    /// The repository path without registry: `library/node`, `node`, `org/app`.
    pub path: String,
    pub tag: Option<String>,
    /// `sha256:…`, without the `@`.
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(text: &str, range: TextRange) -> ImageRef {
        let (name_tag, digest) = match text.split_once('@') {
            Some((name_tag, digest)) => (name_tag, Some(digest.to_owned())),
            None => (text, None),
        };
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => (
                &name_tag[..last_slash + i],
                Some(name_tag[last_slash + i + 1..].to_owned()),
            ),
            None => (name_tag, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((host, path))
                if host.contains('.') || host.contains(':') || host == "localhost" =>
            {
                (Some(host.to_owned()), path.to_owned())
            }
            _ => (None, name.to_owned()),
        };
        ImageRef {
            text: text.to_owned(),
            range,
            registry,
            path,
            tag,
            digest,
        }
    }

    /// True for `scratch`, the empty image.
    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.path == "scratch" && self.tag.is_none()
    }

    /// The major version the tag starts with: 20 for `node:20.11-slim`,
    /// 8 for `aspnet:8.0`; `None` for `latest`, `lts` or no tag.
    pub fn tag_major(&self) -> Option<u32> {
        self.tag.as_deref()?.split(['.', '-']).next()?.parse().ok()
    }

    /// True when the reference uses build arguments (`$BASE`, `${VERSION}`).
    pub fn has_variables(&self) -> bool {
        self.text.contains('$')
    }

    /// The name Docker Hub images are known by: `docker.io/library/node`,
    /// `docker.io/node` and `node` are all `node`.
    pub fn canonical_name(&self) -> String {
        match self.registry.as_deref() {
            None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => self
                .path
                .strip_prefix("library/")
                .unwrap_or(&self.path)
                .to_owned(),
            Some(registry) => format!("{registry}/{}", self.path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(text: &str) -> ImageRef {
        ImageRef::parse(text, TextRange::new(0, text.len()))
    }

    #[test]
    fn registry_with_port_is_not_a_tag() {
        let r = image("localhost:5000/app:1");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.path, "app");
        assert_eq!(r.tag.as_deref(), Some("1"));
        let r = image("registry.example.com:5000/team/app");
        assert_eq!(r.registry.as_deref(), Some("registry.example.com:5000"));
        assert_eq!(r.path, "team/app");
        assert_eq!(r.tag, None);
    }

    #[test]
    fn digest_is_kept() {
        let r = image("node:18@sha256:0123abcd");
        assert_eq!(r.tag.as_deref(), Some("18"));
        assert_eq!(r.digest.as_deref(), Some("sha256:0123abcd"));
        let r = image("gcr.io/distroless/static@sha256:ff");
        assert_eq!(r.registry.as_deref(), Some("gcr.io"));
        assert_eq!(r.path, "distroless/static");
        assert_eq!(r.tag, None);
    }

    #[test]
    fn hub_prefixes_are_the_same_image() {
        for text in ["node:18", "docker.io/node:18", "docker.io/library/node:18"] {
            assert_eq!(image(text).canonical_name(), "node", "{text}");
        }
        assert_eq!(image("org/app").canonical_name(), "org/app");
        assert_eq!(image("quay.io/org/app").canonical_name(), "quay.io/org/app");
    }

    #[test]
    fn variables_and_scratch() {
        assert!(image("${BASE}").has_variables());
        assert!(image("node:${NODE_VERSION}").has_variables());
        assert!(image("scratch").is_scratch());
        assert!(!image("scratch:1").is_scratch());
    }
}
