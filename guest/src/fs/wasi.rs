//! The data directory through WASI itself, bypassing std's `fs`.
//!
//! Through a sandbox every filesystem call is a host round trip, so the
//! count per file is what the scan costs. std (through wasi-libc) stats
//! every directory entry to make up an inode number, and reads a file with
//! a metadata call, a stream per read and an extra read to see EOF. Here a
//! listing is one call per entry (the entry carries its type) and a file
//! is `open-at`, usually one `read`, and a drop.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::rc::Rc;

use wasip2::filesystem::preopens::get_directories;
use wasip2::filesystem::types::{Descriptor, DescriptorFlags, DescriptorType, ErrorCode, OpenFlags, PathFlags};

use super::entry::{Kind, Meta};

/// The first read asks for this much: most task files fit, and the host
/// zeroes the whole request before reading into it.
const FIRST_READ: u64 = 8 * 1024;
/// Later reads, up to the host's own cap per call.
const NEXT_READ: u64 = 64 * 1024;

pub struct Root {
    dir: Descriptor,
    /// Subdirectories already opened, by path. Opening `tasks/x.json`
    /// from the root makes the host resolve every component in turn (the
    /// sandbox checks each one); from an open `tasks` it is one step.
    subdirs: RefCell<HashMap<String, Rc<Descriptor>>>,
}

impl Root {
    /// The preopen named `guest_path`.
    pub fn open(guest_path: &str) -> io::Result<Root> {
        get_directories()
            .into_iter()
            .find(|(_, name)| name == guest_path)
            .map(|(dir, _)| Root { dir, subdirs: RefCell::default() })
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no preopened directory {guest_path}")))
    }

    /// Reads a file, stopping once more than `max` bytes have arrived: the
    /// caller sees `len() > max` and refuses it without reading the rest.
    pub fn read(&self, rel: &str, max: u64) -> io::Result<Vec<u8>> {
        let file = match rel.rsplit_once('/') {
            Some((dir, name)) => {
                self.subdir(dir)?.open_at(PathFlags::SYMLINK_FOLLOW, name, OpenFlags::empty(), DescriptorFlags::READ)
            }
            None => self.dir.open_at(PathFlags::SYMLINK_FOLLOW, rel, OpenFlags::empty(), DescriptorFlags::READ),
        }
        .map_err(error)?;
        let mut buf = Vec::new();
        let mut want = FIRST_READ.min(max.saturating_add(1));
        loop {
            let (chunk, eof) = file.read(want, buf.len() as u64).map_err(error)?;
            let short = (chunk.len() as u64) < want;
            if buf.is_empty() {
                buf = chunk;
            } else {
                buf.extend_from_slice(&chunk);
            }
            // A regular file reads short only at its end.
            if eof || short || buf.len() as u64 > max {
                return Ok(buf);
            }
            want = NEXT_READ.min(max.saturating_add(1) - buf.len() as u64).max(1);
        }
    }

    /// An open subdirectory, opened once per `Root`, which lives for one
    /// call: a directory replaced between calls is seen afresh.
    fn subdir(&self, rel: &str) -> io::Result<Rc<Descriptor>> {
        if let Some(dir) = self.subdirs.borrow().get(rel) {
            return Ok(dir.clone());
        }
        let dir = Rc::new(
            self.dir
                .open_at(PathFlags::SYMLINK_FOLLOW, rel, OpenFlags::DIRECTORY, DescriptorFlags::READ)
                .map_err(error)?,
        );
        self.subdirs.borrow_mut().insert(rel.to_string(), dir.clone());
        Ok(dir)
    }

    /// Hands each entry of a directory, with its type, to `each`, in no order.
    pub fn read_dir(&self, rel: &str, each: &mut dyn FnMut(&str, Kind)) -> io::Result<()> {
        let dir = self.subdir(rel)?;
        let stream = dir.read_directory().map_err(error)?;
        loop {
            match stream.read_directory_entry() {
                Ok(Some(entry)) => each(&entry.name, kind(entry.type_)),
                Ok(None) => return Ok(()),
                // A WASI host may stat each entry as it lists (wasmtime-wasi
                // does, and orch's host does where the filesystem leaves the
                // type unknown); an entry removed in between (a writer's
                // temp file, renamed over its target) then comes back as
                // `no-entry` in its place, and the listing goes on. It is
                // gone: skip it. Failing here would make the whole directory
                // look missing. (tests/tests/concurrency.rs)
                Err(ErrorCode::NoEntry) => continue,
                Err(e) => return Err(error(e)),
            }
        }
    }

    pub fn metadata(&self, rel: &str) -> io::Result<Meta> {
        let stat = self.dir.stat_at(PathFlags::SYMLINK_FOLLOW, rel).map_err(error)?;
        Ok(Meta {
            kind: kind(stat.type_),
            size: stat.size,
            modified: stat
                .data_modification_timestamp
                .and_then(|t| jiff::Timestamp::new(t.seconds as i64, t.nanoseconds as i32).ok()),
        })
    }
}

fn kind(t: DescriptorType) -> Kind {
    match t {
        DescriptorType::RegularFile => Kind::File,
        DescriptorType::Directory => Kind::Dir,
        DescriptorType::SymbolicLink => Kind::Symlink,
        _ => Kind::Other,
    }
}

/// WASI's error codes as the `io::ErrorKind`s the rest of the guest
/// classifies; the sandbox's refusals are `not-permitted` or `access`.
fn error(code: ErrorCode) -> io::Error {
    let kind = match code {
        ErrorCode::NoEntry => io::ErrorKind::NotFound,
        ErrorCode::Access | ErrorCode::NotPermitted => io::ErrorKind::PermissionDenied,
        ErrorCode::IsDirectory => io::ErrorKind::IsADirectory,
        ErrorCode::NotDirectory => io::ErrorKind::NotADirectory,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, code.message())
}
