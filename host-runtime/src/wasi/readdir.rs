//! WASI's `read-directory`, reading the directory as the guest asks for
//! entries and taking each entry's type from the directory itself.
//!
//! wasmtime-wasi's own version stats every entry for its type and collects
//! the whole listing before the guest sees the first entry. For a queue of
//! 100,000 files scanned by two instances that is 200,000 stat calls per
//! directory and a copy of each listing on the host per instance, for
//! types that Linux's `getdents` already reports. Here an entry is stat'ed
//! (without following symlinks, as wasmtime-wasi does) only when the
//! filesystem leaves its type unknown.
//!
//! The three definitions shadow wasmtime-wasi's for the
//! `directory-entry-stream` resource; nothing else of its filesystem changes,
//! and the directory is still only one the guest opened under a preopen.

use std::fs::File;

use cap_primitives::fs::{DirEntry, FileType, ReadDir};
use wasmtime::StoreContextMut;
use wasmtime::component::{Linker, Resource, ResourceType};
use wasmtime_wasi::WasiView;
use wasmtime_wasi::filesystem::Descriptor;
use wasmtime_wasi::p2::bindings::filesystem::types::{DescriptorType, DirectoryEntry, ErrorCode};

/// The WASI version wasmtime-wasi 48 defines; a guest built against any
/// 0.2.x is linked to it.
pub(crate) const FILESYSTEM_TYPES: &str = "wasi:filesystem/types@0.2.12";

/// A directory being read, as the guest's `directory-entry-stream`.
pub struct EntryStream(ReadDir);

pub(crate) fn add_to_linker<T: WasiView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let mut types = linker.instance(FILESYSTEM_TYPES)?;
    types.resource("directory-entry-stream", ResourceType::host::<EntryStream>(), |mut store, rep| {
        store.data_mut().ctx().table.delete(Resource::<EntryStream>::new_own(rep))?;
        Ok(())
    })?;
    types.func_wrap(
        "[method]descriptor.read-directory",
        |mut store: StoreContextMut<'_, T>, (fd,): (Resource<Descriptor>,)| {
            let table = store.data_mut().ctx().table;
            let opened = match table.get(&fd)? {
                Descriptor::Dir(dir) => open(&dir.dir),
                Descriptor::File(_) => Err(ErrorCode::NotDirectory),
            };
            Ok((match opened {
                Ok(entries) => Ok(table.push(EntryStream(entries))?),
                Err(code) => Err(code),
            },))
        },
    )?;
    types.func_wrap(
        "[method]directory-entry-stream.read-directory-entry",
        |mut store: StoreContextMut<'_, T>, (stream,): (Resource<EntryStream>,)| {
            let stream = store.data_mut().ctx().table.get_mut(&stream)?;
            Ok((stream.0.next().transpose().map_err(ErrorCode::from).and_then(|e| e.map(entry).transpose()),))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

fn open(dir: &File) -> Result<ReadDir, ErrorCode> {
    cap_primitives::fs::read_base_dir(dir).map_err(ErrorCode::from)
}

fn entry(e: DirEntry) -> Result<DirectoryEntry, ErrorCode> {
    let file_type = match e.file_type()? {
        t if t == FileType::unknown() => e.metadata()?.file_type(),
        t => t,
    };
    let name = e.file_name().into_string().map_err(|_| ErrorCode::IllegalByteSequence)?;
    Ok(DirectoryEntry { type_: descriptor_type(file_type), name })
}

fn descriptor_type(t: FileType) -> DescriptorType {
    use cap_primitives::fs::FileTypeExt;
    type Is = fn(&FileType) -> bool;
    let kinds: [(Is, DescriptorType); 7] = [
        (FileType::is_dir, DescriptorType::Directory),
        (FileType::is_file, DescriptorType::RegularFile),
        (FileType::is_symlink, DescriptorType::SymbolicLink),
        (FileType::is_fifo, DescriptorType::Fifo),
        (FileType::is_socket, DescriptorType::Socket),
        (FileType::is_char_device, DescriptorType::CharacterDevice),
        (FileType::is_block_device, DescriptorType::BlockDevice),
    ];
    kinds.into_iter().find(|(is, _)| is(&t)).map_or(DescriptorType::Unknown, |(_, kind)| kind)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn entries_carry_their_kinds_and_no_dot_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.json"), "{}").unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::os::unix::fs::symlink("a.json", root.join("link.json")).unwrap();
        std::os::unix::fs::symlink("missing", root.join("dangling.json")).unwrap();
        assert!(std::process::Command::new("mkfifo").arg(root.join("pipe.json")).status().unwrap().success());
        let mut got: Vec<(String, DescriptorType)> = open(&File::open(root).unwrap())
            .unwrap()
            .map(|e| entry(e.unwrap()).unwrap())
            .map(|e| (e.name, e.type_))
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            [
                ("a.json".to_string(), DescriptorType::RegularFile),
                ("dangling.json".to_string(), DescriptorType::SymbolicLink),
                ("link.json".to_string(), DescriptorType::SymbolicLink),
                ("pipe.json".to_string(), DescriptorType::Fifo),
                ("sub".to_string(), DescriptorType::Directory),
            ]
        );
    }

    #[test]
    fn a_file_is_not_a_directory_to_list() {
        let file = tempfile::NamedTempFile::new().unwrap();
        assert!(matches!(open(file.as_file()), Err(ErrorCode::NotDirectory)));
    }
}
