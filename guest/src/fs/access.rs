//! The few filesystem primitives the scan needs: natively through std, in
//! the component straight through WASI (see `wasi` for why).

use std::io;
use std::path::PathBuf;

use super::entry::{Kind, Meta};

#[derive(Clone)]
pub struct FsAccess {
    #[cfg(not(target_arch = "wasm32"))]
    root: PathBuf,
    #[cfg(target_arch = "wasm32")]
    wasi: std::rc::Rc<io::Result<super::wasi::Root>>,
}

impl std::fmt::Debug for FsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FsAccess")
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl FsAccess {
    pub fn new(root: PathBuf) -> Self {
        FsAccess { root }
    }

    /// Reads at most `max + 1` bytes, so the caller can tell "too large".
    /// Through `take`, std makes no size-hint metadata call.
    pub fn read(&self, rel: &str, max: u64) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let mut buf = Vec::with_capacity(4096);
        std::fs::File::open(self.root.join(rel))?.take(max.saturating_add(1)).read_to_end(&mut buf)?;
        Ok(buf)
    }

    /// Hands each entry of `rel` to `each` as it is read; none is held here.
    pub fn read_dir(&self, rel: &str, each: &mut dyn FnMut(&str, Kind)) -> io::Result<()> {
        for entry in std::fs::read_dir(self.root.join(rel))? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else { continue };
            let t = entry.file_type()?;
            let kind = if t.is_file() {
                Kind::File
            } else if t.is_dir() {
                Kind::Dir
            } else if t.is_symlink() {
                Kind::Symlink
            } else {
                Kind::Other
            };
            each(&name, kind);
        }
        Ok(())
    }

    pub fn metadata(&self, rel: &str) -> io::Result<Meta> {
        let meta = std::fs::metadata(self.root.join(rel))?;
        let kind = if meta.is_file() {
            Kind::File
        } else if meta.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        };
        let modified = meta.modified().ok().and_then(|t| jiff::Timestamp::try_from(t).ok());
        Ok(Meta { kind, size: meta.len(), modified })
    }
}

#[cfg(target_arch = "wasm32")]
impl FsAccess {
    /// `root` names a preopen.
    pub fn new(root: PathBuf) -> Self {
        let name = root.to_string_lossy();
        FsAccess { wasi: std::rc::Rc::new(super::wasi::Root::open(&name)) }
    }

    fn root(&self) -> io::Result<&super::wasi::Root> {
        self.wasi.as_ref().as_ref().map_err(|e| io::Error::new(e.kind(), e.to_string()))
    }

    pub fn read(&self, rel: &str, max: u64) -> io::Result<Vec<u8>> {
        self.root()?.read(rel, max)
    }

    pub fn read_dir(&self, rel: &str, each: &mut dyn FnMut(&str, Kind)) -> io::Result<()> {
        self.root()?.read_dir(rel, each)
    }

    pub fn metadata(&self, rel: &str) -> io::Result<Meta> {
        self.root()?.metadata(rel)
    }
}
